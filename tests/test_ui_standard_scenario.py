"""The app's scenario years follow the control standard the district has published.

A table published by an editor is used at the next rerun for the analysed frame; the scenario
years overlaid on it (the Airport page, the What-if page, the Parcels page's theme and the
downloads) check edited parcels against the same table, and a result cached under one table is
never handed out under another.
"""

from __future__ import annotations

import copy

import yaml

from analysis.control_standard import DEFAULT_STANDARD_PATH
from office import records
from office.records import Actor
from ui import data, office
from ui import scenario_data as sd
from ui.whatif_data import whatif_key, year_kpis

AS_OF = "2025-06-30"
EDITOR = Actor("wang", "editor")


def _c39_industrial_parcel() -> str:
    frame = data.analysed_parcels("embedded", data.dataset_stamp("embedded"), AS_OF, "")
    c39 = frame[(frame["land_use"] == "industrial") & (frame["industry_code"].astype(str) == "39")]
    return str(c39["parcel_id"].iloc[0])


def test_a_published_standard_reaches_the_edited_parcels_of_a_what_if_year() -> None:
    stamp = data.dataset_stamp("embedded")
    pid = _c39_industrial_parcel()
    # industrial_plant at full output (three ramp-up years from 2022): 1,000 万元/亩, above the shipped 700
    edits = [{"parcels": [pid], "development_type": "industrial_plant", "from_year": 2022}]
    key = whatif_key(("delayed", None), edits, None)

    def basis() -> str:
        row = sd.year_frame("embedded", stamp, AS_OF, "", key, 2028).set_index("parcel_id").loc[pid]
        return str(row["low_efficiency_basis"] or "")

    assert "below_standard" not in basis()
    shipped_low = year_kpis("embedded", stamp, AS_OF, "", key, 2028)
    strict = copy.deepcopy(yaml.safe_load(DEFAULT_STANDARD_PATH.read_text(encoding="utf-8")))
    strict["divisions"]["39"]["output_per_mu_min"] = {"value": 1500.0, "status": "illustrative"}
    records.publish_control_standard(office.store(), strict, actor=EDITOR)
    try:
        assert "below_standard" in basis()  # not the result cached under the shipped table
        assert data.standard_json() != ""
    finally:
        records.publish_control_standard(office.store(), None, actor=EDITOR)
    assert "below_standard" not in basis()
    assert year_kpis("embedded", stamp, AS_OF, "", key, 2028) == shipped_low
