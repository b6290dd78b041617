"""A benchmark run: every size in turn (generated, then measured, each in a fresh process) into one document."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.brief import measure_brief
from bench.inputs import generate_input
from bench.isolate import in_process
from bench.machine import commit, load_average, machine
from bench.options import BenchOptions
from bench.stages import FLOOR_STAGES, RUN_STAGES, STAGES, measure_size

__all__ = ["run_bench"]

log = logging.getLogger(__name__)


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
        See :class:`~bench.options.BenchOptions`.
    progress
        Called with each size's result as soon as it is measured.

    Returns
    -------
    dict
        JSON-able document: ``started``, ``options``, ``machine``, ``sizes`` (one entry per
        size, see :func:`bench.stages.measure_size`), ``stages``, ``run_stages`` and ``briefing``
        (the briefing of the embedded data, :func:`bench.brief.measure_brief`).
    """
    opts = options or BenchOptions()
    started = dt.datetime.now(dt.UTC)
    load_at_start = load_average()
    results = []
    with tempfile.TemporaryDirectory(prefix="huli-bench-") as root:
        for n in sizes:
            log.info("benchmarking %d parcels", n)
            res = _one_size(int(n), opts, root)
            results.append(res)
            if progress is not None:
                progress(res)
    briefing = in_process(opts.isolate, measure_brief, opts)
    return {
        "started": started.isoformat(timespec="seconds"),
        "load_average_at_start": load_at_start,
        "commit": commit(),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "options": asdict(opts),
        "machine": machine(),
        "stages": list(STAGES),
        "run_stages": list(RUN_STAGES),
        "floor_stages": list(FLOOR_STAGES),
        "sizes": results,
        "briefing": briefing,
    }


def _one_size(n: int, options: BenchOptions, root: str) -> dict[str, Any]:
    """Generate (or reuse) the input of one size and measure it."""
    seed_tag = "default" if options.seed is None else str(options.seed)
    data_dir = Path(options.data_dir) if options.data_dir else Path(root)
    data_dir.mkdir(parents=True, exist_ok=True)
    gpkg = data_dir / f"parcels-{n}-{seed_tag}.gpkg"
    generated: dict[str, Any]
    if options.data_dir and gpkg.exists():
        generated = {"generate_seconds": None, "reused": str(gpkg)}
    else:
        generated = in_process(options.isolate, generate_input, n, gpkg, seed=options.seed)
    measured = in_process(options.isolate, measure_size, n, gpkg, workdir=Path(root) / f"work-{n}",
                          options=options)
    if not options.data_dir:
        gpkg.unlink(missing_ok=True)
    measured["generate_seconds"] = generated.get("generate_seconds")
    measured["generate_peak_rss_mib"] = generated.get("peak_rss_mib")
    return measured
