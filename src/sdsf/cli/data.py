"""``sdsf import``: a published file or a local registry, with its provenance; implausible
results are summarised and wait for ``--confirmer``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sdsf.cli.common import Workspace, app, fail
from sdsf.cli.django_setup import setup

NEEDS_CONFIRMATION = 3  # exit code: nothing imported, run again with --confirmer


@app.command("import")
def import_(
    source: Annotated[
        str,
        typer.Argument(
            help="Type de fichier : caf-couverture, caf-places, caf-iris, insee-naissances, "
            "insee-population, filosofi, qpv, dgcl-potentiel-financier, dgfip-ircom, zrr, "
            "distancier, carreaux-enfants, eaje, services-parentalite, "
            "assistantes-maternelles, prescolarisation, garde-domicile, enfants-moins-3-ans."
        ),
    ],
    fichier: Annotated[Path, typer.Argument(help="Fichier CSV, CSV.GZ, ZIP, XLSX ou Parquet.")],
    niveau: Annotated[
        str | None,
        typer.Option(
            help="Niveau géographique si le nom du fichier "
            "ne le dit pas (commune, epci, departement, "
            "region, france)."
        ),
    ] = None,
    annee: Annotated[int | None, typer.Option(help="Année si le fichier ne la donne pas.")] = None,
    edition: Annotated[
        str | None,
        typer.Option(
            help="Édition du fichier si le fichier ne la dit pas : une année (ex. 2024) ou une "
            "date JJ/MM/AAAA. Par défaut, la dernière année publiée (Cnaf, Insee). Pour chaque "
            "valeur, l'édition la plus récente reste en vigueur, quel que soit l'ordre des "
            "imports.",
        ),
    ] = None,
    ignorer_codes_inconnus: Annotated[
        bool,
        typer.Option(
            "--ignorer-codes-inconnus",
            help="Écarter (et signaler) les codes absents de la géographie au lieu de refuser.",
        ),
    ] = False,
    confirmer: Annotated[
        bool,
        typer.Option(
            "--confirmer",
            help="Importer malgré les résultats invraisemblables signalés par un premier essai "
            "(taux au-delà de 200, places d'un département qui varient de plus de moitié).",
        ),
    ] = False,
    workspace: Workspace = None,
) -> None:
    """Importe un fichier publié ou un registre local, avec sa provenance."""
    if not fichier.is_file():
        fail(f"fichier introuvable : {fichier}")
    setup(workspace)
    from django.core.exceptions import PermissionDenied

    from sdsf.sources.errors import SourceError
    from sdsf.sources.levels import USER_LEVELS
    from sdsf.web.apps.accounts.permissions import SYSTEM
    from sdsf.web.apps.datasets.imports import ConfirmationNeeded, import_file

    if niveau is not None and niveau not in USER_LEVELS:
        fail(f"niveau inconnu « {niveau} » (attendu : {', '.join(USER_LEVELS)})")
    try:
        report = import_file(
            source,
            fichier,
            level=niveau,
            year=annee,
            edition=edition,
            ignore_unknown=ignorer_codes_inconnus,
            confirmed=confirmer,
            user=SYSTEM,
        )
    except SourceError as exc:
        fail(exc.french())
    except PermissionDenied as exc:
        fail(str(exc))
    except ConfirmationNeeded as exc:
        found = exc.preview
        typer.echo(f"« {exc.file_name} » : rien n'a été importé.", err=True)
        for line in found.coverage:
            typer.echo(f"  {line}", err=True)
        typer.echo("Résultats invraisemblables :", err=True)
        for line in found.warnings:
            typer.echo(f"  - {line}", err=True)
        if found.changes:
            typer.echo(
                f"{found.changed} valeur(s) changeraient ; les plus grands écarts :", err=True
            )
            for change in found.changes[:10]:
                typer.echo(
                    f"  {change.territory}, {change.year}, {change.label} : "
                    f"{change.before_text} → {change.after_text}",
                    err=True,
                )
        typer.echo(
            "Si ces valeurs sont justes, relancez la même commande avec --confirmer.", err=True
        )
        raise typer.Exit(code=NEEDS_CONFIRMATION) from None
    for line in report.lines():
        typer.echo(line)
