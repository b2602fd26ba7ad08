"""The national instance: cost of one département's work with 1, 8 and 101 départements of data.

Each workspace is built by ``sdsf init`` then ``sdsf demo --departement …`` (44 alone; 44 and
seven départements of the west; all). For each, measured on département 44:

- ``sdsf calcul``: the background refresh after an import (France, régions, every département),
  from an empty cache;
- ``sdsf diagnostic --departement 44`` in a fresh process, figures stored (after the refresh)
  and from an empty cache, with its peak memory;
- pages, by the Django test client in one process, logged in: the first request after an
  import touching the département (the refresh done in the background first, as the worker
  does, then a process that has read nothing yet), then p50/p95 of 15 warm requests;
- ``sdsf couverture --niveau commune --format json`` for all France, and ``sdsf schema`` in
  four formats.

Usage: ``python benchmarks/national.py --workspace /tmp/nat8 --nom 8`` (results added to
benchmarks/national.json); ``--code /path/to/src`` measures another checkout of sdsf (the
« before » of a change: its own CLI, its own pages); ``--rapport`` prints the tables.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "national.json"
DEPARTEMENT = "44"
PAGES = [
    "/departements/44/",
    "/departements/44/carte.geojson",
    "/departements/44/diagnostic/territoire/",
    "/departements/44/diagnostic/accueil/",
    "/departements/44/diagnostic/parentalite/",
    "/departements/44/diagnostic/vulnerabilite/",
    "/departements/44/diagnostic/handicap/",
    "/departements/44/diagnostic/information/",
    "/departements/44/diagnostic/ressources/",
    "/departements/44/diagnostic/emploi/",
    "/territoires/commune/44109/",
    "/departements/44/priorites/",
    "/departements/44/schema/",
    "/departements/44/schema/tableau-de-bord/",
    "/donnees/",
]


def _env(workspace: Path, code: Path | None) -> dict[str, str]:
    env = dict(os.environ, SDSF_WORKSPACE=str(workspace))
    env["DJANGO_SETTINGS_MODULE"] = "sdsf.web.config.settings.local"
    env["SDSF_REFRESH_ON_IMPORT"] = "0"  # the benchmark runs the refresh itself
    if code is not None:
        env["PYTHONPATH"] = str(code)
    return env


def run_timed(
    args: list[str], env: dict[str, str], stdout: Path | None = None
) -> tuple[float, float]:
    """Wall time (s) and peak memory (MB) of ``python -m sdsf.cli args`` in a fresh process
    (its standard output written to ``stdout``, else dropped)."""
    with (stdout or Path(os.devnull)).open("wb") as sink:
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "sdsf.cli", *args],
            env=env,
            stdout=sink,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
        )
    seconds, kilobytes = out.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(kilobytes) / 1024


def _clear_cache(workspace: Path) -> None:
    shutil.rmtree(workspace / "cache", ignore_errors=True)


def measure_commands(workspace: Path, code: Path | None, new: bool) -> dict[str, object]:
    env = _env(workspace, code)
    out: dict[str, object] = {}
    ws = ["--workspace", str(workspace)]
    with tempfile.TemporaryDirectory() as tmp:
        diag = ["diagnostic", "--departement", DEPARTEMENT, "--sortie", f"{tmp}/d", *ws]
        _clear_cache(workspace)
        out["diagnostic_cold"] = run_timed(diag, env)
        if new:
            _clear_cache(workspace)
            out["calcul"] = run_timed(["calcul", *ws], env)
            out["diagnostic_stored"] = run_timed(diag, env)
        france = ["couverture", "--niveau", "commune", "--format", "json", *ws]
        out["couverture_france_json"] = run_timed(france, env, Path(tmp) / "c.json")
        out["schema"] = run_timed(
            ["schema", "--departement", DEPARTEMENT, "--sortie", f"{tmp}/s", *ws], env
        )
    return out


PAGE_SCRIPT = r"""
import json, statistics, subprocess, sys, time
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
from django.contrib.auth import get_user_model
setup_test_environment()
settings.ALLOWED_HOSTS = ["*"]
pages, touch = json.loads(sys.argv[1]), json.loads(sys.argv[2])
user = get_user_model().objects.filter(email__in=["demo@sdsf.local", "demo-44@sdsf.local"]).first()
client = Client()
client.force_login(user)
for page in pages:  # a server that has been running: its code loaded, pages seen
    assert client.get(page).status_code == 200, page
out = subprocess.run(touch, capture_output=True, text=True, check=True).stdout.split()
first, warm = {}, {}
for page in pages:
    start = time.perf_counter()
    response = client.get(page)
    first[page] = time.perf_counter() - start
    assert response.status_code == 200, (page, response.status_code)
for page in pages:
    times = []
    for _ in range(15):
        start = time.perf_counter()
        client.get(page)
        times.append(time.perf_counter() - start)
    times.sort()
    warm[page] = [statistics.median(times), times[int(0.95 * (len(times) - 1) + 0.5)]]
print(json.dumps({"touch": out, "first": first, "warm": warm}))
"""

TOUCH_SCRIPT = r"""
import django, sys, time
django.setup()
from pathlib import Path
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.imports import import_file
path = Path(sys.argv[1])
path.write_text(
    "annee;code_commune;enfants_garde_domicile\n2023;44109;%s\n" % sys.argv[2], encoding="utf-8"
)
import_file("garde-domicile", path, user=SYSTEM, simulated=True, confirmed=True)
if sys.argv[3] == "1":
    from sdsf.web.apps.diagnostic.refresh import refresh
    start = time.perf_counter()
    count = refresh()
    print(f"{time.perf_counter() - start:.3f} {count}")
"""


def measure_pages(workspace: Path, code: Path | None, new: bool) -> dict[str, object]:
    """Pages of a running server (code loaded, every page seen once), then an import touching
    the département (home care places of Nantes) and the refresh the worker does in the
    background (new code), then the first request of each page and 15 more."""
    env = _env(workspace, code)
    with tempfile.TemporaryDirectory() as tmp:
        touch = [
            sys.executable,
            "-c",
            TOUCH_SCRIPT,
            f"{tmp}/garde.csv",
            str(time.time_ns() % 97 + 1),
            "1" if new else "0",
        ]
        pages = subprocess.run(
            [sys.executable, "-c", PAGE_SCRIPT, json.dumps(PAGES), json.dumps(touch)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    out = json.loads(pages.stdout.strip().splitlines()[-1])
    if new:
        seconds, count = out["touch"]
        out["refresh_after_import"] = [float(seconds), int(count)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--nom", default="")
    parser.add_argument("--code", type=Path, default=None, help="src/ of another checkout")
    parser.add_argument("--rapport", action="store_true")
    args = parser.parse_args()
    if args.rapport:
        print(report(json.loads(RESULTS.read_text())))
        return
    new = args.code is None
    result = {
        "nom": args.nom,
        "code": "après" if new else "avant",
        "cpus": os.cpu_count(),
        "load": os.getloadavg()[0],
        **measure_commands(args.workspace, args.code, new),
        **measure_pages(args.workspace, args.code, new),
        "load_after": os.getloadavg()[0],
    }
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    results = [r for r in results if (r["nom"], r["code"]) != (args.nom, result["code"])]
    RESULTS.write_text(json.dumps([*results, result], indent=1, ensure_ascii=False))
    print(json.dumps(result, indent=1, ensure_ascii=False))


def _fr(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")


def report(results: list[dict[str, object]]) -> str:
    lines = [
        "| départements de données | code | `sdsf diagnostic` (cache vide) | `sdsf diagnostic` "
        "(chiffres enregistrés) | mémoire (pic des commandes) | `sdsf calcul` | recalcul après un "
        "import | première page (max) | pages p95 (max) | couverture France JSON "
        "| schéma 4 formats |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        cold = r["diagnostic_cold"]
        stored = r.get("diagnostic_stored")
        calcul = r.get("calcul")
        after = r.get("refresh_after_import")
        first = max(r["first"].values())
        p95 = max(v[1] for v in r["warm"].values())
        commands = ("diagnostic_cold", "diagnostic_stored", "calcul", "couverture_france_json")
        memory = max(r[k][1] for k in (*commands, "schema") if k in r)
        lines.append(
            f"| {r['nom']} | {r['code']} | {_fr(cold[0])} s | "
            f"{_fr(stored[0]) + ' s' if stored else '—'} | {_fr(memory, 0)} Mo | "
            f"{_fr(calcul[0]) + ' s' if calcul else '—'} | "
            f"{_fr(after[0]) + ' s (' + str(after[1]) + ' dép.)' if after else '—'} | "
            f"{_fr(first * 1000, 0)} ms | {_fr(p95 * 1000, 0)} ms | "
            f"{_fr(r['couverture_france_json'][0])} s | {_fr(r['schema'][0])} s |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
