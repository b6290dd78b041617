"""Industry, hazard and site-layout attributes of the generated parcels (示意数据).

Drawn for industrial parcels only (every other parcel leaves them missing), from random
streams of their own (``numpy.random.default_rng([seed, 4754])``; ``[seed, 4754, 2]`` for the
two added later), so adding them changed no other generated value:

=====================  ==========================================================================
industry_code          GB/T 4754 division.  In the three zones: 39 (30 %), 38 (25 %), 36 (20 %) —
                       the ICV divisions — and 29, 33, 34, 35, 40, 32 for the rest; outside the
                       zones the ICV divisions are 40 % and the others 60 %.  Missing in 3 %.
                       The plan's four named firms: 金鹭特种 33, 夏顺铝箔 32, 民兴工业 34,
                       信华塑胶 29 (their trades, in division terms; illustrative).
safety_hazard          True in 6 %, False in 90 %, missing in 4 %.
building_coverage      uniform 0.30-0.65 (建筑系数), missing in 10 %.
admin_land_share       uniform 0.03-0.12, missing in 10 %.
green_ratio            uniform 0.08-0.25, missing in 10 %.
standard_factory       True in 30 % in the incubation zone (the old industrial area's standard
                       factory buildings) and 10 % elsewhere, missing in 10 %.
admin_floor_share      uniform 0.06-0.26 (over the 20 % maximum in one case in five), missing in 40 %.
=====================  ==========================================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["NAMED_FIRM_INDUSTRIES", "industry_attributes"]

#: Divisions of the plan's named firms, in the order of ``geodata.generate.NAMED_FIRMS``.
NAMED_FIRM_INDUSTRIES: tuple[str, ...] = ("33", "32", "34", "29")

_IN_ZONES: dict[str, float] = {"39": 0.30, "38": 0.25, "36": 0.20, "29": 0.06, "33": 0.06, "34": 0.05,
                               "35": 0.04, "40": 0.03, "32": 0.01}
_OUTSIDE: dict[str, float] = {"39": 0.15, "38": 0.15, "36": 0.10, "29": 0.15, "33": 0.15, "34": 0.10,
                              "35": 0.10, "40": 0.05, "32": 0.05}
_ZONES = ("hq", "incubation", "demonstration")
_CODE_MISSING = 0.03
_HAZARD, _HAZARD_MISSING = 0.06, 0.04
_SHARE_MISSING = 0.10
_SHARES: dict[str, tuple[float, float]] = {
    "building_coverage": (0.30, 0.65), "admin_land_share": (0.03, 0.12), "green_ratio": (0.08, 0.25),
}


def _draw(rng: np.random.Generator, mix: dict[str, float], n: int) -> np.ndarray:
    codes = np.array(list(mix), dtype=object)
    p = np.array(list(mix.values()))
    return codes[np.minimum(np.searchsorted(np.cumsum(p / p.sum()), rng.random(n), side="right"), len(codes) - 1)]


def industry_attributes(seed: int, land_use: np.ndarray, origin: np.ndarray, named: np.ndarray) -> dict[str, object]:
    """The seven columns for ``n`` generated parcels.

    Parameters
    ----------
    seed
        The generator's seed.
    land_use, origin, named
        Per parcel: land use, the zone it was generated in ("" outside), True for the named firms
        (in their order).

    Returns
    -------
    dict
        ``industry_code`` (object, None where missing), ``safety_hazard`` and ``standard_factory``
        (boolean arrays) and the four shares (float64, NaN where missing).
    """
    n = land_use.size
    rng = np.random.default_rng([seed, 4754])
    ind = land_use == "industrial"
    in_zone = np.isin(origin, _ZONES)
    code = np.where(in_zone, _draw(rng, _IN_ZONES, n), _draw(rng, _OUTSIDE, n))
    code[~ind | (rng.random(n) < _CODE_MISSING)] = None
    k = np.flatnonzero(named)
    code[k] = np.array(NAMED_FIRM_INDUSTRIES[: k.size], dtype=object)

    u = rng.random(n)
    hazard = pd.array(u < _HAZARD, dtype="boolean")
    hazard[~ind | (u >= 1.0 - _HAZARD_MISSING)] = pd.NA
    out: dict[str, object] = {"industry_code": code, "safety_hazard": hazard}
    for name, (lo, hi) in _SHARES.items():
        share = np.round(lo + (hi - lo) * rng.random(n), 3)
        share[~ind | (rng.random(n) < _SHARE_MISSING)] = np.nan
        out[name] = share
    more = np.random.default_rng([seed, 4754, 2])
    u = more.random(n)
    factory = pd.array(u < np.where(origin == "incubation", 0.30, 0.10), dtype="boolean")
    factory[~ind | (more.random(n) < 0.10)] = pd.NA
    floor = np.round(0.06 + 0.20 * more.random(n), 3)
    floor[~ind | (more.random(n) < 0.40)] = np.nan
    return {**out, "standard_factory": factory, "admin_floor_share": floor}
