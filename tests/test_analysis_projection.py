"""``run --scenario`` projects the parcels once: the analysis measures, assigns zones and the airport
step sets height limits on one metric geometry, which a layer already in the metric CRS supplies
itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import geodata
from analysis.run import run_analysis
from analysis.scenario import demonstration_advice, load_scenario
from analysis.scenario_io import apply_scenario_to_run
from core.settings import get_settings
from parcels.read import read_parcels

AS_OF = "2025-06-30"


@pytest.fixture()
def coordinates_projected(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], int]]:
    """How many coordinates pyproj has transformed since the fixture started (every direction)."""
    seen: list[int] = []
    original = pyproj.Transformer.transform

    def counting(self: pyproj.Transformer, xx: Any, yy: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(int(np.size(xx)))
        return original(self, xx, yy, *args, **kwargs)

    monkeypatch.setattr(pyproj.Transformer, "transform", counting)
    yield lambda: sum(seen)


@pytest.fixture(scope="module")
def metric_layer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded parcels written in the metric CRS (as a planner's EPSG:4548 layer would be)."""
    path = tmp_path_factory.mktemp("metric") / "parcels_4548.gpkg"
    geodata.read_layer("parcels").to_crs(get_settings().metric_crs).to_file(path, layer="parcels")
    return path


def _parcel_vertices() -> int:
    return int(shapely.get_num_coordinates(geodata.read_layer("parcels").geometry.values).sum())


def _run_scenario(path: Path | None) -> Any:
    scenario = load_scenario("on_schedule")
    result = run_analysis(path, as_of=AS_OF, demonstration=demonstration_advice(scenario, 2025))
    return apply_scenario_to_run(result, scenario, 2025)  # limits still apply in 2025: they are measured


@pytest.mark.parametrize("layer", ["embedded", "metric"])
def test_a_run_with_a_scenario_projects_each_parcel_once(layer: str, metric_layer: Path,
                                                         coordinates_projected: Callable[[], int]) -> None:
    geodata.read_layer("parcels")  # the embedded layers' own reading is not what is counted
    vertices = _parcel_vertices()
    before = coordinates_projected()
    result = _run_scenario(metric_layer if layer == "metric" else None)
    moved = coordinates_projected() - before
    assert result.parcels["height_limit_m"].notna().sum() > 0
    # once: to the metric CRS (embedded, EPSG:4326) or back to lon/lat (the metric layer); the rest
    # (zones, district, airport) is a few dozen vertices. Twice would be >= 2 * vertices.
    assert vertices <= moved < 1.5 * vertices, (moved, vertices)


def test_a_layer_read_in_the_metric_crs_keeps_its_metric_geometry(metric_layer: Path) -> None:
    ingest = read_parcels(metric_layer, layer="parcels")
    assert ingest.metric is not None
    assert ingest.metric.crs.equals(get_settings().metric_crs)
    assert ingest.metric.index.equals(ingest.frame.index)
    source = geodata.read_layer("parcels").to_crs(get_settings().metric_crs)
    assert np.allclose(ingest.metric.area.to_numpy(), source.area.to_numpy(), rtol=1e-9)
    lonlat = read_parcels(geodata.get_path("huli"), layer="parcels")
    assert lonlat.metric is None  # a lon/lat layer is projected by the analysis, once


def test_the_metric_layer_gives_the_embedded_layers_figures(metric_layer: Path) -> None:
    embedded, metric = _run_scenario(None), _run_scenario(metric_layer)
    a, b = embedded.parcels.set_index("parcel_id"), metric.parcels.set_index("parcel_id").loc[
        embedded.parcels["parcel_id"]]
    for col in ("area_m2", "height_limit_m", "buildable_floor_area_m2"):
        pd.testing.assert_series_equal(a[col], b[col], rtol=1e-6, check_names=False)
    assert (a["zone_id"] == b["zone_id"]).all()
    assert (a["recommendation"] == b["recommendation"]).all()
