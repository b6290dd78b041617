"""The what-if rows of a scenario's year-by-year KPIs: the parcels' own figures after the year's edits.

For every year :func:`whatif_timeline_rows` applies the edits in force
(:func:`analysis.whatif.apply.apply_edits`), sets that year's height limits (the airport's while
they apply, none after) and adds the key figures of :func:`analysis.whatif.kpis.whatif_kpis`:

========================  =======  ============================================================
kpi                       unit     what
========================  =======  ============================================================
``parcel_floor_area_m2``  m²       sum of the parcels' floor area
``parcel_output_yi``      亿元     sum of the parcels' output value
``edit_output_gain_yi``   亿元     ``parcel_output_yi`` minus the parcels' output without edits
``jobs``                  people   sum of the parcels' jobs (employees where not edited)
``industrial_land_mu``    亩       area of industrial land
``reserve_parcels_used``  parcels  edited parcels that were developable reserve parcels
``height_conflicts``      parcels  parcels whose FAR needs more storeys than the limit allows
``edited_parcels``        parcels  parcels an edit in force changes
========================  =======  ============================================================

A scenario without edits gets the same rows (its parcels as they are), so any two scenarios
compare row by row.  Years with the same edits in force and the same limit state share one
computation.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.heights import BuildabilityParams
from analysis.scenario.rules import height_limit_active
from analysis.scenario.schema import Scenario
from analysis.whatif.apply import apply_edits, height_conflicts
from analysis.whatif.kpis import whatif_kpis
from analysis.whatif.types import DevelopmentTypes

__all__ = ["WHATIF_ROWS", "whatif_timeline_rows"]

#: (kpi, unit) of the rows, in order.
WHATIF_ROWS: tuple[tuple[str, str], ...] = (
    ("parcel_floor_area_m2", "m²"), ("parcel_output_yi", "亿元"), ("edit_output_gain_yi", "亿元"),
    ("jobs", "people"), ("industrial_land_mu", "亩"), ("reserve_parcels_used", "parcels"),
    ("height_conflicts", "parcels"), ("edited_parcels", "parcels"),
)
_KPI_OF = {"parcel_floor_area_m2": "floor_area_m2", "parcel_output_yi": "output_yi"}


def whatif_timeline_rows(
    scenario: Scenario,
    *,
    parcels: gpd.GeoDataFrame,
    height_limits: pd.Series,
    buildability: BuildabilityParams,
    types: DevelopmentTypes | None = None,
) -> dict[int, list[tuple[str, float, str]]]:
    """``{year: [(kpi, value, unit), ...]}`` for every year of the scenario (see the module notes)."""
    limits = height_limits.reindex(parcels.index).astype("float64")
    none = pd.Series(np.nan, index=parcels.index, dtype="float64")
    base_output = whatif_kpis(parcels)["output_yi"]
    cache: dict[tuple[tuple[int, ...], bool], dict[str, float]] = {}
    out: dict[int, list[tuple[str, float, str]]] = {}
    for year in scenario.years:
        active = height_limit_active(scenario, year)
        key = (tuple(i for i, e in enumerate(scenario.edits) if e.start_year(scenario.horizon) <= year), active)
        typed = [e for e in scenario.edits if e.development_type is not None and
                 e.start_year(scenario.horizon) <= year]
        if key not in cache or typed:  # a development type ramps up: its figures change every year
            frame = apply_edits(parcels, scenario, year, types=types)
            frame["height_limit_m"] = limits if active else none
            conflicts = height_conflicts(frame, types=types, buildability=buildability)
            frame["height_conflict"] = conflicts["height_conflict"]
            cache[key] = whatif_kpis(frame)
        k = cache[key]
        values = {**{name: k.get(_KPI_OF.get(name, name), 0.0) for name, _ in WHATIF_ROWS},
                  "edit_output_gain_yi": k["output_yi"] - base_output}
        out[year] = [(name, float(values[name]), unit) for name, unit in WHATIF_ROWS]
    return out
