"""The input workbook: ``juesuan template`` writes it, blank or pre-filled from a model.

Sheets: 填表说明; 单位概况; the nine tables in the national layout (from
:mod:`juesuan.final.layouts`: titles, headers, 栏次, T1/T4 fixed rows; the
function tables list 项 rows with 科目编码 and 科目名称); the supplementary sheets
declared in :mod:`juesuan.final.workbook.sheets`; and two hidden lookup sheets, 功能分类
and 经济分类, filled from the catalogue of the year, that feed the drop-downs.

Amounts are written as numbers in the chosen unit (元 by default) — values, never
formulas, so the file reads back without Excel having calculated it. A pre-filled
template (``--from``) holds the exact yuan figures of every cell, totals included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...workbook.writing import SheetWriter
from ..build import exact_cells
from ..layouts import LAYOUTS, T6_BLOCKS, T6_TEMPLATE_ROWS, TableLayout
from ..model import Disclosure
from .sheets import (
    ASSETS,
    BUDGET,
    ECONOMIC_LOOKUP,
    ENTITY,
    FUNCTION_LOOKUP,
    GUIDE,
    HIGHLIGHTS,
    INDICATOR_COLUMNS,
    KEY_WORK,
    OPERATING,
    OVERALL,
    PRIOR,
    PRIOR_ROWS,
    PROCUREMENT,
    PROJECT_FIELDS,
    PROJECTS,
    THREE_PUBLIC,
    THREE_PUBLIC_COUNTS,
    THREE_PUBLIC_HEAD,
    THREE_PUBLIC_ITEMS,
    USAGE,
    KVSheet,
    ListSheet,
)

__all__ = ["write_template", "GUIDE_LINES"]

_BLANK_LEAF_ROWS = 60

GUIDE_LINES = (
    "填表说明",
    "",
    "一、本工作簿是 juesuan（决算）的部门决算公开数据录入表。填好后运行：juesuan build 本文件.xlsx -o 输出目录",
    "二、先填“单位概况”：单位全称、决算年度、政府层级、单位性质、金额单位（元或万元）。金额单位对所有表有效；"
    "某张表第2行“金额单位：”后的格子填了元或万元的，该表以此为准。",
    "三、九张决算表按全国通用格式排列。功能分类表（收入决算表、支出决算表、一般公共预算财政拨款支出决算表、"
    "政府性基金预算财政拨款收入支出决算表、国有资本经营预算财政拨款支出决算表）只需逐行填写项级科目："
    "科目编码（7位，可从下拉框选择，也可写成“201 03 50”）、科目名称和各栏金额；类、款合计由程序计算，"
    "填了也会被核对。“合计”行可不填，填了会核对。",
    "四、收入决算表的“财政拨款收入”按资金性质拆分：政府性基金部分取政府性基金表的“本年收入”，"
    "国有资本经营部分取国有资本经营表，其余为一般公共预算财政拨款收入。",
    "五、一般公共预算财政拨款基本支出决算明细表已列出常用经济分类款级科目，只填金额；其他科目可在末尾空行补充。",
    "六、收入支出决算总表只需填写“使用非财政拨款结余”“年初结转和结余”“结余分配”“年末结转和结余”；"
    "财政拨款收入支出决算总表只需填写年初、年末财政拨款结转和结余（按资金性质）。其余各行由其他表计算，填了会核对。",
    "七、金额填数字，不要写“元”“万元”，不要用公式引用其他文件；没有的填0或留空。负数不允许。",
    "八、其余各表（上年数、年初预算及原因、三公明细、机关运行经费、政府采购、国有资产、整体绩效、项目绩效、"
    "项目成效、重点工作）用于情况说明中的文字和比较；没有的可以留空，生成的文档中会标出“待填写”。",
    "九、项目绩效表每个项目一块：从“项目名称”一行开始，下面是各项内容和指标表；增加项目时复制整块粘贴在下方。",
    "十、也可以直接使用部门决算报表软件导出的九张公开表（一个工作簿或一个文件夹），程序按表标题识别各表。",
)


class _Writer(SheetWriter):
    def __init__(self, path: Path, d: Disclosure | None, year: int, unit: str, lookups: bool = True):
        super().__init__(path, d, year, unit, lookups)
        self.exact = exact_cells(d) if d else {}

    def table_sheet(self, lay: TableLayout) -> None:
        ws = self.wb.add_worksheet(lay.title)
        heading = f"{self.year}年度{lay.title}"
        if lay.kind == "function":
            self.function_sheet(ws, lay, heading)
        elif lay.kind == "economic":
            self.economic_sheet(ws, lay, heading)
        elif lay.kind == "three_public":
            self.three_public_sheet(ws, lay, heading)
        else:
            self.two_sided_sheet(ws, lay, heading)

    def _leaf_rows(self, lay: TableLayout) -> list[tuple[str, str | None]]:
        d = self.d
        if d is None:
            return []
        if lay.id == "T2":
            lines = list(d.income)
        elif lay.id == "T3":
            lines = list(d.expenditure)
        else:
            lines = [a for a in d.appropriations if a.fund.value == lay.fund]
            lines += [i for i in d.fund_items if i.fund == lay.fund]
            lines += [i for i in d.income if getattr(i, lay.fund or "general", 0)]
        out, seen = [], set()
        for ln in lines:
            if ln.code in seen:
                continue
            seen.add(ln.code)
            if any(self.exact.get((lay.id, ln.code, None, c.header), (0, 0))[0] for c in lay.columns):
                out.append((ln.code, ln.name))
        # 收入/支出决算表 keep the model's order; the fund tables mix lines of several lists
        # (appropriations, fund items, income), so they print in code order, as published.
        return out if lay.id in ("T2", "T3") else sorted(out)

    def function_sheet(self, ws, lay: TableLayout, heading: str) -> None:
        ncols = 2 + len(lay.columns)
        self.title(ws, heading, ncols)
        paths = [["科目编码"], ["科目名称"]] + [[c.group, c.header.split("/")[-1]] if c.group else
                                           [c.header.split("/")[-1]] for c in lay.columns]
        depth = self.header(ws, 2, 0, paths)
        r = 2 + depth
        ws.merge_range(r, 0, r, 1, "栏次", self.f.lanci)
        for j, c in enumerate(lay.columns):
            ws.write_number(r, 2 + j, c.number or j + 1, self.f.lanci)
        r += 1
        ws.freeze_panes(r, 2)
        ws.write_blank(r, 0, None, self.f.label)
        ws.write_string(r, 1, "合计", self.f.label)
        for j, c in enumerate(lay.columns):
            self.amount(ws, r, 2 + j, self.exact.get((lay.id, "合计", None, c.header), (None, 0))[0], self.f.total)
        first = r + 1
        rows = self._leaf_rows(lay)
        n = max(len(rows) + 20, _BLANK_LEAF_ROWS) if self.d is None else len(rows) + 20
        for i in range(n):
            rr = first + i
            code, name = rows[i] if i < len(rows) else ("", None)
            self.text(ws, rr, 0, code, self.f.code)
            self.text(ws, rr, 1, name)
            for j, c in enumerate(lay.columns):
                v = self.exact.get((lay.id, code, None, c.header), (None, 0))[0] if code else None
                self.amount(ws, rr, 2 + j, v)
        last = first + n - 1
        self.validate_amounts(ws, first - 1, 2, last, ncols - 1)
        if self.with_lookups:
            ws.data_validation(first, 0, last, 0, {
                "validate": "list", "source": f"='{FUNCTION_LOOKUP}'!$E$2:$E${self.n_function_items + 1}",
                "error_type": "warning", "error_title": "科目编码",
                "error_message": "不在本年度功能分类项级科目中；仍要使用请点“是”。"})
        ws.set_column(0, 0, 12)
        ws.set_column(1, 1, 34)
        ws.set_column(2, ncols - 1, 15)
        if lay.empty_sentence:
            ws.write_string(last + 2, 0, f"（{lay.empty_sentence}——本表无数据时留空即可）", self.f.note)

    def economic_sheet(self, ws, lay: TableLayout, heading: str) -> None:
        col = lay.columns[0].header
        self.title(ws, heading, 3)
        self.header(ws, 2, 0, [["科目编码"], ["科目名称"], [col]])
        r = 3
        ws.freeze_panes(r, 2)
        codes = list(T6_TEMPLATE_ROWS)
        if self.d:
            for c in sorted(self.d.basic_by_economic):
                for node in (c[:3], c):
                    if node not in codes:
                        codes.append(node)
        block_of = {cls: i for i, (_, classes) in enumerate(T6_BLOCKS) for cls in classes}
        codes.sort(key=lambda c: (block_of.get(c[:3], 1),
                                  T6_TEMPLATE_ROWS.index(c) if c in T6_TEMPLATE_ROWS else 10_000 + int(c)))
        first = r
        for code in codes:
            self.text(ws, r, 0, code, self.f.code)
            self.text(ws, r, 1, self.cat.economic_name(code) or "", self.f.label)
            v = self.exact.get(("T6", code, None, col), (None, 0))[0]
            self.amount(ws, r, 2, v, self.f.total if len(code) == 3 else self.f.num)
            r += 1
        for _ in range(15):
            self.text(ws, r, 0, "", self.f.code)
            self.text(ws, r, 1, "")
            self.amount(ws, r, 2, None)
            r += 1
        if self.with_lookups:
            ws.data_validation(r - 15, 0, r - 1, 0, {
                "validate": "list", "source": f"='{ECONOMIC_LOOKUP}'!$E$2:$E${self.n_economic_items + 1}",
                "error_type": "warning", "error_message": "不在本年度经济分类款级科目中；仍要使用请点“是”。"})
        for name, _ in T6_BLOCKS:
            ws.write_blank(r, 0, None, self.f.label)
            ws.write_string(r, 1, f"{name}合计", self.f.label)
            self.amount(ws, r, 2, self.exact.get(("T6", f"{name}合计", None, col), (None, 0))[0], self.f.total)
            r += 1
        self.validate_amounts(ws, first, 2, r - 1, 2)
        ws.set_column(0, 0, 12)
        ws.set_column(1, 1, 30)
        ws.set_column(2, 2, 16)

    def three_public_sheet(self, ws, lay: TableLayout, heading: str) -> None:
        n = len(lay.columns)
        self.title(ws, heading, n)
        paths = []
        for c in lay.columns:
            leaf = c.header.split("/")[-1]
            _, _, item = c.key.partition(":")
            if item in ("vehicle", "vehicle_purchase", "vehicle_operation"):
                paths.append([c.group, "公务用车购置及运行维护费", leaf])
            else:
                paths.append([c.group, leaf])
        depth = self.header(ws, 2, 0, paths)
        r = 2 + depth
        for j, c in enumerate(lay.columns):
            ws.write_number(r, j, c.number or j + 1, self.f.lanci)
        r += 1
        ws.freeze_panes(r, 0)
        given = self.d is not None and self.d.three_public is not None   # given as 0: 0, not a blank
        for j, c in enumerate(lay.columns):
            self.amount(ws, r, j, self.exact.get(("T9", "三公", None, c.header), (None, 0))[0], keep_zero=given)
        self.validate_amounts(ws, r, 0, r, n - 1)
        ws.set_column(0, n - 1, 13)

    def two_sided_sheet(self, ws, lay: TableLayout, heading: str) -> None:
        paths, spans = [], []
        for side in lay.sides:
            start = len(paths)
            paths.append([side.name, "项目"])
            paths.append([side.name, "行次"])
            for c in side.columns:
                paths.append([side.name, c.group, c.header] if c.group else [side.name, c.header])
            spans.append((start, len(paths)))
        ncols = len(paths)
        self.title(ws, heading, ncols)
        depth = self.header(ws, 2, 0, paths)
        r = 2 + depth
        for side, (c0, _c1) in zip(lay.sides, spans):
            ws.write_string(r, c0, "栏次", self.f.lanci)
            ws.write_blank(r, c0 + 1, None, self.f.lanci)
            for j, c in enumerate(side.columns):
                ws.write_number(r, c0 + 2 + j, c.number or j + 1, self.f.lanci)
        r += 1
        ws.freeze_panes(r, 0)
        first = r
        for side, (c0, c1) in zip(lay.sides, spans):
            for i, fr in enumerate(side.rows):
                rr = first + i
                ws.write_string(rr, c0, fr.label, self.f.label)
                if fr.line is not None:
                    ws.write_number(rr, c0 + 1, fr.line, self.f.lanci)
                for j, c in enumerate(side.columns):
                    v = self.exact.get((lay.id, fr.key, side.name, c.header), (None, 0))[0] if fr.key else None
                    self.amount(ws, rr, c0 + 2 + j, v)
                self.validate_amounts(ws, rr, c0 + 2, rr, c1 - 1)
            ws.set_column(c0, c0, 34)
            ws.set_column(c0 + 1, c0 + 1, 6)
            ws.set_column(c0 + 2, c1 - 1, 15)

    # supplementary sheets ----------------------------------------------------------------------
    def list_sheet(self, sheet: ListSheet, records: list[list[Any]], total: Any = "none") -> None:
        ws = self.wb.add_worksheet(sheet.name)
        ws.write_string(0, 0, sheet.name, self.f.title)
        if sheet.amounts:
            self.unit_line(ws, 1, 0)
            ws.write_string(1, 3 if len(sheet.columns) > 3 else 2, sheet.note, self.f.note)
        elif sheet.note:
            ws.write_string(1, 0, sheet.note, self.f.note)
        self.header(ws, 2, 0, [[h] for h, _, _ in sheet.columns])
        r = 3
        n = len(records) + (10 if self.d is not None else 40)
        for i in range(n):
            rec = records[i] if i < len(records) else [None] * len(sheet.columns)
            for c, ((_, _, kind), v) in enumerate(zip(sheet.columns, rec)):
                if kind == "amount":
                    self.amount(ws, r, c, v, keep_zero=True)
                else:
                    self.text(ws, r, c, v, self.f.code if kind == "code" else None)
            r += 1
        amount_cols = [c for c, (_, _, k) in enumerate(sheet.columns) if k == "amount"]
        for c in amount_cols:
            self.validate_amounts(ws, 3, c, r, c)
        if sheet is BUDGET and self.with_lookups:
            ws.data_validation(3, 0, r - 1, 0, {
                "validate": "list", "source": f"='{FUNCTION_LOOKUP}'!$E$2:$E${self.n_function_items + 1}",
                "error_type": "warning", "error_message": "不在本年度功能分类项级科目中；仍要使用请点“是”。"})
        if sheet is BUDGET:
            ws.write_blank(r, 0, None, self.f.label)
            ws.write_string(r, 1, "合计", self.f.label)
            self.amount(ws, r, 2, total if total != "none" else None, keep_zero=True)
        for c, (_, _, kind) in enumerate(sheet.columns):
            ws.set_column(c, c, 14 if kind in ("code", "amount") else 40)
        ws.freeze_panes(3, 0)

    def prior_sheet(self) -> None:
        d = self.d
        recs = []
        for label, pf, rf in PRIOR_ROWS:
            recs.append([label, getattr(d.prior_year, pf) if d else None,
                         getattr(d.reasons, rf) if (d and rf) else None])
        ws = self.wb.add_worksheet(PRIOR.name)
        ws.write_string(0, 0, PRIOR.name, self.f.title)
        self.unit_line(ws, 1, 0)
        ws.write_string(1, 2, PRIOR.note, self.f.note)
        self.header(ws, 2, 0, [[h] for h, _, _ in PRIOR.columns])
        for i, (label, v, reason) in enumerate(recs):
            ws.write_string(3 + i, 0, label, self.f.label)
            self.amount(ws, 3 + i, 1, v, keep_zero=True)
            self.text(ws, 3 + i, 2, reason)
        self.validate_amounts(ws, 3, 1, 3 + len(recs), 1)
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 16)
        ws.set_column(2, 2, 60)

    def three_public_detail(self) -> None:
        d = self.d
        ws = self.wb.add_worksheet(THREE_PUBLIC)
        ws.write_string(0, 0, "财政拨款“三公”经费明细", self.f.title)
        self.unit_line(ws, 1, 0)
        self.header(ws, 2, 0, [[h] for h in THREE_PUBLIC_HEAD])
        r = 3
        tp = d.three_public if d else None
        for label, f in THREE_PUBLIC_ITEMS:
            ws.write_string(r, 0, label, self.f.label)
            for c, side in ((1, "budget"), (2, "final"), (3, "prior_final")):
                amounts = getattr(tp, side) if tp else None
                if f == "total" or amounts is None:
                    ws.write_blank(r, c, None, self.f.total if f == "total" else self.f.num)
                else:
                    self.amount(ws, r, c, getattr(amounts, f), keep_zero=True)
            self.text(ws, r, 4, tp.reasons.get(f) if tp else None)
            r += 1
        self.validate_amounts(ws, 4, 1, r - 1, 3)
        r += 1
        self.header(ws, r, 0, [["数量项目"], ["数量"]])
        r += 1
        for label, f in THREE_PUBLIC_COUNTS:
            ws.write_string(r, 0, label, self.f.label)
            self.kv_value(ws, r, 1, "int", getattr(tp.counts, f) if tp else None)
            r += 1
        ws.set_column(0, 0, 26)
        ws.set_column(1, 3, 14)
        ws.set_column(4, 4, 50)

    def overall_sheet(self) -> None:
        ws, r = self.kv_sheet(OVERALL)
        r += 1
        self.header(ws, r, 0, [[h] for h, _ in INDICATOR_COLUMNS])
        r += 1
        perf = self.d.performance if self.d else None
        inds = perf.overall.indicators if (perf and perf.overall) else []
        self.indicator_rows(ws, r, inds, 10 if self.d else 30)
        ws.set_column(2, 5, 24)

    def indicator_rows(self, ws, r: int, inds, blank: int) -> int:
        for ind in inds:
            for c, (_, f) in enumerate(INDICATOR_COLUMNS):
                self.text(ws, r, c, getattr(ind, f))
            r += 1
        for _ in range(blank):
            for c in range(len(INDICATOR_COLUMNS)):
                self.text(ws, r, c, None)
            r += 1
        return r

    def projects_sheet(self) -> None:
        ws = self.wb.add_worksheet(PROJECTS)
        ws.write_string(0, 0, "项目绩效自评", self.f.title)
        self.unit_line(ws, 1, 0)
        ws.write_string(1, 3, "每个项目一块，从“项目名称”开始；增加项目时复制整块。", self.f.note)
        r = 3
        projects = list(self.d.performance.projects) if (self.d and self.d.performance) else []
        projects = projects or [None]     # one blank block to fill in
        for p in projects:
            for item in PROJECT_FIELDS:
                ws.write_string(r, 0, item.label, self.f.head if item.path == ("name",) else self.f.label)
                v = getattr(p, item.path[0]) if p is not None else None
                self.kv_value(ws, r, 1, item.kind, v)
                r += 1
            self.header(ws, r, 0, [[h] for h, _ in INDICATOR_COLUMNS])
            r += 1
            r = self.indicator_rows(ws, r, p.indicators if p is not None else [], 2 if p is not None else 8)
            r += 1
        ws.set_column(0, 0, 26)
        ws.set_column(1, 1, 50)
        ws.set_column(2, 5, 22)

    # ---------------------------------------------------------------------------------------------
    def write(self) -> None:
        d = self.d
        guide = self.wb.add_worksheet(GUIDE)
        for i, line in enumerate(GUIDE_LINES):
            guide.write_string(i, 0, line, self.f.title if i == 0 else self.f.note)
        guide.set_column(0, 0, 120)
        self.kv_sheet(ENTITY)
        for tid in ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"):
            self.table_sheet(LAYOUTS[tid])
        self.prior_sheet()
        ib = d.initial_budget if d else None
        self.list_sheet(BUDGET, [[i.code, i.name, i.amount, i.reason] for i in ib.items] if ib else [],
                        total=ib.total if ib else None)
        self.list_sheet(USAGE, [[k, self.cat.function_name(k), v] for k, v in d.reasons.class_usage.items()]
                        if d else [])
        self.three_public_detail()
        ws, _ = self.kv_sheet(OPERATING) if (d is None or d.operating_funds is not None) else self._blank_kv(OPERATING)
        self.kv_sheet(PROCUREMENT)
        self.kv_sheet(ASSETS)
        self.overall_sheet()
        self.projects_sheet()
        self.list_sheet(HIGHLIGHTS, [[h.project, h.outcome] for h in d.highlights] if d else [])
        self.list_sheet(KEY_WORK, [[k.title, k.text, k.target, k.completion] for k in d.key_work] if d else [])
        if self.with_lookups:
            self.lookups()
        self.wb.worksheets()[1].activate()
        self.wb.close()

    def _blank_kv(self, sheet: KVSheet):
        saved, self.d = self.d, None
        try:
            return self.kv_sheet(sheet)
        finally:
            self.d = saved


def write_template(path: str | Path, model: Disclosure | None = None, *, year: int = 2023,
                   unit: str = "元", lookups: bool = True) -> Path:
    """Write the input workbook to ``path``: blank, or pre-filled from ``model``.

    ``lookups=False`` leaves out the hidden catalogue sheets and the code drop-downs
    (smaller files, e.g. for tests).
    """
    if unit not in ("元", "万元"):
        raise ValueError(f"金额单位应为 元 或 万元：{unit}")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    _Writer(p, model, year, unit, lookups).write()
    return p

