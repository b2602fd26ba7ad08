"""Uploads are bounded while they arrive (parameter ``fichiers.taille_max_televersement``):
a request announcing a larger body is answered at once, before anything is read (the CSRF
check would otherwise read the whole body to find its token); a body without a length is cut
off as soon as it passes the limit. The browser checks the size before sending, too
(``static/www/sdsf.js``)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sdsf.sources.limits import file_limits, french_size

FORM_MARGIN = 1024 * 1024  # the form's other fields around the file
REFUSED = "sdsf_upload_refused"


def upload_limit() -> int:
    """The largest file accepted, in bytes."""
    return file_limits(timezone.localdate()).upload_bytes


def too_large(size: int) -> str:
    return (
        f"Fichier trop volumineux : {french_size(size)}, au plus {french_size(upload_limit())}. "
        "Rien n'a été importé. Découpez le fichier (par département ou par année) ou "
        "compressez-le (.csv.gz, .zip)."
    )


class BoundedUploadHandler(FileUploadHandler):
    """First in the chain of upload handlers: counts the bytes and stops the upload past the
    limit (the request then carries the French reason in ``request.sdsf_upload_refused``)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.limit = upload_limit()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                setattr(self.request, REFUSED, too_large(self.received))
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class UploadLimitMiddleware:
    """Answer a request whose announced length passes the limit before any part of its body
    is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > upload_limit() + FORM_MARGIN:
                return refusal(request, too_large(length))
        return self.get_response(request)


def refusal(request: HttpRequest, message: str) -> HttpResponse:
    from django.urls import reverse

    context = {
        "title": "Fichier refusé",
        "message": message,
        "back_url": reverse("importer"),
        "back_label": "Revenir à l'import de fichiers",
    }
    return render(request, "www/refus.html", context, status=413)
