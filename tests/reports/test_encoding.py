"""The shared encoder: its JSON is the standard library's (same text for JSON-native values),
in chunks; its CSV never carries a live formula; its vectorised rounding is Python's."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sdsf.reports.encoding import BOM, csv_chunks, csv_text, dumps, json_array
from sdsf.reports.formatting import fixed_texts, french_number, rounded

SAMPLE = [
    {"code": "2A004", "libelle": "Ajaccio", "taux": 61.5, "enfants": 1990.0, "simule": False},
    {"code": "97411", "libelle": "Saint-Denis « La Réunion »", "taux": None, "liste": []},
    {"code": "x", "libelle": 'guillemets " et \\ barre, \n ligne, \t tab, \x01', "vide": {}},
    {"nombres": [0.0, -0.0, 1e16, 123456789.123, 3, -7], "emboite": {"a": [1, {"b": None}]}},
]


def test_json_array_is_the_standard_librarys_text_in_any_chunking():
    expected = json.dumps(SAMPLE, ensure_ascii=False, indent=2).encode()
    for size in (1, 2, 3, 100):
        assert b"".join(json_array(SAMPLE, indent=True, size=size)) == expected
    compact = json.dumps(SAMPLE, ensure_ascii=False, separators=(",", ":")).encode()
    assert b"".join(json_array(iter(SAMPLE), size=3)) == compact
    assert b"".join(json_array([], indent=True)) == b"[]" == json.dumps([], indent=2).encode()
    assert len(list(json_array(SAMPLE, size=1))) == len(SAMPLE) + 1  # streamed, not whole


def test_nan_and_numpy_values_are_json():
    data = {"nan": math.nan, "f": np.float64(2.5), "i": np.int64(3), "a": np.array([1.0, np.nan])}
    assert json.loads(dumps(data)) == {"nan": None, "f": 2.5, "i": 3, "a": [1.0, None]}
    assert dumps({1: "a"}) == b'{"1":"a"}'  # like json.dumps: keys as texts


def test_every_csv_cell_is_neutral():
    text = csv_text(
        ["=Code", "Nom"],
        [["=1+1", "-5,2", "@SUM(A1)"], ["\tcmd", "+33 1", "Nantes"]],
        footer=[["=HYPERLINK(x)"]],
    )
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows == [
        ["'=Code", "Nom"],
        ["'=1+1", "'\tcmd"],
        ["-5,2", "'+33 1"],  # a French number stays a number
        ["'@SUM(A1)", "Nantes"],
        ["'=HYPERLINK(x)"],
    ]
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert len(list(csv_chunks(["a"], [[str(i) for i in range(12)]], size=5))) == 1 + 3


@given(
    st.lists(
        st.one_of(
            st.floats(-1e7, 1e7, allow_nan=False),
            st.integers(0, 20000).map(lambda n: n / 20),  # ties: 0.05, 0.15, 2.675…
            st.just(math.nan),
        ),
        max_size=50,
    ),
    st.sampled_from([0, 1, 2, 6]),
)
def test_vectorised_rounding_and_texts_are_pythons(values, digits):
    got = rounded(np.array(values, dtype=float), digits)
    for value, mine in zip(values, got.tolist(), strict=True):
        if math.isnan(value):
            assert math.isnan(mine)
        else:
            assert mine == round(value, digits) and math.copysign(1, mine) == math.copysign(
                1, round(value, digits)
            )
    assert fixed_texts(np.array(values, dtype=float), digits) == [
        french_number(v, digits, grouping=False) for v in values
    ]
