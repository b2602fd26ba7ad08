from __future__ import annotations

import math

from sdsf.reports.formatting import counted, french_number


def test_french_numbers():
    assert french_number(1234.56, 1) == "1\u202f234,6"
    assert french_number(60.9, 1) == "60,9"
    assert french_number(1234.5, 1, grouping=False) == "1234,5"
    assert french_number(None) == ""
    assert french_number(math.nan, missing="non connu") == "non connu"
    assert french_number(0.0, 1) == "0,0"  # a true zero stays a zero


def test_agreement():
    assert counted(1, "valeur") == "1 valeur"
    assert counted(1600, "valeur") == "1\u202f600 valeurs"
    assert counted(0, "territoire") == "0 territoire"
