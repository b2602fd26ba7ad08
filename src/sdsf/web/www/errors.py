"""French error pages in the State design system: page not found (404), and the server's own
failures (500), which never show code, settings or posted fields. A database that stays busy
past the wait of the settings (SQLite, several saves at once) is told as such (503): try again
in a moment, nothing was saved."""

from __future__ import annotations

import sys

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request that cannot be served as sent (a session ended meanwhile, a malformed
    request): told in French, without the database (it may be what is busy)."""
    return HttpResponse(
        loader.get_template("www/erreur.html").render({"title": "Requête refusée", "bad": True}),
        status=400,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "www/introuvable.html", {"title": "Page introuvable"}, status=404)


def _busy() -> bool:
    error = sys.exc_info()[1]
    return isinstance(error, OperationalError) and "locked" in str(error).lower()


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the database (it may be what failed) nor the request's context."""
    busy = _busy()
    context = {
        "title": "Base de données occupée" if busy else "Erreur du serveur",
        "busy": busy,
    }
    try:
        body = loader.get_template("www/erreur.html").render(context)
    except Exception:  # the page must always come out, even without its template
        body = (
            "<!DOCTYPE html><html lang=fr><meta charset=utf-8><title>Erreur du serveur</title>"
            "<h1>Erreur du serveur</h1><p>Une erreur inattendue s'est produite : rien n'a été "
            "enregistré. Réessayez dans quelques instants.</p></html>"
        )
    return HttpResponse(body, status=503 if busy else 500)
