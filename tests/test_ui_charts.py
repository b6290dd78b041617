"""The charts colour a category as the map does, in both languages, and label it in the UI language."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui import state
from ui.charts import LABEL_LIMIT, category_bars, category_scale, per_mu_scatter
from ui.map_theme import theme_style

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _colour_of(spec: dict, label: str) -> str:
    scale = spec["encoding"]["color"]["scale"]
    return dict(zip(scale["domain"], scale["range"], strict=True))[label]


def _map_fill(field: str, code: str) -> str:
    fill, _, _ = theme_style(pd.DataFrame({field: [code]}), field, lang="zh")
    return str(fill.iloc[0])


def test_industrial_is_the_same_purple_in_both_languages_and_on_the_map() -> None:
    data = pd.DataFrame({"land_use": ["residential", "industrial"], "area_mu": [2.0, 5.0]})
    zh = category_bars(data, colour="land_use", value="area_mu", lang="zh", value_title="面积（亩）").to_dict()
    en = category_bars(data, colour="land_use", value="area_mu", lang="en", value_title="Area (mu)").to_dict()
    assert _colour_of(zh, "工业用地") == _colour_of(en, "Industrial") == "#8c6bb1" == _map_fill("land_use",
                                                                                              "industrial")
    assert _colour_of(zh, "居住用地") == _colour_of(en, "Residential") == "#f2c94c"


@pytest.mark.parametrize(("field", "code", "zh", "en", "colour"), [
    ("efficiency_class", "C", "C 类 调控帮扶", "C · regulate and assist", "#fdae61"),
    ("expiry_status", "expired", "已到期", "Expired", "#b2182b"),
    ("zone_id", "incubation", "智能网联系统产业孵化区", "ICV-systems incubation zone", "#d9730d"),
    ("zone_id", "", "功能区外", "Outside the zones", "#9e9e9e"),
])
def test_the_scale_maps_the_label_of_each_language_to_one_colour(field: str, code: str, zh: str, en: str,
                                                                   colour: str) -> None:
    for lang, label in (("zh", zh), ("en", en)):
        scale = category_scale(field, lang).to_dict()
        assert dict(zip(scale["domain"], scale["range"], strict=True))[label] == colour


def test_the_zone_colours_are_the_zone_outlines_of_the_map() -> None:
    from ui.map_theme import ZONE_COLOURS

    scale = category_scale("zone_id", "en").to_dict()
    assert scale["range"][:3] == [ZONE_COLOURS["hq"], ZONE_COLOURS["incubation"], ZONE_COLOURS["demonstration"]]


def test_the_order_of_the_data_does_not_move_a_colour() -> None:
    one = pd.DataFrame({"efficiency_class": ["A", "D"], "v": [1.0, 2.0]})
    other = pd.DataFrame({"efficiency_class": ["D", "A"], "v": [2.0, 1.0]})
    specs = [category_bars(f, colour="efficiency_class", value="v", lang="en", value_title="mu").to_dict()
             for f in (one, other)]
    assert specs[0]["encoding"]["color"]["scale"] == specs[1]["encoding"]["color"]["scale"]
    assert _colour_of(specs[0], "D · enforce improvement") == "#d73027"


def test_legend_and_axes_are_titled_in_the_ui_language_and_long_labels_are_not_cut() -> None:
    data = pd.DataFrame({"zone": ["HQ", "HQ"], "land_use": ["industrial", "logistics"], "area_mu": [1.0, 2.0]})
    spec = category_bars(data, colour="land_use", value="area_mu", along="zone", along_title="Functional zone",
                         lang="en", value_title="Area (mu)", horizontal=True).to_dict()
    enc = spec["encoding"]
    assert enc["color"]["legend"]["title"] == "Land use"
    assert enc["x"]["title"] == "Area (mu)" and enc["y"]["title"] == "Functional zone"
    assert enc["y"]["axis"]["labelLimit"] == LABEL_LIMIT >= 300
    assert enc["color"]["legend"]["labelLimit"] >= 300


def _charts(page: str, lang: str) -> list[dict]:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.LANG] = lang
    at.run()
    if page != "overview":
        at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, at.exception
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


@pytest.mark.parametrize(("page", "labels"), [
    ("overview", {"zh": "A 类 优先发展", "en": "A · develop first"}),
    ("efficiency", {"zh": "D 类 倒逼整治", "en": "D · enforce improvement"}),
    ("expiry", {"zh": "工业用地", "en": "Industrial"}),
])
def test_the_pages_charts_colour_categories_as_the_map_in_both_languages(page: str, labels: dict[str, str]) -> None:
    expected = {"A 类 优先发展": "#1a9850", "D 类 倒逼整治": "#d73027", "工业用地": "#8c6bb1"}[labels["zh"]]
    found = {}
    for lang in ("zh", "en"):
        scales = [s for s in _charts(page, lang) if "scale" in s.get("encoding", {}).get("color", {})]
        assert scales, f"{page} has a coloured chart"
        found[lang] = next(_colour_of(s, labels[lang]) for s in scales
                           if labels[lang] in s["encoding"]["color"]["scale"]["domain"])
    assert found == {"zh": expected, "en": expected}


def test_the_expiry_timeline_stacks_the_zones_in_their_outline_colours() -> None:
    for lang, hq in (("zh", "汽车电子总部经济区"), ("en", "Automotive-electronics HQ zone")):
        timeline = next(s for s in _charts("expiry", lang) if s.get("encoding", {}).get("color", {}).get("legend", {}).get("title")
                        in ("功能区", "Functional zone"))
        assert _colour_of(timeline, hq) == "#1f5fa8"


def test_the_airport_timeline_keeps_each_line_colour_in_both_languages() -> None:
    colours = {}
    for lang, output, target in (("zh", "预计产业产值", "规划产值目标"), ("en", "Projected cluster output",
                                                                   "Plan output target")):
        spec = next(s for s in _charts("airport", lang)
                    if output in s.get("encoding", {}).get("color", {}).get("scale", {}).get("domain", []))
        colours[lang] = (_colour_of(spec, output), _colour_of(spec, target))
        assert spec["encoding"]["x"]["title"] == {"zh": "年份", "en": "Year"}[lang]
    assert colours["zh"] == colours["en"] == ("#1f5fa8", "#7f7f7f")


def test_the_per_mu_scatter_draws_the_upgrade_targets_as_reference_lines() -> None:
    frame = pd.DataFrame({"parcel_id": ["a", "b", "c"], "efficiency_class": ["A", "D", "unrated"],
                          "output_per_mu": [1200.0, 150.0, 80.0], "tax_per_mu": [60.0, 5.0, 1.0]})
    for lang, a_label in (("zh", "A 类 优先发展"), ("en", "A · develop first")):
        spec = per_mu_scatter(frame, lang=lang, x_title="x", y_title="y").to_dict()
        points, vertical, _, horizontal, _ = spec["layer"]
        assert _colour_of(points, a_label) == "#1a9850"  # the map's class colour
        values = spec["datasets"]
        # the unrated parcel is left out; 1,000 万元/亩 output and 45 万元/亩 tax (提容增效行动方案)
        assert next(len(v) for v in values.values()) == 2
        assert vertical["mark"]["type"] == "rule" and horizontal["mark"]["type"] == "rule"
        assert vertical["mark"]["strokeDash"] == [6, 4]
        xs = [v for v in values.values() if v and "x" in v[0] and "label" in v[0]]
        ys = [v for v in values.values() if v and "y" in v[0] and "label" in v[0] and "x" not in v[0]]
        assert xs[0][0]["x"] == 1000.0 and ys[0][0]["y"] == 45.0


def test_scenario_lines_span_their_values_not_from_zero() -> None:
    """Two what-ifs 0.1 % apart: a y axis from zero would draw them as one line."""
    from ui.charts import series_lines

    wide = pd.DataFrame({"A": [8_140_000.0, 8_150_000.0], "B": [8_141_000.0, 8_160_000.0]}, index=[2026, 2027])
    spec = series_lines(wide, {"A": "#1f77b4", "B": "#ff7f0e"}, x_title="年份", y_title="m²",
                        series_title="情景").to_dict()
    assert spec["encoding"]["y"]["scale"] == {"zero": False}
    assert sorted({r["series"] for r in spec["datasets"][next(iter(spec["datasets"]))]}) == ["A", "B"]
