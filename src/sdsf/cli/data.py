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
    arguments: Annotated[
        list[str],
        typer.Argument(
            help="SOURCE FICHIER... (source : caf-couverture, caf-places, caf-iris, "
            "insee-cog, insee-iris, insee-naissances, insee-population, filosofi, qpv, "
            "dgcl-potentiel-financier, dgfip-ircom, zrr, distancier, carreaux-enfants, eaje, "
            "services-parentalite, assistantes-maternelles, prescolarisation, garde-domicile, "
            "enfants-moins-3-ans), ou seulement des fichiers et des dossiers : la source de "
            "chaque fichier est alors reconnue à son en-tête.",
            metavar="[SOURCE] FICHIER_OU_DOSSIER...",
        ),
    ],
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
    """Importe des fichiers publiés ou des registres locaux, avec leur provenance.

    `sdsf import SOURCE FICHIER` importe un fichier d'une source donnée ; `sdsf import DOSSIER`
    (ou plusieurs fichiers) reconnaît chaque fichier à son en-tête, les importe dans un ordre
    sensé (géographie, populations, naissances, puis le reste) et rend compte fichier par
    fichier ; un fichier refusé n'empêche pas les autres.
    """
    from sdsf.sources.levels import USER_LEVELS
    from sdsf.sources.registry import SOURCES

    if niveau is not None and niveau not in USER_LEVELS:
        fail(f"niveau inconnu « {niveau} » (attendu : {', '.join(USER_LEVELS)})")
    source = arguments[0] if arguments[0] in SOURCES else None
    paths = [Path(a) for a in (arguments[1:] if source else arguments)]
    if source is not None and not paths:
        fail(f"aucun fichier à importer pour la source « {source} »")
    for path in paths:
        if not path.exists():
            if source is None and len(paths) == 1 and not path.suffix:
                fail(f"ni source connue ni fichier : « {path} » (sources : {', '.join(SOURCES)})")
            fail(f"fichier introuvable : {path}")
    setup(workspace)
    options = {
        "level": niveau,
        "year": annee,
        "edition": edition,
        "ignore_unknown": ignorer_codes_inconnus,
        "confirmed": confirmer,
    }
    if source is not None and len(paths) == 1 and paths[0].is_file():
        code = _import_one(source, paths[0], options)
        if code:
            raise typer.Exit(code=code)
        return
    from sdsf.sources.recognition import recognise

    if source is not None:
        plan = [(source, p) for p in paths]
        skipped: list[tuple[Path, str]] = []
    else:
        found = recognise(paths)
        plan = [(r.source, r.path) for r in found if r.source is not None]
        skipped = [(r.path, r.reason) for r in found if r.source is None]
    codes: list[int] = []
    for number, (name, path) in enumerate(plan, start=1):
        typer.echo(f"== {number}/{len(plan)} {path.name} ({name})")
        codes.append(_import_one(name, path, options))
    for path, reason in skipped:
        typer.echo(f"== {path.name} : non importé — {reason}")
    imported = codes.count(0)
    typer.echo(
        f"Bilan : {imported} fichier(s) importé(s) sur {len(plan)}"
        + (f", {len(skipped)} non importé(s)" if skipped else "")
        + (f", {len(codes) - imported} refusé(s) ou à confirmer" if imported < len(codes) else "")
        + "."
    )
    worst = max(codes, default=0)
    if worst:
        raise typer.Exit(code=worst)


def _import_one(source: str, path: Path, options: dict[str, object]) -> int:
    """Import one file and print its report; 0 when imported, else the exit code to give."""
    from django.core.exceptions import PermissionDenied

    from sdsf.sources.errors import SourceError
    from sdsf.web.apps.accounts.permissions import SYSTEM
    from sdsf.web.apps.datasets.imports import ConfirmationNeeded, import_file

    try:
        report = import_file(source, path, user=SYSTEM, **options)  # type: ignore[arg-type]
    except SourceError as exc:
        typer.echo(f"Erreur : {exc.french()}", err=True)
        return 2
    except PermissionDenied as exc:
        typer.echo(f"Erreur : {exc}", err=True)
        return 2
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
        return NEEDS_CONFIRMATION
    for line in report.lines():
        typer.echo(line)
    return 0
