"""Error pages in Vietnamese, in the portal's layout (templates/404.html and the others).

Django's own handlers would render the same templates with DEBUG off; these views are set as
the project's handlers so the status and the template are chosen in one place, and
``DebugNotFoundMiddleware`` shows the portal's 404 page instead of Django's English debug
page when DEBUG is on (as under ``make run``), so a demo user on a wrong link reads Vietnamese.
``NullCharacterMiddleware`` answers 400 to an address holding a NUL character, which no page
means and PostgreSQL refuses in any text it is asked to compare.
"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string


def _page(request, status, message=""):
    response = render(request, f"{status}.html", {"message": message}, status=status)
    response.portal_error_page = True
    return response


def page_not_found(request, exception=None):
    return _page(request, 404)


def permission_denied(request, exception=None):
    # The project's PermissionDenied messages are written in Vietnamese for the user.
    message = str(exception) if exception and str(exception) else ""
    return _page(request, 403, message)


def bad_request(request, exception=None):
    return _page(request, 400)


INVALID_ADDRESS = "Địa chỉ của trang có ký tự không hợp lệ."


def csrf_failure(request, reason=""):
    return _page(request, 403, "Phiên làm việc đã hết hạn hoặc trang đã cũ. Hãy tải lại trang rồi thử lại.")


def server_error(request):
    # No request context: the page must render even when the database is what failed.
    return HttpResponseServerError(render_to_string("500.html"))


class DebugNotFoundMiddleware:
    """With DEBUG on, Django answers a 404 with its English debug page; show the portal's instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        replace = response.status_code == 404 and not getattr(response, "portal_error_page", False)
        if replace and response.get("Content-Type", "").startswith("text/html"):
            return page_not_found(request)
        return response


class NullCharacterMiddleware:
    """400 for a NUL character in the path or the query string, before any view reads them: a
    search box or filter given "%00" would otherwise reach PostgreSQL, which refuses it in text
    (a 500). Form fields refuse it themselves (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET.lists()
        if "\x00" in request.path or any("\x00" in key + "".join(values) for key, values in query):
            return _page(request, 400, INVALID_ADDRESS)
        return self.get_response(request)
