"""No silent lost update. Every text of the schéma space that someone edits carries the
revision it was opened at; a save made from an older revision is refused with the difference
between what is saved and what the person typed (:class:`ConflictError`), and nothing is
written. The one who saves from the latest revision moves it on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from sdsf.web.apps.datasets.models import current_user_name

Edited = TypeVar("Edited", bound=models.Model)


@dataclass(frozen=True)
class Difference:
    label: str
    saved: str  # the value saved by the other person
    yours: str


class ConflictError(Exception):
    """The object changed since the form was opened: nothing was saved."""

    def __init__(self, edited: models.Model, differences: list[Difference]) -> None:
        self.edited = edited
        self.differences = differences
        who = getattr(edited, "updated_by", "") or "une autre personne"
        when: dt.datetime | None = getattr(edited, "updated_at", None)
        moment = f" le {timezone.localtime(when):%d/%m/%Y à %H:%M}" if when else ""
        what = str(edited._meta.verbose_name)
        super().__init__(
            f"Ce contenu ({what}) a été modifié par {who}{moment} pendant votre saisie : rien "
            "n'a été enregistré. Voici les différences entre la version enregistrée et la "
            "vôtre ; reprenez vos modifications sur la version à jour."
        )


def shown(value: Any) -> str:
    """A value as the difference table shows it."""
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(shown(v) for v in value))
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def differences(
    edited: models.Model,
    fields: Mapping[str, Any],
    current: Callable[[models.Model, str], Any] | None = None,
    yours: Callable[[str, Any], Any] | None = None,
) -> list[Difference]:
    """The fields whose saved value differs from the one typed. ``current`` and ``yours``
    turn a field's value into what a person reads (a choice's label, a list of partners)."""
    read = current or (lambda obj, name: getattr(obj, name))
    typed = yours or (lambda name, value: value)
    return [
        Difference(_label(type(edited), name), shown(read(edited, name)), shown(typed(name, value)))
        for name, value in fields.items()
        if shown(read(edited, name)) != shown(typed(name, value))
    ]


def locked(model: type[Edited], pk: Any) -> Edited:
    """The saved object, locked until the end of the transaction (two saves queue up)."""
    found: Edited = model._default_manager.select_for_update().get(pk=pk)
    return found


def check(
    edited: models.Model,
    revision: int | None,
    fields: Mapping[str, Any],
    current: Callable[[models.Model, str], Any] | None = None,
    yours: Callable[[str, Any], Any] | None = None,
) -> None:
    """Refuse (:class:`ConflictError`) an edit made from an older revision. ``revision``
    None: a caller that did not read a form (the command line, the demo) writes as it is."""
    saved = int(getattr(edited, "revision", 1))
    if revision is not None and int(revision) != saved:
        raise ConflictError(edited, differences(edited, fields, current, yours))


def moved_on(edited: models.Model, user: object) -> None:
    """Record a saved edit: next revision, who; the history records who too."""
    edited.revision = int(getattr(edited, "revision", 1)) + 1  # type: ignore[attr-defined]
    edited.updated_by = current_user_name(user)  # type: ignore[attr-defined]
    edited._history_user = user if getattr(user, "pk", None) else None  # type: ignore[attr-defined]


def save(
    edited: Edited,
    user: object,
    revision: int | None,
    fields: Mapping[str, Any],
    validate: Callable[[Edited], None] | None = None,
    compared: tuple[str, ...] | None = None,
) -> Edited:
    """Write ``fields`` on ``edited`` if it has not moved on since ``revision`` (else
    :class:`ConflictError`), with the next revision and its history; ``validate`` checks the
    object as it would be saved (a check across fields). ``edited`` is brought up to date."""
    from django.db import transaction

    with transaction.atomic():
        saved = locked(type(edited), edited.pk)
        typed = {k: v for k, v in fields.items() if compared is None or k in compared}
        check(saved, revision, typed)
        for name, value in fields.items():
            setattr(saved, name, value)
        if validate is not None:
            validate(saved)
        moved_on(saved, user)
        saved.save()
    for field in saved._meta.concrete_fields:
        setattr(edited, field.attname, getattr(saved, field.attname))
    return edited
