"""The province summary's files, made in the background (exports.jobs; registered in reports/apps.py):
its PDF (7 or 8 pages, about a second to lay out) and its appendix as .xlsx."""

from django.core.files import File
from django.core.files.base import ContentFile
from django.shortcuts import get_object_or_404
from django.utils import timezone

from exports.jobs import Built
from portal import permissions, xlsx
from reports import rendering, summary
from reports.models import ReportRequest

SUMMARY_PDF = "reports.summary_pdf"  # kinds of exports.models.Export
SUMMARY_XLSX = "reports.summary_xlsx"


def request_in_scope(user, params):
    """The request a summary file is of, if ``user`` may see its summary: its department and administrators."""
    queryset = ReportRequest.objects.visible_to(user).select_related("province")
    report_request = get_object_or_404(queryset, pk=params["request"])
    permissions.require(user, "summary.view")
    return report_request


def summary_for(user, pk):
    """The request's summary (stored, or new with the usual wording), for its department and administrators."""
    return summary.new_summary(request_in_scope(user, {"request": pk}))


def document(province_summary):
    figures = summary.summary_figures(province_summary.request)
    return summary.summary_document(province_summary, figures, timezone.localdate())


def pdf_file(user, params):
    pk = params["request"]
    pdf = rendering.summary_pdf(document(summary_for(user, pk)))
    filename = f"bao-cao-tong-hop-{pk}.pdf"
    return Built(filename, ContentFile(pdf, name=filename))


def xlsx_file(user, params):
    pk = params["request"]
    figures = summary.summary_figures(summary_for(user, pk).request)
    columns, rows = summary.appendix_columns(figures), summary.appendix_rows(figures)
    filename = f"phu-luc-tong-hop-{pk}.xlsx"
    return Built(filename, File(xlsx.write(columns, rows, "Phụ lục", total_row=True), name=filename))
