"""One exception hierarchy for the whole product.

Every error a user can cause derives from :class:`PlanningError`; subclasses also
inherit the matching built-in, so callers may catch either.  Messages carry both a
Chinese and an English text: what was wrong, what was received, and how to fix it.
The UI shows ``message_zh``/``message_en``; ``str(err)`` gives both.
"""

from __future__ import annotations

__all__ = [
    "PlanningError",
    "InputFileError",
    "CRSError",
    "SchemaError",
    "ConfigError",
    "UnsafeArchiveError",
]


class PlanningError(Exception):
    """Root of every error the product raises on purpose.

    Parameters
    ----------
    message_en
        What went wrong and how to fix it, in English.
    message_zh
        The same in Chinese.  Defaults to the English text.
    """

    def __init__(self, message_en: str, message_zh: str | None = None) -> None:
        self.message_en = message_en
        self.message_zh = message_zh or message_en
        super().__init__(f"{self.message_zh} / {self.message_en}")

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang`` ("zh" or "en")."""
        return self.message_zh if lang == "zh" else self.message_en


class InputFileError(PlanningError, ValueError):
    """A file cannot be read: wrong format, empty, truncated, too large."""


class UnsafeArchiveError(InputFileError):
    """An archive tries to escape its folder or unpacks to more than the cap."""


class CRSError(PlanningError, ValueError):
    """A layer has no CRS, an unknown CRS, or CRSs that do not match."""


class SchemaError(PlanningError, KeyError):
    """Required fields are missing or cannot be mapped to the canonical schema."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return Exception.__str__(self)


class ConfigError(PlanningError, ValueError):
    """A profile, scenario or settings file is invalid."""
