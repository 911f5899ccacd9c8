"""/healthz for the load balancer, and one log line per request with its id."""

import datetime
import json
import logging
import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal.logs import JsonFormatter, RequestIdFilter, TextFormatter
from portal.models import WorkerHeartbeat


def test_healthz_answers_200_with_every_check_and_nothing_secret(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"] == {"database": "ok", "migrations": "ok", "storage": "ok"}
    assert body["worker"]["state"] == "not used"
    text = response.content.decode()
    assert settings.SECRET_KEY not in text and "postgres" not in text and "password" not in text.lower()
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_plain_http_when_every_other_page_redirects_to_https(client, db, settings):
    """The load balancer's probe speaks plain HTTP; a redirect would take the server out of the pool."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_healthz_reports_the_age_of_the_worker_heartbeat(client, db, settings):
    settings.TASKS_BACKEND = "database"
    assert client.get("/healthz").json()["worker"]["state"] == "never seen"
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", host="h", pid=1, started_at=now, seen_at=now)
    worker = client.get("/healthz").json()["worker"]
    assert worker["state"] == "ok" and 0 <= worker["heartbeat_age_seconds"] < 5
    WorkerHeartbeat.objects.filter(pk="w1").update(seen_at=now - datetime.timedelta(minutes=10))
    body = client.get("/healthz").json()
    # A dead worker is reported, but the web server still takes requests (200).
    assert body["worker"]["state"] == "stale" and body["status"] == "degraded"


def test_healthz_names_a_store_that_refuses_writes(client, db, settings, tmp_path):
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(0o500)
    settings.MEDIA_ROOT = read_only / "media"
    if os.geteuid() == 0:  # root writes anywhere: a file where the folder should be refuses it too
        (read_only / "media").write_text("not a folder")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_healthz_writes_to_the_store_once_in_a_while_not_on_every_probe(client, db, settings, tmp_path, monkeypatch):
    """A load balancer probes every 2 s: a write that worked is trusted for STORAGE_CHECK_SECONDS;
    a write that failed is tried again on the next probe."""
    from django.core.files.storage import FileSystemStorage

    from portal import health

    settings.MEDIA_ROOT = tmp_path / "media"  # a new store: not written yet
    writes = []
    real_save = FileSystemStorage.save
    monkeypatch.setattr(
        FileSystemStorage, "save", lambda self, *a, **k: writes.append(a[0]) or real_save(self, *a, **k)
    )
    clock = [1000.0]
    monkeypatch.setattr(health.time, "monotonic", lambda: clock[0])
    assert client.get("/healthz").status_code == 200 and len(writes) == 1
    clock[0] += health.STORAGE_CHECK_SECONDS - 1
    assert client.get("/healthz").json()["checks"]["storage"] == "ok" and len(writes) == 1
    clock[0] += 1
    assert client.get("/healthz").status_code == 200 and len(writes) == 2
    # A failed write is not trusted: each probe tries again until the store takes one.
    monkeypatch.setattr(FileSystemStorage, "save", lambda self, *a, **k: writes.append(a[0]) or 1 / 0)
    clock[0] += health.STORAGE_CHECK_SECONDS
    assert client.get("/healthz").status_code == 503 and len(writes) == 3
    assert client.get("/healthz").status_code == 503 and len(writes) == 4


def test_healthz_answers_503_naming_the_database_when_it_is_down():
    """A real process whose DATABASE_URL points at a closed port (nothing listens on 56099); its
    stdout carries the JSON request line, as gunicorn's workers write it."""
    script = (
        "import sys, django; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/healthz'); print(r.status_code, r.content.decode(), file=sys.stderr)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": "postgres://app:app@127.0.0.1:56099/app",
        "LOG_FORMAT": "json",
    }
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    status, body = out.stderr.strip().splitlines()[-1].split(" ", 1)
    assert status == "503", out.stderr
    body = json.loads(body)
    assert body["failed"] == ["database"] and body["status"] == "fail"
    assert body["checks"]["database"] == "OperationalError" and body["checks"]["migrations"] == "not checked"
    assert "56099" not in json.dumps(body)  # no host or port in the answer
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    (request_line,) = [line for line in lines if line["logger"] == "portal.requests"]
    assert (request_line["path"], request_line["status"], request_line["level"]) == ("/healthz", 503, "ERROR")
    assert len(request_line["request_id"]) == 32 and request_line["duration_ms"] > 0


def _request_lines(caplog):
    """The request lines as the production formatter writes them."""
    formatter, ids = JsonFormatter(), RequestIdFilter()
    records = [record for record in caplog.records if record.name == "portal.requests"]
    return [json.loads(formatter.format(record)) for record in records if ids.filter(record)]


def test_one_json_line_per_request_with_its_id_user_and_no_query_values(client, cast, caplog):
    client.force_login(cast.official_x)
    caplog.clear()
    response = client.get(reverse("teams:member_list", args=[cast.commune_x.pk]), {"q": "Nguyễn Văn A 0912345678"})
    assert response.status_code == 200
    (line,) = _request_lines(caplog)
    assert line["request_id"] == response["X-Request-ID"] and len(line["request_id"]) == 32
    assert line["user_id"] == cast.official_x.pk
    assert (line["method"], line["status"]) == ("GET", 200)
    assert line["path"] == reverse("teams:member_list", args=[cast.commune_x.pk]) + "?q="
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert "0912345678" not in json.dumps(line) and line["time"].endswith("+00:00")


def test_a_one_time_links_token_and_a_reset_links_never_reach_the_log(client, cast, caplog):
    """Whoever reads the logs cannot use a link still waiting in someone's mailbox."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from accounts.models import OneTimeLink

    _, token = OneTimeLink.issue(cast.official_x)
    uid = urlsafe_base64_encode(force_bytes(cast.official_y.pk))
    reset = default_token_generator.make_token(cast.official_y)
    caplog.clear()
    assert client.get(reverse("accounts:set_password", args=[token])).status_code == 200
    assert client.get(reverse("password_reset_confirm", args=[uid, reset])).status_code == 302
    lines = _request_lines(caplog)
    assert [line["path"] for line in lines] == ["/tai-khoan/dat-mat-khau/…/", "/quen-mat-khau/…/…/"]
    assert token not in caplog.text and reset not in caplog.text and uid not in caplog.text


def test_every_url_parameter_that_is_not_a_number_is_named_secret_or_public():
    """A new address with a text part must say whether the logs may show it (portal/logs.py)."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.converters import IntConverter

    from portal.logs import PUBLIC_URL_PARTS, SECRET_URL_PARTS

    def parameters(patterns):
        for entry in patterns:
            converters = getattr(entry.pattern, "converters", {})
            yield from ((name, c) for name, c in converters.items() if not isinstance(c, IntConverter))
            regex_names = entry.pattern.regex.groupindex if not converters else {}
            yield from ((name, None) for name in regex_names)
            if isinstance(entry, URLResolver):
                yield from parameters(entry.url_patterns)
            assert isinstance(entry, (URLPattern, URLResolver))

    names = {name for name, _ in parameters(get_resolver().url_patterns)}
    assert "token" in names and "uidb64" in names
    assert names <= SECRET_URL_PARTS | PUBLIC_URL_PARTS, names - SECRET_URL_PARTS - PUBLIC_URL_PARTS


def test_a_proxys_request_id_is_kept_and_an_anonymous_visit_has_no_user(client, db, caplog):
    caplog.clear()
    response = client.get("/dang-nhap/", HTTP_X_REQUEST_ID="lb-1234abcd")
    assert response["X-Request-ID"] == "lb-1234abcd"
    (line,) = _request_lines(caplog)
    assert line["request_id"] == "lb-1234abcd" and "user_id" not in line
    # Anything that is not a plain identifier is replaced, not echoed.
    assert client.get("/dang-nhap/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_an_error_is_logged_with_its_traceback_and_the_request_id(client, cast, caplog, monkeypatch):
    import dashboards.views

    def broken(*args, **kwargs):
        raise RuntimeError("the dashboard broke")

    monkeypatch.setattr(dashboards.views.figures, "national_dashboard", broken)
    client.raise_request_exception = False
    client.force_login(cast.admin)
    caplog.clear()
    response = client.get(reverse("dashboards:national_dashboard"))
    assert response.status_code == 500
    formatter = JsonFormatter()
    lines = [json.loads(formatter.format(record)) for record in caplog.records]
    errors = [line for line in lines if "traceback" in line]
    assert errors and "RuntimeError: the dashboard broke" in errors[0]["traceback"]
    assert errors[0]["request_id"] == response["X-Request-ID"]
    (request_line,) = [line for line in lines if line["logger"] == "portal.requests"]
    assert (request_line["status"], request_line["level"]) == (500, "ERROR")


def test_the_text_format_is_one_readable_line():
    record = logging.LogRecord("portal.requests", logging.INFO, __file__, 1, "GET /healthz 200", None, None)
    RequestIdFilter().filter(record)
    assert TextFormatter().format(record).endswith("INFO portal.requests [-] GET /healthz 200")
