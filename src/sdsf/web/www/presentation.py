"""Helpers shared by the pages: figures as table rows, map bounds."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.http import Http404, HttpResponse

from sdsf.reports.summaries import shown
from sdsf.sources.registry import import_hint
from sdsf.web.apps.diagnostic.services import Figure
from sdsf.web.apps.territories.models import Territory


def figure_rows(figs: list[Figure]) -> list[dict[str, object]]:
    rows = []
    for f in figs:
        ind = f.indicator
        rows.append(
            {
                "id": ind.id,
                "label": ind.label,
                "unit": ind.unit,
                "definition": ind.definition,
                "source": ind.source,
                "value": shown(f.value, ind.decimals),
                "year": f.year or "",
                "departement": shown(f.departement, ind.decimals),
                "france": shown(f.france, ind.decimals),
                "france_scope": f.france_scope,
                "france_origin": f.france_origin,
                "france_reference": bool(f.france_source) and f.france is not None,
                "target": shown(f.target, ind.decimals) if f.target is not None else "",
                "rank": f"{f.rank} sur {f.ranked}" if f.rank else "",
                "missing": f.missing,
                "completeness": f.completeness,
                "perimeter": f.perimeter,
                "hint": (f.missing_reason or import_hint(ind.imports)) if f.missing else "",
                "hint_is_import": f.missing and not f.missing_reason,
                "france_completeness": f.france_completeness,
            }
        )
    return rows


def bbox(territory: Territory, margin: float = 0.0) -> list[list[float]] | None:
    """Leaflet bounds [[south, west], [north, east]] of a territory, widened by ``margin``
    times its size on each side (to show its surroundings)."""
    if not territory.geojson:
        return None
    import shapely

    minx, miny, maxx, maxy = shapely.from_geojson(territory.geojson).bounds
    dx, dy = (maxx - minx) * margin, (maxy - miny) * margin
    return [[miny - dy, minx - dx], [maxy + dy, maxx + dx]]


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def download(body: bytes | str, fmt: str, stem: str) -> HttpResponse:
    """A file to download (``stem.fmt``); text is sent as UTF-8."""
    if fmt not in CONTENT_TYPES:
        raise Http404("Format inconnu")
    data = body.encode("utf-8") if isinstance(body, str) else body
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def feature_collection(features: Iterable[tuple[str | None, dict[str, object]]]) -> HttpResponse:
    """A GeoJSON FeatureCollection from stored GeoJSON geometries (inserted as they are, not
    parsed again) and their properties; features without geometry are left out."""
    parts = [
        f'{{"type":"Feature","geometry":{geometry},"properties":'
        f"{json.dumps(props, ensure_ascii=False)}}}"
        for geometry, props in features
        if geometry
    ]
    body = '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"
    return HttpResponse(body, content_type="application/geo+json")
