"""The budget's input workbook: ``juesuan template --kind budget`` writes it, blank or filled from a model.

Sheets (:mod:`juesuan.budget.workbook.sheets`): 填表说明; 单位概况; 收入预算 (本年收入 by source, 结转结余);
支出预算 (one row per 功能分类 项 and 资金来源: 基本支出, 项目支出); 基本支出经济分类; 三公经费预算 (本年 and
上年预算数, reasons, vehicles to buy); 项目支出 (one row per project, money by source); 项目绩效目标 (one row per
indicator); 机关运行经费; 政府采购预算; 国有资产; 上年预算数及原因; 支出主要用途; and the hidden 功能分类 and
经济分类 sheets that feed the code drop-downs.

Amounts are numbers in the chosen unit (元 by default), written as values; only the 合计 rows are
formulas (with their value cached, so a reader that does not calculate sees it), and the reader never
reads them. Not given is blank, 0 is 0: a part the model leaves out (``three_public`` None …) is a
blank sheet, a part given with zeros is written with zeros — and read back so.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ...workbook.cells import a1
from ...workbook.labelled import ECONOMIC_LOOKUP, FUNCTION_LOOKUP, GUIDE, KVSheet, ListSheet
from ...workbook.writing import SheetWriter
from ..model import FUND_SOURCES, OPERATORS, Budget
from .sheets import (
    ASSETS,
    ECONOMIC,
    ENTITY,
    EXPENDITURE,
    INCOME,
    NO_PROJECTS,
    OPERATING,
    PRIOR,
    PRIOR_ROWS,
    PROCUREMENT,
    PROJECTS,
    TARGETS,
    THREE_PUBLIC,
    THREE_PUBLIC_HEAD,
    THREE_PUBLIC_ITEMS,
    TOTAL,
    USAGE,
    VEHICLES_LABEL,
)

__all__ = ["write_template", "GUIDE_LINES"]

GUIDE_LINES = (
    "填表说明（部门预算）",
    "",
    "一、本工作簿是 juesuan 的部门预算公开数据录入表。填好后运行：juesuan build 本文件.xlsx -o 输出目录"
    "（生成部门预算公开的网页、Word、PDF、Excel），或 juesuan check 本文件.xlsx 审核。",
    "二、先填“单位概况”：预算年度、单位全称、政府层级、单位性质、金额单位（元或万元）。金额单位对所有表有效；"
    "某张表第2行“金额单位：”后的格子填了元或万元的，该表以此为准。",
    "三、“收入预算”填本年收入（按来源）和上年结转结余、年终结转结余：收入总计应等于支出总计"
    "（本年收入 + 上年结转结余 + 使用非财政拨款结余 = 本年支出 + 年终结转结余），各项财政拨款也各自平衡。",
    "四、“支出预算”每行一个支出功能分类项级科目（7位编码，可从下拉框选择，也可写成“201 03 50”）和一种资金来源"
    "（一般公共预算拨款、政府性基金预算拨款、国有资本经营预算拨款、财政专户管理资金、单位资金；留空按一般公共预算拨款），"
    "填基本支出和项目支出。类、款合计和各张预算表由程序计算；“合计”行是公式，不必填写。",
    "五、“基本支出经济分类”已列出人员经费和公用经费的款级科目，只填金额（一般公共预算基本支出），"
    "合计应等于“支出预算”中一般公共预算拨款的基本支出；其他科目可在空行补充。",
    "六、金额填数字，不要写“元”“万元”，不要用公式引用其他文件；负数不允许。"
    "留空表示“未填写”，生成的文档中会标出【待填写】；确实没有的请填 0（如没有“三公”经费，各项填 0）。",
    "七、“三公经费预算”“项目支出”“项目绩效目标”“机关运行经费”“政府采购预算”“国有资产”“上年预算数及原因”"
    "“支出主要用途”用于预算表和情况说明：整张表留空即“未填写”。本年没有项目支出的，在“项目支出”表第2行选“无”。",
    "八、“项目绩效目标”每个指标一行：项目名称（与“项目支出”表一致）、一级/二级/三级指标、符号"
    "（≥ ≤ ＝ ＞ ＜ 或 定性）、指标值、度量单位；年度绩效目标写在该项目的第一行。",
    "九、读取时发现的问题会指出工作表和单元格（如“支出预算!A7”）并说明如何改正。",
)

_BLANK_ROWS = 60       # blank rows of a list in a blank template
_MORE_ROWS = 15        # blank rows after a filled list
_FUND_CHOICES = list(FUND_SOURCES.values())


class _Writer(SheetWriter):
    d: Budget | None

    def __init__(self, path: Path, d: Budget | None, year: int, unit: str, lookups: bool = True):
        super().__init__(path, d, year, unit, lookups)
        self.note_fmt = self.wb.add_format({"font_name": "宋体", "font_size": 10, "valign": "vcenter",
                                            "font_color": "#595959"})
        self.widths: dict[int, int] = {}
        self.right = self.wb.add_format({"font_name": "宋体", "font_size": 10, "valign": "vcenter", "align": "right"})

    def printed(self, ws, header_row: int | None = 2) -> None:
        """Printed (or converted to PDF) as a user would want it: A4 landscape, one page wide, the header repeated."""
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        if header_row is not None:
            ws.repeat_rows(header_row)

    def note(self, ws, sheet: KVSheet | ListSheet, col: int) -> None:
        if sheet.note:     # on one line, running over the empty cells to its right
            ws.write_string(1, col, sheet.note, self.note_fmt)

    def fit(self, ws, r: int, texts: list[tuple[Any, int]]) -> None:
        """Row ``r`` as high as its longest text needs in its column's width (``texts``: (text, width))."""
        lines = 1
        for text, width in texts:
            if isinstance(text, str) and text:
                per_line = max(1, int(width / 1.9))       # a 汉字 takes about two widths of a digit
                lines = max(lines, sum(-(-max(len(x), 1) // per_line) for x in text.split("\n")))
        if lines > 1:
            ws.set_row(r, 13.5 * min(lines, 40))

    def kv(self, sheet: KVSheet) -> Any:
        ws, r = self.kv_sheet(sheet)
        self.printed(ws)
        for i, item in enumerate(sheet.items):
            v = self._get(item.path) if self.d is not None else None
            self.fit(ws, 3 + i, [(item.label, 30), ("\n".join(v) if item.kind == "lines" and v else v, 60),
                                 (item.note, 36)])
        if sheet.amounts:
            self.note(ws, sheet, 2)
        return ws, r

    def list_head(self, sheet: ListSheet, widths: dict[int, int] | None = None):
        ws = self.wb.add_worksheet(sheet.name)
        ws.write_string(0, 0, sheet.name, self.f.title)
        if sheet.amounts:
            self.unit_line(ws, 1, 0)
            self.note(ws, sheet, 2)
        else:
            self.note(ws, sheet, 0)
        self.header(ws, 2, 0, [[h] for h, _, _ in sheet.columns])
        ws.freeze_panes(3, 0)
        self.printed(ws)
        self.widths = {c: (widths or {}).get(c, 14 if kind in ("code", "amount") else 28)
                       for c, (_, _, kind) in enumerate(sheet.columns)}
        for c, w in self.widths.items():
            ws.set_column(c, c, w)
        return ws

    def rows(self, ws, sheet: ListSheet, records: list[list[Any]], r: int = 3, zero_blank: bool = False) -> int:
        """``records`` (then blank rows) from row ``r``; returns the row after them. ``zero_blank``: a 0
        beside another amount of its row is left blank (a blank there is 0 too), a row of zeros keeps them."""
        n = len(records) + (_MORE_ROWS if self.d is not None else _BLANK_ROWS)
        for i in range(n):
            rec = records[i] if i < len(records) else [None] * len(sheet.columns)
            amounts = [v for (_, _, kind), v in zip(sheet.columns, rec) if kind == "amount"]
            keep = not (zero_blank and any(amounts))
            for c, ((_, _, kind), v) in enumerate(zip(sheet.columns, rec)):
                if kind == "amount":
                    self.amount(ws, r, c, v, keep_zero=keep)
                else:
                    self.text(ws, r, c, v, self.f.code if kind == "code" else None)
            self.fit(ws, r, [(v, self.widths[c]) for c, ((_, _, kind), v) in enumerate(zip(sheet.columns, rec))
                             if kind == "text"])
            r += 1
        for c, (_, _, kind) in enumerate(sheet.columns):
            if kind == "amount":
                self.validate_amounts(ws, 3, c, r - 1, c)
        return r

    def totals(self, ws, sheet: ListSheet, r: int, label_col: int, values: dict[int, Decimal]) -> None:
        """The 合计 row at ``r``: a SUM formula over the rows above in each amount column, its value cached."""
        for c in range(len(sheet.columns)):
            ws.write_blank(r, c, None, self.f.label)
        ws.write_string(r, label_col, TOTAL, self.f.label)
        for c, (_, _, kind) in enumerate(sheet.columns):
            if kind == "amount":
                v = values.get(c, Decimal(0))
                ws.write_formula(r, c, f"=SUM({a1(3, c)}:{a1(r - 1, c)})", self.f.total, float(v / self.scale))

    def code_choices(self, ws, r0: int, r1: int, c: int, lookup: str, n: int, what: str) -> None:
        if self.with_lookups and r1 >= r0:
            ws.data_validation(r0, c, r1, c, {
                "validate": "list", "source": f"='{lookup}'!$E$2:$E${n + 1}",
                "error_type": "warning", "error_title": "科目编码",
                "error_message": f"不在本年度{what}中；仍要使用请点“是”。"})

    def choices(self, ws, r0: int, r1: int, c: int, values: list[str], title: str) -> None:
        ws.data_validation(r0, c, r1, c, {"validate": "list", "source": values, "error_type": "warning",
                                          "error_title": title,
                                          "error_message": "请从下拉框中选择；仍要使用请点“是”。"})

    # the sheets ---------------------------------------------------------------------------------
    def expenditure(self) -> None:
        d = self.d
        sheet = EXPENDITURE
        ws = self.list_head(sheet, {1: 34, 2: 22})
        recs = [[x.code, x.name, FUND_SOURCES[x.fund], x.basic, x.project]
                for x in (d.expenditure if d else [])]
        r = self.rows(ws, sheet, recs, zero_blank=True)
        self.code_choices(ws, 3, r - 1, 0, FUNCTION_LOOKUP, self.n_function_items, "功能分类项级科目")
        self.choices(ws, 3, r - 1, 2, _FUND_CHOICES, "资金来源")
        self.totals(ws, sheet, r, 1, {3: d.spent(kinds=("basic",)), 4: d.spent(kinds=("project",))} if d else {})

    def economic(self) -> None:
        d = self.d
        sheet = ECONOMIC
        ws = self.list_head(sheet, {1: 30, 2: 20})
        given = dict(d.basic_by_economic) if d else {}
        codes = sorted({c for c in self.cat.economic if len(c) == 5 and c[:3] in ("301", "302", "303")} | set(given))
        recs = [[c, self.cat.economic_name(c), given.get(c)] for c in codes]
        first_blank = 3 + len(recs)
        r = self.rows(ws, sheet, recs)
        self.code_choices(ws, first_blank, r - 1, 0, ECONOMIC_LOOKUP, self.n_economic_items, "经济分类款级科目")
        self.totals(ws, sheet, r, 1, {2: sum(given.values(), Decimal(0))})

    def three_public(self) -> None:
        tp = self.d.three_public if self.d else None
        ws = self.wb.add_worksheet(THREE_PUBLIC)
        ws.write_string(0, 0, "财政拨款“三公”经费预算", self.f.title)
        self.unit_line(ws, 1, 0)
        ws.write_string(1, 2, "没有“三公”经费的各项填 0（整表留空则文中留待填写）；合计是公式。", self.note_fmt)
        self.header(ws, 2, 0, [[h] for h in THREE_PUBLIC_HEAD])
        self.printed(ws)
        r = 3
        for label, f in THREE_PUBLIC_ITEMS:
            ws.write_string(r, 0, label, self.f.label)
            for c, side in ((1, "budget"), (2, "prior")):
                amounts = getattr(tp, side) if tp else None
                if f == "total":
                    v = amounts.total if amounts is not None else Decimal(0)
                    ws.write_formula(r, c, f"=SUM({a1(r + 1, c)}:{a1(r + 4, c)})", self.f.total,
                                     float(v / self.scale))
                else:
                    self.amount(ws, r, c, getattr(amounts, f) if amounts is not None else None, keep_zero=True)
            self.text(ws, r, 3, tp.reasons.get(f) if tp else None)
            self.fit(ws, r, [(tp.reasons.get(f) if tp else None, 50)])
            r += 1
        self.validate_amounts(ws, 4, 1, r - 1, 2)
        r += 1
        ws.write_string(r, 0, VEHICLES_LABEL, self.f.label)
        self.kv_value(ws, r, 1, "int", tp.vehicles_to_buy if tp else None)
        ws.set_column(0, 0, 26)
        ws.set_column(1, 2, 14)
        ws.set_column(3, 3, 50)

    def projects(self) -> None:
        d = self.d
        sheet = PROJECTS
        ws = self.list_head(sheet, {0: 36})
        ws.write_string(1, 5, NO_PROJECTS, self.right)       # ends where the cell to choose 无 in begins
        none = d is not None and d.projects == []
        self.text(ws, 1, 6, "无" if none else None, self.f.unit_cell)
        ws.data_validation(1, 6, 1, 6, {"validate": "list", "source": ["无"]})
        money = [f.removeprefix("money.") for _, f, k in sheet.columns if k == "amount"]
        recs = [[p.name, p.unit, p.implementer, p.code, *(getattr(p.money, f) for f in money)]
                for p in (d.projects or [] if d else [])]
        r = self.rows(ws, sheet, recs, zero_blank=True)
        self.code_choices(ws, 3, r - 1, 3, FUNCTION_LOOKUP, self.n_function_items, "功能分类项级科目")
        first = next(c for c, (_, _, k) in enumerate(sheet.columns) if k == "amount")
        self.totals(ws, sheet, r, 0, {first + i: sum((getattr(p.money, f) for p in (d.projects or [])), Decimal(0))
                                      for i, f in enumerate(money)} if d else {})

    def targets(self) -> None:
        d = self.d
        sheet = TARGETS
        ws = self.list_head(sheet, {0: 30, 1: 30, 4: 36, 5: 8})
        recs = []
        for p in (d.projects or [] if d else []):
            if p.target is None:
                continue
            goal = p.target.goal
            for ind in p.target.indicators:
                recs.append([p.name, goal, ind.level1, ind.level2, ind.level3, ind.operator, ind.value, ind.unit])
                goal = None
            if not p.target.indicators:
                recs.append([p.name, goal, None, None, None, None, None, None])
        r = self.rows(ws, sheet, recs)
        self.choices(ws, 3, r - 1, 5, list(OPERATORS), "符号")

    def prior(self) -> None:
        d = self.d
        sheet = PRIOR
        ws = self.list_head(sheet, {0: 30, 1: 16, 2: 60})
        for i, (label, pf, rf) in enumerate(PRIOR_ROWS):
            ws.write_string(3 + i, 0, label, self.f.label)
            self.amount(ws, 3 + i, 1, getattr(d.prior_year, pf) if d else None, keep_zero=True)
            self.text(ws, 3 + i, 2, getattr(d.reasons, rf) if d else None)
            self.fit(ws, 3 + i, [(getattr(d.reasons, rf) if d else None, 60)])
        self.validate_amounts(ws, 3, 1, 2 + len(PRIOR_ROWS), 1)

    def usage(self) -> None:
        d = self.d
        ws = self.list_head(USAGE, {1: 34, 2: 70})
        recs = [[k, self.cat.function_name(k), v] for k, v in d.reasons.usage.items()] if d else []
        self.rows(ws, USAGE, recs)

    def write(self) -> None:
        guide = self.wb.add_worksheet(GUIDE)
        for i, line in enumerate(GUIDE_LINES):
            guide.write_string(i, 0, line, self.f.title if i == 0 else self.f.note)
        guide.set_column(0, 0, 120)
        self.printed(guide, None)
        self.kv(ENTITY)
        self.kv(INCOME)
        self.expenditure()
        self.economic()
        self.three_public()
        self.projects()
        self.targets()
        self.kv(OPERATING)
        self.kv(PROCUREMENT)
        self.kv(ASSETS)
        self.prior()
        self.usage()
        if self.with_lookups:
            self.lookups()
        self.wb.worksheets()[1].activate()
        self.wb.close()


def write_template(path: str | Path, model: Budget | None = None, *, year: int = 2023, unit: str = "元",
                   lookups: bool = True) -> Path:
    """Write the budget's input workbook to ``path``: blank for ``year``, or filled from ``model``.
    ``lookups=False`` leaves out the hidden catalogue sheets and the code drop-downs."""
    if unit not in ("元", "万元"):
        raise ValueError(f"金额单位应为 元 或 万元：{unit}")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    _Writer(p, model, year, unit, lookups).write()
    return p
