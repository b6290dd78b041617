"""The briefing in the app: the Airport page offers it for what is on screen, made on click."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from ui.brief_download import brief_file_name, brief_pdf
from ui.pages.airport import YEAR_SLIDER

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _brief_buttons(at: AppTest) -> list:
    return [b for b in at.get("download_button") if b.proto.id.endswith("ap_brief")]


def test_airport_page_offers_the_briefing_in_the_ui_language() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("ui/pages/airport.py").run()
    at.slider(key=YEAR_SLIDER).set_value(2031).run()
    assert not at.exception, at.exception
    (button,) = _brief_buttons(at)
    assert button.proto.label == "下载决策简报（PDF）"
    assert button.proto.help  # what the briefing is made of


def test_the_pdf_is_the_one_of_the_choices() -> None:
    keys = [("on_schedule", None), ("delayed", None), ("on_schedule", None)]  # a duplicate is shown once
    pdf = brief_pdf("embedded", 0.0, dt.date(2026, 1, 1), "", keys, 2031, "en")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert pdf.startswith(b"%PDF-")
    assert "Relocated on schedule" in text and "Relocation delayed" in text
    assert "Scenario comparison (2031)" in text and "2026-01-01" in text and "示意数据" in text
    assert text.count("Scenario comparison") == 1


def test_file_name_is_safe() -> None:
    assert brief_file_name("on_schedule", 2030, "zh") == "briefing_on_schedule_2030_zh.pdf"
    assert brief_file_name("../晚 搬迁", 2031, "en") == "briefing____晚_搬迁_2031_en.pdf"


def test_the_what_if_page_offers_the_briefing_of_what_is_on_screen() -> None:
    import geodata
    from ui import state

    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("ui/pages/whatif.py").run()
    assert not at.exception, at.exception
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith("wi_brief")]
    assert button.proto.label == "下载决策简报（PDF）"
    ids = geodata.read_layer("parcels")["parcel_id"].astype(str).tolist()[:3]
    at.session_state[state.WHATIF_SELECTION] = {"ids": ids, "within": None}
    at.run()
    at.selectbox(key="whatif.type.zh").set_value("rd_office").run()
    at.button(key="whatif_apply").click().run()
    assert not at.exception, at.exception
    assert [b for b in at.get("download_button") if b.proto.id.endswith("wi_brief")]


def test_a_what_if_briefing_lists_its_edits_height_conflicts() -> None:
    from ui.whatif_data import whatif_key

    edits = [{"parcels": ["HL-000001"], "development_type": "rd_office", "far": 40.0}]
    base = ("on_schedule", None)
    pdf = brief_pdf("embedded", 0.0, dt.date(2026, 1, 1), "", [whatif_key(base, edits, None), base], 2026, "zh")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert pdf.startswith(b"%PDF-") and "情景比较" in text
    assert "情景编辑的限高冲突" in text
    assert "该情景没有情景编辑" not in text  # an edited scenario: its conflicts listed, not the "no edits" note
