"""Resources and zonings for priority rules, in the published layouts (small files written in
the exact column layout of the DGCL DGF criteria file, DGFiP IRCOM and the ANCT ZRR list)."""

from __future__ import annotations

import pytest

from sdsf.core import columns as c
from sdsf.sources.errors import SourceError
from sdsf.sources.registry import read_source

DGCL_HEADER = (
    "Informations générales - Code INSEE de la commune;Informations générales - Nom de la "
    "commune;Informations générales - Population DGF de l'année N;Informations générales - "
    "Population INSEE de l'année N;Potentiel fiscal et financier des communes - Potentiel "
    "financier;Potentiel fiscal et financier des communes - Potentiel financier par habitant"
)
IRCOM_HEADER = (
    "Dép.;Commune;Libellé de la commune;Revenu fiscal de référence par tranche (en euros);"
    "Nombre de foyers fiscaux;Revenu fiscal de référence des foyers fiscaux;Impôt net (total)*;"
    "Nombre de foyers fiscaux imposés"
)


def values(parsed):
    return parsed.observations.set_index([c.CODE, c.VARIABLE])[c.VALUE]


def test_dgcl_criteria_file(reference, tmp_path):
    path = tmp_path / "criteres_repartition_2023.csv"
    path.write_text(
        f"{DGCL_HEADER}\n44109;NANTES;330 000;320 732;404 360 000;1225,33\n"
        "44020;BOUAYE;8 100;7 950;5 767 200;712\n",
        encoding="utf-8",
    )
    parsed = read_source("dgcl-potentiel-financier", path, reference)
    obs = values(parsed)
    assert set(parsed.observations[c.YEAR]) == {2023}
    assert obs[("44020", "potentiel_financier")] == 5_767_200
    assert obs[("44020", "population_dgf")] == 8_100
    assert obs[("44109", "potentiel_financier")] / obs[
        ("44109", "population_dgf")
    ] == pytest.approx(1225.33, abs=0.01)


def test_dgcl_per_head_only_is_turned_into_totals(reference, tmp_path):
    path = tmp_path / "criteres_2022.csv"
    path.write_text(
        "Informations générales - Code INSEE de la commune;Informations générales - Population "
        "DGF de l'année N;Potentiel fiscal et financier des communes - Potentiel financier par "
        "habitant final\n44020;8100;712\n",
        encoding="utf-8",
    )
    obs = values(read_source("dgcl-potentiel-financier", path, reference))
    assert obs[("44020", "potentiel_financier")] == 712 * 8100


def test_ircom_total_rows_in_thousands(reference, tmp_path):
    path = tmp_path / "ircom_2022.csv"
    path.write_text(
        f"{IRCOM_HEADER}\n"
        "440;109;Nantes;0 à 10 000;50 000;200 000;0;0\n"
        "440;109;Nantes;Total;180 000;5 400 000;400 000;90 000\n"
        "440;020;Bouaye;Total;4 200;81 900;6 000;2 000\n"
        "2A0;004;Ajaccio;Total;40 000;1 000 000;80 000;20 000\n"
        "971;101;Les Abymes;Total;30 000;480 000;10 000;5 000\n",
        encoding="utf-8",
    )
    parsed = read_source("dgfip-ircom", path, reference)
    obs = values(parsed)
    # 81 900 k€ for 4 200 households: 19 500 € each (« revenu moyen 19 500 € <= 21 197 € »)
    assert obs[("44020", "revenu_fiscal_reference")] / obs[("44020", "foyers_fiscaux")] == 19_500
    assert obs[("44109", "foyers_fiscaux")] == 180_000  # the Total row, not the tranche
    assert ("2A004", "foyers_fiscaux") in obs.index and ("97101", "foyers_fiscaux") in obs.index
    assert any("milliers d'euros" in s for s in parsed.skipped)


def test_zrr_list(reference, tmp_path):
    path = tmp_path / "zrr_2021.csv"
    path.write_text(
        "CODGEO;LIBGEO;ZRR_SIMP\n44020;Bouaye;NC - Commune non classée\n"
        "44001;Abbaretz;C - Classée en ZRR\n44002;Aigrefeuille-sur-Maine;"
        "P - Commune partiellement classée en ZRR\n",
        encoding="utf-8",
    )
    obs = values(read_source("zrr", path, reference))
    assert obs[("44001", "zrr_classee")] == 1 and obs[("44020", "zrr_classee")] == 0
    assert obs[("44002", "zrr_classee")] == 1 and obs[("44002", "zrr_partielle")] == 1


@pytest.mark.parametrize(
    ("source", "name", "body", "message"),
    [
        (
            "zrr",
            "zrr_2021.csv",
            "CODGEO;LIBGEO;ZRR_SIMP\n44020;Bouaye;peut-être\n",
            "classement inconnu",
        ),
        ("dgfip-ircom", "ircom_2022.csv", "Dép.;Commune\n440;109\n", "colonne obligatoire absente"),
        (
            "dgcl-potentiel-financier",
            "dgf.csv",
            f"{DGCL_HEADER}\n44109;NANTES;330000;320732;404360000;1225\n",
            "millésime inconnu",
        ),
        (
            "dgcl-potentiel-financier",
            "dgf_2023.csv",
            f"{DGCL_HEADER}\n44109;NANTES;beaucoup;320732;404360000;1225\n",
            "valeur non numérique",
        ),
    ],
)
def test_bad_files_are_refused_in_french(reference, tmp_path, source, name, body, message):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        read_source(source, path, reference)


DGCL_HEADER_2019 = (
    "Informations générales - Code INSEE de la commune;Informations générales - Nom de la "
    "commune;Informations générales - Population DGF Année N';Informations générales - "
    "Population INSEE Année N;Potentiel fiscal et financier des communes - Potentiel "
    "financier final;Potentiel fiscal et financier des communes - Potentiel financier par "
    "habitant final"
)


def test_dgcl_criteria_file_before_2020(reference, tmp_path):
    """Editions before 2020 name the DGF population « Population DGF Année N' » and the
    potentiel financier « ... final »; semicolons and decimal commas as published."""
    path = tmp_path / "criteres_repartition_2019.csv"
    path.write_text(
        f"{DGCL_HEADER_2019}\n44020;BOUAYE;7 905;7 802;5 634 287,25;712,75\n",
        encoding="cp1252",
    )
    parsed = read_source("dgcl-potentiel-financier", path, reference)
    obs = values(parsed)
    assert set(parsed.observations[c.YEAR]) == {2019}
    assert obs[("44020", "population_dgf")] == 7_905
    assert obs[("44020", "potentiel_financier")] == pytest.approx(5_634_287.25)
