"""Deterministic Shapefile (dBASE) field names: at most 10 bytes each.

dBASE limits a field name to 10 bytes in the file's encoding.  Every exported
field gets a short name through :data:`SHP_NAMES` (written once, documented in
``docs/export-schema.md``); a field that is not listed keeps its name when it
fits, else it is cut to fit.  Names are compared case-insensitively (as GDAL
and ArcGIS do) and a clash gets a numeric suffix ``_1``, ``_2`` ... in column
order, so the same columns always give the same names.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["SHP_NAMES", "MAX_NAME_BYTES", "shapefile_names"]

#: dBASE field-name limit, in bytes.
MAX_NAME_BYTES = 10

#: Fixed short names for the schema's long field names (canonical, derived, zone layer).
SHP_NAMES: dict[str, str] = {
    # canonical parcel fields
    "planned_use": "plan_use",
    "lease_start": "lease_st",
    "lease_years": "lease_yrs",
    "output_value": "output_val",
    "declared_area": "decl_area",
    # derived fields
    "remaining_years": "rem_years",
    "expiry_status": "expiry_st",
    "output_per_mu": "out_per_mu",
    "investment_per_mu": "inv_per_mu",
    "energy_productivity": "energy_prd",
    "labour_productivity": "labour_prd",
    "efficiency_score": "eff_score",
    "efficiency_class": "eff_class",
    "efficiency_reason": "eff_reason",
    "development_type_zh": "dev_typeZH",
    "standard_factory": "std_fctry",
    "admin_floor_share": "admin_flr",
    "efficiency_reason_zh": "eff_rsnZH",
    "industry_name_zh": "ind_nameZH",
    "low_efficiency": "low_eff",
    "low_efficiency_basis": "low_basis",
    "low_efficiency_note_zh": "low_noteZH",
    "low_efficiency_note": "low_note",
    "meets_control_standard": "meets_std",
    "standard_far_met": "std_far",
    "standard_investment_met": "std_invest",
    "standard_output_met": "std_output",
    "standard_tax_met": "std_tax",
    "standard_coverage_met": "std_cover",
    "standard_admin_land_met": "std_admin",
    "standard_green_met": "std_green",
    "industry_median_output_per_mu": "ind_median",
    "industry_sample_size": "ind_sample",
    "converted_land": "converted",
    "recommendation": "rec_code",
    "recommendation_zh": "rec_zh",
    "recommendation_rule": "rec_rule",
    "recommendation_rule_zh": "rec_rulezh",
    "height_limit_m": "height_lim",
    "buildable_floor_area_m2": "build_fa",
    # zone layer
    "carriers_zh": "carrier_zh",
    "carriers_en": "carrier_en",
}


def _fit(name: str, limit: int, encoding: str) -> str:
    """``name`` cut (by whole characters) to at most ``limit`` bytes in ``encoding``."""
    out = name
    while len(out.encode(encoding, errors="replace")) > limit:
        out = out[:-1]
    return out


def shapefile_names(columns: Sequence[str], *, encoding: str = "utf-8") -> dict[str, str]:
    """Map column names to unique dBASE field names of at most 10 bytes.

    Parameters
    ----------
    columns
        Attribute column names, in the order they are written.
    encoding
        Encoding of the ``.dbf`` (names are measured in its bytes).

    Returns
    -------
    dict
        ``{column: shapefile_name}`` in column order.  Deterministic: the same
        columns in the same order always give the same map.
    """
    taken: set[str] = set()
    result: dict[str, str] = {}
    for col in columns:
        base = _fit(SHP_NAMES.get(col, col), MAX_NAME_BYTES, encoding) or "field"
        name = base
        n = 0
        while name.casefold() in taken:
            n += 1
            suffix = f"_{n}"
            name = _fit(base, MAX_NAME_BYTES - len(suffix), encoding) + suffix
        taken.add(name.casefold())
        result[col] = name
    return result
