"""An optional PostgreSQL streaming replica for the heavy read-only dashboard queries.

With DATABASE_REPLICA_URL set, settings add a ``replica`` database alias. Nothing goes there by
itself: a view opts in with ``with replica.reads(request): ...`` around its read-only figures
(dashboards/views.py). Writes and every other read stay on the primary, and so does a user who
wrote something in the last RECENT_WRITE_SECONDS (the replica may lag a moment behind): their
next dashboard shows what they just saved.
"""

import contextlib
import contextvars
import time

from django.conf import settings

ALIAS = "replica"
RECENT_WRITE_SECONDS = 10
_reading = contextvars.ContextVar("reading_replica", default=False)
SESSION_KEY = "_last_write"


def configured():
    return ALIAS in settings.DATABASES


@contextlib.contextmanager
def reads(request=None):
    """Reads inside go to the replica, if there is one and the user has not just written."""
    recent = request is not None and time.time() - request.session.get(SESSION_KEY, 0) < RECENT_WRITE_SECONDS
    token = _reading.set(configured() and not recent)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return ALIAS if _reading.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return db != ALIAS  # the replica follows the primary's schema by streaming replication


class RecentWriteMiddleware:
    """Remembers in the session when a user last wrote (a successful POST), only when a replica exists."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            configured()
            and request.method == "POST"
            and response.status_code < 400
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            request.session[SESSION_KEY] = time.time()
        return response
