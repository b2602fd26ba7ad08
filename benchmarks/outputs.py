"""All-France coverage outputs (every commune, every year): sdsf's encoder against what a user
has at hand on the same table, then the whole ``sdsf couverture`` command.

Needs a workspace holding the national Cnaf commune files and the Insee births (../shared/data,
see its SOURCES.md); ``--build`` makes one (about a minute and a half):
``sdsf init`` then ``sdsf import ../shared/data/caf ../shared/data/insee``.

Usage: ``.venv/bin/python benchmarks/outputs.py --workspace /tmp/wsfast [--build]``. Prints a
markdown table; medians of 3 (the shared machine's noise is about ±20 %).

Encoders, all on the table ``coverage_listing("commune")`` returns, each output written to a
null sink:
- JSON: sdsf (:func:`sdsf.reports.tables.json_chunks`, orjson, in chunks), pandas
  ``DataFrame.to_json(orient="records", indent=2)`` of the documented columns, and the standard
  library ``json.dumps(..., indent=2)`` of the records (sdsf's previous way); sdsf's text is
  checked equal to the standard library's.
- CSV: sdsf (:func:`sdsf.reports.tables.csv_chunks`, formula-neutral cells), pandas
  ``DataFrame.to_csv(sep=";", decimal=",")`` of the same columns (no neutralisation), and the
  standard ``csv`` module row by row (sdsf's previous way); sdsf's text is checked equal to it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
RUNS = 3


def median_seconds(fn: Callable[[], Any], runs: int = RUNS) -> tuple[Any, float]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def sdsf_command(*args: str, workspace: Path, sink: Any = subprocess.DEVNULL) -> None:
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "sdsf.cli", *args, "--workspace", str(workspace)]
    subprocess.run(command, check=True, env=env, stdout=sink)


def build(workspace: Path) -> None:
    sdsf_command("init", workspace=workspace)
    sdsf_command("import", str(DATA / "caf"), str(DATA / "insee"), workspace=workspace)


def previous_records(table: Any) -> list[dict[str, object]]:
    """sdsf's previous row-by-row records (the reference of tests/cli/test_fast_outputs.py)."""
    sys.path.insert(0, str(ROOT))
    from tests.cli.test_fast_outputs import reference_records

    return reference_records(table)


def previous_csv(table: Any) -> str:
    from tests.cli.test_fast_outputs import reference_csv

    return reference_csv(table)


def fr(seconds: float) -> str:
    from sdsf.reports.formatting import french_number

    return f"{french_number(seconds, 2)} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--build", action="store_true", help="init + import the national data")
    options = parser.parse_args()
    if options.build:
        build(options.workspace)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sdsf.web.config.settings.local")
    sys.path.insert(0, str(ROOT / "src"))
    from sdsf.cli.django_setup import setup
    from sdsf.reports.formatting import french_number

    setup(options.workspace)
    from sdsf.reports.tables import CSV_HEADERS, JSON_KEYS, csv_chunks, json_chunks
    from sdsf.web.apps.datasets.coverage import coverage_listing

    table, compute = median_seconds(lambda: coverage_listing("commune"), runs=1)
    columns = table.reindex(columns=JSON_KEYS)

    def drain(chunks: Any) -> int:
        return sum(len(chunk) for chunk in chunks)

    _, sdsf_json = median_seconds(lambda: drain(json_chunks(table)))
    _, pandas_json = median_seconds(lambda: columns.to_json(orient="records", indent=2))
    _, std_json = median_seconds(
        lambda: json.dumps(previous_records(table), ensure_ascii=False, indent=2)
    )
    same_json = b"".join(json_chunks(table)) == json.dumps(
        previous_records(table), ensure_ascii=False, indent=2
    ).encode("utf-8")

    _, sdsf_csv = median_seconds(lambda: drain(csv_chunks(table)))

    def pandas_csv() -> str:
        buffer = io.StringIO()
        frame = columns[list(CSV_HEADERS)].rename(columns=CSV_HEADERS)
        frame.to_csv(buffer, sep=";", decimal=",", index=False, lineterminator="\r\n")
        return buffer.getvalue()

    _, pandas_csv_time = median_seconds(pandas_csv)
    _, std_csv = median_seconds(lambda: previous_csv(table))
    same_csv = "".join(csv_chunks(table)) == previous_csv(table)

    def command(fmt: str) -> float:
        return median_seconds(
            lambda: sdsf_command(
                "couverture", "--niveau", "commune", "--format", fmt, workspace=options.workspace
            )
        )[1]

    cli_json, cli_csv = command("json"), command("csv")

    rows = [
        ("JSON", "sdsf (orjson, en morceaux)", sdsf_json),
        ("JSON", 'pandas `to_json(orient="records", indent=2)`', pandas_json),
        ("JSON", "bibliothèque standard `json.dumps` (méthode précédente)", std_json),
        ("CSV", "sdsf (colonnes vectorisées, cellules neutres, en morceaux)", sdsf_csv),
        ("CSV", 'pandas `to_csv(sep=";", decimal=",")` (sans neutralisation)', pandas_csv_time),
        ("CSV", "module `csv` ligne à ligne (méthode précédente)", std_csv),
    ]
    print(
        f"Table : {len(table)} lignes (communes × années), calcul {fr(compute)} ; "
        f"JSON identique à la bibliothèque standard : {'oui' if same_json else 'NON'}, "
        f"CSV identique à la méthode précédente : {'oui' if same_csv else 'NON'}.\n"
    )
    print("| sortie | encodeur | temps (médiane de 3) | rapport à sdsf |")
    print("| --- | --- | --- | --- |")
    for kind, label, seconds in rows:
        best = sdsf_json if kind == "JSON" else sdsf_csv
        print(f"| {kind} | {label} | {fr(seconds)} | {french_number(seconds / best, 1)} × |")
    print("\n| commande complète (médiane de 3) | temps |")
    print("| --- | --- |")
    print(f"| `sdsf couverture --niveau commune --format json` | {fr(cli_json)} |")
    print(f"| `sdsf couverture --niveau commune --format csv` | {fr(cli_csv)} |")
    if not (same_json and same_csv):
        raise SystemExit("sorties différentes de la méthode précédente")


if __name__ == "__main__":
    main()
