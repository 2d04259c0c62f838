"""JS1xx — structure and sums within each of the nine tables, declared as data.

Checks the identity declarations of single tables (审核公式 表内, in
:mod:`juesuan.final.identities`): 功能分类 hierarchy
(类 = Σ款, 款 = Σ项, 合计 = Σ类), row totals (合计列 = Σ组成列), the fixed rows of
收入支出决算总表 (T1) and 财政拨款收入支出决算总表 (T4), the 人员经费/公用经费
blocks of T6, the 三公 columns of T9, plus two structural checks (negative
figures, codes that do not belong to their table).
"""

from __future__ import annotations

from itertools import chain

from ...rules._memo import Memo
from ...rules.context import Context, hit
from ...rules.identities import run
from ...rules.registry import rule
from ..identities import (
    BLOCKS,
    FUNCTION_TABLES,
    HIERARCHY,
    READ_TOGETHER,
    ROW_TOTALS,
    T1_IDENTITIES,
    T4_IDENTITIES,
    T9_ALL_ITEMS,
    T9_IDENTITIES,
    TOTALS,
)


@rule("JS101", "function-hierarchy-sum", "功能分类层级加总：类 = Σ款，款 = Σ项", "error", "table")
def function_hierarchy(ctx: Context):
    """
    ## 作用
    在收入决算表、支出决算表、一般公共预算财政拨款支出决算表、政府性基金和国有资本经营预算财政拨款
    决算表中，逐列检查每个“类”等于其下各“款”之和、每个“款”等于其下各“项”之和。比较按区间进行：
    各项列示值的区间之和与上级列示值的区间有交集即成立；成立但列示值不等时报提示（尾差）。

    ## 原因
    上级科目是下级科目的合计，这是决算报表的基本审核公式；加不平说明抄录、汇总或舍位有误。

    ## 错误示例
    20103 政府办公厅（室）及相关机构事务 1184.74；2010350 事业运行 247.06；2010399 其他… 937.70
    （247.06 + 937.70 = 1184.76，与 1184.74 相差 0.02，超出两个加数的舍入误差）。

    ## 正确示例
    20103 1184.74 = 2010350 247.04 + 2010399 937.70。
    """
    yield from run(ctx, HIERARCHY)


@rule("JS102", "function-total-sum", "功能分类合计行 = Σ类", "error", "table")
def function_total(ctx: Context):
    """
    ## 作用
    在各功能分类表中逐列检查“合计”行等于各“类”行之和（区间比较；舍入范围内的差额报提示）。

    ## 原因
    合计行是全部科目的合计；各类之和与合计不符意味着漏列、重列或抄错。发布者对各表分别
    舍位平衡时，各类之和可能与合计差几分（例如 1294.50 与 1294.48），这是尾差而不是错误。

    ## 错误示例
    合计 1294.48，各类 1184.74、53.33、24.81、3.00、28.60 之和为 1294.48 时若某类写成 28.66，
    各类之和 1294.54，超出五个加数的舍入误差（±0.03）。

    ## 正确示例
    合计 1294.48；各类之和 1294.50：五个加数区间之和 [1294.475, 1294.525] 与 [1294.475, 1294.485]
    有交集，仅报尾差提示。
    """
    yield from run(ctx, TOTALS)


@rule("JS103", "row-total-columns", "行内合计列 = Σ组成列", "error", "table")
def row_totals(ctx: Context):
    """
    ## 作用
    逐行检查合计列等于组成列之和：收入决算表“本年收入合计”= 财政拨款收入 + 上级补助收入 + … +
    其他收入；支出决算表“本年支出合计”= 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位
    补助支出；一般公共预算、国有资本经营预算表“小计/合计”= 基本支出 + 项目支出；政府性基金表另查
    年末结转和结余 = 年初 + 本年收入 − 本年支出；财政拨款收入支出决算总表支出方“合计”= 三类财政拨款之和。

    ## 原因
    合计列是各组成列的合计，这是表内审核公式。

    ## 错误示例
    支出决算表合计行：本年支出合计 1294.48，基本支出 353.78，项目支出 940.60（和 1294.38）。

    ## 正确示例
    本年支出合计 1294.48，基本支出 353.78，项目支出 940.71（和 1294.49，两加数区间 [1294.48, 1294.50]
    与 [1294.475, 1294.485] 有交集，报尾差提示）。
    """
    yield from run(ctx, ROW_TOTALS)


@rule("JS104", "income-expenditure-summary", "收入支出决算总表的合计与总计", "error", "table")
def t1_identities(ctx: Context):
    """
    ## 作用
    检查收入支出决算总表：本年收入合计 = 八项收入之和；本年支出合计 = 各类支出之和；收入总计 =
    本年收入合计 + 使用非财政拨款结余 + 年初结转和结余；支出总计 = 本年支出合计 + 结余分配 +
    年末结转和结余；收入总计 = 支出总计。教育部直属高校的高等学校收支决算总表只列一行财政拨款收入：
    本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 + 附属单位上缴收入 + 其他收入，
    “其中”行（政府性基金预算财政拨款、捐赠收入）不大于其所属的行；其余各式同上。

    ## 原因
    总表是全部收支的平衡表，收、支两方必须各自加平并且相等。

    ## 错误示例
    本年收入合计 1294.48，年初结转和结余 10.00，总计 1294.48。

    ## 正确示例
    本年收入合计 1294.48，年初结转和结余 10.00，总计 1304.48，支出方总计 1304.48。
    """
    yield from run(ctx, T1_IDENTITIES, READ_TOGETHER)


@rule("JS105", "fiscal-summary", "财政拨款收入支出决算总表的合计、总计与结转", "error", "table")
def t4_identities(ctx: Context):
    """
    ## 作用
    检查财政拨款收入支出决算总表：本年收入合计 = 三类财政拨款收入之和；年初结转和结余 = 三类之和；
    收入总计 = 本年收入合计 + 年初结转和结余；各列本年支出合计 = 各类之和；各列支出总计 = 本年支出
    合计 + 年末结转和结余；收入总计 = 支出总计；每类资金年末结转和结余 = 年初 + 本年收入 − 本年支出。

    ## 原因
    财政拨款总表按资金性质平衡；年末结转结余由年初、收入、支出推出，不符说明某处抄错。

    ## 错误示例
    一般公共预算财政拨款：年初 0，收入 1294.48，支出 1294.48，年末结转和结余却列 5.00。

    ## 正确示例
    年初 0 + 收入 1294.48 − 支出 1294.48 = 年末 0。
    """
    yield from run(ctx, T4_IDENTITIES, READ_TOGETHER)


@rule("JS106", "basic-economic-blocks", "基本支出明细表：类 = Σ款，人员经费/公用经费合计 = Σ类", "error", "table")
def t6_blocks(ctx: Context):
    """
    ## 作用
    检查一般公共预算财政拨款基本支出决算明细表：每个经济分类“类”（301、302、303、310…）等于其下
    各“款”之和；人员经费合计 = 301 + 303，公用经费合计 = 302 + 310（及 307、309、399）。

    ## 原因
    明细表按经济分类逐级汇总，人员经费与公用经费是基本支出的两部分。

    ## 错误示例
    302 商品和服务支出 8.09，各款 1.49、1.69、0.53、1.29、2.68、0.01、2.39 之和 10.08。

    ## 正确示例
    302 商品和服务支出 8.09，各款之和 8.08：七个加数的舍入误差可达 ±0.035，报尾差提示。
    """
    yield from run(ctx, BLOCKS)


@rule("JS107", "three-public-sum", "“三公”经费表：合计 = 出国 + 用车 + 接待，用车 = 购置 + 运行", "error", "table")
def t9_identities(ctx: Context):
    """
    ## 作用
    检查财政拨款“三公”经费支出决算表的预算数与决算数：合计 = 因公出国（境）费 + 公务用车购置及
    运行维护费 + 公务接待费；公务用车购置及运行维护费 = 购置费 + 运行维护费。陕西省的表另列会议费、
    培训费：其合计按表中数字判断，只含“三公”经费时同上，含会议费、培训费时为各项之和。

    ## 原因
    “三公”经费由这三项构成，用车费由购置和运行维护两项构成。

    ## 错误示例
    决算数合计 12.00，出国 0，用车小计 8.00，接待 2.00。

    ## 正确示例
    决算数合计 10.00 = 0 + 8.00 + 2.00；用车小计 8.00 = 购置 0 + 运行维护 8.00。
    """
    yield from run(ctx, T9_IDENTITIES, READ_TOGETHER)
    yield from run(ctx, T9_ALL_ITEMS)


@rule("JS108", "negative-figure", "表中出现负数", "warning", "table")
def negative_figures(ctx: Context):
    """
    ## 作用
    报告九张表中小于零的金额（年末结转和结余等少数栏目按规定可能为负，仍提请核对）。

    ## 原因
    决算表的收入、支出金额不应为负；负数多半是录入或抄录错误。

    ## 错误示例
    支出决算表 2010350 事业运行 基本支出 −247.04。

    ## 正确示例
    支出决算表 2010350 事业运行 基本支出 247.04。
    """
    ts = ctx.doc.tables
    if ts is None:
        return
    for t in ts:
        # one C-level pass over the table's figures first: almost every table has no negative one
        if min(filter(None, chain.from_iterable([r.cells.values() for r in t.rows])), default=0) >= 0:
            continue
        for r in t.rows:
            for col, v in r.cells.items():
                if v is not None and v < 0:
                    f = ctx.fig(t.id, r, col)
                    yield hit(f"{t.title}“{ctx.where(t.id, r)['row']}”行“{col}”列为负数 {f.text}",
                              [f.where], [f.text])


@rule("JS109", "function-code-name", "功能分类科目编码与名称不符", "warning", "publication")
def code_names(ctx: Context):
    """
    ## 作用
    按年度《政府收支分类科目》核对功能分类表中每一行的科目编码与科目名称（忽略空格和括号写法差异）。
    只在工具带有该年度科目表时核对：各年科目名称有调整，不拿其他年度的科目表衡量。

    ## 原因
    科目编码与名称一一对应；名称与编码不符说明套用了错误年度的科目表或抄错了编码。

    ## 错误示例
    2010350 其他政府办公厅（室）及相关机构事务支出。

    ## 正确示例
    2010350 事业运行。
    """
    for tid, i, name in _misnamed(ctx):
        t = ctx.table(tid)
        r = t.rows[i]  # type: ignore[union-attr]
        yield hit(f"{t.title}科目 {r.code} 的名称“{r.label}”与{ctx.doc.year}年科目表“{name}”不符",  # type: ignore[union-attr]
                  [ctx.where(tid, r)], [r.code])


@rule("JS110", "function-code-unknown", "功能分类科目编码不在该年度科目表中", "warning", "publication")
def unknown_codes(ctx: Context):
    """
    ## 作用
    按年度《政府收支分类科目》核对功能分类表中每一行的科目编码是否存在。解析已发布文档时，印出的
    编码原样保留，不按名称改成相近的编码；只在工具带有该年度科目表时核对（没有则不作判断）。

    ## 原因
    不存在的编码说明抄错了编码、套用了已废止的科目，或沿用了其他年度的科目表。

    ## 错误示例
    2010398 其他政府办公厅（室）及相关机构事务支出（2023 年科目表中没有 2010398）。

    ## 正确示例
    2010399 其他政府办公厅（室）及相关机构事务支出。
    """
    cat = _own_catalog(ctx.doc.year)
    if cat is None:
        return
    for tid in FUNCTION_TABLES:
        t = ctx.table(tid)
        if t is None:
            continue
        for r in t.rows:
            if r.code and r.code not in cat.function:
                yield hit(f"{t.title}科目编码 {r.code}（{r.label}）不在{ctx.doc.year}年《政府收支分类科目》中",
                          [ctx.where(tid, r)], [r.code])


def _own_catalog(year: int | None):
    """The catalogue of exactly ``year``, or None: codes and names change from year to year, so a
    document is held only to its own year's catalogue, never to a neighbouring year's."""
    from ...catalog import catalog
    if not year:
        return None
    try:
        cat = catalog(year)
    except Exception:  # noqa: BLE001 - no catalogue at all: nothing to compare
        return None
    return cat if cat.year == year else None


# (year, code, label) → the catalogue's name when ``label`` is not the name of ``code`` in that
# year's catalogue, else None. A pure function of the three, and the same codes and labels recur
# in every department's tables: each row costs one look-up instead of two name normalisations.
_MISNAMED = Memo("names of catalogue codes", 65536)
_UNKNOWN = object()


def _misnamed(ctx: Context) -> list[tuple[str, int, str]]:
    """(table, row index, catalogue name) of function-table rows whose name is not their code's."""
    year = ctx.doc.year
    if not year:
        return []
    out = []
    for tid in FUNCTION_TABLES:
        t = ctx.table(tid)
        if t is None:
            continue
        for i, r in enumerate(t.rows):
            if not r.code or not r.label:
                continue
            k = (year, r.code, r.label)
            name = _MISNAMED.get(k, _UNKNOWN)
            if name is _UNKNOWN:
                name = _MISNAMED.put(k, _wrong_name(year, r.code, r.label))
            if name is not None:
                out.append((tid, i, name))
    return out


def _wrong_name(year: int, code: str, label: str) -> str | None:
    """The catalogue's name of ``code`` if ``label`` is not it (brackets and spacing aside), else None."""
    cat = _own_catalog(year)
    if cat is None:
        return None
    name = cat.function_name(code)
    if not name:
        return None
    from ...rules.text import norm_name
    a, b = norm_name(label).replace("（", "").replace("）", ""), norm_name(name).replace("（", "").replace("）", "")
    return name if a != b and not (a in b or b in a) else None
