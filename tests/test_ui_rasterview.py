"""The height grid as a map overlay: colours, transparency, placement."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from pyproj import Transformer
from rasterio.transform import Affine

from core.raster import Raster
from ui.map_theme import theme_bins
from ui.rasterview import colourise, height_overlay


def test_colourise_uses_the_height_theme_and_leaves_no_cap_transparent() -> None:
    _edges, colours, _ = theme_bins("height_limit_m")
    rgba = colourise(np.array([[10.0, 45.0], [np.nan, 500.0]]), alpha=99)
    hex_of = ["#{:02x}{:02x}{:02x}".format(*tuple(int(v) for v in rgba[r, c, :3])) for r, c in ((0, 0), (0, 1), (1, 1))]
    assert hex_of == [colours[0], colours[1], colours[-1]]  # <30, 30-50, >=120
    assert rgba[1, 0, 3] == 0 and rgba[0, 0, 3] == 99


def test_overlay_bounds_match_the_grid_corners() -> None:
    # a 4 x 3 km grid in EPSG:4548 (CGCS2000 / 3-degree GK CM 117E), 1 km cells
    transform = Affine(1000.0, 0.0, 510_000.0, 0.0, -1000.0, 2_716_000.0)
    grid = np.full((3, 4), 40.0, dtype=np.float32)
    url, ((south, west), (north, east)) = height_overlay(Raster(grid, transform, "EPSG:4548"))
    to_ll = Transformer.from_crs("EPSG:4548", "EPSG:4326", always_xy=True)
    lons, lats = to_ll.transform([510_000.0, 514_000.0, 510_000.0, 514_000.0],
                                 [2_713_000.0, 2_713_000.0, 2_716_000.0, 2_716_000.0])
    # the Mercator image covers the grid: within one output pixel of its lon/lat extent
    assert west == pytest.approx(min(lons), abs=2e-4) and east >= max(lons) - 1e-6
    assert south <= min(lats) + 1e-6 and north == pytest.approx(max(lats), abs=2e-4)
    assert url.startswith("data:image/png;base64,")
    png = base64.b64decode(url.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(io.BytesIO(png).getvalue()) > 50


def test_overlay_is_limited_in_size() -> None:
    transform = Affine(10.0, 0.0, 500_000.0, 0.0, -10.0, 2_720_000.0)
    grid = np.full((2000, 3000), 60.0, dtype=np.float32)
    url, _ = height_overlay(Raster(grid, transform, "EPSG:4548"), max_pixels=300)
    png = base64.b64decode(url.split(",", 1)[1])
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert max(width, height) <= 301
