"""The canonical parcel schema: every reader maps into it, every writer maps out of it.

Geometry is stored in lon/lat (EPSG:4326; CGCS2000 EPSG:4490 is treated as equal at
map scale).  Areas and lengths are measured in the metric CRS from
:mod:`core.settings`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "FieldSpec",
    "CANONICAL_FIELDS",
    "DERIVED_FIELDS",
    "SHARE_FIELDS",
    "FIELD_BY_NAME",
    "LAND_USES",
    "LAND_USE_ZH",
    "ALLOCATED_USES",
    "ZONE_IDS",
    "EXPIRY_STATUSES",
    "EXPIRY_STATUS_ZH",
    "EFFICIENCY_CLASSES",
    "EFFICIENCY_CLASS_ZH",
]


@dataclass(frozen=True)
class FieldSpec:
    """One attribute of the canonical or derived schema.

    Attributes
    ----------
    name
        Canonical field name (also the export name).
    kind
        ``"str"``, ``"int"``, ``"float"``, ``"date"``, ``"bool"`` or ``"category"``.
    unit
        Unit of measure, empty when none.
    zh
        Chinese label (used for UI and CSV/XLSX headers).
    en
        English label.
    aliases
        Input column names (case-insensitive) that map to this field.
    """

    name: str
    kind: str
    unit: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()


CANONICAL_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("parcel_id", "str", "", "宗地编号", "Parcel ID",
              ("parcel_id", "宗地编号", "地块编号", "宗地号", "地块号", "宗地代码", "zdbh", "dkbh", "zddm", "id", "fid_parcel")),
    FieldSpec("enterprise", "str", "", "权利人", "Enterprise",
              ("enterprise", "权利人", "企业名称", "使用权人", "单位名称", "土地使用者", "qlr", "qymc", "company", "owner")),
    FieldSpec("land_use", "category", "", "土地用途", "Land use",
              ("land_use", "土地用途", "用途", "用地性质", "地类名称", "地类", "用地分类", "用地用海分类", "地类编码", "tdyt", "ydxz", "dlmc", "dlbm", "landuse")),
    FieldSpec("planned_use", "category", "", "规划用途", "Planned use",
              ("planned_use", "规划用途", "规划用地性质", "规划地类", "ghyt")),
    FieldSpec("lease_start", "date", "", "出让日期", "Lease start",
              ("lease_start", "出让日期", "起始日期", "供地日期", "使用期限起", "起始时间", "crrq", "qsrq")),
    FieldSpec("lease_years", "int", "年", "出让年限", "Lease term",
              ("lease_years", "出让年限", "使用年限", "土地使用年限", "crnx", "synx")),
    FieldSpec("lease_end", "date", "", "终止日期", "Lease end",
              ("lease_end", "终止日期", "到期日期", "使用期限止", "终止时间", "zzrq", "dqrq")),
    FieldSpec("output_value", "float", "万元/年", "工业总产值", "Output value",
              ("output_value", "产值", "工业总产值", "总产值", "年产值", "gyzcz", "output")),
    FieldSpec("tax", "float", "万元/年", "实缴税金", "Tax paid",
              ("tax", "税收", "实缴税金", "税收总额", "纳税额", "sjsj", "ss")),
    FieldSpec("investment", "float", "万元", "固定资产投资", "Fixed investment",
              ("investment", "投资总额", "固定资产投资", "总投资", "tzze", "gdzctz")),
    FieldSpec("energy", "float", "吨标煤/年", "综合能耗", "Energy use",
              ("energy", "综合能耗", "能耗", "zhnh")),
    FieldSpec("rd_expense", "float", "万元/年", "研发经费", "R&D expense",
              ("rd_expense", "研发经费", "研发投入", "研发费用", "yfjf")),
    FieldSpec("revenue", "float", "万元/年", "营业收入", "Revenue",
              ("revenue", "营业收入", "主营业务收入", "yysr", "zyywsr")),
    FieldSpec("employees", "int", "人", "从业人员", "Employees",
              ("employees", "从业人员", "职工人数", "从业人数", "员工人数", "cyry", "zgrs")),
    FieldSpec("floor_area", "float", "m²", "建筑面积", "Floor area",
              ("floor_area", "建筑面积", "总建筑面积", "jzmj")),
    FieldSpec("declared_area", "float", "m²", "宗地面积", "Declared area",
              ("declared_area", "宗地面积", "用地面积", "土地面积", "zdmj", "ydmj")),
    FieldSpec("zone_id", "str", "", "功能区", "Functional zone",
              ("zone_id", "功能区", "功能区编号", "gnq")),
    FieldSpec("industry_code", "str", "", "行业代码", "Industry (GB/T 4754 division)",
              ("industry_code", "行业代码", "行业类别", "所属行业", "国民经济行业", "国民经济行业分类", "行业分类", "hydm",
               "industry")),
    FieldSpec("safety_hazard", "bool", "", "安全环保消防隐患", "Safety, environmental or fire hazard",
              ("safety_hazard", "安全环保消防隐患", "安全隐患", "存在隐患", "隐患", "hazard")),
    FieldSpec("standard_factory", "bool", "", "标准厂房", "Standard factory",
              ("standard_factory", "标准厂房", "是否标准厂房", "标准厂房项目", "bzcf")),
    FieldSpec("building_coverage", "float", "", "建筑系数", "Building coverage",
              ("building_coverage", "建筑系数", "jzxs")),
    FieldSpec("admin_land_share", "float", "", "行政办公及生活服务设施用地占比", "Administrative and service land share",
              ("admin_land_share", "行政办公及生活服务设施用地占比", "行政办公及生活服务设施用地比例", "行政办公用地占比",
               "配套设施用地占比", "xzbgzb")),
    FieldSpec("admin_floor_share", "float", "", "行政办公及生活服务设施建筑面积占比",
              "Administrative and service floor share",
              ("admin_floor_share", "行政办公及生活服务设施建筑面积占比", "行政办公及生活服务设施建筑面积比例",
               "行政办公建筑面积占比", "配套设施建筑面积占比", "xzbgjzzb")),
    FieldSpec("green_ratio", "float", "", "绿地率", "Green ratio", ("green_ratio", "绿地率", "ldl")),
)

#: Canonical fields holding a share of the parcel (0-1; read from fractions or percentages).
SHARE_FIELDS: tuple[str, ...] = ("building_coverage", "admin_land_share", "admin_floor_share", "green_ratio")

DERIVED_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("area_m2", "float", "m²", "面积", "Area"),
    FieldSpec("area_mu", "float", "亩", "面积（亩）", "Area (mu)"),
    FieldSpec("far", "float", "", "容积率", "Floor area ratio"),
    FieldSpec("remaining_years", "float", "年", "剩余年限", "Remaining years"),
    FieldSpec("expiry_status", "category", "", "到期状态", "Expiry status"),
    FieldSpec("output_per_mu", "float", "万元/亩", "亩均产值", "Output per mu"),
    FieldSpec("tax_per_mu", "float", "万元/亩", "亩均税收", "Tax per mu"),
    FieldSpec("investment_per_mu", "float", "万元/亩", "亩均投资", "Investment per mu"),
    FieldSpec("energy_productivity", "float", "万元/吨标煤", "单位能耗产值", "Output per tce"),
    FieldSpec("rd_ratio", "float", "", "研发投入占比", "R&D share of revenue"),
    FieldSpec("labour_productivity", "float", "万元/人", "全员劳动生产率", "Output per employee"),
    FieldSpec("efficiency_score", "float", "分", "亩均效益得分", "Efficiency score"),
    FieldSpec("efficiency_class", "category", "", "效益分类", "Efficiency class"),
    FieldSpec("efficiency_reason", "str", "", "未评价原因", "Why unrated"),
    FieldSpec("low_efficiency", "bool", "", "低效用地", "Low-efficiency land"),
    FieldSpec("low_efficiency_basis", "str", "", "低效认定依据", "Low-efficiency basis"),
    FieldSpec("low_efficiency_note_zh", "str", "", "低效认定说明", "Low-efficiency basis explained (Chinese)"),
    FieldSpec("low_efficiency_note", "str", "", "低效认定说明（英文）", "Low-efficiency basis explained"),
    FieldSpec("meets_control_standard", "bool", "", "符合用地控制标准", "Meets the land control standard"),
    FieldSpec("standard_far_met", "bool", "", "容积率达标", "FAR meets the standard"),
    FieldSpec("standard_investment_met", "bool", "", "投资强度达标", "Investment intensity meets the standard"),
    FieldSpec("standard_output_met", "bool", "", "土地产出率达标", "Output per mu meets the standard"),
    FieldSpec("standard_tax_met", "bool", "", "地均税收达标", "Tax per mu meets the standard"),
    FieldSpec("standard_coverage_met", "bool", "", "建筑系数达标", "Building coverage meets the standard"),
    FieldSpec("standard_admin_land_met", "bool", "", "行政办公及生活服务设施用地占比达标",
              "Administrative land share meets the standard"),
    FieldSpec("standard_green_met", "bool", "", "绿地率达标", "Green ratio meets the standard"),
    FieldSpec("industry_median_output_per_mu", "float", "万元/亩", "行业亩均产值中位数", "Industry median output per mu"),
    FieldSpec("industry_sample_size", "int", "宗", "行业样本数", "Industry sample size"),
    FieldSpec("price_tier", "str", "", "差别化价格", "Differentiated price tier"),
    FieldSpec("converted_land", "bool", "", "已转商办", "Converted to commercial/office"),
    FieldSpec("recommendation", "str", "", "建议代码", "Recommendation"),
    FieldSpec("recommendation_zh", "str", "", "规划建议", "Recommendation (Chinese)"),
    FieldSpec("recommendation_rule", "str", "", "触发规则", "Rule that fired"),
    FieldSpec("recommendation_rule_zh", "str", "", "触发规则（中文）", "Rule that fired (Chinese)"),
    FieldSpec("height_limit_m", "float", "m", "净空限高", "Height limit"),
    FieldSpec("buildable_floor_area_m2", "float", "m²", "可建建筑面积", "Buildable floor area"),
)

FIELD_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in CANONICAL_FIELDS + DERIVED_FIELDS}

#: Land-use categories of the product, with Chinese labels.
LAND_USE_ZH: dict[str, str] = {
    "industrial": "工业用地",
    "commercial_office": "商业商务用地",
    "logistics": "物流仓储用地",
    "residential": "居住用地",
    "public_service": "公共管理与服务用地",
    "transport": "交通运输用地",
    "airport": "机场用地",
    "green_open": "绿地与开敞空间",
    "other": "其他用地",
}
LAND_USES: tuple[str, ...] = tuple(LAND_USE_ZH)

#: Uses normally held by allocation (划拨) without a lease term: roads and transport,
#: the airport, green and open space, public administration and services.  A parcel of
#: these uses without lease dates is expected, not a data problem.
ALLOCATED_USES: tuple[str, ...] = ("transport", "airport", "green_open", "public_service")

ZONE_IDS: tuple[str, ...] = ("hq", "incubation", "demonstration")
EXPIRY_STATUSES: tuple[str, ...] = ("expired", "within_5y", "within_10y", "beyond_10y", "unknown")
EFFICIENCY_CLASSES: tuple[str, ...] = ("A", "B", "C", "D", "unrated")

#: Expiry statuses with Chinese labels (the app's and the table exports').
EXPIRY_STATUS_ZH: dict[str, str] = {
    "expired": "已到期",
    "within_5y": "5年内到期",
    "within_10y": "5–10年内到期",
    "beyond_10y": "10年以上",
    "unknown": "年限不明",
}

#: Efficiency classes with Chinese labels (the app's and the table exports').
EFFICIENCY_CLASS_ZH: dict[str, str] = {
    "A": "A 类 优先发展",
    "B": "B 类 提升发展",
    "C": "C 类 调控帮扶",
    "D": "D 类 倒逼整治",
    "unrated": "未评价",
}
