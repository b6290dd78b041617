"""Land-use codes and names to product categories (parcels/landuse.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from parcels.landuse import classify_land_use, land_use_of, unrecognised_land_use
from parcels.schema import LAND_USES

# 《国土空间调查、规划、用途管制用地用海分类指南》
GUIDE = [
    ("10", "industrial"), ("1001", "industrial"), ("100101", "industrial"), ("100102", "industrial"),
    ("100103", "industrial"), ("09", "commercial_office"), ("0901", "commercial_office"),
    ("0902", "commercial_office"), (902, "commercial_office"), (902.0, "commercial_office"),
    ("11", "logistics"), ("1101", "logistics"), ("110101", "logistics"), ("110103", "logistics"),
    ("07", "residential"), ("0701", "residential"), ("0702", "residential"), ("08", "public_service"),
    ("0801", "public_service"), ("0802", "public_service"),  # 科研用地: public research institutes
    ("12", "transport"), ("1207", "transport"), ("1208", "transport"), ("1203", "airport"),
    ("14", "green_open"), ("1401", "green_open"), ("1402", "green_open"), ("13", "other"),
    ("1301", "other"), ("16", "other"), ("01", "other"), (1001, "industrial"),
]
# GB 50137-2011
GB = [
    ("M", "industrial"), ("M1", "industrial"), ("M2", "industrial"), ("M3", "industrial"),
    ("m1", "industrial"), ("M0", "industrial"), ("B", "commercial_office"), ("B1", "commercial_office"),
    ("B2", "commercial_office"), ("B29", "commercial_office"), ("B9", "commercial_office"),
    ("W", "logistics"), ("W1", "logistics"), ("W3", "logistics"), ("R", "residential"), ("R2", "residential"),
    ("A", "public_service"), ("A1", "public_service"), ("A35", "public_service"), ("A9", "public_service"),
    ("S", "transport"), ("S1", "transport"), ("S9", "transport"), ("H24", "airport"), ("H2", "transport"),
    ("H21", "transport"), ("H1", "other"), ("G", "green_open"), ("G1", "green_open"), ("G3", "green_open"),
    ("U", "other"), ("U1", "other"), ("E1", "other"), ("Ｍ１", "industrial"), (" B2 ", "commercial_office"),
    ("M1/B2", "industrial"), ("B2+M1", "commercial_office"), ("M1（一类工业）", "industrial"),
]
NAMES = [
    ("工业用地", "industrial"), ("工业", "industrial"), ("一类工业用地", "industrial"),
    ("新型产业用地", "industrial"), ("研发用地", "industrial"), ("商业用地", "commercial_office"),
    ("商务", "commercial_office"), ("商务金融用地", "commercial_office"), ("商服用地", "commercial_office"),
    ("商业服务业用地", "commercial_office"), ("商住用地", "commercial_office"), ("仓储", "logistics"),
    ("物流", "logistics"), ("物流仓储用地", "logistics"), ("住宅", "residential"), ("居住用地", "residential"),
    ("城镇住宅用地", "residential"), ("机场", "airport"), ("机场用地", "airport"), ("道路", "transport"),
    ("城镇村道路用地", "transport"), ("交通运输用地", "transport"), ("绿地", "green_open"),
    ("公园绿地", "green_open"), ("广场用地", "green_open"), ("科研用地", "public_service"),
    ("教育用地", "public_service"), ("公共管理与公共服务用地", "public_service"), ("公用设施用地", "other"),
    ("留白用地", "other"), ("Industrial", "industrial"), ("commercial office", "commercial_office"),
    ("warehouse", "logistics"), ("residential", "residential"), ("airport", "airport"),
    ("industrial", "industrial"), ("green_open", "green_open"), ("other", "other"),
]


@pytest.mark.parametrize(("raw", "expected"), GUIDE + GB + NAMES)
def test_recognised(raw: object, expected: str) -> None:
    assert land_use_of(raw) == expected
    out = classify_land_use(pd.Series([raw], dtype=object))
    assert out.iloc[0] == expected
    assert not unrecognised_land_use(pd.Series([raw], dtype=object)).iloc[0]


@pytest.mark.parametrize("raw", ["garbage", "乱码用地", "9999", "99", "XYZ", "R&D", "MALL", "", None, float("nan")])
def test_unknown_is_other_and_flagged(raw: object) -> None:
    s = pd.Series([raw], dtype=object)
    assert classify_land_use(s).iloc[0] == "other"
    assert unrecognised_land_use(s).iloc[0]


def test_vectorised_over_unique_values_and_index_kept() -> None:
    s = pd.Series(["1001", "M1", "1001", "商业用地", None] * 1000, index=range(5000, 10000))
    out = classify_land_use(s)
    assert out.index.equals(s.index)
    assert out.iloc[:5].tolist() == ["industrial", "industrial", "industrial", "commercial_office", "other"]
    assert set(out) <= set(LAND_USES)
    assert unrecognised_land_use(s).sum() == 1000
