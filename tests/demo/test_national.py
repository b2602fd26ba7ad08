"""The demo on several départements: one file per source covering all of them, each
département's figures as in its own demo, one row per key, and a re-run that changes nothing."""

from __future__ import annotations

import pandas as pd
import pytest
from django.contrib.auth import get_user_model

from sdsf.demo.build import _communes, _departement_row, simulate_departement
from sdsf.demo.national import build_national_demo, combine, departement_codes
from sdsf.web.apps.accounts.models import Profile
from sdsf.web.apps.datasets.models import ImportedFile, Observation
from sdsf.web.apps.schemes.models import Scheme

SMALL = ["2A", "90"]  # Corse-du-Sud and Territoire de Belfort: about 225 communes in all


def _files(code: str, epci_rows: list[tuple[str, float]]) -> dict:
    epci = pd.DataFrame({"CODGEO": [e for e, _ in epci_rows], "Q219": [v for _, v in epci_rows]})
    dep = pd.DataFrame({"CODGEO": [code], "Q219": [1.0]})
    return {"filosofi-epci": ("e.csv", epci, ";"), "filosofi-dep": ("d.csv", dep, ";")}


def test_a_territory_simulated_twice_keeps_the_row_of_its_own_departement():
    files = {
        "44": _files("44", [("200000001", 1.0), ("200000002", 2.0)]),
        "49": _files("49", [("200000001", 3.0), ("200000003", 4.0)]),
        "53": _files("53", [("200000003", 5.0), ("200000004", 6.0)]),
    }
    # 200000001 has its seat in 49, 200000003 in 85 (not listed): the first listed keeps it.
    home = {"200000001": "49", "200000002": "44", "200000003": "85", "200000004": "53"}
    epci = combine(files, home)["filosofi-epci"][1]
    assert epci["CODGEO"].tolist() == ["200000002", "200000001", "200000003", "200000004"]
    assert epci["Q219"].tolist() == [2.0, 3.0, 4.0, 6.0]
    assert combine(files, home)["filosofi-dep"][1]["CODGEO"].tolist() == ["44", "49", "53"]


@pytest.mark.django_db
def test_departement_list_in_french_and_unknown_codes_named():
    assert departement_codes("90, 2a,90") == SMALL
    assert len(departement_codes("all")) == 101
    with pytest.raises(ValueError, match="« 99 »"):
        departement_codes("44,99")
    with pytest.raises(ValueError, match="« 99 », « 2C »"):
        departement_codes("99,2C,44")


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_of_two_departements(settings, tmp_path):
    settings.WORKSPACE = tmp_path
    files_before = ImportedFile.objects.count()
    lines = build_national_demo(SMALL)
    assert len(lines) < 40  # a line per source, not a report per département
    folder = tmp_path / "demo" / "2A-90"
    single = {
        code: simulate_departement(code, _communes(code), _departement_row(code)) for code in SMALL
    }
    for source, (name, _, sep) in single["90"].items():
        written = pd.read_csv(folder / name, sep=sep, dtype=str, keep_default_na=False)
        alone = pd.concat([single[code][source][1] for code in SMALL], ignore_index=True)
        alone = alone.astype(str).replace("nan", "")
        if source != "filosofi-epci":  # no territory of another kind simulated twice here
            assert len(written) == len(alone), source
        # every row of each département's own demo is in the national file, unchanged
        merged = written.merge(alone.drop_duplicates(), how="inner")
        assert len(merged) == len(written), source
    births = pd.read_csv(folder / "naissances_simulees_com.csv", dtype=str)
    assert set(births["code"].str[:2]) == {"2A", "90"}
    stored = Observation.objects.filter(file__file_name="2A-90-naissances_simulees_com.csv")
    assert stored.count() == len(births) * 8
    assert ImportedFile.objects.count() == files_before + 22  # one file per source
    users = get_user_model()
    for code in SMALL:
        pilot = Profile.objects.get(user=users.objects.get(username=f"demo-{code}@sdsf.local"))
        assert pilot.organisation.departement == code
        assert Scheme.objects.filter(departement=code).count() == 1
    # the one-département accounts stay those of the demo of 44
    assert Profile.objects.get(user__username="demo@sdsf.local").organisation.departement == "44"

    counts = (Observation.objects.count(), ImportedFile.objects.count(), Scheme.objects.count())
    again = build_national_demo(SMALL)
    assert sum("déjà importé" in line for line in again) == 22
    assert (Observation.objects.count(), ImportedFile.objects.count(), Scheme.objects.count()) == (
        counts
    )
