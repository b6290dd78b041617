"""The layers ``python -m analysis export`` can write, built with the analysis functions.

============== =================================================================
layer          built from
============== =================================================================
zones          the zone layer (:func:`geodata.embedded_zones`)
parcels        :func:`analysis.run.run_analysis` (canonical + derived fields);
               with a scenario and year the year's what-if edits applied and
               ``height_limit_m``, ``buildable_floor_area_m2``, ``height_conflict``,
               ``max_far_under_height_limit`` (:func:`analysis.scenario.apply_scenario_year`)
released_land  released airport land of the scenario in the year
               (:func:`analysis.scenario.scenario_year_state`)
test_roads     ICV test roads built by the year (same)
height_limit   permitted-height raster: the airport's surface, or the scenario's
               grid in the year (all nodata once the limits are lifted)
============== =================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from analysis import scenario as sc
from analysis import scenario_io as sio
from analysis.airport import NODATA
from analysis.scenario_names import resolve_scenario
from analysis.whatif.edits import check_edits
from core.errors import ConfigError
from core.raster import Raster

__all__ = ["LAYERS", "SCENARIO_LAYERS", "LayerRequest", "build_layers"]

#: Every layer name the export command knows.
LAYERS: tuple[str, ...] = ("zones", "parcels", "released_land", "test_roads", "height_limit")
#: Layers that exist only for a scenario and year.
SCENARIO_LAYERS: tuple[str, ...] = ("released_land", "test_roads")


@dataclass(frozen=True)
class LayerRequest:
    """What to build the layers from.

    Attributes
    ----------
    parcels_path
        Parcel layer file; None for the embedded data.
    scenario
        ``on_schedule``, ``delayed``, a scenario YAML file or a saved scenario's name; None for no scenario.
    year
        Scenario year (required with a scenario).
    as_of
        As-of date of the land analysis; None for today.
    read_options
        Keywords for :func:`parcels.read.read_parcels` on the parcel layer (``crs``,
        ``encoding``, ``layer``, ``gcj02``, ``override_crs``).
    profile
        Efficiency evaluation profile; None for the shipped one.
    standard
        Land control standard; None for the shipped one.
    """

    parcels_path: str | Path | None = None
    scenario: str | None = None
    year: int | None = None
    as_of: dt.date | str | None = None
    read_options: Mapping[str, Any] = field(default_factory=dict)
    profile: Any = None
    standard: Any = None


def _check(names: tuple[str, ...], request: LayerRequest) -> None:
    unknown = [n for n in names if n not in LAYERS]
    if unknown:
        raise ConfigError(f"Unknown layer {unknown[0]!r}: use one of {', '.join(LAYERS)}.",
                          f"未知图层 {unknown[0]!r}：可用图层为 {', '.join(LAYERS)}。")
    if (request.scenario is None) != (request.year is None):
        raise ConfigError("Give --scenario and --year together (e.g. --scenario on_schedule --year 2030).",
                          "--scenario 与 --year 需同时给出（如 --scenario on_schedule --year 2030）。")
    needs = [n for n in names if n in SCENARIO_LAYERS]
    if needs and request.scenario is None:
        raise ConfigError(
            f"The layer {needs[0]} belongs to an airport scenario: add --scenario on_schedule|delayed --year YYYY.",
            f"图层 {needs[0]} 属于机场搬迁情景：请加上 --scenario on_schedule|delayed --year 年份。",
        )


def _raster(grid: Raster) -> Raster:
    return Raster(np.asarray(grid.array, dtype=np.float32), grid.transform, grid.crs, nodata=NODATA,
                  name="height_limit")


def build_layers(names: tuple[str, ...], request: LayerRequest) -> dict[str, gpd.GeoDataFrame | Raster]:
    """Build the named layers (in EPSG:4326; the raster in the metric CRS).

    Parameters
    ----------
    names
        Layer names from :data:`LAYERS`.
    request
        Inputs, scenario, year and as-of date.

    Returns
    -------
    dict
        ``{name: frame or Raster}`` in the order of ``names``.

    Raises
    ------
    ConfigError
        Unknown layer, scenario layer without a scenario, year without scenario.
    PlanningError
        Any input problem raised by the readers and the analysis.
    """
    _check(names, request)
    from geodata import embedded_zones

    built: dict[str, gpd.GeoDataFrame | Raster] = {}
    if "zones" in names:
        built["zones"] = embedded_zones()
    wanted = set(names) - {"zones"}
    if not wanted:
        return built

    from analysis.run import run_analysis

    if request.scenario is None:
        if wanted & {"parcels"}:
            built["parcels"] = run_analysis(request.parcels_path, as_of=request.as_of, profile=request.profile,
                                            read_options=dict(request.read_options), standard=request.standard).parcels
        if "height_limit" in wanted:
            grid, _ = sio.district_height_surface(sio.load_airport_inputs())
            built["height_limit"] = _raster(grid)
        return {n: built[n] for n in names}

    year = int(request.year or 0)  # both given: checked above
    scenario = resolve_scenario(request.scenario)
    inputs = sio.load_airport_inputs()
    analysed = run_analysis(request.parcels_path, as_of=request.as_of, profile=request.profile,
                            read_options=dict(request.read_options), standard=request.standard,
                            demonstration=sc.demonstration_advice(scenario, year)).parcels
    check_edits(analysed, scenario.edits)
    grid, _ = sio.district_height_surface(inputs, parcels=analysed)
    parcels, year_grid = sc.apply_scenario_year(analysed, scenario, year, runway=inputs.runway,
                                                params=inputs.params, raster=grid, profile=request.profile,
                                                standard=request.standard)
    built["parcels"] = parcels
    built["height_limit"] = _raster(year_grid)
    if wanted & set(SCENARIO_LAYERS):
        state = sc.scenario_year_state(scenario, year, parcels_analysed=parcels, airport=inputs.airport,
                                       runway=inputs.runway, zones=embedded_zones())
        built["released_land"] = state.released
        built["test_roads"] = state.test_roads
    return {n: built[n] for n in names}
