"""Rule files: the shipped ones load; every kind of broken file is refused, clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdsf.parameters import ParameterError
from sdsf.parameters.rules import FOLDER, merge, parse_ruleset, parse_ruleset_text, shipped

FRT_TEXT = (FOLDER / "frt-2014.yaml").read_text(encoding="utf-8")


def test_shipped_rule_sets():
    assert set(shipped()) == {"frt-2014", "bonus-territoire"}
    bonus = shipped()["bonus-territoire"]
    assert bonus.perimeter == "epci" and bonus.combination == "score"
    assert [z.zone for z in bonus.zones] == [1, 1, 2, 3]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "indicateur: taux_global\n    operateur",
            "indicateur: taux_magique\n    operateur",
            "indicateur « taux_magique » inconnu du catalogue",
        ),
        ("date: 2014-01-01", "date: 2014-13-01", "date invalide « 2014-13-01 »"),
        (
            "perimetre: commune",
            "perimetre: commune\nperimetre: epci",
            "clé « perimetre » en double",
        ),
        ('operateur: "<="', 'operateur: "≈"', "opérateur « ≈ » inconnu"),
        (
            "parametre: priorites.frt.seuil_revenu",
            "parametre: priorites.frt.seuil_magique",
            "paramètre inconnu « priorites.frt.seuil_magique »",
        ),
        ("perimetre: commune", "perimetre: commune\ncouleur: rouge", "clés inconnues ['couleur']"),
        ("type: toutes", "type: majorite", "type « majorite » inconnu"),
        ("perimetre: commune", "perimetre: canton", "perimetre « canton » inconnu"),
        (
            "      prioritaire: true\n      croisement: true",
            "      prioritaire: true\n      pluie: true",
            "clés inconnues ['pluie']",
        ),
    ],
)
def test_broken_rule_files_are_refused(old, new, message):
    assert old in FRT_TEXT
    with pytest.raises(ParameterError) as error:
        parse_ruleset_text(FRT_TEXT.replace(old, new, 1), "essai")
    assert message in str(error.value)
    assert str(error.value).startswith("règles « essai »")


def test_overlay_changes_a_threshold_and_removes_a_criterion():
    import yaml

    base = yaml.safe_load(FRT_TEXT)
    overlay = {
        "criteres": {
            "couverture": {"seuil": {"valeur": 50}},
            "revenu": None,
        }
    }
    adjusted = parse_ruleset(merge(base, overlay), "frt-2014-44")
    assert [c.id for c in adjusted.criteria] == ["couverture", "potentiel_financier"]
    assert adjusted.thresholds()["couverture"] == 50
    with pytest.raises(ParameterError, match="inconnu du catalogue"):
        parse_ruleset(
            merge(
                base,
                {
                    "criteres": {
                        "x": {
                            "libelle": "x",
                            "indicateur": "y",
                            "operateur": "<",
                            "seuil": {"valeur": 1},
                        }
                    }
                },
            ),
            "frt-2014-44",
        )


def test_every_shipped_file_is_in_the_folder():
    assert sorted(p.stem for p in Path(FOLDER).glob("*.yaml")) == sorted(shipped())


def test_a_rule_can_use_the_coverage_within_reach():
    import yaml

    base = yaml.safe_load(FRT_TEXT)
    rules = parse_ruleset(
        merge(base, {"criteres": {"couverture": {"indicateur": "taux_couverture_accessible"}}}),
        "frt-accessible",
    )
    assert rules.criteria[0].indicator == "taux_couverture_accessible"
