"""The product's settings, in one place.

Environment variables are read here and nowhere else.

=========================  =============================  ===========================
variable                   setting                        default
=========================  =============================  ===========================
``HULI_WORKSPACE``         :attr:`Settings.workspace`      ``~/.huli-zones``
``HULI_METRIC_CRS``        :attr:`Settings.metric_crs`     ``EPSG:4548``
``HULI_MAX_UPLOAD_MB``     :attr:`Settings.max_upload_mb`  ``200``
``HULI_MAX_UNPACKED_MB``   :attr:`Settings.max_unpacked_mb` ``1024``
``HULI_MAX_ARCHIVE_MEMBERS`` :attr:`Settings.max_archive_members` ``2000``
``HULI_LARGE_LAYER_PARCELS`` :attr:`Settings.large_layer_parcels` ``20000``
``TIANDITU_TOKEN``         :attr:`Settings.tianditu_token` empty (basemap hidden)
``HULI_DATABASE_URL``      :attr:`Settings.database_url`   empty (SQLite in the workspace)
``HULI_REQUIRE_LOGIN``     :attr:`Settings.require_login`  ``0`` (viewing open to all)
``HULI_SESSION_HOURS``     :attr:`Settings.session_hours`  ``12``
``HULI_PARCELS``           :attr:`Settings.parcels`        empty (the embedded data)
``HULI_PARCELS_CRS``, ``HULI_PARCELS_ENCODING``, ``HULI_PARCELS_LAYER``: how to read it
``HULI_REGION``            :attr:`Settings.region`         empty (the district outline)
``HULI_REGION_MARGIN_M``   :attr:`Settings.region_margin_m` ``1000``
=========================  =============================  ===========================
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ConfigError

__all__ = ["Settings", "get_settings", "SQM_PER_MU", "GEOGRAPHIC_CRS"]

#: One mu (亩) in square metres: 10000 / 15.
SQM_PER_MU: float = 10000.0 / 15.0

#: CRS in which geometry is stored and exported by default (lon/lat).
GEOGRAPHIC_CRS: str = "EPSG:4326"


@dataclass(frozen=True)
class Settings:
    """Run-time settings.

    Attributes
    ----------
    metric_crs
        Projected CRS in which areas and distances are measured.  EPSG:4548 is
        CGCS2000 / 3-degree Gauss-Kruger CM 117E, which covers Xiamen.
    workspace
        Folder for uploads, field mappings and saved scenarios.
    max_upload_mb
        Largest file accepted by an upload, in MB.
    max_unpacked_mb
        Largest total size an archive may unpack to, in MB (zip-bomb guard).
    max_archive_members
        Largest number of entries an archive may hold.
    large_layer_parcels
        Above this many parcels the map shows a grid overview at low zoom and only the
        parcels in view when zoomed in (docs/benchmarks.md); a slow browser may want less.
    tianditu_token
        Token for the Tianditu (天地图) basemap; empty hides that basemap.
    database_url
        SQLAlchemy URL of the office store (accounts, shared records, audit); empty: the
        SQLite file ``office.sqlite`` in the workspace.
    require_login
        With accounts, even viewing needs a login (``HULI_REQUIRE_LOGIN=1``).
    session_hours
        A login expires after this many idle hours.
    parcels, parcels_crs, parcels_encoding, parcels_layer
        A parcel layer (path) the app makes the district's default dataset at start, and how to
        read it (as the CLI's ``--crs``, ``--encoding``, ``--layer``); empty: none.
    region
        A polygon layer (path) of the region a parcel layer is expected to lie in; empty: the
        embedded district outline.  Parcels outside it are reported (``outside_district``).
    region_margin_m
        Margin around the region in metres (measured in ``metric_crs``); 0 for none.
    source_date_epoch
        ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC): the time a generated document (the
        briefing) says it was made, for reproducible files; None: the current time.
    """

    metric_crs: str = "EPSG:4548"
    workspace: Path = field(default_factory=lambda: Path.home() / ".huli-zones")
    max_upload_mb: int = 200
    max_unpacked_mb: int = 1024
    max_archive_members: int = 2000
    large_layer_parcels: int = 20_000
    tianditu_token: str = ""
    database_url: str = ""
    require_login: bool = False
    session_hours: int = 12
    parcels: str = ""
    parcels_crs: str = ""
    parcels_encoding: str = ""
    parcels_layer: str = ""
    region: str = ""
    region_margin_m: float = 1000.0
    source_date_epoch: int | None = None


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigError(
            f"environment variable {name}={raw!r} is not a positive whole number; set e.g. {name}={default}",
            f"环境变量 {name}={raw!r} 不是正整数；请设置为例如 {name}={default}",
        )
    return value


def _non_negative_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise ConfigError(
            f"environment variable {name}={raw!r} is not a number of metres of 0 or more; set e.g. {name}={default:g}",
            f"环境变量 {name}={raw!r} 不是大于或等于 0 的米数；请设置为例如 {name}={default:g}",
        )
    return value


def get_settings() -> Settings:
    """Settings with the environment's overrides applied.

    Raises
    ------
    ConfigError
        A numeric variable is not a positive whole number (the margin: not a number of 0 or more).
    """
    env = os.environ
    return Settings(
        metric_crs=env.get("HULI_METRIC_CRS", "EPSG:4548"),
        workspace=Path(env.get("HULI_WORKSPACE", str(Path.home() / ".huli-zones"))).expanduser(),
        max_upload_mb=_positive_int("HULI_MAX_UPLOAD_MB", 200),
        max_unpacked_mb=_positive_int("HULI_MAX_UNPACKED_MB", 1024),
        max_archive_members=_positive_int("HULI_MAX_ARCHIVE_MEMBERS", 2000),
        large_layer_parcels=_positive_int("HULI_LARGE_LAYER_PARCELS", 20_000),
        tianditu_token=env.get("TIANDITU_TOKEN", ""),
        database_url=env.get("HULI_DATABASE_URL", "").strip(),
        require_login=env.get("HULI_REQUIRE_LOGIN", "").strip().lower() in ("1", "true", "yes", "on"),
        session_hours=_positive_int("HULI_SESSION_HOURS", 12),
        parcels=env.get("HULI_PARCELS", "").strip(),
        parcels_crs=env.get("HULI_PARCELS_CRS", "").strip(),
        parcels_encoding=env.get("HULI_PARCELS_ENCODING", "").strip(),
        parcels_layer=env.get("HULI_PARCELS_LAYER", "").strip(),
        region=env.get("HULI_REGION", "").strip(),
        region_margin_m=_non_negative_number("HULI_REGION_MARGIN_M", 1000.0),
        source_date_epoch=_positive_int("SOURCE_DATE_EPOCH", 0) if env.get("SOURCE_DATE_EPOCH", "").strip() else None,
    )
