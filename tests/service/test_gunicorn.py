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


def test_each_worker_makes_its_pdf_renderer_as_it_starts_not_during_its_first_pdf(monkeypatch):
    """A worker does not use its master's renderer (portal/pdfs.py): gunicorn's post_fork makes the
    worker's own, fonts registered and stylesheets parsed, before any request."""
    import threading

    import weasyprint

    from portal import pdfs
    from reports import rendering

    monkeypatch.setattr(pdfs, "_local", threading.local())  # as in a newly forked worker
    runpy.run_path(str(CONFIG))["post_fork"](server=None, worker=None)

    def parsed_again(*args, **kwargs):
        raise AssertionError("a stylesheet was parsed during the first PDF")

    monkeypatch.setattr(weasyprint, "CSS", parsed_again)
    assert rendering._pdf(rendering._html({"sections": [], "subject": "Báo cáo"}, "Báo cáo", for_pdf=True))
