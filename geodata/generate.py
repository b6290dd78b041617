"""Deterministic generator of illustrative parcels (示意数据), any size.

Geometry
--------
One global lattice of street blocks, in the metric CRS, rotated 20° and anchored near
Huli's centre.  A block is 280 m × 230 m on a 16 m street grid; each block is split
into 1-5 columns × 1-3 rows of plots with uneven widths (a tenth of the blocks stay
whole), each plot set back 1.5 m from its neighbours.  Plots are therefore disjoint by
construction and measure about 1,000-56,000 m².  Blocks whose centre lies inside the
airport boundary stay whole (airport land comes in few large parcels).  All random
draws of the lattice are hashes of (block column, block row, seed), so the lattice
does not depend on ``n``.

Plots are used in three tiers:

1. inside the functional zones (whole plots inside a zone, plus the parts of plots
   cut by a zone edge that keep at least 1,000 m²);
2. elsewhere in the district outline (plots cut by zone edges or the district edge
   are clipped the same way);
3. beyond the district, in square rings of blocks around Xiamen — land and sea alike:
   this tier exists for benchmarks (up to millions of parcels), not for realism.

When ``n`` is at most what tier 1 holds (about 1,100 plots with the shipped zones),
the four parcels of the firms the plan names come first, then the whole incubation
zone, then the airport land, then whole blocks of the other zones in a hashed order.
Larger ``n`` take all of tier 1, then tier 2 block by block, then tier 3 ring by ring.

Attributes
----------
Drawn with ``numpy.random.default_rng(seed)`` from distributions by zone and land use
(documented in ``geodata/README.md``): land-use mix by zone; lease starts 1985-2022;
terms 20-50 years (Xiamen's 20-year industrial term after 2014; residential 70 years,
which only occurs outside the zones); per-mu output from tens to thousands of 万元;
tax, investment, energy, R&D, revenue, employees; floor area at a plausible FAR;
declared area within a few per cent of the geometric area.  Economic figures exist for
firms (industrial, commercial_office, logistics) only; each figure is missing in about
3 % of rows; ``lease_end`` is recorded for about three rows in four (the others leave
it to be derived from start + term).  ``zone_id`` is the zone a parcel was generated
in ("" outside the zones); the analysis assigns zones spatially anyway.  Industrial
parcels also carry an industry, a hazard flag and site-layout shares
(:mod:`geodata.generate_industry`, a random stream of their own).

Usage::

    python -m geodata.generate --parcels 100000 --out /tmp/parcels.gpkg --seed 7
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from core.crs import to_lonlat, to_metric
from core.errors import ConfigError, InputFileError
from core.settings import GEOGRAPHIC_CRS, SQM_PER_MU
from geodata.generate_industry import industry_attributes
from geodata.lattice import (
    FIRM_USES,
    Lattice,
    frame_to_metric,
    inner_candidates,
    outer_plots,
    polygonal,
    select_plots,
    spatial_order,
    zone_geoms,
)
from parcels.schema import CANONICAL_FIELDS, LAND_USES

__all__ = ["DEFAULT_SEED", "NAMED_FIRMS", "NamedFirm", "dates_as_date32", "generate_parcels", "write_parcels", "main"]

logger = logging.getLogger(__name__)
#: Default seed: the plan's month (October 2022).
DEFAULT_SEED: int = 20221001

@dataclass(frozen=True)
class NamedFirm:
    """A firm the plan names: an industrial parcel in the incubation zone."""

    enterprise: str
    lease_start: str
    lease_years: int

    @property
    def lease_end(self) -> pd.Timestamp:
        """Start plus term (the start days are chosen so no 29 February arises)."""
        start = pd.Timestamp(self.lease_start)
        return start.replace(year=start.year + self.lease_years)


#: The four firms of the plan's 专栏5-1 whose industrial terms have expired or end
#: within ten years; every lease end is before 2034-01-01, so each stays "expired or
#: within ten years" for any as-of date from 2024 on.
NAMED_FIRMS: tuple[NamedFirm, ...] = (
    NamedFirm("金鹭特种", "1988-03-15", 30),  # ended 2018-03-15
    NamedFirm("夏顺铝箔", "1993-06-18", 30),  # ended 2023-06-18
    NamedFirm("民兴工业", "1989-07-01", 40),  # ends 2029-07-01
    NamedFirm("信华塑胶", "1991-11-08", 40),  # ends 2031-11-08
)

# land-use mix (probabilities, in LAND_USES order) per origin class
_MIX: dict[str, dict[str, float]] = {
    "incubation": {"industrial": 0.68, "commercial_office": 0.22, "logistics": 0.05,
                   "public_service": 0.03, "green_open": 0.02},
    "hq": {"industrial": 0.55, "commercial_office": 0.33, "logistics": 0.06,
           "public_service": 0.03, "green_open": 0.03},
    "demonstration": {"logistics": 0.25, "commercial_office": 0.22, "transport": 0.18,
                      "industrial": 0.15, "public_service": 0.08, "green_open": 0.07,
                      "other": 0.05},
    "other": {"residential": 0.40, "commercial_office": 0.16, "public_service": 0.12,
              "green_open": 0.10, "industrial": 0.10, "transport": 0.06, "logistics": 0.04,
              "other": 0.02},
}
_CLASSES = ("incubation", "hq", "demonstration", "other")

# floor-area ratio ranges by land use (NaN = no buildings recorded)
_FAR: dict[str, tuple[float, float]] = {
    "industrial": (0.6, 2.5), "commercial_office": (1.5, 4.0), "logistics": (0.5, 1.8),
    "residential": (1.5, 3.5), "public_service": (0.5, 2.0), "airport": (0.1, 0.4),
    "other": (0.5, 1.5),
}
# per-mu output: median (万元/亩) and log-sd, per firm land use
_OUTPUT_PER_MU = {"industrial": (250.0, 1.0), "commercial_office": (400.0, 0.9), "logistics": (150.0, 0.8)}
# output per tonne of standard coal (万元/tce): median per firm land use
_ENERGY_PROD = {"industrial": 3.0, "commercial_office": 15.0, "logistics": 8.0}

_MISSING_RATE = 0.03
_LEASE_END_GIVEN = 0.75


def _empty_frame() -> gpd.GeoDataFrame:
    return _frame({f.name: [] for f in CANONICAL_FIELDS}, np.array([], dtype=object))


def _frame(cols: dict[str, object], geoms: np.ndarray) -> gpd.GeoDataFrame:
    data: dict[str, object] = {}
    for f in CANONICAL_FIELDS:
        v = cols.get(f.name, [None] * len(geoms))
        if f.kind == "date":
            data[f.name] = pd.Series(v, dtype="datetime64[ms]")
        elif f.kind == "int":
            data[f.name] = pd.Series(v, dtype="Int64")
        elif f.kind == "float":
            data[f.name] = pd.Series(v, dtype="float64")
        elif f.kind == "bool":
            data[f.name] = pd.Series(v, dtype="boolean")
        else:
            data[f.name] = pd.Series(v, dtype="str")
    values = to_lonlat(np.asarray(geoms, dtype=object))
    bad = np.flatnonzero(~shapely.is_valid(values))
    if bad.size:  # reprojection can fold a hair-thin clipped piece; repair it in place
        values[bad] = polygonal(shapely.make_valid(values[bad]))
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(values, crs=GEOGRAPHIC_CRS))


def _choice_by_class(rng: np.random.Generator, cls: np.ndarray) -> np.ndarray:
    """Land use per row from the mix of its origin class."""
    cum = np.zeros((len(_CLASSES), len(LAND_USES)))
    for k, name in enumerate(_CLASSES):
        p = np.array([_MIX[name].get(u, 0.0) for u in LAND_USES])
        cum[k] = np.cumsum(p / p.sum())
    u = rng.random(cls.size)
    idx = (u[:, None] >= cum[cls]).sum(axis=1)
    return np.asarray(LAND_USES, dtype=object)[np.minimum(idx, len(LAND_USES) - 1)]


def _lognormal(rng: np.random.Generator, median: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(median.size))


def _attributes(rng: np.random.Generator, area: np.ndarray, origin: np.ndarray, airport: np.ndarray,
                named: np.ndarray, seed: int) -> dict[str, object]:
    n = area.size
    cls = np.select([origin == z for z in _CLASSES[:3]], [0, 1, 2], 3)
    land_use = _choice_by_class(rng, cls)
    land_use[airport] = "airport"
    land_use[named] = "industrial"
    firm = np.isin(land_use, FIRM_USES)

    # planned use: as is (converted office land in the old zone stays office), 8 % unrecorded;
    # the plan keeps the named firms' parcels industrial
    planned = land_use.copy()
    planned[(rng.random(n) < 0.08) & ~named] = None

    # lease start: 1985-2022; older in the incubation zone (the 1980s SEZ)
    y1 = np.where((cls == 0) & (land_use == "industrial"), 2008, 2022)
    year = 1985 + np.floor(rng.random(n) * (y1 - 1985 + 1)).astype(np.int64)
    month = 1 + np.floor(rng.random(n) * 12).astype(np.int64)
    day = 1 + np.floor(rng.random(n) * 28).astype(np.int64)
    u = rng.random(n)
    term = np.full(n, 50, np.int64)
    ind = land_use == "industrial"
    term[ind & (year >= 2014)] = np.where(u[ind & (year >= 2014)] < 0.85, 20, 30)
    old = ind & (year < 2014)
    term[old] = np.select([u[old] < 0.6, u[old] < 0.8], [50, 40], 30)
    com = land_use == "commercial_office"
    term[com] = np.select([u[com] < 0.8, u[com] < 0.9], [40, 50], 30)
    log = land_use == "logistics"
    term[log] = np.select([u[log] < 0.4, u[log] < 0.7, u[log] < 0.9], [50, 40, 30], 20)
    term[land_use == "residential"] = 70
    oth = land_use == "other"
    term[oth] = np.where(u[oth] < 0.5, 50, 40)
    # named firms
    k = np.flatnonzero(named)
    for idx, firm_spec in zip(k, NAMED_FIRMS, strict=False):
        s = pd.Timestamp(firm_spec.lease_start)
        year[idx], month[idx], day[idx], term[idx] = s.year, s.month, s.day, firm_spec.lease_years
    start = _ymd(year, month, day)
    end = _ymd(year + term, month, day)
    start_missing = (rng.random(n) < 0.02) & ~named
    end_given = (rng.random(n) < _LEASE_END_GIVEN) | start_missing | named
    years_missing = (rng.random(n) < _MISSING_RATE) & end_given & ~start_missing & ~named
    lease_start = np.where(start_missing, np.datetime64("NaT", "ms"), start)
    lease_end = np.where(end_given, end, np.datetime64("NaT", "ms"))
    lease_years = pd.array(np.where(years_missing, 0, term), dtype="Int64")
    lease_years[years_missing] = pd.NA

    # economics, firms only
    nan = np.full(n, np.nan)
    mu = area / SQM_PER_MU
    med = np.array([_OUTPUT_PER_MU[x][0] for x in FIRM_USES])
    sig = np.array([_OUTPUT_PER_MU[x][1] for x in FIRM_USES])
    fidx = np.select([land_use == x for x in FIRM_USES], [0, 1, 2], 0)
    opm = np.clip(_lognormal(rng, med[fidx], sig[fidx]), 5.0, 6000.0)
    output = np.where(firm, opm * mu, nan)
    revenue = output * rng.uniform(0.85, 1.25, n)
    tax = revenue * np.clip(_lognormal(rng, np.full(n, 0.04), np.full(n, 0.5)), 0.002, 0.2)
    investment = np.where(firm, mu * _lognormal(rng, np.full(n, 300.0), np.full(n, 0.6)), nan)
    eprod = np.array([_ENERGY_PROD[x] for x in FIRM_USES])[fidx]
    energy = output / _lognormal(rng, eprod, np.full(n, 0.7))
    rd = revenue * np.clip(_lognormal(rng, np.full(n, 0.025), np.full(n, 0.8)), 0.0, 0.25)
    per_head = _lognormal(rng, np.full(n, 120.0), np.full(n, 0.5))
    employees_f = np.where(firm, np.maximum(1.0, np.ceil(output / per_head)), nan)

    lo = np.array([_FAR.get(x, (np.nan, np.nan))[0] for x in LAND_USES])
    hi = np.array([_FAR.get(x, (np.nan, np.nan))[1] for x in LAND_USES])
    lu_idx = pd.Index(LAND_USES).get_indexer(land_use)
    far = lo[lu_idx] + (hi[lu_idx] - lo[lu_idx]) * rng.random(n)
    floor_area = area * far
    declared = area * (1.0 + np.clip(0.01 * rng.standard_normal(n), -0.04, 0.04))

    cols: dict[str, np.ndarray] = {
        "output_value": np.round(output, 2), "tax": np.round(tax, 2), "investment": np.round(investment, 2),
        "energy": np.round(energy, 1), "rd_expense": np.round(rd, 2), "revenue": np.round(revenue, 2),
        "floor_area": np.round(floor_area, 1), "declared_area": np.round(declared, 2),
        "employees": employees_f,
    }
    for values in cols.values():
        gone = (rng.random(n) < _MISSING_RATE) & ~named
        values[gone] = np.nan
    employees = pd.array(cols.pop("employees"), dtype="Float64").astype("Int64")

    enterprise = _labels(np.where(firm, "示例企业-", "示例单位-"), max(4, len(str(n))))
    for idx, firm_spec in zip(k, NAMED_FIRMS, strict=False):
        enterprise.iloc[idx] = firm_spec.enterprise
    return {
        "parcel_id": _labels(np.full(n, "HL-"), 6),
        "enterprise": enterprise,
        "land_use": land_use,
        "planned_use": planned,
        "lease_start": lease_start,
        "lease_years": lease_years,
        "lease_end": lease_end,
        **cols,
        "employees": employees,
        "zone_id": origin,
        **industry_attributes(seed, land_use, origin, named),
    }


def _labels(prefix: npt.NDArray[np.str_], width: int) -> pd.Series:
    """``prefix + zero-padded row number`` (1-based), built in Arrow without a Python loop."""
    import pyarrow as pa
    import pyarrow.compute as pc

    digits = pc.utf8_lpad(pa.array(np.arange(1, prefix.size + 1)).cast(pa.string()), width=width, padding="0")
    joined = pc.binary_join_element_wise(pa.array(prefix, type=pa.string()), digits, "")
    return pd.Series(pd.array(joined, dtype=pd.StringDtype("pyarrow", na_value=np.nan)))


def _ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    months = (year - 1970) * 12 + (month - 1)
    return (months.astype("datetime64[M]").astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")).astype(
        "datetime64[ms]"
    )


def generate_parcels(n: int, *, seed: int = DEFAULT_SEED, zones: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Generate ``n`` illustrative parcels (示意数据) in the canonical schema.

    Parameters
    ----------
    n
        Number of parcels, 0 or more.  Up to about 1,100 they lie in the zones (with the shipped zones); beyond
        that they fill the rest of the district, then rings of blocks around Xiamen
        (benchmark sizes, e.g. 1,000,000).
    seed
        Seed of every random draw: the same ``(n, seed, zones)`` gives the same frame.
    zones
        Zone layer (``zone_id`` + polygons, any CRS); defaults to the embedded
        ``zones`` layer.  The district outline always comes from the embedded data.

    Returns
    -------
    geopandas.GeoDataFrame
        ``n`` rows, EPSG:4326, the canonical columns of
        :data:`parcels.schema.CANONICAL_FIELDS` plus ``geometry``; disjoint
        Polygon/MultiPolygon geometries.  When ``n >= 4`` and the zones include an
        incubation zone, the four firms the plan names are the first rows.

    Raises
    ------
    ConfigError
        ``n`` is negative or not an integer, or ``zones`` lacks a CRS or ``zone_id``.
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise ConfigError(
            f"n must be a whole number of parcels, 0 or more; got {n!r}.",
            f"n 必须是非负整数（宗地数）；收到 {n!r}。",
        )
    n = int(n)
    if n == 0:
        return _empty_frame()
    from geodata import read_layer
    from geodata.airport import airport_polygon

    zone_frame = read_layer("zones") if zones is None else zones
    zone_shapes = zone_geoms(zone_frame)
    district = shapely.union_all(frame_to_metric(read_layer("district")))
    airport_site = to_metric(airport_polygon())
    airport = shapely.intersection(airport_site, zone_shapes["demonstration"]) if "demonstration" in zone_shapes else None

    lattice = Lattice(seed, airport)
    cand, inner_range = inner_candidates(lattice, zone_shapes, district, airport)
    n_named = len(NAMED_FIRMS) if n >= len(NAMED_FIRMS) else 0
    take, named = select_plots(cand, n, seed, n_named)
    order = take[spatial_order(cand.origin[take], cand.tier[take], cand.plots.geometry[take], named)]
    named = np.isin(order, take[named])
    geoms = cand.plots.geometry[order]
    origin = cand.origin[order]
    is_airport = cand.airport[order]
    if n > len(order):  # beyond the district: already in ring order
        occupied = shapely.union_all(np.array([district, *zone_shapes.values()], dtype=object))
        outer = outer_plots(lattice, occupied, inner_range, n - len(order))
        extra = len(outer.geometry)
        if extra < n - len(order):  # pragma: no cover - the ring loop always finds room
            raise ConfigError(f"could not place {n} parcels", f"无法放置 {n} 个宗地")
        geoms = np.concatenate([geoms, outer.geometry])
        origin = np.concatenate([origin, np.full(extra, "", dtype=object)])
        is_airport = np.concatenate([is_airport, np.zeros(extra, bool)])
        named = np.concatenate([named, np.zeros(extra, bool)])
    rng = np.random.default_rng(seed)
    cols = _attributes(rng, shapely.area(geoms), origin, is_airport, named, seed)
    return _frame(cols, geoms)


# --- writing ------------------------------------------------------------------------------
_SHP_MAX = 10


def _shapefile_names() -> dict[str, str]:
    """Canonical name -> a dBASE-sized name the readers know (a pinyin alias when needed)."""
    out: dict[str, str] = {}
    for f in CANONICAL_FIELDS:
        if len(f.name) <= _SHP_MAX:
            continue
        for alias in f.aliases:
            if alias != f.name and alias.isascii() and len(alias) <= _SHP_MAX:
                out[f.name] = alias
                break
    return out


def dates_as_date32(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy whose datetime columns are Arrow ``date32``, so OGR writes DATE fields."""
    import pyarrow as pa

    out = frame.copy()
    for col in out.columns:
        if col != out.geometry.name and pd.api.types.is_datetime64_any_dtype(out[col].dtype):
            out[col] = out[col].astype(pd.ArrowDtype(pa.date32()))
    return out


def write_parcels(frame: gpd.GeoDataFrame, out: str | Path) -> Path:
    """Write a parcel frame; the format follows the extension.

    ``.gpkg`` (layer ``parcels``), ``.geojson`` (RFC 7946), ``.shp`` or ``.zip``
    (zipped shapefile, UTF-8 with a .cpg; long names become the pinyin aliases of
    the schema, e.g. ``output_value`` -> ``gyzcz``), ``.csv`` (UTF-8 with BOM, a
    ``geometry`` column of WKT).
    """
    import pyogrio

    path = Path(out)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".gpkg":
        pyogrio.write_dataframe(dates_as_date32(frame), path, layer="parcels", driver="GPKG", use_arrow=True)
    elif suffix in (".geojson", ".json"):
        pyogrio.write_dataframe(dates_as_date32(frame.to_crs(GEOGRAPHIC_CRS)), path, driver="GeoJSON",
                                layer_options={"RFC7946": "YES", "WRITE_NAME": "NO"}, use_arrow=True)
    elif suffix == ".shp":
        pyogrio.write_dataframe(dates_as_date32(frame.rename(columns=_shapefile_names())), path,
                                driver="ESRI Shapefile", encoding="UTF-8", use_arrow=True)
    elif suffix == ".zip":
        import tempfile
        import zipfile

        with tempfile.TemporaryDirectory() as tmp:
            shp = Path(tmp) / f"{path.stem}.shp"
            write_parcels(frame, shp)
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for member in sorted(Path(tmp).iterdir()):
                    zf.write(member, member.name)
    elif suffix == ".csv":
        table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        table["geometry"] = shapely.to_wkt(frame.geometry.values, rounding_precision=7)
        table.to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
    else:
        raise InputFileError(
            f"Cannot write {path.name!r}: use .gpkg, .geojson, .shp, .zip (zipped shapefile) or .csv.",
            f"无法写出 {path.name!r}：请使用 .gpkg、.geojson、.shp、.zip（压缩的 Shapefile）或 .csv。",
        )
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m geodata.generate --parcels N --out FILE [--seed S]``."""
    parser = argparse.ArgumentParser(
        prog="python -m geodata.generate",
        description="Generate N illustrative parcels (示意数据) in the canonical schema.",
    )
    parser.add_argument("--parcels", type=int, required=True, help="number of parcels (e.g. 600, 1000000)")
    parser.add_argument("--out", required=True, help="output file: .gpkg, .geojson, .shp, .zip or .csv")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    try:
        frame = generate_parcels(args.parcels, seed=args.seed)
        t1 = time.perf_counter()
        path = write_parcels(frame, args.out)
    except (ConfigError, InputFileError) as err:
        print(err, file=sys.stderr)
        return 2
    t2 = time.perf_counter()
    print(f"{len(frame)} parcels generated in {t1 - t0:.1f} s, written to {path} in {t2 - t1:.1f} s")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
