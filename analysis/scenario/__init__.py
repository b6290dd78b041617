"""Airport-relocation scenarios: the scenario file, what it says about each year, where projects
go, the KPI timeline, the map layers of a year and one year applied to the parcels.

=============  =================================================================
module         owns
=============  =================================================================
``schema``     the YAML schema, :class:`Scenario` and its parts, loading, assumptions
``rules``      per-year rules: height limits in force, land released, test roads,
               the demonstration zone's advice
``placement``  where projects go in a year (demonstration zone or incubation reserve)
``timeline``   year-by-year KPIs
``layers``     map layers of one year (:class:`YearState`)
``apply``      a year applied to the parcels (height limits, buildable floor area)
=============  =================================================================

The public names of all of them are importable from ``analysis.scenario``.
"""

from __future__ import annotations

from analysis.scenario.apply import apply_scenario_year, scenario_year_frame
from analysis.scenario.assumptions import scenario_assumptions
from analysis.scenario.layers import YearState, scenario_year_state
from analysis.scenario.placement import place_projects
from analysis.scenario.rules import demonstration_advice, height_limit_active, released_share_pct
from analysis.scenario.schema import (
    BUILTIN_SCENARIOS,
    HORIZON,
    PLANNED_USE_EN,
    PLANNED_USE_ZH,
    PLANNED_USES,
    PROJECT_KINDS,
    SCENARIO_DIR,
    TEST_ROAD_PLACES,
    OutputModel,
    OutputTarget,
    Placement,
    Project,
    ReleasePhase,
    Scenario,
    TestRoadPhase,
    load_scenario,
    parse_scenario,
)
from analysis.scenario.timeline import scenario_timeline

__all__ = [
    "HORIZON", "PLANNED_USES", "PLANNED_USE_ZH", "PLANNED_USE_EN", "PROJECT_KINDS", "TEST_ROAD_PLACES",
    "BUILTIN_SCENARIOS", "SCENARIO_DIR", "ReleasePhase", "TestRoadPhase", "Project", "Placement", "OutputTarget", "OutputModel",
    "Scenario", "YearState", "load_scenario", "parse_scenario", "scenario_assumptions", "height_limit_active",
    "released_share_pct", "place_projects", "scenario_timeline", "scenario_year_state", "demonstration_advice",
    "apply_scenario_year",
    "scenario_year_frame",
]
