"""The handover sheet can be printed again from the accounts list, after the one-time result page."""

import re

from django.urls import reverse

from portal.models import Role, User
from tests.accounts.test_onboarding import COMMUNE, upload

WARNING = "làm các liên kết của xã đó đang hiện trên trang này"


def waiting_account(username, role, **units):
    """An account created by a manager that has never logged in nor set its password."""
    user = User(username=username, full_name=username.title(), role=role, **units)
    user.set_unusable_password()
    user.save()
    return user


def sheet_url(commune):
    return reverse("accounts:handover_sheet", args=[commune.pk])


def filtered_list(client, commune):
    return client.get(reverse("accounts:user_list"), {"xa": commune.pk}).content.decode()


def test_department_staff_reprint_the_sheet_of_their_communes_from_the_list(client, cast):
    waiting_account("xahatay.moi", Role.COMMUNE, commune=cast.commune_x)
    client.force_login(cast.staff_p)
    page = filtered_list(client, cast.commune_x)
    assert f'action="{sheet_url(cast.commune_x)}"' in page
    assert "Phiếu bàn giao Xã Hà Tây (PDF)" in page
    assert "1 tài khoản của Xã Hà Tây chưa đăng nhập" in page
    assert "liên kết cũ của họ, kể cả đã gửi thư, sẽ không dùng được nữa" in page
    response = client.post(sheet_url(cast.commune_x))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_commune_whose_accounts_all_logged_in_says_there_is_no_sheet(client, cast):
    client.force_login(cast.staff_p)
    page = filtered_list(client, cast.commune_y)  # official_y has a password of their own
    assert "Không có phiếu bàn giao để in" in page
    assert "handover_sheet" not in page and sheet_url(cast.commune_y) not in page
    # Without a commune chosen the list says how to get a sheet, and offers none.
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "chọn xã/phường ở bộ lọc" in page and "/phieu-ban-giao/" not in page


def test_administrators_reprint_any_communes_sheet(client, cast):
    waiting_account("badinh.moi", Role.COMMUNE, commune=cast.commune_z)
    client.force_login(cast.admin)
    page = filtered_list(client, cast.commune_z)
    assert f'action="{sheet_url(cast.commune_z)}"' in page and "Phiếu bàn giao Phường Ba Đình (PDF)" in page
    assert client.post(sheet_url(cast.commune_z)).status_code == 200


def test_another_provinces_staff_are_not_offered_nor_given_the_sheet(client, cast):
    waiting_account("xahatay.moi", Role.COMMUNE, commune=cast.commune_x)
    waiting_account("badinh.moi", Role.COMMUNE, commune=cast.commune_z)
    client.force_login(cast.staff_q)
    assert f'action="{sheet_url(cast.commune_z)}"' in filtered_list(client, cast.commune_z)  # their own
    page = filtered_list(client, cast.commune_x)  # not one of their communes: the filter refuses it
    assert sheet_url(cast.commune_x) not in page and "Phiếu bàn giao Xã Hà Tây" not in page
    assert client.post(sheet_url(cast.commune_x)).status_code == 404


def test_commune_officials_get_their_own_communes_sheet_only(client, cast):
    # The sheet's view lets an official print their commune's team leads (accounts/matrix.py).
    waiting_account("todong.moi", Role.TEAM_LEAD, team=cast.team_x)
    client.force_login(cast.official_x)
    assert f'action="{sheet_url(cast.commune_x)}"' in filtered_list(client, cast.commune_x)
    client.force_login(cast.official_y)
    page = filtered_list(client, cast.commune_x)
    assert sheet_url(cast.commune_x) not in page
    assert client.post(sheet_url(cast.commune_x)).status_code == 404
    client.force_login(cast.lead_x)  # manages nobody
    assert client.get(reverse("accounts:user_list"), {"xa": cast.commune_x.pk}).status_code == 403


def test_the_result_page_warns_next_to_the_sheet_buttons(client, cast):
    client.force_login(cast.staff_p)
    upload(client, cast, [("Xã Hà Tây", COMMUNE, "Nguyễn Văn Đức", "", "", "", "")])
    response = client.post(reverse("accounts:onboarding_confirm", args=[cast.province_p.pk]), follow=True)
    page = response.content.decode()
    block = re.search(r'<section[^>]*data-testid="handover-sheets".*?</section>', page, re.S)[0]
    assert WARNING in block and "không dùng được nữa" in block
    assert block.index(WARNING) < block.index("Phiếu bàn giao Xã Hà Tây (PDF)")
    assert 'data-testid="one-time-link"' in page


def test_revisiting_the_result_page_says_no_links_are_left_and_where_to_reprint(client, cast):
    client.force_login(cast.staff_p)
    upload(client, cast, [("Xã Hà Tây", COMMUNE, "Nguyễn Văn Đức", "", "", "", "")])
    client.post(reverse("accounts:onboarding_confirm", args=[cast.province_p.pk]), follow=True)
    page = client.get(reverse("accounts:onboarding_done", args=[cast.province_p.pk])).content.decode()
    assert "Không còn liên kết để hiển thị: các liên kết chỉ hiện một lần." in page
    assert "Các liên kết dưới đây chỉ hiện một lần" not in page and "one-time-link" not in page
    waiting = re.search(r'<ul data-testid="waiting-communes">.*?</ul>', page, re.S)[0]
    assert f"{reverse('accounts:user_list')}?xa={cast.commune_x.pk}&amp;dang_nhap=chua" in waiting
    assert "Xã Hà Tây" in waiting and "Phường Trần Hưng Đạo" not in waiting
    # Once every account has logged in, nothing is left to print.
    User.objects.filter(username="xahatay.nguyenvanduc").update(password="x")
    page = client.get(reverse("accounts:onboarding_done", args=[cast.province_p.pk])).content.decode()
    assert "không còn phiếu bàn giao để in" in page and "waiting-communes" not in page


def test_the_sheet_is_printed_with_its_own_stylesheet_and_fonts(client, cast, caplog):
    """The sheet links its stylesheet by a path relative to the project: every file it names is
    found (a base URL left a folder's path instead of a file:// URL, and the sheet printed without
    its boxes and its 35 mm QR codes, a warning in the log the only sign)."""
    waiting_account("xahatay.moi", Role.COMMUNE, commune=cast.commune_x)
    client.force_login(cast.staff_p)
    caplog.set_level("WARNING", logger="weasyprint")
    response = client.post(sheet_url(cast.commune_x))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []
