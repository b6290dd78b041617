"""The map builder: compact parcel payload, themes, escaping, basemaps."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.affinity
from hypothesis import given, settings
from hypothesis import strategies as st
from ui_support import HOSTILE, tiny_parcels, tiny_zones

from core.gcj02 import wgs84_to_gcj02
from ui import mapview


def _decode(payload: dict) -> list[dict]:
    """Restate the browser-side decoder in Python."""
    q, (ox, oy), c = payload["q"], payload["o"], payload["c"]
    feats = []
    for i, pid in enumerate(payload["id"]):
        polys = []
        for j in range(payload["g"][i], payload["g"][i + 1]):
            rings = []
            for k in range(payload["p"][j], payload["p"][j + 1]):
                ring, x, y = [], 0, 0
                for v in range(payload["r"][k], payload["r"][k + 1]):
                    if v == payload["r"][k]:
                        x, y = c[2 * v], c[2 * v + 1]
                    else:
                        x, y = x + c[2 * v], y + c[2 * v + 1]
                    ring.append((ox + x / q, oy + y / q))
                ring.append(ring[0])
                rings.append(ring)
            polys.append(rings)
        feats.append({"id": pid, "geom": shapely.MultiPolygon([(r[0], r[1:]) for r in polys]),
                      "value": payload["tl"][payload["t"][i]], "fill": payload["pal"][payload["f"][i]]})
    return feats


def test_encode_round_trips_geometry_ids_values_and_fills() -> None:
    hole = shapely.Polygon(
        [(118.1, 24.5), (118.102, 24.5), (118.102, 24.502), (118.1, 24.502)],
        [[(118.1005, 24.5005), (118.1010, 24.5005), (118.1010, 24.5010), (118.1005, 24.5010)]],
    )
    multi = shapely.MultiPolygon([shapely.box(118.11, 24.51, 118.111, 24.511), shapely.box(118.12, 24.51, 118.121, 24.5111)])
    payload = mapview.encode_parcels(np.array([hole, multi], dtype=object), ["A", "B"], ["#111111", "#222222"],
                                     ["工业用地", "商业"])
    feats = _decode(json.loads(json.dumps(payload)))
    assert [f["id"] for f in feats] == ["A", "B"]
    assert [f["value"] for f in feats] == ["工业用地", "商业"]
    assert [f["fill"] for f in feats] == ["#111111", "#222222"]
    for got, want in zip(feats, [shapely.MultiPolygon([hole]), multi], strict=True):
        assert got["geom"].equals_exact(want, tolerance=1.01e-6)


def test_encode_empty() -> None:
    payload = mapview.encode_parcels(np.array([], dtype=object), [], [], [])
    assert payload["id"] == [] and payload["g"] == [0]


def test_payload_is_small_per_parcel() -> None:
    frame = tiny_parcels(100)
    layer = next(c for c in mapview.parcel_group(frame, theme="land_use")[0]._children.values()
                 if isinstance(c, mapview.ParcelLayer))
    per_parcel = len(layer.payload.encode("utf-8")) / len(frame)
    # a 4-vertex parcel: ids, one value index, one fill index, 4 delta-encoded vertices
    assert per_parcel < 80


@pytest.mark.parametrize("theme", mapview.THEMES)
def test_every_theme_colours_every_parcel_and_has_a_legend(theme: str) -> None:
    frame = tiny_parcels(10).assign(height_limit_m=np.linspace(10, 200, 10))
    fill, value, legend = mapview.theme_style(frame, theme, lang="zh")
    assert fill.index.equals(frame.index)
    assert fill.str.fullmatch(r"#[0-9a-f]{6}").all()
    assert value.notna().all()
    assert {li.colour for li in legend} >= set(fill)


def test_category_theme_uses_labels_and_marks_no_data() -> None:
    frame = tiny_parcels(5)
    fill, value, _ = mapview.theme_style(frame, "expiry_status", lang="en")
    assert value.iloc[0] == "Expired"
    assert value.iloc[4] == "Unknown" and fill.iloc[4] == "#c8c8c8"
    missing = mapview.theme_style(frame.drop(columns="expiry_status"), "expiry_status", lang="zh")
    assert set(missing[1]) == {"无数据"}


def test_numeric_theme_bins_by_hand() -> None:
    frame = tiny_parcels(4).assign(output_per_mu=[50.0, 100.0, 999.0, np.nan])
    fill, value, legend = mapview.theme_style(frame, "output_per_mu", lang="zh")
    # bins: [0,100) [100,300) [300,600) [600,1000) [1000,inf)
    assert fill.iloc[0] == legend[0].colour
    assert fill.iloc[1] == legend[1].colour
    assert fill.iloc[2] == legend[3].colour
    assert fill.iloc[3] == legend[-1].colour and value.iloc[3] == "无数据"
    assert value.iloc[2] == "999 万元/亩"


def test_unknown_theme_raises() -> None:
    with pytest.raises(ValueError, match="theme must be one of"):
        mapview.theme_style(tiny_parcels(2), "colour_of_roof")


def test_map_script_carries_no_raw_markup_from_attributes() -> None:
    frame = tiny_parcels(5).assign(parcel_id=lambda f: f["parcel_id"].where(f.index != 1, HOSTILE))
    fmap = mapview.build_map(frame, theme="land_use", zones=tiny_zones())
    page = fmap.get_root().render()
    assert HOSTILE not in page
    assert "<script>x</script>" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    # labels and tooltips are built with textContent, never innerHTML
    assert "innerHTML" not in page
    assert "textContent" in page


def test_only_tooltip_and_click_properties_are_sent() -> None:
    fmap = mapview.build_map(tiny_parcels(3), theme="efficiency_class")
    page = fmap.get_root().render()
    assert "企业" not in page  # no enterprise names, no dates
    assert "2000-01-01" not in page


def test_legend_html_escapes() -> None:
    html = mapview.legend_html([mapview.LegendItem("#123456", HOSTILE)], title="<b>t</b>")
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;t&lt;/b&gt;" in html


def test_selected_parcel_is_outlined_by_the_layer() -> None:
    group, _ = mapview.parcel_group(tiny_parcels(3), theme="land_use", selected="T0001")
    (layer,) = group._children.values()
    assert isinstance(layer, mapview.ParcelLayer)
    assert layer.selected == '"T0001"'
    page = mapview.build_map(tiny_parcels(3), selected="T0001").get_root().render()
    assert 'window.__huliSelected = "T0001"' in page
    group, _ = mapview.parcel_group(tiny_parcels(3), theme="land_use")
    assert next(iter(group._children.values())).selected == "null"


def test_amap_shifts_display_geometry_to_gcj02() -> None:
    frame = tiny_parcels(1)
    plain = _decode(json.loads(_payload(frame, "offline")))[0]["geom"]
    shifted = _decode(json.loads(_payload(frame, "amap")))[0]["geom"]
    x, y = frame.geometry.iloc[0].exterior.coords[0]
    gx, gy = wgs84_to_gcj02(x, y)
    assert shapely.Point(float(gx), float(gy)).distance(shapely.Point(shifted.geoms[0].exterior.coords[0])) < 2e-6
    assert shapely.Point(x, y).distance(shapely.Point(plain.geoms[0].exterior.coords[0])) < 2e-6
    # the offset in Xiamen is hundreds of metres
    assert 0.002 < abs(float(gx) - x) + abs(float(gy) - y) < 0.02


def _payload(frame: gpd.GeoDataFrame, basemap: str) -> str:
    group, _ = mapview.parcel_group(frame, theme="land_use", basemap=basemap)
    layer = next(c for c in group._children.values() if isinstance(c, mapview.ParcelLayer))
    return layer.payload


@pytest.mark.parametrize(
    ("token", "expected"),
    [("", ("offline", "osm", "amap")), ("abc", ("offline", "osm", "tianditu", "amap"))],
)
def test_tianditu_needs_a_token(token: str, expected: tuple[str, ...]) -> None:
    assert mapview.available_basemaps(tianditu_token=token) == expected


def test_offline_map_has_no_tiles_and_online_maps_do() -> None:
    offline = mapview.build_map(tiny_parcels(2)).get_root().render()
    assert "L.tileLayer" not in offline
    osm = mapview.build_map(tiny_parcels(2), basemap="osm").get_root().render()
    assert re.search(r"L\.tileLayer\(\s*\"https://tile\.openstreetmap\.org", osm)
    tdt = mapview.build_map(tiny_parcels(2), basemap="tianditu", tianditu_token="TOKEN123").get_root().render()
    assert "tianditu.gov.cn" in tdt and "TOKEN123" in tdt


def test_empty_frame_still_builds() -> None:
    fmap = mapview.build_map(tiny_parcels(3).iloc[:0], zones=tiny_zones())
    assert '"id":[]' in fmap.get_root().render()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(117.9, 118.4), st.floats(24.4, 24.9),  # lower-left corner in Xiamen
            st.floats(1e-5, 5e-3), st.floats(1e-5, 5e-3),  # width, height in degrees
            st.floats(0.0, 180.0),  # rotation
        ),
        min_size=1, max_size=20,
    )
)
def test_encode_round_trip_property(boxes: list[tuple[float, float, float, float, float]]) -> None:
    geoms = [
        shapely.affinity.rotate(shapely.box(x, y, x + w, y + h), angle, origin="centroid")
        for x, y, w, h, angle in boxes
    ]
    ids = [f"P{i}" for i in range(len(geoms))]
    payload = json.loads(mapview.to_json_script(mapview.encode_parcels(np.array(geoms, dtype=object), ids,
                                                                        ["#000000"] * len(geoms), ["v"] * len(geoms))))
    for got, want in zip(_decode(payload), geoms, strict=True):
        # every vertex within half a quantum (5e-7 degrees, ~5 cm) in each axis
        a = shapely.get_coordinates(got["geom"])
        b = shapely.get_coordinates(shapely.MultiPolygon([want]))
        assert a.shape == b.shape
        assert np.abs(a - b).max() <= 5e-7 + 1e-9


def _metric_zones(rows: list[tuple[str, object]]) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame({"zone_id": [z for z, _ in rows]}, geometry=[g for _, g in rows], crs="EPSG:4548")
    return frame.to_crs("EPSG:4326")


def test_zone_label_sits_in_the_largest_part_once_per_zone() -> None:
    zone_label_points = mapview.zone_label_points

    big = shapely.box(600_000, 2_710_000, 602_000, 2_711_000)  # 200 ha
    small = shapely.box(610_000, 2_720_000, 610_500, 2_720_500)  # 25 ha, far away
    zones = _metric_zones([("hq", shapely.MultiPolygon([small, big])), ("hq", shapely.box(620_000, 2_700_000,
                                                                                            620_100, 2_700_100))])
    points = zone_label_points(zones)
    assert points["zone_id"].tolist() == ["hq"]
    pt = points.to_crs("EPSG:4548").geometry.iloc[0]
    assert big.buffer(-400).contains(pt)  # well inside the big part, not between the parts
    assert points["direction"].tolist() == ["center"]


def test_labels_on_one_row_go_apart() -> None:
    zone_label_points = mapview.zone_label_points

    west = shapely.box(600_000, 2_710_000, 601_000, 2_711_000)
    east = shapely.box(603_000, 2_710_200, 604_000, 2_711_200)  # 3 km east, 200 m higher
    far = shapely.box(600_000, 2_700_000, 601_000, 2_701_000)  # 10 km south
    points = zone_label_points(_metric_zones([("demonstration", west), ("hq", east), ("incubation", far)]))
    assert dict(zip(points["zone_id"], points["direction"], strict=True)) == {
        "demonstration": "left", "hq": "right", "incubation": "center"}


def test_zone_outlines_carry_no_label_and_anchors_one_each() -> None:
    fmap = mapview.build_base_map(lang="en", basemap="offline", zones=_metric_zones([
        ("hq", shapely.MultiPolygon([shapely.box(600_000, 2_710_000, 601_000, 2_711_000),
                                     shapely.box(603_000, 2_710_000, 604_000, 2_711_000)]))]))
    html_text = fmap.get_root().render()
    assert html_text.count('"anchor":') == 1 and html_text.count('"label":') == 1  # one label, at its anchor


def test_output_bins_follow_the_efficiency_profile() -> None:
    from dataclasses import replace

    from analysis.efficiency import load_profile
    from ui.map_theme import theme_bins

    shipped = load_profile()
    # the shipped profile: low-efficiency threshold 300, output benchmark 600 万元/亩
    assert theme_bins("output_per_mu")[0] == (100.0, 300.0, 600.0, 1000.0, np.inf)
    edited = replace(shipped, low_output_per_mu=450.0, indicators=tuple(
        replace(i, benchmark=900.0) if i.name == "output_per_mu" else i for i in shipped.indicators))
    assert theme_bins("output_per_mu", profile=edited)[0] == (150.0, 450.0, 900.0, 1500.0, np.inf)
    frame = tiny_parcels(2).assign(output_per_mu=[400.0, 400.0])
    shipped_fill, _, _ = mapview.theme_style(frame, "output_per_mu")
    edited_fill, _, legend = mapview.theme_style(frame, "output_per_mu", profile=edited)
    # 400 lies in [300, 600) with the shipped bins and in [150, 450) with the edited ones
    _, colours, _ = theme_bins("output_per_mu")
    assert set(shipped_fill) == {colours[2]} and set(edited_fill) == {colours[1]}
    assert any("450" in item.label for item in legend)
