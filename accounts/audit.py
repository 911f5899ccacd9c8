"""The login audit: django-axes' records of logins, logouts and failures, as one list of events.

Administrators see every event; department staff those of their province's users (failures
for user names that belong to nobody are shown to administrators only).
"""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessFailureLog, AccessLog

from portal.models import User
from portal.roles import Role

RECENT = 500  # events of each kind read for the page: the audit shows the recent past


@dataclass
class Event:
    time: datetime
    kind: str
    username: str
    address: str


def events_for(viewer, search=""):
    logs, failures = AccessLog.objects.all(), AccessFailureLog.objects.all()
    if viewer.role != Role.ADMIN:
        names = list(User.objects.filter(province_id=viewer.province_id).values_list("username", flat=True))
        names += [name.lower() for name in names]
        logs, failures = logs.filter(username__in=names), failures.filter(username__in=names)
    if search:
        logs, failures = logs.filter(username__icontains=search), failures.filter(username__icontains=search)
    events = []
    for log in logs.order_by("-attempt_time")[:RECENT]:
        events.append(Event(log.attempt_time, "Đăng nhập", log.username, log.ip_address))
        if log.logout_time:
            events.append(Event(log.logout_time, "Đăng xuất", log.username, log.ip_address))
    for failure in failures.order_by("-attempt_time")[:RECENT]:
        kind = "Bị tạm khóa (sai quá nhiều lần)" if failure.locked_out else "Đăng nhập sai"
        events.append(Event(failure.attempt_time, kind, failure.username, failure.ip_address))
    return sorted(events, key=lambda event: event.time, reverse=True)
