"""PostGIS export against a real PostgreSQL + PostGIS.

The session fixture (``postgis_url``, tests/pg_support.py) starts a throwaway cluster (initdb into a temporary folder, a free
port on 127.0.0.1, trust authentication) and stops it at the end; when the variable
``HULI_TEST_POSTGIS_URL`` is set, that database is used instead.  Without PostgreSQL
binaries the tests skip with the command that installs them -- except under CI=true,
where they fail (``scripts/setup.sh --test`` installs them there).
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import sqlalchemy
from pg_support import INSTALL_HINT, _free_port, _unavailable
from test_analysis_export import _assert_same_areas, _assert_same_attributes, _parcels

from analysis.export import export_postgis
from core.errors import ConfigError


def _engine(url: str) -> sqlalchemy.Engine:
    return sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))


def _zones() -> gpd.GeoDataFrame:
    parcels = _parcels()
    return gpd.GeoDataFrame(
        {"zone_id": ["hq", "demonstration"], "name_zh": ["总部经济区", "智能网联汽车场景示范区"]},
        geometry=[parcels.geometry.iloc[:3].union_all().envelope, parcels.geometry.iloc[3:].union_all().envelope],
        crs="EPSG:4326",
    )


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:4548"])
def test_postgis_round_trip(postgis_url: str, crs: str) -> None:
    parcels, zones = _parcels(), _zones()
    schema = f"huli_{crs.split(':')[1]}"
    written = export_postgis({"parcels": parcels, "zones": zones}, postgis_url, schema=schema, crs=crs)
    assert written == {"parcels": len(parcels), "zones": 2}

    engine = _engine(postgis_url)
    try:
        got = gpd.read_postgis(f"SELECT * FROM {schema}.parcels", engine, geom_col="geometry")
        with engine.connect() as conn:
            srid = conn.execute(sqlalchemy.text(f"SELECT Find_SRID('{schema}', 'parcels', 'geometry')")).scalar()
            indexes = conn.execute(
                sqlalchemy.text("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = :s"), {"s": schema}
            ).all()
            types = dict(conn.execute(sqlalchemy.text(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = :s AND table_name = 'parcels'"), {"s": schema}).all())
        zones_back = gpd.read_postgis(f"SELECT * FROM {schema}.zones", engine, geom_col="geometry")
    finally:
        engine.dispose()

    assert srid == int(crs.split(":")[1])
    assert got.crs is not None and got.crs.to_epsg() == srid
    assert len(got) == len(parcels)
    _assert_same_attributes(got, parcels)
    _assert_same_areas(got, parcels)
    assert sorted(zones_back["name_zh"]) == sorted(zones["name_zh"])
    for table in ("parcels", "zones"):
        assert any(t == table and "gist" in d.lower() and "geometry" in d for t, d in indexes), indexes
    assert types["lease_start"] == "date"
    assert types["lease_years"] == "bigint"
    assert types["area_mu"] == "double precision"
    assert types["low_efficiency"] == "boolean"
    assert types["enterprise"] == "text"


def test_postgis_replaces_tables_on_a_second_export(postgis_url: str) -> None:
    parcels = _parcels()
    export_postgis({"parcels": parcels}, postgis_url, schema="huli_again")
    export_postgis({"parcels": parcels.iloc[:2]}, postgis_url, schema="huli_again")
    engine = _engine(postgis_url)
    try:
        with engine.connect() as conn:
            count = conn.execute(sqlalchemy.text("SELECT count(*) FROM huli_again.parcels")).scalar()
    finally:
        engine.dispose()
    assert count == 2


def test_postgis_unreachable_database_is_a_config_error() -> None:
    url = f"postgresql://someone:secret@127.0.0.1:{_free_port()}/nowhere"
    with pytest.raises(ConfigError, match="Cannot write to the database") as info:
        export_postgis({"parcels": _parcels()}, url)
    assert "secret" not in str(info.value)


def test_postgis_bad_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="postgresql://"):
        export_postgis({"parcels": _parcels()}, "not a url")


def test_cli_writes_zones_and_parcels_to_postgis(postgis_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from analysis import cli

    code = cli.main(["export", "--postgis", postgis_url, "--schema", "huli_cli", "--as-of", "2026-01-01"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "huli_cli.zones" in out.out and "huli_cli.parcels" in out.out
    engine = _engine(postgis_url)
    try:
        with engine.connect() as conn:
            zones = conn.execute(sqlalchemy.text("SELECT zone_id FROM huli_cli.zones ORDER BY zone_id")).scalars().all()
            columns = set(conn.execute(sqlalchemy.text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'huli_cli' AND table_name = 'parcels'")).scalars().all())
            srid = conn.execute(sqlalchemy.text("SELECT Find_SRID('huli_cli', 'parcels', 'geometry')")).scalar()
    finally:
        engine.dispose()
    assert zones == ["demonstration", "hq", "incubation"]
    assert {"parcel_id", "area_mu", "remaining_years", "efficiency_class", "recommendation_zh"} <= columns
    assert srid == 4326


def test_missing_postgresql_skips_with_the_fix_but_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        _unavailable(INSTALL_HINT)
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y postgresql postgresql-postgis"):
        _unavailable(INSTALL_HINT)
