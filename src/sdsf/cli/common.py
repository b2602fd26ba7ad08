"""What every command shares: the application, its options, the French way to fail."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="sdsf : schémas départementaux des services aux familles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Workspace = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        help="Dossier de travail (base SQLite, fichiers). "
        "Par défaut $SDSF_WORKSPACE ou ./sdsf-data.",
        show_default=False,
    ),
]


def fail(message: str) -> None:
    typer.echo(f"Erreur : {message}", err=True)
    raise typer.Exit(code=2)


class Level(StrEnum):
    commune = "commune"
    arrondissement = "arrondissement"
    epci = "epci"
    departement = "departement"
    region = "region"
    france = "france"
    territoire = "territoire"


class Method(StrEnum):
    commune = "commune"
    rayon = "rayon"
    two_step = "2sfca"
    enhanced = "e2sfca"


class Decay(StrEnum):
    bandes = "bandes"
    gaussienne = "gaussienne"


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
