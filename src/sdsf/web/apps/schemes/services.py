"""The schéma's life: creation from a calendar template, phases, committee meetings and their
decisions, concertation comments, signatures. Every write checks the user's rights
(:mod:`sdsf.web.apps.accounts.permissions`) and refuses bad input with a French message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from sdsf.parameters.governance import calendars
from sdsf.web.apps.accounts.models import Organisation
from sdsf.web.apps.accounts.permissions import COMMENT, STEER, profile_of, require
from sdsf.web.apps.datasets.models import current_user_name
from sdsf.web.apps.schemes import checks, revisions
from sdsf.web.apps.schemes.checks import SchemeError
from sdsf.web.apps.schemes.models import (
    ActionPlanVersion,
    Attendance,
    Comment,
    Decision,
    Meeting,
    Phase,
    Scheme,
    Signatory,
)

MAX_YEARS = 6


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    later: dt.date = day + relativedelta(months=months)
    return later


def current_scheme(departement: str) -> Scheme | None:
    """The département's latest schéma."""
    return Scheme.objects.filter(departement=departement).order_by("-start", "-id").first()


def create_scheme(
    user: object, departement: str, title: str, start: dt.date, template: str
) -> Scheme:
    """A schéma with its phases planned from a calendar template (adjustable afterwards)."""
    require(user, STEER, departement)
    if template not in calendars():
        raise SchemeError(f"modèle de calendrier inconnu « {str(template)[:40]} »")
    if not title.strip():
        raise SchemeError("l'intitulé du schéma est obligatoire")
    title = checks.text(title, "intitulé", 200)
    checks.date(start, "début du schéma")
    plan = calendars()[template]
    end = add_months(start, plan.months) - dt.timedelta(days=1)
    with transaction.atomic():
        scheme = Scheme.objects.create(
            departement=departement,
            title=title.strip(),
            start=start,
            end=end,
            created_by=user if getattr(user, "pk", None) else None,
        )
        bulk_create_with_history(
            [
                Phase(
                    scheme=scheme,
                    kind=p.kind,
                    order=i,
                    planned_start=add_months(start, p.start_month),
                    planned_end=(
                        end
                        if p.end_month is None
                        else add_months(start, p.end_month) - dt.timedelta(days=1)
                    ),
                )
                for i, p in enumerate(plan.phases)
            ],
            Phase,
        )
    return scheme


def update_period(
    user: object, scheme: Scheme, start: dt.date, end: dt.date, revision: int | None = None
) -> Scheme:
    require(user, STEER, scheme.departement)
    checks.date(start, "début du schéma")
    checks.date(end, "fin du schéma")
    if end <= start:
        raise SchemeError("la fin du schéma doit suivre son début")
    if end > add_months(start, 12 * MAX_YEARS):
        raise SchemeError(f"un schéma dure {MAX_YEARS} ans au plus")
    return revisions.save(scheme, user, revision, {"start": start, "end": end})


def update_texts(
    user: object, scheme: Scheme, editorial: str, issues: str, revision: int | None = None
) -> Scheme:
    """The texts of the schéma document typed in the platform: the editorial and the issues
    (enjeux), from the ``revision`` the person read."""
    require(user, STEER, scheme.departement)
    fields = {
        "editorial": checks.text(editorial, "éditorial"),
        "issues": checks.text(issues, "enjeux"),
    }
    return revisions.save(scheme, user, revision, fields)


def _phase_dates_hold(phase: Phase) -> None:
    if phase.planned_start is None or phase.planned_end is None:
        raise SchemeError(f"{phase.get_kind_display()} : les dates prévues sont obligatoires")
    if phase.planned_end < phase.planned_start:
        raise SchemeError(f"{phase.get_kind_display()} : la fin prévue précède le début prévu")
    if phase.actual_start and phase.actual_end and phase.actual_end < phase.actual_start:
        raise SchemeError(f"{phase.get_kind_display()} : la fin réelle précède le début réel")


def update_phase(
    user: object, phase: Phase, revision: int | None = None, **dates: dt.date | None
) -> Phase:
    """Planned and actual dates of a phase (``planned_start``, ``planned_end``,
    ``actual_start``, ``actual_end``)."""
    require(user, STEER, phase.scheme.departement)
    fields = {}
    for name, value in dates.items():
        if name not in {"planned_start", "planned_end", "actual_start", "actual_end"}:
            raise SchemeError(f"date inconnue « {name} »")
        fields[name] = checks.date(value, str(Phase._meta.get_field(name).verbose_name))
    return revisions.save(phase, user, revision, fields, _phase_dates_hold)


@dataclass(frozen=True)
class PhaseState:
    phase: Phase
    state: str  # « terminée », « en cours », « à venir », « en retard »
    late: bool


def phase_states(scheme: Scheme, today: dt.date | None = None) -> list[PhaseState]:
    """Each phase with its state: late when its planned end is past and it is not done, or
    its planned start is past and it has not started."""
    today = today or timezone.localdate()
    out = []
    for phase in scheme.phases.all():
        if phase.actual_end:
            late = phase.actual_end > phase.planned_end
            out.append(PhaseState(phase, "terminée" + (" en retard" if late else ""), late))
        elif phase.planned_end < today:
            out.append(PhaseState(phase, "en retard", True))
        elif phase.actual_start:
            out.append(PhaseState(phase, "en cours", False))
        elif phase.planned_start < today:
            out.append(PhaseState(phase, "en retard (non commencée)", True))
        else:
            out.append(PhaseState(phase, "à venir", False))
    return out


def status_label(scheme: Scheme, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    signed = [s.signed_on for s in scheme.signatories.all() if s.signed_on and not s.joined_later]
    if today > scheme.end:
        return "achevé"
    if signed:
        return f"signé le {max(signed):%d/%m/%Y}, en vigueur"
    return "en préparation"


def add_meeting(
    user: object, scheme: Scheme, date: dt.date, title: str, place: str = "", agenda: str = ""
) -> Meeting:
    require(user, STEER, scheme.departement)
    if not title.strip():
        raise SchemeError("l'intitulé de la réunion est obligatoire")
    if date is None:
        raise SchemeError("la date de la réunion est obligatoire")
    return Meeting.objects.create(
        scheme=scheme,
        date=checks.date(date, "date de la réunion"),
        title=checks.text(title, "intitulé", 200),
        place=checks.text(place, "lieu", 200),
        agenda=checks.text(agenda, "ordre du jour"),
    )


def update_meeting(
    user: object, meeting: Meeting, revision: int | None = None, **fields: Any
) -> Meeting:
    """A meeting's date, title, place, agenda and minutes, from the ``revision`` read."""
    require(user, STEER, meeting.scheme.departement)
    lengths = {"title": 200, "place": 200, "agenda": checks.TEXT_MAX, "minutes": checks.TEXT_MAX}
    cleaned: dict[str, Any] = {}
    for name in ("date", "title", "place", "agenda", "minutes"):
        if name in fields:
            label = str(Meeting._meta.get_field(name).verbose_name)
            if name == "date":
                value = checks.date(fields[name], label)
                if value is None:
                    raise SchemeError("la date de la réunion est obligatoire")
            else:
                value = checks.text(fields[name], label, lengths[name], required=name == "title")
            cleaned[name] = value
    return revisions.save(meeting, user, revision, cleaned)


def set_attendance(
    user: object, meeting: Meeting, name: str, organisation: Organisation, status: str
) -> Attendance:
    require(user, STEER, meeting.scheme.departement)
    if status not in Attendance.STATUSES:
        raise SchemeError(f"présence inconnue « {str(status)[:20]} »")
    if not name.strip():
        raise SchemeError("le nom du participant est obligatoire")
    _of_departement(organisation, meeting.scheme.departement)
    found, _ = Attendance.objects.update_or_create(
        meeting=meeting,
        name=checks.text(name, "nom", 200),
        organisation=organisation,
        defaults={"status": status},
    )
    return found


def add_decision(
    user: object,
    meeting: Meeting,
    kind: str,
    text: str,
    *,
    priority_version: Any = None,
    plan_version: ActionPlanVersion | None = None,
) -> Decision:
    """A decision of the committee, linked to what it decided. Agreeing on the priority map
    validates the linked priority version (then immutable) with this meeting's date."""
    from sdsf.web.apps.priorities.services import validate

    scheme = meeting.scheme
    require(user, STEER, scheme.departement)
    if kind not in Decision.KINDS:
        raise SchemeError(f"objet de décision inconnu « {str(kind)[:40]} »")
    if not text.strip():
        raise SchemeError("le texte de la décision est obligatoire")
    text = checks.text(text, "décision")
    if kind == "carte_prioritaires" and priority_version is None:
        raise SchemeError("choisir la version de la carte des territoires prioritaires décidée")
    if priority_version is not None and priority_version.departement != scheme.departement:
        raise SchemeError("cette version de la carte appartient à un autre département")
    if plan_version is not None and plan_version.scheme_id != scheme.pk:
        raise SchemeError("cette version du plan d'action appartient à un autre schéma")
    with transaction.atomic():
        if priority_version is not None and not priority_version.validated:
            validate(priority_version, meeting.date, str(meeting), text.strip(), user)
        decision = Decision(
            meeting=meeting,
            kind=kind,
            text=text.strip(),
            priority_version=priority_version,
            plan_version=plan_version,
        )
        decision._history_user = user if getattr(user, "pk", None) else None  # type: ignore[attr-defined]
        decision.save()
    return decision


def update_decision(
    user: object, decision: Decision, kind: str, text: str, revision: int | None = None
) -> Decision:
    """Correct a decision's object or wording (its links stay: a validated version does not
    move); the history keeps what it said before."""
    require(user, STEER, decision.meeting.scheme.departement)
    if kind not in Decision.KINDS:
        raise SchemeError(f"objet de décision inconnu « {str(kind)[:40]} »")
    if not text.strip():
        raise SchemeError("le texte de la décision est obligatoire")
    text = checks.text(text, "décision")
    return revisions.save(decision, user, revision, {"kind": kind, "text": text.strip()})


def add_comment(user: object, scheme: Scheme, section: str, text: str) -> Comment:
    require(user, COMMENT, scheme.departement)
    if section not in Comment.SECTIONS:
        raise SchemeError(f"partie inconnue « {str(section)[:40]} »")
    if not text.strip():
        raise SchemeError("le commentaire est vide")
    text = checks.text(text, "commentaire")
    profile = profile_of(user)
    return Comment.objects.create(
        scheme=scheme,
        section=section,
        text=text.strip(),
        author=user if getattr(user, "pk", None) else None,
        organisation=profile.organisation if profile else None,
    )


def answer_comment(
    user: object, comment: Comment, status: str, answer: str, revision: int | None = None
) -> Comment:
    """The pilot's answer: taken into account or not, always with the reason."""
    require(user, STEER, comment.scheme.departement)
    if status not in ("retenu", "non_retenu"):
        raise SchemeError("réponse attendue : pris en compte ou non retenu")
    if not answer.strip():
        raise SchemeError("la réponse doit dire pourquoi")
    fields = {
        "status": status,
        "answer": checks.text(answer, "réponse"),
        "answered_by": current_user_name(user),
        "answered_at": timezone.now(),
    }
    return revisions.save(comment, user, revision, fields, compared=("status", "answer"))


def set_signatory(
    user: object,
    scheme: Scheme,
    organisation: Organisation,
    signed_by: str = "",
    signed_on: dt.date | None = None,
    joined_later: bool = False,
) -> Signatory:
    require(user, STEER, scheme.departement)
    if signed_on and not signed_by.strip():
        raise SchemeError("le nom du signataire est obligatoire pour une signature datée")
    _of_departement(organisation, scheme.departement)
    found, _ = Signatory.objects.update_or_create(
        scheme=scheme,
        organisation=organisation,
        defaults={
            "signed_by": checks.text(signed_by, "signataire", 200),
            "signed_on": checks.date(signed_on, "signé le"),
            "joined_later": joined_later,
        },
    )
    return found


def _of_departement(organisation: Organisation, departement: str) -> None:
    """The organisation is of the département (or national)."""
    if organisation.departement not in (departement, ""):
        raise SchemeError(f"l'organisation « {organisation.name} » est d'un autre département")
