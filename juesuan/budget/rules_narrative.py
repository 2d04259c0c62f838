"""YS3xx 情况说明与表格: what a budget's text states, against its tables and against itself.

The statements are read by :mod:`juesuan.budget.narrative_facts` (the quantities declared as data);
these rules judge them with the intervals every rule uses: a written amount "3" or "78.9" is 3.00 or
78.90 (±0.005 万元); a percentage is as precise as it is written ("4.6%": ±0.05); a difference that
rounding explains is no finding, one that 舍位平衡 explains (one unit of the last place) at most a
尾差 (info). An error needs every figure read with certainty: a figure the reader is not sure of (one
that opens a paragraph continuing the last, where a page number may stand glued to it) makes the
finding "无法核对"; table figures not read with certainty do the same (:mod:`juesuan.rules.certainty`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..figures import Interval, fmt, places
from ..rules.context import Context, Fig, Finding, compare, compare_ratio, hit
from ..rules.registry import rule
from ..rules.statements import same_figure
from .identities import Spot
from .narrative_facts import (
    AMOUNT_RE,
    DECOMPOSITIONS,
    QUANTITIES,
    Para,
    Quantity,
    Statement,
    changes,
    shares,
    statements,
    subject_of,
    targets,
    vehicle_counts,
)
from .rules_between import spot_fig

__all__: list[str] = []

UNCHECKED = "无法核对"
_UNSURE = "（该数字位于换页处，可能与页码连在一起，未能确定读取）"


def _amount(para: Para, text: str, pos: int) -> Fig:
    return Fig.text_amount(text, lambda: para.where(pos))


def _pct(para: Para, text: str, pos: int) -> Fig:
    return Fig(Decimal(text), places(text), text + "%", lambda: para.where(pos))


def _unchecked(f: Finding) -> Finding:
    """An error that rests on a figure the reader is not sure of: said as unchecked (info)."""
    if f.severity == "info":
        return f
    return f._replace(severity="info", message=f"{UNCHECKED}：{f.message}{_UNSURE}")


def _means(ctx: Context, spots: tuple[Spot, ...]) -> list[Fig]:
    out, seen = [], set()
    for s in spots:
        f = spot_fig(ctx, s)
        if f is None:
            continue
        w = f.where
        key = (w.get("table"), w.get("row"), w.get("column"), w.get("side"))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _agrees(stated: Fig, table: Fig) -> bool:
    """The table's figure, rounded as the sentence writes it, is the sentence's (元 tables, six decimals)."""
    return table.value.quantize(Decimal(1).scaleb(-stated.decimals)) == stated.value


def _where_table(ctx: Context, f: Fig) -> str:
    w = f.where
    t = ctx.table(w.get("table", ""))
    name = t.title if t is not None else w.get("table", "")
    return f"{name}“{w.get('row', '')}”{f.text}"


@rule("YS301", "budget-narrative-amount", "情况说明所述金额与表格不符", "error", "budget-guide")
def amounts(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    逐句读取情况说明中所述的本年金额——收支预算总计、本年收入和支出预算、财政拨款和一般公共预算拨款
    收入、各项收入来源、上年结转和结转下年、基本支出和项目支出（财政拨款的、一般公共预算的）、人员
    经费和公用经费、政府性基金预算支出、“三公”经费及其各项、会议费、培训费、机关运行经费、政府采购
    预算（及货物、工程、服务）、功能分类各“类”——与表中同一数字核对。一个说法可能指几张表中的数字
    （“收入预算”在有的预算中是本年收入合计，在有的预算中是收入总计；“教育支出”可能指支出总表或财政
    拨款支出表），与其中任何一个相符即为相符。说的是别的年度（“2025年……”“上年……”）的不核对。
    句中“3万元”按 3.00 万元理解；按元或六位小数列示的表，按句中位数舍入后相同即相符；相差不超过
    0.01 万元报提示（尾差），超出为错误。表中没有的数字只核对句内关系（YS302、YS303）。
    “实行绩效目标管理的项目 N 个，涉及项目预算 X 万元”与印出的项目支出绩效目标表核对：文中说明各项目的
    绩效目标均见绩效目标表的，表的张数应为 N、各表年度资金总额之和应为 X；否则（预算可只公开部分项目的
    绩效目标表）只有表多于 N 张或金额之和超过 X 才报错。

    ## 原因
    情况说明是对预算表的文字说明，同一数字在表里和文字里必须一致。

    ## 错误示例
    表8 行政经费及“三公”经费预算表“三公”经费 88.23，情况说明写“财政拨款安排‘三公’经费 98.23 万元”。

    ## 正确示例
    “2026年本部门财政拨款安排‘三公’经费88.23万元”；“政府采购预算共2107万元”（表中 21,069,995 元，
    即 2106.9995 万元，按整数万元舍入为 2107）。

    已公开样本中的实例：西安市医疗保障局 2022 年部门综合预算第 20 页写“工资福利支出（301）2036.82万元”，
    第 34 页一般公共预算支出明细表（按经济分类）为 20,368,125.45 元（2036.812545 万元，应舍入为 2036.81）：
    文字的舍入差了一分，报提示（尾差），不是错误。
    """
    for st in statements(ctx):
        figs = _means(ctx, st.quantity.means)
        if not figs:
            continue
        stated = _amount(st.para, st.value, st.pos)
        if any(_agrees(stated, f) for f in figs):
            continue
        found = _amount_finding(ctx, st, stated, figs)
        if found is not None:
            yield found if st.sure else _unchecked(found)
    for t in targets(ctx):
        yield from _targets(ctx, t)


def _targets(ctx: Context, t) -> Iterator[Finding]:
    """"实行绩效目标管理的项目 N 个，涉及项目预算 X 万元" against the 项目支出绩效目标表 printed: as many
    tables and their 年度资金总额 adding up to X when the text says each project's is printed; else
    (a budget may print only some) an error only when the tables are more, or hold more money."""
    forms = [f for f in ctx.doc.forms if getattr(f, "form", "") == "target" and getattr(f, "table", "") == "Y11"]
    if not forms:
        return
    para, sure = t.para, t.para.sure(t.count[1])

    def place(f) -> dict:
        return {"table": "Y11", "row": f.title, **{k: f.source[k] for k in ("file", "page", "line") if k in f.source}}

    n = int(t.count[0])
    if n != len(forms) and (t.all_shown or len(forms) > n):
        f = hit(f"情况说明：实行绩效目标管理的项目 {n} 个，而印出的项目支出绩效目标表有 {len(forms)} 张"
                + ("（文中说明各项目的绩效目标均见绩效目标表）" if t.all_shown else ""),
                [para.where(t.count[1]), place(forms[0])], [str(n), str(len(forms))])
        yield f if sure else _unchecked(f)
    money = [next((v for label, v in f.amounts if label.startswith("年度资金总额") and "万元" in label), None)
             for f in forms]
    if any(v is None for v in money):
        return
    stated = _amount(para, *t.money)
    parts = [(1, Fig(v, places(str(v)), fmt(v), place(f))) for v, f in zip(money, forms)]
    v = compare(stated, parts)
    total = sum(money, Decimal(0))
    if v.ok or not (t.all_shown or total > stated.iv.hi):
        return
    f = hit(f"情况说明：实行绩效目标管理的项目涉及项目预算 {stated.text} 万元，而 {len(forms)} 张项目支出绩效目标表的"
            f"年度资金总额之和为 {fmt(total)} 万元", [stated.where, place(forms[0])], [stated.text, fmt(total)])
    yield f if para.sure(t.money[1]) else _unchecked(f)


def _amount_finding(ctx: Context, st: Statement, stated: Fig, figs: list[Fig]) -> Finding | None:
    label = st.quantity.label
    for f in figs:
        got = same_figure(label, stated, f)
        if got is None:
            return None
        if got.severity == "info":
            return got
    if len(figs) == 1:
        return same_figure(label, stated, figs[0])
    shown = "、".join(_where_table(ctx, f) for f in figs)
    return hit(f"情况说明“{label}”为 {stated.text} 万元，与表中可能所指的数字（{shown}）均不符",
               [stated.where, *(f.where for f in figs)], [stated.text, *(f.text for f in figs)])


# ---------------------------------------------------------------------------------------------------
# YS302: the arithmetic inside a sentence

def _rate_finding(what: str, stated: Fig, num: Fig, den: Fig, locs) -> Finding | None:
    """A stated percentage against num/den with the intervals: none, a 尾差 within one unit of its
    last written place (舍位平衡 of shares that must add up to 100%), or an error."""
    v = compare_ratio(stated, num, den)
    if v is None or (v.ok and not v.tail):
        return None
    exact = (num.value / den.value * 100) if den.value else Decimal(0)
    shown = fmt(exact, max(2, stated.decimals))
    if v.ok:
        return None       # rounding explains it (the written percentage is as precise as written)
    unit = Decimal(1).scaleb(-stated.decimals)
    if v.gap <= unit:
        return hit(f"{what}：所述 {stated.text} 与按所列金额计算的 {shown}% 相差不到末位一个单位（尾差，"
                   "可能是为使各项百分比之和为 100% 所作的调整）", locs(), [stated.text, f"{shown}%"], "info")
    return hit(f"{what}：所述 {stated.text} 与 {num.text} ÷ {den.text} = {shown}% 不符", locs(),
               [stated.text, num.text, den.text])


@rule("YS302", "budget-narrative-arithmetic", "情况说明句内增减额、增减率和占比有误", "error", "budget-guide")
def arithmetic(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    重算情况说明句内的关系，不依赖表格：
    “（本年数）…比上年增加/减少 x 万元，增长/下降 y%”：上年数 = 本年数 ∓ x，y 应等于 x ÷ 上年数；
    写明了上年数的（“比2025年年初预算数 a 万元增加 x 万元”），本年数 − 上年数应等于 x；增减方向与
    增长/下降不得相反。“x 万元，占 y%”：y 应等于 x ÷ 所占的总数——句中写明的（“占本年支出预算”
    “占‘三公’经费”，取表中数字），或同段、同节前文“其中”之前的总数。本年数取同一句中变动额之前最近的
    金额（句子以“与上年相比”“与2022年预算相比”开头的，取上一句的）；变动额前写明了变动的是什么
    （“与2022年预算相比，收支总预算减少 84.82 万元”），本年数取同段前文所述的该数字。占比所占的总数：
    写明的（“占政府采购预算总额的”）取前文所述或表中的该数；未写明、前文也没有“其中”的，取本节标题所说
    的总数（“一般公共预算支出预算结构情况”：一般公共预算拨款支出）。百分比按所写位数理解（“4.6%”表示 [4.55%, 4.65%]），
    相差不超过末位一个单位报提示（尾差：如为使各项占比合计 100% 而调整），超出为错误。上年数为 0 的
    增长率不核对。

    ## 原因
    增减额、增减率和占比都由句中金额算出，算错说明数字或比例有误。

    ## 错误示例
    “2026年本部门收入预算155,723.39万元，比上年减少7,507.97万元，下降5.6%”（7507.97 ÷ 163231.36
    = 4.60%）。

    ## 正确示例
    “……比上年减少7,507.97万元，下降4.6%”；“基本支出预算 25218.54 万元，占本年支出预算 76.76%”。

    已公开样本中的实例：西南大学 2024 年部门预算第 13 页末行为“科学技术支出”，第 14 页首行为“1,723.93 万元，
    占 0.71%”，两行之间的页码 13 被读在数字前（“131,723.93万元”）：这个数字未能确定读取，只报“无法核对”
    （提示），不作错误判断。
    """
    for c in changes(ctx):
        yield from _change(c)
    for s in shares(ctx):
        f = _share(ctx, s)
        if f is not None:
            yield f


def _least(found: list[Finding | None]) -> Finding | None:
    """Of the findings of the readings a sentence allows, the mildest: none when one reading agrees,
    a 尾差 when one is within rounding, else the first (the nearest reading's) error."""
    if not found or any(f is None for f in found):
        return None
    return next((f for f in found if f.severity == "info"), found[0])


def _change(c) -> Iterator[Finding]:
    para = c.para
    diff = _amount(para, *c.diff)
    sure = para.sure(c.diff[1]) and all(para.sure(x[1]) for x in (c.current, c.prior, c.rate) if x is not None)
    sign = 1 if c.word == "增加" else -1
    if c.rate_word is not None and c.rate is not None and Decimal(c.rate[0]) and Decimal(c.diff[0]):
        down = c.rate_word in ("下降", "减少")
        if down == (sign > 0):
            f = hit(f"增减方向前后矛盾：先说{c.word} {diff.text} 万元，又说{c.rate_word} {c.rate[0]}%",
                    [para.where(c.diff[1])], [diff.text, c.rate[0] + "%"])
            yield f if sure else _unchecked(f)
    if c.current is None:
        return
    # the figure that changed is the nearest amount before the change, or (a list of figures) one before it
    currents = [c.current, *c.others]
    if c.prior is not None:
        prior = _amount(para, *c.prior)
        found = [_difference(_amount(para, *x), prior, diff, sign, c.word) for x in currents]
        f = _least(found)
        if f is not None:
            yield f if sure else _unchecked(f)
    if c.rate is None:
        return
    stated = _pct(para, *c.rate)
    found = []
    for x in currents:
        cur = _amount(para, *x)
        if c.prior is not None:
            prior = _amount(para, *c.prior)
        else:
            value = cur.value - sign * diff.value
            lo = cur.iv.lo - sign * (diff.iv.hi if sign > 0 else diff.iv.lo)
            hi = cur.iv.hi - sign * (diff.iv.lo if sign > 0 else diff.iv.hi)
            prior = cur.derive(value, 2, fmt(value), Interval(min(lo, hi), max(lo, hi)))
        if prior.value <= 0 or prior.iv.lo <= 0:
            found.append(None)           # no rate of growth from nothing: this reading cannot be judged
            continue
        found.append(_rate_finding(f"{c.word} {diff.text} 万元的变动率（上年数 {prior.text}）", stated, diff, prior,
                                   lambda cur=cur: [stated.where, cur.where]))
    f = _least(found)
    if f is not None:
        yield f if sure or f.severity == "info" else _unchecked(f)


def _difference(cur: Fig, prior: Fig, diff: Fig, sign: int, word: str) -> Finding | None:
    v = compare(diff, [(sign, cur), (-sign, prior)])
    if v.ok:
        return None
    return hit(f"本年数 {cur.text} 与上年数 {prior.text} 之差为 {fmt(cur.value - prior.value)}，所述{word} {diff.text} "
               "万元不符", [cur.where, prior.where, diff.where], [cur.text, prior.text, diff.text])


_BASES: tuple[tuple[str, tuple[Spot, ...]], ...] = (
    (r"^本年支出|^支出|^部门支出", (Spot("Y1", "expenditure:total", "value", side="支出"),)),
    (r"^本年收入|^收入|^部门收入", (Spot("Y1", "income:total", "value", side="收入"),)),
    (r"三公", next(q.means for q in QUANTITIES if q.name == "3p_total")),
    (r"^政府采购", next(q.means for q in QUANTITIES if q.name == "procurement")),
)


_TOTALS = (Spot("Y1", "expenditure:total", "value", side="支出"), Spot("Y1", "income:total", "value", side="收入"))


def _stated_before(ctx: Context, q: Quantity, para: Para, pos: int) -> list[Fig]:
    """The figure the text stated last for ``q`` before ``pos`` in ``para``'s part."""
    before = [st for st in statements(ctx) if st.quantity.name == q.name and st.para.part == para.part
              and (st.para.index, st.pos) < (para.index, pos) and st.sure]
    return [_amount(before[-1].para, before[-1].value, before[-1].pos)] if before else []


_TITLE_TAIL = re.compile(r"(?:结构|总体|构成)?(?:情况)?(?:说明)?$")


def _share(ctx: Context, s) -> Finding | None:
    para = s.para
    num = _amount(para, *s.amount)
    stated = _pct(para, *s.pct)
    sure = para.sure(s.amount[1])
    dens: list[Fig] = []
    if s.base_words:
        for words, spots in _BASES:
            if re.search(words, s.base_words):
                dens = _means(ctx, spots)[:1]
                break
        q = subject_of(s.base_words)
        if q is not None:      # "占政府采购预算总额的…": the total as the text stated it, or as a table shows it
            dens += _stated_before(ctx, q, para, s.amount[1]) + (_means(ctx, q.means)[:1] if not dens else [])
    elif s.base is not None:
        # the total before the nearest 其中, or before an earlier one, or the year's total: a share of any
        dens = [_amount(bpara, text, pos) for text, bpara, pos in (s.base, *s.others)] + _means(ctx, _TOTALS)
        sure = sure and s.base[1].sure(s.base[2])
    elif (q := subject_of(_TITLE_TAIL.sub("", para.title))) is not None:
        # no total before it: the one its section is about ("一般公共预算支出预算结构情况"), as stated or shown
        dens = _stated_before(ctx, q, para, s.amount[1]) + _means(ctx, q.means)
    dens = [d for d in dens if d.value]
    if not dens:
        return None
    found = [_rate_finding(f"占比（{num.text} 万元占{s.base_words or ' ' + den.text + ' 万元'}）", stated, num, den,
                           lambda den=den: [stated.where, den.where]) for den in dens]
    f = _least(found)
    if f is None:
        return None
    return f if sure or f.severity == "info" else _unchecked(f)


# ---------------------------------------------------------------------------------------------------
# YS303: the sums a section states

def _all_read(para: Para, read: set[tuple[int, int]]) -> bool:
    """Is every amount of the paragraph a statement read, or a change (after 增加/减少)? One that is
    neither may be a component the declaration does not know (深圳市: 在职人员经费, 对个人和家庭的补助支出
    and 增人增资 beside 公用经费): then the parts stated are not known to be all."""
    for m in AMOUNT_RE.finditer(para.text):
        if (para.index, m.start("v")) in read:
            continue
        if re.search(r"(?:增加|减少|增长|下降)\s*$", para.text[max(0, m.start() - 3):m.start()]):
            continue
        return False
    return True


@rule("YS303", "budget-narrative-sums", "情况说明所述合计与其组成不符", "error", "budget-guide")
def sums(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    同一节中写明了合计和它的全部组成时，核对组成之和等于合计：“三公”经费 = 因公出国（境）费 + 公务
    用车购置及运行维护费 + 公务接待费，公务用车购置及运行维护费 = 购置费 + 运行维护费，政府采购预算 =
    货物类 + 工程类 + 服务类，财政拨款（一般公共预算）基本支出 = 人员经费 + 公用经费（各取该节第一次
    所述的数字；缺少任何一项即不核对）；“共有车辆 N 辆，其中 a 辆、b 辆……”：各项车辆数之和应为 N。
    区间比较，舍入范围内的差额不报。

    ## 原因
    合计是各组成之和；文字中加不平，说明某个数字写错了。

    ## 错误示例
    “‘三公’经费 58.46 万元……因公出国（境）费用 41.60 万元……公务接待费 9.46 万元……公务用车购置和
    运行维护费 8.40 万元”（三项之和 59.46）；“共有车辆 66 辆，其中一般公务用车 13 辆、执法执勤用车 38 辆、
    特种专业技术用车 16 辆”（和为 67）。

    ## 正确示例
    58.46 = 41.60 + 9.46 + 7.40；66 = 13 + 38 + 15。
    """
    by_section: dict[tuple[str, str], dict[str, Statement]] = {}
    read = {(st.para.index, st.pos) for st in statements(ctx)}
    for st in statements(ctx):
        by_section.setdefault((st.para.part, st.para.section), {}).setdefault(st.quantity.name, st)
    for found in by_section.values():
        for total, parts, what in DECOMPOSITIONS:
            if total not in found or any(p not in found for p in parts):
                continue
            t = found[total]
            ps = [found[p] for p in parts]
            if not all(_all_read(p.para, read) for p in ps):
                continue        # a part listed beside others the text names otherwise: perhaps not all of them
            tf = _amount(t.para, t.value, t.pos)
            pf = [(1, _amount(p.para, p.value, p.pos)) for p in ps]
            v = compare(tf, pf)
            if v.ok:
                continue
            s = fmt(sum((f.value for _, f in pf), Decimal(0)))
            f = hit(f"情况说明：{what}：各项之和 {s} 与所述合计 {tf.text} 不符（相差 {fmt(abs(v.right - v.left))}）",
                    [tf.where, *(f.where for _, f in pf)], [tf.text, s])
            yield f if t.sure and all(p.sure for p in ps) else _unchecked(f)
    for c in vehicle_counts(ctx):
        total = int(c.total[0])
        got = sum(int(n) for n, _ in c.items)
        if got != total:
            f = hit(f"情况说明：共有车辆 {total} 辆，其中所列各类车辆之和为 {got} 辆，不符",
                    [c.para.where(c.total[1])], [str(total), str(got)])
            yield f if c.para.sure(c.total[1]) else _unchecked(f)
