"""The ``sdsf`` command: thin, it calls the services the web app calls."""

from __future__ import annotations

import os
import sys
import time
from itertools import chain
from pathlib import Path
from typing import Annotated

import typer

from sdsf.cli.common import Decay, Format, Level, Method, Workspace, app, fail, write_chunks
from sdsf.cli.django_setup import setup
from sdsf.cli.french import translate_help_option, translate_help_panels, usage_error


@app.command()
def init(workspace: Workspace = None) -> None:
    """Crée la base et charge la géographie de référence (toute la France)."""
    setup(workspace)
    from sdsf.web.apps.territories.services import load_reference_geography

    start = time.perf_counter()
    counts = load_reference_geography()
    detail = ", ".join(f"{n} {level}" for level, n in sorted(counts.items()))
    typer.echo(
        f"Géographie de référence chargée en {time.perf_counter() - start:.1f} s : {detail}."
    )


@app.command()
def demo(
    departement: Annotated[
        str,
        typer.Option(
            help="Code du département à simuler, ou plusieurs séparés par des virgules "
            "(44,49,53), ou all pour tous les départements : un fichier par source les couvre "
            "tous."
        ),
    ] = "44",
    workspace: Workspace = None,
) -> None:
    """Construit l'espace de démonstration (données simulées) sur un ou plusieurs départements
    réels."""
    setup(workspace)
    from sdsf.demo.build import build_demo
    from sdsf.demo.national import ALL, build_national_demo, departement_codes
    from sdsf.web.apps.territories.services import is_loaded, load_reference_geography

    if not is_loaded():
        typer.echo("Chargement de la géographie de référence…")
        load_reference_geography()
    try:
        if "," not in departement and departement.strip().lower() not in ALL:
            lines = build_demo(departement)
        else:
            codes = departement_codes(departement)
            lines = build_demo(codes[0]) if len(codes) == 1 else build_national_demo(codes)
    except ValueError as exc:
        fail(str(exc))
    for line in lines:
        typer.echo(line)


@app.command()
def couverture(
    niveau: Annotated[Level, typer.Option(help="Niveau géographique.")] = Level.departement,
    departement: Annotated[str | None, typer.Option(help="Limiter à un département.")] = None,
    annee: Annotated[int | None, typer.Option(help="Année (toutes par défaut).")] = None,
    methode: Annotated[
        Method,
        typer.Option(
            help="commune (taux de chaque territoire), rayon (aire de chalandise flottante), "
            "2sfca ou e2sfca (deux étapes, avec bandes de distance pour e2sfca)."
        ),
    ] = Method.commune,
    rayon: Annotated[
        float | None,
        typer.Option(help="Rayon de l'aire de chalandise en km (paramètre par défaut)."),
    ] = None,
    temps: Annotated[
        float | None,
        typer.Option(
            help="Aire en minutes de trajet, d'après le distancier importé (sdsf import "
            "distancier) ; par défaut dès qu'un distancier est importé, sauf si --rayon est donné."
        ),
    ] = None,
    decroissance: Annotated[
        Decay, typer.Option(help="Poids de la méthode e2sfca : bandes ou gaussienne.")
    ] = Decay.bandes,
    format: Annotated[
        Format, typer.Option("--format", help="table, csv (Excel) ou json.")
    ] = Format.table,
    workspace: Workspace = None,
) -> None:
    """Taux de couverture par mode d'accueil, pour chaque territoire d'un niveau."""
    setup(workspace)
    from sdsf.reports.tables import csv_chunks, json_chunks, to_text
    from sdsf.web.apps.datasets.coverage import coverage_listing
    from sdsf.web.apps.territories.models import Territory
    from sdsf.web.apps.territories.services import territories

    if departement and not Territory.objects.filter(level="departement", code=departement).exists():
        fail(f"département inconnu « {departement} »")
    if territories(niveau.value, departement).empty:
        fail(
            f"aucun territoire de niveau « {niveau.value} » ici"
            + (" : définissez-en d'abord (sdsf territoire)" if niveau == Level.territoire else "")
        )
    if methode == Method.commune:
        table = coverage_listing(niveau.value, departement, annee)
    else:
        from sdsf.web.apps.diagnostic.catchment import Settings, catchment_table, default_settings
        from sdsf.web.apps.diagnostic.catchment_points import has_travel_times

        defaults = default_settings()
        radius = rayon if rayon is not None else defaults.radius_km
        if radius <= 0:
            fail("le rayon doit être positif (en km)")
        minutes = temps if temps is not None else (None if rayon is not None else defaults.minutes)
        if minutes is not None and minutes <= 0:
            fail("le temps de trajet doit être positif (en minutes)")
        if temps is not None and not has_travel_times():
            fail(
                "aucun distancier importé : importez d'abord les temps de trajet entre communes "
                "(sdsf import distancier FICHIER)"
            )
        key = "fca" if methode == Method.rayon else methode.value
        settings = Settings(key, radius, decroissance.value, minutes)
        reached = catchment_table(niveau.value, departement, annee, settings)
        table = coverage_listing(niveau.value, departement, annee, reached)
    if format == Format.json:
        write_chunks(chain(json_chunks(table), [b"\n"]))
    elif format == Format.csv:
        write_chunks(csv_chunks(table))
    else:
        typer.echo(to_text(table))
        _missing_rates_notice(table)


def _missing_rates_notice(table) -> None:  # type: ignore[no-untyped-def]
    """Under the terminal table: which import would give the rates left unknown."""
    from sdsf.core import columns as c
    from sdsf.parameters.indicators import catalogue
    from sdsf.sources.registry import import_hint

    unknown = int(table[list(c.DISPLAY_RATES)].isna().all(axis=1).sum()) if len(table) else 0
    if unknown:
        hint = import_hint(catalogue().indicators["taux_global"].imports)
        typer.echo(
            f"{unknown} ligne(s) sans taux connu. Taux : {hint} (sdsf import SOURCE FICHIER), "
            "ou construisez la démonstration (sdsf demo)."
        )


@app.command()
def diagnostic(
    departement: Annotated[str, typer.Option(help="Code du département (ex. 44).")],
    sortie: Annotated[Path, typer.Option(help="Dossier où écrire les fichiers.")],
    territoire: Annotated[
        str | None, typer.Option(help="Code d'une commune, d'un EPCI ou d'un territoire.")
    ] = None,
    annee: Annotated[int | None, typer.Option(help="Année au plus tard.")] = None,
    workspace: Workspace = None,
) -> None:
    """Diagnostic territorial : XLSX (une feuille par thème), CSV, cartes PNG/SVG, JSON."""
    setup(workspace)
    from sdsf.web.apps.diagnostic.export import write_diagnostic
    from sdsf.web.apps.territories.models import Territory
    from sdsf.web.apps.territories.services import territory_in

    if not Territory.objects.filter(level="departement", code=departement).exists():
        fail(f"département inconnu « {departement} »")
    subject = None
    if territoire:
        subject = territory_in(departement, territoire)
        if subject is None:
            fail(f"territoire inconnu « {territoire} » dans le département {departement}")
    start = time.perf_counter()
    written = write_diagnostic(departement, sortie, subject, annee)
    typer.echo(
        f"Diagnostic écrit dans {sortie} en {time.perf_counter() - start:.1f} s : "
        f"{len(written)} fichiers."
    )
    for path in written:
        typer.echo(f"  {path.name}")


@app.command()
def schema(
    departement: Annotated[str, typer.Option(help="Code du département (ex. 44).")],
    sortie: Annotated[Path, typer.Option(help="Dossier où écrire les fichiers.")],
    formats: Annotated[
        str,
        typer.Option("--format", help="Formats séparés par des virgules : docx, pdf, html, xlsx."),
    ] = "docx,pdf,html,xlsx",
    document: Annotated[
        str,
        typer.Option(
            help="schema (le schéma complet), bilan (bilan annuel) ou fiche (fiche territoire)."
        ),
    ] = "schema",
    annee: Annotated[int | None, typer.Option(help="Année du bilan annuel.")] = None,
    territoire: Annotated[
        str | None, typer.Option(help="Fiche : code d'une commune, d'un EPCI ou d'un territoire.")
    ] = None,
    workspace: Workspace = None,
) -> None:
    """Document du schéma (DOCX à coéditer, PDF à signer, HTML à publier, XLSX des tableaux),
    écrit à partir de ce que contient la plateforme ; aussi le bilan annuel et la fiche
    territoire."""
    setup(workspace)
    from sdsf.reports.formatting import french_number
    from sdsf.web.apps.documents.services import DocumentError, build, parse_formats, write
    from sdsf.web.apps.territories.models import Territory

    if not Territory.objects.filter(level="departement", code=departement).exists():
        fail(f"département inconnu « {departement} »")
    start = time.perf_counter()
    try:
        chosen = parse_formats(formats)
        content = build(document, departement, year=annee, territory=territoire or "")
        written = write(content, chosen, sortie)
    except DocumentError as exc:
        fail(str(exc))
    typer.echo(
        f"{content.title} : {len(content.tables())} tableaux, {len(content.figures())} figures, "
        f"écrit dans {sortie} en {time.perf_counter() - start:.1f} s."
    )
    typer.echo(f"Données : {content.vintage}.")
    for path in written:
        typer.echo(f"  {path.name} ({french_number(path.stat().st_size / 1e6, 1)} Mo)")


@app.command()
def priorites(
    departement: Annotated[str, typer.Option(help="Code du département (ex. 44).")],
    regles: Annotated[
        str, typer.Option(help="Règles : frt-2014, bonus-territoire ou règles adaptées.")
    ] = "frt-2014",
    format: Annotated[
        Format, typer.Option("--format", help="table, csv (Excel) ou json.")
    ] = Format.table,
    workspace: Workspace = None,
) -> None:
    """Territoires prioritaires : statut, zone, rang et explication de chaque territoire."""
    setup(workspace)
    from sdsf.reports.encoding import json_array
    from sdsf.reports.workbook import csv_chunks
    from sdsf.web.apps.priorities.services import rule_sets, run
    from sdsf.web.apps.priorities.sheets import result_sheet, run_rows
    from sdsf.web.apps.territories.models import Territory

    dep = Territory.objects.filter(level="departement", code=departement).first()
    if dep is None:
        fail(f"département inconnu « {departement} »")
        return
    available = rule_sets(departement)
    if regles not in available:
        fail(f"règles inconnues « {regles} » (disponibles : {', '.join(available)})")
    rows = run_rows(run(departement, available[regles]).table)
    if format == Format.json:
        write_chunks(chain(json_array(rows, indent=True, default=str), [b"\n"]))
    elif format == Format.csv:
        write_chunks(csv_chunks(result_sheet(rows, available[regles], dep.name, regles)))
    else:
        for row in rows:
            zone = f"zone {row['zone']}" if row["zone"] else ""
            typer.echo(
                f"{row['code']:<10} {str(row['libelle'])[:30]:<30} {zone:<7} {row['explication']}"
            )


@app.command()
def territoire(
    nom: Annotated[str, typer.Argument(help="Nom du territoire (ex. « CTG Pays de Retz »).")],
    departement: Annotated[str, typer.Option(help="Département de rattachement.")],
    communes: Annotated[
        str, typer.Option(help="Codes Insee des communes, séparés par des virgules.")
    ],
    description: Annotated[str, typer.Option(help="Description libre.")] = "",
    workspace: Workspace = None,
) -> None:
    """Définit un territoire personnalisé (territoire de CTG, bassin de vie...)."""
    setup(workspace)
    from sdsf.web.apps.accounts.permissions import SYSTEM
    from sdsf.web.apps.territories.services import create_custom_territory

    codes = [code.strip() for code in communes.split(",") if code.strip()]
    try:
        territory = create_custom_territory(nom, departement, codes, description, user=SYSTEM)
    except ValueError as exc:
        fail(str(exc))
    typer.echo(
        f"Territoire « {territory.name} » ({territory.code}) : {len(codes)} communes. "
        f"Indicateurs : sdsf couverture --niveau territoire --departement {departement}"
    )


@app.command()
def modele(
    registre: Annotated[
        str,
        typer.Argument(
            help="eaje, assistantes-maternelles, prescolarisation, garde-domicile ou "
            "enfants-moins-3-ans."
        ),
    ],
    sortie: Annotated[Path, typer.Option(help="Fichier à écrire (.csv ou .xlsx).")] = Path(
        "modele.csv"
    ),
) -> None:
    """Écrit le modèle de fichier d'un registre local, avec une ligne d'exemple."""
    from sdsf.sources.templates import TEMPLATES, template_frame

    if registre not in TEMPLATES:
        fail(f"registre inconnu « {registre} » (attendu : {', '.join(TEMPLATES)})")
    frame = template_frame(TEMPLATES[registre])
    if sortie.suffix.lower() == ".xlsx":
        frame.to_excel(sortie, index=False)
    else:
        frame.to_csv(sortie, sep=";", index=False, encoding="utf-8-sig")
    typer.echo(f"Modèle écrit : {sortie}")


@app.command()
def utilisateur(
    email: Annotated[str, typer.Argument(help="Adresse électronique (identifiant).")],
    mot_de_passe: Annotated[
        str,
        typer.Option(prompt=True, hide_input=True, help="Mot de passe (12 caractères au moins)."),
    ],
    administrateur: Annotated[bool, typer.Option(help="Accès à l'administration.")] = False,
    role: Annotated[
        str | None,
        typer.Option(
            help="pilote, membre_comite, contributeur, lecteur ou national (avec --organisation)."
        ),
    ] = None,
    organisation: Annotated[
        str | None, typer.Option(help="Nom de l'organisation (créée si besoin).")
    ] = None,
    departement: Annotated[
        str | None, typer.Option(help="Département de l'organisation (ex. 44).")
    ] = None,
    workspace: Workspace = None,
) -> None:
    """Crée ou met à jour un compte de connexion, avec son organisation et son rôle."""
    setup(workspace)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from sdsf.web.apps.accounts.backends import normalize_email

    email = normalize_email(email)
    user_model = get_user_model()
    user = user_model.objects.filter(username__iexact=email).first() or user_model(
        username=email, email=email
    )
    try:
        validate_password(mot_de_passe, user)
    except ValidationError as exc:
        fail(" ".join(exc.messages))
    from sdsf.web.apps.accounts.models import ADMIN, ROLES, Organisation, Profile

    if role is not None and (role not in ROLES or role == ADMIN):
        fail(
            f"rôle inconnu « {role} » (attendu : pilote, membre_comite, contributeur, lecteur, "
            "national ; --administrateur pour l'administration)"
        )
    if role is not None and not organisation:
        fail("un rôle se donne avec --organisation (et --departement, sauf pour national)")
    if role is not None and role != "national" and not departement:
        fail("indiquez le département de l'organisation (--departement)")
    user.set_password(mot_de_passe)
    user.is_staff = user.is_superuser = administrateur
    user.save()
    if role is not None and organisation:
        org, _ = Organisation.objects.get_or_create(
            departement="" if role == "national" else str(departement),
            name=organisation,
            defaults={"kind": "national" if role == "national" else "autre"},
        )
        Profile.objects.update_or_create(user=user, defaults={"organisation": org, "role": role})
        typer.echo(f"Compte « {email} » enregistré : {ROLES[role].lower()}, {org.name}.")
    else:
        typer.echo(f"Compte « {email} » enregistré.")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; usage errors are told in French. Returns the exit code."""
    translate_help_panels()
    command = typer.main.get_command(app)
    translate_help_option(command)
    try:
        result = command.main(args=argv, prog_name="sdsf", standalone_mode=False)
    except typer.Abort:
        typer.echo("Interrompu.", err=True)
        return 1
    except typer.TyperException as exc:  # Click's usage errors
        if type(exc).__name__ == "NoArgsIsHelpError":
            return 0  # the help was shown
        typer.echo(f"Erreur : {usage_error(exc)}", err=True)
        return 2
    return result if isinstance(result, int) else 0


def run() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sdsf.web.config.settings.local")
    sys.exit(main())


# Commands defined in their own modules register themselves on ``app``.
from sdsf.cli import data, server  # noqa: E402, F401
