"""Chinese labels beside the category codes of the table exports (CSV, XLSX).

A planner reading a table in Excel sees ``industrial`` and ``beyond_10y`` under Chinese headers;
each code column gets a column of its Chinese label right after it (``land_use`` → ``land_use_zh``,
``zone_id`` → ``zone_name_zh``, ``industry_code`` → ``industry_name_zh`` ...), and the reasons a
parcel is unrated (English phrases) are worded in Chinese beside them (``efficiency_reason_zh``,
:func:`analysis.efficiency_reason.reason_text`).  The code columns stay as they are: the city GIS joins on
them.  The GIS formats (GeoJSON, GeoPackage, Shapefile, PostGIS) carry the codes only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import geopandas as gpd
import pandas as pd

from analysis.efficiency_reason import reason_text
from parcels.industry import MANUFACTURING_DIVISIONS
from parcels.schema import EFFICIENCY_CLASS_ZH, EXPIRY_STATUS_ZH, LAND_USE_ZH
from zones.definitions import ZONES

__all__ = ["LABEL_COLUMNS", "with_labels"]

#: Each code column of the exports and the column of its Chinese label.
LABEL_COLUMNS: dict[str, str] = {
    "zone_id": "zone_name_zh",
    "land_use": "land_use_zh",
    "planned_use": "planned_use_zh",
    "expiry_status": "expiry_status_zh",
    "efficiency_class": "efficiency_class_zh",
    "efficiency_reason": "efficiency_reason_zh",
    "industry_code": "industry_name_zh",
}

_ZONE_ZH: dict[str, str] = {**{z.zone_id: z.name_zh for z in ZONES}, "": "功能区外"}

_LABELS: dict[str, Mapping[str, str]] = {
    "zone_id": _ZONE_ZH,
    "land_use": LAND_USE_ZH,
    "planned_use": LAND_USE_ZH,
    "expiry_status": EXPIRY_STATUS_ZH,
    "efficiency_class": EFFICIENCY_CLASS_ZH,
    "industry_code": MANUFACTURING_DIVISIONS,
}
#: Columns whose label is worded from the value rather than looked up.
_WORDED: dict[str, Callable[[str], str]] = {"efficiency_reason": reason_text}


def with_labels(frame: gpd.GeoDataFrame | pd.DataFrame) -> gpd.GeoDataFrame | pd.DataFrame:
    """A copy of ``frame`` with the Chinese label of every code column right after it.

    A code without a label keeps the code as its label; a missing code has no label (missing
    ``zone_id`` is outside the zones).  A frame that already has a label column keeps its own.
    """
    columns: dict[str, pd.Series] = {}
    for name in frame.columns:
        columns[name] = frame[name]
        label = LABEL_COLUMNS.get(name)
        if label is None or label in frame.columns:
            continue
        codes = frame[name].astype("string")
        if name == "zone_id":
            codes = codes.fillna("")
        if name in _WORDED:
            columns[label] = codes.map(_WORDED[name], na_action="ignore").astype("string")
            continue
        labels = _LABELS[name]
        columns[label] = codes.map(lambda c, labels=labels: labels.get(c, c), na_action="ignore").astype("string")
    out = pd.DataFrame(columns, index=frame.index)
    if isinstance(frame, gpd.GeoDataFrame):
        return gpd.GeoDataFrame(out, geometry=frame.geometry.name, crs=frame.crs)
    return out
