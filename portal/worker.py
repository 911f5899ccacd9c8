"""The background worker's heartbeat, and the recovery of tasks whose worker died.

django-tasks-db marks a task RUNNING when a worker claims it and leaves it so if that worker is
killed (SIGKILL, out of memory, power): nothing would ever run it again. ``manage.py worker``
(portal/management/commands/worker.py) therefore writes a heartbeat every
WORKER_HEARTBEAT_SECONDS and, at the same pace, puts back in the queue every running task whose
worker has been silent for WORKER_STALE_SECONDS. Tasks must then be idempotent: a task put back
runs again from the start (dashboards/reminders.py skips what it had already done).
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from portal.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat(worker_id, started_at=None):
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname(), "pid": os.getpid(), "seen_at": now},
        create_defaults={
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "seen_at": now,
            "started_at": started_at or now,
        },
    )


def forget_dead_on_this_host():
    """Drops the heartbeats of workers of this machine whose process is gone (a restart after SIGKILL),
    so that their tasks are queued again at once rather than after WORKER_STALE_SECONDS."""
    dead = []
    for worker_id, pid in WorkerHeartbeat.objects.filter(host=socket.gethostname()).values_list("worker_id", "pid"):
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            dead.append(worker_id)
        except PermissionError:  # another user's process: alive
            pass
    WorkerHeartbeat.objects.filter(worker_id__in=dead).delete()
    return len(dead)


def requeue_abandoned(now=None):
    """Puts running tasks whose worker stopped beating back in the queue; returns how many.

    The heartbeats are read after the running tasks: a worker beats before it claims a task, so
    every worker whose claim this sees has its heartbeat seen too. Read the other way round, a
    worker starting between the two reads had its first task queued a second time.
    """
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    requeued = 0
    with transaction.atomic():
        running = list(DBTaskResult.objects.running().select_for_update(skip_locked=True))
        fresh = WorkerHeartbeat.objects.filter(seen_at__gte=now - timedelta(seconds=settings.WORKER_STALE_SECONDS))
        alive = set(fresh.values_list("worker_id", flat=True))
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            logger.warning(
                "task %s (%s) lost its worker %s: queued again", result.id, result.task_path, result.worker_ids
            )
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued += 1
    # Heartbeats of workers gone for a day are of no use to anyone.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return requeued


def last_heartbeat():
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


class Heartbeat(threading.Thread):
    """A daemon thread of the worker process: beats, and recovers abandoned tasks."""

    def __init__(self, worker_id):
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                close_old_connections()
                beat(self.worker_id)
                requeue_abandoned()
            except Exception:  # the database may be restarting: try again at the next beat
                logger.exception("worker heartbeat failed")
        connection.close()
