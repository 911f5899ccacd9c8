import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.cast import PASSWORD

pytestmark = pytest.mark.browser


def test_department_staff_open_the_dashboard_drill_down_and_download_an_export(cast, login_page):
    page = login_page(cast.staff_p, PASSWORD)
    page.click("text=Xem thống kê của tỉnh/thành phố")
    page.wait_for_load_state()
    assert page.text_content("h1") == "Thống kê Thành phố Hải Phòng"
    # Chart.js came from static/ and drew the trend chart.
    assert page.evaluate("typeof Chart") == "function"
    assert page.evaluate("Chart.getChart(document.getElementById('trend-chart')) !== undefined")
    with page.expect_download() as download_info:
        page.click("[data-export]")
    download = download_info.value
    assert download.suggested_filename == "xa-phuong-hai_phong.xlsx"
    with open(download.path(), "rb") as file:  # Playwright's file has no .xlsx suffix
        sheet = load_workbook(file).active
    assert sheet["A1"].value == "Xã/phường" and sheet.max_row == 3
    page.click("#communes >> text=Xã Hà Tây")
    page.wait_for_load_state()
    assert page.text_content("h1") == "Xã Hà Tây"


def test_on_a_phone_the_communes_are_half_height_cards_that_a_search_narrows(cast, login_page, live_server):
    """A province of a hundred communes is a long scroll on a phone: each card puts its figures two
    to a line under the commune's name, and the box above finds a commune typed without tones."""
    from tests.dashboards.test_dashboard import add_communes

    add_communes(cast, 20, seed=7)
    page = login_page(cast.staff_p, PASSWORD, viewport={"width": 390, "height": 844})
    page.goto(live_server.url + reverse("dashboards:province_dashboard", args=[cast.province_p.pk]))
    rows = page.locator("#communes > tbody > tr")
    assert rows.count() == 22
    first = rows.first.bounding_box()
    cells = page.evaluate(
        "() => [...document.querySelectorAll('#communes > tbody > tr:first-child > td')]"
        ".map(td => Math.round(td.getBoundingClientRect().top))"
    )
    figures = [top for top in cells[1:] if top]  # an empty cell (no status without a request) is not shown
    assert len(figures) >= 6 and len(set(figures)) == (len(figures) + 1) // 2 and cells[0] < min(figures)
    assert first["height"] < 200 and first["width"] <= 390
    page.fill("input[data-filter-rows=communes]", "ha tay")
    assert [row.strip() for row in rows.filter(visible=True).all_text_contents()][0].startswith("Xã Hà Tây")
    assert rows.filter(visible=True).count() == 1
    page.fill("input[data-filter-rows=communes]", "không có xã này")
    assert rows.filter(visible=True).count() == 0
    assert page.is_visible("text=Không có xã, phường nào khớp.")
