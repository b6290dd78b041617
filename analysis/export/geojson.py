"""RFC 7946 GeoJSON: EPSG:4326 lon/lat, counter-clockwise exterior rings, ≤ 7 decimals, no ``crs``
member, streamed in chunks so that memory stays bounded on a city's layer."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
import shapely

from analysis.export.columns import attribute_columns, python_columns
from analysis.export.formats import in_crs
from core.files import atomic_write

__all__ = ["GEOJSON_DECIMALS", "GEOJSON_CHUNK", "to_geojson_bytes", "write_geojson", "geojson_chunks"]

log = logging.getLogger(__name__)

#: Decimals kept in RFC 7946 output (1e-7 degree is about 1 cm on the ground).
GEOJSON_DECIMALS = 7
#: Features converted and serialised at a time by the GeoJSON writer (bounds its memory).
GEOJSON_CHUNK = 20_000


def to_geojson_bytes(frame: gpd.GeoDataFrame, *, decimals: int = GEOJSON_DECIMALS) -> bytes:
    """RFC 7946 FeatureCollection of ``frame`` as UTF-8 bytes.

    Geometry is reprojected to EPSG:4326, rounded to ``decimals`` decimals and
    oriented (exterior rings counter-clockwise, holes clockwise); there is no
    ``crs`` member; dates become ISO-8601 strings and every missing value
    (NaN, NaT, <NA>, ±inf) ``null``; Chinese text stays UTF-8 (no ``\\u`` escapes).
    A ``bbox`` of the whole collection is included.
    """
    return b"".join(geojson_chunks(frame, decimals=decimals))


def write_geojson(frame: gpd.GeoDataFrame, path: str | Path, *, decimals: int = GEOJSON_DECIMALS) -> Path:
    """Write :func:`to_geojson_bytes` to ``path`` a chunk at a time (memory grows with the chunk, not the layer)."""
    def _stream(tmp: Path) -> None:
        # the disk write of one chunk (no GIL) overlaps the conversion of the next
        with tmp.open("wb") as fh, ThreadPoolExecutor(max_workers=1) as writer:
            pending = None
            for chunk in geojson_chunks(frame, decimals=decimals):
                if pending is not None:
                    pending.result()
                pending = writer.submit(fh.write, chunk)
            if pending is not None:
                pending.result()

    return atomic_write(path, _stream)


def geojson_chunks(frame: gpd.GeoDataFrame, *, decimals: int = GEOJSON_DECIMALS) -> Iterator[bytes]:
    """The bytes of :func:`to_geojson_bytes`, in pieces of at most :data:`GEOJSON_CHUNK` features."""
    gdf = in_crs(frame, "EPSG:4326")
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    # rounding can make a geometry invalid (a sliver collapses, a spike crosses itself): those
    # are repaired and snapped to the 10^-decimals grid, which keeps polygons valid
    bad = ~shapely.is_valid(rounded) & ~shapely.is_missing(rounded)
    if bad.any():
        log.warning("%d geometries invalid at %d decimals made valid for RFC 7946 output", int(bad.sum()), decimals)
        fixed = shapely.set_precision(shapely.make_valid(geoms[bad]), 10.0**-decimals)
        rounded[bad] = shapely.transform(fixed, lambda xy: np.round(xy, decimals))
    geoms = shapely.orient_polygons(rounded, exterior_cw=False)
    empty = shapely.is_empty(geoms) | shapely.is_missing(geoms)
    head: dict[str, Any] = {"type": "FeatureCollection"}
    if not empty.all():
        head["bbox"] = [round(float(v), decimals) for v in shapely.total_bounds(geoms[~empty])]
    yield orjson.dumps(head)[:-1] + b',"features":['
    attrs = attribute_columns(gdf)
    names = list(attrs.columns)
    for start in range(0, len(gdf), GEOJSON_CHUNK):
        stop = min(start + GEOJSON_CHUNK, len(gdf))
        texts = shapely.to_geojson(geoms[start:stop])
        texts[empty[start:stop]] = None  # RFC 7946 3.2: a feature without geometry has null
        columns = python_columns(attrs.iloc[start:stop])
        rows = zip(*columns.values(), strict=True) if names else ([] for _ in range(stop - start))
        features = [
            {
                "type": "Feature",
                "properties": dict(zip(names, row, strict=True)),
                "geometry": orjson.Fragment(text) if text is not None else None,
            }
            for row, text in zip(rows, texts, strict=True)
        ]
        body = orjson.dumps(features, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1]
        yield (b"," + body) if start else body
    yield b"]}"
