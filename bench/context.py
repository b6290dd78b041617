"""What the stages of one size share: the inputs, the frames handed from stage to stage, the figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from bench.options import BenchOptions

if TYPE_CHECKING:
    from analysis.run import RunResult
    from analysis.scenario import Scenario
    from analysis.scenario_io import AirportInputs

__all__ = ["StageContext", "Timer"]

#: Times the ``with`` block as the stage being run (see :meth:`bench.recorder.Recorder.stage`).
Timer = Callable[[], AbstractContextManager[None]]


@dataclass
class StageContext:
    """Inputs of one size and what one stage leaves for the next.

    A stage sets the frames later stages read and drops (sets to None) what no later stage
    needs, so the peak memory of a stage is what a real run would hold.

    Attributes
    ----------
    n, gpkg, work, options
        Number of parcels, their GeoPackage, the folder for written files, the options.
    as_of, scenario, airport, zones
        The analysis inputs, loaded before the first stage (not timed).
    raw
        The rows read by the I/O floor.
    frame, validation
        The canonical parcel frame and its JSON-able validation report (ingest).
    land
        The land analysis (``analysis``), input of the scenario step.
    run
        The full run's result with the scenario step (``heights``), input of ``write_outputs``.
    parcels
        The parcels with height limits (``heights``), input of the scenario year, exports and map.
    figures
        Byte sizes and other per-size results the stages measured, merged into the size's result.
    """

    n: int
    gpkg: Path
    work: Path
    options: BenchOptions
    as_of: dt.date
    scenario: Scenario
    airport: AirportInputs
    zones: gpd.GeoDataFrame
    raw: gpd.GeoDataFrame | None = None
    frame: gpd.GeoDataFrame | None = None
    metric: gpd.GeoSeries | None = None
    validation: dict[str, Any] = field(default_factory=dict)
    land: RunResult | None = None
    run: RunResult | None = None
    parcels: gpd.GeoDataFrame | None = None
    figures: dict[str, Any] = field(default_factory=dict)
