"""The region of interest: where a parcel layer of the district is expected to lie.

The region is ``HULI_REGION`` (a polygon layer) or, by default, the embedded district outline
(``read_layer("district")``), grown by ``HULI_REGION_MARGIN_M`` metres in the metric CRS and
returned in lon/lat (EPSG:4326).  It is built once per setting and kept (prepared for fast
``intersects``); :func:`parcels.read.read_parcels` takes it as ``district=`` and reports the
parcels that do not touch it (``outside_district``); :func:`view_bounds` gives the maps an
extent to fit that one stray parcel far away does not blow up to a continent.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from core.crs import reproject
from core.errors import ConfigError
from core.settings import GEOGRAPHIC_CRS, get_settings

__all__ = ["region_of_interest", "view_bounds"]

log = logging.getLogger(__name__)


def region_of_interest() -> BaseGeometry:
    """The region parcel layers are expected to lie in, in lon/lat, margin included.

    Returns
    -------
    shapely.geometry.base.BaseGeometry
        A prepared (multi)polygon in EPSG:4326; the same object while the settings stay.

    Raises
    ------
    ConfigError
        ``HULI_REGION`` is not a readable polygon layer with a CRS.
    """
    settings = get_settings()
    return _region(settings.region, settings.region_margin_m, settings.metric_crs)


def view_bounds(geoms: npt.ArrayLike, *, region: BaseGeometry | None = None) -> tuple[float, float, float, float] | None:
    """The bounds ``(w, s, e, n)`` a map fits to: of the geometries whose box centres lie in the
    region when some do, else of them all; None when there are none.

    Parameters
    ----------
    geoms
        Geometries in lon/lat (missing or empty ones are left out).
    region
        Default :func:`region_of_interest`.
    """
    boxes = shapely.bounds(np.asarray(geoms, dtype=object))
    boxes = boxes[~np.isnan(boxes).any(axis=1)]
    if len(boxes) == 0:
        return None
    area = region_of_interest() if region is None else region
    w, s, e, n = area.bounds
    # the region's box first (cheap), then the region itself on the centres of the few that pass
    near = np.flatnonzero((boxes[:, 2] >= w) & (boxes[:, 0] <= e) & (boxes[:, 3] >= s) & (boxes[:, 1] <= n))
    mid_x, mid_y = (boxes[near, 0] + boxes[near, 2]) / 2, (boxes[near, 1] + boxes[near, 3]) / 2
    inside = near[shapely.intersects_xy(area, mid_x, mid_y)] if len(near) else near
    chosen = boxes[inside] if len(inside) else boxes
    return (float(chosen[:, 0].min()), float(chosen[:, 1].min()), float(chosen[:, 2].max()),
            float(chosen[:, 3].max()))


@lru_cache(maxsize=4)
def _region(path: str, margin_m: float, metric_crs: str) -> BaseGeometry:
    outline, crs = _outline(path)
    metric = reproject(outline, crs, metric_crs)
    grown = shapely.buffer(metric, margin_m) if margin_m > 0 else metric
    region = reproject(grown, metric_crs, GEOGRAPHIC_CRS)
    shapely.prepare(region)
    log.info("region of interest: %s, margin %g m", path or "district outline", margin_m)
    return region


def _outline(path: str) -> tuple[BaseGeometry, str]:
    """The region's polygons as one geometry, and their CRS."""
    if not path:
        import geodata

        district = geodata.read_layer("district")
        return shapely.union_all(district.geometry.to_numpy()), GEOGRAPHIC_CRS
    import pyogrio

    source = Path(path).expanduser()
    if not source.is_file():
        raise ConfigError(
            f"HULI_REGION={path!r} is not a file; give the path of a polygon layer, or leave it empty "
            "for the district outline",
            f"HULI_REGION={path!r} 不是文件；请给出面图层的路径，或留空以使用区界",
        )
    frame = pyogrio.read_dataframe(source)
    polygons = frame.geometry[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if frame.crs is None or polygons.empty:
        raise ConfigError(
            f"HULI_REGION={path!r} must be a polygon layer with a CRS (received "
            f"{'no CRS' if frame.crs is None else 'no polygons'}); save it with its CRS, e.g. as a GeoPackage",
            f"HULI_REGION={path!r} 必须是带坐标系的面图层（{'没有坐标系' if frame.crs is None else '没有面要素'}）；"
            "请连同坐标系保存，例如存为 GeoPackage",
        )
    return shapely.union_all(shapely.make_valid(polygons.to_numpy())), frame.crs.to_wkt()
