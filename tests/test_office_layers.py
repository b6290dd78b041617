"""Each dataset's canonical parcels where the store keeps them: GeoParquet in the workspace with
SQLite, a PostGIS table with PostgreSQL (shared by several app servers); the same frame back."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa
from pg_support import fresh_database

import geodata
from office import layers
from office.opening import forget_stores, open_store
from office.records import LOCAL
from office.store import Store
from parcels.read import read_parcels

DS = "0123456789abcdef"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    url = None if request.param == "sqlite" else fresh_database(request.getfixturevalue("postgis_url"))
    yield open_store(url)
    forget_stores()


def _canonical():  # type: ignore[no-untyped-def]
    """The embedded parcels as ingest makes them (strings, dates, nullable integers, polygons)."""
    return read_parcels(geodata.get_path("huli"), layer="parcels").frame


def test_a_layer_comes_back_as_it_was_stored(store: Store) -> None:
    frame = _canonical()
    assert not layers.has_layer(store, DS) and layers.stamp(store, DS) == 0.0
    layers.save_layer(store, DS, frame)
    assert layers.has_layer(store, DS)
    back = layers.load_layer(store, DS)
    pd.testing.assert_frame_equal(pd.DataFrame(back.drop(columns="geometry")),
                                  pd.DataFrame(frame.drop(columns="geometry")))
    assert back.crs.equals(frame.crs)
    assert back.geometry.geom_equals_exact(frame.geometry, tolerance=1e-12).all()


def test_postgresql_keeps_layers_in_postgis_not_in_the_workspace(store: Store) -> None:
    layers.save_layer(store, DS, _canonical())
    if store.dialect == "postgresql":
        assert not layers.parquet_path(DS).exists()
        with store.engine.connect() as conn:
            srid = conn.execute(sa.text(f"SELECT Find_SRID('{layers.SCHEMA}', '{layers.table_name(DS)}', "
                                        "'geometry')")).scalar_one()
        assert srid == 4326
    else:
        assert layers.parquet_path(DS).exists()


def test_storing_again_changes_the_stamp_and_replaces_the_layer(store: Store) -> None:
    frame = _canonical()
    layers.save_layer(store, DS, frame)
    first = layers.stamp(store, DS)
    import time

    time.sleep(0.01)  # stored_at has microseconds; a later store is a later stamp
    layers.save_layer(store, DS, frame.iloc[:5])
    assert layers.stamp(store, DS) > first
    assert len(layers.load_layer(store, DS)) == 5


def test_a_second_server_on_the_same_postgresql_sees_an_upload(request: pytest.FixtureRequest) -> None:
    from test_ui_ingest import _geojson

    from ui import ingest

    url = fresh_database(request.getfixturevalue("postgis_url"))
    first = open_store(url)
    out = ingest.ingest_upload(_geojson(), "园区地块.geojson", store=first, actor=LOCAL)
    assert out.usable
    forget_stores()  # another process: a store of its own on the same database
    second = open_store(url, import_workspace=False)
    try:
        assert layers.has_layer(second, out.dataset_id)
        assert len(layers.load_layer(second, out.dataset_id)) == 6
    finally:
        forget_stores()


def test_two_editors_uploading_at_the_same_moment_both_succeed(store: Store) -> None:
    import threading

    from test_ui_ingest import _geojson

    from office import records
    from office.records import Actor
    from ui import ingest

    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def upload(i: int) -> None:
        barrier.wait()
        try:
            results[i] = ingest.ingest_upload(_geojson(4 + i), f"editor{i}.geojson", store=store,
                                              actor=Actor(f"e{i}", "editor"))
        except Exception as err:  # the test looks at what each got
            results[i] = err

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(isinstance(r, ingest.UploadOutcome) and r.usable for r in results), results
    ids = {r.dataset_id for r in results}  # type: ignore[union-attr]
    assert {d["id"] for d in records.list_datasets(store)} == ids
    assert sorted(len(layers.load_layer(store, i)) for i in ids) == [4, 5]  # each whole, none half-written
