"""The development-type library in force in the app: the one an editor published in the office store,
else the shipped one (:mod:`analysis.whatif.types`), read from its YAML text and cached by that text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st
import yaml

from analysis.whatif.types import DevelopmentTypes, load_development_types, parse_development_types
from core.errors import ConfigError

if TYPE_CHECKING:
    from office.records import Actor

__all__ = ["library_text", "parse_library", "development_types", "describe_published", "restore_published"]


def library_text() -> str | None:
    """The published development-type library's text (None: the shipped library)."""
    from office import records
    from ui import office

    return records.development_types_text(office.store())


def parse_library(text: str) -> DevelopmentTypes:
    """A library from YAML text, validated by :func:`analysis.whatif.types.parse_development_types`.

    Raises
    ------
    ConfigError
        The text is not YAML, or not a valid library (the message names the key and value).
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError(f"The development types are not valid YAML: {err}",
                          f"开发类型库不是有效的 YAML：{err}") from err
    return parse_development_types(data)


@st.cache_data(show_spinner=False, max_entries=8)
def development_types(text: str | None) -> DevelopmentTypes:
    """The library of ``text`` (None: the shipped one)."""
    return load_development_types() if text is None else parse_library(text)


def describe_published(value: object, lang: str) -> str:
    """One line on a published library (:func:`ui.publish_history.render_history`)."""
    from ui.i18n import t

    if not isinstance(value, dict) or "text" not in value:
        return t("hist.shipped", lang)
    try:
        return t("hist.types", lang, n=len(parse_library(str(value["text"]))))
    except ConfigError:
        return t("hist.unreadable", lang)


def restore_published(value: object, who: Actor) -> None:
    """Publish an earlier library again, checked first (None: back to the shipped one)."""
    from office import records
    from ui import office

    text = str(value["text"]) if isinstance(value, dict) and "text" in value else None
    if text is not None:
        parse_library(text)  # still a valid library (else the bilingual refusal)
    records.publish_development_types(office.store(), text, actor=who)
