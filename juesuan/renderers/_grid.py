"""Table grids: every table of a disclosure as placed cells, for the DOCX and XLSX renderers.

A ``Grid`` is a rectangle of ``Cell`` objects placed at (row, column) with row/column
spans: header rows (merged multi-row headers), the 栏次 row, body rows and footer
rows. It is derived from the table layouts (:mod:`juesuan.final.layouts`) — headers,
栏次 numbers, 行次, 类/款/项 code columns — so no renderer spells a table out, and the
Word and Excel outputs show the same cells in the same places.

Also here: the grids of the 附件 forms (部门整体绩效自评表, 项目绩效自评表) and of the
重点工作 summary table, which have no layout declaration of their own.

Numbers stay ``Decimal`` (displayed 万元); each renderer formats them (DOCX through
:func:`juesuan.figures.fmt_cell`, XLSX as numbers with a number format).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..document import KeyWorkRow, OverallTable, ProjectTable
from ..tables.layout import Column
from ..tables.table import Row, Table

__all__ = ["Cell", "Grid", "table_grid", "overall_grid", "project_grid", "key_work_grid",
           "split_code", "table_heading"]

Kind = Literal["head", "lanci", "label", "code", "no", "num", "text", "center"]


@dataclass
class Cell:
    row: int
    col: int
    text: str = ""
    value: Decimal | None = None      # for kind == "num"
    kind: Kind = "text"
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False


@dataclass
class Grid:
    ncols: int
    header_rows: int                  # rows repeated on every page (headers and 栏次)
    cells: list[Cell] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)   # relative column widths (≈ characters)
    nrows: int = 0
    landscape: bool = False           # wide: print across the page

    def put(self, row: int, col: int, text: str = "", *, kind: Kind = "text", value: Decimal | None = None,
            rowspan: int = 1, colspan: int = 1, bold: bool = False) -> Cell:
        c = Cell(row, col, text, value, kind, rowspan, colspan, bold)
        self.cells.append(c)
        self.nrows = max(self.nrows, row + rowspan)
        return c

    def by_row(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = [[] for _ in range(self.nrows)]
        for c in self.cells:
            rows[c.row].append(c)
        for r in rows:
            r.sort(key=lambda c: c.col)
        return rows


def split_code(code: str) -> tuple[str, str, str]:
    """功能分类 code as printed in 类 | 款 | 项 columns: 2010350 → 201 | 03 | 50."""
    if len(code) == 7:
        return code[:3], code[3:5], code[5:]
    if len(code) == 5:
        return code[:3], code[3:], ""
    return code, "", ""


def table_heading(t: Table) -> str:
    """The printed title of a table: 2023年度收入支出决算总表."""
    return f"{t.year}年度{t.title}" if t.year else t.title


# --- headers ------------------------------------------------------------------------------

def _paths(cols: tuple[Column, ...]) -> list[list[str]]:
    """Header labels of each column, top to bottom (a group above its columns)."""
    out = []
    for c in cols:
        name = c.header.split("/")[-1]
        out.append([c.group, name] if c.group else [name])
    return out


def _place_paths(g: Grid, paths: list[list[str]], row0: int, rows: int, col0: int) -> None:
    """Place column header paths in rows row0..row0+rows-1 from column col0; equal
    neighbouring labels under the same parent merge across, a path's last label
    stretches down to the bottom header row."""
    depth = rows
    for level in range(depth):
        c = 0
        while c < len(paths):
            p = paths[c]
            if level >= len(p):
                c += 1
                continue
            last = level == len(p) - 1
            span = 1
            if not last:
                while (c + span < len(paths) and len(paths[c + span]) > level + 1
                       and paths[c + span][:level + 1] == p[:level + 1]):
                    span += 1
            g.put(row0 + level, col0 + c, p[level], kind="head",
                  rowspan=depth - level if last else 1, colspan=span)
            c += span


def _depth(paths: list[list[str]]) -> int:
    return max((len(p) for p in paths), default=1)


# --- the nine tables ------------------------------------------------------------------------

def _is_total(r: Row) -> bool:
    return bool(r.label) and ("total" in r.key or r.label in ("总计", "合计"))


def _two_sided(t: Table) -> Grid:
    lay = t.layout
    show_no = lay.show_line_numbers
    sides = lay.sides
    fixed = 2 if show_no else 1                   # 项目 (+ 行次)
    widths: list[float] = []
    starts = []
    for s in sides:
        starts.append(len(widths))
        widths += [30.0] + ([5.0] if show_no else []) + [13.0] * len(s.columns)
    paths = [_paths(s.columns) for s in sides]
    depth = max(_depth(p) for p in paths)
    g = Grid(ncols=len(widths), header_rows=1 + depth + (1 if show_no else 0), widths=widths)
    g.landscape = len(widths) > 7
    for s, col0, p in zip(sides, starts, paths):
        g.put(0, col0, s.name, kind="head", colspan=fixed + len(s.columns))
        g.put(1, col0, "项目", kind="head", rowspan=depth)
        if show_no:
            g.put(1, col0 + 1, "行次", kind="head", rowspan=depth)
        _place_paths(g, p, 1, depth, col0 + fixed)
    row = 1 + depth
    if show_no:
        for s, col0 in zip(sides, starts):
            g.put(row, col0, "栏次", kind="lanci")
            g.put(row, col0 + 1, "", kind="lanci")
            for i, c in enumerate(s.columns):
                g.put(row, col0 + fixed + i, str(c.number or ""), kind="lanci")
        row += 1
    per_side = []
    for s in sides:
        rows = [r for r in t.rows if r.side == s.name]
        if not show_no:   # regional layouts drop the filler rows
            rows = [r for r in rows if r.label]
        per_side.append(rows)
    n = max(len(r) for r in per_side)
    for i in range(n):
        for s, col0, rows in zip(sides, starts, per_side):
            r = rows[i] if i < len(rows) else None
            bold = r is not None and _is_total(r)
            g.put(row + i, col0, r.label if r else "", kind="label", bold=bold)
            if show_no:
                g.put(row + i, col0 + 1, str(r.line) if r and r.line else "", kind="no")
            for j, c in enumerate(s.columns):
                v = r.cells.get(c.header) if r else None
                g.put(row + i, col0 + fixed + j, kind="num", value=v, bold=bold)
    g.nrows = row + n
    return g


def _function(t: Table) -> Grid:
    lay = t.layout
    split = lay.show_line_numbers
    code_cols = 3 if split else 1
    cols = lay.columns
    paths = _paths(cols)
    depth = max(2, _depth(paths))
    widths = ([5.0, 4.0, 4.0] if split else [9.0]) + [32.0] + [12.0] * len(cols)
    g = Grid(ncols=len(widths), header_rows=depth + (1 if split else 0), widths=widths)
    g.landscape = len(widths) > 9
    g.put(0, 0, "项目", kind="head", colspan=code_cols + 1)
    g.put(1, 0, "功能分类科目编码", kind="head", colspan=code_cols, rowspan=depth - 1)
    g.put(1, code_cols, "科目名称", kind="head", rowspan=depth - 1)
    _place_paths(g, paths, 0, depth, code_cols + 1)
    row = depth
    if split:
        for i, name in enumerate(("类", "款", "项")):
            g.put(row, i, name, kind="lanci")
        g.put(row, 3, "栏次", kind="lanci")
        for i, c in enumerate(cols):
            g.put(row, 4 + i, str(c.number or ""), kind="lanci")
        row += 1
    for r in t.rows:
        bold = r.level <= 1
        if split:
            for i, part in enumerate(split_code(r.code)):
                g.put(row, i, part, kind="code")
        else:
            g.put(row, 0, r.code, kind="code")
        g.put(row, code_cols, r.label, kind="label", bold=bold)
        for i, c in enumerate(cols):
            g.put(row, code_cols + 1 + i, kind="num", value=r.cells.get(c.header), bold=bold)
        row += 1
    g.nrows = row
    return g


def _economic(t: Table) -> Grid:
    col = t.layout.columns[0].header
    personnel = [r for r in t.rows if r.side == "人员经费" and r.level > 0]
    public = [r for r in t.rows if r.side == "公用经费" and r.level > 0]
    if t.layout.economic_blocks == 3:
        # national: 人员经费 | 公用经费 (302 …) | 公用经费 (310 …), the two 公用 blocks under one head
        cut = next((i for i, r in enumerate(public) if r.level == 1 and r.code != "302"), len(public))
        blocks = [personnel, public[:cut], public[cut:]]
        heads = [("人员经费", 1), ("公用经费", 2)]
    else:
        blocks = [personnel, public]
        heads = [("人员经费", 1), ("公用经费", 1)]
    widths = [7.0, 24.0, 11.0] * len(blocks)
    g = Grid(ncols=len(widths), header_rows=2, widths=widths, landscape=True)
    c0 = 0
    for name, nblocks in heads:
        g.put(0, c0, name, kind="head", colspan=3 * nblocks)
        c0 += 3 * nblocks
    for b in range(len(blocks)):
        for j, h in enumerate(("科目代码", "科目名称", col)):
            g.put(1, 3 * b + j, h, kind="head")
    n = max(len(rows) for rows in blocks)
    for i in range(n):
        for b, rows in enumerate(blocks):
            r = rows[i] if i < len(rows) else None
            bold = r is not None and r.level == 1
            g.put(2 + i, 3 * b, r.code if r else "", kind="code")
            g.put(2 + i, 3 * b + 1, r.label if r else "", kind="label", bold=bold)
            g.put(2 + i, 3 * b + 2, kind="num", value=r.cells.get(col) if r else None, bold=bold)
    totals = {r.side: r for r in t.rows if r.level == 0}
    last = 2 + n
    p, q = totals.get("人员经费"), totals.get("公用经费")
    g.put(last, 0, "人员经费合计", kind="label", colspan=2, bold=True)
    g.put(last, 2, kind="num", value=p.cells.get(col) if p else None, bold=True)
    g.put(last, 3, "公用经费合计", kind="label", colspan=len(widths) - 4, bold=True)
    g.put(last, len(widths) - 1, kind="num", value=q.cells.get(col) if q else None, bold=True)
    g.nrows = last + 1
    return g


_VEHICLE_GROUP = "公务用车购置及运行维护费"


def _three_public(t: Table) -> Grid:
    cols = t.layout.columns
    national = cols[1].group == cols[0].group
    paths = []
    for c in cols:
        group, name = c.group or "", c.header.split("/")[-1]
        item = [_VEHICLE_GROUP, name] if c.key.split(":")[-1].startswith("vehicle") else [name]
        paths.append([group, *item] if national else [*item, group])
    depth = _depth(paths)
    show_no = t.layout.show_line_numbers
    g = Grid(ncols=len(cols), header_rows=depth + (1 if show_no else 0), widths=[11.0] * len(cols),
             landscape=True)
    _place_paths(g, paths, 0, depth, 0)
    row = depth
    if show_no:
        for i, c in enumerate(cols):
            g.put(row, i, str(c.number or ""), kind="lanci")
        row += 1
    for r in t.rows:
        for i, c in enumerate(cols):
            g.put(row, i, kind="num", value=r.cells.get(c.header))
        row += 1
    g.nrows = row
    return g


def table_grid(t: Table) -> Grid:
    """The grid of one of the nine tables, as its layout declares it."""
    return {"two_sided": _two_sided, "function": _function, "economic": _economic,
            "three_public": _three_public}[t.layout.kind](t)


# --- 附件 forms and 重点工作 ------------------------------------------------------------------

def _indicator_rows(g: Grid, rows, row0: int, col0: int, cols: tuple[str, ...]) -> int:
    """Indicator rows with 一级/二级 指标 merged down over equal neighbours."""
    n = len(rows)
    for k, attr in enumerate(cols):
        merge = attr in ("level1", "level2")
        i = 0
        while i < n:
            value = getattr(rows[i], attr) or ""
            span = 1
            if merge and value:
                while (i + span < n and getattr(rows[i + span], attr) == value
                       and (attr == "level1" or rows[i + span].level1 == rows[i].level1)):
                    span += 1
            g.put(row0 + i, col0 + k, value, kind="text", rowspan=span)
            i += span
    return row0 + n


# Check-box options printed in 项目绩效自评表 (项目类别 uses the entity's level: 区直专项, 市直专项 …).
_CHOICES = {
    "attribute": ("持续性项目", "新增性项目"),
    "kind": ("常年性项目", "延续性项目", "一次性项目"),
}


def _choices(value: str, options: tuple[str, ...]) -> str:
    if value not in options:
        return value
    return "  ".join(f"{i}、{o} {'☑' if o == value else '□'}" for i, o in enumerate(options, 1))


def project_grid(p: ProjectTable, level: str | None = None) -> Grid:
    """项目绩效自评表 in the standard 6-column form."""
    g = Grid(ncols=6, header_rows=0, widths=[12.0, 12.0, 14.0, 24.0, 13.0, 13.0])
    category = ("部门预算项目", f"{level or '本级'}直专项", "上级对下转移支付项目")
    g.put(0, 0, "项目名称", kind="head")
    g.put(0, 1, p.name, colspan=5)
    g.put(1, 0, "主管部门", kind="head")
    g.put(1, 1, p.supervisor, colspan=2)
    g.put(1, 3, "项目实施单位", kind="head")
    g.put(1, 4, p.implementer, colspan=2)
    for r, (label, text) in enumerate((("项目类别", _choices(p.category, category)),
                                       ("项目属性", _choices(p.attribute, _CHOICES["attribute"])),
                                       ("项目类型", _choices(p.kind, _CHOICES["kind"]))), start=2):
        g.put(r, 0, label, kind="head")
        g.put(r, 1, text, colspan=5)
    g.put(5, 0, f"预算执行情况（{p.unit}）", kind="head", rowspan=2)
    g.put(5, 1, "", kind="head")
    for j, h in enumerate(("预算数（A）", "执行数（B）")):
        g.put(5, 2 + j, h, kind="head")
    g.put(5, 4, "执行率（B/A）", kind="head", colspan=2)
    g.put(6, 1, "年度财政资金总额", kind="head")
    g.put(6, 2, p.budget, kind="center")
    g.put(6, 3, p.actual, kind="center")
    g.put(6, 4, p.rate, kind="center", colspan=2)
    n = len(p.indicators)
    g.put(7, 0, "年度绩效目标", kind="head", rowspan=n + 1)
    for j, h in enumerate(("一级指标", "二级指标", "三级指标", "年初目标值（A）", "实际完成值（B）")):
        g.put(7, 1 + j, h, kind="head")
    row = _indicator_rows(g, p.indicators, 8, 1, ("level1", "level2", "level3", "target", "actual"))
    g.put(row, 0, "偏差大或目标未完成原因分析", kind="head")
    g.put(row, 1, p.deviation, colspan=5)
    g.put(row + 1, 0, "改进措施及结果应用方案", kind="head")
    g.put(row + 1, 1, p.improvement, colspan=5)
    g.nrows = row + 2
    return g


def overall_grid(o: OverallTable) -> Grid:
    """部门整体绩效自评表: 单位, 支出总额 (元), 年度目标, indicators, 偏差与改进."""
    g = Grid(ncols=7, header_rows=0, widths=[8.0, 10.0, 12.0, 24.0, 10.0, 13.0, 13.0])
    g.put(0, 0, "单位名称", kind="head", colspan=2)
    g.put(0, 2, o.unit_name, colspan=5)
    g.put(1, 0, "基本支出总额", kind="head", colspan=2)
    g.put(1, 2, f"{o.basic_total}{o.unit}" if o.basic_total else "", colspan=2)
    g.put(1, 4, "项目支出总额", kind="head")
    g.put(1, 5, f"{o.project_total}{o.unit}" if o.project_total else "", colspan=2)
    g.put(2, 0, "年度目标", kind="head", colspan=2)
    g.put(2, 2, "\n".join(f"{i}. {x}" for i, x in enumerate(o.goals, 1)), colspan=5)
    n = len(o.indicators)
    g.put(3, 0, "年度绩效指标", kind="head", rowspan=n + 1)
    for j, h in enumerate(("一级指标", "二级指标", "三级指标", "指标分类", "年初目标值（a）", "实际完成值（b）")):
        g.put(3, 1 + j, h, kind="head")
    row = _indicator_rows(g, o.indicators, 4, 1, ("level1", "level2", "level3", "category", "target", "actual"))
    g.put(row, 0, "偏差大或目标未完成原因分析", kind="head", colspan=2)
    g.put(row, 2, o.deviation, colspan=5)
    g.put(row + 1, 0, "改进措施及结果应用方案", kind="head", colspan=2)
    g.put(row + 1, 2, o.improvement, colspan=5)
    g.nrows = row + 2
    return g


def key_work_grid(rows: list[KeyWorkRow]) -> Grid:
    """重点工作完成情况 summary table: 序号 | 重要事项 | 工作内容及目标 | 完成情况."""
    g = Grid(ncols=4, header_rows=1, widths=[6.0, 16.0, 40.0, 10.0])
    for j, h in enumerate(("序号", "重要事项", "工作内容及目标", "完成情况")):
        g.put(0, j, h, kind="head")
    for i, r in enumerate(rows, 1):
        g.put(i, 0, r.number, kind="center")
        g.put(i, 1, r.title)
        g.put(i, 2, r.target)
        g.put(i, 3, r.completion, kind="center")
    g.nrows = len(rows) + 1
    return g
