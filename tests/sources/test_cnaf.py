"""Cnaf coverage files: the real published export, the portal's field names, broken variants."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.sources.cnaf import read_cnaf
from sdsf.sources.errors import SourceError
from tests.conftest import shared_file

CAF_DEP = "caf/txcouv_pe_dep_2022_2023.csv.gz"
PORTAL_NAMES = {
    "Date référence": "annee",
    "Numéro Département": "numdep",
    "Nom Département": "nomdep",
    "Numéro Région": "numreg",
    "Nom Région": "nomreg",
    "Taux de couv EAJE PSU": "txcouv_psu_col_dep",
    "Taux de couv hors EAJE PSU": "txcouv_hors_psu_col_dep",
    "Taux de couv EAJE - ensemble": "txcouv_eaje_dep",
    "Taux de couv préscolarisation": "txcouv_prescol_dep",
    "Taux de couv assistante maternelle": "txcouv_am_ind_dep",
    "Taux de couv salariée à domicile": "txcouv_gad_ind_dep",
    "Taux de couv accueil individuel - ensemble": "txcouv_ind_dep",
    "Taux de couv global": "txcouv_dep",
}


def published_text() -> str:
    return gzip.decompress(shared_file(CAF_DEP).read_bytes()).decode("utf-8-sig")


def value(parsed, code, year, variable):
    obs = parsed.observations
    row = obs[(obs[c.CODE] == code) & (obs[c.YEAR] == year) & (obs[c.VARIABLE] == variable)]
    return float(row[c.VALUE].iloc[0])


def test_published_file_gives_the_published_rates(reference):
    parsed = read_cnaf(shared_file(CAF_DEP), reference, kind="taux")
    assert parsed.levels == [c.DEPARTEMENT]
    assert parsed.years == [2022, 2023]
    assert parsed.territories == 100  # 102 rows a year minus 977 and 978
    assert value(parsed, "53", 2023, c.RATE_GLOBAL) == 78.0
    assert value(parsed, "93", 2023, c.RATE_GLOBAL) == 39.4
    assert value(parsed, "973", 2023, c.RATE_GLOBAL) == 13.4
    assert value(parsed, "93", 2023, c.rate(c.EAJE_PSU)) == 21.8
    assert value(parsed, "53", 2023, c.rate(c.ASSISTANTES_MATERNELLES)) == 58.9
    assert any("977" in s for s in parsed.skipped)


def test_portal_field_names_give_the_same_values(reference, tmp_path):
    frame = pd.read_csv(shared_file(CAF_DEP), sep=";", dtype=str, encoding="utf-8-sig")
    path = tmp_path / "txcouv_pe_dep.csv"
    frame.rename(columns=PORTAL_NAMES).to_csv(path, sep=";", index=False)
    portal = read_cnaf(path, reference, kind="taux")
    labels = read_cnaf(shared_file(CAF_DEP), reference, kind="taux")
    keys = [c.LEVEL, c.CODE, c.YEAR, c.VARIABLE]
    pd.testing.assert_frame_equal(
        portal.observations.sort_values(keys).reset_index(drop=True),
        labels.observations.sort_values(keys).reset_index(drop=True),
    )


def test_placeholder_rows_are_skipped_and_secret_cells_are_missing(reference, tmp_path):
    text = published_text().splitlines()
    header, first = text[0], text[1].split(";")
    placeholder = ";".join(["2023", "XX", "", "XX", "", *[""] * 8])
    secret = first.copy()
    secret[0], secret[1], secret[5] = "2021", "44", ""
    path = tmp_path / "txcouv.csv"
    path.write_text("\n".join([header, ";".join(first), placeholder, ";".join(secret)]))
    parsed = read_cnaf(path, reference, kind="taux")
    assert any("XX" in s for s in parsed.skipped)
    assert pd.isna(value(parsed, "44", 2021, c.rate(c.EAJE_PSU)))


def broken(tmp_path, transform) -> str:
    lines = published_text().splitlines()
    path = tmp_path / "casse.csv"
    path.write_text("\n".join(transform(lines)) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("transform", "expected"),
    [
        # Excel in another locale: comma separator and decimal comma
        (
            lambda ls: [ln.replace(",", " ").replace(".", ",").replace(";", ",") for ln in ls],
            "ligne 2 : nombre de colonnes incohérent",
        ),
        (
            lambda ls: [";".join(ln.split(";")[:-1]) for ln in ls],
            "ligne 1, colonne « Taux de couv global » : colonne obligatoire absente",
        ),
        (
            lambda ls: [ls[0], ls[1].replace(";71;", ";7A;"), *ls[2:]],
            "ligne 2, colonne « Numéro Département » : code inconnu",
        ),
        (
            lambda ls: [ls[0], ls[1].replace(";70.6", ";soixante-dix"), *ls[2:]],
            "ligne 2, colonne « Taux de couv global » : valeur non numérique",
        ),
        (lambda ls: [*ls, ls[1]], "ligne en double (déjà présente ligne 2)"),
    ],
    ids=["separateur", "colonne-manquante", "code-inconnu", "texte-dans-nombre", "doublon"],
)
def test_broken_variants_are_refused_with_row_and_column(reference, tmp_path, transform, expected):
    with pytest.raises(SourceError) as error:
        read_cnaf(broken(tmp_path, transform), reference, kind="taux")
    message = error.value.french()
    assert "casse.csv" in message
    assert expected in message
    assert "Rien n'a été importé" in message


def test_a_places_file_is_not_taken_for_rates(reference, tmp_path):
    path = tmp_path / "nbpla_pe_dep.csv"
    path.write_text("annee;numdep;nbpla_psu_col_dep;nbpla_dep\n2023;44;100;200\n")
    with pytest.raises(SourceError, match="aucune colonne de taux"):
        read_cnaf(path, reference, kind="taux")
    parsed = read_cnaf(path, reference, kind="places")
    assert value(parsed, "44", 2023, c.places(c.EAJE_PSU)) == 100


def test_national_file_is_france_hors_mayotte(reference, tmp_path):
    path = tmp_path / "txcouv_pe_nat.csv"
    path.write_text(
        "annee;txcouv_psu_col_nat;txcouv_hors_psu_col_nat;txcouv_prescol_nat;"
        "txcouv_am_ind_nat;txcouv_gad_ind_nat;txcouv_nat\n2023;19.9;3.6;3.3;31.9;2.2;60.9\n"
    )
    parsed = read_cnaf(path, reference, kind="taux")
    assert parsed.levels == [c.FRANCE]
    assert value(parsed, c.NATIONAL_CNAF_CODE, 2023, c.RATE_GLOBAL) == 60.9
