"""Property: no file sent to the import page breaks it. Generated uploads (garbage bytes, CSV of
a registry with odd codes and values, compressed or not, any source, level and year) give a
page, never a 500; an import that is refused, or that waits for a confirmation, stores nothing;
the import's own page survives any operation posted to it."""

from __future__ import annotations

import gzip

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from sdsf.sources.registry import SOURCES
from sdsf.web.apps.datasets.models import ImportedFile, ImportJob, Observation

CODES = st.sampled_from(["44109", "44020", "44184", "49007", "75056", "2A004", "99999", "", "x"])
VALUES = st.one_of(
    st.integers(min_value=-10, max_value=10**7).map(str),
    st.sampled_from(["", "s", "nan", "inf", "-inf", "1e999", "12,5", "1 234", "abc", "=1+1"]),
)
YEARS = st.one_of(st.integers(min_value=1985, max_value=2105).map(str), st.sampled_from(["", "23"]))
REGISTRY_HEADERS = {
    "garde-domicile": "annee;code_commune;enfants_garde_domicile",
    "prescolarisation": "annee;code_commune;enfants_2_ans_scolarises",
    "enfants-moins-3-ans": "annee;code_commune;enfants_moins_3_ans",
}


@st.composite
def registry_files(draw: st.DrawFn) -> tuple[str, bytes]:
    source = draw(st.sampled_from(sorted(REGISTRY_HEADERS)))
    rows = draw(st.lists(st.tuples(YEARS, CODES, VALUES), min_size=0, max_size=6))
    text = REGISTRY_HEADERS[source] + "\n" + "".join(f"{y};{c};{v}\n" for y, c, v in rows)
    data = text.encode(draw(st.sampled_from(["utf-8", "cp1252"])))
    return source, gzip.compress(data) if draw(st.booleans()) else data


UPLOADS = st.one_of(
    registry_files(),
    st.tuples(st.sampled_from([*SOURCES, "inconnue", ""]), st.binary(min_size=0, max_size=400)),
)


def fingerprint() -> tuple[int, int]:
    return ImportedFile.objects.count(), Observation.objects.count()


class ImportPropertyTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.pilot = get_user_model().objects.get(username="demo@sdsf.local")

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],  # a real import takes a second or more
    )
    @given(
        upload=UPLOADS,
        name=st.sampled_from(["f.csv", "f.csv.gz", "f.xlsx", "f.zip", "é 2023 ;.csv", ".csv"]),
        level=st.sampled_from(["", "commune", "epci", "niveau"]),
        year=st.sampled_from(["", "2023", "-5", "99999999999", "abc"]),
    )
    def test_no_upload_breaks_the_import_page(self, upload, name, level, year) -> None:
        source, data = upload
        self.client.force_login(self.pilot)
        before = fingerprint()
        jobs = ImportJob.objects.count()
        response = self.client.post(
            "/donnees/importer/",
            {
                "source": source,
                "fichier": SimpleUploadedFile(name, data),
                "niveau": level,
                "annee": year,
            },
            follow=True,
        )
        assert response.status_code in (200, 413), response.status_code
        job = ImportJob.objects.order_by("-pk").first()
        if ImportJob.objects.count() == jobs:  # refused by the form: nothing queued
            assert fingerprint() == before
            assert "Aucun import lancé" in response.content.decode()
            return
        assert job is not None and not job.active
        if job.status != ImportJob.DONE:
            assert fingerprint() == before, (job.status, job.error)
            assert job.error or job.status == ImportJob.TO_CONFIRM
        for op in ("annuler", "confirmer", "rien", ""):
            page = self.client.post(f"/donnees/imports/{job.pk}/", {"op": op}, follow=True)
            assert page.status_code == 200
