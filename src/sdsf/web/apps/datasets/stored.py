"""Computed tables stored once per data revision, for every process to read.

A table is computed once for the revision of the data it reads and stored in Django's cache
(files in the workspace by default, Redis in production: ``CACHES`` in the settings), which
every web worker, the task worker and the command line share: an import makes the next key
new, so every process sees the new figures at once and no entry is ever served stale. A
process also keeps the last tables it read (:data:`MEMORY_ENTRIES`), so that a page does not
unpickle the same table twice.

Tables of France, the régions and the whole country are keyed by the revision of all data;
those of one département by its own revision (:func:`revision.departement_key`), so that a
département's work never depends on how many others hold data.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
from django.core.cache import cache

from sdsf.core import columns as c
from sdsf.web.apps.datasets import revision

T = TypeVar("T")
MEMORY_ENTRIES = 64
# What a process keeps of the tables it read: at most this many bytes, no table above the second
# figure (the national tables are read from the shared cache each time: they are rare).
MEMORY_BYTES, MEMORY_LARGEST = 192 * 2**20, 32 * 2**20
# Levels whose tables of one département read only the data that reach it (reach.py); a
# région's territories read other départements' communes, custom territories any commune.
DEPARTEMENT_LEVELS = (c.COMMUNE, c.ARRONDISSEMENT, c.EPCI, c.DEPARTEMENT)

_memory: OrderedDict[str, tuple[Any, int]] = OrderedDict()
_lock = threading.Lock()


def table_key(name: str, level: str | None, departement: str | None, *parts: object) -> str:
    """The cache key of table ``name``: under the département's revision when the table is of
    one département at a level that stays inside its reach, else under the whole data's."""
    if departement and (level is None or level in DEPARTEMENT_LEVELS):
        scope = f"d{departement}:{revision.departement_key(departement)}"
    else:
        scope = f"fr:{revision.key()}"
    tail = ":".join("-" if p is None else str(p) for p in parts)
    return f"sdsf:{name}:{scope}:{level or '-'}:{departement or '-'}:{tail}"


def size_of(value: object) -> int:
    """Bytes of a stored value, roughly: its frames' columns (the rest counts as small)."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=False).sum())
    if isinstance(value, tuple | list):
        return sum(size_of(v) for v in value) + 64
    if isinstance(value, dict):
        return sum(size_of(v) for v in value.values()) + 64
    frames = [v for v in getattr(value, "__dict__", {}).values() if isinstance(v, pd.DataFrame)]
    return sum(size_of(f) for f in frames) + 1024


def _keep(key: str, value: object) -> None:
    size = size_of(value)
    if size > MEMORY_LARGEST:
        return
    with _lock:
        _memory[key] = (value, size)
        _memory.move_to_end(key)
        total = sum(s for _, s in _memory.values())
        while _memory and (len(_memory) > MEMORY_ENTRIES or total > MEMORY_BYTES):
            _, (_, dropped) = _memory.popitem(last=False)
            total -= dropped


def _copy(value: T) -> T:
    if isinstance(value, pd.DataFrame):
        return value.copy()  # type: ignore[return-value]
    return copy.deepcopy(value)


def remember(key: str, compute: Callable[[], T]) -> T:
    """The value stored under ``key``, computed and stored first if no process has yet (a copy:
    the caller may change it)."""
    with _lock:
        if key in _memory:
            _memory.move_to_end(key)
            return _copy(_memory[key][0])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    _keep(key, value)
    return _copy(value)


def is_stored(key: str) -> bool:
    """Whether the table of ``key`` is already stored (the refresh skips it)."""
    return key in _memory or bool(cache.has_key(key))


def forget_memory() -> None:
    """Drop this process's copies (tests clear the shared cache with it)."""
    with _lock:
        _memory.clear()
