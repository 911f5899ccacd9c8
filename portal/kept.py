"""What an upload's preview keeps for its confirmation: in the default storage, never in the session.

An import is previewed, then confirmed by a second request. Between the two, the preview keeps
what the confirmation needs (the rows it parsed, or the file itself) under a random name in the
default storage (the disk, or the S3 bucket), and only that name goes into the session: a 10 MB
file base64-encoded in a database session row weighed on every request of that user.

``keep`` stores, ``take`` reads and deletes (once), ``forget`` deletes what a previous preview
kept. A preview never confirmed leaves its file behind: ``manage.py housekeeping`` deletes those
older than a day (``prune``).
"""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from portal import housekeeping

FOLDER = "imports"


def keep(request, key, data, suffix):
    """Stores ``data`` (bytes) for the session's next ``take(request, key)``, replacing what an
    earlier preview kept under ``key``."""
    forget(request, key)
    name = default_storage.save(f"{FOLDER}/{secrets.token_urlsafe(24)}{suffix}", ContentFile(data))
    request.session[key] = name


def take(request, key):
    """The bytes kept under ``key``, deleted from the storage and the session; None if there are
    none (confirmed already, or never previewed). OSError if the storage lost them."""
    name = request.session.pop(key, None)
    if name is None:
        return None
    try:
        with default_storage.open(name, "rb") as kept:
            return kept.read()
    finally:
        default_storage.delete(name)


def forget(request, key):
    name = request.session.pop(key, None)
    if name:
        default_storage.delete(name)


def prune(days=1):
    """Deletes kept files older than ``days``: previews never confirmed. Returns how many."""
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    cut_off, deleted = housekeeping.days_ago(days), 0
    for name in names:
        path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cut_off:
            default_storage.delete(path)
            deleted += 1
    return deleted
