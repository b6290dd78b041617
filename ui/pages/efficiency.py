"""Page placeholder until its analysis lands."""

from __future__ import annotations

import streamlit as st

from ui.frame import current_lang
from ui.i18n import t


def render() -> None:
    """Draw the page."""
    lang = current_lang()
    st.title(t("page.efficiency", lang))
    st.info(t("pending.page", lang, what="efficiency"))


if __name__ == "__main__":
    render()
