"""Resident set size of this process: now, its peak, and resetting the peak (Linux)."""

from __future__ import annotations

import os
import resource
import sys

__all__ = ["peak_mib", "reset_peak", "rss_mib"]

_MIB = 1024.0 * 1024.0


def rss_mib() -> float:
    """Current resident set size (MiB); 0 where /proc is not available."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / _MIB


def peak_mib() -> float:
    """Peak resident set size of this process (MiB), since start or the last reset."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return peak / 1024.0 if sys.platform != "darwin" else peak / _MIB


def reset_peak() -> bool:
    """Reset the peak RSS (Linux ``clear_refs``); False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    return True
