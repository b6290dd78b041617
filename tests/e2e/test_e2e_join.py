"""Join a statistics table onto the embedded parcels through the Data page, then inspect a parcel.

Changes the server's active dataset; switches back to the embedded data at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from e2e_support import PageProbe, detail_text, wait_for_text
from test_e2e_app import _click_parcel, _map_frame, _shot, _wait_idle

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

pytestmark = pytest.mark.e2e


def test_statistics_table_joined_onto_the_embedded_parcels(
    app_url: str, probe: PageProbe
) -> None:
    import geodata

    ids = geodata.read_layer("parcels")["parcel_id"].astype(str).tolist()
    first, second = ids[0], ids[1]
    # a GBK CSV as exported from a spreadsheet: a title line, the header, a unit in a cell,
    # a parcel number the layer does not have
    table = (f"2025年规上企业统计\n宗地编号,从业人员,工业总产值\n{first},4321,1.2亿元\n{second},77,\nX-404,1,1\n"
             ).encode("gbk")
    page = probe.page
    page.goto(app_url + "/data")
    _wait_idle(probe)
    page.locator(".st-key-join_upload [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "统计.csv", "mimeType": "text/csv", "buffer": table}]
    )
    page.get_by_text("统计.csv").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="关联并校验").click()
    page.get_by_text("统计表 统计.csv：3 行中 2 行已关联，2 宗地块已更新").wait_for(timeout=60_000)
    _wait_idle(probe)
    page.get_by_text("校验报告").first.wait_for(timeout=30_000)
    # the issues by their labels: a table row that matched no parcel, a unit converted (1.2 亿元)
    text = wait_for_text(page, '[data-testid="stDataFrame"]', ["统计表行未匹配地块", "单位已换算"])
    assert "统计表行未匹配地块" in text and "单位已换算" in text
    _shot(probe, "join-report")

    page.goto(app_url + "/parcels")
    frame = _map_frame(probe)
    page.get_by_text("huli.gpkg + 统计.csv").first.wait_for(timeout=30_000)
    page.get_by_text("示意数据").first.wait_for(timeout=30_000)  # still the illustrative parcels
    _click_parcel(probe, frame, first)
    detail = detail_text(frame, first)
    assert "4,321" in detail and "12,000" in detail  # employees, and 1.2 亿元 as 12,000 万元/年
    assert probe.external_requests() == []
    assert probe.dialogs == []
