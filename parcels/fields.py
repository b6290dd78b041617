"""Mapping source columns onto the canonical parcel schema.

A source column matches a canonical field when its *normalised* name equals the
normalised canonical name or one of the field's aliases
(:data:`parcels.schema.CANONICAL_FIELDS`).  Normalising applies Unicode NFKC (so
full-width letters and digits become half-width), case-folds, and removes
whitespace, underscores, hyphens and dots: ``"ＺＤＢＨ"``, ``" zdbh "`` and
``"ZD_BH"`` all match ``zdbh``.

User overrides (``field_map``: source column -> canonical field) win over the
alias table.  When several source columns match one field, the one matching the
earliest alias wins (the canonical name first, then the aliases in table order);
the others stay unmapped and are reported.

A non-ASCII name of three or more characters that begins the aliases of exactly
one field also maps to it (DBF field names are cut at 10 bytes: 主营业务收入 arrives
as 主营业务收, 宗地编号 in UTF-8 as 宗地编).

Unmapped source columns are not dropped: the reader keeps them in the frame under
their original names (see :func:`parcels.read.read_parcels`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core.errors import SchemaError
from parcels.schema import CANONICAL_FIELDS

__all__ = ["FieldMapping", "map_fields", "normalise_name"]

_STRIP = re.compile(r"[\s_\-.\u3000]+")


def normalise_name(name: object) -> str:
    """Column name normalised for matching (NFKC, case-folded, no spaces/_/-/.)."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", str(name)).casefold())


def _alias_table() -> dict[str, tuple[str, int]]:
    """normalised alias -> (canonical field, priority); lower priority wins."""
    table: dict[str, tuple[str, int]] = {}
    for spec in CANONICAL_FIELDS:
        for prio, alias in enumerate((spec.name, *spec.aliases)):
            table.setdefault(normalise_name(alias), (spec.name, prio))
    return table


_ALIASES = _alias_table()
_PREFIX_PRIORITY = 1000  # a prefix match loses to any exact match


def _prefix_hit(norm: str) -> tuple[str, int] | None:
    """The field whose aliases alone start with ``norm`` (a non-ASCII name of 3+ characters).

    DBF field names are cut at 10 bytes, so 主营业务收入 arrives as 主营业务收; such a
    truncated Chinese name still maps when exactly one field has aliases it begins.
    """
    if len(norm) < 3 or norm.isascii():
        return None
    fields = {name for alias, (name, _) in _ALIASES.items() if alias.startswith(norm)}
    if len(fields) != 1:
        return None
    return fields.pop(), _PREFIX_PRIORITY
_CANONICAL_NAMES = tuple(f.name for f in CANONICAL_FIELDS)


@dataclass(frozen=True)
class FieldMapping:
    """How source columns map to canonical fields.

    Attributes
    ----------
    mapping
        Source column -> canonical field, for the columns used.
    unmapped
        Source columns that map to no field, in source order.
    shadowed
        Source column -> the source column that won the same canonical field.
    """

    mapping: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    shadowed: dict[str, str] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        """Canonical fields no source column maps to."""
        used = set(self.mapping.values())
        return [name for name in _CANONICAL_NAMES if name not in used]


def map_fields(columns: Iterable[str], *, field_map: Mapping[str, str] | None = None) -> FieldMapping:
    """Map source column names to canonical fields.

    Parameters
    ----------
    columns
        Source column names (geometry excluded).
    field_map
        Overrides: source column -> canonical field name.

    Raises
    ------
    SchemaError
        An override names a column that does not exist or a field that is not canonical.
    """
    cols = [str(c) for c in columns]
    overrides = dict(field_map or {})
    for src, dst in overrides.items():
        if src not in cols:
            raise SchemaError(
                f"field_map names the column '{src}', which the layer does not have. "
                f"Columns: {', '.join(cols)}.",
                f"字段对应中的列“{src}”在图层中不存在。现有列：{'、'.join(cols)}。",
            )
        if dst not in _CANONICAL_NAMES:
            raise SchemaError(
                f"field_map maps '{src}' to '{dst}', which is not a canonical field. "
                f"Use one of: {', '.join(_CANONICAL_NAMES)}.",
                f"字段对应把“{src}”对应到“{dst}”，但它不是标准字段。可用：{'、'.join(_CANONICAL_NAMES)}。",
            )
    taken_by_override = {dst: src for src, dst in overrides.items()}
    if len(taken_by_override) < len(overrides):
        dup = [d for d in set(overrides.values()) if list(overrides.values()).count(d) > 1]
        raise SchemaError(
            f"field_map maps several columns to the same field(s): {', '.join(dup)}. Map one column per field.",
            f"字段对应中多个列对应到同一字段：{'、'.join(dup)}。每个字段只能对应一列。",
        )

    best: dict[str, tuple[int, int, str]] = {}  # canonical -> (priority, position, source)
    candidates: dict[str, str] = {}
    for pos, col in enumerate(cols):
        if col in overrides:
            continue
        hit = _ALIASES.get(normalise_name(col)) or _prefix_hit(normalise_name(col))
        if hit is None:
            continue
        name, prio = hit
        candidates[col] = name
        if name in taken_by_override:
            continue
        if name not in best or (prio, pos) < best[name][:2]:
            best[name] = (prio, pos, col)

    mapping: dict[str, str] = {}
    shadowed: dict[str, str] = {}
    winners = {src for _, _, src in best.values()}
    for col in cols:
        if col in overrides:
            mapping[col] = overrides[col]
        elif col in winners:
            mapping[col] = candidates[col]
    for col, name in candidates.items():
        if col not in winners:
            shadowed[col] = taken_by_override.get(name) or best[name][2]
    unmapped = [c for c in cols if c not in mapping]
    return FieldMapping(mapping=mapping, unmapped=unmapped, shadowed=shadowed)
