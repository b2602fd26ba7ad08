"""Load benchmark: logged-in users on the production command (gunicorn on PostgreSQL, plus the
background worker), measured with locust (benchmarks/load/locustfile.py).

1. A fresh PostgreSQL database and workspace: ``sdsf init``, then ``sdsf demo``.
2. ``sdsf worker`` and gunicorn (``--workers``, ``--threads``) on 127.0.0.1.
3. Warm-up: every page, twice, by twice as many concurrent sessions as the server has threads (the
   figures are cached per process: each gunicorn worker computes its own once).
4. locust, headless: users logged in through the login form, think time 1 to 3 s.
5. Exact percentiles per page from the raw response times, the machine's load (load average,
   CPU used by the server, by locust and by other work), then everything is stopped and the
   database dropped.

Settings: ``sdsf.web.config.settings.local``, the production settings without the HTTPS
requirements (prod marks cookies Secure: a client over plain HTTP would lose its session).

Usage (about five minutes)::

    python benchmarks/load/run.py                # prints the results
    python benchmarks/load/run.py --ecrire       # and writes them into benchmarks/README.md
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
import threading
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import psycopg
import requests
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenario import ACCOUNTS, PASSWORD, pages

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
SETTINGS = "sdsf.web.config.settings.local"
BEFORE = "0 erreur, p95 5,4 s sur 2 cœurs"
LOGIN_ROWS = ("connexion (formulaire)", "connexion (envoi)")
SECTION = "## Charge : "
# Preliminary runs that chose the gunicorn settings (90 s each, 50 users, same machine).
CHOICE = (
    "Choix de 5 processus × 1 fil (2 × cœurs + 1, travailleurs synchrones), d'après des "
    "essais préalables de 90 s avec 50 utilisateurs sur la même machine partagée (1er "
    "décembre 2026, autres travaux à 47-61 % du processeur) : 5 × 1 : 12,5 requêtes/s, p95 "
    "3,4 s, 0 erreur ; 2 × 4 (le réglage de `sdsf serve`) : 9,3 et 12,2 requêtes/s, p95 6,9 "
    "et 3,7 s, 7 et 13 connexions coupées (« Connection reset by peer ») ; 3 × 2 : 7,8 "
    "requêtes/s, p95 10,2 s, 4 connexions coupées. Les fils n'apportent rien à des pages qui "
    "calculent en Python (verrou global de l'interpréteur), et le travailleur à fils de "
    "gunicorn (gthread) coupe par moments, sous forte charge, une connexion gardée ouverte "
    "entre deux requêtes (gunicorn, tickets #1698 et #2676) ; les processus synchrones n'en "
    "gardent aucune."
)


def fr(value: float, digits: int = 0) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",")


# --- the machine --------------------------------------------------------------------------


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the machine since boot, in clock ticks (Linux)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])
    return total - idle, total


def process_tree_jiffies(root: int) -> int:
    """CPU time (user + system, with reaped children) of a process and its descendants."""
    stats: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        rest = raw[raw.rindex(")") + 2 :].split()
        ppid = int(rest[1])
        used = sum(int(x) for x in rest[11:15])  # utime, stime, cutime, cstime
        stats[int(entry.name)] = (ppid, used)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, (0, 0))[1]
        todo += [child for child, (ppid, _) in stats.items() if ppid == pid]
    return total


class Sampler(threading.Thread):
    """Samples the 1-minute load average every few seconds."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.loads: list[float] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(5):
            self.loads.append(os.getloadavg()[0])


# --- setup and processes -----------------------------------------------------------------


def drop_database(server: str, name: str, *, create: bool = False) -> None:
    """Drop the database (its connections closed), and create it empty again if asked."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        database = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(database))


def sdsf(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sdsf.cli", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )
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


def warm_up(url: str, paths: list[str], concurrency: int) -> list[str]:
    """Every page by ``concurrency`` sessions at once, twice; returns the failures."""
    failures: list[str] = []

    def browse(index: int) -> None:
        session = login(url, ACCOUNTS[index % len(ACCOUNTS)])
        order = list(paths)
        for _ in range(2):
            random.Random(index).shuffle(order)
            for path in order:
                response = session.get(url + path, timeout=120)
                if response.status_code != 200 or "/connexion/" in response.url:
                    failures.append(f"{path} : statut {response.status_code}")

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(browse, range(concurrency)))
    return failures


# --- results -------------------------------------------------------------------------------


def summarise(measures: Path, order: list[str]) -> tuple[list[dict], dict]:
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    with measures.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            times[row["nom"]].append(row["ms"])
            if row["erreur"]:
                errors[row["nom"]].append(row["erreur"])

    def stats(name: str, values: list[float], failed: list[str]) -> dict:
        p50, p95, p99 = np.percentile(values, [50, 95, 99]) if values else (0, 0, 0)
        return {
            "page": name,
            "requetes": len(values),
            "erreurs": len(failed),
            "p50": float(p50),
            "p95": float(p95),
            "p99": float(p99),
            "max": float(max(values, default=0)),
            "exemples_erreurs": sorted(set(failed))[:5],
        }

    names = [n for n in order if n in times] + sorted(set(times) - set(order))
    rows = [stats(n, times[n], errors[n]) for n in names]
    page_names = [n for n in names if n not in LOGIN_ROWS]
    overall = stats(
        "ensemble des pages",
        [t for n in page_names for t in times[n]],
        [e for n in page_names for e in errors[n]],
    )
    return rows, overall


def section(result: dict) -> list[str]:
    """The README section, in French."""
    rows, overall, machine = result["pages"], result["ensemble"], result["machine"]
    cpu = machine["cpu"]
    login_rows = [r for r in rows if r["page"] in LOGIN_ROWS]
    page_rows = [r for r in rows if r["page"] not in LOGIN_ROWS]
    errors = overall["erreurs"] + sum(r["erreurs"] for r in login_rows)
    duration = result["duree_s"]
    lines = [
        f"{SECTION}{result['utilisateurs']} utilisateurs connectés",
        "",
        "Reproduire : `python benchmarks/load/run.py --ecrire` (environ 5 minutes ; locust, "
        "extra `bench` de pyproject.toml, et un serveur PostgreSQL, option `--postgres`). La "
        "commande de production (docs/production.md) : gunicorn "
        f"({result['gunicorn']['workers']} processus × {result['gunicorn']['threads']} "
        f"fil{'s' if result['gunicorn']['threads'] > 1 else ''}, "
        "`--timeout 120`) et un processus `sdsf worker`, sur PostgreSQL "
        f"{machine['postgresql']}, base et dossier de travail neufs (`sdsf init`, `sdsf demo "
        f"--departement {result['departement']}`). Réglages `sdsf.web.config.settings.local` : "
        "ceux de la production sans les exigences HTTPS (en production les cookies sont "
        "`Secure` et un client en HTTP simple perdrait sa session).",
        "",
        f"Scénario (benchmarks/load/locustfile.py) : {result['utilisateurs']} utilisateurs, "
        "chacun connecté une fois au départ par le vrai formulaire (jeton CSRF) avec l'un des "
        "cinq comptes de la démonstration (pilote, comité, contributeur, lecteur, national), "
        "puis une page toutes les 1 à 3 s (temps de réflexion) : page du département suivie "
        "de sa carte GeoJSON, diagnostic (index et thèmes), fiche de Nantes, priorités, pages "
        f"du schéma, données. Durée {fr(duration / 60, 0)} min, dont "
        f"{fr(result['montee_s'], 0)} s de montée ({fr(result['cadence'], 0)} utilisateurs "
        "par seconde), après un échauffement (chaque page demandée deux fois par "
        f"{result['echauffement']['sessions']} sessions simultanées, "
        f"{fr(result['echauffement']['duree_s'], 0)} s : chaque processus calcule ses propres "
        "tableaux en cache). Une erreur est un statut hors 2xx/3xx, une page d'erreur en "
        "français ou un renvoi à la page de connexion.",
        "",
        f"Machine : {machine['processeur']}, `os.cpu_count()` = {machine['coeurs']}, "
        f"Python {machine['python']}, {machine['systeme']} ; machine partagée : d'autres "
        "travaux tournaient en même temps. Charge moyenne (1 min) "
        f"{fr(machine['charge_avant'], 2)} avant l'essai, {fr(machine['charge_moyenne'], 2)} en "
        f"moyenne pendant (maximum {fr(machine['charge_max'], 2)}). Processeur occupé à "
        f"{fr(cpu['occupe'], 0)} % des {machine['coeurs']} cœurs pendant l'essai : sdsf "
        f"(gunicorn et worker) {fr(cpu['sdsf'], 0)} %, locust {fr(cpu['locust'], 0)} %, "
        f"autres travaux {fr(cpu['autres'], 0)} %.",
        "",
        "| page | requêtes | erreurs | p50 (ms) | p95 (ms) | p99 (ms) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]

    def row(r: dict, label: str | None = None) -> str:
        return (
            f"| {label or '`' + r['page'] + '`'} | {fr(r['requetes'])} | {r['erreurs']} | "
            f"{fr(r['p50'])} | {fr(r['p95'])} | {fr(r['p99'])} |"
        )

    lines += [
        row(r, f"`{r['page']}` (renvoie au premier thème : deux requêtes)")
        if r["page"].endswith("/diagnostic/")
        else row(r)
        for r in page_rows
    ]
    rate = overall["requetes"] / duration
    login_post = next((r for r in login_rows if r["page"] == LOGIN_ROWS[1]), overall)
    lines.append(row(overall, f"**ensemble des pages** ({fr(rate, 1)} requêtes/s)"))
    lines += [row(r, f"{r['page']} (une fois par utilisateur)") for r in login_rows]
    lines += [
        "",
        f"Erreurs : {errors} sur {fr(overall['requetes'] + sum(r['requetes'] for r in login_rows))}"
        f" requêtes. Avant ce travail : {BEFORE} ; maintenant : {errors} erreur"
        f"{'s' if errors > 1 else ''}, p95 {fr(overall['p95'] / 1000, 1)} s sur "
        f"{machine['coeurs']} cœurs.",
        "",
        f"Lecture : {result['utilisateurs']} utilisateurs qui réfléchissent 2 s en moyenne "
        f"demanderaient {fr(result['utilisateurs'] / 2)} requêtes/s à un serveur instantané ; "
        f"celui-ci en a servi {fr(rate, 1)}, ses {machine['coeurs']} cœurs occupés à "
        f"{fr(cpu['occupe'])} % (dont {fr(cpu['autres'])} % par d'autres travaux de la "
        "machine) : l'essentiel des temps de réponse est de l'attente du processeur, la file "
        f"devant les {result['gunicorn']['workers']} processus, alors qu'une page en cache se "
        "calcule seule en quelques dizaines à quelques centaines de millisecondes (sections "
        "précédentes). La connexion, une fois par utilisateur pendant la montée, "
        f"prend {fr(login_post['p50'] / 1000, 1)} s (p50) : le mot de passe est vérifié par "
        "PBKDF2 (1 000 000 itérations, réglage de Django 5.2), lent à dessein. Mémoire : "
        f"{fr(result['gunicorn']['memoire_mo_par_processus_max'])} Mo au plus par processus "
        "gunicorn à la fin de l'essai (chacun garde ses propres tableaux en cache), "
        f"{fr(result['worker_memoire_mo'])} Mo pour `sdsf worker` au repos.",
        "",
        CHOICE,
        "",
    ]
    return lines


def write_readme(lines: list[str]) -> None:
    """Replace (or add) this section in benchmarks/README.md, the others kept as they are."""
    text = README.read_text(encoding="utf-8")
    new = "\n".join(lines).rstrip("\n") + "\n"
    match = re.search(rf"^{re.escape(SECTION)}.*?(?=^## |\Z)", text, re.S | re.M)
    if match:
        text = (
            text[: match.start()]
            + new
            + ("\n" if match.end() < len(text) else "")
            + (text[match.end() :])
        )
    else:
        text = text.rstrip("\n") + "\n\n" + new
    README.write_text(text, encoding="utf-8")


# --- main ----------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if (
                entry.name.isdigit()
                and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid
            ):
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


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
    parser.add_argument("--departement", default="44")
    parser.add_argument("--commune", default="44109")
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
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url,
        SDSF_WORKSPACE=str(workspace),
        SDSF_ALLOWED_HOSTS="127.0.0.1,localhost",
        SDSF_SSL_REDIRECT="0",
        SDSF_CHARGE_DEPARTEMENT=args.departement,
        SDSF_CHARGE_COMMUNE=args.commune,
    )
    env.pop("SDSF_SECRET_KEY", None)
    drop_database(args.postgres, args.base, create=True)
    init_s = sdsf(env, "init")
    demo_s = sdsf(env, "demo", "--departement", args.departement)
    print(f"sdsf init {init_s:.1f} s, sdsf demo {demo_s:.1f} s", flush=True)

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
        paths = pages(args.departement, args.commune)
        sessions = max(args.workers * args.threads * 2, 4)
        start_warm = time.perf_counter()
        warm_failures = warm_up(url, paths, sessions)
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
        while locust.poll() is None:
            locust_used = max(locust_used, process_tree_jiffies(locust.pid))
            time.sleep(2)
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
        "utilisateurs": args.utilisateurs,
        "duree_s": args.duree,
        "cadence": args.cadence,
        "montee_s": args.utilisateurs / args.cadence,
        "departement": args.departement,
        "gunicorn": {
            "workers": args.workers,
            "threads": args.threads,
            "memoire_mo_par_processus_max": max(memory, default=0.0),
            "memoire_mo_total": sum(memory),
        },
        "worker_memoire_mo": worker_memory,
        "sdsf_init_s": init_s,
        "sdsf_demo_s": demo_s,
        "echauffement": {"sessions": sessions, "duree_s": warm_s, "echecs": warm_failures},
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
        print(f"écrit : {README}")
        return
    workspace = Path(tempfile.mkdtemp(prefix="sdsf-charge-"))
    print(f"base {args.base}, dossier de travail {workspace}", flush=True)
    try:
        result = measure(args, workspace)
    finally:
        if args.garder:
            print(f"gardés : base {args.base}, dossier {workspace}")
        else:
            drop_database(args.postgres, args.base)
            shutil.rmtree(workspace, ignore_errors=True)
    (HERE / "resultats.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    lines = section(result)
    print("\n".join(lines))
    for r in [*result["pages"], result["ensemble"]]:
        if r["exemples_erreurs"]:
            print(f"erreurs {r['page']} : {r['exemples_erreurs']}")
    if args.ecrire:
        write_readme(lines)
        print(f"écrit : {README}")


if __name__ == "__main__":
    main()
