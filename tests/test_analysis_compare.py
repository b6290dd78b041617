"""Scenario comparison: the table, the document, and ``python -m analysis compare``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from _airport_world import airport_layer, make_runway, parcels_layer, zones_layer

from analysis.airport import load_ols_params
from analysis.cli import main
from analysis.compare import compare_scenarios, compare_timelines, comparison_document
from analysis.scenario import load_scenario

REQUIRED_KPIS = {"height_limit_active", "released_airport_land_ha", "floor_area_gain_m2", "test_road_km",
                 "projects_in_demonstration", "projects_in_incubation", "projected_output_yi"}
SCENARIO_DIR = Path(__file__).resolve().parents[1] / "analysis" / "scenarios"


@pytest.fixture(scope="module")
def comparison() -> pd.DataFrame:
    rw = make_runway()
    return compare_scenarios(load_scenario("on_schedule"), load_scenario("delayed"), parcels_analysed=parcels_layer(rw),
                             airport=airport_layer(rw), runway=rw, params=load_ols_params(), zones=zones_layer(rw))


def test_columns_and_kpis(comparison: pd.DataFrame) -> None:
    assert list(comparison.columns) == ["year", "kpi", "on_schedule", "delayed", "difference", "unit"]
    assert REQUIRED_KPIS <= set(comparison["kpi"])
    assert {"floor_area_gain_m2[hq]", "released_land_ha[rd_office]", "developable_land_ha[incubation]"} \
        <= set(comparison["kpi"])
    assert comparison["year"].min() == 2022 and comparison["year"].max() == 2035
    assert not comparison.duplicated(["year", "kpi"]).any()


def test_difference_is_b_minus_a(comparison: pd.DataFrame) -> None:
    np.testing.assert_allclose(comparison["difference"], comparison["delayed"] - comparison["on_schedule"])
    row = comparison[(comparison["year"] == 2027) & (comparison["kpi"] == "height_limit_active")].iloc[0]
    assert (row["on_schedule"], row["delayed"], row["difference"]) == (0.0, 1.0, 1.0)


def test_same_name_gets_a_suffix() -> None:
    t = pd.DataFrame({"year": [2022], "kpi": ["test_road_km"], "scope": ["total"], "value": [1.0], "unit": ["km"]})
    out = compare_timelines(t, t.assign(value=3.0), a_name="x", b_name="x")
    assert list(out.columns) == ["year", "kpi", "x", "x (B)", "difference", "unit"]
    assert out["difference"].iat[0] == 2.0


def test_document_is_json(comparison: pd.DataFrame) -> None:
    doc = comparison_document(comparison, load_scenario("on_schedule"), load_scenario("delayed"))
    text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
    back = json.loads(text)
    assert back["difference"] == "B - A" and len(back["rows"]) == len(comparison)
    assert back["scenarios"]["b"]["relocation_year"] == 2030
    assert back["assumptions"]["delayed"]


def test_cli_compare_on_embedded_data(tmp_path: Path, capsys) -> None:
    custom = tmp_path / "late.yaml"
    data = yaml.safe_load((SCENARIO_DIR / "on_schedule.yaml").read_text(encoding="utf-8"))
    data.update(name="late", relocation_year=2033)
    custom.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["compare", "on_schedule", str(custom), "--out", str(out), "--as-of", "2025-01-01"]) == 0
    table = pd.read_csv(out / "comparison.csv", encoding="utf-8-sig")
    assert list(table.columns) == ["year", "kpi", "on_schedule", "late", "difference", "unit"]
    assert REQUIRED_KPIS <= set(table["kpi"])
    active = table[table["kpi"] == "height_limit_active"].set_index("year")
    assert active.loc[2030, "on_schedule"] == 0 and active.loc[2030, "late"] == 1 and active.loc[2033, "late"] == 0
    doc = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert doc["columns"] == list(table.columns) and len(doc["rows"]) == len(table)
    assert "wrote" in capsys.readouterr().out


def test_cli_compare_bad_scenario(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nrelocation_year: 2040\n", encoding="utf-8")
    assert main(["compare", "on_schedule", str(bad), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "outside the horizon" in err and "超出规划期" in err
    assert not (tmp_path / "comparison.csv").exists()


@pytest.mark.parametrize(("year", "capped"), [(2027, True), (2031, False)])
def test_cli_run_with_scenario_writes_heights(tmp_path: Path, year: int, capped: bool) -> None:
    import geopandas as gpd
    import rasterio

    out = tmp_path / "run"
    assert main(["run", "--scenario", "delayed", "--year", str(year), "--as-of", "2025-01-01", "--out", str(out)]) == 0
    parcels = gpd.read_file(out / "parcels.geojson")
    assert parcels["buildable_floor_area_m2"].notna().all()
    assert parcels["height_limit_m"].notna().any() == capped
    with rasterio.open(out / "height_limit.tif") as src:
        assert src.crs.to_epsg() == 4548 and src.res == (10.0, 10.0)
        band = src.read(1, masked=True)
    assert band.mask.all() != capped  # lifted: every cell nodata
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"]["year"] == year and summary["scenario"]["relocation_year"] == 2030
    demo = parcels[parcels["zone_id"] == "demonstration"]
    code = "demonstration_test_road_first" if capped else "demonstration_icv_community"
    assert (demo["recommendation"] == code).any()


def test_cli_run_year_without_scenario(tmp_path: Path, capsys) -> None:
    assert main(["run", "--year", "2027", "--out", str(tmp_path)]) == 2
    assert "--year needs --scenario" in capsys.readouterr().err
