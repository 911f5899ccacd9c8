import pytest
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
