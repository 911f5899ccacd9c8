"""The built-in outlines follow the seed documents, numbered as Decree 30 numbers parts (I., 1., a))."""

import io

import pdfplumber
import pytest
from django.urls import reverse

from reports import rendering, workflow
from reports.models import ReportRequest
from reports.outlines import ANNUAL_REPORT, PLAN, STATUS_REPORT, section_numbers
from tests.reports.factories import make_request, outline_data
from tests.reports.matrix import request_data

# The headings of the seed documents, as the built-in outline numbers them.
SEED_000_002 = [
    "1. Báo cáo tình hình chung",
    "2. Mô hình, cách làm hay đã triển khai tại địa phương",
    "3. Một số đề xuất, giải pháp, kiến nghị",
]
SEED_001 = [
    "I. KẾT QUẢ HOẠT ĐỘNG",
    "1. Thông tin chung",
    "2. Công tác chỉ đạo điều hành",
    "3. Kết quả đạt được",
    "4. Thành phần và tập huấn thành viên Tổ",
    "II. TỒN TẠI, HẠN CHẾ, NGUYÊN NHÂN",
    "III. ĐỀ XUẤT, KIẾN NGHỊ",
    "IV. PHƯƠNG HƯỚNG HOẠT ĐỘNG NĂM TỚI",
]
SEED_003 = [
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "2. Yêu cầu",
    "II. MỤC TIÊU",
    "1. Mục tiêu tổng quát",
    "2. Mục tiêu cụ thể",
    "III. NỘI DUNG",
    "1. Nhiệm vụ, nội dung hoạt động và chế độ báo cáo",
    "2. Tập huấn nghiệp vụ cho Tổ công nghệ số cộng đồng",
    "IV. KINH PHÍ",
    "V. TỔ CHỨC THỰC HIỆN",
]


@pytest.mark.parametrize(
    ("outline_name", "headings", "document_type"),
    [("status_report", SEED_000_002, "BC"), ("annual_report", SEED_001, "BC"), ("plan", SEED_003, "KH")],
)
def test_each_built_in_outline_gives_the_seeds_numbered_headings(client, cast, outline_name, headings, document_type):
    client.force_login(cast.staff_p)
    response = client.post(reverse("reports:request_create"), {**request_data(cast), "outline_name": outline_name})
    assert response.status_code == 302
    report_request = ReportRequest.objects.get(letter_number="12/SKHCN-CNTT")
    assert [f"{s['number']} {s['title']}" for s in report_request.numbered_sections()] == headings
    assert report_request.document_type == document_type
    page = client.get(reverse("reports:request_detail", args=[report_request.pk])).content.decode()
    assert all(heading in page for heading in headings)


def test_the_data_blocks_sit_where_the_seeds_give_those_figures():
    kinds = {
        item["title"]: item["kind"] for outline in (STATUS_REPORT, ANNUAL_REPORT, PLAN) for item in outline["sections"]
    }
    assert kinds["Báo cáo tình hình chung"] == "general"
    assert kinds["Thông tin chung"] == "general"
    assert kinds["Kết quả đạt được"] == "activities"
    assert kinds["Thành phần và tập huấn thành viên Tổ"] == "members"
    assert kinds["Mục tiêu cụ thể"] == "indicators"


@pytest.mark.parametrize(
    ("numbering", "levels", "numbers"),
    [
        ("roman", [1, 2, 2, 1, 2, 3, 3, 2, 1], ["I.", "1.", "2.", "II.", "1.", "a)", "b)", "2.", "III."]),
        ("arabic", [1, 2, 2, 1, 2, 3], ["1.", "a)", "b)", "2.", "a)", "b)"]),
        ("arabic", [None, None, None], ["1.", "2.", "3."]),  # outlines stored before levels existed
    ],
)
def test_sections_are_numbered_by_level_and_restart_under_each_parent(numbering, levels, numbers):
    assert section_numbers([{"level": level} for level in levels], numbering) == numbers


def test_the_plan_prints_as_a_ke_hoach_with_its_parts_in_order_and_its_targets(cast):
    cast.village_x.households = 100
    cast.village_x.save()
    report = workflow.start(make_request(cast, outline=PLAN), cast.commune_x, cast.official_x)
    with pdfplumber.open(io.BytesIO(rendering.report_pdf(report))) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    lines = [line.strip() for line in text.splitlines()]
    assert "KẾ HOẠCH" in lines and any(line.startswith("Số:") and "/KH-UBND" in line for line in lines)
    positions = [lines.index(heading) for heading in SEED_003]
    assert positions == sorted(positions)
    assert "≥ 70 %" in text and "> 80 %" in text


def test_the_department_makes_a_section_a_subsection_in_the_outline_editor(client, cast):
    report_request = make_request(cast)
    sections = [{**item} for item in report_request.outline]
    sections[2]["level"] = 2
    client.force_login(cast.staff_p)
    response = client.post(reverse("reports:request_outline", args=[report_request.pk]), outline_data(sections))
    assert response.status_code == 302
    report_request.refresh_from_db()
    assert [s["number"] for s in report_request.numbered_sections()] == ["1.", "2.", "a)"]
    form = client.get(reverse("reports:request_outline", args=[report_request.pk])).content.decode()
    assert '<option value="2" selected>Mục con</option>' in form
