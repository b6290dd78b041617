"""Reading real-world parcel files into the canonical frame (parcels/read.py)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import pytest
import shapely

from core.errors import CRSError, InputFileError, SchemaError
from core.gcj02 import wgs84_to_gcj02
from parcels.read import IngestResult, read_parcels, read_parcels_bytes
from parcels.schema import CANONICAL_FIELDS, LAND_USES

TO_4548 = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:4548", always_xy=True)
TO_4326 = pyproj.Transformer.from_crs("EPSG:4548", "EPSG:4326", always_xy=True)


def _origin(i: int) -> tuple[float, float]:
    """South-west corner (EPSG:4548 metres) of test parcel i, near Huli (118.1E 24.5N)."""
    return TO_4548.transform(118.08 + 0.002 * i, 24.50)


def _rect(i: int, w: float = 80.0, h: float = 60.0) -> shapely.Polygon:
    x, y = _origin(i)
    return shapely.Polygon([(x, y), (x + w, y), (x + w, y + h), (x, y + h)])


def _bowtie(i: int) -> shapely.Polygon:
    x, y = _origin(i)
    return shapely.Polygon([(x, y), (x + 60, y + 60), (x + 60, y), (x, y + 60)])


def _multi(i: int) -> shapely.MultiPolygon:
    x, y = _origin(i)
    return shapely.MultiPolygon([shapely.box(x, y, x + 40, y + 40), shapely.box(x + 60, y, x + 100, y + 40)])


# (宗地编号, 权利人, 土地用途, 出让日期, 出让年限, 产值, 税收, 备注, geometry)
ROWS = [
    ("A-001", "金鹭特种", "1001", "2003-05-12", "50", "12,000", "800", "老厂", _rect(1)),
    ("A-002", "夏顺铝箔", "M1", "2003/5/12", "50", "9500", "650", "", _rect(2)),
    ("A-003", "民兴工业", "商业用地", "2003年5月12日", "40", "3000", "120", "", _bowtie(3)),
    ("A-002", "信华塑胶", "0902", "20030512", "50", "2800", "90", "", _rect(4)),
    ("A-005", "同致电子", "B2", "37753", "20", "56000", "2100", "", _multi(5)),
    ("A-006", "厦门高崎国际机场", "H24", "2004-02-29", "50", "", "", "", _rect(6)),
    ("A-007", "某某公司", "乱码用地", "2010-01-01", "20", "100", "5", "", None),
    ("A-008", "湖里某企业", "100102", "不详", "", "-5", "7", "", _rect(8)),
    ("", "无编号企业", "W1", "2015-06-30", "20", "1000", "50", "", _rect(9)),
]
N_ROWS = len(ROWS)
COLUMNS = ["宗地编号", "权利人", "土地用途", "出让日期", "出让年限", "产值", "税收", "备注"]


def _frame(rows: list[tuple[object, ...]] = ROWS, crs: str | None = "EPSG:4548") -> gpd.GeoDataFrame:
    data = {c: [r[k] for r in rows] for k, c in enumerate(COLUMNS)}
    return gpd.GeoDataFrame(data, geometry=[r[-1] for r in rows], crs=crs)


def _write_gbk_shapefile(folder: Path, name: str = "宗地") -> Path:
    """A GBK Shapefile without .cpg; returns the .shp path (after checking the DBF bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    shp = folder / f"{name}.shp"
    pyogrio.write_dataframe(_frame(), shp, encoding="GBK")
    folder.joinpath(f"{name}.cpg").unlink()
    dbf = folder.joinpath(f"{name}.dbf").read_bytes()
    assert "宗地编号".encode("gbk") in dbf[:600]  # field names in the header are GBK bytes
    assert "金鹭特种".encode("gbk") in dbf  # and so are the values
    assert "金鹭特种".encode() not in dbf
    return shp


def _zip(files: list[Path], target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.write(f, arcname=f.name)
    return target


@pytest.fixture()
def gbk_zip(tmp_path: Path) -> Path:
    shp = _write_gbk_shapefile(tmp_path / "src")
    return _zip(sorted(shp.parent.iterdir()), tmp_path / "parcels.zip")


@pytest.fixture()
def gbk_result(gbk_zip: Path) -> IngestResult:
    return read_parcels(gbk_zip)


def _row_of(result: IngestResult, pid: str) -> pd.Series:
    hits = result.frame[result.frame["parcel_id"] == pid]
    assert len(hits) == 1, pid
    return hits.iloc[0]


# --- the acceptance case: zipped GBK Shapefile without .cpg, EPSG:4548 ----------------------


def test_gbk_zip_keeps_exact_chinese_text(gbk_result: IngestResult) -> None:
    assert gbk_result.encoding == "GB18030"
    names = set(gbk_result.frame["enterprise"]) | set(gbk_result.rejected["enterprise"])
    assert {"金鹭特种", "夏顺铝箔", "民兴工业", "信华塑胶", "同致电子", "厦门高崎国际机场", "某某公司", "无编号企业"} <= names
    assert gbk_result.field_mapping == {
        "宗地编号": "parcel_id", "权利人": "enterprise", "土地用途": "land_use", "出让日期": "lease_start",
        "出让年限": "lease_years", "产值": "output_value", "税收": "tax",
    }
    assert gbk_result.unmapped == ["备注"]
    assert _row_of(gbk_result, "A-001")["备注"] == "老厂"  # unmapped data kept under its own name


def test_gbk_zip_positions_match_independent_transform(gbk_result: IngestResult) -> None:
    assert gbk_result.source_crs == "EPSG:4548"
    assert gbk_result.frame.crs.to_epsg() == 4326
    x, y = _origin(1)
    lon, lat = TO_4326.transform(x, y)
    coords = shapely.get_coordinates(_row_of(gbk_result, "A-001").geometry)
    nearest = np.min(np.hypot(coords[:, 0] - lon, coords[:, 1] - lat))
    assert nearest < 1e-7
    assert 118.0 < lon < 118.2 and 24.4 < lat < 24.6


def test_gbk_zip_every_row_accounted_for(gbk_result: IngestResult) -> None:
    report = gbk_result.report
    assert report.n_input_rows == N_ROWS
    assert len(gbk_result.frame) + len(gbk_result.rejected) == N_ROWS
    assert len(gbk_result.rejected) == len(report.unusable_rows)
    assert report.unusable_rows == [7]
    assert sorted(gbk_result.frame["source_row"].tolist() + gbk_result.rejected["source_row"].tolist()) == list(
        range(1, N_ROWS + 1)
    )
    assert report.usable


@pytest.mark.parametrize(
    ("code", "rows"),
    [
        ("invalid_geometry_repaired", [3]),
        ("duplicate_id", [2, 4]),
        ("missing_geometry", [7]),
        ("unknown_land_use", [7]),
        ("unparsable_date", [8]),
        ("negative_value", [8]),
        ("missing_id", [9]),
        ("missing_lease", [8]),
    ],
)
def test_gbk_zip_problem_reported_at_row(gbk_result: IngestResult, code: str, rows: list[int]) -> None:
    assert sorted(i.row for i in gbk_result.report.of_code(code)) == rows


def test_gbk_zip_values(gbk_result: IngestResult) -> None:
    r = gbk_result
    expected_use = {"A-001": "industrial", "A-003": "commercial_office", "A-005": "commercial_office",
                    "A-006": "airport", "A-008": "industrial", "row-9": "logistics"}
    for pid, use in expected_use.items():
        assert _row_of(r, pid)["land_use"] == use
    dup = r.frame[r.frame["parcel_id"] == "A-002"].set_index("enterprise")
    assert dup.loc["夏顺铝箔", "land_use"] == "industrial" and dup.loc["信华塑胶", "land_use"] == "commercial_office"
    for pid in ("A-001", "A-003", "A-005"):
        assert _row_of(r, pid)["lease_start"] == pd.Timestamp("2003-05-12")
    assert (dup["lease_start"] == pd.Timestamp("2003-05-12")).all()
    assert _row_of(r, "A-001")["lease_end"] == pd.Timestamp("2053-05-12")
    assert _row_of(r, "A-006")["lease_end"] == pd.Timestamp("2054-02-28")  # 29 Feb + 50 y -> 28 Feb
    assert _row_of(r, "A-001")["output_value"] == 12000.0
    assert np.isnan(_row_of(r, "A-008")["output_value"])  # negative -> missing, not zero
    assert pd.isna(_row_of(r, "A-008")["lease_start"])
    assert _row_of(r, "A-001")["land_use_source"] == "1001"
    bowtie = _row_of(r, "A-003").geometry
    assert bowtie.geom_type == "MultiPolygon" and len(bowtie.geoms) == 2
    assert _row_of(r, "A-005").geometry.geom_type == "MultiPolygon"
    assert set(r.frame["land_use"]) <= set(LAND_USES)


def test_canonical_dtypes(gbk_result: IngestResult) -> None:
    f = gbk_result.frame
    assert [c for c in f.columns if c in {s.name for s in CANONICAL_FIELDS}] == [s.name for s in CANONICAL_FIELDS]
    assert str(f["lease_start"].dtype) == "datetime64[ms]" and str(f["lease_end"].dtype) == "datetime64[ms]"
    assert str(f["lease_years"].dtype) == "Int64" and str(f["employees"].dtype) == "Int64"
    for name in ("output_value", "tax", "investment", "energy", "floor_area", "declared_area"):
        assert f[name].dtype == np.float64
    assert (f["zone_id"] == "").all()
    assert set(shapely.get_type_id(f.geometry.array)) <= {3, 6}
    assert f.index.equals(pd.RangeIndex(len(f)))


def test_report_is_json_serialisable(gbk_result: IngestResult) -> None:
    d = json.loads(json.dumps(gbk_result.report.to_dict(), ensure_ascii=False))
    assert d["n_input_rows"] == N_ROWS and d["unusable_rows"] == [7]
    assert d["counts"]["duplicate_id"] == 2
    table = gbk_result.report.to_frame()
    assert len(table) == len(gbk_result.report.issues)
    assert {"row", "parcel_id", "code", "severity", "message_zh", "message_en", "action"} <= set(table.columns)


def test_encoding_override_and_cpg(tmp_path: Path) -> None:
    shp = _write_gbk_shapefile(tmp_path / "a")
    assert read_parcels(shp, encoding="gbk").frame["enterprise"].iloc[0] == "金鹭特种"
    # a .cpg naming the code page wins over detection
    shp.with_suffix(".cpg").write_text("936")
    result = read_parcels(shp)
    assert result.encoding == "GB18030" and result.frame["enterprise"].iloc[0] == "金鹭特种"


def test_utf8_shapefile_without_cpg(tmp_path: Path) -> None:
    shp = tmp_path / "u.shp"
    short = _frame(ROWS[:2])[["权利人", "产值", "geometry"]]  # names within the 10-byte DBF limit in UTF-8
    pyogrio.write_dataframe(short, shp, encoding="UTF-8")
    shp.with_suffix(".cpg").unlink()
    result = read_parcels(shp)
    assert result.encoding == "UTF-8"
    assert result.frame["enterprise"].tolist() == ["金鹭特种", "夏顺铝箔"]


def test_utf8_field_names_cut_mid_character(tmp_path: Path) -> None:
    """宗地编号 is 12 bytes in UTF-8; DBF writers cut it to 10, splitting a character."""
    shp = tmp_path / "cut.shp"
    gdf = _frame(ROWS[:2]).rename(columns={"宗地编号": "PLACEHOLDR", "出让日期": "PLACEHOLD2"})
    pyogrio.write_dataframe(gdf[["PLACEHOLDR", "PLACEHOLD2", "权利人", "geometry"]], shp, encoding="UTF-8")
    shp.with_suffix(".cpg").unlink()
    dbf = bytearray(shp.with_suffix(".dbf").read_bytes())
    for old, new in ((b"PLACEHOLDR", "宗地编号".encode()[:10]), (b"PLACEHOLD2", "出让日期".encode()[:10])):
        at = dbf.index(old)
        dbf[at : at + 10] = new
    shp.with_suffix(".dbf").write_bytes(bytes(dbf))
    result = read_parcels(shp)
    assert result.encoding == "UTF-8"
    assert result.field_mapping == {"宗地编": "parcel_id", "出让日": "lease_start", "权利人": "enterprise"}
    assert result.frame["parcel_id"].tolist() == ["A-001", "A-002"]
    assert result.frame["lease_start"].tolist() == [pd.Timestamp("2003-05-12")] * 2
    assert len(result.report.of_code("truncated_field_name")) == 2


def test_loose_shapefile_needs_sidecars(tmp_path: Path) -> None:
    shp = _write_gbk_shapefile(tmp_path / "s")
    shp.with_suffix(".dbf").unlink()
    with pytest.raises(InputFileError, match=r"without its \.dbf"):
        read_parcels(shp)


# --- CRS ----------------------------------------------------------------------------------------


def test_missing_crs_refused_with_hint_then_declared(tmp_path: Path) -> None:
    shp = _write_gbk_shapefile(tmp_path / "n")
    shp.with_suffix(".prj").unlink()
    with pytest.raises(CRSError, match="EPSG:4548") as info:
        read_parcels(shp)
    assert "坐标系" in info.value.message_zh
    result = read_parcels(shp, crs="EPSG:4548")
    assert result.source_crs == "EPSG:4548"
    assert len(result.frame) == N_ROWS - 1


def test_conflicting_crs_refused(gbk_zip: Path) -> None:
    with pytest.raises(CRSError, match="declares EPSG:4548"):
        read_parcels(gbk_zip, crs="EPSG:4490")


def test_geographic_crs_with_metric_coordinates_refused(tmp_path: Path) -> None:
    csv = tmp_path / "wrong.csv"
    pd.DataFrame({"id": ["a"], "wkt": [_rect(1).wkt]}).to_csv(csv, index=False)
    before = csv.read_bytes()
    with pytest.raises(CRSError, match="not degrees"):
        read_parcels(csv, crs="EPSG:4326")
    # a refused layer is left as it was, and nothing is written beside it
    assert csv.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wrong.csv"]


def test_bad_crs_string(tmp_path: Path) -> None:
    shp = _write_gbk_shapefile(tmp_path / "n")
    shp.with_suffix(".prj").unlink()
    with pytest.raises(CRSError, match="Unknown CRS 'EPSG:99999999'") as info:
        read_parcels(shp, crs="EPSG:99999999")
    assert "EPSG:99999999" in info.value.message_zh


# --- other formats ------------------------------------------------------------------------------


def _lonlat_frame() -> gpd.GeoDataFrame:
    return _frame(ROWS[:3]).to_crs("EPSG:4326")


def test_geojson(tmp_path: Path) -> None:
    path = tmp_path / "p.geojson"
    pyogrio.write_dataframe(_lonlat_frame(), path, driver="GeoJSON")
    result = read_parcels(path)
    assert result.source_format == "geojson" and result.source_crs == "EPSG:4326"
    assert result.frame["enterprise"].tolist() == ["金鹭特种", "夏顺铝箔", "民兴工业"]
    assert result.report.of_code("invalid_geometry_repaired")[0].row == 3


def test_geojson_in_gbk_is_reencoded(tmp_path: Path) -> None:
    path = tmp_path / "gbk.geojson"
    text = _lonlat_frame().to_json(ensure_ascii=False)
    path.write_bytes(text.encode("gbk"))
    result = read_parcels(path)
    assert result.encoding == "GB18030"
    assert result.frame["enterprise"].tolist() == ["金鹭特种", "夏顺铝箔", "民兴工业"]


def test_gpkg_layers(tmp_path: Path) -> None:
    path = tmp_path / "multi.gpkg"
    pyogrio.write_dataframe(_frame(ROWS[:3]), path, layer="宗地")
    points = gpd.GeoDataFrame({"name": ["p"]}, geometry=[shapely.Point(_origin(1))], crs="EPSG:4548")
    pyogrio.write_dataframe(points, path, layer="pois")
    # several layers, only one polygon layer: it is chosen
    result = read_parcels(path)
    assert result.layer == "宗地" and len(result.frame) == 3
    # by name
    assert read_parcels(path, layer="pois").report.of_code("non_polygon_geometry")[0].row == 1
    with pytest.raises(InputFileError, match=r"no layer 'nope'.*宗地"):
        read_parcels(path, layer="nope")
    pyogrio.write_dataframe(_frame(ROWS[3:5]), path, layer="second")
    with pytest.raises(InputFileError, match=r"several layers.*second"):
        read_parcels(path)
    assert read_parcels(path, layer="second").frame["parcel_id"].tolist() == ["A-002", "A-005"]


def test_gpkg_native_types(tmp_path: Path) -> None:
    path = tmp_path / "typed.gpkg"
    gdf = gpd.GeoDataFrame(
        {"parcel_id": ["x1", "x2"], "lease_start": pd.to_datetime(["2001-03-01", "2010-12-31"]),
         "lease_years": [20, 50], "output_value": [1.5, np.nan], "employees": [10, 20]},
        geometry=[_rect(1), _rect(2)], crs="EPSG:4548",
    )
    pyogrio.write_dataframe(gdf, path)
    f = read_parcels(path).frame
    assert f["lease_end"].tolist() == [pd.Timestamp("2021-03-01"), pd.Timestamp("2060-12-31")]
    assert f["employees"].tolist() == [10, 20]
    assert np.isnan(f["output_value"].iloc[1])


def test_csv_with_wkt_gbk(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    df = pd.DataFrame({"宗地编号": ["c1", "c2", "c3"], "权利人": ["金鹭特种", "夏顺铝箔", "坏几何"],
                       "WKT": [_rect(1).wkt, _bowtie(2).wkt, "POLYGON ((broken"]})
    path.write_bytes(df.to_csv(index=False).encode("gbk"))
    with pytest.raises(CRSError, match="EPSG:4548"):
        read_parcels(path)
    result = read_parcels(path, crs="EPSG:4548")
    assert result.encoding == "GB18030"
    assert result.frame["enterprise"].tolist() == ["金鹭特种", "夏顺铝箔"]
    assert [i.row for i in result.report.of_code("missing_geometry")] == [3]
    assert [i.row for i in result.report.of_code("invalid_geometry_repaired")] == [2]


def test_csv_with_lonlat_points_is_not_usable(tmp_path: Path) -> None:
    path = tmp_path / "pts.csv"
    path.write_text("宗地编号,经度,纬度\np1,118.1,24.5\np2,118.11,24.51\n", encoding="utf-8-sig")
    result = read_parcels(path, crs="EPSG:4326")
    assert len(result.frame) == 0 and len(result.rejected) == 2
    assert [i.row for i in result.report.of_code("non_polygon_geometry")] == [1, 2]
    assert "polygon layer" in result.report.of_code("non_polygon_geometry")[0].message_en
    assert not result.report.usable
    assert result.report.fatal[0].code == "no_usable_parcels"
    assert result.rejected.geometry.iloc[0].equals(shapely.Point(118.1, 24.5))


def test_csv_without_geometry(tmp_path: Path) -> None:
    path = tmp_path / "attrs.csv"
    path.write_text("宗地编号,权利人\na,b\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no geometry"):
        read_parcels(path, crs="EPSG:4326")


def test_gcj02_declared_input_is_converted(tmp_path: Path) -> None:
    truth = np.array([[118.10, 24.50], [118.101, 24.50], [118.101, 24.501], [118.10, 24.501]])
    glon, glat = wgs84_to_gcj02(truth[:, 0], truth[:, 1])
    assert np.hypot(glon - truth[:, 0], glat - truth[:, 1]).max() > 1e-3  # the shift is real (~hundreds of m)
    path = tmp_path / "amap.csv"
    wkt = shapely.Polygon(np.column_stack([glon, glat])).wkt
    pd.DataFrame({"id": ["g1"], "wkt": [wkt]}).to_csv(path, index=False)
    result = read_parcels(path, gcj02=True)
    assert result.source_crs.endswith("(GCJ-02)")
    got = shapely.get_coordinates(result.frame.geometry.iloc[0])[:4]
    assert np.abs(got - truth).max() < 1e-6


def test_gcj02_refused_for_projected(gbk_zip: Path) -> None:
    with pytest.raises(CRSError, match="GCJ-02 applies to lon/lat only"):
        read_parcels(gbk_zip, gcj02=True)


# --- options ------------------------------------------------------------------------------------


def test_district_outside_flagged(gbk_zip: Path) -> None:
    lon, lat = TO_4326.transform(*_origin(1))
    district = shapely.box(lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001)
    result = read_parcels(gbk_zip, district=district)
    # only parcel 1 (row 1) meets the box; row 7 has no geometry (rejected, not "outside")
    [issue] = result.report.of_code("outside_district")
    assert issue.row is None and issue.value == "2-6, 8-9"
    assert issue.message_zh.startswith("7 宗地块") and "第 2-6, 8-9 行" in issue.message_zh
    assert issue.message_en.startswith("7 parcel(s)") and "rows 2-6, 8-9" in issue.message_en
    assert result.n_outside == 7
    assert len(result.frame) == N_ROWS - 1  # kept


def test_no_district_no_outside_issue(gbk_zip: Path) -> None:
    result = read_parcels(gbk_zip)
    assert result.report.of_code("outside_district") == [] and result.n_outside == 0


def test_field_map_override(gbk_zip: Path) -> None:
    result = read_parcels(gbk_zip, field_map={"备注": "planned_use"})
    assert result.field_mapping["备注"] == "planned_use" and result.unmapped == []
    assert [i.row for i in result.report.of_code("unknown_land_use") if i.field == "planned_use"] == [1]
    with pytest.raises(SchemaError, match="not a canonical field"):
        read_parcels(gbk_zip, field_map={"备注": "nonsense"})
    with pytest.raises(SchemaError, match="does not have"):
        read_parcels(gbk_zip, field_map={"nope": "tax"})


def test_clashing_extra_column_renamed(tmp_path: Path) -> None:
    path = tmp_path / "c.geojson"
    gdf = gpd.GeoDataFrame({"parcel_id": ["a"], "area_m2": [5.0]}, geometry=[_rect(1)], crs="EPSG:4548")
    pyogrio.write_dataframe(gdf.to_crs(4326), path, driver="GeoJSON")
    result = read_parcels(path)
    assert "src_area_m2" in result.frame.columns and "area_m2" not in result.frame.columns
    assert result.report.of_code("renamed_field")[0].field == "area_m2"


def test_read_parcels_bytes_and_cap(gbk_zip: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = read_parcels_bytes(gbk_zip.read_bytes(), "../../上传 宗地.zip")
    assert len(result.frame) == N_ROWS - 1
    monkeypatch.setenv("HULI_MAX_UPLOAD_MB", "1")
    over_one_mb = gbk_zip.read_bytes() + b"\0" * (1024 * 1024)
    with pytest.raises(InputFileError, match="upload limit"):
        read_parcels_bytes(over_one_mb, "p.zip")


def test_loose_shp_upload_explains_zip(gbk_zip: Path) -> None:
    with zipfile.ZipFile(gbk_zip) as zf:
        shp_bytes = zf.read("宗地.shp")
    with pytest.raises(InputFileError, match=r"zip"):
        read_parcels_bytes(shp_bytes, "宗地.shp")


def test_inputs_not_modified(gbk_zip: Path) -> None:
    before = gbk_zip.read_bytes()
    read_parcels(gbk_zip)
    assert gbk_zip.read_bytes() == before


def test_esri_prj_of_cgcs2000_gk_is_identified(tmp_path: Path) -> None:
    shp = tmp_path / "esri.shp"
    pyogrio.write_dataframe(_frame(ROWS[:2])[["权利人", "geometry"]], shp, encoding="GBK")
    shp.with_suffix(".prj").write_text(pyproj.CRS.from_epsg(4548).to_wkt(pyproj.enums.WktVersion.WKT1_ESRI))
    result = read_parcels(shp)
    assert result.source_crs == "EPSG:4548"
    lon, lat = TO_4326.transform(*_origin(1))
    assert np.min(np.abs(shapely.get_coordinates(result.frame.geometry.iloc[0]) - [lon, lat]).sum(axis=1)) < 1e-7


def test_wrong_encoding_override_refused_not_garbled(gbk_zip: Path) -> None:
    with pytest.raises(InputFileError, match="not valid UTF-8 text; they look like GB18030"):
        read_parcels(gbk_zip, encoding="utf-8")


def test_no_id_column_generates_ids_once_reported(tmp_path: Path) -> None:
    path = tmp_path / "noid.csv"
    path.write_text(f'权利人,wkt\n甲,"{_rect(1).wkt}"\n乙,"{_rect(2).wkt}"\n', encoding="utf-8")
    result = read_parcels(path, crs="EPSG:4548")
    assert result.frame["parcel_id"].tolist() == ["row-1", "row-2"]
    [issue] = result.report.of_code("missing_id")
    assert issue.row is None


@pytest.mark.parametrize(("epsg", "warned"), [(4548, False), (4527, False), (2385, True), (2435, True)])
def test_approximate_datum_warned(tmp_path: Path, epsg: int, warned: bool) -> None:
    """Xi'an 1980 (2385) and Beijing 1954 (2435) reach WGS84 only approximately; CGCS2000 does not warn."""
    lon, lat = 118.1, 24.5
    x, y = pyproj.Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)
    path = tmp_path / "d.csv"
    pd.DataFrame({"id": ["a"], "wkt": [shapely.box(x, y, x + 50, y + 50).wkt]}).to_csv(path, index=False)
    result = read_parcels(path, crs=f"EPSG:{epsg}")
    assert bool(result.report.of_code("approximate_datum")) == warned
    assert result.source_crs == f"EPSG:{epsg}"


def test_geometry_collection_keeps_polygon_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "gc.csv"
    gc = shapely.GeometryCollection([shapely.Point(_origin(1)), _rect(1)])
    pd.DataFrame({"id": ["a"], "wkt": [gc.wkt]}).to_csv(path, index=False)
    result = read_parcels(path, crs="EPSG:4548")
    assert result.frame.geometry.iloc[0].geom_type == "Polygon"
    assert [i.row for i in result.report.of_code("polygonal_parts_kept")] == [1]


@pytest.mark.parametrize(
    "text",
    [
        '{"type":"FeatureCollection","features":[]}',
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":null}]}',
    ],
)
def test_layers_without_any_geometry_are_unusable(tmp_path: Path, text: str) -> None:
    path = tmp_path / "e.geojson"
    path.write_text(text, encoding="utf-8")
    result = read_parcels(path)
    assert not result.report.usable and result.report.fatal[0].code == "no_usable_parcels"
    assert len(result.frame) == 0 and len(result.rejected) == result.report.n_input_rows


def test_reading_writes_nothing_beside_the_file(tmp_path: Path) -> None:
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import box

    frame = gpd.GeoDataFrame({"宗地编号": ["A1"]}, geometry=[box(118.10, 24.50, 118.101, 24.501)], crs="EPSG:4326")
    path = tmp_path / "parcels.gpkg"
    pyogrio.write_dataframe(frame, path, layer="parcels", dataset_metadata={"TITLE": "宗地"})
    before = sorted(p.name for p in tmp_path.iterdir())
    read_parcels(path, layer="parcels")
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_missing_lease_is_not_raised_for_allocated_land(tmp_path: Path) -> None:
    """Roads, green space and public land are allocated (划拨) without a term: no lease is expected."""
    rows = [
        ("R-1", "", "道路用地", "", "", "", "", "", _rect(1)),
        ("G-1", "", "公园绿地", "", "", "", "", "", _rect(2)),
        ("P-1", "", "公共管理与公共服务用地", "", "", "", "", "", _rect(3)),
        ("M-1", "某厂", "工业用地", "", "", "", "", "", _rect(4)),
        ("B-1", "某公司", "商业用地", "2005-01-01", "", "", "", "", _rect(5)),
    ]
    path = tmp_path / "mixed.gpkg"
    _frame(rows).to_file(path, driver="GPKG")
    result = read_parcels(path)
    uses = dict(zip(result.frame["parcel_id"], result.frame["land_use"], strict=True))
    assert [uses[p] for p in ("R-1", "G-1", "P-1", "M-1", "B-1")] == [
        "transport", "green_open", "public_service", "industrial", "commercial_office"]
    # the industrial parcel has no dates at all; the commercial one a start but no term
    assert sorted(i.parcel_id for i in result.report.of_code("missing_lease")) == ["B-1", "M-1"]


def test_a_wrong_file_crs_can_be_overridden(tmp_path: Path) -> None:
    """A layer labelled EPSG:4547 (CM 114°E) whose coordinates are really EPSG:4548 (CM 117°E)."""
    path = tmp_path / "mislabelled.gpkg"
    _frame(ROWS[:2], crs="EPSG:4547").to_file(path, driver="GPKG")
    with pytest.raises(CRSError, match="override") as info:
        read_parcels(path, crs="EPSG:4548")
    assert "覆盖文件自带坐标系" in info.value.message_zh
    with pytest.raises(CRSError, match="needs the CRS"):
        read_parcels(path, override_crs=True)
    result = read_parcels(path, crs="EPSG:4548", override_crs=True)
    assert result.source_crs == "EPSG:4548"
    [issue] = result.report.of_code("crs_overridden")
    assert issue.severity == "warning" and issue.value == "EPSG:4547" and "4548" in issue.message_en
    # placed where EPSG:4548 puts the rectangle's corner, not where EPSG:4547 would (about 300 km west)
    x, y = _origin(1)
    lon, lat = TO_4326.transform(x, y)
    corner = shapely.get_coordinates(_row_of(result, "A-001").geometry)
    assert np.min(np.hypot(corner[:, 0] - lon, corner[:, 1] - lat)) < 1e-7
    # the same file read as labelled lands elsewhere (that is why it needed the override)
    as_labelled = read_parcels(path)
    assert abs(shapely.get_coordinates(_row_of(as_labelled, "A-001").geometry)[:, 0].mean() - lon) > 2.0


def test_amounts_written_with_units_are_converted_and_reported(tmp_path: Path) -> None:
    rows = [
        ("U-1", "甲", "工业用地", "2005-01-01", "50", "1.2亿元", "350万元/年", "", _rect(1)),
        ("U-2", "乙", "工业用地", "2005-01-01", "50", "8,000", "120kg", "", _rect(2)),
    ]
    path = tmp_path / "units.gpkg"
    _frame(rows).to_file(path, driver="GPKG")
    result = read_parcels(path)
    assert _row_of(result, "U-1")["output_value"] == 12_000.0  # 1.2 亿元 = 12,000 万元
    assert _row_of(result, "U-1")["tax"] == 350.0
    assert _row_of(result, "U-2")["output_value"] == 8_000.0
    assert np.isnan(_row_of(result, "U-2")["tax"])  # kg is no unit of money: missing, and reported
    [converted] = result.report.of_code("unit_converted")
    assert converted.parcel_id == "U-1" and converted.field == "output_value" and converted.severity == "info"
    assert "12,000 万元/年" in converted.message_en
    assert [i.parcel_id for i in result.report.of_code("unparsable_number")] == ["U-2"]


def test_geojson_text_that_looks_like_a_time_or_date_stays_text(tmp_path: Path) -> None:
    """GDAL would read 'T0001' as the time 00:01:00; parcel numbers must come through as written."""
    ids = ["T0001", "T1230", "2021-03", "20200101"]
    frame = gpd.GeoDataFrame({"宗地编号": ids, "出让日期": ["2003-05-12", "2003/5/12", "2003年5月12日", "37753"],
                              "出让年限": ["50"] * 4},
                             geometry=[_rect(i) for i in range(1, 5)], crs="EPSG:4548").to_crs(4326)
    path = tmp_path / "ids.geojson"
    path.write_text(frame.to_json(drop_id=True), encoding="utf-8")
    result = read_parcels(path)
    assert result.frame["parcel_id"].tolist() == ids
    assert (result.frame["lease_start"] == pd.Timestamp("2003-05-12")).all()
