"""A what-if scenario's edits applied to the parcels in one year, and the height conflicts.

:func:`apply_edits` gives the parcels of year *Y*: the edits in force (``from_year`` ≤ *Y*) are
applied in their order, field by field (a later edit overrides what an earlier one set on the
same parcel; a ``development_type`` brings its use and FAR unless the same or a later edit sets
them).  An edited parcel gets

* ``land_use`` and ``far`` (the edit's, else the type's, else its own);
* ``floor_area`` = ``area_m2`` × FAR (m²) when the FAR changed;
* with a development type other than ``keep``: ``output_value`` and ``tax`` = the type's figure
  per mu × ``area_mu`` × ramp, ``jobs`` (and ``employees``) = jobs per hectare × hectares × ramp,
  where ramp = min(1, (*Y* − start + 1) / ``ramp_up_years``) from the year the type was given;
  the former firm's ``investment``, ``energy``, ``rd_expense`` and ``revenue`` become unknown;
* ``edited`` = True, ``development_type`` (the code, "" without one) and ``development_type_zh``
  (its Chinese name in the library the edits were applied with), ``edit_from_year`` (the
  latest start year of the edits in force on it) and ``edit_on_reserve`` (it was a developable reserve
  parcel of the scenario, :attr:`Placement.developable_recommendations`, before the edit);
* with ``lease_years``: a new term from 1 January of the edit's start year — ``lease_start``,
  ``lease_years`` and ``lease_end`` set, and ``remaining_years`` and ``expiry_status`` derived
  again as of the analysis date (:func:`rederive`).

Every other parcel is unchanged (``edited`` False).  :func:`rederive` derives what depends on
the edited fields again (``converted_land``, efficiency, recommendations).

:func:`height_conflicts`: storeys allowed = floor(clearance / storey height), clearance = the
year's ``height_limit_m``; ``max_far_under_height_limit`` = storeys × site coverage (NaN where no
limit applies) and ``height_conflict`` = FAR > that (never on airport land: the aerodrome's own
buildings are not obstacles to it).  Storey height and coverage come from the
parcel's development type, else from the buildability assumptions of its land use
(``analysis/config/buildability.yaml``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.heights import BuildabilityParams, load_buildability
from analysis.whatif.edits import select_parcels
from analysis.whatif.types import DevelopmentTypes, load_development_types
from core.settings import SQM_PER_MU
from parcels.schema import LAND_USES

if TYPE_CHECKING:
    from analysis.control_standard import ControlStandard
    from analysis.efficiency import EfficiencyProfile
    from analysis.recommend import DemonstrationAdvice
    from analysis.scenario.schema import Scenario

__all__ = ["EDIT_COLUMNS", "apply_edits", "rederive", "height_conflicts"]

#: Columns :func:`apply_edits` adds to every parcel.
EDIT_COLUMNS: tuple[str, ...] = ("edited", "development_type", "development_type_zh", "edit_from_year",
                                  "edit_on_reserve", "jobs")
_CLEARED = ("investment", "energy", "rd_expense", "revenue")
_SQM_PER_HA = 10_000.0


def apply_edits(frame: gpd.GeoDataFrame, scenario: Scenario, year: int, *,
                types: DevelopmentTypes | None = None) -> gpd.GeoDataFrame:
    """The parcels in ``year`` with the scenario's edits in force applied (see the module notes).

    Parameters
    ----------
    frame
        Analysed parcels (``parcel_id``, ``area_m2``, ``area_mu``, ``land_use``, ``far`` …); not modified.
    scenario
        The scenario whose ``edits`` apply (none: every parcel ``edited`` False).
    year
        The year.
    types
        The development-type library (default: the shipped one).

    Returns
    -------
    A new frame, same index and columns plus :data:`EDIT_COLUMNS`.
    """
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    n = len(out)
    employees = pd.to_numeric(out["employees"], errors="coerce") if "employees" in out \
        else pd.Series(np.nan, index=out.index)
    out["jobs"] = employees.astype("float64")
    edits = [e for e in scenario.edits if e.start_year(scenario.horizon) <= year]
    touched = np.zeros(n, dtype=bool)
    code = np.full(n, "", dtype=object)
    type_from = np.zeros(n, dtype=np.int64)
    use = np.full(n, None, dtype=object)
    far = np.full(n, np.nan)
    last_year = np.zeros(n, dtype=np.int64)
    lease_from = np.zeros(n, dtype=np.int64)  # the start year of a new term (0: none)
    lease_n = np.zeros(n, dtype=np.int64)
    if edits:
        types = types if types is not None else load_development_types()
        position = pd.Series(np.arange(n), index=out.index)
        for edit in edits:
            at = position.loc[select_parcels(frame, edit)].to_numpy()
            start = edit.start_year(scenario.horizon)
            touched[at] = True
            last_year[at] = np.maximum(last_year[at], start)
            if edit.development_type is not None:
                code[at] = edit.development_type
                type_from[at] = start
                use[at] = None
                far[at] = np.nan
            if edit.land_use is not None:
                use[at] = edit.land_use
            if edit.far is not None:
                far[at] = edit.far
            if edit.lease_years is not None:
                lease_from[at], lease_n[at] = start, edit.lease_years
    developable = tuple(scenario.placement.developable_recommendations)
    on_reserve = out["recommendation"].astype("str").isin(developable).to_numpy() \
        if "recommendation" in out else np.zeros(n, dtype=bool)
    out["edited"] = touched
    out["development_type"] = pd.Series(code, index=out.index, dtype="str")
    name_zh = np.full(n, "", dtype=object)  # the type's name in the library the edits were applied with
    for c in set(code[touched]) - {""}:
        name_zh[code == c] = types[c].name_zh if types is not None else ""
    out["development_type_zh"] = pd.Series(name_zh, index=out.index, dtype="str")
    out["edit_from_year"] = pd.Series(pd.array(last_year, dtype="Int64"), index=out.index).where(touched)
    out["edit_on_reserve"] = touched & on_reserve
    if not touched.any():
        return out
    assert types is not None
    _set_uses_and_far(out, touched, code, use, far, types)
    _set_figures(out, code, type_from, year, types)
    _set_leases(out, lease_from, lease_n)
    return out


def _set_leases(out: gpd.GeoDataFrame, start: np.ndarray, years: np.ndarray) -> None:
    """A new term of ``years`` from 1 January of ``start`` where an edit grants one."""
    rows = start > 0
    if not rows.any():
        return
    begin = pd.to_datetime(pd.DataFrame({"year": start[rows], "month": 1, "day": 1})).to_numpy("datetime64[ms]")
    end = pd.to_datetime(pd.DataFrame({"year": start[rows] + years[rows], "month": 1, "day": 1})).to_numpy(
        "datetime64[ms]")
    for column, values, dtype in (("lease_start", begin, "datetime64[ms]"), ("lease_end", end, "datetime64[ms]"),
                                  ("lease_years", years[rows], "Int64")):
        current = out[column].astype(dtype) if column in out else pd.Series(pd.NA, index=out.index, dtype=dtype)
        current = current.copy()
        current.iloc[np.flatnonzero(rows)] = values
        out[column] = current


def _set_uses_and_far(out: gpd.GeoDataFrame, touched: np.ndarray, code: np.ndarray, use: np.ndarray,
                      far: np.ndarray, types: DevelopmentTypes) -> None:
    for c in set(code[touched]) - {""}:
        t = types[c]
        rows = touched & (code == c)
        if t.land_use is not None:
            use[rows & pd.isna(use)] = t.land_use
        if t.far is not None:
            far[rows & np.isnan(far)] = t.far
    new_use = touched & ~pd.isna(use)
    if new_use.any():
        land = out["land_use"].astype("object").to_numpy(copy=True)
        land[new_use] = use[new_use]
        dtype = out["land_use"].dtype
        column = pd.Series(land, index=out.index)
        # a categorical column's categories may lack the new use: keep it categorical with it added
        out["land_use"] = column.astype("category") if isinstance(dtype, pd.CategoricalDtype) else column.astype(dtype)
    new_far = touched & ~np.isnan(far)
    if new_far.any():
        area = pd.to_numeric(out["area_m2"], errors="coerce").to_numpy(dtype=np.float64)
        far_col = pd.to_numeric(out["far"], errors="coerce").to_numpy(dtype=np.float64, copy=True) \
            if "far" in out else np.full(len(out), np.nan)
        floor = pd.to_numeric(out["floor_area"], errors="coerce").to_numpy(dtype=np.float64, copy=True) \
            if "floor_area" in out else np.full(len(out), np.nan)
        far_col[new_far] = far[new_far]
        floor[new_far] = area[new_far] * far[new_far]
        out["far"] = far_col
        out["floor_area"] = floor


def _set_figures(out: gpd.GeoDataFrame, code: np.ndarray, type_from: np.ndarray, year: int,
                 types: DevelopmentTypes) -> None:
    """Output, tax and jobs of the parcels given a development type (other than keep), ramped."""
    typed = np.array([c != "" and not types[c].keeps for c in code], dtype=bool)
    if not typed.any():
        return
    area_m2 = pd.to_numeric(out["area_m2"], errors="coerce").to_numpy(dtype=np.float64)
    area_mu = pd.to_numeric(out["area_mu"], errors="coerce").to_numpy(dtype=np.float64) \
        if "area_mu" in out else area_m2 / SQM_PER_MU
    cols = {k: pd.to_numeric(out[k], errors="coerce").to_numpy(dtype=np.float64, copy=True) if k in out
            else np.full(len(out), np.nan) for k in ("output_value", "tax", "jobs")}
    for c in set(code[typed]):
        t = types[c]
        for start in set(type_from[typed & (code == c)]):
            rows = typed & (code == c) & (type_from == start)
            ramp = t.ramp(year - int(start))
            cols["output_value"][rows] = float(t.output_per_mu or 0.0) * area_mu[rows] * ramp
            cols["tax"][rows] = float(t.tax_per_mu or 0.0) * area_mu[rows] * ramp
            cols["jobs"][rows] = float(t.jobs_per_ha or 0.0) * area_m2[rows] / _SQM_PER_HA * ramp
    for k, v in cols.items():
        out[k] = v
    if "employees" in out:
        emp = pd.to_numeric(out["employees"], errors="coerce").astype("Float64")
        emp[typed] = np.round(cols["jobs"][typed])
        out["employees"] = emp.round().astype("Int64")
    for k in _CLEARED:
        if k in out:
            col = pd.to_numeric(out[k], errors="coerce").astype("float64")
            col[typed] = np.nan
            out[k] = col


def rederive(frame: gpd.GeoDataFrame, *, profile: EfficiencyProfile | None = None,
             demonstration: DemonstrationAdvice | None = None,
             standard: ControlStandard | None = None) -> gpd.GeoDataFrame:
    """The expiry (a new term an edit granted; as of the frame's ``as_of``), ``converted_land``, the
    efficiency fields and the recommendations derived again (after edits).

    Parameters
    ----------
    frame
        An analysed frame after :func:`apply_edits` (not modified).
    profile
        The efficiency profile the frame was analysed with (default: the shipped one).
    demonstration
        The demonstration zone's advice of the year (None: the neutral rule).
    standard
        The land control standard the frame was analysed with (default: the shipped one).
    """
    from analysis.landuse import converted_land
    from analysis.pipeline import efficiency_fields
    from analysis.recommend import recommend

    out = frame.copy()
    out.attrs = dict(frame.attrs)
    if "as_of" in out.attrs and "lease_end" in out:  # an edit may have granted a new term
        from analysis.expiry import expiry_status, remaining_years

        as_of = dt.date.fromisoformat(str(out.attrs["as_of"]))
        out["remaining_years"] = remaining_years(out, as_of=as_of)
        out["expiry_status"] = expiry_status(out, as_of=as_of)
    out["converted_land"] = converted_land(out)
    rated = efficiency_fields(out, profile=profile, standard=standard)
    for col in rated.columns:
        out[col] = rated[col]
    recs = recommend(out, demonstration=demonstration)
    for col in recs.columns:
        out[col] = recs[col]
    return out


def height_conflicts(frame: pd.DataFrame, *, types: DevelopmentTypes | None = None,
                     buildability: BuildabilityParams | None = None) -> pd.DataFrame:
    """``height_conflict`` and ``max_far_under_height_limit`` of every parcel (see the module notes).

    Parameters
    ----------
    frame
        Parcels with ``far``, ``land_use``, ``height_limit_m`` (that year's; missing or NaN: no
        limit) and, after :func:`apply_edits`, ``development_type``.
    types
        The development-type library (default: the shipped one).
    buildability
        Storey heights and site coverage by land use (default: the packaged file).

    Returns
    -------
    DataFrame aligned to ``frame.index``: ``height_conflict`` (bool; False where no limit
    applies or the FAR is unknown) and ``max_far_under_height_limit`` (float, NaN where no limit).
    """
    n = len(frame)
    buildability = buildability or load_buildability()
    limit = pd.to_numeric(frame["height_limit_m"], errors="coerce").to_numpy(dtype=np.float64) \
        if "height_limit_m" in frame else np.full(n, np.nan)
    far = pd.to_numeric(frame["far"], errors="coerce").to_numpy(dtype=np.float64) \
        if "far" in frame else np.full(n, np.nan)
    uses = frame["land_use"].astype("str").to_numpy() if "land_use" in frame else np.full(n, "other")
    known = np.where(np.isin(uses, LAND_USES), uses, "other")
    cover_by = buildability.site_coverage
    storey_by = buildability.storey_height_m
    cover = np.array([cover_by.get(u, cover_by.get("other", 0.0)) for u in LAND_USES], dtype=np.float64)
    storey = np.array([storey_by.get(u, storey_by["default"]) for u in LAND_USES], dtype=np.float64)
    pos = pd.Index(LAND_USES).get_indexer(known)
    cover_arr, storey_arr = cover[pos], storey[pos]
    if "development_type" in frame:
        codes = frame["development_type"].astype("str").to_numpy()
        present = set(codes) - {""}
        if present:
            types = types if types is not None else load_development_types()
            for c in present:
                t = types.types.get(c)
                if t is None or t.keeps:
                    continue
                rows = codes == c
                cover_arr[rows] = float(t.site_coverage or 0.0)
                storey_arr[rows] = float(t.storey_height_m or storey_by["default"])
    storeys = np.floor(np.maximum(limit, 0.0) / storey_arr + 1e-9)
    max_far = np.where(np.isnan(limit), np.nan, storeys * cover_arr)
    with np.errstate(invalid="ignore"):
        conflict = ~np.isnan(max_far) & ~np.isnan(far) & (far > max_far + 1e-9) & (uses != "airport")
    return pd.DataFrame({"height_conflict": conflict, "max_far_under_height_limit": max_far}, index=frame.index)
