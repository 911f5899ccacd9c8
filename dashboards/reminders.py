"""Reminders to communes that have not yet sent (or must send again) their report."""

from django.core.mail import send_mass_mail
from django.utils import timezone

from dashboards.completeness import completeness, deadline_phrase
from portal import vietnamese
from portal.models import ReminderLog, Role, User


def send_reminders(request, sender, now=None):
    """E-mail every user with an address in the communes still missing; log it. Returns the log."""
    now = now or timezone.now()
    state = completeness(request, now)
    missing = state["missing"]
    users = User.objects.filter(role=Role.COMMUNE, commune__in=missing, is_active=True).exclude(email="")
    subject = f"Nhắc nộp báo cáo theo {request}"
    phrase = deadline_phrase(state["days_left"])
    messages = [
        (
            subject,
            f"Kính gửi {user}:\n\nĐơn vị của Anh/Chị chưa hoàn thành báo cáo theo {request} "
            f"về việc {request.subject}. Hạn nộp: {vietnamese.citation_date(timezone.localtime(request.deadline))} "
            f"({phrase}).\n\nĐề nghị đăng nhập Cổng Tổ công nghệ số cộng đồng để hoàn thành và gửi báo cáo.\n\n"
            f"{request.issuer}",
            None,
            [user.email],
        )
        for user in users
    ]
    send_mass_mail(messages, fail_silently=False)
    return ReminderLog.objects.create(
        request=request, sent_by=sender, sent_at=now, communes=len(missing), recipients=len(messages)
    )
