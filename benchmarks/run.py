"""Benchmarks of the backbone, written to benchmarks/README.md.

1. ``sdsf init``: the reference geography of all France into a fresh SQLite workspace.
2. Coverage of every commune of France, aggregated to EPCI, départements and régions, on a
   synthetic demo-like supply (seeded), against the approach a user scripting pandas would take
   (a per-group loop with row-wise ``apply``), results checked equal.
3. The département page of the demo, rendered by the Django test client (median of 10).
4. The diagnostic of the demo: every indicator of the catalogue for communes, EPCI, the
   département and France (cold), the theme pages, the fiche of every commune, the whole
   ``sdsf diagnostic`` export; and the indicator engine against a per-group loop with
   row-wise ``apply`` on the same commune inputs (results checked equal).

5. The schéma workspace grown to 50 actions with five years of indicator values: every page
   (benchmarks/schema.py).
6. The schéma document of that schéma in DOCX, PDF, HTML and XLSX (benchmarks/document.py).

Usage: ``make bench`` (about ten minutes, most of it pysal/access in benchmarks/catchment.py).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent
WORKSPACE = Path(tempfile.mkdtemp(prefix="sdsf-bench-"))
os.environ["SDSF_WORKSPACE"] = str(WORKSPACE)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sdsf.web.config.settings.local")


def fr(value: float, digits: int = 0) -> str:
    from sdsf.reports.formatting import french_number

    return french_number(value, digits)


def timed(fn, repeat: int = 1):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def naive_group_rates(quantities: pd.DataFrame, membership: pd.DataFrame) -> pd.Series:
    """What a spreadsheet-minded script does: loop over groups, row-wise apply, then divide."""
    from sdsf.core import columns as c

    out = {}
    for group, members in membership.groupby(c.GROUP):
        part = quantities[quantities[c.CODE].isin(members[c.CODE])]
        places = part.apply(lambda r: sum(r[v] for v in c.PLACE_VARIABLES), axis=1).sum()
        out[group] = places / part[c.CHILDREN_UNDER_3].sum() * 100
    return pd.Series(out)


def naive_indicators(values: pd.DataFrame, members: pd.DataFrame, specs) -> dict:
    """The script alternative: for each group and indicator, filter its communes and sum
    row by row."""
    from sdsf.core import columns as c

    out = {}
    for group, part in members.groupby(c.GROUP):
        rows = values[values[c.CODE].isin(part[c.CODE])]
        for ind in specs:
            cells = [rows.apply(lambda r, v=v: r[v], axis=1) for v in ind.variables]
            if len(rows) < len(part) or any(cell.isna().any() for cell in cells):
                continue  # a missing commune makes the group unknown, as in sdsf
            sums = [cell.sum() for cell in cells]
            if ind.kind == "ratio":
                if sums[1] > 0:
                    out[(group, ind.id)] = sums[0] / sums[1] * ind.scale
            else:
                out[(group, ind.id)] = sums[0] * ind.scale
    return out


def diagnostic_benchmark(client) -> list[str]:
    """Timings of the diagnostic on the demo département, written as Markdown lines."""
    from django.core.cache import cache

    from sdsf.core import columns as c
    from sdsf.core.indicators import compute_indicators
    from sdsf.parameters.indicators import catalogue
    from sdsf.web.apps.diagnostic.export import write_diagnostic
    from sdsf.web.apps.diagnostic.inputs import commune_inputs
    from sdsf.web.apps.diagnostic.services import compute_indicator_table
    from sdsf.web.apps.territories.services import membership

    def all_levels():
        for level in (c.COMMUNE, c.EPCI, c.DEPARTEMENT):
            compute_indicator_table(level, "44")

    _, dep_s = timed(all_levels, repeat=3)
    _, france_s = timed(lambda: compute_indicator_table(c.FRANCE), repeat=3)
    cache.clear()
    pages = []
    for theme in catalogue().themes:
        url = f"/departements/44/diagnostic/{theme}/"
        _, warm = timed(lambda url=url: client.get(url), repeat=5)
        pages.append(warm)
    cache.clear()
    communes = membership(c.COMMUNE, "44")[c.CODE].tolist()
    first, first_s = timed(lambda: client.get(f"/territoires/commune/{communes[0]}/"))
    assert first.status_code == 200
    fiches = []
    for code in communes:
        response, elapsed = timed(lambda code=code: client.get(f"/territoires/commune/{code}/"))
        assert response.status_code == 200
        fiches.append(elapsed)
    folder = Path(tempfile.mkdtemp(prefix="sdsf-diagnostic-"))
    written, export_s = timed(lambda: write_diagnostic("44", folder))

    members = membership(c.EPCI, "44")
    values = commune_inputs(members[c.CODE].unique().tolist())
    values = values[values[c.YEAR] == 2023]
    specs = [
        i
        for i in catalogue().indicators.values()
        if i.kind in ("somme", "ratio") and not i.partial and all(v in values for v in i.variables)
    ]
    ours, ours_s = timed(lambda: compute_indicators(values, members, specs), repeat=5)
    naive, naive_s = timed(lambda: naive_indicators(values, members, specs))
    mine = {(r[c.CODE], r["indicateur"]): r[c.VALUE] for r in ours.to_dict("records")}
    assert set(naive) == set(mine)
    assert all(abs(mine[k] - v) < 1e-9 * max(1, abs(v)) for k, v in naive.items())
    return [
        "",
        "## Diagnostic territorial (démo 44)",
        "",
        "Cibles : diagnostic complet d'un département en moins de 5 s, fiche d'une commune en "
        "moins de 300 ms. Les tableaux d'indicateurs sont mis en cache sous la révision des "
        "données : seule la première page après un import les calcule.",
        "",
        "| mesure | temps |",
        "| --- | --- |",
        f"| tous les indicateurs du catalogue, communes + EPCI + département (médiane de 3) "
        f"| {fr(dep_s, 2)} s |",
        f"| tous les indicateurs pour la France (34 875 communes, médiane de 3) "
        f"| {fr(france_s, 2)} s |",
        f"| page d'un thème, en cache (médiane des {len(pages)} thèmes) | "
        f"{statistics.median(pages) * 1000:.0f} ms |",
        f"| première fiche communale (calcule et met en cache les tableaux) "
        f"| {first_s * 1000:.0f} ms |",
        f"| fiche de chacune des {len(fiches)} communes ensuite : médiane / maximum | "
        f"{statistics.median(fiches) * 1000:.0f} ms / {max(fiches) * 1000:.0f} ms |",
        f"| `sdsf diagnostic` : XLSX de {len(catalogue().themes) * 2 + 1} feuilles, CSV, "
        f"{len(catalogue().themes)} cartes PNG 300 dpi + SVG, JSON ({len(written)} fichiers) "
        f"| {fr(export_s, 1)} s |",
        "",
        f"Moteur d'indicateurs contre un script pandas « à la main » ({len(specs)} indicateurs "
        f"sommes et ratios, {members[c.GROUP].nunique()} EPCI, mêmes résultats vérifiés) :",
        "",
        "| méthode | temps | rapport |",
        "| --- | --- | --- |",
        f"| boucle par EPCI et par indicateur + apply | {fr(naive_s, 2)} s | 1 |",
        f"| sdsf (`compute_indicators`, une agrégation vectorisée) | {ours_s * 1000:.0f} ms | "
        f"{naive_s / ours_s:.0f} × plus rapide |",
    ]


def priority_benchmark() -> list[str]:
    """Running the shipped rule sets on the demo (values, evaluation, 12 sensitivity runs)."""
    from sdsf.parameters.rules import shipped
    from sdsf.web.apps.priorities.services import compute_run

    lines = [
        "",
        "## Territoires prioritaires (démo 44)",
        "",
        "Évaluation complète : valeurs des indicateurs (en cache), statut, zone, rang et phrase "
        "de chaque territoire, puis sensibilité (chaque seuil à ± 5 % et ± 10 %).",
        "",
        "| règles | territoires | temps (médiane de 3) |",
        "| --- | --- | --- |",
    ]
    for rules_id in ("frt-2014", "bonus-territoire"):
        rules = shipped()[rules_id]
        result, elapsed = timed(lambda rules=rules: compute_run("44", rules), repeat=3)
        lines.append(f"| {rules.title} | {len(result.table)} | {elapsed * 1000:.0f} ms |")
    return lines


def kept_sections() -> list[str]:
    """The sections of the README that other scripts write (the load benchmark,
    benchmarks/load/run.py), kept as they are."""
    readme = ROOT / "README.md"
    if not readme.exists():
        return []
    text = readme.read_text(encoding="utf-8")
    start = text.find("\n## Charge : ")
    if start < 0:
        return []
    end = text.find("\n## ", start + 1)
    section = text[start + 1 : end if end >= 0 else len(text)].rstrip("\n")
    return [*section.split("\n"), ""]


def main() -> None:
    from sdsf.cli.django_setup import setup

    setup(WORKSPACE)
    from sdsf.core import columns as c
    from sdsf.core.aggregation import sum_by_group
    from sdsf.core.coverage import QUANTITIES, rates_from_places
    from sdsf.web.apps.territories.services import communes_frame, load_reference_geography

    counts, init_s = timed(load_reference_geography)
    communes = communes_frame()
    rng = np.random.default_rng(2026)
    n = len(communes)
    quantities = pd.DataFrame({c.CODE: communes[c.CODE], c.YEAR: 2023})
    children = rng.poisson(40, n).astype(float) + 1
    for mode, share in zip(c.MODES, (19.9, 3.6, 3.3, 31.9, 2.2), strict=True):
        quantities[c.places(mode)] = np.round(children * share / 100 * rng.lognormal(0, 0.5, n))
    quantities[c.CHILDREN_UNDER_3] = children

    def sdsf_all_levels():
        out = {c.COMMUNE: rates_from_places(quantities)}
        for level, col in (
            (c.EPCI, c.EPCI_CODE),
            (c.DEPARTEMENT, c.DEPARTEMENT_CODE),
            (c.REGION, c.REGION_CODE),
        ):
            members = communes[[c.CODE, col]].rename(columns={col: c.GROUP}).dropna()
            out[level] = rates_from_places(sum_by_group(quantities, members, list(QUANTITIES)))
        return out

    result, sdsf_s = timed(sdsf_all_levels, repeat=5)
    epci_members = communes[[c.CODE, c.EPCI_CODE]].rename(columns={c.EPCI_CODE: c.GROUP}).dropna()
    naive, naive_s = timed(lambda: naive_group_rates(quantities, epci_members))
    _, sdsf_epci_s = timed(
        lambda: rates_from_places(sum_by_group(quantities, epci_members, list(QUANTITIES))),
        repeat=5,
    )
    ours = result[c.EPCI].set_index(c.CODE)[c.RATE_GLOBAL]
    assert np.allclose(ours.loc[naive.index].to_numpy(), naive.to_numpy())

    from sdsf.demo.build import DEMO_EMAIL, build_demo

    build_demo("44")
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=DEMO_EMAIL))
    assert client.get("/departements/44/").status_code == 200
    from django.core.cache import cache

    pages = {}
    for label, url in (
        ("département (communes)", "/departements/44/"),
        ("département (EPCI)", "/departements/44/?niveau=epci"),
        ("carte GeoJSON (communes)", "/departements/44/carte.geojson"),
    ):
        cold = []
        for _ in range(5):
            cache.clear()
            response, elapsed = timed(lambda url=url: client.get(url))
            assert response.status_code == 200, (url, response.status_code)
            cold.append(elapsed)
        _, warm = timed(lambda url=url: client.get(url), repeat=10)
        pages[label] = (statistics.median(cold), warm)

    lines = [
        "# Benchmarks",
        "",
        "Reproduire : `make bench` (écrit ce fichier). Machine : "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cœurs, Python "
        f"{sys.version.split()[0]}, SQLite. Mesures d'une exécution ; le bruit de la machine "
        "partagée est de l'ordre de ±20 %.",
        "",
        "| mesure | temps |",
        "| --- | --- |",
        f"| `sdsf init` : géographie de toute la France ({fr(sum(counts.values()))} territoires, "
        f"unions EPCI/départements/régions, superficies projetées) | {fr(init_s, 1)} s |",
        f"| couverture de {fr(n)} communes + agrégation EPCI, départements, régions (sdsf.core) | "
        f"{sdsf_s * 1000:.0f} ms |",
    ]
    lines += [
        f"| page {label}, démo 44 : calcul (médiane de 5) / en cache (médiane de 10) | "
        f"{cold * 1000:.0f} ms / {warm * 1000:.0f} ms |"
        for label, (cold, warm) in pages.items()
    ]
    lines += [
        "",
        "## Agrégation aux EPCI : sdsf contre un script pandas « à la main »",
        "",
        "Même entrée (offre synthétique de type démo sur toutes les communes de France, graine "
        "2026), mêmes résultats (vérifiés égaux). L'alternative est la boucle par EPCI avec "
        "`apply` ligne à ligne qu'écrit un analyste qui sort d'un tableur.",
        "",
        "| méthode | temps | rapport |",
        "| --- | --- | --- |",
        f"| boucle par groupe + apply | {fr(naive_s, 2)} s | 1 |",
        f"| sdsf (`sum_by_group` + `rates_from_places`, vectorisé) | {sdsf_epci_s * 1000:.0f} ms | "
        f"{naive_s / sdsf_epci_s:.0f} × plus rapide |",
        "",
    ]
    lines += diagnostic_benchmark(client)
    lines += priority_benchmark()
    from schema import benchmark as schema_benchmark

    lines += schema_benchmark(client)
    from document import benchmark as document_benchmark

    lines += document_benchmark()
    from catchment import benchmark as catchment_benchmark

    lines += catchment_benchmark()
    lines.append("")
    lines += kept_sections()
    (ROOT / "README.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
