"""geodata.get_path / read_layer: the registry of shipped files and the GeoPackage layers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

import geodata
from core.errors import PlanningError
from parcels.schema import CANONICAL_FIELDS


def test_get_path_points_at_the_shipped_geopackage() -> None:
    path = geodata.get_path("huli")
    assert path.name == "huli.gpkg"
    assert path.is_file()
    assert path.stat().st_size < 5 * 1024 * 1024


def test_get_path_accepts_the_file_name() -> None:
    assert geodata.get_path("huli.gpkg") == geodata.get_path("huli")


@pytest.mark.parametrize("name", ["nope", "", "HULI", "parcels"])
def test_unknown_name_lists_valid_names(name: str) -> None:
    with pytest.raises(geodata.DatasetNotFoundError, match=r"Valid names: 'huli', 'readme'") as info:
        geodata.get_path(name)
    err = info.value
    assert isinstance(err, PlanningError)
    assert isinstance(err, KeyError)
    assert "可用名称" in err.message_zh


def test_unknown_layer_lists_valid_layers() -> None:
    with pytest.raises(KeyError, match=r"district.*context.*zones.*airport.*runway.*parcels"):
        geodata.read_layer("roads")


def test_every_layer_is_in_the_file_in_epsg_4326() -> None:
    names = [str(row[0]) for row in pyogrio.list_layers(geodata.get_path("huli"))]
    assert names == list(geodata.LAYERS)
    for name in geodata.LAYERS:
        frame = geodata.read_layer(name)
        assert len(frame) > 0, name
        assert frame.crs is not None and frame.crs.to_epsg() == 4326, name
        assert frame.geometry.name == "geometry", name


@pytest.mark.parametrize(
    ("layer", "columns"),
    [
        ("district", ["adcode", "name_zh", "name_en", "area_km2", "source"]),
        ("context", ["adcode", "name_zh", "name_en", "area_km2", "source"]),
        ("zones", ["zone_id", "name_zh", "name_en", "carriers_zh", "carriers_en", "policy_zh", "policy_en"]),
        ("airport", ["name_zh", "name_en", "area_ha", "source"]),
        ("runway", ["designator", "length_m", "width_m", "true_bearing_deg", "elevation_m", "arp_lon",
                    "arp_lat", "source"]),
        ("parcels", [f.name for f in CANONICAL_FIELDS]),
    ],
)
def test_layer_columns(layer: str, columns: list[str]) -> None:
    frame = geodata.read_layer(layer)
    missing = [c for c in columns if c not in frame.columns]
    assert missing == []


def test_parcels_layer_has_canonical_dtypes() -> None:
    frame = geodata.read_layer("parcels")
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


def test_dataset_says_it_is_illustrative() -> None:
    info = pyogrio.read_info(geodata.get_path("huli"), layer="parcels")
    assert "示意" in (info["layer_metadata"] or {}).get("DESCRIPTION", "")
    import sqlite3

    con = sqlite3.connect(geodata.get_path("huli"))
    try:
        (text,) = con.execute("select group_concat(metadata, ' ') from gpkg_metadata").fetchone()
    finally:
        con.close()
    assert "示意数据" in text
    assert "Illustrative" in text


def test_import_is_cheap() -> None:
    code = "import sys, geodata; print(sorted(m for m in ('geopandas', 'pyogrio', 'shapely') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "[]"


def test_reading_leaves_the_embedded_folder_untouched() -> None:
    folder = geodata.get_path("huli").parent
    before = sorted(p.name for p in folder.iterdir())
    for name in ("zones", "parcels"):
        geodata.read_layer(name)
    assert sorted(p.name for p in folder.iterdir()) == before
