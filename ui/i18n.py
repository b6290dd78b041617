"""Every label the app shows, in Chinese (first) and English.

``t(key, lang)`` looks a label up; ``t(key, lang, n=3)`` formats it.  Category labels
(land uses, expiry statuses, efficiency classes, zones) and field labels come from
the canonical schema where it has them, so the app and the exports agree.
"""

from __future__ import annotations

import logging

from parcels.schema import EFFICIENCY_CLASS_ZH, EXPIRY_STATUS_ZH, FIELD_BY_NAME, LAND_USE_ZH
from ui.i18n_brief import BRIEF_TEXT
from ui.i18n_efficiency import EFFICIENCY_TEXT
from ui.i18n_kpis import KPI_TEXT, KPI_UNIT_KEYS
from ui.i18n_labels import LABEL_TEXT
from ui.i18n_map import MAP_TEXT
from ui.i18n_office import OFFICE_TEXT
from ui.i18n_whatif import WHATIF_TEXT

__all__ = [
    "LANGS",
    "TEXT",
    "t",
    "field_label",
    "field_unit",
    "unit_label",
    "with_unit",
    "land_use_label",
    "expiry_label",
    "class_label",
    "zone_label",
    "category_label",
    "kpi_unit_label",
]

logger = logging.getLogger(__name__)

#: Supported languages, default first.
LANGS: tuple[str, ...] = ("zh", "en")

TEXT: dict[str, tuple[str, str]] = {
    # frame
    "app.tab_title": ("湖里区三大产业功能区", "Huli three-zone planning"),
    "app.title": ("湖里区三大产业功能区空间规划", "Huli three-zone spatial planning"),
    "app.caption": ("厦门市湖里区 · 汽车智能网联产业功能区", "Huli District, Xiamen · ICV industry zones"),
    "lang.label": ("语言 / Language", "语言 / Language"),
    "colon": ("：", ": "),
    "demo.notice": (
        "示意数据：内置地块为生成的示意数据（区界为真实轮廓，功能区为大致位置），不代表真实宗地信息。",
        "Illustrative data (示意数据): the embedded parcels are generated (the district outline is real, "
        "zone outlines are approximate); they do not describe real land parcels.",
    ),
    "uploaded.notice": ("当前数据：上传的图层 {name}", "Current data: uploaded layer {name}"),
    "dataset.label": ("数据集", "Dataset"),
    "dataset.embedded": ("内置示意数据", "Embedded illustrative data"),
    "asof.label": ("评价基准日", "As-of date"),
    "basemap.label": ("底图", "Basemap"),
    "basemap.offline": ("离线底图（无瓦片）", "Offline (no tiles)"),
    "basemap.osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap.tianditu": ("天地图", "Tianditu"),
    "basemap.amap": ("高德地图（GCJ-02）", "AMap / Gaode (GCJ-02)"),
    "basemap.amap_note": (
        "高德底图使用 GCJ-02 坐标：地图上的数据已临时偏移以便叠加，分析与导出仍使用 WGS84。",
        "AMap tiles are in GCJ-02: the data are shifted for display only; analysis and exports stay in WGS84.",
    ),
    "error.title": ("出错了", "Something went wrong"),
    # pages
    "page.overview": ("总览", "Overview"),
    "page.parcels": ("地块", "Parcels"),
    "page.expiry": ("到期与用途", "Expiry & use"),
    "page.efficiency": ("亩均效益", "Efficiency per mu"),
    "page.airport": ("机场搬迁情景", "Airport scenarios"),
    "page.data": ("数据", "Data"),
    # map
    "map.zones": ("三大功能区", "Functional zones"),
    "map.district": ("湖里区界", "Huli district boundary"),
    "map.context": ("周边陆域", "Surrounding land"),
    "map.parcels": ("地块", "Parcels"),
    "map.selected": ("选中地块", "Selected parcel"),
    "map.legend": ("图例", "Legend"),
    "map.click_hint": ("点击地图上的地块查看详情。", "Click a parcel on the map for its details."),
    # themes
    "theme.label": ("专题", "Theme"),
    "theme.land_use": ("土地用途", "Land use"),
    "theme.expiry_status": ("到期状态", "Expiry status"),
    "theme.efficiency_class": ("效益分类", "Efficiency class"),
    "theme.output_per_mu": ("亩均产值", "Output per mu"),
    "theme.height_limit_m": ("净空限高", "Height limit"),
    "nodata": ("无数据", "No data"),
    "nocap": ("不限高", "No height cap"),
    "theme.height_note": ("净空限高按机场现状运行计算（情景与年份见“机场搬迁情景”页）。",
                          "Height limits with the airport operating as today (scenarios and years: Airport page)."),
    "map.airport": ("高崎机场", "Gaoqi airport"),
    # KPIs
    "kpi.parcels": ("地块数", "Parcels"),
    "kpi.area": ("总面积", "Total area"),
    "kpi.expiring": ("10年内到期面积", "Area expiring within 10 years"),
    "kpi.low_eff": ("低效用地面积", "Low-efficiency area"),
    "kpi.output": ("产业产值（年）", "Cluster output (per year)"),
    "kpi.target": ("规划目标 {target}", "Plan target {target}"),
    "kpi.class_mix": ("效益分类构成", "Efficiency class mix"),
    "kpi.by_zone": ("分功能区统计", "By functional zone"),
    "kpi.pending": ("该指标待分析模块提供。", "This figure awaits the analysis module."),
    # filters
    "filter.header": ("筛选", "Filters"),
    "filter.zone": ("功能区", "Functional zone"),
    "filter.any": ("全部", "All"),
    "filter.use": ("土地用途", "Land use"),
    "filter.expiry": ("到期状态", "Expiry status"),
    "filter.class": ("效益分类", "Efficiency class"),
    "filter.area": ("面积范围（亩）", "Area range (mu)"),
    "filter.search": ("搜索编号或权利人", "Search ID or enterprise"),
    "filter.count": ("筛选结果：{n} / {total} 宗地块", "Filtered: {n} of {total} parcels"),
    "zone.none": ("功能区外", "Outside the zones"),
    # detail
    "detail.header": ("地块详情", "Parcel details"),
    "detail.none": ("尚未选择地块。", "No parcel selected."),
    "detail.missing": ("地块 {pid} 不在当前筛选结果中。", "Parcel {pid} is not in the current selection."),
    "detail.field": ("字段", "Field"),
    "detail.value": ("值", "Value"),
    "detail.recommendation": ("规划建议", "Recommendation"),
    "detail.rule": ("触发规则", "Rule that fired"),
    "table.header": ("地块列表", "Parcel table"),
    # downloads
    "dl.header": ("下载", "Downloads"),
    "dl.crs": ("输出坐标系", "Output CRS"),
    "dl.crs.4326": ("EPSG:4326 · WGS84 经纬度", "EPSG:4326 · WGS84 lon/lat"),
    "dl.crs.4490": ("EPSG:4490 · CGCS2000 经纬度", "EPSG:4490 · CGCS2000 lon/lat"),
    "dl.crs.4548": ("EPSG:4548 · CGCS2000 高斯投影 117°E（米）", "EPSG:4548 · CGCS2000 Gauss-Kruger 117°E (m)"),
    "dl.crs.custom": ("其他 EPSG 代码", "Other EPSG code"),
    "dl.epsg": ("EPSG 代码", "EPSG code"),
    "dl.rfc7946": ("GeoJSON（RFC 7946）始终为 EPSG:4326 经纬度；其他格式使用所选坐标系。",
                   "GeoJSON (RFC 7946) is always EPSG:4326 lon/lat; the other formats use the chosen CRS."),
    "dl.button": ("下载 {what} · {crs}", "Download {what} · {crs}"),
    "dl.filtered": ("当前筛选结果 {n} 宗地块。", "The {n} parcels of the current filter."),
    "dl.all": ("当前数据集全部 {n} 宗地块。", "All {n} parcels of the current dataset."),
    "dl.scenario_cols": ("净空限高与可建建筑面积字段按情景 A「{name}」{year} 年计算（在“机场搬迁情景”页设置）。",
                         "Height limit and buildable floor area follow scenario A “{name}” in {year} "
                         "(set on the Airport page)."),
    "dl.released": ("下载 {year} 年释放的机场用地", "Download the airport land released by {year}"),
    "dl.roads": ("下载 {year} 年已建测试道路", "Download the test roads built by {year}"),
    "dl.raster": ("下载 {year} 年净空限高栅格", "Download the {year} height-limit grid"),
    "dl.empty": ("该年份没有此图层的要素。", "No features of this layer in that year."),
    # expiry page
    "exp.timeline": ("逐年到期面积（按功能区）", "Area whose lease ends, by year and zone"),
    "exp.timeline_help": ("单位：亩；按终止日期所在年份统计（含出让日期+年限推算）。",
                          "In mu, by the year the lease ends (lease start + term where no end date is given)."),
    "exp.list": ("已到期及10年内到期地块与建议", "Expired and expiring parcels with recommendations"),
    "exp.reserve": ("建议作为储备地块", "Recommended as reserve parcels"),
    "exp.converted": ("孵化区已转商办用地", "Incubation-zone land converted to commercial/office"),
    "exp.converted_help": ("规划要求在此引入楼宇经济项目（智能网联软件、云服务、车载信息服务等）。",
                           "The plan asks for building-economy projects here (ICV software, cloud, in-vehicle services)."),
    "exp.landuse": ("用地结构（按功能区）", "Land use by zone"),
    "exp.rules": ("建议规则", "Recommendation rules"),
    "exp.rule_id": ("规则", "Rule"),
    "exp.rule_code": ("建议代码", "Recommendation code"),
    "exp.rule_text": ("建议", "Recommendation"),
    "exp.rule_condition": ("条件", "Condition"),
    "exp.count": ("{n} 宗，{area} 亩", "{n} parcels, {area} mu"),
    # efficiency page
    "eff.profile": ("评价方案", "Evaluation profile"),
    "eff.indicators": ("指标权重与基准值", "Indicator weights and benchmarks"),
    "eff.indicator": ("指标", "Indicator"),
    "eff.weight": ("权重", "Weight"),
    "eff.benchmark": ("基准值", "Benchmark"),
    "eff.required": ("必需", "Required"),
    "eff.method": ("分类方法", "Classification method"),
    "eff.method.thresholds": ("按得分阈值", "By score thresholds"),
    "eff.method.percentiles": ("按排名百分位", "By rank percentiles"),
    "eff.threshold": ("{c} 类最低得分", "Lowest score of class {c}"),
    "eff.percentile": ("{c} 类累计比例（%）", "Class {c} cumulative share (%)"),
    "eff.low_output": ("行业无控制标准时：亩均产值下限（万元/亩）", "Industry not in the standard: output per mu minimum (10k yuan/mu)"),
    "eff.low_tax": ("行业无控制标准时：亩均税收下限（万元/亩）", "Industry not in the standard: tax per mu minimum (10k yuan/mu)"),
    "eff.reset": ("恢复全区方案", "Back to the district's profile"),
    "eff.distribution": ("效益分类分布", "Efficiency class distribution"),
    "eff.low_list": ("低效用地清单", "Low-efficiency parcels"),
    "eff.price": ("差别化价格档次", "Differentiated price tiers"),
    "eff.surcharge": ("电价加价（元/千瓦时）", "Electricity surcharge (yuan/kWh)"),
    "eff.tier": ("资源配置", "Resource policy"),
    "eff.sources": ("方案依据", "Sources of the profile"),
    # airport page
    "ap.scenario": ("情景", "Scenario"),
    "ap.scenario_a": ("情景 A", "Scenario A"),
    "ap.scenario_b": ("对比情景 B", "Scenario B (comparison)"),
    "ap.on_schedule": ("按计划搬迁", "Relocated on schedule"),
    "ap.delayed": ("搬迁推迟", "Relocation delayed"),
    "ap.custom": ("自定义搬迁年份", "Custom relocation year"),
    "ap.custom_year": ("搬迁年份", "Relocation year"),
    "ap.saved": ("已保存：{name}", "Saved: {name}"),
    "ap.manage": ("自定义情景（编写、保存、删除）", "Custom scenarios (write, save, delete)"),
    "ap.manage_help": (
        "以 YAML 编写情景：搬迁年份（relocation_year，不搬迁填 null）、用地释放分期（release_phases）、"
        "测试道路分期（test_road_phases）、项目清单（projects）。从内置情景开始修改，校验通过后以名称保存到工作区，"
        "保存的情景出现在情景 A、B 的选项中。",
        "Write a scenario as YAML: relocation year (relocation_year, null for none), land-release phases "
        "(release_phases), test-road phases (test_road_phases) and the project list (projects). Start from a "
        "built-in one; once it checks out, save it under a name in the workspace and it appears in the "
        "Scenario A and B choices.",
    ),
    "ap.start_from": ("起始模板", "Start from"),
    "ap.load_template": ("载入模板", "Load into the editor"),
    "ap.new_name": ("情景名称", "Scenario name"),
    "ap.new_name_hint": ("例如：2028年搬迁", "e.g. relocation 2028"),
    "ap.yaml": ("情景 YAML", "Scenario YAML"),
    "ap.check": ("校验", "Check"),
    "ap.valid": ("情景有效：{name}", "The scenario is valid: {name}"),
    "ap.save": ("校验并保存", "Check and save"),
    "ap.saved_ok": ("已保存情景：{name}（第 {version} 版）", "Saved the scenario: {name} (version {version})"),
    "ap.delete_which": ("已保存的情景", "Saved scenario"),
    "ap.delete": ("删除", "Delete"),
    "ap.deleted": ("已删除情景：{name}", "Deleted the scenario: {name}"),
    "ap.year": ("年份", "Year"),
    "ap.limits_on": ("净空限高生效（机场运行中）", "Height limits apply (airport operating)"),
    "ap.limits_off": ("净空限高已解除（机场已搬迁）", "Height limits lifted (airport relocated)"),
    "ap.map_note": ("地图：当年净空限高栅格（半透明）、释放用地、测试道路与落地项目；地块按当年限高着色。",
                    "Map: the year's height-limit grid (translucent), released land, test roads and placed projects; "
                    "parcels coloured by the year's height limit."),
    "ap.released": ("释放的机场用地", "Released airport land"),
    "ap.roads": ("测试道路", "Test roads"),
    "ap.projects": ("落地项目", "Placed projects"),
    "ap.raster": ("净空限高栅格", "Height-limit grid"),
    "ap.advice": ("场景示范区建议", "Demonstration-zone advice"),
    "ap.timeline": ("逐年指标", "KPIs by year"),
    "ap.compare": ("情景对比", "Scenario comparison"),
    "ap.delta": ("{year} 年差值表（A − B）", "Differences in {year} (A − B)"),
    "ap.all_years": ("全部年份对比", "All years"),
    "ap.assumptions": ("情景假设", "Scenario assumptions"),
    "ap.kpi": ("指标", "Indicator"),
    "ap.unit": ("单位", "Unit"),
    "ap.diff": ("差值", "Difference"),
    "ap.unit.ha": ("公顷", "ha"),
    "ap.unit.km": ("公里", "km"),
    "ap.unit.projects": ("个", "projects"),
    "ap.unit.yi": ("亿元", "100 M yuan"),
    "ap.yi": ("{v} 亿元", "¥{v} bn"),
    "ap.floor_area": ("{v} 万m²", "{v} M m²"),
    "ap.scope.rd_office": ("研发办公", "R&D offices"),
    "ap.scope.pilot_base": ("中试基地", "pilot bases"),
    "ap.scope.industrial_plant": ("工业厂房", "industrial plants"),
    "ap.scope.conference_centre": ("会议中心", "conference centre"),
    "ap.scope.commerce": ("商业配套", "commerce"),
    "ap.scope.talent_housing": ("人才公寓", "talent housing"),
    "ap.scope.test_road": ("测试道路", "test roads"),
    "ap.scope.outside": ("功能区外", "outside the zones"),
    "ap.year_col": ("年份", "Year"),
    "ap.kpi_code": ("指标代码", "Indicator code"),
    "kpi.height_limit_active": ("限高生效", "Height limits apply"),
    "kpi.released_airport_land_ha": ("释放机场用地", "Released airport land"),
    "kpi.released_land_ha": ("释放用地（按用途）", "Released land by use"),
    "kpi.floor_area_gain_m2": ("新增可建建筑面积", "Floor area gained"),
    "kpi.developable_land_ha": ("可开发用地", "Developable land"),
    "kpi.test_road_km": ("测试道路里程", "Test roads"),
    "kpi.projects_in_demonstration": ("示范区落地项目", "Projects in the demonstration zone"),
    "kpi.projects_in_incubation": ("孵化区过渡项目", "Projects hosted in the incubation zone"),
    "kpi.projects_waiting": ("待落地项目", "Projects waiting"),
    "kpi.projected_output_yi": ("预计产业产值", "Projected cluster output"),
    "kpi.output_target_yi": ("规划产值目标", "Plan output target"),
    "kpi.output_gap_yi": ("与目标差距", "Gap to target"),
    # data page
    "data.current": ("当前使用的数据", "Data in use"),
    "data.switch": ("切换数据集", "Switch dataset"),
    "data.upload_header": ("上传地块图层", "Upload a parcel layer"),
    "data.upload_help": (
        "支持 GeoPackage、GeoJSON、压缩的 Shapefile（.zip）、CSV（WKT 或经纬度列）；上限 {mb} MB。",
        "GeoPackage, GeoJSON, zipped Shapefile (.zip), CSV (WKT or lon/lat columns); at most {mb} MB.",
    ),
    "data.file": ("选择文件", "Choose a file"),
    "data.crs": ("坐标系（文件未声明时）", "CRS (when the file declares none)"),
    "data.crs_help": ("例如 EPSG:4548、EPSG:4490；留空则使用文件自带坐标系。", "e.g. EPSG:4548, EPSG:4490; empty uses the file's own."),
    "data.encoding": ("属性编码", "Attribute encoding"),
    "data.encoding_auto": ("自动识别", "Detect"),
    "data.layer": ("图层名（GeoPackage 多图层时）", "Layer name (multi-layer GeoPackage)"),
    "data.gcj02": ("坐标为 GCJ-02（高德）", "Coordinates are GCJ-02 (AMap)"),
    "dl.crs_area": (
        "{crs} 的适用范围是 {area}，不覆盖本图层：导出的坐标会严重变形。厦门一般用 EPSG:4548（CGCS2000 3° 带 117°E）、EPSG:4490 或 EPSG:4326。",
        "{crs} is meant for {area} and does not cover this layer: the exported coordinates would be badly "
        "distorted. For Xiamen use EPSG:4548 (CGCS2000 3-degree zone, 117°E), EPSG:4490 or EPSG:4326.",
    ),
    "data.override_crs": ("覆盖文件自带坐标系（.prj 有误时）", "Override the file's own CRS (wrong .prj)"),
    "data.override_crs_help": (
        "勾选后使用上面填写的坐标系，即使文件声明了别的坐标系；校验报告会记录这一改动。",
        "Use the CRS entered above even when the file declares another; the validation report records it.",
    ),
    "data.submit": ("读取并校验", "Read and validate"),
    "data.loaded": ("已读取 {n} 宗地块，当前使用该数据。", "Read {n} parcels; this dataset is now in use."),
    "data.unusable": (
        "该图层没有可用地块，继续使用之前的数据。请查看下方校验报告并调整字段映射、坐标系或编码。",
        "The layer has no usable parcels; the previous data stay in use. See the report below and adjust "
        "the field mapping, CRS or encoding.",
    ),
    "data.failed": ("上传失败，继续使用之前的数据。", "The upload failed; the previous data stay in use."),
    "data.outside_only": (
        "该图层的 {n} 宗可用地块全部位于区界（含边距）之外，未设为当前使用的数据。请检查坐标系或 GCJ-02 选项。",
        "All {n} usable parcels of the layer lie outside the district (margin included); it was not made the "
        "dataset in use. Check the CRS or the GCJ-02 option.",
    ),
    "data.use_anyway": ("仍然使用该数据", "Use it anyway"),
    "data.outside_tag": ("全部在区界外", "wholly outside the district"),
    "data.some_outside": ("其中 {n} 宗地块位于区界（含边距）之外，已保留，见校验报告。",
                          "{n} of them lie outside the district (margin included), kept; see the report."),
    "data.join_header": ("关联统计表", "Join a statistics table"),
    "data.join_help": (
        "把统计、税务部门的表格（CSV 或 XLSX，表头可在标题行之下）按宗地编号关联到当前数据“{name}”：产值、税收、"
        "能耗、从业人员等字段按图层的规则读取（单位自动换算），空单元格保留原值。结果另存为新数据集并启用，"
        "原数据不变；未匹配、重复或缺少编号的行都会列在校验报告中。",
        "Join a table from the statistics or tax bureau (CSV or XLSX; the header may sit below title rows) onto "
        "the data in use, '{name}', by parcel number: output, tax, energy, employees and other fields are read "
        "as in a layer (units converted) and empty cells keep the parcel's value. The result is a new dataset, "
        "put in use; the data joined onto stay as they were. Rows that match no parcel, repeat a parcel or lack "
        "a number are listed in the validation report.",
    ),
    "data.join_file": ("统计表文件", "Table file"),
    "data.join_limit": ("文件不超过 {mb} MB。", "Files up to {mb} MB."),
    "data.join_sheet": ("工作表名称（XLSX，留空为第一个）", "Sheet name (XLSX; empty: the first)"),
    "data.join_submit": ("关联并校验", "Join and validate"),
    "data.join_failed": ("关联失败，继续使用之前的数据。", "The join failed; the previous data stay in use."),

    "data.report": ("校验报告：{name}", "Validation report: {name}"),
    "data.col.row": ("行号", "Row"),
    "data.col.parcel_id": ("宗地编号", "Parcel ID"),
    "data.col.code": ("问题代码", "Issue code"),
    "data.col.severity": ("严重程度", "Severity"),
    "data.col.message": ("说明", "Message"),
    "data.col.action": ("处理", "Action taken"),
    "data.col.field": ("字段", "Field"),
    "data.col.value": ("值", "Value"),
    "data.col.n": ("数量", "Count"),
    "data.report_counts": ("问题统计", "Issues by code"),
    "data.report_none": ("没有发现问题。", "No issues found."),
    "data.mapping": ("字段映射", "Field mapping"),
    "data.mapping_help": (
        "为未识别的列指定对应的标准字段，然后重新读取。映射保存在工作区。",
        "Map unrecognised columns to canonical fields, then read again. Mappings are kept in the workspace.",
    ),
    "data.mapping_source": ("源字段", "Source column"),
    "data.mapping_target": ("标准字段", "Canonical field"),
    "data.mapping_apply": ("应用映射并重新读取", "Apply mapping and read again"),
    "data.mapping_current": ("已识别的映射", "Recognised mapping"),
    "data.use_embedded": ("使用内置示意数据", "Use the embedded illustrative data"),
    # generic
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "unit.mu": ("亩", "mu"),
    "unit.wan": ("万元", "10k yuan"),
    "unit.yi": ("亿元", "100 M yuan"),
    "unit.m": ("米", "m"),
    "unit.year": ("年", "years"),
    "unit.paren": ("{label}（{unit}）", "{label} ({unit})"),
    "count.parcels": ("{n} 宗", "{n} parcels"),
    "pending.page": (
        "该页面依赖的分析模块尚未就绪：{what}",
        "The analysis this page relies on is not available yet: {what}",
    ),
}
for _more in (OFFICE_TEXT, LABEL_TEXT, MAP_TEXT, KPI_TEXT, EFFICIENCY_TEXT, BRIEF_TEXT, WHATIF_TEXT):
    TEXT.update(_more)

_LAND_USE_EN: dict[str, str] = {
    "industrial": "Industrial",
    "commercial_office": "Commercial & office",
    "logistics": "Logistics & warehousing",
    "residential": "Residential",
    "public_service": "Public services",
    "transport": "Transport",
    "airport": "Airport",
    "green_open": "Green & open space",
    "other": "Other",
}

_EXPIRY: dict[str, tuple[str, str]] = {k: (EXPIRY_STATUS_ZH[k], en) for k, en in {
    "expired": "Expired", "within_5y": "Expires within 5 years", "within_10y": "Expires in 5–10 years",
    "beyond_10y": "More than 10 years left", "unknown": "Unknown"}.items()}

_CLASSES: dict[str, tuple[str, str]] = {k: (EFFICIENCY_CLASS_ZH[k], en) for k, en in {
    "A": "A · develop first", "B": "B · upgrade", "C": "C · regulate and assist", "D": "D · enforce improvement",
    "unrated": "Unrated"}.items()}

_ZONES: dict[str, tuple[str, str]] = {
    "hq": ("汽车电子总部经济区", "Automotive-electronics HQ zone"),
    "incubation": ("智能网联系统产业孵化区", "ICV-systems incubation zone"),
    "demonstration": ("智能网联汽车场景示范区", "ICV scenario demonstration zone"),
    "": ("功能区外", "Outside the zones"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def t(key: str, lang: str = "zh", **fmt: object) -> str:
    """The label ``key`` in ``lang``, formatted with ``fmt`` when given.

    An unknown key is returned as itself (and logged), so a missing label shows up
    on screen instead of breaking the page.
    """
    pair = TEXT.get(key)
    if pair is None:
        logger.warning("no label for %r", key)
        return key
    text = _pick(pair, lang)
    return text.format(**fmt) if fmt else text


def field_label(name: str, lang: str = "zh") -> str:
    """Label of a canonical or derived field (schema label, else the name)."""
    spec = FIELD_BY_NAME.get(name)
    if spec is None:
        return name
    return spec.en if lang == "en" else spec.zh


def field_unit(name: str) -> str:
    """Unit of a field from the schema ("" when none or unknown)."""
    spec = FIELD_BY_NAME.get(name)
    return spec.unit if spec is not None else ""


_UNITS_EN: dict[str, str] = {
    "年": "years",
    "亩": "mu",
    "人": "persons",
    "分": "points",
    "万元": "10k yuan",
    "万元/年": "10k yuan/yr",
    "万元/亩": "10k yuan/mu",
    "万元/人": "10k yuan/person",
    "万元/吨标煤": "10k yuan/tce",
    "吨标煤/年": "tce/yr",
    "亿元": "100 M yuan",
}


def unit_label(unit: str, lang: str = "zh") -> str:
    """A unit of the schema in ``lang`` (m, m² and symbols are shared)."""
    return _UNITS_EN.get(unit, unit) if lang == "en" else unit


def with_unit(label: str, unit: str, lang: str = "zh") -> str:
    """``label（unit）`` in Chinese, ``label (unit)`` in English; the label alone without a unit."""
    if not unit:
        return label
    u = unit_label(unit, lang)
    return f"{label} ({u})" if lang == "en" else f"{label}（{u}）"


def land_use_label(code: object, lang: str = "zh") -> str:
    """Label of a land-use category."""
    key = str(code)
    if lang == "en":
        return _LAND_USE_EN.get(key, key)
    return LAND_USE_ZH.get(key, key)


def expiry_label(status: object, lang: str = "zh") -> str:
    """Label of an expiry status."""
    pair = _EXPIRY.get(str(status))
    return _pick(pair, lang) if pair else str(status)


def class_label(cls: object, lang: str = "zh") -> str:
    """Label of an efficiency class."""
    pair = _CLASSES.get(str(cls))
    return _pick(pair, lang) if pair else str(cls)


def zone_label(zone_id: object, lang: str = "zh") -> str:
    """Label of a functional zone id ("" is outside every zone)."""
    key = "" if zone_id is None or zone_id != zone_id else str(zone_id)  # NaN-safe
    pair = _ZONES.get(key)
    return _pick(pair, lang) if pair else key


_CATEGORY_LABELLERS = {
    "land_use": land_use_label,
    "planned_use": land_use_label,
    "expiry_status": expiry_label,
    "efficiency_class": class_label,
    "zone_id": zone_label,
}


def category_label(field: str, value: object, lang: str = "zh") -> str:
    """Label of ``value`` of a categorical ``field`` (the value itself otherwise)."""
    fn = _CATEGORY_LABELLERS.get(field)
    return fn(value, lang) if fn else str(value)


_KPI_UNITS: dict[str, str] = {"ha": "ap.unit.ha", "km": "ap.unit.km", "projects": "ap.unit.projects",
                              "亿元": "ap.unit.yi", "1/0": "", **KPI_UNIT_KEYS}


def kpi_unit_label(unit: str, lang: str = "zh") -> str:
    """Label of a unit of the scenario KPIs (``ha``, ``km``, ``projects``, ``亿元``, ``m²`` ...)."""
    key = _KPI_UNITS.get(unit)
    if key is None:
        return unit
    return t(key, lang) if key else ""
