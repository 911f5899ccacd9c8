"""Runs manage.py worker as a real process against the test database."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


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
