"""Coverage tables for any level: published rates where they exist, otherwise computed from
the stored places and children (core.coverage), with provenance on every row."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sdsf.core import columns as c
from sdsf.core.coverage import QUANTITIES, combine_published, empty_rates, group_rates
from sdsf.core.demand import children_from_births
from sdsf.parameters import load
from sdsf.web.apps.datasets.models import ImportedFile
from sdsf.web.apps.datasets.services import observations, wide_observations
from sdsf.web.apps.datasets.stored import remember, table_key
from sdsf.web.apps.territories.services import communes_frame, membership, territories

NATIONAL_CODE = c.NATIONAL_CNAF_CODE
CHILDREN_METHOD = "methode_enfants"
# The source of the national rows the dated parameters fill (no national file imported).
NATIONAL_PARAMETER_SOURCE = (
    "Cnaf, data.caf.fr txcouv_pe_nat (paramètre sdsf couverture.taux_national)"
)


FILES = "fichiers"  # the imports a row used: their numbers, « 12 ; 15 »
FILE_KEYS = [c.CODE, c.YEAR, "file_id"]
BIRTH_YEARS_USED = (0, 1, 2)  # births of N-2, N-1 and N make the children under 3 of N


def file_label(file: ImportedFile) -> str:
    return f"{file.producer} {file.dataset} ({file.file_name})"


def commune_quantities(
    codes: list[str] | None, level: str = c.COMMUNE
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Places by mode and under-3 children per commune (or arrondissement municipal, with
    ``level``) and year; and the files each (commune, year) used (``code``, ``annee``,
    ``file_id``).

    Children: direct counts where stored, else births of N-2, N-1, N. Those of every commune
    (``codes`` None) are read once per data revision (coverage, indicators and catchments of
    France all start from them).
    """
    if codes is None:
        key = table_key("quantites", None, None, level)
        return remember(key, lambda: _commune_quantities(None, level))
    return _commune_quantities(codes, level)


def _commune_quantities(codes: list[str] | None, level: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    obs = observations([*c.PLACE_VARIABLES, c.CHILDREN_UNDER_3], level, codes)
    births = observations([c.BIRTHS], level, codes)
    files = [obs[FILE_KEYS]]
    wide = wide_observations(obs)
    wide = wide.reindex(columns=[c.CODE, c.YEAR, *QUANTITIES])
    wide[CHILDREN_METHOD] = np.where(wide[c.CHILDREN_UNDER_3].notna(), c.CHILDREN_FROM_COUNTS, "")
    if not births.empty:
        estimated = children_from_births(births.rename(columns={c.VALUE: c.BIRTHS}))
        estimated = estimated.rename(columns={c.CHILDREN_UNDER_3: "_births"})
        wide = wide.merge(estimated, on=[c.CODE, c.YEAR], how="outer")
        fill = wide[c.CHILDREN_UNDER_3].isna() & wide["_births"].notna()
        wide.loc[fill, c.CHILDREN_UNDER_3] = wide.loc[fill, "_births"]
        wide.loc[fill, CHILDREN_METHOD] = c.CHILDREN_FROM_BIRTHS
        wide = wide.drop(columns="_births")
        if fill.any():
            filled = wide.loc[fill, [c.CODE, c.YEAR]]
            source = births[FILE_KEYS].drop_duplicates()
            for lag in BIRTH_YEARS_USED:
                shifted = source.assign(**{c.YEAR: source[c.YEAR] + lag})
                files.append(shifted.merge(filled, on=[c.CODE, c.YEAR]))
    wide[CHILDREN_METHOD] = wide[CHILDREN_METHOD].fillna("")
    return wide, pd.concat(files, ignore_index=True).drop_duplicates()


def _children_methods(quantities: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """How the children of each group were counted: counts, births, or both (vectorised)."""
    joined = quantities[[c.CODE, c.YEAR, CHILDREN_METHOD]].merge(members, on=c.CODE)
    flags = (
        pd.DataFrame(
            {
                c.GROUP: joined[c.GROUP],
                c.YEAR: joined[c.YEAR],
                "counts": joined[CHILDREN_METHOD] == c.CHILDREN_FROM_COUNTS,
                "births": joined[CHILDREN_METHOD] == c.CHILDREN_FROM_BIRTHS,
            }
        )
        .groupby([c.GROUP, c.YEAR])
        .any()
    )
    labels = np.select(
        [flags["counts"] & flags["births"], flags["counts"], flags["births"]],
        [
            f"{c.CHILDREN_FROM_COUNTS} + {c.CHILDREN_FROM_BIRTHS}",
            c.CHILDREN_FROM_COUNTS,
            c.CHILDREN_FROM_BIRTHS,
        ],
        default="",
    )
    out = flags.index.to_frame(index=False).rename(columns={c.GROUP: c.CODE})
    out[CHILDREN_METHOD] = labels
    return out


def _published(level: str, codes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    obs = observations(list(c.RATE_VARIABLES), level, codes)
    if obs.empty:
        return (
            pd.DataFrame(columns=[c.CODE, c.YEAR]),
            pd.DataFrame(columns=[c.CODE, c.YEAR, "file_id"]),
        )
    wide = obs.pivot_table(
        index=[c.CODE, c.YEAR], columns=c.VARIABLE, values=c.VALUE, aggfunc="first", dropna=False
    ).reset_index()
    files = obs.groupby([c.CODE, c.YEAR])["file_id"].first().reset_index()
    return wide, files


def _national_parameter() -> pd.DataFrame:
    """National rates from the dated parameters (Cnaf txcouv_pe_nat), one row per year."""
    node = load()["couverture"]["taux_national"]
    rows = []
    years = {date.year for date, _ in node["global"].values}
    for year in sorted(years):
        row: dict[str, object] = {c.CODE: NATIONAL_CODE, c.YEAR: year}
        for key, param in node.items():
            exact = [v for d, v in param.values if d == dt.date(year, 12, 31)]
            row[c.rate(key)] = exact[0] if exact else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def coverage_table(
    level: str, departement: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """:func:`compute_coverage_table`, cached under the data revision (a copy is returned)."""
    key = table_key("couverture", level, departement, year)
    return remember(key, lambda: compute_coverage_table(level, departement, year))


def _coverage_frame(level: str, departement: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`_compute_coverage_frame`, stored under the revision of the data it reads (the
    coverage tables, listings and the command line's outputs all start from it)."""
    key = table_key("couverture-cadre", level, departement)
    return remember(key, lambda: _compute_coverage_frame(level, departement))


def _compute_coverage_frame(
    level: str, departement: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every (territory, year) the data say something about, rates known or not, with
    provenance; and the territories of the level."""
    terr = territories(level, departement)
    members = membership(level, departement)
    quantities, files = commune_quantities(
        members[c.CODE].unique().tolist() if not members.empty else [],
        # an arrondissement's own places and births (Cnaf and Insee publish them)
        c.ARRONDISSEMENT if level == c.ARRONDISSEMENT else c.COMMUNE,
    )
    computed = empty_rates()
    children_method = pd.DataFrame(columns=[c.CODE, c.YEAR, CHILDREN_METHOD])
    group_files = pd.DataFrame(columns=[c.CODE, c.YEAR, FILES])
    if not quantities.empty and not members.empty:
        inside, name = _departement_part(level, departement)
        computed = group_rates(quantities, members, inside, name)
        children_method = _children_methods(quantities, members)
        group_files = _group_files(files, members)
    published, published_files = _published(level, terr[c.CODE].tolist())
    if level == c.FRANCE:
        published = _with_national_parameter(published)
    table = combine_published(computed, published)
    if table.empty:
        table = table.assign(
            **{c.LABEL: [], c.SOURCE: [], FILES: [], c.SIMULATED: [], CHILDREN_METHOD: []}
        )
        return table, terr
    table = table.merge(children_method, on=[c.CODE, c.YEAR], how="left")
    table[CHILDREN_METHOD] = table[CHILDREN_METHOD].fillna("")
    table = _with_provenance(table, group_files, published_files)
    return table[table[c.CODE].isin(terr[c.CODE])], terr


def _departement_part(level: str, departement: str | None) -> tuple[list[str] | None, str]:
    """The communes of the département and its name, for the groups that may straddle its
    border (EPCI, custom territories): their part inside is shown when the whole is unknown."""
    if not departement or level not in (c.EPCI, c.CUSTOM):
        return None, ""
    names = territories(c.DEPARTEMENT, departement)[c.LABEL]
    name = str(names.iloc[0]) if not names.empty else departement
    return communes_frame(departement)[c.CODE].tolist(), name


def _labelled(table: pd.DataFrame, terr: pd.DataFrame) -> pd.DataFrame:
    if c.LABEL in table:
        table = table.drop(columns=c.LABEL)
    table.insert(1, c.LABEL, table[c.CODE].map(terr.set_index(c.CODE)[c.LABEL]))
    return table.sort_values([c.YEAR, c.CODE]).reset_index(drop=True)


def compute_coverage_table(
    level: str, departement: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """Coverage of every territory of ``level`` (those touching ``departement`` if given).

    Columns: code, libelle, annee, the taux_* columns, places_total, enfants_moins_3_ans,
    methode, methode_enfants, source, simule. Unknown figures are NaN, never 0. Only the
    (territory, year) pairs with figures: :func:`coverage_listing` lists every territory.
    """
    table, terr = _coverage_frame(level, departement)
    if table.empty:
        return table
    rates = [v for v in c.RATE_VARIABLES if v in table]  # a catchment gives fewer modes
    known = table[rates].notna().any(axis=1)
    keep = table[c.YEAR].isin(table.loc[known, c.YEAR].unique())  # no year without figures
    if level == c.FRANCE:
        keep &= known  # national aggregates partly covered by the data say nothing
    if year is not None:
        keep &= table[c.YEAR] == year
    return _labelled(table[keep], terr)


def coverage_listing(
    level: str,
    departement: str | None = None,
    year: int | None = None,
    computed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """:func:`coverage_table` completed so that every territory of the level is listed, for
    each year shown: the years with a known rate, else the years whose children under 3 are
    known (the rates left unknown, NaN), else one row per territory without year. Children
    are kept where known, except at France level (a national sum of partial data misleads).
    ``computed``: another table in the same columns to complete (a catchment method's)."""
    if computed is None:
        table, terr = _coverage_frame(level, departement)
    else:
        table, terr = computed, territories(level, departement)
    if terr.empty:
        return table
    rates = [v for v in c.RATE_VARIABLES if v in table]  # a catchment gives fewer modes
    known = table[rates].notna().any(axis=1)
    if year is not None:
        years = [year]
    elif known.any():
        years = sorted(table.loc[known, c.YEAR].astype(int).unique())
    else:
        years = sorted(table.loc[table[c.CHILDREN_UNDER_3].notna(), c.YEAR].astype(int).unique())
    if level == c.FRANCE:
        table = table[known]
    table = table[table[c.YEAR].isin(years)] if years else table.iloc[0:0]
    grid = terr[[c.CODE]].merge(pd.DataFrame({c.YEAR: years or [np.nan]}), how="cross")
    rows = grid.merge(table.drop(columns=c.LABEL, errors="ignore"), on=[c.CODE, c.YEAR], how="left")
    for column, empty in (
        (c.METHOD, c.METHOD_INCOMPLETE),
        (c.PERIMETER, ""),
        (c.SOURCE, ""),
        (FILES, ""),
        (CHILDREN_METHOD, ""),
    ):
        if column in rows:  # a catchment's table has no children method
            rows[column] = rows[column].fillna(empty)
    if c.SIMULATED in rows:
        rows[c.SIMULATED] = rows[c.SIMULATED].fillna(False).astype(bool)
    return _labelled(rows, terr)


def _with_national_parameter(published: pd.DataFrame) -> pd.DataFrame:
    """Published national rates, completed by the dated parameters for the years they lack."""
    national = _national_parameter()
    if published.empty:
        return national
    known = published.set_index([c.CODE, c.YEAR]).index
    national = national[~national.set_index([c.CODE, c.YEAR]).index.isin(known)]
    return pd.concat([published, national], ignore_index=True)


def _group_files(files: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """The files each group's row used, as a reference: ``code``, ``annee``, ``fichiers``
    (the import numbers in order, « 3 ; 12 »), from the files of its communes."""
    used = files.merge(members[[c.CODE, c.GROUP]], on=c.CODE)[[c.GROUP, c.YEAR, "file_id"]]
    used = used.drop_duplicates().sort_values("file_id")
    used["file_id"] = used["file_id"].astype(int).astype(str)
    joined = used.groupby([c.GROUP, c.YEAR])["file_id"].agg(" ; ".join).reset_index()
    return joined.rename(columns={c.GROUP: c.CODE, "file_id": FILES})


def _with_provenance(
    table: pd.DataFrame, group_files: pd.DataFrame, published_files: pd.DataFrame
) -> pd.DataFrame:
    """``fichiers`` (the imports a row used), and ``source`` and ``simule`` read from them, on
    every row that has a figure: the files that row came from, and only those."""
    table = table.merge(group_files, on=[c.CODE, c.YEAR], how="left")
    table[FILES] = table[FILES].fillna("")
    published_rows = table[c.METHOD] == c.METHOD_PUBLISHED
    if published_rows.any():
        file_of = table.loc[published_rows, [c.CODE, c.YEAR]].merge(
            published_files, on=[c.CODE, c.YEAR], how="left"
        )["file_id"]
        table.loc[published_rows, FILES] = [str(int(i)) if pd.notna(i) else "" for i in file_of]
    ids = {int(i) for refs in table[FILES].unique() if refs for i in refs.split(" ; ")}
    info = {f.pk: f for f in ImportedFile.objects.filter(pk__in=ids)}
    described = {refs: _described(refs, info) for refs in table[FILES].unique()}
    table[c.SOURCE] = table[FILES].map({refs: d[0] for refs, d in described.items()})
    table[c.SIMULATED] = table[FILES].map({refs: d[1] for refs, d in described.items()})
    parameter = published_rows & (table[FILES] == "")
    table.loc[parameter, c.SOURCE] = NATIONAL_PARAMETER_SOURCE
    rates = [v for v in c.RATE_VARIABLES if v in table]  # a catchment gives fewer modes
    known = table[rates].notna().any(axis=1)
    table.loc[~known, [c.SOURCE, FILES]] = ""
    table.loc[~known, c.SIMULATED] = False
    table.loc[~known, c.METHOD] = c.METHOD_INCOMPLETE
    table[c.PERIMETER] = table[c.PERIMETER].fillna("").where(known, "")
    return table


def national_rates(year: int) -> dict[str, float]:
    """National rates for ``year`` (France entière hors Mayotte, Cnaf): an imported national
    file if any, else the dated parameters. Never recomputed from communes (partial data).
    Cached under the data revision."""
    return remember(table_key("taux-nationaux", None, None, year), lambda: _national_rates(year))


def _described(refs: str, info: dict[int, ImportedFile]) -> tuple[str, bool]:
    """(« producer dataset (file) ; … », simulated) of a row's import numbers."""
    files = [info[int(i)] for i in refs.split(" ; ") if int(i) in info] if refs else []
    labels = sorted({file_label(f) for f in files})
    return " ; ".join(labels), any(f.simulated for f in files)


def _national_rates(year: int) -> dict[str, float]:
    published, _ = _published(c.FRANCE, [NATIONAL_CODE])
    rows = published[(published[c.CODE] == NATIONAL_CODE) & (published[c.YEAR] == year)]
    if rows.empty:
        national = _national_parameter()
        rows = national[national[c.YEAR] == year]
    if rows.empty:
        return {}
    return {
        str(k): float(v)
        for k, v in rows.iloc[0].items()
        if str(k).startswith("taux_") and pd.notna(v)
    }
