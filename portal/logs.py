"""Logs for machines and for people: one JSON line per record on stdout, or text (LOG_FORMAT=text).

Every record made while a request is being served carries its request id (RequestLogMiddleware
sets it; the filter copies it onto the record), so an error's traceback and the request's own
line can be found together, and the user can quote the X-Request-ID header of the response.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

request_id_var = contextvars.ContextVar("request_id", default="")
logger = logging.getLogger("portal.requests")

# Fields of the request line (and of any record given them with extra=...).
FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms", "remote_addr")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in FIELDS:
            value = getattr(record, field, None)
            if value not in (None, ""):
                line[field] = value
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record):
        record.request_id = getattr(record, "request_id", "") or "-"
        return super().format(record)


# Parts of an address that are secrets: the one-time link's token (accounts/urls.py) and the
# password reset's (portal/urls.py). Whoever reads a log must not be able to use a link in it.
# Every URL parameter that is not a number is named here or in PUBLIC_URL_PARTS (a test checks).
SECRET_URL_PARTS = {"token", "uidb64"}
# Django's admin (/quan-tri/): app labels, object ids (text in its URLs), the "view on site" link's
# ids, its catch-all for wrong addresses.
PUBLIC_URL_PARTS = {"app_label", "object_id", "content_type_id", "id", "url"}
HIDDEN = "…"


def path_without_values(request):
    """The path, its secret parts (SECRET_URL_PARTS) replaced by "…", and the names of the query's
    parameters, never their values (searches hold names, phones)."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match else ():
        if name in SECRET_URL_PARTS and value:
            path = path.replace(f"/{value}/", f"/{HIDDEN}/")
    if not request.GET:
        return path
    return path + "?" + "&".join(f"{key}=" for key in request.GET)


class RequestLogMiddleware:
    """First in MIDDLEWARE: gives each request an id (kept from a trusted proxy's X-Request-ID), times
    it, and logs one line when the response leaves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
        except Exception:
            self._log(request, 500, started, logging.ERROR, exc_info=True)
            raise
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        self._log(request, response.status_code, started, level, request_id=request_id)
        return response

    def _log(self, request, status, started, level, exc_info=False, request_id=None):
        user = getattr(request, "user", None)
        fields = {
            "request_id": request_id or getattr(request, "request_id", ""),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            "method": request.method,
            "path": path_without_values(request),
            "status": status,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        }
        logger.log(level, "%s %s %s", request.method, fields["path"], status, extra=fields, exc_info=exc_info)
