"""Report requests (department staff) and reports (communes), one view per action."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal import permissions
from portal.text import as_id
from reports import rendering, workflow
from reports.forms import OutlineFormSet, ProvinceChoiceForm, ReasonForm, ReportForm, RequestForm
from reports.models import Indicator, Report, ReportRequest, SignedDocument
from reports.signing.views import signing_options, version_for
from teams.models import Commune


@login_required
def request_list(request):
    """The requests the user may see. A commune sees those still open for it (all with ?tat-ca),
    with its own report's state next to each."""
    requests = ReportRequest.objects.visible_to(request.user).select_related("province").distinct()
    show_all = "tat-ca" in request.GET
    if request.user.commune_id:
        if not show_all:
            requests = requests.open_for(request.user.commune_id)
        mine = Report.objects.filter(commune_id=request.user.commune_id)
        requests = requests.prefetch_related(Prefetch("reports", queryset=mine, to_attr="own_reports"))
    return render(request, "reports/request_list.html", {"requests": requests, "show_all": show_all})


@login_required
def request_create(request):
    permissions.require(request.user, "request.create")
    province = request.user.province
    if province is None:  # an administrator: the province comes from the query string
        chooser = ProvinceChoiceForm(request.GET or None)
        if not chooser.is_valid():
            return render(request, "reports/request_province.html", {"form": chooser})
        province = chooser.cleaned_data["province"]
    form = RequestForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        report_request = form.save(commit=False)
        report_request.province = province
        report_request.created_by = request.user
        outline = form.outline()
        report_request.document_type = outline["document_type"]
        report_request.numbering = outline["numbering"]
        report_request.save()
        form.save_m2m()
        report_request.set_outline(outline["sections"])
        messages.success(request, f"Đã tạo yêu cầu báo cáo theo {report_request.citation}.")
        return redirect("reports:request_detail", pk=report_request.pk)
    return render(request, "reports/request_form.html", {"form": form, "province": province})


# The department's view of a request: each status with its count, the one waiting first.
NOT_STARTED = "chua-soan"
STATUS_FILTERS = {
    Report.Status.SUBMITTED: "Chờ tiếp nhận",
    Report.Status.ACCEPTED: "Đã tiếp nhận",
    Report.Status.RETURNED: "Bị trả lại",
    Report.Status.DRAFT: "Đang soạn",
    NOT_STARTED: "Chưa soạn",
}


@login_required
def request_detail(request, pk):
    """A request and, for the department, every asked commune's report (one row each)."""
    report_request = get_object_or_404(ReportRequest.objects.visible_to(request.user), pk=pk)
    communes = Commune.objects.visible_to(request.user).filter(report_requests=report_request)
    reports = Report.objects.visible_to(request.user).filter(request=report_request).select_related("request")
    reports = {r.commune_id: r for r in reports}
    rows = [(commune, reports.get(commune.pk)) for commune in communes]
    counts = Counter(report.status if report else NOT_STARTED for _, report in rows)
    shown = request.GET.get("trang_thai", "")
    if shown in STATUS_FILTERS:
        rows = [(commune, report) for commune, report in rows if (report.status if report else NOT_STARTED) == shown]
    else:
        shown = ""
    context = {
        "report_request": report_request,
        "rows": rows,
        "sections": report_request.numbered_sections(),
        "status_filters": [(value, label, counts[value]) for value, label in STATUS_FILTERS.items()],
        "total": sum(counts.values()),
        "shown": shown,
        "waiting": counts[Report.Status.SUBMITTED],
    }
    return render(request, "reports/request_detail.html", context)


@login_required
def request_outline(request, pk):
    """The department reorders, renames, adds or removes the sections of a request's outline."""
    report_request = get_object_or_404(ReportRequest.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "request.edit_outline")
    initial = [
        {
            "key": s["key"],
            "kind": s["kind"],
            "title": s["title"],
            "guidance": s.get("guidance", ""),
            "level": s.get("level") or 1,
            "ORDER": n,
        }
        for n, s in enumerate(report_request.outline, start=1)
    ]
    formset = OutlineFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        catalogue = Indicator.objects.for_province(report_request.province_id).filter(active=True)
        report_request.set_outline(formset.sections(report_request.outline, catalogue.values_list("code", flat=True)))
        messages.success(request, "Đã lưu đề cương. Báo cáo đã gửi không thay đổi.")
        return redirect("reports:request_detail", pk=report_request.pk)
    return render(request, "reports/request_outline.html", {"report_request": report_request, "formset": formset})


@login_required
@require_POST
def report_start(request, pk):
    """The commune opens (or creates) its report for a request."""
    report_request = get_object_or_404(ReportRequest.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "report.start")
    commune = get_object_or_404(report_request.communes.all(), pk=request.user.commune_id)
    report = workflow.start(report_request, commune, request.user)
    return redirect("reports:report_edit", pk=report.pk)


def _report(request, pk):
    queryset = Report.objects.visible_to(request.user).select_related("request", "commune__province")
    return get_object_or_404(queryset, pk=pk)


@login_required
def report_detail(request, pk):
    """The report as a document, its workflow steps, and each submitted version with its signed copies."""
    report = _report(request, pk)
    documents = SignedDocument.objects.select_related("uploaded_by")
    versions = list(
        report.versions.select_related("submitted_by").prefetch_related(Prefetch("signed_documents", documents))
    )
    context = {
        "report": report,
        "document": rendering.document_context(rendering.current_content(report)),
        "events": report.events.select_related("actor", "version"),
        "versions": versions,
        "signable": versions[-1] if versions and versions[-1].is_signable else None,
        **signing_options(request.user, report.commune_id),
        **rendering.assets(),
    }
    return render(request, "reports/report_detail.html", context)


@login_required
def report_edit(request, pk):
    report = _report(request, pk)
    permissions.require(request.user, "report.edit")
    if not report.is_editable:
        messages.error(request, "Báo cáo đã gửi hoặc đã được tiếp nhận nên không sửa được nữa.")
        return redirect("reports:report_detail", pk=report.pk)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        edited.prose = form.prose()
        try:
            workflow.save_draft(edited, form.cleaned_data["revision"], form.indicator_values())
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Đã lưu báo cáo.")
            for warning in form.warnings:
                messages.warning(request, warning)
            return redirect("reports:report_detail", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form, "report": report})


def _step(request, report, step, success, *args):
    """Run one workflow step and say how it went."""
    try:
        step(report, request.user, *args)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("reports:report_detail", pk=report.pk)


@login_required
@require_POST
def report_submit(request, pk):
    report = _report(request, pk)
    permissions.require(request.user, "report.submit")
    return _step(request, report, workflow.submit, "Đã gửi báo cáo. Số liệu trong báo cáo đã được chốt.")


def _reason(request):
    """(reason, None), or ("", why the reason typed cannot be kept); a missing reason is the workflow's to refuse."""
    form = ReasonForm(request.POST)
    if form.is_valid() or form.has_error("reason", "required"):
        return form.cleaned_data.get("reason", ""), None
    return "", form.errors["reason"][0]


@login_required
@require_POST
def report_return(request, pk):
    report = _report(request, pk)
    permissions.require(request.user, "report.review")
    reason, problem = _reason(request)
    if problem:
        messages.error(request, problem)
        return redirect("reports:report_detail", pk=report.pk)
    return _step(request, report, workflow.return_for_changes, "Đã trả lại báo cáo để xã chỉnh sửa.", reason)


@login_required
@require_POST
def report_accept(request, pk):
    report = _report(request, pk)
    permissions.require(request.user, "report.review")
    return _step(request, report, workflow.accept, "Đã tiếp nhận báo cáo.")


@login_required
@require_POST
def report_reopen(request, pk):
    report = _report(request, pk)
    permissions.require(request.user, "report.review")
    reason, problem = _reason(request)
    if problem:
        messages.error(request, problem)
        return redirect("reports:report_detail", pk=report.pk)
    return _step(request, report, workflow.reopen, "Đã mở lại báo cáo; xã có thể chỉnh sửa và gửi lại.", reason)


@login_required
@require_POST
def report_accept_many(request, pk):
    """Accept the ticked reports of one request at once (only those waiting are accepted)."""
    report_request = get_object_or_404(ReportRequest.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "report.review")
    ids = [as_id(value) for value in request.POST.getlist("reports")]
    reports = Report.objects.visible_to(request.user).filter(request=report_request, pk__in=ids)
    try:
        accepted = workflow.accept_many(reports, request.user)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Đã tiếp nhận {accepted} báo cáo.")
    return redirect("reports:request_detail", pk=report_request.pk)


@login_required
def report_print(request, pk):
    """The document alone, for the browser's print: a draft as it is now, a sent report as it was sent."""
    report = _report(request, pk)
    return HttpResponse(rendering.current_html(report))


@login_required
def report_pdf(request, pk):
    report = _report(request, pk)
    return rendering.pdf_response(rendering.current_pdf(report), f"bao-cao-{report.commune.codename}.pdf")


@login_required
def version_print(request, pk):
    return HttpResponse(rendering.version_html(version_for(request.user, pk)))


@login_required
def version_pdf(request, pk):
    version = version_for(request.user, pk)
    filename = f"bao-cao-{version.report.commune.codename}-lan-{version.number}.pdf"
    return rendering.pdf_response(rendering.version_pdf(version), filename)
