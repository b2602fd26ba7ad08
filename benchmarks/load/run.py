"""Load benchmark: logged-in users on the production command (gunicorn on PostgreSQL, plus the
background worker), measured with locust (benchmarks/load/locustfile.py).

1. A fresh PostgreSQL database and workspace, the shared cache of computed figures emptied
   (Redis, ``--redis``, flushed at start and end; or files in the workspace, ``--cache
   fichiers``): ``sdsf init``, ``sdsf demo --departement D`` (one département, a list or
   ``all``), then ``sdsf calcul`` (every figure computed and stored, what the worker does
   after each import), each timed.
2. ``sdsf worker`` and gunicorn (``--workers``, ``--threads``) on 127.0.0.1, the same cache for
   all (``SDSF_CACHE_URL``); the refreshes the demo's imports queued are left to the worker
   before the warm-up (they find the figures stored).
3. Warm-up: every page once by as many concurrent sessions as the server has threads (the
   figures are in the shared cache; this loads each process's code and reference data).
4. locust, headless: users logged in through the login form, think time 1 to 3 s.
5. Exact percentiles per page from the raw response times, the machine's load (load average,
   CPU used by the server, by locust and by other work), the peak resident memory of each
   gunicorn process, then everything is stopped and the database dropped.

The pages are those of one département (``--departement-pages``, 44) whatever the demo
holds; in a demo of several départements the accounts are that département's, suffixed
(``demo-44@sdsf.local``, …, and the shared ``national@sdsf.local``).

Settings: ``sdsf.web.config.settings.local``, the production settings without the HTTPS
requirements (prod marks cookies Secure: a client over plain HTTP would lose its session).

Usage (about five minutes for one département; the national demo takes longer)::

    python benchmarks/load/run.py                # prints the results
    python benchmarks/load/run.py --departement all --ecrire
                                                 # the national instance, and writes them:
                                                 # README.md, README-section.md, resultats.json
    python benchmarks/load/run.py --reecrire     # the section again from resultats.json

Needs locust (``pip install -e '.[bench]'``) and a PostgreSQL server (``--postgres``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psycopg
import requests
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import Sampler, children, cpu_jiffies, peak_rss_mb, process_tree_jiffies, rss_mb
from report import (
    BEFORE_FILE,
    LOGIN_ROWS,
    README,
    SECTION_FILE,
    section,
    summarise,
    write_readme,
)
from scenario import PASSWORD, accounts, pages

HERE = Path(__file__).resolve().parent
SETTINGS = "sdsf.web.config.settings.local"
ALL = {"all", "toutes", "tous", "france"}  # as sdsf demo (sdsf.demo.national.ALL)


def several(spec: str) -> bool:
    """Whether ``sdsf demo --departement spec`` builds several départements (its accounts are
    then suffixed by département)."""
    if spec.strip().lower() in ALL:
        return True
    codes = {part.strip().upper().zfill(2) for part in spec.split(",") if part.strip()}
    return len(codes) > 1


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# --- setup and processes -----------------------------------------------------------------


def drop_database(server: str, name: str, *, create: bool = False) -> None:
    """Drop the database (its connections closed), and create it empty again if asked."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        database = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(database))


def sdsf(env: dict[str, str], *args: str, log: Path | None = None) -> float:
    """Run an sdsf command (its output to ``log``); return its duration in seconds."""
    start = time.perf_counter()
    with log.open("wb") if log else open(os.devnull, "wb") as handle:
        completed = subprocess.run(
            [sys.executable, "-m", "sdsf.cli", *args], env=env, stdout=handle
        )
    if completed.returncode:
        tail = log.read_text(errors="replace")[-3000:] if log else ""
        sys.exit(f"sdsf {' '.join(args)} : code {completed.returncode}\n{tail}")
    return time.perf_counter() - start


def departements_with_data(env: dict[str, str]) -> list[str]:
    """The départements whose figures the pages show (sdsf.web.apps.datasets.services)."""
    code = (
        "from sdsf.cli.django_setup import setup; setup(None); "
        "from sdsf.web.apps.datasets.services import departements_with_rates as d; "
        "print(','.join(sorted(d())))"
    )
    out = (
        subprocess.run(
            [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()
    )
    return [d for d in (out[-1] if out else "").split(",") if d]


def missing_accounts(database_url: str, names: list[str]) -> list[str]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT username FROM auth_user WHERE username = ANY(%s)", (names,)
        ).fetchall()
    found = {r[0] for r in rows}
    return [n for n in names if n not in found]


def wait_queue_empty(database_url: str, seconds: float = 600) -> float:
    """Wait until the worker has no task ready or running (the refreshes the demo's imports
    queued); return the wait in seconds."""
    start = time.perf_counter()
    deadline = time.monotonic() + seconds
    with psycopg.connect(database_url, autocommit=True) as conn:
        found = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE %s",
            ("%dbtaskresult",),
        ).fetchone()
        if not found:
            return 0.0
        query = sql.SQL("SELECT count(*) FROM {} WHERE status IN ('READY', 'RUNNING')").format(
            sql.Identifier(found[0])
        )
        while time.monotonic() < deadline:
            (count,) = conn.execute(query).fetchone()
            if not count:
                break
            time.sleep(1)
    return time.perf_counter() - start


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> int | None:
    """SIGTERM (gunicorn and the worker finish what they are doing), then SIGKILL."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn s'est arrêté (code {process.returncode}) :\n{log.read_text()}")
        try:
            if requests.get(url + "/connexion/", timeout=30).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or its workers still starting
            pass
        time.sleep(0.5)
    sys.exit(f"gunicorn ne répond pas après {seconds:.0f} s :\n{log.read_text()}")


def worker_registered(database_url: str, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with psycopg.connect(database_url) as conn:
            (count,) = conn.execute("SELECT count(*) FROM jobs_workerprocess").fetchone()
        if count:
            return True
        time.sleep(0.5)
    return False


def login(url: str, account: str) -> requests.Session:
    session = requests.Session()
    session.get(url + "/connexion/", timeout=60)
    response = session.post(
        url + "/connexion/",
        data={
            "username": account,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
        },
        headers={"Referer": url + "/connexion/"},
        timeout=60,
    )
    if "sessionid" not in session.cookies:
        sys.exit(f"connexion impossible pour {account} (statut {response.status_code})")
    return session


def warm_up(url: str, paths: list[str], concurrency: int, names: list[str]) -> list[str]:
    """Every page once by ``concurrency`` sessions at once; returns the failures."""
    failures: list[str] = []

    def browse(index: int) -> None:
        session = login(url, names[index % len(names)])
        order = list(paths)
        random.Random(index).shuffle(order)
        for path in order:
            response = session.get(url + path, timeout=120)
            if response.status_code != 200 or "/connexion/" in response.url:
                failures.append(f"{path} : statut {response.status_code}")

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(browse, range(concurrency)))
    return failures


# --- main ----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--utilisateurs", type=int, default=50)
    parser.add_argument("--duree", type=int, default=180, help="secondes de mesure")
    parser.add_argument("--cadence", type=float, default=5, help="utilisateurs lancés par seconde")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="processus gunicorn")
    parser.add_argument("--threads", type=int, default=1, help="fils par processus gunicorn")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--base", default="sdsf_charge")
    parser.add_argument(
        "--departement",
        default="44",
        help="départements de la démonstration : un code, une liste (44,49,53) ou all",
    )
    parser.add_argument(
        "--departement-pages", default="44", help="le département dont les pages sont lues"
    )
    parser.add_argument("--commune", default="44109")
    parser.add_argument(
        "--cache",
        choices=("redis", "fichiers"),
        default="redis",
        help="cache partagé des chiffres calculés : Redis (--redis) ou fichiers du dossier",
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/3",
        help="base Redis du cache, vidée au début et à la fin",
    )
    parser.add_argument("--ecrire", action="store_true", help="écrire benchmarks/README.md")
    parser.add_argument("--garder", action="store_true", help="garder la base et le dossier")
    parser.add_argument(
        "--reecrire",
        action="store_true",
        help="réécrire la section de benchmarks/README.md depuis resultats.json, sans mesurer",
    )
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.base) or args.base in ("test", "test_test"):
        sys.exit(f"nom de base refusé : {args.base}")
    return args


def measure(args: argparse.Namespace, workspace: Path) -> dict:
    """Build, serve, warm up, load, stop: the figures of one run."""
    url = f"http://127.0.0.1:{args.port}"
    database_url = f"{args.postgres}/{args.base}"
    suffix = f"-{args.departement_pages}" if several(args.departement) else ""
    names = accounts(suffix)
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url,
        SDSF_WORKSPACE=str(workspace),
        SDSF_ALLOWED_HOSTS="127.0.0.1,localhost",
        SDSF_SSL_REDIRECT="0",
        SDSF_CHARGE_DEPARTEMENT=args.departement_pages,
        SDSF_CHARGE_COMMUNE=args.commune,
        SDSF_CHARGE_SUFFIXE=suffix,
    )
    env.pop("SDSF_SECRET_KEY", None)
    env.pop("SDSF_CACHE_DIR", None)
    if args.cache == "redis":
        env["SDSF_CACHE_URL"] = args.redis
        flush_redis(args.redis)
    else:
        env.pop("SDSF_CACHE_URL", None)  # files in <workspace>/cache
    drop_database(args.postgres, args.base, create=True)
    init_s = sdsf(env, "init", log=workspace / "init.log")
    print(f"sdsf init {init_s:.1f} s", flush=True)
    demo_s = sdsf(env, "demo", "--departement", args.departement, log=workspace / "demo.log")
    print(f"sdsf demo {demo_s:.1f} s", flush=True)
    missing = missing_accounts(database_url, names)
    if missing:
        sys.exit(f"comptes absents de la démonstration : {', '.join(missing)}")
    calcul_sampler = Sampler()  # the machine is shared: its load while the figures computed
    calcul_sampler.start()
    calcul_s = sdsf(env, "calcul", log=workspace / "calcul.log")
    calcul_sampler.stopped.set()
    calcul_sampler.join()
    calcul_loads = calcul_sampler.loads or [os.getloadavg()[0]]
    print(f"sdsf calcul {calcul_s:.1f} s", flush=True)
    with_data = departements_with_data(env)
    print(f"{len(with_data)} département(s) avec données", flush=True)

    worker = start([sys.executable, "-m", "sdsf.cli", "worker"], env, workspace / "worker.log")
    gunicorn_command = [
        sys.executable, "-m", "gunicorn", "sdsf.web.config.wsgi:application",
        "--bind", f"127.0.0.1:{args.port}",
        "--workers", str(args.workers), "--threads", str(args.threads),
        "--timeout", "120", "--log-level", "warning",
    ]  # fmt: skip
    server = start(gunicorn_command, env, workspace / "gunicorn.log")
    locust = None
    try:
        wait_ready(url, server, workspace / "gunicorn.log")
        if not worker_registered(database_url):
            log = (workspace / "worker.log").read_text()
            sys.exit(f"sdsf worker ne s'est pas enregistré :\n{log}")
        queue_s = wait_queue_empty(database_url)
        print(f"travaux de la démonstration finis par sdsf worker en {queue_s:.0f} s", flush=True)
        paths = pages(args.departement_pages, args.commune)
        sessions = args.workers * args.threads
        start_warm = time.perf_counter()
        warm_failures = warm_up(url, paths, sessions, names)
        warm_s = time.perf_counter() - start_warm
        print(f"échauffement {warm_s:.0f} s, {len(warm_failures)} échec(s)", flush=True)

        measures = workspace / "mesures.jsonl"
        measures.touch()
        sampler = Sampler()
        load_before = os.getloadavg()[0]
        busy0, total0 = cpu_jiffies()
        server0, worker0 = process_tree_jiffies(server.pid), process_tree_jiffies(worker.pid)
        sampler.start()
        locust = start(
            [
                sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"),
                "--headless", "--users", str(args.utilisateurs),
                "--spawn-rate", str(args.cadence), "--run-time", f"{args.duree}s",
                "--host", url, "--only-summary", "--stop-timeout", "10",
                "--csv", str(workspace / "locust"), "--loglevel", "WARNING",
            ],
            dict(env, SDSF_CHARGE_MESURES=str(measures)),
            workspace / "locust.log",
        )  # fmt: skip
        locust_used = 0
        peaks: dict[int, float] = {}  # gunicorn process → its peak RSS (a replaced one kept)

        def note_peaks() -> None:
            for pid in children(server.pid):
                peaks[pid] = max(peaks.get(pid, 0.0), peak_rss_mb(pid))

        while locust.poll() is None:
            locust_used = max(locust_used, process_tree_jiffies(locust.pid))
            note_peaks()
            time.sleep(2)
        note_peaks()
        busy1, total1 = cpu_jiffies()
        server_used = process_tree_jiffies(server.pid) - server0
        worker_used = process_tree_jiffies(worker.pid) - worker0
        memory = [rss_mb(pid) for pid in children(server.pid)]
        worker_memory = rss_mb(worker.pid)
        sampler.stopped.set()
        sampler.join()
        load_after = os.getloadavg()[0]
    finally:
        if locust is not None and locust.poll() is None:
            stop(locust)
        server_code = stop(server)
        worker_code = stop(worker)
        print(f"arrêt : gunicorn code {server_code}, sdsf worker code {worker_code}", flush=True)
        for name in ("gunicorn.log", "worker.log", "locust.log"):
            text = (workspace / name).read_text(errors="replace")
            if re.search(r"Traceback|ERROR|CRITICAL", text):
                print(f"--- {name} (fin) ---\n{text[-6000:]}")

    ticks = total1 - total0
    percent = 100 / ticks if ticks else 0
    sdsf_share = (server_used + worker_used) * percent
    locust_share = locust_used * percent
    busy = (busy1 - busy0) * percent
    with psycopg.connect(database_url) as conn:
        (pg_version,) = conn.execute("SHOW server_version").fetchone()
    rows, overall = summarise(measures, [*paths, *LOGIN_ROWS])
    loads = sampler.loads or [load_after]
    return {
        "version": 2,
        "utilisateurs": args.utilisateurs,
        "duree_s": args.duree,
        "cadence": args.cadence,
        "montee_s": args.utilisateurs / args.cadence,
        "departement": args.departement,
        "departement_pages": args.departement_pages,
        "departements_avec_donnees": len(with_data),
        "comptes": names,
        "cache": {
            "backend": "redis" if args.cache == "redis" else "fichiers",
            "url": args.redis if args.cache == "redis" else "<dossier de travail>/cache",
        },
        "gunicorn": {
            "workers": args.workers,
            "threads": args.threads,
            "memoire_mo_par_processus_max": max(memory, default=0.0),
            "memoire_mo_total": sum(memory),
            "memoire_pic_mo_par_processus": sorted(peaks.values(), reverse=True),
            "memoire_pic_mo_par_processus_max": max(peaks.values(), default=0.0),
            "processus_vus": len(peaks),
        },
        "worker_memoire_mo": worker_memory,
        "sdsf_init_s": init_s,
        "sdsf_demo_s": demo_s,
        "sdsf_calcul_s": calcul_s,
        "charge_pendant_calcul": float(np.mean(calcul_loads)),
        "file_worker_s": queue_s,
        "echauffement": {
            "sessions": sessions,
            "passages": 1,
            "duree_s": warm_s,
            "echecs": warm_failures,
        },
        "machine": {
            "processeur": platform.processor() or platform.machine(),
            "coeurs": os.cpu_count(),
            "python": platform.python_version(),
            "systeme": f"{platform.system()} {platform.release()}",
            "postgresql": pg_version.split()[0],
            "charge_avant": load_before,
            "charge_moyenne": float(np.mean(loads)),
            "charge_max": float(max(loads)),
            "charge_apres": load_after,
            "cpu": {
                "occupe": busy,
                "sdsf": sdsf_share,
                "sdsf_worker": worker_used * percent,
                "locust": locust_share,
                "autres": max(0.0, busy - sdsf_share - locust_share),
            },
        },
        "pages": rows,
        "ensemble": overall,
        "codes_arret": {"gunicorn": server_code, "worker": worker_code},
    }


def main() -> None:
    args = parse_args()
    if args.reecrire:
        result = json.loads((HERE / "resultats.json").read_text(encoding="utf-8"))
        write_readme(section(result))
        print(f"écrit : {README} et {SECTION_FILE}")
        return
    workspace = Path(tempfile.mkdtemp(prefix="sdsf-charge-"))
    print(f"base {args.base}, dossier de travail {workspace}", flush=True)
    try:
        result = measure(args, workspace)
    finally:
        if args.garder:
            print(f"gardés : base {args.base}, dossier {workspace}, cache {args.cache}")
        else:
            drop_database(args.postgres, args.base)
            shutil.rmtree(workspace, ignore_errors=True)
            if args.cache == "redis":
                flush_redis(args.redis)
    if BEFORE_FILE.exists():  # the run the section compares with, kept with the figures
        before = json.loads(BEFORE_FILE.read_text(encoding="utf-8"))
        result["avant"] = {k: before[k] for k in ("departement", "duree_s", "ensemble", "pages")}
        result["avant"]["machine"] = {k: before["machine"][k] for k in ("charge_moyenne", "cpu")}
    if args.ecrire:  # the figures first: the section is written from them
        (HERE / "resultats.json").write_text(
            json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    lines = section(result)
    print("\n".join(lines))
    for r in [*result["pages"], result["ensemble"]]:
        if r["exemples_erreurs"]:
            print(f"erreurs {r['page']} : {r['exemples_erreurs']}")
    if args.ecrire:  # the README section
        write_readme(lines)
        print(f"écrit : {README}, {SECTION_FILE} et {HERE / 'resultats.json'}")


if __name__ == "__main__":
    main()
