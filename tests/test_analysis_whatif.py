"""The what-if package: the development-type library, edits, their application per year, conflicts, KPIs.

Frames are built here with round numbers (parcels of 10,000 m² = 15 mu) so every expectation is
worked out by hand.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box, mapping

from analysis.scenario import load_scenario, parse_scenario
from analysis.whatif import (
    Edit,
    apply_edits,
    check_edits,
    development_types_yaml,
    edit_to_mapping,
    height_conflicts,
    load_development_types,
    parse_development_types,
    parse_edits,
    select_parcels,
    whatif_kpis,
)
from core.errors import ConfigError
from parcels.schema import LAND_USES

TYPES = load_development_types()
SHIPPED = ("rd_office", "pilot_base", "industrial_plant", "conference_centre", "commerce", "talent_housing",
           "test_road", "standard_factory", "keep")


def _frame() -> gpd.GeoDataFrame:
    """Three parcels 0.01° apart; a: reserve industrial FAR 1; b: industrial, no floor area; c: commercial FAR 2."""
    return gpd.GeoDataFrame(
        {
            "parcel_id": ["a", "b", "c"],
            "area_m2": [10_000.0, 10_000.0, 20_000.0],
            "area_mu": [15.0, 15.0, 30.0],
            "land_use": ["industrial", "industrial", "commercial_office"],
            "far": [1.0, np.nan, 2.0],
            "floor_area": [10_000.0, np.nan, 40_000.0],
            "output_value": [3_000.0, 150.0, np.nan],
            "tax": [90.0, 3.0, np.nan],
            "energy": [100.0, 10.0, np.nan],
            "employees": pd.array([20, 5, pd.NA], dtype="Int64"),
            "recommendation": ["reserve_industrial", "none", "none"],
            "height_limit_m": [45.0, np.nan, 45.0],
        },
        geometry=[box(118.10, 24.50, 118.101, 24.501), box(118.11, 24.50, 118.111, 24.501),
                  box(118.12, 24.50, 118.121, 24.501)],
        crs=4326,
    )


def _scenario(edits: list[dict[str, Any]], base: str = "on_schedule") -> Any:
    return parse_scenario({"name": "w", "base": base, "edits": edits})


# --- the library ----------------------------------------------------------------------------


def test_the_shipped_library_holds_the_plans_uses_and_is_labelled() -> None:
    assert set(SHIPPED) <= set(TYPES)
    for code, t in TYPES.items():
        assert t.source, code
        if code == "keep":
            assert t.keeps and t.land_use is None and t.far is None and not t.illustrative
            continue
        assert t.illustrative, code
        assert t.land_use in LAND_USES and t.far is not None and t.far > 0
        assert t.site_coverage is not None and 0 < t.site_coverage <= 1
    assert TYPES["rd_office"].land_use == "industrial"
    assert TYPES["talent_housing"].land_use == "residential"


def test_the_yaml_text_reads_back_to_the_same_library() -> None:
    text = development_types_yaml(TYPES)
    assert "研发办公" in text  # not escaped
    assert parse_development_types(text) == TYPES


@pytest.mark.parametrize(
    ("change", "needles"),
    [
        (lambda d: d["types"]["rd_office"].update(far=0), ["types.rd_office.far", "必须大于 0"]),
        (lambda d: d["types"]["rd_office"].update(land_use="farm"), ["'farm'", "未知的用地类型"]),
        (lambda d: d["types"]["rd_office"].update(colour="red"), ["'colour'", "未知的键"]),
        (lambda d: d["types"]["rd_office"].update(site_coverage=1.5), ["site_coverage", "不得大于 1"]),
        (lambda d: d["types"]["rd_office"].update(output_per_mu=None), ["output_per_mu", "缺失"]),
        (lambda d: d["types"].pop("keep"), ["'keep'", "维持现状"]),
        (lambda d: d.update(colour=1), ["'colour'", "未知的键"]),
    ],
)
def test_a_bad_library_is_refused_naming_the_value(change: Any, needles: list[str]) -> None:
    import yaml

    data = yaml.safe_load(development_types_yaml(TYPES))
    change(data)
    with pytest.raises(ConfigError) as err:
        parse_development_types(data)
    for needle in needles:
        assert needle in str(err.value)


def test_ramp_is_linear_to_full_operation() -> None:
    t = TYPES["rd_office"]  # three years
    assert [t.ramp(k) for k in (-1, 0, 1, 2, 5)] == [0.0, pytest.approx(1 / 3), pytest.approx(2 / 3), 1.0, 1.0]
    assert dataclasses.replace(t, ramp_up_years=0).ramp(0) == 1.0


# --- edits ----------------------------------------------------------------------------------


def test_edits_round_trip_through_their_mapping() -> None:
    poly = box(118.0, 24.0, 118.2, 24.6)
    raw = [{"parcels": ["a", 7], "development_type": "rd_office", "from_year": 2027},
           {"within": mapping(poly), "land_use": "commercial_office", "far": 2.5}]
    edits = parse_edits(raw, horizon=(2022, 2035), types=TYPES)
    assert edits[0] == Edit(("a", "7"), None, "rd_office", None, None, 2027)
    assert edits[1].within is not None and edits[1].within.equals(poly)
    again = parse_edits([edit_to_mapping(e) for e in edits], horizon=(2022, 2035), types=TYPES)
    assert again[0] == edits[0] and again[1].within.equals(poly) and again[1].far == 2.5


@pytest.mark.parametrize(
    ("edit", "needles"),
    [
        ({"parcels": ["a"], "within": mapping(box(0, 0, 1, 1)), "far": 2}, ["exactly one", "必须且只能"]),
        ({"parcels": ["a"]}, ["sets nothing", "未设置任何内容"]),
        ({"parcels": [], "far": 2}, ["empty", "为空"]),
        ({"within": {"type": "Point", "coordinates": [118, 24]}, "far": 2}, ["'Point'", "Polygon"]),
        ({"within": mapping(box(500000, 2700000, 500100, 2700100)), "far": 2}, ["lon/lat", "经纬度"]),
        ({"parcels": ["a"], "far": 0}, ["far", "必须大于 0"]),
        ({"parcels": ["a"], "from_year": 2021, "far": 2}, ["from_year", "2021"]),
    ],
)
def test_bad_edits_are_refused(edit: dict[str, Any], needles: list[str]) -> None:
    with pytest.raises(ConfigError) as err:
        parse_edits([edit], horizon=(2022, 2035), types=TYPES)
    for needle in needles:
        assert needle in str(err.value)


def test_a_polygon_selects_by_representative_point() -> None:
    frame = _frame()
    # covers all of a and the western tenth of b (b's centre, 118.1105, is outside)
    edit = Edit(within=box(118.099, 24.499, 118.1101, 24.502), far=2.0)
    assert list(select_parcels(frame, edit)) == [0]
    assert list(select_parcels(frame, Edit(parcels=("c", "a"), far=2.0))) == [0, 2]
    check_edits(frame, [edit])
    with pytest.raises(ConfigError, match="'zz'"):
        check_edits(frame, [Edit(parcels=("a", "zz"), far=2.0)])
    with pytest.raises(ConfigError, match="selects no parcel"):
        check_edits(frame, [Edit(within=box(118.3, 24.3, 118.31, 24.31), far=2.0)])


# --- applying -------------------------------------------------------------------------------


def test_edits_apply_from_their_year_and_later_ones_override() -> None:
    sc = _scenario([
        {"parcels": ["a", "b"], "development_type": "rd_office", "from_year": 2027},
        {"parcels": ["b"], "far": 2.0, "from_year": 2028},
        {"parcels": ["c"], "development_type": "keep", "far": 3.0},
    ])
    frame = _frame()
    y2026 = apply_edits(frame, sc, 2026)
    assert y2026["edited"].tolist() == [False, False, True]
    assert y2026.loc[0, "far"] == 1.0 and y2026.loc[0, "output_value"] == 3_000.0
    # keep at FAR 3: floor area 20,000 × 3, use and output as they were
    assert y2026.loc[2, "floor_area"] == 60_000.0 and y2026.loc[2, "land_use"] == "commercial_office"
    y2027 = apply_edits(frame, sc, 2027)
    # rd_office in its first year: FAR 3.5, 1/3 of 1,000 万元 × 15 mu, 1/3 of 450 jobs × 1 ha
    assert y2027.loc[0, "floor_area"] == pytest.approx(35_000.0)
    assert y2027.loc[0, "output_value"] == pytest.approx(5_000.0)
    assert y2027.loc[0, "tax"] == pytest.approx(300.0)
    assert y2027.loc[0, "jobs"] == pytest.approx(150.0) and y2027.loc[0, "employees"] == 150
    assert np.isnan(y2027.loc[0, "energy"])  # the former firm's figure is gone
    assert y2027.loc[1, "far"] == 3.5
    y2028 = apply_edits(frame, sc, 2028)
    assert y2028.loc[1, "far"] == 2.0 and y2028.loc[1, "floor_area"] == pytest.approx(20_000.0)
    assert y2028.loc[1, "development_type"] == "rd_office" and y2028.loc[1, "edit_from_year"] == 2028
    assert y2028.loc[1, "output_value"] == pytest.approx(10_000.0)  # the type's ramp from 2027: 2/3
    assert y2028["edit_on_reserve"].tolist() == [True, False, False]
    assert frame.loc[0, "far"] == 1.0  # the input is not modified


def test_parcels_no_edit_selects_are_unchanged() -> None:
    frame = _frame()
    out = apply_edits(frame, _scenario([{"parcels": ["a"], "far": 2.0}]), 2030)
    pd.testing.assert_frame_equal(out.loc[[1, 2], frame.columns], frame.loc[[1, 2]], check_dtype=False)


def test_height_conflicts_by_hand() -> None:
    frame = apply_edits(_frame(), _scenario([{"parcels": ["a"], "development_type": "rd_office"},
                                             {"parcels": ["c"], "far": 13}]), 2025)
    got = height_conflicts(frame)
    # a: rd_office floor(45 / 4.0) = 11 storeys × 0.30 = 3.3 < 3.5; b: no limit; c: commercial floor(45 / 3.6) =
    # 12 × 0.40 = 4.8 < 13
    assert got["max_far_under_height_limit"].tolist()[0] == pytest.approx(3.3)
    assert np.isnan(got["max_far_under_height_limit"].tolist()[1])
    assert got["max_far_under_height_limit"].tolist()[2] == pytest.approx(4.8)
    assert got["height_conflict"].tolist() == [True, False, True]
    lifted = height_conflicts(frame.assign(height_limit_m=np.nan))
    assert not lifted["height_conflict"].any() and lifted["max_far_under_height_limit"].isna().all()


def test_whatif_kpis_by_hand() -> None:
    frame = apply_edits(_frame(), _scenario([{"parcels": ["a"], "development_type": "rd_office"}]), 2030)
    frame["height_conflict"] = [True, False, True]
    k = whatif_kpis(frame, target_2025_yi=200.0)
    # floor area 35,000 + 0 (unknown) + 40,000; output 15,000 + 150 万元 = 1.515 亿元
    assert k["floor_area_m2"] == pytest.approx(75_000.0)
    assert k["output_yi"] == pytest.approx(1.515)
    assert k["output_vs_target_pct"] == pytest.approx(1.515 / 200 * 100)
    assert k["jobs"] == pytest.approx(450.0 + 5.0)
    assert k["industrial_land_mu"] == pytest.approx(30.0)
    # two parcels in conflict, one of them (a) edited
    assert (k["reserve_parcels_used"], k["height_conflicts"], k["edited_conflicts"], k["edited_parcels"]) == \
        (1.0, 2.0, 1.0, 1.0)


# --- the scenario file ----------------------------------------------------------------------


def test_base_gives_the_relocation_timeline_and_own_keys_override() -> None:
    delayed = load_scenario("delayed")
    sc = parse_scenario({"name": "w", "base": "delayed", "edits": [{"parcels": ["a"], "far": 2}]})
    assert sc.relocation_year == delayed.relocation_year and sc.release_phases == delayed.release_phases
    assert sc.base == "delayed" and sc.title_zh == "w" and len(sc.edits) == 1
    assert parse_scenario({"name": "w", "base": "delayed", "relocation_year": 2033}).relocation_year == 2033
    saved = {"late": {"name": "late", "base": "delayed", "relocation_year": 2034}}
    chained = parse_scenario({"name": "w", "base": "late"}, resolve_base=saved.get)
    assert chained.relocation_year == 2034 and chained.projects == delayed.projects
    with pytest.raises(ConfigError, match="'late'"):
        parse_scenario({"name": "w", "base": "late"})
    loop = {"x": {"name": "x", "base": "y"}, "y": {"name": "y", "base": "x"}}
    with pytest.raises(ConfigError, match="itself"):
        parse_scenario({"name": "w", "base": "x"}, resolve_base=loop.get)


def test_unknown_top_level_keys_are_refused() -> None:
    with pytest.raises(ConfigError) as err:
        parse_scenario({"name": "w", "base": "delayed", "edit": []})
    assert "'edit'" in str(err.value) and "未知的键" in str(err.value)


def test_whatif_yaml_reads_back_to_the_same_edits() -> None:
    import yaml

    from analysis.whatif import whatif_yaml

    edits = parse_edits([{"parcels": ["a", "b"], "development_type": "rd_office", "from_year": 2027},
                         {"within": mapping(box(118.1, 24.5, 118.1234567, 24.51)), "far": 2.5}],
                        horizon=(2022, 2035), types=TYPES)
    text = whatif_yaml("我的情景", "delayed", edits, title_zh="研发办公 2027")
    sc = parse_scenario(yaml.safe_load(text))
    assert (sc.name, sc.base, sc.title_zh) == ("我的情景", "delayed", "研发办公 2027")
    assert sc.edits[0] == edits[0]
    assert sc.edits[1].within.equals_exact(edits[1].within, 0.0) and sc.edits[1].far == 2.5


def test_a_categorical_land_use_column_takes_the_new_use() -> None:
    frame = _frame()
    frame["land_use"] = frame["land_use"].astype("category")  # categories: commercial_office, industrial
    out = apply_edits(frame, _scenario([{"parcels": ["a"], "development_type": "talent_housing"}]), 2030)
    assert out["land_use"].astype(str).tolist() == ["residential", "industrial", "commercial_office"]
