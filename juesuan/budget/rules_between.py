"""YS2xx 预算表间勾稽: the same quantity in two tables of one budget.

Each rule checks declarations of :mod:`juesuan.budget.identities` (:class:`~.identities.Agree`:
a cell = the sum of others, or at least another) through the one interval evaluation of
:func:`juesuan.rules.identities.evaluate`: a difference that rounding explains is at most a 尾差
(info); an error resting on a figure not read with certainty becomes "无法核对"
(:mod:`juesuan.rules.certainty`). A declaration applies only where the document prints every cell it
names (a layout without the table, a table without the row or column: silent), and not where a
cell of its ``unless`` shows a figure other than 0.

:func:`spot_fig` finds a declared cell in a document: by layout key or code as the in-table rules
do, or — the listings name their columns by their printed headers — by a pattern on the header and
on the row's label. The narrative rules (:mod:`juesuan.budget.rules_narrative`) find the cells a
sentence quotes with it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ..figures import fmt
from ..rules.context import Context, Fig, Finding, per_check
from ..rules.identities import Identity, cell_row, evaluate
from ..rules.registry import rule
from ..tables.identity import Cell
from ..tables.table import Row
from .identities import (
    FISCAL_TABLES,
    FUNDS,
    GENERAL_BASIC,
    PROJECTS,
    SUMMARY_EXPENDITURE,
    SUMMARY_FISCAL,
    SUMMARY_INCOME,
    THREE_PUBLIC_ACROSS,
    Agree,
    Spot,
)

__all__ = ["spot_cell", "spot_fig", "fine", "agreements"]


@cache
def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _row(ctx: Context, s: Spot) -> Row | None:
    t = ctx.table(s.table)
    if t is None or not t.rows:
        return None
    if s.label:
        year = str(ctx.doc.year or "")
        rx = _rx(s.label.replace("{year}", year))
        return next((r for r in t.rows if (s.side is None or r.side == s.side) and rx.search(r.label or r.key)), None)
    if s.row == "合计":
        r = ctx.total_row(s.table)
        if r is None and len(t.rows) == 1 and t.layout.kind == "listing":
            r = t.rows[0]            # a listing of one row (one unit, no 合计 row): its total
        return r
    return cell_row(ctx, Cell(s.table, s.row, s.column or "", s.side))


def spot_cell(ctx: Context, s: Spot) -> tuple[Row, str] | None:
    """The row and printed column header of ``s`` in this document; None where it prints no such cell."""
    row = _row(ctx, s)
    if row is None:
        return None
    if s.column:
        header = ctx.column_header(s.table, s.column, s.side)
    elif s.header:
        rx = _rx(s.header.replace("{year}", str(ctx.doc.year or "")))
        header = next((h for h in row.cells if rx.search(h)), None)
    else:
        header = next(iter(row.cells), None)
    if header is None or header not in row.cells:
        return None
    return row, header


def spot_fig(ctx: Context, s: Spot) -> Fig | None:
    """The displayed figure of ``s`` with its place (blank = 0); None where the document does not print it.
    A figure printed finer than the cent (元 tables, six decimals) is written as printed in messages."""
    got = spot_cell(ctx, s)
    if got is None:
        return None
    f = ctx.fig(s.table, got[0], got[1])
    return fine(f) if f is not None else None


def fine(f: Fig) -> Fig:
    """``f`` written with as many decimals as its value has (up to six), at least two."""
    exp = f.value.normalize().as_tuple().exponent
    d = -exp if isinstance(exp, int) and exp < -2 else 2
    return f if d <= 2 else f.derive(text=fmt(f.value, min(d, 6)))


def _label(ctx: Context, s: Spot, fig: Fig) -> str:
    w = fig.where
    t = ctx.table(s.table)
    return f"{t.title if t is not None else s.table}“{w.get('row', '')}”"


def agreements(ctx: Context, decls: tuple[Agree, ...]) -> Iterator[Finding]:
    """The findings of a list of :class:`Agree` declarations, in order (each cell pair once)."""
    seen: set[tuple] = set()
    for d in decls:
        a = spot_fig(ctx, d.a)
        if a is None or _blocked(ctx, d) or any(spot_cell(ctx, s) is None for s in d.requires) \
                or any(spot_cell(ctx, s) is not None for s in d.without):
            continue
        readings = [p for p in (_parts(ctx, d.parts), *(_parts(ctx, alt) for alt in d.alt)) if p]
        if not readings:
            continue
        parts = readings[0]
        tables = {d.a.table, *(s.table for s in d.parts)}
        if all(getattr(ctx.table(t), "empty", True) for t in tables):
            continue
        key = (_key(a), *(_key(f) for _, f in parts))
        if key in seen:
            continue
        seen.add(key)
        found = [_evaluate(ctx, d, a, p) for p in readings]
        if any(f is None for f in found):
            continue
        yield next((f for f in found if f.severity == "info"), found[0])


def _parts(ctx: Context, spots: tuple[Spot, ...]) -> list[tuple[int, Fig]] | None:
    """The figures of ``spots`` (an optional one not printed left out); None when one is not printed."""
    parts: list[tuple[int, Fig]] = []
    for s in spots:
        f = spot_fig(ctx, s)
        if f is None and not s.optional:
            return None
        if f is not None:
            parts.append((1, f))
    return parts or None


def _evaluate(ctx: Context, d: Agree, a: Fig, parts: list[tuple[int, Fig]]) -> Finding | None:
    kind = "atleast" if d.at_least else ("same" if len(parts) == 1 else "sum")
    return evaluate(Identity(a, parts, d.what, kind=kind, names=(_label(ctx, d.a, a), "各项之和")))


def _key(f: Fig) -> tuple:
    w = f.where
    return (w.get("table"), w.get("row"), w.get("column"), w.get("side"))


def _blocked(ctx: Context, d: Agree) -> bool:
    for s in d.unless:
        f = spot_fig(ctx, s)
        if f is not None and f.value:
            return True
    return False


@per_check
def _three_public(ctx: Context) -> list[Finding]:
    return list(agreements(ctx, THREE_PUBLIC_ACROSS))


@rule("YS201", "budget-summary-vs-fiscal", "收支总表与财政拨款收支总表：各项财政拨款收入一致", "error", "budget-table")
def summary_fiscal(ctx: Context):
    """
    ## 作用
    收支总表收入方的一般公共预算拨款、政府性基金预算拨款、国有资本经营预算拨款收入（及“财政拨款”
    合计行、上年财政拨款结转结余）应与财政拨款收支总表的同名项目相同；收支总表的本年支出合计和各
    功能分类“类”不小于财政拨款收支总表的同一项目（财政拨款只是全部资金的一部分）。只核对两表都列示
    的项目；同一数字两处相差不超过末位一个单位（舍位平衡）报提示。

    ## 原因
    财政拨款收支总表是收支总表中财政拨款部分的展开，同一笔拨款两处必须相同。

    ## 错误示例
    收支总表“一般公共预算拨款收入”32365.09，财政拨款收支总表“一般公共预算资金”32356.09。

    ## 正确示例
    两表均为 32365.09；或收支总表 201 一般公共服务支出 12090.48，财政拨款收支总表 12090.48（≤）。
    """
    yield from agreements(ctx, SUMMARY_FISCAL)


@rule("YS202", "budget-summary-vs-income", "收入总表与收支总表：本年收入、各项来源和上年结转一致", "error",
      "budget-table")
def summary_income(ctx: Context):
    """
    ## 作用
    收入总表“合计”行（只列一个单位、没有合计行的，取这一行）的本年收入合计、各项收入来源（一般公共
    预算、政府性基金、财政拨款、事业收入、上级补助收入、其他收入）、上年结转结余和收入总计，应与收支
    总表收入方的同一项目相同。收入总表的列按表头文字识别（“本年收入/一般公共预算资金”“部门预算/合计”
    等）；江苏省 2019 年表式把来源列为行，按行名识别“收入总计”。收支总表列有使用非财政拨款结余时，
    不比较收入总计。

    ## 原因
    收入总表是收支总表收入方按单位和来源的展开，合计必须相同。

    ## 错误示例
    收入总表合计行“本年收入合计”445059.97，收支总表“本年收入合计”445159.97。

    ## 正确示例
    两表均为 445059.97，“财政拨款收入”均为 244675.66。

    已公开样本中的实例：西安市医疗保障局 2022 年部门综合预算的收入总表（第 30 页）合计为 480,544,221.6 元，
    收支总表（第 29 页）收入总计为 480,544,221.62 元：相差 0.02 元，报提示（尾差）。
    """
    yield from agreements(ctx, SUMMARY_INCOME)


@rule("YS203", "budget-summary-vs-expenditure", "支出总表与收支总表：本年支出合计、基本支出、项目支出和各类一致",
      "error", "budget-table")
def summary_expenditure(ctx: Context):
    """
    ## 作用
    支出总表合计行的合计、基本支出、项目支出（江苏省 2019 年表式另有单位预留机动经费）和按功能分类
    列示的各“类”，应与收支总表支出方的本年支出合计和同一项目相同。只核对两表都列示的行和列。

    ## 原因
    支出总表是收支总表支出方按科目和支出性质的展开。

    ## 错误示例
    支出总表 206 科学技术支出 79154.76，收支总表“科学技术支出”79145.76。

    ## 正确示例
    两表均为 79154.76；支出总表合计 155723.39 = 收支总表本年支出合计 155723.39。
    """
    yield from agreements(ctx, SUMMARY_EXPENDITURE)


@rule("YS204", "budget-fiscal-tables", "财政拨款收支总表与财政拨款支出表、一般公共预算支出表一致", "error",
      "budget-table")
def fiscal_tables(ctx: Context):
    """
    ## 作用
    财政拨款支出预算表（功能科目）的合计和各“类”应与财政拨款收支总表支出方的本年支出合计和同一
    “类”相同；一般公共预算支出表（陕西省：一般公共预算支出明细表）的合计应等于财政拨款收支总表的
    一般公共预算拨款收入——没有上年结转时直接相等，列有一般公共预算上年结转时等于两者之和（列有年终
    结转结余的不核对：财政拨款收支总表不按资金来源分列结转下年，一般公共预算支出多少由此无法确定）；财政拨款
    收支总表的各“类”不小于一般公共预算支出表的同一“类”；江苏省 2019 年表式的财政拨款基本支出预算表
    合计应等于财政拨款收支总表的基本支出。

    ## 原因
    这些表都是财政拨款收支总表的展开：一般公共预算支出表展开其中的一般公共预算拨款。

    ## 错误示例
    一般公共预算支出表合计 155723.39，财政拨款收支总表“一般公共预算资金”155732.39，没有上年结转。

    ## 正确示例
    深圳市：一般公共预算支出表合计 37385.88 = 一般公共预算资金 36989.05 + 一般公共预算拨款结余、结转
    396.83。
    """
    yield from agreements(ctx, FISCAL_TABLES)


@rule("YS205", "budget-general-basic", "一般公共预算支出表与基本支出表（按经济分类、按功能分类）一致", "error",
      "budget-table")
def general_basic(ctx: Context):
    """
    ## 作用
    一般公共预算基本支出表（按经济分类）的合计应等于一般公共预算支出表合计行的基本支出（陕西省：等于
    基本支出明细表（按功能分类）的合计，其人员经费、公用经费等于一般公共预算支出明细表的同名列）；
    一般公共预算支出表按经济分类（深圳市、陕西省）的合计应等于按功能分类的合计；广东省的一般公共预算
    项目支出情况表合计应等于一般公共预算支出表的项目支出。

    ## 原因
    同一笔一般公共预算支出按功能和按经济分类各列一次，合计必须相同。

    ## 错误示例
    一般公共预算基本支出表合计 16887.61，一般公共预算支出表合计行基本支出 16877.61。

    ## 正确示例
    两表均为 16877.61。
    """
    yield from agreements(ctx, GENERAL_BASIC)


@rule("YS206", "budget-three-public-across", "“三公”经费：各表所列一致", "error", "budget-table")
def three_public_across(ctx: Context):
    """
    ## 作用
    同一预算中列示“三公”经费的各表：财政拨款“三公”经费支出表、广东省的财政拨款安排的行政经费及
    “三公”经费预算表（合计列；一般公共预算列）、江苏省和陕西省的“三公”经费、会议费、培训费支出
    预算表（一般公共预算安排），逐项（合计、因公出国（境）费、公务用车购置及运行维护费及其购置、
    运行两项、公务接待费）相同；财政拨款的“三公”经费不小于其中一般公共预算安排的。表中没有的项目
    不核对。

    ## 原因
    “三公”经费预算只有一个，各表只是列示口径不同。

    ## 错误示例
    “三公”经费支出表合计 88.23，行政经费及“三公”经费预算表“三公”经费 98.23。

    ## 正确示例
    两表均为 88.23，其中因公出国（境）费均为 64.00。
    """
    yield from _three_public(ctx)


@rule("YS207", "budget-funds-and-projects", "政府性基金、国有资本经营、项目支出和基本支出各表与总表一致", "error",
      "budget-table")
def funds_and_projects(ctx: Context):
    """
    ## 作用
    政府性基金预算支出表、国有资本经营预算支出表的合计应等于财政拨款收支总表中该项预算拨款收入（或再加上
    列示的该项上年结转），没有上年结转时也应等于收支总表中该项预算拨款收入；项目支出表的合计应等于支出总表合计行的项目支出（广东省的项目支出及其他支出
    预算表另加事业单位经营支出、对附属单位补助支出和上缴上级支出；陕西省：等于一般公共预算支出明细表
    的专项业务经费支出）；基本支出总表（广东省、深圳市）的合计应等于支出总表的基本支出。两表都为空
    表时不核对。

    ## 原因
    这些表分别展开总表中的一项：一笔钱在展开表和总表中必须相同。

    ## 错误示例
    项目支出表合计 138845.78，支出总表合计行项目支出 138854.78。

    ## 正确示例
    两表均为 138845.78；政府性基金预算支出表为空表，财政拨款收支总表政府性基金预算资金为 0。
    """
    yield from agreements(ctx, FUNDS)
    yield from agreements(ctx, PROJECTS)
