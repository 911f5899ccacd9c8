import pytest

from portal.models import User
from teams.models import Commune
from tests.accounts.helpers import onboarding_file
from tests.cast import PASSWORD

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_staff_onboard_three_communes_and_a_new_official_sets_a_password_and_lands_home(
    cast, login_page, live_server, browser
):
    Commune.objects.create(
        province=cast.province_p, code=11, name="Xã Thượng Hồng", codename="xa_thuong_hong", kind="xa"
    )
    rows = [
        ("Xã Hà Tây", "Cán bộ UBND xã/phường", "Nguyễn Văn Đức", "0912000001", "", "", ""),
        ("Phường Trần Hưng Đạo", "Cán bộ UBND xã/phường", "Lê Thị Hoa", "", "", "", ""),
        ("Xã Thượng Hồng", "Cán bộ UBND xã/phường", "Trần Văn Nam", "", "", "", ""),
    ]
    page = login_page(cast.staff_p, PASSWORD)
    page.click("text=Tài khoản")
    page.click("text=Nhập từ Excel")
    page.set_input_files(
        "input[name=file]", files=[{"name": "tai-khoan.xlsx", "mimeType": XLSX, "buffer": onboarding_file(rows).read()}]
    )
    page.click("text=Tải lên và xem trước")
    preview = page.text_content("[data-preview]")
    for commune, _, name, *_ in rows:
        assert commune in preview and name in preview
    page.click("text=Xác nhận tạo tài khoản")
    assert "Đã tạo 3 tài khoản" in page.text_content("main")
    assert User.objects.filter(province=cast.province_p, full_name__in=[r[2] for r in rows]).count() == 3
    card = page.locator(".card", has_text="xahatay.nguyenvanduc")
    link = card.locator("[data-testid=one-time-link]").text_content().strip()

    newcomer = browser.new_page(locale="vi-VN")
    try:
        newcomer.goto(link)
        assert "xahatay.nguyenvanduc" in newcomer.text_content("main")
        newcomer.fill("input[name=new_password1]", "Duc-HaTay-2026!")
        newcomer.fill("input[name=new_password2]", "Duc-HaTay-2026!")
        newcomer.click("button[type=submit]")
        newcomer.wait_for_load_state()
        assert "Đã đặt mật khẩu" in newcomer.text_content("main")
        newcomer.fill("input[name=username]", "xahatay.nguyenvanduc")
        newcomer.fill("input[name=password]", "Duc-HaTay-2026!")
        newcomer.click("button[type=submit]")
        newcomer.wait_for_load_state()
        assert newcomer.url == f"{live_server.url}/so-lieu/xa/{cast.commune_x.pk}/"
        assert newcomer.text_content("h1") == "Xã Hà Tây"
        newcomer.goto(link)
        assert "Liên kết này không còn dùng được" in newcomer.text_content("main")
    finally:
        newcomer.close()
