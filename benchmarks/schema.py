"""The schéma workspace under load: the demo's schéma grown to 50 actions, each with two typed
indicators holding five years of values (and targets), funding and milestones; every page
timed with the Django test client (median of 10, the diagnostic tables already cached, as
after the first page of the day), and the number of SQL queries of each page. Target: every
page under 300 ms. Called by benchmarks/run.py after the demo is built."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal

ACTIONS = 50
YEARS = range(2022, 2027)


def grow_scheme(departement: str) -> None:
    """Add actions up to 50, each with 2 indicators x 5 years of values (bulk, seeded)."""
    import numpy as np

    from sdsf.web.apps.actionplan.models import (
        Action,
        ActionIndicator,
        Funding,
        IndicatorValue,
        Milestone,
    )
    from sdsf.web.apps.schemes.services import current_scheme

    scheme = current_scheme(departement)
    rng = np.random.default_rng(50)
    orientations = list(scheme.orientations.all())
    template = scheme.actions.order_by("number").first()
    start = scheme.actions.count()
    for number in range(start + 1, ACTIONS + 1):
        action = Action.objects.create(
            scheme=scheme,
            orientation=orientations[number % len(orientations)],
            number=number,
            title=f"Action de charge n° {number}",
            objective="Objectif de l'action de charge.",
            pilot=template.pilot,
            expected_result="Résultat attendu.",
            status=["prevue", "en_cours", "realisee"][number % 3],
        )
        action.partners.set(template.partners.all())
        Funding.objects.bulk_create(
            Funding(action=action, funder=template.pilot, year=y, amount=Decimal(10000))
            for y in YEARS
        )
        Milestone.objects.create(action=action, title="Bilan", due_on=dt.date(2026, 10, 1))
        for k in range(2):
            indicator = ActionIndicator.objects.create(
                action=action,
                label=f"Indicateur {k + 1}",
                unit="places",
                baseline=10.0,
                baseline_year=2021,
                targets={str(y): 10.0 + 2 * (y - 2021) for y in YEARS},
            )
            IndicatorValue.objects.bulk_create(
                IndicatorValue(
                    indicator=indicator,
                    year=y,
                    value=float(10 + rng.uniform(0, 3) * (y - 2021)),
                    source="charge",
                    entered_on=dt.date(y, 12, 31),
                )
                for y in YEARS
            )


def benchmark(client, departement: str = "44") -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sdsf.web.apps.actionplan.models import Action, IndicatorValue

    grow_scheme(departement)
    action = Action.objects.filter(scheme__departement=departement).order_by("-number").first()
    base = f"/departements/{departement}/schema"
    pages = {
        "schéma et calendrier": f"{base}/",
        "plan d'action (50 actions)": f"{base}/plan/",
        "fiche action (historique, indicateurs)": f"{base}/actions/{action.pk}/",
        "comité": f"{base}/comite/",
        "concertation": f"{base}/concertation/",
        "tableau de bord (100 indicateurs)": f"{base}/tableau-de-bord/",
        "bilan annuel XLSX": f"{base}/bilan-2026.xlsx",
        "partenaires": f"{base}/partenaires/",
        "vue nationale": "/national/",
    }
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="national@sdsf.local"))
    client.get("/national/")
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    rows = []
    for label, url in pages.items():
        if label == "vue nationale":
            client.force_login(get_user_model().objects.get(username="national@sdsf.local"))
        assert client.get(url).status_code == 200, url  # warms the diagnostic cache
        times = []
        for _ in range(10):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        rows.append((label, statistics.median(times), max(times), len(queries)))
    values = IndicatorValue.objects.filter(indicator__action__scheme__departement=departement)
    lines = [
        "",
        "## Schéma : pages sous charge (démo 44)",
        "",
        f"Le schéma de la démonstration porté à {ACTIONS} actions, chacune avec deux indicateurs "
        f"saisis sur {len(YEARS)} ans ({values.count()} valeurs en tout), des financements et des "
        "jalons. Pages servies par le client de test Django, tableaux du diagnostic déjà en "
        "cache (comme après la première page du jour). Cible : moins de 300 ms par page.",
        "",
        "| page | médiane de 10 | maximum | requêtes SQL |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {label} | {median * 1000:.0f} ms | {worst * 1000:.0f} ms | {count} |"
        for label, median, worst, count in rows
    ]
    return lines
