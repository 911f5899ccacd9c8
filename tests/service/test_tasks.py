"""Reminder e-mails go through the task queue and a real worker process, and survive a dead worker."""

from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dashboards.reminders import send_reminders_task
from portal.models import ReminderDelivery, ReminderLog, WorkerHeartbeat
from reports.models import Report
from teams.models import Commune
from tests.dashboards.helpers import make_request
from tests.service.worker import killed_while_running, run_worker_batch

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FILE_MAIL = "django.core.mail.backends.filebased.EmailBackend"


def _sent_mails(folder):
    """The addresses of every message the worker's file backend wrote."""
    return sorted(
        line.split(":", 1)[1].strip()
        for path in Path(folder).iterdir()
        for line in path.read_text().splitlines()
        if line.startswith("To:")
    )


@pytest.fixture
def request_with_missing(cast):
    extra = Commune.objects.create(province=cast.province_p, code=20900, name="Xã Đã Nộp", codename="d", kind="xa")
    request = make_request(cast, [cast.commune_x, cast.commune_y, extra])
    Report.objects.create(request=request, commune=extra, status="accepted", first_submitted_at=timezone.now())
    for user, address in ((cast.official_x, "x@example.vn"), (cast.official_y, "y@example.vn")):
        user.email = address
        user.save()
    return request


@pytest.mark.django_db(transaction=True)
def test_reminders_wait_in_the_queue_then_a_worker_process_sends_them(
    client, cast, request_with_missing, settings, tmp_path
):
    settings.TASKS = DATABASE_TASKS
    client.force_login(cast.staff_p)
    page_url = reverse("dashboards:completeness", args=[request_with_missing.pk])
    response = client.post(reverse("dashboards:send_reminder", args=[request_with_missing.pk]), follow=True)
    assert "Đang gửi nhắc nhở tới 2 xã/phường" in response.content.decode()
    log = ReminderLog.objects.get()
    assert log.status == "queued" and not mail.outbox
    assert DBTaskResult.objects.get(id=log.task_id).status == "READY"
    assert "Đang chờ gửi nhắc nhở tới 2 xã/phường" in client.get(page_url).content.decode()
    # A second click while the first is waiting queues nothing more.
    response = client.post(reverse("dashboards:send_reminder", args=[request_with_missing.pk]), follow=True)
    assert "Lần nhắc trước đang được gửi" in response.content.decode()
    assert ReminderLog.objects.count() == 1 and DBTaskResult.objects.count() == 1

    run_worker_batch(EMAIL_BACKEND=FILE_MAIL, EMAIL_FILE_PATH=tmp_path)

    log.refresh_from_db()
    assert (log.status, log.recipients, log.communes) == ("sent", 2, 2)
    assert _sent_mails(tmp_path) == ["x@example.vn", "y@example.vn"]
    assert DBTaskResult.objects.get(id=log.task_id).status == "SUCCESSFUL"
    assert WorkerHeartbeat.objects.exists()
    page = client.get(page_url).content.decode()
    assert 'data-reminder-status="sent"' in page and "tới 2 người của 2 xã/phường" in page


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_dead_worker_is_finished_once_by_the_next(
    cast, request_with_missing, settings, tmp_path
):
    """The worker died (SIGKILL) after sending to official_x: the next worker sends only to official_y."""
    settings.TASKS = DATABASE_TASKS
    log = ReminderLog.objects.create(
        request=request_with_missing, sent_by=cast.staff_p, sent_at=timezone.now(), communes=2, recipients=0
    )
    result = send_reminders_task.enqueue(log.pk)
    ReminderLog.objects.filter(pk=log.pk).update(status="sending", task_id=str(result.id))
    ReminderDelivery.objects.create(log=log, user=cast.official_x, sent_at=timezone.now())
    killed_while_running(result.id)

    output = run_worker_batch(EMAIL_BACKEND=FILE_MAIL, EMAIL_FILE_PATH=tmp_path)

    assert "queued again" in output
    log.refresh_from_db()
    assert (log.status, log.recipients) == ("sent", 2)
    assert _sent_mails(tmp_path) == ["y@example.vn"]
    assert ReminderDelivery.objects.filter(log=log).count() == 2
    task_result = DBTaskResult.objects.get(id=result.id)
    assert task_result.status == "SUCCESSFUL" and task_result.worker_ids[0] == "killed-worker"
    # Run once more (a duplicate in the queue): nothing is sent again.
    send_reminders_task.call(log.pk)
    assert ReminderDelivery.objects.filter(log=log).count() == 2


def test_a_task_claimed_by_a_worker_that_just_started_is_left_to_it(cast, request_with_missing, monkeypatch, settings):
    """A worker starting while another one recovers abandoned tasks: it beats, then claims a task,
    both between two of the recovery's queries. The recovery reads the heartbeats after the tasks,
    so it finds the new worker alive and does not queue its task a second time."""
    from django_tasks_db.models import DBTaskResultQuerySet

    from portal.worker import beat, requeue_abandoned

    settings.TASKS = DATABASE_TASKS
    log = ReminderLog.objects.create(
        request=request_with_missing, sent_by=cast.staff_p, sent_at=timezone.now(), communes=2, recipients=0
    )
    task = send_reminders_task.enqueue(log.pk)
    running = DBTaskResultQuerySet.running

    def new_worker_claims_first(queryset):
        if not WorkerHeartbeat.objects.filter(worker_id="new-worker").exists():
            beat("new-worker")
            DBTaskResult.objects.filter(id=task.id).update(
                status="RUNNING", worker_ids=["new-worker"], started_at=timezone.now()
            )
        return running(queryset)

    monkeypatch.setattr(DBTaskResultQuerySet, "running", new_worker_claims_first)
    assert requeue_abandoned() == 0
    assert DBTaskResult.objects.get(id=task.id).status == "RUNNING"
