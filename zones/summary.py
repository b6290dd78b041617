"""Per-zone summaries of an analysed parcel frame.

One row per zone in the order hq, incubation, demonstration, ``""`` (outside every zone),
then any other zone id found, then the district total (``zone_id == "district"``).  Every
additive column of the district row equals the sum of the zone rows (counts, areas,
output and tax totals); the means and medians are computed over the district's parcels.
"""

from __future__ import annotations

import logging

import pandas as pd

from parcels.columns import area_mu_column, number_column, text_column
from parcels.schema import EFFICIENCY_CLASSES, EXPIRY_STATUSES, LAND_USES, ZONE_IDS
from zones.definitions import ZONE_BY_ID

__all__ = ["DISTRICT", "zone_summary"]

log = logging.getLogger(__name__)

#: ``zone_id`` of the district-total row.
DISTRICT = "district"


def _by_category(zone: pd.Series, cat: pd.Series, values: pd.Series, cats: tuple[str, ...]) -> pd.DataFrame:
    table = values.groupby([zone, cat]).sum().unstack(fill_value=0.0)
    return table.reindex(columns=list(cats), fill_value=0.0)


def zone_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Parcels, land, expiry, efficiency and output per zone, plus the district total.

    Parameters
    ----------
    frame
        Analysed parcel frame (see :func:`analysis.pipeline.analyse`): ``zone_id``,
        ``area_mu`` (or ``area_m2``), ``land_use``, ``expiry_status``, ``efficiency_class``,
        ``output_value``, ``tax``, ``output_per_mu``; missing columns count as unknown.

    Returns
    -------
    pandas.DataFrame
        Columns ``zone_id, name_zh, name_en, parcel_count, area_mu, area_ha``;
        ``area_mu_<land use>`` and ``area_ha_<land use>`` for every land use;
        ``area_mu_<status>`` and ``area_ha_<status>`` for every expiry status;
        ``count_<class>`` and ``area_mu_class_<class>`` for A, B, C, D, unrated;
        ``low_efficiency_count``, ``low_efficiency_area_mu``; ``output_value`` and ``tax``
        (万元/年, totals over parcels that report them, NaN when none does);
        ``output_per_mu_mean``, ``output_per_mu_median`` (over parcels with a value) and
        ``output_per_mu_overall`` (total output over the area of the parcels reporting it).
    """
    zone = text_column(frame, "zone_id")
    area = area_mu_column(frame).fillna(0.0)
    use = text_column(frame, "land_use", "other").replace("", "other")
    status = text_column(frame, "expiry_status", "unknown").replace("", "unknown")
    cls = text_column(frame, "efficiency_class", "unrated").replace("", "unrated")
    output = number_column(frame, "output_value")
    tax = number_column(frame, "tax")
    opm = number_column(frame, "output_per_mu")
    low = (
        frame["low_efficiency"].astype("boolean").fillna(False).astype(bool)
        if "low_efficiency" in frame
        else pd.Series(False, index=frame.index)
    )

    zones = [*ZONE_IDS, "", *sorted(set(zone.unique()) - set(ZONE_IDS) - {""})]
    data = pd.DataFrame(
        {
            "zone": zone,
            "one": 1,
            "area": area,
            "output": output,
            "tax": tax,
            "low": low.astype("int64"),
            "low_area": area.where(low, 0.0),
            "output_area": area.where(output.notna(), 0.0),
        }
    )
    g = data.groupby("zone")
    parts: dict[str, pd.Series | pd.DataFrame] = {
        "parcel_count": g["one"].sum(),
        "area_mu": g["area"].sum(),
        "output_value": g["output"].sum(min_count=1),
        "tax": g["tax"].sum(min_count=1),
        "low_efficiency_count": g["low"].sum(),
        "low_efficiency_area_mu": g["low_area"].sum(),
        "output_area": g["output_area"].sum(),
    }
    table = pd.DataFrame(parts).reindex(zones)
    for col in ("parcel_count", "low_efficiency_count"):
        table[col] = table[col].fillna(0).astype("int64")
    for col in ("area_mu", "low_efficiency_area_mu", "output_area"):
        table[col] = table[col].fillna(0.0)

    by_use = _by_category(zone, use, area, LAND_USES).reindex(zones, fill_value=0.0)
    by_status = _by_category(zone, status, area, EXPIRY_STATUSES).reindex(zones, fill_value=0.0)
    count_cls = _by_category(zone, cls, pd.Series(1.0, index=frame.index), EFFICIENCY_CLASSES).reindex(
        zones, fill_value=0.0
    )
    area_cls = _by_category(zone, cls, area, EFFICIENCY_CLASSES).reindex(zones, fill_value=0.0)

    stats = opm.groupby(zone).agg(["mean", "median"]).reindex(zones)
    district_row = pd.DataFrame(
        {
            **{c: [table[c].sum(min_count=1) if c in ("output_value", "tax") else table[c].sum()] for c in table},
        },
        index=[DISTRICT],
    )
    table = pd.concat([table, district_row])
    stats.loc[DISTRICT] = [opm.mean(), opm.median()]
    by_use.loc[DISTRICT] = by_use.sum()
    by_status.loc[DISTRICT] = by_status.sum()
    count_cls.loc[DISTRICT] = count_cls.sum()
    area_cls.loc[DISTRICT] = area_cls.sum()

    out = pd.DataFrame(index=table.index)
    out["zone_id"] = table.index.astype("str")
    out["name_zh"] = [ZONE_BY_ID[z].name_zh if z in ZONE_BY_ID else ("全区合计" if z == DISTRICT else "功能区外" if z == "" else z) for z in out["zone_id"]]
    out["name_en"] = [ZONE_BY_ID[z].name_en if z in ZONE_BY_ID else ("District total" if z == DISTRICT else "Outside the zones" if z == "" else z) for z in out["zone_id"]]
    out["parcel_count"] = table["parcel_count"].astype("int64")
    out["area_mu"] = table["area_mu"]
    out["area_ha"] = table["area_mu"] / 15.0
    for u in LAND_USES:
        out[f"area_mu_{u}"] = by_use[u]
        out[f"area_ha_{u}"] = by_use[u] / 15.0
    for s in EXPIRY_STATUSES:
        out[f"area_mu_{s}"] = by_status[s]
        out[f"area_ha_{s}"] = by_status[s] / 15.0
    for c in EFFICIENCY_CLASSES:
        out[f"count_{c}"] = count_cls[c].astype("int64")
        out[f"area_mu_class_{c}"] = area_cls[c]
    out["low_efficiency_count"] = table["low_efficiency_count"].astype("int64")
    out["low_efficiency_area_mu"] = table["low_efficiency_area_mu"]
    out["output_value"] = table["output_value"].astype("float64")
    out["tax"] = table["tax"].astype("float64")
    out["output_per_mu_mean"] = stats["mean"].astype("float64")
    out["output_per_mu_median"] = stats["median"].astype("float64")
    out["output_per_mu_overall"] = (table["output_value"] / table["output_area"].where(table["output_area"] > 0)).astype(
        "float64"
    )
    return out.reset_index(drop=True)
