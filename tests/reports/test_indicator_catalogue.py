"""The indicator catalogue end to end over HTTP: a department adds its own indicator, asks for it in
a request, communes fill it, and the dashboard, the trend and the national view weigh it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports import workflow
from reports.models import Indicator, IndicatorTarget, IndicatorValue, Report, ReportRequest
from teams.models import Commune
from tests.reports.factories import make_request
from tests.reports.matrix import request_data

CODE = "ho_kinh_doanh_tmdt"
NEW = {
    "code": CODE,
    "name": "Tỷ lệ hộ kinh doanh bán hàng trên sàn thương mại điện tử",
    "unit": "businesses",
    "numerator_label": "Số hộ kinh doanh bán hàng trên sàn thương mại điện tử",
    "numerator_source": "typed",
    "denominator_label": "Tổng số hộ kinh doanh",
    "denominator_source": "typed",
    "position": "100",
    "active": "on",
}


def add_indicator(client, user, **changes):
    client.force_login(user)
    return client.post(reverse("reports:indicator_create"), {**NEW, **changes})


def test_department_staff_add_their_provinces_indicator_which_other_provinces_do_not_see(client, cast):
    response = add_indicator(client, cast.staff_p)
    assert response.status_code == 302
    indicator = Indicator.objects.get(code=CODE)
    assert (indicator.province, indicator.created_by) == (cast.province_p, cast.staff_p)
    page = client.get(reverse("reports:indicator_list")).content.decode()
    assert f'data-indicator="{CODE}"' in page and "Riêng Thành phố Hải Phòng" in page
    assert 'data-indicator="households_digital_skills"' in page  # the national catalogue too
    client.force_login(cast.staff_q)
    assert f'data-indicator="{CODE}"' not in client.get(reverse("reports:indicator_list")).content.decode()


def test_an_administrators_indicator_joins_the_national_catalogue(client, cast):
    assert add_indicator(client, cast.admin).status_code == 302
    assert Indicator.objects.get(code=CODE).province is None


def test_a_code_already_used_is_refused_in_vietnamese_and_nothing_is_lost(client, cast):
    response = add_indicator(client, cast.staff_p, code="dossiers_online")
    assert response.status_code == 200
    html = response.content.decode()
    assert "đã tồn tại" in html or "đã có" in html
    assert NEW["numerator_label"] in html  # what was typed is still in the form
    assert Indicator.objects.filter(code="dossiers_online").count() == 1


def test_numerator_and_denominator_from_the_same_registry_figure_are_refused(client, cast):
    response = add_indicator(client, cast.staff_p, numerator_source="households", denominator_source="households")
    assert response.status_code == 200
    assert "Tử số và mẫu số không được lấy cùng một số liệu" in response.content.decode()


def create_request(client, cast, **changes):
    indicator = Indicator.objects.get(code=CODE)
    data = {**request_data(cast), "communes": [cast.commune_x.pk, cast.commune_y.pk], "indicators": [indicator.pk]}
    data.update(changes)
    client.force_login(cast.staff_p)
    response = client.post(reverse("reports:request_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ReportRequest.objects.latest("pk")


def fill(client, user, report, numerator, denominator):
    client.force_login(user)
    data = {
        "revision": report.revision,
        "place": "Hà Tây",
        "subject": report.subject,
        "signer_authority": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Quang Ngọc",
        f"indicator_{CODE}": numerator,
        f"indicator_{CODE}_mau_so": denominator,
    }
    response = client.post(reverse("reports:report_edit", args=[report.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    client.post(reverse("reports:report_submit", args=[report.pk]))


def test_a_new_indicator_is_asked_filled_and_weighed_on_the_dashboard(client, cast):
    """Three communes of very different sizes, by hand: (30 + 600 + 2) / (40 + 2,000 + 10) = 632 / 2,050
    = 30.83 %; the mean of their rates (75 %, 30 %, 20 %) would say 41.67 %."""
    add_indicator(client, cast.staff_p)
    report_request = create_request(client, cast, outline_name="status_report")
    assert CODE in report_request.indicator_codes()  # an indicators section was added to the outline
    third = Commune.objects.create(province=cast.province_p, code=95001, name="Xã Miền Núi", codename="m", kind="xa")
    report_request.communes.add(third)

    client.force_login(cast.official_x)
    client.post(reverse("reports:report_start", args=[report_request.pk]))
    report_x = Report.objects.get(request=report_request, commune=cast.commune_x)
    page = client.get(reverse("reports:report_edit", args=[report_x.pk])).content.decode()
    assert "Tử số: Số hộ kinh doanh bán hàng trên sàn thương mại điện tử (doanh nghiệp, hộ kinh doanh)" in page
    fill(client, cast.official_x, report_x, "30", "40")
    client.force_login(cast.official_y)
    client.post(reverse("reports:report_start", args=[report_request.pk]))
    fill(client, cast.official_y, Report.objects.get(request=report_request, commune=cast.commune_y), "600", "2.000")
    third_report = workflow.start(report_request, third, cast.admin)
    figure = {"numerator": Decimal(2), "denominator": Decimal(10), "share": Decimal(20), "rate_only": False}
    workflow.save_draft(third_report, third_report.revision, {CODE: figure})
    workflow.submit(third_report, cast.admin)

    assert IndicatorValue.objects.filter(indicator=CODE, report__status="submitted").count() == 3
    client.force_login(cast.staff_p)
    dashboard = reverse("dashboards:province_dashboard", args=[cast.province_p.pk])
    html = client.get(dashboard, {"chi_tieu": report_request.pk}).content.decode()
    row = html.split(f'data-indicator="{CODE}"')[1].split("</tr>")[0]
    assert 'data-figure="share">30,83 %<' in row
    assert "tỷ lệ tính trên 3 xã/phường" in row
    assert "632 / 2.050 doanh nghiệp, hộ kinh doanh" in row


def answered_twice(cast):
    """Two requests of P asking for the new indicator, X and Y answering both, a target of 50 %."""
    Indicator.objects.create(province=cast.province_p, **{k: v for k, v in NEW.items() if k != "active"})
    requests = []
    for months, (x, y) in ((12, ((20, 100), (300, 1000))), (6, ((60, 100), (400, 1000)))):
        deadline = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC) - datetime.timedelta(days=30 * months)
        report_request = make_request(cast, deadline=deadline)
        report_request.set_outline(
            [
                {
                    "kind": "indicators",
                    "title": "Chỉ tiêu",
                    "indicators": [{"code": CODE, "comparison": "gte", "target": 50}],
                }
            ]
        )
        for commune, (numerator, denominator) in ((cast.commune_x, x), (cast.commune_y, y)):
            report = workflow.start(report_request, commune, cast.admin)
            share = Decimal(numerator * 100) / Decimal(denominator)
            figure = {"numerator": numerator, "denominator": denominator, "share": share, "rate_only": False}
            workflow.save_draft(report, report.revision, {CODE: figure})
            workflow.submit(report, cast.admin)
        requests.append(report_request)
    return requests


def test_the_trend_shows_the_province_and_each_commune_over_the_requests(client, cast):
    first, second = answered_twice(cast)
    indicator = Indicator.objects.get(code=CODE)
    client.force_login(cast.staff_p)
    url = reverse("dashboards:indicator_trend", args=[indicator.pk])
    response = client.get(url)
    html = response.content.decode()
    chart = response.context["chart"]
    # (20 + 300) / 1,100 = 29.09 %, then (60 + 400) / 1,100 = 41.82 %.
    assert chart["province"] == [29.09, 41.82] and chart["targets"] == [50.0, 50.0]
    assert 'id="indicator-trend-chart"' in html and "indicator_trend.js" in html and "<script>" not in html
    province = html.split('data-row="province"')[1].split("</tr>")[0]
    assert "29,09 %" in province and "41,82 %" in province
    x = html.split('data-commune="Xã Hà Tây"')[1].split("</tr>")[0]
    assert "20 %" in x and "60 %" in x
    below = html.split('id="below-target"')[1].split("</table>")[0]
    assert "Phường Trần Hưng Đạo" in below and "Xã Hà Tây" not in below  # 40 % < 50 %, 60 % reaches it

    sheet = load_workbook(io.BytesIO(b"".join(client.get(url, {"xuat": "xlsx"}).streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Thành phố Hải Phòng" and [round(v, 2) for v in rows[1][1:]] == [29.09, 41.82]
    sheet = load_workbook(io.BytesIO(b"".join(client.get(url, {"xuat": "duoi-muc-tieu"}).streaming_content))).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Phường Trần Hưng Đạo"]


def test_the_trend_lists_communes_in_dictionary_order(client, cast):
    answered_twice(cast)
    # Code-point order puts "Bình" before "Bắc" ("ì" is U+00EC, "ắ" U+1EAF); a dictionary does not.
    Commune.objects.filter(pk=cast.commune_x.pk).update(name="Xã Bình Giang")
    Commune.objects.filter(pk=cast.commune_y.pk).update(name="Xã Bắc Sơn")
    client.force_login(cast.staff_p)
    html = client.get(reverse("dashboards:indicator_trend", args=[Indicator.objects.get(code=CODE).pk])).content
    html = html.decode()
    assert html.index('data-commune="Xã Bắc Sơn"') < html.index('data-commune="Xã Bình Giang"')


def test_a_communes_own_target_decides_whether_it_is_below(client, cast):
    _, second = answered_twice(cast)
    IndicatorTarget.objects.create(request=second, indicator=CODE, commune=cast.commune_y, target=35)
    client.force_login(cast.staff_p)
    html = client.get(reverse("dashboards:indicator_trend", args=[Indicator.objects.get(code=CODE).pk])).content
    below = html.decode().split('id="below-target"')[1].split("</table>")[0]
    assert "Phường Trần Hưng Đạo" not in below and "Mọi xã/phường đã báo cáo đều đạt mục tiêu." in below


def test_the_national_view_sets_provinces_side_by_side(client, cast):
    Indicator.objects.ensure_seed()
    code = "households_digital_skills"
    for province, commune, (numerator, denominator) in (
        (cast.province_p, cast.commune_x, (70, 100)),
        (cast.province_q, None, (300, 1000)),
    ):
        report_request = make_request(cast)
        report_request.province = province
        report_request.save()
        report_request.set_outline([{"kind": "indicators", "title": "Chỉ tiêu", "indicators": [{"code": code}]}])
        if commune is None:
            commune = Commune.objects.create(province=province, code=95002, name="Xã Q", codename="q", kind="xa")
        report = workflow.start(report_request, commune, cast.admin)
        share = Decimal(numerator * 100) / Decimal(denominator)
        figure = {"numerator": numerator, "denominator": denominator, "share": share, "rate_only": False}
        workflow.save_draft(report, report.revision, {code: figure})
        workflow.submit(report, cast.admin)
    client.force_login(cast.admin)
    html = client.get(reverse("dashboards:indicator_trend", args=[Indicator.objects.get(code=code).pk])).content
    html = html.decode()
    assert "70 %" in html.split(f'data-province="{cast.province_p.name}"')[1].split("</tr>")[0]
    assert "30 %" in html.split(f'data-province="{cast.province_q.name}"')[1].split("</tr>")[0]
    national = html.split('data-row="national"')[1].split("</tr>")[0]
    assert "33,64 %" in national  # (70 + 300) / (100 + 1,000)


@pytest.mark.parametrize("status", ["draft", "returned"])
def test_drafts_and_returned_reports_stay_out_of_the_trend(client, cast, status):
    first, _ = answered_twice(cast)
    report = Report.objects.get(request=first, commune=cast.commune_y)
    if status == "returned":
        workflow.return_for_changes(report, cast.admin, "Sai số liệu")
    else:
        Report.objects.filter(pk=report.pk).update(status="draft")
    client.force_login(cast.staff_p)
    response = client.get(reverse("dashboards:indicator_trend", args=[Indicator.objects.get(code=CODE).pk]))
    assert response.context["chart"]["province"][0] == 20.0


def test_staff_set_the_requests_targets_and_a_communes_own_before_the_deadline(client, cast):
    report_request = make_request(cast, deadline=timezone.now() + datetime.timedelta(days=10))
    report_request.set_outline(
        [
            {
                "kind": "indicators",
                "title": "Chỉ tiêu",
                "indicators": [{"code": "dossiers_online", "comparison": "gte", "target": 90}],
            }
        ]
    )
    client.force_login(cast.staff_p)
    url = reverse("reports:request_targets", args=[report_request.pk])
    assert client.post(url, {"comparison_dossiers_online": "gt", "target_dossiers_online": "85,5"}).status_code == 302
    target = report_request.targets.get(commune=None)
    assert (target.comparison, target.target) == ("gt", Decimal("85.5"))
    report_request.refresh_from_db()
    assert report_request.outline[0]["indicators"][0]["target"] == 85.5  # editing the outline keeps it
    own = {"commune": cast.commune_y.pk, "indicator": "dossiers_online", "comparison": "gte", "target": "60"}
    client.post(reverse("reports:request_commune_target", args=[report_request.pk]), own)
    assert report_request.targets_for(cast.commune_y.pk)["dossiers_online"].target == 60
    assert report_request.targets_for(cast.commune_x.pk)["dossiers_online"].target == Decimal("85.5")
    # A target over 100 % is refused in Vietnamese, and nothing changes.
    response = client.post(url, {"comparison_dossiers_online": "gte", "target_dossiers_online": "120"})
    assert response.status_code == 200 and "100" in response.content.decode()
    assert report_request.targets.get(commune=None).target == Decimal("85.5")
    # After the deadline the targets are only shown.
    ReportRequest.objects.filter(pk=report_request.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    response = client.post(url, {"comparison_dossiers_online": "gte", "target_dossiers_online": "50"}, follow=True)
    assert "Đã quá hạn nộp nên không sửa mục tiêu được nữa." in response.content.decode()
    assert report_request.targets.get(commune=None).target == Decimal("85.5")


def test_the_menu_leads_staff_to_the_catalogue_and_not_communes(client, cast):
    link = f'href="{reverse("reports:indicator_list")}"'
    client.force_login(cast.staff_p)
    assert link in client.get(reverse("reports:request_list")).content.decode()
    client.force_login(cast.official_x)
    assert link not in client.get(reverse("reports:request_list")).content.decode()
