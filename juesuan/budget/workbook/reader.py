"""``read_workbook(path) -> (Budget, diagnostics)``: the budget's input workbook read back.

Sheets are known by name (or by the title in A1), rows by their labels and the lists by their header
row (:mod:`juesuan.budget.workbook.sheets`). Each cell becomes one value or one Chinese message at its
sheet!cell (text in an amount cell, a negative amount, an Excel error value, a formula never
calculated); the data are then validated as the YAML would be — the model's fields, then the
catalogue codes and the balances of :func:`juesuan.budget.canonical.validate` — and every problem is
placed at the cell its data came from. All problems of a workbook are raised together as one
:class:`~juesuan.errors.InputError`; nothing is half-read.

Blank is not given, 0 is 0: a sheet left blank leaves its part out of the model (the narrative then
says 【待填写】); a row of a list with no figure adds nothing; the 合计 rows are formulas and never read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...data import workbook_record
from ...errors import Diagnostic, InputError
from ...workbook.cells import cell_text, is_blank, norm, split_code_name
from ...workbook.collect import Collector
from ...workbook.labelled import (
    ECONOMIC_LOOKUP,
    FUNCTION_LOOKUP,
    GUIDE,
    KVSheet,
    ReadContext,
    cell_value,
    read_kv,
    read_list,
    read_prior,
    set_path,
    sheet_unit,
)
from ...workbook.source import SheetGrid, open_sheets
from ..canonical import validate
from ..model import FUND_SOURCES, OPERATORS, Budget
from .sheets import (
    ASSETS,
    ECONOMIC,
    ENTITY,
    EXPENDITURE,
    FUND_LABELS,
    INCOME,
    NO_PROJECTS,
    OPERATING,
    PRIOR,
    PRIOR_ROWS,
    PROCUREMENT,
    PROJECTS,
    SHEETS,
    TARGETS,
    THREE_PUBLIC,
    THREE_PUBLIC_HEAD,
    THREE_PUBLIC_ITEMS,
    USAGE,
    VEHICLES_LABEL,
)

__all__ = ["read_workbook"]

_SKIP = {norm(GUIDE), norm(FUNCTION_LOOKUP), norm(ECONOMIC_LOOKUP)}
_REQUIRED = (ENTITY.name, EXPENDITURE.name)


def _sheet_name(g: SheetGrid) -> str | None:
    """The budget sheet ``g`` is (by sheet name, else by the title in A1)."""
    for s in SHEETS:
        if norm(g.name) == norm(s):
            return s
    a = norm(g.get(0, 0))
    for s in SHEETS:
        if a == norm(s) or (s == THREE_PUBLIC and a == norm("财政拨款“三公”经费预算")):
            return s
    return None


def read_workbook(path: str | Path) -> tuple[Budget, list[Diagnostic]]:
    """Read a budget's input workbook into the model; see the module docstring."""
    out = Collector()
    grids = open_sheets(path)
    sheets: dict[str, SheetGrid] = {}
    for g in grids:
        out.diags.extend(g.notes)
        if norm(g.name) in _SKIP:
            continue
        name = _sheet_name(g)
        if name is None:
            if any(not is_blank(v) for row in g.rows for v in row):
                out.info("未识别的工作表（不是部门预算录入表的工作表），已跳过", g)
            continue
        if name in sheets:
            out.error(f"工作表“{name}”重复（另见 {sheets[name].name}）", g)
            continue
        sheets[name] = g
    for name in _REQUIRED:
        if name not in sheets:
            out.error(f"缺少工作表“{name}”：这不是完整的部门预算录入表（juesuan template --kind budget 生成）",
                      None, file=str(path))
    if out.has_errors:
        raise InputError(out.diags)

    ctx = ReadContext(out, None)
    data: dict[str, Any] = {"kind": "budget"}
    read_kv(sheets[ENTITY.name], ENTITY, data, ctx)
    data.setdefault("entity", {})     # a blank profile: each required field named at its cell
    unit = data.pop("_unit", None)
    if unit is not None and unit not in ("元", "万元"):
        out.error(f"金额单位应为“元”或“万元”，填写的是“{unit}”", sheets[ENTITY.name],
                  cell=ctx.origins.get("_unit", ("", ENTITY.name))[1])
        unit = None
    ctx.unit_default = unit
    for sheet in (INCOME, OPERATING, PROCUREMENT, ASSETS):
        if sheet.name in sheets:
            _kv(sheets[sheet.name], sheet, data, ctx)
    g = sheets[EXPENDITURE.name]
    ctx.origins.setdefault("expenditure", (g.file, g.name))
    _expenditure(g, data, ctx)
    if ECONOMIC.name in sheets:
        _economic(sheets[ECONOMIC.name], data, ctx)
    if THREE_PUBLIC in sheets:
        _three_public(sheets[THREE_PUBLIC], data, ctx)
    if PROJECTS.name in sheets:
        _projects(sheets[PROJECTS.name], data, ctx)
    if TARGETS.name in sheets:
        _targets(sheets[TARGETS.name], data, ctx)
    if PRIOR.name in sheets:
        read_prior(sheets[PRIOR.name], PRIOR_ROWS, data, ctx)
    if USAGE.name in sheets:
        _usage(sheets[USAGE.name], data, ctx)
    if out.has_errors:
        raise InputError(out.diags)

    model = workbook_record(Budget, data, validate, ctx.origins, str(path), out.diags)
    if out.has_errors:
        raise InputError(out.diags)
    return model, out.diags


def _kv(g: SheetGrid, sheet: KVSheet, data: dict, ctx: ReadContext) -> None:
    read_kv(g, sheet, data, ctx)
    top = sheet.items[0].path[0]
    ctx.origins.setdefault(top, (g.file, g.name))


def _code(rec: dict, what: str, g: SheetGrid, r: int, ctx: ReadContext, col: int = 0) -> str | None:
    """The code of a list row (a drop-down's “2010350 事业运行” too); None (and an error) when it has none."""
    raw = rec.get("code", "")
    code = split_code_name(raw)[0] if raw else ""
    if not code:
        said = f"填写的科目编码“{raw}”不是数字编码" if raw else "没有科目编码"
        ctx.out.error(f"此行{said}（{what}）", g, r, col)
        return None
    return code


def _expenditure(g: SheetGrid, data: dict, ctx: ReadContext) -> None:
    lines = []
    for r, rec in read_list(g, EXPENDITURE, ctx):
        if "basic" not in rec and "project" not in rec:
            continue          # a code listed without figures adds nothing
        code = _code(rec, "支出功能分类项级科目，7位", g, r, ctx)
        if code is None:
            continue
        i = len(lines)
        line: dict[str, Any] = {"code": code}
        ctx.origins[f"expenditure[{i}]"] = (g.file, g.ref(r, 0))
        ctx.origins[f"expenditure[{i}].code"] = (g.file, g.ref(r, 0))
        name = rec.get("name") or split_code_name(rec["code"])[1]
        if name:
            line["name"] = name
            ctx.origins[f"expenditure[{i}].name"] = (g.file, g.ref(r, 1))
        fund = rec.get("fund")
        if fund is not None:
            key = FUND_LABELS.get(norm(fund)) or (fund if fund in FUND_SOURCES else None)
            if key is None:
                ctx.out.error(f"资金来源“{fund}”不是{'、'.join(FUND_SOURCES.values())}之一：请从下拉框中选择", g, r, 2)
                continue
            line["fund"] = key
            ctx.origins[f"expenditure[{i}].fund"] = (g.file, g.ref(r, 2))
        for c, f in ((3, "basic"), (4, "project")):
            ctx.origins[f"expenditure[{i}].{f}"] = (g.file, g.ref(r, c))
            if f in rec:
                line[f] = rec[f]
        lines.append(line)
    if lines:
        data["expenditure"] = lines


def _economic(g: SheetGrid, data: dict, ctx: ReadContext) -> None:
    econ: dict[str, Any] = {}
    ctx.origins.setdefault("basic_by_economic", (g.file, g.name))
    for r, rec in read_list(g, ECONOMIC, ctx):
        if "amount" not in rec:
            continue
        code = _code(rec, "经济分类款级科目，5位", g, r, ctx)
        if code is None:
            continue
        if code in econ:
            ctx.out.error(f"经济分类科目 {code} 重复（另见 {ctx.origins[f'basic_by_economic.{code}'][1]}）", g, r, 0)
            continue
        econ[code] = rec["amount"]
        ctx.origins[f"basic_by_economic.{code}"] = (g.file, g.ref(r, 2))
    if econ:
        data["basic_by_economic"] = econ


def _three_public(g: SheetGrid, data: dict, ctx: ReadContext) -> None:
    unit = sheet_unit(g, ctx)
    items = {norm(label): f for label, f in THREE_PUBLIC_ITEMS}
    tp: dict[str, Any] = {}
    ctx.origins.setdefault("three_public", (g.file, g.name))
    for r in range(len(g.rows)):
        lab = norm(g.get(r, 0))
        if lab in items:
            f = items[lab]
            if f != "total":      # the 合计 is a formula: its reason is read, its figures are not
                for c, side in ((1, "budget"), (2, "prior")):
                    ok, v = cell_value(g, r, c, "amount", unit, ctx, f"{cell_text(g.get(r, 0))}{THREE_PUBLIC_HEAD[c]}")
                    ctx.origins[f"three_public.{side}.{f}"] = (g.file, g.ref(r, c))
                    if ok and v is not None:
                        tp.setdefault(side, {})[f] = v
            ok, v = cell_value(g, r, 3, "text", unit, ctx, "增减原因")
            if ok and v:
                tp.setdefault("reasons", {})[f] = v
        elif lab == norm(VEHICLES_LABEL):
            ok, v = cell_value(g, r, 1, "int", unit, ctx, VEHICLES_LABEL)
            ctx.origins["three_public.vehicles_to_buy"] = (g.file, g.ref(r, 1))
            if ok and v is not None:
                tp["vehicles_to_buy"] = v
        elif lab and r > 2 and lab != norm(THREE_PUBLIC_HEAD[0]) and any(not is_blank(x) for x in g.rows[r][1:]):
            ctx.out.warning(f"未识别的项目“{cell_text(g.get(r, 0)).strip()}”，未读取", g, r, 0)
    if tp:
        data["three_public"] = tp


def _no_projects(g: SheetGrid) -> bool:
    """The “本年没有项目支出” cell says 无."""
    for r in range(min(3, len(g.rows))):
        for c in range(g.width):
            if norm(g.get(r, c)) == norm(NO_PROJECTS):
                return norm(g.get(r, c + 1)) == "无"
    return False


def _projects(g: SheetGrid, data: dict, ctx: ReadContext) -> None:
    projects = []
    ctx.origins.setdefault("projects", (g.file, g.name))
    for r, rec in read_list(g, PROJECTS, ctx):
        if "name" not in rec:
            ctx.out.error("此行有金额或其他内容，但没有项目名称", g, r, 0)
            continue
        i = len(projects)
        p: dict[str, Any] = {"name": rec["name"]}
        ctx.origins[f"projects[{i}]"] = (g.file, g.ref(r, 0))
        for c, (_, f, kind) in enumerate(PROJECTS.columns):
            ctx.origins[f"projects[{i}].{f}"] = (g.file, g.ref(r, c))
            if f == "name" or f not in rec:
                continue
            if kind == "amount":
                p.setdefault("money", {})[f.removeprefix("money.")] = rec[f]
            elif f == "code":
                code = _code(rec, "支出功能分类项级科目，7位", g, r, ctx, c)
                if code is not None:
                    p["code"] = code
            else:
                p[f] = rec[f]
        projects.append(p)
    if projects:
        if _no_projects(g):
            ctx.out.error("选了“本年没有项目支出”，下面却列有项目：请删去其一", g, 1, 6)
        data["projects"] = projects
    elif _no_projects(g):
        data["projects"] = []


def _targets(g: SheetGrid, data: dict, ctx: ReadContext) -> None:
    index = {p["name"]: i for i, p in enumerate(data.get("projects") or [])}
    cols = {f: c for c, (_, f, _) in enumerate(TARGETS.columns)}
    for r, rec in read_list(g, TARGETS, ctx):
        name = rec.get("project")
        if name is None:
            ctx.out.error("此行有指标内容，但没有项目名称", g, r, 0)
            continue
        if name not in index:
            ctx.out.error(f"项目“{name}”不在“项目支出”表中：请核对项目名称，或先在“项目支出”表中列出该项目", g, r, 0)
            continue
        i = index[name]
        target = data["projects"][i].setdefault("target", {})
        ctx.origins.setdefault(f"projects[{i}].target", (g.file, g.ref(r, 0)))
        goal = rec.get("goal")
        if goal is not None:
            if target.get("goal") not in (None, goal):
                ctx.out.error(f"项目“{name}”的年度绩效目标填了两个不同的内容（另见 "
                              f"{ctx.origins[f'projects[{i}].target.goal'][1]}）：请只在该项目的第一行填写", g, r, 1)
                continue
            target["goal"] = goal
            ctx.origins[f"projects[{i}].target.goal"] = (g.file, g.ref(r, 1))
        ind = {f: rec[f] for f in ("level1", "level2", "level3", "operator", "value", "unit") if f in rec}
        if not ind:
            continue
        if "operator" in ind and ind["operator"] not in OPERATORS:
            ctx.out.error(f"符号“{ind['operator']}”应为 {' '.join(OPERATORS)} 之一：请从下拉框中选择", g, r,
                          cols["operator"])
            continue
        inds = target.setdefault("indicators", [])
        j = len(inds)
        for f, c in cols.items():
            ctx.origins[f"projects[{i}].target.indicators[{j}].{f}"] = (g.file, g.ref(r, c))
        ctx.origins[f"projects[{i}].target.indicators[{j}]"] = (g.file, g.ref(r, cols["level1"]))
        inds.append(ind)


def _usage(g: SheetGrid, data: dict, ctx: ReadContext) -> None:
    for r, rec in read_list(g, USAGE, ctx):
        if not rec.get("usage"):
            continue
        code = _code(rec, "类3位、款5位或项7位", g, r, ctx)
        if code is None:
            continue
        if len(code) not in (3, 5, 7):
            ctx.out.error(f"科目编码应为3位（类）、5位（款）或7位（项），填写的是“{rec['code']}”", g, r, 0)
            continue
        set_path(data, ("reasons", "usage", code), rec["usage"])
        ctx.origins[f"reasons.usage.{code}"] = (g.file, g.ref(r, 0))

