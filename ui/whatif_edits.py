"""The What-if page's edits: the edit stack with undo and redo, one edit made from a selection, and a
saved scenario's base and edits read back (the text saved is :func:`analysis.whatif.edits.whatif_yaml`'s).
No Streamlit here.

An edit is kept as the mapping a scenario file holds (:func:`analysis.whatif.edits.edit_to_mapping`'s
form): ``parcels`` (a list of ids) or ``within`` (a GeoJSON Polygon in EPSG:4326), and any of
``development_type``, ``land_use``, ``far`` and ``from_year``.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from core.errors import ConfigError

__all__ = ["EditStack", "make_edit", "read_whatif", "edits_key"]


@dataclasses.dataclass(frozen=True)
class EditStack:
    """One person's edits of a what-if: ``base`` (the edits the base scenario has, kept on a revert),
    ``done`` (applied, oldest first) and ``undone`` (undone, the next to redo first).

    Every operation returns a new stack; nothing is changed in place.
    """

    base: tuple[Mapping[str, Any], ...] = ()
    done: tuple[Mapping[str, Any], ...] = ()
    undone: tuple[Mapping[str, Any], ...] = ()

    @property
    def edits(self) -> tuple[Mapping[str, Any], ...]:
        """The edits in force: the base's, then those applied here (later ones win on a parcel)."""
        return (*self.base, *self.done)

    @property
    def can_undo(self) -> bool:
        """Whether an edit applied here can be undone."""
        return bool(self.done)

    @property
    def can_redo(self) -> bool:
        """Whether an undone edit can be applied again."""
        return bool(self.undone)

    def apply(self, edit: Mapping[str, Any]) -> EditStack:
        """The stack with ``edit`` applied last (what was undone can no longer be redone)."""
        return dataclasses.replace(self, done=(*self.done, copy.deepcopy(dict(edit))), undone=())

    def undo(self) -> EditStack:
        """The stack without its last edit (which becomes the first to redo); unchanged when none."""
        if not self.done:
            return self
        return dataclasses.replace(self, done=self.done[:-1], undone=(self.done[-1], *self.undone))

    def redo(self) -> EditStack:
        """The stack with the last undone edit applied again; unchanged when none."""
        if not self.undone:
            return self
        return dataclasses.replace(self, done=(*self.done, self.undone[0]), undone=self.undone[1:])

    def revert(self) -> EditStack:
        """Back to the base scenario: no edit of this page's, nothing to redo."""
        return EditStack(base=self.base)


def make_edit(
    *,
    ids: Sequence[str] = (),
    within: Mapping[str, Any] | None = None,
    development_type: str | None = None,
    land_use: str | None = None,
    far: float | None = None,
    from_year: int | None = None,
    lease_years: int | None = None,
) -> dict[str, Any]:
    """One edit of the selection: a drawn shape (``within``, GeoJSON) or the parcels ``ids``.

    Raises
    ------
    ConfigError
        Nothing is selected, or the edit changes nothing (no type, use or FAR), or the FAR is not
        above 0.
    """
    if within is None and not ids:
        raise ConfigError("Select parcels first: click one (shift-click adds more), draw a polygon or a "
                          "rectangle, or take the Parcels page's filter.",
                          "请先选择地块：单击一宗（按住 Shift 单击可多选）、在地图上画多边形或矩形，或采用地块页的筛选结果。")
    if development_type is None and land_use is None and far is None:
        raise ConfigError("Choose a development type, or a land use and/or a FAR, to apply.",
                          "请选择开发类型，或设定用途和/或容积率后再应用。")
    if far is not None and not float(far) > 0:
        raise ConfigError(f"The FAR must be above 0; received {far}.", f"容积率须大于 0；收到的是 {far}。")
    edit: dict[str, Any] = {"within": copy.deepcopy(dict(within))} if within is not None \
        else {"parcels": [str(i) for i in ids]}
    if development_type is not None:
        edit["development_type"] = str(development_type)
    if land_use is not None:
        edit["land_use"] = str(land_use)
    if far is not None:
        edit["far"] = float(far)
    if from_year is not None:
        edit["from_year"] = int(from_year)
    if lease_years is not None:
        edit["lease_years"] = int(lease_years)  # checked with the scenario (1-70 years)
    return edit


def read_whatif(text: str) -> tuple[str | None, tuple[dict[str, Any], ...]]:
    """The ``base`` (None when the file has none) and the ``edits`` of a saved scenario's text.

    Raises
    ------
    ConfigError
        The text is not a YAML mapping, or ``edits`` is not a list of mappings.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError(f"The scenario text is not valid YAML: {err}", f"情景文本不是有效的 YAML：{err}") from err
    if not isinstance(data, Mapping):
        raise ConfigError("The scenario text must be a YAML mapping (key: value lines).",
                          "情景文本必须是 YAML 映射（“键: 值”形式）。")
    edits = data.get("edits") or []
    if not isinstance(edits, list) or not all(isinstance(e, Mapping) for e in edits):
        raise ConfigError("The scenario's edits must be a list of mappings.", "情景的 edits 必须是映射的列表。")
    base = data.get("base")
    return (None if base is None else str(base)), tuple(dict(e) for e in edits)


def edits_key(edits: Sequence[Mapping[str, Any]]) -> str:
    """A cache key of a list of edits (the same edits, the same key)."""
    return yaml.safe_dump([dict(e) for e in edits], sort_keys=True, allow_unicode=True)
