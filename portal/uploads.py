"""Upload limits, in one place: the message, the per-file limit while the body is read, the request limit.

- ``too_large()`` is what every upload form says about settings.MAX_UPLOAD_BYTES.
- ``FileSizeLimitHandler`` (first in settings.FILE_UPLOAD_HANDLERS) stops keeping a file once it
  passes MAX_UPLOAD_BYTES: the rest is neither held in memory nor written to disk, and the form
  receives a ``TooLargeUpload`` whose ``size`` is over the limit, so it says "Tệp quá lớn".
- ``RequestSizeLimitMiddleware`` (first in settings.MIDDLEWARE) refuses a request whose declared
  body is over MAX_REQUEST_BYTES before a byte of it is read, with a Vietnamese page (413). The
  front web server should refuse it even earlier (nginx ``client_max_body_size``, see the README).
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse
from django.utils.html import escape

from portal.vietnamese import number


def too_large(what="Tệp"):
    """The message for an upload over settings.MAX_UPLOAD_BYTES: 'Tệp quá lớn: tối đa 10 MB.'"""
    return f"{what} quá lớn: tối đa {number(settings.MAX_UPLOAD_BYTES / 1024 / 1024, 1)} MB."


class TooLargeUpload(UploadedFile):
    """What is left of a file cut off at the limit: its name and the size seen, no content."""

    def __init__(self, name, content_type, size):
        super().__init__(io.BytesIO(b""), name, content_type, size)


class FileSizeLimitHandler(FileUploadHandler):
    """Passes a file's chunks on to the next handlers (memory, then a temporary file on disk) only
    up to MAX_UPLOAD_BYTES; past it, the chunks are dropped and the file is a TooLargeUpload."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received = start + len(raw_data)
        return None if self.received > settings.MAX_UPLOAD_BYTES else raw_data

    def file_complete(self, file_size):
        if self.received > settings.MAX_UPLOAD_BYTES:
            return TooLargeUpload(self.file_name, self.content_type, self.received)
        return None


class RequestSizeLimitMiddleware:
    """413 for a request that declares a body over settings.MAX_REQUEST_BYTES, before reading it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit = number(settings.MAX_REQUEST_BYTES / 1024 / 1024, 1)
            back = escape(request.META.get("HTTP_REFERER", "/"))
            page = (
                '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Tệp quá lớn</title>'
                f"<h1>Tệp quá lớn</h1><p>Dữ liệu gửi lên quá lớn: tối đa {limit} MB mỗi lần. "
                f"{too_large()} Chưa lưu gì.</p>"
                f'<p><a href="{back}">Quay lại</a></p>'
            )
            response = HttpResponse(page, status=413)
            response["Connection"] = "close"  # the unread body must not be taken for the next request
            # Answered before SecurityMiddleware and the CSP's: the page carries their headers itself.
            response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
            response["X-Content-Type-Options"] = "nosniff"
            response["X-Frame-Options"] = "DENY"
            return response
        return self.get_response(request)


# A file someone uploaded is never run as a page of the portal: whatever its bytes are (a "PDF"
# that is really HTML, an SVG), the browser may not sniff another type, and the response carries
# a sandboxing CSP of its own (no script, no origin), on top of being a download.
STORED_FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def stored_file_response(file, filename=None, content_type=None, inline=False):
    """A FileResponse for an uploaded file: a download (``inline`` only for photos shown in <img>)."""
    from django.http import FileResponse

    response = FileResponse(file, as_attachment=not inline, filename=filename or "", content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = STORED_FILE_CSP
    return response
