"""情况说明 sections 五 to 八: 一般公共预算财政拨款 spending (total, structure, per 项 vs
年初预算), its basic spending by economic class, 政府性基金 and 国有资本经营.

Current-year figures come from T5, T6, T7, T8; 年初预算 and project amounts (not
in the tables) are rounded once from yuan.
"""

from __future__ import annotations

from decimal import Decimal

from ...catalog import catalog
from ...document import Section
from ...figures import ZERO, fmt_sentence
from ._common import Ctx, pct, percent_of, trim, wan

__all__ = ["general_sections", "item_title", "class_word"]


def class_word(name: str) -> str:
    """一般公共服务支出 → 一般公共服务（类）支出 (the seed's 五（二） wording)."""
    return f"{name[:-2]}（类）支出" if name.endswith("支出") else f"{name}（类）"


def item_title(c: Ctx, code: str) -> str:
    """2010350 → 一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）."""
    cat = catalog(c.year)
    t5 = c.tables["T5"]

    def name(node: str) -> str:
        r = t5.row(node)
        if r is not None and r.label:
            return r.label
        n = cat.function_name(node)
        if n:
            return n
        budget = c.d.initial_budget.items if c.d.initial_budget is not None else []
        for line in (*c.d.expenditure, *c.d.appropriations, *budget):
            if line.code == node and line.name:
                return line.name
        return node

    return f"{name(code[:3])}（类）{name(code[:5])}（款）{name(code)}（项）"


def _total(c: Ctx) -> Section:
    col = c.column("T5", "fund:total")
    total = c.cell("T5", "合计", col)
    all_exp = c.cell("T1", "expenditure:total", "决算数")
    prior = wan(c.d.prior_year.general_expenditure)
    text = f"{c.year}年度一般公共预算财政拨款支出{fmt_sentence(total)}万元"
    if all_exp:
        text += f"，占本年支出合计的{pct(total, all_exp)}"
    text += "。" + c.change("一般公共预算财政拨款支出", total, prior, c.d.reasons.general_change, sep="。",
                           what="一般公共预算财政拨款支出增减的原因")
    return Section("（一）", "一般公共预算财政拨款支出决算总体情况", key="narrative.5.1",
                   paragraphs=[c.para(text)])


def _structure(c: Ctx) -> Section:
    t5 = c.tables["T5"]
    col = c.column("T5", "fund:total")
    total = c.cell("T5", "合计", col)
    paras = [c.para(f"{c.year}年度一般公共预算财政拨款支出{fmt_sentence(total)}万元，主要用于以下方面：")]
    n = 0
    for r in t5.rows:
        v = r.cells.get(col)
        if r.level != 1 or not v:
            continue
        n += 1
        usage = c.reason(c.d.reasons.class_usage.get(r.code), f"{r.label}的主要用途")
        paras.append(c.para(f"{n}.{class_word(r.label)}{fmt_sentence(v)}万元，占{pct(v, total)}。主要是用于{usage}。",
                            kind="item"))
    return Section("（二）", "一般公共预算财政拨款支出决算结构情况", key="narrative.5.2", paragraphs=paras)


def _project_actual(c: Ctx, name: str) -> Decimal | None:
    for p in c.d.performance.projects if c.d.performance is not None else ():
        if p.name == name:
            return wan(p.actual)
    return None


def _details(c: Ctx) -> Section:
    t5 = c.tables["T5"]
    col_total, col_basic, col_project = (c.column("T5", k) for k in ("fund:total", "fund:basic", "fund:project"))
    total = c.cell("T5", "合计", col_total)
    ib = c.d.initial_budget
    if ib is None:      # 年初预算 not given: a placeholder where its figure goes, never 0.00
        head = (f"{c.year}年度一般公共预算财政拨款支出年初预算为"
                + c.placeholder(f"{c.year}年度一般公共预算财政拨款支出年初预算数")
                + f"万元，支出决算为{fmt_sentence(total)}万元。")
    else:
        budget_yuan = ib.total if ib.total is not None else sum((i.amount for i in ib.items), ZERO)
        spent_yuan = sum((a.basic + a.project for a in c.d.appropriations if a.fund.value == "general"), ZERO)
        budget_total = total if budget_yuan == spent_yuan else wan(budget_yuan)
        head = (f"{c.year}年度一般公共预算财政拨款支出年初预算为{fmt_sentence(budget_total)}万元，"
                f"支出决算为{fmt_sentence(total)}万元")
        rate = percent_of(total, budget_total)
        head += f"，完成年初预算的{trim(rate)}%。" if rate is not None else "。"
    head += (f"其中：基本支出{fmt_sentence(c.cell('T5', '合计', col_basic))}万元，"
             f"项目支出{fmt_sentence(c.cell('T5', '合计', col_project))}万元。")
    if c.d.highlights:
        bits = []
        for h in c.d.highlights:
            amount = _project_actual(c, h.project)
            fig = f"{fmt_sentence(amount)}万元" if amount is not None else c.placeholder(f"{h.project} 执行数")
            bits.append(f"{h.project}{fig}，主要成效：{h.outcome.rstrip('。；;')}")
        head += "项目支出主要用于" + "；".join(bits) + "。"
    paras = [c.para(head)]

    budgets = {i.code: i for i in ib.items} if ib is not None else {}
    codes = [r.code for r in t5.rows if r.level == 3]
    codes += sorted(code for code in budgets if code not in codes)
    for n, code in enumerate(codes, 1):
        item = budgets.get(code)
        actual = c.cell("T5", code, col_total)
        if ib is None:
            label = t5.row(code).label if t5.row(code) else code
            paras.append(c.para(f"{n}.{item_title(c, code)}。年初预算为" + c.placeholder(f"{label}（{code}）年初预算数")
                                + f"万元，支出决算为{fmt_sentence(actual)}万元。", kind="item"))
            continue
        plan_yuan = item.amount if item is not None else ZERO
        # One fact, one figure: a budget equal in yuan to the spending shows the table's figure.
        plan = actual if plan_yuan == sum(c.d.appropriation(code, "general")) else wan(plan_yuan)
        s = f"{n}.{item_title(c, code)}。年初预算为{fmt_sentence(plan)}万元，支出决算为{fmt_sentence(actual)}万元"
        r = percent_of(actual, plan)
        if r is not None:
            s += f"，完成年初预算的{trim(r)}%"
        if actual == plan:
            s += "。"
        else:
            word = "大于" if actual > plan else "小于"
            rate_txt = f" 执行率 {trim(r)}%" if r is not None else f" 决算数{word}年初预算数"
            why = c.reason(item.reason if item is not None else None,
                           f"{t5.row(code).label if t5.row(code) else code}{rate_txt} 的原因")
            s += f"，支出决算数{word}年初预算数的主要原因：{why}。"
        paras.append(c.para(s, kind="item"))
    return Section("（三）", "一般公共预算财政拨款支出决算具体情况", key="narrative.5.3", paragraphs=paras)


def _basic(c: Ctx) -> Section:
    t6 = c.tables["T6"]
    col = t6.layout.columns[0].header
    basic = c.cell("T5", "合计", c.column("T5", "fund:basic"))
    paras = []
    for block in ("人员经费", "公用经费"):
        amount = c.cell("T6", f"{block}合计", col)
        items = [r.label for r in t6.rows if r.side == block and r.level == 2 and r.cells.get(col)]
        s = f"{block}{fmt_sentence(amount)}万元"
        s += ("，主要包括：" + "、".join(items) + "。") if items else "。"
        paras.append(s)
    first = f"{c.year}年度一般公共预算财政拨款基本支出{fmt_sentence(basic)}万元，其中：" + paras[0]
    return Section("六", "一般公共预算财政拨款基本支出决算情况说明", key="narrative.6",
                   paragraphs=[c.para(first), c.para(paras[1])])


def _fund(c: Ctx, tid: str, number: str, title: str, label: str) -> Section:
    t = c.tables[tid]
    if t.empty:
        text = (f"本部门当年无{label}收入支出。" if tid == "T7" else f"本部门当年无{label}支出。")
        return Section(number, title, key=f"narrative.{'7' if tid == 'T7' else '8'}", paragraphs=[c.para(text)])
    row = t.row("合计")
    cells = {col.key: (row.cells.get(col.header) or ZERO) if row else ZERO for col in t.layout.columns}
    bits = []
    if "fund:opening" in cells:
        bits.append(f"年初结转和结余{fmt_sentence(cells['fund:opening'])}万元")
    if "fund:income" in cells:
        bits.append(f"本年收入{fmt_sentence(cells['fund:income'])}万元")
    bits.append(f"本年支出{fmt_sentence(cells['fund:total'])}万元（其中：基本支出{fmt_sentence(cells['fund:basic'])}万元，"
                f"项目支出{fmt_sentence(cells['fund:project'])}万元）")
    if "fund:closing" in cells:
        bits.append(f"年末结转和结余{fmt_sentence(cells['fund:closing'])}万元")
    text = f"{c.year}年度{label}" + "，".join(bits) + "。"
    return Section(number, title, key=f"narrative.{'7' if tid == 'T7' else '8'}", paragraphs=[c.para(text)])


def general_sections(c: Ctx) -> list[Section]:
    five = Section("五", "一般公共预算财政拨款支出决算情况说明", key="narrative.5",
                   subsections=[_total(c), _structure(c), _details(c)])
    funds = (("T7", "七", "政府性基金预算财政拨款收入支出决算情况说明", "政府性基金预算财政拨款"),
             ("T8", "八", "国有资本经营预算财政拨款支出决算情况说明", "国有资本经营预算财政拨款"))
    # a layout without the fund's table (国有资本经营, before 2021) has no section on it
    return [five, _basic(c), *(_fund(c, *f) for f in funds if f[0] in c.tables.tables)]
