"""Downloads: every format through analysis.export, the CRS choice, scenario columns, the buttons."""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pyproj
import pytest
from office_support import (
    publish_dataset,
    save_layer,
    save_scenario,
    starting_choices,
)
from streamlit.testing.v1 import AppTest
from ui_support import HOSTILE, tiny_parcels

from analysis.export import FORMATS, UnknownCRSError
from core.raster import Raster
from ui import state, workspace
from ui.downloads import (
    CRS_CHOICES,
    LAYER_FORMATS,
    VECTOR_FORMATS,
    choice_crs,
    format_crs,
    layer_bytes,
    with_scenario_columns,
    year_raster,
)
from ui.filters import filter_parcels
from ui.pages.airport import YEAR_SLIDER

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _filtered():
    # tiny_parcels: uses cycle (industrial, commercial_office, logistics, industrial, green_open)
    frame = filter_parcels(tiny_parcels(20), uses=["industrial"])
    assert len(frame) == 8  # indices 0, 3, 5, 8, 10, 13, 15, 18
    return frame


def test_every_vector_format_of_the_export_module_is_offered() -> None:
    assert set(VECTOR_FORMATS) == {k for k, f in FORMATS.items() if f.kind != "raster"}
    assert {"geojson", "geojson-legacy", "gpkg", "shp", "csv", "xlsx"} <= set(VECTOR_FORMATS)
    assert set(LAYER_FORMATS) == {"geojson", "gpkg", "shp"}


@pytest.mark.parametrize(("choice", "custom", "expected"), [
    ("EPSG:4326", None, "EPSG:4326"),
    ("EPSG:4490", None, "EPSG:4490"),
    ("EPSG:4548", None, "EPSG:4548"),
    ("custom", 32650, "EPSG:32650"),
])
def test_crs_choice(choice: str, custom: int | None, expected: str) -> None:
    assert choice in CRS_CHOICES
    assert choice_crs(choice, custom) == expected


def test_unknown_custom_epsg_is_refused_in_both_languages() -> None:
    with pytest.raises(UnknownCRSError) as info:
        choice_crs("custom", 999_999)
    assert info.value.message_en and info.value.message_zh


@pytest.mark.parametrize("fmt", VECTOR_FORMATS)
def test_rfc7946_geojson_is_always_wgs84(fmt: str) -> None:
    expected = "EPSG:4326" if fmt == "geojson" else "EPSG:4548"
    assert format_crs(fmt, "EPSG:4548") == expected


def _read_vector(data: bytes, fmt: str, tmp_path: Path):
    path = tmp_path / f"layer{FORMATS[fmt].extension}"
    path.write_bytes(data)
    if fmt.startswith("geojson"):  # GDAL would read ids like "T0000" as times of day
        return pyogrio.read_dataframe(path, DATE_AS_STRING="YES")
    return pyogrio.read_dataframe(f"/vsizip/{path}" if fmt == "shp" else path)


@pytest.mark.parametrize("fmt", ["geojson", "geojson-legacy", "gpkg", "shp"])
@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:4548"])
def test_bytes_of_the_filtered_frame_round_trip_through_pyogrio(fmt: str, crs: str, tmp_path: Path) -> None:
    frame = _filtered()
    before = frame.copy()
    back = _read_vector(layer_bytes(frame, fmt=fmt, crs=crs, layer="parcels"), fmt, tmp_path)
    assert len(back) == 8
    pd.testing.assert_frame_equal(frame, before)  # the page's frame is untouched
    written = pyproj.CRS(back.crs)
    assert written.equals(pyproj.CRS(format_crs(fmt, crs)))
    ids = next(c for c in back.columns if c.lower().startswith("parcel"))
    assert sorted(back[ids]) == sorted(frame["parcel_id"])
    # the first parcel's corners, reprojected by pyproj independently of the export
    side = 60.0 / 111_000.0
    lons = np.array([118.10, 118.10 + side, 118.10 + side, 118.10])
    lats = np.array([24.50, 24.50, 24.50 + side, 24.50 + side])
    xs, ys = pyproj.Transformer.from_crs("EPSG:4326", format_crs(fmt, crs), always_xy=True).transform(lons, lats)
    minx, miny, _, _ = back[back[ids] == "T0000"].total_bounds
    tolerance = 1e-6 if written.is_geographic else 0.01
    assert abs(minx - xs.min()) < tolerance and abs(miny - ys.min()) < tolerance


def test_geojson_bytes_are_rfc7946_with_text_kept(tmp_path: Path) -> None:
    doc = json.loads(layer_bytes(_filtered(), fmt="geojson", crs="EPSG:4548", layer="parcels"))
    assert "crs" not in doc and len(doc["features"]) == 8
    props = doc["features"][0]["properties"]
    assert props["enterprise"] == HOSTILE
    assert props["lease_start"] == "2000-01-01"
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))
    assert area2 > 0  # exterior ring counter-clockwise


def test_csv_and_xlsx_hold_the_filtered_rows() -> None:
    frame = _filtered()
    csv = layer_bytes(frame, fmt="csv", crs="EPSG:4490", layer="parcels")
    assert csv.startswith("\ufeff".encode())
    table = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert len(table) == 8
    assert table.columns[0].startswith("宗地编号")  # Chinese headers
    heads = list(table.columns)  # every code with its Chinese label beside it (the codes unchanged)
    assert heads[heads.index("土地用途") + 1] == "土地用途（中文）"
    pairs = set(zip(table["土地用途"], table["土地用途（中文）"], strict=True))
    assert pairs <= {("industrial", "工业用地"), ("commercial_office", "商业商务用地"), ("logistics", "物流仓储用地"),
                     ("green_open", "绿地与开敞空间")} and pairs
    book = pd.read_excel(io.BytesIO(layer_bytes(frame, fmt="xlsx", crs="EPSG:4326", layer="parcels")), sheet_name=0)
    assert len(book) == 8


def test_shapefile_zip_has_prj_and_cpg() -> None:
    data = layer_bytes(_filtered(), fmt="shp", crs="EPSG:4490", layer="parcels")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(n.endswith(".prj") for n in names) and any(n.endswith(".cpg") for n in names)


def test_scenario_columns_replace_and_align_by_parcel_id() -> None:
    frame = _filtered().assign(height_limit_m=1.0)  # numbered 0-7 afresh: the parcels of rows 0, 3, 5, ... 18
    year = tiny_parcels(20).assign(height_limit_m=np.arange(20) * 10.0,
                                   buildable_floor_area_m2=np.arange(20) * 100.0).iloc[::-1]
    out = with_scenario_columns(frame, year)
    rows = [0, 3, 5, 8, 10, 13, 15, 18]  # the industrial parcels' rows in the year frame (uses cycle by 5)
    assert out["height_limit_m"].tolist() == [r * 10.0 for r in rows]
    assert out["buildable_floor_area_m2"].tolist() == [r * 100.0 for r in rows]
    assert (frame["height_limit_m"] == 1.0).all()


def test_year_raster_is_nodata_once_the_limits_are_lifted() -> None:
    from rasterio import Affine

    from core.raster import filled

    array = np.array([[10.0, np.nan], [45.0, 150.0]])
    transform = Affine(10.0, 0.0, 0.0, 0.0, -10.0, 20.0)
    on = year_raster(Raster(array, transform, "EPSG:4548"), active=True)
    off = year_raster(Raster(array, transform, "EPSG:4548"), active=False)
    # in memory NaN means no value; the file gets the nodata value (core.raster.filled)
    assert filled(on).tolist() == [[10.0, -9999.0], [45.0, 150.0]]
    assert on.nodata == -9999.0
    assert np.isnan(off.array).all() and (filled(off) == -9999.0).all()


def _use_tiny_upload(n: int = 30) -> str:
    ds = "00000000000000aa"
    save_layer(ds, tiny_parcels(n))
    workspace.write_options(ds, {"filename": "tiny.geojson"})
    publish_dataset(ds)
    return ds


def _buttons(at: AppTest) -> list:
    return list(at.get("download_button"))


@pytest.mark.parametrize("page", ["parcels", "data"])
def test_pages_offer_every_format(page: str) -> None:
    _use_tiny_upload(12)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in _buttons(at)]
    assert len(labels) == len(VECTOR_FORMATS)
    for fmt in VECTOR_FORMATS:
        assert any(FORMATS[fmt].label_zh in label for label in labels), fmt
    assert all(b.proto.deferred_file_id for b in _buttons(at))  # bytes built only on click


def test_crs_choice_renames_the_buttons_and_a_bad_code_is_shown() -> None:
    _use_tiny_upload(12)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.LANG] = "en"
    at.run()
    at.switch_page("ui/pages/parcels.py").run()
    at.selectbox(key="dl_parcels_crs.en").set_value("EPSG:4548").run()
    labels = [b.proto.label for b in _buttons(at)]
    assert sum("EPSG:4548" in label for label in labels) == len(VECTOR_FORMATS) - 1
    assert any("RFC 7946" in label and "EPSG:4326" in label for label in labels)
    at.selectbox(key="dl_parcels_crs.en").set_value("custom").run()
    at.number_input(key="dl_parcels_epsg").set_value(999_999).run()
    assert not at.exception, at.exception
    assert any("999999" in e.value and "坐标系" in e.value for e in at.error)
    assert len(_buttons(at)) == 1  # only RFC 7946 GeoJSON, which needs no choice


def test_airport_page_offers_layers_and_the_height_grid() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("ui/pages/airport.py").run()
    at.slider(key=YEAR_SLIDER).set_value(2032).run()  # on schedule: land released, roads built
    assert not at.exception, at.exception
    keys = [b.proto.id for b in _buttons(at)]
    for layer in ("released", "test_roads"):
        for fmt in LAYER_FORMATS:
            assert any(k.endswith(f"dl_ap_{layer}_{fmt}") for k in keys), (layer, fmt)
    assert any(k.endswith("dl_ap_raster") for k in keys)


def test_year_raster_exports_as_geotiff(tmp_path: Path) -> None:
    import rasterio
    from rasterio import Affine

    from analysis.export import export_bytes

    raster = year_raster(Raster(np.array([[10.0, np.nan], [45.0, 150.0]]),
                                Affine(10.0, 0.0, 600_000.0, 0.0, -10.0, 2_710_020.0), "EPSG:4548"), active=True)
    path = tmp_path / "h.tif"
    path.write_bytes(export_bytes(raster, fmt="tif", layer="height_limit"))
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 4548
        band = src.read(1, masked=True)
    assert band.tolist() == [[10.0, None], [45.0, 150.0]]


def test_parcel_downloads_follow_scenario_a_and_its_year() -> None:
    import yaml

    from ui import scenarios

    data = yaml.safe_load(scenarios.template_text("delayed"))
    save_scenario("晚搬迁", yaml.safe_dump({**data, "relocation_year": 2033}, allow_unicode=True))
    starting_choices({state.SCENARIO_A: "saved:晚搬迁", state.SCENARIO_YEAR: 2031})
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("ui/pages/parcels.py").run()
    assert not at.exception, at.exception
    assert any("晚搬迁" in c.value and "2031" in c.value for c in at.caption)


def test_a_crs_that_does_not_cover_the_layer_is_warned_about() -> None:
    _use_tiny_upload(12)  # parcels in Huli, about 118.1°E 24.5°N
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("ui/pages/parcels.py").run()
    assert not any("适用范围" in w.value for w in at.warning)  # WGS84 covers everything
    at.selectbox(key="dl_parcels_crs.zh").set_value("custom").run()
    at.number_input(key="dl_parcels_epsg").set_value(4547).run()  # the 3-degree zone at 114°E, not Xiamen's
    assert not at.exception, at.exception
    [warning] = [w.value for w in at.warning if "EPSG:4547" in w.value]
    assert "适用范围" in warning and "EPSG:4548" in warning and "distorted" in warning
    assert len(_buttons(at)) == len(VECTOR_FORMATS)  # still offered: the planner decides
    at.number_input(key="dl_parcels_epsg").set_value(32650).run()  # UTM 50N covers Xiamen
    assert not any("EPSG:32650" in w.value for w in at.warning)


def test_crs_area_of_use_check() -> None:
    from analysis.export import crs_outside_area_of_use

    huli = (118.05, 24.45, 118.20, 24.56)
    for crs in ("EPSG:4326", "EPSG:4490", "EPSG:4548", "EPSG:32650", "EPSG:3857"):
        assert crs_outside_area_of_use(crs, huli) is None, crs
    assert "112.5°–115.5°E" in crs_outside_area_of_use("EPSG:4547", huli)  # the CM 114°E zone
    assert "Antarctica" in crs_outside_area_of_use("EPSG:3031", huli)
