"""The demo's ward, Phường Trần Hưng Đạo, writes "phường" and "tổ dân phố" in its report and plan;
the demo's communes keep "xã" and "thôn"."""

import html
import re
from io import StringIO

from django.core.management import call_command
from django.utils.html import strip_tags

from reports import rendering
from reports.models import Report


def text_of(report):
    return re.sub(r"\s+", " ", html.unescape(strip_tags(rendering.current_html(report))).replace("\xa0", " "))


def test_the_demo_wards_report_and_plan_speak_of_phuong_and_to_dan_pho(db):
    call_command("seed_demo", stdout=StringIO())
    ward_report = Report.objects.get(request__letter_number="4675/SKHCN-CNTT", commune__name="Phường Trần Hưng Đạo")
    report = text_of(ward_report)
    assert "- Các tổ dân phố, Tổ CNSCĐ;" in report and "- Lãnh đạo UBND phường;" in report
    assert "Số lượng tổ dân phố trên địa bàn: 28 tổ dân phố" in report
    assert "(trong đó 1 Tổ cấp phường)" in report
    assert report.count("Quyết định thành lập") == 1
    assert "Quyết định số 597/QĐ-UBND ngày 05/9/2025 của UBND phường Trần Hưng Đạo; Quyết định số 598/QĐ-UBND" in report
    assert not re.search(r"\bthôn\b", report, re.IGNORECASE) and "CNS cộng đồng" not in report

    ward_plan = Report.objects.get(request__letter_number="4102/SKHCN-CNTT", commune__name="Phường Trần Hưng Đạo")
    plan = text_of(ward_plan)
    assert "Ban Chỉ đạo chuyển đổi số phường đến các tổ dân phố." in plan
    assert "hộ gia đình tại các tổ dân phố" in plan and "về UBND phường trước ngày 15" in plan
    assert "các tổ dân phố kịp thời phản ánh về UBND phường" in plan
    assert "- Các tổ dân phố, Tổ CNSCĐ;" in plan
    assert not re.search(r"\bthôn\b|\bxã\b(?! hội)", plan, re.IGNORECASE)  # not "thông minh", "xã hội"

    commune_plan = Report.objects.get(request__letter_number="4102/SKHCN-CNTT", commune__name="Xã Hà Tây")
    plan = text_of(commune_plan)
    assert "Ban Chỉ đạo chuyển đổi số xã đến các thôn." in plan
    assert "các thôn kịp thời phản ánh về UBND xã" in plan and "- Các thôn, Tổ CNSCĐ;" in plan
    assert not re.search(r"phường|tổ dân phố", plan, re.IGNORECASE)
