"""The I/O floor: read the same GeoPackage and write the same rows as GeoJSON, both through Arrow.

The full run is reported as a multiple of this floor, measured in the same process.
"""

from __future__ import annotations

import pyogrio

from bench.context import StageContext, Timer

__all__ = ["io_floor_read", "io_floor_write"]


def io_floor_read(ctx: StageContext, timed: Timer) -> None:
    """``pyogrio.read_dataframe(gpkg, use_arrow=True)``: the I/O floor, part 1."""
    with timed():
        ctx.raw = pyogrio.read_dataframe(ctx.gpkg, use_arrow=True)


def io_floor_write(ctx: StageContext, timed: Timer) -> None:
    """``pyogrio.write_dataframe(rows, .geojson, use_arrow=True)``: the I/O floor, part 2."""
    out = ctx.work / "floor.geojson"
    with timed():
        pyogrio.write_dataframe(ctx.raw, out, driver="GeoJSON", use_arrow=True)
    ctx.figures["floor_geojson_bytes"] = out.stat().st_size
    out.unlink()
    ctx.raw = None
