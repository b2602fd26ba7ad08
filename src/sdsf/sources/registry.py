"""The importable sources, by the name users type (``sdsf import SOURCE FILE``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sdsf.core import columns as c
from sdsf.sources.anct import read_qpv
from sdsf.sources.base import ParsedFile, ReferenceCodes, split_arrondissements
from sdsf.sources.children_grid import read_children_grid
from sdsf.sources.cnaf import read_cnaf
from sdsf.sources.cnaf_iris import read_caf_iris
from sdsf.sources.drees import read_drees
from sdsf.sources.errors import SourceError
from sdsf.sources.geography_tables import read_cog, read_iris_table
from sdsf.sources.insee import read_births, read_filosofi, read_population
from sdsf.sources.resources import read_dgcl, read_ircom, read_zrr
from sdsf.sources.templates import TEMPLATES, read_template
from sdsf.sources.travel_times import read_travel_times
from sdsf.sources.vintages import carry_to_current

RESOURCE_READERS = {
    "dgcl-potentiel-financier": read_dgcl,
    "dgfip-ircom": read_ircom,
    "zrr": read_zrr,
    "distancier": read_travel_times,
    "carreaux-enfants": read_children_grid,
}


OPEN_LICENCE = "Licence Ouverte 2.0 (Etalab)"


@dataclass(frozen=True)
class SourceInfo:
    name: str
    label: str
    producer: str
    example: str
    licence: str = OPEN_LICENCE


SOURCES: dict[str, SourceInfo] = {
    info.name: info
    for info in (
        SourceInfo(
            "caf-couverture",
            "Taux de couverture accueil du jeune enfant (txcouv_pe_*)",
            "Cnaf",
            "txcouv_pe_dep_2022_2023.csv",
        ),
        SourceInfo(
            "caf-places",
            "Nombre de places accueil du jeune enfant (nbpla_pe_*)",
            "Cnaf",
            "nbpla_pe_com_2023.csv",
        ),
        SourceInfo(
            "caf-iris",
            "Données Caf par IRIS (allocataires, familles monoparentales, enfants)",
            "Cnaf",
            "data_CAF_2020_IRIS.csv",
        ),
        SourceInfo(
            "drees-eaje",
            "Accueil du jeune enfant par département : crèches, places, agréments "
            "d'assistantes maternelles (tableaux 23, 24, 27, 28, 32 et 33)",
            "DREES, enquête Aide sociale",
            "drees_eaje_Tab28_dep.csv",
        ),
        SourceInfo(
            "insee-cog",
            "Code officiel géographique : communes, communes déléguées et associées",
            "Insee",
            "commune2021.csv",
        ),
        SourceInfo(
            "insee-iris",
            "Table d'appartenance géographique des IRIS",
            "Insee",
            "reference_IRIS_geo2021.csv",
        ),
        SourceInfo(
            "insee-naissances",
            "Naissances domiciliées annuelles (NAIS_DOM)",
            "Insee",
            "naissances_domiciliees_com_2008_2024.csv",
        ),
        SourceInfo(
            "insee-population",
            "Populations légales (population municipale)",
            "Insee",
            "populations_legales_2023_com.csv",
        ),
        SourceInfo(
            "filosofi", "Revenus disponibles Filosofi (FILO_DISP)", "Insee", "FILO2019_DISP_COM.csv"
        ),
        SourceInfo(
            "qpv", "Quartiers prioritaires : démographie ou revenus", "ANCT / ONPV", "DEMO_2022.csv"
        ),
        SourceInfo(
            "dgcl-potentiel-financier",
            "Critères de répartition des dotations : potentiel financier (DGF)",
            "DGCL",
            "criteres_repartition_2023.csv",
        ),
        SourceInfo(
            "dgfip-ircom",
            "Impôt sur le revenu par collectivité territoriale (IRCOM)",
            "DGFiP",
            "ircom_2022_revenus_2021.csv",
        ),
        SourceInfo(
            "zrr", "Communes classées en zone de revitalisation rurale", "ANCT", "zrr_2021.csv"
        ),
        SourceInfo(
            "distancier",
            "Distancier : temps de trajet entre communes (origine, destination, minutes)",
            "Outil de calcul d'itinéraires",
            "distancier_2024.parquet",
            "celle de l'outil de calcul d'itinéraires utilisé",
        ),
        SourceInfo(
            "carreaux-enfants",
            "Enfants de moins de 3 ans par carreau (carroyage Insee ou points)",
            "Insee (données carroyées) ou fichier local",
            "carreaux_200m_2019.csv",
            "Licence Ouverte 2.0 (Insee) ; fichier local : usage des partenaires",
        ),
        *(
            SourceInfo(
                name,
                t.title,
                "Caf (registre local)",
                f"modele_{name}.csv",
                "registre local, usage des partenaires du schéma",
            )
            for name, t in TEMPLATES.items()
        ),
    )
}


def import_hint(imports: Iterable[str]) -> str:
    """What to import to fill a figure, in French, from the import names of the catalogue
    (``imports`` of an indicator): « importer « caf-couverture » ou « eaje » »."""
    names = [f"« {SOURCES[i].name} »" for i in imports if i in SOURCES]
    return "importer " + " ou ".join(names)


# Local files (registries, a distancier, a grid of children): nothing in them says an edition;
# the later import is the newer one (a registry sent again is a correction), unless the user
# gives ``--edition``. Published files have the edition their reader finds (their last year).
DATED_BY_IMPORT = frozenset({*TEMPLATES, "distancier", "carreaux-enfants"})


def read_source(
    source: str,
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    level: str | None = None,
    year: int | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Read ``path`` with the reader of ``source``; raise :class:`SourceError` on bad input."""
    parsed = _read(
        source,
        path,
        reference,
        display_name=display_name,
        level=level,
        year=year,
        ignore_unknown=ignore_unknown,
    )
    parsed.observations = split_arrondissements(
        carry_to_current(
            parsed.observations,
            former=reference.former,
            splits=reference.splits,
            known=reference.known(c.COMMUNE),
            additive=parsed.additive,
            skipped=parsed.skipped,
            commune_departement=reference.commune_departement,
        ),
        reference,
        parsed.additive,
    )
    return parsed


def _read(
    source: str,
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None,
    level: str | None,
    year: int | None,
    ignore_unknown: bool,
) -> ParsedFile:
    name = display_name or path.name
    if source not in SOURCES:
        raise SourceError(
            name, f"source inconnue « {source} »", expected=", ".join(SOURCES), found=source
        )
    common = {"display_name": name}
    if source == "caf-couverture":
        return read_cnaf(path, reference, kind="taux", ignore_unknown=ignore_unknown, **common)
    if source == "caf-places":
        return read_cnaf(path, reference, kind="places", ignore_unknown=ignore_unknown, **common)
    if source == "caf-iris":
        return read_caf_iris(path, reference, year=year, ignore_unknown=ignore_unknown, **common)
    if source == "drees-eaje":
        return read_drees(path, reference, ignore_unknown=ignore_unknown, **common)
    if source in RESOURCE_READERS:
        return RESOURCE_READERS[source](
            path, reference, year=year, ignore_unknown=ignore_unknown, **common
        )
    if source == "insee-cog":
        from sdsf.sources.datafrance import commune_populations

        return read_cog(
            path, reference, display_name=name, year=year, populations=commune_populations()
        )
    if source == "insee-iris":
        return read_iris_table(path, reference, display_name=name, year=year)
    if source == "insee-naissances":
        return read_births(path, reference, level=level, ignore_unknown=ignore_unknown, **common)
    if source == "insee-population":
        return read_population(path, reference, year=year, ignore_unknown=ignore_unknown, **common)
    if source == "filosofi":
        return read_filosofi(path, reference, level=level, ignore_unknown=ignore_unknown, **common)
    if source == "qpv":
        return read_qpv(path, year=year, **common)
    return read_template(path, source, reference, ignore_unknown=ignore_unknown, **common)
