"""Files that take more than a moment to make, made by a background task rather than in the request.

A view calls ``start(user, kind, params, title)``: it records an Export ("Đang chờ") and queues
``build_export``, then sends the user to the Export's page, which reloads itself until the file is
ready. With TASKS_BACKEND=immediate the task runs inside ``start``, so the file is ready at once.

What each kind makes is the upper apps' business: they ``register`` a builder and its check in
their AppConfig.ready (teams: a province's lists; reports: the province summary), so this floor
calls them without importing them. A builder is ``builder(user, params) -> Built`` and scopes what
it reads to ``user`` (``visible_to``, ``permissions.require``) when the file is made: someone who
lost the right in between gets "Lỗi", not the file. The check, ``check(user, params)``, asks the
same of whoever opens the file's page or downloads it, each time (``check_access``): a file made
for a department's staff member is not theirs to download once their account works elsewhere.

The task is idempotent: the file's name comes from the Export's id (a second run overwrites it
rather than leaving a second file), the Export is marked done only after its file is saved, and a
run of an Export already done does nothing. A task whose worker died is put back in the queue by
``manage.py worker`` (portal/worker.py) and simply runs again from the start.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.tasks import task
from django.utils import timezone
from django.utils.text import get_valid_filename

from exports.models import Export

logger = logging.getLogger(__name__)

BUILDERS = {}
CHECKS = {}
REFUSED = "Tài khoản không còn quyền xem dữ liệu của tệp này."
FAILED = "Không tạo được tệp do lỗi của hệ thống. Xin thử lại sau; nếu vẫn lỗi, hãy báo quản trị."


@dataclass
class Built:
    filename: str  # what the user's download is called, e.g. "thanh-vien-hai-phong.xlsx"
    content: File  # closed once stored


def register(kind, builder, check):
    """Makes ``builder(user, params) -> Built`` the maker of the Exports of ``kind``, and
    ``check(user, params)`` what decides whether a user may see what such a file holds: it raises
    PermissionDenied or Http404 when not (the builder makes the same check when it starts)."""
    BUILDERS[kind] = builder
    CHECKS[kind] = check


def check_access(user, export):
    """Raises PermissionDenied or Http404 unless ``user`` may, now, see what ``export`` holds."""
    CHECKS[export.kind](user, export.params)


def start(user, kind, params, title):
    """The Export of ``kind`` with ``params`` for ``user``, queued now, or the one already queued or
    being made for the same request (a double click). Done already with the immediate backend."""
    if kind not in BUILDERS:
        raise KeyError(f"no builder registered for {kind!r}")
    same = Export.objects.filter(user=user, kind=kind, params=params)
    waiting = same.pending().first()
    if waiting:
        return waiting
    try:
        # The Export and its task are saved together: a queued Export always has a task to make it.
        with transaction.atomic():
            export = Export.objects.create(user=user, kind=kind, params=params, title=title[:300])
            result = build_export.enqueue(export.pk)
            Export.objects.filter(pk=export.pk).update(task_id=str(result.id))
    except IntegrityError:  # the same request, a moment earlier from another tab or server
        return same.latest("created_at")
    export.refresh_from_db()
    return export


@task
def build_export(export_id):
    """Makes the file of one Export; safe to run again. Returns the stored file's name."""
    done = Export.objects.filter(pk=export_id, status=Export.Status.DONE).values_list("file", flat=True).first()
    if done:  # made by an earlier run
        return done
    # Committed at once, so that the file's page says "Đang tạo"; never over a file made meanwhile.
    Export.objects.filter(pk=export_id).exclude(status=Export.Status.DONE).update(
        status=Export.Status.RUNNING, started_at=timezone.now()
    )
    try:
        with transaction.atomic():
            # One run at a time: a second one (its worker wrongly thought dead) waits for this
            # lock, then finds the file made. Also a savepoint with the immediate backend, so that
            # a database error in the builder still lets _fail record it.
            export = Export.objects.select_for_update().get(pk=export_id)
            if export.status == Export.Status.DONE:
                return export.file.name
            name = _store(export, BUILDERS[export.kind](export.user, export.params))
            Export.objects.filter(pk=export.pk).update(
                status=Export.Status.DONE, file=name, finished_at=timezone.now(), error=""
            )
    except (PermissionDenied, ObjectDoesNotExist, Http404):  # scope lost since, or the Export pruned
        _fail(export_id, REFUSED)
        return None
    except Exception:
        logger.exception("export %s failed", export_id)
        _fail(export_id, FAILED)
        raise
    try:
        prune()
    except Exception:  # the file is made; old ones go next time
        logger.exception("pruning old exports failed")
    return name


def _store(export, built):
    """Saves the built file under the name of this Export, replacing what an earlier run left."""
    storage = export.file.storage
    name = f"exports/{export.pk}/{get_valid_filename(built.filename)}"
    try:
        storage.delete(name)
        return storage.save(name, built.content)
    finally:
        built.content.close()


def _fail(export_id, message):
    Export.objects.filter(pk=export_id).update(status=Export.Status.FAILED, error=message, finished_at=timezone.now())


def prune(now=None, dry_run=False):
    """Deletes the Exports made (or failed) more than EXPORT_KEEP_DAYS days ago, with their files;
    returns how many. A file is kept its days from when it was made, not asked (one that waited in
    the queue is not deleted as soon as it is ready), and a job still waiting or running is left."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EXPORT_KEEP_DAYS)
    old = Export.objects.exclude(status__in=Export.PENDING).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    if dry_run:
        return old.count()
    count = 0
    for export in old.only("pk", "file"):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
