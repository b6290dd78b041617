"""The briefing stage: ``python -m analysis brief`` on the embedded data, timed end to end.

One measurement per benchmark run (the briefing is of the district's own data, not of a generated
size), in a fresh process with an empty workspace (the height grid built cold): reading and
analysing the embedded parcels, gathering the scenario figures, drawing the maps and charts,
typesetting and writing the PDF, each part timed.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.options import BenchOptions

__all__ = ["TARGET_BRIEF_SECONDS", "measure_brief", "format_brief"]

#: The briefing of the embedded data should take at most this long (measured, not enforced).
TARGET_BRIEF_SECONDS = 15.0


def measure_brief(options: BenchOptions | None = None) -> dict[str, Any]:
    """Time the briefing of the embedded data (scenario on schedule compared with delayed).

    Returns
    -------
    dict
        ``seconds`` (the whole), ``parts`` (``analysis``, ``gather``, ``figures_typeset``,
        ``write``: seconds) and ``pdf_bytes``.
    """
    from analysis.brief import BriefRequest, generation_time
    from analysis.brief.content import gather_brief
    from analysis.brief.typeset import compile_brief
    from analysis.run import run_analysis
    from analysis.scenario import load_scenario
    from core.files import atomic_write_bytes

    opts = options or BenchOptions()
    with tempfile.TemporaryDirectory(prefix="huli-bench-brief-") as tmp:
        previous = os.environ.get("HULI_WORKSPACE")
        os.environ["HULI_WORKSPACE"] = str(Path(tmp) / "workspace")
        try:
            parts: dict[str, float] = {}
            start = mark = time.perf_counter()
            result = run_analysis(None, None, as_of=opts.as_of)
            parts["analysis"], mark = time.perf_counter() - mark, time.perf_counter()
            scenarios = (load_scenario("on_schedule"), load_scenario("delayed"))
            content = gather_brief(BriefRequest(parcels=result.parcels, zones=result.zones, as_of=result.as_of,
                                                scenarios=scenarios, year=None, metric=result.metric))
            parts["gather"], mark = time.perf_counter() - mark, time.perf_counter()
            pdf = compile_brief(content, generated=generation_time())
            parts["figures_typeset"], mark = time.perf_counter() - mark, time.perf_counter()
            atomic_write_bytes(Path(tmp) / "brief.pdf", pdf)
            parts["write"] = time.perf_counter() - mark
            seconds = time.perf_counter() - start
        finally:
            if previous is None:
                os.environ.pop("HULI_WORKSPACE", None)
            else:
                os.environ["HULI_WORKSPACE"] = previous
    return {"seconds": seconds, "parts": parts, "pdf_bytes": len(pdf)}


def format_brief(figures: dict[str, Any] | None) -> str:
    """The briefing stage's line: the time against the target, and its parts."""
    if not figures:
        return f"  briefing of the embedded data <= {TARGET_BRIEF_SECONDS:g} s: not measured"
    ok = "met" if figures["seconds"] <= TARGET_BRIEF_SECONDS else "MISSED"
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in figures["parts"].items())
    return (f"  briefing of the embedded data <= {TARGET_BRIEF_SECONDS:g} s: {figures['seconds']:.2f} s {ok} "
            f"({parts}; {figures['pdf_bytes'] / 1024:,.0f} KiB)")
