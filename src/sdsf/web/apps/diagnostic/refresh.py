"""The refresh of the figures after a change of data, in the background: every table a page,
an export or a document reads first is computed and stored (:mod:`sdsf.web.apps.datasets.
stored`) before anybody asks, so that the first visit after an import reads, never computes.

France, the régions and the national catchment first (once per data revision), then each
département with data whose tables the change reached (the others keep theirs: their
revision did not move). A refresh queued for an older revision stops as soon as a newer one
is queued: the newer one does the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sdsf.core import columns as c
from sdsf.web.apps.datasets import revision
from sdsf.web.apps.datasets.coverage import coverage_table
from sdsf.web.apps.datasets.services import departements_with_rates
from sdsf.web.apps.datasets.stored import is_stored, table_key
from sdsf.web.apps.diagnostic.catchment import accessible_places
from sdsf.web.apps.diagnostic.services import indicator_table

log = logging.getLogger(__name__)
DEPARTEMENT_PAGE_LEVELS = (c.DEPARTEMENT, c.COMMUNE, c.EPCI)


def refresh_country() -> None:
    """The tables of the whole country: national catchment, coverage of every level of France
    (the national pages and ``sdsf couverture`` read them), France indicators."""
    accessible_places()
    for level in (c.FRANCE, c.REGION, c.DEPARTEMENT, c.EPCI, c.COMMUNE):
        coverage_table(level)
    indicator_table(c.FRANCE)


def refresh_departement(departement: str) -> None:
    """The tables of one département's pages: coverage by level (every year, and the latest
    year the pages open on), indicators by level, the priority runs of its rule sets."""
    from sdsf.web.apps.priorities.services import rule_sets, run

    for level in DEPARTEMENT_PAGE_LEVELS:
        history = coverage_table(level, departement)
        if not history.empty:
            coverage_table(level, departement, int(history[c.YEAR].max()))
        indicator_table(level, departement)
    for rules in rule_sets(departement).values():
        run(departement, rules)


def is_fresh(departement: str) -> bool:
    """Whether the département's tables are stored under its current revision."""
    return is_stored(table_key("diagnostic", c.COMMUNE, departement))


def refresh(
    revision_value: int | None = None, progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Compute and store every stale table; return the number of départements refreshed.
    ``revision_value``: the revision the refresh was queued for (it stops when the data moved
    on since, a newer refresh being queued)."""

    def moved_on() -> bool:
        return revision_value is not None and revision.current() != revision_value

    if moved_on():
        return 0
    refresh_country()
    stale = [d for d in sorted(departements_with_rates()) if not is_fresh(d)]
    done = 0
    for number, departement in enumerate(stale, start=1):
        if moved_on():
            log.info("refresh stopped: the data changed again (a newer refresh is queued)")
            break
        refresh_departement(departement)
        done += 1
        if progress:
            progress(departement, number, len(stale))
    return done
