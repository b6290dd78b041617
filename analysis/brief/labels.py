"""Every word the briefing prints, in Chinese and English, and the briefing's number formats.

The analysis may not import the app's labels (:mod:`ui.i18n` sits above it), so the briefing keeps
its own, short list; the category names are the schema's (:mod:`parcels.schema`) in Chinese.
"""

from __future__ import annotations

from parcels.schema import EFFICIENCY_CLASS_ZH, EXPIRY_STATUS_ZH, LAND_USE_ZH

__all__ = ["LANGS", "text", "category", "area_mu", "yi", "number", "kpi_value"]

#: Languages of the briefing.
LANGS: tuple[str, ...] = ("zh", "en")

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("决策简报", "Decision briefing"),
    "subtitle": ("湖里区智能网联汽车产业空间规划 · 机场搬迁情景", "Huli ICV industry spatial plan · airport-relocation scenarios"),
    "district": ("福建省厦门市湖里区", "Huli District, Xiamen, Fujian"),
    "scenario": ("情景", "Scenario"),
    "scenarios": ("情景", "Scenarios"),
    "year": ("年份", "Year"),
    "as_of": ("基准日", "As of"),
    "data": ("数据来源", "Data"),
    "parcels_source": ("宗地", "Parcels"),
    "zones_source": ("功能区", "Zones"),
    "embedded": ("内置示意数据", "embedded illustrative data"),
    "profile_source": ("亩均评价方案", "Efficiency profile"),
    "shipped_profile": ("内置默认方案", "the shipped default"),
    "control_standard": ("用地控制标准", "Land control standard"),
    "embedded_zones": ("内置三大功能区（示意范围）", "embedded three zones (approximate extents)"),
    "notice": ("示意数据：内置宗地为生成的示意数据，并非真实地籍，数字仅用于演示。",
               "示意数据 (illustrative data): the embedded parcels are generated, not real cadastre; "
               "the figures only demonstrate the method."),
    "generated": ("生成时间", "Generated"),
    "page": ("第 {page} 页，共 {total} 页", "Page {page} of {total}"),
    "contents": ("目录", "Contents"),
    "sec.district": ("区域概况", "The district"),
    "sec.district_map": ("功能区与用地现状", "Zones and land use"),
    "sec.scenario_map": ("情景图：{scenario}，{year}年", "Scenario map: {scenario}, {year}"),
    "sec.kpis": ("关键指标与规划目标", "Key figures against the plan's targets"),
    "sec.compare": ("情景比较（{year}年）", "Scenario comparison ({year})"),
    "sec.timelines": ("指标逐年变化", "KPIs year by year"),
    "sec.lists": ("重点地块清单", "Parcels to act on"),
    "sec.assumptions": ("情景假设", "Scenario assumptions"),
    "parcel_count": ("地块数", "Parcels"),
    "area": ("总面积", "Total area"),
    "industrial_area": ("工业用地面积", "Industrial land"),
    "expiring_area": ("10年内到期面积（含已到期）", "Area expired or expiring within 10 years"),
    "low_eff": ("低效用地", "Low-efficiency land"),
    "reserve": ("建议储备工业地块", "Recommended industrial reserve"),
    "output": ("现状产值（年）", "Output (per year)"),
    "output_per_mu": ("亩均产值", "Output per mu"),
    "zone": ("功能区", "Zone"),
    "outside": ("功能区外", "Outside the zones"),
    "indicator": ("指标", "Indicator"),
    "value": ("数值", "Value"),
    "target": ("规划目标", "Plan target"),
    "gap": ("与目标差距", "Gap to target"),
    "diff": ("差值（{b} − {a}）", "Difference ({b} − {a})"),
    "plan_target": ("{year}年目标 {value}", "{year} target {value}"),
    "reached": ("已达到", "reached"),
    "not_reached": ("未达到", "not reached"),
    "limits_on": ("机场限高生效", "Airport height limits apply"),
    "limits_off": ("机场限高已解除", "Airport height limits lifted"),
    "advice": ("示范区建议", "Demonstration-zone advice"),
    "legend.land_use": ("用地类型", "Land use"),
    "legend.zones": ("功能区", "Zones"),
    "legend.height": ("净空限高", "Height limit"),
    "legend.no_cap": ("不限高", "no cap"),
    "legend.released": ("已释放机场用地", "Released airport land"),
    "legend.roads": ("测试道路", "Test roads"),
    "legend.projects": ("落地项目", "Placed projects"),
    "legend.airport": ("机场范围", "Airport boundary"),
    "list.expiring": ("10年内到期并建议储备的工业地块", "Industrial parcels expiring within 10 years, recommended as reserve"),
    "list.low_eff": ("低效用地地块", "Low-efficiency parcels"),
    "list.conflicts": ("情景编辑的限高冲突", "Height conflicts of what-if edits"),
    "no_edits": ("该情景没有情景编辑（what-if），无限高冲突可列。", "The scenario has no what-if edits; no height conflicts to list."),
    "no_conflicts": ("情景编辑没有限高冲突。", "The what-if edits cause no height conflicts."),
    "none": ("无", "None"),
    "more": ("……另有 {n} 块，完整清单请用 `python -m analysis export --layer parcels --format xlsx` 导出。",
             "… and {n} more; export the full list with `python -m analysis export --layer parcels --format xlsx`."),
    "col.parcel": ("地块编号", "Parcel"),
    "col.enterprise": ("企业", "Enterprise"),
    "col.zone": ("功能区", "Zone"),
    "col.area": ("面积（亩）", "Area (mu)"),
    "col.lease_end": ("到期日", "Lease ends"),
    "col.class": ("效益分类", "Class"),
    "col.basis": ("低效认定依据", "Basis"),
    "basis.hazard_conflict": ("安全隐患且与产业规划冲突", "hazard in conflict with the plan"),
    "basis.below_standard": ("低于用地控制标准", "below the control standard"),
    "basis.below_industry_level": ("低于本行业水平", "below its industry's level"),
    "col.output_per_mu": ("亩均产值（万元/亩）", "Output per mu (10k yuan/mu)"),
    "col.height": ("限高（m）", "Height limit (m)"),
    "col.use": ("用途", "Use"),
    "col.type": ("开发类型", "Development type"),
    "col.status": ("是否达标", "Reached?"),
    "chart.year": ("年份", "Year"),
    "kpi.height_limit_active": ("限高生效", "Height limits apply"),
    "kpi.released_airport_land_ha": ("释放机场用地（公顷）", "Released airport land (ha)"),
    "kpi.released_land_ha": ("释放用地（公顷）", "Released land (ha)"),
    "kpi.floor_area_gain_m2": ("新增可建建筑面积（万平方米）", "Floor area gained (10,000 m²)"),
    "kpi.developable_land_ha": ("可开发用地（公顷）", "Developable land (ha)"),
    "kpi.test_road_km": ("测试道路里程（公里）", "Test roads (km)"),
    "kpi.projects_in_demonstration": ("示范区落地项目（个）", "Projects in the demonstration zone"),
    "kpi.projects_in_incubation": ("孵化区过渡项目（个）", "Projects hosted in the incubation zone"),
    "kpi.projects_waiting": ("待落地项目（个）", "Projects waiting"),
    "kpi.projected_output_yi": ("预计产业产值", "Projected cluster output"),
    "kpi.output_target_yi": ("规划产值目标", "Plan output target"),
    "kpi.output_gap_yi": ("与目标差距", "Gap to target"),
    "kpi.parcel_floor_area_m2": ("地块建筑面积（万平方米）", "Parcels' floor area (10,000 m²)"),
    "kpi.parcel_output_yi": ("地块产值", "Parcels' output"),
    "kpi.edit_output_gain_yi": ("情景编辑新增产值", "Output added by the edits"),
    "kpi.jobs": ("就业岗位（人）", "Jobs (people)"),
    "kpi.industrial_land_mu": ("工业用地面积（亩）", "Industrial land (mu)"),
    "kpi.reserve_parcels_used": ("占用储备地块（宗）", "Reserve parcels used"),
    "kpi.height_conflicts": ("限高冲突地块（宗）", "Parcels in height conflict"),
    "kpi.edited_parcels": ("已编辑地块（宗）", "Edited parcels"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
}

_LAND_USE_EN = {"industrial": "Industrial", "commercial_office": "Commercial & office",
                "logistics": "Logistics & warehousing", "residential": "Residential",
                "public_service": "Public services", "transport": "Transport", "airport": "Airport",
                "green_open": "Green & open space", "other": "Other"}
_EXPIRY_EN = {"expired": "Expired", "within_5y": "Within 5 years", "within_10y": "In 5–10 years",
              "beyond_10y": "More than 10 years", "unknown": "Unknown"}
_CLASS_EN = {"A": "A", "B": "B", "C": "C", "D": "D", "unrated": "Unrated"}
_CATEGORIES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "land_use": (LAND_USE_ZH, _LAND_USE_EN),
    "expiry_status": (EXPIRY_STATUS_ZH, _EXPIRY_EN),
    "efficiency_class": ({k: v.split(" ")[0] for k, v in EFFICIENCY_CLASS_ZH.items()}, _CLASS_EN),
}


def text(key: str, lang: str, **values: object) -> str:
    """The briefing's label ``key`` in ``lang`` with ``values`` filled in."""
    zh, en = _TEXT[key]
    return (en if lang == "en" else zh).format(**values) if values else (en if lang == "en" else zh)


def category(field: str, code: object, lang: str) -> str:
    """Label of a category code of ``field`` (the code itself when unknown)."""
    zh, en = _CATEGORIES[field]
    return (en if lang == "en" else zh).get(str(code), str(code))


def number(value: float | None, digits: int = 1) -> str:
    """A number with thousands separators and ``digits`` decimals; “—” for none."""
    return "—" if value is None else format(float(value), f",.{digits}f")


def area_mu(value: float | None, lang: str) -> str:
    """An area in 亩 (mu): ``13,044.5 亩`` / ``13,044.5 mu``."""
    return f"{number(value)} {'mu' if lang == 'en' else '亩'}"


def yi(value: float | None, lang: str, *, sign: bool = False) -> str:
    """An amount in 亿元 (10^8 yuan): ``263.7 亿元``; in English ``¥26.37 bn`` (the same figure)."""
    if value is None:
        return "—"
    if lang != "en":
        return f"{format(value, '+,.1f' if sign else ',.1f')} 亿元"
    mark = "-" if value < 0 else ("+" if sign and value > 0 else "")
    return f"{mark}¥{abs(value) / 10.0:,.2f} bn"


def kpi_value(kpi: str, value: float, lang: str) -> str:
    """A scenario KPI's value as the briefing prints it (units in the label, amounts with theirs)."""
    if kpi in ("projected_output_yi", "output_target_yi", "output_gap_yi", "parcel_output_yi", "edit_output_gain_yi"):
        return yi(value, lang, sign=kpi in ("output_gap_yi", "edit_output_gain_yi"))
    if kpi == "height_limit_active":
        return text("yes" if value else "no", lang)
    if kpi in ("floor_area_gain_m2", "parcel_floor_area_m2"):
        return number(value / 1e4)
    if kpi.startswith("projects_") or kpi in ("jobs", "reserve_parcels_used", "height_conflicts", "edited_parcels"):
        return f"{value:,.0f}"
    return number(value)
