import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import database_from_url, env_bool, env_int


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
