"""The decision briefing (决策简报): one PDF of a scenario year, or a comparison, for a meeting.

=============  =================================================================
module         owns
=============  =================================================================
``content``    the figures gathered from the analysis (:class:`BriefRequest`)
``figures``    the maps and charts (matplotlib, offline, SVG)
``typeset``    the Typst source and the PDF
``labels``     every word in Chinese and English, number formats
``fonts``      the Noto Sans CJK files
=============  =================================================================

:func:`build_brief` is what the CLI (``python -m analysis brief``) and the app's download button call.
"""

from __future__ import annotations

import datetime as dt

from analysis.brief.content import BriefContent, BriefRequest, gather_brief
from analysis.brief.typeset import compile_brief
from analysis.scenario_io import AirportInputs
from core.settings import get_settings

__all__ = ["BriefRequest", "BriefContent", "build_brief", "generation_time"]


def generation_time() -> dt.datetime:
    """When a briefing says it was made: ``SOURCE_DATE_EPOCH`` when set, else now (UTC, whole minutes)."""
    epoch = get_settings().source_date_epoch
    now = dt.datetime.fromtimestamp(epoch, dt.UTC) if epoch is not None else dt.datetime.now(dt.UTC)
    return now.replace(second=0, microsecond=0)


def build_brief(request: BriefRequest, *, generated: dt.datetime | None = None,
                inputs: AirportInputs | None = None) -> bytes:
    """The briefing of ``request`` as PDF bytes.

    Parameters
    ----------
    request
        Analysed parcels, zones, as-of date, scenarios, year and language.
    generated
        The generation stamp printed on every page (default :func:`generation_time`).
    inputs
        Airport layers and parameters (default: the embedded ones).

    Raises
    ------
    PlanningError
        A language not offered, a year outside the horizon, the fonts missing.
    """
    content = gather_brief(request, inputs=inputs)
    return compile_brief(content, generated=generated or generation_time())
