"""The results of the load benchmark: exact percentiles per page from the raw response
times, and the section « Charge » of benchmarks/README.md, in French."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parent.parent / "README.md"
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
