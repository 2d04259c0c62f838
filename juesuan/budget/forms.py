"""The 预算's 绩效目标表 as forms: a project's (项目支出绩效目标表) and the whole department's
(部门整体支出绩效目标表), read from a published budget.

A budget prints them as tables among its others — one per project (西南大学: one table each, with
the project's 年度资金总额 and its 绩效指标), or one table of every project (北京市: 项目名称,
项目总额, 绩效目标, then its indicators). They are not tables of figures: :func:`read_forms` keeps,
for each table region, the amounts printed with their labels (年度资金总额 1,960.35, 其中：财政拨款
1,930.00, a project's 项目总额) and every indicator line — 一级指标, 二级指标, 三级指标, the
指标值 as printed (≥95 %, 定性 优). What a line does not say plainly (a name wrapped onto the next
line, a 绩效目标 paragraph) stays with the line it was printed on; a line of figures that is
neither is counted, not guessed (``unread``).

A budget built from data prints one per project with 绩效目标 (:mod:`juesuan.budget.narrative`): the
project's name (项目名称), its money (年度资金总额, 其中：财政拨款, 其他资金), its 年度绩效目标, then
the indicators, a line each; read back, the same form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from ..parse.cells import flat, has_cjk, line_text, numeric_cell, to_decimal
from ..tables.grid import Grid

if TYPE_CHECKING:  # pragma: no cover
    from ..document import Document

__all__ = ["Indicator", "TargetTable", "read_forms", "targets"]

_LEVEL1 = re.compile(r"^(产出指标|效益指标|成本指标|满意度指标|效果指标|影响指标)")
_LEVEL2 = re.compile(r"^((?:数量|质量|时效|经济成本|社会成本|生态环境成本|经济效益|社会效益|生态效益|生态环境效益|"
                     r"可持续影响|服务对象满意度|满意度)指标)")
_OP = re.compile(r"^(≥|≤|＝|=|＞|＜|>|<|定性|定量)")
_AMOUNT_LABEL = re.compile(r"(年度资金总额|资金总额|项目总额|预算支出总额|财政拨款|其他资金|上年结转|本年预算|预算数)")
_PROJECT, _GOAL = "项目名称", "年度绩效目标"
# a header cell beside 项目名称 (the next column's name), not a project's name (…专项资金 is one)
_HEADER_WORD = re.compile(r".*总额|.*绩效目标|.*指标|(?:财政|其他|项目|年度)?资金|主管部门|实施单位|项目单位")
_TITLES = {"Y11": "项目支出绩效目标表", "Y15": "部门整体支出绩效目标表", "Y25": "专项资金总体绩效目标表"}


@dataclass
class Indicator:
    level1: str            # 一级指标: 产出指标 …
    level2: str            # 二级指标: 数量指标 …
    name: str              # 三级指标 as printed on the line
    value: str             # 指标值 as printed, with its operator: "≥95", "定性 优"
    unit: str = ""         # 度量单位 when printed apart: %, 个
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class TargetTable:
    """One 绩效目标表 region as read: its title, the amounts printed with their labels, its indicators."""
    table: str                                   # Y11 / Y15 / Y25
    title: str
    amounts: list[tuple[str, Decimal]] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    unread: int = 0                              # lines with figures that are neither
    source: dict[str, Any] = field(default_factory=dict)
    project: str = ""                            # its 项目名称 line, when it prints one (one project's table)
    goal: str = ""                               # its 年度绩效目标 line, likewise
    form: str = field(default="target", init=False)
    part: ClassVar[str] = "tables"
    form_name: ClassVar[str] = "绩效目标表"

    def heading(self, doc: Document) -> str:
        return self.title

    def grid(self, doc: Document) -> Grid:
        g = Grid(ncols=5, header_rows=0, widths=[12, 14, 36, 14, 10])
        row = 0
        if self.project:
            g.put(row, 0, _PROJECT, kind="label", bold=True)
            g.put(row, 1, self.project, colspan=4)
            row += 1
        for label, value in self.amounts:
            g.put(row, 0, label, kind="label", colspan=3)
            g.put(row, 3, "", kind="num", value=value, colspan=2)
            row += 1
        if self.goal:
            g.put(row, 0, _GOAL, kind="label", bold=True)
            g.put(row, 1, self.goal, colspan=4)
            row += 1
        for c, h in enumerate(("一级指标", "二级指标", "三级指标", "指标值", "度量单位")):
            g.put(row, c, h, kind="head", bold=True)
        row += 1
        for ind in self.indicators:
            for c, text in enumerate((ind.level1, ind.level2, ind.name, ind.value, ind.unit)):
                g.put(row, c, text)
            row += 1
        return g


def targets(doc: Document) -> list[TargetTable]:
    """The 绩效目标表 of ``doc``, in order."""
    return [f for f in doc.forms if type(f) is TargetTable]


def _indicator(cells: list[str], last: Indicator | None = None) -> tuple[str, str, str, str, str] | None:
    """(一级, 二级, 三级, 指标值, 单位) of a line printing an indicator, else None. A line under an
    indicator that names no level (the 一级/二级 cells merged down over it) takes the levels of
    ``last``."""
    k = next((i for i, c in enumerate(cells) if _OP.match(c)), None)
    if k is None or k == 0:
        return None
    head = "".join(cells[:k])
    tail = cells[k:]
    level1 = level2 = ""
    names: list[str] = []
    for c in cells[:k]:
        c = flat(c)
        if not has_cjk(c) and numeric_cell(c) is not None:
            names = []          # a project's code or amount before its indicators: not the name
            continue
        while c:
            m1 = _LEVEL1.match(c)
            if m1 and not level1:
                level1, c = m1.group(1), c[m1.end():]
                continue
            m2 = _LEVEL2.match(c)
            if m2 and not level2:
                level2, c = m2.group(1), c[m2.end():]
                continue
            names.append(c)
            break
    if level1 and not level2 and len(names) >= 2:
        level2 = names.pop(0)   # a 二级指标 in a cell of its own that does not end in 指标 (服务对象满意度)
    if not level1 and not level2 and not re.search(r"指标", head):
        if last is None or not names:
            return None
        level1, level2 = last.level1, last.level2
    elif last is not None and level2 and not level1 and _LEVEL2.match(level2):
        level1 = last.level1 if last.level2 != level2 or last.level1 else last.level1
    value = flat(tail[0])
    rest = [flat(c) for c in tail[1:] if c.strip()]
    if value in ("≥", "≤", "＝", "=", "＞", "＜", ">", "<", "定性", "定量") and rest:
        value += rest.pop(0)
    # the 度量单位 printed apart (个, %, 元/人); a number after the value is a 分值 or 权重, not a unit
    unit = rest[0] if rest and len(rest[0]) <= 6 and not re.search(r"\d", rest[0]) \
        and not _AMOUNT_LABEL.search(rest[0]) else ""
    return level1, level2, "".join(names[-1:]) if names else "", value, unit


def read_forms(rec, forms: list[tuple[str, str, list]], doc: Document) -> None:
    """The 绩效目标表 regions (table id, title, lines from the title on) as :class:`TargetTable` forms."""
    for tid, title, lines in forms:
        if tid not in _TITLES:
            continue
        t = TargetTable(tid, title or _TITLES[tid], source={**lines[0].place().to_dict()})
        for line in lines[1:]:
            cells = [c.strip() for c in line.cells if c.strip()]
            if not cells:
                continue
            head = flat(cells[0])
            if head == _PROJECT and len(cells) > 1 and not t.project and not t.indicators \
                    and not _HEADER_WORD.fullmatch(flat(cells[1])):
                t.project = flat(cells[1])
                continue
            if head == _GOAL and len(cells) > 1 and not t.goal and not t.indicators:
                t.goal = "".join(flat(c) for c in cells[1:])     # (a built budget's: see budget.narrative)
                continue
            got = _indicator(cells, t.indicators[-1] if t.indicators else None)
            if got is not None:
                t.indicators.append(Indicator(*got, source={**line.place().to_dict()}))
                continue
            text = flat(line_text(line))
            figures = [(i, c) for i, c in enumerate(cells) if numeric_cell(c) is not None and re.search(r"\d[.,]\d", c)]
            if not figures:
                continue
            label = next((flat(cells[j]) for j in range(figures[0][0] - 1, -1, -1) if has_cjk(cells[j])), "")
            m = _AMOUNT_LABEL.search(label or text)
            if m:
                for _, c in figures[:1]:
                    v = to_decimal(c)
                    if v is not None:
                        t.amounts.append((label or m.group(1), v))
                continue
            t.unread += 1
            rec.trace.unread(line, "绩效目标表中的数字未读入（不在金额或指标行上）", table=tid)
        doc.forms.append(t)
