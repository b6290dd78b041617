"""A scenario year overlaid on a frame analysed once equals analysing with that year's advice."""

from __future__ import annotations

import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal

import geodata
from analysis.heights import parcel_height_limits
from analysis.pipeline import analyse
from analysis.scenario import apply_scenario_year, demonstration_advice, load_scenario, scenario_year_frame
from analysis.scenario_io import district_height_surface, load_airport_inputs
from geodata.generate import generate_parcels

AS_OF = "2025-06-30"


@pytest.fixture(scope="module")
def world() -> dict[str, object]:
    inputs = load_airport_inputs()
    zones = geodata.embedded_zones()
    layers = {"embedded": geodata.read_layer("parcels"), "generated": generate_parcels(1500, seed=11)}
    out: dict[str, object] = {"inputs": inputs, "zones": zones, "layers": {}}
    for name, parcels in layers.items():
        grid, _ = district_height_surface(inputs, parcels=parcels)
        limits = parcel_height_limits(parcels, runway=inputs.runway, params=inputs.params)
        out["layers"][name] = (parcels, grid, limits)  # type: ignore[index]
    return out


@pytest.mark.parametrize("layer", ["embedded", "generated"])
@pytest.mark.parametrize(("name", "year"), [("on_schedule", 2022), ("on_schedule", 2026), ("on_schedule", 2031),
                                            ("delayed", 2025), ("delayed", 2029), ("delayed", 2030),
                                            ("delayed", 2035)])
def test_overlay_equals_the_full_analysis(world: dict, layer: str, name: str, year: int) -> None:
    inputs, zones = world["inputs"], world["zones"]
    parcels, grid, limits = world["layers"][layer]
    scenario = load_scenario(name)
    slow, slow_grid = apply_scenario_year(
        analyse(parcels, zones, as_of=AS_OF, demonstration=demonstration_advice(scenario, year)), scenario, year,
        runway=inputs.runway, params=inputs.params, raster=grid, height_limits=limits)
    once = analyse(parcels, zones, as_of=AS_OF)
    before = once.copy()
    fast, fast_grid = scenario_year_frame(once, scenario, year, runway=inputs.runway, params=inputs.params,
                                          raster=grid, height_limits=limits)
    assert isinstance(fast, gpd.GeoDataFrame)
    assert_geodataframe_equal(fast, slow)
    assert fast.attrs == slow.attrs
    assert (fast_grid.array.tobytes(), fast_grid.transform) == (slow_grid.array.tobytes(), slow_grid.transform)
    assert_geodataframe_equal(once, before)  # the shared analysed frame is left as it was
    # the year matters: in the demonstration zone the advice differs before and after the relocation
    demo = fast["zone_id"] == "demonstration"
    if demo.any():
        expected = demonstration_advice(scenario, year).code
        assert (fast.loc[demo, "recommendation"] == expected).any()


def test_edits_are_applied_the_same_way_and_the_fields_derived_again(world: dict) -> None:
    """A what-if year: the overlay equals the slow path, and edited parcels are rated and advised again."""
    from analysis.scenario import parse_scenario

    inputs, zones = world["inputs"], world["zones"]
    parcels, grid, limits = world["layers"]["embedded"]
    once = analyse(parcels, zones, as_of=AS_OF)
    reserve = once.loc[(once["recommendation"] == "reserve_industrial"), "parcel_id"].head(2).tolist()
    assert len(reserve) == 2
    scenario = parse_scenario({"name": "w", "base": "delayed", "edits": [
        {"parcels": reserve[:1], "land_use": "commercial_office", "far": 2.0},
        {"parcels": reserve[1:], "development_type": "rd_office", "from_year": 2026}]})
    fast, _ = scenario_year_frame(once, scenario, 2028, runway=inputs.runway, params=inputs.params, raster=grid,
                                  height_limits=limits)
    slow, _ = apply_scenario_year(
        analyse(parcels, zones, as_of=AS_OF, demonstration=demonstration_advice(scenario, 2028)), scenario, 2028,
        runway=inputs.runway, params=inputs.params, raster=grid, height_limits=limits)
    assert_geodataframe_equal(fast, slow)
    by_id = fast.set_index("parcel_id")
    # incubation-zone commercial/office land: rule R2 (building economy) instead of the reserve
    assert by_id.loc[reserve[0], "recommendation"] == "building_economy"
    assert bool(by_id.loc[reserve[0], "converted_land"]) is True
    # rd_office in its third year at full operation: 1,000 万元/亩 output, rated on it
    assert by_id.loc[reserve[1], "output_per_mu"] == pytest.approx(1000.0)
    assert by_id.loc[reserve[1], "tax_per_mu"] == pytest.approx(60.0)
    assert by_id.loc[reserve[1], "efficiency_class"] != "unrated"
    assert int(fast["edited"].sum()) == 2
    assert {"height_conflict", "max_far_under_height_limit"} <= set(fast.columns)
    # the low-efficiency verdict is derived again with its basis: 1,000 万元/亩 and 60 万元/亩 meet every
    # division's minimum output (≤ 700) and tax (≤ 35) of the shipped control standard
    assert "below_standard" not in str(by_id.loc[reserve[1], "low_efficiency_basis"] or "")
    basis = fast["low_efficiency_basis"].fillna("").astype(str)
    assert (fast["low_efficiency"].fillna(False).astype(bool) == (basis != "")).all()


def test_edited_reserve_parcels_host_no_project_and_leave_the_developable_land(world: dict) -> None:
    from analysis.scenario import parse_scenario, scenario_timeline

    inputs, zones = world["inputs"], world["zones"]
    parcels, _, limits = world["layers"]["embedded"]
    once = analyse(parcels, zones, as_of=AS_OF)
    delayed = load_scenario("delayed")
    dev = once["recommendation"].isin(delayed.placement.developable_recommendations)
    ids = once.loc[dev, "parcel_id"].tolist()
    edited = parse_scenario({"name": "w", "base": "delayed", "edits": [{"parcels": ids, "far": 2.0}]})

    def totals(scenario: object, kpi: str) -> list[float]:
        t = scenario_timeline(scenario, parcels_analysed=once, airport=inputs.airport, runway=inputs.runway,
                              params=inputs.params, zones=zones, height_limits=limits)
        return t[(t["kpi"] == kpi) & (t["scope"] == "total")]["value"].tolist()

    assert max(totals(delayed, "projects_in_incubation")) > 0  # the reserve hosts projects before the release
    assert totals(edited, "projects_in_incubation") == [0.0] * len(delayed.years)
    # 2022: nothing released, no project yet: the developable land is the developable parcels, all taken by the edit
    dev_ha = float(once.loc[dev, "area_m2"].sum()) / 10_000.0
    assert totals(delayed, "developable_land_ha")[0] == pytest.approx(dev_ha)
    assert totals(edited, "developable_land_ha")[0] == pytest.approx(0.0, abs=1e-9)
    assert totals(edited, "edited_parcels") == [float(len(ids))] * len(delayed.years)


def test_edited_parcels_are_checked_against_the_standard_the_frame_was_analysed_with(world: dict) -> None:
    """An edited C39 plant at 1,000 万元/亩 meets the shipped 700 万元/亩 minimum; under a table that asks
    for 1,500 万元/亩 it is below the standard, on the fast and the slow path alike."""
    import copy

    import yaml

    from analysis.control_standard import DEFAULT_STANDARD_PATH, standard_from_dict
    from analysis.scenario import parse_scenario

    inputs, zones = world["inputs"], world["zones"]
    parcels, grid, limits = world["layers"]["embedded"]
    shipped = yaml.safe_load(DEFAULT_STANDARD_PATH.read_text(encoding="utf-8"))
    strict_dict = copy.deepcopy(shipped)
    strict_dict["divisions"]["39"]["output_per_mu_min"] = {"value": 1500.0, "status": "illustrative"}
    strict = standard_from_dict(strict_dict)
    once = analyse(parcels, zones, as_of=AS_OF, standard=strict)
    c39 = once[(once["land_use"] == "industrial") & (once["industry_code"].astype(str) == "39")]
    pid = str(c39["parcel_id"].iloc[0])
    # industrial_plant: 1,000 万元/亩 and 45 万元/亩 at full output after its three ramp-up years
    scenario = parse_scenario({"name": "w", "base": "delayed", "edits": [
        {"parcels": [pid], "development_type": "industrial_plant", "from_year": 2022}]})
    results = {}
    for name, standard in (("shipped", None), ("strict", strict)):
        fast, _ = scenario_year_frame(once, scenario, 2028, runway=inputs.runway, params=inputs.params, raster=grid,
                                      height_limits=limits, standard=standard)
        results[name] = fast.set_index("parcel_id").loc[pid]
    assert results["shipped"]["output_per_mu"] == pytest.approx(1000.0)
    assert "below_standard" not in str(results["shipped"]["low_efficiency_basis"] or "")
    assert "below_standard" in str(results["strict"]["low_efficiency_basis"])
    assert bool(results["strict"]["low_efficiency"]) is True
    slow, _ = apply_scenario_year(
        analyse(parcels, zones, as_of=AS_OF, standard=strict, demonstration=demonstration_advice(scenario, 2028)),
        scenario, 2028, runway=inputs.runway, params=inputs.params, raster=grid, height_limits=limits,
        standard=strict)
    assert "below_standard" in str(slow.set_index("parcel_id").loc[pid, "low_efficiency_basis"])
