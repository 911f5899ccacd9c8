"""The department's summary of a request: preview and editing; its PDF and the appendix as .xlsx
are made in the background (reports/summary_files.py) and downloaded from their job's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from exports import jobs
from reports import rendering, summary_files
from reports.forms import ProvinceSummaryForm


@login_required
def summary_detail(request, pk):
    province_summary = summary_files.summary_for(request.user, pk)
    document = rendering.document_context(summary_files.document(province_summary))
    context = {"summary": province_summary, "document": document, "body": rendering.SUMMARY_BODY, **rendering.assets()}
    return render(request, "reports/summary_detail.html", context)


@login_required
def summary_edit(request, pk):
    province_summary = summary_files.summary_for(request.user, pk)
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
@require_POST
def summary_pdf(request, pk):
    province_summary = summary_files.summary_for(request.user, pk)
    title = f"Báo cáo tổng hợp theo {province_summary.request.citation} (PDF)"
    return redirect(jobs.start(request.user, summary_files.SUMMARY_PDF, {"request": pk}, title))


@login_required
@require_POST
def summary_xlsx(request, pk):
    province_summary = summary_files.summary_for(request.user, pk)
    title = f"Phụ lục báo cáo tổng hợp theo {province_summary.request.citation} (Excel)"
    return redirect(jobs.start(request.user, summary_files.SUMMARY_XLSX, {"request": pk}, title))
