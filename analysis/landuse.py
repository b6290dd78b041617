"""Land use: floor-area ratio, converted land, current vs planned use, land-use summaries.

* ``far`` = ``floor_area / area_m2``; NaN when either is missing or the area is not positive.
* ``converted_land`` is True for commercial/office parcels inside the incubation zone: the
  plan notes that part of the old industrial zone has changed to commercial/office use
  (部分土地已变更使用功能或土地用途为商业办公); every other parcel is False.
* ``use_changed`` (current vs planned use) is True where ``planned_use`` is given and differs
  from ``land_use``, False where it is given and equal, <NA> where no planned use is given.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from parcels.columns import text_column
from parcels.schema import LAND_USE_ZH, LAND_USES

__all__ = [
    "floor_area_ratio",
    "converted_land",
    "use_changed",
    "landuse_summary",
    "use_change_matrix",
]

log = logging.getLogger(__name__)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return text_column(frame, column).str.strip()


def floor_area_ratio(frame: pd.DataFrame) -> pd.Series:
    """Floor-area ratio (容积率) = ``floor_area / area_m2``.

    Parameters
    ----------
    frame
        Parcel frame with ``floor_area`` and ``area_m2`` (m²).

    Returns
    -------
    pandas.Series
        float64 named ``far``; NaN when either input is missing, negative, or the area is zero.
    """
    floor = pd.to_numeric(frame["floor_area"]).astype("float64")
    area = pd.to_numeric(frame["area_m2"]).astype("float64")
    ok = (area > 0) & (floor >= 0)
    return (floor / area).where(ok, np.nan).rename("far")


def converted_land(frame: pd.DataFrame) -> pd.Series:
    """Commercial/office land inside the incubation zone (已转商办的老工业区用地).

    Parameters
    ----------
    frame
        Parcel frame with ``land_use`` and ``zone_id``.

    Returns
    -------
    pandas.Series
        bool named ``converted_land``.
    """
    out = (_text(frame, "land_use") == "commercial_office") & (_text(frame, "zone_id") == "incubation")
    return out.astype(bool).rename("converted_land")


def use_changed(frame: pd.DataFrame) -> pd.Series:
    """Whether the planned use differs from the current one.

    Parameters
    ----------
    frame
        Parcel frame with ``land_use`` and (optionally) ``planned_use``.

    Returns
    -------
    pandas.Series
        Nullable boolean named ``use_changed``; <NA> where no planned use is given.
    """
    planned = _text(frame, "planned_use")
    given = planned != ""
    changed = pd.Series(planned != _text(frame, "land_use"), dtype="boolean")
    return changed.where(given, pd.NA).rename("use_changed")


def landuse_summary(frame: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """Parcel count and area per land use (optionally also per another column, e.g. zone_id).

    Parameters
    ----------
    frame
        Parcel frame with ``land_use`` and ``area_mu``; ``floor_area`` is used when present.
    by
        Optional extra grouping column (e.g. ``"zone_id"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``[by,] land_use, land_use_zh, count, area_mu, area_ha, share`` (share of the
        group's area, 0-1), ``floor_area_m2`` and ``far`` (floor area over land area of
        parcels that report a floor area).  Every land use of :data:`LAND_USES` appears, with
        zeros where there is none.
    """
    use = _text(frame, "land_use").replace("", "other")
    area = pd.to_numeric(frame["area_mu"]).astype("float64")
    floor = pd.to_numeric(frame["floor_area"]).astype("float64") if "floor_area" in frame else area * np.nan
    data = pd.DataFrame(
        {
            "land_use": use,
            "area_mu": area,
            "floor_area_m2": floor,
            "land_with_floor_m2": area.where(floor.notna()) * (10000.0 / 15.0),
        }
    )
    keys = ["land_use"]
    if by is not None:
        data[by] = _text(frame, by)
        keys = [by, "land_use"]
    g = data.groupby(keys, sort=False).agg(
        count=("area_mu", "size"),
        area_mu=("area_mu", "sum"),
        floor_area_m2=("floor_area_m2", "sum"),
        land_with_floor_m2=("land_with_floor_m2", "sum"),
    )
    uses = [*LAND_USES, *sorted(set(use.unique()) - set(LAND_USES))]
    if by is None:
        index = pd.Index(uses, name="land_use")
    else:
        groups = sorted(data[by].unique())
        index = pd.MultiIndex.from_product([groups, uses], names=keys)
    out = g.reindex(index, fill_value=0).reset_index()
    out["count"] = out["count"].astype("int64")
    out["area_ha"] = out["area_mu"] / 15.0
    if by is None:
        total = pd.Series(out["area_mu"].sum(), index=out.index)
    else:
        total = out.groupby(by)["area_mu"].transform("sum")
    out["share"] = (out["area_mu"] / total.where(total > 0)).fillna(0.0)
    out["far"] = (out["floor_area_m2"] / out["land_with_floor_m2"]).where(out["land_with_floor_m2"] > 0)
    out.insert(out.columns.get_loc("land_use") + 1, "land_use_zh", out["land_use"].map(LAND_USE_ZH).fillna(""))
    return out.drop(columns="land_with_floor_m2")


def use_change_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """Area (亩) by current use (rows) and planned use (columns), parcels with a planned use only.

    Parameters
    ----------
    frame
        Parcel frame with ``land_use``, ``planned_use`` and ``area_mu``.

    Returns
    -------
    pandas.DataFrame
        Cross-table of area_mu; empty when no parcel has a planned use.
    """
    planned = _text(frame, "planned_use")
    sel = planned != ""
    return pd.crosstab(
        _text(frame, "land_use")[sel],
        planned[sel],
        values=pd.to_numeric(frame["area_mu"])[sel],
        aggfunc="sum",
        rownames=["land_use"],
        colnames=["planned_use"],
    ).fillna(0.0)
