"""Helpers shared by the pages: figures as table rows, map bounds."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.http import Http404, HttpResponse, StreamingHttpResponse

from sdsf.reports.encoding import dumps
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


def _utf8(chunks: Iterable[bytes | str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk


def download(
    body: bytes | str | Iterable[bytes | str], fmt: str, stem: str
) -> HttpResponse | StreamingHttpResponse:
    """A file to download (``stem.fmt``); text is sent as UTF-8. ``body`` given in chunks (a CSV
    of :mod:`sdsf.reports.encoding`) is streamed as it is encoded; the figures it writes must
    be computed before (no database read once the response has left the view)."""
    if fmt not in CONTENT_TYPES:
        raise Http404("Format inconnu")
    response: HttpResponse | StreamingHttpResponse
    if isinstance(body, bytes | str):
        data = body.encode("utf-8") if isinstance(body, str) else body
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    else:
        response = StreamingHttpResponse(_utf8(body), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def feature_collection(features: Iterable[tuple[str | None, dict[str, object]]]) -> HttpResponse:
    """A GeoJSON FeatureCollection from stored GeoJSON geometries (inserted as they are, not
    parsed again) and their properties (:mod:`sdsf.reports.encoding`); features without
    geometry are left out. One département's layer: sent whole (the map reads it whole)."""
    parts = [
        b'{"type":"Feature","geometry":'
        + geometry.encode("utf-8")
        + b',"properties":'
        + dumps(props)
        + b"}"
        for geometry, props in features
        if geometry
    ]
    body = b'{"type":"FeatureCollection","features":[' + b",".join(parts) + b"]}"
    return HttpResponse(body, content_type="application/geo+json")
