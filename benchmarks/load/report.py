"""The results of the load benchmark: exact percentiles per page from the raw response
times, and the section « Charge » of benchmarks/README.md, in French."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parent.parent / "README.md"
# The section alone too, for merging it by hand (other sections of README.md move meanwhile).
SECTION_FILE = Path(__file__).resolve().parent / "README-section.md"
# The run before the shared cache (one département, figures cached by each process), the
# « avant » line of the section.
BEFORE_FILE = Path(__file__).resolve().parent / "resultats-avant.json"
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


def counted(number: int, word: str) -> str:
    """« 1 département », « 101 départements »."""
    return f"{fr(number)} {word}{'s' if number > 1 else ''}"


def minutes(seconds: float) -> str:
    """« 42 s », « 3 min 05 s »."""
    if seconds < 60:
        return f"{fr(seconds, 0)} s"
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s"


def before_row(before: dict) -> str:
    """The « avant » line of the comparison: the run kept in resultats-avant.json (démo of one
    département, figures cached by each gunicorn process, before the shared cache)."""
    overall = before["ensemble"]
    logins = [r for r in before["pages"] if r["page"] in LOGIN_ROWS]
    requests = overall["requetes"] + sum(r["requetes"] for r in logins)
    errors = overall["erreurs"] + sum(r["erreurs"] for r in logins)
    return (
        f"| avant (1er décembre 2026) : démo du {before['departement']} seule, chiffres en "
        "cache dans chaque processus gunicorn (pas de cache partagé), PostgreSQL | "
        f"{fr(requests)} | {errors} | {fr(overall['p50'])} | {fr(overall['p95'])} | "
        f"{fr(overall['p99'])} | "
        f"{fr(overall['requetes'] / before['duree_s'], 1)} | "
        f"{fr(before['machine']['charge_moyenne'], 2)} |"
    )


def section(result: dict) -> list[str]:
    """The README section, in French."""
    rows, overall, machine = result["pages"], result["ensemble"], result["machine"]
    cpu, gunicorn, cache = machine["cpu"], result["gunicorn"], result["cache"]
    login_rows = [r for r in rows if r["page"] in LOGIN_ROWS]
    page_rows = [r for r in rows if r["page"] not in LOGIN_ROWS]
    errors = overall["erreurs"] + sum(r["erreurs"] for r in login_rows)
    requests_all = overall["requetes"] + sum(r["requetes"] for r in login_rows)
    duration = result["duree_s"]
    rate = overall["requetes"] / duration
    spec = result["departement"]
    national = spec.strip().lower() in ("all", "toutes", "tous", "france")
    pages_of = result["departement_pages"]
    with_data = result["departements_avec_donnees"]
    scope = (
        "instance nationale"
        if national
        else f"départements {spec}"
        if "," in spec
        else f"département {spec}"
    )
    cache_text = (
        f"Redis (`SDSF_CACHE_URL={cache['url']}`, base vidée au début et à la fin)"
        if cache["backend"] == "redis"
        else "fichiers dans le dossier de travail (`--cache fichiers`)"
    )
    command = "python benchmarks/load/run.py"
    if spec != "44":
        command += f" --departement {spec}"
    if cache["backend"] != "redis":
        command += " --cache fichiers"
    threads = gunicorn["threads"]
    backend = "Redis" if cache["backend"] == "redis" else "en fichiers"
    lines = [
        f"{SECTION}{result['utilisateurs']} utilisateurs connectés, {scope}",
        "",
        f"Reproduire : `{command} --ecrire` (locust, extra `bench` de pyproject.toml, un "
        "serveur PostgreSQL, option `--postgres`, et un serveur Redis, option `--redis`) ; "
        "la section est aussi écrite seule dans benchmarks/load/README-section.md. La commande "
        f"de production (docs/production.md) : gunicorn ({gunicorn['workers']} processus "
        f"synchrones × {threads} fil{'s' if threads > 1 else ''}, `--timeout 120`) et un "
        f"processus `sdsf worker`, sur PostgreSQL {machine['postgresql']}, cache partagé des "
        f"chiffres calculés : {cache_text}. Base et dossier de travail neufs : `sdsf init` "
        f"({minutes(result['sdsf_init_s'])}), `sdsf demo --departement {spec}` "
        f"({minutes(result['sdsf_demo_s'])} ; {counted(with_data, 'département')} avec "
        "données), puis "
        f"`sdsf calcul` ({minutes(result['sdsf_calcul_s'])}"
        + (
            f", charge moyenne {fr(result['charge_pendant_calcul'], 2)}"
            if "charge_pendant_calcul" in result
            else ""
        )
        + " : tous les chiffres calculés et "
        "enregistrés, ce que fait le processus de travail après chaque import). Réglages "
        "`sdsf.web.config.settings.local` : ceux de la production sans les exigences HTTPS "
        "(en production les cookies sont `Secure` et un client en HTTP simple perdrait sa "
        "session).",
        "",
        f"Scénario (benchmarks/load/locustfile.py) : {result['utilisateurs']} utilisateurs, "
        "chacun connecté une fois au départ par le vrai formulaire (jeton CSRF) avec l'un des "
        f"cinq comptes de la démonstration du {pages_of} (pilote, comité, contributeur, "
        f"lecteur, national : {', '.join(f'`{a}`' for a in result['comptes'])}), puis une "
        f"page toutes les 1 à 3 s (temps de réflexion), toutes du {pages_of} : page du département "
        "suivie de sa carte GeoJSON, diagnostic (index et thèmes), fiche de Nantes, "
        f"priorités, pages du schéma, données. Durée {fr(duration / 60, 0)} min, dont "
        f"{fr(result['montee_s'], 0)} s de montée ({fr(result['cadence'], 0)} utilisateurs "
        "par seconde), après un échauffement court (chaque page une fois par "
        f"{result['echauffement']['sessions']} sessions simultanées, autant que de processus, "
        f"{minutes(result['echauffement']['duree_s'])} : les chiffres sont déjà dans le cache "
        "partagé). Une erreur est un statut hors 2xx/3xx, une page d'erreur en français ou un "
        "renvoi à la page de connexion.",
        "",
        f"Machine : {machine['processeur']}, `os.cpu_count()` = {machine['coeurs']}, "
        f"Python {machine['python']}, {machine['systeme']} ; **machine partagée** : d'autres "
        "travaux tournaient en même temps. Charge moyenne (1 min) "
        f"{fr(machine['charge_avant'], 2)} avant l'essai, {fr(machine['charge_moyenne'], 2)} en "
        f"moyenne pendant (maximum {fr(machine['charge_max'], 2)}). Processeur occupé à "
        f"{fr(cpu['occupe'], 0)} % des {machine['coeurs']} cœurs pendant l'essai : sdsf "
        f"(gunicorn et worker) {fr(cpu['sdsf'], 0)} %, locust {fr(cpu['locust'], 0)} %, "
        f"autres travaux {fr(cpu['autres'], 0)} %.",
        "",
        "| essai | requêtes | erreurs | p50 (ms) | p95 (ms) | p99 (ms) | pages/s | charge |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    before = result.get("avant")
    if before:
        lines.append(before_row(before))
    lines += [
        f"| maintenant : {scope} ({counted(with_data, 'département')} avec données), pages du "
        f"{pages_of}, cache partagé {backend}, PostgreSQL | {fr(requests_all)} | "
        f"{errors} | {fr(overall['p50'])} | {fr(overall['p95'])} | {fr(overall['p99'])} | "
        f"{fr(rate, 1)} | "
        f"{fr(machine['charge_moyenne'], 2)} |",
        "",
        "Requêtes : toutes, connexions comprises ; p50, p95, p99 et pages/s : pages seules "
        "(hors connexion) ; charge : moyenne (1 min) pendant l'essai. Les deux essais n'ont pas "
        "eu la même machine : d'autres travaux prenaient "
        + (
            f"{fr(before['machine']['cpu']['autres'])} % du processeur avant, "
            if before and "cpu" in before["machine"]
            else ""
        )
        + f"{fr(cpu['autres'])} % cette fois. Le détail de l'essai :",
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
    login_post = next((r for r in login_rows if r["page"] == LOGIN_ROWS[1]), overall)
    lines.append(row(overall, f"**ensemble des pages** ({fr(rate, 1)} requêtes/s)"))
    lines += [row(r, f"{r['page']} (une fois par utilisateur)") for r in login_rows]
    peaks = gunicorn.get("memoire_pic_mo_par_processus", [])
    lines += [
        "",
        f"Erreurs : {errors} sur {fr(requests_all)} requêtes.",
        "",
        *[f"{note}\n" for note in result.get("remarques", [])],
        f"Lecture : {result['utilisateurs']} utilisateurs qui réfléchissent 2 s en moyenne "
        f"demanderaient {fr(result['utilisateurs'] / 2)} requêtes/s à un serveur instantané ; "
        f"celui-ci en a servi {fr(rate, 1)}, ses {machine['coeurs']} cœurs occupés à "
        f"{fr(cpu['occupe'])} % (dont {fr(cpu['autres'])} % par d'autres travaux de la "
        "machine) : "
        + (
            "le serveur suit la demande (le débit est celui des utilisateurs, pas le sien), les "
            "pages sont lues dans le cache partagé sans rien calculer ; les temps les plus "
            "longs (p99) sont ceux des requêtes arrivées ensemble devant les "
            f"{gunicorn['workers']} processus."
            if rate >= 0.9 * result["utilisateurs"] / 2
            else "l'essentiel des temps de réponse est de l'attente du processeur, la file "
            f"devant les {gunicorn['workers']} processus."
        )
        + " La connexion, une fois par utilisateur "
        f"pendant la montée, prend {fr(login_post['p50'] / 1000, 1)} s (p50) : le mot de "
        "passe est vérifié par PBKDF2 (1 000 000 itérations, réglage de Django 5.2), lent à "
        "dessein. Mémoire : pic de "
        f"{fr(gunicorn['memoire_pic_mo_par_processus_max'])} Mo au plus par processus "
        f"gunicorn (pics des {len(peaks)} processus : "
        f"{', '.join(fr(m) for m in peaks)} Mo), {fr(gunicorn['memoire_mo_total'])} Mo "
        f"pour les {gunicorn['workers']} à la fin de l'essai, "
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
    SECTION_FILE.write_text(new, encoding="utf-8")
