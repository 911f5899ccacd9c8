"""Settings for the Tổ CNSCĐ portal, read from environment variables.

With no environment at all the portal runs on a SQLite file with DEBUG on, so that it can
be tried on a laptop. DATABASE_URL switches to PostgreSQL, which CI and production use.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Settings of every PostgreSQL session, as libpq's "options" ("" leaves the server's own).
# jit=off: the dashboards' GROUP BYs over a province's or the country's activities cost more
# than jit_above_cost, and compiling them took 21 ms of the national view's 250 ms activity
# query and up to 230 ms on the first version of the province dashboard (EXPLAIN ANALYZE on
# national-scale data, 2 cores, 2026-11-23); JIT pays off only for queries that run for
# seconds. random_page_cost=1.1 and work_mem=32MB were measured too and changed nothing
# on these pages (every sort and hash fits in the default 4 MB), so they are left to the server.
POSTGRES_OPTIONS = env_str("POSTGRES_OPTIONS", "-c jit=off")


def database_from_url(url):
    """postgres://user:password@host:port/name -> a Django DATABASES entry."""
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"DATABASE_URL must start with postgres://, not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"options": POSTGRES_OPTIONS} if POSTGRES_OPTIONS else {},
    }


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"
if not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith(("dev-only", "change-me"))):
    # Sessions, password-reset links and signed values all rest on this key: a short or example
    # one is refused outright rather than warned about (python -c "import secrets; print(secrets.token_urlsafe(50))").
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_tasks_db",
    "portal",
    "exports",
    "teams",
    "reports",
    "dashboards",
    "demo",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
]

MIDDLEWARE = [
    "portal.logs.RequestLogMiddleware",  # first: times everything, gives the request its id
    # Then a body over MAX_REQUEST_BYTES is refused before anything reads it (portal/uploads.py).
    "portal.uploads.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view reads the query: its 400 page is in the layout, with the user and the CSP.
    "portal.errors.NullCharacterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.replica.RecentWriteMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.ForcePasswordChangeMiddleware",
    # Last, as django-axes asks: turns a lockout into the login page with its message.
    "axes.middleware.AxesMiddleware",
]

if DEBUG:
    # A wrong link under `make run` (DEBUG on) shows the portal's Vietnamese 404 page, not Django's debug page.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "portal.errors.DebugNotFoundMiddleware"
    )
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"

if not DEBUG:
    # In production the portal serves static/ itself too (government networks block CDNs);
    # with DEBUG on, runserver does it. Run `manage.py collectstatic` when deploying.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# Content-Security-Policy on every response: scripts, styles, fonts and images only from the
# portal's own files (no inline script, no on*= handler, no style attribute in any template:
# data reaches scripts with json_script), so text that slips past escaping still cannot run.
# data: images are Bootstrap's own SVG icons in its stylesheet.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "worker-src": [CSP.SELF],  # the team lead's offline queue (static/sw.js, served at /sw.js)
    "manifest-src": [CSP.SELF],
}

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["portal.templatetags.vn", "portal.templatetags.permissions"],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / env_str("SQLITE_NAME", "db.sqlite3"),
        }
    }

# Optional streaming replica (portal/replica.py): the dashboards' heavy reads go there.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_URL and DATABASE_REPLICA_URL:
    DATABASES["replica"] = {**database_from_url(DATABASE_REPLICA_URL), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["portal.replica.ReplicaRouter"]

AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's Vietnamese catalogue lacks this message; portal.passwords says it in Vietnamese.
    {"NAME": "portal.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (accounts/throttle.py): django-axes, counted in the database so that every
# worker and server shares the counts. LOGIN_FAILURE_LIMIT failures per user name and address,
# or LOGIN_ADDRESS_FAILURE_LIMIT per address whatever the names, pause logins from there for
# LOGIN_FAILURE_WINDOW_SECONDS. The client's address is REMOTE_ADDR, unless the portal runs
# behind TRUSTED_PROXY_COUNT proxies that append it to TRUSTED_PROXY_HEADER (e.g.
# HTTP_X_FORWARDED_FOR with 1 behind one nginx): set them only then, or anyone can pick an address.
AUTHENTICATION_BACKENDS = ["accounts.throttle.PortalAxesBackend", "portal.backends.UserBackend"]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
# "Quên mật khẩu?" (accounts/reset.py): at most PASSWORD_RESET_LIMIT e-mails per address typed and
# PASSWORD_RESET_ADDRESS_LIMIT requests per client address in PASSWORD_RESET_WINDOW_MINUTES.
PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 3)
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 20)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)
TRUSTED_PROXY_HEADER = env_str("TRUSTED_PROXY_HEADER", "")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if TRUSTED_PROXY_HEADER else 0)
AXES_HANDLER = "accounts.throttle.PortalAxesHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # the order PortalAxesHandler reads
AXES_COOLOFF_TIME = datetime.timedelta(seconds=LOGIN_FAILURE_WINDOW_SECONDS)
AXES_USERNAME_CALLABLE = "accounts.throttle.username_of"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# Roles that confirm each login with a second factor (TOTP app or backup code; accounts/twofactor.py).
# Comma-separated role codes (admin, province, commune, team_lead); empty for none.
REQUIRE_2FA_ROLES = env_list("REQUIRE_2FA_ROLES", ["admin", "province"])
OTP_TOTP_ISSUER = "Cổng Tổ CNSCĐ"
# Days a one-time link to set one's password works (accounts.models.OneTimeLink).
ONE_TIME_LINK_DAYS = env_int("ONE_TIME_LINK_DAYS", 7)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]
# Django's strings that its Vietnamese catalogue lacks (the admin's "Skip to main content", forms'
# "- Select an option -"); the compiled .mo is committed, so running needs no gettext.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Empty choices read "- Chọn một mục -" (the locale above) rather than "---------".
USE_BLANK_CHOICE_DASH = False

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / env_str("STATIC_ROOT", "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files on an S3-compatible object store (MinIO, Ceph, a cloud's) when S3_BUCKET is set, so
# that every app server sees them and backups cover them (manage.py backup reads them through
# the storage API). Private: no ACL, no public URL; the scoped views stream them from the store.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("S3_REGION", "us-east-1"),
            "location": env_str("S3_PREFIX", ""),
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploads (signed decisions, scans, signed PDFs, photos) are capped here; views say so in Vietnamese.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
# A request carries at most 5 files (activity photos) and its form fields; anything declaring more is
# refused unread (portal.uploads.RequestSizeLimitMiddleware). nginx's client_max_body_size matches it.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 5 * MAX_UPLOAD_BYTES + 1024 * 1024)
# Files over 2.5 MB are spooled to FILE_UPLOAD_TEMP_DIR (the system's by default), never held in
# memory, and a file is cut off at MAX_UPLOAD_BYTES while it is read (portal.uploads).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR", "") or None
FILE_UPLOAD_HANDLERS = [
    "portal.uploads.FileSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Root certificates (PEM or DER files, comma-separated paths) of the certification authorities whose
# signers a signed PDF is checked against (reports/signing.py). Empty: signatures are checked for
# integrity only, and the page says the signer's authority was not verified.
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS", [])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Django 6.1's mailer configuration; reminders go to the console unless a backend is set.
# Production (DEBUG off) sends through SMTP, configured by EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL and EMAIL_TIMEOUT.
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "EMAIL_BACKEND",
            f"django.core.mail.backends.{'console' if DEBUG else 'smtp'}.EmailBackend",
        )
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
if env_str("EMAIL_FILE_PATH"):  # the file backend (tests of the worker, a staging server): one file per batch
    MAILERS["default"]["OPTIONS"] = {"file_path": env_str("EMAIL_FILE_PATH")}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cong-nghe-so@localhost")

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of the portal reads it: forms carry the token
# HTTPS only in production: HSTS (a year, subdomains; SECURE_HSTS_PRELOAD opt-in) and a redirect of
# plain HTTP. Behind nginx (deploy/nginx-cnscd.conf), which terminates TLS, Django learns the request
# was HTTPS from X-Forwarded-Proto, trusted only when SECURE_PROXY_SSL_HEADER=true says that header
# is set by our own proxy (otherwise a client could claim HTTPS).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer probes /healthz over plain HTTP on the loopback or private network; a 301 would
# take every server out of the pool.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is the domain owner's commitment (the province's .gov.vn zone), not the portal's: without
# it, Django's reminder that preload is off is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Background tasks (Django's tasks framework). "immediate" runs each task inside the request that
# enqueues it (laptops, the demo, most tests); "database" queues them in PostgreSQL for
# `manage.py worker` (production: deploy/portal-worker.service).
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# A worker writes its heartbeat this often; a running task whose worker has been silent for
# WORKER_STALE_SECONDS is put back in the queue (the worker died: SIGKILL, power, OOM).
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 5)
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 30)
# Files made in the background (exports/: province lists, the province summary) are deleted this many
# days after they were asked for, with their row.
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7)
# What manage.py housekeeping (portal/housekeeping.py) deletes each night, by age in days.
TASK_RESULT_KEEP_DAYS = env_int("TASK_RESULT_KEEP_DAYS", 14)
LOGIN_LOG_KEEP_DAYS = env_int("LOGIN_LOG_KEEP_DAYS", 365)
ONE_TIME_LINK_KEEP_DAYS = env_int("ONE_TIME_LINK_KEEP_DAYS", 90)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if env_bool("FAST_PASSWORD_HASHER", False):
    # Tests create many users; the real hasher would dominate their run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# One JSON line per record on stdout (portal/logs.py): a request line per request, errors with
# their traceback, each with the request id; text (the default with DEBUG on) for people at a console.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "portal.logs.JsonFormatter"}, "text": {"()": "portal.logs.TextFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "portal.requests": {"level": "INFO" if env_bool("LOG_REQUESTS", True) else "WARNING"},
        "portal.worker": {"level": "INFO"},
        # Django logs each 5xx itself with its traceback (django.request); the request line says it too.
    },
}
