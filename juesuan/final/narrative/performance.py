"""预算绩效: section 十三 of 情况说明 and the 附件 (部门整体绩效自评表, 项目绩效自评表).

Project 预算数/执行数 are rounded once from yuan to 万元 and shown trimmed as in the
seed ("35", "78.9"); 执行率 = B/A is computed from yuan, two decimals, trimmed
("95%", "87.67%"). The narrative quotes exactly the strings of the 自评表, so the
sentence and the table always agree. 整体自评表 shows 基本/项目支出总额 in 元.

The scored form (``performance.template: scored``, 财预〔2020〕10号) shows 万元 with two decimals
(年初预算数, 全年预算数, 全年执行数 of 年度资金总额 and its sources), 执行率 with two decimals,
the 预算执行率 score = 分值 × 执行率 (at most 分值), each indicator's 分值 and 得分, and 总分 = the
sums of the shown 分值 and 得分. The 部门整体 form's 全年执行数 is the 收入支出决算总表's 本年支出合计
and its sources by default the 支出决算表's 基本支出, 项目支出 (and any other column with money).
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from ...document import Section
from ...figures import WAN, ZERO, fmt_sentence
from ..forms import SCORED, FundRow, GoalRow, IndicatorRow, OverallTable, ProjectTable
from ..model import FundAmount, Indicator, ProjectPerformance
from ._common import Ctx, pct, percent_of, trim, wan

__all__ = ["performance_section", "project_tables", "overall_table", "project_rate"]


def _yuan_text(v: Decimal) -> str:
    """Yuan as the 整体自评表 prints it: 3537776.2, 9407064.37."""
    return trim(v)


def project_rate(p: ProjectPerformance) -> Decimal | None:
    """执行率 B/A in percent from yuan, two decimals."""
    return percent_of(p.actual, p.budget)


def _rows(c: Ctx, indicators: list[Indicator]) -> list[IndicatorRow]:
    """The indicator rows of a 自评表; a row without its 三级指标 name (one not given, or not
    readable in the source) shows a placeholder naming the kind of indicator (short: it fills a cell)."""
    return [IndicatorRow(i.level1 or "", i.level2 or "", i.level3.strip() or c.placeholder(_unnamed(i)),
                         i.category or "", i.target or "",
                         i.actual or "", _score(i.weight), _score(i.score), i.note or "") for i in indicators]


def _unnamed(i: Indicator) -> str:
    kind = (i.level2 or i.level1 or "").strip()
    return f"{kind}{'' if not kind or kind.endswith('指标') else '指标'}名称" if kind else "三级指标名称"


def _goals(c: Ctx, goals: list[str]) -> list[str]:
    """The 年度目标 of the 部门整体绩效自评表: none given is a placeholder, and so is a blank one
    (not given, or not readable in the source), naming its number."""
    if not goals:
        return [c.placeholder("年度目标")]
    return [g.strip() or c.placeholder(f"年度目标第{k}条") for k, g in enumerate(goals, 1)]


_TEN = Decimal(10)
_HUNDRED = Decimal(100)


def _score(v: Decimal | None) -> str:
    return "" if v is None else trim(v)


def _amount(yuan: Decimal | None) -> str:
    """万元 with two decimals, as the scored form prints its money ("" when not given)."""
    v = wan(yuan)
    return "" if v is None else f"{v:.2f}"


def _rate_text(num: Decimal | None, den: Decimal | None) -> str:
    r = percent_of(num, den) if num is not None and den else None
    return "" if r is None else f"{r:.2f}%"


def _rate_score(weight: Decimal, num: Decimal | None, den: Decimal | None) -> Decimal:
    """分值 × 执行率, at most 分值 (the scoring rule of 财预〔2020〕10号), to 0.01."""
    r = percent_of(num, den) if num is not None and den else None
    if r is None:
        return ZERO
    return (weight * min(r, _HUNDRED) / _HUNDRED).quantize(Decimal("0.01"))


def _balanced(total: Decimal | None, parts: list[Decimal | None]) -> list[str]:
    """The parts of a total in 万元, rounded once so that they add up to the rounded total
    (舍位平衡: the largest remainders take the leftover cents); each stays within one cent of its
    value. Parts that do not add up to the total in yuan are rounded each on its own."""
    given = [p for p in parts if p is not None]
    if total is None or not given or sum(given, ZERO) != total:
        return [_amount(p) for p in parts]
    cent = Decimal("0.01")
    exact = [None if p is None else p / WAN for p in parts]
    floors = [None if e is None else e.quantize(cent, rounding=ROUND_FLOOR) for e in exact]
    left = int((wan(total) - sum((f for f in floors if f is not None), ZERO)) / cent)
    order = sorted((i for i, e in enumerate(exact) if e is not None), key=lambda i: -(exact[i] - floors[i]))
    for i in order[:max(left, 0)]:
        floors[i] += cent
    return ["" if f is None else f"{f:.2f}" for f in floors]


def _sources(sources: list[FundAmount], totals: dict[str, Decimal | None]) -> list[FundRow]:
    """The rows of the sources, each group's figures balanced to the total's (:func:`_balanced`)."""
    rows = [FundRow(s.label, s.group) for s in sources]
    for group in {s.group for s in sources}:
        members = [k for k, s in enumerate(sources) if s.group == group]
        for attr in ("initial", "budget", "actual"):
            shown = _balanced(totals.get(attr), [getattr(sources[k], attr) for k in members])
            for k, text in zip(members, shown):
                setattr(rows[k], attr, text)
    return rows


def _scored(t: ProjectTable | OverallTable, weight: Decimal | None, budget: Decimal | None,
            actual: Decimal | None, indicators: list[Indicator]) -> None:
    """The 预算执行率 分值/执行率/得分 and the 总分 of a scored form: sums of the shown scores."""
    w = _TEN if weight is None else weight
    score = _rate_score(w, actual, budget)
    t.rate = _rate_text(actual, budget)
    t.weight, t.score = trim(w), trim(score)
    weights = w + sum((i.weight or ZERO for i in indicators), ZERO)
    scores = Decimal(t.score) + sum((Decimal(_score(i.score)) for i in indicators if i.score is not None), ZERO)
    t.total_weight, t.total_score = trim(weights), trim(scores)


def project_tables(c: Ctx) -> list[ProjectTable]:
    out = []
    if c.d.performance is None:
        return out
    scored = c.d.performance.template == SCORED
    for p in c.d.performance.projects:
        if scored:
            out.append(_scored_project(c, p))
            continue
        rate = project_rate(p)
        out.append(ProjectTable(
            name=p.name, supervisor=p.supervisor or c.d.entity.supervisor or "",
            implementer=p.implementer or c.d.short_name, category=p.category, attribute=p.attribute,
            kind=p.kind, budget=trim(wan(p.budget)), actual=trim(wan(p.actual)),
            rate=f"{trim(rate)}%" if rate is not None else "",
            indicators=_rows(c, p.indicators), deviation=p.deviation or "",
            improvement=p.improvement or "",
        ))
    return out


def _scored_project(c: Ctx, p: ProjectPerformance) -> ProjectTable:
    t = ProjectTable(
        name=p.name, supervisor=p.supervisor or c.d.entity.supervisor or "",
        implementer=p.implementer or c.d.short_name, category=p.category, attribute=p.attribute, kind=p.kind,
        budget=_amount(p.budget), actual=_amount(p.actual), indicators=_rows(c, p.indicators),
        deviation=p.deviation or "", improvement=p.improvement or "", layout=SCORED,
        initial=_amount(p.initial_budget),
        sources=_sources(p.sources, {"initial": p.initial_budget, "budget": p.budget, "actual": p.actual}),
        goals=[GoalRow(g.expected, g.achieved or "") for g in p.goals])
    _scored(t, p.budget_weight, p.budget, p.actual, p.indicators)
    return t


def _scored_overall(c: Ctx) -> OverallTable:
    o = c.d.performance.overall
    assert o is not None
    actual = c.cell("T1", "expenditure:total", "决算数")      # one fact, one figure: the table's
    sources = _sources(o.sources, {"initial": o.initial_budget, "budget": o.budget})
    if not o.sources:
        t3 = c.tables["T3"]
        total = next((r for r in t3.rows if r.key == "合计"), None)
        for col in t3.layout.columns:
            if col.key.endswith(":total") or total is None:
                continue
            v = total.cells.get(col.header)
            if v:
                sources.append(FundRow(col.header, 1, actual=f"{v:.2f}"))
    t = OverallTable(unit_name=c.d.short_name, goals=_goals(c, o.goals), outcomes=list(o.outcomes),
                     indicators=_rows(c, o.indicators), deviation=o.deviation or "", improvement=o.improvement or "",
                     layout=SCORED, initial=_amount(o.initial_budget), budget=_amount(o.budget),
                     actual=f"{actual:.2f}", sources=sources)
    _scored(t, o.budget_weight, None if o.budget is None else wan(o.budget), actual, o.indicators)
    return t


def overall_table(c: Ctx) -> OverallTable | None:
    o = c.d.performance.overall if c.d.performance is not None else None
    if o is None:
        return None
    if c.d.performance.template == SCORED:
        return _scored_overall(c)
    basic = sum((x.basic for x in c.d.expenditure), ZERO)
    project = sum((x.project for x in c.d.expenditure), ZERO)
    return OverallTable(unit_name=c.d.short_name, basic_total=_yuan_text(basic),
                        project_total=_yuan_text(project), goals=_goals(c, o.goals),
                        indicators=_rows(c, o.indicators), deviation=o.deviation or "",
                        improvement=o.improvement or "")


def _not_given(c: Ctx) -> Section:
    """十三 when the data give no 绩效 at all: what is to be filled in, no "未开展…" and no figures."""
    subs = [Section("（一）", "预算绩效管理工作开展情况", key="narrative.13.1", paragraphs=[c.para(
                c.placeholder(f"{c.year}年度预算绩效管理工作开展情况（项目支出绩效自评的项目个数和资金）"))]),
            Section("（二）", "单位整体支出自评结果", key="narrative.13.2",
                    paragraphs=[c.para(c.placeholder("单位整体支出绩效自评结果"))]),
            Section("（三）", "项目支出自评结果", key="narrative.13.3",
                    paragraphs=[c.para(c.placeholder("项目支出绩效自评结果"))])]
    return Section("十三", "预算绩效情况说明", key="narrative.13", subsections=subs)


def performance_section(c: Ctx, tables: list[ProjectTable], overall: OverallTable | None = None) -> Section:
    perf = c.d.performance
    if perf is None:
        return _not_given(c)
    projects = perf.projects
    col_project = c.column("T5", "fund:project")
    t5_project = c.cell("T5", "合计", col_project)
    funds_yuan = sum((p.actual for p in projects), ZERO)
    # One fact, one figure: when the projects add up to T5 项目支出 in yuan, quote T5's figure.
    t5_project_yuan = sum((a.project for a in c.d.appropriations if a.fund.value == "general"), ZERO)
    funds = t5_project if funds_yuan == t5_project_yuan else wan(funds_yuan)
    subs = []
    s1 = (f"根据预算绩效管理要求，我单位组织对{c.year}年度一般公共预算项目支出全面开展绩效自评，"
          f"共涉及项目{len(projects)}个，资金{fmt_sentence(funds)}万元")
    if t5_project:
        s1 += f"，占一般公共预算项目支出总额的{pct(funds, t5_project)}"
    s1 += "。"
    if not projects:
        s1 = f"{c.year}年度本部门未开展项目支出绩效自评。"
    if perf.management:
        s1 += f"从绩效评价情况来看，{perf.management}"
    subs.append(Section("（一）", "预算绩效管理工作开展情况", key="narrative.13.1", paragraphs=[c.para(s1)]))

    o = perf.overall
    total = c.cell("T1", "expenditure:total", "决算数")
    if o is None:       # no 整体绩效 given: not "我单位组织…开展整体支出绩效自评"
        s2 = c.placeholder("单位整体支出绩效自评结果")
    else:
        s2 = f"我单位组织对本单位开展整体支出绩效自评，资金{fmt_sentence(total)}万元"
        s2 += f"，从评价情况来看，{o.summary}" if o.summary else "。"
    subs.append(Section("（二）", "单位整体支出自评结果", key="narrative.13.2", paragraphs=[c.para(s2)]))

    paras = [c.para(f"我单位在{c.year}年度部门决算中反映所有项目绩效自评结果，共涉及{len(projects)}个一级项目。"
                    if projects else "本年度无项目支出绩效自评结果。")]
    for n, (p, t) in enumerate(zip(projects, tables), 1):
        s = (f"{n}.{p.name}项目绩效自评综述：项目全年预算数为{t.budget}万元，执行数为{t.actual}万元"
             + (f"，完成预算的{t.rate}" if t.rate else "") + (f"，自评得分{t.total_score}分" if t.total_score else "")
             + "。")
        if p.summary:
            s += f"主要产出和效益是：{p.summary}"
        if p.problems:
            s += f"发现的问题及原因：{p.problems}"
        if p.next_steps:
            s += f"下一步改进措施：{p.next_steps}"
        paras.append(c.para(s, kind="item"))
    subs.append(Section("（三）", "项目支出自评结果", key="narrative.13.3", paragraphs=paras))

    score = o.score if o is not None else None
    if o is not None and overall is not None and overall.total_score:
        score = Decimal(overall.total_score)      # the scored form's 总分: one fact, one figure
    if o is not None and (o.grade or score is not None or o.application):
        s4 = "本年度我单位整体支出绩效自评"
        if o.grade:
            s4 += f"评价为{o.grade}"
        if score is not None:
            s4 += f"，评价得分为{trim(score)}分"
        s4 += "，" + (o.application or "")
        subs.append(Section("（四）", "绩效自评结果应用情况", key="narrative.13.4",
                            paragraphs=[c.para(s4.rstrip("，") if not o.application else s4)]))
    return Section("十三", "预算绩效情况说明", key="narrative.13", subsections=subs)
