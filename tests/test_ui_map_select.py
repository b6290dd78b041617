"""The selecting parcel layer's Python side: the selection tool only where the page asks for it,
with the page's selection and the tool's labels handed to the browser as data."""

from __future__ import annotations

import json
import re

import folium
from ui_support import tiny_parcels

from ui import mapview
from ui.map_select import select_options


def _script(group: folium.FeatureGroup) -> str:
    fmap = folium.Map()
    group.add_to(fmap)
    return fmap.get_root().render()


def test_a_selecting_layer_carries_the_tool_and_the_pages_selection() -> None:
    options = select_options(["HL-0001", "HL-0003"], nonce="abc123",
                             labels={"polygon": "画多边形</script>", "rectangle": "矩形", "clear": "清除"})
    script = _script(mapview.parcel_group(tiny_parcels(), theme="land_use", select=options)[0])
    assert "function huliDrawTool" in script and "huliSelectFromPage(select)" in script
    found = re.search(r"var select = (\{.*?\});", script)
    assert found is not None
    sent = json.loads(found.group(1))
    assert sent["ids"] == ["HL-0001", "HL-0003"] and sent["nonce"] == "abc123"
    assert sent["labels"]["polygon"] == "画多边形</script>"  # a label is data: escaped, never markup
    assert "画多边形</script>" not in script


def test_a_layer_that_does_not_select_has_no_tool() -> None:
    script = _script(mapview.parcel_group(tiny_parcels(), theme="land_use")[0])
    assert "function huliDrawTool" not in script
    assert re.search(r"var select = null;", script)
    assert "selection: function" in script  # the hook's selection() is there (an empty array) on every map
