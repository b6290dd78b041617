"""Golden outputs of ``run`` and ``compare`` on the embedded data: recording and comparing values.

The golden files in ``tests/data/golden/`` were recorded from the code as it stood before the
module split (``python -m tests.golden_support record``); ``tests/test_golden_outputs.py`` holds
every later version to the same numbers. Values are compared, not bytes: floats to a relative
1e-9, everything else exactly.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

GOLDEN_DIR = Path(__file__).resolve().parent / "data" / "golden"
AS_OF = "2025-06-30"

# name -> CLI arguments (the output folder is appended)
CASES: dict[str, list[str]] = {
    "run_status_quo": ["run", "--as-of", AS_OF],
    "run_on_schedule_2028": ["run", "--scenario", "on_schedule", "--year", "2028", "--as-of", AS_OF],
    "run_delayed_2029": ["run", "--scenario", "delayed", "--year", "2029", "--as-of", AS_OF],
    "compare_on_schedule_delayed": ["compare", "on_schedule", "delayed", "--as-of", AS_OF],
}


def _geojson_values(path: Path) -> dict[str, Any]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    features = doc["features"]
    props = [f["properties"] for f in features]
    # geometry as values: first vertex and vertex count, enough to catch a reprojection change
    geoms = []
    for f in features:
        coords = np.asarray(_flatten(f["geometry"]["coordinates"]), dtype=float)
        geoms.append([len(coords), *coords.mean(axis=0).tolist()])
    return {"properties": props, "geometry": geoms}


def _flatten(coords: Any) -> list[list[float]]:
    if coords and isinstance(coords[0], (int, float)):
        return [coords]
    out: list[list[float]] = []
    for c in coords:
        out.extend(_flatten(c))
    return out


def _raster_values(path: Path) -> dict[str, Any]:
    import rasterio

    with rasterio.open(path) as src:
        band = src.read(1).astype(float)
        nodata = src.nodata
        valid = np.isfinite(band)
        if nodata is not None and not np.isnan(nodata):
            valid &= band != nodata
        cells = band[valid]
        return {
            "shape": list(band.shape),
            "crs": src.crs.to_string(),
            "transform": list(src.transform)[:6],
            "nodata": None if nodata is None or np.isnan(nodata) else float(nodata),
            "valid": int(valid.sum()),
            "sum": float(cells.sum()),
            "min": float(cells.min()) if cells.size else None,
            "max": float(cells.max()) if cells.size else None,
        }


def outputs(folder: Path) -> dict[str, Any]:
    """Every output file of one run or compare, as comparable values."""
    values: dict[str, Any] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".geojson":
            values[path.name] = _geojson_values(path)
        elif path.suffix == ".json":
            values[path.name] = json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".tif":
            values[path.name] = _raster_values(path)
        elif path.suffix == ".csv":
            continue  # comparison.csv holds the same rows as comparison.json
        else:
            values[path.name] = path.stat().st_size > 0
    return values


def run_case(name: str, out: Path) -> dict[str, Any]:
    from analysis.cli import main

    code = main([*CASES[name], "--out", str(out)])
    if code != 0:
        raise AssertionError(f"{name}: exit {code}")
    return outputs(out)


def differences(expected: Any, actual: Any, where: str = "", *, rel: float = 1e-9) -> list[str]:
    """Where ``actual`` differs from ``expected`` (floats to ``rel``), as readable lines."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in actual:
                out.append(f"{where}/{key}: missing")
            elif key not in expected:
                out.append(f"{where}/{key}: unexpected")
            else:
                out += differences(expected[key], actual[key], f"{where}/{key}", rel=rel)
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(actual)} items, expected {len(expected)}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out += differences(e, a, f"{where}[{i}]", rel=rel)
        return out
    if isinstance(expected, float) or isinstance(actual, float):
        if isinstance(expected, (int, float)) and isinstance(actual, (int, float)) \
                and not isinstance(expected, bool) and not isinstance(actual, bool):
            if math.isclose(expected, actual, rel_tol=rel, abs_tol=1e-9):
                return []
        return [f"{where}: {actual!r}, expected {expected!r}"]
    return [] if expected == actual else [f"{where}: {actual!r}, expected {expected!r}"]


def _record() -> None:
    import tempfile

    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            values = run_case(name, Path(tmp) / "out")
        target = GOLDEN_DIR / f"{name}.json"
        target.write_text(json.dumps(values, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
        print(f"recorded {target}")


if __name__ == "__main__":
    if sys.argv[1:] != ["record"]:
        sys.exit("usage: python -m tests.golden_support record")
    _record()
