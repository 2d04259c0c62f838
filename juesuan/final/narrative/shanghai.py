"""The sentences of Shanghai's 情况说明 template (上海市部门决算公开模板, 2024) where they differ from the
national ones: 一–四 (收入支出总计…主要原因：…; 本年收入合计…其中：…占…%; no charts), 七 无“三公”经费,
八/九 无政府性基金 / 国有资本经营 收入和支出, 十 预算绩效管理情况, 十一（二）政府采购金额, 十一（三）车辆和设备.

Each function takes the section the national builder made and returns it in the template's words —
only where the data supports them: a section that holds a placeholder (a figure not given) is kept
as it is, and a clause of the template the data has no figure for is a placeholder, never a guess.
The outline that says which sections take which wording is :data:`juesuan.final.layouts.SHANGHAI_OUTLINE`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ...document import Section
from ...figures import ZERO, fmt_sentence
from ..model import EXPENDITURE_KINDS
from ._common import Ctx, pct, percent_of, trim, wan
from .overview import INCOME_COLUMNS

__all__ = ["WORDINGS"]

_MARK = "【待填写"


def _given(s: Section) -> bool:
    """The national section states only figures it was given (it holds no placeholder)."""
    return not any(_MARK in p.text for x in s.walk() for p in x.paragraphs)


def _yoy(c: Ctx, subject: str, current: Decimal, prior: Decimal | None, reason: str | None, what: str) -> str:
    """"与2023年度相比，{subject}增加（减少）X万元，增长（下降）X%。主要原因：…。" (持平: "…持平。")."""
    head = f"与{c.prior}年度相比，{subject}"
    if prior is None:
        return head + c.placeholder(f"{c.prior}年度{subject}决算数") + "。"
    diff = current - prior
    if diff == 0:
        return head + "持平。"
    word, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
    text = head + f"{word}{fmt_sentence(abs(diff))}万元"
    rate = percent_of(abs(diff), prior)
    if rate is not None:
        text += f"，{trend}{rate:.2f}%"
    return text + f"。主要原因：{c.reason(reason, what)}。"


def _grand_total(c: Ctx, s: Section, subject: str, total: Decimal, prior, reason: str | None,
                 what: str) -> Section:
    """一/四: "上海市XX局2024年度{subject}X万元。与2023年度相比，{subject}…。主要原因：…。" """
    text = f"{c.name}{c.year}年度{subject}{fmt_sentence(total)}万元。"
    text += _yoy(c, subject, total, wan(prior), reason, what)
    return Section(s.number, s.title, key=s.key, paragraphs=[c.para(text)])


def _totals(c: Ctx, s: Section) -> Section:
    return _grand_total(c, s, "收入支出总计", c.cell("T1", "grand_total:income", "决算数"), c.d.prior_year.total,
                        c.d.reasons.total_change, "收、支总计增减的原因")


def _shares(c: Ctx, s: Section, head: str, total: Decimal, items: list[tuple[str, Decimal]]) -> Section:
    """二/三: "本年收入合计X万元，其中：财政拨款收入X万元，占X%；…。" (items not involved not listed)."""
    parts = [f"{name}{fmt_sentence(v)}万元，占{pct(v, total)}" for name, v in items if v]
    text = f"{head}{fmt_sentence(total)}万元" + ("，其中：" + "；".join(parts) if parts else "") + "。"
    return Section(s.number, s.title, key=s.key, paragraphs=[c.para(text)])


def _income(c: Ctx, s: Section) -> Section:
    total = c.cell("T1", "income:total", "决算数")
    return _shares(c, s, "本年收入合计", total,
                   [(name, c.cell("T2", "合计", c.column("T2", key))) for key, name in INCOME_COLUMNS])


def _expenditure(c: Ctx, s: Section) -> Section:
    total = c.cell("T1", "expenditure:total", "决算数")
    return _shares(c, s, "本年支出合计", total,
                   [(name, c.cell("T3", "合计", c.column("T3", f"exp:{kind}")))
                    for kind, name in EXPENDITURE_KINDS.items()])


def _fiscal(c: Ctx, s: Section) -> Section:
    return _grand_total(c, s, "财政拨款收入支出总计", c.cell("T4", "fiscal_grand_total:income", "决算数"),
                        c.d.prior_year.fiscal_total, c.d.reasons.fiscal_change, "财政拨款收、支总计增减的原因")


def _three_public(c: Ctx, s: Section) -> Section:
    """七: "上海市XX局2024年度无“三公”经费财政拨款支出。" when neither budgeted nor spent."""
    t9 = c.tables["T9"]
    budget = c.cell("T9", "三公", c.column("T9", "budget:total"))
    final = c.cell("T9", "三公", c.column("T9", "final:total"))
    if _given(s) and t9 is not None and budget == 0 and final == 0:
        s.paragraphs = [c.para(f"{c.name}{c.year}年度无“三公”经费财政拨款支出。")]
    return s


def _fund(label: str, tid: str) -> Callable[[Ctx, Section], Section]:
    def wording(c: Ctx, s: Section) -> Section:
        """八/九: "上海市XX局2024年度无政府性基金预算财政拨款收入和支出。" for an empty table."""
        if _given(s) and c.tables[tid].empty:
            s.paragraphs = [c.para(f"{c.name}{c.year}年度无{label}收入和支出。")]
        return s
    return wording


def _performance(c: Ctx, s: Section) -> Section:
    """十 预算绩效管理情况: one paragraph, the template's clauses in order. The data gives the
    self-evaluated projects (count, 预算金额) and the evaluation's conclusion; the template's other
    clauses (制度, 绩效目标 and 跟踪评价 counts, average score and grades) are placeholders."""
    perf = c.d.performance      # None: not given — every clause a placeholder
    projects = perf.projects if perf is not None else []
    y = c.year
    text = (f"{c.name}{y}年度预算绩效管理工作开展情况如下：本部门建立了如下预算绩效管理制度："
            f"{c.placeholder('预算绩效管理制度名称及工作机制')}；全过程绩效管理实施情况："
            f"编报绩效目标的{y}年度项目{c.placeholder('编报绩效目标的项目个数及涉及预算金额')}；"
            f"绩效跟踪评价的{y}年度项目{c.placeholder('绩效跟踪评价的项目个数及涉及预算金额')}；")
    if projects:
        budget = wan(sum((p.budget for p in projects), ZERO))
        text += f"绩效自评的{y}年度项目{len(projects)}个，涉及预算金额{fmt_sentence(budget)}万元"
    else:
        text += f"绩效自评的{y}年度项目{c.placeholder('绩效自评的项目个数及涉及预算金额')}"
    text += f"，{c.placeholder('项目自评平均得分、各评级项目个数及发现问题的整改情况')}。"
    if perf is None:
        return Section(s.number, s.title, key=s.key, paragraphs=[c.para(text)])
    if perf.management:
        text += f"从绩效评价情况来看，{perf.management.strip()}"
        text += "" if text.endswith("。") else "。"
    o = perf.overall
    if o is not None and (o.grade or o.score is not None):
        text += "本年度部门整体支出绩效自评" + (f"评价为{o.grade}" if o.grade else "")
        text += (("，" if o.grade else "") + f"评价得分为{trim(o.score)}分" if o.score is not None else "") + "。"
    return Section(s.number, s.title, key=s.key, paragraphs=[c.para(text)])


def _procurement(c: Ctx, s: Section) -> Section:
    """十一（二）: "…政府采购金额（以合同签订为准）为X万元，其中：货物采购金额X万元、工程采购金额X万元、
    服务采购金额X万元。" The national sentence on the 中小企业 share follows (the template's 预留 amounts
    are figures the data does not have)."""
    p = c.d.procurement
    if p is None:     # not given: the national section's placeholder stands
        return s
    parts = (p.goods, p.works, p.services)
    if not _given(s) or any(v is None for v in parts) or sum(parts, ZERO) == 0:
        return s
    goods, works, services = (wan(v) for v in parts)
    first = (f"{c.name}{c.year}年度政府采购金额（以合同签订为准）为{fmt_sentence(goods + works + services)}万元，"
             f"其中：货物采购金额{fmt_sentence(goods)}万元、工程采购金额{fmt_sentence(works)}万元、"
             f"服务采购金额{fmt_sentence(services)}万元。")
    national = s.paragraphs[0].text
    rest = national[national.index("。") + 1:] if "。" in national else ""
    s.paragraphs = [c.para(first)] + ([c.para(rest)] if rest else []) + s.paragraphs[1:]
    return s


def _assets(c: Ctx, s: Section) -> Section:
    """十一（三）: "截至2024年12月31日，XX共有车辆N辆，其中：…。单价100万元（含）以上设备（不含车辆）
    N台（套）。" """
    a = c.d.assets
    if a is None or not _given(s) or a.vehicles is None or a.equipment_over_1m is None:
        return s
    date = a.as_of or f"{c.year}年12月31日"
    text = f"截至{date}，{c.name}共有车辆{a.vehicles}辆"
    if a.vehicle_detail:
        text += "，其中：" + "、".join(f"{k}{v}辆" for k, v in a.vehicle_detail.items())
    text += f"。单价100万元（含）以上设备（不含车辆）{a.equipment_over_1m}台（套）。"
    if a.other:
        text += a.other
    s.paragraphs = [c.para(text)]
    return s


# (wording, section key) → the function giving the section in that wording
WORDINGS: dict[tuple[str, str], Callable[[Ctx, Section], Section]] = {
    ("shanghai", "narrative.1"): _totals,
    ("shanghai", "narrative.2"): _income,
    ("shanghai", "narrative.3"): _expenditure,
    ("shanghai", "narrative.4"): _fiscal,
    ("shanghai", "narrative.9"): _three_public,
    ("shanghai", "narrative.7"): _fund("政府性基金预算财政拨款", "T7"),
    ("shanghai", "narrative.8"): _fund("国有资本经营预算财政拨款", "T8"),
    ("shanghai", "narrative.13"): _performance,
    ("shanghai", "narrative.11"): _procurement,
    ("shanghai", "narrative.12"): _assets,
}
