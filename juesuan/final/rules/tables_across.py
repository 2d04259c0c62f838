"""JS2xx — identities across tables (审核公式 表间), declared as data.

Checks the cross-table declarations of :mod:`juesuan.final.identities`: T1 vs T2/T3, T2/T1
vs T4, T4 vs T5/T7/T8, T5 基本支出 vs T6, T3 ≥ T5, and the 三公 table vs the matching T6
economic items.
The same fact shown in two tables is compared as two intervals, with one unit
of the last place allowed as 尾差 (舍位平衡 moves single figures by < 0.01).
"""

from __future__ import annotations

from ...figures import CENT
from ...rules.context import Context, Fig, hit, per_check
from ...rules.identities import cell_fig, cell_value, run
from ...rules.registry import rule
from ..identities import (
    READ_TOGETHER,
    T1_T2,
    T1_T3,
    T3_COVERS_T5_COLUMNS,
    T4_INCOME,
    T4_T5,
    T4_T7_T8,
    T5_T6,
    T10_FACTS,
    THREE_PUBLIC_ITEMS,
    AtLeast,
    Cell,
    class_label,
)


def _t3_at_least_t5(ctx: Context):
    """AtLeast declarations for the T5 cells whose displayed T3 counterpart is smaller (the rest hold)."""
    t5, t3 = ctx.table("T5"), ctx.table("T3")
    if t5 is None or t5.empty or t3 is None:
        return ()
    heads = [(ctx.column_header("T3", a), ctx.column_header("T5", b), a, b, name)
             for a, b, name in T3_COVERS_T5_COLUMNS]
    out = []
    for r in t5.rows:
        row = f"code:{r.code}" if r.code else "合计"
        r3 = ctx.row("T3", code=r.code) if r.code else ctx.row("T3", "合计")
        for h3, h5, a, b, name in heads:
            if h3 is None or h5 is None:
                continue
            v5 = r.cells.get(h5) or 0
            v3 = (r3.cells.get(h3) or 0) if r3 is not None else 0
            if v3 >= v5:
                continue
            label = class_label(r.code) if len(r.code) == 3 else (f"{r.code} {r.label}" if r.code else "合计")
            out.append(AtLeast(Cell("T3", row, a), Cell("T5", row, b),
                               f"支出决算表不应小于一般公共预算财政拨款支出决算表（{label}，{name}）"))
    return out


@rule("JS201", "income-summary-vs-income-table", "收入支出决算总表与收入决算表一致", "error", "table")
def t1_t2(ctx: Context):
    """
    ## 作用
    收入支出决算总表的本年收入合计等于收入决算表合计；各收入来源等于收入决算表相应列的合计
    （三类财政拨款收入之和等于“财政拨款收入”列；高等学校收支决算总表的财政拨款收入一行等于该列）。
    同一数字两处列示，区间有交集即一致；
    相差不超过 0.01 万元报提示（尾差，见“舍入与区间”）。

    ## 原因
    两张表反映同一批收入，只是分类不同。

    ## 错误示例
    总表本年收入合计 1294.48，收入决算表合计 1249.48。

    ## 正确示例
    两处都是 1294.48。
    """
    yield from run(ctx, T1_T2, READ_TOGETHER)


@rule("JS202", "expenditure-summary-vs-expenditure-table", "收入支出决算总表与支出决算表一致", "error", "table")
def t1_t3(ctx: Context):
    """
    ## 作用
    收入支出决算总表各类支出、本年支出合计分别等于支出决算表对应“类”行和合计行的本年支出合计。
    相差不超过 0.01 万元报提示（尾差）：例如发布者对两表分别舍位平衡，社会保障和就业支出在总表
    列 53.32、在支出决算表列 53.33。

    ## 原因
    两张表反映同一批支出。

    ## 错误示例
    总表 一般公共服务支出 1184.75，支出决算表 201 一般公共服务支出 1148.75。

    ## 正确示例
    总表 53.32，支出决算表 53.33：同一事实，差一个末位单位，报尾差提示。
    """
    yield from run(ctx, T1_T3, READ_TOGETHER)


@rule("JS203", "fiscal-income-vs-tables", "财政拨款收入：收入决算表、总表与财政拨款总表一致", "error", "table")
def fiscal_income(ctx: Context):
    """
    ## 作用
    收入决算表“财政拨款收入”合计等于财政拨款收入支出决算总表本年收入合计；收入支出决算总表的
    三类财政拨款收入分别等于财政拨款总表的三类收入；政府性基金预算财政拨款收入支出决算表（以及
    列有收入的国有资本经营预算财政拨款收入支出决算表）的本年收入、年初结转和结余，等于财政拨款
    总表的同一数字。

    ## 原因
    财政拨款收入在三张表中出现，是同一事实。

    ## 错误示例
    收入决算表财政拨款收入 1294.48，财政拨款总表本年收入合计 1290.48。

    ## 正确示例
    两处都是 1294.48。
    """
    yield from run(ctx, T4_INCOME, READ_TOGETHER)


@rule("JS204", "fiscal-general-vs-general-table", "财政拨款总表一般公共预算列与一般公共预算支出表一致",
      "error", "table")
def t4_t5(ctx: Context):
    """
    ## 作用
    财政拨款收入支出决算总表“一般公共预算财政拨款”列的各类支出及本年支出合计，等于一般公共预算
    财政拨款支出决算表对应“类”行及合计行的小计。北京市表式另有一般公共预算财政拨款收入支出决算表：
    其本年收入、年初结转和结余等于财政拨款总表的一般公共预算财政拨款，其各类及合计的本年支出（小计、
    基本支出、项目支出）等于一般公共预算财政拨款支出决算表。相差不超过 0.01 万元报提示（尾差）。

    ## 原因
    两张表反映同一笔一般公共预算财政拨款支出。

    ## 错误示例
    总表 住房保障支出 28.60，一般公共预算支出表 221 住房保障支出 26.80。

    ## 正确示例
    总表 28.60，一般公共预算支出表 28.61：差一个末位单位，报尾差提示。
    """
    yield from run(ctx, T4_T5, READ_TOGETHER)
    if ctx.table("T10") is not None:     # a table of Beijing's layout only
        yield from run(ctx, T10_FACTS)


@rule("JS205", "basic-vs-economic-detail", "一般公共预算基本支出 = 人员经费 + 公用经费", "error", "table")
def t5_t6(ctx: Context):
    """
    ## 作用
    一般公共预算财政拨款支出决算表合计行的基本支出，等于基本支出决算明细表的人员经费合计与
    公用经费合计之和（区间比较）。

    ## 原因
    明细表是基本支出按经济分类的展开。

    ## 错误示例
    基本支出 353.78；人员经费 345.69，公用经费 18.09。

    ## 正确示例
    基本支出 353.78 = 人员经费 345.69 + 公用经费 8.09。
    """
    yield from run(ctx, T5_T6, READ_TOGETHER)


@rule("JS206", "fund-tables-vs-fiscal-summary", "政府性基金、国有资本经营表与财政拨款总表一致", "error", "table")
def t4_t7_t8(ctx: Context):
    """
    ## 作用
    财政拨款收入支出决算总表“政府性基金预算财政拨款”“国有资本经营预算财政拨款”两列的各类支出
    及合计，等于政府性基金、国有资本经营预算财政拨款表中相应的本年支出。

    ## 原因
    同一笔资金在总表和分表中列示。

    ## 错误示例
    总表政府性基金支出合计 20.00，政府性基金表本年支出 0（“本表无数据”）。

    ## 正确示例
    两表都为 20.00，或都为空表。
    """
    yield from run(ctx, T4_T7_T8, READ_TOGETHER)


@rule("JS207", "expenditure-covers-general", "支出决算表不小于一般公共预算财政拨款支出决算表", "error", "table")
def t3_ge_t5(ctx: Context):
    """
    ## 作用
    逐行（合计、类、款、项）比较：支出决算表的本年支出合计、基本支出、项目支出，不小于一般公共
    预算财政拨款支出决算表的小计、基本支出、项目支出（区间比较，差不超过 0.01 万元报尾差提示）。

    ## 原因
    支出决算表包括全部资金来源，一般公共预算财政拨款只是其中一部分。

    ## 错误示例
    支出决算表 2010350 基本支出 240.00，一般公共预算表 2010350 基本支出 247.04。

    ## 正确示例
    支出决算表 247.04 ≥ 一般公共预算表 247.04。
    """
    yield from run(ctx, _t3_at_least_t5(ctx))


# the 决算数 cells of the 三公 table read by JS208/JS209, declared once (not per look-up)
_T9_FINAL = {k: Cell("T9", None, f"final:{k}") for k in ("total", *[k for k, _, _ in THREE_PUBLIC_ITEMS])}


def _t9_final(ctx: Context, key: str) -> Fig | None:
    return cell_fig(ctx, _T9_FINAL[key])


_T6_CODES = frozenset(code for _, code, _ in THREE_PUBLIC_ITEMS)


@per_check
def _t6_items(ctx: Context) -> tuple[dict, str | None]:
    """The first T6 row of each 三公 economic code, and T6's figure column (once per check). Only
    these four codes are indexed: they are the only T6 codes JS208/JS209 look up."""
    t6 = ctx.table("T6")
    return ({}, None) if t6 is None else \
        ({r.code: r for r in reversed(t6.rows) if r.code in _T6_CODES}, t6.layout.columns[0].header)


@rule("JS208", "three-public-vs-economic-items", "“三公”经费决算不小于基本支出明细中的对应经济科目", "error", "table")
def three_public_ge_items(ctx: Context):
    """
    ## 作用
    财政拨款“三公”经费决算数（因公出国（境）费、公务接待费、公务用车运行维护费、公务用车购置费）
    分别不小于基本支出决算明细表中的 30212 因公出国（境）费用、30217 公务接待费、30231 公务用车运行
    维护费、31013 公务用车购置（“三公”表含基本支出和项目支出，明细表只含基本支出）。

    ## 原因
    明细表中的这些科目是“三公”经费在基本支出中的部分。

    ## 错误示例
    “三公”表公务接待费决算 0.50，明细表 30217 公务接待费 1.20。

    ## 正确示例
    “三公”表公务接待费决算 1.20，明细表 30217 公务接待费 1.20。
    """
    t9 = ctx.table("T9")
    if t9 is None or t9.empty:
        return
    t6_rows, header = _t6_items(ctx)
    for key, code, name in THREE_PUBLIC_ITEMS:
        r = t6_rows.get(code)
        if r is None or not r.cells.get(header):  # type: ignore[arg-type]
            continue   # nothing (or a blank) in T6
        a = _t9_final(ctx, key)
        if a is None:
            continue
        b = ctx.fig("T6", r, header)  # type: ignore[arg-type]
        if a.iv.hi >= b.iv.lo:
            continue
        sev = "info" if abs(a.value - b.value) <= CENT else None
        yield hit(f"“三公”经费{name}决算数 {a.text} 小于基本支出明细表 {code} 的 {b.text}"
                  + ("（尾差）" if sev else ""), [a.where, b.where], [a.text, b.text], sev)


@rule("JS209", "zero-three-public-vs-items", "“三公”经费为零而明细表对应科目有数", "error", "table")
def zero_three_public(ctx: Context):
    """
    ## 作用
    “三公”经费表为空表或决算数为零时，基本支出决算明细表的 30212、30217、30231、31013 也应为零。

    ## 原因
    明细表中的这些科目就是“三公”经费；称“没有三公经费支出”而明细表有公务接待费是矛盾的。

    ## 错误示例
    “三公”经费表“本表无数据”，明细表 30217 公务接待费 0.35。

    ## 正确示例
    “三公”经费表无数据，明细表 30217 公务接待费为空。
    """
    t9 = ctx.table("T9")
    if t9 is None:
        return
    # plain displayed values decide (no figure and a blank are alike here); a figure only for a finding
    if not t9.empty and cell_value(ctx, _T9_FINAL["total"]):
        return
    t6_rows, header = _t6_items(ctx)
    for key, code, name in THREE_PUBLIC_ITEMS:
        if cell_value(ctx, _T9_FINAL[key]):
            continue
        r = t6_rows.get(code)
        if r is not None and r.cells.get(header):  # type: ignore[arg-type]
            b = ctx.fig("T6", r, header)  # type: ignore[arg-type]
            where = {"table": "T9", "column": f"决算数/{name}"}
            yield hit(f"“三公”经费表{name}决算为零（或本表无数据），基本支出明细表 {code} 却列 {b.text}",
                      [where, b.where], ["0.00", b.text])
