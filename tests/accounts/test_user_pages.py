import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import OneTimeLink
from portal.models import Role, User
from teams.models import Commune
from tests.cast import PASSWORD, make_team


def add(client, **data):
    return client.post(reverse("accounts:user_add"), {"full_name": "Nguyễn Văn Mới", "phone": "", "email": "", **data})


def test_staff_create_an_official_of_their_province_who_gets_a_one_time_link(client, cast):
    client.force_login(cast.staff_p)
    response = add(client, username="xa.hatay.moi", role=Role.COMMUNE, commune=cast.commune_x.pk, email="moi@xa.vn")
    account = User.objects.get(username="xa.hatay.moi")
    assert response.status_code == 302
    assert (account.province, account.commune, account.team) == (cast.province_p, cast.commune_x, None)
    assert not account.has_usable_password()
    page = client.get(response["Location"]).content.decode()
    url = re.search(r'data-testid="one-time-link">([^<]+)<', page)[1]
    assert url in mail.outbox[0].body and mail.outbox[0].to == ["moi@xa.vn"]
    # Shown once only.
    assert url not in client.get(response["Location"]).content.decode()


def test_staff_cannot_create_a_user_in_another_province_nor_an_administrator(client, cast):
    client.force_login(cast.staff_p)
    response = add(client, username="la", role=Role.COMMUNE, commune=cast.commune_z.pk)
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode() or response.status_code == 200
    response = add(client, username="qt", role=Role.ADMIN)
    assert response.status_code == 200
    response = add(client, username="so2", role=Role.PROVINCE)
    assert response.status_code == 200
    assert not User.objects.filter(username__in=["la", "qt", "so2"]).exists()


def test_staff_see_only_their_province_and_never_an_administrator(client, cast):
    client.force_login(cast.staff_p)
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "official_x" in page and "lead_x" in page
    assert ">admin<" not in page and "staff_q" not in page and "staff_p<" not in page
    assert client.get(reverse("accounts:user_edit", args=[cast.admin.pk])).status_code == 404
    assert client.get(reverse("accounts:user_edit", args=[cast.staff_q.pk])).status_code == 404


def test_the_commune_picker_offers_only_the_managers_communes_named_with_their_province(client, cast):
    Commune.objects.create(province=cast.province_q, code=9, name="Xã Hà Tây", codename="x", kind="xa")
    client.force_login(cast.staff_p)
    page = client.get(reverse("accounts:user_add")).content.decode()
    assert "Xã Hà Tây (Thành phố Hải Phòng)" in page
    assert "Thành phố Hà Nội" not in page
    assert "Quản trị hệ thống" not in page  # no administrator role on offer


def test_officials_manage_only_the_team_leads_of_their_own_teams(client, cast):
    client.force_login(cast.official_x)
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "lead_x" in page and "official_y" not in page
    _, team_y2 = make_team(cast.commune_y, "Tổ dân phố số 2")
    response = add(client, username="tt.y", role=Role.TEAM_LEAD, team=team_y2.pk)
    assert response.status_code == 200
    response = add(client, username="xa.khac", role=Role.COMMUNE, commune=cast.commune_x.pk)
    assert response.status_code == 200
    response = add(client, username="tt.x", role=Role.TEAM_LEAD, team=cast.team_x.pk)
    assert response.status_code == 302
    lead = User.objects.get(username="tt.x")
    assert (lead.province, lead.commune, lead.team) == (cast.province_p, cast.commune_x, cast.team_x)
    assert not User.objects.filter(username__in=["tt.y", "xa.khac"]).exists()


def test_a_team_lead_whose_team_is_in_another_commune_than_chosen_is_refused(client, cast):
    client.force_login(cast.staff_p)
    response = add(client, username="tt", role=Role.TEAM_LEAD, commune=cast.commune_y.pk, team=cast.team_x.pk)
    assert "không thuộc Phường Trần Hưng Đạo" in response.content.decode()
    assert not User.objects.filter(username="tt").exists()


def test_editing_a_role_keeps_the_units_consistent(client, cast):
    client.force_login(cast.staff_p)
    data = {"username": "lead_x", "full_name": "Lead", "role": Role.COMMUNE, "commune": cast.commune_y.pk}
    assert client.post(reverse("accounts:user_edit", args=[cast.lead_x.pk]), data).status_code == 302
    cast.lead_x.refresh_from_db()
    assert (cast.lead_x.role, cast.lead_x.commune, cast.lead_x.team) == (Role.COMMUNE, cast.commune_y, None)


def test_deactivate_and_reactivate_never_delete(client, cast):
    client.force_login(cast.official_x)
    assert client.get(reverse("accounts:user_deactivate", args=[cast.lead_x.pk])).status_code == 405
    client.post(reverse("accounts:user_deactivate", args=[cast.lead_x.pk]))
    cast.lead_x.refresh_from_db()
    assert not cast.lead_x.is_active
    client.post(reverse("accounts:user_reactivate", args=[cast.lead_x.pk]))
    cast.lead_x.refresh_from_db()
    assert cast.lead_x.is_active


def test_the_list_filters_by_role_commune_activity_and_last_login(client, cast):
    client.force_login(cast.staff_p)
    cast.official_y.is_active = False
    cast.official_y.save()
    url = reverse("accounts:user_list")
    page = client.get(url, {"vai_tro": Role.TEAM_LEAD}).content.decode()
    assert "lead_x" in page and "official_x" not in page
    page = client.get(url, {"xa": cast.commune_y.pk}).content.decode()
    assert "official_y" in page and "official_x" not in page
    page = client.get(url, {"trang_thai": "khoa"}).content.decode()
    assert "official_y" in page and "official_x" not in page
    page = client.get(url, {"dang_nhap": "chua", "q": "lead"}).content.decode()
    assert "lead_x" in page and "official_x" not in page


def test_a_reset_password_link_works_once_then_says_it_no_longer_works(client, cast):
    client.force_login(cast.official_x)
    response = client.post(reverse("accounts:user_reset_password", args=[cast.lead_x.pk]), follow=True)
    url = re.search(r'data-testid="one-time-link">([^<]+)<', response.content.decode())[1]
    cast.lead_x.refresh_from_db()
    assert not cast.lead_x.check_password(PASSWORD)
    client.logout()
    new = "Mat-khau-rieng-2026"
    assert "Đặt mật khẩu" in client.get(url).content.decode()
    response = client.post(url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    cast.lead_x.refresh_from_db()
    assert cast.lead_x.check_password(new)
    again = client.get(url)
    assert again.status_code == 410
    assert "Liên kết này không còn dùng được" in again.content.decode()


def test_an_expired_link_no_longer_works(client, cast, settings):
    settings.ONE_TIME_LINK_DAYS = 0
    _, token = OneTimeLink.issue(cast.lead_x)
    assert client.get(reverse("accounts:set_password", args=[token])).status_code == 410


@pytest.mark.parametrize("password", ["123", "lead_x"])
def test_a_weak_password_is_refused_in_vietnamese_and_the_link_still_works(client, cast, password):
    _, token = OneTimeLink.issue(cast.lead_x)
    url = reverse("accounts:set_password", args=[token])
    response = client.post(url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert "Mật khẩu" in response.content.decode()
    assert client.get(url).status_code == 200


def test_a_password_set_by_someone_else_must_be_changed_at_first_login(client, cast):
    cast.official_x.must_change_password = True
    cast.official_x.save()
    client.post(reverse("login"), {"username": "official_x", "password": PASSWORD})
    response = client.get(reverse("teams:commune_detail", args=[cast.commune_x.pk]))
    assert response["Location"] == reverse("password_change")
    new = "Mat-khau-rieng-2026"
    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    cast.official_x.refresh_from_db()
    assert not cast.official_x.must_change_password
    assert client.get(reverse("teams:commune_detail", args=[cast.commune_x.pk])).status_code == 200


def test_the_admin_setting_a_password_forces_a_change(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:auth_user_password_change", args=[cast.lead_x.pk])
    new = "Mat-khau-tam-2026"
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302
    cast.lead_x.refresh_from_db()
    assert cast.lead_x.must_change_password and cast.lead_x.check_password(new)


def test_the_login_audit_shows_logins_failures_and_lockouts_of_the_staffs_province_only(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client.post(reverse("login"), {"username": "official_x", "password": PASSWORD})
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "official_x", "password": "sai"})
    client.post(reverse("login"), {"username": "official_x", "password": "sai"})
    client.post(reverse("login"), {"username": "staff_q", "password": "sai"}, REMOTE_ADDR="10.9.9.9")
    client.force_login(cast.staff_p)
    page = client.get(reverse("accounts:login_audit")).content.decode()
    for event in ("Đăng nhập", "Đăng xuất", "Đăng nhập sai", "Bị tạm khóa (sai quá nhiều lần)", "127.0.0.1"):
        assert event in page
    assert "staff_q" not in page
    client.force_login(cast.admin)
    assert "staff_q" in client.get(reverse("accounts:login_audit")).content.decode()


def test_the_admin_cannot_save_an_official_with_another_provinces_commune(cast):
    from django.core.exceptions import ValidationError

    official = User(username="hue", role=Role.COMMUNE, province=cast.province_q, commune=cast.commune_x)
    with pytest.raises(ValidationError, match="không thuộc tỉnh/thành phố"):
        official.full_clean()
    lead = User(username="tt", role=Role.TEAM_LEAD, commune=cast.commune_y, team=cast.team_x)
    with pytest.raises(ValidationError, match="Tổ này không thuộc"):
        lead.full_clean()


def test_an_administrator_moved_to_a_province_loses_the_django_admin(client, cast):
    """The attacker's sweep: a demoted administrator kept is_staff and is_superuser, and with them
    Django's admin over every province (which does not go through portal.scoping)."""
    client.force_login(cast.admin)
    add(client, username="ad2", role=Role.ADMIN)
    second = User.objects.get(username="ad2")
    assert (second.is_staff, second.is_superuser) == (True, True)
    data = {"username": "ad2", "full_name": "Cũ", "role": Role.PROVINCE, "province": cast.province_p.pk}
    assert client.post(reverse("accounts:user_edit", args=[second.pk]), data).status_code == 302
    second.refresh_from_db()
    assert (second.role, second.is_staff, second.is_superuser) == (Role.PROVINCE, False, False)
    client.force_login(second)
    for url in ("/quan-tri/portal/user/", f"/quan-tri/portal/user/{cast.admin.pk}/password/"):
        response = client.get(url)
        assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]


def test_the_database_refuses_django_flags_that_do_not_follow_the_role(cast):
    from django.db import IntegrityError, transaction

    for flags in ({"is_superuser": True}, {"is_staff": True}):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.filter(pk=cast.staff_p.pk).update(**flags)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=cast.admin.pk).update(is_superuser=False)


def test_createsuperuser_makes_an_administrator(client, db):
    from django.core.management import call_command

    call_command("createsuperuser", interactive=False, username="goc", email="goc@example.vn", verbosity=0)
    first = User.objects.get(username="goc")
    assert (first.role, first.is_staff, first.is_superuser) == (Role.ADMIN, True, True)
    client.force_login(first)
    assert client.get("/quan-tri/portal/user/").status_code == 200


def test_an_administrator_picks_the_province_before_its_communes(client, cast):
    """The commune picker of an administrator lists one province's communes, not the country's."""
    client.force_login(cast.admin)
    url = reverse("accounts:user_list")
    page = client.get(url).content.decode()
    assert "— Chọn tỉnh/thành phố trước —" in page
    assert f'<option value="{cast.commune_x.pk}"' not in page and 'class="form-select"' in page
    page = client.get(url, {"tinh": cast.province_q.pk}).content.decode()
    assert f'<option value="{cast.commune_z.pk}"' in page and f'<option value="{cast.commune_x.pk}"' not in page
    assert "staff_q" in page and "staff_p" not in page and "official_x" not in page
    page = client.get(url, {"xa": cast.commune_x.pk}).content.decode()  # a link naming the commune alone
    assert f'<option value="{cast.commune_x.pk}" selected' in page and "official_x" in page
    assert f'<option value="{cast.commune_z.pk}"' not in page and "official_y" not in page
    client.force_login(cast.staff_p)  # one province: no province picker, its communes at once
    page = client.get(url).content.decode()
    assert 'name="tinh"' not in page and f'<option value="{cast.commune_y.pk}"' in page
