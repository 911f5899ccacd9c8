"""The department's summary of a request: preview, editing, PDF and the appendix as .xlsx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from portal import permissions, xlsx
from reports import rendering, summary
from reports.forms import ProvinceSummaryForm
from reports.models import ReportRequest


def _summary(request, pk):
    """The request's summary (stored, or new with the usual wording), for its department and administrators."""
    queryset = ReportRequest.objects.visible_to(request.user).select_related("province")
    report_request = get_object_or_404(queryset, pk=pk)
    permissions.require(request.user, "summary.view")
    return summary.new_summary(report_request)


def _document(province_summary):
    figures = summary.summary_figures(province_summary.request)
    return summary.summary_document(province_summary, figures, timezone.localdate())


@login_required
def summary_detail(request, pk):
    province_summary = _summary(request, pk)
    document = rendering.document_context(_document(province_summary))
    context = {"summary": province_summary, "document": document, "body": rendering.SUMMARY_BODY, **rendering.assets()}
    return render(request, "reports/summary_detail.html", context)


@login_required
def summary_edit(request, pk):
    province_summary = _summary(request, pk)
    form = ProvinceSummaryForm(request.POST or None, instance=province_summary)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        edited.prose = form.prose()
        edited.updated_by = request.user
        edited.save()
        messages.success(request, "Đã lưu báo cáo tổng hợp.")
        return redirect("reports:summary_detail", pk=pk)
    return render(request, "reports/summary_form.html", {"form": form, "summary": province_summary})


@login_required
def summary_pdf(request, pk):
    province_summary = _summary(request, pk)
    return rendering.pdf_response(rendering.summary_pdf(_document(province_summary)), f"bao-cao-tong-hop-{pk}.pdf")


@login_required
def summary_xlsx(request, pk):
    province_summary = _summary(request, pk)
    figures = summary.summary_figures(province_summary.request)
    columns, rows = summary.appendix_columns(figures), summary.appendix_rows(figures)
    return xlsx.response(columns, rows, f"phu-luc-tong-hop-{pk}.xlsx", "Phụ lục", total_row=True)
