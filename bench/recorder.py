"""Timing of one stage: seconds, rate, peak memory, and optionally a :mod:`cProfile` profile."""

from __future__ import annotations

import cProfile
import gc
import io
import logging
import pstats
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.memory import peak_mib, reset_peak, rss_mib

__all__ = ["Recorder"]

log = logging.getLogger(__name__)

_HOT_SPOTS = 12


@dataclass
class Recorder:
    """Figures of every stage of one size, filled by :meth:`stage`.

    Attributes
    ----------
    n
        Number of parcels (for the rates).
    profile_dir
        When set, every stage runs under :mod:`cProfile` and ``bench-<n>-<stage>.prof`` is written there.
    stages
        ``{stage: {seconds, parcels_per_second, peak_rss_mib, rss_after_mib[, hot_spots]}}``.
    per_stage_peak
        True while the peak RSS could be reset before every stage.
    """

    n: int
    profile_dir: Path | None
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_stage_peak: bool = True

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time (and profile) the block as stage ``name``."""
        gc.collect()
        self.per_stage_peak = reset_peak() and self.per_stage_peak
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
                "peak_rss_mib": peak_mib(),
                "rss_after_mib": rss_mib(),
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
