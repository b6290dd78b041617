"""geodata.generate: the deterministic parcel generator and its command line."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from hypothesis import given, settings
from hypothesis import strategies as st

import geodata
from core.errors import ConfigError
from geodata.generate import generate_parcels, main
from parcels.schema import CANONICAL_FIELDS, LAND_USES

METRIC = "EPSG:4548"
SQM_PER_MU = 10000 / 15
NAMED = ("金鹭特种", "夏顺铝箔", "民兴工业", "信华塑胶")


@pytest.fixture(scope="module")
def embedded() -> gpd.GeoDataFrame:
    return geodata.read_layer("parcels")


@pytest.fixture(scope="module")
def big() -> gpd.GeoDataFrame:
    return generate_parcels(20_000)


def _assert_disjoint(frame: gpd.GeoDataFrame) -> None:
    """No two parcels overlap: the areas add up to the area of their union."""
    geoms = frame.to_crs(METRIC).geometry.values
    total = float(shapely.area(geoms).sum())
    union = float(shapely.union_all(geoms).area)
    assert total == pytest.approx(union, rel=1e-9, abs=1e-3)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pair = left < right
    # neighbours may touch along a clipped edge; what they share is at most a hair (< 0.01 m²)
    shared = shapely.area(shapely.intersection(geoms[left[pair]], geoms[right[pair]]))
    assert shared.max(initial=0.0) < 0.01


def _assert_schema(frame: gpd.GeoDataFrame) -> None:
    assert list(frame.columns) == [f.name for f in CANONICAL_FIELDS] + ["geometry"]
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    for f in CANONICAL_FIELDS:
        dtype = frame[f.name].dtype
        if f.kind == "date":
            assert dtype == "datetime64[ms]", f.name
        elif f.kind == "int":
            assert isinstance(dtype, pd.Int64Dtype), f.name
        elif f.kind == "float":
            assert dtype == "float64", f.name
        elif f.kind == "bool":
            assert isinstance(dtype, pd.BooleanDtype), f.name
        else:
            assert pd.api.types.is_string_dtype(dtype), f.name
    assert frame["parcel_id"].is_unique
    assert set(frame["land_use"]) <= set(LAND_USES)
    assert set(frame["zone_id"]) <= {"", "hq", "incubation", "demonstration"}
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    assert frame.geometry.is_valid.all()


@pytest.mark.parametrize("n", [1, 7, 600, 20_000])
def test_n_is_respected(n: int, big: gpd.GeoDataFrame) -> None:
    frame = big if n == 20_000 else generate_parcels(n)
    assert len(frame) == n
    _assert_schema(frame)
    _assert_disjoint(frame)


def test_zero_gives_an_empty_frame_with_the_schema() -> None:
    frame = generate_parcels(0)
    assert len(frame) == 0
    _assert_schema(frame)


@pytest.mark.parametrize("bad", [-1, 2.5, "10", True])
def test_bad_n_is_refused(bad: object) -> None:
    with pytest.raises(ConfigError, match="n must be a whole number"):
        generate_parcels(bad)  # type: ignore[arg-type]


def test_same_seed_same_output() -> None:
    assert_geodataframe_equal(generate_parcels(250, seed=11), generate_parcels(250, seed=11))


def test_other_seed_other_output() -> None:
    a, b = generate_parcels(250, seed=11), generate_parcels(250, seed=12)
    assert not a["output_value"].equals(b["output_value"])
    assert not shapely.equals(a.geometry.values, b.geometry.values).all()


@settings(max_examples=8, deadline=None)
@given(n=st.integers(min_value=1, max_value=60), seed=st.integers(min_value=0, max_value=2**31))
def test_any_seed_gives_n_disjoint_parcels(n: int, seed: int) -> None:
    frame = generate_parcels(n, seed=seed)
    assert len(frame) == n
    _assert_disjoint(frame)


def test_embedded_parcels_are_the_generator_default(embedded: gpd.GeoDataFrame) -> None:
    assert len(embedded) == 600
    zones = geodata.read_layer("zones").to_crs(METRIC).set_index("zone_id").geometry
    parcels = embedded.to_crs(METRIC)
    # every embedded parcel lies inside the zone it was generated in (to a square centimetre)
    outside = shapely.area(shapely.difference(parcels.geometry.values, zones.loc[parcels["zone_id"]].values))
    assert outside.max() < 1e-4
    _assert_disjoint(embedded)


def test_the_four_named_firms(embedded: gpd.GeoDataFrame) -> None:
    incubation = geodata.read_layer("zones").set_index("zone_id").loc["incubation", "geometry"]
    firms = embedded[embedded["enterprise"].isin(NAMED)]
    assert sorted(firms["enterprise"]) == sorted(NAMED)
    assert (firms["land_use"] == "industrial").all()
    assert (firms["zone_id"] == "incubation").all()
    assert firms.geometry.within(incubation).all()  # whole plots, never clipped ones
    for _, row in firms.iterrows():
        start = row["lease_start"].to_pydatetime().date()
        end = start.replace(year=start.year + int(row["lease_years"]))  # by hand
        assert row["lease_end"].to_pydatetime().date() == end
        # expired or ending within ten years as of 2026-01-01 ...
        assert end <= dt.date(2036, 1, 1)
        # ... and so for any as-of date from 2024-01-01 to 2030-12-31
        assert end <= dt.date(2034, 1, 1)
    # every other firm is anonymous
    others = embedded.loc[~embedded["enterprise"].isin(NAMED), "enterprise"]
    assert others.str.match(r"^示例(企业|单位)-\d{4,}$").all()


def test_named_firms_are_in_every_generated_set_from_four(big: gpd.GeoDataFrame) -> None:
    for frame in (generate_parcels(4), big):
        assert set(NAMED) <= set(frame["enterprise"])


def test_realistic_spreads(embedded: gpd.GeoDataFrame) -> None:
    frame = embedded
    area = frame.to_crs(METRIC).area
    starts = frame["lease_start"].dropna()
    assert starts.min() >= pd.Timestamp("1985-01-01")
    assert starts.max() <= pd.Timestamp("2022-12-31")
    assert starts.dt.year.nunique() > 20
    years = frame["lease_years"].dropna()
    assert years.between(20, 50).all()
    assert {20, 50} <= set(years)
    per_mu = frame["output_value"] / (area / SQM_PER_MU)
    assert per_mu.min() < 100
    assert per_mu.max() > 1000
    far = (frame["floor_area"] / area).dropna()
    firm = frame["land_use"].isin(["industrial", "commercial_office", "logistics"])
    far_firm = (frame.loc[firm, "floor_area"] / area[firm]).dropna()
    assert far_firm.between(0.5, 4.0).all()
    assert far.max() <= 4.0
    ratio = (frame["declared_area"] / area).dropna()
    assert ratio.between(0.95, 1.05).all()
    assert area.between(900, 60_000).all()
    # a mix of land uses, mostly industrial in the incubation zone
    inc = frame[frame["zone_id"] == "incubation"]
    assert (inc["land_use"] == "industrial").mean() > 0.5
    assert (inc["land_use"] == "commercial_office").any()
    assert (frame.loc[frame["zone_id"] == "demonstration", "land_use"] == "airport").any()
    # some lease ends are recorded, others are left to derive
    assert 0.5 < frame["lease_end"].notna().mean() < 0.95


def test_some_values_are_missing_never_zero(big: gpd.GeoDataFrame) -> None:
    firm = big[big["land_use"].isin(["industrial", "commercial_office", "logistics"])]
    for col in ("output_value", "tax", "investment", "energy", "rd_expense", "revenue", "employees",
                "floor_area", "declared_area"):
        share = firm[col].isna().mean()
        assert 0.005 < share < 0.10, col
        assert (firm[col].dropna() > 0).all(), col
    assert big["lease_start"].isna().any()
    assert big["lease_years"].isna().any()


def test_big_sets_spill_over_the_district_then_beyond(big: gpd.GeoDataFrame) -> None:
    district = geodata.read_layer("district").geometry.iloc[0]
    zoned = big[big["zone_id"] != ""]
    rest = big[big["zone_id"] == ""]
    assert len(zoned) > 600
    within = rest.geometry.within(district.buffer(1e-9))
    assert within.any() and (~within).any()
    area = big.to_crs(METRIC).area
    assert area.between(900, 60_000).all()
    assert big.loc[big["land_use"] == "residential", "lease_years"].dropna().eq(70).all()


def test_custom_zones_are_used() -> None:
    square = shapely.box(118.150, 24.505, 118.165, 24.515)  # inside the district, away from the default zones
    zones = gpd.GeoDataFrame({"zone_id": ["incubation"]}, geometry=[square], crs=4326)
    frame = generate_parcels(40, zones=zones)
    assert (frame["zone_id"] == "incubation").all()
    metric = frame.to_crs(METRIC).geometry.values
    box_m = gpd.GeoSeries([square], crs=4326).to_crs(METRIC).iloc[0]
    assert shapely.area(shapely.difference(metric, box_m)).max() < 1e-4
    assert set(NAMED) <= set(frame["enterprise"])


@pytest.mark.parametrize(
    ("zones", "match"),
    [
        (gpd.GeoDataFrame({"zone_id": ["hq"]}, geometry=[shapely.box(0, 0, 1, 1)]), "no CRS"),
        (gpd.GeoDataFrame({"name": ["hq"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4326), "zone_id"),
    ],
)
def test_bad_zone_layer(zones: gpd.GeoDataFrame, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        generate_parcels(5, zones=zones)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".zip", ".shp", ".csv"])
def test_cli_writes_every_format(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"parcels{suffix}"
    assert main(["--parcels", "25", "--out", str(out), "--seed", "3"]) == 0
    assert "25 parcels" in capsys.readouterr().out
    expected = generate_parcels(25, seed=3)
    if suffix == ".csv":
        table = pd.read_csv(out, encoding="utf-8-sig")
        geoms = shapely.from_wkt(table["geometry"])
        assert len(table) == 25
        assert list(table.columns) == [f.name for f in CANONICAL_FIELDS] + ["geometry"]
        assert shapely.equals_exact(geoms, expected.geometry.values, tolerance=1e-6).all()
        return
    if suffix == ".zip":
        with zipfile.ZipFile(out) as zf:
            assert {"parcels.shp", "parcels.dbf", "parcels.shx", "parcels.prj", "parcels.cpg"} <= set(zf.namelist())
        return
    back = pyogrio.read_dataframe(out)
    assert len(back) == 25
    assert sorted(back["enterprise"]) == sorted(expected["enterprise"])
    if suffix == ".shp":
        # long names become the schema's pinyin aliases, which fit dBASE's 10 bytes
        assert {"gyzcz", "zdmj", "crrq", "crnx", "ghyt"} <= set(back.columns)
        assert all(len(c.encode()) <= 10 for c in back.columns)


def test_cli_refuses_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--parcels", "3", "--out", str(tmp_path / "p.xyz")]) == 2
    assert ".gpkg" in capsys.readouterr().err


def test_cli_refuses_negative_n(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--parcels", "-3", "--out", str(tmp_path / "p.gpkg")]) == 2
    assert "0 or more" in capsys.readouterr().err
    assert not (tmp_path / "p.gpkg").exists()
