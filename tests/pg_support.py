"""A throwaway PostgreSQL + PostGIS cluster for the tests that need a real server.

The session fixture ``postgis_url`` starts one (initdb into a temporary folder, a free port on
127.0.0.1, trust authentication) and stops it at the end; when ``HULI_TEST_POSTGIS_URL`` is
set, that database is used instead.  Without PostgreSQL binaries the tests skip with the
command that installs them -- except under CI=true, where they fail (``scripts/setup.sh --test``
installs them there).  :func:`fresh_database` gives a test its own empty database.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy

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


def fresh_database(server_url: str) -> str:
    """A new, empty database on the server of ``server_url``; its psycopg2 URL."""
    name = f"office_{uuid.uuid4().hex[:12]}"
    url = sqlalchemy.make_url(server_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)
