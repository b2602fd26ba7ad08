"""The strict parameter loader (dated YAML)."""

from __future__ import annotations

import datetime as dt

import pytest

from sdsf.parameters import ParameterError, load, load_file


def test_values_in_force_at_a_date():
    params = load()
    national = params["couverture"]["taux_national"]
    assert national.at("2023-12-31")["global"] == 60.9
    assert national["global"].at(dt.date(2021, 6, 30)) == 58.8  # the 2020 value still in force
    assert params["couverture"]["classes_carte"]["bornes"].at(dt.date(2024, 1, 1)) == [
        0.5,
        0.75,
        1.0,
        1.25,
    ]
    with pytest.raises(ParameterError, match="aucune valeur en vigueur"):
        national.at("2019-12-31")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a:\n  description: x\n  unit: u\n  reference: r\n  values:\n    2020-01-01: 1\n"
            "    2020-01-01: 2\n",
            "en double",
        ),
        (
            "a:\n  description: x\n  unit: u\n  reference: r\n  values:\n    2020-13-01: 1\n",
            "date invalide",
        ),
        (
            "a:\n  description: x\n  unit: u\n  reference: r\n  valeur: 3\n  values:\n"
            "    2020-01-01: 1\n",
            "clés inconnues",
        ),
        ("a:\n  description: x\n  values:\n    2020-01-01: 1\n", "clés manquantes"),
    ],
    ids=["doublon", "date", "cle-inconnue", "cle-manquante"],
)
def test_broken_files_are_refused(tmp_path, text, message):
    path = tmp_path / "casse.yaml"
    path.write_text(text)
    with pytest.raises(ParameterError, match=message):
        load_file(path)
