"""Files in and out for the airport scenarios (the CLI's ``compare`` and ``run --scenario``).

The analysis functions (:mod:`analysis.airport`, :mod:`analysis.heights`,
:mod:`analysis.scenario`, :mod:`analysis.compare`) never touch files; this module reads
the embedded airport layers and writes ``comparison.csv`` / ``comparison.json`` and
``height_limit.tif``.  A scenario argument is a built-in name, a file or a saved scenario
(:func:`analysis.scenario_names.resolve_scenario`); a scenario's what-if edits are applied to
the run's parcels, and the summaries are computed again on the edited state
(:mod:`analysis.whatif_run`).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.airport import NODATA, OLSParams, Runway, load_ols_params, surface_extent
from analysis.compare import compare_scenarios, comparison_document
from analysis.export import output_folder
from analysis.height_grid import cached_height_surface
from analysis.heights import parcel_height_limits
from analysis.scenario import (
    Scenario,
    apply_scenario_year,
    scenario_assumptions,
    scenario_timeline,
)
from analysis.scenario_names import resolve_scenario
from core.crs import transformer
from core.errors import ConfigError
from core.files import atomic_write, atomic_write_text
from core.raster import Raster
from core.settings import get_settings

__all__ = [
    "AirportInputs",
    "load_airport_inputs",
    "district_height_surface",
    "write_comparison",
    "run_comparison",
    "resolve_scenario_year",
    "apply_scenario_to_run",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AirportInputs:
    """The embedded airport layers and the surface parameters.

    Attributes
    ----------
    runway
        Runway 05/23 in the metric CRS.
    airport
        Airport boundary polygon layer (EPSG:4326).
    params
        Obstacle limitation surface parameters.
    district
        District outline (EPSG:4326), or None when the data lack it.
    """

    runway: Runway
    airport: gpd.GeoDataFrame
    params: OLSParams
    district: gpd.GeoDataFrame | None


def load_airport_inputs(*, ols_path: str | Path | None = None) -> AirportInputs:
    """Read the runway, airport and district layers of the embedded data and the parameters."""
    import geodata

    runway = Runway.from_layer(geodata.read_layer("runway"), crs=get_settings().metric_crs)
    airport = geodata.read_layer("airport")
    district = geodata.read_layer("district")
    return AirportInputs(runway, airport, load_ols_params(ols_path), district)


def _snapped_bounds(frames: list[gpd.GeoDataFrame], crs: str, cell: float) -> tuple[float, float, float, float]:
    b = np.array([transformer(f.crs, crs).transform_bounds(*_box(f), densify_pts=21)
                  for f in frames if f is not None and len(f)])
    minx, miny = b[:, 0].min(), b[:, 1].min()
    maxx, maxy = b[:, 2].max(), b[:, 3].max()
    return (math.floor(minx / cell) * cell, math.floor(miny / cell) * cell,
            math.ceil(maxx / cell) * cell, math.ceil(maxy / cell) * cell)


def _box(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    return minx, miny, maxx, maxy


def district_height_surface(
    inputs: AirportInputs, *, parcels: gpd.GeoDataFrame | None = None, cell_size: float = 10.0
) -> tuple[Raster, Path]:
    """The height grid over the district (and the parcels, when they reach beyond it), cached.

    Parcels widen the grid only up to the surfaces' reach (:func:`analysis.airport.surface_extent`):
    beyond it every cell would be "no cap", and parcels off the grid are sampled on the surface
    itself, so the limits are the same with a much smaller grid for layers spread far and wide.
    """
    crs = get_settings().metric_crs
    bounds = _snapped_bounds([inputs.district], crs, cell_size)
    if parcels is not None and len(parcels):
        p = _snapped_bounds([parcels], crs, cell_size)
        r = surface_extent(inputs.runway.to_crs(crs), inputs.params)
        q = (max(p[0], r[0]), max(p[1], r[1]), min(p[2], r[2]), min(p[3], r[3]))
        if q[0] < q[2] and q[1] < q[3]:
            bounds = (math.floor(min(bounds[0], q[0]) / cell_size) * cell_size,
                      math.floor(min(bounds[1], q[1]) / cell_size) * cell_size,
                      math.ceil(max(bounds[2], q[2]) / cell_size) * cell_size,
                      math.ceil(max(bounds[3], q[3]) / cell_size) * cell_size)
    return cached_height_surface(inputs.runway, inputs.params, bounds=bounds, cell_size=cell_size, crs=crs)


def write_comparison(frame: pd.DataFrame, document: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """Write ``comparison.csv`` (UTF-8 with BOM, for spreadsheet programs) and ``comparison.json``."""
    out = output_folder(out_dir)
    csv_path, json_path = out / "comparison.csv", out / "comparison.json"
    atomic_write(csv_path, lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n"))
    atomic_write_text(json_path, json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False))
    return [csv_path, json_path]


def run_comparison(
    a: Scenario,
    b: Scenario,
    *,
    parcels_analysed: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame | None,
    out_dir: str | Path,
    inputs: AirportInputs | None = None,
    metric: gpd.GeoSeries | None = None,
) -> tuple[pd.DataFrame, list[Path]]:
    """Compare two scenarios on analysed parcels and write the two comparison files.

    ``metric`` is the parcels' geometry in the metric CRS when the analysis kept it
    (:attr:`analysis.run.RunResult.metric`); the height limits are measured on it.
    """
    inputs = inputs or load_airport_inputs()
    limits = None
    if metric is not None:
        limits = parcel_height_limits(gpd.GeoDataFrame(geometry=metric, crs=metric.crs),
                                      runway=inputs.runway, params=inputs.params)
    frame = compare_scenarios(a, b, parcels_analysed=parcels_analysed, airport=inputs.airport,
                              runway=inputs.runway, params=inputs.params, zones=zones, height_limits=limits)
    return frame, write_comparison(frame, comparison_document(frame, a, b), out_dir)


def resolve_scenario_year(scenario: str | None, year: int | None, *, as_of_year: int) -> tuple[Scenario, int]:
    """The scenario and year of ``--scenario``/``--year``.

    Without ``year`` the as-of year is used, moved into the scenario's horizon.

    Raises
    ------
    ConfigError
        ``year`` without ``scenario``, an unknown scenario, or a year outside the horizon.
    """
    if scenario is None:
        raise ConfigError("--year needs --scenario (on_schedule, delayed or a scenario YAML file).",
                          "--year 需要同时给出 --scenario（on_schedule、delayed 或情景 YAML 文件）。")
    sc = resolve_scenario(scenario)
    if year is None:
        year = min(max(as_of_year, sc.horizon[0]), sc.horizon[1])
    elif not sc.horizon[0] <= year <= sc.horizon[1]:
        raise ConfigError(
            f"--year {year} is outside the scenario's horizon {sc.horizon[0]}-{sc.horizon[1]}.",
            f"--year {year} 超出情景规划期 {sc.horizon[0]}-{sc.horizon[1]} 年。",
        )
    return sc, year


def apply_scenario_to_run(result: Any, scenario: Scenario, year: int, *, inputs: AirportInputs | None = None,
                          profile: Any = None, standard: Any = None) -> Any:
    """The ``run`` command's scenario step.

    Adds ``height_limit_m`` and ``buildable_floor_area_m2`` to the parcels
    (:func:`analysis.scenario.apply_scenario_year`), the year's permitted-height grid as
    ``height_limit.tif`` and a ``scenario`` section (the year's KPIs and the assumptions)
    for ``summary.json``.

    Parameters
    ----------
    result
        An :class:`analysis.run.RunResult` whose parcels were analysed with the scenario's
        demonstration advice for ``year``.
    scenario, year
        The scenario and year.
    inputs
        Airport layers and parameters (default: the embedded ones).
    profile
        The efficiency profile the run used (edited parcels are rated again with it).
    standard
        The land control standard the run used (edited parcels are checked again against it).

    Returns
    -------
    A new RunResult; with edits in force, its parcels, zones and summary are those of the edited
    state and the ``scenario`` section lists the edits and the height conflicts.

    Raises
    ------
    ConfigError
        An edit names parcel ids the layer lacks or selects no parcel.
    """
    import dataclasses

    from analysis.whatif.edits import check_edits
    from analysis.whatif_run import edited_run_parts

    check_edits(result.parcels, scenario.edits)
    inputs = inputs or load_airport_inputs()
    metric = result.metric_parcels()  # measured on the geometry the analysis projected, not projected again
    grid, _ = district_height_surface(inputs, parcels=metric)
    limits = parcel_height_limits(metric, runway=inputs.runway, params=inputs.params)
    parcels, year_grid = apply_scenario_year(result.parcels, scenario, year, runway=inputs.runway,
                                             params=inputs.params, raster=grid, height_limits=limits, profile=profile,
                                             standard=standard)
    timeline = scenario_timeline(scenario, parcels_analysed=result.parcels, airport=inputs.airport,
                                 runway=inputs.runway, params=inputs.params, zones=result.zones, height_limits=limits)
    rows = timeline[timeline["year"] == year]
    kpis = [{"kpi": k, "scope": s, "value": float(v), "unit": u}
            for k, s, v, u in zip(rows["kpi"], rows["scope"], rows["value"], rows["unit"], strict=True)]
    section = {
        "name": scenario.name, "title_zh": scenario.title_zh, "title_en": scenario.title_en, "year": year,
        "relocation_year": scenario.relocation_year, "kpis": kpis, "assumptions": scenario_assumptions(scenario),
        "height_surface": {"source": inputs.params.source, "edition": inputs.params.edition,
                           "units": "m above aerodrome elevation", "aerodrome_elevation_m": inputs.runway.elevation_m},
    }
    raster = Raster(year_grid.array.astype(np.float32), year_grid.transform, year_grid.crs, nodata=NODATA,
                    name="height_limit")
    zones, summary, whatif = edited_run_parts(result, parcels, scenario, year)
    section.update(whatif)
    return dataclasses.replace(
        result,
        parcels=parcels,
        zones=zones,
        summary=summary,
        extras={**result.extras, "scenario": section},
        rasters={**result.rasters, "height_limit.tif": raster},
    )
