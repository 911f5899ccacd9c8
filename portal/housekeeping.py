"""What the portal keeps only for a while, deleted once it is old: ``manage.py housekeeping``.

Every night (deploy/portal-housekeeping.timer, or cron) the command runs each cleaner and prints
how many things it removed. Without it, tables that only ever grow would: a session row for
every login, a login record and a failure record for every attempt (django-axes), a finished
background task for every reminder and file, a one-time link for every account created.

Each app registers its own cleaners in its AppConfig.ready, as the apps above register their
file builders with exports.jobs: this floor never imports the apps above it. Registered here:
- expired sessions (what Django's ``clearsessions`` does);
- background tasks finished more than TASK_RESULT_KEEP_DAYS days ago (never one queued or running).
By accounts/apps.py: login, logout and failure records older than LOGIN_LOG_KEEP_DAYS (the login
audit reads them), and one-time links used or expired more than ONE_TIME_LINK_KEEP_DAYS days ago.
By exports/apps.py: files made in the background more than EXPORT_KEEP_DAYS days ago.
"""

import importlib
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

CLEANERS = {}


def register(label, cleaner):
    """``cleaner()`` deletes what is old and returns how many things it deleted; ``label`` names
    them in Vietnamese for the command's output ("phiên đăng nhập đã hết hạn")."""
    CLEANERS[label] = cleaner


def run():
    """Runs every cleaner; returns {label: number deleted}, in the order they were registered."""
    return {label: cleaner() for label, cleaner in CLEANERS.items()}


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def expired_sessions():
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore
    if hasattr(store, "get_model_class"):  # sessions in the database (the portal's): counted
        return store.get_model_class().objects.filter(expire_date__lt=timezone.now()).delete()[0]
    store.clear_expired()
    return 0


def finished_tasks():
    from django_tasks_db.models import DBTaskResult

    old = DBTaskResult.objects.finished().filter(finished_at__lt=days_ago(settings.TASK_RESULT_KEEP_DAYS))
    return old.delete()[0]
