import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dashboards import figures, indicator_figures, indicator_trends
from dashboards.completeness import completeness as completeness_of
from dashboards.forms import PeriodForm
from dashboards.reminders import AlreadySending, enqueue_reminders
from portal import permissions, replica, scoping, xlsx
from portal.models import ReminderLog
from portal.text import as_id
from portal.vietnamese import number
from reports.models import Indicator, Report, ReportRequest
from teams.models import Province

LINK_SENTINEL = 2_147_483_647  # an id no commune has, replaced in the one reversed URL
COMMUNE_COLUMNS = [
    xlsx.Column("Xã/phường", 32),
    xlsx.Column("Số thôn, tổ dân phố", 14, xlsx.INTEGER),
    xlsx.Column("Số thôn có Tổ", 14, xlsx.INTEGER),
    xlsx.Column("Tỷ lệ thôn có Tổ (%)", 14, xlsx.PERCENT),
    xlsx.Column("Số Tổ CNSCĐ", 12, xlsx.INTEGER),
    xlsx.Column("Số thành viên", 12, xlsx.INTEGER),
    xlsx.Column("Số hoạt động", 12, xlsx.INTEGER),
    xlsx.Column("Số người được hỗ trợ", 14, xlsx.INTEGER),
    xlsx.Column("Tình trạng báo cáo", 20),
]
PROVINCE_COLUMNS = [
    xlsx.Column("Tỉnh/thành phố", 28),
    xlsx.Column("Số xã/phường", 12, xlsx.INTEGER),
    xlsx.Column("Số xã/phường có Tổ", 14, xlsx.INTEGER),
    xlsx.Column("Số Tổ CNSCĐ", 12, xlsx.INTEGER),
    xlsx.Column("Số thành viên", 12, xlsx.INTEGER),
    xlsx.Column("Số hoạt động", 12, xlsx.INTEGER),
    xlsx.Column("Số người được hỗ trợ", 14, xlsx.INTEGER),
]
COMPLETENESS_COLUMNS = [
    xlsx.Column("Xã/phường", 32),
    xlsx.Column("Tình trạng", 20),
    xlsx.Column("Gửi lần đầu", 14, xlsx.DATE),
]


def _period(request):
    """The period form bound to the query string (this year when empty), and its dates."""
    year = timezone.localdate().year
    form = PeriodForm(request.GET if "kind" in request.GET else {"kind": "year", "year": year})
    if form.is_valid():
        return (form, *form.period())
    return form, datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@login_required
def province_dashboard(request, pk):
    province = get_object_or_404(Province.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "dashboard.province")
    form, start, end = _period(request)
    with replica.reads(request):  # the heavy read-only figures: on the replica, if there is one
        indicators = indicator_figures.for_province(province, start, end, request.GET.get("chi_tieu", ""))
        if request.GET.get("xuat") in indicator_figures.EXPORTS and indicators["figures"]:
            return indicator_figures.export(indicators["figures"], request.GET["xuat"], province)
        data = figures.province_dashboard(province, start, end)
    order = request.GET.get("sap_xep", "name")
    data["rows"] = figures.sort_rows(data["rows"], order)
    if request.GET.get("xuat") == "xlsx":
        keys = ("name", "villages", "covered", "coverage", "teams", "members", "activities", "people", "status_label")
        rows = ([r[key] for key in keys] for r in data["rows"])
        return xlsx.response(COMMUNE_COLUMNS, rows, f"xa-phuong-{province.codename}.xlsx", "Xã phường")
    # The table's cells made once here, links by one reverse(), so that the template unpacks
    # each row in one step: 168 rows × 11 cells through template tags cost more than the queries.
    link = reverse("teams:commune_detail", args=[LINK_SENTINEL])
    table = [
        (
            link.replace(str(LINK_SENTINEL), str(r["id"])),
            r["name"],
            number(r["villages"]),
            number(r["covered"]),
            "" if r["coverage"] is None else f"{number(r['coverage'], 2)} %",
            number(r["teams"]),
            number(r["members"]),
            number(r["activities"]),
            number(r["people"]),
            r["status"] or "",
            r["status_label"],
        )
        for r in data["rows"]
    ]
    chart = {
        "labels": [f"{m:%m/%Y}" for m, _, _ in data["activities"]["trend"]],
        "activities": [n for _, n, _ in data["activities"]["trend"]],
        "people": [p for _, _, p in data["activities"]["trend"]],
    }
    context = {
        "d": data,
        "form": form,
        "order": order,
        "columns": figures.COLUMNS,
        "table": table,
        "chart": chart,
        "indicators": indicators,
    }
    return render(request, "dashboards/province_dashboard.html", context)


@login_required
def national_dashboard(request):
    permissions.require(request.user, "dashboard.national")
    form, start, end = _period(request)
    with replica.reads(request):
        data = figures.national_dashboard(start, end)
    if request.GET.get("xuat") == "xlsx":
        keys = ("name", "communes", "communes_with_teams", "teams", "members", "activities", "people")
        rows = ([r[k] for k in keys] for r in data["rows"])
        return xlsx.response(PROVINCE_COLUMNS, rows, "toan-quoc.xlsx", "Tỉnh thành phố")
    # The national catalogue's indicators, each linked to its trend across provinces.
    indicators = Indicator.objects.filter(province__isnull=True, active=True).order_by("position", "code")
    return render(request, "dashboards/national_dashboard.html", {"d": data, "form": form, "indicators": indicators})


@login_required
def completeness(request, pk):
    report_request = get_object_or_404(ReportRequest.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "completeness.view")
    state = completeness_of(report_request)
    if request.GET.get("xuat") == "xlsx":
        rows = (
            [
                item["commune"].name,
                label,
                item["report"]
                and item["report"].first_submitted_at
                and timezone.localtime(item["report"].first_submitted_at).date(),
            ]
            for _, label, items in state["groups"]
            for item in items
        )
        return xlsx.response(COMPLETENESS_COLUMNS, rows, f"tinh-hinh-nop-{report_request.pk}.xlsx", "Tình hình nộp")
    last = ReminderLog.objects.filter(request=report_request).first()
    return render(request, "dashboards/completeness.html", {"s": state, "last_reminder": last})


@login_required
@require_POST
def send_reminder(request, pk):
    report_request = get_object_or_404(ReportRequest.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "reminder.send")
    try:
        log = enqueue_reminders(report_request, request.user)
    except AlreadySending:
        messages.warning(request, "Lần nhắc trước đang được gửi; vui lòng chờ gửi xong rồi nhắc lại.")
        return redirect("dashboards:completeness", pk=report_request.pk)
    if log.status == log.Status.SENT:
        messages.success(request, f"Đã gửi nhắc nhở tới {log.recipients} người của {log.communes} xã/phường.")
    else:
        messages.success(request, f"Đang gửi nhắc nhở tới {log.communes} xã/phường; trang này cho biết khi gửi xong.")
    return redirect("dashboards:completeness", pk=report_request.pk)


@login_required
def home(request):
    """Each role starts on the page of its own unit; staff see open requests and waiting reports."""
    user = request.user
    level = scoping.level_of(user)
    if level == "commune" and user.commune_id:
        return redirect("teams:commune_detail", pk=user.commune_id)
    if level == "team" and user.team_id:
        return redirect("teams:team_detail", pk=user.team_id)
    # Requests still current, and older ones with reports still waiting to be accepted or returned.
    requests = (
        ReportRequest.objects.visible_to(user)
        .annotate(waiting=Count("reports", filter=Q(reports__status=Report.Status.SUBMITTED)))
        .filter(Q(deadline__gte=timezone.now() - datetime.timedelta(days=30)) | Q(waiting__gt=0))
        .order_by("deadline")[:20]
    )
    return render(request, "dashboards/home.html", {"open_requests": requests})


@login_required
def indicator_trend(request, pk):
    """An indicator over the requests that asked for it: the staff member's province, or for an
    administrator a province chosen with ?tinh=, else every province side by side."""
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "indicator.trend")
    province = request.user.province
    if province is None and not request.GET.get("tinh"):
        data = indicator_trends.national(indicator)
        return render(request, "dashboards/indicator_national.html", {"d": data})
    if province is None:
        province = get_object_or_404(Province.objects.visible_to(request.user), pk=as_id(request.GET["tinh"]))
    trend = indicator_trends.province_trend(indicator, province)
    if request.GET.get("xuat") in indicator_trends.EXPORTS:
        return indicator_trends.export(trend, request.GET["xuat"])
    context = {"t": trend, "chart": indicator_trends.chart(trend)}
    return render(request, "dashboards/indicator_trend.html", context)
