"""Reminders to communes that have not yet sent (or must send again) their report.

The page asks for them (``enqueue_reminders``: a ReminderLog in state "queued") and a background
task sends them (``send_reminders_task``). The task is idempotent: each e-mail sent is recorded as
a ReminderDelivery (unique per log and user) right after it leaves, and a run skips the users
already recorded, so a task run again after its worker died (portal/worker.py) finishes the
list without writing to anyone twice; only the one message in flight at the moment of the crash
may be sent again.
"""

from django.core import mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from dashboards.completeness import completeness, deadline_phrase
from portal import vietnamese
from portal.models import ReminderDelivery, ReminderLog, Role, User


class AlreadySending(Exception):
    """A reminder of this request is still queued or being sent."""


def enqueue_reminders(request, sender, now=None):
    """Records the reminder and queues its task; returns the log (already sent with the immediate backend)."""
    now = now or timezone.now()
    with transaction.atomic():
        # One reminder at a time per request: the row lock makes a double click wait for the first.
        type(request).objects.select_for_update().get(pk=request.pk)
        if ReminderLog.objects.filter(
            request=request, status__in=[ReminderLog.Status.QUEUED, ReminderLog.Status.SENDING]
        ).exists():
            raise AlreadySending
        missing = completeness(request, now)["missing"]
        log = ReminderLog.objects.create(
            request=request,
            sent_by=sender,
            sent_at=now,
            communes=len(missing),
            recipients=0,
            status=ReminderLog.Status.QUEUED,
        )
        ReminderLog.objects.filter(pk=log.pk).update(task_id=str(send_reminders_task.enqueue(log.pk).id))
    log.refresh_from_db()
    return log


@task
def send_reminders_task(log_id):
    """Sends the reminder e-mails of one ReminderLog; safe to run again. Returns the number of recipients."""
    log = ReminderLog.objects.select_related("request").get(pk=log_id)
    if log.status == ReminderLog.Status.SENT:
        return log.recipients
    ReminderLog.objects.filter(pk=log.pk).update(status=ReminderLog.Status.SENDING)
    try:
        recipients = _deliver(log)
    except Exception:
        ReminderLog.objects.filter(pk=log.pk).update(
            status=ReminderLog.Status.FAILED,
            recipients=ReminderDelivery.objects.filter(log=log).count(),
            finished_at=timezone.now(),
        )
        raise
    ReminderLog.objects.filter(pk=log.pk).update(
        status=ReminderLog.Status.SENT, recipients=recipients, finished_at=timezone.now()
    )
    return recipients


def _deliver(log):
    request = log.request
    state = completeness(request, log.sent_at)
    users = (
        User.objects.filter(role=Role.COMMUNE, commune__in=state["missing"], is_active=True)
        .exclude(email="")
        .exclude(pk__in=ReminderDelivery.objects.filter(log=log).values("user_id"))
        .order_by("pk")
    )
    subject = f"Nhắc nộp báo cáo theo {request}"
    phrase = deadline_phrase(request.deadline, log.sent_at)
    deadline = vietnamese.short_date(timezone.localtime(request.deadline))
    for user in users:
        body = (
            f"Kính gửi {user}:\n\nĐơn vị của Anh/Chị chưa hoàn thành báo cáo theo {request} "
            f"về việc {request.subject}. Hạn nộp: {deadline} ({phrase}).\n\n"
            f"Đề nghị đăng nhập Cổng Tổ công nghệ số cộng đồng để hoàn thành và gửi báo cáo.\n\n"
            f"{request.issuer}"
        )
        mail.EmailMessage(subject, body, to=[user.email]).send()
        try:
            with transaction.atomic():
                ReminderDelivery.objects.create(log=log, user=user, sent_at=timezone.now())
        except IntegrityError:  # another run of this task recorded it first
            pass
    return ReminderDelivery.objects.filter(log=log).count()
