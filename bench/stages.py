"""The measured stages, in the order they run, and the measurement of one size.

For each size ``n`` the benchmark measures, on ``n`` generated parcels in a GeoPackage
(:mod:`bench.inputs`):

==================  ========================================================================
stage               what runs
==================  ========================================================================
``io_floor_read``   ``pyogrio.read_dataframe(gpkg, use_arrow=True)``: the I/O floor, part 1
``io_floor_write``  ``pyogrio.write_dataframe(rows, .geojson, use_arrow=True)``: part 2
``ingest``          :func:`parcels.read.read_parcels` (GPKG -> canonical frame + validation)
``analysis``        :func:`analysis.pipeline.analyse` (areas, zones, expiry, efficiency,
                    recommendations with the scenario year's demonstration-zone advice),
                    :func:`analysis.summary.summarise`, :func:`analysis.run.zones_with_summary`
``heights``         :func:`analysis.scenario_io.apply_scenario_to_run`, the ``run`` command's
                    scenario step: the permitted-height raster over the district and the
                    parcels (built cold: the benchmark uses an empty workspace cache), the
                    per-parcel height limit and buildable floor area, the year's KPIs
``write_outputs``   :func:`analysis.run.write_outputs`: parcels/zones RFC 7946 GeoJSON,
                    ``height_limit.tif``, summary.json, validation.json
``scenario_year_apply``  :func:`analysis.scenario.scenario_year_frame`: what the app does when the
                    year slider moves: the year's recommendations and height limits overlaid on
                    the frame analysed once (the grid and the status-quo limits prepared untimed)
``frame_cache_hit``  a hit of the app's cache of the analysed frame (``st.cache_resource``, as
                    :func:`ui.data.analysed_parcels` uses it: the shared object, no copy); the
                    figure ``cache_data_hit_seconds`` is the same hit through ``st.cache_data``
                    (a pickle round trip), what the app paid before
``heights_warm``    the same step again, the grid now read from the workspace cache (not part
                    of the run; ``ratio_warm_cache`` uses it instead of ``heights``)
``scenario_year``   :func:`analysis.scenario.scenario_year_state`: released land, test roads and
                    projects placed on the analysed parcels in that year
``export_geojson``  :func:`analysis.export.export_layer` of the parcels as RFC 7946 GeoJSON
``export_gpkg``     :func:`analysis.export.export_layer` of the parcels as GeoPackage
``map_payload``     :func:`ui.mapview.parcel_group`: the bytes the parcel layer adds to the
                    map page (data and script), see :mod:`bench.map_payload`; for a layer in
                    vector tiles also a tile's bytes and time to cut (``map_tiles``, not timed)
==================  ========================================================================

The headline is the ratio of the full run (``ingest + analysis + heights + write_outputs``,
what ``python -m analysis run --scenario S --year Y`` does) to the I/O floor
(``io_floor_read + io_floor_write``) of the same rows, measured in the same process.

Adding a stage: write a function ``(ctx: StageContext, timed: Timer) -> None`` that prepares
what is not to be timed, runs the measured work inside ``with timed():``, stores what later
stages or the result need on ``ctx`` (figures in ``ctx.figures``) and drops what it no longer
needs; then add ``("name", function)`` to :data:`STAGE_FUNCTIONS` where it should run.
:data:`STAGES`, the table, the Markdown and the JSON follow.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import geodata
from analysis.expiry import resolve_as_of
from analysis.export import export_layer
from analysis.heights import parcel_height_limits
from analysis.pipeline import analyse_with_metric
from analysis.run import RunResult, write_outputs, zones_with_summary
from analysis.scenario import demonstration_advice, load_scenario, scenario_year_frame, scenario_year_state
from analysis.scenario_io import apply_scenario_to_run, district_height_surface, load_airport_inputs
from analysis.summary import jsonable, summarise
from bench.context import StageContext, Timer
from bench.io_floor import io_floor_read, io_floor_write
from bench.memory import rss_mib
from bench.options import BenchOptions
from bench.recorder import Recorder
from geodata.region import region_of_interest
from parcels.read import read_parcels

__all__ = ["FLOOR_STAGES", "RUN_STAGES", "STAGES", "STAGE_FUNCTIONS", "Stage", "measure_size"]

log = logging.getLogger(__name__)

#: A stage: prepares, times its work with ``with timed():``, leaves its results on the context.
Stage = Callable[[StageContext, Timer], None]


def _ingest(ctx: StageContext, timed: Timer) -> None:
    region = region_of_interest()  # built once per process, as in the app and the CLI
    with timed():
        ingested = read_parcels(ctx.gpkg, layer="parcels", district=region)
        report = ingested.report.to_dict()
        ctx.frame = ingested.frame
        ctx.metric = ingested.metric
        ctx.validation = jsonable(report)
    del ingested


def _analysis(ctx: StageContext, timed: Timer) -> None:
    """What :func:`analysis.run.run_analysis` does after reading."""
    frame = ctx.frame
    with timed():
        demonstration = demonstration_advice(ctx.scenario, ctx.options.year)
        done = analyse_with_metric(frame, ctx.zones, as_of=ctx.as_of, demonstration=demonstration,
                                   metric_geometry=ctx.metric)
        analysed = done.frame
        summary = summarise(analysed, as_of=ctx.as_of)
        ctx.land = RunResult(parcels=analysed, zones=zones_with_summary(ctx.zones, analysed), summary=summary,
                             validation=ctx.validation, as_of=ctx.as_of, metric=done.metric)
    ctx.frame = ctx.metric = None
    del frame, analysed


def _heights(ctx: StageContext, timed: Timer) -> None:
    """The run command's scenario step (cold height-surface cache)."""
    with timed():
        ctx.run = apply_scenario_to_run(ctx.land, ctx.scenario, ctx.options.year, inputs=ctx.airport)
    ctx.parcels = ctx.run.parcels
    ctx.figures["rows_read"] = len(ctx.parcels)


def _write_outputs(ctx: StageContext, timed: Timer) -> None:
    run, ctx.run = ctx.run, None
    if run is None:
        raise RuntimeError("write_outputs writes the result of the heights stage; run it after 'heights'")
    out = ctx.work / "run"
    with timed():
        write_outputs(run, out)
    ctx.figures["written_bytes"] = {child.name: child.stat().st_size for child in out.iterdir()}
    del run
    for child in out.iterdir():
        child.unlink()


def _scenario_year_apply(ctx: StageContext, timed: Timer) -> None:
    """One year-slider move in the app: the year overlaid on the analysed frame, not a re-analysis."""
    if ctx.land is None:
        raise RuntimeError("scenario_year_apply overlays the analysed frame; run it after 'analysis'")
    analysed = ctx.land.parcels
    grid, _ = district_height_surface(ctx.airport, parcels=analysed)
    limits = parcel_height_limits(analysed, runway=ctx.airport.runway, params=ctx.airport.params)
    with timed():
        frame, _year_grid = scenario_year_frame(analysed, ctx.scenario, ctx.options.year, runway=ctx.airport.runway,
                                                params=ctx.airport.params, raster=grid, height_limits=limits)
    del frame, analysed


def _frame_cache_hit(ctx: StageContext, timed: Timer) -> None:
    """A rerun's access to the analysed frame in the app: one cache hit (the cache filled untimed)."""
    import time

    import streamlit as st

    if ctx.land is None:
        raise RuntimeError("frame_cache_hit caches the analysed frame; run it after 'analysis'")
    analysed = ctx.land.parcels

    def _analysed(dataset_id: str, stamp: float, as_of: str, profile: str) -> object:
        return analysed

    shared = st.cache_resource(show_spinner=False, max_entries=1)(_analysed)
    pickled = st.cache_data(show_spinner=False, max_entries=1)(_analysed)
    key = ("bench", 0.0, ctx.as_of.isoformat(), "")
    shared(*key)
    pickled(*key)
    start = time.perf_counter()
    pickled(*key)
    ctx.figures["cache_data_hit_seconds"] = time.perf_counter() - start
    with timed():
        hit = shared(*key)
    if hit is not analysed:
        raise RuntimeError("st.cache_resource handed out a copy of the analysed frame")
    shared.clear()
    pickled.clear()
    del hit


def _heights_warm(ctx: StageContext, timed: Timer) -> None:
    """The scenario step again: the grid now comes from the workspace cache."""
    with timed():
        apply_scenario_to_run(ctx.land, ctx.scenario, ctx.options.year, inputs=ctx.airport)
    ctx.land = None


def _scenario_year(ctx: StageContext, timed: Timer) -> None:
    with timed():
        state = scenario_year_state(ctx.scenario, ctx.options.year, parcels_analysed=ctx.parcels,
                                    airport=ctx.airport.airport, runway=ctx.airport.runway, zones=ctx.zones)
    del state


def _export_geojson(ctx: StageContext, timed: Timer) -> None:
    out = ctx.work / "parcels_out.geojson"
    with timed():
        export_layer(ctx.parcels, out, fmt="geojson")
    ctx.figures["geojson_bytes"] = out.stat().st_size
    out.unlink()


def _export_gpkg(ctx: StageContext, timed: Timer) -> None:
    out = ctx.work / "parcels_out.gpkg"
    with timed():
        export_layer(ctx.parcels, out, fmt="gpkg", layer="parcels")
    ctx.figures["gpkg_out_bytes"] = out.stat().st_size
    out.unlink()


def _map_payload(ctx: StageContext, timed: Timer) -> None:
    """The bytes of the parcel layer in theme ``land_use`` (importing the UI is part of the stage)."""
    with timed():
        from bench.map_payload import parcel_layer_payload, tile_figures

        size, layers = parcel_layer_payload(ctx.parcels, theme="land_use")
    ctx.figures["map_payload_bytes"] = size
    ctx.figures["map_layers"] = layers
    ctx.figures["map_tiles"] = tile_figures(ctx.parcels, theme="land_use")  # not timed: the tiles' own figures


#: Measured stages, in the order they run: ``(name, function)``. A new stage is one line here.
STAGE_FUNCTIONS: tuple[tuple[str, Stage], ...] = (
    ("io_floor_read", io_floor_read),
    ("io_floor_write", io_floor_write),
    ("ingest", _ingest),
    ("analysis", _analysis),
    ("heights", _heights),
    ("write_outputs", _write_outputs),
    ("scenario_year_apply", _scenario_year_apply),
    ("frame_cache_hit", _frame_cache_hit),
    ("heights_warm", _heights_warm),
    ("scenario_year", _scenario_year),
    ("export_geojson", _export_geojson),
    ("export_gpkg", _export_gpkg),
    ("map_payload", _map_payload),
)
#: Names of the measured stages, in the order they run.
STAGES: tuple[str, ...] = tuple(name for name, _ in STAGE_FUNCTIONS)
#: Stages making up the full run (what ``python -m analysis run`` does, with a scenario year).
RUN_STAGES: tuple[str, ...] = ("ingest", "analysis", "heights", "write_outputs")
#: Stages making up the I/O floor.
FLOOR_STAGES: tuple[str, ...] = ("io_floor_read", "io_floor_write")


def measure_size(
    n: int,
    gpkg: str | Path,
    *,
    workdir: str | Path,
    options: BenchOptions | None = None,
) -> dict[str, Any]:
    """Measure every stage of :data:`STAGES` on the parcels in ``gpkg``.

    Parameters
    ----------
    n
        Number of parcels in ``gpkg`` (for the rates).
    gpkg
        GeoPackage with a ``parcels`` layer (see :func:`bench.inputs.generate_input`).
    workdir
        Folder for the files the stages write.
    options
        Scenario, year, as-of date and profiling.

    Returns
    -------
    dict
        ``parcels``, ``stages`` (``{stage: {seconds, parcels_per_second, peak_rss_mib,
        rss_after_mib[, hot_spots]}}``), ``run_seconds``, ``io_floor_seconds``, ``ratio``,
        byte sizes of the outputs and of the map payload, ``peak_rss_mib``.
    """
    opts = options or BenchOptions()
    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    with _workspace(work / "workspace"):
        return _measure(n, Path(gpkg), work, opts)


@contextmanager
def _workspace(folder: Path) -> Iterator[None]:
    """``HULI_WORKSPACE`` pointed at ``folder`` for the duration (caches start empty)."""
    previous = os.environ.get("HULI_WORKSPACE")
    os.environ["HULI_WORKSPACE"] = str(folder)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("HULI_WORKSPACE", None)
        else:
            os.environ["HULI_WORKSPACE"] = previous


def _measure(n: int, gpkg: Path, work: Path, opts: BenchOptions) -> dict[str, Any]:
    ctx = StageContext(n=n, gpkg=gpkg, work=work, options=opts, as_of=resolve_as_of(opts.as_of),
                       scenario=load_scenario(opts.scenario), airport=load_airport_inputs(), zones=geodata.embedded_zones())
    baseline = rss_mib()
    rec = Recorder(n, Path(opts.profile_dir) if opts.profile_dir else None)
    for name, stage in STAGE_FUNCTIONS:
        stage(ctx, partial(rec.stage, name))

    stages = rec.stages
    figures = ctx.figures
    run_seconds = sum(stages[s]["seconds"] for s in RUN_STAGES)
    floor_seconds = sum(stages[s]["seconds"] for s in FLOOR_STAGES)
    land_seconds = run_seconds - stages["heights"]["seconds"]
    warm_seconds = land_seconds + stages["heights_warm"]["seconds"]
    return {
        "parcels": n,
        "rows_read": figures["rows_read"],
        "stages": stages,
        "run_seconds": run_seconds,
        "io_floor_seconds": floor_seconds,
        "ratio": run_seconds / floor_seconds if floor_seconds > 0 else float("inf"),
        "ratio_without_heights": land_seconds / floor_seconds if floor_seconds > 0 else float("inf"),
        "run_seconds_warm_cache": warm_seconds,
        "ratio_warm_cache": warm_seconds / floor_seconds if floor_seconds > 0 else float("inf"),
        "input_gpkg_bytes": gpkg.stat().st_size,
        "floor_geojson_bytes": figures["floor_geojson_bytes"],
        "written_bytes": figures["written_bytes"],
        "geojson_bytes": figures["geojson_bytes"],
        "geojson_bytes_per_parcel": figures["geojson_bytes"] / n,
        "gpkg_out_bytes": figures["gpkg_out_bytes"],
        "map_payload_bytes": figures["map_payload_bytes"],
        "map_payload_bytes_per_parcel": figures["map_payload_bytes"] / n,
        "map_layers": figures["map_layers"],
        "map_tiles": figures.get("map_tiles"),
        "cache_data_hit_seconds": figures["cache_data_hit_seconds"],
        "baseline_rss_mib": baseline,
        "peak_rss_mib": max(s["peak_rss_mib"] for s in stages.values()),
        "run_peak_rss_mib": max(stages[s]["peak_rss_mib"] for s in RUN_STAGES),
        "per_stage_peak": rec.per_stage_peak,
        "profiled": rec.profile_dir is not None,
    }
