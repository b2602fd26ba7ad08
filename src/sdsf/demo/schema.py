"""The demo's schéma: partners and their accounts (one per role), a calendar under way, three
committee meetings with their decisions (among them the validated priority map and action
plan), a concertation, signatures, the national orientations and a dozen actions with funding,
milestones and indicators (typed each year, or computed from the diagnostic). Everything is
made through the same services as the web app, so the history is recorded; all of it is
fictitious (names, amounts, values)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from sdsf.core import columns as c
from sdsf.web.apps.accounts.models import (
    COMMITTEE,
    CONTRIBUTOR,
    NATIONAL,
    PILOT,
    READER,
    Organisation,
    Profile,
)
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.actionplan import services as plan
from sdsf.web.apps.schemes import services as gov
from sdsf.web.apps.schemes.models import Phase
from sdsf.web.apps.territories.models import Territory

START = dt.date(2024, 9, 1)
ACCOUNTS = {  # e-mail -> (organisation key, role, first name, last name)
    "demo@sdsf.local": ("caf", PILOT, "Camille", "Pilote (démonstration)"),
    "comite@sdsf.local": ("prefecture", COMMITTEE, "Dominique", "Comité (démonstration)"),
    "contributeur@sdsf.local": ("cd", CONTRIBUTOR, "Alix", "Contributeur (démonstration)"),
    "lecteur@sdsf.local": ("udaf", READER, "Sacha", "Lecteur (démonstration)"),
    "national@sdsf.local": ("national", NATIONAL, "Claude", "National (démonstration)"),
}
# orientation key, title, pilot, partners, indicator (label, unit, base, target, higher is better)
ACTIONS = [
    (
        "reduire_inegalites",
        "Créer des places d'accueil collectif dans les territoires prioritaires",
        "caf",
        ["cd", "metropole"],
        ("Places nouvelles en territoire prioritaire", "places", 0, 120, True),
    ),
    (
        "reduire_inegalites",
        "Accompagner les porteurs de projets de micro-crèches en zone rurale",
        "caf",
        ["msa"],
        ("Projets accompagnés", "projets", 0, 12, True),
    ),
    (
        "reduire_inegalites",
        "Soutenir l'installation d'assistantes maternelles dans les communes sans accueil",
        "cd",
        ["caf"],
        ("Assistantes maternelles installées", "personnes", 0, 40, True),
    ),
    (
        "besoins_specifiques",
        "Développer l'accueil inclusif des enfants en situation de handicap",
        "cd",
        ["caf", "dsden"],
        ("EAJE ayant un projet inclusif", "%", 22, 50, True),
    ),
    (
        "besoins_specifiques",
        "Réserver des places aux enfants de familles en insertion (AVIP)",
        "caf",
        ["prefecture"],
        ("Crèches à vocation d'insertion professionnelle", "crèches", 4, 12, True),
    ),
    (
        "mailler_parentalite",
        "Ouvrir des lieux d'accueil enfants-parents dans les EPCI sans LAEP",
        "caf",
        ["udaf"],
        ("EPCI sans LAEP", "EPCI", 6, 1, False),
    ),
    (
        "mailler_parentalite",
        "Étendre les contrats locaux d'accompagnement à la scolarité",
        "caf",
        ["dsden"],
        ("Collégiens accompagnés (CLAS)", "élèves", 900, 1300, True),
    ),
    (
        "articulation",
        "Former les professionnels de la petite enfance au soutien à la parentalité",
        "cd",
        ["caf"],
        ("Professionnels formés", "personnes", 0, 300, True),
    ),
    (
        "coordination",
        "Animer un réseau départemental des relais petite enfance",
        "caf",
        ["cd", "msa"],
        ("Assistantes maternelles par relais", "par relais", 92, 70, False),
    ),
    (
        "coordination",
        "Conduire les conventions territoriales globales avec les EPCI",
        "caf",
        ["metropole"],
        ("EPCI couverts par une CTG", "%", 60, 100, True),
    ),
    (
        "information",
        "Publier les disponibilités des EAJE sur monenfant.fr",
        "caf",
        ["cd"],
        ("EAJE publiant leurs disponibilités", "%", 35, 80, True),
    ),
    (
        "information",
        "Informer les futurs parents dès la déclaration de grossesse",
        "cd",
        ["caf", "msa"],
        ("Familles informées", "familles", 2000, 4500, True),
    ),
]


def _organisations(departement: str) -> dict[str, Organisation]:
    name = (
        Territory.objects.filter(level=c.DEPARTEMENT, code=departement)
        .values_list("name", flat=True)
        .first()
    ) or departement
    epci = (
        Territory.objects.filter(level=c.EPCI, departement=departement)
        .order_by("-area_km2")
        .values_list("code", "name")
        .first()
    )
    specs = {
        "prefecture": ("prefecture", f"Préfecture ({name})", ""),
        "caf": ("caf", f"Caf ({name})", ""),
        "cd": ("conseil_departemental", f"Conseil départemental ({name})", ""),
        "msa": ("msa", f"MSA ({name})", ""),
        "dsden": ("dsden", f"DSDEN ({name})", ""),
        "udaf": ("udaf", f"Udaf ({name})", ""),
        "metropole": ("epci", epci[1] if epci else "Intercommunalité", epci[0] if epci else ""),
    }
    out = {
        key: Organisation.objects.get_or_create(
            departement=departement, name=label, defaults={"kind": kind, "territory": code}
        )[0]
        for key, (kind, label, code) in specs.items()
    }
    out["national"] = Organisation.objects.get_or_create(
        departement="", name="Instance nationale de suivi", defaults={"kind": "national"}
    )[0]
    return out


def account(email: str, suffix: str) -> str:
    """The e-mail of a demo account of a département: ``demo@sdsf.local`` in the
    one-département demo (``suffix`` ""), ``demo-44@sdsf.local`` in a demo of several
    (``suffix`` "-44"); the national account is one for all départements."""
    if not suffix or ACCOUNTS[email][1] == NATIONAL:
        return email
    name, domain = email.split("@")
    return f"{name}{suffix}@{domain}"


@lru_cache(maxsize=4)
def _hashed(password: str) -> str:
    """The password hashed once (PBKDF2 takes ~0.4 s): every demo account shares it."""
    return make_password(password)


def _accounts(orgs: dict[str, Organisation], password: str, suffix: str = "") -> list[str]:
    users = get_user_model()
    lines = []
    for key, (org, role, first, last) in ACCOUNTS.items():
        email = account(key, suffix)
        user = users.objects.filter(username=email).first() or users(username=email, email=email)
        user.first_name, user.last_name = first, last
        user.password = _hashed(password)
        user.save()
        Profile.objects.update_or_create(
            user=user, defaults={"organisation": orgs[org], "role": role}
        )
        lines.append(f"  {email} : {Profile(role=role).get_role_display().lower()}")
    return lines


EDITORIAL = """Ce schéma de démonstration montre ce que sdsf écrit à partir de la plateforme :
tous ses chiffres sont simulés. Dans un vrai schéma, l'éditorial est signé par le préfet et les
présidents des instances signataires.

Les partenaires s'y engagent à réduire les écarts d'accueil entre territoires, à mieux mailler
le département en services de soutien à la parentalité et à suivre chaque année les actions
décidées ensemble."""

ISSUES = """Quatre enjeux ressortent du diagnostic partagé :

- des écarts de couverture importants entre les intercommunalités, au détriment des territoires
  ruraux ;
- une part d'enfants de familles pauvres accueillis en EAJE encore inférieure à l'objectif
  national de 10 % dans une partie des établissements ;
- des services de soutien à la parentalité concentrés dans les villes ;
- le départ à la retraite prochain d'une part des assistantes maternelles."""


FULL_SCHEMES = 12  # past this many départements, the schémas are built light (see below)


def build_schemes(departements: Sequence[str], password: str) -> list[str]:
    """Seed the demo schéma of each département, its accounts suffixed by its code
    (:func:`account`); return the national account, in French.

    Up to :data:`FULL_SCHEMES` départements, each gets the full demo schéma. Past it (all of
    France), each gets it without what computes its diagnostic at build time, about 5 s a
    département out of 5.5 (9 minutes for 101): the two indicators computed from the
    diagnostic and the validated priority map (the priority version, the decision that adopts
    it and the priority communes aimed at by the first action). The diagnostic and priority
    pages compute them when opened, as for a département without schéma."""
    lines: list[str] = []
    light = len(departements) > FULL_SCHEMES
    for departement in departements:
        lines = build_scheme(departement, password, suffix=f"-{departement}", light=light)
    return [line for line in lines if "national@" in line]


def build_scheme(
    departement: str, password: str, suffix: str = "", *, light: bool = False
) -> list[str]:
    """Seed the demo schéma; return the accounts created, in French. ``suffix`` makes the
    accounts those of the département in a demo of several (:func:`account`); ``light``
    leaves out what computes the diagnostic (:func:`build_schemes`)."""
    orgs = _organisations(departement)
    lines = _accounts(orgs, password, suffix)
    if gov.current_scheme(departement) is not None:
        return lines
    scheme = gov.create_scheme(
        SYSTEM,
        departement,
        "Schéma départemental des services aux familles 2024-2030 (démonstration)",
        START,
        "renouvellement-6-ans",
    )
    gov.update_texts(SYSTEM, scheme, EDITORIAL, ISSUES)
    orientations = {o.national: o for o in plan.seed_orientations(scheme)}
    done = {
        "lancement": (dt.date(2024, 9, 20), dt.date(2024, 9, 20)),
        "pre_diagnostic": (dt.date(2024, 9, 1), dt.date(2024, 11, 29)),
        "pre_projet": (dt.date(2024, 12, 2), dt.date(2025, 3, 28)),
        "validation": (dt.date(2025, 4, 10), dt.date(2025, 4, 10)),
        "concertation": (dt.date(2025, 5, 5), dt.date(2025, 6, 30)),
        "signature": (dt.date(2025, 10, 15), dt.date(2025, 10, 15)),  # planned in August
        "mise_en_oeuvre": (dt.date(2025, 10, 16), None),
        "bilans": (dt.date(2026, 10, 12), None),
    }
    for phase in scheme.phases.all():
        if phase.kind in done:
            start, end = done[phase.kind]
            gov.update_phase(SYSTEM, phase, actual_start=start, actual_end=end)
    demo = get_user_model().objects.get(username=account("demo@sdsf.local", suffix))
    rng = np.random.default_rng(44)
    actions = []
    for i, (key, title, pilot, partners, indicator) in enumerate(ACTIONS):
        action = plan.create_action(
            SYSTEM,
            scheme,
            {
                "orientation": orientations[key],
                "title": title,
                "objective": f"{title} d'ici 2030, d'abord dans les territoires les moins dotés.",
                "pilot": orgs[pilot],
                "partners": [orgs[p] for p in partners],
                "public": "familles avec de jeunes enfants",
                "expected_result": "Résultat mesuré chaque année par l'indicateur de l'action "
                "(cible inscrite au schéma).",
                "status": "en_cours" if i % 4 else "prevue",
            },
        )
        label, unit, base, target, higher = indicator
        years = [2025, 2026, 2028, 2030]
        targets = {y: base + (target - base) * (y - 2024) / 6 for y in years}
        typed = plan.add_indicator(
            SYSTEM,
            action,
            label=label,
            unit=unit,
            baseline=float(base),
            baseline_year=2024,
            targets=targets,
            higher_is_better=higher,
        )
        for year in (2025, 2026):
            pace = rng.uniform(0.6, 1.2)
            value = base + (target - base) * (year - 2024) / 6 * pace
            plan.enter_value(SYSTEM, typed, year, round(value, 1), "bilan annuel (simulé)")
        for year in (2025, 2026):
            plan.add_funding(SYSTEM, action, orgs[pilot], year, int(rng.integers(2, 40)) * 5000)
        plan.add_milestone(SYSTEM, action, "Lancement", dt.date(2025, 11, 1), dt.date(2025, 11, 20))
        plan.add_milestone(SYSTEM, action, "Premier bilan", dt.date(2026, 10, 1))
        actions.append(action)
    # indicators computed from the diagnostic, filled from the imported data
    if not light:
        _computed_indicators(actions, departement)
    plan.update_action(
        SYSTEM,
        actions[4].pk,
        {"status": "abandonnee", "abandon_reason": "Aucun porteur de projet candidat en 2025."},
        actions[4].revision,
    )
    _governance(scheme, orgs, demo, suffix, light)
    return lines


def _computed_indicators(actions: list[Any], departement: str) -> None:
    plan.add_indicator(
        SYSTEM,
        actions[0],
        label="Taux de couverture global du département",
        unit="places pour 100 enfants",
        targets={2026: 62.0, 2030: 65.0},
        source_indicator="taux_global",
        level=c.DEPARTEMENT,
        territory=departement,
    )
    plan.add_indicator(
        SYSTEM,
        actions[2],
        label="Communes sans place d'accueil collectif",
        unit="communes",
        targets={2026: 60.0, 2030: 40.0},
        higher_is_better=False,
        source_indicator="communes_sans_place_collective",
        level=c.DEPARTEMENT,
        territory=departement,
    )


def _governance(scheme, orgs, demo, suffix, light) -> None:  # type: ignore[no-untyped-def]
    from sdsf.web.apps.priorities import services as priorities

    launch = gov.add_meeting(
        SYSTEM,
        scheme,
        dt.date(2024, 9, 20),
        "Comité de lancement",
        "Préfecture",
        "Présentation du pré-diagnostic par la Caf ; calendrier des travaux.",
    )
    gov.update_meeting(
        SYSTEM,
        launch,
        minutes="Le comité adopte le calendrier et confie à la Caf la rédaction du pré-projet.",
    )
    validation = gov.add_meeting(
        SYSTEM,
        scheme,
        dt.date(2025, 4, 10),
        "Comité de pilotage",
        "Préfecture",
        "Validation des orientations, des actions et de la carte des territoires prioritaires.",
    )
    follow = gov.add_meeting(
        SYSTEM,
        scheme,
        dt.date(2026, 10, 12),
        "Comité de suivi annuel",
        "Caf",
        "Bilan 2025-2026 des actions ; indicateurs.",
    )
    for meeting in (launch, validation, follow):
        for key, name in (
            ("prefecture", "Le préfet"),
            ("caf", "La directrice de la Caf"),
            ("cd", "Le président du conseil départemental"),
            ("dsden", "La directrice académique"),
        ):
            gov.set_attendance(SYSTEM, meeting, name, orgs[key], "present")
        gov.set_attendance(SYSTEM, meeting, "Le président de l'Udaf", orgs["udaf"], "excuse")
    if not light:
        version = priorities.save_version(scheme.departement, "frt-2014", SYSTEM)
        gov.add_decision(
            SYSTEM,
            validation,
            "carte_prioritaires",
            "Le comité retient la carte des territoires prioritaires proposée par la Caf.",
            priority_version=version,
        )
    gov.add_decision(
        SYSTEM,
        validation,
        "orientations_actions",
        "Le comité valide les six orientations et les douze actions du projet de schéma.",
        plan_version=plan.snapshot_plan(SYSTEM, scheme),
    )
    # the first action aims at priority communes and at the largest EPCI
    first = scheme.actions.get(number=1)
    targets = [] if light else [r["code"] for r in priorities.final_rows(version) if r["final"]][:3]
    if orgs["metropole"].territory:
        targets.append(orgs["metropole"].territory)
    plan.update_action(SYSTEM, first.pk, {"territories": targets}, first.revision)
    gov.add_decision(
        SYSTEM,
        follow,
        "suivi_evaluation",
        "Le comité prend acte du premier bilan annuel et demande un point sur l'action 5.",
    )
    for key in ("prefecture", "caf", "cd", "msa", "dsden", "udaf"):
        gov.set_signatory(SYSTEM, scheme, orgs[key], "Le représentant légal", dt.date(2025, 10, 15))
    gov.set_signatory(SYSTEM, scheme, orgs["metropole"], "Le président", dt.date(2026, 3, 2), True)
    users = get_user_model()
    partner = users.objects.get(username=account("contributeur@sdsf.local", suffix))
    first = gov.add_comment(
        partner,
        scheme,
        "actions",
        "L'action 3 devrait viser aussi les maisons d'assistantes maternelles.",
    )
    gov.answer_comment(demo, first, "retenu", "Ajouté à l'objectif de l'action 3.")
    second = gov.add_comment(
        users.objects.get(username=account("comite@sdsf.local", suffix)),
        scheme,
        "priorites",
        "Ajouter les communes de la seconde couronne ?",
    )
    gov.answer_comment(
        demo,
        second,
        "non_retenu",
        "Elles ne remplissent pas les trois "
        "critères du fonds ; le comité peut les ajouter à la main avec un motif.",
    )
    gov.add_comment(partner, scheme, "diagnostic", "Les données 2024 des relais sont à ajouter.")
    assert Phase.objects.filter(scheme=scheme).exists()
