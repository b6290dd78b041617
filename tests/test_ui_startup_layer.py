"""``HULI_PARCELS`` (with ``_CRS``, ``_ENCODING``, ``_LAYER``): the layer an office keeps on a share
becomes the district's default dataset when the app starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from office_support import store
from streamlit.testing.v1 import AppTest

import geodata
from office import audit, records

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.fixture()
def share_layer(tmp_path: Path) -> Path:
    """35 embedded parcels in the metric CRS without a .prj-like declaration of the layer name."""
    path = tmp_path / "cadastre.gpkg"
    geodata.read_layer("parcels").iloc[:35].to_crs("EPSG:4548").to_file(path, layer="宗地")
    return path


def test_the_layer_named_by_huli_parcels_is_the_district_default(share_layer: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HULI_PARCELS", str(share_layer))
    monkeypatch.setenv("HULI_PARCELS_LAYER", "宗地")
    at = _app()
    assert _metric(at, "地块数") == "35 宗"
    assert any("cadastre.gpkg" in c.value for c in at.caption)
    default = records.shared(store(), records.DEFAULT_DATASET)
    assert [d["id"] for d in records.list_datasets(store())] == [default]
    again = _app()  # another session (or a restart): the same file is not read or recorded twice
    assert _metric(again, "地块数") == "35 宗"
    assert len(audit.entries(store(), action="upload")) == 1
    assert [e["user"] for e in audit.entries(store(), action="publish")] == ["(HULI_PARCELS)"]


def test_a_huli_parcels_that_cannot_be_read_is_said_and_the_embedded_data_stay(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HULI_PARCELS", str(tmp_path / "nowhere.gpkg"))
    at = _app()
    assert any("HULI_PARCELS" in e.value and "不是文件" in e.value and "is not a file" in e.value for e in at.error)
    assert any("示意数据" in i.value for i in at.info)
    assert _metric(at, "地块数") == f"{len(geodata.read_layer('parcels'))} 宗"
