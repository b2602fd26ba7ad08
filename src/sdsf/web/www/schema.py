"""The schéma's pages: overview and calendar, committee, concertation, signatures, dashboard,
annual review, national view. Rights are checked by the services; pages only hide buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from sdsf.reports.charts import progress_svg
from sdsf.reports.formatting import french_number
from sdsf.reports.workbook import to_xlsx
from sdsf.web.apps.accounts.permissions import (
    COMMENT,
    NATIONAL_VIEW,
    READ,
    STEER,
    can,
    require,
)
from sdsf.web.apps.actionplan.history import edits, entries
from sdsf.web.apps.actionplan.monitoring import Progress, dashboard, national_rows
from sdsf.web.apps.actionplan.review import review_sheets
from sdsf.web.apps.actionplan.services import seed_orientations, snapshot_plan
from sdsf.web.apps.schemes import services
from sdsf.web.apps.schemes.models import Comment, Decision, Meeting, Phase
from sdsf.web.apps.schemes.services import SchemeError
from sdsf.web.www import schema_forms as f
from sdsf.web.www.common import (
    conflict_of,
    departement_or_404,
    post_form,
    rights,
    scheme_or_404,
)
from sdsf.web.www.presentation import download


def chart(progress: Progress) -> str:
    """The indicator's values against its targets, as inline SVG."""
    return mark_safe(progress_svg(progress.values, progress.targets, progress.indicator.label))


def scheme_home(request: HttpRequest, code: str) -> HttpResponse:
    dep = departement_or_404(code)
    require(request.user, READ, code)
    scheme = services.current_scheme(code)
    form = f.SchemeForm(
        request.POST or None,
        initial={"title": f"Schéma départemental des services aux familles — {dep.name}"},
    )

    def create(data: dict[str, Any]) -> None:
        created = services.create_scheme(
            request.user, code, data["title"], data["start"], data["template"]
        )
        seed_orientations(created)

    if request.method == "POST" and post_form(
        request,
        form,
        create,
        "Schéma créé, avec son calendrier et les orientations nationales.",
        (STEER, code),
    ):
        return redirect("schema", code)
    context: dict[str, Any] = {"title": f"Schéma — {dep.name}", "dep": dep, "scheme": scheme}
    context |= rights(request.user, code)
    if scheme is None:
        context["form"] = form
    else:
        context |= {
            "status": services.status_label(scheme),
            "phases": [
                (
                    s,
                    f.PhaseForm(
                        prefix=f"p{s.phase.pk}",
                        initial={
                            name: getattr(s.phase, name)
                            for name in (
                                "planned_start",
                                "planned_end",
                                "actual_start",
                                "actual_end",
                                "revision",
                            )
                        },
                    ),
                )
                for s in services.phase_states(scheme)
            ],
            "meetings": scheme.meetings.all()[:5],
            "period_form": f.PeriodForm(
                prefix="periode",
                initial={"start": scheme.start, "end": scheme.end, "revision": scheme.revision},
            ),
            "counts": {
                "actions": scheme.actions.count(),
                "orientations": scheme.orientations.count(),
                "comments": scheme.comments.filter(status=Comment.PENDING).count(),
            },
        }
    return render(request, "www/schema.html", context)


def period_update(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_or_404(code)
    if request.method == "POST":
        post_form(
            request,
            f.PeriodForm(request.POST, prefix="periode"),
            lambda d: services.update_period(
                request.user, scheme, d["start"], d["end"], d["revision"]
            ),
            "Période du schéma modifiée.",
            (STEER, code),
        )
    return redirect("schema", code)


def phase_update(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    phase = get_object_or_404(Phase, pk=pk, scheme__departement=code)
    if request.method == "POST":
        post_form(
            request,
            f.PhaseForm(request.POST, prefix=f"p{pk}"),
            lambda d: services.update_phase(request.user, phase, **d),
            f"Phase « {phase.get_kind_display()} » mise à jour.",
            (STEER, code),
        )
    return redirect("schema", code)


def committee(request: HttpRequest, code: str) -> HttpResponse:
    dep = departement_or_404(code)
    require(request.user, READ, code)
    scheme = scheme_or_404(code)
    form = f.MeetingForm(request.POST or None)
    created: list[Meeting] = []
    if request.method == "POST" and post_form(
        request,
        form,
        lambda d: created.append(services.add_meeting(request.user, scheme, **d)),
        "Réunion enregistrée.",
        (STEER, code),
    ):
        return redirect("schema_reunion", code, created[0].pk)
    meetings = scheme.meetings.prefetch_related("decisions", "attendances")
    context = {"title": f"Comité — {dep.name}", "dep": dep, "scheme": scheme}
    context |= {"meetings": meetings, "form": form} | rights(request.user, code)
    return render(request, "www/schema_comite.html", context)


def meeting_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    dep = departement_or_404(code)
    require(request.user, READ, code)
    meeting = get_object_or_404(Meeting, pk=pk, scheme__departement=code)
    op = request.POST.get("op") if request.method == "POST" else None
    minutes = f.MinutesForm(
        request.POST if op == "compte_rendu" else None,
        initial={
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "revision": meeting.revision,
        },
    )
    attendance = f.AttendanceForm(request.POST if op == "presence" else None, departement=code)
    decision = f.DecisionForm(request.POST if op == "decision" else None, departement=code)
    correction = f.DecisionEditForm(request.POST if op == "correction" else None, prefix="modif")
    corrected = _decision(meeting, request.POST.get("decision")) if op == "correction" else None

    def correct(data: dict[str, Any]) -> None:
        if corrected is None:
            raise SchemeError(
                "décision inconnue : elle a pu être supprimée, rechargez la page de la réunion"
            )
        services.update_decision(
            request.user, corrected, data["kind"], data["text"], data["revision"]
        )

    def decide(data: dict[str, Any]) -> None:
        plan = None
        if data["kind"] == "orientations_actions" and data["snapshot"]:
            plan = snapshot_plan(request.user, meeting.scheme)
        services.add_decision(
            request.user,
            meeting,
            data["kind"],
            data["text"],
            priority_version=data["priority_version"],
            plan_version=plan,
        )

    handlers: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "compte_rendu": (
            minutes,
            lambda d: services.update_meeting(request.user, meeting, **d),
            "Compte rendu enregistré.",
        ),
        "presence": (
            attendance,
            lambda d: services.set_attendance(request.user, meeting, **d),
            "Participant enregistré.",
        ),
        "decision": (decision, decide, "Décision enregistrée."),
        "correction": (
            correction,
            correct,
            "Décision corrigée (l'ancienne rédaction reste dans l'historique).",
        ),
    }
    if op in handlers:
        require(request.user, STEER, code)
        form, work, success = handlers[op]
        if post_form(request, form, work, success, shown_on_page=op == "compte_rendu"):
            return redirect("schema_reunion", code, pk)
    conflict = conflict_of(request) if op == "compte_rendu" else None
    if conflict is not None:
        meeting.refresh_from_db()
        minutes.at_revision(meeting.revision)  # your text stays in the form, to merge
    context = {
        "title": str(meeting),
        "conflict": conflict,
        "history": edits(meeting),
        "dep": dep,
        "meeting": meeting,
        "attendances": meeting.attendances.select_related("organisation"),
        "decisions": meeting.decisions.select_related("priority_version", "plan_version"),
        "decision_kinds": list(Decision.KINDS.items()),
        "corrections": [
            e
            for e in entries(
                Decision.history.filter(meeting_id=meeting.pk).select_related("history_user"),
                Decision,
                lambda r: f"Décision « {r.get_kind_display()} »",
            )
            if e.kind == "modification"
        ],
        "minutes_form": minutes,
        "attendance_form": attendance,
        "decision_form": decision,
    } | rights(request.user, code)
    return render(request, "www/schema_reunion.html", context)


def _decision(meeting: Meeting, raw: object) -> Decision | None:
    """The meeting's decision whose id was posted, if it is one."""
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    return Decision.objects.filter(pk=int(text), meeting=meeting).first()


def concertation(request: HttpRequest, code: str) -> HttpResponse:
    dep = departement_or_404(code)
    require(request.user, READ, code)
    scheme = scheme_or_404(code)
    form = f.CommentForm(request.POST or None)
    if request.method == "POST" and post_form(
        request,
        form,
        lambda d: services.add_comment(request.user, scheme, **d),
        "Commentaire enregistré : le pilote y répondra.",
        (COMMENT, code),
    ):
        return redirect("schema_concertation", code)
    comments = scheme.comments.select_related("author", "organisation")
    sections = [
        (
            key,
            label,
            [
                (cm, f.AnswerForm(prefix=f"r{cm.pk}", initial={"revision": cm.revision}))
                for cm in comments
                if cm.section == key
            ],
        )
        for key, label in Comment.SECTIONS.items()
    ]
    context = {"title": f"Concertation — {dep.name}", "dep": dep, "scheme": scheme}
    context |= {"sections": sections, "form": form} | rights(request.user, code)
    return render(request, "www/schema_concertation.html", context)


def answer(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk, scheme__departement=code)
    require(request.user, STEER, code)
    if request.method == "POST":
        post_form(
            request,
            f.AnswerForm(request.POST, prefix=f"r{pk}"),
            lambda d: services.answer_comment(request.user, comment, **d),
            "Réponse enregistrée.",
            (STEER, code),
        )
    return redirect("schema_concertation", code)


def signatures(request: HttpRequest, code: str) -> HttpResponse:
    dep = departement_or_404(code)
    require(request.user, READ, code)
    scheme = scheme_or_404(code)
    form = f.SignatoryForm(request.POST or None, departement=code)
    if request.method == "POST" and post_form(
        request,
        form,
        lambda d: services.set_signatory(request.user, scheme, **d),
        "Signataire enregistré.",
        (STEER, code),
    ):
        return redirect("schema_signatures", code)
    context = {"title": f"Signatures — {dep.name}", "dep": dep, "scheme": scheme, "form": form}
    context |= {"signatories": scheme.signatories.select_related("organisation")}
    return render(request, "www/schema_signatures.html", context | rights(request.user, code))


def dashboard_page(request: HttpRequest, code: str) -> HttpResponse:
    dep = departement_or_404(code)
    require(request.user, READ, code)
    scheme = scheme_or_404(code)
    board = dashboard(scheme)
    this_year = timezone.localdate().year
    years = list(range(scheme.start.year, min(scheme.end.year, this_year) + 1))
    context = {"title": f"Tableau de bord — {dep.name}", "dep": dep, "board": board}
    context |= {"years": years, "scheme": scheme, "charts": [(p, chart(p)) for p in board.progress]}
    context["inequalities"] = [
        [str(year)]
        + [
            french_number(value, digits) or "—"
            for value, digits in ((r.gini, 3), (r.theil, 3), (r.share_below, 1), (r.interdecile, 1))
        ]
        for year, r in board.inequalities
    ]
    total = sum(n for _, _, n in board.actions) or 1
    context["statuses"] = [
        (key, label, n, round(100 * n / total)) for key, label, n in board.actions
    ]
    context |= rights(request.user, code)
    return render(request, "www/schema_tableau.html", context)


def review_export(request: HttpRequest, code: str, year: int) -> HttpResponse:
    require(request.user, READ, code)
    scheme = scheme_or_404(code)
    if not scheme.start.year <= year <= scheme.end.year:
        raise Http404("année hors de la période du schéma")
    sheets = review_sheets(scheme, year, timezone.localdate())
    return download(to_xlsx(sheets), "xlsx", f"bilan-{code}-{year}")


def national(request: HttpRequest) -> HttpResponse:
    if not can(request.user, NATIONAL_VIEW):
        raise PermissionDenied("La vue nationale est réservée à l'instance nationale.")
    return render(request, "www/national.html", {"title": "Vue nationale", "rows": national_rows()})
