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


def test_login_map_table_and_diagnostic(page, live_server, tmp_path):
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
    assert page.locator("#chiffres-cles th:has-text('Département')").count() == 1
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
    page.wait_for_url("**/priorites/versions/1/")
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
