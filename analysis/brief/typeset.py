"""The briefing typeset with Typst: the gathered content written as Typst source (every text from
the data as an escaped string literal, never as markup), compiled to PDF with the fonts given by
file so every font is embedded and every word stays text.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import typst

from analysis.brief import figures
from analysis.brief.content import LIST_ROWS, BriefContent
from analysis.brief.fonts import FONT_FAMILY, font_files
from analysis.brief.labels import area_mu, category, kpi_value, number, text, yi
from analysis.control_standard import ControlStandard, default_control_standard

__all__ = ["typst_string", "brief_source", "compile_brief"]

log = logging.getLogger(__name__)


def typst_string(value: object) -> str:
    """``value`` as a Typst string literal (quotes, backslashes and control characters escaped)."""
    out = []
    for ch in str(value):
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 32 or ch in "\u2028\u2029":
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _t(value: object) -> str:
    """A text from the data as Typst content (``[#"..."]``)."""
    return f"[#{typst_string(value)}]"


def _heading(level: int, value: str) -> str:
    return f"#heading(level: {level}, {typst_string(value)})\n"


def _para(value: str, *, size: str = "", fill: str = "") -> str:
    args = ", ".join(a for a in (f"size: {size}" if size else "", f"fill: {fill}" if fill else "") if a)
    body = f"#text({args + ', ' if args else ''}{typst_string(value)})"
    return body + "\n\n"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]], *, align: str = "") -> str:
    n = len(header)
    cells = ", ".join(f"table.header({', '.join(f'[*#{typst_string(h)}*]' for h in header)})" for _ in (0,))
    body = ", ".join(_t(v) for row in rows for v in row)
    columns = "(auto, " + ", ".join(["1fr"] * (n - 1)) + ")" if n > 1 else "(1fr,)"
    return (f"#table(columns: {columns}, align: {align or '(left, ..(right,) * ' + str(n - 1) + ')'}, "
            f"stroke: 0.4pt + luma(180), inset: 4pt, {cells}{', ' + body if body else ''})\n\n")


def _scenario_title(item: dict[str, object], lang: str) -> str:
    return str(item["title_en" if lang == "en" else "title_zh"])


def _standard_title(standard: ControlStandard | None, lang: str) -> str:
    """The control standard's title (the shipped table when None) with its edition."""
    table = standard if standard is not None else default_control_standard()
    title = (table.title_en if lang == "en" else table.title) or table.title
    return title if str(table.edition) in title else f"{title} ({table.edition})"


def _cover(c: BriefContent, generated: dt.datetime) -> str:
    lang, r = c.request.lang, c.request
    embedded = r.parcels_source is None
    titles = [_scenario_title(a, lang) for a in c.assumptions]
    src = [
        (text("scenarios" if len(titles) > 1 else "scenario", lang), " / ".join(titles)),
        (text("year", lang), str(c.year)),
        (text("as_of", lang), r.as_of.isoformat()),
        (text("parcels_source", lang), text("embedded", lang) if embedded else str(r.parcels_source)),
        (text("zones_source", lang), text("embedded_zones", lang) if r.zones_source is None else r.zones_source),
        (text("profile_source", lang),
         text("shipped_profile", lang) if r.profile_source is None else r.profile_source),
        (text("control_standard", lang), _standard_title(r.standard, lang)),
        (text("generated", lang), generated.strftime("%Y-%m-%d %H:%M UTC")),
    ]
    out = "#v(3cm)\n"
    out += f"#text(size: 26pt, weight: \"bold\", {typst_string(text('title', lang))})\n\n"
    out += f"#text(size: 13pt, {typst_string(text('subtitle', lang))})\n\n"
    out += f"#text(size: 11pt, fill: luma(80), {typst_string(text('district', lang))})\n\n#v(1.2cm)\n"
    out += ("#table(columns: (auto, 1fr), stroke: none, inset: 5pt, "
            + ", ".join(f"[*#{typst_string(k)}*], {_t(v)}" for k, v in src) + ")\n\n")
    if embedded:
        out += ("#v(0.8cm)\n#block(fill: rgb(\"#fff4e0\"), stroke: 0.6pt + rgb(\"#d9730d\"), inset: 8pt, radius: 3pt, "
                f"width: 100%, text({typst_string(text('notice', lang))}))\n\n")
    return out + "#pagebreak()\n"


def _district(c: BriefContent, lang: str) -> str:
    d = c.summary["district"]
    expiring = sum(d["area_mu_by_expiry_status"].get(s, 0.0) for s in ("expired", "within_5y", "within_10y"))
    output = d.get("output_value_wan_yuan")
    per_mu = d.get("output_per_mu_overall")
    rows = [
        (text("parcel_count", lang), f"{d['parcel_count']:,}"),
        (text("area", lang), area_mu(d["area_mu"], lang)),
        (text("industrial_area", lang), area_mu(d["industrial_area_mu"], lang)),
        (text("expiring_area", lang), area_mu(expiring, lang)),
        (text("low_eff", lang), f"{d['low_efficiency_count']:,} · {area_mu(d['low_efficiency_area_mu'], lang)}"),
        (text("reserve", lang), f"{d['reserve_parcels']:,} · {area_mu(d['reserve_area_mu'], lang)}"),
        (text("output", lang), yi(None if output is None else output / 1e4, lang)),
        (text("output_per_mu", lang), "—" if per_mu is None else
         f"{number(per_mu)} {'10k yuan/mu' if lang == 'en' else '万元/亩'}"),
    ]
    out = _heading(1, text("sec.district", lang))
    out += _table((text("indicator", lang), text("value", lang)), rows)
    zone_rows = [(v["name_en" if lang == "en" else "name_zh"], f"{v['parcel_count']:,}", area_mu(v["area_mu"], lang),
                  area_mu(v["low_efficiency_area_mu"], lang), f"{v['reserve_parcels']:,}")
                 for v in c.summary["zones"].values()]
    out += _table((text("zone", lang), text("parcel_count", lang), text("area", lang), text("low_eff", lang),
                   text("reserve", lang)), zone_rows)
    out += _heading(2, text("sec.district_map", lang))
    out += '#image("district_map.svg", width: 100%)\n#pagebreak()\n'
    return out


def _scenario(c: BriefContent, lang: str) -> str:
    title = _scenario_title(c.assumptions[0], lang)
    out = _heading(1, text("sec.scenario_map", lang, scenario=title, year=c.year))
    status = text("limits_on" if c.state.height_limit_active else "limits_off", lang)
    advice = c.state.advice.en if lang == "en" else c.state.advice.zh
    out += _para(f"{status}. " if lang == "en" else f"{status}。")
    label = text("advice", lang) + (": " if lang == "en" else "：")
    out += f"#text(weight: \"bold\", {typst_string(label)})#{typst_string(advice)}\n\n"
    out += '#image("scenario_map.svg", width: 100%)\n#pagebreak()\n'
    out += _heading(1, text("sec.kpis", lang))
    kpis = [(text(f"kpi.{k}", lang), kpi_value(k, v, lang)) for k, v in c.year_kpis.items()]
    out += _heading(2, f"{title} · {c.year}")
    out += _table((text("indicator", lang), text("value", lang)), kpis)
    rows = []
    for t in c.targets:
        projected, gap = t["projected"], t["gap"]
        known = not math.isnan(projected)
        rows.append((str(int(t["year"])), yi(t["target"], lang), yi(projected, lang) if known else "—",
                     yi(gap, lang, sign=True) if known else "—",
                     text("reached" if gap >= 0 else "not_reached", lang) if known else "—"))
    out += _table((text("year", lang), text("target", lang), text("kpi.projected_output_yi", lang),
                   text("gap", lang), text("col.status", lang)), rows)
    return out


def _difference(kpi: str, value: float, lang: str) -> str:
    """A difference of two scenarios' KPI: signed; a yes/no KPI as −1, 0 or +1."""
    if kpi == "height_limit_active":
        return f"{value:+.0f}" if value else "0"
    if kpi in ("projected_output_yi", "output_target_yi", "output_gap_yi"):
        return yi(value, lang, sign=True)
    return ("+" if value > 0 else "") + kpi_value(kpi, value, lang)


def _compare(c: BriefContent, lang: str) -> str:
    out = ""
    table = c.comparison
    if table is not None:
        names = [a["name"] for a in c.assumptions]
        titles = [_scenario_title(a, lang) for a in c.assumptions]
        header = [text("indicator", lang), *titles,
                  *(text("diff", lang, a="A", b=chr(ord("B") + i)) for i in range(len(names) - 1))]
        rows = []
        for kpi, row in table.iterrows():
            vals = [kpi_value(str(kpi), float(row[n]), lang) if pd.notna(row[n]) else "—" for n in names]
            diffs = [_difference(str(kpi), float(row[f"diff:{n}"]), lang) if pd.notna(row[f"diff:{n}"]) else "—"
                     for n in names[1:]]
            rows.append((text(f"kpi.{kpi}", lang), *vals, *diffs))
        out += _heading(1, text("sec.compare", lang, year=c.year))
        out += _para(" · ".join(f"{chr(ord('A') + i)} = {t}" for i, t in enumerate(titles)), size="8pt")
        out += _table(header, rows)
    out += _heading(1 if table is None else 2, text("sec.timelines", lang))
    out += '#image("timelines.svg", width: 100%)\n#pagebreak()\n'
    return out


def _zone_name(c: BriefContent, zone: object, lang: str) -> str:
    z = c.summary["zones"].get(str(zone))
    return text("outside", lang) if z is None else str(z["name_en" if lang == "en" else "name_zh"])


def _type_name(code: object, lang: str) -> str:
    """A development type's name in ``lang`` (the code when the shipped library has no such type)."""
    from analysis.whatif.types import load_development_types

    if not isinstance(code, str) or not code:
        return "—"
    found = load_development_types().get(code)
    return code if found is None else (found.name_en if lang == "en" else found.name_zh)


def _rows(c: BriefContent, frame: pd.DataFrame, columns: Sequence[str], lang: str) -> list[list[str]]:
    out = []
    for rec in frame.head(LIST_ROWS).to_dict(orient="records"):
        row = []
        for col in columns:
            v = rec.get(col)
            if col == "zone_id":
                row.append(_zone_name(c, v, lang))
            elif col == "area_mu" or col == "output_per_mu":
                row.append(number(None if v is None or pd.isna(v) else float(v)))
            elif col == "height_limit_m":
                row.append("—" if v is None or pd.isna(v) else number(float(v)))
            elif col == "lease_end":
                row.append("—" if v is None or pd.isna(v) else str(v)[:10])
            elif col in ("efficiency_class", "land_use"):
                row.append(category(col, v, lang))
            elif col == "development_type":
                row.append(_type_name(v, lang))
            elif col == "low_efficiency_basis":
                codes = [b for b in str(v or "").split(";") if b]
                row.append((", " if lang == "en" else "；").join(text(f"basis.{b}", lang) for b in codes) or "—")
            else:
                row.append("—" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
        out.append(row)
    return out


def _list(c: BriefContent, key: str, frame: pd.DataFrame | None, columns: Sequence[str], heads: Sequence[str],
          lang: str) -> str:
    out = _heading(2, text(f"list.{key}", lang) + ("" if frame is None else f"（{len(frame)}）"
                                                   if lang != "en" else f" ({len(frame)})"))
    if frame is None:
        return out + _para(text("no_edits", lang))
    if not len(frame):
        return out + _para(text("no_conflicts" if key == "conflicts" else "none", lang))
    out += _table([text(h, lang) for h in heads], _rows(c, frame, columns, lang), align="left")
    if len(frame) > LIST_ROWS:
        out += _para(text("more", lang, n=len(frame) - LIST_ROWS), size="8pt", fill="luma(90)")
    return out


def _lists(c: BriefContent, lang: str) -> str:
    out = _heading(1, text("sec.lists", lang))
    out += _list(c, "expiring", c.lists["expiring"], ("parcel_id", "enterprise", "zone_id", "area_mu", "lease_end"),
                 ("col.parcel", "col.enterprise", "col.zone", "col.area", "col.lease_end"), lang)
    low = c.lists["low_efficiency"]
    with_basis = low is not None and "low_efficiency_basis" in low.columns
    out += _list(c, "low_eff", low,
                 ("parcel_id", "enterprise", "zone_id", "area_mu", "output_per_mu",
                  *(("low_efficiency_basis",) if with_basis else ())),
                 ("col.parcel", "col.enterprise", "col.zone", "col.area", "col.output_per_mu",
                  *(("col.basis",) if with_basis else ())), lang)
    conflicts = c.lists["conflicts"]
    cols = [col for col in ("parcel_id", "zone_id", "land_use", "development_type", "height_limit_m")
            if conflicts is None or col in conflicts.columns]
    heads = {"parcel_id": "col.parcel", "zone_id": "col.zone", "land_use": "col.use", "development_type": "col.type",
             "height_limit_m": "col.height"}
    out += _list(c, "conflicts", conflicts, cols, [heads[col] for col in cols], lang)
    return out + "#pagebreak()\n"


def _assumptions(c: BriefContent, lang: str) -> str:
    out = _heading(1, text("sec.assumptions", lang))
    for a in c.assumptions:
        out += _heading(2, _scenario_title(a, lang))
        items = a["items"]
        assert isinstance(items, list)
        out += "".join(f"- #{typst_string(item['en' if lang == 'en' else 'zh'])}\n" for item in items) + "\n"
    return out


def brief_source(content: BriefContent, *, generated: dt.datetime) -> str:
    """The briefing as Typst source (the figures are files beside it: see :func:`compile_brief`)."""
    lang = content.request.lang
    stamp = f"{text('generated', lang)} {generated.strftime('%Y-%m-%d %H:%M UTC')}"
    page = text("page", lang, page="PAGE", total="TOTAL")
    before, rest = page.split("PAGE")
    middle, after = rest.split("TOTAL")
    footer = (f"context [#text(size: 8pt, fill: luma(100))[#{typst_string(stamp)} #h(1fr) #{typst_string(before)}"
              f"#counter(page).display()#{typst_string(middle)}#counter(page).final().first()#{typst_string(after)}]]")
    head = (f"#set document(title: {typst_string(text('title', lang) + ' · ' + text('district', lang))})\n"
            f"#set page(paper: \"a4\", margin: (x: 1.8cm, y: 1.6cm), footer: {footer})\n"
            f"#set text(font: {typst_string(FONT_FAMILY)}, size: 9.5pt, lang: {typst_string(lang)})\n"
            "#set heading(numbering: none)\n"
            "#show heading.where(level: 1): it => block(below: 0.8em, text(size: 15pt, it))\n"
            "#show heading.where(level: 2): it => block(above: 1.1em, below: 0.6em, text(size: 11pt, it))\n\n")
    return head + _cover(content, generated) + _district(content, lang) + _scenario(content, lang) \
        + _compare(content, lang) + _lists(content, lang) + _assumptions(content, lang)


def compile_brief(content: BriefContent, *, generated: dt.datetime) -> bytes:
    """The briefing as PDF bytes: the figures drawn, the source written, Typst run in a scratch folder."""
    drawings = {"district_map.svg": figures.district_map(content), "scenario_map.svg": figures.scenario_map(content),
                "timelines.svg": figures.timeline_charts(content)}
    source = brief_source(content, generated=generated)
    fonts = [str(p.parent) for p in font_files()][:1]
    with tempfile.TemporaryDirectory(prefix="huli-brief-") as tmp:
        root = Path(tmp)
        for name, data in drawings.items():
            (root / name).write_bytes(data)
        (root / "brief.typ").write_text(source, encoding="utf-8")
        pdf = typst.compile(str(root / "brief.typ"), root=str(root), font_paths=fonts, ignore_system_fonts=True,
                            timestamp=int(generated.timestamp()))
    assert isinstance(pdf, bytes)
    return pdf
