"""Parcel ingest: read any supported layer into the canonical schema, with a report.

Modules: :mod:`parcels.read` (entry points), :mod:`parcels.archive` (safe unzip,
format sniffing), :mod:`parcels.encoding`, :mod:`parcels.fields`,
:mod:`parcels.landuse`, :mod:`parcels.dates`, :mod:`parcels.numbers`,
:mod:`parcels.geometry`, :mod:`parcels.measure`, :mod:`parcels.validate`
(the report) and :mod:`parcels.schema` (the canonical schema).
"""
