"""Upload a messy cadastral layer (zipped GBK Shapefile, no .cpg, EPSG:4548) through the Data page:
the validation report lists each problem with its code."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from e2e_support import PageProbe, wait_for_text
from test_e2e_app import _shot, _wait_idle

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_parcels_read import N_ROWS, _write_gbk_shapefile, _zip

pytestmark = pytest.mark.e2e


def test_messy_layer_shows_its_validation_report(
    app_url: str, probe: PageProbe, tmp_path: Path
) -> None:
    shp = _write_gbk_shapefile(tmp_path / "src")
    archive = _zip(sorted(shp.parent.iterdir()), tmp_path / "宗地.zip")
    page = probe.page
    page.goto(app_url + "/data")
    _wait_idle(probe)
    page.locator(".st-key-upload_file [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "宗地.zip", "mimeType": "application/zip", "buffer": archive.read_bytes()}]
    )
    page.get_by_text("宗地.zip").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="读取并校验").click()
    page.get_by_text(f"已读取 {N_ROWS - 1} 宗地块").wait_for(timeout=60_000)
    _wait_idle(probe)
    # the issues by their labels: invalid_geometry_repaired, duplicate_id, missing_geometry,
    # unparsable_date, negative_value, unknown_land_use, unmapped_field
    codes = ["无效几何已修复", "宗地编号重复", "几何为空或无法读取", "日期无法识别", "数值为负", "土地用途无法识别",
             "未映射的字段"]
    # the report tables are canvas grids: read their accessible cell text once they are filled in
    text = wait_for_text(page, '[data-testid="stDataFrame"]', codes)
    _shot(probe, "messy-upload-report")
    for code in codes:
        assert code in text, f"{code} not shown in the report"
    assert probe.external_requests() == []
    assert probe.dialogs == []
