"""Registries of the diagnostic: family services, optional EAJE and childminder fields, and the
Cnaf IRIS file (real, from ../shared/data)."""

from __future__ import annotations

import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.sources.cnaf_iris import read_caf_iris
from sdsf.sources.errors import SourceError
from sdsf.sources.templates import read_template
from tests.conftest import shared_file


def values(parsed):
    return parsed.observations.set_index([c.CODE, c.VARIABLE])[c.VALUE]


def test_services_are_counted_by_type_and_commune(reference, tmp_path):
    path = tmp_path / "services.csv"
    path.write_text(
        "annee;type;nom;code_commune;latitude;longitude;public_touche\n"
        "2023;laep;LAEP A;44109;47.21;-1.55;120\n"
        "2023;LAEP;LAEP B;44109;;;\n"
        "2023;Relais petite enfance;RPE Nord;44020;;;40\n"
        "2023;médiation familiale;Médiation;44184;;;\n",
        encoding="utf-8",
    )
    parsed = read_template(path, "services-parentalite", reference)
    obs = values(parsed)
    assert obs[("44109", "services_laep")] == 2
    assert obs[("44020", "services_relais")] == 1
    assert obs[("44184", "services_mediation")] == 1
    assert ("44001", "services_laep") not in obs  # absent: kept if known, else an implicit 0
    implicit = parsed.implicit.set_index([c.CODE, c.VARIABLE])[c.VALUE]
    assert implicit[("44001", "services_laep")] == 0
    assert obs[("44109", "public_touche_services")] == 120
    assert sorted(parsed.records["type"]) == ["laep", "laep", "mediation", "relais"]


def test_unknown_service_type_is_refused(reference, tmp_path):
    path = tmp_path / "services.csv"
    path.write_text("annee;type;nom;code_commune\n2023;garderie;X;44109\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        read_template(path, "services-parentalite", reference)
    text = error.value.french()
    assert "ligne 2" in text and "colonne « type »" in text and "laep, reaap" in text


def test_optional_eaje_fields_give_declared_shares(reference, tmp_path):
    path = tmp_path / "eaje.csv"
    path.write_text(
        "annee;nom;code_commune;psu;places;part_enfants_pauvres;enfants_handicap;projet_inclusif;"
        "disponibilites_publiees;salaries_etp\n"
        "2023;A;44109;oui;40;5;2;oui;oui;10,5\n"
        "2023;B;44109;oui;20;20;;non;;4\n"
        "2023;C;44109;non;10;;1;;non;\n",
        encoding="utf-8",
    )
    parsed = read_template(path, "eaje", reference)
    obs = values(parsed)
    assert obs[("44109", "places_pauvrete_renseignee_eaje")] == 60  # C did not declare
    assert obs[("44109", "places_enfants_pauvres_eaje")] == pytest.approx(40 * 0.05 + 20 * 0.2)
    assert obs[("44109", "enfants_handicap_eaje")] == 3
    assert obs[("44109", "places_handicap_renseigne_eaje")] == 50
    assert obs[("44109", "eaje_projet_inclusif")] == 1
    assert obs[("44109", "eaje_inclusif_renseigne")] == 2
    assert obs[("44109", "eaje_disponibilites_publiees")] == 1
    assert obs[("44109", "salaries_eaje_etp")] == pytest.approx(14.5)
    record = parsed.records.set_index("nom")
    assert (
        pd.isna(record.loc["C", "part_enfants_pauvres"]) and record.loc["A", "projet_inclusif"] == 1
    )


def test_an_optional_column_left_empty_gives_no_variable(reference, tmp_path):
    path = tmp_path / "eaje.csv"
    path.write_text(
        "annee;nom;code_commune;psu;places;part_enfants_pauvres\n2023;A;44109;oui;40;\n",
        encoding="utf-8",
    )
    variables = set(read_template(path, "eaje", reference).observations[c.VARIABLE])
    assert "places_pauvrete_renseignee_eaje" not in variables  # unknown, never 0 %


def test_poor_share_above_100_is_refused(reference, tmp_path):
    path = tmp_path / "eaje.csv"
    path.write_text(
        "annee;nom;code_commune;psu;places;part_enfants_pauvres\n2023;A;44109;oui;40;120\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="pourcentage supérieur à 100"):
        read_template(path, "eaje", reference)


def test_childminders_age_column(reference, tmp_path):
    path = tmp_path / "am.csv"
    path.write_text(
        "annee;code_commune;assistantes_maternelles;places_moins_3_ans;"
        "assistantes_maternelles_55_ans_et_plus\n2023;44109;100;280;30\n2023;44020;10;28;\n",
        encoding="utf-8",
    )
    parsed = read_template(path, "assistantes-maternelles", reference)
    obs = values(parsed)
    assert obs[("44109", "assistantes_maternelles_55_ans_et_plus")] == 30
    assert obs[("44109", "assistantes_maternelles_age_renseigne")] == 100
    assert pd.isna(obs[("44020", "assistantes_maternelles_55_ans_et_plus")])  # not given
    implicit = parsed.implicit.set_index([c.CODE, c.VARIABLE])[c.VALUE]
    assert implicit[("44001", "assistantes_maternelles_55_ans_et_plus")] == 0  # none known


def test_real_caf_iris_file_is_summed_to_communes(reference):
    path = shared_file("caf/caf_allocataires_iris_2020.csv.gz")
    parsed = read_caf_iris(path, reference, display_name="caf_allocataires_iris_2020.csv.gz")
    obs = values(parsed)
    assert set(parsed.observations[c.YEAR]) == {2020}
    # Ambérieu-en-Bugey (01004) and its four published IRIS.
    assert obs[("01004", "allocataires_caf")] == 501 + 1109 + 1015 + 907
    assert obs[("01004", "familles_monoparentales_caf")] == 66 + 176 + 193 + 144
    assert obs[("01004", "enfants_0_2_ans_caf")] == 76 + 207 + 175 + 178
    # Paris arrondissements are summed into Paris (75056), never double counted.
    assert ("75056", "allocataires_caf") in obs.index
    assert not parsed.observations[c.CODE].str.startswith("751").any()


def test_caf_iris_bad_code_is_refused(reference, tmp_path):
    path = tmp_path / "iris_2020.csv"
    path.write_text("CODGEO;A;AM;ACAVENF\n0100401;5;1;2\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        read_caf_iris(path, reference)
    assert "code IRIS invalide" in error.value.french() and "ligne 2" in error.value.french()
