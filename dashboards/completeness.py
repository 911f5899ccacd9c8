"""Who has answered a report request, and how: built on Report.status and first_submitted_at."""

from django.utils import timezone

from reports.models import STATUS_LABELS, Report, completeness_status

ORDER = ["accepted", "on_time", "late", "returned", "draft", "not_started"]
MISSING = ("returned", "draft", "not_started")


def completeness(request, now=None):
    """Communes of ``request`` grouped by status, with the days left to the deadline (negative: overdue).

    Two queries whatever the number of communes: the requested communes, and their reports.
    """
    now = now or timezone.now()
    reports = {
        r.commune_id: r
        for r in Report.objects.filter(request=request).only(
            "commune_id", "status", "first_submitted_at", "submitted_at"
        )
    }
    groups = {key: [] for key in ORDER}
    for commune in request.communes.order_by("name"):
        report = reports.get(commune.pk)
        status = completeness_status(report, request) if report else "not_started"
        groups[status].append({"commune": commune, "report": report})
    return {
        "request": request,
        "groups": [(key, STATUS_LABELS[key], groups[key]) for key in ORDER],
        "counts": {key: len(groups[key]) for key in ORDER},
        "total": sum(len(v) for v in groups.values()),
        "missing": [item["commune"] for key in MISSING for item in groups[key]],
        "days_left": days_left(request.deadline, now),
        "deadline_phrase": deadline_phrase(request.deadline, now),
    }


def days_left(deadline, now):
    """Calendar days in Vietnam from ``now``'s day to the deadline's: 0 on the deadline's day (before
    and after its hour), negative once that day has passed."""
    return (timezone.localdate(deadline) - timezone.localdate(now)).days


def deadline_phrase(deadline, now):
    """What the reminders, the notices and the completeness page say of the deadline at ``now``,
    in calendar days as people count them: the day before a deadline at 17:00 is "còn 1 ngày"."""
    days = days_left(deadline, now)
    if days > 0:
        return f"hạn nộp còn {days} ngày"
    if days < 0:
        return f"đã quá hạn nộp {-days} ngày"
    if now <= deadline:
        return f"hôm nay là hạn nộp (trước {timezone.localtime(deadline):%H:%M})"
    return f"đã hết hạn nộp lúc {timezone.localtime(deadline):%H:%M} hôm nay"
