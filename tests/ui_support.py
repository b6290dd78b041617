"""Small inline frames for the UI tests (no dependency on the embedded data)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

HOSTILE = "<img src=x onerror=alert(1)>"

USES = ("industrial", "commercial_office", "logistics", "industrial", "green_open")
STATUSES = ("expired", "within_5y", "within_10y", "beyond_10y", "unknown")
CLASSES = ("A", "B", "C", "D", "unrated")
ZONES = ("hq", "incubation", "demonstration", "", "incubation")


def tiny_parcels(n: int = 10) -> gpd.GeoDataFrame:
    """``n`` square parcels of 60 m near Huli with canonical and derived columns.

    Parcel 0 belongs to a firm whose name is an HTML injection attempt.
    """
    side = 60.0 / 111_000.0
    geoms = [
        shapely.box(118.10 + (i % 10) * 0.001, 24.50 + (i // 10) * 0.001,
                    118.10 + (i % 10) * 0.001 + side, 24.50 + (i // 10) * 0.001 + side)
        for i in range(n)
    ]
    idx = np.arange(n)
    frame = gpd.GeoDataFrame(
        {
            "parcel_id": [f"T{i:04d}" for i in idx],
            "enterprise": [HOSTILE if i == 0 else f"企业{i}" for i in idx],
            "land_use": [USES[i % 5] for i in idx],
            "lease_start": pd.to_datetime(["2000-01-01"] * n).astype("datetime64[ms]"),
            "lease_years": pd.array([50] * n, dtype="Int64"),
            "output_value": [float(100 * (i + 1)) if i % 4 else np.nan for i in idx],
            "zone_id": [ZONES[i % 5] for i in idx],
            "area_mu": [5.4 + i for i in idx],
            "expiry_status": [STATUSES[i % 5] for i in idx],
            "efficiency_class": [CLASSES[i % 5] for i in idx],
            "output_per_mu": [float(50 * i) if i % 4 else np.nan for i in idx],
            "low_efficiency": [i % 5 == 3 for i in idx],
            "recommendation_zh": ["保留工业用途，作为储备地块"] * n,
            "recommendation_rule": ["R1"] * n,
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    return frame


def tiny_zones() -> gpd.GeoDataFrame:
    """Three zone rectangles around the tiny parcels."""
    return gpd.GeoDataFrame(
        {
            "zone_id": ["hq", "incubation", "demonstration"],
            "name_zh": ["总部<script>x</script>", "孵化区", "示范区"],
            "name_en": ["HQ", "Incubation", "Demonstration"],
        },
        geometry=[shapely.box(118.09 + 0.01 * i, 24.49, 118.10 + 0.01 * i, 24.52) for i in range(3)],
        crs="EPSG:4326",
    )
