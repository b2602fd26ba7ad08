"""The secret key: ``SDSF_SECRET_KEY`` when set, else one generated once for the workspace and
kept in a file that only its owner can read (``<workspace>/cle-secrete``). Django signs
sessions, password-reset links and CSRF tokens with it: it never appears in the code."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FILE_NAME = "cle-secrete"
MIN_LENGTH = 50  # Django's deployment check asks for at least 50 characters


def secret_key(workspace: Path, environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The key from the environment, or the workspace's (created on first use)."""
    given = environ.get("SDSF_SECRET_KEY")
    if given is not None:
        if len(given.strip()) < MIN_LENGTH or len(set(given)) < 5:
            raise ImproperlyConfigured(
                f"SDSF_SECRET_KEY est trop courte ({len(given.strip())} caractères) : donnez "
                f"une clé aléatoire d'au moins {MIN_LENGTH} caractères, ou retirez la variable "
                "pour que sdsf en crée une dans le dossier de travail."
            )
        return given.strip()
    return _workspace_key(workspace / FILE_NAME)


def _workspace_key(path: Path) -> str:
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: when several server processes start at once, one creates the key, the
        # others read it.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    except OSError as exc:
        raise ImproperlyConfigured(_unwritable(path, exc)) from exc
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(64))
    return _read(path)


def _read(path: Path) -> str:
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ImproperlyConfigured(_unwritable(path, exc)) from exc
    if len(key) < MIN_LENGTH:
        raise ImproperlyConfigured(
            f"la clé secrète de « {path} » est vide ou trop courte : supprimez ce fichier pour "
            "que sdsf en crée une nouvelle (les sessions ouvertes seront fermées), ou donnez "
            "SDSF_SECRET_KEY."
        )
    return key


def _unwritable(path: Path, exc: OSError) -> str:
    return (
        f"clé secrète introuvable : sdsf ne peut ni lire ni créer « {path} » "
        f"({exc.strerror or exc}). Donnez une clé dans la variable d'environnement "
        "SDSF_SECRET_KEY (au moins 50 caractères aléatoires), ou un dossier de travail "
        "accessible en écriture (SDSF_WORKSPACE)."
    )
