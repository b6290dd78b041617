"""The three functional zones of the Huli ICV plan (三大产业功能区).

* :mod:`zones.definitions` — ids, names, carriers and policy text; loading a zone layer;
* :mod:`zones.assign` — parcel → zone by largest overlap;
* :mod:`zones.summary` — per-zone summaries of an analysed parcel frame.
"""

from zones.assign import assign_zones
from zones.definitions import ZONE_BY_ID, ZONES, ZoneDefinition, load_zones
from zones.summary import zone_summary

__all__ = ["ZONES", "ZONE_BY_ID", "ZoneDefinition", "assign_zones", "load_zones", "zone_summary"]
