"""Load scenario: logged-in users of a département browsing the main pages (locust).

Each simulated user logs in once, at start, through the real login form (GET for the CSRF
token, then POST), with one of the demo accounts in turn (pilot, committee member,
contributor, reader, national reader; suffixed by département, ``demo-44@sdsf.local``, in a
demo of several départements: ``SDSF_CHARGE_SUFFIXE``), then reads pages with a think time
of 1 to 3 s: the département page and its map GeoJSON (fetched by the page), the diagnostic
index and its theme pages, a commune fiche, the priorities, the schéma pages and the data
page.

A failure is any status outside 2xx/3xx, or a page that is in fact an error page in French
(server error, busy database, page not found, access refused), or the login page (the
session was lost). Every response time is written, raw, to the file named by
``SDSF_CHARGE_MESURES`` (JSON lines) so that run.py computes exact percentiles.

Run by benchmarks/load/run.py; alone:
``locust -f benchmarks/load/locustfile.py --headless -u 50 -r 5 -t 3m -H http://127.0.0.1:8000``.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time

from locust import HttpUser, between, events, task
from scenario import ERROR_TITLES, PASSWORD, THEMES, accounts

DEPARTEMENT = os.environ.get("SDSF_CHARGE_DEPARTEMENT", "44")
COMMUNE = os.environ.get("SDSF_CHARGE_COMMUNE", "44109")
# "" for the demo of one département, "-44" when the accounts are suffixed (several).
SUFFIX = os.environ.get("SDSF_CHARGE_SUFFIXE", "")
TITLE = re.compile(r"<title>\s*(.*?)\s*</title>", re.S)

_accounts = itertools.cycle(accounts(SUFFIX))
_accounts_lock = threading.Lock()
_measures = None
_measures_lock = threading.Lock()


@events.test_start.add_listener
def _open_measures(environment, **_kwargs):
    global _measures
    path = os.environ.get("SDSF_CHARGE_MESURES")
    if path:
        _measures = open(path, "a", encoding="utf-8")  # noqa: SIM115 (closed at test stop)


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **_kwargs):
    if _measures is None:
        return
    line = json.dumps(
        {
            "t": time.time(),
            "nom": name,
            "methode": request_type,
            "ms": response_time,
            "octets": response_length,
            "erreur": str(exception) if exception else None,
        },
        ensure_ascii=False,
    )
    with _measures_lock:
        _measures.write(line + "\n")


@events.test_stop.add_listener
def _close_measures(environment, **_kwargs):
    global _measures
    if _measures is not None:
        _measures.close()
        _measures = None


def _failure(response) -> str | None:
    """Why this response is a failure, or None."""
    if response.status_code == 0:  # no answer: the connection failed or was cut
        return f"pas de réponse : {response.error!r}"
    if not 200 <= response.status_code < 400:
        return f"statut {response.status_code}"
    if "/connexion/" in response.url:
        return "renvoyé à la page de connexion (session perdue)"
    if "html" in response.headers.get("Content-Type", ""):
        found = TITLE.search(response.text[:5000])
        title = found.group(1) if found else ""
        for error in ERROR_TITLES:
            if title.startswith(error):
                return f"page d'erreur : « {title} »"
    return None


class Reader(HttpUser):
    """A member of the département's partnership reading the platform."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        with _accounts_lock:
            self.account = next(_accounts)
        self.client.get("/connexion/", name="connexion (formulaire)")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/connexion/",
            data={
                "username": self.account,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": f"{self.host}/connexion/"},
            name="connexion (envoi)",
            catch_response=True,
        ) as response:
            if "sessionid" not in self.client.cookies or "/connexion/" in response.url:
                response.failure(f"connexion refusée pour {self.account}")
            else:
                why = _failure(response)
                if why:
                    response.failure(why)

    def _get(self, path: str) -> None:
        with self.client.get(path, name=path, catch_response=True) as response:
            why = _failure(response)
            if why:
                response.failure(why)

    @task(3)
    def departement(self) -> None:
        # The page, then its map layer (loaded by the page's script).
        self._get(f"/departements/{DEPARTEMENT}/")
        self._get(f"/departements/{DEPARTEMENT}/carte.geojson")

    @task(1)
    def diagnostic(self) -> None:
        self._get(f"/departements/{DEPARTEMENT}/diagnostic/")

    @task(8)
    def theme(self) -> None:
        self._get(f"/departements/{DEPARTEMENT}/diagnostic/{random.choice(THEMES)}/")

    @task(2)
    def fiche(self) -> None:
        self._get(f"/territoires/commune/{COMMUNE}/")

    @task(2)
    def priorites(self) -> None:
        self._get(f"/departements/{DEPARTEMENT}/priorites/")

    @task(1)
    def schema(self) -> None:
        self._get(f"/departements/{DEPARTEMENT}/schema/")

    @task(1)
    def plan(self) -> None:
        self._get(f"/departements/{DEPARTEMENT}/schema/plan/")

    @task(1)
    def tableau_de_bord(self) -> None:
        self._get(f"/departements/{DEPARTEMENT}/schema/tableau-de-bord/")

    @task(1)
    def comite(self) -> None:
        self._get(f"/departements/{DEPARTEMENT}/schema/comite/")

    @task(1)
    def donnees(self) -> None:
        self._get("/donnees/")
