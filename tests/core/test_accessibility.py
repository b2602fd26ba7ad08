"""Nearest-service distances: the KD-tree agrees with brute force in the projected system."""

from __future__ import annotations

import numpy as np

from sdsf.core.accessibility import nearest_distance_km, projected_xy


def test_nearest_distance_matches_brute_force():
    rng = np.random.default_rng(1)
    origins = np.column_stack([rng.uniform(-2.5, -1, 300), rng.uniform(46.9, 47.8, 300)])
    services = np.column_stack([rng.uniform(-2.5, -1, 40), rng.uniform(46.9, 47.8, 40)])
    found = nearest_distance_km(origins, services, 2154)
    a = projected_xy(origins[:, 0], origins[:, 1], 2154)
    b = projected_xy(services[:, 0], services[:, 1], 2154)
    brute = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)).min(axis=1) / 1000
    np.testing.assert_allclose(found, brute, rtol=1e-12)


def test_known_distance_nantes_saint_nazaire():
    # Nantes (-1.5536, 47.2184) to Saint-Nazaire (-2.2139, 47.2735): about 50 km as the crow flies.
    d = nearest_distance_km(np.array([[-1.5536, 47.2184]]), np.array([[-2.2139, 47.2735]]), 2154)
    assert 49 < d[0] < 52


def test_no_service_and_unknown_points_give_unknown_distances():
    assert np.isnan(nearest_distance_km(np.array([[-1.5, 47.2]]), np.empty((0, 2)), 2154)).all()
    out = nearest_distance_km(
        np.array([[np.nan, np.nan], [-1.5, 47.2]]), np.array([[-1.5, 47.2]]), 2154
    )
    assert np.isnan(out[0]) and out[1] == 0


def test_services_outside_the_projection_are_left_out():
    # Mayotte (UTM 38S, EPSG 4471) measured in a national database: a service in Guyane
    # projects to infinity there; the nearest service is the one in Mayotte.
    origins = np.array([[45.2, -12.8]])
    services = np.array([[-52.0999, 3.8059], [45.23, -12.78]])
    found = nearest_distance_km(origins, services, 4471)
    assert np.isfinite(found).all() and found[0] < 5
    assert np.isnan(nearest_distance_km(origins, services[:1], 4471)).all()
