"""The production server's configuration: preloaded app, warm PDF engine, settings from the environment."""

import runpy
from pathlib import Path

from django.conf import settings

from portal.warmup import warm_up

CONFIG = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"


def test_gunicorn_config_preloads_the_app_and_reads_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:56010")
    config = runpy.run_path(str(CONFIG))
    assert config["preload_app"] is True
    assert config["workers"] == 3 and config["bind"] == ["127.0.0.1:56010"]
    assert config["wsgi_app"] == "portal.wsgi:application"
    assert config["graceful_timeout"] > 0 and config["timeout"] >= config["graceful_timeout"]
    assert callable(config["on_starting"])


def test_warm_up_lays_out_a_page_with_weasyprint():
    import sys

    assert warm_up() > 0
    assert "weasyprint" in sys.modules
