"""The 决算's forms: the 附件 self-evaluation tables and the 重点工作 summary table.

A document kind contributes the forms it attaches (``Document.forms``, see
:class:`juesuan.document.Form`): here the 项目绩效自评表 (:class:`ProjectTable`), the 部门整体绩效
自评表 (:class:`OverallTable`) and the 重点工作完成情况 table of 第四部分 (:class:`KeyWorkTable`),
as shown (amounts as displayed). Each says which part it is printed in, its printed heading,
and how it is drawn (a :class:`~juesuan.tables.grid.Grid`, which every renderer draws); the
narrative builds them, the recognizer reads them back (:mod:`juesuan.final.attachments`,
:mod:`juesuan.final.recognition`), the JS4xx rules check them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..document import Document
from ..tables.grid import Grid

__all__ = ["IndicatorRow", "FundRow", "GoalRow", "ProjectTable", "OverallTable", "KeyWorkRow", "KeyWorkTable",
           "projects", "overall", "key_work_rows", "project_grid", "overall_grid", "key_work_grid", "SCORED"]

# The two layouts of a 绩效自评表: "simple" (预算数（A）/执行数（B）/执行率（B/A）, as Hubei prints it) and
# "scored" (财政部's form of 财预〔2020〕10号: 年初预算数/全年预算数/全年执行数/分值/执行率/得分 of 年度资金总额
# and its sources, 年度总体目标, indicators with 分值/得分/偏差原因分析及改进措施, and 总分).
SCORED = "scored"


@dataclass(slots=True)
class IndicatorRow:
    level1: str = ""
    level2: str = ""
    level3: str = ""
    category: str = ""
    target: str = ""
    actual: str = ""
    weight: str = ""              # 分值 (scored layout)
    score: str = ""               # 得分
    note: str = ""                # 偏差原因分析及改进措施 of this indicator


@dataclass(slots=True)
class FundRow:
    """A row under 年度资金总额 in a scored 自评表 (其中：当年财政拨款, 上年结转资金 …), as shown.
    The rows of one ``group`` add up to 年度资金总额, column by column."""
    label: str
    group: int = 1
    initial: str = ""             # 年初预算数
    budget: str = ""              # 全年预算数
    actual: str = ""              # 全年执行数
    weight: str = ""              # 分值 ("—" in the sources' rows)
    rate: str = ""                # 执行率
    score: str = ""               # 得分


@dataclass(slots=True)
class GoalRow:
    """年度总体目标: 预期目标 and 实际完成情况."""
    expected: str
    achieved: str = ""


@dataclass(slots=True)
class ProjectTable:
    """项目绩效自评表 as shown (amounts as displayed, in 万元): budget/actual/rate are 预算数（A）/
    执行数（B）/执行率, in the scored layout 全年预算数/全年执行数/执行率 of 年度资金总额."""
    name: str
    supervisor: str = ""
    implementer: str = ""
    category: str = ""
    attribute: str = ""
    kind: str = ""
    budget: str = ""              # 预算数（A）as displayed, e.g. "35"
    actual: str = ""              # 执行数（B）
    rate: str = ""                # 执行率（B/A）, e.g. "73.83%"
    indicators: list[IndicatorRow] = field(default_factory=list)
    deviation: str = ""
    improvement: str = ""
    unit: str = "万元"
    source: dict[str, Any] = field(default_factory=dict)
    layout: str = "simple"        # "simple" or SCORED
    initial: str = ""             # 年初预算数 (scored)
    weight: str = ""              # 分值 of 预算执行率 (scored)
    score: str = ""               # 得分 of 预算执行率 (scored)
    sources: list[FundRow] = field(default_factory=list)
    goals: list[GoalRow] = field(default_factory=list)
    total_weight: str = ""        # 总分 row: 分值 (100)
    total_score: str = ""         # 总分 row: 得分
    # what a reader could not read for sure: field ("money", "sources", "scores", "indicators") → why
    unsure: dict[str, str] = field(default_factory=dict)
    form: str = field(default="project", init=False)
    part: ClassVar[str] = "attachments"
    form_name: ClassVar[str] = "项目绩效自评表"

    def heading(self, doc: Document) -> str:
        return f"{_year(doc)}{self.name}项目{'支出' if self.layout == SCORED else ''}绩效自评表"

    def grid(self, doc: Document) -> Grid:
        return project_grid(self, doc.level)


@dataclass
class OverallTable:
    """部门整体绩效自评表 as shown: 基本/项目支出总额 in 元 (simple layout), or 年度资金总额 and its
    sources in 万元 with scores (scored layout)."""
    unit_name: str = ""
    basic_total: str = ""         # e.g. "3537776.2"
    project_total: str = ""
    unit: str = "元"
    goals: list[str] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    deviation: str = ""
    improvement: str = ""
    source: dict[str, Any] = field(default_factory=dict)
    layout: str = "simple"        # "simple" or SCORED (then the money is in 万元, below)
    outcomes: list[str] = field(default_factory=list)   # 实际完成情况 of the goals (scored)
    initial: str = ""             # 年度资金总额: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分 (scored)
    budget: str = ""
    actual: str = ""
    weight: str = ""
    rate: str = ""
    score: str = ""
    sources: list[FundRow] = field(default_factory=list)
    total_weight: str = ""
    total_score: str = ""
    unsure: dict[str, str] = field(default_factory=dict)
    form: str = field(default="overall", init=False)
    part: ClassVar[str] = "attachments"
    form_name: ClassVar[str] = "部门整体绩效自评表"

    def heading(self, doc: Document) -> str:
        return f"{_year(doc)}{self.unit_name or doc.entity}部门整体{'支出' if self.layout == SCORED else ''}绩效自评表"

    def grid(self, doc: Document) -> Grid:
        return overall_grid(self)


@dataclass(slots=True)
class KeyWorkRow:
    number: str
    title: str
    target: str
    completion: str


@dataclass
class KeyWorkTable:
    """重点工作完成情况 summary table of 第四部分 (printed after its sections, without a title)."""
    rows: list[KeyWorkRow] = field(default_factory=list)
    form: str = field(default="key_work", init=False)
    part: ClassVar[str] = "key_work"
    form_name: ClassVar[str] = "重点工作完成情况表"

    def heading(self, doc: Document) -> str:
        return ""

    def grid(self, doc: Document) -> Grid:
        return key_work_grid(self.rows)


def _year(doc: Document) -> str:
    return f"{doc.year}年度" if doc.year else ""


# ----------------------------------------------------------------------------- the forms of a document

def projects(doc: Document) -> list[ProjectTable]:
    """The 项目绩效自评表 of ``doc``, in order."""
    return [f for f in doc.forms if type(f) is ProjectTable]


def overall(doc: Document) -> OverallTable | None:
    """The 部门整体绩效自评表 of ``doc`` (None: there is none)."""
    return next((f for f in doc.forms if type(f) is OverallTable), None)


def key_work_rows(doc: Document) -> list[KeyWorkRow]:
    """The rows of the 重点工作完成情况 table of ``doc`` (none: there is no such table)."""
    return next((f.rows for f in doc.forms if type(f) is KeyWorkTable), [])


# ----------------------------------------------------------------------------- grids

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
    """项目绩效自评表 in the standard 6-column form, or the scored form (:func:`scored_grid`)."""
    if p.layout == SCORED:
        return scored_grid("项目名称", p.name, "项目资金（万元）", p, p.goals, "绩效指标",
                           (("主管部门", p.supervisor), ("实施单位", p.implementer)))
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
    """部门整体绩效自评表: 单位, 支出总额 (元), 年度目标, indicators, 偏差与改进; or the scored form."""
    if o.layout == SCORED:
        goals = [GoalRow(g, o.outcomes[i] if i < len(o.outcomes) else "") for i, g in enumerate(o.goals)]
        return scored_grid("部门（单位）名称", o.unit_name, "年度部门整体支出预算执行情况（万元）", o, goals,
                           "年度绩效指标")
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


_MONEY_HEADS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
_INDICATOR_HEADS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                    "偏差原因分析及改进措施")


def scored_grid(name_label: str, name: str, money_label: str, t: ProjectTable | OverallTable,
                goals: list[GoalRow], indicators_label: str, orgs: tuple[tuple[str, str], ...] = ()) -> Grid:
    """The scored 自评表 (财预〔2020〕10号) in 9 columns: name, (主管部门 | 实施单位), the money block
    (年度资金总额 and its sources: 年初预算数 … 得分), 年度总体目标 (预期目标 | 实际完成情况), the
    indicators (一级 … 偏差原因分析及改进措施) and 总分."""
    g = Grid(ncols=9, header_rows=0, widths=[8.0, 9.0, 10.0, 15.0, 10.0, 10.0, 6.0, 9.0, 12.0])
    g.put(0, 0, name_label, kind="head")
    g.put(0, 1, name, colspan=8)
    row = 1
    if orgs:
        (l1, v1), (l2, v2) = orgs
        g.put(1, 0, l1, kind="head")
        g.put(1, 1, v1, colspan=3)
        g.put(1, 4, l2, kind="head")
        g.put(1, 5, v2, colspan=4)
        row = 2
    g.put(row, 0, money_label, kind="head", rowspan=2 + len(t.sources))
    g.put(row, 1, "", kind="head", colspan=2)
    for j, h in enumerate(_MONEY_HEADS):
        g.put(row, 3 + j, h, kind="head")
    money = [("年度资金总额", t.initial, t.budget, t.actual, t.weight, t.rate, t.score)]
    last = None
    for s in t.sources:
        label = ("其中：" if s.group != last else "") + s.label
        last = s.group
        money.append((label, s.initial, s.budget, s.actual, s.weight or "—", s.rate or "—", s.score or "—"))
    for k, (label, *cells) in enumerate(money, start=row + 1):
        g.put(k, 1, label, colspan=2)
        for j, c in enumerate(cells):
            g.put(k, 3 + j, c, kind="center")
    row += 1 + len(money)
    if goals:
        g.put(row, 0, "年度总体目标", kind="head", rowspan=1 + len(goals))
        g.put(row, 1, "预期目标", kind="head", colspan=4)
        g.put(row, 5, "实际完成情况", kind="head", colspan=4)
        for k, goal in enumerate(goals, start=row + 1):
            g.put(k, 1, goal.expected, colspan=4)
            g.put(k, 5, goal.achieved, colspan=4)
        row += 1 + len(goals)
    n = len(t.indicators)
    g.put(row, 0, indicators_label, kind="head", rowspan=n + 1)
    for j, h in enumerate(_INDICATOR_HEADS):
        g.put(row, 1 + j, h, kind="head")
    row = _indicator_rows(g, t.indicators, row + 1, 1,
                          ("level1", "level2", "level3", "target", "actual", "weight", "score", "note"))
    g.put(row, 0, "总分", kind="head", colspan=6)
    g.put(row, 6, t.total_weight, kind="center")
    g.put(row, 7, t.total_score, kind="center")
    g.put(row, 8, "")
    row += 1
    for label, text in (("偏差大或目标未完成原因分析", t.deviation), ("改进措施及结果应用方案", t.improvement)):
        if text:
            g.put(row, 0, label, kind="head", colspan=2)
            g.put(row, 2, text, colspan=7)
            row += 1
    g.nrows = row
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
