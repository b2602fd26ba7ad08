"""The embedded default: ``sdsf serve`` on this computer (HTTP on localhost, SQLite in the
workspace unless ``DATABASE_URL`` says otherwise). Debugging stays off: ``sdsf serve --debug``
turns it on (``dev``); a server open to a network uses ``prod`` (HTTPS)."""

from sdsf.web.config.settings.base import *  # noqa: F403
