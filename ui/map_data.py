"""What a page's map publishes to the app's map service for a frame of the dataset in use: the
detail panel's source and, for a large layer, the vector tiles (see :mod:`ui.detail`,
:mod:`ui.tile_group`)."""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd

from ui import data, office
from ui.detail import map_detail
from ui.frame import base_path, current_as_of, current_profile
from ui.tile_group import TileRequest

__all__ = ["MapSources", "map_sources"]


class MapSources(NamedTuple):
    """The ``detail`` and ``tiles`` arguments of :func:`ui.mapview.parcel_group`."""

    detail: dict[str, object]
    tiles: TileRequest


def map_sources(frame: gpd.GeoDataFrame, dataset_id: str, lang: str, *, context: object = None) -> MapSources:
    """What the map of ``frame`` publishes (the person's whole frame of ``dataset_id``;
    ``context`` names anything else it depends on, e.g. a scenario and year)."""
    version = (dataset_id, data.dataset_stamp(dataset_id))
    key = (*version, current_as_of().isoformat(), data.profile_json(current_profile()), data.standard_json(), context)
    person = office.person()
    return MapSources(detail=map_detail(frame, key=(person, key), lang=lang, base_path=base_path()),
                      tiles=TileRequest(frame, version=version, key=key, person=person, base_path=base_path()))
