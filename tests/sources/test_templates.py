"""Local registry templates: example files, implicit zeros per département, errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.sources.errors import SourceError
from sdsf.sources.templates import TEMPLATES, read_template, template_frame, template_markdown


@pytest.mark.parametrize("name", [n for n, t in TEMPLATES.items() if t.exhaustive])
def test_example_file_reads(reference, tmp_path, name):
    path = tmp_path / f"modele_{name}.csv"
    template_frame(TEMPLATES[name]).to_csv(path, sep=";", index=False)
    parsed = read_template(path, name, reference)
    # the example commune (Nantes) carries the values; the other communes of 44 get an
    # implicit 0, stored only where they have no value yet
    assert set(parsed.observations[c.CODE]) == {"44109"}
    communes_44 = sum(1 for d in reference.commune_departement.values() if d == "44")
    implicit = parsed.implicit
    assert implicit[c.CODE].nunique() == communes_44 - 1
    assert "44109" not in set(implicit[c.CODE])
    assert implicit[c.VALUE].eq(0).all()


def test_eaje_places_split_by_psu(reference, tmp_path):
    path = tmp_path / "eaje.csv"
    path.write_text(
        "annee;nom;code_commune;psu;places\n"
        "2023;Crèche A;44109;oui;40\n2023;Micro B;44109;non;12\n2023;Crèche C;44020;OUI;20\n"
    )
    parsed = read_template(path, "eaje", reference)
    obs = parsed.observations.set_index([c.CODE, c.VARIABLE])[c.VALUE]
    assert obs[("44109", c.places(c.EAJE_PSU))] == 40
    assert obs[("44109", c.places(c.EAJE_HORS_PSU))] == 12
    assert obs[("44020", c.places(c.EAJE_PSU))] == 20
    assert len(parsed.records) == 3


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("2023;Crèche A;44109;peut-être;40", "colonne « psu » : valeur non reconnue"),
        ("2023;Crèche A;44109;oui;40,5", "colonne « places » : nombre décimal inattendu"),
        ("2023;Crèche A;99999;oui;40", "colonne « code_commune » : code inconnu"),
        ("2023;Crèche A;44109;oui;", "colonne « places » : valeur obligatoire manquante"),
        ("23;Crèche A;44109;oui;4", "colonne « annee » : année invalide"),
    ],
)
def test_eaje_errors(reference, tmp_path, body, expected):
    path = tmp_path / "eaje.csv"
    path.write_text("annee;nom;code_commune;psu;places\n" + body + "\n")
    with pytest.raises(SourceError) as error:
        read_template(path, "eaje", reference)
    assert "ligne 2" in error.value.french()
    assert expected in error.value.french()


def test_arrondissements_count_in_their_commune(reference, tmp_path):
    path = tmp_path / "eaje.csv"
    path.write_text("annee;nom;code_commune;psu;places\n2023;A;75101;oui;40\n2023;B;75056;oui;10\n")
    obs = read_template(path, "eaje", reference).observations
    paris = obs[(obs[c.CODE] == "75056") & (obs[c.VARIABLE] == c.places(c.EAJE_PSU))]
    assert paris[c.VALUE].tolist() == [50]


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_documentation_matches_the_templates(name):
    docs = Path(__file__).resolve().parents[2] / "docs" / "modeles"
    assert (docs / f"{name}.md").read_text(encoding="utf-8") == template_markdown(TEMPLATES[name])
    example = pd.read_csv(docs / f"modele_{name}.csv", sep=";", dtype=str)
    assert list(example.columns) == [col.name for col in TEMPLATES[name].columns]


def test_children_counts_are_not_completed_with_zeros(reference, tmp_path):
    path = tmp_path / "enfants.csv"
    path.write_text("annee;code_commune;enfants_moins_3_ans\n2023;44109;9000\n")
    obs = read_template(path, "enfants-moins-3-ans", reference).observations
    assert obs[c.CODE].tolist() == ["44109"]
    assert obs[c.VARIABLE].tolist() == [c.CHILDREN_UNDER_3]
    assert read_template(path, "enfants-moins-3-ans", reference).implicit is None


def test_xlsx_and_windows_encoded_files(reference, tmp_path):
    frame = pd.DataFrame(
        {
            "annee": ["2023"],
            "nom": ["Crèche Hélène"],
            "code_commune": ["44109"],
            "psu": ["oui"],
            "places": ["30"],
        }
    )
    xlsx = tmp_path / "eaje.xlsx"
    frame.to_excel(xlsx, index=False)
    parsed = read_template(xlsx, "eaje", reference)
    assert parsed.records["nom"].tolist() == ["Crèche Hélène"]
    cp1252 = tmp_path / "eaje_windows.csv"
    frame.to_csv(cp1252, sep=";", index=False, encoding="cp1252")
    assert read_template(cp1252, "eaje", reference).records["nom"].tolist() == ["Crèche Hélène"]


def test_empty_file_is_refused(reference, tmp_path):
    path = tmp_path / "vide.csv"
    path.write_text("")
    with pytest.raises(SourceError, match="le fichier est vide"):
        read_template(path, "eaje", reference)


@pytest.mark.parametrize("value", ["inf", "1e999", "-inf", "Infinity"])
def test_an_infinite_value_is_refused(reference, tmp_path, value):
    path = tmp_path / "garde.csv"
    path.write_text(f"annee;code_commune;enfants_garde_domicile\n2023;44109;{value}\n")
    with pytest.raises(SourceError) as error:
        read_template(path, "garde-domicile", reference)
    assert "ligne 2, colonne « enfants_garde_domicile »" in error.value.french()
    assert "valeur infinie" in error.value.french()
