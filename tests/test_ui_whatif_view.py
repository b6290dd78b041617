"""The What-if page's tiles, comparison table and conflict table (plain functions, no Streamlit)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ui.whatif_view import KPIS, compare_table, conflict_table, kpi_tiles, kpi_value

K = {"floor_area_m2": 8_059_000.0, "output_yi": 263.74, "jobs": 23_766.0, "industrial_land_mu": 3251.34,
     "reserve_parcels_used": 0.0, "height_conflicts": 2.0}


def test_values_carry_their_units() -> None:
    assert kpi_value("floor_area_m2", 8_059_000.0, "zh") == "805.9 万m²"  # m² / 10,000
    assert kpi_value("floor_area_m2", 74_000.0, "zh", sign=True) == "+7.4 万m²"
    assert kpi_value("output_yi", 263.74, "zh") == "263.7 亿元"
    assert kpi_value("jobs", 23_766.0, "zh") == "23,766 人"
    assert kpi_value("industrial_land_mu", 3251.34, "zh") == "3,251.3 亩"
    assert kpi_value("height_conflicts", 2.0, "zh") == "2 宗"
    assert kpi_value("reserve_parcels_used", 1.0, "en") == "1 parcels"
    assert kpi_value("jobs", float("nan"), "zh") == "—" and kpi_value("jobs", None, "zh") == "—"


def test_tiles_show_the_change_against_the_base_and_none_where_equal() -> None:
    base = {**K, "floor_area_m2": 7_985_000.0, "height_conflicts": 3.0}
    tiles = kpi_tiles(K, base, "zh")
    assert [t.kpi for t in tiles] == list(KPIS)
    by = {t.kpi: t for t in tiles}
    assert by["floor_area_m2"].label == "建筑面积" and by["floor_area_m2"].value == "805.9 万m²"
    assert by["floor_area_m2"].delta == "+7.4 万m²"  # 8,059,000 − 7,985,000 = 74,000 m²
    assert by["height_conflicts"].delta == "-1 宗"
    assert by["jobs"].delta is None and by["output_yi"].delta is None  # unchanged
    assert all(t.delta is None for t in kpi_tiles(K, None, "zh"))


def test_the_comparison_has_one_column_per_scenario_in_order() -> None:
    other = {**K, "jobs": 24_008.0}
    table = compare_table([K, other, K], ["按计划搬迁", "搬迁推迟", "已保存：甲"], "zh")
    assert list(table.columns) == ["指标", "按计划搬迁", "搬迁推迟", "已保存：甲"]
    jobs = table[table["指标"] == "就业岗位"].iloc[0]
    assert (jobs["按计划搬迁"], jobs["搬迁推迟"], jobs["已保存：甲"]) == ("23,766 人", "24,008 人", "23,766 人")
    assert len(table) == len(KPIS)


def test_the_conflict_table_lists_the_conflicts_the_edited_first() -> None:
    frame = pd.DataFrame({
        "parcel_id": ["P3", "P1", "P2", "P4"],
        "height_conflict": [True, True, False, True],
        "edited": [False, True, True, True],
        "development_type": [None, "rd_office", "rd_office", "pilot_base"],
        "far": [1.2, 3.5, 3.5, 13.0],
        "max_far_under_height_limit": [0.9, 3.3, 4.5, 5.625],
        "height_limit_m": [15.0, 45.0, 60.0, 45.0],
    })
    table = conflict_table(frame, "zh", type_names={"rd_office": "研发办公", "pilot_base": "中试基地"})
    assert table["地块编号"].tolist() == ["P1", "P4", "P3"]  # P2 has no conflict; edited ones first
    assert table["容积率"].tolist() == [3.5, 13.0, 1.2]
    assert table["限高下最大容积率"].tolist() == [3.3, 5.62, 0.9]  # 5.625 rounded to 2 places (half to even)
    assert table["开发类型"].tolist() == ["研发办公", "中试基地", ""]
    assert conflict_table(frame.drop(columns=["height_conflict"]), "zh").empty
    none = frame.assign(height_conflict=np.zeros(4, dtype=bool))
    assert conflict_table(none, "en").empty
