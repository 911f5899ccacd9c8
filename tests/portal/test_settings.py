import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from portal.settings import BASE_DIR, database_from_url, env_bool, env_int


def test_a_postgres_url_becomes_a_database_entry():
    db = database_from_url("postgres://app:p%40ss@127.0.0.1:55432/app")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "app",
        "app",
        "p@ss",
        "127.0.0.1",
        "55432",
    )


def test_a_url_of_another_database_is_refused():
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://app@localhost/app")


def test_bad_boolean_and_number_values_fail_loudly(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("DEBUG", True)
    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "five")
    with pytest.raises(ImproperlyConfigured):
        env_int("LOGIN_FAILURE_LIMIT", 5)
    monkeypatch.setenv("DEBUG", "off")
    assert env_bool("DEBUG", True) is False


def test_postgres_sessions_run_without_jit(db):
    """portal.settings.POSTGRES_OPTIONS reaches the server (measured in the README's Benchmark)."""
    db = database_from_url("postgres://app@127.0.0.1/app")
    assert db["OPTIONS"] == {"options": "-c jit=off"}
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite database used to try the portal has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def settings_in_a_fresh_process(**env):
    """DATABASES["default"] as portal.settings builds it from the environment ``env``."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "POSTGRES_OPTIONS")}
    code = "import json, portal.settings as s; print(json.dumps(s.DATABASES['default'], default=str))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**environment, **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_sqlite_gets_no_postgres_options_and_the_options_can_be_turned_off():
    sqlite = settings_in_a_fresh_process()
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3" and "OPTIONS" not in sqlite
    url = "postgres://app@127.0.0.1/app"
    assert settings_in_a_fresh_process(DATABASE_URL=url, POSTGRES_OPTIONS="")["OPTIONS"] == {}
    tuned = settings_in_a_fresh_process(DATABASE_URL=url, POSTGRES_OPTIONS="-c work_mem=32MB")
    assert tuned["OPTIONS"] == {"options": "-c work_mem=32MB"}
