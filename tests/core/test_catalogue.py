"""The indicator catalogue: the shipped one is complete and every broken file is refused."""

from __future__ import annotations

import pytest

from sdsf.parameters import ParameterError, load
from sdsf.parameters.indicators import catalogue, parse_catalogue
from sdsf.sources.registry import SOURCES

THEMES = {
    "territoire",
    "accueil",
    "parentalite",
    "vulnerabilite",
    "handicap",
    "information",
    "emploi",
}


def test_shipped_catalogue_covers_the_seven_themes_of_the_seed():
    cat = catalogue()
    assert set(cat.themes) == THEMES | {"ressources"}  # plus the data of priority rules
    for ind in cat.indicators.values():
        assert ind.definition and ind.source and ind.unit is not None
        assert ind.imports and all(i in SOURCES for i in ind.imports), ind.id
        if ind.target:
            load()["objectifs"][ind.target]  # the target is a dated parameter


def test_targets_are_dated_parameters():
    assert load().at("2023-12-31")["objectifs"]["part_enfants_pauvres_eaje"] == 10
    assert load().at("2023-12-31")["objectifs"]["assistantes_maternelles_par_relais"] == 70


GOOD = """
themes:
  t: {titre: Thème, indicateurs: [a]}
indicateurs:
  a: {libelle: A, unite: x, definition: d, source: s, calcul: somme, variables: [v],
      imports: [eaje]}
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("calcul: somme", "calcul: moyenne"), "calcul « moyenne » inconnu"),
        (GOOD.replace("imports: [eaje]", "imports: [eaje], couleur: bleu"), "clés inconnues"),
        (GOOD.replace("variables: [v]", "variables: [v, w]"), "attend 1 variable"),
        (GOOD.replace("indicateurs: [a]", "indicateurs: [a, b]"), "indicateurs inconnus"),
        (GOOD.replace("source: s, ", ""), "clés manquantes"),
        (GOOD + "indicateurs: {}\n", "en double"),
        (GOOD.replace("calcul: somme", "calcul: evolution"), "annees"),
    ],
)
def test_broken_catalogues_are_refused(text, message):
    with pytest.raises(ParameterError, match=message):
        parse_catalogue(text, "test.yaml")


def test_good_catalogue_parses():
    cat = parse_catalogue(GOOD)
    assert [i.id for i in cat.of_theme("t")] == ["a"]
