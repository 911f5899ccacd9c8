"""The indicator catalogue: administrators keep the national one, department staff their province's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from portal import permissions
from reports.forms import IndicatorForm
from reports.models import Indicator


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
