from django.urls import reverse

from tests.cast import PASSWORD


def test_login_page_is_in_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert "Đăng nhập" in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_a_commune_official_lands_on_their_commune_page(client, cast):
    response = client.post(reverse("login"), {"username": "official_x", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("teams:commune_detail", args=[cast.commune_x.pk])
    assert "Xã Hà Tây" in response.content.decode()


def test_a_wrong_password_is_refused_in_vietnamese(client, cast):
    response = client.post(reverse("login"), {"username": "official_x", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_after_five_failures_even_the_right_password_is_refused_for_a_while(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        client.post(reverse("login"), {"username": "official_x", "password": "sai"})
    response = client.post(reverse("login"), {"username": "official_x", "password": PASSWORD})
    assert "Bạn đã nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not locked out.
    response = client.post(reverse("login"), {"username": "official_y", "password": PASSWORD})
    assert response.status_code == 302


def test_password_change_applies_djangos_validators_in_vietnamese(client, cast):
    client.force_login(cast.official_x)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 200
    assert "Mật khẩu này quá ngắn" in response.content.decode()
    cast.official_x.refresh_from_db()
    assert cast.official_x.check_password(PASSWORD)


def test_admin_site_is_for_administrators_only(client, cast):
    client.force_login(cast.official_x)
    assert client.get("/quan-tri/").status_code == 302
    client.force_login(cast.admin)
    assert client.get("/quan-tri/").status_code == 200


def test_a_forgotten_password_is_reset_by_e_mail_in_vietnamese(client, cast, mailoutbox):
    cast.official_x.email = "x@hatay.vn"
    cast.official_x.must_change_password = True
    cast.official_x.save()
    response = client.post(reverse("password_reset"), {"email": "x@hatay.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in response.content.decode()
    message = mailoutbox[0]
    assert message.subject == "Đặt lại mật khẩu Cổng Tổ CNSCĐ" and "official_x" in message.body
    link = next(line for line in message.body.splitlines() if "/quen-mat-khau/" in line).strip()
    page = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in page.content.decode()
    new = "Mat-khau-moi-2026"
    response = client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True)
    assert "Đã đặt mật khẩu mới" in response.content.decode()
    cast.official_x.refresh_from_db()
    assert cast.official_x.check_password(new) and not cast.official_x.must_change_password
    assert "Liên kết này không còn dùng được" in client.get(link, follow=True).content.decode()
