"""The department's summary of a request (reports/summary.py): figures from the accepted reports'
frozen versions, the Decree 30 document read back from its PDF, the appendix as .xlsx, editing."""

import datetime
import io
import itertools
import os
import subprocess
from decimal import Decimal

import lxml.html
import pdfplumber
import pytest
from django.urls import reverse

from dashboards.completeness import completeness
from dashboards.indicator_figures import indicator_figures
from reports import summary, workflow
from reports.indicators import Code as Indicator
from reports.models import ProvinceSummary, Report
from reports.outlines import PLAN, STATUS_REPORT, Kind, section
from teams.models import Activity, Commune, Team, Village
from tests.cast import PASSWORD
from tests.exports import helpers
from tests.reports.factories import fill_commune, make_request

MM = 72 / 25.4

OUTLINE = {
    **STATUS_REPORT,
    "sections": [
        STATUS_REPORT["sections"][0],
        section(Kind.ACTIVITIES, "Kết quả hoạt động"),
        next(s for s in PLAN["sections"] if s["kind"] == Kind.INDICATORS),  # with the plan's targets
        STATUS_REPORT["sections"][2],
    ],
}


def accepted(report_request, commune, user, values=None):
    report = workflow.start(report_request, commune, user)
    workflow.save_draft(report, report.revision, values or {})
    workflow.submit(report, user)
    workflow.accept(report, user)
    return report


def figure(numerator, denominator):
    share = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"))
    return {"numerator": Decimal(numerator), "denominator": Decimal(denominator), "share": share, "rate_only": False}


@pytest.fixture
def answered(cast):
    """X (14 villages) and Y accepted, Y at its second version; a third commune not started."""
    fill_commune(cast)
    report_request = make_request(cast, outline=OUTLINE)
    other = Commune.objects.create(province=cast.province_p, code=11000, name="Xã Vĩnh Bảo", codename="x", kind="xa")
    report_request.communes.add(other)
    dossiers, households = Indicator.DOSSIERS_ONLINE, Indicator.HOUSEHOLDS_DIGITAL_SKILLS
    accepted(
        report_request,
        cast.commune_x,
        cast.admin,
        {dossiers: figure(370, 400), households: figure(980, 1400)},
    )
    y = accepted(report_request, cast.commune_y, cast.admin, {dossiers: figure(85, 100)})
    workflow.reopen(y, cast.admin, "Bổ sung tổ dân phố mới")
    village = Village.objects.create(commune=cast.commune_y, name="Tổ dân phố số 2")
    Team.objects.create(commune=cast.commune_y, village=village, name="Tổ CNSCĐ TDP số 2")
    workflow.submit(y, cast.admin)
    workflow.accept(y, cast.admin)
    # Afterwards the registries change: the summary must keep what the communes sent.
    for n in range(3):
        Village.objects.create(commune=cast.commune_x, name=f"Thôn mới {n}")
    Activity.objects.create(team=cast.team_x, date=datetime.date(2026, 1, 20), kind="training", people_helped=99)
    return report_request


def frozen(report_request, kind):
    """The data block ``kind`` of each accepted report's last version, read straight from the versions."""
    blocks = []
    for report in Report.objects.filter(request=report_request, status="accepted"):
        content = report.versions.order_by("number").last().content
        blocks.append(next(s["data"] for s in content["sections"] if s["kind"] == kind))
    return blocks


def test_totals_are_the_sums_of_the_frozen_figures_not_of_the_registry(cast, answered):
    figures = summary.summary_figures(answered)
    general, activities = frozen(answered, Kind.GENERAL), frozen(answered, Kind.ACTIVITIES)
    totals = figures["totals"]
    assert totals["villages"] == sum(g["villages"] for g in general) == 14 + 2
    assert totals["covered"] == sum(g["villages_covered"] for g in general)
    assert totals["teams"] == sum(g["teams"] for g in general)
    assert totals["members"] == sum(g["members"] for g in general)
    assert totals["activities"] == sum(a["totals"]["count"] for a in activities) == 2
    assert totals["people"] == sum(a["totals"]["people"] for a in activities) == 12 + 30
    assert totals["coverage"] == round(Decimal(totals["covered"] * 100) / totals["villages"], 2)
    assert Village.objects.filter(commune__province=cast.province_p).count() == 14 + 2 + 3
    assert (figures["requested"], figures["accepted"]) == (3, 2)


def test_indicators_combine_the_frozen_values_against_the_plan_targets(answered):
    """Weighted: (370 + 85) / (400 + 100) = 91 %, where the mean of 92.5 % and 85 % would be 88.75 %."""
    indicators = {i["code"]: i for i in summary.summary_figures(answered)["indicators"]}
    dossiers = indicators[Indicator.DOSSIERS_ONLINE]
    assert (dossiers["communes"], dossiers["covered"], dossiers["share"], dossiers["target"], dossiers["met"]) == (
        2,
        2,
        Decimal("91.00"),
        Decimal(90),
        True,
    )
    households = indicators[Indicator.HOUSEHOLDS_DIGITAL_SKILLS]
    assert (households["communes"], households["total"], households["share"]) == (1, Decimal(980), Decimal(70))


def test_versions_frozen_before_the_catalogue_keep_their_figures():
    """A percentage typed alone is a rate only; a count's denominator is the base of its share."""
    old_rate = {"code": "dossiers_online", "label": "x", "unit": "percent", "value": "92.50", "share": "92.50"}
    old_count = {"code": "households_digital_skills", "label": "x", "unit": "households", "value": "980", "share": "70"}
    assert summary.frozen_entry(old_rate) == {
        "numerator": None,
        "denominator": None,
        "share": Decimal("92.50"),
        "rate_only": True,
    }
    assert summary.frozen_entry(old_count) == {
        "numerator": Decimal(980),
        "denominator": Decimal(1400),
        "share": Decimal(70),
        "rate_only": False,
    }


def test_targets_are_the_requests_stored_targets_as_on_the_dashboard(answered):
    """A target changed in the admin (IndicatorTarget) shows in the summary as in the dashboard's table."""
    answered.targets.filter(indicator=Indicator.DOSSIERS_ONLINE).update(target=Decimal(95))
    indicators = {i["code"]: i for i in summary.summary_figures(answered)["indicators"]}
    dossiers = indicators[Indicator.DOSSIERS_ONLINE]
    assert (dossiers["target"], dossiers["met"]) == (Decimal(95), False)
    dashboard = {i["code"]: i for i in indicator_figures(answered)["indicators"]}
    assert dashboard[Indicator.DOSSIERS_ONLINE]["target"] == dossiers["target"]


def test_communes_without_an_accepted_report_are_listed_as_such(cast, answered):
    workflow.start(answered, Commune.objects.get(name="Xã Vĩnh Bảo"), cast.admin)
    rows = {row["name"]: row for row in summary.summary_figures(answered)["rows"]}
    assert [name for name, row in rows.items() if not row["accepted"]] == ["Xã Vĩnh Bảo"]
    assert rows["Xã Vĩnh Bảo"]["status"] == "Đang soạn" and rows["Xã Vĩnh Bảo"]["villages"] is None


def test_each_commune_is_labelled_as_on_the_completeness_page(cast, answered):
    """A sent report is "on time" or "late" against the request's deadline, as on the completeness page."""
    late = workflow.start(answered, Commune.objects.get(name="Xã Vĩnh Bảo"), cast.admin)
    Report.objects.filter(pk=late.pk).update(
        status=Report.Status.SUBMITTED, first_submitted_at=answered.deadline + datetime.timedelta(hours=1)
    )
    rows = {row["name"]: row["status"] for row in summary.summary_figures(answered)["rows"]}
    assert rows["Xã Vĩnh Bảo"] == "Đã gửi muộn"
    groups = completeness(answered)["groups"]
    assert rows == {item["commune"].name: label for _, label, items in groups for item in items}


def test_the_figures_take_five_queries(answered, django_assert_num_queries):
    """Communes, reports, accepted versions, targets and catalogue entries, however many communes."""
    with django_assert_num_queries(5):
        summary.summary_figures(answered)


@pytest.fixture
def staff(client, cast):
    client.login(username="staff_p", password=PASSWORD)
    return client


@pytest.fixture
def registered(answered, staff):
    """The summary saved by the department with a number, a date, a signer and its two sections."""
    response = staff.post(
        reverse("reports:summary_edit", args=[answered.pk]),
        {
            "parent_body": "UBND thành phố Hải Phòng",
            "issuing_body": "Sở Khoa học và Công nghệ",
            "symbol": "bc-skhcn",
            "number": "15",
            "issued_on": "2026-01-20",
            "place": "Hải Phòng",
            "subject": "Kết quả tổng hợp tình hình hoạt động Tổ công nghệ số cộng đồng",
            "opening": "Thực hiện chỉ đạo của UBND thành phố, Sở tổng hợp như sau:",
            "closing": "Trên đây là báo cáo của Sở./.",
            "assessment": "Các xã đã **tích cực** triển khai.\n- Hạn chế: thiếu thiết bị.<script>alert(1)</script>",
            "proposals": "- Bố trí kinh phí tập huấn.",
            "signer_authority": "KT. Giám đốc",
            "signer_title": "Phó Giám đốc",
            "signer_name": "Nguyễn Văn Sở",
            "recipients": "UBND thành phố (b/c)\nGiám đốc Sở (b/c)\nLưu: VT, CNTT",
        },
    )
    assert response.status_code == 302
    return ProvinceSummary.objects.get(request=answered)


def test_saving_keeps_the_header_and_sanitised_prose(registered, cast):
    assert (registered.number, registered.symbol, registered.updated_by) == ("15", "BC-SKHCN", cast.staff_p)
    html = registered.prose["assessment"]["html"]
    assert "<strong>tích cực</strong>" in html and "<script>" not in html
    assert registered.prose_text("proposals") == "- Bố trí kinh phí tập huấn."


def test_a_bad_number_is_refused_in_vietnamese_and_the_typing_is_kept(answered, staff):
    url = reverse("reports:summary_edit", args=[answered.pk])
    response = staff.post(url, {"number": "15a", "symbol": "BC-SKHCN", "assessment": "Đoạn đã gõ"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "ký hiệu /BC-SKHCN được thêm tự động" in page and "Đoạn đã gõ" in page
    assert not ProvinceSummary.objects.exists()


def test_the_preview_page_suggests_wording_before_anything_is_saved(answered, staff):
    page = staff.get(reverse("reports:summary_detail", args=[answered.pk])).content.decode()
    assert "UBND THÀNH PHỐ HẢI PHÒNG" in page and "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in page
    assert "Số:       /BC-SKHCN" in page
    assert "Chưa có báo cáo được tiếp nhận (chưa soạn)" in page
    assert not ProvinceSummary.objects.exists()


def test_the_completeness_page_links_to_the_summary(answered, staff):
    page = staff.get(reverse("dashboards:completeness", args=[answered.pk])).content.decode()
    assert reverse("reports:summary_detail", args=[answered.pk]) in page


def pdf_of(staff, report_request):
    """The PDF the summary's "Tải PDF" button makes (in the background: tests/exports/helpers.py)."""
    response = helpers.download(staff, reverse("reports:summary_pdf", args=[report_request.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = helpers.content(response)
    if os.environ.get("SUMMARY_PDF"):
        with open(os.environ["SUMMARY_PDF"], "wb") as out:
            out.write(pdf)
    return pdf


def squash(text):
    return "".join(text.split())


def test_the_pdf_has_the_departments_header_title_totals_and_signer(registered, staff):
    pdf = pdfplumber.open(io.BytesIO(pdf_of(staff, registered.request)))
    first = pdf.pages[0]
    assert (round(first.width / MM), round(first.height / MM)) == (210, 297)
    text = first.extract_text()
    for expected in (
        "UBND THÀNH PHỐ HẢI PHÒNG",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 15/BC-SKHCN",
        "Hải Phòng, ngày 20 tháng 01 năm 2026",
        "BÁO CÁO",
    ):
        assert expected in text
    portrait = squash(" ".join(p.extract_text() for p in pdf.pages if p.width < p.height))
    totals = summary.summary_figures(registered.request)["totals"]
    for expected in (
        "Kết quả tổng hợp tình hình hoạt động Tổ công nghệ số cộng đồng",
        "I. TÌNH HÌNH CHUNG",
        "đã có báo cáo được tiếp nhận: 2 (66,67 %)",
        f"Tổng số thôn, tổ dân phố: {totals['villages']}; số thôn, tổ dân phố đã có Tổ công nghệ số cộng đồng: "
        f"{totals['covered']}",
        f"Số Tổ công nghệ số cộng đồng đã thành lập: {totals['teams']} Tổ.",
        f"Số thành viên Tổ công nghệ số cộng đồng: {totals['members']} người.",
        "Hoạt động trong kỳ: 2 lượt hoạt động, hỗ trợ 42 lượt người.",
        "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "91 %",
        "III. ĐÁNH GIÁ CHUNG",
        "Các xã đã tích cực triển khai.",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "- Bố trí kinh phí tập huấn.",
        "- Lưu: VT, CNTT.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn Sở",
    ):
        assert squash(expected) in portrait, expected
    # Typed markup is printed as the text it is, never run.
    assert squash("<script>alert(1)</script>") in portrait


def test_the_appendix_is_on_landscape_pages_with_one_row_per_commune_and_the_total(registered, staff):
    pdf = pdfplumber.open(io.BytesIO(pdf_of(staff, registered.request)))
    landscape = [p for p in pdf.pages if p.width > p.height]
    assert landscape and pdf.pages[-1] in landscape
    assert (round(landscape[0].width / MM), round(landscape[0].height / MM)) == (297, 210)
    text = "\n".join(p.extract_text() for p in landscape)
    assert "PHỤ LỤC" in text and "(Kèm theo Báo cáo số 15/BC-SKHCN ngày 20/01/2026" in text
    header = text.split("Công nghệ)\n", 1)[1].split("\n1 ", 1)[0].split()  # words of wrapped column titles
    assert header[:11] == ["STT", "Xã,", "phường", "Số", "Thôn,", "Tỷ", "lệ", "Số", "Tổ", "Thành", "Hoạt"]
    assert "Người" in header and "hỗ" in header  # the request's outline has activities
    figures = summary.summary_figures(registered.request)
    lines = text.splitlines()
    for n, row in enumerate(figures["rows"], start=1):
        line = next(line for line in lines if line.startswith(f"{n} {row['name']}"))
        if row["accepted"]:
            assert f" {row['villages']} {row['covered']} " in line
        else:
            assert "Chưa có báo cáo được tiếp nhận" in line
    t = figures["totals"]
    total = next(line for line in lines if line.startswith("Tổng cộng"))
    assert f"{t['villages']} {t['covered']} 100 {t['teams']} {t['members']} {t['activities']} {t['people']}" in total


def test_the_pdf_embeds_the_committed_serif_font_only(registered, staff, tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf_of(staff, registered.request))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Liberation-Serif" in row.split()[0] and row.split()[-5] == "yes", row


def test_the_appendix_exports_to_excel_with_the_same_rows(registered, staff):
    response = helpers.download(staff, reverse("reports:summary_xlsx", args=[registered.request.pk]))
    assert 'filename="phu-luc-tong-hop-' in response["Content-Disposition"]
    sheet = helpers.sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("STT", "Xã/phường", "Tình trạng báo cáo", "Số thôn, tổ dân phố")
    assert "Tỷ lệ hồ sơ thủ tục hành chính nộp và xử lý trực tuyến: tỷ lệ (%)" in rows[0]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:") and len(rows) == 5
    figures = summary.summary_figures(registered.request)
    for values, row in zip(rows[1:4], figures["rows"], strict=True):
        assert values[1] == row["name"]
        assert values[3:5] == (row["villages"], row["covered"])
    assert rows[-1][1] == "Tổng cộng" and rows[-1][3] == figures["totals"]["villages"]
    assert rows[-1][2] == "2/3 đã tiếp nhận"
    assert sheet["D2"].number_format == "#,##0" and sheet["F2"].number_format == "0.00"


def test_no_document_number_breaks_across_lines_in_the_summary(registered, staff):
    from tests.reports.test_pdf import BROKEN_NUMBER

    pdf = pdfplumber.open(io.BytesIO(pdf_of(staff, registered.request)))
    lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
    assert [line for line in lines if BROKEN_NUMBER.search(line)] == []
    assert any("15/BC-SKHCN" in line for line in lines)


def test_a_subject_ending_with_the_area_is_not_doubled_in_the_summarys_title(cast):
    from reports.outlines import PLAN

    report_request = make_request(cast, outline=PLAN)
    assert report_request.report_subject.endswith("trên địa bàn")
    suggested = summary.new_summary(report_request)
    for text in (suggested.subject, suggested.closing):
        assert "trên địa bàn trên địa bàn" not in text
        assert "trên địa bàn thành phố Hải Phòng" in text


def test_the_appendix_counts_take_their_units_format_and_its_filter_leaves_out_the_total(registered, staff):
    """Sorting the communes never moves "Tổng cộng" among them; households print 7.775 (issue 16)."""
    sheet = helpers.sheet(helpers.download(staff, reverse("reports:summary_xlsx", args=[registered.request.pk])))
    rows = list(sheet.iter_rows())
    assert rows[-1][1].value == "Tổng cộng"
    last_column = rows[0][-1].column_letter
    assert sheet.auto_filter.ref == f"A1:{last_column}{len(rows) - 1}"
    checked = []
    for index, header in enumerate(cell.value for cell in rows[0]):
        filled = [row[index] for row in rows[1:] if row[index].value is not None]
        if not filled:  # an empty cell has no format of its own
            continue
        if header.endswith("(%)"):
            want = "0.00"
        elif header.startswith("Số") or header.endswith(("(hộ)", "(người)", "(hồ sơ)", "(tài khoản)")):
            want = "#,##0"
        else:
            continue
        assert {cell.number_format for cell in filled} == {want}, header
        checked.append(header)
    assert any(header.endswith("(hộ)") for header in checked) and "Số thôn, tổ dân phố" in checked


@pytest.fixture
def without_activities(cast, staff):
    """A status report's request (its outline has no activities section): X accepted, Y not started."""
    fill_commune(cast)
    report_request = make_request(cast)
    assert Kind.ACTIVITIES not in {s["kind"] for s in report_request.outline}
    accepted(report_request, cast.commune_x, cast.admin)
    return report_request


def test_without_activities_in_the_outline_the_appendix_has_no_columns_of_dashes(without_activities, staff):
    """The body says nothing of activities then (block_summary_general.html), and the appendix's
    rows, its missing report's cell included, still end at the table's right edge (a span too
    short would leave a gap; test_every_row_of_the_appendix_spans_its_header checks the spans)."""
    pdf = pdfplumber.open(io.BytesIO(pdf_of(staff, without_activities)))
    (page,) = [p for p in pdf.pages if p.width > p.height]
    text = page.extract_text()
    assert "STT Xã, phường Số thôn, TDP Thôn, TDP có Tổ Tỷ lệ (%) Số Tổ Thành viên\n" in text
    assert "Hoạt động" not in text and "hỗ trợ" not in text and "—" not in text
    assert "Hoạt động trong kỳ" not in " ".join(p.extract_text() for p in pdf.pages)
    x = summary.summary_figures(without_activities)["rows"][1]
    assert f"2 {x['name']} {x['villages']} {x['covered']} 100 {x['teams']} {x['members']}\n" in text
    # Each cell is a frame (WeasyPrint draws it twice, filled and stroked): one right edge per row.
    rows = {}
    for rect in page.rects:
        rows.setdefault(round(rect["top"]), []).append(rect["x1"])
    table_right = max(rows.pop(min(rows)))  # the table's own frame, around every row
    assert len(rows) == 4  # the header, two communes, the total
    for edges in rows.values():
        assert max(edges) == pytest.approx(table_right, abs=0.5)
    header = sorted(rows[min(rows)])
    cells = 1 + sum(1 for left, right in itertools.pairwise(header) if right - left > 2)
    assert cells == 7  # STT, the name and five figures


@pytest.mark.parametrize("with_activities", [True, False])
@pytest.mark.parametrize("with_indicators", [True, False])
def test_every_row_of_the_appendix_spans_its_header(cast, staff, with_activities, with_indicators):
    """On the preview page (the PDF's own template): the header has the activities' columns only
    with activities, and each row, a commune without an accepted report included, spans exactly
    the header's columns (a wider span is invisible in the PDF: WeasyPrint gives the extra
    columns no width)."""
    first, indicators, last = STATUS_REPORT["sections"][0], OUTLINE["sections"][2], STATUS_REPORT["sections"][2]
    sections = [first]
    sections += [section(Kind.ACTIVITIES, "Kết quả hoạt động")] if with_activities else []
    sections += [indicators] if with_indicators else []
    fill_commune(cast)
    report_request = make_request(cast, outline={**STATUS_REPORT, "sections": [*sections, last]})
    values = {Indicator.DOSSIERS_ONLINE: figure(370, 400)} if with_indicators else {}
    accepted(report_request, cast.commune_x, cast.admin, values)  # Y has not started its report
    page = staff.get(reverse("reports:summary_detail", args=[report_request.pk])).content.decode()
    (table,) = lxml.html.fromstring(page).find_class("vb-appendix-table")
    header, *rows = table.iter("tr")
    titles = [th.text_content() for th in header]
    indicator_count = len(summary.summary_figures(report_request)["indicators"])
    assert (indicator_count > 0) == with_indicators
    assert ("Hoạt động" in titles and "Người được hỗ trợ" in titles) == with_activities
    assert len(titles) == 2 + (7 if with_activities else 5) + indicator_count
    spans = [sum(int(cell.get("colspan", 1)) for cell in row) for row in rows]
    assert len(rows) == 3 and spans == [len(titles)] * 3  # X, Y without a report, the total
    assert "Chưa có báo cáo được tiếp nhận" in rows[0].text_content() + rows[1].text_content()
