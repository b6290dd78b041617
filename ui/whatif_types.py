"""The development-type library in force in the app: the one an editor published in the office store,
else the shipped one (:mod:`analysis.whatif.types`), read from its YAML text and cached by that text."""

from __future__ import annotations

import streamlit as st
import yaml

from analysis.whatif.types import DevelopmentTypes, load_development_types, parse_development_types
from core.errors import ConfigError

__all__ = ["library_text", "parse_library", "development_types"]


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
