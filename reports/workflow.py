"""The life of a report: draft → submitted → returned → resubmitted → accepted (→ reopened).

Every step here checks the report's state, changes it, and records a ReportEvent with who and
when. Submitting freezes the document (header, prose and figures) into a ReportVersion. Views
ask portal.permissions before calling; these functions ask it again where the report itself
decides (a commune never reviews its own report) and check the report's state.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal import permissions
from reports import content, rendering
from reports.models import IndicatorValue, Report, ReportEvent, ReportVersion


class WorkflowError(Exception):
    """A step that the report's state does not allow; the message is shown to the user."""


class StaleEdit(WorkflowError):
    """Someone else saved the report after this form was opened."""


def start(request, commune, user):
    """The commune's report for ``request``, created as a draft with the request's defaults."""
    report, created = Report.objects.get_or_create(
        request=request,
        commune=commune,
        defaults={
            "place": commune.short_name,
            "subject": request.report_subject,
            "recipients": content.default_recipients(request, commune),
            "opening": content.default_opening(request, commune),
            "closing": content.default_closing(request, commune),
        },
    )
    if created:
        ReportEvent.objects.create(report=report, kind=ReportEvent.Kind.CREATED, actor=user)
    return report


def _locked(report):
    """The report row, locked for this transaction, so that two steps cannot interleave."""
    return Report.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def save_draft(report, revision, indicator_values=None):
    """Save the edited ``report`` unless someone saved it since ``revision`` was read.

    ``indicator_values``: {indicator code: figure}, a figure being a dict of numerator, denominator,
    share, rate_only and explanation (reports/indicators.py ``check``); None removes the figure.
    """
    current = _locked(report)
    if not current.is_editable:
        raise WorkflowError("Báo cáo đã gửi hoặc đã được tiếp nhận nên không sửa được nữa.")
    if current.revision != revision:
        raise StaleEdit(
            "Báo cáo vừa được người khác lưu sau khi bạn mở trang này, nên chưa lưu được phần bạn sửa. "
            "Nội dung bạn vừa nhập vẫn còn dưới đây: hãy sao chép lại phần cần giữ, mở lại trang rồi lưu."
        )
    # The workflow fields are not the editor's to change: keep what the database says.
    for field in ("status", "first_submitted_at", "submitted_at", "accepted_at"):
        setattr(report, field, getattr(current, field))
    report.revision = revision + 1
    report.save()
    for code, figure in (indicator_values or {}).items():
        if figure is None:
            IndicatorValue.objects.filter(report=report, indicator=code).delete()
        else:
            fields = ("numerator", "denominator", "share", "rate_only", "explanation")
            defaults = {name: figure[name] for name in fields if name in figure}
            IndicatorValue.objects.update_or_create(report=report, indicator=code, defaults=defaults)
    return report


@transaction.atomic
def submit(report, user):
    """Freeze the report into a new version and send it; a returned report is resubmitted."""
    report = _locked(report)
    if not report.is_editable:
        raise WorkflowError("Báo cáo này đã được gửi.")
    now = timezone.now()
    number = report.versions.count() + 1
    version = ReportVersion.objects.create(
        report=report, number=number, content=content.report_content(report), submitted_by=user, submitted_at=now
    )
    kind = ReportEvent.Kind.SUBMITTED if report.first_submitted_at is None else ReportEvent.Kind.RESUBMITTED
    report.first_submitted_at = report.first_submitted_at or now
    report.submitted_at = now
    report.status = Report.Status.SUBMITTED
    report.revision = F("revision") + 1
    report.save()
    report.refresh_from_db()
    ReportEvent.objects.create(report=report, kind=kind, actor=user, at=now, version=version)
    # The PDF sent is rendered once and kept (reports/rendering.py), after the commit so the report's
    # row is not locked while it renders; should that fail, the first download renders it instead.
    transaction.on_commit(lambda: rendering.store_version_pdf(version), robust=True)
    return version


def _check_reviewer(report, user):
    if not permissions.can(user, "report.review", report):
        raise WorkflowError("Xã không được tự tiếp nhận hay trả lại báo cáo của mình.")


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("Cần ghi rõ lý do.")
    return reason


@transaction.atomic
def return_for_changes(report, user, reason):
    reason = _require_reason(reason)
    report = _locked(report)
    _check_reviewer(report, user)
    if report.status != Report.Status.SUBMITTED:
        raise WorkflowError("Chỉ trả lại được báo cáo đang chờ tiếp nhận.")
    report.status = Report.Status.RETURNED
    report.save(update_fields=["status", "updated_at"])
    ReportEvent.objects.create(report=report, kind=ReportEvent.Kind.RETURNED, actor=user, reason=reason)
    return report


@transaction.atomic
def accept(report, user):
    report = _locked(report)
    _check_reviewer(report, user)
    if report.status != Report.Status.SUBMITTED:
        raise WorkflowError("Chỉ tiếp nhận được báo cáo đang chờ tiếp nhận.")
    report.status = Report.Status.ACCEPTED
    report.accepted_at = timezone.now()
    report.save(update_fields=["status", "accepted_at", "updated_at"])
    ReportEvent.objects.create(report=report, kind=ReportEvent.Kind.ACCEPTED, actor=user, at=report.accepted_at)
    return report


@transaction.atomic
def accept_many(reports, user):
    """Accept every report of ``reports`` still waiting once it is locked; returns how many were
    accepted. One returned or accepted by someone else meanwhile is left as it is, not an error
    that would leave the others waiting too."""
    accepted = 0
    for report in reports.filter(status=Report.Status.SUBMITTED).order_by("pk"):
        report = _locked(report)
        if report.status == Report.Status.SUBMITTED:
            accept(report, user)
            accepted += 1
    return accepted


@transaction.atomic
def reopen(report, user, reason):
    """Unlock an accepted report so the commune can correct it; it goes back as returned."""
    reason = _require_reason(reason)
    report = _locked(report)
    _check_reviewer(report, user)
    if report.status != Report.Status.ACCEPTED:
        raise WorkflowError("Chỉ mở lại được báo cáo đã tiếp nhận.")
    report.status = Report.Status.RETURNED
    report.accepted_at = None
    report.save(update_fields=["status", "accepted_at", "updated_at"])
    ReportEvent.objects.create(report=report, kind=ReportEvent.Kind.REOPENED, actor=user, reason=reason)
    return report
