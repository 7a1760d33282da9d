"""Django settings, configured by environment variables (see README)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)
# The fallback key is for a laptop demo only: without DEBUG the server refuses to start on it
# or on any key shorter than 50 characters (kiemdiem/config/safety.py).
SECRET_KEY = os.environ.get("SECRET_KEY", "kiemdiem-local-demo-key-change-me-in-production")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "kiemdiem.org",
    "kiemdiem.accounts",
    "kiemdiem.audit",
    "kiemdiem.cycles",
    "kiemdiem.meetings",
    "kiemdiem.reviews",
    "kiemdiem.feedback",
    "kiemdiem.ballots",
    "kiemdiem.grading",
    "kiemdiem.history",
    "kiemdiem.documents",
    "kiemdiem.web",
    "kiemdiem.api",
    "csp",
    "axes",
    "ninja",  # its Swagger UI files, served by whitenoise: no CDN (design.md principle 9)
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "kiemdiem.web.errors.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as axes documents: it turns a locked-out request's answer into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kiemdiem.config.urls"
WSGI_APPLICATION = "kiemdiem.config.wsgi.application"

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
        },
    }
]

# An empty DATABASE_URL (a blank line in an env file) means "not set", not "no database".
_database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}"
if not _database_url.startswith(("sqlite:", "postgres:", "postgresql:")):
    raise ImproperlyConfigured(
        "DATABASE_URL không hợp lệ: cần dạng sqlite:///đường/dẫn.sqlite3 hoặc "
        "postgres://người_dùng@máy:cổng/tên_cơ_sở_dữ_liệu."
    )
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
# A province's read-only reports may come from a streaming replica (kiemdiem/config/replica.py).
if os.environ.get("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["REPLICA_DATABASE_URL"], conn_max_age=60
    )
    # In tests the replica is the primary itself (Django's test mirror).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["kiemdiem.config.replica.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer works; the timeout rides out short write bursts.
    # synchronous=FULL: a vote answered "counted" survives a power cut, not only a killed
    # process (NORMAL may lose the last commits then; docs/ballots.md).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests run on a file, as production does: an in-memory database shares one cache
    # whose table locks ignore the busy timeout, so concurrent voters would fail there.
    _TEST_DB = PROJECT_DIR / "var" / "test.sqlite3"  # per checkout: parallel runs apart
    _TEST_DB.parent.mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(_TEST_DB)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve the package's own assets even without collectstatic: intranets have no CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# A brake on guessing (issue 13 §2, kiemdiem/accounts/throttle.py): axes refuses a locked-out
# sign-in before any password is checked, so its backend comes first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Attempts refused during a lockout do not start the cool-down again: it ends when the page says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = "kiemdiem.accounts.throttle.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "kiemdiem.accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kiemdiem.accounts.throttle.client_ip"
# axes keeps the posted fields of a failed attempt (the password masked): mask the CSRF token too.
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

MEMBERS_PAGE_SIZE = 50

# E-mail for reminders: off unless EMAIL_HOST is set (an intranet may have no mail server;
# the reminder list is always on its page, ready to copy).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kiemdiem@localhost")
REMINDERS_BY_EMAIL = bool(EMAIL_HOST)

# Documents (docs/documents.md): a folder of .docx templates an office edited replaces the
# built-in ones by file name; generated dossiers are kept under DOCUMENTS_OUTPUT_DIR.
# DOCUMENTS_JOB_RUNNER "thread" runs dossier jobs in the web process (a laptop); "worker"
# leaves them to `kiemdiem worker` (several app servers).
DOCUMENT_TEMPLATES_DIR = os.environ.get("DOCUMENT_TEMPLATES_DIR", "")
DOCUMENTS_OUTPUT_DIR = Path(
    os.environ.get("DOCUMENTS_OUTPUT_DIR", str(PROJECT_DIR / "var" / "documents"))
)
DOCUMENTS_JOB_RUNNER = os.environ.get("DOCUMENTS_JOB_RUNNER", "thread")
# Long work runs as tasks of Django's Tasks framework (django-tasks backport). The database
# backend needs no other service; TASKS_BACKEND names another (e.g. an RQ backend) for a
# province that runs one, whose own worker then takes the tasks (docs/operator.md).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
DOCUMENTS_PDF = _env_bool("DOCUMENTS_PDF", True)

# Behind a TLS-terminating proxy (nginx, Caddy, a load balancer), one variable turns on what
# Django's deploy check asks for (docs/operator.md, "Bảo mật"): the proxy must set
# X-Forwarded-Proto and must be the only way in.
BEHIND_TLS_PROXY = _env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_HTTPONLY = True
# The CSRF refusal in the site's layout and words, not Django's English page (issue 15 §5).
CSRF_FAILURE_VIEW = "kiemdiem.web.errors.csrf_failure"

# Content-Security-Policy (django-csp): the pages load script and style from this site only,
# with no inline script, inline style or style="" attribute (issue 13 §3): an injected tag
# cannot run. QR codes are inline SVG; images may be data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logging (issue 13 §6): errors with the request id to stderr, to LOG_DIR/kiemdiem.log where
# LOG_DIR is set, and by e-mail to ADMINS where e-mail is configured. No access log: Django's
# request logger writes 5xx only (a 4xx line would carry a ballot's path), the development
# server's request lines are off, and error reports carry no posted data or query string.
ADMINS = [("", a.strip()) for a in os.environ.get("ADMINS", "").split(",") if a.strip()]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
DEFAULT_EXCEPTION_REPORTER_FILTER = "kiemdiem.web.errors.NoBodyReporterFilter"
LOG_DIR = os.environ.get("LOG_DIR", "")
_LOG_HANDLERS = ["stderr"] + (["file"] if LOG_DIR else []) + (["mail"] if EMAIL_HOST else [])
LOGGING: dict[str, object] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kiemdiem.web.errors.RequestIdFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        },
        **(
            {
                "file": {
                    "class": "logging.handlers.WatchedFileHandler",
                    "filename": str(Path(LOG_DIR) / "kiemdiem.log"),
                    "filters": ["request_id"],
                    "formatter": "line",
                }
            }
            if LOG_DIR
            else {}
        ),
        "mail": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["request_id"],
            "include_html": False,
        },
    },
    "root": {"handlers": _LOG_HANDLERS, "level": "WARNING"},
    # Everything goes up to the root's handlers; Django's own console and mail handlers on
    # "django" are replaced (they would mail twice).
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
        # axes' warnings name the path (a ballot's, on the API) and whatever was typed as the
        # user name (sometimes a password): lockouts are in the audit log and the admin instead.
        "axes": {"level": "ERROR"},
        "kiemdiem": {"level": "INFO"},
    },
}
