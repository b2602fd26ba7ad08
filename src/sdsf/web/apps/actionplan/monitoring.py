"""The schéma's follow-up: phases, actions by status, indicators against their targets, the
national targets of the COG in force (dated parameters), the diagnostic's inequality figures
over time; the annual review (bilan annuel) as workbook sheets; the national view."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch
from django.utils import timezone

from sdsf.core import columns as c
from sdsf.core.monitoring import CreatedPlaces, created_places, reached, target_for
from sdsf.parameters import load
from sdsf.reports.formatting import french_number
from sdsf.web.apps.actionplan.models import Action, ActionIndicator, IndicatorValue
from sdsf.web.apps.schemes.models import Scheme
from sdsf.web.apps.schemes.services import phase_states, status_label


@dataclass
class Progress:
    """An action indicator: its values by year against its targets."""

    indicator: ActionIndicator
    action: Action
    values: list[tuple[int, float]]
    targets: list[tuple[int, float]]
    latest: tuple[int, float] | None = None
    target: tuple[int, float] | None = None
    met: bool | None = None

    @property
    def baseline(self) -> float | None:
        """The starting value, when it is a finite number."""
        value = self.indicator.baseline
        return value if value is not None and math.isfinite(value) else None


def indicator_progress(scheme: Scheme) -> list[Progress]:
    indicators = (
        ActionIndicator.objects.filter(action__scheme=scheme)
        .select_related("action")
        .prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.order_by("year")))
        .order_by("action__number", "id")
    )
    out = []
    for indicator in indicators:
        values = [
            (v.year, v.value)
            for v in indicator.values.all()
            if v.value is not None and math.isfinite(v.value)
        ]
        progress = Progress(indicator, indicator.action, values, _targets(indicator.targets))
        if values:
            progress.latest = values[-1]
            progress.target = target_for(dict(progress.targets), values[-1][0])
            if progress.target is not None and progress.target[0] == values[-1][0]:
                progress.met = reached(
                    values[-1][1], progress.target[1], indicator.higher_is_better
                )
        out.append(progress)
    return out


def _targets(stored: object) -> list[tuple[int, float]]:
    """The targets by year, sorted; whatever is not a year and a finite number (a value stored
    by hand or by an older version) is left out, so that it breaks no page."""
    out = {}
    for year, value in stored.items() if isinstance(stored, dict) else ():
        try:
            number = float(value)
            out[int(str(year))] = number
        except (TypeError, ValueError, OverflowError):
            continue
    return sorted((y, v) for y, v in out.items() if math.isfinite(v))


def actions_by_status(scheme: Scheme) -> list[tuple[str, str, int]]:
    counts = dict(
        scheme.actions.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return [(key, label, counts.get(key, 0)) for key, label in Action.STATUSES.items()]


@dataclass
class NationalTarget:
    label: str
    value: float | None
    target: float
    unit: str
    higher_is_better: bool
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return reached(self.value, self.target, self.higher_is_better)


def _objective(key: str, day: dt.date) -> float:
    return float(load()["objectifs"][key].at(day))


def _priority_communes(departement: str) -> tuple[set[str], str] | None:
    from sdsf.web.apps.priorities.services import final_rows, validated_version
    from sdsf.web.apps.territories.services import membership

    version = validated_version(departement)
    if version is None:
        return None
    codes = {r[c.CODE] for r in final_rows(version) if r["final"]}
    level = str(version.rules.get("perimetre", c.COMMUNE))
    if level != c.COMMUNE:
        members = membership(level, departement)
        codes = set(members.loc[members[c.GROUP].isin(codes), c.CODE])
    return codes, f"carte validée le {version.validated_on:%d/%m/%Y} (version {version.number})"


def territory_notes(departement: str, codes: list[str]) -> list[tuple[str, str, str]]:
    """Each territory named by an action: code, name, and its place on the priority map the
    committee validated (« territoire prioritaire », or how many of its communes are)."""
    from sdsf.web.apps.territories.models import Territory

    if not codes:
        return []
    priority = _priority_communes(departement)
    found = {
        t.code: t
        for t in Territory.objects.filter(code__in=codes)
        .exclude(level=c.ARRONDISSEMENT)
        .prefetch_related("members")
    }
    out = []
    for code in codes:
        territory = found.get(code)
        if territory is None:
            out.append((code, "territoire inconnu", ""))
            continue
        note = ""
        if priority is not None:
            if territory.level == c.COMMUNE:
                note = "territoire prioritaire" if code in priority[0] else ""
            else:
                members = (
                    {m.code for m in territory.members.all()}
                    if territory.level == c.CUSTOM
                    else set(
                        Territory.objects.filter(level=c.COMMUNE, epci=code).values_list(
                            "code", flat=True
                        )
                    )
                )
                count = len(members & priority[0])
                plural = "s" if count > 1 else ""
                note = f"{count} commune{plural} prioritaire{plural}" if count else ""
        out.append((code, territory.name, note))
    return out


def _created_since(
    departement: str, start_year: int, priority: set[str]
) -> tuple[CreatedPlaces, int, int] | str:
    """Collective places created from the year before ``start_year`` to the last year known,
    cached under the data revision; or why it cannot be said."""
    from sdsf.web.apps.datasets.stored import remember, table_key

    digest = hashlib.sha256(",".join(sorted(priority)).encode()).hexdigest()[:16]
    key = table_key("places-creees", None, departement, start_year, digest)
    return remember(key, lambda: _created_places(departement, start_year, priority))


def _created_places(
    departement: str, start_year: int, priority: set[str]
) -> tuple[CreatedPlaces, int, int] | str:
    from sdsf.web.apps.datasets.coverage import commune_quantities
    from sdsf.web.apps.territories.models import Territory

    communes = list(
        Territory.objects.filter(level=c.COMMUNE, departement=departement).values_list(
            "code", flat=True
        )
    )
    table, _ = commune_quantities(communes)
    collective = [c.places(c.EAJE_PSU), c.places(c.EAJE_HORS_PSU)]
    result: tuple[CreatedPlaces, int, int] | str
    if table.empty or not set(collective) <= set(table.columns):
        result = "non déterminé : places par commune non importées"
    else:
        table["collectif"] = table[collective].sum(axis=1, min_count=2)
        years = sorted(int(y) for y in table[c.YEAR].unique())
        base = max((y for y in years if y < start_year), default=years[0])
        last = years[-1]
        if last <= base:
            result = (
                f"non déterminé : les places connues s'arrêtent en {last}, avant le début du "
                f"schéma ({start_year}) ; importez les années suivantes"
            )
        else:
            by_year = {y: rows.set_index(c.CODE)["collectif"] for y, rows in table.groupby(c.YEAR)}
            created = created_places(by_year[base].to_dict(), by_year[last].to_dict(), priority)
            result = (created, base, last)
    return result


def new_places_target(scheme: Scheme, today: dt.date) -> NationalTarget:
    """Share of the collective places created since the schéma's start that lie in the
    priority territories of the validated map, against the COG target."""
    target = _objective("places_nouvelles_prioritaires", today)
    label = "Part des places d'accueil collectif créées dans les territoires prioritaires"
    out = NationalTarget(label, None, target, "%", True)
    priority = _priority_communes(scheme.departement)
    if priority is None:
        out.note = "non déterminé : aucune carte des territoires prioritaires validée"
        return out
    found = _created_since(scheme.departement, scheme.start.year, priority[0])
    if isinstance(found, str):
        out.note = found
        return out
    created, base, last = found
    out.value = created.share
    out.note = (
        f"{french_number(created.created)} places créées de {base} à {last}, dont "
        f"{french_number(created.in_priority)} en territoire prioritaire ; {priority[1]}"
    )
    return out


def national_targets(scheme: Scheme, today: dt.date | None = None) -> list[NationalTarget]:
    from sdsf.core.indicators import INDICATOR, latest
    from sdsf.web.apps.diagnostic.services import indicator_table
    from sdsf.web.apps.diagnostic.vulnerability import eaje_below_target

    today = today or timezone.localdate()
    out = [new_places_target(scheme, today)]
    table = latest(indicator_table(c.DEPARTEMENT, scheme.departement))
    row = table[
        (table[c.CODE] == scheme.departement)
        & (table[INDICATOR] == "assistantes_maternelles_par_relais")
    ]
    relais = NationalTarget(
        "Assistantes maternelles par relais petite enfance",
        float(row[c.VALUE].iloc[0]) if len(row) else None,
        _objective("assistantes_maternelles_par_relais", today),
        "assistantes maternelles par relais",
        False,
    )
    if len(row):
        relais.note = f"{int(row[c.YEAR].iloc[0])}, département"
    out.append(relais)
    poor = eaje_below_target(scheme.departement)
    declared = int(poor["declared"])  # type: ignore[call-overload]
    below = len(poor["rows"])  # type: ignore[arg-type]
    threshold = _objective("part_enfants_pauvres_eaje", today)
    share = NationalTarget(
        "EAJE sous l'objectif d'enfants de familles pauvres (part des EAJE déclarants)",
        100 * below / declared if declared else None,
        0.0,
        "%",
        False,
        f"{below} EAJE sur {declared} déclarants sous {threshold:g} % en {poor['year']}"
        if declared
        else "non déterminé : part d'enfants pauvres des EAJE non déclarée",
    )
    out.append(share)
    return out


@dataclass
class Dashboard:
    scheme: Scheme
    status: str
    phases: list[Any]
    actions: list[tuple[str, str, int]]
    progress: list[Progress]
    targets: list[NationalTarget]
    inequalities: list[tuple[int, Any]] = field(default_factory=list)


def dashboard(scheme: Scheme, today: dt.date | None = None) -> Dashboard:
    from sdsf.web.apps.diagnostic.services import inequality_by_year

    today = today or timezone.localdate()
    return Dashboard(
        scheme,
        status_label(scheme, today),
        phase_states(scheme, today),
        actions_by_status(scheme),
        indicator_progress(scheme),
        national_targets(scheme, today),
        inequality_by_year(c.COMMUNE, scheme.departement),
    )


def national_rows(today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every département's latest schéma: phase, signature, actions, key figures."""
    from sdsf.web.apps.datasets.coverage import coverage_table

    today = today or timezone.localdate()
    latest_ids = {}
    for scheme in Scheme.objects.order_by("departement", "-start", "-id"):
        latest_ids.setdefault(scheme.departement, scheme.pk)
    schemes = (
        Scheme.objects.filter(pk__in=latest_ids.values())
        .prefetch_related("phases", "signatories")
        .annotate(n_actions=Count("actions", distinct=True))
        .order_by("departement")
    )
    rates = coverage_table(c.DEPARTEMENT)
    rows = []
    for scheme in schemes:
        states = phase_states(scheme, today)
        current = next((s for s in states if s.state.startswith(("en cours", "en retard"))), None)
        signed = [s.signed_on for s in scheme.signatories.all() if s.signed_on]
        rate = rates[rates[c.CODE] == scheme.departement].sort_values(c.YEAR)
        rows.append(
            {
                "scheme": scheme,
                "phase": current.phase.get_kind_display() if current else "—",
                "late": sum(s.late for s in states),
                "signed_on": min(signed) if signed else None,
                "actions": scheme.n_actions,
                "rate": float(rate[c.RATE_GLOBAL].iloc[-1]) if len(rate) else None,
                "rate_year": int(rate[c.YEAR].iloc[-1]) if len(rate) else None,
            }
        )
    return rows
