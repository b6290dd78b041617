"""Map layers of a scenario in one year: released airport land as strips across the runway,
test roads, placed projects as points, and the year's advice (:class:`YearState`).

On the map the airport polygon is cut into strips across the runway, from the runway's first
threshold onward, one strip per phase, each with the phase's share of the area.  Test roads:
``airport_block`` phases lie inside the airport boundary and need the airport closed;
``block_site`` phases lie in the demonstration zone outside the airport boundary (the plan's
"pick a site in the block and start the test road first").
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from analysis.airport import Runway
from analysis.recommend import DemonstrationAdvice
from analysis.scenario.placement import place_projects, reserve_parcels
from analysis.scenario.rules import demonstration_advice, height_limit_active, phase_years
from analysis.scenario.schema import (
    PLANNED_USE_EN,
    PLANNED_USE_ZH,
    SQM_PER_HA,
    TEST_ROAD_PLACES,
    Scenario,
    check_year,
)
from analysis.scenario.timeline import airport_area
from core.settings import GEOGRAPHIC_CRS, get_settings

__all__ = ["YearState", "scenario_year_state"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class YearState:
    """Map layers and advice of a scenario in one year (all layers in EPSG:4326).

    Attributes
    ----------
    scenario, year
        Which scenario and year.
    height_limit_active
        Whether the airport's height limits apply.
    released
        Released airport land: one polygon per phase released by ``year`` with ``phase``,
        ``release_year``, ``share_pct``, ``area_ha``, ``uses_zh``, ``uses_en``.
    test_roads
        Test-road lines built by ``year``: ``phase``, ``year``, ``place``, ``length_km``
        (planned) and ``drawn_km`` (what fits on the map).
    projects
        Placed projects as points (see :func:`place_projects` for the columns).
    advice
        The demonstration zone's advice for the land analysis.
    """

    scenario: str
    year: int
    height_limit_active: bool
    released: gpd.GeoDataFrame
    test_roads: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame
    advice: DemonstrationAdvice


def _axis_frame(runway: Runway) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.asarray(runway.midpoint), np.asarray(runway.axis), np.asarray((-runway.axis[1], runway.axis[0]))


def _band(runway: Runway, u0: float, u1: float, reach: float) -> Polygon:
    """Rectangle ``u0 <= u <= u1`` across the runway axis, ``reach`` metres either side."""
    m, a, n = _axis_frame(runway)
    pts = [m + u * a + v * n for u, v in ((u0, -reach), (u1, -reach), (u1, reach), (u0, reach))]
    return Polygon(pts)


def _phase_strips(polygon: BaseGeometry, runway: Runway, shares_pct: Sequence[float]) -> list[BaseGeometry]:
    """Cut ``polygon`` across the runway axis into strips with the given area shares."""
    m, a, _ = _axis_frame(runway)
    coords = shapely.get_coordinates(polygon)
    u = (coords - m) @ a
    lo, hi = float(u.min()) - 1.0, float(u.max()) + 1.0
    reach = float(np.hypot(*(coords - m).T).max()) + 10.0
    total = polygon.area
    cuts = [lo]
    cum = 0.0
    for share in shares_pct:
        cum = min(100.0, cum + share)
        target = total * cum / 100.0
        a_lo, a_hi = cuts[-1], hi
        if cum >= 100.0 - 1e-9:
            cuts.append(hi)
            continue
        for _ in range(60):  # bisection on the cut position
            mid = (a_lo + a_hi) / 2.0
            if polygon.intersection(_band(runway, lo, mid, reach)).area < target:
                a_lo = mid
            else:
                a_hi = mid
        cuts.append((a_lo + a_hi) / 2.0)
    return [polygon.intersection(_band(runway, cuts[i], cuts[i + 1], reach)) for i in range(len(shares_pct))]


def _road_path(area: BaseGeometry, runway: Runway, *, spacing: float = 150.0) -> list[LineString]:
    """Parallel lines along the runway axis inside ``area``, in drawing order."""
    if area.is_empty:
        return []
    m, a, n = _axis_frame(runway)
    coords = shapely.get_coordinates(area)
    u = (coords - m) @ a
    v = (coords - m) @ n
    lines: list[LineString] = []
    offsets = np.arange(np.floor(v.min() / spacing) * spacing + spacing / 2, v.max(), spacing)
    for k, off in enumerate(offsets):
        p0, p1 = m + (u.min() - 10) * a + off * n, m + (u.max() + 10) * a + off * n
        line = LineString([p0, p1] if k % 2 == 0 else [p1, p0])
        part = area.intersection(line)
        pieces = list(part.geoms) if isinstance(part, MultiLineString) else [part]
        lines.extend(p for p in pieces if isinstance(p, LineString) and not p.is_empty and p.length > 1.0)
    return lines


def _take(path: list[LineString], start_m: float, end_m: float) -> BaseGeometry:
    """The stretch ``start_m``-``end_m`` of the concatenated ``path``."""
    out: list[LineString] = []
    pos = 0.0
    for seg in path:
        s0, s1 = pos, pos + seg.length
        lo, hi = max(start_m, s0), min(end_m, s1)
        if hi > lo:
            out.append(substring(seg, lo - s0, hi - s0))
        pos = s1
        if pos >= end_m:
            break
    return MultiLineString(out) if out else MultiLineString()


def _spread_points(area: BaseGeometry, n: int, *, spacing: float = 60.0) -> list[BaseGeometry]:
    """``n`` points spread over ``area`` (grid points inside it, evenly picked)."""
    if n == 0 or area.is_empty:
        return []
    minx, miny, maxx, maxy = area.bounds
    xs, ys = np.meshgrid(np.arange(minx + spacing / 2, maxx, spacing), np.arange(miny + spacing / 2, maxy, spacing))
    pts = shapely.points(xs.ravel(), ys.ravel())
    inside = pts[shapely.contains(area, pts)]
    if len(inside) == 0:
        return [area.point_on_surface()] * n
    idx = np.linspace(0, len(inside) - 1, n + 2)[1:-1].round().astype(int)
    return list(inside[idx])


def scenario_year_state(
    scenario: Scenario,
    year: int,
    *,
    parcels_analysed: gpd.GeoDataFrame,
    airport: gpd.GeoDataFrame,
    runway: Runway,
    zones: gpd.GeoDataFrame | None = None,
) -> YearState:
    """Map layers of a scenario in ``year``: released land, test roads, projects, advice.

    Parameters
    ----------
    scenario, year
        The scenario and a year within its horizon.
    parcels_analysed
        Parcel frame after the land analysis (for the reserve parcels hosting projects).
    airport
        Airport boundary polygon layer.
    runway
        The runway (the airport land is cut into strips across its axis).
    zones
        Zone layer; its demonstration zone outside the airport boundary is where a
        ``block_site`` test road goes (the airport's edge when there is none).
    """
    check_year(year, "year", scenario.horizon)
    metric = get_settings().metric_crs
    rw = runway.to_crs(metric)
    poly = airport_area(airport, metric)
    airport_ha = poly.area / SQM_PER_HA

    # released land
    strips = _phase_strips(poly, rw, [ph.share_pct for ph in scenario.release_phases])
    rel_rows = []
    for i, (ph, y, geom) in enumerate(zip(scenario.release_phases, phase_years(scenario), strips, strict=True), 1):
        if y is None or y > year:
            continue
        rel_rows.append({
            "phase": i, "release_year": y, "share_pct": ph.share_pct, "area_ha": geom.area / SQM_PER_HA,
            "uses_zh": "、".join(f"{PLANNED_USE_ZH[k]}{v:g}%" for k, v in ph.uses_pct.items()),
            "uses_en": ", ".join(f"{PLANNED_USE_EN[k]} {v:g} %" for k, v in ph.uses_pct.items()),
            "geometry": geom,
        })
    released = gpd.GeoDataFrame(rel_rows, columns=["phase", "release_year", "share_pct", "area_ha", "uses_zh",
                                                   "uses_en", "geometry"], geometry="geometry", crs=metric)

    # test roads
    site: BaseGeometry = Polygon()
    if zones is not None and "zone_id" in zones.columns:
        demo = zones[zones["zone_id"].astype(str) == "demonstration"]
        if len(demo):
            site = shapely.union_all(demo.to_crs(metric).geometry.values).difference(poly.buffer(30.0))
    if site.is_empty or site.area < SQM_PER_HA:
        site = poly.difference(poly.buffer(-200.0))  # the airport's edge band
    paths = {"airport_block": _road_path(poly, rw), "block_site": _road_path(site, rw)}
    used = dict.fromkeys(TEST_ROAD_PLACES, 0.0)
    road_rows = []
    for i, road in enumerate(scenario.test_road_phases, 1):
        y = road.effective_year(scenario.relocation_year)
        if y is None:
            continue
        start = used[road.place]
        used[road.place] += road.length_km * 1000.0
        if y > year:
            continue
        geom = _take(paths[road.place], start, used[road.place])
        road_rows.append({"phase": i, "year": y, "place": road.place, "length_km": road.length_km,
                          "drawn_km": geom.length / 1000.0, "geometry": geom})
    roads = gpd.GeoDataFrame(road_rows, columns=["phase", "year", "place", "length_km", "drawn_km", "geometry"],
                             geometry="geometry", crs=metric)

    # projects
    reserve = reserve_parcels(parcels_analysed, scenario, metric)
    placed = place_projects(scenario, year, airport_ha=airport_ha, reserve=reserve)
    geoms: list[BaseGeometry | None] = [None] * len(placed)
    demo_idx = np.flatnonzero(placed["zone_id"].to_numpy() == "demonstration")
    host_area = shapely.union_all(released.geometry.values) if len(released) else Polygon()
    for k, pt in zip(demo_idx, _spread_points(host_area, len(demo_idx)), strict=False):
        geoms[k] = pt
    if "parcel_id" in parcels_analysed.columns:
        wanted = {p.split(";")[0] for p in placed.loc[placed["zone_id"] == "incubation", "parcel_id"]}
        ids = parcels_analysed["parcel_id"].astype(str)
        hosts = parcels_analysed[ids.isin(wanted)]
        reps = hosts.to_crs(metric).set_index(ids[ids.isin(wanted)]).geometry
        reps = reps[~reps.index.duplicated()]
        for k in np.flatnonzero(placed["zone_id"].to_numpy() == "incubation"):
            geoms[k] = reps.loc[placed["parcel_id"].iat[k].split(";")[0]].point_on_surface()
    projects = gpd.GeoDataFrame(placed, geometry=gpd.GeoSeries(geoms, crs=metric), crs=metric)

    return YearState(
        scenario=scenario.name,
        year=year,
        height_limit_active=height_limit_active(scenario, year),
        released=released.to_crs(GEOGRAPHIC_CRS),
        test_roads=roads.to_crs(GEOGRAPHIC_CRS),
        projects=projects.to_crs(GEOGRAPHIC_CRS),
        advice=demonstration_advice(scenario, year),
    )
