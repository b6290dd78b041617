"""``python -m analysis validate PATH``: prints the report, exit 0 usable / 2 unusable, writes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pyproj
import pytest
import shapely

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _layer(tmp_path: Path) -> Path:
    """A GeoPackage in EPSG:4548 near Huli: a good parcel, a bow-tie, a null geometry."""
    x, y = pyproj.Transformer.from_crs(4326, 4548, always_xy=True).transform(118.1, 24.5)
    gdf = gpd.GeoDataFrame(
        {"宗地编号": ["H-1", "H-2", "H-3"], "土地用途": ["1001", "B2", "??"]},
        geometry=[
            shapely.box(x, y, x + 50, y + 50),
            shapely.Polygon([(x, y), (x + 50, y + 50), (x + 50, y), (x, y + 50)]),
            None,
        ],
        crs="EPSG:4548",
    )
    path = tmp_path / "in" / "parcels.gpkg"
    path.parent.mkdir()
    pyogrio.write_dataframe(gdf, path, layer="宗地")
    return path


@pytest.fixture()
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_usable_layer_exit_0(tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _layer(tmp_path)
    before_in = _tree(path.parent)
    assert main(["validate", str(path), "--layer", "宗地"]) == 0
    out = capsys.readouterr().out
    assert "EPSG:4548" in out
    for code in ("invalid_geometry_repaired", "missing_geometry", "unknown_land_use"):
        assert code in out
    assert "row      3  H-3" in out  # row number and parcel id of the null geometry
    assert _tree(cwd) == set()  # writes nothing
    assert _tree(path.parent) == before_in


def test_points_exit_2_with_reason(tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "pts.csv"
    path.write_text("id,lon,lat\na,118.1,24.5\n", encoding="utf-8")
    assert main(["validate", str(path), "--crs", "EPSG:4326"]) == 2
    captured = capsys.readouterr()
    assert "non_polygon_geometry" in captured.out
    assert "polygon layer" in captured.err
    assert _tree(cwd) == set()


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("empty.gpkg", b"", "is empty"),
        ("image.shp", b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "not a Shapefile"),
        ("notes.geojson", b"hello", "not JSON"),
        ("bad.zip", b"PK\x03\x04 truncated", "not a readable zip"),
    ],
)
def test_bad_files_exit_2(
    tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, match: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert match in err and "Traceback" not in err
    assert _tree(cwd) == set()


def test_traversal_zip_exit_2(tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../evil.txt", "x")
        zf.writestr("p.shp", "x")
    assert main(["validate", str(path)]) == 2
    assert "climbs out of the folder" in capsys.readouterr().err
    assert not (tmp_path / "evil.txt").exists() and _tree(cwd) == set()


def test_missing_crs_exit_2_with_hint(tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    x, y = pyproj.Transformer.from_crs(4326, 4548, always_xy=True).transform(118.1, 24.5)
    path = tmp_path / "nocrs.csv"
    path.write_text(f'id,wkt\na,"{shapely.box(x, y, x + 9, y + 9).wkt}"\n', encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "EPSG:4548" in capsys.readouterr().err
    assert main(["validate", str(path), "--crs", "EPSG:4548"]) == 0


def test_missing_path_exit_2(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no-such-file.gpkg"]) == 2
    assert "File not found" in capsys.readouterr().err


def test_real_process_no_traceback(tmp_path: Path, cwd: Path) -> None:
    bad = tmp_path / "truncated.gpkg"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", str(bad)],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False,
    )
    assert proc.returncode == 2
    assert "cannot be read as a GIS layer" in proc.stderr
    assert "Traceback" not in proc.stderr
    good = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", str(_layer(tmp_path))],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False,
    )
    assert good.returncode == 0, good.stderr
    assert "missing_geometry" in good.stdout
    assert _tree(cwd) == set()


def test_zip_bomb_exit_2(tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import Settings

    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("p.shp", b"\0" * (2 * 1024 * 1024))
    monkeypatch.setattr("parcels.archive.get_settings", lambda: Settings(max_unpacked_mb=1))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "zip bomb" in err and "Traceback" not in err
    assert _tree(cwd) == set()


def test_gcj02_flag_declares_amap_coordinates(tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gdf = gpd.GeoDataFrame({"宗地编号": ["G-1"]}, geometry=[shapely.box(118.105, 24.505, 118.106, 24.506)], crs="EPSG:4326")
    path = tmp_path / "amap.geojson"
    pyogrio.write_dataframe(gdf, path)
    assert main(["validate", str(path)]) == 0
    assert "GCJ-02" not in capsys.readouterr().out
    assert main(["validate", str(path), "--gcj02"]) == 0
    assert "(GCJ-02)" in capsys.readouterr().out


def test_override_crs_flag_replaces_a_wrong_prj(tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _layer(tmp_path)  # truly EPSG:4548; relabel it as the neighbouring zone, EPSG:4547
    frame = pyogrio.read_dataframe(path, layer="宗地").set_crs("EPSG:4547", allow_override=True)
    wrong = tmp_path / "wrong.gpkg"
    pyogrio.write_dataframe(frame, wrong, layer="宗地")
    assert main(["validate", str(wrong), "--crs", "EPSG:4548"]) == 2
    assert "--override-crs" in capsys.readouterr().err
    assert main(["validate", str(wrong), "--crs", "EPSG:4548", "--override-crs"]) == 0
    out = capsys.readouterr().out
    assert "坐标系 / CRS: EPSG:4548" in out and "crs_overridden" in out


def test_layer_outside_the_district_is_reported(tmp_path: Path, cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's case: one parcel in Beijing (116.4 E, 39.9 N), a GeoJSON in lon/lat."""
    path = tmp_path / "beijing.geojson"
    gpd.GeoDataFrame({"宗地编号": ["BJ-1"], "土地用途": ["1001"]},
                     geometry=[shapely.box(116.4, 39.9, 116.402, 39.902)], crs="EPSG:4326").to_file(path)
    assert main(["validate", str(path)]) == 0  # a warning: the parcel is kept
    out = capsys.readouterr().out
    assert "outside_district" in out
    assert "1 宗地块不在区界范围内（含边距），已保留：第 1 行" in out
    assert "1 parcel(s) lie outside the district (margin included), kept: rows 1" in out


def test_district_layers_are_not_outside(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import geodata

    assert main(["validate", str(geodata.get_path("huli")), "--layer", "parcels"]) == 0
    assert main(["validate", str(_layer_near_huli(cwd))]) == 0
    assert "outside_district" not in capsys.readouterr().out


def _layer_near_huli(folder: Path) -> Path:
    x, y = pyproj.Transformer.from_crs(4326, 4548, always_xy=True).transform(118.1, 24.5)
    path = folder / "huli.gpkg"
    gpd.GeoDataFrame({"宗地编号": ["H-1"]}, geometry=[shapely.box(x, y, x + 50, y + 50)], crs="EPSG:4548").to_file(path)
    return path
