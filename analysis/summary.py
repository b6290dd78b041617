"""District and per-zone key figures of an analysed parcel frame, as JSON-able data.

:func:`summarise` gives the figures a decision-maker reads first: land, lease expiry,
efficiency and the plan's recommendations, for the district and for each zone.  All values
are plain Python numbers, strings, lists and dicts (NaN becomes None), so the result can be
written with ``json.dumps`` as is.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Any

import numpy as np
import pandas as pd

from analysis.expiry import expiry_timeline, resolve_as_of
from analysis.landuse import landuse_summary, use_changed
from analysis.low_efficiency import BASES
from parcels.schema import EFFICIENCY_CLASSES, EXPIRY_STATUSES
from zones.summary import DISTRICT, zone_summary

__all__ = ["summarise", "jsonable"]

log = logging.getLogger(__name__)

def jsonable(value: Any) -> Any:
    """``value`` with numpy/pandas scalars turned into Python ones and NaN/NaT/<NA> into None.

    Parameters
    ----------
    value
        Nested dicts/lists/tuples of scalars.

    Returns
    -------
    Any
        The same structure, JSON-serialisable.
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()[:10]
    return value


#: Columns :func:`_kpis` reads (with :func:`analysis.landuse.use_changed`).
_KPI_COLUMNS = ("recommendation", "area_mu", "land_use", "planned_use", "efficiency_class", "converted_land",
                "tax", "expiry_status", "low_efficiency_basis")


def _by_basis(rows: pd.DataFrame, area_mu: pd.Series) -> dict[str, dict[str, float]]:
    """Parcels and area of each low-efficiency basis (a parcel with two bases counts in both)."""
    basis = rows["low_efficiency_basis"].fillna("").astype("str") if "low_efficiency_basis" in rows \
        else pd.Series("", index=rows.index)
    out = {}
    for b in BASES:
        hit = basis.str.contains(b, regex=False).to_numpy()
        out[b] = {"count": int(hit.sum()), "area_mu": float(area_mu[hit].sum())}
    return out


def _kpis(rows: pd.DataFrame, zrow: pd.Series) -> dict[str, Any]:
    """Key figures of one group of parcels (``rows``) with its zone-summary row."""
    rec = rows["recommendation"].value_counts() if "recommendation" in rows else pd.Series(dtype="int64")
    area_mu = rows["area_mu"].astype("float64")
    industrial = rows["land_use"].astype("str") == "industrial" if "land_use" in rows else area_mu < 0
    rated = rows["efficiency_class"].astype("str") != "unrated" if "efficiency_class" in rows else area_mu < 0
    reserve = rows["recommendation"].astype("str") == "reserve_industrial" if "recommendation" in rows else area_mu < 0
    converted = rows["converted_land"].astype(bool) if "converted_land" in rows else area_mu < 0
    changed = use_changed(rows).fillna(False).astype(bool) if "land_use" in rows else area_mu < 0
    tax_area = area_mu.where(rows["tax"].notna(), 0.0).sum() if "tax" in rows else 0.0
    return {
        "parcel_count": int(zrow["parcel_count"]),
        "area_mu": float(zrow["area_mu"]),
        "area_ha": float(zrow["area_ha"]),
        "industrial_area_mu": float(area_mu[industrial].sum()),
        "area_mu_by_land_use": {c[len("area_mu_"):]: float(zrow[c]) for c in zrow.index
                                if c.startswith("area_mu_") and not c.startswith("area_mu_class_")
                                and c[len("area_mu_"):] not in EXPIRY_STATUSES},
        "area_mu_by_expiry_status": {s: float(zrow[f"area_mu_{s}"]) for s in EXPIRY_STATUSES},
        "count_by_expiry_status": {s: int((rows["expiry_status"] == s).sum()) for s in EXPIRY_STATUSES}
        if "expiry_status" in rows else {},
        "count_by_efficiency_class": {c: int(zrow[f"count_{c}"]) for c in EFFICIENCY_CLASSES},
        "rated_parcels": int(rated.sum()),
        "low_efficiency_count": int(zrow["low_efficiency_count"]),
        "low_efficiency_area_mu": float(zrow["low_efficiency_area_mu"]),
        "low_efficiency_by_basis": _by_basis(rows, area_mu),
        "output_value_wan_yuan": zrow["output_value"],
        "tax_wan_yuan": zrow["tax"],
        "output_per_mu_overall": zrow["output_per_mu_overall"],
        "output_per_mu_mean": zrow["output_per_mu_mean"],
        "output_per_mu_median": zrow["output_per_mu_median"],
        "tax_per_mu_overall": (float(zrow["tax"]) / tax_area) if tax_area > 0 and pd.notna(zrow["tax"]) else None,
        "reserve_parcels": int(reserve.sum()),
        "reserve_area_mu": float(area_mu[reserve].sum()),
        "converted_land_area_mu": float(area_mu[converted].sum()),
        "recommendations": {str(k): int(v) for k, v in rec.items()},
        "planned_use_changed_count": int(changed.sum()),
        "planned_use_changed_area_mu": float(area_mu[changed].sum()),
    }


def summarise(frame: pd.DataFrame, *, as_of: dt.date | str | None = None, until_year: int | None = None) -> dict[str, Any]:
    """District and per-zone key figures of an analysed parcel frame.

    Parameters
    ----------
    frame
        Output of :func:`analysis.pipeline.analyse`.
    as_of
        The as-of date the frame was analysed with (reported, and the start of the expiry
        timeline); default today.
    until_year
        Last year of the expiry timeline; default the as-of year + 10.

    Returns
    -------
    dict
        ``{"as_of", "units", "district": {...}, "zones": {zone_id: {...}}, "outside": {...},
        "expiry_timeline": [{year, zone_id, count, area_mu}, ...], "land_use": [...]}``;
        JSON-serialisable (NaN as None).
    """
    ref = resolve_as_of(as_of)
    zs = zone_summary(frame).set_index("zone_id", drop=False)
    zone = frame["zone_id"].fillna("").astype("str") if "zone_id" in frame else pd.Series("", index=frame.index)
    # the per-zone selections copy only the columns the key figures read
    kpi_rows = frame[[c for c in _KPI_COLUMNS if c in frame.columns]]
    zones: dict[str, Any] = {}
    for zid, zrow in zs.iterrows():
        if zid in (DISTRICT, ""):
            continue
        zones[str(zid)] = {"name_zh": zrow["name_zh"], "name_en": zrow["name_en"],
                           **_kpis(kpi_rows[zone == zid], zrow)}
    timeline = expiry_timeline(frame, as_of=ref, until_year=until_year)
    landuse = landuse_summary(frame)
    result = {
        "as_of": ref.isoformat(),
        "units": {"area": "mu (亩) and ha", "money": "万元 (10,000 yuan) per year", "output_per_mu": "万元/亩"},
        "district": _kpis(kpi_rows, zs.loc[DISTRICT]),
        "zones": zones,
        "outside": _kpis(kpi_rows[zone == ""], zs.loc[""]),
        "expiry_timeline": timeline.to_dict(orient="records"),
        "land_use": landuse.to_dict(orient="records"),
    }
    return jsonable(result)
