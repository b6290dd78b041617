"""``python -m analysis run``: files written, RFC 7946 output read back by GDAL, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from shapely.geometry import Polygon, box

from analysis.cli import main
from parcels.schema import CANONICAL_FIELDS, DERIVED_FIELDS

ROOT = Path(__file__).resolve().parents[1]
X0, Y0 = 611_500.0, 2_711_100.0  # EPSG:4548 metres near 118.10E 24.50N


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    zones = gpd.GeoDataFrame(
        {"zone_id": ["hq", "incubation", "demonstration"]},
        geometry=[box(X0 + 1000 * i, Y0, X0 + 1000 * (i + 1), Y0 + 1000) for i in range(3)],
        crs="EPSG:4548",
    )
    parcels = gpd.GeoDataFrame(
        {
            "宗地编号": ["A1", "A2", "A3", "A4"],
            "权利人": ["甲", "金鹭特种", "乙", "丙"],
            "土地用途": ["工业用地", "M1", "商务金融用地", "机场用地"],
            "出让日期": ["2003-05-12", "1996-03-01", "2012-01-01", None],
            "出让年限": [50, 30, 40, None],
            "工业总产值": [12000.0, 800.0, None, None],
            "实缴税金": [600.0, 40.0, None, None],
        },
        geometry=[
            # clockwise exterior with a clockwise hole: the writer must reorient both
            Polygon(
                [(X0 + 100, Y0 + 100), (X0 + 100, Y0 + 300), (X0 + 300, Y0 + 300), (X0 + 300, Y0 + 100)],
                [[(X0 + 150, Y0 + 150), (X0 + 150, Y0 + 200), (X0 + 200, Y0 + 200), (X0 + 200, Y0 + 150)]],
            ),
            box(X0 + 1100, Y0 + 100, X0 + 1200, Y0 + 200),
            box(X0 + 1300, Y0 + 100, X0 + 1400, Y0 + 200),
            box(X0 + 2100, Y0 + 100, X0 + 2200, Y0 + 200),
        ],
        crs="EPSG:4548",
    )
    zpath, ppath = tmp_path / "zones.gpkg", tmp_path / "parcels.gpkg"
    zones.to_file(zpath, engine="pyogrio")
    parcels.to_file(ppath, engine="pyogrio")
    return ppath, zpath


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace formula: positive for counter-clockwise rings (lon/lat plane)."""
    xy = np.asarray(ring, dtype=float)
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


@pytest.fixture
def run_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    ppath, zpath = _inputs(tmp_path)
    out = tmp_path / "out"
    code = main(["run", "--parcels", str(ppath), "--zones", str(zpath), "--as-of", "2025-06-30", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert "analysed 4 parcels" in capsys.readouterr().out
    return out


def test_writes_the_four_files(run_out: Path) -> None:
    for name in ("parcels.geojson", "zones.geojson", "summary.json", "validation.json"):
        assert (run_out / name).is_file(), name


def test_parcels_geojson_is_rfc7946(run_out: Path) -> None:
    text = (run_out / "parcels.geojson").read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert len(doc["features"]) == 4
    for feature in doc["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for rings in polygons:
            for k, ring in enumerate(rings):
                coords = np.asarray(ring)
                assert ((coords[:, 0] >= -180) & (coords[:, 0] <= 180)).all()
                assert ((coords[:, 1] >= -90) & (coords[:, 1] <= 90)).all()
                assert 117 < coords[:, 0].min() and coords[:, 0].max() < 119  # lon first, not lat
                area = _signed_area(ring)
                assert area > 0 if k == 0 else area < 0  # exterior CCW, holes CW
    # at most 7 decimals in every coordinate
    numbers = re.findall(r"-?\d+\.(\d+)", json.dumps([f["geometry"] for f in doc["features"]]))
    assert numbers and max(len(n) for n in numbers) <= 7
    props = {f["properties"]["parcel_id"]: f["properties"] for f in doc["features"]}
    assert props["A2"]["lease_end"].startswith("2026-03-01")
    assert props["A2"]["recommendation"] == "reserve_industrial"
    assert props["A4"]["lease_end"] is None  # NaT -> null
    assert props["A4"]["output_per_mu"] is None  # NaN -> null
    assert props["A1"]["zone_id"] == "hq"


def test_gdal_reads_back_every_field(run_out: Path) -> None:
    back = pyogrio.read_dataframe(run_out / "parcels.geojson")
    expected = {f.name for f in CANONICAL_FIELDS + DERIVED_FIELDS}
    assert expected <= set(back.columns)
    assert len(back) == 4
    assert back.crs.to_epsg() == 4326


def test_zones_geojson_carries_summaries(run_out: Path) -> None:
    doc = json.loads((run_out / "zones.geojson").read_text(encoding="utf-8"))
    assert "crs" not in doc
    props = {f["properties"]["zone_id"]: f["properties"] for f in doc["features"]}
    assert set(props) == {"hq", "incubation", "demonstration"}
    assert props["incubation"]["parcel_count"] == 2
    assert props["hq"]["name_zh"] == "汽车电子总部经济区"
    assert props["hq"]["area_mu"] == pytest.approx((200 * 200 - 50 * 50) / (10000 / 15), rel=1e-3)


def test_summary_and_validation(run_out: Path) -> None:
    summary = json.loads((run_out / "summary.json").read_text(encoding="utf-8"))
    assert summary["as_of"] == "2025-06-30"
    assert summary["district"]["parcel_count"] == 4
    assert summary["zones"]["incubation"]["reserve_parcels"] == 1
    validation = json.loads((run_out / "validation.json").read_text(encoding="utf-8"))
    assert validation["usable"] is True
    assert validation["n_input_rows"] == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2025-13-45"], "YYYY-MM-DD"),
        (["--parcels", "/nonexistent/parcels.gpkg"], "does not exist"),
        (["--zones", "/nonexistent/zones.gpkg"], "does not exist"),
    ],
)
def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    ppath, zpath = _inputs(tmp_path)
    base = {"--parcels": str(ppath), "--zones": str(zpath)}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = ["run", "--out", str(tmp_path / "out")] + [x for kv in base.items() for x in kv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not (tmp_path / "out" / "parcels.geojson").exists()


def test_module_entry_point(tmp_path: Path) -> None:
    ppath, zpath = _inputs(tmp_path)
    out = tmp_path / "cli-out"
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--parcels", str(ppath), "--zones", str(zpath),
         "--as-of", "2025-06-30", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "parcels.geojson").is_file()


def test_embedded_data_when_no_parcels_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "embedded"
    assert main(["run", "--as-of", "2025-06-30", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["district"]["parcel_count"] > 0
    assert "示意数据" in summary["data"]["parcels"]
    doc = json.loads((out / "parcels.geojson").read_text(encoding="utf-8"))
    names = {f["properties"]["enterprise"]: f["properties"]["recommendation"] for f in doc["features"]}
    assert names["金鹭特种"] == "reserve_industrial"


def test_write_outputs_adds_rasters_and_extras(tmp_path: Path) -> None:
    import rasterio
    from affine import Affine

    from analysis.run import run_analysis, write_outputs
    from core.raster import Raster

    ppath, zpath = _inputs(tmp_path)
    result = run_analysis(ppath, zpath, as_of="2025-06-30")
    raster = Raster(np.full((4, 5), 45.0, dtype="float32"), Affine(100.0, 0.0, X0, 0.0, -100.0, Y0 + 400), "EPSG:4548",
                         -9999.0, "height_limit")
    extended = replace(result, rasters={"height_limit.tif": raster}, extras={"scenario": {"name": "on_schedule"}})
    written = write_outputs(extended, tmp_path / "out")
    assert tmp_path / "out" / "height_limit.tif" in written
    with rasterio.open(tmp_path / "out" / "height_limit.tif") as ds:
        assert ds.read(1).shape == (4, 5)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"] == {"name": "on_schedule"}


def test_unusable_layer_exits_2_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "points.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"宗地编号":"P1"},'
        '"geometry":{"type":"Point","coordinates":[118.1,24.5]}}]}',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", "--parcels", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "cannot be analysed" in err and "python -m analysis validate" in err
    assert not out.exists()


def test_declared_crs_and_layer_reach_the_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ppath, zpath = _inputs(tmp_path)
    frame = gpd.read_file(ppath)
    bare = tmp_path / "bare.gpkg"
    # the same parcels with no CRS, in a named layer among two
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        pyogrio.write_dataframe(frame.set_crs(None, allow_override=True), bare, layer="宗地")
    pyogrio.write_dataframe(frame.iloc[:1], bare, layer="other")
    out = tmp_path / "out"
    assert main(["run", "--parcels", str(bare), "--zones", str(zpath), "--out", str(out)]) == 2
    capsys.readouterr()
    code = main(["run", "--parcels", str(bare), "--zones", str(zpath), "--layer", "宗地", "--crs", "EPSG:4548",
                 "--as-of", "2025-06-30", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    written = json.loads((out / "parcels.geojson").read_text(encoding="utf-8"))
    assert sorted(f["properties"]["parcel_id"] for f in written["features"]) == ["A1", "A2", "A3", "A4"]


def test_input_options_need_a_parcel_layer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--crs", "EPSG:4548", "--out", str(tmp_path / "out")]) == 2
    assert "--parcels" in capsys.readouterr().err
