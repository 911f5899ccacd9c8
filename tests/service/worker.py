"""Runs manage.py worker as a real process against the test database."""

import datetime
import os
import subprocess
import sys

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.models import WorkerHeartbeat


def worker_env(**extra):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_BACKEND": "database",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


def run_worker_batch(timeout=180, **env):
    """One worker process that runs every queued task, then exits; returns its output."""
    process = subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "2"],
        cwd=settings.BASE_DIR,
        env=worker_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    return process.stdout + process.stderr


def killed_while_running(task_id):
    """The task ``task_id`` as a worker killed in the middle of it (SIGKILL) leaves it: running,
    claimed by a worker whose last heartbeat is two minutes old."""
    DBTaskResult.objects.filter(id=task_id).update(
        status="RUNNING", worker_ids=["killed-worker"], started_at=timezone.now()
    )
    WorkerHeartbeat.objects.create(
        worker_id="killed-worker",
        host="elsewhere",
        pid=1,
        started_at=timezone.now() - datetime.timedelta(minutes=5),
        seen_at=timezone.now() - datetime.timedelta(minutes=2),
    )
