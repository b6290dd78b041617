"""The three functional zones, drawn at their carriers' approximate locations (示意范围).

No official zone boundaries are published.  Each zone is drawn around the place that
carries it, from public knowledge of Xiamen's geography (coordinates WGS84; reasoning
in ``geodata/README.md``):

* ``incubation`` — 湖里老工业区, the first 2.5 km² area of the Xiamen Special Economic
  Zone (1980), in the west of the district between the Dongdu port (东渡) and 湖里大道,
  around 118.094 E, 24.508 N;
* ``hq`` — two parks: 航空工业园 (the Gaoqi aviation industrial zone of TAECO and its
  peers, east of the airport towards the north-east shore) and 湖里区信息光电园 (the
  opto-electronics park of the Torch hi-tech zone, south-east of the airport around
  坂尚/安岭), a MultiPolygon;
* ``demonstration`` — the Gaoqi airport block: the airport boundary and a 400 m band
  around it.

The zones are clipped to the district outline and made disjoint: the airport is kept
whole in ``demonstration`` (``hq`` gives way to it), and ``demonstration`` gives way
to ``hq`` and ``incubation`` elsewhere.
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import Polygon

from core.settings import GEOGRAPHIC_CRS
from geodata._crs import to_lonlat, to_metric

__all__ = ["ZONE_TEXT", "CARRIER_OUTLINES", "DEMONSTRATION_BUFFER_M", "zones_layer"]

#: Approximate carrier outlines, WGS84 (lon, lat) vertex lists.
CARRIER_OUTLINES: dict[str, list[tuple[float, float]]] = {
    # 湖里老工业区: about 1.6 km x 1.6 km with cut corners, ~2.5 km²
    "old_industrial_zone": [
        (118.0865, 24.5021), (118.0988, 24.5015), (118.1019, 24.5042), (118.1020, 24.5126),
        (118.0983, 24.5157), (118.0873, 24.5159), (118.0849, 24.5124), (118.0850, 24.5052),
    ],
    # 航空工业园 (高崎航空工业区): east of the airport, up to the north-east shore
    "aviation_industrial_park": [
        (118.1425, 24.5375), (118.1580, 24.5385), (118.1600, 24.5470), (118.1545, 24.5515),
        (118.1430, 24.5505),
    ],
    # 信息光电园: south-east of the airport (坂尚/安岭 area)
    "opto_electronics_park": [
        (118.1520, 24.5195), (118.1685, 24.5200), (118.1690, 24.5300), (118.1600, 24.5320),
        (118.1525, 24.5310),
    ],
}

#: Width of the band around the airport that completes the demonstration block (m).
DEMONSTRATION_BUFFER_M: float = 400.0

#: Names, carriers and policy per zone (policy paraphrased from the plan's 专栏5-1).
ZONE_TEXT: dict[str, dict[str, str]] = {
    "hq": {
        "name_zh": "汽车电子总部经济区",
        "name_en": "Automotive-electronics headquarters zone",
        "carriers_zh": "湖里区信息光电园、航空工业园",
        "carriers_en": "Huli Information & Opto-electronics Park; Aviation Industrial Park",
        "policy_zh": (
            "功能区已基本形成。以宸鸿系企业（如鸿通科技）带动中控显示等车载显示部件和新能源汽车核心电子元器件，"
            "以美捷特等企业带动面向智能网联与车路协同的高端传感器研发制造；"
            "引导龙头企业对接合作伙伴、探索共享产能，盘活并升级现有产能。"
        ),
        "policy_en": (
            "Largely in place. TPK-group firms (e.g. 鸿通科技) anchor in-vehicle displays and core EV "
            "electronic components; 美捷特 and peers anchor high-end sensors for ICV and V2X. Leaders "
            "are encouraged to find partners and share production capacity, upgrading what exists."
        ),
    },
    "incubation": {
        "name_zh": "智能网联系统产业孵化区",
        "name_en": "ICV-systems incubation zone",
        "carriers_zh": "湖里老工业区",
        "carriers_en": "Huli old industrial zone (first area of the Xiamen SEZ)",
        "policy_zh": (
            "整合改造老工业区土地，保障研发与中试用地，依托同致电子、金龙汽车集团全球研发总部、天地智慧交通产业园孵化项目；"
            "已转为商业办公的地块导入软件、诊断检测与云服务、车载信息服务、智慧交通平台等楼宇经济项目；"
            "金鹭特种、夏顺铝箔、民兴工业、信华塑胶等已到期或十年内到期的工业地块保留工业用途，作为硬件产能和本地孵化项目的储备地块，"
            "形成“落地一批、储备一批、在研一批”。"
        ),
        "policy_en": (
            "Consolidate and renew the old industrial land for R&D and pilot production, incubating "
            "projects around 同致电子, the Golden Dragon global R&D HQ and the Tiandi smart-transport "
            "park. Parcels already turned to commercial/office use take 'building economy' projects "
            "(ICV software, diagnostics and cloud services, in-vehicle information, smart-transport "
            "platforms). Industrial parcels whose term has expired or ends within ten years — 金鹭特种, "
            "夏顺铝箔, 民兴工业, 信华塑胶 — stay industrial as reserve land for hardware capacity and "
            "local start-ups: some projects landing, some in reserve, some in research."
        ),
    },
    "demonstration": {
        "name_zh": "智能网联汽车场景示范区",
        "name_en": "ICV scenario demonstration zone",
        "carriers_zh": "高崎机场区块",
        "carriers_en": "Xiamen Gaoqi International Airport block",
        "policy_zh": (
            "随机场搬迁进度调整：按期搬迁则建设智能网联汽车公共测试道路，布局办公、科研、中试、厂房、会议、商业和人才公寓，"
            "形成研发、生产、商务、生活一体的产业社区；搬迁推迟则先在区块内选址建设测试道路，"
            "车路协同设备和智慧交通配套项目先由老工业区过渡承接。"
        ),
        "policy_en": (
            "Follows the airport's relocation. On schedule: public ICV test roads and an industry "
            "community of offices, research and pilot buildings, plants, a conference centre, shops and "
            "talent housing. Delayed: start a test road on a site in the block first, with V2X and "
            "smart-transport projects hosted meanwhile by the old industrial zone."
        ),
    },
}


def _metric(geom: shapely.Geometry, *, inverse: bool = False) -> shapely.Geometry:
    return to_lonlat(geom) if inverse else to_metric(geom)


def _clean(geom: shapely.Geometry) -> shapely.Geometry:
    """Drop slivers (< 100 m²) and anything that is not polygonal; always a MultiPolygon."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area >= 100.0]
    return shapely.MultiPolygon(parts)


def _lonlat_valid(geom_m: shapely.Geometry) -> shapely.Geometry:
    """Back to lon/lat; the inverse projection can fold a spike valid in metres, so re-validate."""
    geom = _metric(geom_m, inverse=True)
    if shapely.is_valid(geom):
        return geom
    repaired = shapely.make_valid(geom)
    return shapely.MultiPolygon([p for p in shapely.get_parts(repaired) if p.geom_type == "Polygon"])


def zones_layer(district: shapely.Geometry, airport: shapely.Geometry) -> gpd.GeoDataFrame:
    """The ``zones`` layer.

    Parameters
    ----------
    district
        District outline, EPSG:4326.
    airport
        Airport boundary (already clipped to the district), EPSG:4326.

    Returns
    -------
    geopandas.GeoDataFrame
        Rows hq, incubation, demonstration with columns zone_id, name_zh, name_en,
        carriers_zh, carriers_en, policy_zh, policy_en, geometry (EPSG:4326,
        MultiPolygon); the polygons lie inside ``district`` and do not overlap.
    """
    dist_m = _metric(district)
    airport_m = _metric(airport)
    outline = {k: _metric(Polygon(v)) for k, v in CARRIER_OUTLINES.items()}
    incubation = shapely.intersection(outline["old_industrial_zone"], dist_m)
    hq = shapely.union(outline["aviation_industrial_park"], outline["opto_electronics_park"])
    hq = shapely.difference(shapely.intersection(hq, dist_m), shapely.union(airport_m, incubation))
    block = shapely.union(airport_m, shapely.buffer(airport_m, DEMONSTRATION_BUFFER_M, join_style="mitre"))
    demonstration = shapely.difference(shapely.intersection(block, dist_m), shapely.union(hq, incubation))
    geoms_m = {"hq": _clean(hq), "incubation": _clean(incubation), "demonstration": _clean(demonstration)}
    ids = list(ZONE_TEXT)
    return gpd.GeoDataFrame(
        {"zone_id": ids, **{col: [ZONE_TEXT[z][col] for z in ids] for col in ZONE_TEXT["hq"]}},
        geometry=[_lonlat_valid(geoms_m[z]) for z in ids],
        crs=GEOGRAPHIC_CRS,
    )
