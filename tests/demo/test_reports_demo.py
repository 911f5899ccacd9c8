import subprocess
from io import StringIO

import pdfplumber
from django.core.management import call_command

from reports import rendering
from reports.models import Report, ReportRequest
from teams.models import Village


def test_the_demo_has_the_letter_4675_with_ha_tays_report_sent_and_tran_hung_daos_in_draft(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # twice: nothing is duplicated
    report_request = ReportRequest.objects.get(letter_number="4675/SKHCN-CNTT")
    assert report_request.communes.count() == report_request.province.communes.open_on().count()
    assert [s["title"] for s in report_request.outline][0] == "Báo cáo tình hình chung"
    ha_tay = Report.objects.get(request=report_request, commune__name="Xã Hà Tây")
    assert ha_tay.status == Report.Status.SUBMITTED and not ha_tay.is_late
    assert (ha_tay.signer_authority, ha_tay.signer_title, ha_tay.signer_name) == (
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Quang Ngọc",
    )
    general = ha_tay.versions.get().content["sections"][0]["data"]
    assert general["villages"] == Village.objects.filter(commune=ha_tay.commune).count()
    assert "Hướng dẫn người dân cài đặt" in ha_tay.prose["s2"]["html"]
    tran_hung_dao = Report.objects.get(request=report_request, commune__name="Phường Trần Hưng Đạo")
    assert tran_hung_dao.status == Report.Status.DRAFT


def test_the_pdf_of_ha_tays_demo_report_reads_back_as_seed_000_lays_it_out(db, tmp_path):
    """The issue's test of done, on the demo itself: the PDF of the version Hà Tây sent."""
    call_command("seed_demo", stdout=StringIO())
    version = Report.objects.get(request__letter_number="4675/SKHCN-CNTT", commune__name="Xã Hà Tây").versions.get()
    path = tmp_path / "ha-tay.pdf"
    path.write_bytes(rendering.version_pdf(version))
    with pdfplumber.open(path) as pdf:
        first, last = pdf.pages[0], pdf.pages[-1]
        first_lines = first.extract_text().splitlines()
        text = " ".join(page.extract_text() for page in pdf.pages)
        last_text = last.extract_text()
        mm = 72 / 25.4
        assert (round(first.width / mm), round(first.height / mm)) == (210, 297)
        assert 30 <= min(c["x0"] for c in first.chars) / mm <= 35
    squashed = "".join(text.split())
    assert first_lines[0].startswith("ỦY BAN NHÂN DÂN") and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first_lines[0]
    assert any(
        line.startswith("Số:") and "/BC-UBND" in line and "Hà Tây, ngày 05 tháng 01 năm 2026" in line
        for line in first_lines
    )
    assert "BÁO CÁO" in first_lines and "Tình hình hoạt động Tổ công nghệ số cộng đồng" in first_lines
    for expected in (
        "1. Báo cáo tình hình chung",
        "Số lượng thôn trên địa bàn: 14 thôn",
        "đã thành lập: 14 Tổ",
        "Số lượng thành viên Tổ Công nghệ số cộng đồng: 70 thành viên.",
        "trên tổng số thôn: 100 %",
    ):
        assert "".join(expected.split()) in squashed
    assert "Nơi nhận:" in last_text and "KT. CHỦ TỊCH" in last_text and "PHÓ CHỦ TỊCH" in last_text
    assert "Nguyễn Quang Ngọc" in last_text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(
        "LiberationSerif" in row.split()[0].replace("-", "") and row.split()[-5] == "yes" for row in fonts
    )


def test_the_demo_summary_of_4675_adds_up_thuong_hongs_accepted_report_and_lists_the_others(client, db):
    from django.urls import reverse

    from reports import summary
    from teams.models import Team

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    report_request = ReportRequest.objects.get(letter_number="4675/SKHCN-CNTT")
    thuong_hong = Report.objects.get(request=report_request, commune__name="Xã Thượng Hồng")
    assert thuong_hong.status == Report.Status.ACCEPTED and not thuong_hong.is_late
    assert report_request.province_summary.signer_name == "Nguyễn Văn Sở"
    figures = summary.summary_figures(report_request)
    assert figures["accepted"] == 1
    assert figures["totals"]["villages"] == Village.objects.filter(commune=thuong_hong.commune).count() == 4
    assert figures["totals"]["teams"] == Team.objects.filter(commune=thuong_hong.commune).count()
    rows = {row["name"]: row for row in figures["rows"]}
    assert rows["Xã Hà Tây"]["status"] == "Đã gửi đúng hạn" and not rows["Xã Hà Tây"]["accepted"]
    assert client.login(username="so.haiphong", password="CongNgheSo@2026")
    page = client.get(reverse("reports:summary_detail", args=[report_request.pk])).content.decode()
    assert "Xã Thượng Hồng" in page and "Đề nghị UBND thành phố bố trí kinh phí" in page


def demo_counts():
    from reports.models import IndicatorValue, ReportEvent, ReportVersion

    models = (ReportRequest, Report, ReportVersion, ReportEvent, IndicatorValue, Village)
    return {model.__name__: model.objects.count() for model in models} | {
        "households": sum(Village.objects.exclude(households=None).values_list("households", flat=True))
    }


def test_the_demo_dashboard_sets_the_plans_of_three_communes_against_the_targets_of_4102(client, db):
    """so.haiphong sees the indicator table: the PLAN outline's targets, and province figures that
    equal the stored values of the sent and accepted plans added up here one by one."""
    from decimal import Decimal

    from django.urls import reverse
    from django.utils.html import escape

    from portal.vietnamese import number
    from reports.figures import bases
    from reports.models import Indicator, IndicatorTarget, IndicatorValue
    from reports.outlines import PLAN

    call_command("seed_demo", stdout=StringIO())
    counts = demo_counts()
    call_command("seed_demo", stdout=StringIO())
    assert demo_counts() == counts

    plan = ReportRequest.objects.get(letter_number="4102/SKHCN-CNTT")
    reports = Report.objects.filter(request=plan).order_by("commune__name")
    assert [(r.commune.name, r.status) for r in reports] == [
        ("Phường Trần Hưng Đạo", "submitted"),
        ("Xã Hà Tây", "accepted"),
        ("Xã Thượng Hồng", "accepted"),
    ]
    values = list(IndicatorValue.objects.filter(report__in=reports).select_related("report__commune"))
    assert len(values) == 3 * 6
    sources = dict(Indicator.objects.values_list("code", "denominator_source"))
    for v in values:  # the sense checks of the report form; registry denominators are the registry's
        households, population = bases(v.report.commune)
        assert 0 < v.numerator <= v.denominator and 0 < v.share <= 100 and not v.rate_only, v
        registry = {"households": households, "population": population}.get(sources[v.indicator])
        assert registry is None or v.denominator == registry
    for report in reports:  # each plan was frozen with the figures it carries
        (rows,) = [s["data"]["rows"] for s in report.versions.get().content["sections"] if s.get("data")]
        stored = {v.indicator: (str(v.numerator), str(v.denominator)) for v in values if v.report_id == report.pk}
        assert {row["code"]: (row["numerator"], row["denominator"]) for row in rows} == stored

    assert client.login(username="so.haiphong", password="CongNgheSo@2026")
    response = client.get(reverse("dashboards:province_dashboard", args=[plan.province_id]))
    html = response.content.decode()
    assert response.context["indicators"]["figures"]["request"] == plan
    assert "data-no-indicators" not in html
    # The report-status column keeps following the demo's main letter.
    assert response.context["d"]["request"].letter_number == "4675/SKHCN-CNTT"
    assert "Tình trạng báo cáo theo" in html and "Công văn số 4675/SKHCN-CNTT</a>" in html

    requested = plan.communes.count()
    targets = {i["code"]: i for item in PLAN["sections"] for i in item.get("indicators", [])}
    assessments = set()
    for code, wanted in targets.items():
        row = html.split(f'data-indicator="{code}"')[1].split("</tr>")[0]
        mine = [v for v in values if v.indicator == code]
        assert f'data-figure="communes">3/{number(requested)}<' in row
        numerator, denominator = sum(v.numerator for v in mine), sum(v.denominator for v in mine)
        share = round(numerator * 100 / denominator, 2)  # weighted by each commune's denominator
        assert f'data-figure="share">{number(share, 2)} %<' in row
        unit = Indicator.objects.get(code=code).unit_label
        assert f'data-figure="total">{number(numerator, 2)} / {number(denominator, 2)} {unit}<' in row
        if wanted["target"] is None:
            assert not IndicatorTarget.objects.filter(request=plan, indicator=code).exists()
            continue
        sign = "≥" if wanted["comparison"] == "gte" else ">"
        assert escape(f"{sign} {wanted['target']} %") in row
        met = share >= wanted["target"] if sign == "≥" else share > wanted["target"]
        assessment = "Đạt" if met else "Chưa đạt"
        assert f"<td>{assessment}</td>" in row
        assert f"{number(round(share * 100 / Decimal(wanted['target']), 2), 2)} %</span>" in row
        assessments.add(assessment)
    assert assessments == {"Đạt", "Chưa đạt"}  # the demo shows both


def test_each_demo_reports_history_starts_with_its_writing(db):
    from reports.models import ReportEvent

    call_command("seed_demo", stdout=StringIO())
    for report in Report.objects.exclude(status=Report.Status.DRAFT):
        kinds = list(report.events.order_by("at", "pk").values_list("kind", flat=True))
        assert kinds[0] == ReportEvent.Kind.CREATED, (report, kinds)
