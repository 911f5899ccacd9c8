import re

import pypdfium2
from django.core import mail
from django.urls import reverse

from accounts.models import OneTimeLink
from portal.models import Role, User
from teams.models import Commune
from tests.accounts.helpers import HEADERS, onboarding_file, read_template

COMMUNE = "Cán bộ UBND xã/phường"
LEAD = "Tổ trưởng Tổ CNSCĐ"


def upload(client, cast, rows):
    url = reverse("accounts:onboarding", args=[cast.province_p.pk])
    return client.post(url, {"file": onboarding_file(rows)})


def test_the_template_offers_only_the_provinces_communes_and_both_roles(client, cast):
    client.force_login(cast.staff_p)
    response = client.get(reverse("accounts:onboarding_template", args=[cast.province_p.pk]))
    main, lists = read_template(response.content)
    assert [cell.value for cell in main[1]] == HEADERS
    values = {cell.value for column in lists.iter_cols() for cell in column if cell.value}
    assert {"Xã Hà Tây", "Phường Trần Hưng Đạo", COMMUNE, LEAD} <= values
    assert "Phường Ba Đình" not in values  # commune of another province


def test_preview_then_confirm_creates_every_account_with_a_link(client, cast):
    client.force_login(cast.staff_p)
    rows = [
        ("Xã Hà Tây", COMMUNE, "Nguyễn Văn Đức", "0912 000 001", "duc@hatay.vn", "", ""),
        ("phuong tran hung dao", "can bo ubnd xa/phuong", "Lê Thị Hoa", "", "", "", "hoa.thd"),
        ("Xã Hà Tây", LEAD, "Phạm Văn Tổ", "", "", "Tổ CNSCĐ Thôn Đông – Xã Hà Tây", ""),
    ]
    page = upload(client, cast, rows).content.decode()
    assert "Sẽ tạo 3 tài khoản" in page
    assert "xahatay.nguyenvanduc" in page and "hoa.thd" in page
    assert not User.objects.filter(full_name="Lê Thị Hoa").exists()  # nothing saved by the preview
    response = client.post(reverse("accounts:onboarding_confirm", args=[cast.province_p.pk]), follow=True)
    page = response.content.decode()
    assert "Đã tạo 3 tài khoản" in page
    duc = User.objects.get(username="xahatay.nguyenvanduc")
    assert (duc.role, duc.commune, duc.province, duc.phone) == (
        Role.COMMUNE,
        cast.commune_x,
        cast.province_p,
        "0912000001",
    )
    lead = User.objects.get(full_name="Phạm Văn Tổ")
    assert (lead.role, lead.team, lead.commune) == (Role.TEAM_LEAD, cast.team_x, cast.commune_x)
    assert OneTimeLink.objects.usable().count() == 3
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["duc@hatay.vn"]
    assert len(re.findall(r'data-testid="one-time-link"', page)) == 3
    # The same file again creates nothing twice.
    page = upload(client, cast, rows).content.decode()
    assert "Sẽ tạo 0 tài khoản" in page and "đã có" in page


def test_one_bad_row_creates_nothing_and_names_row_and_column(client, cast):
    client.force_login(cast.staff_p)
    rows = [
        ("Xã Hà Tây", COMMUNE, "Người Đúng", "", "", "", ""),
        ("Phường Ba Đình", COMMUNE, "Người Sai Tỉnh", "", "", "", ""),
        ("Phường Trần Hưng Đạo", LEAD, "Tổ Trưởng Sai", "", "", "Tổ CNSCĐ Thôn Đông – Xã Hà Tây", ""),
        ("Xã Hà Tây", COMMUNE, "Trùng Tên", "", "khong-phai-thu", "", "official_y"),
    ]
    page = upload(client, cast, rows).content.decode()
    assert "Dòng 3, cột Xã/phường: không có xã/phường “Phường Ba Đình” trong Thành phố Hải Phòng." in page
    assert "Dòng 4, cột Tổ CNSCĐ (với tổ trưởng): tổ “Tổ CNSCĐ Thôn Đông” không thuộc Phường Trần Hưng Đạo." in page
    assert "Dòng 5, cột Thư điện tử: “khong-phai-thu” không phải địa chỉ thư điện tử." in page
    response = client.post(reverse("accounts:onboarding_confirm", args=[cast.province_p.pk]), follow=True)
    assert "Không tìm thấy tệp đã tải lên" in response.content.decode()
    assert not User.objects.filter(full_name="Người Đúng").exists()


def test_a_taken_login_is_refused(client, cast):
    client.force_login(cast.staff_p)
    page = upload(client, cast, [("Xã Hà Tây", COMMUNE, "Ai Đó", "", "", "", "Official_Y")]).content.decode()
    assert "Dòng 2, cột Tên đăng nhập (để trống: tự đặt): “Official_Y” đã có người dùng." in page


def test_the_handover_sheet_prints_new_links_of_the_communes_accounts_not_yet_used(client, cast):
    client.force_login(cast.staff_p)
    upload(client, cast, [("Xã Hà Tây", COMMUNE, "Nguyễn Văn Đức", "", "", "", "")])
    client.post(reverse("accounts:onboarding_confirm", args=[cast.province_p.pk]))
    response = client.post(reverse("accounts:handover_sheet", args=[cast.commune_x.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "Phiếu bàn giao tài khoản" in text and "xahatay.nguyenvanduc" in text
    assert "official_x" not in text  # has a password of their own already
    # pdfium marks where a line of the link was broken (U+FFFE) and ends lines with CR LF.
    joined = re.sub("[\ufffe\r\n]", "", text)
    url = re.search(r"http://testserver/tai-khoan/dat-mat-khau/[a-z2-7]{32}/", joined)[0]
    client.logout()
    assert client.get(url).status_code == 200
    assert Commune.objects.count()


def test_the_handover_sheets_are_offered_in_dictionary_order(client, cast):
    # Code-point order puts "Bình" before "Bắc" ("ì" is U+00EC, "ắ" U+1EAF); a dictionary does not.
    Commune.objects.filter(pk=cast.commune_x.pk).update(name="Xã Bình Giang")
    Commune.objects.filter(pk=cast.commune_y.pk).update(name="Xã Bắc Sơn")
    client.force_login(cast.staff_p)
    rows = [
        ("Xã Bình Giang", COMMUNE, "Nguyễn Văn Đức", "", "", "", ""),
        ("Xã Bắc Sơn", COMMUNE, "Lê Thị Hoa", "", "", "", ""),
    ]
    assert "Sẽ tạo 2 tài khoản" in upload(client, cast, rows).content.decode()
    response = client.post(reverse("accounts:onboarding_confirm", args=[cast.province_p.pk]), follow=True)
    page = response.content.decode()
    assert page.index("Phiếu bàn giao Xã Bắc Sơn (PDF)") < page.index("Phiếu bàn giao Xã Bình Giang (PDF)")


def test_the_previewed_file_waits_in_the_storage_not_in_the_session(client, cast):
    """The sweep: the onboarding kept the whole file (up to 10 MB, base64) in the database session."""
    from django.contrib.sessions.models import Session
    from django.core.files.storage import default_storage

    client.force_login(cast.staff_p)
    upload(client, cast, [("Xã Hà Tây", COMMUNE, "Nguyễn Văn Đức", "", "", "", "")])
    session = Session.objects.get(pk=client.session.session_key)
    name = client.session[f"accounts:onboarding-{cast.province_p.pk}"]
    assert name.startswith("imports/") and default_storage.exists(name)
    assert len(session.session_data) < 2000
    client.post(reverse("accounts:onboarding_confirm", args=[cast.province_p.pk]))
    assert User.objects.filter(full_name="Nguyễn Văn Đức").exists()
    assert not default_storage.exists(name)
