"""``sdsf serve`` (the platform on this computer: gunicorn, plus a worker process for the
background work) and ``sdsf worker`` (a worker process alone, for production)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Annotated

import typer

from sdsf.cli.common import Workspace, app
from sdsf.cli.django_setup import setup

DEBUG_SETTINGS = "sdsf.web.config.settings.dev"


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port d'écoute.")] = 8000,
    hote: Annotated[str, typer.Option(help="Adresse d'écoute.")] = "127.0.0.1",
    processus: Annotated[
        int | None,
        typer.Option(
            help="Processus web (gunicorn) ; par défaut 2 par cœur, plus 1.", show_default=False
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Pages de débogage de Django (code et réglages du serveur visibles) : pour "
            "le développement seulement, jamais sur un serveur accessible à d'autres.",
        ),
    ] = False,
    workspace: Workspace = None,
) -> None:
    """Lance la plateforme web (http://127.0.0.1:8000/) et un processus de travail pour les
    imports et les documents."""
    if debug:
        os.environ["DJANGO_SETTINGS_MODULE"] = DEBUG_SETTINGS
    setup(workspace)
    env = dict(os.environ)
    worker = subprocess.Popen([sys.executable, "-m", "sdsf.cli", "worker"], env=env)
    typer.echo(
        f"sdsf sur http://{hote}:{port}/ (Ctrl+C pour arrêter)"
        + (" — mode débogage : réservé au développement" if debug else "")
    )
    if hote not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(
            "Adresse ouverte au réseau : donnez les noms du site dans SDSF_ALLOWED_HOSTS ; en "
            "production, servez sdsf derrière HTTPS (docs/production.md)."
        )
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "sdsf.web.config.wsgi:application",
        "--bind",
        f"[{hote}]:{port}" if ":" in hote else f"{hote}:{port}",
        "--workers",
        str(max(1, processus or 2 * (os.cpu_count() or 1) + 1)),
        "--threads",
        "1",  # pages compute in Python: processes, not threads (benchmarks/README.md)
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # a service manager stops sdsf serve: stop both
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for process in (server, worker):  # gunicorn and the worker finish what they do
            process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@app.command()
def worker(
    une_fois: Annotated[
        bool,
        typer.Option(
            "--une-fois", help="Traiter les travaux en attente puis s'arrêter (sans attendre)."
        ),
    ] = False,
    workspace: Workspace = None,
) -> None:
    """Processus de travail : écrit les documents, fait les imports demandés depuis le web et
    recalcule les chiffres après chaque import. Un travail interrompu (arrêt, redémarrage) est
    repris à son démarrage."""
    setup(workspace)
    from sdsf.web.apps.jobs.services import run_worker

    if not une_fois:
        typer.echo("Processus de travail démarré (Ctrl+C pour arrêter).")
    count = run_worker(batch=une_fois)
    if une_fois:
        typer.echo(f"{count} travail(x) effectué(s).")


@app.command()
def calcul(workspace: Workspace = None) -> None:
    """Calcule et enregistre les chiffres que liront les pages, les exports et les documents
    (France, régions, puis chaque département dont les données ont changé) : ce que fait le
    processus de travail après chaque import, ici tout de suite."""
    setup(workspace)
    import time

    from sdsf.reports.formatting import french_number
    from sdsf.web.apps.diagnostic.refresh import refresh

    start = time.perf_counter()

    def progress(departement: str, number: int, total: int) -> None:
        typer.echo(f"  département {departement} ({number}/{total})")

    typer.echo("Chiffres de la France, des régions et des aires de chalandise…")
    count = refresh(progress=progress)
    seconds = time.perf_counter() - start
    typer.echo(
        f"{count} département(s) recalculé(s) en {french_number(seconds, 1)} s ; les autres "
        "étaient à jour."
    )
