"""The indicator catalogue: administrators keep the national one, department staff their province's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal import permissions
from reports.forms import CommuneTargetForm, IndicatorForm, TargetsForm
from reports.models import Indicator, ReportRequest


@login_required
def indicator_list(request):
    permissions.require(request.user, "indicator.trend")
    indicators = Indicator.objects.visible_to(request.user).select_related("province")
    return render(request, "reports/indicator_list.html", {"indicators": indicators})


@login_required
def indicator_create(request):
    permissions.require(request.user, "indicator.manage")
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        indicator = form.save(commit=False)
        # A department's indicator is its province's; an administrator's joins the national catalogue.
        indicator.province_id = request.user.province_id
        indicator.created_by = request.user
        indicator.save()
        messages.success(request, f"Đã thêm chỉ tiêu «{indicator.name}».")
        return redirect("reports:indicator_list")
    return render(request, "reports/indicator_form.html", {"form": form})


@login_required
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "indicator.manage", indicator)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Đã lưu chỉ tiêu «{indicator.name}».")
        return redirect("reports:indicator_list")
    return render(request, "reports/indicator_form.html", {"form": form, "indicator": indicator})


def _targets_request(request, pk):
    report_request = get_object_or_404(ReportRequest.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "request.edit_outline")
    return report_request


@login_required
def request_targets(request, pk):
    """The department sets the request's targets, and communes' own ones, until the deadline."""
    report_request = _targets_request(request, pk)
    form = TargetsForm(request.POST if request.method == "POST" else None, report_request=report_request)
    if request.method == "POST":
        if report_request.is_past_deadline:
            messages.error(request, "Đã quá hạn nộp nên không sửa mục tiêu được nữa.")
            return redirect("reports:request_targets", pk=report_request.pk)
        if form.is_valid():
            form.save()
            messages.success(request, "Đã lưu mục tiêu.")
            return redirect("reports:request_targets", pk=report_request.pk)
    context = {
        "report_request": report_request,
        "form": form,
        "commune_form": CommuneTargetForm(report_request=report_request),
        "commune_targets": report_request.targets.filter(commune__isnull=False).select_related("commune"),
        "names": {i.code: i.name for i in Indicator.objects.filter(code__in=report_request.indicator_codes())},
    }
    return render(request, "reports/request_targets.html", context)


@login_required
@require_POST
def request_commune_target(request, pk):
    report_request = _targets_request(request, pk)
    if report_request.is_past_deadline:
        messages.error(request, "Đã quá hạn nộp nên không sửa mục tiêu được nữa.")
        return redirect("reports:request_targets", pk=report_request.pk)
    form = CommuneTargetForm(request.POST, report_request=report_request)
    if form.is_valid():
        form.save()
        messages.success(request, f"Đã lưu mục tiêu riêng của {form.cleaned_data['commune'].name}.")
    else:
        errors = "; ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        messages.error(request, f"Chưa lưu mục tiêu riêng: {errors}")
    return redirect("reports:request_targets", pk=report_request.pk)
