"""The map view's Python side: the options each parcel layer hands ``huliFitView``."""

from __future__ import annotations

import json
import re

import folium
import pytest
from ui_support import tiny_parcels

from core.gcj02 import wgs84_to_gcj02
from ui import mapview
from ui.map_view_js import VIEW_JS, attach_view, view_options


def _script(group: folium.FeatureGroup) -> str:
    fmap = folium.Map()
    group.add_to(fmap)
    return fmap.get_root().render()


def _view(script: str) -> dict | None:
    found = re.search(r"view = (null|\{.*?\});", script)
    assert found is not None, "the layer declares its view"
    return json.loads(found.group(1))


@pytest.mark.parametrize("large_threshold", [None, 1])  # the compact layer, and the grid / parcels-in-view one
def test_a_layer_with_a_view_key_hands_its_view_to_the_browser(large_threshold: int | None) -> None:
    group, _ = mapview.parcel_group(tiny_parcels(), theme="land_use", lang="en", view_key="parcels.s1",
                                    search=" HL-0001 ", large_threshold=large_threshold)
    script = _script(group)
    assert _view(script) == {"key": "parcels.s1", "search": "HL-0001", "label": "Zoom to selection",
                             "shift": [0.0, 0.0]}
    assert "huliFitView(" in script and "function huliFitView" in script


def test_without_a_view_key_the_layer_leaves_the_view_alone() -> None:
    group, _ = mapview.parcel_group(tiny_parcels(), theme="land_use")
    assert _view(_script(group)) is None


def test_on_amap_the_view_is_kept_unshifted_from_gcj02() -> None:
    frame = tiny_parcels()
    group, _ = mapview.parcel_group(frame, theme="land_use", basemap="amap", view_key="airport.s1")
    view = _view(_script(group))
    assert view is not None and view["label"] == "缩放至所选"
    x0, y0, x1, y1 = frame.to_crs("EPSG:4326").total_bounds
    lon, lat = (x0 + x1) / 2, (y0 + y1) / 2
    glon, glat = wgs84_to_gcj02([lon], [lat])
    assert view["shift"] == pytest.approx([glon[0] - lon, glat[0] - lat], abs=1e-12)
    assert 0.001 < abs(view["shift"][0]) < 0.01  # GCJ-02 moves Xiamen a few hundred metres


def test_attach_view_reaches_every_layer_that_has_a_view() -> None:
    group, _ = mapview.parcel_group(tiny_parcels(), theme="land_use")
    attach_view(group, view_options(key="k", label="L"))
    assert _view(_script(group)) == {"key": "k", "search": "", "label": "L", "shift": [0.0, 0.0]}
    attach_view(group, None)
    assert _view(_script(group)) is None


def test_the_view_script_defines_only_its_two_functions() -> None:
    assert re.findall(r"^function (\w+)\(", VIEW_JS, flags=re.M) == ["huliExtent", "huliFitView"]
