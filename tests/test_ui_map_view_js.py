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


def _with_stray(n: int = 10):  # type: ignore[no-untyped-def]
    """``n`` tiny parcels in Huli and one stray parcel in Beijing (116.4 E, 39.9 N)."""
    import pandas as pd
    import shapely

    frame = tiny_parcels(n)
    stray = frame.iloc[[1]].copy()
    stray["parcel_id"] = "BJ-1"
    stray = stray.set_geometry([shapely.box(116.4, 39.9, 116.402, 39.902)], crs="EPSG:4326")
    return pd.concat([frame, stray], ignore_index=True)


SIDE = 60.0 / 111_000.0  # the tiny parcels' side in degrees (ui_support.tiny_parcels)
#: the ten tiny parcels lie in one row: 118.100 .. 118.109 + SIDE east, 24.50 .. 24.50 + SIDE north
IN_HULI = [118.10, 24.50, 118.109 + SIDE, 24.50 + SIDE]


@pytest.mark.parametrize("large_threshold", [None, 1])
def test_the_fit_leaves_a_stray_parcel_out(large_threshold: int | None) -> None:
    group, _ = mapview.parcel_group(_with_stray(), theme="land_use", view_key="parcels.s1",
                                    large_threshold=large_threshold)
    view = _view(_script(group))
    assert view is not None and view["extent"] == pytest.approx(IN_HULI, abs=1e-9)


def test_the_fit_is_the_layers_own_when_nothing_is_left_out() -> None:
    group, _ = mapview.parcel_group(tiny_parcels(), theme="land_use", view_key="parcels.s1")
    view = _view(_script(group))
    assert view is not None and "extent" not in view  # huliFitView fits the layer's own extent


def test_a_layer_wholly_outside_is_fitted_whole() -> None:
    frame = _with_stray().iloc[[10]]
    from geodata.region import view_bounds

    assert view_bounds(frame.geometry.array) == pytest.approx((116.4, 39.9, 116.402, 39.902))
    assert view_bounds([]) is None


def test_on_amap_the_fit_extent_is_shifted_to_gcj02() -> None:
    group, _ = mapview.parcel_group(_with_stray(), theme="land_use", basemap="amap", view_key="airport.s1")
    view = _view(_script(group))
    lon, lat = wgs84_to_gcj02([IN_HULI[0], IN_HULI[2]], [IN_HULI[1], IN_HULI[3]])
    assert view is not None and view["extent"] == pytest.approx([lon[0], lat[0], lon[1], lat[1]], abs=1e-9)


def test_the_base_map_opens_on_the_parcels_in_the_district() -> None:
    fmap = mapview.build_base_map(fit=_with_stray())
    [fit] = [c for c in fmap._children.values() if isinstance(c, folium.map.FitBounds)]
    assert [*fit.bounds[0], *fit.bounds[1]] == pytest.approx([IN_HULI[1], IN_HULI[0], IN_HULI[3], IN_HULI[2]], abs=1e-9)


def test_view_options_carry_an_extent_only_when_given() -> None:
    assert json.loads(view_options(key="k", label="L", extent=(1, 2, 3, 4)))["extent"] == [1.0, 2.0, 3.0, 4.0]
    assert "extent" not in json.loads(view_options(key="k", label="L"))
    assert "v.extent = o.extent || extent;" in VIEW_JS
