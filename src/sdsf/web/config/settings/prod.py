"""Production: behind HTTPS, served by gunicorn (see docs/production.md). ``manage.py check
--deploy`` is clean with these settings.

Environment: ``DATABASE_URL`` (PostgreSQL), ``SDSF_ALLOWED_HOSTS`` (the site's host names,
comma-separated), ``SDSF_SECRET_KEY`` (else one is generated in the workspace),
``SDSF_PROXY_SSL_HEADER=1`` when a reverse proxy terminates TLS and sets
``X-Forwarded-Proto``, ``SDSF_SSL_REDIRECT=0`` when that proxy redirects to HTTPS itself,
``SDSF_HSTS_SECONDS`` (default one year; 0 while trying HTTPS out).
"""

import os

from sdsf.web.config.settings.base import *  # noqa: F403

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("SDSF_SSL_REDIRECT", "1") != "0"
if os.environ.get("SDSF_PROXY_SSL_HEADER") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SDSF_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SDSF_HSTS_SUBDOMAINS", "1") != "0"
SECURE_HSTS_PRELOAD = os.environ.get("SDSF_HSTS_PRELOAD", "1") != "0"
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("SDSF_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]
WHITENOISE_AUTOREFRESH = False  # static files are read once, at start
