import os

from sdsf.web.config.settings.base import *  # noqa: F403

SECRET_KEY = os.environ["SDSF_SECRET_KEY"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
WHITENOISE_AUTOREFRESH = False
