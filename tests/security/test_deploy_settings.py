"""Finding 7 of issue 10: the production variables of deploy/portal.env.example pass Django's
deployment checks with no message at all, and a weak SECRET_KEY is refused with DEBUG off."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "portal.env.example"


def example_env(**changes):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    for line in EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    env.pop("DATABASE_URL", None)  # the checks need no database: SQLite's default stands in
    env.pop("DATABASE_REPLICA_URL", None)
    env.update(changes)
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    return env


def manage(*args, **changes):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=example_env(**changes), capture_output=True, text=True
    )


def test_the_example_production_settings_pass_check_deploy_without_a_message():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_behind_the_proxy_without_the_clients_address_check_deploy_warns():
    """Else every client has the proxy's address, and 20 failed logins by anyone pause everybody's."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", TRUSTED_PROXY_HEADER="")
    assert result.returncode != 0 and "portal.W001" in result.stderr + result.stdout
    assert "TRUSTED_PROXY_HEADER=HTTP_X_FORWARDED_FOR" in result.stderr + result.stdout


def test_a_short_or_example_secret_key_is_refused_when_debug_is_off():
    for key in ["short-key", "change-me-to-50-random-characters", "a" * 60]:
        result = manage("check", SECRET_KEY=key)
        assert result.returncode != 0 and "SECRET_KEY must be at least 50 random characters" in result.stderr


def test_production_mail_goes_through_smtp_from_the_environment():
    code = "from django.conf import settings; print(settings.MAILERS['default'])"
    result = manage("shell", "-c", code, EMAIL_HOST="mail.example.gov.vn", EMAIL_PORT="587", EMAIL_USE_TLS="true")
    assert "smtp.EmailBackend" in result.stdout and "'host': 'mail.example.gov.vn'" in result.stdout, result.stderr
    assert "'port': 587" in result.stdout and "'use_tls': True" in result.stdout
