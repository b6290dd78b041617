"""Exports for the city GIS: every layer in every format, in a chosen CRS.


The package writes everything the product hands out:

==================  ==========================================================
format              what is written
==================  ==========================================================
``geojson``         RFC 7946 GeoJSON: EPSG:4326 lon/lat, counter-clockwise
                    exterior rings, ≤ 7 decimals, no ``crs`` member
``geojson-legacy``  GeoJSON 2008 in any CRS, with a ``crs`` member naming it
``gpkg``            GeoPackage; several layers per file; Date fields
``shp``             zipped Shapefile with ``.prj``, ``.cpg`` (UTF-8 or GBK),
                    ≤ 10-byte field names and ``field_names.csv``
``csv``             UTF-8 with BOM, Chinese headers with units, WKT geometry
``xlsx``            Chinese headers with units + a field-dictionary sheet
``tif``             cloud-optimised GeoTIFF of a raster (height surface)

The field schema is documented in ``docs/export-schema.md``.  Writers never mutate their input.
Use :func:`export_layer` for a file, :func:`export_bytes` for a download button,
:func:`export_layers` for a multi-layer GeoPackage and :func:`export_postgis` for a database.

==============  ====================================================================
module          owns
==============  ====================================================================
``formats``     the formats, the output CRS, the checks every export shares
``columns``     the one column-type table and each writer's values
``geojson``     RFC 7946 GeoJSON, streamed
``ogr``         GeoPackage, GeoJSON with a CRS, zipped Shapefile
``tables``      CSV and XLSX
``raster``      GeoTIFF (COG), reprojected when asked
``postgis``     PostGIS tables with spatial indexes
``write``       the entry points: one layer or several, to a file or bytes
==============  ====================================================================
"""

from __future__ import annotations

from analysis.export.formats import FORMATS, FormatInfo, UnknownCRSError, crs_outside_area_of_use, resolve_crs
from analysis.export.geojson import GEOJSON_DECIMALS, to_geojson_bytes, write_geojson
from analysis.export.postgis import export_postgis
from analysis.export.write import export_bytes, export_layer, export_layers, output_folder

__all__ = [
    "output_folder",
    "FormatInfo",
    "FORMATS",
    "GEOJSON_DECIMALS",
    "UnknownCRSError",
    "resolve_crs",
    "export_layer",
    "export_layers",
    "export_bytes",
    "export_postgis",
    "to_geojson_bytes",
    "crs_outside_area_of_use",
    "write_geojson",
]
