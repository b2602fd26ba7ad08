"""What every command shares: the application, its options, the French way to fail."""

from __future__ import annotations

import sys
from collections.abc import Iterable
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


def write_chunks(chunks: Iterable[bytes | str]) -> None:
    """Write an output to the standard output as it is encoded (UTF-8, line ends as they are),
    chunk by chunk: a national table is never held twice in memory."""
    out = sys.stdout
    binary = getattr(out, "buffer", None)
    out.flush()
    for chunk in chunks:
        data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        if binary is not None:
            binary.write(data)
        else:  # a text-only stream (some test runners)
            out.write(data.decode("utf-8"))
    (binary or out).flush()


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
