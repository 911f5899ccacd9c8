"""Indicators against their targets on the province dashboard (portal/indicator_figures.py)."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.indicator_figures import indicator_figures
from reports import workflow
from reports.indicators import UNITS, Indicator, Unit
from reports.models import IndicatorTarget, IndicatorValue, Report
from reports.outlines import PLAN, STATUS_REPORT
from teams.models import Commune
from tests.cast import PASSWORD
from tests.reports.factories import make_request

STATUSES = ["draft", "submitted", "accepted", "returned"]


def add_communes(cast, count, start=0):
    return [
        Commune.objects.create(
            province=cast.province_p, code=95000 + n, name=f"Xã Chỉ Tiêu {n:02d}", codename=f"xa_ct_{n}", kind="xa"
        )
        for n in range(start, start + count)
    ]


def report_with_values(report_request, commune, user, status, values):
    """A report of ``commune`` in ``status`` carrying ``values`` ({code: (value, share)})."""
    report = workflow.start(report_request, commune, user)
    workflow.save_draft(report, report.revision, values)
    if status != "draft":
        workflow.submit(report, user)
    if status == "accepted":
        workflow.accept(report, user)
    if status == "returned":
        workflow.return_for_changes(report, user, "Thiếu số liệu")
    return report


def random_values(rng):
    values = {}
    for code in Indicator.values:
        if code != Indicator.HOUSEHOLDS_DIGITAL_SKILLS and rng.random() < 0.2:
            continue  # the commune left this one blank
        if UNITS[code] == Unit.PERCENT:
            value = Decimal(rng.randint(4000, 10000)) / 100
            values[code] = (value, value)
        else:
            value = Decimal(rng.randint(0, 900))
            share = None if rng.random() < 0.3 else (value / 10).quantize(Decimal("0.01"))
            values[code] = (value, share)
    return values


@pytest.fixture
def plan_request(cast):
    """A plan with targets, asked of X, Y and 8 more communes of P, answered in every status."""
    report_request = make_request(cast, outline=PLAN)
    communes = [cast.commune_x, cast.commune_y, *add_communes(cast, 8)]
    report_request.communes.set(communes)
    rng = random.Random(7)
    for index, commune in enumerate(communes[:-1]):  # the last commune has not started
        report_with_values(report_request, commune, cast.admin, STATUSES[index % 4], random_values(rng))
    return report_request


def expected(report_request):
    """The figures counted another way: every value read one by one, kept when its report was sent."""
    kept = [v for v in IndicatorValue.objects.all() if v.report.status in ("submitted", "accepted")]
    result = {}
    for code in report_request.indicator_codes():
        mine = [v for v in kept if v.indicator == code and v.report.request_id == report_request.pk]
        shares = [v.share for v in mine if v.share is not None]
        target = IndicatorTarget.objects.filter(request=report_request, indicator=code).first()
        share = round(sum(shares) / len(shares), 2) if shares else None
        result[code] = {
            "communes": len(mine),
            "total": sum(v.value for v in mine) if UNITS[code] != Unit.PERCENT else None,
            "share": share,
            "of_target": round(share / target.target * 100, 2) if target and share is not None else None,
        }
    return result


def test_province_figures_equal_the_sent_and_accepted_values_counted_one_by_one(plan_request):
    figures = indicator_figures(plan_request)
    want = expected(plan_request)
    assert [i["code"] for i in figures["indicators"]] == plan_request.indicator_codes()
    for item in figures["indicators"]:
        got = {key: item[key] for key in ("communes", "total", "share", "of_target")}
        assert got == want[item["code"]], item["code"]
    assert figures["requested"] == 10
    # Drafts and returned reports are not counted: 4 of the 9 started reports are sent or accepted.
    assert Report.objects.filter(request=plan_request, status__in=["submitted", "accepted"]).count() == 4
    assert max(i["communes"] for i in figures["indicators"]) == 4


def test_each_commune_row_carries_its_own_sent_values_and_nothing_from_drafts(cast, plan_request):
    figures = indicator_figures(plan_request)
    by_name = {row["name"]: row for row in figures["communes"]}
    draft = Report.objects.get(request=plan_request, commune=cast.commune_x)
    assert draft.status == "draft" and draft.indicator_values.exists()
    assert by_name["Xã Hà Tây"]["values"] == [None] * len(figures["indicators"])
    sent = Report.objects.get(request=plan_request, commune=cast.commune_y)
    assert sent.status == "submitted"
    values = {v.indicator: (v.value, v.share) for v in sent.indicator_values.all()}
    assert by_name["Phường Trần Hưng Đạo"]["values"] == [values.get(code) for code in plan_request.indicator_codes()]


def test_target_comparison_says_met_or_not(cast):
    report_request = make_request(cast, outline=PLAN)
    code = Indicator.DOSSIERS_ONLINE  # ≥ 90 %
    report_with_values(report_request, cast.commune_x, cast.admin, "accepted", {code: (Decimal(95), Decimal(95))})
    report_with_values(report_request, cast.commune_y, cast.admin, "submitted", {code: (Decimal(80), Decimal(80))})
    item = next(i for i in indicator_figures(report_request)["indicators"] if i["code"] == code)
    assert (item["share"], item["target"], item["of_target"], item["met"]) == (
        Decimal("87.50"),
        Decimal(90),
        Decimal("97.22"),
        False,
    )


def test_the_figures_take_three_queries_however_many_communes(cast, plan_request, django_assert_num_queries):
    """Targets, requested communes, values: one query each, whatever the province's size."""
    with django_assert_num_queries(3):
        indicator_figures(plan_request)
    rng = random.Random(3)
    more = add_communes(cast, 10, start=10)
    plan_request.communes.add(*more)
    for commune in more:
        report_with_values(plan_request, commune, cast.admin, "accepted", random_values(rng))
    with django_assert_num_queries(3):
        figures = indicator_figures(plan_request)
    assert figures["requested"] == 20


@pytest.fixture
def staff(client, cast):
    client.login(username="staff_p", password=PASSWORD)
    return client


def dashboard(cast):
    return reverse("dashboards:province_dashboard", args=[cast.province_p.pk])


def test_dashboard_shows_the_latest_request_with_indicators_and_each_row(staff, cast, plan_request):
    make_request(cast, outline=STATUS_REPORT)  # no indicators: not offered
    response = staff.get(dashboard(cast), {"kind": "year", "year": 2026})
    assert response.context["indicators"]["figures"]["request"] == plan_request
    assert [r.pk for r in response.context["indicators"]["requests"]] == [plan_request.pk]
    html = response.content.decode()
    assert 'id="indicators"' in html and 'id="indicator-communes"' in html
    want = expected(plan_request)[Indicator.DOSSIERS_ONLINE]
    row = html.split('data-indicator="dossiers_online"')[1].split("</tr>")[0]
    assert f"{want['communes']}/10" in row
    assert f"{str(want['share']).replace('.', ',')} %" in row
    assert "≥ 90 %" in row


def test_dashboard_chooses_another_request_by_its_id(staff, cast, plan_request):
    older = make_request(cast, outline=PLAN, deadline=plan_request.deadline - datetime.timedelta(days=60))
    response = staff.get(dashboard(cast), {"chi_tieu": older.pk})
    assert response.context["indicators"]["figures"]["request"] == older
    response = staff.get(dashboard(cast), {"chi_tieu": "khong-co"})
    assert response.context["indicators"]["figures"]["request"] == plan_request


def test_dashboard_without_indicator_requests_says_so(staff, cast):
    make_request(cast, outline=STATUS_REPORT)
    html = staff.get(dashboard(cast)).content.decode()
    assert "Chưa có yêu cầu báo cáo nào của Thành phố Hải Phòng có chỉ tiêu." in html


def read(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_indicator_table_exports_to_excel_with_the_same_figures(staff, cast, plan_request):
    sheet = read(staff.get(dashboard(cast), {"chi_tieu": plan_request.pk, "xuat": "chi-tieu"}))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Chỉ tiêu", "Đơn vị", "Số xã/phường đã báo cáo")
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:J{len(rows)}"
    want = expected(plan_request)
    by_label = {row[0]: row for row in rows[1:]}
    for code in plan_request.indicator_codes():
        row = by_label[Indicator(code).label]
        assert row[2] == want[code]["communes"] and row[3] == 10
        assert (Decimal(str(row[5])) if row[5] is not None else None) == want[code]["share"]
    assert sheet["F2"].number_format == "0.00"


def test_commune_indicator_figures_export_one_row_per_requested_commune(staff, cast, plan_request):
    sheet = read(staff.get(dashboard(cast), {"chi_tieu": plan_request.pk, "xuat": "chi-tieu-xa"}))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Xã/phường" and len(rows) == 11
    sent = Report.objects.get(request=plan_request, commune=cast.commune_y)
    value = sent.indicator_values.get(indicator=Indicator.HOUSEHOLDS_DIGITAL_SKILLS)  # column B
    row = next(r for r in rows if r[0] == "Phường Trần Hưng Đạo")
    assert rows[0][1] == "Số hộ gia đình có kỹ năng số (hộ)"
    assert (Decimal(str(row[1])), Decimal(str(row[2])) if row[2] is not None else None) == (value.value, value.share)
    assert sheet["B2"].number_format == "#,##0.00"
