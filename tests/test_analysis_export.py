"""Exports: round trips through GDAL/openpyxl/rasterio for every format and CRS.

Expected values come from the fixture frame built here (not from the writer), areas
are compared in EPSG:4548 on both sides, and GeoJSON is checked against RFC 7946 by
a checker written from the RFC's text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pyproj
import pytest
import rasterio
import shapely.geometry
from affine import Affine
from shapely.geometry import MultiPolygon, Polygon

from analysis._export_schema import header, schema_markdown
from analysis._shp_names import SHP_NAMES, shapefile_names
from analysis.export import (
    FORMATS,
    UnknownCRSError,
    export_bytes,
    export_layer,
    export_layers,
    resolve_crs,
    to_geojson_bytes,
)
from analysis.export.labels import LABEL_COLUMNS
from core.errors import ConfigError, CRSError, PlanningError
from core.raster import Raster
from parcels.schema import CANONICAL_FIELDS, DERIVED_FIELDS

ROOT = Path(__file__).resolve().parents[1]
CRSES = ["EPSG:4326", "EPSG:4490", "EPSG:4548"]
D = 0.002  # about 200 m in degrees at Xiamen


def _square(x: float, y: float, size: float = D, *, clockwise: bool = False) -> Polygon:
    ring = [(x, y), (x + size, y), (x + size, y + size), (x, y + size)]
    return Polygon(ring[::-1] if clockwise else ring)


def _parcels() -> gpd.GeoDataFrame:
    """Six parcels near Huli with every canonical and derived field, awkward values included."""
    x0, y0 = 118.10, 24.50
    holed = Polygon(
        [(x0 + 0.01, y0), (x0 + 0.01 + 2 * D, y0), (x0 + 0.01 + 2 * D, y0 + 2 * D), (x0 + 0.01, y0 + 2 * D)],
        # hole given counter-clockwise: the wrong way for RFC 7946
        [[(x0 + 0.01 + D / 2, y0 + D / 2), (x0 + 0.01 + D, y0 + D / 2), (x0 + 0.01 + D, y0 + D),
          (x0 + 0.01 + D / 2, y0 + D)]],
    )
    geoms = [
        _square(x0, y0, clockwise=True),  # clockwise exterior ring
        holed,
        MultiPolygon([_square(x0 + 0.02, y0), _square(x0 + 0.025, y0 + 0.005, clockwise=True)]),
        _square(x0 + 0.03, y0 + 0.01),
        _square(x0 + 0.04, y0 + 0.02, 1.5 * D),
        _square(x0 + 0.05, y0 + 0.03),
    ]
    n = len(geoms)
    data: dict[str, Any] = {
        "parcel_id": ["HL-001", "HL-002", "HL-003", "HL-004", "HL-005", "HL-006"],
        "enterprise": ["厦门湖里智能网联汽车有限公司", "Xiamen Demo Co.", None, "象屿物流", "", "厦门「测试」公司, \"引号\""],
        "land_use": ["industrial", "commercial_office", "logistics", "industrial", "other", "airport"],
        "planned_use": ["industrial", None, "commercial_office", None, "green_open", "airport"],
        "lease_start": pd.array(
            [pd.Timestamp("1995-03-01"), pd.Timestamp("2010-12-31"), pd.NaT, pd.Timestamp("2001-07-15"),
             pd.NaT, pd.Timestamp("1988-01-01")], dtype="datetime64[ms]"),
        "lease_years": pd.array([50, 40, pd.NA, 50, pd.NA, 70], dtype="Int64"),
        "lease_end": pd.array(
            [pd.Timestamp("2045-03-01"), pd.Timestamp("2050-12-31"), pd.NaT, pd.Timestamp("2051-07-15"),
             pd.NaT, pd.Timestamp("2058-01-01")], dtype="datetime64[ms]"),
        "employees": pd.array([120, pd.NA, 35, 0, pd.NA, 4000], dtype="Int64"),
        "zone_id": ["demonstration", "hq", "", "incubation", "", "demonstration"],
    }
    rng = np.random.default_rng(7)
    for spec in CANONICAL_FIELDS + DERIVED_FIELDS:
        if spec.name in data:
            continue
        if spec.kind == "float":
            values = np.round(rng.uniform(-10, 5000, n), 6)
            values[[1, 4]] = np.nan
            data[spec.name] = values
        elif spec.kind == "int":
            data[spec.name] = pd.array([1, pd.NA, 3, 4, 5, 6], dtype="Int64")
        elif spec.kind == "bool":
            data[spec.name] = pd.array([True, False, pd.NA, True, False, pd.NA], dtype="boolean")
        elif spec.kind == "date":
            data[spec.name] = pd.array([pd.Timestamp("2020-01-01")] * n, dtype="datetime64[ms]")
        elif spec.name == "expiry_status":
            data[spec.name] = ["beyond_10y", "beyond_10y", "unknown", "within_10y", "unknown", "expired"]
        elif spec.name == "efficiency_class":
            data[spec.name] = pd.Categorical(["A", "B", "unrated", "D", "unrated", "C"])
        else:
            data[spec.name] = [f"{spec.zh}{i}" if i % 3 else None for i in range(n)]
    data["recommendation_zh"] = ["保留工业用途，提升亩均效益", "转型为研发总部", None, "收储", "开展车路协同测试", "机场搬迁后释放"]
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:4326")


@pytest.fixture
def parcels() -> gpd.GeoDataFrame:
    return _parcels()


# --- helpers: reading back and comparing ------------------------------------------------------


def _kinds() -> dict[str, str]:
    return {f.name: f.kind for f in CANONICAL_FIELDS + DERIVED_FIELDS}


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT


def _assert_same_attributes(got: pd.DataFrame, want: gpd.GeoDataFrame, names: dict[str, str] | None = None,
                            *, empty_is_null: bool = False) -> None:
    """Every column of ``want`` is in ``got`` (under ``names``) with equal values, missing where missing."""
    kinds = _kinds()
    got = got.set_index((names or {}).get("parcel_id", "parcel_id"))
    want = want.set_index("parcel_id")
    assert sorted(got.index) == sorted(want.index)
    got = got.loc[want.index]
    for col in want.columns:
        if col == "geometry":
            continue
        name = (names or {}).get(col, col)
        assert name in got.columns, f"{col} missing (as {name}); have {list(got.columns)}"
        for pid, a, b in zip(want.index, got[name].tolist(), want[col].tolist(), strict=True):
            kind = kinds.get(col, "str")
            if empty_is_null and kind in ("str", "category") and b == "":
                b = None
            if _missing(b):
                assert _missing(a), f"{col}[{pid}]: expected missing, got {a!r}"
                continue
            assert not _missing(a), f"{col}[{pid}]: expected {b!r}, got missing"
            if kind == "date":
                assert pd.Timestamp(a).date() == pd.Timestamp(b).date(), (col, pid, a, b)
            elif kind == "float":
                assert float(a) == pytest.approx(float(b), rel=1e-12, abs=1e-9), (col, pid)
            elif kind == "int":
                assert float(a) == int(b) and float(a).is_integer(), (col, pid, a, b)
            elif kind == "bool":
                assert bool(a) == bool(b) and a in (True, False, 0, 1, 0.0, 1.0), (col, pid, a, b)
            else:
                assert str(a) == str(b), (col, pid, a, b)


def _assert_field_types(info: dict[str, Any], names: dict[str, str] | None = None) -> None:
    """GDAL's field types of the written file match the schema's kinds."""
    types = dict(zip(info["fields"].tolist(), info["dtypes"].tolist(), strict=True))
    expected = {"str": ("object",), "category": ("object",), "int": ("int32", "int64"), "float": ("float64",),
                "date": ("datetime64[D]",), "bool": ("bool",)}
    for col, kind in _kinds().items():
        name = (names or {}).get(col, col)
        assert types[name] in expected[kind], f"{col} ({name}) written as {types[name]}, want {kind}"


def _assert_same_areas(got: gpd.GeoDataFrame, want: gpd.GeoDataFrame, id_col: str = "parcel_id") -> None:
    a = got.set_index(id_col).to_crs("EPSG:4548").area
    b = want.set_index("parcel_id").to_crs("EPSG:4548").area
    np.testing.assert_allclose(a.loc[b.index].to_numpy(), b.to_numpy(), rtol=1e-4)


def _epsg(crs: Any) -> int | None:
    return pyproj.CRS.from_user_input(crs).to_epsg(min_confidence=70)


# --- RFC 7946 checker (written from the RFC's sections 3, 3.1, 3.1.6, 4, 5, 6) -------------


def _reject_constant(token: str) -> None:
    raise AssertionError(f"RFC 8259 JSON has no {token} token")


def _ring_area(ring: list[list[Decimal]]) -> float:
    xy = np.array([[float(p[0]), float(p[1])] for p in ring])
    return 0.5 * float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]))


def _check_position(pos: Any, decimals: int) -> None:
    assert isinstance(pos, list) and len(pos) in (2, 3), f"bad position {pos!r}"
    lon, lat = pos[0], pos[1]
    assert -180 <= lon <= 180 and -90 <= lat <= 90, f"not lon/lat: {pos}"
    for v in pos:
        assert isinstance(v, (int, Decimal)), f"non-number {v!r}"
        if isinstance(v, Decimal):
            assert -v.as_tuple().exponent <= decimals, f"{v} has more than {decimals} decimals"


def _check_polygon(rings: list[Any], decimals: int) -> None:
    assert rings, "a polygon needs an exterior ring"
    for i, ring in enumerate(rings):
        assert len(ring) >= 4 and ring[0] == ring[-1], "a linear ring is closed with >= 4 positions"
        for pos in ring:
            _check_position(pos, decimals)
        area = _ring_area(ring)
        if i == 0:
            assert area > 0, "exterior ring must be counter-clockwise (RFC 7946 3.1.6)"
        else:
            assert area < 0, "holes must be clockwise (RFC 7946 3.1.6)"


def _positions(geom: dict[str, Any]) -> list[Any]:
    coords = geom["coordinates"]
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
             "MultiPolygon": 3}[geom["type"]]
    out = [coords]
    for _ in range(depth):
        out = [p for part in out for p in part]
    return out


def check_rfc7946(raw: bytes, *, decimals: int = 7) -> dict[str, Any]:
    """Assert that ``raw`` is an RFC 7946 FeatureCollection; return it parsed."""
    doc = json.loads(raw.decode("utf-8"), parse_float=Decimal, parse_constant=_reject_constant)
    assert doc["type"] == "FeatureCollection" and isinstance(doc["features"], list)
    assert "crs" not in doc, "RFC 7946 section 4 removed the crs member"
    all_positions: list[Any] = []
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert "crs" not in feature
        assert "properties" in feature and (feature["properties"] is None or isinstance(feature["properties"], dict))
        geom = feature["geometry"]
        if geom is None:
            continue
        assert "crs" not in geom
        if geom["type"] == "Polygon":
            _check_polygon(geom["coordinates"], decimals)
        elif geom["type"] == "MultiPolygon":
            for polygon in geom["coordinates"]:
                _check_polygon(polygon, decimals)
        for pos in _positions(geom):
            _check_position(pos, decimals)
        all_positions.extend(_positions(geom))
    if "bbox" in doc:
        xs = [float(p[0]) for p in all_positions]
        ys = [float(p[1]) for p in all_positions]
        assert [float(v) for v in doc["bbox"]] == pytest.approx([min(xs), min(ys), max(xs), max(ys)], abs=1e-9)
    return doc


# --- RFC 7946 GeoJSON -------------------------------------------------------------------------


def test_geojson_is_rfc7946(parcels: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = export_layer(parcels, tmp_path / "parcels.geojson")
    raw = path.read_bytes()
    doc = check_rfc7946(raw)
    assert len(doc["features"]) == len(parcels)
    # Chinese stays UTF-8 text, no \u escapes
    assert "厦门湖里智能网联汽车有限公司".encode() in raw and b"\\u" not in raw
    props = {f["properties"]["parcel_id"]: f["properties"] for f in doc["features"]}
    assert props["HL-001"]["lease_start"] == "1995-03-01"
    assert props["HL-003"]["lease_start"] is None  # NaT
    assert props["HL-003"]["lease_years"] is None  # <NA>
    assert props["HL-002"]["output_value"] is None  # NaN
    assert props["HL-003"]["low_efficiency"] is None and props["HL-001"]["low_efficiency"] is True
    assert props["HL-004"]["employees"] == 0  # a real zero stays zero
    assert props["HL-006"]["enterprise"] == "厦门「测试」公司, \"引号\""


def test_geojson_round_trip_through_gdal(parcels: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = export_layer(parcels, tmp_path / "parcels.geojson", fmt="geojson")
    got = pyogrio.read_dataframe(path)
    assert _epsg(got.crs) == 4326
    assert len(got) == len(parcels)
    _assert_same_attributes(got, parcels)
    _assert_same_areas(got, parcels)


@pytest.mark.parametrize("crs", ["EPSG:4326", "4326", 4326, "OGC:CRS84"])
def test_geojson_accepts_wgs84_spellings(parcels: gpd.GeoDataFrame, crs: Any) -> None:
    check_rfc7946(export_bytes(parcels, fmt="geojson", crs=crs))


@pytest.mark.parametrize("crs", ["EPSG:4490", "EPSG:4548", 3857])
def test_geojson_refuses_another_crs(parcels: gpd.GeoDataFrame, tmp_path: Path, crs: Any) -> None:
    with pytest.raises(ConfigError, match="geojson-legacy"):
        export_layer(parcels, tmp_path / "x.geojson", fmt="geojson", crs=crs)
    with pytest.raises(ConfigError, match="geojson-legacy"):
        export_bytes(parcels, fmt="geojson", crs=crs)


def test_geojson_reprojects_a_metric_frame_and_fixes_orientation(parcels: gpd.GeoDataFrame) -> None:
    metric = parcels.to_crs("EPSG:4548")
    doc = check_rfc7946(to_geojson_bytes(metric))
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    # lon first, lat second, back at the corner the fixture was built from
    assert min(float(p[0]) for p in ring) == pytest.approx(118.10, abs=1e-6)
    assert min(float(p[1]) for p in ring) == pytest.approx(24.50, abs=1e-6)


def test_geojson_null_and_empty_geometry() -> None:
    frame = gpd.GeoDataFrame({"parcel_id": ["a", "b", "c"]},
                             geometry=[None, Polygon(), _square(118.1, 24.5)], crs="EPSG:4326")
    doc = check_rfc7946(to_geojson_bytes(frame))
    assert doc["features"][0]["geometry"] is None and doc["features"][1]["geometry"] is None
    assert doc["bbox"] == [Decimal("118.1"), Decimal("24.5"), Decimal("118.102"), Decimal("24.502")]


def test_geojson_infinite_values_become_null() -> None:
    frame = gpd.GeoDataFrame({"parcel_id": ["a"], "far": [np.inf], "x": [-np.inf]},
                             geometry=[_square(118.1, 24.5)], crs="EPSG:4326")
    doc = check_rfc7946(to_geojson_bytes(frame))
    assert doc["features"][0]["properties"] == {"parcel_id": "a", "far": None, "x": None}


def test_geojson_rounds_to_seven_decimals() -> None:
    frame = gpd.GeoDataFrame({"parcel_id": ["a"]},
                             geometry=[_square(118.123456789123, 24.987654321987)], crs="EPSG:4326")
    doc = check_rfc7946(to_geojson_bytes(frame))
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    assert Decimal("118.1234568") in [p[0] for p in ring]


# --- legacy GeoJSON, GeoPackage, Shapefile: every CRS -------------------------------------------


@pytest.mark.parametrize("crs", CRSES)
def test_legacy_geojson_names_its_crs(parcels: gpd.GeoDataFrame, tmp_path: Path, crs: str) -> None:
    path = export_layer(parcels, tmp_path / "p.geojson", fmt="geojson-legacy", crs=crs)
    doc = json.loads(path.read_text(encoding="utf-8"))
    code = crs.split(":")[1]
    assert code in doc["crs"]["properties"]["name"] or (code == "4326" and "CRS84" in doc["crs"]["properties"]["name"])
    got = pyogrio.read_dataframe(path)
    assert _epsg(got.crs) == int(code)
    _assert_same_attributes(got, parcels)
    _assert_same_areas(got, parcels)


@pytest.mark.parametrize("crs", CRSES)
def test_gpkg_round_trip(parcels: gpd.GeoDataFrame, tmp_path: Path, crs: str) -> None:
    path = export_layer(parcels, tmp_path / "huli.gpkg", crs=crs, layer="parcels")
    info = pyogrio.read_info(path, layer="parcels")
    assert _epsg(info["crs"]) == int(crs.split(":")[1])
    assert info["features"] == len(parcels)
    _assert_field_types(info)
    got = pyogrio.read_dataframe(path, layer="parcels")
    _assert_same_attributes(got, parcels)
    _assert_same_areas(got, parcels)


def _read_zip(path: Path, layer: str) -> tuple[gpd.GeoDataFrame, dict[str, Any], dict[str, str], zipfile.ZipFile]:
    zf = zipfile.ZipFile(path)
    mapping_text = zf.read("field_names.csv").decode("utf-8-sig")
    names = {row["field"]: row["shapefile_name"] for row in csv.DictReader(io.StringIO(mapping_text))}
    src = f"/vsizip/{path}/{layer}.shp"
    return pyogrio.read_dataframe(src), pyogrio.read_info(src), names, zf


@pytest.mark.parametrize("crs", CRSES)
def test_shapefile_zip_round_trip(parcels: gpd.GeoDataFrame, tmp_path: Path, crs: str) -> None:
    path = export_layer(parcels, tmp_path / "parcels.zip", fmt="shp", crs=crs)
    got, info, names, zf = _read_zip(path, "parcels")
    with zf:
        members = set(zf.namelist())
        assert {"parcels.shp", "parcels.shx", "parcels.dbf", "parcels.prj", "parcels.cpg",
                "field_names.csv"} <= members
        assert zf.read("parcels.cpg").decode().strip().upper() in ("UTF-8", "UTF8")
    assert all(len(n.encode("utf-8")) <= 10 for n in names.values())
    assert names["remaining_years"] == "rem_years"
    assert _epsg(got.crs) == int(crs.split(":")[1])
    _assert_field_types(info, names)
    # dBASE cannot tell an empty text from a missing one
    _assert_same_attributes(got, parcels, names, empty_is_null=True)
    _assert_same_areas(got, parcels, names["parcel_id"])


def test_shapefile_gbk_is_read_without_naming_the_encoding(parcels: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = export_layer(parcels, tmp_path / "gbk.zip", fmt="shp", encoding="gbk", layer="parcels")
    got, _, names, zf = _read_zip(path, "parcels")
    with zf:
        assert zf.read("parcels.cpg").decode().strip().upper() == "GBK"
        raw_dbf = zf.read("parcels.dbf")
    assert "厦门湖里智能网联汽车有限公司".encode("gbk") in raw_dbf
    assert set(got[names["enterprise"]].dropna()) >= {"厦门湖里智能网联汽车有限公司", "象屿物流"}


def test_shapefile_gbk_refuses_text_gbk_cannot_hold(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"parcel_id": ["a"], "enterprise": ["emoji 🚗"]},
                             geometry=[_square(118.1, 24.5)], crs="EPSG:4326")
    with pytest.raises(ConfigError, match="utf-8"):
        export_layer(frame, tmp_path / "x.zip", fmt="shp", encoding="gbk")


def test_shapefile_cuts_text_to_the_dbase_limit(tmp_path: Path) -> None:
    long_text = "湖里区" * 200  # 1800 bytes in UTF-8
    frame = gpd.GeoDataFrame({"parcel_id": ["a"], "policy_zh": [long_text]},
                             geometry=[_square(118.1, 24.5)], crs="EPSG:4326")
    path = export_layer(frame, tmp_path / "x.zip", fmt="shp")
    got, _, _, zf = _read_zip(path, "x")
    zf.close()
    value = got["policy_zh"].iloc[0]
    assert len(value.encode("utf-8")) <= 254 and long_text.startswith(value) and len(value) == 84


def test_shapefile_refuses_a_path_that_is_not_a_zip(parcels: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\.zip"):
        export_layer(parcels, tmp_path / "parcels.shp", fmt="shp")


# --- CSV and XLSX -----------------------------------------------------------------------------


def _csv_back(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read as Excel would (utf-8-sig) and map the Chinese headers back to field names."""
    by_header = {header(c): c for c in columns}
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    table = table.rename(columns=by_header)
    kinds = _kinds()
    out = {}
    for col in table.columns:
        s = table[col].replace("", None)
        kind = kinds.get(col, "str")
        if kind in ("float", "int"):
            out[col] = pd.to_numeric(s)
        elif kind == "bool":
            out[col] = s.map({"true": True, "false": False})
        else:
            out[col] = s
    return pd.DataFrame(out)


@pytest.mark.parametrize("crs", CRSES)
def test_csv_round_trip(parcels: gpd.GeoDataFrame, tmp_path: Path, crs: str) -> None:
    path = export_layer(parcels, tmp_path / "parcels.csv", crs=crs)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    with path.open(encoding="utf-8-sig", newline="") as fh:
        head = next(csv.reader(fh))
    assert "面积（亩）" in head and "工业总产值（万元/年）" in head and "宗地编号" in head and head[-1] == "WKT"
    assert head[head.index("到期状态") + 1] == "到期状态（中文）" and head[head.index("功能区") + 1] == "功能区（中文）"
    table = _csv_back(path, [c for c in parcels.columns if c != "geometry"])
    got = gpd.GeoDataFrame(table.drop(columns="WKT"), geometry=gpd.GeoSeries.from_wkt(table["WKT"]), crs=crs)
    _assert_same_attributes(got, parcels, empty_is_null=True)
    _assert_same_areas(got, parcels)


def test_csv_without_geometry_and_from_a_plain_table(parcels: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = export_layer(parcels, tmp_path / "a.csv", wkt=False)
    assert "WKT" not in path.read_text(encoding="utf-8-sig").splitlines()[0]
    plain = pd.DataFrame({"year": [2026, 2027], "area_mu": [1.5, np.nan]})
    text = export_bytes(plain, fmt="csv").decode("utf-8-sig")
    assert text.splitlines() == ["year,面积（亩）", "2026,1.5", "2027,"]


def test_xlsx_headers_values_and_field_dictionary(parcels: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = export_layer(parcels, tmp_path / "parcels.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["数据", "字段说明"]
    rows = list(book["数据"].iter_rows(values_only=True))
    head = list(rows[0])
    assert "面积（亩）" in head and "出让日期" in head and "geometry" not in head
    assert len(rows) == 1 + len(parcels)
    by_header = {header(c): c for c in [*parcels.columns, *LABEL_COLUMNS.values()]}
    records = pd.DataFrame([dict(zip([by_header[h] for h in head], r, strict=True)) for r in rows[1:]])
    _assert_same_attributes(records, parcels, empty_is_null=True)
    # each code with its Chinese label right after it
    assert head[head.index("土地用途") + 1] == "土地用途（中文）"
    assert records["land_use_zh"].tolist()[:2] == ["工业用地", "商业商务用地"]
    assert records["expiry_status_zh"].tolist()[:4] == ["10年以上", "10年以上", "年限不明", "5–10年内到期"]
    assert records["efficiency_class_zh"].tolist()[:2] == ["A 类 优先发展", "B 类 提升发展"]
    assert records["zone_name_zh"].tolist()[:3] == ["智能网联汽车场景示范区", "汽车电子总部经济区", "功能区外"]
    assert records["planned_use_zh"].iloc[0] == "工业用地" and _missing(records["planned_use_zh"].iloc[1])
    # dates are real Excel dates, not text
    cell = book["数据"].cell(row=2, column=head.index("出让日期") + 1)
    assert cell.is_date
    fields = list(book["字段说明"].iter_rows(values_only=True))
    documented = {r[0] for r in fields[1:]}
    assert documented == {c for c in parcels.columns if c != "geometry"} | set(LABEL_COLUMNS.values())
    remaining = next(r for r in fields if r[0] == "remaining_years")
    assert remaining[2] == "rem_years" and remaining[4] == "年" and remaining[5] == "剩余年限"


# --- multi-layer GeoPackage and bytes for downloads -------------------------------------------


def test_export_layers_puts_several_layers_in_one_gpkg(parcels: gpd.GeoDataFrame, tmp_path: Path) -> None:
    zones = gpd.GeoDataFrame({"zone_id": ["hq"], "name_zh": ["总部经济区"]},
                             geometry=[_square(118.09, 24.49, 0.1)], crs="EPSG:4326")
    path = export_layers({"zones": zones, "parcels": parcels}, tmp_path / "all.gpkg", crs="EPSG:4490")
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == {"zones", "parcels"}
    assert pyogrio.read_dataframe(path, layer="zones")["name_zh"].tolist() == ["总部经济区"]
    assert _epsg(pyogrio.read_info(path, layer="parcels")["crs"]) == 4490
    # writing one more layer keeps the others
    export_layer(zones, path, layer="zones_copy")
    assert {name for name, _ in pyogrio.list_layers(path)} == {"zones", "parcels", "zones_copy"}


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [("geojson", b'{"type":"FeatureCollection"'), ("geojson-legacy", b"{"), ("gpkg", b"SQLite format 3\x00"),
     ("shp", b"PK"), ("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK")],
)
def test_export_bytes(parcels: gpd.GeoDataFrame, fmt: str, magic: bytes) -> None:
    data = export_bytes(parcels, fmt=fmt, layer="parcels")
    assert data.startswith(magic)
    assert FORMATS[fmt].extension.startswith(".") and FORMATS[fmt].mime


def test_export_bytes_of_several_layers_is_a_gpkg(parcels: gpd.GeoDataFrame, tmp_path: Path) -> None:
    data = export_bytes({"a": parcels, "b": parcels.iloc[:2]}, fmt="gpkg")
    (tmp_path / "x.gpkg").write_bytes(data)
    assert [n for n, _ in pyogrio.list_layers(tmp_path / "x.gpkg")] == ["a", "b"]
    with pytest.raises(ConfigError, match="gpkg"):
        export_bytes({"a": parcels}, fmt="shp")


def test_writers_leave_the_input_alone(parcels: gpd.GeoDataFrame, tmp_path: Path) -> None:
    before = parcels.copy()
    for fmt in FORMATS:
        if FORMATS[fmt].kind != "raster":
            export_bytes(parcels, fmt=fmt, crs=None if fmt == "geojson" else "EPSG:4548")
    pd.testing.assert_frame_equal(pd.DataFrame(parcels.drop(columns="geometry")),
                                  pd.DataFrame(before.drop(columns="geometry")))
    assert parcels.geometry.geom_equals_exact(before.geometry, tolerance=0).all()
    assert parcels.crs == before.crs


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["EPSG:999999", "not a crs", "4548x"])
def test_unknown_crs_is_a_config_error(parcels: gpd.GeoDataFrame, tmp_path: Path, bad: str) -> None:
    with pytest.raises(UnknownCRSError, match="EPSG code") as info:
        export_layer(parcels, tmp_path / "x.gpkg", crs=bad)
    assert isinstance(info.value, ConfigError) and isinstance(info.value, CRSError)
    assert info.value.message_zh and "坐标系" in info.value.message_zh


@pytest.mark.parametrize(("value", "epsg"), [("EPSG:4548", 4548), ("4490", 4490), (4326, 4326),
                                             (pyproj.CRS(4548).to_wkt(), 4548)])
def test_resolve_crs(value: Any, epsg: int) -> None:
    assert resolve_crs(value).to_epsg() == epsg


def test_frame_without_crs_is_refused(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[_square(118.1, 24.5)])
    with pytest.raises(CRSError, match="no CRS"):
        export_layer(frame, tmp_path / "x.gpkg")


@pytest.mark.parametrize("name", ["x.dwg", "x"])
def test_unknown_format(parcels: gpd.GeoDataFrame, tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match="Unknown export format"):
        export_layer(parcels, tmp_path / name)


def test_wrong_kind_of_data(parcels: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="rasters only"):
        export_layer(parcels, tmp_path / "x.tif")
    raster = Raster(np.zeros((2, 2), "float32"), Affine(1, 0, 0, 0, -1, 0), "EPSG:4548")
    with pytest.raises(ConfigError, match="tif"):
        export_layer(raster, tmp_path / "x.gpkg")
    with pytest.raises(ConfigError, match="GeoDataFrame"):
        export_layer(pd.DataFrame({"a": [1]}), tmp_path / "x.gpkg")
    with pytest.raises(PlanningError):
        export_layer(raster, tmp_path / "y.tif", crs="EPSG:nope")


# --- GeoTIFF ----------------------------------------------------------------------------------


def _height_raster() -> Raster:
    rows, cols = 300, 400
    yy, xx = np.mgrid[0:rows, 0:cols]
    array = (45.0 + 0.5 * xx + 0.25 * yy).astype("float32")
    array[:10, :10] = -9999.0
    transform = Affine(50.0, 0.0, 600_000.0, 0.0, -50.0, 2_720_000.0)
    return Raster(array, transform, "EPSG:4548", nodata=-9999.0, name="height_limit")


def test_geotiff_round_trip(tmp_path: Path) -> None:
    raster = _height_raster()
    path = export_layer(raster, tmp_path / "height_limit.tif")
    with rasterio.open(path) as ds:
        assert ds.crs.to_epsg() == 4548
        assert ds.transform == raster.transform
        assert ds.nodata == -9999.0
        assert ds.dtypes[0] == "float32"
        np.testing.assert_array_equal(ds.read(1), raster.array)
        assert ds.profile["tiled"] and ds.overviews(1)  # cloud-optimised: tiles and overviews
        assert ds.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert ds.descriptions[0] == "height_limit"


def test_geotiff_refuses_what_is_not_a_raster(tmp_path: Path) -> None:
    raster = _height_raster()
    with pytest.raises(ConfigError, match="Cannot write tuple as GeoTIFF"):
        export_layer((raster.array, raster.transform, raster.crs, raster.nodata), tmp_path / "h.tif")
    assert not list(tmp_path.iterdir())


def test_geotiff_reprojects(tmp_path: Path) -> None:
    raster = _height_raster()
    path = export_layer(raster, tmp_path / "h.tif", crs="EPSG:4326")
    with rasterio.open(path) as ds:
        assert ds.crs.to_epsg() == 4326
        west, south, east, north = ds.bounds
        assert 117 < west < east < 119 and 24 < south < north < 25
        values = ds.read(1)
        valid = values[values != ds.nodata]
        assert valid.min() >= raster.array[raster.array != -9999.0].min()
        assert valid.max() <= raster.array.max()


def test_geotiff_bytes(tmp_path: Path) -> None:
    data = export_bytes(_height_raster(), fmt="tif")
    assert data[:4] in (b"II*\x00", b"MM\x00*")


# --- schema names and documentation ----------------------------------------------------------


def test_shapefile_names_fit_and_are_deterministic() -> None:
    columns = [f.name for f in CANONICAL_FIELDS + DERIVED_FIELDS] + ["name_zh", "carriers_zh", "土地使用权人名称"]
    for encoding in ("utf-8", "gbk"):
        names = shapefile_names(columns, encoding=encoding)
        assert list(names) == columns
        assert all(len(v.encode(encoding)) <= 10 for v in names.values())
        assert len({v.casefold() for v in names.values()}) == len(columns)
        assert names == shapefile_names(columns, encoding=encoding)
    assert shapefile_names(["土地使用权人名称"], encoding="gbk") == {"土地使用权人名称": "土地使用权"}
    assert shapefile_names(["土地使用权人名称"], encoding="utf-8") == {"土地使用权人名称": "土地使"}


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["remaining_years"], ["rem_years"]),
        (["abcdefghijkl", "abcdefghijXX"], ["abcdefghij", "abcdefgh_1"]),
        (["Rem_Years", "remaining_years"], ["Rem_Years", "rem_year_1"]),
        (["short"], ["short"]),
    ],
)
def test_shapefile_name_clashes(columns: list[str], expected: list[str]) -> None:
    assert list(shapefile_names(columns).values()) == expected


def test_every_field_is_documented() -> None:
    doc = (ROOT / "docs" / "export-schema.md").read_text(encoding="utf-8")
    assert doc == schema_markdown(), "docs/export-schema.md is stale: python -m analysis._export_schema > docs/export-schema.md"
    names = shapefile_names([f.name for f in CANONICAL_FIELDS + DERIVED_FIELDS])
    for spec in CANONICAL_FIELDS + DERIVED_FIELDS:
        row = re.search(rf"^\| `{spec.name}` \| `([^`]+)` \|[^\n]*\| {re.escape(spec.zh)} \|", doc, re.M)
        assert row, f"{spec.name} is not documented"
        assert row.group(1) == names[spec.name]
    for long_name, short in SHP_NAMES.items():
        assert len(short.encode()) <= 10, long_name


def test_geojson_repairs_geometry_invalid_after_rounding() -> None:
    # a sliver thinner than 1e-7 degree collapses at 7 decimals; a bow-tie is invalid to begin with
    sliver = Polygon([(118.1, 24.5), (118.101, 24.5), (118.101, 24.50000001), (118.1, 24.50000002)])
    bowtie = Polygon([(118.2, 24.5), (118.202, 24.502), (118.202, 24.5), (118.2, 24.502)])
    frame = gpd.GeoDataFrame({"parcel_id": ["sliver", "bowtie"]}, geometry=[sliver, bowtie], crs="EPSG:4326")
    doc = check_rfc7946(to_geojson_bytes(frame))
    back = [shapely.geometry.shape(f["geometry"]) if f["geometry"] else None
            for f in json.loads(json.dumps(doc, default=float))["features"]]
    assert back[0] is None or back[0].is_empty or back[0].is_valid
    # two triangles, each half of 0.002 x 0.001 degrees
    assert back[1].is_valid and back[1].area == pytest.approx(2 * 0.5 * 0.002 * 0.001, rel=1e-3)


def test_a_failed_export_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "x.zip"
    target.write_bytes(b"old")
    frame = gpd.GeoDataFrame({"parcel_id": ["a"], "enterprise": ["emoji 🚗"]},
                             geometry=[_square(118.1, 24.5)], crs="EPSG:4326")
    with pytest.raises(ConfigError):
        export_layer(frame, target, fmt="shp", encoding="gbk")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.zip"]


def test_the_gis_formats_carry_the_codes_only(parcels: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = export_layer(parcels, tmp_path / "parcels.gpkg")
    columns = set(pyogrio.read_info(path)["fields"])
    assert "land_use" in columns and not columns & set(LABEL_COLUMNS.values())


def test_labels_keep_an_unknown_code_and_leave_a_missing_one_empty() -> None:
    from analysis.export.labels import with_labels

    frame = pd.DataFrame({"land_use": ["industrial", "quarry", None], "zone_id": [None, "hq", "lab"]})
    out = with_labels(frame)
    assert list(out.columns) == ["land_use", "land_use_zh", "zone_id", "zone_name_zh"]
    assert out["land_use_zh"].tolist() == ["工业用地", "quarry", pd.NA]
    assert out["zone_name_zh"].tolist() == ["功能区外", "汽车电子总部经济区", "lab"]
    assert frame.columns.tolist() == ["land_use", "zone_id"]  # the input is not changed



def test_reasons_and_industries_are_worded_in_chinese_beside_them() -> None:
    from analysis.export.labels import with_labels

    frame = pd.DataFrame({
        "industry_code": ["39", "36", "99", None],
        "efficiency_reason": ["not industrial land", "missing output_value; zero or negative employees", "", None],
    })
    out = with_labels(frame)
    assert list(out.columns) == ["industry_code", "industry_name_zh", "efficiency_reason", "efficiency_reason_zh"]
    assert out["industry_name_zh"].tolist() == ["计算机、通信和其他电子设备制造业", "汽车制造业", "99", pd.NA]
    assert out["efficiency_reason_zh"].tolist() == ["非工业用地，不参与亩均评价", "缺少工业总产值；从业人员为零或负数", "",
                                                    pd.NA]
