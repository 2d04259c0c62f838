"""The 绩效自评 sheet of the workbook ``juesuan build`` writes, read back into the model's ``performance``.

``build --format xlsx`` prints the 部门整体绩效自评表 and the 项目绩效自评表 on one sheet (the
forms' grids, one under the other). The input template has its own sheets for them (整体绩效,
项目绩效: :mod:`juesuan.final.workbook.sheets`); this module reads the printed forms, row by row,
with the reader of published documents (:mod:`juesuan.final.attachments`: titles, fields,
ticked options, 预算数/执行数/执行率, indicators), and turns what it read into model data: figures
shown in 万元 back to yuan, indicators as printed. So ``check`` of a workbook that ``build`` wrote
checks its 自评表 too, instead of finding them missing.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ...figures import WAN
from ...parse.source import SourceLine
from ...parse.trace import Trace
from ...renderers.xlsx import SHEET_PERFORMANCE
from ...workbook.cells import cell_text, norm
from ...workbook.collect import Collector
from ...workbook.source import SheetGrid
from ..attachments import find_performance_tables, read_overall, read_project
from ..forms import SCORED, IndicatorRow, OverallTable, ProjectTable

__all__ = ["FORMS_SHEET", "read_forms_sheet"]

FORMS_SHEET = SHEET_PERFORMANCE     # the sheet's name, as the XLSX renderer writes it


def _lines(g: SheetGrid) -> list[SourceLine]:
    out = []
    for r, row in enumerate(g.rows):
        cells = [cell_text(v).strip() for v in row]
        if any(cells):   # by column, as a DOCX table's row: a merged cell's text in its first cell, "" after it
            out.append(SourceLine(cells, line=r + 1, grid=True))
    return out


def _yuan(shown: str, scale: Decimal = WAN) -> Decimal | None:
    """A figure as the form shows it ("35", "25.84", "3537776.2元") in yuan; None when there is none."""
    s = shown.replace(",", "").removesuffix("元").strip()
    if not s:
        return None
    try:
        v = Decimal(s) * scale
    except InvalidOperation:
        return None
    return v.quantize(Decimal("0.01")) if v.is_finite() and v >= 0 else None


def _indicators(rows: list[IndicatorRow]) -> list[dict[str, Any]]:
    out = []
    for i in rows:
        ind: dict[str, Any] = {"level3": i.level3}
        for f in ("level1", "level2", "category", "target", "actual", "note"):
            if getattr(i, f):
                ind[f] = getattr(i, f)
        for f in ("weight", "score"):
            v = _yuan(getattr(i, f), Decimal(1)) if getattr(i, f) else None
            if v is not None:
                ind[f] = v
        out.append(ind)
    return out


def _project(p: ProjectTable) -> dict[str, Any]:
    data: dict[str, Any] = {"name": p.name}
    for f in ("supervisor", "implementer", "category", "attribute", "kind", "deviation", "improvement"):
        if getattr(p, f):
            data[f] = getattr(p, f)
    for f, shown in (("budget", p.budget), ("actual", p.actual), ("initial_budget", p.initial)):
        v = _yuan(shown)
        if v is not None:
            data[f] = v
    if p.indicators:
        data["indicators"] = _indicators(p.indicators)
    if p.goals:
        data["goals"] = [{"expected": g.expected, **({"achieved": g.achieved} if g.achieved else {})}
                         for g in p.goals]
    return data


def _overall(o: OverallTable) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if o.goals:
        data["goals"] = list(o.goals)
    if o.outcomes:
        data["outcomes"] = list(o.outcomes)
    if o.indicators:
        data["indicators"] = _indicators(o.indicators)
    for f in ("deviation", "improvement"):
        if getattr(o, f):
            data[f] = getattr(o, f)
    for f, shown in (("budget", o.budget), ("initial_budget", o.initial)):
        v = _yuan(shown)
        if v is not None:
            data[f] = v
    return data


def is_forms_sheet(g: SheetGrid) -> bool:
    return norm(g.name) == norm(FORMS_SHEET)


def read_forms_sheet(g: SheetGrid, out: Collector) -> dict[str, Any] | None:
    """``performance`` data from the printed 自评表 of ``g`` (None when it holds none)."""
    lines = _lines(g)
    trace = Trace()
    projects: list[dict[str, Any]] = []
    overall: dict[str, Any] | None = None
    scored = False
    for kind, title, start, end in find_performance_tables(lines):
        body = lines[start + 1:end]
        if kind == "overall":
            o = read_overall(title, body, trace)
            scored |= o.layout == SCORED
            overall = _overall(o)
        elif kind == "project":
            p = read_project(title, body, trace)
            scored |= p.layout == SCORED
            if p.name:
                projects.append(_project(p))
    for ev in trace.unreadable:
        line = ev.get("line")
        out.warning(f"绩效自评表：{ev.get('what', '未能读取')}", g, (line - 1) if line else 0, 0)
    if overall is None and not projects:
        return None
    perf: dict[str, Any] = {"template": SCORED if scored else "simple"}
    if overall is not None:
        perf["overall"] = overall
    if projects:
        perf["projects"] = projects
    return perf
