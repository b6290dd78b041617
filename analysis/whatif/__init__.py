"""What-if scenarios: parcels given a new use or development type, and what follows.

=========  ==================================================================
module     owns
=========  ==================================================================
``types``  the development-type library (``analysis/config/development_types.yaml``):
           loading, validation, YAML text for editing
``edits``  the ``edits:`` of a scenario file: parsing, selecting parcels, checks
``apply``  the edits in force in a year applied to the parcels, the derived fields
           again, the height conflicts
``kpis``   the what-if page's key figures of a year
=========  ==================================================================

A scenario file's ``base:`` and ``edits:`` keys are read by :mod:`analysis.scenario.schema`;
:func:`analysis.scenario.scenario_year_frame` applies the edits of the year (docs/what-if.md).
"""

from __future__ import annotations

from analysis.whatif.apply import EDIT_COLUMNS, apply_edits, height_conflicts, rederive
from analysis.whatif.edits import (
    EDIT_KEYS,
    Edit,
    check_edits,
    edit_to_mapping,
    parse_edits,
    select_parcels,
    whatif_yaml,
)
from analysis.whatif.kpis import WHATIF_KPIS, whatif_kpis
from analysis.whatif.types import (
    DEFAULT_TYPES_PATH,
    KEEP,
    DevelopmentType,
    DevelopmentTypes,
    development_types_yaml,
    load_development_types,
    parse_development_types,
)

__all__ = [
    "KEEP", "DEFAULT_TYPES_PATH", "DevelopmentType", "DevelopmentTypes", "load_development_types",
    "parse_development_types", "development_types_yaml", "EDIT_KEYS", "Edit", "parse_edits", "edit_to_mapping",
    "select_parcels", "check_edits", "whatif_yaml", "EDIT_COLUMNS", "apply_edits", "rederive", "height_conflicts", "WHATIF_KPIS",
    "whatif_kpis",
]
