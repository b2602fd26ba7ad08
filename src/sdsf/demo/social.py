"""Simulated social files of the demo, in the published layouts: Filosofi (commune, EPCI,
département), Caf allocataires by IRIS, and quartiers prioritaires (demography).

Deterministic like the rest of the demo (generator seeded by the département code). The QPV
codes are taken in the 9xx range (``QP044901``...), which no real quartier uses, and their names
say « quartier simulé »: they cannot be confused with the real ANCT list.
"""

from __future__ import annotations

from dataclasses import dataclass
from zlib import crc32

import numpy as np
import pandas as pd

from sdsf.core import columns as c

FILOSOFI_YEAR = "19"


@dataclass(frozen=True)
class SocialData:
    filosofi: dict[str, pd.DataFrame]  # level -> FILO_DISP layout
    caf_iris: pd.DataFrame  # Cnaf IRIS layout
    qpv: pd.DataFrame  # ANCT demography layout
    dgcl: pd.DataFrame  # DGCL DGF criteria layout
    ircom: pd.DataFrame  # DGFiP IRCOM layout (Total rows, amounts in thousands of euros)
    zrr: pd.DataFrame  # ANCT ZRR list layout
    iris: pd.DataFrame  # Insee IRIS membership table layout (the whole mesh)


def _french(values: np.ndarray, digits: int) -> list[str]:
    return [f"{v:.{digits}f}".replace(".", ",") for v in values]


def simulate_social(communes: pd.DataFrame, departement: str) -> SocialData:
    """``communes``: ``code``, ``libelle``, ``population``, ``urban`` (0 rural .. 1 dense),
    ``epci``. Returns the three files as frames of text cells."""
    rng = np.random.default_rng(crc32(f"sdsf-demo-social-{departement}".encode()))
    frame = communes.sort_values(c.CODE).reset_index(drop=True)
    pop = frame["population"].to_numpy(dtype=float)
    urban = frame["urban"].to_numpy(dtype=float)
    households = np.round(pop / 2.2)
    # Median income: peri-urban communes richest, dense centres and remote rural poorer.
    periurban = np.exp(-(((urban - 0.45) / 0.25) ** 2))
    median = 20_500 + 4_500 * periurban - 1_500 * urban + rng.normal(0, 1_200, len(pop))
    ratio = 2.6 + 1.6 * urban + rng.normal(0, 0.2, len(pop))
    published = households >= 50
    deciles = pop >= 2_000

    def filosofi(codes, names, med, rd, men, with_deciles) -> pd.DataFrame:
        out = pd.DataFrame(
            {
                "CODGEO": codes,
                "LIBGEO": names,
                f"NBMEN{FILOSOFI_YEAR}": np.round(men).astype(int).astype(str),
                f"Q2{FILOSOFI_YEAR}": _french(np.round(med, -1), 0),
                "RD": _french(rd, 1),
            }
        )
        out.loc[~with_deciles, "RD"] = ""
        return out

    com = filosofi(
        frame[c.CODE][published],
        frame[c.LABEL][published],
        median[published],
        ratio[published],
        households[published],
        deciles[published],
    )
    weights = pd.DataFrame({"epci": frame["epci"], "w": households, "m": median * households})
    weights["r"] = ratio * households
    by_epci = weights.dropna(subset=["epci"]).groupby("epci")[["w", "m", "r"]].sum()
    epci = filosofi(
        by_epci.index,
        by_epci.index,
        (by_epci["m"] / by_epci["w"]).to_numpy(),
        (by_epci["r"] / by_epci["w"]).to_numpy(),
        by_epci["w"].to_numpy(),
        np.ones(len(by_epci), dtype=bool),
    )
    total = weights[["w", "m", "r"]].sum()
    dep = filosofi(
        [departement],
        [departement],
        np.array([total["m"] / total["w"]]),
        np.array([total["r"] / total["w"]]),
        np.array([total["w"]]),
        np.array([True]),
    )

    # Caf: one pseudo-IRIS per commune of more than 1,000 inhabitants (publication threshold).
    shown = pop > 1_000
    allocataires = np.round(pop * (0.20 + 0.08 * urban) * rng.lognormal(0, 0.05, len(pop)))
    single = np.round(allocataires * (0.07 + 0.07 * urban))
    couples = np.round(allocataires * (0.30 - 0.08 * urban))
    young = np.round(pop * 0.031 * rng.lognormal(0, 0.1, len(pop)))
    caf = pd.DataFrame(
        {
            "CODGEO": frame[c.CODE] + "0000",
            "NOTE": "0",
            "A": allocataires.astype(int),
            "AM": single.astype(int),
            "ACAVENF": couples.astype(int),
            "ENF_2": young.astype(int),
            "ARSAS": np.round(allocataires * 0.08 * (0.5 + urban)).astype(int),
        }
    )[shown]
    # Insee: the whole mesh, one IRIS per commune (communes « non irisées »): the Caf's sums
    # are partial against it.
    iris = pd.DataFrame(
        {
            "CODE_IRIS": frame[c.CODE] + "0000",
            "LIB_IRIS": frame[c.LABEL] + " (commune non irisée)",
            "TYP_IRIS": "Z",
            "DEPCOM": frame[c.CODE],
            "LIBCOM": frame[c.LABEL],
        }
    )

    # QPV: in the largest towns, about 8 % of their population; the first one straddles the
    # largest town and the third (its neighbour in a metropolis, as often in real lists).
    order = np.argsort(-pop)[:5]
    rows = []
    for k, i in enumerate(order, start=1):
        share = rng.uniform(0.04, 0.12)
        population = int(pop[i] * share)
        towns = frame.at[i, c.LABEL]
        if k == 1 and len(order) > 2:
            towns = f"{towns}, {frame.at[order[2], c.LABEL]}"
        rows.append(
            {
                "CODGEO": f"QP{departement.zfill(3)}{900 + k}",
                "LIBGEO": f"Quartier simulé n°{k}",
                "POP_MUN": f"{population:,}".replace(",", "\u202f"),
                "LIB_COM": towns,
                "ENF_2": str(int(population * 0.05)),
                "AM": str(int(population * 0.04)),
            }
        )
    # Resources: potentiel financier higher in towns (business taxes), net declared income per
    # tax household following the median income; ZRR for sparse rural communes.
    pf_per_head = 700 + 550 * urban + 120 * periurban + rng.normal(0, 90, len(pop))
    dgf_pop = np.round(pop * 1.03)
    dgcl = pd.DataFrame(
        {
            "Informations générales - Code INSEE de la commune": frame[c.CODE],
            "Informations générales - Nom de la commune": frame[c.LABEL].str.upper(),
            "Informations générales - Population DGF de l'année N": dgf_pop.astype(int),
            "Potentiel fiscal et financier des communes - Potentiel financier": np.round(
                pf_per_head * dgf_pop
            ).astype(int),
            "Potentiel fiscal et financier des communes - Potentiel financier par habitant": (
                _french(pf_per_head, 2)
            ),
        }
    )
    foyers = np.round(pop * 0.55)
    income = median * 1.05 + rng.normal(0, 800, len(pop))
    code = frame[c.CODE].astype(str)
    ircom = pd.DataFrame(
        {
            # DGFiP layout: « 440 » and « 109 » for 44109, « 971 » and « 101 » for 97101
            "Dép.": code.str[:3].where(code.str.startswith("97"), code.str[:2] + "0"),
            "Commune": code.str[2:],
            "Libellé de la commune": frame[c.LABEL],
            "Revenu fiscal de référence par tranche (en euros)": "Total",
            "Nombre de foyers fiscaux": foyers.astype(int),
            "Revenu fiscal de référence des foyers fiscaux": np.round(
                foyers * income / 1000
            ).astype(int),
        }
    )
    density_rank = urban < 0.05
    zrr = pd.DataFrame(
        {
            "CODGEO": frame[c.CODE],
            "LIBGEO": frame[c.LABEL],
            "ZRR_SIMP": np.where(
                density_rank & (rng.random(len(pop)) < 0.5),
                "C - Classée en ZRR",
                "NC - Commune non classée",
            ),
        }
    )
    return SocialData(
        {"com": com, "epci": epci, "dep": dep}, caf, pd.DataFrame(rows), dgcl, ircom, zrr, iris
    )
