"""Priority rules: the 2014 fonds de rééquilibrage territorial on hand-computed territories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sdsf.core.priority import (
    NOT_PRIORITY,
    PRIORITY,
    RANK,
    STATUS,
    UNDETERMINED,
    ZONE,
    evaluate,
    sensitivity,
)
from sdsf.parameters.rules import shipped

FRT = shipped()["frt-2014"]
VALUES = pd.DataFrame(
    {
        "taux_global": [38.2, 40.0, 56.0, 30.0, 70.0, 50.0],
        "potentiel_financier_par_habitant": [712, 800, 500, np.nan, np.nan, 900],
        "revenu_fiscal_moyen_foyer": [19_540, 21_197, 15_000, 18_000, 17_000, 20_000],
        "qpv_present": [1, 0, 0, 0, 0, np.nan],
    },
    index=["A", "B", "C", "D", "E", "F"],
)


def test_frt_2014_thresholds_are_the_published_ones():
    assert FRT.thresholds() == {
        "couverture": 54.0,
        "potentiel_financier": 978.0,
        "revenu": 21_197.0,
        "qpv": 0.0,
    }
    assert FRT.perimeter == "commune" and FRT.combination == "toutes"


def test_frt_2014_statuses_zones_and_ranks_by_hand():
    out = evaluate(VALUES, FRT, FRT.thresholds())
    assert out[STATUS].to_dict() == {
        "A": PRIORITY,  # 38,2 < 54 ; 712 < 978 ; 19 540 <= 21 197
        "B": PRIORITY,  # revenue equal to the threshold: « au plus égal »
        "C": NOT_PRIORITY,  # coverage 56 is not below 54
        "D": UNDETERMINED,  # potentiel financier unknown, the rest holds
        "E": NOT_PRIORITY,  # unknown potentiel, but coverage already fails: decided
        "F": PRIORITY,
    }
    assert out.loc["A", ZONE] == 1  # priority with a QPV
    assert out.loc["B", ZONE] == 2
    assert pd.isna(out.loc["F", ZONE])  # QPV unknown: zone undetermined
    assert out.loc["A", RANK] == 1 and out.loc["B", RANK] == 2 and out.loc["F", RANK] == 3
    assert pd.isna(out.loc["C", RANK])
    assert (
        out.loc["D", "respecte_potentiel_financier"] != out.loc["D", "respecte_potentiel_financier"]
    )


def test_other_combinations():
    from dataclasses import replace

    one = replace(FRT, combination="une")
    out = evaluate(VALUES, one, FRT.thresholds())
    assert out.loc["C", STATUS] == PRIORITY  # potentiel and revenue hold
    two = replace(FRT, combination="au_moins", at_least=2)
    out = evaluate(VALUES, two, FRT.thresholds())
    assert out.loc["E", STATUS] == UNDETERMINED  # revenue holds, potentiel unknown
    score = replace(
        FRT,
        combination="score",
        weights={"couverture": 2, "potentiel_financier": 1, "revenu": 1},
        score_threshold=3,
    )
    out = evaluate(VALUES, score, FRT.thresholds())
    assert out.loc["A", "score"] == 4 and out.loc["A", STATUS] == PRIORITY
    assert out.loc["C", STATUS] == NOT_PRIORITY  # 0 + 1 + 1 = 2 < 3
    assert out.loc["D", STATUS] == PRIORITY  # 2 + 0..1 + 1 >= 3 either way


def test_median_threshold():
    bonus = shipped()["bonus-territoire"]
    values = pd.DataFrame(
        {
            "potentiel_financier_par_habitant": [600.0, 800, 1000, 1200],
            "revenu_median": [18_000.0, 25_000, 19_000, 24_000],
            "qpv_present": [0.0, 0, 0, 1],
            "communes_zrr": [0.0, 0, 0, 0],
        },
        index=list("abcd"),
    )
    out = evaluate(values, bonus, bonus.thresholds())
    assert out["seuil_potentiel_financier"].iloc[0] == 900  # median of 600..1200
    assert out[ZONE].to_dict() == {"a": 1, "b": 2, "c": 2, "d": 1}  # d: QPV


def test_sensitivity_counts_territories_and_children():
    children = pd.Series([100, 200, 300, 400, 500, 600], index=VALUES.index)
    changes = {
        (ch.criterion, ch.factor): ch for ch in sensitivity(VALUES, FRT, FRT.thresholds(), children)
    }
    up = changes[("couverture", 0.05)]  # threshold 56,7: C (56) enters
    assert up.threshold == pytest.approx(56.7) and up.entering == 1 and up.leaving == 0
    assert up.children == 300
    down = changes[("couverture", -0.10)]  # threshold 48,6: F (50) leaves
    assert down.leaving == 1 and down.children == 600
