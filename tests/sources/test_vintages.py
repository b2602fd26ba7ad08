"""Files of older geographies carried to the workspace's one, on small frames and on the real
files of ../shared/data (ZRR 2017, Filosofi 2019, COG 2021, births, populations)."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.sources.base import split_arrondissements
from sdsf.sources.geography_tables import read_cog
from sdsf.sources.recognition import NOT_READ, recognise, source_of
from sdsf.sources.registry import read_source
from sdsf.sources.vintages import carry_classification, carry_to_current, resolved_former
from tests.conftest import shared_file

KNOWN = frozenset({"10001", "10002", "20001", "20002", "20003"})
FORMER = {"10901": "10001", "10902": "10001", "10903": "10909", "10909": "10002"}
SPLITS = {"20001": {"20001": 0.5, "20002": 0.3, "20003": 0.2}}
DEPS = {code: code[:2] for code in KNOWN}


def obs(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(c.COMMUNE, code, 2020, variable, value) for code, variable, value in rows],
        columns=[c.LEVEL, c.CODE, c.YEAR, c.VARIABLE, c.VALUE],
    )


def carried(frame: pd.DataFrame, additive: frozenset[str] | None) -> dict[tuple[str, str], float]:
    skipped: list[str] = []
    out = carry_to_current(
        frame,
        former=FORMER,
        splits=SPLITS,
        known=KNOWN,
        additive=additive,
        skipped=skipped,
        commune_departement=DEPS,
    )
    assert skipped  # every move is reported
    return {(r[c.CODE], r[c.VARIABLE]): r[c.VALUE] for r in out.to_dict("records")}


def test_chains_of_mergers_end_in_a_current_commune():
    assert resolved_former(FORMER, KNOWN) == {
        "10901": "10001",
        "10902": "10001",
        "10903": "10002",
        "10909": "10002",
    }


def test_counts_of_merged_communes_are_added_and_rates_unknown():
    frame = obs(
        [
            ("10901", "naissances", 3),
            ("10902", "naissances", 4),
            ("10901", "taux", 50.0),
            ("10902", "taux", 60.0),
            ("10909", "naissances", 5),
            ("10909", "taux", 40.0),
        ]
    )
    values = carried(frame, frozenset({"naissances"}))
    assert values[("10001", "naissances")] == 7
    assert math.isnan(values[("10001", "taux")])  # two parts: a rate is never added
    # 10903 had merged into 10909 before the file: it is inside 10909's figure
    assert values[("10002", "naissances")] == 5
    # 10902 missing from a file that lists 10901: a partial sum is unknown
    partial = carried(obs([("10901", "naissances", 3), ("10002", "x", 1)]), None)
    assert math.isnan(partial[("10001", "naissances")])


def test_a_secret_part_makes_the_sum_unknown_never_a_zero():
    frame = obs([("10901", "naissances", 3), ("10902", "naissances", float("nan"))])
    assert math.isnan(carried(frame, None)[("10001", "naissances")])


def test_a_recreated_commune_shares_the_counts_of_its_old_commune():
    frame = obs([("20001", "naissances", 10.0), ("20001", "taux", 30.0), ("10001", "x", 1.0)])
    values = carried(frame, frozenset({"naissances"}))
    assert values[("20001", "naissances")] == pytest.approx(5.0)
    assert values[("20002", "naissances")] == pytest.approx(3.0)
    assert values[("20003", "naissances")] == pytest.approx(2.0)
    assert math.isnan(values[("20003", "taux")])
    # a file that lists a re-created commune is already in the new geography: no split
    current = obs([("20001", "naissances", 10.0), ("20002", "naissances", 1.0)])
    out = carry_to_current(
        current,
        former={},
        splits=SPLITS,
        known=KNOWN,
        additive=None,
        skipped=[],
        commune_departement=DEPS,
    )
    assert out.equals(current)


def test_a_classification_is_kept_when_its_parts_agree():
    frame = pd.DataFrame(
        {c.CODE: ["10901", "10902", "10903", "10909"], "statut": ["C", "C", "C", "NC"]}
    )
    skipped: list[str] = []
    out = carry_classification(
        frame, "statut", former=FORMER, splits={}, known=KNOWN, partial="P", skipped=skipped
    )
    status = dict(zip(out[c.CODE], out["statut"], strict=True))
    assert status == {"10001": "C", "10002": "P"}
    assert "1 commune(s) en partie" in skipped[0]


def test_paris_population_is_the_sum_of_its_arrondissements(reference):
    parsed = read_source(
        "insee-population", shared_file("insee/populations_legales_2023_com.csv.gz"), reference
    )
    frame = parsed.observations
    paris = frame[(frame[c.LEVEL] == c.COMMUNE) & (frame[c.CODE] == "75056")]
    assert paris[c.VALUE].tolist() == [2_103_778]  # Insee: population municipale de Paris
    arm = frame[frame[c.LEVEL] == c.ARRONDISSEMENT]
    assert arm[arm[c.CODE].str.startswith("751")][c.VALUE].sum() == 2_103_778
    # a rate of arrondissements is never added into its commune
    rates = obs([("75101", "taux", 50.0)]).assign(**{c.LEVEL: c.COMMUNE})
    out = split_arrondissements(rates, reference, frozenset())
    assert set(out[c.LEVEL]) == {c.ARRONDISSEMENT}


@pytest.fixture(scope="module")
def with_cog(reference):
    """The reference codes plus the passages of the real COG 2021 (as an import stores them)."""
    from sdsf.sources.datafrance import commune_populations

    cog = read_cog(
        shared_file("insee/cog_commune_2021.csv.gz"),
        reference,
        populations=commune_populations(),
    )
    passages = cog.records
    merged = passages[passages["poids"] >= 1.0]
    splits: dict[str, dict[str, float]] = {}
    for r in passages[passages["poids"] < 1.0].to_dict("records"):
        splits.setdefault(r["ancien"], {})[r["actuel"]] = r["poids"]
    former = {**dict(zip(merged["ancien"], merged["actuel"], strict=True)), **reference.former}
    return cog, dataclasses.replace(reference, former=former, splits=splits)


def test_the_cog_2021_tells_where_communes_went(with_cog):
    cog, _ = with_cog
    assert cog.observations[c.VALUE].tolist() == [34_965]  # communes au 1er janvier 2021
    split = cog.records[cog.records["ancien"] == "15141"]  # Neussargues en Pinatelle
    assert set(split["actuel"]) == {"15141", "15031", "15035", "15047", "15171"}
    assert split["poids"].sum() == pytest.approx(1.0)
    assert any("sans commune déléguée" in s for s in cog.skipped)


def test_cantal_births_are_known_for_its_recreated_communes(with_cog):
    _, reference = with_cog
    parsed = read_source(
        "insee-naissances",
        shared_file("insee/naissances_domiciliees_com_2008_2024.csv.gz"),
        reference,
    )
    frame = parsed.observations
    cantal = frame[frame[c.CODE].map(reference.commune_departement) == "15"]
    year = cantal[cantal[c.YEAR] == 2024]
    assert year[c.VALUE].notna().all()
    assert {"15031", "15035", "15047", "15171"} <= set(year[c.CODE])
    # nothing lost: the département's births equal the sum of the file's communes
    raw = pd.read_csv(shared_file("insee/naissances_domiciliees_com_2008_2024.csv.gz"), dtype=str)
    published = pd.to_numeric(raw[raw["code"].str[:2] == "15"]["nais_2024"]).sum()
    assert year[c.VALUE].sum() == pytest.approx(published)
    assert any("recréée(s)" in s for s in parsed.skipped)


def test_real_files_of_older_geographies_import_without_a_flag(with_cog):
    _, reference = with_cog
    zrr = read_source("zrr", shared_file("anct/zrr_communes_cog2017.csv.gz"), reference)
    assert zrr.territories > 34_000
    assert any("partiel" in s for s in zrr.skipped)
    aside = [s for s in zrr.skipped if "sans correspondance connue" in s]
    assert aside  # codes without a known passage are listed, not silently dropped
    filo = read_source("filosofi", shared_file("insee/filosofi2019_disp_com.csv.gz"), reference)
    assert any("géographie actuelle" in s for s in filo.skipped)
    places = read_source("caf-places", shared_file("caf/nbpla_pe_com_2020_2022.csv.gz"), reference)
    assert places.levels == [c.ARRONDISSEMENT, c.COMMUNE]


def test_sources_are_recognised_by_their_header(tmp_path):
    layouts = {
        "insee-cog": ["TYPECOM", "COM", "REG", "DEP", "LIBELLE", "COMPARENT"],
        "insee-iris": ["CODE_IRIS", "LIB_IRIS", "TYP_IRIS", "DEPCOM"],
        "insee-naissances": ["code", "libelle", "nais_2023"],
        "insee-population": ["codgeo", "Population municipale"],
        "filosofi": ["CODGEO", "LIBGEO", "Q219"],
        "caf-couverture": ["Date référence", "Numéro Département", "Taux de couv global"],
        "caf-places": ["date_reference", "num_commune", "places_offertes_ensemble"],
        "zrr": ["CODGEO", "LIBGEO", "ZRR_SIMP", "ZONAGE_ZRR"],
        "qpv": ["CODGEO", "LIBGEO", "POP_MUN", "NOTE_RP", "ENF_2"],
        "caf-iris": ["CODGEO", "NOTE", "A", "ENF_2"],
    }
    for source, columns in layouts.items():
        assert source_of(columns) == source, source
    assert source_of(["a", "b"]) is None
    assert source_of(["DEP", "REG", "CHEFLIEU", "TNCC", "NCC", "NCCENR", "LIBELLE"]) in NOT_READ
    for source, columns in layouts.items():
        (tmp_path / f"{source}.csv").write_text(";".join(columns) + "\n" + ";".join("1" * 0))
    (tmp_path / "notes.md").write_text("pas une donnée")
    found = recognise([tmp_path])
    order = [r.source for r in found]
    assert order[:4] == ["insee-cog", "insee-iris", "insee-population", "insee-naissances"]
    assert "notes.md" not in {r.path.name for r in found}
