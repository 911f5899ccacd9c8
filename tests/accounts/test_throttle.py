"""Login throttling shared by every server process (django-axes, database handler).

Two real server processes (manage.py runserver) run against the test database; failures
sent to one count on the other, as with several gunicorn workers or servers.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from accounts.throttle import client_address
from tests.cast import PASSWORD, make_cast

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_servers(transactional_db):
    make_cast()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "FAST_PASSWORD_HASHER": "1",  # the cast's passwords are MD5-hashed, as in every test
        "LOGIN_FAILURE_LIMIT": "5",
        "LOGIN_ADDRESS_FAILURE_LIMIT": "12",
        # As behind one nginx: the test names each client's address in X-Forwarded-For.
        "TRUSTED_PROXY_HEADER": "HTTP_X_FORWARDED_FOR",
        "TRUSTED_PROXY_COUNT": "1",
        "DEBUG": "true",
    }
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)


def login(base_url, username, password, address):
    """One try at the login page, as a browser from ``address``; returns (status, page text)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("X-Forwarded-For", address)]
    page = opener.open(base_url + "/dang-nhap/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    request = urllib.request.Request(base_url + "/dang-nhap/", data=data.encode(), headers={"Referer": base_url})
    try:
        with opener.open(request) as response:
            return response.status, response.read().decode(), response.url
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), base_url + "/dang-nhap/"


def logged_in(result):
    return not result[2].endswith("/dang-nhap/")


@pytest.mark.django_db(transaction=True)
def test_failures_spread_over_two_processes_lock_the_user_name_from_that_address(two_servers):
    first, second = two_servers
    for attempt in range(5):
        status, page, _ = login(two_servers[attempt % 2], "official_x", "sai", "203.0.113.7")
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in page or "quá nhiều lần" in page
    status, page, url = login(second, "official_x", PASSWORD, "203.0.113.7")
    assert status == 429
    assert "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút." in page
    assert not logged_in((status, page, url))
    assert login(first, "official_x", PASSWORD, "203.0.113.7")[0] == 429
    # The same user from another address is not locked out, on either process.
    assert logged_in(login(first, "official_x", PASSWORD, "198.51.100.20"))
    assert logged_in(login(second, "official_x", PASSWORD, "198.51.100.21"))
    # Both processes wrote to the same records.
    attempt = AccessAttempt.objects.get(username="official_x", ip_address="203.0.113.7")
    assert attempt.failures_since_start >= 5
    assert AccessFailureLog.objects.filter(username="official_x", ip_address="203.0.113.7").count() >= 5
    assert AccessFailureLog.objects.filter(locked_out=True).exists()
    assert AccessLog.objects.filter(username="official_x", ip_address="198.51.100.20").exists()


@pytest.mark.django_db(transaction=True)
def test_a_spray_of_many_user_names_from_one_address_is_capped(two_servers):
    for number in range(12):
        login(two_servers[number % 2], f"nguoi{number}", "sai", "192.0.2.50")
    # The address has used its 12 failures: even a real user's right password is refused there...
    status, page, _ = login(two_servers[0], "official_y", PASSWORD, "192.0.2.50")
    assert status == 429
    assert "quá nhiều lần" in page
    # ...but not from anywhere else.
    assert logged_in(login(two_servers[1], "official_y", PASSWORD, "192.0.2.51"))


def test_the_client_address_is_remote_addr_unless_a_proxy_header_is_configured(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    settings.TRUSTED_PROXY_HEADER, settings.TRUSTED_PROXY_COUNT = "", 0
    assert client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_HEADER, settings.TRUSTED_PROXY_COUNT = "HTTP_X_FORWARDED_FOR", 1
    assert client_address(request) == "1.2.3.4"
    # A client who writes its own X-Forwarded-For only adds entries to the left of the proxy's.
    request.META["HTTP_X_FORWARDED_FOR"] = "6.6.6.6, 1.2.3.4"
    assert client_address(request) == "1.2.3.4"
    request.META["HTTP_X_FORWARDED_FOR"] = "not an address"
    assert client_address(request) == "10.0.0.2"


def test_user_names_are_counted_whatever_their_case(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for name in ("official_x", "OFFICIAL_X", " Official_X"):
        client.post(reverse("login"), {"username": name, "password": "sai"})
    response = client.post(reverse("login"), {"username": "official_x", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
