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

__all__ = ["Indicator", "TargetTable", "read_forms", "targets", "form_facts"]

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


def to_figure(cell: str) -> Decimal | None:
    """The amount a cell prints (1,960.35, 2311.19, 300), else None."""
    if not cell or has_cjk(cell) or numeric_cell(cell) is None or not re.search(r"\d", cell):
        return None
    try:
        return to_decimal(cell.replace(" ", ""))
    except ValueError:
        return None


def _amounts_by_header(t: TargetTable, cells: list[str], h: _Header) -> None:
    """The amounts of a line in the amount columns of the header, each labelled with the line's
    name (the cells left of the first amount that are not figures) and its column: a project's
    (项目总额, 财政资金) or a task's (总额, 财政拨款)."""
    first = min(h.amounts)
    label = " ".join(c for c in cells[:first] if c and to_figure(c) is None)
    for i, col in sorted(h.amounts.items()):
        v = to_figure(cells[i])
        if v is not None:
            t.amounts.append((f"{label}/{col}" if label else col, v))


def targets(doc: Document) -> list[TargetTable]:
    """The 绩效目标表 of ``doc``, in order."""
    return [f for f in doc.forms if type(f) is TargetTable]


def form_facts(doc: Document) -> list[dict[str, Any]]:
    """The 绩效目标表 of ``doc`` as the store's fact rows (``Kind.form_facts``): each amount printed
    with its label (column 金额, in the table's 万元 as printed) and each indicator (column 指标值: its
    value as printed in ``text``, no amount). A row is keyed by the form's place among the
    document's 绩效目标表 and what it names — ``2/年度资金总额``, ``2/产出指标/数量指标/培训人次`` —
    so that the same line of the same form matches between versions."""
    out: list[dict[str, Any]] = []
    for k, t in enumerate(targets(doc), 1):
        for label, value in t.amounts:
            label = label.rstrip("：:")
            out.append({"table_id": t.table, "row_key": f"{k}/{label}", "label": f"{t.title}：{label}",
                        "column": "金额", "value": value, "text": format(value, "f"), **_where(t.source)})
        for ind in t.indicators:
            out.append({"table_id": t.table, "row_key": f"{k}/{ind.level1}/{ind.level2}/{ind.name}",
                        "label": f"{t.title}：{ind.name}", "column": "指标值", "value": None,
                        "text": f"{ind.value}{ind.unit}".strip() or None, **_where(ind.source)})
    return out


def _where(source: dict[str, Any]) -> dict[str, Any]:
    return {"page": source.get("page"), "line": source.get("line"), "bbox": source.get("bbox")}


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


# the header cells of a 绩效目标表's indicator columns (一级指标 | 二级指标 | 三级指标 | 性质 | 指标值 | 单位)
_HEAD_ROLES = (("level1", re.compile(r"^一级指标$")), ("level2", re.compile(r"^二级指标$")),
               ("name", re.compile(r"^(?:三级指标|指标内容|指标名称)$")), ("op", re.compile(r"性质$")),
               ("value", re.compile(r"指标值")), ("unit", re.compile(r"(?:度量|计量)?单位$")))
# the header cells of its amount columns (项目总额 | 其中：财政资金 | 其他资金; 预算金额 总额 | 财政拨款 …)
_AMOUNT_HEAD = re.compile(r"^(?:项目总额|预算支出总额|总额|预算金额|财政资金|财政拨款|其他资金)(?:[（(]万元[)）])?$")
_GENERIC_HEAD = re.compile(r"^预算金额")       # a spanning header that names no fund: not kept in a name
# a cell of a form's head (its project, its funds, its targets): a line holding one is no indicator
_FORM_LABEL = re.compile(r"^(?:项目名称|主管部门|实施单位|项目资金|资金金额|年度资金总额|实施期资金总额|其中|上年结转|"
                         r"其他资金|(?:年度)?总体目标|实施期总目标|年度目标|部门.{0,4}名称|任务名称|年度主要任务)")
# a cell that labels the indicator block (printed in the merged column on its left), not an indicator's
_BLOCK_LABEL = re.compile(r"^(?:年度)?(?:绩效)?指标$|^年度绩效指标$|^绩效指标$")


@dataclass
class _Header:
    """The columns a 绩效目标表's header names, by cell position, for the ruled lines of its width."""
    width: int
    roles: dict[str, int] = field(default_factory=dict)       # indicator columns: level1, name, value …
    amounts: dict[int, str] = field(default_factory=dict)     # amount columns: position → its name
    above: list[str] = field(default_factory=list)            # the header line read last


def _header(cells: list[str], known: _Header | None) -> _Header | None:
    """The header a line of cells (blanks kept) prints, or continues when ``known`` is the header
    line just above it (the names under a spanning 其中：/财政拨款: 财政资金, 财政拨款/基本支出);
    None when the line is no header. A line naming the 指标值 column starts the indicators: the
    amount columns end there."""
    if any(numeric_cell(c) is not None and re.search(r"\d", c) for c in cells if c):
        return None
    texts = [flat(c) for c in cells]
    roles = {role: i for role, pat in _HEAD_ROLES for i, c in enumerate(texts) if c and pat.search(c)
             if role != "unit" or len(c) <= 6} if any("指标值" in c for c in texts) else {}
    amounts = {i: re.sub(r"[（(]万元[)）]$", "", c) for i, c in enumerate(texts) if c and _AMOUNT_HEAD.match(c)}
    if not roles and known is not None and known.amounts and known.width == len(cells):
        under = {i: c for i, c in enumerate(texts) if c}
        if under and min(under) >= min(known.amounts):
            # the names under the spanning header above, each with its fund
            for i, c in under.items():
                parent = next((known.above[j] for j in range(i, -1, -1) if known.above[j]), "")
                keep = _AMOUNT_HEAD.match(parent) and not _GENERIC_HEAD.match(parent) and parent != c
                known.amounts[i] = f"{re.sub(r'[（(]万元[)）]$', '', parent)}/{c}" if keep else c
            known.above = texts
            return known
    if not roles and not amounts:
        return None
    return _Header(len(cells), roles, amounts, above=texts)


def _by_header(cells: list[str], h: _Header, last: Indicator | None) -> tuple[str, str, str, str, str] | None:
    """(一级, 二级, 三级, 指标值, 单位) of an indicator line read by the columns of its header: for a
    line of the header's width, each from its column; for one of another width (the table goes on
    over a page with its columns drawn apart), its cells in order — the levels, the name, the
    value. A level left blank is the one above it (merged down over its lines). None when the
    line prints no name and value (a template's 指标1： left blank)."""
    if len(cells) == h.width and "value" in h.roles:
        r = h.roles
        level1 = flat(cells[r["level1"]]) if "level1" in r else ""
        level2 = flat(cells[r["level2"]]) if "level2" in r else ""
        lo = r["name"]
        hi = min([i for i in r.values() if i > lo] + [len(cells)])
        name = flat("".join(cells[lo:hi]))
        value = flat(cells[r["value"]])
        if "op" in r and cells[r["op"]]:
            value = flat(cells[r["op"]]) + value
        unit = flat(cells[r["unit"]]) if "unit" in r else ""
    else:
        if any(_FORM_LABEL.match(flat(c)) for c in cells if c):
            return None
        level1 = level2 = ""
        rest = []
        for i, c in enumerate(cells):
            c = flat(c)
            if not c or _BLOCK_LABEL.match(c):
                continue
            if not rest and (_LEVEL1.fullmatch(c) or _LEVEL2.fullmatch(c)):
                # a level in the column the header gives it (成本指标 is either), else by its name
                if i == h.roles.get("level2") or not _LEVEL1.fullmatch(c) and i != h.roles.get("level1"):
                    level2 = c
                else:
                    level1 = c
                continue
            rest.append(c)
        if len(rest) < 2:
            return None
        name, value, unit = rest[0], rest[1], ""
    if not name or not value or not has_cjk(name) or set(name) <= set("…．.。 "):
        return None
    if not level1 and last is not None:
        level1 = last.level1
    if not level2 and last is not None and (not level1 or level1 == last.level1):
        level2 = last.level2
    return level1, level2, name, value, unit


def read_forms(rec, forms: list[tuple[str, str, list]], doc: Document) -> None:
    """The 绩效目标表 regions (table id, title, lines from the title on) as :class:`TargetTable` forms.
    An indicator line is known by the operator before its value (≥95%, ＝900, 定性 优) or, where
    the table prints none (10余次, 全年, 100%), by the columns its header names; amounts by their
    label (年度资金总额 1,960.35) or by the amount columns of the header (项目总额, 其中：财政资金 —
    a project's or a task's amounts on its own line, labelled with its name)."""
    for tid, title, lines in forms:
        if tid not in _TITLES:
            continue
        t = TargetTable(tid, title or _TITLES[tid], source={**lines[0].place().to_dict()})
        head: _Header | None = None
        above = False       # the line before was a header line
        vertical = ""       # a level's name printed downwards in its merged cell, a character a line
        level2 = ""         # a 二级指标 printed on a line of its own (its merged cell going on from the page before)
        for line in lines[1:]:
            full = [c.strip() for c in line.cells]
            cells = [c for c in full if c]
            if not cells:
                continue
            first = flat(cells[0])
            if first == _PROJECT and len(cells) > 1 and not t.project and not t.indicators \
                    and not _HEADER_WORD.fullmatch(flat(cells[1])):
                t.project = flat(cells[1])
                continue
            if first == _GOAL and len(cells) > 1 and not t.goal and not t.indicators:
                t.goal = "".join(flat(c) for c in cells[1:])     # (a built budget's: see budget.narrative)
                continue
            if line.grid and (h := _header(full, head if above else None)) is not None:
                head, above = h, True
                continue
            above = False
            if not line.grid and head is not None and "value" in head.roles:
                if len(cells[0]) == 1 and has_cjk(cells[0]):
                    vertical += cells[0]
                    if _LEVEL1.fullmatch(vertical):      # the indicators above it, printed without it
                        for ind in reversed(t.indicators):
                            if ind.level1:
                                break
                            ind.level1 = vertical
                        vertical = ""
                    cells = cells[1:]
                if len(cells) == 1 and _LEVEL2.fullmatch(flat(cells[0])):
                    level2 = flat(cells[0])
                    continue
                if not cells:
                    continue
            vertical = ""
            if head is not None and head.amounts and len(full) == head.width:
                _amounts_by_header(t, full, head)
            last = t.indicators[-1] if t.indicators else None
            if level2:
                last = Indicator(last.level1 if last else "", level2, "", "")
                level2 = ""
            got = _indicator(cells, last)
            if got is None and head is not None and "value" in head.roles and line.grid:
                got = _by_header(full, head, last)
            elif got is not None and not got[0] and not got[1] and last is not None:
                got = (last.level1, last.level2, *got[2:])   # its levels merged down from the lines above
            if got is not None:
                t.indicators.append(Indicator(*got, source={**line.place().to_dict()}))
                continue
            if head is not None and head.amounts and len(full) == head.width and \
                    any(i in head.amounts and to_figure(full[i]) is not None for i in range(len(full))):
                continue      # its amounts are read above
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
