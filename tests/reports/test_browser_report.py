import io

import pdfplumber
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import Report
from tests.cast import PASSWORD

pytestmark = pytest.mark.browser


def test_an_official_writes_a_section_submits_and_downloads_the_pdf(cast, report_request, login_page, live_server):
    page = login_page(cast.official_x, PASSWORD)
    page.click("text=Báo cáo")
    page.click("text=Số 4675/SKHCN-CNTT")
    page.click("button:has-text('Soạn báo cáo')")
    page.fill("textarea[name=prose_s2]", "Tổ trực tại **Trung tâm Phục vụ hành chính công**.\n- Hướng dẫn VNeID.")
    page.fill("input[name=signer_name]", "Nguyễn Quang Ngọc")
    page.click("button:has-text('Lưu báo cáo')")
    # expect() waits for the page that the form's redirect loads.
    expect(page.locator("main .alert")).to_contain_text("Đã lưu báo cáo.")
    expect(page.locator(".vb strong", has_text="Trung tâm Phục vụ hành chính công")).to_have_count(1)

    # Sending asks first, saying the figures will be frozen; "Hủy" sends nothing.
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("button:has-text('Gửi báo cáo')")
    assert "sẽ được chốt" in questions[0]
    assert Report.objects.get(commune=cast.commune_x).status == Report.Status.DRAFT
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Gửi báo cáo')")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "submitted")
    report = Report.objects.get(commune=cast.commune_x)
    assert report.status == Report.Status.SUBMITTED

    with page.expect_download() as download:
        page.click("text=Tải PDF")
    pdf = pdfplumber.open(download.value.path())
    text = "".join("".join(p.extract_text().split()) for p in pdf.pages)
    assert "TổtrựctạiTrungtâmPhụcvụhànhchínhcông." in text
    assert "NguyễnQuangNgọc" in text


def test_the_browsers_print_gives_the_documents_a4_layout(cast, draft_x, login_page, live_server):
    """Chromium's own print of the print page: A4, the decree's left margin, the committed font."""
    page = login_page(cast.official_x, PASSWORD)
    page.goto(live_server.url + reverse("reports:report_print", args=[draft_x.pk]))
    page.wait_for_load_state("networkidle")
    pdf = pdfplumber.open(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    first = pdf.pages[0]
    mm = 72 / 25.4
    assert (round(first.width / mm), round(first.height / mm)) == (210, 297)
    assert 30 <= min(c["x0"] for c in first.chars) / mm <= 35
    assert "Số: /BC-UBND" in first.extract_text()
    assert all("LiberationSerif" in c["fontname"].replace("-", "") for c in first.chars)


def test_printing_the_report_page_itself_prints_the_document_alone(cast, draft_x, login_page, live_server):
    """Ctrl+P on the report's page (not the print page): no menu, buttons, messages or sidebar."""
    page = login_page(cast.official_x, PASSWORD)
    page.goto(live_server.url + reverse("reports:report_edit", args=[draft_x.pk]))
    page.click("button:has-text('Lưu báo cáo')")
    expect(page.locator("main .alert")).to_contain_text("Đã lưu báo cáo.")  # a message on the page
    page.wait_for_load_state("networkidle")
    pdf = pdfplumber.open(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    first = pdf.pages[0]
    text = "\n".join(p.extract_text() for p in pdf.pages)
    mm = 72 / 25.4
    assert (round(first.width / mm), round(first.height / mm)) == (210, 297)
    assert 30 <= min(c["x0"] for c in first.chars) / mm <= 35
    assert 15 <= (first.width - max(c["x1"] for c in first.chars)) / mm <= 20
    assert text.splitlines()[0].startswith("ỦY BAN NHÂN DÂN")
    for portal_text in ("Đã lưu báo cáo", "Sửa báo cáo", "Các lần gửi", "Quá trình xử lý", "Tổ CNSCĐ"):
        assert portal_text not in text


def test_the_communes_a_request_asks_are_found_typed_without_tones_and_ticked_together(cast, login_page, live_server):
    """static/checklist.js, on the folding static/tables.js gives every page."""
    page = login_page(cast.staff_p, PASSWORD)
    page.goto(live_server.url + reverse("reports:request_create"))
    page.fill("[data-checklist-search]", "tran hung  dao")
    shown = page.locator("[data-checklist] .form-check:visible")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text("Phường Trần Hưng Đạo")
    page.click("[data-check-all]")
    expect(page.locator("[data-checked-count]")).to_have_text("1")
