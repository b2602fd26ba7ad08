"""Templates of the local registries the Caf holds, and their reader.

Each template is a CSV (``;``, UTF-8) or XLSX file with one header row. A file replaces the
values of the communes and years it lists, and only those. A commune of its départements that
it does not list, and that has no value yet, has no such supply (0 places: the first file of a
département is exhaustive), which is what lets sdsf say « aucune place » rather than
« inconnu »; a commune that has a value keeps it (a partial file never erases). The count of
children is the exception: an absent commune stays unknown.
The same specifications produce the files handed out (CLI ``sdsf modele``, web app) and the
documentation (docs/modeles/).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.base import OBSERVATION_COLUMNS, ParsedFile, ReferenceCodes, check_codes
from sdsf.sources.establishments import (
    childminder_age_variables,
    eaje_variables,
    service_variables,
)
from sdsf.sources.reading import (
    check_unique,
    find_columns,
    normalize_codes,
    parse_numbers,
    parse_years,
    read_table,
    reject_first,
)

PRODUCER = "Caf (registre local)"


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    kind: str  # "annee", "commune", "texte", "entier", "nombre", "oui_non"
    required: bool
    example: str


@dataclass(frozen=True)
class Template:
    source: str
    title: str
    description: str
    columns: tuple[Column, ...]
    # canonical variable of each numeric column, summed per commune
    variables: tuple[tuple[str, str], ...]
    key: tuple[str, ...]  # columns that identify a row (no duplicates)
    # Supply registries are exhaustive for the départements they cover (absent commune: 0
    # places). A count of children is not: an absent commune is unknown, never 0 children.
    exhaustive: bool = True


YEAR = Column("annee", "Année d'observation (situation au 31 décembre)", "annee", True, "2023")
COMMUNE_COL = Column(
    "code_commune", "Code Insee de la commune (5 caractères)", "commune", True, "44109"
)
LATITUDE = Column("latitude", "Latitude WGS84 (facultatif)", "nombre", False, "47.2184")
LONGITUDE = Column("longitude", "Longitude WGS84 (facultatif)", "nombre", False, "-1.5536")

TEMPLATES: dict[str, Template] = {
    "eaje": Template(
        source="eaje",
        title="Établissements d'accueil du jeune enfant (EAJE)",
        description="Un établissement par ligne : crèches collectives, familiales, parentales, "
        "micro-crèches, multi-accueils, avec leur nombre de places agréées.",
        columns=(
            YEAR,
            Column("nom", "Nom de l'établissement", "texte", True, "Multi-accueil Les Lutins"),
            COMMUNE_COL,
            Column(
                "psu",
                "Financé par la prestation de service unique (oui/non)",
                "oui_non",
                True,
                "oui",
            ),
            Column("places", "Nombre de places agréées", "entier", True, "40"),
            LATITUDE,
            LONGITUDE,
            Column(
                "part_enfants_pauvres",
                "Part des enfants accueillis issus de familles sous le seuil de pauvreté, en % "
                "(facultatif ; objectif national : 10 %)",
                "nombre",
                False,
                "12.5",
            ),
            Column(
                "enfants_handicap",
                "Enfants en situation de handicap accueillis dans l'année (facultatif)",
                "entier",
                False,
                "2",
            ),
            Column(
                "projet_inclusif",
                "Projet d'établissement prévoyant l'accueil d'enfants en situation de handicap "
                "(oui/non, facultatif)",
                "oui_non",
                False,
                "oui",
            ),
            Column(
                "disponibilites_publiees",
                "Places disponibles publiées pour les familles, sur monenfant.fr ou ailleurs "
                "(oui/non, facultatif)",
                "oui_non",
                False,
                "oui",
            ),
            Column(
                "salaries_etp",
                "Personnel de l'établissement en équivalents temps plein (facultatif)",
                "nombre",
                False,
                "11.5",
            ),
        ),
        variables=(),
        key=("annee", "nom", "code_commune"),
    ),
    "services-parentalite": Template(
        source="services-parentalite",
        title="Services aux familles : parentalité et relais petite enfance",
        description="Un service par ligne : lieux d'accueil enfants-parents (laep), actions "
        "REAAP (reaap), contrats locaux d'accompagnement à la scolarité (clas), médiation "
        "familiale (mediation), espaces rencontre (espace_rencontre), relais petite enfance "
        "(relais).",
        columns=(
            YEAR,
            Column(
                "type",
                "Type de service : laep, reaap, clas, mediation, espace_rencontre ou relais",
                "type_service",
                True,
                "laep",
            ),
            Column("nom", "Nom du service", "texte", True, "LAEP La Courte Échelle"),
            COMMUNE_COL,
            LATITUDE,
            LONGITUDE,
            Column(
                "public_touche",
                "Familles touchées dans l'année (facultatif)",
                "entier",
                False,
                "85",
            ),
        ),
        variables=(),
        key=("annee", "type", "nom", "code_commune"),
    ),
    "assistantes-maternelles": Template(
        source="assistantes-maternelles",
        title="Assistantes maternelles par commune",
        description="Nombre d'assistantes maternelles en activité et places offertes aux enfants "
        "de moins de 3 ans, par commune (effectifs : aucune donnée nominative).",
        columns=(
            YEAR,
            COMMUNE_COL,
            Column(
                "assistantes_maternelles",
                "Nombre d'assistantes maternelles en activité",
                "entier",
                True,
                "85",
            ),
            Column(
                "places_moins_3_ans", "Places pour enfants de moins de 3 ans", "entier", True, "240"
            ),
            Column(
                "assistantes_maternelles_55_ans_et_plus",
                "Dont assistantes maternelles de 55 ans ou plus (facultatif)",
                "entier",
                False,
                "21",
            ),
        ),
        variables=(
            ("assistantes_maternelles", "nombre_assistantes_maternelles"),
            ("places_moins_3_ans", c.places(c.ASSISTANTES_MATERNELLES)),
        ),
        key=("annee", "code_commune"),
    ),
    "prescolarisation": Template(
        source="prescolarisation",
        title="Enfants de 2 ans scolarisés par commune",
        description="Enfants de 2 ans inscrits à l'école maternelle, par commune de l'école "
        "(source : DSDEN).",
        columns=(
            YEAR,
            COMMUNE_COL,
            Column("enfants_2_ans_scolarises", "Enfants de 2 ans scolarisés", "entier", True, "12"),
        ),
        variables=(("enfants_2_ans_scolarises", c.places(c.PRESCOLARISATION)),),
        key=("annee", "code_commune"),
    ),
    "garde-domicile": Template(
        source="garde-domicile",
        title="Enfants gardés à domicile par commune",
        description="Enfants de moins de 3 ans gardés par un salarié à domicile (Cmg emploi "
        "direct ou structure), par commune de résidence.",
        columns=(
            YEAR,
            COMMUNE_COL,
            Column(
                "enfants_garde_domicile",
                "Enfants de moins de 3 ans gardés à domicile",
                "entier",
                True,
                "7",
            ),
        ),
        variables=(("enfants_garde_domicile", c.places(c.GARDE_DOMICILE)),),
        key=("annee", "code_commune"),
    ),
    "enfants-moins-3-ans": Template(
        source="enfants-moins-3-ans",
        title="Enfants de moins de 3 ans par commune",
        description="Effectif d'enfants de moins de 3 ans au 31 décembre (recensement de la "
        "population par âge, ou estimation locale). Là où il est donné, il remplace "
        "l'estimation par les naissances.",
        columns=(
            YEAR,
            COMMUNE_COL,
            Column("enfants_moins_3_ans", "Enfants de moins de 3 ans", "entier", True, "3250"),
        ),
        variables=(("enfants_moins_3_ans", c.CHILDREN_UNDER_3),),
        key=("annee", "code_commune"),
        exhaustive=False,
    ),
}


def template_markdown(template: Template) -> str:
    """The documentation page of a template (docs/modeles/<source>.md), in French."""
    scope = (
        "Le fichier remplace les valeurs des communes et des années qu'il contient, et "
        "seulement celles-là : une commune absente du fichier garde sa valeur. Une commune de "
        "ses départements absente du fichier et encore sans valeur n'a aucune offre de ce type "
        "(valeur 0)."
        if template.exhaustive
        else "Le fichier remplace les valeurs des communes et des années qu'il contient ; une "
        "commune absente du fichier garde sa valeur, ou reste inconnue (jamais 0)."
    )
    lines = [
        f"# Modèle « {template.source} » : {template.title}",
        "",
        template.description,
        "",
        f"Fichier CSV (séparateur `;`, UTF-8) ou XLSX, une ligne d'en-tête. {scope}",
        "",
        "| colonne | obligatoire | type | description | exemple |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| `{col.name}` | {'oui' if col.required else 'non'} | {col.kind} | "
            f"{col.description} | {col.example} |"
            for col in template.columns
        ),
        "",
        f"Exemple : [`modele_{template.source}.csv`](modele_{template.source}.csv). Le même "
        f"modèle s'obtient par `sdsf modele {template.source}` ou sur la page *Importer* de "
        "l'application.",
        "",
    ]
    return "\n".join(lines)


def template_frame(template: Template) -> pd.DataFrame:
    """The example file of a template: the header and one example row."""
    return pd.DataFrame([{col.name: col.example for col in template.columns}])


def _absent(
    per_commune: pd.DataFrame, reference: ReferenceCodes, variables: list[str]
) -> pd.DataFrame:
    """0 for the communes of the covered départements that the file does not list."""
    dep_of = pd.Series(reference.commune_departement, dtype=object)
    covered = set(per_commune[c.CODE].map(dep_of).dropna())
    communes = dep_of[dep_of.isin(covered)].index
    years = per_commune[c.YEAR].unique()
    grid = pd.MultiIndex.from_product([communes, years], names=[c.CODE, c.YEAR])
    listed = per_commune.set_index([c.CODE, c.YEAR]).index
    absent = grid[~grid.isin(listed)]
    return pd.DataFrame(0.0, index=absent, columns=variables).reset_index()


def _long(wide: pd.DataFrame) -> pd.DataFrame:
    long = wide.melt(id_vars=[c.CODE, c.YEAR], var_name=c.VARIABLE, value_name=c.VALUE)
    long.insert(0, c.LEVEL, c.COMMUNE)
    long[c.YEAR] = long[c.YEAR].astype(int)
    long[c.VALUE] = long[c.VALUE].astype(float)
    return long[OBSERVATION_COLUMNS]


def read_template(
    path: Path,
    template_name: str,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Read a local-registry file laid out as ``TEMPLATES[template_name]``."""
    template = TEMPLATES[template_name]
    name = display_name or path.name
    frame = read_table(path, name, source=template_name)
    wanted = {col.name: (col.name, col.description) for col in template.columns}
    found = find_columns(
        frame, name, wanted, required=[col.name for col in template.columns if col.required]
    )
    frame = frame.rename(columns={v: k for k, v in found.items()}).copy()
    frame[c.YEAR] = parse_years(frame, "annee", name)
    frame[c.CODE] = normalize_codes(frame["code_commune"], 5)
    skipped: list[str] = []
    frame = check_codes(
        frame,
        file=name,
        column="code_commune",
        level=c.COMMUNE,
        reference=reference,
        ignore_unknown=ignore_unknown,
        skipped=skipped,
    )
    check_unique(frame, list(template.key), name, template.key[-1])
    records = None
    for col in template.columns:
        if col.name in frame.columns and col.kind in ("entier", "nombre"):
            frame[col.name] = parse_numbers(
                frame,
                col.name,
                name,
                integer=col.kind == "entier",
                minimum=-180 if col.name in ("latitude", "longitude") else 0,
            )
            reject_first(
                frame,
                frame[col.name].isna() & col.required,
                name,
                col.name,
                "valeur obligatoire manquante",
                col.description,
            )
    if template_name == "eaje":
        variables, records = eaje_variables(frame, name)
    elif template_name == "services-parentalite":
        variables, records = service_variables(frame, name)
    else:
        frame = frame.rename(columns=dict(template.variables))
        variables = [variable for _, variable in template.variables]
        if template_name == "assistantes-maternelles":
            frame["assistantes_maternelles"] = frame["nombre_assistantes_maternelles"]
            variables += childminder_age_variables(frame)
    # An arrondissement municipal counts in its commune (Paris, Lyon, Marseille).
    frame[c.CODE] = frame[c.CODE].replace(dict(reference.arrondissement_parent))
    per_commune = frame.groupby([c.CODE, c.YEAR], as_index=False)[variables].sum(min_count=1)
    implicit = _long(_absent(per_commune, reference, variables)) if template.exhaustive else None
    return ParsedFile(
        source=template.source,
        producer=PRODUCER,
        dataset=f"registre_{template_name}",
        file_name=name,
        observations=_long(per_commune),
        skipped=skipped,
        records=records,
        implicit=implicit,
    )
