"""Notices on a commune's home page: reports due soon, overdue, or returned for changes."""

from django import template
from django.utils import timezone

from dashboards.completeness import days_left, deadline_phrase
from reports.models import Report, ReportRequest

register = template.Library()


@register.inclusion_tag("partials/commune_notice_list.html")
def commune_notices(commune):
    """Open requests the commune has not answered yet, and reports returned to it. Two queries."""
    now = timezone.now()
    reports = {r.request_id: r for r in Report.objects.filter(commune=commune).only("request_id", "status")}
    notices = []
    for request in ReportRequest.objects.filter(communes=commune).order_by("deadline"):
        report = reports.get(request.pk)
        if report is not None and report.status == Report.Status.RETURNED:
            notices.append(
                {"level": "danger", "request": request, "text": "Báo cáo bị trả lại, đề nghị chỉnh sửa và gửi lại"}
            )
        elif report is None or report.status == Report.Status.DRAFT:
            days = days_left(request.deadline, now)
            if days <= 14:
                notices.append(
                    {
                        "level": "danger" if now > request.deadline else "warning",
                        "request": request,
                        "text": deadline_phrase(request.deadline, now).capitalize(),
                    }
                )
    return {"notices": notices}
