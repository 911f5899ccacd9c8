"""In Chromium: department staff add an indicator, put it into a request, a commune fills it (the
rules firing while it types), and the dashboard and the trend show it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import Indicator, Report, ReportRequest
from tests.cast import PASSWORD

pytestmark = pytest.mark.browser
CODE = "ho_kinh_doanh_tmdt"


def test_staff_add_an_indicator_a_commune_fills_it_and_the_dashboard_and_trend_show_it(cast, login_page, live_server):
    Indicator.objects.ensure_seed()  # the browser tests' flush empties what the migration put there
    staff = login_page(cast.staff_p, PASSWORD)
    staff.goto(live_server.url + reverse("reports:indicator_list"))
    staff.click("a.btn:has-text('Thêm chỉ tiêu')")
    staff.fill("input[name=code]", CODE)
    staff.fill("input[name=name]", "Tỷ lệ hộ kinh doanh bán hàng trên sàn thương mại điện tử")
    staff.select_option("select[name=unit]", "businesses")
    staff.fill("input[name=numerator_label]", "Số hộ kinh doanh bán trên sàn thương mại điện tử")
    staff.fill("input[name=denominator_label]", "Tổng số hộ kinh doanh")
    staff.click("button:has-text('Lưu chỉ tiêu')")
    expect(staff.locator(f'[data-indicator="{CODE}"]')).to_contain_text("Riêng Thành phố Hải Phòng")

    staff.goto(live_server.url + reverse("reports:request_create"))
    staff.fill("input[name=letter_number]", "77/SKHCN-CNTT")
    staff.fill("input[name=letter_date]", "01/03/2026")
    staff.fill("input[name=subject]", "báo cáo chỉ tiêu thương mại điện tử quý I")
    staff.fill("input[name=period_start]", "01/01/2026")
    staff.fill("input[name=period_end]", "31/03/2026")
    staff.fill("input[name=deadline_0]", "05/04/2099")
    staff.fill("input[name=deadline_1]", "17:00")
    staff.check(f"input[name=communes][value='{cast.commune_x.pk}']")
    indicator = Indicator.objects.get(code=CODE)
    staff.check(f"input[name=indicators][value='{indicator.pk}']")
    staff.click("button:has-text('Tạo yêu cầu')")
    expect(staff.locator("main .alert")).to_contain_text("Đã tạo yêu cầu báo cáo")
    report_request = ReportRequest.objects.get(letter_number="77/SKHCN-CNTT")
    assert CODE in report_request.indicator_codes()

    official = login_page(cast.official_x, PASSWORD)
    official.goto(live_server.url + reverse("reports:request_detail", args=[report_request.pk]))
    official.click("button:has-text('Soạn báo cáo')")
    group = official.locator(f'[data-indicator-group="{CODE}"]')
    problems = group.locator("[data-indicator-problems]")
    # The rules fire while the commune types, before anything is sent.
    group.locator("[data-part=numerator]").fill("45")
    group.locator("[data-part=denominator]").fill("40")
    expect(problems).to_contain_text("Tử số (45) không được lớn hơn mẫu số (40).")
    group.locator("[data-part=denominator]").fill("")
    expect(problems).to_contain_text("Cần nhập cả tử số và mẫu số")
    group.locator("[data-part=denominator]").fill("1.500")  # 1,500 as a Vietnamese commune types it
    expect(problems).to_have_text("")
    expect(group.locator("[data-indicator-rate]")).to_have_text("Tỷ lệ: 3,00 %")
    official.fill("input[name=signer_name]", "Nguyễn Quang Ngọc")
    official.click("button:has-text('Lưu báo cáo')")
    expect(official.locator("main .alert").first).to_contain_text("Đã lưu báo cáo.")
    official.once("dialog", lambda dialog: dialog.accept())  # "sending freezes the figures": yes
    official.click("button:has-text('Gửi báo cáo')")
    expect(official.locator("[data-status]")).to_have_attribute("data-status", "submitted")
    value = Report.objects.get(request=report_request).indicator_values.get()
    assert (value.numerator, value.denominator, value.share) == (45, 1500, 3)

    staff.goto(live_server.url + reverse("dashboards:province_dashboard", args=[cast.province_p.pk]))
    staff.select_option("select[name=chi_tieu]", str(report_request.pk))
    staff.click("#chi-tieu ~ form button:has-text('Xem')")
    row = staff.locator(f'#indicators tr[data-indicator="{CODE}"]')
    expect(row.locator('[data-figure="share"]')).to_have_text("3 %")
    expect(row.locator('[data-figure="covered"]')).to_contain_text("tỷ lệ tính trên 1 xã/phường")

    staff.goto(live_server.url + reverse("dashboards:indicator_trend", args=[indicator.pk]))
    expect(staff.locator('#indicator-trend tr[data-commune="Xã Hà Tây"]')).to_contain_text("3 %")
    expect(staff.locator("#indicator-trend-chart")).to_be_visible()
    # Chart.js drew on the canvas from the page's JSON (no inline script: static/indicator_trend.js).
    drawn = staff.evaluate("() => !!Chart.getChart(document.getElementById('indicator-trend-chart'))")
    assert drawn
