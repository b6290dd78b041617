"""``run --scenario FILE --year Y`` and ``compare`` with what-if edits, on a small world worked out by hand.

Six square parcels of 100 m × 100 m (10,000 m², 15 mu; floor area 10,000 m², FAR 1, industrial)
lie in a row 2,200-2,300 m across Gaoqi's runway (the embedded one) from its midpoint, within
1,100 m along it: farther than the transitional surfaces reach (150 m strip half-width + 45 m × 7
= 465 m), within 4,000 m of the strip and away from the approach surfaces beyond the runway ends,
so the only surface over them is the inner horizontal one at 45 m.  ``P{k}`` spans
``u = 200 (k−1) .. 200 (k−1) + 100`` along the runway.

The scenario (base ``delayed``: relocation 2030, so the limits apply until 2029):

* edit 0: P1, P2 → ``rd_office`` from 2027 (FAR 3.5, coverage 0.30, storeys of 4.0 m, output
  1,000 and tax 60 万元/亩, 450 jobs/ha, three years to full operation);
* edit 1: P3 → commercial_office at FAR 13 (from the scenario's start, 2022);
* edit 2: a polygon over u 550-830 → P4 (u 600-700, centre 650) but not P5 (u 800-900, centre
  850), which it overlaps → ``pilot_base`` (FAR 2.5, coverage 0.45, storeys of 5.0 m);
* edit 3: P6 → ``talent_housing`` from 2030 (residential, FAR 3.0).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import yaml
from shapely.geometry import box, mapping

from analysis.cli import main
from analysis.scenario_io import load_airport_inputs
from tests import _airport_world as world
from tests.office_support import save_scenario

V0, V1 = 2200.0, 2300.0
MU = 15.0  # 10,000 m² in mu (1 mu = 10,000 / 15 m²)


def _runway() -> Any:
    return load_airport_inputs().runway


def _square(k: int) -> Any:
    u0 = 200.0 * (k - 1)
    return world.rect(_runway(), u0, u0 + 100.0, V0, V1)


def _polygon_4326(u0: float, u1: float) -> dict[str, Any]:
    poly = gpd.GeoSeries([world.rect(_runway(), u0, u1, V0 - 50.0, V1 + 50.0)], crs=4548).to_crs(4326).iloc[0]
    geo = mapping(poly)
    return {"type": "Polygon", "coordinates": [[list(xy) for xy in ring] for ring in geo["coordinates"]]}


def _layers(tmp_path: Path) -> tuple[Path, Path]:
    n = 6
    parcels = gpd.GeoDataFrame(
        {
            "宗地编号": [f"P{k}" for k in range(1, n + 1)],
            "土地用途": ["工业用地"] * n,
            "出让日期": ["2010-01-01"] * n,
            "出让年限": [50] * n,
            "建筑面积": [10_000.0] * n,
            "工业总产值": [3_000.0] * n,
            "实缴税金": [150.0] * n,
        },
        geometry=[_square(k) for k in range(1, n + 1)],
        crs="EPSG:4548",
    )
    everything = world.rect(_runway(), -300.0, 1300.0, 2000.0, 2500.0)
    x0, y0, x1, y1 = everything.bounds
    zones = gpd.GeoDataFrame(
        {"zone_id": ["hq", "incubation", "demonstration"]},
        geometry=[box(x0 - 5000, y0 - 5000, x0 - 4000, y0 - 4000), everything,
                  box(x1 + 4000, y1 + 4000, x1 + 5000, y1 + 5000)],
        crs="EPSG:4548",
    )
    ppath, zpath = tmp_path / "parcels.gpkg", tmp_path / "zones.gpkg"
    parcels.to_file(ppath, engine="pyogrio")
    zones.to_file(zpath, engine="pyogrio")
    return ppath, zpath


def _whatif(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "rd_2027",
        "base": "delayed",
        "edits": [
            {"parcels": ["P1", "P2"], "development_type": "rd_office", "from_year": 2027},
            {"parcels": ["P3"], "land_use": "commercial_office", "far": 13},
            {"within": _polygon_4326(550.0, 830.0), "development_type": "pilot_base"},
            {"parcels": ["P6"], "development_type": "talent_housing", "from_year": 2030},
        ],
    }
    data.update(changes)
    return data


def _write(tmp_path: Path, data: dict[str, Any], name: str = "whatif.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[dict[str, Any], dict[str, Any]]:
    ppath, zpath = _layers(tmp_path)
    out = tmp_path / f"out{len(list(tmp_path.glob('out*')))}"
    code = main(["run", "--parcels", str(ppath), "--zones", str(zpath), "--as-of", "2025-06-30", "--out", str(out),
                 *args])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    doc = json.loads((out / "parcels.geojson").read_text(encoding="utf-8"))
    props = {f["properties"]["parcel_id"]: f["properties"] for f in doc["features"]}
    return summary, props


def test_edits_in_2028_areas_times_far_uses_and_conflicts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, _whatif())
    summary, p = _run(tmp_path, capsys, "--scenario", str(path), "--year", "2028")
    for k in range(1, 7):
        assert p[f"P{k}"]["area_m2"] == pytest.approx(10_000.0, rel=1e-6)
        assert p[f"P{k}"]["height_limit_m"] == pytest.approx(45.0)  # the inner horizontal surface
    # floor area = 10,000 m² × FAR
    assert p["P1"]["floor_area"] == pytest.approx(35_000.0, rel=1e-6)
    assert p["P2"]["floor_area"] == pytest.approx(35_000.0, rel=1e-6)
    assert p["P3"]["floor_area"] == pytest.approx(130_000.0, rel=1e-6)
    assert p["P4"]["floor_area"] == pytest.approx(25_000.0, rel=1e-6)
    assert p["P5"]["floor_area"] == pytest.approx(10_000.0, rel=1e-6)  # overlapped, but its point is outside
    assert p["P6"]["floor_area"] == pytest.approx(10_000.0, rel=1e-6)  # its edit starts in 2030
    assert [p[f"P{k}"]["edited"] for k in range(1, 7)] == [True, True, True, True, False, False]
    assert p["P1"]["development_type"] == "rd_office" and p["P1"]["edit_from_year"] == 2027
    assert p["P1"]["development_type_zh"] == "研发办公" and p["P5"]["development_type_zh"] == ""
    assert p["P3"]["land_use"] == "commercial_office" and p["P3"]["edit_from_year"] == 2022
    assert p["P6"]["land_use"] == "industrial" and p["P6"]["development_type"] == ""
    # rd_office in its second year: 2/3 of 1,000 and 60 万元/亩 on 15 mu, 2/3 of 450 jobs/ha on 1 ha
    assert p["P1"]["output_value"] == pytest.approx(1000 * MU * 2 / 3, rel=1e-6)
    assert p["P1"]["tax"] == pytest.approx(60 * MU * 2 / 3, rel=1e-6)
    assert p["P1"]["jobs"] == pytest.approx(450 * 2 / 3, rel=1e-6)
    assert p["P4"]["output_value"] == pytest.approx(1000 * MU, rel=1e-6)  # pilot_base since 2022: full
    assert p["P5"]["output_value"] == pytest.approx(3_000.0)  # unchanged
    # storeys allowed × coverage: rd_office floor(45/4.0)=11 × 0.30 = 3.3 < 3.5; commercial floor(45/3.6)=12 × 0.40
    # = 4.8 < 13; pilot_base floor(45/5.0)=9 × 0.45 = 4.05 ≥ 2.5; industrial floor(45/4.5)=10 × 0.50 = 5 ≥ 1
    assert p["P1"]["max_far_under_height_limit"] == pytest.approx(3.3)
    assert p["P3"]["max_far_under_height_limit"] == pytest.approx(4.8)
    assert p["P4"]["max_far_under_height_limit"] == pytest.approx(4.05)
    assert p["P5"]["max_far_under_height_limit"] == pytest.approx(5.0)
    assert [p[f"P{k}"]["height_conflict"] for k in range(1, 7)] == [True, True, True, False, False, False]
    # land-use totals on the edited state: 5 industrial parcels and 1 commercial/office parcel of 15 mu
    by_use = summary["district"]["area_mu_by_land_use"]
    assert by_use["industrial"] == pytest.approx(5 * MU, rel=1e-6)
    assert by_use["commercial_office"] == pytest.approx(MU, rel=1e-6)
    section = summary["scenario"]
    assert section["base"] == "delayed" and section["relocation_year"] == 2030
    assert [e["parcel_count"] for e in section["edits"]] == [2, 1, 1, 1]
    assert [e["in_force"] for e in section["edits"]] == [True, True, True, False]
    assert section["edits"][2]["within"]["type"] == "Polygon"
    assert section["height_conflicts"]["count"] == 3
    assert section["height_conflicts"]["edited_count"] == 3  # P1-P3 are all edited parcels
    assert {c["parcel_id"] for c in section["height_conflicts"]["parcels"]} == {"P1", "P2", "P3"}
    assert section["height_conflicts"]["parcels"][0]["parcel_id"] == "P3"  # the largest excess first
    kpis = section["whatif_kpis"]
    assert kpis["floor_area_m2"] == pytest.approx(35_000 * 2 + 130_000 + 25_000 + 10_000 * 2, rel=1e-6)
    assert kpis["industrial_land_mu"] == pytest.approx(5 * MU, rel=1e-6)
    assert kpis["edited_parcels"] == 4 and kpis["height_conflicts"] == 3 and kpis["edited_conflicts"] == 3
    timeline = {(k["kpi"], k["scope"]): k["value"] for k in section["kpis"]}
    assert timeline[("edited_parcels", "total")] == 4
    assert timeline[("height_conflicts", "total")] == 3


def test_before_the_edits_every_parcel_is_industrial(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    summary, p = _run(tmp_path, capsys)
    assert summary["district"]["area_mu_by_land_use"]["industrial"] == pytest.approx(6 * MU, rel=1e-6)
    assert summary["district"]["area_mu_by_land_use"].get("commercial_office", 0.0) == 0.0
    assert all(v["floor_area"] == pytest.approx(10_000.0) for v in p.values())


def test_once_the_limits_are_lifted_nothing_conflicts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, _whatif())
    summary, p = _run(tmp_path, capsys, "--scenario", str(path), "--year", "2031")
    assert all(v["height_limit_m"] is None for v in p.values())
    assert p["P3"]["far"] == pytest.approx(13.0) and p["P3"]["height_conflict"] is False
    assert all(v["max_far_under_height_limit"] is None for v in p.values())
    assert summary["scenario"]["height_conflicts"]["count"] == 0
    # the 2030 edit is in force now: P6 is talent housing at FAR 3
    assert p["P6"]["land_use"] == "residential" and p["P6"]["floor_area"] == pytest.approx(30_000.0, rel=1e-6)
    by_use = summary["district"]["area_mu_by_land_use"]
    assert by_use["industrial"] == pytest.approx(4 * MU, rel=1e-6)
    assert by_use["commercial_office"] == pytest.approx(MU, rel=1e-6)
    assert by_use["residential"] == pytest.approx(MU, rel=1e-6)


def test_the_same_far_13_parcel_in_conflict_under_the_airport(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A parcel under the 45 m inner horizontal surface at FAR 13: in conflict while the airport operates."""
    data = _whatif(edits=[{"parcels": ["P3"], "far": 13}])
    path = _write(tmp_path, data)
    _, before = _run(tmp_path, capsys, "--scenario", str(path), "--year", "2029")
    _, after = _run(tmp_path, capsys, "--scenario", str(path), "--year", "2030")
    # industrial: floor(45 / 4.5) = 10 storeys × 0.50 coverage = FAR 5 at most
    assert before["P3"]["max_far_under_height_limit"] == pytest.approx(5.0)
    assert before["P3"]["height_conflict"] is True
    assert after["P3"]["height_conflict"] is False


def test_a_saved_scenario_is_a_base_and_a_run_argument(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save_scenario("late airport", yaml.safe_dump({"name": "late airport", "base": "delayed", "relocation_year": 2033}))
    path = _write(tmp_path, _whatif(base="late airport"))
    summary, p = _run(tmp_path, capsys, "--scenario", str(path), "--year", "2031")
    assert summary["scenario"]["relocation_year"] == 2033
    assert p["P3"]["height_conflict"] is True  # the limits still apply in 2031
    save_scenario("rd what-if", path.read_text(encoding="utf-8"))
    summary, _ = _run(tmp_path, capsys, "--scenario", "rd what-if", "--year", "2031")
    assert summary["scenario"]["name"] == "rd_2027" and summary["scenario"]["relocation_year"] == 2033


@pytest.mark.parametrize(
    ("change", "needles"),
    [
        ({"edits": [{"parcels": ["P1", "NOPE"], "far": 2}]}, ["'NOPE'", "未知的宗地编号"]),
        ({"edits": [{"parcels": ["P1"], "development_type": "space_port"}]}, ["'space_port'", "未知的开发类型"]),
        ({"edits": [{"parcels": ["P1"], "land_use": "farm"}]}, ["'farm'", "未知的用地类型"]),
        ({"edits": [{"parcels": ["P1"], "far": 2, "colour": "red"}]}, ["'colour'", "未知的键"]),
        ({"colour": "red"}, ["'colour'", "未知的键"]),
        ({"edits": [{"parcels": ["P1"], "far": 0}]}, ["far", "必须大于 0"]),
        ({"edits": [{"parcels": ["P1"], "far": -1.5}]}, ["far", "必须大于 0"]),
        ({"edits": [{"within": {"type": "Polygon", "coordinates": [[[100, 10], [100.01, 10], [100.01, 10.01],
                                                                     [100, 10]]]}, "far": 2}]},
         ["selects no parcel", "未选中任何宗地"]),
        ({"base": "nowhere"}, ["'nowhere'", "未知情景"]),
        ({"edits": [{"parcels": ["P1"], "far": 2, "from_year": 2040}]}, ["from_year", "2040"]),
    ],
)
def test_bad_edits_exit_2_naming_the_value(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           change: dict[str, Any], needles: list[str]) -> None:
    ppath, zpath = _layers(tmp_path)
    path = _write(tmp_path, _whatif(**change))
    out = tmp_path / "out"
    code = main(["run", "--parcels", str(ppath), "--zones", str(zpath), "--scenario", str(path), "--year", "2028",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "错误 / error:" in err
    for needle in needles:
        assert needle in err
    assert not (out / "summary.json").exists()


def test_unknown_scenario_name_lists_the_choices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save_scenario("mine", yaml.safe_dump({"name": "mine", "base": "on_schedule"}))
    assert main(["run", "--scenario", "not-saved", "--year", "2028", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "'not-saved'" in err and "on_schedule" in err and "['mine']" in err and "未知情景" in err


def test_compare_a_what_if_with_its_base_and_refuse_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ppath, zpath = _layers(tmp_path)
    path = _write(tmp_path, _whatif())
    out = tmp_path / "cmp"
    common = ["--parcels", str(ppath), "--zones", str(zpath), "--as-of", "2025-06-30", "--out", str(out)]
    assert main(["compare", str(path), str(path), *common]) == 2
    err = capsys.readouterr().err
    assert "同一情景" in err and "the same scenario" in err
    assert not (out / "comparison.csv").exists()
    assert main(["compare", str(path), "delayed", *common]) == 0, capsys.readouterr().err
    table = pd.read_csv(out / "comparison.csv", encoding="utf-8-sig")
    edited = table[table["kpi"] == "edited_parcels"].set_index("year")
    assert edited.loc[2028, "rd_2027"] == 4 and edited.loc[2028, "delayed"] == 0
    assert edited.loc[2031, "rd_2027"] == 5  # the 2030 edit joins
    conflicts = table[table["kpi"] == "height_conflicts"].set_index("year")
    assert conflicts.loc[2028, "rd_2027"] == 3 and conflicts.loc[2031, "rd_2027"] == 0
    floor = table[table["kpi"] == "parcel_floor_area_m2"].set_index("year")
    assert floor.loc[2028, "delayed"] == pytest.approx(60_000.0, rel=1e-6)
    assert floor.loc[2028, "difference"] == pytest.approx(60_000.0 - 245_000.0, rel=1e-6)  # B − A


def test_export_of_a_scenario_year_carries_the_limits_and_the_edits(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    ppath, _ = _layers(tmp_path)
    path = _write(tmp_path, _whatif())
    gpkg = tmp_path / "p.gpkg"
    assert main(["export", "--layer", "parcels", "--format", "gpkg", "--parcels", str(ppath), "--scenario", str(path),
                 "--year", "2028", "--as-of", "2025-06-30", "--out", str(gpkg)]) == 0, capsys.readouterr().err
    got = gpd.read_file(gpkg).set_index("parcel_id")
    assert got["height_limit_m"].tolist() == pytest.approx([45.0] * 6)  # never empty while the limits apply
    assert got.loc["P1", "floor_area"] == pytest.approx(35_000.0, rel=1e-6)
    assert got["edited"].astype(bool).tolist() == [True, True, True, True, False, False]
    assert got["height_conflict"].astype(bool).tolist() == [True, True, True, False, False, False]
    csv = tmp_path / "p.csv"
    assert main(["export", "--layer", "parcels", "--format", "csv", "--parcels", str(ppath), "--scenario", str(path),
                 "--year", "2028", "--as-of", "2025-06-30", "--out", str(csv)]) == 0, capsys.readouterr().err
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert table["净空限高（m）"].tolist() == pytest.approx([45.0] * 6)
    assert table["限高冲突"].astype(str).str.lower().tolist() == ["true"] * 3 + ["false"] * 3
    assert table["开发类型"].fillna("").tolist() == ["rd_office", "rd_office", "", "pilot_base", "", ""]
    capsys.readouterr()


def test_a_multipolygon_edit_selects_in_each_part(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = _polygon_4326(-50.0, 150.0), _polygon_4326(950.0, 1150.0)  # P1's and P6's centres
    within = {"type": "MultiPolygon", "coordinates": [first["coordinates"], second["coordinates"]]}
    path = _write(tmp_path, _whatif(edits=[{"within": within, "far": 2.0}]))
    summary, p = _run(tmp_path, capsys, "--scenario", str(path), "--year", "2028")
    assert [p[f"P{k}"]["edited"] for k in range(1, 7)] == [True, False, False, False, False, True]
    assert p["P6"]["floor_area"] == pytest.approx(20_000.0, rel=1e-6)
    assert summary["scenario"]["edits"][0]["parcel_count"] == 2


def test_compare_saved_scenarios_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ppath, zpath = _layers(tmp_path)
    save_scenario("rd what-if", yaml.safe_dump(_whatif(), allow_unicode=True))
    out = tmp_path / "cmp"
    common = ["--parcels", str(ppath), "--zones", str(zpath), "--as-of", "2025-06-30", "--out", str(out)]
    assert main(["compare", "rd what-if", "rd what-if", *common]) == 2
    assert "同一情景" in capsys.readouterr().err
    assert main(["compare", "delayed", "rd what-if", *common]) == 0, capsys.readouterr().err
    table = pd.read_csv(out / "comparison.csv", encoding="utf-8-sig")
    edited = table[table["kpi"] == "edited_parcels"].set_index("year")
    assert edited.loc[2028, "difference"] == 4  # B − A
    capsys.readouterr()


def test_an_edit_granting_a_new_term_changes_the_expiry_from_its_year(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """P4 (50 years from 2010: to 2060) is given a 5-year term from 2026: it ends on 2031-01-01, i.e.
    2,011 days after the as-of date 2025-06-30 = 5.506 years, within 10 years; before 2026 nothing changes."""
    data = {"name": "renew", "base": "delayed", "edits": [{"parcels": ["P4"], "lease_years": 5, "from_year": 2026}]}
    path = _write(tmp_path, data)
    _, p = _run(tmp_path, capsys, "--scenario", str(path), "--year", "2028")
    assert p["P4"]["edited"] is True and p["P4"]["land_use"] == "industrial"
    assert str(p["P4"]["lease_start"]).startswith("2026-01-01") and p["P4"]["lease_years"] == 5
    assert str(p["P4"]["lease_end"]).startswith("2031-01-01")
    assert p["P4"]["remaining_years"] == pytest.approx(2011 / 365.25, abs=1e-3)
    assert p["P4"]["expiry_status"] == "within_10y"
    assert p["P4"]["floor_area"] == pytest.approx(10_000.0)  # nothing else set
    assert p["P5"]["expiry_status"] == "beyond_10y" and str(p["P5"]["lease_end"]).startswith("2060-01-01")
    _, before = _run(tmp_path, capsys, "--scenario", str(path), "--year", "2025")
    assert before["P4"]["edited"] is False and str(before["P4"]["lease_end"]).startswith("2060-01-01")
    assert before["P4"]["expiry_status"] == "beyond_10y"


@pytest.mark.parametrize(("value", "zh"), [(0, "不得小于 1"), (71, "不得大于 70"), ("twenty", "必须是整数")])
def test_a_bad_term_is_refused_in_both_languages(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 value: object, zh: str) -> None:
    ppath, zpath = _layers(tmp_path)
    path = _write(tmp_path, {"name": "renew", "base": "delayed", "edits": [{"parcels": ["P4"], "lease_years": value}]})
    code = main(["run", "--parcels", str(ppath), "--zones", str(zpath), "--scenario", str(path), "--year", "2028",
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "edits[0].lease_years" in err and zh in err
