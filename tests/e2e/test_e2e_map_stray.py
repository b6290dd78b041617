"""One stray parcel far away (in Beijing) does not zoom the Parcels map out to a continent: the
map fits to the parcels in the district, while the hook's ``extent()`` still reads the layer's
true bounds, the stray included.

The app runs on its own server whose district default is ``HULI_PARCELS``: the embedded parcels
and one parcel at 116.4 E, 39.9 N.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import shapely
from e2e_support import ARTIFACTS, PageProbe, running_app, wait_settled

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_e2e_app import _map_frame

import geodata

pytestmark = pytest.mark.e2e

_VIEW = "() => huliMap.view()"


@pytest.fixture(scope="module")
def stray_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("stray")
    parcels = geodata.read_layer("parcels")
    stray = parcels.iloc[[0]].copy()
    stray["parcel_id"] = "BJ-1"
    stray = stray.set_geometry([shapely.box(116.4, 39.9, 116.402, 39.902)], crs="EPSG:4326")
    path = folder / "with_stray.gpkg"
    pd.concat([parcels, stray], ignore_index=True).to_file(path, layer="parcels")
    with running_app(folder / "workspace", ARTIFACTS / "e2e-stray-streamlit.log", HULI_PARCELS=str(path)) as url:
        yield url


def test_a_stray_parcel_does_not_zoom_the_map_out(stray_app: str, probe: PageProbe) -> None:
    district = geodata.read_layer("parcels").total_bounds  # the embedded parcels: all in Huli
    probe.page.goto(stray_app + "/parcels")
    frame = _map_frame(probe)
    frame.wait_for_function("() => window.huliMap !== undefined && huliMap.count() > 0", timeout=60_000)
    view = wait_settled(frame, _VIEW)
    extent = frame.evaluate("() => huliMap.extent()")
    assert frame.evaluate("() => huliMap.count()") == len(geodata.read_layer("parcels")) + 1
    # the hook reads the true bounds: from Beijing (116.4 E, 39.902 N) to the district
    assert extent[0] == pytest.approx(116.4, abs=1e-5) and extent[3] == pytest.approx(39.902, abs=1e-5)
    # the view holds the district's parcels and is about their size, far from Beijing
    w, s, e, n = (float(v) for v in district)
    assert view[0] <= w and view[1] <= s and e <= view[2] and n <= view[3]
    assert (view[2] - view[0]) * (view[3] - view[1]) < 4 * (e - w) * (n - s)  # the district's view, not wider
    assert view[0] > 117.0  # Beijing (116.4 E) is off the map
