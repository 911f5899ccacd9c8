import pytest
from django.urls import reverse

from reports import signing
from tests.cast import PASSWORD
from tests.reports.signing_data import P12_PASSWORD, make_certificate, make_version

pytestmark = pytest.mark.browser


def test_an_official_signs_in_the_portal_after_a_wrong_password_and_downloads_a_valid_pdf(
    cast, login_page, live_server, tmp_path
):
    version = make_version(cast)
    make_certificate(cast.commune_x)
    page = login_page(cast.official_x, PASSWORD)
    page.goto(live_server.url + reverse("reports:version_signatures", args=[version.pk]))
    sign_form = page.locator("form", has=page.locator("input[name=password]"))

    sign_form.locator("input[name=password]").fill("sai-mat-khau")
    sign_form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Mật khẩu chứng thư số không đúng" in page.text_content("main")
    assert "Chưa có bản nào đã ký." in page.text_content("main")

    sign_form.locator("input[name=password]").fill(P12_PASSWORD)  # a locator finds the reloaded form again
    sign_form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Chữ ký số hợp lệ." in page.text_content("#signed-documents")

    with page.expect_download() as download:
        page.click("#signed-documents >> text=Tải về")
    path = tmp_path / "da-ky.pdf"
    download.value.save_as(path)
    assert signing.validate_pdf(path.read_bytes()).all_valid
