"""Running priority rules on a département, keeping proposals as versions, the committee's
validation, manual changes and comparisons.

The values come from the diagnostic's indicator tables (latest known year of each indicator,
at the rule set's perimeter), so a criterion can use any indicator of the catalogue.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Max

from sdsf.core import columns as c
from sdsf.core.indicators import INDICATOR, latest
from sdsf.core.priority import (
    PRIORITY,
    RANK,
    STATUS,
    ZONE,
    Change,
    evaluate,
    met_column,
    sensitivity,
    threshold_column,
    value_column,
)
from sdsf.parameters import ParameterError
from sdsf.parameters.indicators import catalogue
from sdsf.parameters.rules import RuleSet, merge, parse_ruleset, shipped
from sdsf.reports.priorities import CriterionResult, explanation
from sdsf.web.apps.accounts.permissions import STEER, require
from sdsf.web.apps.datasets import revision
from sdsf.web.apps.datasets.models import ImportedFile, current_user_name
from sdsf.web.apps.datasets.stored import remember, table_key
from sdsf.web.apps.diagnostic.services import indicator_table
from sdsf.web.apps.priorities.models import (
    ManualChange,
    PriorityVersion,
    RuleOverlay,
    ValidatedVersionError,
)
from sdsf.web.apps.schemes import checks
from sdsf.web.apps.territories.services import territories

CHILDREN = "enfants_moins_3_ans"


def rule_sets(departement: str) -> dict[str, RuleSet]:
    """Shipped rule sets and the département's adjusted ones, by id."""
    out = dict(shipped())
    for overlay in RuleOverlay.objects.filter(departement=departement).order_by("created_at"):
        base = shipped().get(overlay.base)
        if base is not None:
            rules = parse_ruleset(merge(base.raw, overlay.changes), overlay.code)
            out[overlay.code] = replace(rules, title=overlay.name)
    return out


def create_overlay(
    departement: str,
    base_id: str,
    name: str,
    changes: dict[str, Any],
    reason: str,
    user: object | None = None,
) -> RuleOverlay:
    """Store a département's adjustment after checking it with the shipped rules' parser."""
    from django.utils.text import slugify

    require(user, STEER, departement)
    if base_id not in shipped():
        raise ParameterError(f"règles de départ « {str(base_id)[:60]} » inconnues")
    if not reason.strip():
        raise ParameterError("le motif de l'adaptation est obligatoire")
    try:
        name = checks.text(name, "nom des règles adaptées", 200, required=True)
        reason = checks.text(reason, "motif de l'adaptation")
    except checks.SchemeError as exc:
        raise ParameterError(str(exc)) from exc
    code = f"{base_id}-{departement}-{slugify(name)[:40]}"
    parse_ruleset(merge(shipped()[base_id].raw, changes), code)
    existing = RuleOverlay.objects.filter(code=code).first()
    if existing is not None:
        raise ParameterError(
            f"des règles « {existing.name} » existent déjà sous le même code ({code}) : "
            "choisissez un autre nom (de nouvelles règles ne remplacent jamais les anciennes)"
        )
    return RuleOverlay.objects.create(
        code=code,
        departement=departement,
        base=base_id,
        name=name,
        changes=changes,
        reason=reason,
        created_by=current_user_name(user),
    )


def indicator_values(level: str, departement: str, indicators: list[str]) -> pd.DataFrame:
    """Latest value of each indicator for the level's territories of the département."""
    terr = territories(level, departement)
    table = latest(indicator_table(level, departement))
    if not table.empty:
        table = table[table[INDICATOR].isin(indicators)]
    wide = (
        table.pivot(index=c.CODE, columns=INDICATOR, values=c.VALUE)
        if not table.empty
        else pd.DataFrame(index=pd.Index([], name=c.CODE))
    )
    return wide.reindex(index=terr[c.CODE], columns=indicators).astype(float)


@dataclass
class Run:
    rules: RuleSet
    thresholds: dict[str, float]
    table: pd.DataFrame  # per territory: code, libelle, enfants, criteria, status, zone, rank
    sensitivity: list[Change]


def _criterion_results(row: pd.Series, items: tuple[Any, ...]) -> list[CriterionResult]:
    out = []
    for item in items:
        ind = catalogue().indicators[item.indicator]
        value = row[value_column(item.id)]
        met = row[met_column(item.id)]
        out.append(
            CriterionResult(
                item.label,
                None if pd.isna(value) else float(value),
                item.operator,
                float(row[threshold_column(item.id)]),
                None if pd.isna(met) else bool(met),
                ind.decimals,
                ind.unit,
            )
        )
    return out


def run(departement: str, rules: RuleSet) -> Run:
    """:func:`compute_run`, cached under the data revision and the rule set's content."""
    digest = hashlib.sha256(
        json.dumps(rules.raw, sort_keys=True, default=str).encode()
    ).hexdigest()[:16]
    key = table_key("priorites", None, departement, rules.id, digest)
    return remember(key, lambda: compute_run(departement, rules))


def compute_run(departement: str, rules: RuleSet) -> Run:
    """The rule set evaluated on every territory of its perimeter in the département."""
    indicators = sorted(
        {i.indicator for i in (*rules.criteria, *rules.crossings)} | {rules.ranking, CHILDREN}
    )
    values = indicator_values(rules.perimeter, departement, indicators)
    thresholds = rules.thresholds()
    result = evaluate(values, rules, thresholds)
    names = territories(rules.perimeter, departement).set_index(c.CODE)[c.LABEL]
    result.insert(0, c.LABEL, names.reindex(result.index).to_numpy())
    result.insert(1, CHILDREN, values[CHILDREN].to_numpy())
    result["explication"] = [
        explanation(
            row[STATUS],
            None if pd.isna(row[ZONE]) else int(row[ZONE]),
            _criterion_results(row, rules.criteria),
            _criterion_results(row, rules.crossings),
        )
        for _, row in result.iterrows()
    ]
    changes = sensitivity(values, rules, thresholds, values[CHILDREN])
    resolved = {
        item.id: float(result[threshold_column(item.id)].iloc[0]) if len(result) else float("nan")
        for item in (*rules.criteria, *rules.crossings)
    }
    table = result.reset_index().rename(columns={"index": c.CODE})
    return Run(rules, resolved, table, changes)


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    records = []
    for rec in table.to_dict("records"):
        clean = {}
        for key, value in rec.items():
            if value is pd.NA or (isinstance(value, float) and np.isnan(value)):
                clean[str(key)] = None
            elif isinstance(value, np.integer):
                clean[str(key)] = int(value)
            elif isinstance(value, np.floating):
                clean[str(key)] = float(value)
            else:
                clean[str(key)] = value
        records.append(clean)
    return records


def save_version(departement: str, rules_id: str, user: object | None = None) -> PriorityVersion:
    """Freeze a proposal: the rule set, thresholds, data revision and files, the result."""
    require(user, STEER, departement)
    rules = rule_sets(departement)[rules_id]
    result = run(departement, rules)
    files = sorted(
        f"{f.producer} {f.dataset} ({f.file_name}, {f.years_label})"
        for f in ImportedFile.objects.filter(replaced_at__isnull=True)
    )
    with transaction.atomic():
        last = PriorityVersion.objects.filter(departement=departement).aggregate(n=Max("number"))
        return PriorityVersion.objects.create(
            departement=departement,
            number=(last["n"] or 0) + 1,
            rules_id=rules_id,
            rules_title=rules.title,
            rules=rules.raw | {"perimetre": rules.perimeter},
            thresholds=result.thresholds,
            data_revision=revision.current(),
            data_files=files,
            result=_records(result.table),
            created_by=current_user_name(user),
        )


def add_manual_change(
    version: PriorityVersion, code: str, action: str, justification: str, user: object | None = None
) -> ManualChange:
    """Add or remove a territory by hand, with a written justification (never on a validated
    version)."""
    require(user, STEER, version.departement)
    if version.validated:
        raise ValidatedVersionError(
            "la version est validée par le comité : ses territoires ne peuvent plus changer"
        )
    rows = {r[c.CODE]: r for r in version.result}
    if code not in rows:
        raise ValueError(f"territoire « {str(code)[:60]} » absent de cette version")
    if action not in (ManualChange.ADD, ManualChange.REMOVE):
        raise ValueError("action « ajout » ou « retrait » attendue")
    if not justification.strip():
        raise ValueError("une justification écrite est obligatoire")
    justification = checks.text(justification, "justification")
    is_priority = rows[code][STATUS] == PRIORITY
    if (action == ManualChange.ADD) == is_priority:
        raise ValueError(
            f"« {rows[code][c.LABEL]} » est déjà {'prioritaire' if is_priority else 'hors liste'}"
        )
    version.manual_changes.filter(code=code).delete()
    return ManualChange.objects.create(
        version=version,
        code=code,
        name=rows[code][c.LABEL] or code,
        action=action,
        justification=justification.strip(),
        author=current_user_name(user),
    )


def validate(
    version: PriorityVersion,
    validated_on: Any,
    meeting: str,
    decision: str,
    user: object | None = None,
) -> PriorityVersion:
    """The committee's validation: after it, the version and its changes are immutable."""
    require(user, STEER, version.departement)
    if not meeting.strip() or not decision.strip():
        raise ValueError("la séance et le texte de la décision sont obligatoires")
    if validated_on is None:
        raise checks.SchemeError("la date de la séance est obligatoire")
    checks.date(validated_on, "date de la séance")
    meeting = checks.text(meeting, "séance", 200)
    decision = checks.text(decision, "décision")
    version.status = PriorityVersion.VALIDATED
    version.validated_on = validated_on
    version.meeting = meeting.strip()
    version.decision = decision.strip()
    version.validated_by = current_user_name(user)
    version.save()
    return version


def final_rows(version: PriorityVersion) -> list[dict[str, Any]]:
    """The version's rows with the manual changes applied (``final``, ``manuel``)."""
    changes = {m.code: m for m in version.manual_changes.all()}
    rows = []
    for row in version.result:
        change = changes.get(row[c.CODE])
        final = row[STATUS] == PRIORITY
        if change is not None:
            final = change.action == ManualChange.ADD
        rows.append(
            row
            | {
                "final": final,
                "manuel": None
                if change is None
                else {"action": change.action, "justification": change.justification},
            }
        )
    return sorted(rows, key=lambda r: (not r["final"], r.get(ZONE) or 99, r.get(RANK) or 10**6))


def compare(old: PriorityVersion, new: PriorityVersion) -> dict[str, list[dict[str, Any]]]:
    """Territories entering and leaving the final list between two versions, and why."""
    before = {r[c.CODE]: r for r in final_rows(old)}
    after = {r[c.CODE]: r for r in final_rows(new)}
    entered = [
        r for code, r in after.items() if r["final"] and not before.get(code, {}).get("final")
    ]
    left = [r for code, r in before.items() if r["final"] and not after.get(code, {}).get("final")]
    return {"entres": entered, "sortis": [after.get(r[c.CODE], r) for r in left]}


def validated_version(departement: str) -> PriorityVersion | None:
    return (
        PriorityVersion.objects.filter(departement=departement, status=PriorityVersion.VALIDATED)
        .order_by("-number")
        .first()
    )


def priority_for(level: str, code: str, departement: str) -> dict[str, Any] | None:
    """The territory's place on the priority map: the latest validated version if the
    committee has validated one, else the FRT 2014 rules computed now (indicative)."""
    version = validated_version(departement)
    if version is not None:
        if version.rules.get("perimetre") != level:
            return None
        row = next((r for r in final_rows(version) if r[c.CODE] == code), None)
        if row is None:
            return None
        return {
            "validated": True,
            "version": version,
            "rules": version.rules_title,
            "final": row["final"],
            "zone": row.get(ZONE),
            "explanation": row["explication"],
            "manual": row["manuel"],
        }
    rules = shipped()["frt-2014"]
    if rules.perimeter != level:
        return None
    table = run(departement, rules).table
    rows = table[table[c.CODE] == code]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {
        "validated": False,
        "version": None,
        "rules": rules.title,
        "final": row[STATUS] == PRIORITY,
        "zone": None if pd.isna(row[ZONE]) else int(row[ZONE]),
        "explanation": row["explication"],
        "manual": None,
    }
