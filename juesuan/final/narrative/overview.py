"""情况说明 sections 一 to 四: totals, income, expenditure, 财政拨款 totals, and charts 图1–图4.

Every current-year figure is read from the tables (T1, T2, T3, T4); prior-year
figures are rounded once from the model's yuan.
"""

from __future__ import annotations

from ...document import Chart, Section
from ...figures import fmt_sentence
from ..model import EXPENDITURE_KINDS, INCOME_SOURCES
from ._common import Ctx, pct, wan

__all__ = ["overview_sections", "INCOME_COLUMNS"]

# T2 columns in sentence order: (quantity key, name used in the sentence)
INCOME_COLUMNS = (
    ("income:fiscal", "财政拨款收入"),
    ("income:superior", INCOME_SOURCES["superior"]),
    ("income:business", INCOME_SOURCES["business"]),
    ("income:operating", INCOME_SOURCES["operating"]),
    ("income:affiliated", INCOME_SOURCES["affiliated"]),
    ("income:other", INCOME_SOURCES["other"]),
)


def _by_class(c: Ctx, fig: str, tid: str, column_key: str, title: str, kind: str = "pie") -> Chart | None:
    """Another view of a figure, for when the planned chart would say nothing or repeat another
    (all income 财政拨款; basic expenditure only; 财政拨款 totals equal to the totals): the
    table's column by 功能分类 类, largest first (the renderers draw the first view worth drawing)."""
    if tid not in c.tables.tables:
        return None
    t = c.tables[tid]
    col = c.column(tid, column_key)
    items = [(r.label, r.cells.get(col)) for r in t.rows if r.code and len(r.code) == 3 and r.cells.get(col)]
    if not items:
        return None
    items.sort(key=lambda kv: -kv[1])
    return Chart(fig, title, kind, [f"{label}" for label, _ in items], [v for _, v in items])


def _basic_project(c: Ctx) -> Chart | None:
    """一般公共预算财政拨款支出: 基本支出 and 项目支出 (T5's 合计 row)."""
    if "T5" not in c.tables.tables:
        return None
    values = [c.cell("T5", "合计", c.column("T5", k)) for k in ("fund:basic", "fund:project")]
    return Chart("fig4", "图4：一般公共预算财政拨款基本支出和项目支出", "pie", ["基本支出", "项目支出"], values)


def _staff_and_office(c: Ctx) -> Chart | None:
    """一般公共预算财政拨款基本支出 by 经济分类 类 (T6): 人员经费 (工资福利支出, 对个人和家庭的补助)
    beside 公用经费 (商品和服务支出 …)."""
    if "T6" not in c.tables.tables:
        return None
    t = c.tables["T6"]
    items = [(r.label, v) for r in t.rows if r.code and len(r.code) == 3 and (v := next(iter(r.cells.values()), None))]
    if not items:
        return None
    return Chart("fig4", "图4：一般公共预算财政拨款基本支出结构（按经济分类）", "pie",
                 [label for label, _ in items], [v for _, v in items])


def _totals(c: Ctx) -> Section:
    total = c.cell("T1", "grand_total:income", "决算数")
    prior = wan(c.d.prior_year.total)
    text = (f"{c.year}年度收、支总计{fmt_sentence(total)}万元。"
            + c.change("收、支总计", total, prior, c.d.reasons.total_change, each=True,
                       what="收、支总计增减的原因"))
    chart = Chart("fig1", "图1：收、支决算总计变动情况", "bar",
                  [f"{c.prior}年度", f"{c.year}年度"] if prior is not None else [f"{c.year}年度"],
                  [prior, total] if prior is not None else [total])
    return Section("一", "收入支出决算总体情况说明", key="narrative.1", paragraphs=[c.para(text)],
                   charts=[chart])


def _income(c: Ctx) -> Section:
    total = c.cell("T1", "income:total", "决算数")
    prior = wan(c.d.prior_year.income)
    text = (f"{c.year}年度收入合计{fmt_sentence(total)}万元，"
            + c.change("收入合计", total, prior, c.d.reasons.income_change, what="收入合计增减的原因"))
    parts, labels, values = [], [], []
    for key, name in INCOME_COLUMNS:
        v = c.cell("T2", "合计", c.column("T2", key))
        if v:
            parts.append(f"{name}{fmt_sentence(v)}万元，占本年收入{pct(v, total)}")
            labels.append(name)
            values.append(v)
    if parts:
        text += "其中：" + "；".join(parts) + "。"
    chart = Chart("fig2", "图2：收入决算结构", "pie", labels, values)
    other = _by_class(c, "fig2", "T2", "income:total", "图2：收入决算结构（按支出功能分类）")
    chart.alternatives = [other] if other is not None else []
    return Section("二", "收入决算情况说明", key="narrative.2", paragraphs=[c.para(text)], charts=[chart])


def _expenditure(c: Ctx) -> Section:
    total = c.cell("T1", "expenditure:total", "决算数")
    prior = wan(c.d.prior_year.expenditure)
    text = (f"{c.year}年度支出合计{fmt_sentence(total)}万元，"
            + c.change("支出合计", total, prior, c.d.reasons.expenditure_change, what="支出合计增减的原因"))
    parts, labels, values = [], [], []
    for kind, name in EXPENDITURE_KINDS.items():
        v = c.cell("T3", "合计", c.column("T3", f"exp:{kind}"))
        if v:
            parts.append(f"{name}{fmt_sentence(v)}万元，占本年支出{pct(v, total)}")
            labels.append(name)
            values.append(v)
    if parts:
        text += "其中：" + "；".join(parts) + "。"
    chart = Chart("fig3", "图3：支出决算结构", "pie", labels, values)
    other = _by_class(c, "fig3", "T3", "exp:total", "图3：支出决算结构（按支出功能分类）")
    chart.alternatives = [other] if other is not None else []
    return Section("三", "支出决算情况说明", key="narrative.3", paragraphs=[c.para(text)], charts=[chart])


def _fiscal(c: Ctx) -> Section:
    total = c.cell("T4", "fiscal_grand_total:income", "决算数")
    prior = wan(c.d.prior_year.fiscal_total)
    paras = [c.para(f"{c.year}年度财政拨款收、支总计{fmt_sentence(total)}万元。"
                    + c.change("财政拨款收、支总计", total, prior, c.d.reasons.fiscal_change, each=True,
                               sep="。", what="财政拨款收、支总计增减的原因"))]
    general = c.cell("T4", "fiscal_income:general", "决算数")
    prior_g = wan(c.d.prior_year.general_income)
    s = f"{c.year}年度财政拨款收入中，一般公共预算财政拨款收入{fmt_sentence(general)}万元"
    if prior_g is None:
        s += "。"
    elif general == prior_g:
        s += f"，与{c.prior}年度决算数持平。"
    else:
        word = "增加" if general > prior_g else "减少"
        why = c.reason(c.d.reasons.general_income_change, "一般公共预算财政拨款收入增减的原因")
        s += f"，比{c.prior}年度决算数{word}{fmt_sentence(abs(general - prior_g))}万元。{word}主要原因是{why}。"
    paras.append(c.para(s))
    for fund, label in (("gov_fund", "政府性基金预算财政拨款收入"),
                        ("state_capital", "国有资本经营预算财政拨款收入")):
        v = c.cell("T4", f"fiscal_income:{fund}", "决算数")
        if v:
            paras.append(c.para(f"{label}{fmt_sentence(v)}万元。"))
    chart = Chart("fig4", "图4：财政拨款收、支决算总计变动情况", "bar",
                  [f"{c.prior}年度", f"{c.year}年度"] if prior is not None else [f"{c.year}年度"],
                  [prior, total] if prior is not None else [total])
    chart.alternatives = [x for x in (
        _by_class(c, "fig4", "T5", "fund:total", "图4：一般公共预算财政拨款支出结构（按支出功能分类）"),
        _basic_project(c), _staff_and_office(c)) if x is not None]
    return Section("四", "财政拨款收入支出决算总体情况说明", key="narrative.4", paragraphs=paras,
                   charts=[chart])


def overview_sections(c: Ctx) -> list[Section]:
    return [_totals(c), _income(c), _expenditure(c), _fiscal(c)]
