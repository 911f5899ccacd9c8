"""/healthz: may this app server take requests? For load balancers and monitoring; no login, nothing secret.

200 when the database answers, every migration is applied and the file store takes a write;
503 naming what failed otherwise. A write that worked is trusted for STORAGE_CHECK_SECONDS: a load
balancer asks every few seconds, and each answer must not cost the object store a write and a
delete (a failed write is never trusted: the next request tries again).

The background worker's last heartbeat is reported too, with its age, but a silent worker does
not fail the check: the web servers still serve, and taking them out of the load balancer would
not bring the worker back ("status": "degraded" says it).
"""

import socket
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

STORAGE_CHECK_SECONDS = 30

_migrations_applied = False  # once true in a process, it stays true until the code changes (a restart)
_storage_written_at = None  # time.monotonic() of this process's last write that worked


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _migrations():
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise RuntimeError(f"{len(pending)} pending")
        _migrations_applied = True
    return "ok"


def _storage():
    global _storage_written_at
    now = time.monotonic()
    if _storage_written_at is not None and now - _storage_written_at < STORAGE_CHECK_SECONDS:
        return "ok"
    _storage_written_at = None
    name = default_storage.save(f"healthz/{socket.gethostname()}-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    _storage_written_at = now
    return "ok"


def _forget_the_store(setting, **kwargs):
    """Another store (a test's settings, a reconfigured server) has not been written yet."""
    global _storage_written_at
    if setting in ("STORAGES", "MEDIA_ROOT"):
        _storage_written_at = None


setting_changed.connect(_forget_the_store)


def _worker():
    from portal.worker import last_heartbeat

    if settings.TASKS_BACKEND != "database":
        return {"state": "not used", "backend": settings.TASKS_BACKEND}
    seen = last_heartbeat()
    if seen is None:
        return {"state": "never seen", "heartbeat_age_seconds": None}
    age = round((timezone.now() - seen).total_seconds(), 1)
    return {"state": "ok" if age <= settings.WORKER_STALE_SECONDS else "stale", "heartbeat_age_seconds": age}


@never_cache
@require_safe
def healthz(request):
    body = {"checks": {}, "failed": []}
    for name, check in (("database", _database), ("migrations", _migrations), ("storage", _storage)):
        if name == "migrations" and "database" in body["failed"]:
            body["checks"][name] = "not checked"
            continue
        try:
            body["checks"][name] = check()
        except Exception as error:  # the kind of failure only: messages may hold host names
            body["checks"][name] = type(error).__name__ if name != "migrations" else str(error)
            body["failed"].append(name)
    try:
        body["worker"] = _worker() if "database" not in body["failed"] else {"state": "not checked"}
    except Exception as error:
        body["worker"] = {"state": type(error).__name__}
    if body["failed"]:
        body["status"] = "fail"
    elif body["worker"].get("state") in ("stale", "never seen"):
        body["status"] = "degraded"
    else:
        body["status"] = "ok"
    return JsonResponse(body, status=503 if body["failed"] else 200, json_dumps_params={"ensure_ascii": False})
