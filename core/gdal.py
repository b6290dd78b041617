"""GDAL settings the product needs wherever it reads vector files through pyogrio.

GDAL's PAM (persistent auxiliary metadata) writes a ``<file>.aux.xml`` sidecar next to a
dataset it has read when it thinks metadata changed; for a GeoPackage with dataset
metadata it does so on every read.  The product never writes beside a user's file or
the embedded data, so PAM is switched off for pyogrio's GDAL.  (rasterio carries its
own GDAL; the rasters the product writes are new files in output folders.)
"""

from __future__ import annotations

import functools

__all__ = ["no_sidecar_files"]


@functools.cache
def no_sidecar_files() -> None:
    """Switch off GDAL's ``.aux.xml`` sidecars for pyogrio (idempotent, process-wide)."""
    import pyogrio

    pyogrio.set_gdal_config_options({"GDAL_PAM_ENABLED": False})
