"""What every reader receives (the reference codes) and returns (a parsed file)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sdsf.core import columns as c
from sdsf.sources.editions import edition_of_years
from sdsf.sources.errors import SourceError

# Collectivités d'outre-mer outside the scope of départements (Cnaf files carry 977 and 978).
OUT_OF_SCOPE = {
    "975": "Saint-Pierre-et-Miquelon (collectivité d'outre-mer)",
    "977": "Saint-Barthélemy (collectivité d'outre-mer)",
    "978": "Saint-Martin (collectivité d'outre-mer)",
    "COM": "collectivités d'outre-mer (région « COM » de la Cnaf)",
}
OBSERVATION_COLUMNS = [c.LEVEL, c.CODE, c.YEAR, c.VARIABLE, c.VALUE]


@dataclass(frozen=True)
class ReferenceCodes:
    """Codes of the reference geography, per level, that a file may use.

    ``former`` maps codes of former communes (merged into a commune nouvelle) to their current
    commune: files in an older geography carry them; ``splits`` lists the communes re-created
    out of an old one, with the share of its population each holds. ``locate`` gives the
    commune holding each point (longitude, latitude in WGS84), ``""`` outside the communes:
    files of points without a commune column need it.
    """

    by_level: Mapping[str, frozenset[str]]
    former: Mapping[str, str] = field(default_factory=dict)
    commune_departement: Mapping[str, str] = field(default_factory=dict)
    arrondissement_parent: Mapping[str, str] = field(default_factory=dict)
    # Old commune -> {current commune: share of its counts}: communes re-created out of it.
    splits: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    locate: (
        Callable[[npt.NDArray[np.float64], npt.NDArray[np.float64]], npt.NDArray[np.object_]] | None
    ) = None

    def current_commune(self, codes: pd.Series) -> pd.Series:
        """Commune codes in the current geography: a former commune becomes its commune
        nouvelle, an arrondissement municipal its commune."""
        current = codes.map(self.former).fillna(codes)
        return current.map(self.arrondissement_parent).fillna(current)

    def known(self, level: str) -> frozenset[str]:
        return self.by_level.get(level, frozenset())


@dataclass
class ParsedFile:
    """A file read and validated: tidy observations plus what was left aside and why."""

    source: str
    producer: str
    dataset: str
    file_name: str
    observations: pd.DataFrame
    skipped: list[str] = field(default_factory=list)
    records: pd.DataFrame | None = None  # row-level registry records (e.g. EAJE), if any
    # Zeros a registry implies for the communes of its départements that it does not list
    # (same columns as ``observations``): stored only where no value is known yet, so that a
    # partial file never erases the values of the communes it leaves out.
    implicit: pd.DataFrame | None = None
    # Variables that are counts (added when old communes merged); None: every variable is.
    additive: frozenset[str] | None = None
    # The edition the file says it is (:mod:`sdsf.sources.editions`); "" = its last year.
    edition: str = ""

    @property
    def file_edition(self) -> str:
        """The edition of the file: as it says, else its last reference year."""
        return self.edition or edition_of_years(self.years)

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.observations[c.YEAR].unique())

    @property
    def levels(self) -> list[str]:
        return sorted(str(v) for v in self.observations[c.LEVEL].unique())

    @property
    def territories(self) -> int:
        return int(self.observations[[c.LEVEL, c.CODE]].drop_duplicates().shape[0])


@lru_cache(maxsize=16)
def _value_set(values: frozenset[str]) -> pa.Array:
    return pa.array(list(values), type=pa.large_string())


def isin_codes(codes: pd.Series, values: Collection[str]) -> pd.Series:
    """``codes.isin(values)`` for a large set of codes (the ~35,000 communes).

    pandas 3 checks membership of an Arrow string column by turning each of ``values`` into an
    Arrow scalar in Python: about 0.35 s for the communes, on every call whatever the size of
    the file (8 s of the 21 s of the one-département demo). Here ``values`` becomes one Arrow
    array (kept for the frozensets of :class:`ReferenceCodes`, built once per import) and the
    membership is one vectorised ``pyarrow.compute.is_in``. Missing codes are never members.
    """
    value_set = (
        _value_set(values)
        if isinstance(values, frozenset)
        else pa.array([str(v) for v in values], type=pa.large_string())
    )
    try:
        array = pa.array(codes, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed cells: pandas' own, slower way
        return codes.isin(list(values))
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return codes.isin(list(values))
    found = pc.is_in(array.cast(pa.large_string()), value_set=value_set).fill_null(False)
    return pd.Series(np.asarray(found, dtype=bool), index=codes.index, name=codes.name)


# A published file in another geography may hold a few codes without a known correspondence
# (communes merged without commune déléguée, EPCI dissolved): past this share of its rows,
# unknown codes mean a wrong file or level, and the file is refused.
UNKNOWN_SHARE_SET_ASIDE = 0.05
VINTAGED_LEVELS = frozenset({c.COMMUNE, c.ARRONDISSEMENT, c.EPCI})  # codes that change


def check_codes(
    frame: pd.DataFrame,
    *,
    file: str,
    column: str,
    level: str,
    reference: ReferenceCodes,
    ignore_unknown: bool,
    skipped: list[str],
    published: bool = False,
) -> pd.DataFrame:
    """Keep rows whose code is known at ``level``, or a former commune (carried to the
    current geography afterwards, see :mod:`sdsf.sources.vintages`); report out-of-scope codes.

    ``frame`` has a ``code`` column and a ``_line`` column (line number in the file).
    An unknown code is an error unless ``ignore_unknown`` (then it is skipped and reported), or
    unless the file is a ``published`` national file in another geography and such codes are a
    few of its rows (at most :data:`UNKNOWN_SHARE_SET_ASIDE`): they are set aside and listed.
    """
    known = reference.known(level)
    codes = frame[c.CODE]
    prefix = codes.str[:3]
    in_reference = isin_codes(codes, known)
    out_of_scope = prefix.isin(list(OUT_OF_SCOPE)) & ~in_reference
    for code in sorted(set(codes[out_of_scope])):
        skipped.append(f"{code} ignoré : {OUT_OF_SCOPE[code[:3]]}, hors champ départemental")
    former = pd.Series(False, index=frame.index)
    if level == c.COMMUNE:
        former = isin_codes(codes, reference.former.keys()) & ~in_reference
    unknown = ~in_reference & ~out_of_scope & ~former
    if unknown.any():
        few = unknown.sum() <= UNKNOWN_SHARE_SET_ASIDE * max(len(frame), 1)
        published = published and level in VINTAGED_LEVELS
        if not ignore_unknown and not (published and few):
            first = frame[unknown].iloc[0]
            raise SourceError(
                file,
                f"code inconnu de la géographie de référence au niveau {c.LEVEL_LABELS[level]}",
                row=int(first["_line"]),
                column=column,
                expected=f"un code {c.LEVEL_LABELS[level]} existant",
                found=str(first[c.CODE]),
            )
        listed = ", ".join(sorted(set(codes[unknown]))[:10])
        reason = (
            "d'une autre géographie sans correspondance connue dans la géographie de référence"
            if published
            else "à code inconnu"
        )
        skipped.append(
            f"{int(unknown.sum())} ligne(s) {reason} écartée(s) "
            f"({c.LEVEL_LABELS[level]}) : {listed}"
        )
    return frame[~unknown & ~out_of_scope]


def current_communes(
    frame: pd.DataFrame,
    column: str,
    reference: ReferenceCodes,
    *,
    file: str,
    ignore_unknown: bool,
) -> tuple[pd.Series, pd.Series]:
    """Commune codes of ``column`` in the current geography (former communes and
    arrondissements brought to their commune), and the rows whose code is unknown; an unknown
    code is an error naming its row unless ``ignore_unknown``. ``frame`` has a ``_line``
    column."""
    from sdsf.sources.reading import normalize_codes

    codes = reference.current_commune(normalize_codes(frame[column], 5))
    unknown = ~isin_codes(codes, reference.known(c.COMMUNE))
    if unknown.any() and not ignore_unknown:
        first = frame[unknown].iloc[0]
        raise SourceError(
            file,
            "code commune inconnu de la géographie de référence",
            row=int(first["_line"]),
            column=column,
            expected="un code commune INSEE existant (5 caractères)",
            found=str(first[column]),
        )
    return codes, unknown


def tidy(frame: pd.DataFrame, level: str, variables: Mapping[str, str]) -> pd.DataFrame:
    """Long observations from a wide frame with ``code``, ``annee`` and value columns.

    ``variables`` maps frame columns to canonical variable names. Missing values are kept
    (as NaN): a secret or empty cell is a known unknown, never a zero.
    """
    long = frame[[c.CODE, c.YEAR, *variables]].rename(columns=dict(variables))
    long = long.melt(id_vars=[c.CODE, c.YEAR], var_name=c.VARIABLE, value_name=c.VALUE)
    long.insert(0, c.LEVEL, level)
    long[c.YEAR] = long[c.YEAR].astype(int)
    long[c.VALUE] = long[c.VALUE].astype(float)
    return long[OBSERVATION_COLUMNS].reset_index(drop=True)


def split_arrondissements(
    observations: pd.DataFrame,
    reference: ReferenceCodes,
    additive: frozenset[str] | None = None,
) -> pd.DataFrame:
    """Rows of a commune file that describe an arrondissement municipal (Paris, Lyon,
    Marseille) get the arrondissement level, so that they are never added to their commune
    twice; where the file gives no row for the commune itself (the Insee populations list Paris
    only by arrondissement), the counts of all its arrondissements (``additive`` variables,
    every variable when None) add up to it. A rate is never added."""
    is_arm = (observations[c.LEVEL] == c.COMMUNE) & observations[c.CODE].isin(
        list(reference.arrondissement_parent)
    )
    if not is_arm.any():
        return observations
    out = observations.copy()
    out.loc[is_arm, c.LEVEL] = c.ARRONDISSEMENT
    arm = out[is_arm]
    if additive is not None:
        arm = arm[arm[c.VARIABLE].isin(additive)]
    if arm.empty:
        return out
    arm = arm.assign(_parent=arm[c.CODE].map(reference.arrondissement_parent))
    keys = ["_parent", c.YEAR, c.VARIABLE]
    grouped = arm.groupby(keys)
    sums = grouped[c.VALUE].sum(min_count=1).rename(c.VALUE).to_frame()
    sums["_n"] = grouped[c.CODE].nunique()
    sums["_secret"] = arm[c.VALUE].isna().groupby([arm[k] for k in keys]).any()
    sums = sums.reset_index()
    expected = pd.Series(reference.arrondissement_parent).value_counts()
    complete = sums["_n"].to_numpy() == sums["_parent"].map(expected).to_numpy()
    sums.loc[~complete | sums["_secret"], c.VALUE] = float("nan")
    communes = out[out[c.LEVEL] == c.COMMUNE]
    listed = pd.MultiIndex.from_frame(communes[[c.CODE, c.YEAR, c.VARIABLE]])
    sums = sums.rename(columns={"_parent": c.CODE})
    new = ~pd.MultiIndex.from_frame(sums[[c.CODE, c.YEAR, c.VARIABLE]]).isin(listed)
    added = sums[new].assign(**{c.LEVEL: c.COMMUNE})[OBSERVATION_COLUMNS]
    return pd.concat([out, added], ignore_index=True)
