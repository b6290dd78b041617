"""The input of one size: ``n`` generated illustrative parcels in a GeoPackage (timed, not counted)."""

from __future__ import annotations

import time
from pathlib import Path

from bench.memory import peak_mib

__all__ = ["generate_input"]


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
    return {"generate_seconds": time.perf_counter() - start, "peak_rss_mib": peak_mib()}
