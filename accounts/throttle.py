"""Login throttling with django-axes, shared by every process through the database.

Failures are counted twice (settings.AXES_LOCKOUT_PARAMETERS): per user name *and* address,
so that someone guessing a user's password from one address does not lock that user out
everywhere else; and per address across all user names, with its own, higher cap
(LOGIN_ADDRESS_FAILURE_LIMIT), so that spraying many user names from one address is stopped.
axes itself has a single limit for every parameter set; PortalAxesHandler applies one limit
to each.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render

from portal.forms import LoginForm

LOCKOUT_MESSAGE = "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút."


class PortalAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        per_name, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if per_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(per_name, get_failure_limit(request, credentials))
        return per_name


def username_of(request, credentials):
    """The user name a try is counted under: case and spaces do not make a new name."""
    name = (credentials or {}).get("username") or request.POST.get("username") or ""
    return name.strip().lower()


def client_address(request):
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies that each
    append to TRUSTED_PROXY_HEADER (X-Forwarded-For), the entry the first proxy appended.

    Entries further left were written by the client and are never trusted.
    """
    header, count = settings.TRUSTED_PROXY_HEADER, settings.TRUSTED_PROXY_COUNT
    if header and count > 0:
        hops = [hop.strip() for hop in request.META.get(header, "").split(",") if hop.strip()]
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the pause in Vietnamese (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "form": LoginForm(request, initial={"username": request.POST.get("username", "")}),
        "lockout_message": LOCKOUT_MESSAGE.format(minutes=minutes),
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)


class PortalAxesBackend(AxesStandaloneBackend):
    """axes' check, for every login that comes with a request (the login page, the admin's).

    An authenticate() call without one (the test client's login(), a script) is not an HTTP
    login and has no address to count; axes would refuse it with an exception.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def prune_login_records():
    """Deletes the login, logout and failure records (the login audit's events) older than
    LOGIN_LOG_KEEP_DAYS; returns how many. Counts of recent failures (axes' AccessAttempt) are
    axes' own business: it forgets them after LOGIN_FAILURE_WINDOW_SECONDS."""
    days = settings.LOGIN_LOG_KEEP_DAYS
    return AxesProxyHandler.reset_logs(age_days=days) + AxesProxyHandler.reset_failure_logs(age_days=days)
