import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cast import PASSWORD


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.REQUIRE_2FA_ROLES = ["admin", "province"]


def code_of(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def login(client, name):
    return client.post(reverse("login"), {"username": name, "password": PASSWORD})


def test_staff_enrol_by_qr_code_then_get_backup_codes(client, cast):
    login(client, "staff_p")
    response = client.get(reverse("dashboards:home"))
    assert response["Location"] == reverse("accounts:otp_enrol")
    page = client.get(response["Location"]).content.decode()
    assert "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user=cast.staff_p)
    assert "Mã không đúng" in client.post(reverse("accounts:otp_enrol"), {"code": "000000"}).content.decode()
    # django-otp makes the next try wait a second after a wrong code; the test does not wait.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    page = client.post(reverse("accounts:otp_enrol"), {"code": code_of(device)}).content.decode()
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", page)
    assert len(codes) == 10
    assert client.get(reverse("dashboards:province_dashboard", args=[cast.province_p.pk])).status_code == 200
    # Next login: password, then a backup code, which works once.
    client.logout()
    login(client, "staff_p")
    assert client.get(reverse("dashboards:home"))["Location"] == reverse("accounts:otp_verify")
    assert client.post(reverse("accounts:otp_verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("dashboards:province_dashboard", args=[cast.province_p.pk])).status_code == 200
    client.logout()
    login(client, "staff_p")
    response = client.post(reverse("accounts:otp_verify"), {"code": codes[0]})
    assert "Mã không đúng hoặc đã dùng" in response.content.decode()


def test_commune_officials_are_not_asked_by_default(client, cast):
    login(client, "official_x")
    assert client.get(reverse("teams:commune_detail", args=[cast.commune_x.pk])).status_code == 200


def test_an_administrator_resets_a_lost_second_factor(client, cast):
    TOTPDevice.objects.create(user=cast.staff_p, name="x", confirmed=True)
    login(client, "staff_p")
    assert client.get(reverse("dashboards:home"))["Location"] == reverse("accounts:otp_verify")
    device = TOTPDevice.objects.create(user=cast.admin, name="x", confirmed=True)
    other = type(client)()
    other.post(reverse("login"), {"username": "admin", "password": PASSWORD})
    other.post(reverse("accounts:otp_verify"), {"code": code_of(device)})
    assert other.post(reverse("accounts:otp_reset", args=[cast.staff_p.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.staff_p).exists()
    # The staff member enrols again at next login.
    client.logout()
    login(client, "staff_p")
    assert client.get(reverse("dashboards:home"))["Location"] == reverse("accounts:otp_enrol")
