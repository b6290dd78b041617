"""The ``edits:`` of a what-if scenario: which parcels an edit selects and what it sets.

Each edit selects parcels by ``parcels: [ids]`` (``parcel_id`` values) or ``within:`` (a GeoJSON
Polygon or MultiPolygon in EPSG:4326: the parcels whose representative point lies inside it,
its boundary included) and sets any of ``development_type`` (a code of the development-type
library, :mod:`analysis.whatif.types`), ``land_use`` (a canonical code), ``far`` (> 0),
``lease_years`` (a new land-use term of 1-70 years from the start year: the renewal or new grant
that comes with a redevelopment) and ``from_year`` (default: the scenario's first year).  :func:`parse_edits` validates the list,
:func:`check_edits` checks it against a parcel frame (unknown ids, empty selections), and
:func:`edit_to_mapping` writes an edit back as YAML/JSON-able data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

from analysis import _yamlconfig as cfg
from analysis.whatif.types import DevelopmentTypes
from core.errors import ConfigError
from core.settings import GEOGRAPHIC_CRS
from parcels.schema import LAND_USES

__all__ = ["EDIT_KEYS", "MAX_LEASE_YEARS", "Edit", "parse_edits", "edit_to_mapping", "whatif_yaml", "select_parcels", "check_edits"]

#: Keys an edit may have.
EDIT_KEYS: tuple[str, ...] = ("parcels", "within", "development_type", "land_use", "far", "from_year", "lease_years")
#: The longest land-use term an edit may grant (residential land's statutory 70 years).
MAX_LEASE_YEARS = 70
_SHOWN = 8  # ids named in a message at most


@dataclass(frozen=True)
class Edit:
    """One edit of a what-if scenario (see the module notes).

    Exactly one of ``parcels`` (ids) and ``within`` (a Polygon or MultiPolygon in EPSG:4326)
    selects; None fields leave the parcel's value (or the development type's) as it is.
    """

    parcels: tuple[str, ...] = ()
    within: Polygon | MultiPolygon | None = None
    development_type: str | None = None
    land_use: str | None = None
    far: float | None = None
    from_year: int | None = None
    lease_years: int | None = None  # a new land-use term from the start year (renewal or new grant)

    def start_year(self, horizon: tuple[int, int]) -> int:
        """The year the edit takes effect: ``from_year``, or the first year of ``horizon``."""
        return horizon[0] if self.from_year is None else self.from_year


def parse_edits(value: Any, *, horizon: tuple[int, int], types: DevelopmentTypes) -> tuple[Edit, ...]:
    """Validate the ``edits:`` list of a scenario file.

    Parameters
    ----------
    value
        The list as read from YAML (None or missing: no edits).
    horizon
        The scenario's years; ``from_year`` must lie within them.
    types
        The development-type library ``development_type`` codes are looked up in.

    Raises
    ------
    ConfigError
        Not a list, an unknown key, both or neither of ``parcels``/``within``, an empty id list,
        an unknown development type or land use, FAR ≤ 0, a year outside the horizon, a polygon
        that is not a valid (Multi)Polygon in lon/lat, or an edit that sets nothing; the message
        names the edit and the offending value in English and Chinese.
    """
    if value is None:
        return ()
    return tuple(_parse_edit(item, f"edits[{i}]", horizon, types)
                 for i, item in enumerate(cfg.sequence(value, where="edits")))


def _parse_edit(item: Any, w: str, horizon: tuple[int, int], types: DevelopmentTypes) -> Edit:
    m = cfg.mapping(item, where=w)
    cfg.check_keys(m, where=w, valid=EDIT_KEYS)
    if ("parcels" in m) == ("within" in m):
        raise ConfigError(f"{w} needs exactly one of 'parcels' (a list of parcel ids) or 'within' (a GeoJSON "
                          f"Polygon); got {sorted(m)}.",
                          f"{w} 必须且只能给出 parcels（宗地编号列表）或 within（GeoJSON 多边形）之一，实际为 {sorted(m)}。")
    if not any(k in m for k in ("development_type", "land_use", "far", "lease_years")):
        raise ConfigError(f"{w} sets nothing: give development_type, land_use, far or lease_years.",
                          f"{w} 未设置任何内容：请给出 development_type、land_use、far 或 lease_years。")
    ids: tuple[str, ...] = ()
    within = None
    if "parcels" in m:
        raw = cfg.sequence(m["parcels"], where=f"{w}.parcels")
        if not raw:
            raise ConfigError(f"{w}.parcels is empty: list the parcel ids the edit applies to.",
                              f"{w}.parcels 为空：请列出该编辑适用的宗地编号。")
        bad = [x for x in raw if isinstance(x, bool) or not isinstance(x, str | int) or not str(x).strip()]
        if bad:
            raise ConfigError(f"{w}.parcels: {bad[:_SHOWN]} are not parcel ids (text or whole numbers).",
                              f"{w}.parcels：{bad[:_SHOWN]} 不是宗地编号（文本或整数）。")
        ids = tuple(dict.fromkeys(str(x).strip() for x in raw))
    else:
        within = _polygon(m["within"], f"{w}.within")
    code = m.get("development_type")
    if code is not None:
        types.require(code, where=f"{w}.development_type")
    use = m.get("land_use")
    if use is not None and use not in LAND_USES:
        raise ConfigError(f"{w}.land_use: unknown land use {use!r}. Valid land uses: {list(LAND_USES)}.",
                          f"{w}.land_use：未知的用地类型 {use!r}。有效的用地类型为：{list(LAND_USES)}。")
    far = None
    if m.get("far") is not None:
        far = cfg.number(m["far"], where=f"{w}.far", minimum=0, strict_minimum=True, maximum=100)
    year = None
    if m.get("from_year") is not None:
        year = cfg.integer(m["from_year"], where=f"{w}.from_year", minimum=horizon[0], maximum=horizon[1])
    lease = None
    if m.get("lease_years") is not None:
        lease = cfg.integer(m["lease_years"], where=f"{w}.lease_years", minimum=1, maximum=MAX_LEASE_YEARS)
    return Edit(ids, within, code, use, far, year, lease)


def _polygon(value: Any, where: str) -> Polygon | MultiPolygon:
    m = cfg.mapping(value, where=where)
    if m.get("type") == "Feature":
        m = cfg.mapping(m.get("geometry"), where=f"{where}.geometry")
    if m.get("type") not in ("Polygon", "MultiPolygon"):
        raise ConfigError(f"{where} must be a GeoJSON Polygon or MultiPolygon; got type {m.get('type')!r}.",
                          f"{where} 必须是 GeoJSON Polygon 或 MultiPolygon，实际类型为 {m.get('type')!r}。")
    try:
        geom = shape(m)
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.GEOSException) as err:
        raise ConfigError(f"{where} is not a readable GeoJSON {m.get('type')} ({err}).",
                          f"{where} 不是可读取的 GeoJSON {m.get('type')}（{err}）。") from err
    if geom.is_empty or geom.area <= 0 or not geom.is_valid:
        raise ConfigError(f"{where} is empty or not a valid polygon (self-intersecting or without area).",
                          f"{where} 为空或不是有效多边形（自相交或面积为零）。")
    x0, y0, x1, y1 = geom.bounds
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise ConfigError(f"{where} is not in lon/lat (EPSG:4326): bounds {geom.bounds}.",
                          f"{where} 不是经纬度坐标（EPSG:4326）：范围 {geom.bounds}。")
    assert isinstance(geom, Polygon | MultiPolygon)
    return geom


def edit_to_mapping(edit: Edit) -> dict[str, Any]:
    """An edit as YAML/JSON-able data (``within`` as a GeoJSON dict); None fields are left out."""
    out: dict[str, Any] = {}
    if edit.within is not None:
        geo = mapping(edit.within)
        out["within"] = {"type": geo["type"], "coordinates": _lists(geo["coordinates"])}
    else:
        out["parcels"] = list(edit.parcels)
    for key in ("development_type", "land_use", "far", "from_year", "lease_years"):
        v = getattr(edit, key)
        if v is not None:
            out[key] = v
    return out


def whatif_yaml(name: str, base: str | None, edits: Sequence[Edit], **keys: Any) -> str:
    """The YAML text of a what-if scenario file: ``name``, ``base``, any other ``keys`` (e.g. titles), ``edits``.

    What the app saves in the office store; :func:`analysis.scenario.parse_scenario` reads it back
    to the same edits.
    """
    import yaml

    data: dict[str, Any] = {"name": name}
    if base is not None:
        data["base"] = base
    data.update(keys)
    data["edits"] = [edit_to_mapping(e) for e in edits]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _lists(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return float(value)


def _points_4326(frame: gpd.GeoDataFrame) -> np.ndarray:
    geoms = frame.geometry
    if frame.crs is not None and not frame.crs.equals(GEOGRAPHIC_CRS):
        geoms = geoms.to_crs(GEOGRAPHIC_CRS)
    return shapely.point_on_surface(np.asarray(geoms.values, dtype=object))


def select_parcels(frame: gpd.GeoDataFrame, edit: Edit, *, points: np.ndarray | None = None) -> pd.Index:
    """The index labels of the parcels ``edit`` selects.

    Parameters
    ----------
    frame
        Parcel frame with ``parcel_id`` and geometry.
    edit
        The edit: its ids (parcels whose ``parcel_id`` is listed), or its polygon (parcels whose
        representative point, :func:`shapely.point_on_surface`, lies inside it or on its edge).
    points
        The representative points in EPSG:4326, aligned to ``frame`` (computed when None).

    Returns
    -------
    The labels of ``frame.index`` selected, in frame order (ids not in the frame are ignored
    here; :func:`check_edits` reports them).
    """
    if edit.within is None:
        ids = frame["parcel_id"].astype("str").str.strip() if "parcel_id" in frame else pd.Series(dtype="str")
        return frame.index[ids.isin(edit.parcels).to_numpy()]
    pts = _points_4326(frame) if points is None else points
    shapely.prepare(edit.within)
    return frame.index[shapely.covers(edit.within, pts)]


def check_edits(frame: gpd.GeoDataFrame, edits: Sequence[Edit]) -> None:
    """Raise when an edit names parcel ids the frame lacks or selects no parcel.

    Raises
    ------
    ConfigError
        The first edit at fault, with the unknown ids (up to eight) or the polygon's bounds.
    """
    ids = set(frame["parcel_id"].astype("str").str.strip()) if "parcel_id" in frame else set()
    points: np.ndarray | None = None
    for i, edit in enumerate(edits):
        w = f"edits[{i}]"
        if edit.within is None:
            unknown = [p for p in edit.parcels if p not in ids]
            if unknown:
                more = f" (and {len(unknown) - _SHOWN} more)" if len(unknown) > _SHOWN else ""
                more_zh = f"（另有 {len(unknown) - _SHOWN} 个）" if len(unknown) > _SHOWN else ""
                raise ConfigError(f"{w}.parcels: unknown parcel id(s) {unknown[:_SHOWN]}{more}; "
                                  "they are not in the parcel layer.",
                                  f"{w}.parcels：未知的宗地编号 {unknown[:_SHOWN]}{more_zh}，宗地图层中没有这些宗地。")
            continue
        if points is None:
            points = _points_4326(frame)
        if not len(select_parcels(frame, edit, points=points)):
            b = tuple(round(v, 6) for v in edit.within.bounds)
            raise ConfigError(f"{w}.within selects no parcel: no parcel's representative point lies inside the "
                              f"polygon (bounds {b}). Draw it over the parcels.",
                              f"{w}.within 未选中任何宗地：没有宗地的代表点位于该多边形内（范围 {b}）。请在宗地上绘制。")

