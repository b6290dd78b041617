"""The city-scale benchmark: ``python -m bench [--sizes ...] [--quick]``.

A tool layer above :mod:`analysis` and below nothing: it measures what the product does
(reading, analysing, scenario years, exports) and what the app sends to the browser, so it
may import :mod:`ui`; no product module imports it.

Modules
-------
:mod:`bench.cli`         arguments and printed output of ``python -m bench``
:mod:`bench.options`     :class:`~bench.options.BenchOptions` and the sizes
:mod:`bench.inputs`      the generated parcels of one size
:mod:`bench.stages`      the measured stages, in order (add a stage there)
:mod:`bench.context`     what the stages of one size share
:mod:`bench.io_floor`    the I/O floor stages (read and write the same rows through Arrow)
:mod:`bench.map_payload` the bytes the parcel layer adds to the map page
:mod:`bench.recorder`    timing, peak memory and profiles of one stage
:mod:`bench.memory`      resident set size, its peak and resetting the peak
:mod:`bench.isolate`     running a measurement in a fresh Python process
:mod:`bench.run`         every size in turn, into one JSON-able document
:mod:`bench.machine`     the machine, libraries and commit a run was measured on
:mod:`bench.report`      the plain-text table, the targets, Markdown tables, the JSON file
"""
