from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from demo.seed import DEMO_PASSWORD
from demo.signing import DEMO_CERTIFICATE_PASSWORD
from portal.models import User
from reports.signing import pdf as signing
from tests.cast import PASSWORD
from tests.reports.signing_data import P12_PASSWORD, make_certificate, make_version

pytestmark = pytest.mark.browser


def test_an_official_signs_in_the_portal_after_a_wrong_password_and_downloads_a_valid_pdf(
    cast, login_page, live_server, tmp_path, trusted_root
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
    expect(page.locator("#signed-documents [data-check=valid]")).to_have_text("Hợp lệ")  # its root is trusted

    with page.expect_download() as download:
        page.click("#signed-documents >> text=Tải về")
    path = tmp_path / "da-ky.pdf"
    download.value.save_as(path)
    assert signing.validate_pdf(path.read_bytes()).unchanged


def test_ha_tays_official_signs_the_sent_demo_report_and_sees_it_intact_but_its_test_signer_unverified(
    db, login_page, live_server, tmp_path
):
    """The demo as `make run` leaves it: Hà Tây's report sent, its self-signed TEST certificate uploaded
    and no trust roots configured, so the signature is intact but never called valid."""
    call_command("seed_demo", stdout=StringIO())
    page = login_page(User.objects.get(username="xa.hatay"), DEMO_PASSWORD)
    page.click("nav >> text=Báo cáo")
    page.click("tr:has-text('4675/SKHCN-CNTT') >> a:has-text('Đã gửi')")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "submitted")

    page.click("[data-version='1'] >> text=ký, tải lên bản đã ký")  # the submitted version's signatures
    expect(page.locator("h1")).to_have_text("Bản đã ký của báo cáo")
    expect(page.locator("main")).to_contain_text("UBND xã Hà Tây (TEST)")  # the certificate offered
    page.fill("#ky-so input[name=password]", DEMO_CERTIFICATE_PASSWORD)
    page.click("#ky-so button:has-text('Ký số')")

    listed = page.locator("#signed-documents")
    expect(listed).to_contain_text("Ký số trên cổng")
    expect(listed.locator(".signer")).to_have_text("UBND xã Hà Tây (TEST)")
    expect(listed.locator("[data-check=unverified]")).to_have_text("Chưa xác minh được người ký")
    expect(listed.locator("[data-check=valid]")).to_have_count(0)
    expect(listed.locator("[data-check=unchanged]")).to_have_count(1)

    with page.expect_download() as download:
        listed.locator("text=Tải về").click()
    path = tmp_path / "da-ky.pdf"
    download.value.save_as(path)
    result = signing.validate_pdf(path.read_bytes())
    assert result.unchanged and result.signatures[0].signer == "UBND xã Hà Tây (TEST)"

    page.click("text=← Báo cáo của Xã Hà Tây")
    expect(page.locator("[data-version='1'] [data-check]")).to_have_attribute("data-check", "unverified")
