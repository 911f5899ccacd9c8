"""Indicators against their targets on the province dashboard (dashboards/indicator_figures.py).

Province rates are weighted: Σ numerators ÷ Σ denominators over the communes that gave both; a
commune that typed only a rate counts as reported but not in the rate (before the catalogue the
rate was the unweighted mean of the communes' rates).
"""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.indicator_figures import indicator_figures
from reports import workflow
from reports.indicators import Code
from reports.models import Indicator, IndicatorTarget, IndicatorValue, Report
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


def figure(numerator, denominator):
    numerator, denominator = Decimal(numerator), Decimal(denominator)
    share = (numerator * 100 / denominator).quantize(Decimal("0.01"))
    return {"numerator": numerator, "denominator": denominator, "share": share, "rate_only": False}


def rate_only(share):
    return {"numerator": None, "denominator": None, "share": Decimal(share), "rate_only": True}


def report_with_values(report_request, commune, user, status, values):
    """A report of ``commune`` in ``status`` carrying ``values`` ({code: figure})."""
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
    for code in Code.SEED:
        if code != Code.HOUSEHOLDS_DIGITAL_SKILLS and rng.random() < 0.2:
            continue  # the commune left this one blank
        if rng.random() < 0.2:
            values[code] = rate_only(Decimal(rng.randint(4000, 10000)) / 100)
        else:
            denominator = rng.randint(200, 40000)
            values[code] = figure(rng.randint(0, denominator), denominator)
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
        counted = [v for v in mine if not v.rate_only]
        numerator = sum(v.numerator for v in counted) if counted else None
        denominator = sum(v.denominator for v in counted) if counted else None
        share = round(numerator * 100 / denominator, 2) if counted else None
        target = IndicatorTarget.objects.filter(request=report_request, indicator=code).first()
        result[code] = {
            "communes": len(mine),
            "covered": len(counted),
            "numerator": numerator,
            "share": share,
            "of_target": round(share / target.target * 100, 2) if target and share is not None else None,
        }
    return result


def test_province_figures_equal_the_sent_and_accepted_values_counted_one_by_one(plan_request):
    figures = indicator_figures(plan_request)
    want = expected(plan_request)
    assert [i["code"] for i in figures["indicators"]] == plan_request.indicator_codes()
    for item in figures["indicators"]:
        got = {key: item[key] for key in ("communes", "covered", "numerator", "share", "of_target")}
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
    values = {v.indicator: v.entry for v in sent.indicator_values.all()}
    got = [
        {key: entry[key] for key in ("numerator", "denominator", "share", "rate_only")} if entry else None
        for entry in by_name["Phường Trần Hưng Đạo"]["values"]
    ]
    assert got == [values.get(code) for code in plan_request.indicator_codes()]


def test_target_comparison_says_met_or_not(cast):
    report_request = make_request(cast, outline=PLAN)
    code = Code.DOSSIERS_ONLINE  # ≥ 90 %
    report_with_values(report_request, cast.commune_x, cast.admin, "accepted", {code: figure(95, 100)})
    report_with_values(report_request, cast.commune_y, cast.admin, "submitted", {code: figure(80, 100)})
    item = next(i for i in indicator_figures(report_request)["indicators"] if i["code"] == code)
    assert (item["share"], item["target"], item["of_target"], item["met"]) == (
        Decimal("87.50"),
        Decimal(90),
        Decimal("97.22"),
        False,
    )


def test_the_province_rate_weighs_each_commune_by_its_denominator(cast):
    """Three communes of very different sizes, computed by hand.

    A ward of 12,000 households at 80 %, a commune of 3,000 at 50 % and a mountain commune of 500 at
    20 %: (9,600 + 1,500 + 100) / (12,000 + 3,000 + 500) = 11,200 / 15,500 = 72.258... %, where the
    mean of the rates would say 50 %. A fourth commune that typed only a rate (10 %) counts as having
    reported, not in the rate.
    """
    report_request = make_request(cast, outline=PLAN)
    ward, small, mountain, typed = add_communes(cast, 4)
    report_request.communes.set([ward, small, mountain, typed])
    code = Code.HOUSEHOLDS_DIGITAL_SKILLS  # ≥ 70 %
    report_with_values(report_request, ward, cast.admin, "accepted", {code: figure(9600, 12000)})
    report_with_values(report_request, small, cast.admin, "accepted", {code: figure(1500, 3000)})
    report_with_values(report_request, mountain, cast.admin, "submitted", {code: figure(100, 500)})
    report_with_values(report_request, typed, cast.admin, "submitted", {code: rate_only(10)})
    item = next(i for i in indicator_figures(report_request)["indicators"] if i["code"] == code)
    assert (item["communes"], item["covered"], item["rate_only"]) == (4, 3, 1)
    assert (item["numerator"], item["denominator"]) == (Decimal(11200), Decimal(15500))
    assert item["share"] == Decimal("72.26")
    assert item["met"] is True  # the unweighted mean, 50 % (or 40 % with the rate-only commune), would fail


def test_the_figures_take_four_queries_however_many_communes(cast, plan_request, django_assert_num_queries):
    """Catalogue entries, targets, requested communes, values: one query each, whatever the province's size."""
    with django_assert_num_queries(4):
        indicator_figures(plan_request)
    rng = random.Random(3)
    more = add_communes(cast, 10, start=10)
    plan_request.communes.add(*more)
    for commune in more:
        report_with_values(plan_request, commune, cast.admin, "accepted", random_values(rng))
    with django_assert_num_queries(4):
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
    want = expected(plan_request)[Code.DOSSIERS_ONLINE]
    row = html.split('data-indicator="dossiers_online"')[1].split("</tr>")[0]
    assert f"{want['communes']}/10" in row
    assert f"tỷ lệ tính trên {want['covered']} xã/phường" in row
    assert f"{str(want['share']).replace('.', ',')} %" in row
    assert "≥ 90 %" in row


def test_dashboard_chooses_another_request_by_its_id(staff, cast, plan_request):
    older = make_request(cast, outline=PLAN, deadline=plan_request.deadline - datetime.timedelta(days=60))
    response = staff.get(dashboard(cast), {"chi_tieu": older.pk})
    assert response.context["indicators"]["figures"]["request"] == older
    response = staff.get(dashboard(cast), {"chi_tieu": "khong-co"})
    assert response.context["indicators"]["figures"]["request"] == plan_request


def test_a_request_just_made_with_nothing_sent_does_not_empty_the_default_table(staff, cast, plan_request):
    """The walk-through: creating a request switched the table to it, all dashes, hiding the figures
    the department had. The default is the latest request with a report sent or accepted."""
    newer = make_request(cast, outline=PLAN, deadline=plan_request.deadline + datetime.timedelta(days=30))
    response = staff.get(dashboard(cast), {"kind": "year", "year": 2026})
    assert response.context["indicators"]["figures"]["request"] == plan_request
    assert [r.pk for r in response.context["indicators"]["requests"]] == [newer.pk, plan_request.pk]
    report_with_values(newer, cast.commune_x, cast.admin, "submitted", {})
    response = staff.get(dashboard(cast), {"kind": "year", "year": 2026})
    assert response.context["indicators"]["figures"]["request"] == newer


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
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:L{len(rows)}"
    want = expected(plan_request)
    names = dict(Indicator.objects.values_list("code", "name"))
    by_label = {row[0]: row for row in rows[1:]}
    for code in plan_request.indicator_codes():
        row = by_label[names[code]]
        assert row[2] == want[code]["communes"] and row[3] == 10 and row[4] == want[code]["covered"]
        assert (Decimal(str(row[7])) if row[7] is not None else None) == want[code]["share"]
    assert sheet["H2"].number_format == "0.00"


def test_commune_indicator_figures_export_one_row_per_requested_commune(staff, cast, plan_request):
    sheet = read(staff.get(dashboard(cast), {"chi_tieu": plan_request.pk, "xuat": "chi-tieu-xa"}))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Xã/phường" and len(rows) == 11
    sent = Report.objects.get(request=plan_request, commune=cast.commune_y)
    value = sent.indicator_values.get(indicator=Code.HOUSEHOLDS_DIGITAL_SKILLS)  # columns B to D
    row = next(r for r in rows if r[0] == "Phường Trần Hưng Đạo")
    assert rows[0][1:4] == (
        "Số hộ gia đình có kỹ năng số: tử số (hộ)",
        "Số hộ gia đình có kỹ năng số: mẫu số (hộ)",
        "Số hộ gia đình có kỹ năng số: tỷ lệ (%)",
    )
    cells = tuple(None if cell is None else Decimal(str(cell)) for cell in row[1:4])
    assert cells == (value.numerator, value.denominator, value.share)
    filled = next(cell for cell in sheet["B"][1:] if cell.value is not None)  # an empty cell has no format
    assert filled.number_format == "#,##0"  # households are whole: 7.775, not 7.775,00


def test_counts_in_the_indicator_exports_take_the_format_of_their_unit(staff, cast, plan_request):
    """Households and people are whole: 7.775, never 7.775,00; rates keep two decimals (issue 16)."""
    units = dict(Indicator.objects.values_list("name", "unit"))
    sheet = read(staff.get(dashboard(cast), {"chi_tieu": plan_request.pk, "xuat": "chi-tieu"}))
    checked = set()
    for row in sheet.iter_rows(min_row=2):
        unit = units[row[0].value]
        want = "#,##0.00" if unit == "other" else "#,##0"
        for cell in (row[5], row[6]):  # Tổng tử số, Tổng mẫu số
            assert cell.number_format == want, (row[0].value, cell.coordinate)
        assert row[7].number_format == "0.00"  # Tỷ lệ chung (%)
        checked.add(unit)
    assert {"households", "people"} <= checked

    sheet = read(staff.get(dashboard(cast), {"chi_tieu": plan_request.pk, "xuat": "chi-tieu-xa"}))
    headers = [cell.value for cell in sheet[1]]
    for index, header in enumerate(headers[1:], start=2):
        cells = [row[index - 1] for row in sheet.iter_rows(min_row=2) if row[index - 1].value is not None]
        if not cells:
            continue
        if header.endswith("(%)"):
            want = "0.00"
        elif header.endswith("(hộ)") or header.endswith("(người)"):
            want = "#,##0"
        else:
            continue
        assert {cell.number_format for cell in cells} == {want}, header
    assert any(h.endswith("(hộ)") for h in headers) and any(h.endswith("(người)") for h in headers)
