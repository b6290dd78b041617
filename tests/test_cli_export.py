"""``python -m analysis export``: each layer through the real analysis into real files."""

from __future__ import annotations

import datetime as dt
import importlib.util
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
from test_analysis_export import _parcels, check_rfc7946

from analysis import cli
from analysis._export_layers import LAYERS
from analysis.export import FORMATS
from parcels.schema import CANONICAL_FIELDS, DERIVED_FIELDS

HAS_SCENARIOS = importlib.util.find_spec("analysis.scenario") is not None and (
    importlib.util.find_spec("analysis.scenario_io") is not None
)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["export", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_choices_match_the_module() -> None:
    assert set(cli._EXPORT_FORMATS) == set(FORMATS)
    assert set(cli._EXPORT_LAYERS) == set(LAYERS)


def test_zones_as_rfc7946(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "zones.geojson"
    code, stdout, _ = _run(capsys, "--layer", "zones", "--format", "geojson", "--out", str(out))
    assert code == 0 and "zones" in stdout
    doc = check_rfc7946(out.read_bytes())
    assert {f["properties"]["zone_id"] for f in doc["features"]} == {"hq", "incubation", "demonstration"}


def test_parcels_with_every_field_in_a_metric_gpkg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "parcels.gpkg"
    code, _, err = _run(capsys, "--layer", "parcels", "--format", "gpkg", "--crs", "EPSG:4548",
                        "--as-of", "2026-01-01", "--out", str(out))
    assert code == 0, err
    info = pyogrio.read_info(out, layer="parcels")
    assert info["crs"] == "EPSG:4548"
    fields = set(info["fields"])
    for spec in CANONICAL_FIELDS + DERIVED_FIELDS:
        if spec.name not in ("height_limit_m", "buildable_floor_area_m2") or spec.name in fields:
            assert spec.name in fields, spec.name
    got = pyogrio.read_dataframe(out, layer="parcels")
    assert got["parcel_id"].is_unique and len(got) > 0
    # remaining years from the exported lease end and the as-of date, computed here
    have = got.dropna(subset=["lease_end"])
    expected = (have["lease_end"] - pd.Timestamp("2026-01-01")).dt.days / 365.25
    np.testing.assert_allclose(have["remaining_years"], expected, rtol=1e-9)
    # area in mu from the geometry measured here in EPSG:4548
    np.testing.assert_allclose(got["area_mu"], got.geometry.area * 15 / 10000, rtol=1e-4)


def test_own_parcel_file_as_gbk_shapefile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _parcels()[[f.name for f in CANONICAL_FIELDS] + ["geometry"]]
    src = tmp_path / "mine.gpkg"
    source.to_file(src, layer="parcels", driver="GPKG")
    out = tmp_path / "mine.zip"
    code, _, err = _run(capsys, "--layer", "parcels", "--format", "shp", "--encoding", "gbk", "--parcels", str(src),
                        "--as-of", "2026-01-01", "--out", str(out))
    assert code == 0, err
    with zipfile.ZipFile(out) as zf:
        assert zf.read("parcels.cpg").decode().strip() == "GBK"
    got = pyogrio.read_dataframe(f"/vsizip/{out}/parcels.shp")
    assert sorted(got["parcel_id"]) == sorted(source["parcel_id"])
    assert "厦门湖里智能网联汽车有限公司" in set(got["enterprise"])
    assert {"rem_years", "expiry_st", "eff_class"} <= set(got.columns)


def test_parcels_csv_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"p.{fmt}"
        code, _, err = _run(capsys, "--layer", "parcels", "--format", fmt, "--as-of", "2026-01-01", "--out", str(out))
        assert code == 0, err
    table = pd.read_csv(tmp_path / "p.csv", encoding="utf-8-sig")
    assert {"宗地编号", "面积（亩）", "剩余年限（年）", "WKT"} <= set(table.columns)


def test_height_limit_as_geotiff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "height_limit.tif"
    code, _, err = _run(capsys, "--layer", "height_limit", "--format", "tif", "--out", str(out))
    if not HAS_SCENARIOS:
        assert code == 2 and "analysis.scenario" in err
        return
    assert code == 0, err
    with rasterio.open(out) as ds:
        assert ds.crs.to_epsg() == 4548 and ds.nodata is not None
        values = ds.read(1, masked=True)
    # the runway strip is capped at 0 m; the highest surface (approach, horizontal section)
    # is 60 m (2 % x 3000 m) + 90 m (2.5 % x 3600 m) = 150 m
    assert float(values.min()) == 0.0 and float(values.max()) <= 150.0 + 1e-3


@pytest.mark.parametrize("layer", ["released_land", "test_roads"])
def test_scenario_layers(tmp_path: Path, capsys: pytest.CaptureFixture[str], layer: str) -> None:
    out = tmp_path / f"{layer}.gpkg"
    code, _, err = _run(capsys, "--layer", layer, "--format", "gpkg", "--scenario", "on_schedule", "--year", "2035",
                        "--as-of", "2026-01-01", "--out", str(out))
    if not HAS_SCENARIOS:
        assert code == 2 and "analysis.scenario" in err
        return
    assert code == 0, err
    got = gpd.read_file(out)
    assert len(got) > 0 and got.crs.to_epsg() == 4326


def test_all_layers_in_one_gpkg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.gpkg"
    code, _, err = _run(capsys, "--layer", "all", "--format", "gpkg", "--crs", "4490", "--as-of",
                        str(dt.date(2026, 1, 1)), "--out", str(out))
    assert code == 0, err
    assert [name for name, _ in pyogrio.list_layers(out)] == ["zones", "parcels"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--layer", "released_land", "--format", "gpkg", "--out", "x.gpkg"], "--scenario"),
        (["--layer", "zones", "--format", "geojson", "--crs", "EPSG:4548", "--out", "x.geojson"], "geojson-legacy"),
        (["--layer", "zones", "--format", "gpkg", "--crs", "EPSG:12345678", "--out", "x.gpkg"], "EPSG"),
        (["--layer", "zones", "--format", "gpkg"], "--out"),
        (["--layer", "all", "--format", "shp", "--out", "x.zip"], "gpkg"),
        (["--layer", "zones", "--format", "tif", "--out", "x.tif"], "rasters only"),
        (["--layer", "zones", "--format", "shp", "--out", "x.shp"], ".zip"),
        (["--layer", "zones", "--format", "gpkg", "--scenario", "on_schedule", "--out", "x.gpkg"], "--year"),
    ],
)
def test_bad_requests_exit_2_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                            message: str) -> None:
    argv = [str(tmp_path / a) if a.startswith("x.") else a for a in argv]
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert message in err and "错误" in err


def test_parcels_without_a_crs_read_with_input_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--crs names the output; --parcels-crs, --parcels-encoding ... describe the input layer."""
    source = _parcels()[[f.name for f in CANONICAL_FIELDS] + ["geometry"]].to_crs("EPSG:4548")
    src = tmp_path / "nocrs.csv"
    table = pd.DataFrame(source.drop(columns="geometry"))
    table["wkt"] = source.geometry.to_wkt()
    table.to_csv(src, index=False, encoding="gbk")
    out = tmp_path / "mine.geojson"
    code, _, err = _run(capsys, "--layer", "parcels", "--format", "geojson", "--parcels", str(src),
                        "--as-of", "2026-01-01", "--out", str(out))
    assert code == 2 and "--crs" in err  # no CRS in a CSV: the reader asks for one
    code, _, err = _run(capsys, "--layer", "parcels", "--format", "geojson", "--parcels", str(src),
                        "--parcels-crs", "EPSG:4548", "--parcels-encoding", "gbk", "--as-of", "2026-01-01",
                        "--out", str(out))
    assert code == 0, err
    got = gpd.read_file(out)
    assert sorted(got["parcel_id"]) == sorted(source["parcel_id"])
    assert set(source["enterprise"].dropna()) <= set(got["enterprise"].dropna())  # GBK text read back intact
    # positions: the EPSG:4548 input lands where pyproj puts it in lon/lat
    want = source.to_crs(4326).set_index("parcel_id").geometry.bounds
    have = got.set_index("parcel_id").geometry.bounds.reindex(want.index)
    assert float(np.max(np.abs(have.to_numpy() - want.to_numpy()))) < 1e-6


def test_input_options_need_a_parcel_layer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "--layer", "parcels", "--format", "geojson", "--parcels-crs", "EPSG:4548",
                        "--out", str(tmp_path / "x.geojson"))
    assert code == 2 and "--parcels-crs" in err and "--parcels" in err
