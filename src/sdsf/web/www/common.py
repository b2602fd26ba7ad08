"""Helpers shared by the pages (ARCHITECTURE: web/www/common.py): the département or the
schéma of a URL or a 404, what a page may offer, a posted form run through its service (a user
mistake or an edit conflict becomes a French message, nothing saved), the form's errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from sdsf.web.apps.accounts.permissions import COMMENT, EDIT_ACTION, INVITE, STEER, can, require
from sdsf.web.apps.datasets import revision
from sdsf.web.apps.datasets.stored import remember, table_key
from sdsf.web.apps.schemes import services
from sdsf.web.apps.schemes.models import Scheme
from sdsf.web.apps.schemes.revisions import ConflictError
from sdsf.web.apps.schemes.services import SchemeError
from sdsf.web.apps.territories.models import Territory


def stored_body(
    request: HttpRequest, departement: str, params: tuple[str, ...], render_body: Callable[[], str]
) -> str:
    """The body of a page that shows data only (nothing of the user, no form to post): rendered
    once per revision of the data it shows (the département's and the whole country's: its
    France column) and for the values of its query ``params`` (the only ones it reads: any
    other parameter neither changes it nor makes another copy), then read by every process
    until the data change."""
    if not getattr(settings, "SDSF_STORE_PAGE_BODIES", True):
        return mark_safe(render_body())
    query = urlencode([(p, request.GET.get(p, "")) for p in params if p in request.GET])
    key = table_key("page", None, departement, request.path, query, revision.key())
    return mark_safe(remember(key, render_body))


def departement_or_404(code: str) -> Territory:
    dep = Territory.objects.filter(level="departement", code=code).first()
    if dep is None:
        raise Http404("département inconnu")
    return dep


def scheme_or_404(code: str) -> Scheme:
    scheme = services.current_scheme(code)
    if scheme is None:
        raise Http404("aucun schéma dans ce département")
    return scheme


def rights(user: object, departement: str) -> dict[str, bool]:
    """What the page may offer (the services decide)."""
    return {
        "can_steer": can(user, STEER, departement),
        "can_comment": can(user, COMMENT, departement),
        "can_invite": can(user, INVITE, departement),
        "can_edit_actions": can(user, EDIT_ACTION, departement),
    }


CONFLICT = "sdsf_conflict"


def conflict_of(request: HttpRequest) -> ConflictError | None:
    """The edit conflict of this request's save, if any (the page shows its differences)."""
    return getattr(request, CONFLICT, None)


def _short(text: str, most: int = 160) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def conflict_message(conflict: ConflictError) -> str:
    """The conflict and its differences in one message (for a page that redirects)."""
    listed = " ; ".join(
        f"{d.label} : enregistré « {_short(d.saved)} », votre saisie « {_short(d.yours)} »"
        for d in conflict.differences
    )
    return f"{conflict} Différences — {listed}." if listed else str(conflict)


def attempt(
    request: HttpRequest, work: Callable[[], Any], success: str, shown_on_page: bool = False
) -> bool:
    """Run a service call; a user mistake becomes a French error message, nothing saved. An
    edit made from an older revision (:class:`ConflictError`) is kept on the request for the
    page to show its differences (a short message points to them), or told whole in the
    message when ``shown_on_page`` is False (a page that redirects)."""
    try:
        with transaction.atomic():
            work()
    except SchemeError as exc:
        messages.error(request, str(exc)[:1].upper() + str(exc)[1:] + ".")
        return False
    except ConflictError as exc:
        setattr(request, CONFLICT, exc)
        messages.error(
            request,
            "Rien n'a été enregistré : ce contenu a été modifié par une autre personne pendant "
            "votre saisie (voir les différences ci-dessous)."
            if shown_on_page
            else conflict_message(exc),
        )
        return False
    messages.success(request, success)
    return True


def post_form(
    request: HttpRequest,
    form: Any,
    work: Callable[[dict[str, Any]], Any],
    success: str,
    right: tuple[str, str] | None = None,
    shown_on_page: bool = False,
) -> bool:
    """A posted form: when valid, the service call (a user mistake becomes a message); when
    not, the right is checked all the same (a refusal is a refusal, whatever the input).
    ``right``: (action, département), unless the caller has checked it already."""
    if form.is_valid():
        return attempt(request, lambda: work(form.cleaned_data), success, shown_on_page)
    if right is not None:
        require(request.user, right[0], right[1])
    messages.error(request, f"Rien n'a été enregistré. {form_problems(form)}")
    return False


def form_problems(form: Any) -> str:
    """« Champ : erreur ; Champ : erreur », with the fields' French labels."""
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else 'formulaire'} : {' '.join(errors)}"
        for name, errors in form.errors.items()
    )
