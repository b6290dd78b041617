"""The whole land analysis: schema of the result, and every derived figure checked independently
on a messy real-format layer (Chinese field names, EPSG:4548) read through parcels.read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from shapely.geometry import Polygon, box

from analysis.pipeline import OUTPUT_COLUMNS, analyse, summarise
from analysis.recommend import DemonstrationAdvice
from core.errors import CRSError
from parcels.schema import CANONICAL_FIELDS, DERIVED_FIELDS

AS_OF = dt.date(2025, 6, 30)
X0, Y0 = 611_500.0, 2_711_100.0  # EPSG:4548 metres near 118.10E 24.50N
SQM_PER_MU = 10000 / 15


def _zones_4548() -> gpd.GeoDataFrame:
    # three 1 km x 1 km zones side by side; parcels east of 3 km are outside
    return gpd.GeoDataFrame(
        {"zone_id": ["hq", "incubation", "demonstration"]},
        geometry=[box(X0 + 1000 * i, Y0, X0 + 1000 * (i + 1), Y0 + 1000) for i in range(3)],
        crs="EPSG:4548",
    ).to_crs("EPSG:4326")


def _canonical_parcels() -> gpd.GeoDataFrame:
    geoms = [
        box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200),  # hq, 1 ha = 15 mu
        box(X0 + 1100, Y0 + 100, X0 + 1200, Y0 + 200),  # incubation
        box(X0 + 1300, Y0 + 100, X0 + 1400, Y0 + 200),  # incubation
        box(X0 + 2100, Y0 + 100, X0 + 2200, Y0 + 200),  # demonstration
        box(X0 + 4000, Y0 + 100, X0 + 4100, Y0 + 200),  # outside
    ]
    return gpd.GeoDataFrame(
        {
            "parcel_id": ["P1", "P2", "P3", "P4", "P5"],
            "enterprise": ["甲公司", "金鹭特种", "乙公司", "机场", "丙公司"],
            "land_use": ["industrial", "industrial", "commercial_office", "airport", "industrial"],
            "lease_start": pd.to_datetime(["2010-01-01", "1996-03-01", "2012-01-01", None, "2015-06-01"]).astype(
                "datetime64[ms]"
            ),
            "lease_years": pd.array([50, 30, 40, None, 20], dtype="Int64"),
            "output_value": [9150.0, 600.0, np.nan, np.nan, 30.0],
            "tax": [459.0, 30.0, np.nan, np.nan, 1.5],
            "floor_area": [15000.0, np.nan, 30000.0, np.nan, np.nan],
        },
        geometry=geoms,
        crs="EPSG:4548",
    ).to_crs("EPSG:4326")


def test_columns_are_canonical_plus_derived() -> None:
    out = analyse(_canonical_parcels(), _zones_4548(), as_of=AS_OF)
    expected = [f.name for f in CANONICAL_FIELDS + DERIVED_FIELDS]
    assert list(out.columns) == [*expected, "geometry"]
    assert tuple(expected) == OUTPUT_COLUMNS
    assert out.crs.to_epsg() == 4326
    assert out["height_limit_m"].isna().all() and out["buildable_floor_area_m2"].isna().all()


def test_figures_by_hand() -> None:
    out = analyse(_canonical_parcels(), _zones_4548(), as_of=AS_OF).set_index("parcel_id")
    assert out["zone_id"].tolist() == ["hq", "incubation", "incubation", "demonstration", ""]
    assert out["area_m2"].tolist() == pytest.approx([10000.0] * 5, rel=1e-9)
    assert out["area_mu"].tolist() == pytest.approx([15.0] * 5, rel=1e-9)
    assert out.loc["P1", "far"] == pytest.approx(1.5)
    assert out.loc["P3", "far"] == pytest.approx(3.0)
    assert out.loc["P2", "lease_end"] == pd.Timestamp("2026-03-01")
    assert out.loc["P2", "remaining_years"] == pytest.approx((dt.date(2026, 3, 1) - AS_OF).days / 365.25)
    assert out["expiry_status"].tolist() == ["beyond_10y", "within_5y", "beyond_10y", "unknown", "within_10y"]
    assert out.loc["P1", "output_per_mu"] == pytest.approx(610.0)
    assert out.loc["P1", "tax_per_mu"] == pytest.approx(30.6)
    # default profile: tax/mu w40 b30, output/mu w25 b600; other indicators missing -> re-normalised
    assert out.loc["P1", "efficiency_score"] == pytest.approx(100 * (40 * 30.6 / 30 + 25 * 610 / 600) / 65)
    assert out.loc["P1", "efficiency_class"] == "A"
    assert out.loc["P3", "efficiency_class"] == "unrated"
    assert out.loc["P3", "efficiency_reason"] == "not industrial land"
    assert bool(out.loc["P3", "converted_land"]) is True
    assert out["recommendation"].tolist() == [
        "hq_electronics",
        "reserve_industrial",
        "building_economy",
        "demonstration_pending",
        "revitalize_renewal",  # output/mu 2 and tax/mu 0.1 are below the control standard
    ]


def test_demonstration_advice_is_passed_on() -> None:
    advice = DemonstrationAdvice("demonstration_test_road", "先行启动测试道路", "Start a test road", "delayed, 2026")
    out = analyse(_canonical_parcels(), _zones_4548(), as_of=AS_OF, demonstration=advice)
    assert out["recommendation"].iloc[3] == "demonstration_test_road"


def test_as_of_moves_the_status() -> None:
    later = analyse(_canonical_parcels(), _zones_4548(), as_of=dt.date(2027, 1, 1))
    assert later["expiry_status"].iloc[1] == "expired"


def test_input_is_not_modified_and_missing_columns_are_missing() -> None:
    parcels = _canonical_parcels()[["parcel_id", "land_use", "geometry"]]
    before = parcels.copy()
    out = analyse(parcels, _zones_4548(), as_of=AS_OF)
    pd.testing.assert_frame_equal(parcels, before)
    assert out["efficiency_class"].iloc[0] == "unrated"
    assert out["efficiency_reason"].iloc[0] == "missing output_value; missing tax"
    assert out["expiry_status"].iloc[0] == "unknown"


def test_no_crs_is_refused() -> None:
    parcels = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[box(0, 0, 1, 1)])
    with pytest.raises(CRSError, match="no CRS"):
        analyse(parcels, _zones_4548())


def test_summarise_is_json_able_and_adds_up() -> None:
    import json

    out = analyse(_canonical_parcels(), _zones_4548(), as_of=AS_OF)
    s = summarise(out, as_of=AS_OF)
    json.dumps(s, allow_nan=False)
    assert s["as_of"] == "2025-06-30"
    assert s["district"]["parcel_count"] == 5
    zones_total = sum(z["parcel_count"] for z in s["zones"].values()) + s["outside"]["parcel_count"]
    assert zones_total == 5
    assert s["zones"]["incubation"]["reserve_parcels"] == 1
    assert s["district"]["area_mu"] == pytest.approx(75.0)


# --- a messy layer in a real format ---------------------------------------------------------


def _messy_layer(tmp_path: Path, fmt: str) -> Path:
    """Parcels as a planner might hand them over: EPSG:4548, Chinese field names, mixed
    land-use codes, Chinese date text, a missing value, a MultiPolygon, a hole."""
    x, y = X0, Y0
    geoms = [
        Polygon([(x + 100, y + 100), (x + 100, y + 260), (x + 230, y + 230), (x + 250, y + 110)]),  # clockwise
        box(x + 1100, y + 100, x + 1180, y + 170),
        Polygon(
            [(x + 1300, y + 300), (x + 1500, y + 300), (x + 1500, y + 480), (x + 1300, y + 480)],
            [[(x + 1350, y + 350), (x + 1400, y + 350), (x + 1400, y + 400), (x + 1350, y + 400)]],
        ),
        shapely.MultiPolygon([box(x + 2100, y + 100, x + 2150, y + 140), box(x + 2200, y + 100, x + 2260, y + 180)]),
        box(x + 4000, y + 100, x + 4123.4, y + 177.7),
    ]
    frame = gpd.GeoDataFrame(
        {
            "宗地编号": ["HL-001", "HL-002", "HL-003", "HL-004", "HL-005"],
            "权利人": ["厦门甲电子有限公司", "金鹭特种", "乙科技", "丁物流", "丙塑胶"],
            "土地用途": ["1001", "M1", "商务金融用地", "1101", "工业用地"],
            "出让日期": ["2003年5月12日", "1996/3/1", "2012-01-01", "2010-07-01", "2001-02-28"],
            "出让年限": [50, 30, 40, 50, 20],
            "工业总产值": [12000.5, 800.0, None, 50.0, 95.0],
            "实缴税金": [610.2, 40.0, None, 3.0, 4.5],
            "从业人员": [120, 20, None, 5, 8],
            "建筑面积": [30000.0, 6000.0, 50000.0, None, 1000.0],
        },
        geometry=geoms,
        crs="EPSG:4548",
    )
    if fmt == "gpkg":
        path = tmp_path / "parcels.gpkg"
        frame.to_file(path, engine="pyogrio", layer="宗地")
    else:
        path = tmp_path / "parcels.shp"
        frame.to_file(path, engine="pyogrio", encoding="GBK")
    return path


def _geodesic_area(geom) -> float:
    """Ellipsoidal area (GRS80, lon/lat); rings oriented so that holes subtract."""
    geod = pyproj.Geod(ellps="GRS80")
    return abs(geod.geometry_area_perimeter(shapely.orient_polygons(geom))[0])


@pytest.mark.parametrize("fmt", ["gpkg", "shp"])
def test_messy_layer_every_figure_checked_independently(tmp_path: Path, fmt: str) -> None:
    from parcels.read import read_parcels

    ingest = read_parcels(_messy_layer(tmp_path, fmt))
    out = analyse(ingest.frame, _zones_4548(), as_of=AS_OF).set_index("parcel_id")
    assert sorted(out.index) == ["HL-001", "HL-002", "HL-003", "HL-004", "HL-005"]

    starts = {"HL-001": dt.date(2003, 5, 12), "HL-002": dt.date(1996, 3, 1), "HL-003": dt.date(2012, 1, 1),
              "HL-004": dt.date(2010, 7, 1), "HL-005": dt.date(2001, 2, 28)}
    terms = {"HL-001": 50, "HL-002": 30, "HL-003": 40, "HL-004": 50, "HL-005": 20}
    output = {"HL-001": 12000.5, "HL-002": 800.0, "HL-004": 50.0, "HL-005": 95.0}
    tax = {"HL-001": 610.2, "HL-002": 40.0, "HL-004": 3.0, "HL-005": 4.5}
    for pid, row in out.iterrows():
        area = _geodesic_area(row.geometry)
        assert row["area_m2"] == pytest.approx(area, rel=1e-3)
        assert row["area_mu"] == pytest.approx(area / SQM_PER_MU, rel=1e-3)
        s = starts[pid]
        end = s.replace(year=s.year + terms[pid])
        assert row["lease_end"] == pd.Timestamp(end)
        assert row["remaining_years"] == pytest.approx((end - AS_OF).days / 365.25, abs=0.02)
        if pid in output:
            assert row["output_per_mu"] == pytest.approx(output[pid] / (area / SQM_PER_MU), rel=1e-3)
            assert row["tax_per_mu"] == pytest.approx(tax[pid] / (area / SQM_PER_MU), rel=1e-3)
        else:
            assert np.isnan(row["output_per_mu"]) and np.isnan(row["tax_per_mu"])
    assert out.loc["HL-001", "far"] == pytest.approx(30000.0 / _geodesic_area(out.loc["HL-001"].geometry), rel=1e-3)
    assert out["land_use"].to_dict() == {"HL-001": "industrial", "HL-002": "industrial",
                                         "HL-003": "commercial_office", "HL-004": "logistics",
                                         "HL-005": "industrial"}
    assert out["zone_id"].to_dict() == {"HL-001": "hq", "HL-002": "incubation", "HL-003": "incubation",
                                        "HL-004": "demonstration", "HL-005": ""}
    assert out.loc["HL-002", "recommendation"] == "reserve_industrial"  # lease ended 2026-03-01
    assert out.loc["HL-003", "recommendation"] == "building_economy"
    assert out.loc["HL-004", "efficiency_reason"] == "not industrial land"


# --- the embedded data ------------------------------------------------------------------------


def test_embedded_named_firms_are_reserve_industrial() -> None:
    import geodata
    from geodata import embedded_zones

    out = analyse(geodata.read_layer("parcels"), embedded_zones(), as_of=AS_OF)
    for firm in ("金鹭特种", "夏顺铝箔", "民兴工业", "信华塑胶"):
        rows = out[out["enterprise"].str.contains(firm, regex=False)]
        assert len(rows) >= 1, firm
        assert (rows["zone_id"] == "incubation").all(), firm
        assert (rows["recommendation"] == "reserve_industrial").all(), firm
        assert rows["recommendation_rule"].str.startswith("R1: ").all()


def test_generated_parcels_every_parcel_gets_every_field() -> None:
    from geodata import embedded_zones
    from geodata.generate import generate_parcels

    parcels = generate_parcels(3000, seed=11)
    out = analyse(parcels, embedded_zones(), as_of=AS_OF)
    assert len(out) == 3000
    assert out["expiry_status"].isin(["expired", "within_5y", "within_10y", "beyond_10y", "unknown"]).all()
    assert out["efficiency_class"].isin(["A", "B", "C", "D", "unrated"]).all()
    assert (out["recommendation"] != "").all()
    unrated = out["efficiency_class"] == "unrated"
    assert (out.loc[unrated, "efficiency_reason"] != "").all()
    assert out.loc[unrated, "efficiency_score"].isna().all()
    assert (out.loc[~unrated, "efficiency_reason"] == "").all()
    s = summarise(out, as_of=AS_OF)
    zone_area = sum(z["area_mu"] for z in s["zones"].values()) + s["outside"]["area_mu"]
    assert zone_area == pytest.approx(s["district"]["area_mu"])
    assert s["district"]["area_mu"] == pytest.approx(out["area_mu"].sum())


def test_empty_parcel_frame() -> None:
    parcels = gpd.GeoDataFrame({"parcel_id": pd.Series([], dtype="str")}, geometry=[], crs="EPSG:4326")
    out = analyse(parcels, _zones_4548(), as_of=AS_OF)
    assert len(out) == 0
    assert list(out.columns) == [*OUTPUT_COLUMNS, "geometry"]
    s = summarise(out, as_of=AS_OF)
    assert s["district"]["parcel_count"] == 0


def test_low_efficiency_follows_the_control_standard_of_each_industry() -> None:
    # every parcel 1 ha = 15 mu; shipped standard: C39 output >= 700, tax >= 35 万元/亩 (illustrative),
    # C36 output >= 600, tax >= 30; the profile's fallback 300 / 15 for industries without a row
    parcels = _canonical_parcels()
    parcels["industry_code"] = ["39", "36", "", "", "32"]  # canonical divisions; 32 has no row
    # P1 9150/15 = 610 < 700 (tax 459/15 = 30.6 < 35); P2 600/15 = 40 < 600; P5 30/15 = 2 < 300 (fallback)
    out = analyse(parcels, _zones_4548(), as_of=AS_OF).set_index("parcel_id")
    assert out.loc["P1", "standard_output_met"] == False  # noqa: E712 - a nullable boolean
    assert out.loc["P1", "standard_tax_met"] == False  # noqa: E712
    assert out.loc["P1", "low_efficiency_note_zh"] == ("产值 610 万元/亩，低于标准 700 万元/亩（C39，2020版）；"
                                                       "税收 30.6 万元/亩，低于标准 35.0 万元/亩（C39，2020版）")
    assert out.loc["P5", "low_efficiency_note_zh"].endswith("（该行业无控制标准，按评价方案下限）")
    assert out["low_efficiency_basis"].tolist() == ["below_standard", "below_standard", "", "", "below_standard"]
    assert out["low_efficiency"].tolist() == [True, True, False, False, True]
    assert out["meets_control_standard"].loc[["P1", "P2"]].tolist() == [False, False]
    assert out["meets_control_standard"].loc[["P3", "P4"]].isna().all()  # not industrial land
