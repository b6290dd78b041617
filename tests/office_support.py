"""Office records for the UI tests: a dataset recorded and published, a saved scenario, the
district's starting choices, one browser across sessions (what the app's cookies give)."""

from __future__ import annotations

from typing import Any

from office import records
from office.legacy import UI_DEFAULTS
from office.opening import open_store
from office.records import LOCAL
from office.store import Store
from office.tables import SharedSetting, utcnow

#: The browser id a test gives a session, so that a "refresh" (a new session) is the same person.
BROWSER = "test-browser-0000000001"


def store() -> Store:
    """The store of the test's workspace (the one the app opens)."""
    return open_store()


def record_dataset(dataset_id: str, name: str = "tiny.geojson") -> None:
    """Record an upload whose files are already in the workspace."""
    records.register_dataset(store(), dataset_id, name=name, source_file=name, read_options={},
                             validation={}, actor=LOCAL)


def publish_dataset(dataset_id: str, name: str = "tiny.geojson") -> None:
    """Record an upload and make it the district's default dataset."""
    record_dataset(dataset_id, name)
    records.publish(store(), records.DEFAULT_DATASET, dataset_id, actor=LOCAL)


def save_scenario(name: str, text: str) -> int:
    """Save a scenario as a new one (the single local user)."""
    return records.save_scenario(store(), name, text, actor=LOCAL, base_version=None)


def starting_choices(values: dict[str, Any]) -> None:
    """The choices everybody starts from (what an old workspace's ui_state.json becomes)."""
    with store().session() as session:
        row = session.get(SharedSetting, UI_DEFAULTS)
        if row is None:
            session.add(SharedSetting(key=UI_DEFAULTS, value=values, updated_at=utcnow()))
        else:
            row.value = values


def same_browser(at: Any, browser: str = BROWSER) -> Any:
    """An AppTest session as the browser ``browser`` (before its first run)."""
    at.session_state["office.browser"] = browser
    return at


def save_layer(dataset_id: str, frame: Any) -> None:
    """Keep a dataset's canonical parcels where the test's store keeps them."""
    from office import layers

    layers.save_layer(store(), dataset_id, frame)


def load_layer(dataset_id: str) -> Any:
    """A dataset's canonical parcels from the test's store."""
    from office import layers

    return layers.load_layer(store(), dataset_id)


def parquet_path(dataset_id: str) -> Any:
    """Where an SQLite store keeps a dataset's parcels."""
    from office import layers

    return layers.parquet_path(dataset_id)
