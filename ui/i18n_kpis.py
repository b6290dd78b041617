"""Labels of the scenario timeline's what-if KPIs and their units, Chinese first; merged into :data:`ui.i18n.TEXT`."""

from __future__ import annotations

__all__ = ["KPI_TEXT", "KPI_UNIT_KEYS"]

KPI_TEXT: dict[str, tuple[str, str]] = {
    "kpi.parcel_floor_area_m2": ("地块建筑面积", "Parcels' floor area"),
    "kpi.parcel_output_yi": ("地块产值", "Parcels' output"),
    "kpi.edit_output_gain_yi": ("情景编辑新增产值", "Output added by the edits"),
    "kpi.jobs": ("就业岗位", "Jobs"),
    "kpi.industrial_land_mu": ("工业用地面积", "Industrial land"),
    "kpi.reserve_parcels_used": ("占用储备地块", "Reserve parcels used"),
    "kpi.height_conflicts": ("限高冲突地块", "Parcels in height conflict"),
    "kpi.edited_parcels": ("已编辑地块", "Edited parcels"),
    "ap.unit.parcels": ("宗", "parcels"),
    "ap.unit.people": ("人", "people"),
    "ap.unit.mu": ("亩", "mu"),
}

#: Units of those KPIs → their label keys (for :func:`ui.i18n.kpi_unit_label`).
KPI_UNIT_KEYS: dict[str, str] = {"parcels": "ap.unit.parcels", "people": "ap.unit.people", "亩": "ap.unit.mu"}
