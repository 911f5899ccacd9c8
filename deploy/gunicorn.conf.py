"""gunicorn settings for the portal (bin/serve, deploy/portal-web@.service).

Every value can be changed through the environment (deploy/portal.env.example).
Graceful restart: `kill -HUP <master pid>` (systemctl reload) starts new workers and lets the old
ones finish their requests within graceful_timeout; no request is dropped. With preload_app the
code is loaded once in the master: after deploying new code, restart the service (or send USR2
to start a new master, then QUIT to the old one).
"""

import os

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Two cores per server is the usual size here: 2 x cores + 1 processes, one thread each.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A province summary PDF of 168 communes takes a few seconds; nothing should take a minute.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Workers are replaced after a while, so that a slow leak (a PDF library's caches) cannot grow.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Django, WeasyPrint and the fonts are loaded once in the master and shared by the forked workers.
preload_app = True
# The portal logs one JSON line per request itself (portal/requestlog.py); gunicorn logs only errors.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind nginx or haproxy on the same host: trust X-Forwarded-* from it only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "cnscd-portal")
# gunicorn 27's control socket (gunicornc) is not used; signals restart the server.
control_socket_disable = True


def on_starting(server):
    """Runs in the master after the app is preloaded and before any worker is forked."""
    from django.db import connections

    from portal.warmup import warm_up
    from reports.rendering import warm_up as warm_up_documents

    server.log.info("warm-up: WeasyPrint and fonts loaded in %.2f s", warm_up())
    server.log.info("warm-up: views, document templates, stylesheet and fonts in %.2f s", warm_up_documents())
    # No database connection may cross the fork: each worker opens its own.
    connections.close_all()


def post_fork(server, worker):
    """Runs in each worker once forked: its own PDF renderer (fonts registered, the document's
    stylesheets parsed), made now rather than during its first PDF (reports/rendering.py)."""
    from reports.rendering import prepare_renderer

    prepare_renderer()
