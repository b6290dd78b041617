"""The what-if page's key figures of one year's parcels (after :func:`analysis.whatif.apply.apply_edits`).

=========================  ===========================================================  ======
key                        what                                                         unit
=========================  ===========================================================  ======
``floor_area_m2``          sum of ``floor_area``                                        m²
``output_yi``              sum of ``output_value`` (万元) / 10,000                        亿元
``output_target_2025_yi``  the plan's 2025 output target                                亿元
``output_vs_target_pct``   ``output_yi`` / target × 100                                 %
``jobs``                   sum of ``jobs`` (else ``employees``)                         people
``industrial_land_mu``     area of the parcels whose ``land_use`` is industrial         亩
``reserve_parcels_used``   edited parcels that were developable reserve parcels         parcels
``height_conflicts``       parcels with ``height_conflict``                             parcels
``edited_conflicts``       of them, parcels with ``edited`` (conflicts the edits cause)  parcels
``edited_parcels``         parcels with ``edited``                                      parcels
=========================  ===========================================================  ======

Missing values count as 0 in the sums.  The plan's 2025 target (超过200亿元, 专栏 of the plan's
goals) is the default; a scenario's own target for 2025 may be passed instead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["WHATIF_KPIS", "whatif_kpis"]

#: The keys of :func:`whatif_kpis`, in display order.
WHATIF_KPIS: tuple[str, ...] = ("floor_area_m2", "output_yi", "output_target_2025_yi", "output_vs_target_pct", "jobs",
                                "industrial_land_mu", "reserve_parcels_used", "height_conflicts", "edited_conflicts",
                                "edited_parcels")
_WAN_PER_YI = 10_000.0


def _sum(frame: pd.DataFrame, column: str) -> float:
    if column not in frame:
        return 0.0
    return float(pd.to_numeric(frame[column], errors="coerce").astype("float64").sum(skipna=True))


def _flag(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.zeros(len(frame), dtype=bool)
    return frame[column].fillna(False).astype(bool).to_numpy()


def whatif_kpis(frame: pd.DataFrame, *, target_2025_yi: float = 200.0) -> dict[str, float]:
    """The key figures of ``frame`` (see the module notes); every value a float."""
    output_yi = _sum(frame, "output_value") / _WAN_PER_YI
    jobs = _sum(frame, "jobs") if "jobs" in frame else _sum(frame, "employees")
    industrial = frame["land_use"].astype("str").to_numpy() == "industrial" if "land_use" in frame \
        else np.zeros(len(frame), dtype=bool)
    area_mu = pd.to_numeric(frame["area_mu"], errors="coerce").fillna(0.0).to_numpy(dtype=np.float64) \
        if "area_mu" in frame else np.zeros(len(frame))
    edited = _flag(frame, "edited")
    if "edit_on_reserve" in frame:
        reserve = _flag(frame, "edit_on_reserve")
    else:
        reserve = edited & (frame["recommendation"].astype("str").to_numpy() == "reserve_industrial") \
            if "recommendation" in frame else np.zeros(len(frame), dtype=bool)
    return {
        "floor_area_m2": _sum(frame, "floor_area"),
        "output_yi": output_yi,
        "output_target_2025_yi": float(target_2025_yi),
        "output_vs_target_pct": output_yi / target_2025_yi * 100.0 if target_2025_yi > 0 else float("nan"),
        "jobs": jobs,
        "industrial_land_mu": float(area_mu[industrial].sum()),
        "reserve_parcels_used": float((edited & reserve).sum()),
        "height_conflicts": float(_flag(frame, "height_conflict").sum()),
        "edited_conflicts": float((_flag(frame, "height_conflict") & edited).sum()),
        "edited_parcels": float(edited.sum()),
    }
