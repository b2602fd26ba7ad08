"""The newest edition is in force, whatever the order of the imports (issue 14, point 3).

Cnaf files in the published layout of ``txcouv_pe_dep`` (SOURCES.md): the 2017-2022 edition
publishes first-edition 2022 rates, the 2022-2023 edition revises them (Paris 78.2 -> 77.7).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from sdsf.cli.main import app
from sdsf.core import columns as c
from sdsf.sources.editions import EditionError, edition_label, parse_edition
from sdsf.sources.errors import SourceError
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.datasets.models import (
    ImportedFile,
    Observation,
    Replacement,
    SupersededObservation,
)
from sdsf.web.www.forms import UploadForm
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db
CAF_DEP = "caf/txcouv_pe_dep_2022_2023.csv.gz"
HEADER = (
    "Date référence;Numéro Département;Nom Département;Numéro Région;Nom Région;"
    "Taux de couv EAJE PSU;Taux de couv hors EAJE PSU;Taux de couv EAJE - ensemble;"
    "Taux de couv préscolarisation;Taux de couv assistante maternelle;"
    "Taux de couv salariée à domicile;Taux de couv accueil individuel - ensemble;"
    "Taux de couv global"
)
SAONE = "71;SAONE ET LOIRE;27;BOURGOGNE FRANCHE COMTE"
PARIS = "75;PARIS;11;ILE DE FRANCE"


def cnaf_file(path, rows: list[str], line_end: str = "\n"):
    """A Cnaf département file as published: ``;``, UTF-8 with BOM."""
    path.write_bytes(("\ufeff" + line_end.join([HEADER, *rows]) + line_end).encode("utf-8"))
    return path


def first_edition(tmp_path):
    """Edition 2017-2022: Saône-et-Loire 2022 = 72.1 (first edition)."""
    rows = [
        f"{year};{SAONE};14.0;4.0;18.0;6.0;45.0;0.8;45.8;{rate}"
        for year, rate in [
            (2017, 68.0),
            (2018, 68.9),
            (2019, 69.5),
            (2020, 70.2),
            (2021, 71.0),
            (2022, 72.1),
        ]
    ]
    return cnaf_file(tmp_path / "txcouv_pe_dep_2017_2022.csv", rows)


def second_edition(tmp_path):
    """Edition 2022-2023: Saône-et-Loire 2022 revised to 71.1 (as in the real file)."""
    return cnaf_file(
        tmp_path / "txcouv_pe_dep_2022_2023.csv",
        [
            f"2023;{SAONE};15.1;5.2;20.3;4.9;44.6;0.9;45.5;70.6",
            f"2022;{SAONE};15.0;4.3;19.3;5.8;45.2;0.8;46.0;71.1",
        ],
    )


def in_force(code: str, year: int, variable: str = c.RATE_GLOBAL) -> float:
    return Observation.objects.get(
        dataset="txcouv_pe_dep", variable=variable, level=c.DEPARTEMENT, code=code, year=year
    ).value


def history(code: str, year: int, variable: str = c.RATE_GLOBAL) -> list[tuple[float, str]]:
    return list(
        SupersededObservation.objects.filter(
            dataset="txcouv_pe_dep", variable=variable, level=c.DEPARTEMENT, code=code, year=year
        ).values_list("value", "superseded_by__file_name")
    )


def test_editions_are_years_or_dates_in_french():
    assert parse_edition("2024") == "2024"
    assert parse_edition(" 15/03/2024 ") == "2024-03-15"
    assert parse_edition(2023) == "2023"
    assert edition_label("2024-03-15") == "15/03/2024"
    assert parse_edition("2023") < parse_edition("01/01/2023") < parse_edition("2024")
    for bad in ("1989", "2101", "31/02/2024", "2024-03-15", "mars 2024", "24"):
        with pytest.raises(EditionError, match="attendu une année \\(1990 à 2100\\)"):
            parse_edition(bad)


def test_a_file_knows_its_edition_its_last_year(tmp_path):
    older = import_file("caf-couverture", first_edition(tmp_path), user=SYSTEM).file
    report = import_file("caf-couverture", second_edition(tmp_path), user=SYSTEM)
    assert (older.edition, report.file.edition) == ("2022", "2023")
    assert "(Cnaf, txcouv_pe_dep, édition 2023)" in report.lines()[0]


def test_newer_then_older_keeps_the_newer_in_force_and_the_older_in_history(tmp_path):
    newer = import_file("caf-couverture", second_edition(tmp_path), user=SYSTEM).file
    report = import_file("caf-couverture", first_edition(tmp_path), user=SYSTEM)
    assert in_force("71", 2022) == 71.1
    assert in_force("71", 2021) == 71.0  # only the older edition publishes 2021: in force
    assert history("71", 2022) == [(72.1, newer.file_name)]
    text = "\n".join(report.lines())
    assert (
        "8 valeurs de 2022 non retenues (département, 1 territoire) : l'édition 2023 de "
        "« txcouv_pe_dep_2022_2023.csv » est plus récente" in text
    )
    record = Replacement.objects.get(old_file=report.file, new_file=newer)
    assert (record.kind, record.year, record.values_replaced) == (Replacement.NOT_KEPT, 2022, 8)
    assert report.file.active  # its 2017-2021 values are in force
    # Importing it again changes nothing (its 2022 values are not stored twice).
    again = import_file("caf-couverture", first_edition(tmp_path), user=SYSTEM)
    assert again.already_imported
    assert len(history("71", 2022)) == 1


def test_older_then_newer_gives_the_newer_too(tmp_path):
    older = import_file("caf-couverture", first_edition(tmp_path), user=SYSTEM).file
    report = import_file("caf-couverture", second_edition(tmp_path), user=SYSTEM)
    assert in_force("71", 2022) == 71.1
    assert in_force("71", 2023) == 70.6
    assert in_force("71", 2021) == 71.0
    assert history("71", 2022) == [(72.1, report.file.file_name)]
    assert any(
        "remplacées par l'édition 2023, plus récente que la sienne (2022)" in line
        for line in report.lines()
    )
    record = Replacement.objects.get(old_file=older, new_file=report.file)
    assert (record.kind, record.year) == (Replacement.REPLACED, 2022)


def test_a_file_wholly_of_an_older_edition_is_not_in_force(tmp_path):
    import_file("caf-couverture", second_edition(tmp_path), user=SYSTEM)
    only_2022 = cnaf_file(
        tmp_path / "txcouv_pe_dep_2022.csv", [f"2022;{SAONE};15.0;4.3;19.3;5.8;45.2;0.8;46.0;72.1"]
    )
    report = import_file("caf-couverture", only_2022, user=SYSTEM, edition="2022")
    assert in_force("71", 2022) == 71.1
    assert not report.file.active
    assert import_file("caf-couverture", only_2022, user=SYSTEM).already_imported


def test_the_real_revised_file_wins_over_the_first_edition(tmp_path):
    first = cnaf_file(
        tmp_path / "txcouv_pe_dep_2021_2022.csv",
        [
            f"2022;{PARIS};54.2;4.0;58.2;1.4;4.8;13.8;18.6;78.2",
            f"2021;{PARIS};53.0;3.9;56.9;1.5;4.9;13.9;18.8;77.0",
        ],
    )
    import_file("caf-couverture", first, user=SYSTEM)
    assert in_force("75", 2022) == 78.2
    import_file("caf-couverture", shared_file(CAF_DEP), user=SYSTEM)
    assert in_force("75", 2022) == 77.7
    assert in_force("75", 2021) == 77.0
    assert import_file("caf-couverture", first, user=SYSTEM).already_imported
    assert in_force("75", 2022) == 77.7
    # The same first edition as another file (Windows line ends): still not in force.
    copy = cnaf_file(
        tmp_path / "copie_2021_2022.csv",
        first.read_text(encoding="utf-8-sig").splitlines()[1:],
        line_end="\r\n",
    )
    report = import_file("caf-couverture", copy, user=SYSTEM)
    assert not report.already_imported
    assert in_force("75", 2022) == 77.7
    assert any("non retenue" in line for line in report.lines())


def test_a_given_edition_decides_and_a_bad_one_is_refused_in_french(tmp_path):
    import_file("caf-couverture", second_edition(tmp_path), user=SYSTEM)
    before = (ImportedFile.objects.count(), Observation.objects.count())
    with pytest.raises(SourceError) as error:
        import_file("caf-couverture", first_edition(tmp_path), user=SYSTEM, edition="13/2024")
    assert "édition invalide" in error.value.french()
    assert "attendu : une année (1990 à 2100) ou une date JJ/MM/AAAA" in error.value.french()
    assert (ImportedFile.objects.count(), Observation.objects.count()) == before
    # Given as newer (a late republication of 2017-2022), it wins.
    report = import_file("caf-couverture", first_edition(tmp_path), user=SYSTEM, edition="2024")
    assert report.file.edition == "2024"
    assert in_force("71", 2022) == 72.1


def test_cli_edition_option(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(
        app, ["import", "caf-couverture", str(first_edition(tmp_path)), "--edition", "15/03/2024"]
    )
    assert ok.exit_code == 0, ok.output
    assert "édition 15/03/2024" in ok.output
    assert ImportedFile.objects.filter(edition="2024-03-15").exists()
    bad = runner.invoke(
        app, ["import", "caf-couverture", str(second_edition(tmp_path)), "--edition", "bientôt"]
    )
    assert bad.exit_code != 0
    assert "édition invalide" in bad.output
    assert "trouvé : « bientôt »" in bad.output
    assert "Traceback" not in bad.output


def test_upload_form_checks_the_edition():
    form = UploadForm({"source": "caf-couverture", "edition": "2025"})
    form.is_valid()
    assert form.cleaned_data["edition"] == "2025"
    form = UploadForm({"source": "caf-couverture", "edition": "32/01/2024"})
    assert not form.is_valid()
    assert form.errors["edition"] == [
        "Édition invalide « 32/01/2024 » : attendu une année (1990 à 2100) ou une date JJ/MM/AAAA."
    ]


def test_data_page_tells_editions_and_what_supersedes(client, tmp_path):
    newer = import_file("caf-couverture", second_edition(tmp_path), user=SYSTEM).file
    import_file("caf-couverture", first_edition(tmp_path), user=SYSTEM)
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    html = client.get("/donnees/").content.decode()
    assert "<th>Édition</th>" in html
    assert (
        "8 valeurs non en vigueur : l'édition 2023 de « txcouv_pe_dep_2022_2023.csv » est plus "
        "récente." in html
    )
    assert "non retenues : l'édition 2023 de « txcouv_pe_dep_2022_2023.csv »" in html
    assert newer.file_name in html


def test_a_local_file_is_dated_by_its_import_a_published_one_by_its_last_year():
    import pandas as pd
    from django.utils import timezone

    from sdsf.sources.base import ParsedFile
    from sdsf.web.apps.datasets.services import default_edition

    obs = pd.DataFrame({c.LEVEL: [c.COMMUNE] * 2, c.CODE: ["44109"] * 2, c.YEAR: [2022, 2023]})
    registry = ParsedFile("eaje", "Caf", "registre_eaje", "eaje.csv", obs)
    published = ParsedFile("insee-population", "Insee", "populations_legales_com", "p.csv", obs)
    assert default_edition(registry) == timezone.localdate().isoformat()
    assert default_edition(published) == "2023"


def test_upload_with_an_edition(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))

    def send(edition: str) -> str:
        upload = SimpleUploadedFile("txcouv_pe_dep.csv", b"annee;numdep;txcouv_dep\n2023;44;61.0\n")
        data = {"source": "caf-couverture", "fichier": upload, "edition": edition}
        return client.post("/donnees/importer/", data, follow=True).content.decode()

    assert "Édition invalide « 2023-13 »" in send("2023-13")
    assert "Import terminé" in send("15/03/2024")
    assert ImportedFile.objects.get(file_name="txcouv_pe_dep.csv").edition == "2024-03-15"
