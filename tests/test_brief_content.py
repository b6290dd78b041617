"""The briefing's content: the parcel lists (what-if height conflicts included), text from the data
escaped for Typst, the labels of both languages."""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile

import geopandas as gpd
import pandas as pd
import pytest
from pypdf import PdfReader
from shapely.geometry import box

from analysis.brief import BriefRequest, build_brief
from analysis.brief.content import parcel_lists
from analysis.brief.labels import _TEXT, text, yi
from analysis.brief.typeset import typst_string
from analysis.run import run_analysis


def _frame(**extra: list[object]) -> gpd.GeoDataFrame:
    data = {
        "parcel_id": ["P1", "P2", "P3", "P4", "P5"],
        "land_use": ["industrial", "industrial", "commercial_office", "industrial", "industrial"],
        "expiry_status": ["within_5y", "expired", "within_5y", "beyond_10y", "within_10y"],
        "recommendation": ["reserve_industrial", "reserve_industrial", "reserve_industrial", "reserve_industrial",
                           "revitalize_renewal"],
        "lease_end": pd.to_datetime(["2029-01-01", "2020-06-30", "2027-01-01", "2060-01-01", "2033-01-01"]),
        "low_efficiency": [False, True, False, True, True],
        "output_per_mu": [800.0, 120.0, None, 40.0, 250.0],
        **extra,
    }
    return gpd.GeoDataFrame(data, geometry=[box(i, 0, i + 1, 1) for i in range(5)], crs="EPSG:4326")


def test_lists_pick_and_order_the_parcels() -> None:
    lists = parcel_lists(_frame())
    # industrial + expired/within 10 years + recommended reserve: P1 and P2 (P3 commercial, P4 beyond
    # 10 years, P5 not reserve), by lease end
    assert lists["expiring"]["parcel_id"].tolist() == ["P2", "P1"]
    # low efficiency, lowest output per mu first
    assert lists["low_efficiency"]["parcel_id"].tolist() == ["P4", "P2", "P5"]
    assert lists["conflicts"] is None  # no what-if edits: nothing to say about conflicts


def test_conflicts_come_from_the_what_if_columns() -> None:
    frame = _frame(edited=[True, True, False, True, False], height_conflict=[True, False, True, True, False])
    conflicts = parcel_lists(frame)["conflicts"]
    assert conflicts is not None
    # edited and in conflict: P1, P4 (P3 conflicts but was not edited)
    assert conflicts["parcel_id"].tolist() == ["P1", "P4"]
    none_edited = parcel_lists(_frame(edited=[False] * 5, height_conflict=[True] * 5))["conflicts"]
    assert none_edited is None


@pytest.mark.parametrize("value", ['a"b', "back\\slash", "#set page(width: 1pt)", "*x* _y_ $z$ [w] <l> @r", "行\n二"])
def test_typst_string_round_trips(value: str) -> None:
    literal = typst_string(value)
    assert literal.startswith('"') and literal.endswith('"')
    body = literal[1:-1]
    assert re.search(r'(?<!\\)"', body) is None  # every quote inside is escaped
    assert "\n" not in body


def test_both_languages_have_every_label() -> None:
    for key, (zh, en) in _TEXT.items():
        assert zh and en, key
        assert not re.search(r"[\u4e00-\u9fff]", en) or "示意数据" in en, key
    assert yi(263.66, "zh") == "263.7 亿元"
    assert yi(263.66, "en") == "¥26.37 bn"
    assert yi(-20.4, "zh", sign=True) == "-20.4 亿元" and yi(5.0, "en", sign=True) == "+¥0.50 bn"
    assert text("page", "en", page=2, total=9) == "Page 2 of 9"


@pytest.fixture(scope="module")
def embedded() -> object:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HULI_WORKSPACE", tempfile.mkdtemp(prefix="huli-brief-ws-"))
        return run_analysis(None, None, as_of="2026-01-01")


def _pdf_text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def test_what_if_conflicts_and_hostile_text_in_the_pdf(embedded: object) -> None:
    result = embedded
    parcels = result.parcels.copy()  # type: ignore[attr-defined]
    # a reserve parcel that expires soon is listed first; its enterprise name is markup to be shown, not run
    reserve = parcels[(parcels["recommendation"] == "reserve_industrial")].sort_values("lease_end")
    first = reserve.index[0]
    hostile = '#set page(width: 1cm) *加粗* "引号" \\ $x$ ]'
    parcels.loc[first, "enterprise"] = hostile
    # a real what-if: R&D offices at FAR 30 need 100 storeys of 4 m at 30 % coverage (400 m), more than any
    # height limit near the airport allows while it operates; at FAR 0.5 two storeys (8 m) are enough
    from analysis.heights import parcel_height_limits
    from analysis.scenario import parse_scenario
    from analysis.scenario_io import load_airport_inputs

    inputs = load_airport_inputs()
    limits = parcel_height_limits(parcels, runway=inputs.runway, params=inputs.params)
    capped = limits[limits.notna() & (limits > 0)].sort_values()
    low, high = parcels.loc[capped.index[0], "parcel_id"], parcels.loc[capped.index[-1], "parcel_id"]
    assert capped.iloc[0] < 400 and capped.iloc[-1] >= 8
    scenario = parse_scenario({"name": "w", "base": "on_schedule", "edits": [
        {"parcels": [low], "development_type": "rd_office", "far": 30},
        {"parcels": [high], "development_type": "rd_office", "far": 0.5}]})
    request = BriefRequest(parcels=parcels, zones=result.zones, as_of=result.as_of,  # type: ignore[attr-defined]
                           scenarios=(scenario,), year=2024, metric=result.metric)  # type: ignore[attr-defined]
    pdf = build_brief(request, generated=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    text_zh = _pdf_text(pdf)
    assert "#set page(width: 1cm)" in text_zh  # printed, not run: every page stays A4
    assert {round(float(p.mediabox.width)) for p in PdfReader(io.BytesIO(pdf)).pages} == {595}
    assert "*加粗*" in text_zh and '"引号"' in text_zh and "$x$" in text_zh
    assert "情景编辑的限高冲突（1）" in text_zh
    assert f"{low} " in text_zh and "研发办公" in text_zh  # the type's name, not its code


def test_a_large_layer_is_drawn_as_an_image_inside_the_vector_map(embedded: object,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Above RASTER_ABOVE parcels the parcels become one embedded image; the zones and text stay vector."""
    import datetime as dt

    from analysis.brief import figures
    from analysis.brief.content import BriefRequest, gather_brief
    from analysis.scenario import load_scenario

    result = embedded
    content = gather_brief(BriefRequest(parcels=result.parcels, zones=result.zones,  # type: ignore[attr-defined]
                                        as_of=dt.date(2026, 1, 1), scenarios=(load_scenario("delayed"),), year=2030))
    vector = figures.district_map(content).decode("utf-8")
    assert "<image" not in vector and vector.count("<path") > len(result.parcels)  # type: ignore[attr-defined]
    monkeypatch.setattr(figures, "RASTER_ABOVE", 100)  # the 600 embedded parcels count as a large layer
    mixed = figures.district_map(content).decode("utf-8")
    assert mixed.count("<image") == 1 and "data:image/png;base64," in mixed
    assert mixed.count("<path") < vector.count("<path") - 500  # the parcels left the vector part
