"""Development only (``sdsf serve --debug``): Django's debug pages show the code and the
settings of the server, never to be used where others can reach it."""

from sdsf.web.config.settings.base import *  # noqa: F403

DEBUG = True
