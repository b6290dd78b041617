"""Assign each parcel to the functional zone it overlaps most.

Method
------
Both layers are projected to the metric CRS (``settings.metric_crs``, EPSG:4548 by
default).  An STRtree is built on the parcels and queried with the (few) zones; the
parcel-zone pairs whose interiors intersect become candidates.  Pairs where the zone
contains the parcel get the parcel's whole area without computing an intersection; the
others get ``area(intersection)``, computed for all pairs at once as shapely arrays.
Each parcel takes the zone with the largest overlap area; ties (equal to the mm²) go to
the zone listed first in :data:`parcels.schema.ZONE_IDS` order (hq, incubation,
demonstration), then by zone id.  Parcels that only touch a zone, or overlap none, get
``""``.

Declared zones
--------------
A parcel file may carry its own zone (功能区).  Precedence: **the spatial result wins
whenever the parcel overlaps a zone**; the declared zone is kept only for parcels that
overlap none (e.g. parcels drawn just outside a coarse zone outline).  Declared values are
read with :func:`zones.definitions.zone_id_from_name` (ids or names); values that name no
zone are ignored.  Parcels whose declared zone differs from the spatial one are counted
(:attr:`ZoneAssignment.disagreements`) and logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core.errors import CRSError, SchemaError
from core.settings import get_settings
from parcels.schema import ZONE_IDS
from zones.definitions import zone_id_from_name

__all__ = ["ZoneAssignment", "assign_zones", "assign_zones_detailed", "spatial_zones"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ZoneAssignment:
    """Result of :func:`assign_zones_detailed`.

    Attributes
    ----------
    zone_id
        Final zone per parcel (index-aligned; ``""`` outside every zone).
    source
        Where each zone came from: ``"spatial"``, ``"declared"`` or ``"none"``.
    spatial
        The purely spatial assignment.
    disagreements
        Parcels whose declared zone names a different zone than the spatial one.
    """

    zone_id: pd.Series
    source: pd.Series
    spatial: pd.Series
    disagreements: int


def _check_crs(frame: gpd.GeoDataFrame, what: str) -> None:
    if frame.crs is None:
        raise CRSError(
            f"the {what} layer has no CRS; set one (e.g. frame.set_crs('EPSG:4490')) before assigning zones",
            f"{'宗地' if what == 'parcel' else '功能区'}图层没有坐标系；请先设置坐标系（如 EPSG:4490）再分配功能区",
        )


def spatial_zones(
    parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, *, metric_crs: str | None = None
) -> pd.Series:
    """Zone of largest overlap for each parcel, ignoring any declared zone.

    Parameters
    ----------
    parcels
        Parcel polygons with a CRS.
    zones
        Zone polygons with a CRS and a ``zone_id`` column.
    metric_crs
        Projected CRS in which overlap areas are measured; default ``settings.metric_crs``.

    Returns
    -------
    pandas.Series
        ``zone_id`` per parcel (str), aligned to ``parcels.index``; ``""`` outside every zone.
    """
    _check_crs(parcels, "parcel")
    _check_crs(zones, "zone")
    if "zone_id" not in zones.columns:
        raise SchemaError(
            f"the zone layer has no zone_id column; columns received: {list(zones.columns)}; "
            "load it with zones.load_zones(path) or geodata.embedded_zones()",
            "功能区图层缺少 zone_id 字段；请用 zones.load_zones(path) 或 geodata.embedded_zones() 加载",
        )
    crs = metric_crs or get_settings().metric_crs
    result = np.full(len(parcels), "", dtype=object)
    if len(parcels) and len(zones):
        pg = parcels.geometry.to_crs(crs).values
        zg = shapely.make_valid(np.asarray(zones.geometry.to_crs(crs).values, dtype=object))
        zone_ids = zones["zone_id"].astype(str).to_numpy()
        rank_of = {z: i for i, z in enumerate(ZONE_IDS)}
        # rank: canonical order first, then by id; used to break ties deterministically
        order = sorted(range(len(zone_ids)), key=lambda i: (rank_of.get(zone_ids[i], len(ZONE_IDS)), zone_ids[i], i))
        zone_rank = np.empty(len(zone_ids), dtype=np.int64)
        zone_rank[order] = np.arange(len(zone_ids))

        tree = shapely.STRtree(pg)
        z_idx, p_idx = tree.query(zg, predicate="intersects")
        if len(p_idx):
            inside_z, inside_p = tree.query(zg, predicate="contains")
            # encode pairs to mark those where the zone contains the parcel entirely
            n = len(pg)
            inside_key = inside_z.astype(np.int64) * n + inside_p
            key = z_idx.astype(np.int64) * n + p_idx
            contained = np.isin(key, inside_key)
            overlap = np.empty(len(key), dtype=float)
            overlap[contained] = shapely.area(pg[p_idx[contained]])
            cross = ~contained
            if cross.any():
                overlap[cross] = shapely.area(shapely.intersection(pg[p_idx[cross]], zg[z_idx[cross]]))
            keep = overlap > 0.0
            p_k, z_k, a_k = p_idx[keep], z_idx[keep], overlap[keep]
            # sort by parcel, then largest area (to the mm², so float noise cannot break a tie),
            # then zone rank; the first row per parcel wins
            sort = np.lexsort((zone_rank[z_k], -np.round(a_k, 6), p_k))
            p_s, z_s = p_k[sort], z_k[sort]
            first = np.ones(len(p_s), dtype=bool)
            first[1:] = p_s[1:] != p_s[:-1]
            result[p_s[first]] = zone_ids[z_s[first]]
    return pd.Series(result, index=parcels.index, name="zone_id", dtype="str")


def assign_zones_detailed(
    parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, *, metric_crs: str | None = None
) -> ZoneAssignment:
    """Zone per parcel with the declared-zone precedence applied (see module docstring).

    Parameters
    ----------
    parcels
        Parcel polygons with a CRS; an optional ``zone_id`` column holds declared zones.
    zones
        Zone polygons with a CRS and a ``zone_id`` column.
    metric_crs
        Projected CRS for overlap areas; default ``settings.metric_crs``.

    Returns
    -------
    ZoneAssignment
    """
    spatial = spatial_zones(parcels, zones, metric_crs=metric_crs)
    if "zone_id" in parcels.columns:
        codes, uniques = pd.factorize(parcels["zone_id"], use_na_sentinel=True)
        mapped = np.array([zone_id_from_name(u) or "" for u in uniques] + [""], dtype=object)
        declared = pd.Series(mapped[codes], index=parcels.index, name="zone_id", dtype="str")  # -1 -> ""
    else:
        declared = pd.Series("", index=parcels.index, dtype="str")
    has_spatial = spatial != ""
    has_declared = declared != ""
    final = spatial.where(has_spatial, declared).rename("zone_id")
    source = pd.Series(
        np.select([has_spatial.to_numpy(), has_declared.to_numpy()], ["spatial", "declared"], "none"),
        index=parcels.index,
        name="zone_source",
        dtype="str",
    )
    disagreements = int((has_spatial & has_declared & (spatial != declared)).sum())
    if disagreements:
        log.warning(
            "%d parcels declare a zone that differs from the zone they overlap most; the spatial zone is used",
            disagreements,
        )
    return ZoneAssignment(zone_id=final, source=source, spatial=spatial, disagreements=disagreements)


def assign_zones(
    parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, *, metric_crs: str | None = None
) -> pd.Series:
    """Functional zone of each parcel by largest overlap area.

    Parameters
    ----------
    parcels
        Parcel polygons with a CRS; an optional ``zone_id`` column holds declared zones
        (功能区), used only for parcels that overlap no zone.
    zones
        Zone polygons with a CRS and a ``zone_id`` column (see :func:`zones.load_zones`).
    metric_crs
        Projected CRS in which overlap areas are measured; default ``settings.metric_crs``.

    Returns
    -------
    pandas.Series
        ``zone_id`` (str) aligned to ``parcels.index``; ``""`` outside every zone.

    Raises
    ------
    CRSError
        Either layer has no CRS.
    SchemaError
        ``zones`` has no ``zone_id`` column.
    """
    return assign_zones_detailed(parcels, zones, metric_crs=metric_crs).zone_id
