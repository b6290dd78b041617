"""Benchmark at city scale: ``python -m analysis bench``.

For each size ``n`` the benchmark generates ``n`` illustrative parcels
(:func:`geodata.generate.generate_parcels`) into a temporary GeoPackage — generation is
timed but not counted — and then measures, in one fresh process per size:

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
``heights_warm``    the same step again, the grid now read from the workspace cache (not part
                    of the run; ``ratio_warm_cache`` uses it instead of ``heights``)
``write_outputs``   :func:`analysis.run.write_outputs`: parcels/zones RFC 7946 GeoJSON,
                    ``height_limit.tif``, summary.json, validation.json
``scenario_year``   :func:`analysis.scenario.scenario_year_state`: released land, test roads and
                    projects placed on the analysed parcels in that year
``export_geojson``  :func:`analysis.export.export_layer` of the parcels as RFC 7946 GeoJSON
``export_gpkg``     :func:`analysis.export.export_layer` of the parcels as GeoPackage
``map_payload``     :func:`ui.mapview.parcel_group`: the bytes the parcel layer adds to the
                    map page (data and script), see :mod:`ui.mapview`
==================  ========================================================================

The headline is the ratio of the full run (``ingest + analysis + heights + write_outputs``,
what ``python -m analysis run --scenario S --year Y`` does)
to the I/O floor (``io_floor_read + io_floor_write``) of the same rows, measured in the same
process.

Memory: each size runs in a fresh process (``spawn``), so the peak resident set size is
per size, not a lifetime peak of the benchmark.  Where Linux allows it (``/proc/self/clear_refs``)
the peak is also reset before every stage, giving a per-stage peak (which includes whatever
earlier stages still hold, as in a real run); otherwise the per-stage figure is the peak so far.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import gc
import io
import json
import logging
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError

__all__ = [
    "STAGES",
    "RUN_STAGES",
    "FLOOR_STAGES",
    "DEFAULT_SIZES",
    "QUICK_SIZES",
    "BenchOptions",
    "parse_sizes",
    "generate_input",
    "measure_size",
    "run_bench",
    "format_table",
    "format_targets",
    "format_markdown",
    "default_output_path",
    "write_document",
]

log = logging.getLogger(__name__)

#: Measured stages, in the order they run.
STAGES: tuple[str, ...] = (
    "io_floor_read",
    "io_floor_write",
    "ingest",
    "analysis",
    "heights",
    "write_outputs",
    "heights_warm",
    "scenario_year",
    "export_geojson",
    "export_gpkg",
    "map_payload",
)
#: Stages making up the full run (what ``python -m analysis run`` does, with a scenario year).
RUN_STAGES: tuple[str, ...] = ("ingest", "analysis", "heights", "write_outputs")
#: Stages making up the I/O floor.
FLOOR_STAGES: tuple[str, ...] = ("io_floor_read", "io_floor_write")
#: Sizes of a full benchmark.
DEFAULT_SIZES: tuple[int, ...] = (1_000, 10_000, 100_000, 1_000_000)
#: Sizes of ``--quick``.
QUICK_SIZES: tuple[int, ...] = (1_000, 5_000)

#: Targets (measured and reported, never asserted).
TARGET_RATIO_AT = 100_000
TARGET_RATIO = 2.0
TARGET_E2E_AT = 1_000_000
TARGET_E2E_SECONDS = 90.0
TARGET_PEAK_GIB = 8.0
TARGET_PAYLOAD_BYTES = 250.0

_MIB = 1024.0 * 1024.0
_HOT_SPOTS = 12


@dataclass(frozen=True)
class BenchOptions:
    """What the benchmark runs.

    Attributes
    ----------
    seed
        Seed of the parcel generator.
    scenario
        Scenario name or YAML file for the height limits and the scenario year.
    year
        Scenario year; the default (2028 of ``delayed``) has the airport's height limits
        in force, so the height stage does real work.
    as_of
        As-of date of the land analysis (ISO); None for today.
    isolate
        Run every size (and its generation) in a fresh process; False runs in this process
        (peak memory is then the process lifetime peak).
    profile_dir
        When set, every stage runs under :mod:`cProfile` and its statistics are written
        there (timings then include the profiler's overhead).
    data_dir
        When set, generated GeoPackages are kept there and reused by later runs with the
        same size and seed; by default they live in a temporary folder.
    """

    seed: int | None = None
    scenario: str = "delayed"
    year: int = 2028
    as_of: str | None = None
    isolate: bool = True
    profile_dir: str | None = None
    data_dir: str | None = None


def parse_sizes(text: str) -> tuple[int, ...]:
    """Sizes from ``"1000,10000"`` (underscores and ``k``/``m`` suffixes allowed).

    Raises
    ------
    ConfigError
        An entry is not a positive whole number.
    """
    sizes = []
    for raw in text.split(","):
        item = raw.strip().lower().replace("_", "")
        if not item:
            continue
        mult = 1
        if item[-1] in "km":
            mult = 1000 if item[-1] == "k" else 1_000_000
            item = item[:-1]
        try:
            value = int(float(item) * mult) if "." in item else int(item) * mult
        except ValueError:
            value = 0
        if value <= 0:
            raise ConfigError(
                f"--sizes takes positive parcel counts separated by commas, e.g. 1000,10000; got {raw.strip()!r}.",
                f"--sizes 应为逗号分隔的正整数宗地数，如 1000,10000；收到 {raw.strip()!r}。",
            )
        sizes.append(value)
    if not sizes:
        raise ConfigError("--sizes is empty; give e.g. --sizes 1000,10000.", "--sizes 为空；请给出如 --sizes 1000,10000。")
    return tuple(sizes)


# --- memory ------------------------------------------------------------------------------------


def _rss_mib() -> float:
    """Current resident set size (MiB); 0 where /proc is not available."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / _MIB


def _peak_mib() -> float:
    """Peak resident set size of this process (MiB), since start or the last reset."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return peak / 1024.0 if sys.platform != "darwin" else peak / _MIB


def _reset_peak() -> bool:
    """Reset the peak RSS (Linux ``clear_refs``); False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


# --- stages ------------------------------------------------------------------------------------


@dataclass
class _Recorder:
    n: int
    profile_dir: Path | None
    stages: dict[str, dict[str, Any]]
    per_stage_peak: bool = True

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        gc.collect()
        self.per_stage_peak = _reset_peak() and self.per_stage_peak
        prof = cProfile.Profile() if self.profile_dir is not None else None
        start = time.perf_counter()
        if prof is not None:
            prof.enable()
        try:
            yield
        finally:
            if prof is not None:
                prof.disable()
            seconds = time.perf_counter() - start
            self.stages[name] = {
                "seconds": seconds,
                "parcels_per_second": self.n / seconds if seconds > 0 else float("inf"),
                "peak_rss_mib": _peak_mib(),
                "rss_after_mib": _rss_mib(),
            }
            if prof is not None and self.profile_dir is not None:
                self.profile_dir.mkdir(parents=True, exist_ok=True)
                prof.dump_stats(self.profile_dir / f"bench-{self.n}-{name}.prof")
                self.stages[name]["hot_spots"] = _hot_spots(prof)
            log.info("%d parcels: %s %.3f s", self.n, name, seconds)


def _hot_spots(prof: cProfile.Profile, limit: int = _HOT_SPOTS) -> list[dict[str, Any]]:
    """Functions with the largest own time (``tottime``), with their cumulative time."""
    stats = pstats.Stats(prof, stream=io.StringIO())
    rows: list[dict[str, Any]] = []
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({
            "function": f"{_short_path(filename)}:{line}({func})",
            "calls": int(ncalls),
            "tottime": float(tottime),
            "cumtime": float(cumtime),
        })
    rows.sort(key=lambda r: r["tottime"], reverse=True)
    return rows[:limit]


def _short_path(filename: str) -> str:
    for marker in ("site-packages/", "/lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    try:
        return str(Path(filename).resolve().relative_to(Path.cwd()))
    except ValueError:
        return filename


def generate_input(n: int, path: str | Path, *, seed: int | None = None) -> dict[str, float]:
    """Generate ``n`` parcels into a GeoPackage (layer ``parcels``).

    Returns
    -------
    dict
        ``generate_seconds`` (frame built and written) and ``peak_rss_mib`` of this process.
    """
    from geodata.generate import DEFAULT_SEED, generate_parcels, write_parcels

    start = time.perf_counter()
    frame = generate_parcels(n, seed=DEFAULT_SEED if seed is None else seed)
    write_parcels(frame, path)
    return {"generate_seconds": time.perf_counter() - start, "peak_rss_mib": _peak_mib()}


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
        GeoPackage with a ``parcels`` layer (see :func:`generate_input`).
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
    import pyogrio

    from analysis.expiry import resolve_as_of
    from analysis.export import export_layer
    from analysis.pipeline import analyse
    from analysis.run import RunResult, write_outputs, zones_with_summary
    from analysis.scenario import demonstration_advice, load_scenario, scenario_year_state
    from analysis.scenario_io import apply_scenario_to_run, load_airport_inputs
    from analysis.summary import jsonable, summarise
    from parcels.read import read_parcels
    from zones.definitions import load_zones

    as_of = resolve_as_of(opts.as_of)
    scenario = load_scenario(opts.scenario)
    airport = load_airport_inputs()
    zones = load_zones()
    baseline = _rss_mib()
    rec = _Recorder(n, Path(opts.profile_dir) if opts.profile_dir else None, {})

    # I/O floor: read the same GPKG, write the same rows as GeoJSON, both through Arrow
    with rec.stage("io_floor_read"):
        raw = pyogrio.read_dataframe(gpkg, use_arrow=True)
    floor_out = work / "floor.geojson"
    with rec.stage("io_floor_write"):
        pyogrio.write_dataframe(raw, floor_out, driver="GeoJSON", use_arrow=True)
    floor_bytes = floor_out.stat().st_size
    floor_out.unlink()
    del raw

    with rec.stage("ingest"):
        ingested = read_parcels(gpkg, layer="parcels")
        report = ingested.report.to_dict() if hasattr(ingested.report, "to_dict") else {}
        frame = ingested.frame
        validation = jsonable(report)
    del ingested

    with rec.stage("analysis"):  # what analysis.run.run_analysis does after reading
        analysed = analyse(frame, zones, as_of=as_of, demonstration=demonstration_advice(scenario, opts.year))
        summary = summarise(analysed, as_of=as_of)
        result = RunResult(parcels=analysed, zones=zones_with_summary(zones, analysed), summary=summary,
                           validation=validation, as_of=as_of)
    del frame, analysed

    land = result
    with rec.stage("heights"):  # the run command's scenario step (cold height-surface cache)
        result = apply_scenario_to_run(land, scenario, opts.year, inputs=airport)
    parcels = result.parcels

    out = work / "run"
    with rec.stage("write_outputs"):
        write_outputs(result, out)
    written_bytes = {child.name: child.stat().st_size for child in out.iterdir()}
    del result
    for child in out.iterdir():
        child.unlink()

    with rec.stage("heights_warm"):  # the scenario step again: the grid now comes from the workspace cache
        apply_scenario_to_run(land, scenario, opts.year, inputs=airport)
    del land

    with rec.stage("scenario_year"):
        state = scenario_year_state(scenario, opts.year, parcels_analysed=parcels, airport=airport.airport,
                                    runway=airport.runway, zones=zones)
    del state

    geojson_out = work / "parcels_out.geojson"
    with rec.stage("export_geojson"):
        export_layer(parcels, geojson_out, fmt="geojson")
    geojson_bytes = geojson_out.stat().st_size
    geojson_out.unlink()

    gpkg_out = work / "parcels_out.gpkg"
    with rec.stage("export_gpkg"):
        export_layer(parcels, gpkg_out, fmt="gpkg", layer="parcels")
    gpkg_out_bytes = gpkg_out.stat().st_size
    gpkg_out.unlink()

    with rec.stage("map_payload"):
        payload_bytes, map_layers = _map_payload(parcels)

    stages = rec.stages
    run_seconds = sum(stages[s]["seconds"] for s in RUN_STAGES)
    floor_seconds = sum(stages[s]["seconds"] for s in FLOOR_STAGES)
    land_seconds = run_seconds - stages["heights"]["seconds"]
    warm_seconds = land_seconds + stages["heights_warm"]["seconds"]
    return {
        "parcels": n,
        "rows_read": len(parcels),
        "stages": stages,
        "run_seconds": run_seconds,
        "io_floor_seconds": floor_seconds,
        "ratio": run_seconds / floor_seconds if floor_seconds > 0 else float("inf"),
        "ratio_without_heights": land_seconds / floor_seconds if floor_seconds > 0 else float("inf"),
        "run_seconds_warm_cache": warm_seconds,
        "ratio_warm_cache": warm_seconds / floor_seconds if floor_seconds > 0 else float("inf"),
        "input_gpkg_bytes": gpkg.stat().st_size,
        "floor_geojson_bytes": floor_bytes,
        "written_bytes": written_bytes,
        "geojson_bytes": geojson_bytes,
        "geojson_bytes_per_parcel": geojson_bytes / n,
        "gpkg_out_bytes": gpkg_out_bytes,
        "map_payload_bytes": payload_bytes,
        "map_payload_bytes_per_parcel": payload_bytes / n,
        "map_layers": map_layers,
        "baseline_rss_mib": baseline,
        "peak_rss_mib": max(s["peak_rss_mib"] for s in stages.values()),
        "run_peak_rss_mib": max(stages[s]["peak_rss_mib"] for s in RUN_STAGES),
        "per_stage_peak": rec.per_stage_peak,
        "profiled": rec.profile_dir is not None,
    }


def _map_payload(parcels: Any) -> tuple[int, list[str]]:
    """UTF-8 bytes the parcel layer adds to the map page (theme ``land_use``), and its layer classes.

    The one place outside ``ui/`` that reaches into the UI: the benchmark measures what the
    app sends to the browser, so this stage imports :mod:`ui.payload` (and with it folium)
    when it runs; no analysis function does.
    """
    from ui.payload import parcel_layer_payload

    return parcel_layer_payload(parcels, theme="land_use")


# --- orchestration -------------------------------------------------------------------------------


def _one_size(n: int, options: BenchOptions, root: str) -> dict[str, Any]:
    """Generate (or reuse) the input of one size and measure it; run in a worker process."""
    seed_tag = "default" if options.seed is None else str(options.seed)
    data_dir = Path(options.data_dir) if options.data_dir else Path(root)
    data_dir.mkdir(parents=True, exist_ok=True)
    gpkg = data_dir / f"parcels-{n}-{seed_tag}.gpkg"
    generated: dict[str, Any]
    if options.data_dir and gpkg.exists():
        generated = {"generate_seconds": None, "reused": str(gpkg)}
    else:
        generated = _in_process(options.isolate, generate_input, n, gpkg, seed=options.seed)
    measured = _in_process(options.isolate, measure_size, n, gpkg, workdir=Path(root) / f"work-{n}",
                           options=options)
    if not options.data_dir:
        gpkg.unlink(missing_ok=True)
    measured["generate_seconds"] = generated.get("generate_seconds")
    measured["generate_peak_rss_mib"] = generated.get("peak_rss_mib")
    return measured


def _in_process(isolate: bool, fn: Callable[..., dict[str, Any]], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """``fn(*args, **kwargs)`` in a fresh Python process (or here when not isolating).

    A plain subprocess (``python -m analysis.bench``) rather than :mod:`multiprocessing`:
    a ``spawn`` child would re-run the parent's ``__main__`` (``python -m analysis``).
    Arguments and result travel as JSON files.
    """
    if not isolate:
        return fn(*args, **kwargs)
    with tempfile.TemporaryDirectory(prefix="huli-bench-call-") as tmp:
        spec, result = Path(tmp) / "call.json", Path(tmp) / "result.json"
        spec.write_text(json.dumps({"fn": fn.__name__, "args": _plain(args), "kwargs": _plain(kwargs)}),
                        encoding="utf-8")
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        verbose = ["--verbose"] if log.isEnabledFor(logging.INFO) else []
        proc = subprocess.run([sys.executable, "-m", "analysis.bench", str(spec), str(result), *verbose], env=env,
                              cwd=os.getcwd(), check=False)
        if proc.returncode != 0 or not result.exists():
            raise RuntimeError(f"benchmark worker {fn.__name__}{args} failed with exit code {proc.returncode}")
        return dict(json.loads(result.read_text(encoding="utf-8")))


def _plain(value: Any) -> Any:
    """Arguments as JSON: paths as strings, options as a tagged dict."""
    if isinstance(value, BenchOptions):
        return {"__options__": asdict(value)}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _unplain(value: Any) -> Any:
    if isinstance(value, dict):
        if "__options__" in value:
            return BenchOptions(**value["__options__"])
        return {k: _unplain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unplain(v) for v in value]
    return value


def _worker(argv: Sequence[str]) -> int:
    """Entry of a worker process: ``python -m analysis.bench CALL.json RESULT.json``."""
    spec_path, result_path = argv[:2]
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    calls: dict[str, Callable[..., Any]] = {"generate_input": generate_input, "measure_size": measure_size}
    fn = calls[spec["fn"]]
    out = fn(*_unplain(spec["args"]), **_unplain(spec["kwargs"]))
    Path(result_path).write_text(json.dumps(out, allow_nan=False), encoding="utf-8")
    return 0


def _machine() -> dict[str, Any]:
    import geopandas
    import numpy
    import pandas
    import pyogrio
    import pyproj
    import rasterio
    import shapely

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        ram_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError):
        ram_gib = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram_gib,
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": {
            "geopandas": geopandas.__version__,
            "shapely": shapely.__version__,
            "pyogrio": pyogrio.__version__,
            "gdal": pyogrio.__gdal_version_string__,
            "pyproj": pyproj.__version__,
            "proj": pyproj.proj_version_str,
            "pandas": pandas.__version__,
            "numpy": numpy.__version__,
            "rasterio": rasterio.__version__,
        },
    }


def _commit() -> str | None:
    """The project's git commit, when it is a git checkout (for telling runs apart)."""
    root = Path(__file__).resolve().parent.parent
    try:
        proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() or None


def run_bench(
    sizes: Sequence[int],
    *,
    options: BenchOptions | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Benchmark every size; one fresh process per size unless ``options.isolate`` is False.

    Parameters
    ----------
    sizes
        Parcel counts.
    options
        See :class:`BenchOptions`.
    progress
        Called with each size's result as soon as it is measured.

    Returns
    -------
    dict
        JSON-able document: ``started``, ``options``, ``machine``, ``sizes`` (one entry per
        size, see :func:`measure_size`), ``stages`` and ``run_stages``.
    """
    opts = options or BenchOptions()
    started = dt.datetime.now(dt.UTC)
    load_at_start = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    results = []
    with tempfile.TemporaryDirectory(prefix="huli-bench-") as root:
        for n in sizes:
            log.info("benchmarking %d parcels", n)
            res = _one_size(int(n), opts, root)
            results.append(res)
            if progress is not None:
                progress(res)
    return {
        "started": started.isoformat(timespec="seconds"),
        "load_average_at_start": load_at_start,
        "commit": _commit(),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "options": asdict(opts),
        "machine": _machine(),
        "stages": list(STAGES),
        "run_stages": list(RUN_STAGES),
        "floor_stages": list(FLOOR_STAGES),
        "sizes": results,
    }


# --- output ---------------------------------------------------------------------------------------


def format_table(document: dict[str, Any]) -> str:
    """Plain-text table: size, stage, seconds, parcels/second, peak RSS; then the ratios."""
    lines = [f"{'parcels':>10}  {'stage':<15} {'seconds':>9} {'parcels/s':>12} {'peak RSS MiB':>13}"]
    for res in document["sizes"]:
        n = res["parcels"]
        gen = res.get("generate_seconds")
        gen_text = f"{gen:9.2f}" if isinstance(gen, int | float) else f"{'reused':>9}"
        gen_peak = res.get("generate_peak_rss_mib")
        peak_text = f"{gen_peak:>13,.0f}" if isinstance(gen_peak, int | float) else ""
        lines.append(f"{n:>10,}  {'(generate)':<15} {gen_text} {'':>12} {peak_text}")
        for name in document.get("stages", STAGES):
            st = res["stages"][name]
            lines.append(f"{n:>10,}  {name:<15} {st['seconds']:9.2f} {st['parcels_per_second']:>12,.0f} "
                         f"{st['peak_rss_mib']:>13,.0f}")
        lines.append(f"{n:>10,}  {'= run':<15} {res['run_seconds']:9.2f} {n / res['run_seconds']:>12,.0f} "
                     f"{res.get('run_peak_rss_mib', res['peak_rss_mib']):>13,.0f}")
        lines.append(f"{n:>10,}  {'= I/O floor':<15} {res['io_floor_seconds']:9.2f} "
                     f"{n / res['io_floor_seconds']:>12,.0f}")
    lines.append("")
    lines.append("run = " + " + ".join(document.get("run_stages", RUN_STAGES))
                 + "; I/O floor = " + " + ".join(document.get("floor_stages", FLOOR_STAGES)))
    for res in document["sizes"]:
        lines.append(
            f"{res['parcels']:>10,} parcels: run / I/O floor = {res['ratio']:.2f} "
            f"(warm height cache {res['ratio_warm_cache']:.2f}, without heights {res['ratio_without_heights']:.2f}); "
            "map payload "
            f"{res['map_payload_bytes_per_parcel']:.0f} B/parcel, RFC 7946 GeoJSON "
            f"{res['geojson_bytes_per_parcel']:.0f} B/parcel; peak RSS of the run "
            f"{res.get('run_peak_rss_mib', res['peak_rss_mib']) / 1024:.2f} GiB"
        )
    if document["sizes"]:
        big = max(document["sizes"], key=lambda r: r["parcels"])
        lines.append(f"headline: run / I/O floor = {big['ratio']:.2f} at {big['parcels']:,} parcels")
    return "\n".join(lines)


def format_markdown(document: dict[str, Any]) -> str:
    """The figures as Markdown tables (stages down, sizes across), for docs/benchmarks.md."""
    sizes = document["sizes"]
    head = "| stage | " + " | ".join(f"{r['parcels']:,}" for r in sizes) + " |"
    rule = "|---|" + "---:|" * len(sizes)
    out: list[str] = []

    def table(title: str, cell: Callable[[dict[str, Any], str], str], totals: bool, generate: bool = False) -> None:
        out.extend([f"**{title}**", "", head, rule])
        gen = ["-" if not isinstance(r.get("generate_seconds"), int | float) else f"{r['generate_seconds']:.2f}"
               for r in sizes]
        if generate:
            out.append("| *generate (not counted)* | " + " | ".join(gen) + " |")
        for name in document.get("stages", STAGES):
            out.append(f"| {name} | " + " | ".join(cell(r, name) for r in sizes) + " |")
        if totals:
            for key, label in (("run_seconds", "**run**"), ("io_floor_seconds", "**I/O floor**")):
                out.append(f"| {label} | " + " | ".join(cell(r, key) for r in sizes) + " |")
        out.append("")

    def seconds(r: dict[str, Any], key: str) -> str:
        return f"{r[key]:.2f}" if key in r else f"{r['stages'][key]['seconds']:.2f}"

    def rate(r: dict[str, Any], key: str) -> str:
        sec = r[key] if key in r else r["stages"][key]["seconds"]
        return f"{r['parcels'] / sec:,.0f}"

    def peak(r: dict[str, Any], key: str) -> str:
        return f"{r['stages'][key]['peak_rss_mib']:,.0f}"

    table("Seconds", seconds, True, generate=True)
    table("Parcels per second", rate, True)
    table("Peak RSS during the stage (MiB)", peak, False)
    out.append("| parcels | run / I/O floor | with a warm height cache | without heights | map payload (B/parcel) "
               "| RFC 7946 GeoJSON (B/parcel) | peak RSS of the run (GiB) |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|")
    for r in sizes:
        out.append(f"| {r['parcels']:,} | {r['ratio']:.2f} | {r['ratio_warm_cache']:.2f} | "
                   f"{r['ratio_without_heights']:.2f} | "
                   f"{r['map_payload_bytes_per_parcel']:.0f} | {r['geojson_bytes_per_parcel']:.0f} | "
                   f"{r.get('run_peak_rss_mib', r['peak_rss_mib']) / 1024:.2f} |")
    return "\n".join(out)


def format_targets(document: dict[str, Any]) -> str:
    """The targets of the city-scale issue, each marked met / missed / not measured."""
    by_n = {r["parcels"]: r for r in document["sizes"]}

    def mark(ok: bool) -> str:
        return "met" if ok else "MISSED"

    lines = ["targets (measured, not enforced):"]
    r = by_n.get(TARGET_RATIO_AT)
    lines.append(f"  run <= {TARGET_RATIO:g} x I/O floor at {TARGET_RATIO_AT:,}: "
                 + (f"{r['ratio']:.2f} {mark(r['ratio'] <= TARGET_RATIO)}" if r else "not measured"))
    r = by_n.get(TARGET_E2E_AT)
    if r:
        gib = r.get("run_peak_rss_mib", r["peak_rss_mib"]) / 1024
        lines.append(f"  {TARGET_E2E_AT:,} end to end <= {TARGET_E2E_SECONDS:g} s: {r['run_seconds']:.1f} s "
                     f"{mark(r['run_seconds'] <= TARGET_E2E_SECONDS)}; peak <= {TARGET_PEAK_GIB:g} GiB: {gib:.2f} GiB "
                     f"{mark(gib <= TARGET_PEAK_GIB)}")
    else:
        lines.append(f"  {TARGET_E2E_AT:,} end to end: not measured")
    worst = max((r["map_payload_bytes_per_parcel"] for r in document["sizes"]), default=None)
    lines.append(f"  map payload <= {TARGET_PAYLOAD_BYTES:g} B/parcel: "
                 + (f"{worst:.0f} (largest over sizes) {mark(worst <= TARGET_PAYLOAD_BYTES)}"
                    if worst is not None else "not measured"))
    return "\n".join(lines)


def default_output_path(now: dt.datetime | None = None, *, base: str | Path = "benchmarks/output") -> Path:
    """``benchmarks/output/bench-<UTC timestamp>.json`` under ``base``."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return Path(base) / f"bench-{stamp}.json"


def write_document(document: dict[str, Any], path: str | Path) -> Path:
    """Write the benchmark document as JSON (atomically: temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    tmp.replace(path)
    return path


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO if "--verbose" in sys.argv[3:] else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from analysis.bench import _worker as _named_worker  # run under the module's own name (logging)

    raise SystemExit(_named_worker(sys.argv[1:]))
