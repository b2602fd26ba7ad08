"""Sessions end after two hours without activity, without writing to the database on every
page: the session's expiry is moved on at most every five minutes. Reading pages then never
waits for a writer (an import holding SQLite's write lock for a minute does not stop others
from reading)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 300
SEEN = "sdsf_vu"


class SessionActivityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and session.session_key:
            now = int(time.time())
            if now - int(session.get(SEEN, 0)) > REFRESH_SECONDS:
                session[SEEN] = now  # saved by the session middleware, with a new expiry
        return response
