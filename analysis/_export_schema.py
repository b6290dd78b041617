"""The exported attribute schema: field meanings and the generator of ``docs/export-schema.md``.

Field names, kinds, units and Chinese labels come from :mod:`parcels.schema`
(the single source); this module adds what an export needs on top: the
Shapefile short name (:mod:`analysis._shp_names`), a one-line meaning, and the
columns of the zone layer.  Regenerate the document with::

    python -m analysis._export_schema > docs/export-schema.md

A test checks that the committed document equals :func:`schema_markdown`.
"""

from __future__ import annotations

import sys

from analysis._shp_names import shapefile_names
from parcels.schema import CANONICAL_FIELDS, DERIVED_FIELDS, EFFICIENCY_CLASSES, EXPIRY_STATUSES, FieldSpec

__all__ = ["MEANINGS", "ZONE_FIELDS", "LABEL_FIELDS", "SCENARIO_FIELDS", "field_spec", "header", "schema_markdown"]

#: Columns of the zone layer (geodata ``zones``), described like parcel fields.
ZONE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name_zh", "str", "", "功能区名称", "Zone name (Chinese)"),
    FieldSpec("name_en", "str", "", "功能区英文名", "Zone name (English)"),
    FieldSpec("carriers_zh", "str", "", "主要载体", "Main carriers (Chinese)"),
    FieldSpec("carriers_en", "str", "", "主要载体（英文）", "Main carriers (English)"),
    FieldSpec("policy_zh", "str", "", "规划指引", "Plan guidance (Chinese)"),
    FieldSpec("policy_en", "str", "", "规划指引（英文）", "Plan guidance (English)"),
)

#: Columns a scenario year adds to the parcels besides the height fields (what-if edits, conflicts).
SCENARIO_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("height_conflict", "bool", "", "限高冲突", "Height conflict"),
    FieldSpec("max_far_under_height_limit", "float", "", "限高下最大容积率", "Largest FAR under the height limit"),
    FieldSpec("edited", "bool", "", "情景已编辑", "Edited in the scenario"),
    FieldSpec("development_type", "str", "", "开发类型", "Development type"),
    FieldSpec("development_type_zh", "str", "", "开发类型（中文）", "Development type (Chinese)"),
    FieldSpec("edit_from_year", "int", "年", "编辑起始年", "Edit in force from"),
    FieldSpec("edit_on_reserve", "bool", "", "占用储备地块", "Edit on a reserve parcel"),
    FieldSpec("jobs", "float", "人", "就业岗位", "Jobs"),
)

#: The Chinese labels the table exports (CSV, XLSX) add beside the category codes.
LABEL_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("zone_name_zh", "str", "", "功能区（中文）", "Functional zone (Chinese)"),
    FieldSpec("land_use_zh", "str", "", "土地用途（中文）", "Land use (Chinese)"),
    FieldSpec("planned_use_zh", "str", "", "规划用途（中文）", "Planned use (Chinese)"),
    FieldSpec("expiry_status_zh", "str", "", "到期状态（中文）", "Expiry status (Chinese)"),
    FieldSpec("efficiency_class_zh", "str", "", "效益分类（中文）", "Efficiency class (Chinese)"),
    FieldSpec("efficiency_reason_zh", "str", "", "未评价原因（中文）", "Why unrated (Chinese)"),
    FieldSpec("industry_name_zh", "str", "", "所属行业（中文）", "Industry (Chinese)"),
)

#: One-line meaning of every exported field, in English.
MEANINGS: dict[str, str] = {
    "parcel_id": "Unique parcel identifier (cadastral number).",
    "enterprise": "Land-use right holder (enterprise name).",
    "land_use": "Current land use, one of: industrial, commercial_office, logistics, residential, "
    "public_service, transport, airport, green_open, other.",
    "planned_use": "Land use in the plan (same codes as land_use); empty when unknown.",
    "lease_start": "Date the land-use right was granted.",
    "lease_years": "Lease term granted, in years.",
    "lease_end": "Date the land-use right ends.",
    "output_value": "Annual industrial output value.",
    "tax": "Annual tax paid.",
    "investment": "Fixed-asset investment (cumulative).",
    "energy": "Annual comprehensive energy use, in tonnes of standard coal equivalent.",
    "rd_expense": "Annual research and development expense.",
    "revenue": "Annual operating revenue.",
    "employees": "Number of employees.",
    "floor_area": "Built floor area.",
    "declared_area": "Parcel area as declared in the source register.",
    "zone_id": "Functional zone: hq, incubation, demonstration, or empty when outside every zone.",
    "industry_code": "Industry of the land user: two-digit GB/T 4754 division (e.g. 39), read from codes or names.",
    "safety_hazard": "True when a safety, environmental or fire hazard is recorded on the parcel; empty when unknown.",
    "standard_factory": "True when the parcel is a standard factory (标准厂房: held to the standard's lower coverage "
    "minimum); empty when unknown.",
    "building_coverage": "Building coverage (建筑系数): built footprint and yards over the parcel, share 0-1.",
    "admin_land_share": "Share (0-1) of the parcel used for administration and living services.",
    "admin_floor_share": "Share (0-1) of the floor area used for administration and living services.",
    "green_ratio": "Green ratio (绿地率): green space over the parcel, share 0-1.",
    "area_m2": "Parcel area measured on the geometry in the metric CRS (EPSG:4548 by default).",
    "area_mu": "area_m2 in mu (1 mu = 10000/15 m²).",
    "far": "Floor area ratio: floor_area / area_m2.",
    "remaining_years": "Years from the as-of date to lease_end (days / 365.25); negative when expired.",
    "expiry_status": "Lease expiry class: " + ", ".join(EXPIRY_STATUSES) + ".",
    "output_per_mu": "output_value / area_mu.",
    "tax_per_mu": "tax / area_mu.",
    "investment_per_mu": "investment / area_mu.",
    "energy_productivity": "output_value / energy.",
    "rd_ratio": "rd_expense / revenue.",
    "labour_productivity": "output_value / employees.",
    "efficiency_score": "Composite per-mu efficiency score of the evaluation profile.",
    "efficiency_class": "Efficiency class from the score: " + ", ".join(EFFICIENCY_CLASSES) + ".",
    "efficiency_reason": "Why the parcel is unrated (missing inputs); empty when rated.",
    "low_efficiency": "True exactly where low_efficiency_basis names a basis; false for non-industrial land and "
    "for industrial land judged on output and tax without one; empty when it cannot be judged.",
    "low_efficiency_basis": "Why industrial land is low-efficiency (湖里区低效工业用地, 2024): hazard_conflict, "
    "below_standard, below_industry_level, joined with ';'; empty when none.",
    "low_efficiency_note_zh": "The basis in Chinese with the figures behind it, e.g. 产值 412 万元/亩，低于标准 "
    "600 万元/亩（C39，2020版）; empty when no basis.",
    "low_efficiency_note": "The same in English, e.g. Output 412 × 10k yuan/mu, below the standard's 600 × 10k "
    "yuan/mu (C39, 2020 edition).",
    "meets_control_standard": "True when all seven indicators of the land control standard are known and met, "
    "false when one is not met, empty when not enough is known.",
    "standard_far_met": "far >= the standard's minimum FAR for the parcel's industry; empty when unknown.",
    "standard_investment_met": "investment_per_mu >= the standard's investment intensity; empty when unknown.",
    "standard_output_met": "output_per_mu >= the standard's land output rate; empty when unknown.",
    "standard_tax_met": "tax_per_mu >= the standard's tax per mu; empty when unknown.",
    "standard_coverage_met": "building_coverage >= the standard's minimum (40 %); empty when unknown.",
    "standard_admin_land_met": "admin_land_share <= the standard's maximum (7 %); empty when unknown.",
    "standard_green_met": "green_ratio <= the standard's maximum (20 %); empty when unknown.",
    "industry_median_output_per_mu": "Median output_per_mu of the district's industrial parcels of the same "
    "industry_code.",
    "industry_sample_size": "Number of parcels the industry median rests on (below 5: no below_industry_level "
    "basis).",
    "price_tier": "Differentiated resource-price tier implied by the efficiency class.",
    "converted_land": "True for commercial/office parcels in the incubation zone: old industrial land the plan "
    "says has changed to commercial/office use.",
    "recommendation": "Recommendation code of the plan rules (e.g. reserve_industrial).",
    "recommendation_zh": "The recommendation in Chinese.",
    "recommendation_rule": "The rule that fired: its id and condition, e.g. 'R1: incubation zone, industrial "
    "land, lease expired or ending within 10 years'.",
    "recommendation_rule_zh": "The same rule and its condition in Chinese.",
    "height_limit_m": "Lowest point of the airport's obstacle limitation surfaces over the parcel under the "
    "scenario and year, in metres above the aerodrome elevation (exact minimum over the parcel); empty outside "
    "the surfaces and once the limits are lifted.",
    "buildable_floor_area_m2": "Floor area buildable on the parcel under the height limit.",
    "height_conflict": "True when the parcel's FAR needs more storeys than the year's height limit allows "
    "(storeys allowed × site coverage < FAR); false where no limit applies, the FAR is unknown, or on airport land.",
    "max_far_under_height_limit": "floor(height_limit_m / storey height) × site coverage, of the parcel's "
    "development type or else of its land use (buildability.yaml); empty where no limit applies.",
    "edited": "True when a what-if edit of the scenario in force in the year changes the parcel (docs/what-if.md).",
    "development_type": "Code of the development type an edit gave the parcel (development_types.yaml); empty "
    "without one.",
    "development_type_zh": "Chinese name of development_type in the library the edits were applied with (the "
    "published one in the app); empty when not edited or without a type.",
    "edit_from_year": "Latest start year of the edits in force on the parcel; empty when not edited.",
    "edit_on_reserve": "True when the edited parcel was a developable reserve parcel of the scenario before "
    "the edit.",
    "jobs": "Jobs on the parcel: the development type's jobs per hectare × hectares × ramp-up for an edited "
    "parcel, else the employees.",
    "zone_name_zh": "Chinese name of zone_id's zone (功能区外 outside the zones); CSV and XLSX only.",
    "land_use_zh": "Chinese label of land_use (e.g. 工业用地 for industrial); CSV and XLSX only.",
    "planned_use_zh": "Chinese label of planned_use; CSV and XLSX only.",
    "expiry_status_zh": "Chinese label of expiry_status (e.g. 10年以上 for beyond_10y); CSV and XLSX only.",
    "efficiency_class_zh": "Chinese label of efficiency_class (e.g. A 类 优先发展 for A); CSV and XLSX only.",
    "efficiency_reason_zh": "efficiency_reason worded in Chinese (e.g. 缺少工业总产值 for missing output_value); "
    "CSV and XLSX only.",
    "industry_name_zh": "GB/T 4754 name of industry_code's division (e.g. 汽车制造业 for 36); CSV and XLSX only.",
    "name_zh": "Name of the functional zone in Chinese.",
    "name_en": "Name of the functional zone in English.",
    "carriers_zh": "Main carriers (projects, parks) of the zone, in Chinese.",
    "carriers_en": "Main carriers of the zone, in English.",
    "policy_zh": "The plan's guidance for the zone, in Chinese.",
    "policy_en": "The plan's guidance for the zone, in English.",
}

_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in CANONICAL_FIELDS + DERIVED_FIELDS + SCENARIO_FIELDS + ZONE_FIELDS
                                   + LABEL_FIELDS}

_KIND_TYPES = {
    "str": ("String", "C (text)"),
    "category": ("String", "C (text)"),
    "int": ("Integer64", "N (integer)"),
    "float": ("Real", "N (decimal)"),
    "date": ("Date", "D (date)"),
    "bool": ("Boolean", "L (logical)"),
}


def field_spec(name: str) -> FieldSpec | None:
    """The :class:`FieldSpec` of an exported column, or None when the column is not in the schema."""
    return _BY_NAME.get(name)


def header(name: str) -> str:
    """Chinese column header with its unit, e.g. ``面积（亩）`` or ``工业总产值（万元/年）``.

    Columns outside the schema keep their own name.
    """
    spec = _BY_NAME.get(name)
    if spec is None:
        return name
    if spec.unit and not spec.zh.endswith(f"（{spec.unit}）"):
        return f"{spec.zh}（{spec.unit}）"
    return spec.zh


def _table(fields: tuple[FieldSpec, ...]) -> list[str]:
    names = shapefile_names([f.name for f in fields])
    rows = [
        "| field | Shapefile name | type (GPKG) | unit | 中文名 | CSV/XLSX header | meaning |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in fields:
        gpkg_type = _KIND_TYPES[f.kind][0]
        rows.append(
            f"| `{f.name}` | `{names[f.name]}` | {gpkg_type} | {f.unit or ''} | {f.zh} | {header(f.name)} | "
            f"{MEANINGS[f.name]} |"
        )
    return rows


def schema_markdown() -> str:
    """The text of ``docs/export-schema.md``."""
    lines = [
        "# Export schema (导出字段说明)",
        "",
        "Generated by `python -m analysis._export_schema > docs/export-schema.md` from",
        "`parcels/schema.py` (names, types, units, Chinese names) and `analysis/_export_schema.py`",
        "(meanings); a test keeps this file equal to the generator's output.",
        "",
        "## Formats",
        "",
        "| format | file | CRS | notes |",
        "|---|---|---|---|",
        "| `geojson` | `.geojson` | always EPSG:4326 (RFC 7946) | counter-clockwise exterior rings, clockwise "
        "holes; at most 7 decimals (about 1 cm; RFC 7946 recommends 6, i.e. about 10 cm, which is too "
        "coarse for parcel boundaries); no `crs` member; dates `YYYY-MM-DD`; missing values `null`; "
        "UTF-8 without `\\u` escapes; a `bbox` on the collection; a geometry that rounding to 7 decimals "
        "would make invalid is repaired (a collapsed sliver becomes `null`). Asking for another CRS is an "
        "error: use `geojson-legacy`. |",
        "| `geojson-legacy` | `.geojson` | any | pre-RFC GeoJSON (2008) with a `crs` member naming the CRS. |",
        "| `gpkg` | `.gpkg` | any | one file, several layers; the CRS is the layer's srs; dates are Date "
        "fields. Writing to an existing file adds or replaces the layer. |",
        "| `shp` | `.zip` | any | `.shp .shx .dbf .prj .cpg` plus `field_names.csv` (field → Shapefile "
        "name → Chinese name); `.cpg` says `UTF-8` (default) or `GBK`; names as in the tables below; "
        "text longer than 254 bytes is cut (dBASE limit) — use GeoPackage for the full text; an empty "
        "text and a missing one are the same in dBASE. |",
        "| `csv` | `.csv` | any (of the WKT) | UTF-8 with BOM (Excel opens Chinese); Chinese headers with "
        "units; geometry as a `WKT` column (optional, `--no-wkt` drops it) in the chosen CRS — a CSV has no "
        "place for CRS metadata, so keep the `--crs` you used with the file; dates `YYYY-MM-DD`; booleans "
        "`true`/`false`; missing values empty. |",
        "| `xlsx` | `.xlsx` | — | sheet 数据 with Chinese headers and units, dates as Excel dates; "
        "sheet 字段说明 with this field dictionary. No geometry. |",
        "| `tif` | `.tif` | any | rasters (height surface): cloud-optimised GeoTIFF, CRS, transform and "
        "nodata in the file. |",
        "| PostGIS | table per layer | any | `python -m analysis export --postgis URL [--schema S]`; "
        "GiST index on the geometry. |",
        "",
        "Types in a Shapefile: text `C`, integers and decimals `N`, dates `D`, booleans `L`.",
        "Missing values are never written as 0: they are null (GeoJSON `null`, empty CSV/XLSX cell, "
        "dBASE blank).",
        "",
        "## Parcel fields (canonical, from the input layer)",
        "",
        *_table(CANONICAL_FIELDS),
        "",
        "## Parcel fields (derived by the analysis for the chosen as-of date, scenario and year)",
        "",
        *_table(DERIVED_FIELDS),
        "",
        "## Parcel fields of a scenario year (what-if edits and height conflicts)",
        "",
        "With `--scenario S --year Y` the parcels also carry these (see docs/what-if.md); an edited parcel's",
        "`land_use`, `far`, `floor_area`, `output_value`, `tax` and `employees` are those of the edited state.",
        "",
        *_table(SCENARIO_FIELDS),
        "",
        "## Chinese labels beside the codes (CSV and XLSX only)",
        "",
        "A table export puts the Chinese label of each category code right after the code's column; the",
        "code columns are unchanged, and the GIS formats carry the codes only.",
        "",
        *_table(LABEL_FIELDS),
        "",
        "## Zone layer fields",
        "",
        "`zone_id` as above, plus:",
        "",
        *_table(ZONE_FIELDS),
        "",
        "## Other columns",
        "",
        "A column that is in none of the tables above (for example a scenario layer's own fields) keeps",
        "its name and has no Chinese header; in a Shapefile its name is cut to 10 bytes and a clash gets",
        "`_1`, `_2` … in column order. `field_names.csv` inside the zip always lists the map actually used.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - documentation generator
    sys.stdout.write(schema_markdown())
