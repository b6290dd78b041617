"""Airport-relocation scenarios: schema errors, year-by-year KPIs, map layers, one year on parcels."""

from __future__ import annotations

import copy
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import yaml
from _airport_world import (
    AIRPORT_HALF_LEN,
    AIRPORT_HALF_WIDTH,
    airport_layer,
    make_runway,
    parcels_layer,
    zones_layer,
)
from geopandas.testing import assert_geodataframe_equal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.airport import Runway, load_ols_params
from analysis.heights import parcel_height_limits
from analysis.scenario import (
    HORIZON,
    apply_scenario_year,
    demonstration_advice,
    height_limit_active,
    load_scenario,
    parse_scenario,
    place_projects,
    released_share_pct,
    scenario_assumptions,
    scenario_timeline,
    scenario_year_state,
)
from core.errors import ConfigError, CRSError

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "analysis" / "scenarios"
# the test airport is a 4,200 x 1,200 m rectangle: 504 ha (grid metres; the scale factor adds < 0.06 %)
AIRPORT_HA = 2 * AIRPORT_HALF_LEN * 2 * AIRPORT_HALF_WIDTH / 10_000


@pytest.fixture(scope="module")
def world() -> dict:
    rw = make_runway()
    params = load_ols_params()
    parcels = parcels_layer(rw)
    return {
        "runway": rw,
        "params": params,
        "airport": airport_layer(rw),
        "zones": zones_layer(rw),
        "parcels": parcels,
        "limits": parcel_height_limits(parcels, runway=rw, params=params),
    }


def _timeline(scenario, world) -> pd.DataFrame:
    return scenario_timeline(scenario, parcels_analysed=world["parcels"], airport=world["airport"],
                             runway=world["runway"], params=world["params"], zones=world["zones"],
                             height_limits=world["limits"])


def _series(tl: pd.DataFrame, kpi: str, scope: str = "total") -> pd.Series:
    sel = tl[(tl["kpi"] == kpi) & (tl["scope"] == scope)]
    return sel.set_index("year")["value"]


def _raw(name: str) -> dict:
    return yaml.safe_load((SCENARIO_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


# --- loading and schema -----------------------------------------------------------------------


def test_builtins_load() -> None:
    on, delayed = load_scenario("on_schedule"), load_scenario("delayed")
    assert on.relocation_year == 2026 and delayed.relocation_year == 2030
    assert on.horizon == delayed.horizon == HORIZON
    assert sum(p.share_pct for p in on.release_phases) <= 100
    assert any(p.place == "block_site" for p in delayed.test_road_phases)
    assert not any(p.place == "block_site" for p in on.test_road_phases)
    assert [t.yi for t in on.output.targets] == [150, 200]


def test_load_from_path_and_unknown_name(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    data = _raw("delayed")
    data["name"] = "mine"
    data["relocation_year"] = 2028
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_scenario(path).relocation_year == 2028
    with pytest.raises(ConfigError, match=r"Unknown scenario 'nope'.*on_schedule"):
        load_scenario("nope")


def _edit(path: str, value, *, name: str = "on_schedule") -> dict:
    data = copy.deepcopy(_raw(name))
    keys = path.split(".")
    target = data
    for k in keys[:-1]:
        target = target[int(k)] if isinstance(target, list) else target[k]
    last = keys[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


SCHEMA_ERRORS = [
    ("unknown key", _edit("relocation_yr", 2026), r"unknown key.*relocation_yr.*Valid keys.*relocation_year"),
    ("unknown nested key", _edit("release_phases.0.area", 3), r"unknown key.*area.*Valid keys"),
    ("relocation after the horizon", _edit("relocation_year", 2040), r"outside the horizon 2022-2035.*null"),
    ("horizon beyond 2035", _edit("horizon", {"start": 2022, "end": 2040}), "outside the horizon"),
    ("project before the horizon", _edit("projects.0.start_year", 2019), "outside the horizon"),
    ("negative road length", _edit("test_road_phases.0.length_km", -2), "length_km must be greater than 0"),
    ("negative project land", _edit("projects.0.land_ha", -1.5), "land_ha must be greater than 0"),
    ("negative share", _edit("release_phases.0.share_pct", -5), "at least 0"),
    ("shares above 100 %", _edit("release_phases.2.share_pct", 60), r"add up to 120 %.*more than 100 %"),
    ("one share above 100 %", _edit("release_phases.0.share_pct", 130), "at most 100"),
    ("use mix not 100 %", _edit("release_phases.0.uses_pct", {"rd_office": 50}), "add up to 100 %"),
    ("release phases out of order", _edit("release_phases.1.years_after_relocation", 0), "out of order"),
    ("road phases out of order", _edit("test_road_phases.1.years_after_relocation", 0), "out of order"),
    ("road in the airport before relocation", _edit("test_road_phases.0", {"year": 2023, "length_km": 2,
                                                                           "place": "airport_block"}),
     "while the airport still operates"),
    ("unknown road place", _edit("test_road_phases.0.place", "beach"), "must be one of"),
    ("unknown use", _edit("release_phases.0.uses_pct", {"casino": 100}), r"unknown key.*casino"),
    ("year as text", _edit("relocation_year", "2026"), "must be a year"),
]


@pytest.mark.parametrize(("label", "data", "match"), SCHEMA_ERRORS, ids=[e[0] for e in SCHEMA_ERRORS])
def test_schema_errors(label: str, data: dict, match: str) -> None:
    with pytest.raises(ConfigError, match=match) as info:
        parse_scenario(data)
    # bilingual: the Chinese text differs from the English and holds Chinese characters
    assert info.value.message_zh != info.value.message_en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message_zh), label


def test_unreadable_yaml(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_scenario(path)


def test_with_relocation_year() -> None:
    on = load_scenario("on_schedule")
    custom = on.with_relocation_year(2029)
    assert custom.relocation_year == 2029 and custom.name == "on_schedule_2029"
    assert "2029" in custom.title_zh and "2029" in custom.title_en
    assert on.relocation_year == 2026  # the original is unchanged
    never = on.with_relocation_year(None)
    assert never.relocation_year is None
    assert all(height_limit_active(never, y) for y in never.years)
    assert released_share_pct(never, 2035) == 0
    with pytest.raises(ConfigError, match="at most 2035"):
        on.with_relocation_year(2036)


def test_assumptions_are_listed() -> None:
    items = scenario_assumptions(load_scenario("delayed"))
    text = " ".join(i["en"] for i in items)
    assert "2030" in text and "8 %" in text
    # the targets of 150 and 200 亿元 in English units; nothing left in 亿元
    assert "¥15 bn in 2022" in text and "¥20 bn in 2025" in text and "¥12 bn in 2021" in text
    assert "¥15 M per released hectare" in text and "亿元" not in text
    assert "规划目标：2025年200亿元" in " ".join(i["zh"] for i in items)
    assert all(i["zh"] and i["en"] for i in items)


# --- year rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "first_lifted"), [("on_schedule", 2026), ("delayed", 2030)])
def test_height_limits_lifted_from_the_relocation_year(world, name: str, first_lifted: int) -> None:
    tl = _timeline(load_scenario(name), world)
    active = _series(tl, "height_limit_active")
    gain = _series(tl, "floor_area_gain_m2")
    for year in range(HORIZON[0], HORIZON[1] + 1):
        if year < first_lifted:
            assert active[year] == 1 and gain[year] == 0, year
        else:
            assert active[year] == 0 and gain[year] > 0, year
    assert gain.loc[first_lifted:].nunique() == 1  # the whole gain arrives at once


def test_floor_area_gain_by_hand(world) -> None:
    # Under the 45 m inner horizontal surface an industrial parcel may already build FAR 3.0
    # (10 storeys x 50 % > 3.0): no gain.  A commercial/office parcel gets 12 storeys x 40 % = 4.8
    # of its 6.0 cap: lifting the limit gains 1.2 x its area.  The incubation and hq parcels
    # lie under the inner horizontal or the conical surface, above 45 m everywhere.
    tl = _timeline(load_scenario("on_schedule"), world)
    parcels = world["parcels"]
    limits = world["limits"]
    area = parcels.to_crs(4548).area
    for zone in ("incubation", "hq"):
        sel = (parcels["zone_id"] == zone) & (parcels["land_use"] == "commercial_office")
        assert (limits[parcels["zone_id"] == zone] >= 45.0 - 1e-6).all()
        storeys = np.floor(limits[sel] / 3.6)
        expected = (area[sel] * (6.0 - np.minimum(6.0, storeys * 0.4))).sum()
        assert _series(tl, "floor_area_gain_m2", zone)[2030] == pytest.approx(expected, rel=1e-9)


def test_released_land_by_hand_and_bounded(world) -> None:
    on = load_scenario("on_schedule")
    tl = _timeline(on, world)
    released = _series(tl, "released_airport_land_ha")
    # phases: 25 % one year after 2026, +35 % three years after, +40 % six years after
    assert released[2026] == 0
    assert released[2027] == pytest.approx(0.25 * AIRPORT_HA, rel=1e-3)
    assert released[2029] == pytest.approx(0.60 * AIRPORT_HA, rel=1e-3)
    assert released[2032] == pytest.approx(1.00 * AIRPORT_HA, rel=1e-3)
    assert (released.diff().dropna() >= 0).all()
    assert (released <= AIRPORT_HA * 1.001).all()
    by_use = tl[tl["kpi"] == "released_land_ha"].groupby("year")["value"].sum()
    np.testing.assert_allclose(by_use.to_numpy(), released.to_numpy(), rtol=1e-9, atol=1e-9)
    # rd_office share of phase 1: 25 %
    assert _series(tl, "released_land_ha", "rd_office")[2027] == pytest.approx(0.25 * 0.25 * AIRPORT_HA, rel=1e-3)


@pytest.mark.parametrize("name", ["on_schedule", "delayed"])
@pytest.mark.parametrize("kpi", ["floor_area_gain_m2", "developable_land_ha"])
def test_per_zone_sums_equal_totals(world, name: str, kpi: str) -> None:
    tl = _timeline(load_scenario(name), world)
    rows = tl[tl["kpi"] == kpi]
    total = rows[rows["scope"] == "total"].set_index("year")["value"]
    zones = rows[rows["scope"] != "total"].groupby("year")["value"].sum()
    assert set(rows["scope"]) >= {"total", "hq", "incubation", "demonstration"}
    np.testing.assert_allclose(zones.to_numpy(), total.to_numpy(), rtol=1e-12)


def test_test_roads_and_projects(world) -> None:
    on = _timeline(load_scenario("on_schedule"), world)
    delayed = _timeline(load_scenario("delayed"), world)
    assert _series(on, "test_road_km").loc[[2026, 2027, 2029, 2032]].tolist() == [0, 5, 12, 20]
    assert _series(delayed, "test_road_km").loc[[2023, 2024, 2031, 2033]].tolist() == [0, 3, 8, 15]
    # delayed: nothing in the demonstration zone before the airport land is released (2031)
    demo_d = _series(delayed, "projects_in_demonstration")
    inc_d = _series(delayed, "projects_in_incubation")
    assert (demo_d.loc[:2030] == 0).all() and inc_d[2025] == 3
    assert demo_d[2031] == 6 and inc_d[2031] == 0  # hosted projects move once land is free
    assert _series(on, "projects_in_demonstration")[2028] == 6
    # the reserve parcels hold 15 x 0.9 ha = 13.5 ha; the six projects need 14.5 ha: one waits
    assert _series(delayed, "projects_waiting")[2028] == 1


def test_projected_output_and_targets(world) -> None:
    tl = _timeline(load_scenario("on_schedule"), world)
    out = _series(tl, "projected_output_yi")
    assert out[2022] == pytest.approx(120 * 1.08)  # no project and no land yet
    assert out[2023] == pytest.approx(120 * 1.08**2 + 1.2)  # one project hosted in the incubation zone
    assert _series(tl, "output_target_yi").to_dict() == {2022: 150.0, 2025: 200.0}
    assert _series(tl, "output_gap_yi")[2022] == pytest.approx(120 * 1.08 - 150)
    assert tl.attrs["assumptions"] and tl.attrs["scenario"] == "on_schedule"
    units = tl.drop_duplicates("kpi").set_index("kpi")["unit"]
    assert units["projected_output_yi"] == "亿元" and units["floor_area_gain_m2"] == "m²"


def test_place_projects_explains_each_placement() -> None:
    on = load_scenario("on_schedule")
    reserve = pd.DataFrame({"parcel_id": ["R1", "R2"], "area_ha": [3.0, 2.0]})
    before = place_projects(on, 2024, airport_ha=500, reserve=reserve)
    assert before["zone_id"].tolist() == ["incubation", "incubation"]
    assert before["parcel_id"].tolist() == ["R1", "R2"]
    after = place_projects(on, 2028, airport_ha=500, reserve=reserve)
    assert (after["zone_id"] == "demonstration").all()
    for frame in (before, after):
        assert frame["explanation_zh"].str.len().gt(10).all() and frame["explanation_en"].str.len().gt(10).all()
    assert "reserve parcel" in before["explanation_en"].iat[0] and "R1" in before["explanation_zh"].iat[0]


# --- property ---------------------------------------------------------------------------------


@st.composite
def valid_scenarios(draw):
    relocation = draw(st.one_of(st.none(), st.integers(HORIZON[0], HORIZON[1])))
    n = draw(st.integers(0, 4))
    years = sorted(draw(st.sets(st.integers(0, 12), min_size=n, max_size=n)))
    shares = draw(st.lists(st.floats(0, 100, allow_nan=False), min_size=n, max_size=n))
    total = sum(shares)
    if total > 100:
        shares = [s * 100 / total * 0.999 for s in shares]
    phases = [{"years_after_relocation": y, "share_pct": s, "uses_pct": {"rd_office": 60, "test_road": 40}}
              for y, s in zip(years, shares, strict=True)]
    return parse_scenario({"name": "random", "relocation_year": relocation, "release_phases": phases})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenario=valid_scenarios())
def test_released_land_is_monotonic_and_bounded(world, scenario) -> None:
    tl = _timeline(scenario, world)
    released = _series(tl, "released_airport_land_ha")
    assert (released.diff().dropna() >= -1e-9).all()
    assert (released >= 0).all() and (released <= AIRPORT_HA * 1.001).all()
    shares = [released_share_pct(scenario, y) for y in scenario.years]
    assert shares == sorted(shares) and max(shares, default=0) <= 100


# --- one year: map layers -----------------------------------------------------------------------


def _state(name: str, year: int, world):
    return scenario_year_state(load_scenario(name), year, parcels_analysed=world["parcels"], airport=world["airport"],
                               runway=world["runway"], zones=world["zones"])


def test_year_state_released_polygons(world) -> None:
    state = _state("on_schedule", 2029, world)
    assert state.released.crs.to_epsg() == 4326
    assert state.released["phase"].tolist() == [1, 2]
    area = state.released.to_crs(4548).area.sum() / 10_000
    assert area == pytest.approx(0.60 * AIRPORT_HA, rel=1e-3)
    airport = world["airport"].to_crs(4548).geometry.iloc[0].buffer(0.5)
    assert state.released.to_crs(4548).within(airport).all()
    # strips do not overlap
    geoms = state.released.to_crs(4548).geometry
    assert geoms.iloc[0].intersection(geoms.iloc[1]).area < 1.0
    assert _state("on_schedule", 2025, world).released.empty


def test_year_state_test_roads(world) -> None:
    airport = world["airport"].to_crs(4548).geometry.iloc[0]
    demo = world["zones"].to_crs(4548).set_index("zone_id").geometry["demonstration"]
    delayed = _state("delayed", 2025, world)
    assert delayed.test_roads["place"].tolist() == ["block_site"]
    road = delayed.test_roads.to_crs(4548).geometry.iloc[0]
    assert road.length == pytest.approx(3000, rel=1e-6)
    assert road.within(demo.buffer(0.5)) and not road.intersects(airport)
    on = _state("on_schedule", 2027, world)
    road = on.test_roads.to_crs(4548).geometry.iloc[0]
    assert road.length == pytest.approx(5000, rel=1e-6) and road.within(airport.buffer(0.5))
    assert on.test_roads["drawn_km"].iat[0] == pytest.approx(5.0)


def test_year_state_projects_and_advice(world) -> None:
    delayed = _state("delayed", 2025, world)
    assert delayed.advice.code == "demonstration_test_road_first"
    assert "测试道路" in delayed.advice.zh and "incubation" in delayed.advice.en
    hosted = delayed.projects[delayed.projects["zone_id"] == "incubation"]
    assert len(hosted) == 3
    reserve = world["parcels"][world["parcels"]["recommendation"] == "reserve_industrial"]
    assert hosted.geometry.within(reserve.union_all()).all()
    on = _state("on_schedule", 2028, world)
    assert on.advice.code == "demonstration_icv_community"
    assert "人才公寓" in on.advice.zh and "conference centre" in on.advice.en
    released = on.released.union_all()
    assert on.projects.geometry.within(released).all() and len(on.projects) == 6
    assert _state("on_schedule", 2024, world).advice.code == "demonstration_await_relocation"
    assert not on.height_limit_active and delayed.height_limit_active


def test_demonstration_advice_rule_names_the_scenario() -> None:
    advice = demonstration_advice(load_scenario("delayed"), 2027)
    assert "delayed" in advice.rule and "2027" in advice.rule


# --- one year on the parcels ----------------------------------------------------------------------


def test_apply_scenario_year(world) -> None:
    on = load_scenario("on_schedule")
    parcels = world["parcels"]
    before = parcels.copy()
    capped, raster = apply_scenario_year(parcels, on, 2025, runway=world["runway"], params=world["params"])
    lifted, raster_l = apply_scenario_year(parcels, on, 2026, runway=world["runway"], params=world["params"])
    assert_geodataframe_equal(parcels, before)
    assert capped["height_limit_m"].notna().all()
    np.testing.assert_allclose(capped["height_limit_m"], world["limits"], atol=1e-4)
    assert lifted["height_limit_m"].isna().all()
    assert np.isnan(raster_l.array).all() and np.isfinite(raster.array).any()
    assert raster.crs == "EPSG:4548" and raster.transform.a == 10.0
    assert (lifted["buildable_floor_area_m2"] >= capped["buildable_floor_area_m2"] - 1e-6).all()
    far_cap = parcels["land_use"].map({"industrial": 3.0, "commercial_office": 6.0})
    np.testing.assert_allclose(lifted["buildable_floor_area_m2"], parcels.to_crs(4548).area * far_cap, rtol=1e-9)
    with pytest.raises(ConfigError, match="outside the horizon"):
        apply_scenario_year(parcels, on, 2040, runway=world["runway"], params=world["params"])


def test_runway_elsewhere_gives_no_caps(world) -> None:
    far = Runway((0.0, 0.0), (3400.0, 0.0), 18.0, "EPSG:4548")
    frame, _ = apply_scenario_year(world["parcels"], load_scenario("delayed"), 2025, runway=far,
                                   params=world["params"])
    assert frame["height_limit_m"].isna().all()


def test_airport_layer_without_crs_is_refused(world) -> None:
    bad = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)])
    with pytest.raises(CRSError, match="no CRS"):
        scenario_timeline(load_scenario("on_schedule"), parcels_analysed=world["parcels"], airport=bad,
                          runway=world["runway"], params=world["params"], height_limits=world["limits"])
