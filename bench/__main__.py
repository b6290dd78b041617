"""``python -m bench`` — the benchmark's command line (see :mod:`bench.cli`)."""

from bench.cli import main

raise SystemExit(main())
