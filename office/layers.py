"""Each dataset's canonical parcels, kept where the store says: GeoParquet in the workspace with
SQLite (``uploads/<id>/parcels.parquet``), a PostGIS table with PostgreSQL (schema
``huli_layers``, table ``parcels_<id>``), so that several app servers on one PostgreSQL see the
same layers.  :func:`stamp` changes whenever a layer is stored again (a cache key).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa

from core.errors import InputFileError
from core.files import atomic_write
from core.settings import get_settings
from office.store import Store
from office.tables import StoredLayer, utcnow

__all__ = ["SCHEMA", "save_layer", "load_layer", "has_layer", "stamp", "parquet_path", "table_name"]

SCHEMA = "huli_layers"


def parquet_path(dataset_id: str) -> Path:
    """Where a dataset's parcels are kept on an SQLite store (and were before the store)."""
    return get_settings().workspace / "uploads" / dataset_id / "parcels.parquet"


def table_name(dataset_id: str) -> str:
    """The PostGIS table of a dataset's parcels (in :data:`SCHEMA`)."""
    return f"parcels_{dataset_id}"


def _postgis(store: Store) -> bool:
    return store.dialect == "postgresql"


def save_layer(store: Store, dataset_id: str, frame: gpd.GeoDataFrame) -> None:
    """Keep a dataset's canonical parcels (replacing an earlier version, atomically)."""
    if _postgis(store):
        # the schema is made by migration 0003; one transaction: the new table replaces the old one at commit, readers never see half
        with store.engine.begin() as conn:
            frame.to_postgis(table_name(dataset_id), conn, schema=SCHEMA, if_exists="replace", index=False)
        storage = "postgis"
    else:
        atomic_write(parquet_path(dataset_id), lambda tmp: frame.to_parquet(tmp, index=False))
        storage = "parquet"
    dtypes = {str(c): str(t) for c, t in frame.dtypes.items() if c != frame.geometry.name}
    with store.session() as session:
        row = session.get(StoredLayer, dataset_id)
        if row is None:
            session.add(StoredLayer(dataset_id=dataset_id, storage=storage, stored_at=utcnow(), rows=len(frame),
                                    dtypes=dtypes))
        else:
            row.storage, row.stored_at, row.rows, row.dtypes = storage, utcnow(), len(frame), dtypes


def has_layer(store: Store, dataset_id: str) -> bool:
    """Whether the dataset's parcels are kept (an upload of a single-desk workspace: its GeoParquet)."""
    with store.session() as session:
        row = session.get(StoredLayer, dataset_id)
    if row is not None:
        return row.storage == "postgis" or parquet_path(dataset_id).exists()
    return parquet_path(dataset_id).exists()


def stamp(store: Store, dataset_id: str) -> float:
    """A number that changes whenever the dataset's parcels are stored again (0.0: none kept)."""
    with store.session() as session:
        row = session.get(StoredLayer, dataset_id)
    if row is not None:
        return row.stored_at.replace(tzinfo=dt.UTC).timestamp()
    path = parquet_path(dataset_id)
    return path.stat().st_mtime if path.exists() else 0.0


def load_layer(store: Store, dataset_id: str) -> gpd.GeoDataFrame:
    """A dataset's canonical parcels.

    Raises
    ------
    InputFileError
        None are kept for it (upload it again).
    """
    with store.session() as session:
        row = session.get(StoredLayer, dataset_id)
    if row is not None and row.storage == "postgis":
        with store.engine.connect() as conn:
            frame = gpd.read_postgis(sa.text(f'SELECT * FROM "{SCHEMA}"."{table_name(dataset_id)}"'), conn,
                                     geom_col="geometry")
        return _with_dtypes(frame, row.dtypes or {})
    path = parquet_path(dataset_id)
    if not path.exists():
        raise InputFileError(
            f"The uploaded dataset {dataset_id} has no usable parcels kept. Upload it again.",
            f"上传的数据集 {dataset_id} 没有保存可用地块，请重新上传。",
        )
    return gpd.read_parquet(path)


def _with_dtypes(frame: gpd.GeoDataFrame, dtypes: dict[str, str]) -> gpd.GeoDataFrame:
    """The columns back in the dtypes they were stored with (SQL gives int64 for Int64 without
    gaps, zoned timestamps, object strings)."""
    for col, dtype in dtypes.items():
        if col not in frame.columns or str(frame[col].dtype) == dtype:
            continue
        values = frame[col]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_convert(None)
        frame[col] = values.astype(dtype)
    return frame
