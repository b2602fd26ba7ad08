"""A real browser (Debian's chromium, headless) logs in and sees the map of the demo."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sdsf.demo.build import DEMO_EMAIL, DEMO_PASSWORD
from tests.conftest import DEMO_DEPARTEMENT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser]


@pytest.fixture
def page(live_server):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium absent en CI")
        pytest.skip("chromium absent")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser.new_page(viewport={"width": 1400, "height": 1000})
        browser.close()


def test_login_map_table_and_diagnostic(page, live_server, tmp_path, settings):
    """One scenario: live-server tests flush the database when they end (pytest-django runs
    them last), so the whole walk is one test."""
    page.goto(f"{live_server.url}/departements/{DEMO_DEPARTEMENT}/")
    assert "/connexion/" in page.url
    page.fill("#id_username", DEMO_EMAIL)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/departements/{DEMO_DEPARTEMENT}/**")
    page.wait_for_selector("#carte[data-loaded]", timeout=15000)
    shapes = page.locator("#carte path.leaflet-interactive")
    assert shapes.count() > 200
    assert page.locator("#bandeau-simule").is_visible()
    # tooltip with the five components
    shapes.nth(0).hover(force=True)
    page.wait_for_selector(".leaflet-tooltip", timeout=5000)
    assert "Assistantes maternelles" in page.locator(".leaflet-tooltip").inner_text()
    out = Path(os.environ.get("SDSF_SCREENSHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "departement.png"))
    # the table filters as one types (accents ignored)
    page.fill("#filtre", "nantes")
    visible = page.locator("#territoires tbody tr:visible")
    assert 0 < visible.count() < 10
    assert "Nantes" in visible.first.inner_text()
    page.fill("#filtre", "")
    # sortable table
    page.click("#territoires th:nth-child(3)")
    assert page.locator("#territoires th:nth-child(3)").get_attribute("aria-sort") == "ascending"
    walk_the_diagnostic(page, live_server, out)
    decide_the_priority_map(page, live_server, out)
    run_a_schema_cycle(page, live_server, out)
    write_the_schema_document(page, live_server, out, settings, tmp_path)


def walk_the_diagnostic(page, live_server, out: Path) -> None:
    """From the département page, every theme of the diagnostic, then an EPCI and its fiche."""
    from sdsf.parameters.indicators import catalogue

    page.goto(f"{live_server.url}/departements/{DEMO_DEPARTEMENT}/")
    page.click("#lien-diagnostic")
    page.wait_for_url("**/diagnostic/territoire/**")
    for key, theme in catalogue().themes.items():
        page.click(f".fr-sidemenu__link:has-text('{theme.title}')")
        page.wait_for_url(f"**/diagnostic/{key}/**")
        page.wait_for_selector("#carte[data-loaded]", timeout=15000)
        assert page.locator("#carte path.leaflet-interactive").count() > 200
        assert page.locator("#synthese li").count() >= 2
        assert page.locator("#legende li").count() >= 2
        page.screenshot(path=str(out / f"diagnostic_{key}.png"), full_page=False)
    # another indicator on the map, then the EPCI level with one EPCI described
    page.select_option("#indicateur", "salaries_eaje_etp")
    page.wait_for_url("**indicateur=salaries_eaje_etp**")
    page.check("#niveau-epci", force=True)
    page.wait_for_url("**niveau=epci**")
    page.wait_for_selector("#carte[data-loaded]", timeout=15000)
    first = page.locator("#territoire option").nth(1).get_attribute("value")
    page.select_option("#territoire", first)
    page.wait_for_url(f"**territoire={first}**")
    assert page.locator("#chiffres-cles thead th:has-text('Département')").count() == 1
    # sort the table, then open a fiche from it
    page.click("#territoires th:nth-child(3)")
    assert page.locator("#territoires th:nth-child(3)").get_attribute("aria-sort") == "ascending"
    page.locator("#territoires tbody a").first.click()
    page.wait_for_url("**/territoires/epci/**")
    page.wait_for_selector("#carte[data-loaded]", timeout=15000)
    assert page.locator(".sdsf-fiche-section").count() == len(catalogue().themes)
    page.screenshot(path=str(out / "fiche_epci.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator(".fr-header").is_visible()  # print CSS hides the chrome


def decide_the_priority_map(page, live_server, out: Path) -> None:
    """Rules, map and sensitivity; a proposal, one manual change, the committee's validation."""
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/departements/{DEMO_DEPARTEMENT}/")
    page.goto(live_server.url + page.locator("#lien-priorites").get_attribute("href"))
    page.wait_for_selector("#carte[data-loaded]", timeout=15000)
    assert page.locator("#carte path.leaflet-interactive").count() > 200
    assert page.locator("#sensibilite tbody tr").count() == 12  # 3 criteria x 4 moves
    page.screenshot(path=str(out / "priorites.png"), full_page=False)
    page.click("#proposer")
    page.wait_for_url("**/priorites/versions/*/")
    page.select_option("#modification", "ajout")
    option = page.locator("#territoire option:not(:has-text('— prioritaire'))").first
    page.select_option("#territoire", option.get_attribute("value"))
    page.fill("#justification", "Quartier en forte croissance, aucune crèche à moins de 3 km.")
    page.click("#form-modification button[type=submit]")
    page.wait_for_selector("#modifications li")
    page.fill("#seance", "Comité départemental des services aux familles du 15 juin 2026")
    page.fill("#decision", "Le comité adopte la carte des territoires prioritaires.")
    page.click("#form-validation button[type=submit]")
    page.wait_for_selector("#decision")
    assert page.locator("#form-modification").count() == 0  # immutable from now on
    page.wait_for_selector("#carte[data-loaded]", timeout=15000)
    hatched = page.locator("#carte path[fill^='url(']")
    assert hatched.count() == 1  # the territory changed by hand
    page.screenshot(path=str(out / "priorites_version.png"), full_page=False)


def run_a_schema_cycle(page, live_server, out: Path) -> None:
    """A pilot of another département: create the schéma, add and invite a partner, add an
    action with an indicator, record a meeting and its decision, enter a value, see the
    dashboard."""
    from django.contrib.auth import get_user_model
    from django.core import mail

    from sdsf.web.apps.accounts.models import Organisation, Profile

    org = Organisation.objects.create(departement="49", kind="caf", name="Caf (Maine-et-Loire)")
    pilot = get_user_model().objects.create_user(
        "pilote49@caf.fr", "pilote49@caf.fr", "Schema-familles-2026", first_name="Lou"
    )
    Profile.objects.create(user=pilot, organisation=org, role="pilote")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", "pilote49@caf.fr")
    page.fill("#id_password", "Schema-familles-2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/departements/")
    base = f"{live_server.url}/departements/49/schema"
    page.goto(base + "/")
    page.fill("#creer-schema #id_start", "2026-01-05")
    page.select_option("#creer-schema #id_template", "renouvellement-6-ans")
    page.click("#creer-schema button[type=submit]")
    page.wait_for_selector("#phases")
    assert page.locator("#phases tbody tr").count() == 9
    # a partner organisation, then an invitation sent to one of its people
    page.click("#nav-partenaires")
    page.fill("#form-organisation #id_name", "Conseil départemental (Maine-et-Loire)")
    page.select_option("#form-organisation #id_kind", "conseil_departemental")
    page.click("#form-organisation button[type=submit]")
    page.wait_for_selector("#organisations li:has-text('Conseil départemental')")
    page.fill("#form-invitation #id_email", "partenaire@maine-et-loire.fr")
    page.select_option(
        "#form-invitation #id_organisation", label="Conseil départemental (Maine-et-Loire)"
    )
    page.select_option("#form-invitation #id_role", "contributeur")
    page.click("#form-invitation button[type=submit]")
    page.wait_for_selector("#invitations li:has-text('partenaire@maine-et-loire.fr')")
    assert any("partenaire@maine-et-loire.fr" in m.to for m in mail.outbox)
    # an action
    page.click("#nav-plan")
    page.select_option("#form-action #id_orientation", index=1)
    page.fill("#form-action #id_title", "Ouvrir deux LAEP dans les EPCI ruraux")
    page.fill("#form-action #id_objective", "Un lieu d'accueil enfants-parents par EPCI.")
    page.select_option("#form-action #id_pilot", label="Caf (Maine-et-Loire)")
    page.fill("#form-action #id_expected_result", "Deux LAEP ouverts fin 2027.")
    page.click("#form-action button[type=submit]")
    page.wait_for_url("**/schema/actions/*/")
    page.fill("#form-indicateur #id_ind-label", "LAEP ouverts")
    page.fill("#form-indicateur #id_ind-targets", "2026: 1, 2027: 2")
    page.click("#form-indicateur button[type=submit]")
    page.wait_for_selector(".sdsf-indicator:has-text('LAEP ouverts')")
    page.locator("details:has(.form-valeur) summary").first.click()
    page.locator(".form-valeur input[name='valeur-year']").first.fill("2026")
    page.locator(".form-valeur input[name='valeur-value']").first.fill("1")
    page.locator(".form-valeur input[name='valeur-source']").first.fill("bilan 2026")
    page.locator(".form-valeur button[type=submit]").first.click()
    page.wait_for_selector(".sdsf-indicator:has-text('cible 2026 atteinte')")
    page.screenshot(path=str(out / "schema_action.png"), full_page=True)
    # a committee meeting and its decision
    page.click("#nav-comite")
    page.fill("#nouvelle-reunion #id_date", "2026-03-12")
    page.click("#nouvelle-reunion button[type=submit]")
    page.wait_for_url("**/schema/comite/*/")
    page.select_option("#form-decision #id_kind", "orientations_actions")
    page.fill("#form-decision #id_text", "Le comité valide les orientations et l'action.")
    page.click("#form-decision button[type=submit]")
    page.wait_for_selector('#decisions li:has-text("Plan d\'action, version 1")')
    # the dashboard
    page.click("#nav-tableau")
    page.wait_for_selector("#objectifs-nationaux")
    assert page.locator("#indicateurs .sdsf-chart").count() == 1
    assert "1" in page.locator("#actions-etat").inner_text()
    page.screenshot(path=str(out / "schema_tableau.png"), full_page=True)


def write_the_schema_document(page, live_server, out: Path, settings, tmp_path: Path) -> None:
    """The pilot types the editorial, asks for the schéma in DOCX, PDF and HTML, watches it
    being written by a worker process (the database queue, as in production), which is killed
    while writing and started again: the document is resumed at once, and the HTML holds the
    editorial and the action created above."""
    import signal
    import time

    from sdsf.web.apps.documents.models import DocumentJob
    from tests.workers import DATABASE_QUEUE, start_worker

    settings.TASKS = DATABASE_QUEUE
    log = tmp_path / "worker.log"
    worker = start_worker(settings, log)
    page.click("#nav-documents")
    page.fill(
        "#form-textes textarea[name='textes-editorial']",
        "Le schéma de Maine-et-Loire engage ses partenaires.",
    )
    page.click("#form-textes button[type=submit]")
    page.wait_for_selector("#messages:has-text('Textes du schéma enregistrés')")
    page.click("label:has-text('HTML autonome')")
    page.click("#produire")
    page.wait_for_selector("#messages:has-text('Document demandé')")
    job = DocumentJob.objects.latest("pk")
    deadline = time.monotonic() + 120
    while DocumentJob.objects.get(pk=job.pk).status != DocumentJob.RUNNING:
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
    worker.send_signal(signal.SIGKILL)  # the machine restarts while the schéma is written
    worker.wait()
    assert DocumentJob.objects.get(pk=job.pk).status == DocumentJob.RUNNING
    worker = start_worker(settings, log)
    try:
        # the page refreshes itself until the files are listed
        link = page.wait_for_selector("#documents a:has-text('HTML')", timeout=120000)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    resumed = DocumentJob.objects.get(pk=job.pk)
    assert resumed.status == DocumentJob.DONE
    assert page.locator("#documents a:has-text('PDF')").count() == 1
    page.screenshot(path=str(out / "schema_documents.png"), full_page=True)
    html = page.request.get(live_server.url + link.get_attribute("href")).text()
    assert "Le schéma de Maine-et-Loire engage ses partenaires." in html
    assert "Ouvrir deux LAEP dans les EPCI ruraux" in html
