"""PostGIS: layers written as tables (replaced when present), each with a GiST spatial index."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np

from analysis.export.columns import attribute_columns, sql_columns
from analysis.export.formats import in_crs
from analysis.export.ogr import promote_multi
from core.errors import ConfigError

__all__ = ["export_postgis"]

log = logging.getLogger(__name__)


def _sql_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns typed for SQL (:func:`sql_columns`), polygons promoted to multipolygons."""
    out = sql_columns(attribute_columns(frame))
    geoms = promote_multi(np.asarray(frame.geometry.values, dtype=object))
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=frame.index), crs=frame.crs)


def export_postgis(
    layers: Mapping[str, gpd.GeoDataFrame],
    url: str,
    *,
    schema: str = "public",
    crs: Any = None,
) -> dict[str, int]:
    """Write layers to PostGIS tables (replaced when present), each with a GiST spatial index.

    Parameters
    ----------
    layers
        ``{table_name: frame}``.
    url
        ``postgresql://user:password@host:port/database``.
    schema
        Database schema; created when missing.
    crs
        Output CRS (the column SRID); default: each frame's own.

    Returns
    -------
    dict
        ``{table_name: rows written}``.

    Raises
    ------
    ConfigError
        Bad URL, database unreachable, PostGIS extension missing.
    """
    import sqlalchemy
    from sqlalchemy import exc as sa_exc

    try:
        parsed = sqlalchemy.engine.make_url(url)
        if parsed.drivername in ("postgresql", "postgres"):  # SQLAlchemy 2.1 would pick psycopg 3
            parsed = parsed.set(drivername="postgresql+psycopg2")
        engine = sqlalchemy.create_engine(parsed)
    except sa_exc.ArgumentError as err:
        raise ConfigError(
            "Not a database URL: give postgresql://user:password@host:port/database.",
            "数据库地址格式不对：应为 postgresql://用户:密码@主机:端口/数据库。",
        ) from err
    shown = engine.url.render_as_string(hide_password=True)
    quoted_schema = engine.dialect.identifier_preparer.quote(schema)
    written: dict[str, int] = {}
    try:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text("CREATE EXTENSION IF NOT EXISTS postgis"))
            conn.execute(sqlalchemy.text(f"CREATE SCHEMA IF NOT EXISTS {quoted_schema}"))
        for name, frame in layers.items():
            table = _sql_frame(in_crs(frame, crs))
            empties = {c: np.flatnonzero((table[c] == "").to_numpy()) for c in table.columns
                       if c != table.geometry.name and table[c].dtype == object}
            empties = {c: rows for c, rows in empties.items() if len(rows)}
            if empties:
                table = table.assign(**{_ROW: np.arange(len(table))})
            table.to_postgis(name, engine, schema=schema, if_exists="replace", index=False)
            if empties:
                _restore_empty_text(engine, schema, name, empties)
            _ensure_spatial_index(engine, schema, name, table.geometry.name)
            written[name] = len(table)
            log.info("wrote %d rows to %s.%s at %s", len(table), schema, name, shown)
    except sa_exc.OperationalError as err:
        raise ConfigError(
            f"Cannot write to the database {shown}: {err.orig}. Check host, port, user and password.",
            f"无法写入数据库 {shown}：{err.orig}。请检查主机、端口、用户和密码。",
        ) from err
    except sa_exc.ProgrammingError as err:
        raise ConfigError(
            f"The database {shown} refused the export: {err.orig}. PostGIS must be installed and the user "
            "allowed to create tables in the schema.",
            f"数据库 {shown} 拒绝写入：{err.orig}。需要安装 PostGIS 扩展，且用户可在该模式下建表。",
        ) from err
    finally:
        engine.dispose()
    return written


_ROW = "_export_row"


def _restore_empty_text(engine: Any, schema: str, table: str, empties: Mapping[str, np.ndarray]) -> None:
    """Put back empty strings that geopandas' COPY (CSV) turned into NULL, then drop the row key."""
    import sqlalchemy

    prep = engine.dialect.identifier_preparer
    target = f"{prep.quote(schema)}.{prep.quote(table)}"
    with engine.begin() as conn:
        for column, rows in empties.items():
            conn.execute(
                sqlalchemy.text(f"UPDATE {target} SET {prep.quote(column)} = '' WHERE {_ROW} = ANY(:rows)"),
                {"rows": rows.tolist()},
            )
        conn.execute(sqlalchemy.text(f"ALTER TABLE {target} DROP COLUMN {_ROW}"))


def _ensure_spatial_index(engine: Any, schema: str, table: str, column: str) -> None:
    import sqlalchemy

    prep = engine.dialect.identifier_preparer
    with engine.begin() as conn:
        found = conn.execute(
            sqlalchemy.text(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = :s AND tablename = :t"
            ),
            {"s": schema, "t": table},
        ).scalars().all()
        if any("gist" in d.lower() and column in d for d in found):
            return
        index = prep.quote(f"idx_{table}_{column}")
        conn.execute(sqlalchemy.text(
            f"CREATE INDEX IF NOT EXISTS {index} ON {prep.quote(schema)}.{prep.quote(table)} "
            f"USING GIST ({prep.quote(column)})"))
