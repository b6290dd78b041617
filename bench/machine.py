"""The machine, libraries and commit a benchmark run was measured on (for telling runs apart)."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

__all__ = ["commit", "load_average", "machine"]


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages, where the platform has them."""
    return list(os.getloadavg()) if hasattr(os, "getloadavg") else None


def machine() -> dict[str, Any]:
    """CPU, cores, RAM, load, Python, platform and the versions of the geospatial libraries."""
    import geopandas
    import numpy
    import pandas
    import pyogrio
    import pyproj
    import rasterio
    import shapely

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        ram_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError):
        ram_gib = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram_gib,
        "load_average": load_average(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": {
            "geopandas": geopandas.__version__,
            "shapely": shapely.__version__,
            "pyogrio": pyogrio.__version__,
            "gdal": pyogrio.__gdal_version_string__,
            "pyproj": pyproj.__version__,
            "proj": pyproj.proj_version_str,
            "pandas": pandas.__version__,
            "numpy": numpy.__version__,
            "rasterio": rasterio.__version__,
        },
    }


def commit() -> str | None:
    """The project's git commit, when it is a git checkout."""
    root = Path(__file__).resolve().parent.parent
    try:
        proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() or None
