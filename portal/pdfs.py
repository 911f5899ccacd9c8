"""HTML to PDF with WeasyPrint, fetching nothing but the portal's own static files.

A report, a summary or a handover sheet carries text that users wrote. Should markup ever slip
through (an <img src> or a CSS url()), WeasyPrint's default fetcher would read any file the server
can (file:///etc/passwd, the settings) or call any address from inside the network
(http://127.0.0.1:..., cloud metadata). This fetcher serves only files under the static folders
(the project's static/ and each app's static/: fonts, stylesheets, images) and data: URLs, and
refuses everything else; WeasyPrint then logs one warning line and renders without it.
"""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings


def static_roots():
    """The folders whose files a PDF may use, resolved (symbolic links followed)."""
    folders = [Path(folder) for folder in settings.STATICFILES_DIRS]
    folders += [Path(app.path) / "static" for app in apps.get_app_configs()]
    if settings.STATIC_ROOT:
        folders.append(Path(settings.STATIC_ROOT))
    return [folder.resolve() for folder in folders if folder.is_dir()]


def is_allowed(url):
    """Whether ``url`` is a data: URL or a file: URL inside static_roots()."""
    scheme = url.split(":", 1)[0].lower()
    if scheme == "data":
        return True
    if scheme != "file":
        return False
    path = Path(url2pathname(urlsplit(url).path)).resolve()
    return any(path.is_relative_to(root) for root in static_roots())


def url_fetcher():
    from weasyprint.urls import URLFetcher

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not is_allowed(url):
                raise ValueError(f"not one of the portal's static files, so not fetched: {url[:200]}")
            return super().fetch(url, headers)

    return StaticFilesOnly(allowed_protocols={"file", "data"}, timeout=5, allow_redirects=False)


def html_to_pdf(html):
    """``html`` (a string) as PDF bytes; relative URLs are resolved against the project folder."""
    from weasyprint import HTML  # imported here: it takes most of a second and only PDFs need it

    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher()).write_pdf()
