"""PostGIS export against a real PostgreSQL + PostGIS.

The session fixture starts a throwaway cluster (initdb into a temporary folder, a free
port on 127.0.0.1, trust authentication) and stops it at the end; when the variable
``HULI_TEST_POSTGIS_URL`` is set, that database is used instead.  Without PostgreSQL
binaries the tests skip with the command that installs them -- except under CI=true,
where they fail (``scripts/setup.sh --test`` installs them there).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import sqlalchemy
from test_analysis_export import _assert_same_areas, _assert_same_attributes, _parcels

from analysis.export import export_postgis
from core.errors import ConfigError

INSTALL_HINT = (
    "PostgreSQL/PostGIS not found: install them with "
    "`apt-get install -y postgresql postgresql-postgis` (or run scripts/setup.sh --test), "
    "or point HULI_TEST_POSTGIS_URL at a PostGIS database"
)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the PostGIS round trip must run)")
    pytest.skip(reason)


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(cmd: list[str], *, as_postgres: bool) -> None:
    if as_postgres:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def postgis_url() -> Iterator[str]:
    """URL of a PostGIS database for the session."""
    url = os.environ.get("HULI_TEST_POSTGIS_URL")
    if url:
        yield url
        return
    bin_dir = _bin_dir()
    if bin_dir is None:
        _unavailable(INSTALL_HINT)
    version = bin_dir.parent.name
    if not glob.glob(f"/usr/share/postgresql/{version}/extension/postgis.control"):
        _unavailable(INSTALL_HINT)
    as_postgres = os.geteuid() == 0  # initdb refuses to run as root
    root = Path(tempfile.mkdtemp(prefix="huli-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if as_postgres:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data)]
    try:
        _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
              "--no-locale"], as_postgres=as_postgres)
        _run([*pg_ctl, "-w", "-t", "60", "-l", str(root / "log"), "-o",
              f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
             as_postgres=as_postgres)
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            _run([*pg_ctl, "-m", "fast", "-w", "stop"], as_postgres=as_postgres)
        shutil.rmtree(root, ignore_errors=True)


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
