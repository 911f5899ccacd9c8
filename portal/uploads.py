"""What every upload form tells the user about settings.MAX_UPLOAD_BYTES."""

from django.conf import settings

from portal.vietnamese import number


def too_large(what="Tệp"):
    """The message for an upload over settings.MAX_UPLOAD_BYTES: 'Tệp quá lớn: tối đa 10 MB.'"""
    return f"{what} quá lớn: tối đa {number(settings.MAX_UPLOAD_BYTES / 1024 / 1024, 1)} MB."
