import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from exports.jobs import build_export
from exports.models import Export
from tests.cast import PASSWORD

pytestmark = pytest.mark.browser


def test_the_files_page_waits_for_the_worker_reloading_itself_then_offers_the_file(cast, login_page, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page = login_page(cast.staff_p, PASSWORD)
    page.click("text=Xem thống kê của tỉnh/thành phố")
    page.click("#province-exports >> text=thành viên")
    expect(page.locator("#export")).to_have_attribute("data-export-status", "queued")
    expect(page.locator("#export")).to_contain_text("Đang chờ")

    build_export.call(Export.objects.get().pk)  # what the worker does, meanwhile

    # static/refresh.js reloads the page (no inline script: the CSP allows none).
    expect(page.locator("#export")).to_contain_text("Đã xong — Tải về", timeout=10_000)
    with page.expect_download() as download_info:
        page.click("text=Tải về")
    download = download_info.value
    assert download.suggested_filename == f"thanh-vien-{cast.province_p.codename}.xlsx"
    with open(download.path(), "rb") as file:
        sheet = load_workbook(file).active
    assert sheet["B1"].value == "Họ và tên" and sheet.max_row > 1
    page.click("nav >> text=Tệp đã yêu cầu")
    expect(page.locator("#exports")).to_contain_text("Thành viên của Thành phố Hải Phòng (Excel)")
