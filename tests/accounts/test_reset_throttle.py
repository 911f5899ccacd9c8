""" "Quên mật khẩu?" sends at most PASSWORD_RESET_LIMIT e-mails per address typed, and takes at most
PASSWORD_RESET_ADDRESS_LIMIT requests per client address, in the window (the attacker's sweep sent
30 in a row to one address)."""

import datetime

from django.core.management import call_command
from django.urls import reverse

from accounts.models import PasswordResetRequest

WAIT = "Bạn đã yêu cầu đặt lại mật khẩu nhiều lần"


def ask(client, email, address="127.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_the_fourth_request_for_one_address_sends_nothing_and_says_how_long_to_wait(client, cast, mailoutbox):
    cast.official_x.email = "x@hatay.vn"
    cast.official_x.save()
    for _ in range(3):
        assert ask(client, "x@hatay.vn").status_code == 302
    assert len(mailoutbox) == 3
    response = ask(client, " X@HATAY.VN ", address="10.0.0.9")  # case, spaces and another client
    assert response.status_code == 429
    page = response.content.decode()
    assert WAIT in page and "thử lại sau 60 phút" in page
    assert len(mailoutbox) == 3
    # Another address is not held back by this one.
    assert ask(client, "khac@hatay.vn").status_code == 302


def test_an_address_without_an_account_is_counted_the_same(client, cast, mailoutbox):
    """The limit tells nothing about who has an account: it counts what was typed."""
    for _ in range(3):
        ask(client, "khongco@hatay.vn")
    assert ask(client, "khongco@hatay.vn").status_code == 429
    assert mailoutbox == []


def test_one_client_address_cannot_ask_for_many_addresses(client, cast, settings):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 5
    for number in range(5):
        assert ask(client, f"nguoi{number}@hatay.vn", address="10.1.1.1").status_code == 302
    assert ask(client, "nguoi9@hatay.vn", address="10.1.1.1").status_code == 429
    assert ask(client, "nguoi9@hatay.vn", address="10.1.1.2").status_code == 302


def test_requests_leave_the_window_and_are_pruned_the_next_day(client, cast, mailoutbox):
    cast.official_x.email = "x@hatay.vn"
    cast.official_x.save()
    for _ in range(3):
        ask(client, "x@hatay.vn")
    an_hour_ago = datetime.timedelta(minutes=61)
    for request in PasswordResetRequest.objects.all():
        request.requested_at -= an_hour_ago
        request.save()
    assert ask(client, "x@hatay.vn").status_code == 302
    assert len(mailoutbox) == 4
    PasswordResetRequest.objects.exclude(pk=PasswordResetRequest.objects.latest("requested_at").pk).update(
        requested_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    call_command("housekeeping", verbosity=0)
    assert PasswordResetRequest.objects.count() == 1


def test_a_malformed_address_is_called_invalid_not_missing(client, db, mailoutbox):
    page = ask(client, "moi@example").content.decode()
    assert "Địa chỉ thư điện tử không hợp lệ." in page and "Nhập địa chỉ email" not in page
    assert not PasswordResetRequest.objects.exists() and mailoutbox == []
