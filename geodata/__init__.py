"""Embedded default data for Huli District (示意数据, illustrative) and the code that builds them.

The shipped GeoPackage ``huli.gpkg`` holds six layers, all in EPSG:4326 (lon/lat):

===========  ===============================================================
layer        content
===========  ===============================================================
district     Huli District outline (湖里区, adcode 350206), real, from an
             AMap-derived public dataset shifted GCJ-02 -> WGS84
context      the other five Xiamen districts, for the offline basemap
zones        the three functional zones (hq, incubation, demonstration),
             drawn at their carriers' approximate locations
airport      Xiamen Gaoqi International Airport boundary (approximate)
runway       runway 05/23 centreline, derived from the reference point
parcels      600 generated parcels with plausible attributes (illustrative)
===========  ===============================================================

See ``geodata/README.md`` for the provenance, method and accuracy of each layer.

Examples
--------
>>> from geodata import get_path, read_layer
>>> get_path("huli").name
'huli.gpkg'
>>> zones = read_layer("zones")  # doctest: +SKIP

Importing this package is cheap: geopandas and pyogrio are imported only when a
layer is read.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import PlanningError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import geopandas as gpd

__all__ = ["LAYERS", "DatasetNotFoundError", "available", "get_path", "read_layer", "embedded_zones"]

logger = logging.getLogger(__name__)

_HERE = Path(__file__).resolve().parent

#: Shipped files, by name.
_FILES: dict[str, str] = {
    "huli": "huli.gpkg",
    "readme": "README.md",
}

#: Layers of ``huli.gpkg``, in the order they are written.
LAYERS: tuple[str, ...] = ("district", "context", "zones", "airport", "runway", "parcels")

#: Columns of the parcels layer that are dates / nullable integers (GeoPackage stores
#: them as DATE / INTEGER; they are normalised to the canonical dtypes on read).
_DATE_COLUMNS: tuple[str, ...] = ("lease_start", "lease_end")
_INT_COLUMNS: tuple[str, ...] = ("lease_years", "employees")
_BOOL_COLUMNS: tuple[str, ...] = ("safety_hazard", "standard_factory")
_STR_COLUMNS: tuple[str, ...] = ("industry_code",)


class DatasetNotFoundError(PlanningError, KeyError):
    """A shipped file or layer name is not known."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return Exception.__str__(self)


def available() -> tuple[str, ...]:
    """Names accepted by :func:`get_path`."""
    return tuple(_FILES)


def get_path(name: str) -> Path:
    """Path of a shipped data file.

    Parameters
    ----------
    name
        One of :func:`available` (``"huli"`` for the GeoPackage, ``"readme"`` for
        its provenance notes).  The file name itself (``"huli.gpkg"``) is accepted
        too.

    Returns
    -------
    Path
        Absolute path inside the installed package.

    Raises
    ------
    DatasetNotFoundError
        ``name`` is not a shipped file; the message lists the valid names.
    """
    key = name
    if key not in _FILES:
        by_file = {v: k for k, v in _FILES.items()}
        key = by_file.get(name, "")
    if key not in _FILES:
        valid = ", ".join(repr(n) for n in _FILES)
        raise DatasetNotFoundError(
            f"The dataset {name!r} is not available. Valid names: {valid}.",
            f"没有名为 {name!r} 的内置数据。可用名称：{valid}。",
        )
    return _HERE / _FILES[key]


def read_layer(name: str) -> gpd.GeoDataFrame:
    """Read one layer of the embedded GeoPackage ``huli.gpkg``.

    Parameters
    ----------
    name
        One of :data:`LAYERS`: ``district``, ``context``, ``zones``, ``airport``,
        ``runway`` or ``parcels``.

    Returns
    -------
    geopandas.GeoDataFrame
        The layer in EPSG:4326.  The parcels layer comes back in the canonical
        dtypes (dates as ``datetime64[ms]``, ``lease_years``/``employees`` as
        nullable ``Int64``).

    Raises
    ------
    DatasetNotFoundError
        ``name`` is not a layer; the message lists the valid layers.
    """
    if name not in LAYERS:
        valid = ", ".join(repr(n) for n in LAYERS)
        raise DatasetNotFoundError(
            f"huli.gpkg has no layer {name!r}. Valid layers: {valid}.",
            f"huli.gpkg 中没有图层 {name!r}。可用图层：{valid}。",
        )
    import pyogrio  # imported here to keep `import geodata` cheap

    path = get_path("huli")
    logger.debug("reading layer %s from %s", name, path)
    from core.gdal import no_sidecar_files

    no_sidecar_files()  # the embedded data folder is never written to, not even a .aux.xml
    frame = pyogrio.read_dataframe(path, layer=name, use_arrow=True)
    frame = frame.to_crs("EPSG:4326") if frame.crs is not None else frame.set_crs("EPSG:4326")
    return _normalise(frame)


def embedded_zones() -> gpd.GeoDataFrame:
    """The embedded three functional zones, checked and normalised like any zone layer
    (:func:`zones.definitions.normalise_zones`)."""
    from zones.definitions import normalise_zones

    return normalise_zones(read_layer("zones"))


def _normalise(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Canonical dtypes for date, nullable integer, nullable boolean and text columns."""
    import pandas as pd

    out = frame.copy()
    for col in _DATE_COLUMNS:
        if col in out.columns:
            values = pd.to_datetime(out[col])
            if getattr(values.dt, "tz", None) is not None:
                values = values.dt.tz_localize(None)
            out[col] = values.astype("datetime64[ms]")
    for col in _INT_COLUMNS:
        if col in out.columns:
            out[col] = out[col].astype("Int64")
    for col in _BOOL_COLUMNS:
        if col in out.columns:
            out[col] = out[col].astype("boolean")
    for col in _STR_COLUMNS:
        if col in out.columns:
            out[col] = out[col].astype("str")
    return out
