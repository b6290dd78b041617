"""The three functional zones of the Huli ICV plan, and loading a zone layer.

The plan (湖里区汽车智能网联系统产业发展规划 2022-2025, 五（四） and 专栏5-1) lays out three
industrial functional zones (三大产业功能区).  Their ids, names, carriers and policy text live
here as small immutable records; the zone *geometry* comes from the embedded data
(``geodata.read_layer("zones")``) or from a planner's own file via :func:`load_zones`.

A zone layer, whatever its origin, is returned as a GeoDataFrame in EPSG:4326 with the
columns ``zone_id, name_zh, name_en, carriers_zh, carriers_en, policy_zh, policy_en,
geometry`` and one row per zone (several features of one zone are merged).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from core.errors import CRSError, InputFileError, SchemaError
from core.settings import GEOGRAPHIC_CRS
from parcels.schema import ZONE_IDS

__all__ = [
    "ZoneDefinition",
    "ZONES",
    "ZONE_BY_ID",
    "ZONE_COLUMNS",
    "zone_id_from_name",
    "load_zones",
    "normalise_zones",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ZoneDefinition:
    """One functional zone of the plan.

    Attributes
    ----------
    zone_id
        Stable id: ``hq``, ``incubation`` or ``demonstration``.
    name_zh, name_en
        Zone name in Chinese and English.
    carriers_zh, carriers_en
        The parks or areas that carry the zone (载体).
    policy_zh, policy_en
        What the plan wants the zone to host and how (专栏5-1), in short.
    """

    zone_id: str
    name_zh: str
    name_en: str
    carriers_zh: str
    carriers_en: str
    policy_zh: str
    policy_en: str


ZONES: tuple[ZoneDefinition, ...] = (
    ZoneDefinition(
        zone_id="hq",
        name_zh="汽车电子总部经济区",
        name_en="Automotive-electronics headquarters zone",
        carriers_zh="湖里区信息光电园、航空工业园",
        carriers_en="Huli Information & Opto-electronics Park; Aviation Industrial Park",
        policy_zh=(
            "区块已成型。依托鸿通科技等宸鸿系企业发展中控显示等车载显示零部件、新能源汽车核心电子元器件；"
            "依托美捷特等领军企业布局智能网联汽车、车路协同设备高端传感器研发生产；"
            "鼓励企业对接战略合作伙伴，探索共享产能等新模式，挖掘现有产能升级潜力。"
        ),
        policy_en=(
            "Already formed. In-vehicle displays and core EV electronic components around the "
            "TPK-group firms (e.g. 鸿通科技); high-end ICV and V2X sensors around 美捷特 and peers; "
            "encourage partnerships and shared production capacity (共享产能) to upgrade existing capacity."
        ),
    ),
    ZoneDefinition(
        zone_id="incubation",
        name_zh="智能网联系统产业孵化区",
        name_en="ICV-systems incubation zone",
        carriers_zh="湖里老工业区（金龙汽车集团全球研发总部、天地智慧交通产业园等）",
        carriers_en="The old Huli industrial zone (King Long global R&D HQ, Tiandi smart-transport park)",
        policy_zh=(
            "推进老工业区土地整合与改造，满足研发、中试用地需求。已变更为商业办公用途的土地导入智能网联系统软件开发、"
            "智能诊断检测与云服务、车载信息产品及服务、智慧交通平台经济等楼宇经济项目；"
            "土地使用年限已到期或近十年内到期的工业地块（金鹭特种、夏顺铝箔、民兴工业、信华塑胶等）"
            "保留工业用途，作为硬件设备产能导入和本地孵化项目落地的储备地块；形成“落地一批、储备一批、在研一批”。"
        ),
        policy_en=(
            "Consolidate and renew the old industrial land for R&D and pilot use. Land already changed to "
            "commercial/office use hosts building-economy projects (ICV software, smart diagnostics and "
            "cloud services, in-vehicle information services, smart-transport platforms). Industrial "
            "parcels whose term has expired or ends within ten years (金鹭特种, 夏顺铝箔, 民兴工业, "
            "信华塑胶 and others) keep industrial use as reserve parcels for hardware capacity and locally "
            "incubated projects: landing / reserve / in-research pipeline."
        ),
    ),
    ZoneDefinition(
        zone_id="demonstration",
        name_zh="智能网联汽车场景示范区",
        name_en="ICV scenario demonstration zone",
        carriers_zh="高崎机场区块",
        carriers_en="The Gaoqi airport block",
        policy_zh=(
            "视高崎机场搬迁进度灵活调整。按计划搬迁：建设智能网联汽车公共测试道路，综合布局办公楼宇、科研用房、"
            "中试基地、工业厂房、会议中心、商业配套、人才公寓，打造产业社区；搬迁推迟：在区块内选址先行启动测试道路，"
            "车路协同设备、智慧交通配套项目由湖里老工业区承接过渡。"
        ),
        policy_en=(
            "Depends on the relocation of Gaoqi airport. On schedule: public ICV test roads and an industry "
            "community (offices, research buildings, pilot bases, plants, conference centre, shops, talent "
            "apartments). Delayed: start a test road on a site in the block first; V2X and smart-transport "
            "projects are hosted by the old industrial zone in the meantime."
        ),
    ),
)

ZONE_BY_ID: dict[str, ZoneDefinition] = {z.zone_id: z for z in ZONES}

#: Columns of a normalised zone layer, in order.
ZONE_COLUMNS: tuple[str, ...] = (
    "zone_id",
    "name_zh",
    "name_en",
    "carriers_zh",
    "carriers_en",
    "policy_zh",
    "policy_en",
    "geometry",
)

# Columns (lower-case) that may carry a zone's id or name in a user's file, in order of trust.
_ID_COLUMNS: tuple[str, ...] = ("zone_id", "功能区编号", "gnq")
_NAME_COLUMNS: tuple[str, ...] = ("name_zh", "name_en", "功能区", "功能区名称", "名称", "name", "zone", "mc")

# Keywords that identify a zone in a free-text name (checked in this order).
_NAME_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("总部", "hq"),
    ("headquarter", "hq"),
    ("孵化", "incubation"),
    ("incubat", "incubation"),
    ("示范", "demonstration"),
    ("demonstrat", "demonstration"),
)


def zone_id_from_name(value: object) -> str | None:
    """The zone id a name or id stands for, or None when it names no zone.

    Parameters
    ----------
    value
        A zone id (``"hq"``), a Chinese or English name (``"智能网联系统产业孵化区"``,
        ``"Incubation zone"``) or anything else.

    Returns
    -------
    str or None
        One of :data:`parcels.schema.ZONE_IDS`, or None.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    low = text.lower()
    if low in ZONE_IDS:
        return low
    for keyword, zone_id in _NAME_KEYWORDS:
        if keyword in low:
            return zone_id
    return None


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a geometry (repairs can leave stray lines or points)."""
    if isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
        return geom
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, shapely.Polygon | shapely.MultiPolygon)]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def load_zones(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read the functional-zone layer.

    Parameters
    ----------
    path
        A GeoPackage, GeoJSON or Shapefile with the zones (the embedded layer, normalised the
        same way, is :func:`geodata.embedded_zones`).
    layer
        Layer name inside a multi-layer file.

    Returns
    -------
    geopandas.GeoDataFrame
        The normalised zone layer (see :func:`normalise_zones`).

    Raises
    ------
    InputFileError
        The file does not exist or cannot be read.
    CRSError
        The layer declares no CRS.
    SchemaError
        No column identifies the zones, or a value names no known zone.
    """
    p = Path(path)
    if not p.exists():
        raise InputFileError(
            f"zone layer {str(p)!r} does not exist; pass an existing GeoPackage/GeoJSON/Shapefile or omit it "
            "to use the embedded zones",
            f"功能区图层 {str(p)!r} 不存在；请提供存在的 GeoPackage/GeoJSON/Shapefile 文件，或不指定以使用内置功能区",
        )
    import pyogrio.errors  # deferred with the reader

    try:
        frame = gpd.read_file(p, layer=layer, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
        raise InputFileError(
            f"cannot read the zone layer {str(p)!r}: {err}; use a GeoPackage, GeoJSON or Shapefile",
            f"无法读取功能区图层 {str(p)!r}：{err}；请使用 GeoPackage、GeoJSON 或 Shapefile",
        ) from err
    return normalise_zones(frame)


def normalise_zones(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Validate a zone layer and bring it to the product's zone schema.

    The zone of each feature is read from a ``zone_id`` column (or 功能区编号) when present,
    else from a name column (``name_zh``, ``name_en``, 功能区, 名称, ``name`` ...) by keyword
    (总部 → hq, 孵化 → incubation, 示范 → demonstration, and the English words).  Features of
    the same zone are merged; missing names, carriers and policy text are filled from
    :data:`ZONES`.  The result is in EPSG:4326.

    Parameters
    ----------
    frame
        A zone layer with a CRS.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per zone, columns :data:`ZONE_COLUMNS`, ordered hq, incubation, demonstration.

    Raises
    ------
    CRSError
        ``frame`` has no CRS.
    SchemaError
        No column identifies the zones, a value names no known zone, or the layer is empty.
    """
    if frame.crs is None:
        raise CRSError(
            "the zone layer declares no CRS; save it with a CRS (e.g. EPSG:4490 or EPSG:4548) and load it again",
            "功能区图层未声明坐标系；请为其指定坐标系（如 EPSG:4490 或 EPSG:4548）后重新加载",
        )
    if len(frame) == 0:
        raise SchemaError("the zone layer has no features", "功能区图层没有要素")
    lower = {str(c).lower(): c for c in frame.columns if c != frame.geometry.name}
    source_col = next((lower[c] for c in _ID_COLUMNS + _NAME_COLUMNS if c in lower), None)
    if source_col is None:
        raise SchemaError(
            f"the zone layer has no zone_id or name column; columns received: {sorted(map(str, lower.values()))}; "
            "add a zone_id column with hq / incubation / demonstration",
            f"功能区图层缺少 zone_id 或名称字段；收到的字段：{sorted(map(str, lower.values()))}；"
            "请增加 zone_id 字段，取值 hq / incubation / demonstration",
        )
    ids = frame[source_col].map(zone_id_from_name)
    bad = frame.loc[ids.isna(), source_col]
    if len(bad):
        raise SchemaError(
            f"zone layer column {source_col!r} has values that name no zone: {sorted(map(str, bad.unique()))[:5]}; "
            f"use one of {list(ZONE_IDS)} or the zones' names",
            f"功能区图层字段 {source_col!r} 中有无法识别的功能区：{sorted(map(str, bad.unique()))[:5]}；"
            f"请使用 {list(ZONE_IDS)} 或功能区名称",
        )
    geoms = frame.geometry.to_crs(GEOGRAPHIC_CRS).values
    rows = []
    for zone in ZONES:
        mask = (ids == zone.zone_id).to_numpy()
        if not mask.any():
            continue
        merged = _polygonal(shapely.union_all(shapely.make_valid(geoms[mask])))
        row = {c: getattr(zone, c) for c in ZONE_COLUMNS if c != "geometry"}
        for col in ("name_zh", "name_en", "carriers_zh", "carriers_en", "policy_zh", "policy_en"):
            if col in frame.columns:
                given = frame.loc[mask, col].dropna().astype(str).str.strip()
                given = given[given != ""]
                if len(given):
                    row[col] = given.iloc[0]
        row["geometry"] = merged
        rows.append(row)
    missing = [z for z in ZONE_IDS if z not in {r["zone_id"] for r in rows}]
    if missing:
        log.info("zone layer lacks zones %s; their parcels will be outside every zone", missing)
    return gpd.GeoDataFrame(rows, columns=list(ZONE_COLUMNS), geometry="geometry", crs=GEOGRAPHIC_CRS)
