"""A workspace in the single-desk layout (uploads/, scenarios/, profile.json, active.json,
ui_state.json) is imported into the store on first start, once, with nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from office import audit, records
from office.legacy import UI_DEFAULTS
from office.opening import forget_stores, open_store

UPLOAD = "0123456789abcdef"
JOINED = "fedcba9876543210"
BROKEN = "00000000000000ff"  # an upload whose reading failed: no parcels.parquet


def _old_workspace(root: Path) -> dict[str, bytes]:
    """Write the old layout; returns every file's bytes (to check nothing was changed)."""
    for uid, name in ((UPLOAD, "宗地.gpkg"), (JOINED, "宗地.gpkg + 统计.csv")):
        folder = root / "uploads" / uid
        (folder / "source").mkdir(parents=True)
        (folder / "source" / "宗地.gpkg").write_bytes(b"not read by the import")
        gpd.GeoDataFrame({"parcel_id": ["A-1"]}, geometry=[box(118.1, 24.5, 118.11, 24.51)],
                         crs="EPSG:4326").to_parquet(folder / "parcels.parquet")
        (folder / "options.json").write_text(json.dumps({"filename": "宗地.gpkg", "name": name, "crs": None}),
                                             encoding="utf-8")
        pd.DataFrame({"code": ["duplicate_id", "missing_geometry"], "severity": ["warning", "error"]}).to_csv(
            folder / "report.csv", index=False, encoding="utf-8-sig")
    (root / "uploads" / BROKEN / "source").mkdir(parents=True)
    (root / "scenarios").mkdir()
    (root / "scenarios" / "早搬迁.yaml").write_text("name: early\nrelocation_year: 2026\n", encoding="utf-8")
    (root / "scenarios" / "late.yaml").write_text("name: late\n", encoding="utf-8")
    (root / "profile.json").write_text(json.dumps({"low_efficiency": {"threshold": 250}}), encoding="utf-8")
    (root / "active.json").write_text(json.dumps({"dataset": UPLOAD}), encoding="utf-8")
    (root / "ui_state.json").write_text(json.dumps({"lang": "en", "basemap": "offline"}), encoding="utf-8")
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_an_old_workspace_is_imported_with_nothing_lost(_isolated_workspace: Path) -> None:
    before = _old_workspace(_isolated_workspace)
    store = open_store()
    try:
        datasets = {d["id"]: d for d in records.list_datasets(store)}
        assert set(datasets) == {UPLOAD, JOINED}  # the broken upload had no parcels to show
        assert datasets[JOINED]["name"] == "宗地.gpkg + 统计.csv"
        assert records.dataset_record(store, UPLOAD)["validation"] == {"issues": 2, "warning": 1, "error": 1}
        assert records.list_scenarios(store) == sorted(["早搬迁", "late"])
        assert records.scenario_text(store, "早搬迁") == ("name: early\nrelocation_year: 2026\n", 1)
        assert records.district_profile(store) == {"low_efficiency": {"threshold": 250}}
        assert records.shared(store, records.DEFAULT_DATASET) == UPLOAD
        assert records.shared(store, UI_DEFAULTS) == {"lang": "en", "basemap": "offline"}
        # the files are all still there, unchanged
        after = {str(p.relative_to(_isolated_workspace)): p.read_bytes()
                 for p in _isolated_workspace.rglob("*") if p.is_file()}
        assert all(after.get(name) == data for name, data in before.items())
        imported = audit.entries(store, action="workspace_import")
        assert len(imported) == 1 and '"datasets": 2' in imported[0]["after"]
    finally:
        forget_stores()


def test_the_import_runs_once(_isolated_workspace: Path) -> None:
    _old_workspace(_isolated_workspace)
    open_store()
    forget_stores()
    (_isolated_workspace / "scenarios" / "added later.yaml").write_text("name: x\n", encoding="utf-8")
    store = open_store()
    try:
        assert len(audit.entries(store, action="workspace_import")) == 1
        assert "added later" not in records.list_scenarios(store)
        assert len(records.list_datasets(store)) == 2
    finally:
        forget_stores()


def test_a_new_workspace_imports_nothing(_isolated_workspace: Path) -> None:
    store = open_store()
    try:
        assert records.list_datasets(store) == [] and records.list_scenarios(store) == []
        assert records.shared(store, records.DEFAULT_DATASET) is None
    finally:
        forget_stores()
