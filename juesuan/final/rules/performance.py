"""JS4xx — 预算绩效: the 自评表 against themselves, the tables and the narrative.

Owns the checks of 项目绩效自评表 (执行率 = B/A; unmet targets need a 偏差原因),
of the set of projects (Σ 执行数 vs 项目支出, project count), of the narrative's
project figures (五（三） highlights, 十三（三） items) against their 自评表 matched by
name, of the 部门整体绩效自评表's 元 totals against T5 × 10 000, and of the same
indicator quantity stated differently in 第四部分 and the 绩效 tables.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from itertools import accumulate, chain

from ...figures import CENT, WAN, fmt, places
from ...rules._memo import cached
from ...rules.context import Context, Fig, Finding, compare, hit, new_fig, per_check
from ...rules.identities import cell_fig
from ...rules.registry import rule
from ...rules.text import AMOUNT, NUM, PCT, norm, norm_text
from ...tables.identity import Cell
from ..forms import IndicatorRow, OverallTable, ProjectTable, key_work_rows
from .sections import department_overall, doc_overall, doc_projects, find_project, part_label, section
from .selfeval import form_label, form_where, scored_forms, unsure
from .sentences import LEAD_NUM, amount_in, para_where, place_at, ratio_finding, same_figure, searches, texts

# the 一般公共预算财政拨款支出决算表 totals the rules compare with (declared once: a Cell works out
# how its row is found when it is made)
_T5_BASIC = Cell("T5", "合计", "fund:basic")
_T5_PROJECT = Cell("T5", "合计", "fund:project")


_NUM_RE = re.compile(r"(\d+(?:\.\d+)?)(?:万元|万|元|%)?")


@cached(maxsize=4096)
def _num(text: str) -> Decimal | None:
    s = norm(text or "").replace(" ", "").replace(",", "")
    m = _NUM_RE.fullmatch(s)
    if not m:
        return None
    try:
        return Decimal(m.group(1))
    except InvalidOperation:  # pragma: no cover
        return None


def _project_where(p: ProjectTable, field: str) -> dict:
    loc = {"table": "项目绩效自评表：" + p.name, "column": field}
    src = p.source
    if src:
        for k in ("page", "line"):
            if k in src:
                loc[k] = src[k]
    return loc


_A, _B, _R = "预算数（A）", "执行数（B）", "执行率（B/A）"


@per_check
def _project_values(ctx: Context) -> list[tuple]:
    """Each 自评表 as (table, 预算数（A）, 执行数（B）, 执行率（B/A）, figures), read once per check for
    JS401–JS403.

    Cells written as plain numbers ("43.72", "32.27", "73.81%" with at most two decimals), as
    nearly all are, give just their values (Decimal) and no figures (None): their figures, made
    by :func:`_figs`, are wanted only for a finding. Any other cells give the values of their
    figures (None: not a number) and the figures themselves (:func:`_cells`)."""
    got = []
    for p in doc_projects(ctx):
        budget, actual, rate = p.budget, p.actual, p.rate
        if _FAST_CELLS_RE.fullmatch(f"{budget}\x00{actual}\x00{rate}") is not None:
            got.append((p, Decimal(budget), Decimal(actual), Decimal(rate[:-1]), None))
        else:
            t = _cells(p)
            got.append((p, *[None if f is None else f.value for f in t[1:]], t))
    return got


def _figs(entry: tuple) -> tuple[ProjectTable, Fig | None, Fig | None, Fig | None]:
    """The 自评表 of an entry of :func:`_project_values` with its three cells as figures (None: not
    a number). The figures have no place: a rule gives those in a finding theirs
    (:func:`_placed`, :func:`_project_where`)."""
    if entry[4] is not None:
        return entry[4]
    p, a, b, r, _ = entry     # plain numbers, read as _cells reads them (amounts with at least two decimals)
    return p, new_fig(a, max(2, places(p.budget)), p.budget), _actual_fig(entry), \
        new_fig(r, places(p.rate[:-1]), p.rate)


# the cells of _project_values read by value alone: 预算数 and 执行数 plain numbers, 执行率 a plain
# percentage with at most two decimals (JS401's quick test), joined by NUL (which no plain cell holds)
_FAST_CELLS_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?\x00[0-9]+(?:\.[0-9]+)?\x00[0-9]+(?:\.[0-9]{1,2})?%")
# the same, any 执行率 with decimals: _cells reads their figures from its groups
_PLAIN_CELLS_RE = re.compile(r"[0-9]+(?:\.([0-9]+))?\x00[0-9]+(?:\.([0-9]+))?\x00([0-9]+(?:\.([0-9]+))?)%")


def _cells(p: ProjectTable) -> tuple[ProjectTable, Fig | None, Fig | None, Fig | None]:
    """``p`` with its 预算数（A）, 执行数（B）, 执行率（B/A） as figures (None: not a number)."""
    budget, actual, rate = p.budget, p.actual, p.rate
    m = _PLAIN_CELLS_RE.fullmatch(f"{budget}\x00{actual}\x00{rate}")
    if m is None:
        return p, _amount_fig(budget), _amount_fig(actual), _rate_fig(rate)
    a, b, r, rd = m.groups()
    # as _amount_fig and _rate_fig read them: amounts have at least two decimals
    return (p, new_fig(Decimal(budget), max(2, len(a)) if a else 2, budget),
            new_fig(Decimal(actual), max(2, len(b)) if b else 2, actual),
            new_fig(Decimal(r), len(rd) if rd else 0, rate))


def _actual_fig(entry: tuple) -> Fig:
    """The 执行数（B） of an entry of :func:`_project_values` as a figure (:func:`_figs`), when a number."""
    if entry[4] is not None:
        return entry[4][2]
    text = entry[0].actual     # a plain number: as _cells reads it, with at least two decimals
    return new_fig(entry[2], max(2, places(text)), text)


def _placed(fig: Fig, p: ProjectTable, column: str) -> Fig:
    """``fig`` of :func:`_figs`, shown in ``column`` of ``p``."""
    return new_fig(fig.value, fig.decimals, fig.text, lambda: _project_where(p, column))


_PLAIN_RE = re.compile(r"[0-9]+(?:\.([0-9]+))?")


def _amount_fig(text: str) -> Fig | None:
    """A 万元 amount of a 自评表 (at least two decimals), None when it is no number."""
    m = _PLAIN_RE.fullmatch(text) if text else None
    if m is not None:
        # plain ASCII digits (nearly every cell) are already normal: no norm(), no _num()
        return Fig(Decimal(text), max(2, len(m.group(1) or "")), text)
    v = _num(text)
    if v is None:
        return None
    shown = norm(text).strip()
    return Fig(v, max(2, places(shown.rstrip("万元"))), shown)


def _rate_fig(text: str) -> Fig | None:
    """A 执行率 of a 自评表 ("73.83%"), None when it is no number."""
    r = (text or "").strip()
    m = _PLAIN_RE.fullmatch(r[:-1]) if r.endswith("%") else None
    if m is not None:     # "73.83%", as most are (see _amount_fig)
        return Fig(Decimal(m.group(0)), len(m.group(1) or ""), r)
    v = _num(r)
    return None if v is None else Fig(v, places(norm(r).rstrip("%").strip()), norm(r))


@rule("JS401", "project-execution-rate", "项目绩效自评表执行率 ≠ 执行数/预算数", "error", "performance",
      reads_tables=False)
def project_rates(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    每张项目绩效自评表的执行率（B/A）应等于执行数 B ÷ 预算数 A：所述百分比的区间与 B、A 区间之比
    有交集即成立（列示值不同报尾差提示）。例如 34.12 ÷ 35 按列示值为 97.49%，而真实执行数 34.115 时
    为 97.47%，写 97.47% 不算错。打分式自评表（项目和部门整体）的每个执行率同样等于全年执行数 ÷
    全年预算数（年度资金总额和列出执行率的各资金来源行）。

    ## 原因
    执行率由两个金额算出，算错说明金额或比率有误。

    ## 错误示例
    预算数 35，执行数 25.84，执行率 83.73%。

    ## 正确示例
    预算数 35，执行数 25.84，执行率 73.83%。
    """
    yield from _scored_rates(ctx)
    for e in _project_values(ctx):
        p, a, b, r, figs = e
        if a is None or b is None or r is None or not a:
            continue
        if (figs is None or figs[3].decimals <= 2) and r == (b / a * 100).quantize(CENT):
            continue      # the stated rate is B/A as shown, rounded: it agrees, without 尾差 (no message to make)
        _, a, b, r = _figs(e)
        f = ratio_finding(f"项目“{p.name}”执行率", r, b, a,
                           lambda p=p: [_project_where(p, _R), _project_where(p, _B), _project_where(p, _A)])
        if f is not None:
            yield unsure(f._replace(severity="warning") if f.tag == "truncated" else f, [p], "money")


def _scored_rates(ctx: Context) -> Iterator[Finding]:
    """JS401 for the rows of the scored forms the projects' headline check leaves: the 部门整体
    table's 年度资金总额 and every source row that prints a 执行率."""
    for f in scored_forms(ctx):
        rows = [("年度资金总额", f.budget, f.actual, f.rate)] if isinstance(f, OverallTable) else []
        rows += [(s.label, s.budget, s.actual, s.rate) for s in f.sources]
        for row, budget, actual, rate in rows:
            a, b, r = _amount_fig(budget), _amount_fig(actual), _rate_fig(rate)
            if a is None or b is None or r is None or not a.value:
                continue
            def where(f=f, row=row) -> list[dict]:
                return [form_where(f, col, row) for col in ("执行率", "全年执行数", "全年预算数")]
            found = ratio_finding(f"{form_label(f)}“{row}”执行率", r, b, a, where)
            if found is not None:
                yield unsure(found._replace(severity="warning") if found.tag == "truncated" else found,
                             [f], "money", "sources")


def _projects_sum(ctx: Context) -> Decimal | None:
    """Σ 执行数 of the 自评表 as shown (None: none, or one is no number)."""
    total = Decimal(0)
    values = _project_values(ctx)
    for _, _, b, _, _ in values:
        if b is None:
            return None
        total += b
    return total if values else None


@rule("JS402", "projects-sum-vs-project-spending", "各项目执行数之和与项目支出不符", "error", "performance")
def projects_sum(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    各项目绩效自评表执行数之和，与十三（一）所述自评资金比较；十三（一）未述及、或称占一般公共预算
    项目支出总额的 100% 时，也与一般公共预算财政拨款支出决算表合计行的项目支出比较（区间加总）。
    找不到十三（预算绩效情况说明）时不知自评是否覆盖全部项目，不与决算表比较。

    ## 原因
    绩效自评覆盖的资金应与决算表的项目支出对得上；十三（一）通常写“资金 x 万元，占一般公共预算项目
    支出总额的 100%”。

    ## 错误示例
    15 个项目执行数之和 940.71 万元，十三（一）写“资金 904.71 万元”。

    ## 正确示例
    两处都是 940.71 万元（各项目列示值之和与 940.70 在 15 个加数的舍入误差之内也成立）。
    """
    total = _projects_sum(ctx)
    if total is None:
        return
    targets: list[tuple[Fig, str]] = []
    full = True
    found = searches(ctx, "13", _FUNDS_RE)
    if found:
        i, m = found[0]
        targets.append((Fig.text_amount(m.group(1), para_where(ctx, "13", i, m.start(1))), "十三（一）所述自评资金"))
        full = m.group(2) is None or Decimal(m.group(2)) == 100
    elif section(ctx, "13") is None:
        full = False   # no 十三 read: whether the forms cover all project spending is not known
    t5 = cell_fig(ctx, _T5_PROJECT)
    if t5 is not None and full and not (targets and targets[0][0].value == t5.value):
        targets.append((t5, "一般公共预算财政拨款支出决算表项目支出"))
    for stated, what in targets:
        if total != stated.value:      # the displayed sum is the stated figure: holds without 尾差
            for f in _projects_vs(stated, what, _project_values(ctx), total):
                yield unsure(f, doc_projects(ctx), "money")


# "（共）涉及项目 n 个，资金 x 万元（，占……y%）": the optional 共 is left out (only the groups are
# used, and they are the same), so the pattern starts with a literal the regex engine skips to
_FUNDS_RE = re.compile(r"涉及项目\s*\d+\s*个[，,]\s*资金\s*" + AMOUNT + r"(?:[，,]\s*占[^%。]*?" + PCT + ")?")
_OVERALL_RE = re.compile(r"整体支出绩效自评[，,]\s*资金\s*" + AMOUNT)


def _projects_vs(stated: Fig, what: str, projects: list[tuple], total: Decimal) -> Iterator[Finding]:
    """Σ 执行数 of the 自评表 (entries of :func:`_project_values`, all numbers) against ``stated``."""
    v = compare(stated, [(1, _actual_fig(e)) for e in projects])
    if v.ok and not v.tail:
        return
    s_text = fmt(total)
    locs = [stated.where] + [_project_where(e[0], _B) for e in projects]
    if v.ok:
        yield hit(f"各项目执行数之和 {s_text} 万元与{what} {stated.text} 万元相差"
                  f" {fmt(abs(total - stated.value))}，在舍入误差范围内（尾差）",
                  locs, [stated.text, s_text], "info")
    else:
        yield hit(f"各项目执行数之和 {s_text} 万元与{what} {stated.text} 万元不符"
                  f"（相差 {fmt(abs(total - stated.value))}）", locs, [stated.text, s_text])


_HL_RE = re.compile(r"([^；。：，\d][^；。：，]*?)\s*" + AMOUNT + r"[，,]\s*主要成效")
_ITEM13_RE = re.compile(r"\d+\.\s*(.+?)项目绩效自评综述[：:]\s*项目全年预算数为\s*" + NUM
                        + r"\s*万元[，,]\s*执行数为\s*" + NUM + r"\s*万元(?:[，,]\s*完成预算的\s*" + PCT + ")?")


class _Shifted:
    """A match of a segment, with positions in the whole paragraph (for locations)."""

    def __init__(self, m: re.Match, offset: int):
        self._m, self._o = m, offset

    def group(self, i: int = 0):
        return self._m.group(i)

    def start(self, i: int = 0) -> int:
        return self._m.start(i) + self._o


def _highlights(text: str, start: int):
    """"项目支出主要用于 A 324.54万元，主要成效：…；B 259.98万元，主要成效：…" segment by segment."""
    pos = start
    for seg in text[start:].split("；"):
        # _HL_RE has no literal prefix (the engine tries every position): ask for its words first
        m = _HL_RE.search(seg) if "主要成效" in seg else None
        if m:
            yield _Shifted(m, pos)
        pos += len(seg) + 1


def _items13(text: str) -> Iterator[re.Match]:
    """``_ITEM13_RE.finditer(text)``, stopping when the rest of the text lacks the item's words:
    from every "1." on, the pattern's ".+?" runs to the end of the paragraph looking for them."""
    pos = 0
    while text.find("项目绩效自评综述", pos) >= 0:
        m = _ITEM13_RE.search(text, pos)
        if m is None:
            return
        yield m
        pos = m.end()


@rule("JS403", "narrative-project-vs-self-evaluation", "情况说明所引项目数字与项目绩效自评表不符", "error",
      "performance", reads_tables=False)
def narrative_projects(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    情况说明五（三）“项目支出主要用于 某项目 x 万元”和十三（三）“某项目……预算数为 a 万元，执行数为
    b 万元，完成预算的 r%”，按项目名称（忽略“经费”“项目”等后缀与空格）找到对应的项目绩效自评表，
    核对预算数、执行数和执行率（相差不超过 0.01 万元为尾差提示）。

    ## 原因
    同一项目的同一数字在文字和自评表中必须一致。

    ## 错误示例
    五（三）写“汉阳区市民热线工作服务平台及区人大履职系统运行经费 259.98 万元”，其自评表执行数 261.25。

    ## 正确示例
    两处都是 261.25 万元。
    """
    # id(自评表) → its entry of _project_values, at the first project named. The usual case, a
    # figure in the 自评表's own words (equal displayed figures agree, see same_figure), is answered by
    # the words: a plain cell is its figure's text
    entries: dict[int, tuple] | None = None
    for i, text in enumerate(texts(ctx, "5")):
        j = text.find("主要用于")
        if j < 0 or "项目支出" not in text[:j]:
            continue
        for m in _highlights(text, j + 4):
            p = find_project(ctx, m.group(1).strip())
            if p is None:
                continue
            if entries is None:
                entries = {id(e[0]): e for e in _project_values(ctx)}
            e = entries[id(p)]
            _, _, b, _, figs = e
            amount = m.group(2)
            if b is None or amount == (p.actual if figs is None else figs[2].text) or Decimal(amount) == b:
                continue       # equal displayed figures agree (see same_figure); the same words first
            f = same_figure(f"{m.group(1).strip()}（执行数）", amount_in(ctx, "5", i, m, 2),
                            _placed(_figs(e)[2], p, _B))
            if f is not None:
                yield unsure(f, [p], "money")
    for i, text in enumerate(texts(ctx, "13")):
        for m in _items13(text):
            p = find_project(ctx, m.group(1).strip())
            if p is None:
                continue
            if entries is None:
                entries = {id(e[0]): e for e in _project_values(ctx)}
            e = entries[id(p)]
            budget, actual, t = m.group(2, 3, 4)
            if e[4] is None:
                if budget == p.budget and actual == p.actual and (not t or t + "%" == p.rate):
                    continue
                _, a, b, r = _figs(e)
            else:
                _, a, b, r = e[4]
                if a is not None and b is not None and budget == a.text and actual == b.text and \
                        (not t or r is not None and t + "%" == r.text):
                    continue
            for fig, g, label, column in ((a, 2, "预算数", _A), (b, 3, "执行数", _B)):
                if fig is None or Decimal(m.group(g)) == fig.value:
                    continue   # equal displayed figures agree (see same_figure)
                f = same_figure(f"{p.name}{label}", amount_in(ctx, "13", i, m, g), _placed(fig, p, column))
                if f is not None:
                    yield unsure(f, [p], "money")
            if r is not None and t and Decimal(t) != r.value:   # equal: the intervals meet
                r = _placed(r, p, _R)
                stated = Fig(Decimal(t), max(2, places(t)), t + "%", place_at(ctx, "13", i, m.start(4)))
                rr = r.derive(decimals=max(2, r.decimals))
                v = compare(rr, [(1, stated)])
                if not v.ok:
                    yield unsure(hit(f"十三（三）“{p.name}”完成预算的 {t}%，自评表执行率为 {r.text}",
                                     [stated.where, r.where], [t + "%", r.text]), [p], "money")


_CMP = {"≥": "ge", ">": "gt", "≤": "le", "<": "lt", "＞": "gt", "＜": "lt", "≧": "ge", "≦": "le", "不低于": "ge",
        "不少于": "ge", "不高于": "le", "不超过": "le", "以上": "ge", "以下": "le"}
_Q_RE = re.compile(r"^(≥|>|≤|<|＞|＜|≧|≦|不低于|不少于|不高于|不超过)?\s*(\d+(?:\.\d+)?)\s*([^\d\s]*?)\s*"
                   r"(以内|以上|以下|内|左右)?$")
_LOWER_BETTER_UNITS = ("分钟", "小时", "天", "日", "工作日", "秒")
_LOWER_BETTER_WORDS = ("时间", "时长", "故障", "事故", "投诉率", "差错", "控制率", "成本")
_LOWER_BETTER_RE = re.compile("|".join(_LOWER_BETTER_WORDS))   # any of them, in one search
_STRICT = re.compile("[<>＜＞]").search    # what a strict comparison of _Q_RE is written with


@cached(maxsize=4096)
def _quantity(text: str):
    s = norm(text or "").strip().replace(" ", "")
    m = _Q_RE.match(s)
    if not m:
        return None
    unit = m.group(3).replace("万元", "万").replace("元", "")
    return _CMP.get(m.group(1) or "", None), Decimal(m.group(2)), unit, m.group(4)


def _unmet(ind: IndicatorRow) -> bool:
    target, actual = ind.target, ind.actual
    if target == actual and (not target or _STRICT(target) is None):
        return False      # the same words ("100%" and "100%"): met, unless "> x" (x is not > x)
    t, a = _quantity(target), _quantity(actual)
    if t is None or a is None:
        return False
    op, tv, tu, _ = t
    _, av, au, _ = a
    if tu and au and tu != au:
        return False
    if op is None:
        lower = (tu or au) in _LOWER_BETTER_UNITS or _LOWER_BETTER_RE.search(ind.level3) is not None
        op = "le" if lower else "ge"
    if op == "ge":
        return not av >= tv
    if op == "gt":
        return not av > tv
    if op == "le":
        return not av <= tv
    return not av < tv


@rule("JS404", "unmet-target-without-reason", "绩效指标未达目标值却未说明偏差原因", "warning", "performance",
      reads_tables=False)
def unmet_targets(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    逐条比较绩效自评表（项目和部门整体）的年初目标值与实际完成值：有比较符（≥、≤、>、<）的按比较符；
    没有的，时间类单位（分钟、工作日……）和“时间、故障、事故、成本、控制率”类指标按“越小越好”，其余
    按“越大越好”；单位不同或不是数量的不比较。实际值劣于目标值而“偏差大或目标未完成原因分析”为空的，
    报警告（打分式自评表中该指标自己的“偏差原因分析及改进措施”写了原因的除外）。

    ## 原因
    绩效自评要求对未完成的目标说明原因并提出改进措施。

    ## 错误示例
    目标“全年完成周报数量 52 篇”，实际“9 篇”，偏差原因栏为空。

    ## 正确示例
    偏差原因栏写明“为提升督办效率，将周报改为日报，全年完成日报 365 篇”。
    """
    tables: list[tuple[ProjectTable | None, list[IndicatorRow], str, ProjectTable | OverallTable]] = [
        (p, p.indicators, p.deviation, p) for p in doc_projects(ctx)]
    tables += [(None, o.indicators, o.deviation, o) for o in ctx.doc.forms if type(o) is OverallTable]
    for p, inds, deviation, form in tables:
        if (deviation or "").strip():
            continue
        bad = [i for i in inds if not (i.note and i.note.strip()) and _unmet(i)]
        if not bad:
            continue
        who = "部门整体" if p is None else f"项目“{p.name}”"
        where = {"table": "部门整体绩效自评表", "column": "偏差原因"} if p is None else _project_where(p, "偏差原因")
        for i in bad:
            yield unsure(hit(f"{who}绩效指标“{i.level3}”目标值 {i.target}，实际完成 {i.actual}，"
                             "未达目标却未说明偏差原因", [where | {"row": i.level3}], [i.target, i.actual]),
                         [form], "indicators", warnings=True)


@rule("JS405", "overall-yuan-vs-tables", "部门整体绩效自评表的元数与决算表不符", "error", "performance")
def overall_yuan(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    部门整体绩效自评表以元列示的基本支出总额、项目支出总额，除以 10000 后分别与一般公共预算财政
    拨款支出决算表合计行的基本支出、项目支出比较；十三（二）所述整体自评资金与二者之和比较。元数是
    精确数，万元数是区间；超出区间但不超过 0.01 万元（舍位平衡可能移动单个数字）报提示（尾差）。

    ## 原因
    整体自评的资金就是本年决算支出。

    ## 错误示例
    整体自评表项目支出总额 9407064.37 元，决算表项目支出 904.71 万元。

    ## 正确示例
    9407064.37 元 = 940.706437 万元，在 940.71 万元的区间 [940.705, 940.715] 内。
    """
    o = department_overall(ctx)
    if o is None:
        return
    unit = Decimal(1) if (o.unit or "元") == "元" else WAN
    total = Decimal(0)
    ok = True
    for text, cell, name in ((o.basic_total, _T5_BASIC, "基本支出"), (o.project_total, _T5_PROJECT, "项目支出")):
        v = _num(text)
        if v is None:
            ok = False
            continue
        wan = v * unit / WAN
        total += wan
        table = cell_fig(ctx, cell)
        if table is None:
            continue
        stated = Fig.exact(wan, f"{text}元", {"table": "部门整体绩效自评表", "column": f"{name}总额"})
        f = _same_yuan(name, stated, table)
        if f is not None:
            yield unsure(f, [o], "money")
    if not ok:
        return
    for i, m in searches(ctx, "13", _OVERALL_RE):
        stated = Fig.text_amount(m.group(1), para_where(ctx, "13", i, m.start(1)))
        exact = Fig.exact(total, fmt(total, 6), {"table": "部门整体绩效自评表", "column": "基本支出总额+项目支出总额"})
        v = compare(stated, [(1, exact)], single_allowance=True)
        if not v.ok:
            yield unsure(hit(f"十三（二）整体自评资金 {stated.text} 万元，与整体绩效自评表基本、项目支出总额之和 "
                             f"{fmt(total, 6)} 万元不符", [stated.where, exact.where], [stated.text, fmt(total, 6)]),
                         [o], "money")


def _same_yuan(name: str, stated: Fig, table: Fig) -> Finding | None:
    if table.iv.contains(stated.value):
        return None       # the exact 元 figure lies in the 万元 figure's interval (so they also overlap)
    v = compare(table, [(1, stated)], single_allowance=True)
    wan = fmt(stated.value, 6)
    if v.ok:
        return hit(f"部门整体绩效自评表{name}总额 {stated.text}（{wan} 万元）与决算表 {table.text} 万元相差不超过"
                   f" 0.01 万元（尾差）", [stated.where, table.where], [stated.text, table.text], "info")
    return hit(f"部门整体绩效自评表{name}总额 {stated.text}（{wan} 万元）与决算表 {table.text} 万元不符",
               [stated.where, table.where], [stated.text, table.text])


_KW_UNITS = r"(万次|万人次|万条|万|次|人次|件|个|篇|条)"
_KW_Q = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:共|近|约|达|为)?\s*(\d+(?:\.\d+)?)\s*" + _KW_UNITS)
# _KW_Q from its number on, read from the first digit of a run (see narrative._LEAD_NUM: the
# regex engine skips ahead to a digit, where "\d+" would be tried at every position)
_KW_TAIL = re.compile(LEAD_NUM + r"\s*" + _KW_UNITS)
# the Chinese characters (at least two) from a position to the end of a stretch
_KW_RUN = re.compile(r"[\u4e00-\u9fff]{2,}+\Z")
_KW_PARTICLES = "共近约达为"        # the optional word of _KW_Q before the number
_KW_END_WORDS = ("累计", "全年", "共", "近", "约", "达", "为")
_KW_END = re.compile(r"(累计|全年|共|近|约|达|为)$")     # one of _KW_END_WORDS, dropped from a phrase


def _kw_quantities(text: str) -> Iterator[tuple[int, str, str, str]]:
    """``(m.start(), m.group(1), m.group(2), m.group(3))`` of the matches m of
    ``_KW_Q.finditer(text)`` (where the phrase starts, the phrase, the number, the unit),
    worked out from the number on.

    _KW_Q starts with a lazy run of 2–12 Chinese characters: the regex engine tries it at
    every position of the text. Every match ends in a number+unit (_KW_TAIL, found fast by
    its digit; a match resumes after the previous one, which ends with its unit, so each
    _KW_TAIL match is one _KW_Q could use) and, before the number, has only Chinese
    characters (the phrase, plus one of 共近约达为) and spaces. So there is a match with the
    number if and only if at least two Chinese characters come just before the spaces in
    front of it (counted from the end of the previous match on; a match starting further
    back would use an earlier number). The lazy phrase is then the shortest that leaves the
    rest to the pattern: from the start of that run of characters (at most 13 back), up to
    the optional word when it has two characters left, else up to the spaces; a run of 13
    without that word starts one later (the phrase has at most 12 characters).
    """
    pos = 0
    for t in _KW_TAIL.finditer(text):
        w = t.start()
        while w > pos and text[w - 1].isspace():
            w -= 1
        r = _KW_RUN.search(text, max(pos, w - 13), w)
        if r is None:
            continue
        s = r.start()
        if w - s >= 3 and text[w - 1] in _KW_PARTICLES:
            phrase = text[s:w - 1]
        else:
            if w - s == 13:
                s += 1
            phrase = text[s:w]
        yield s, phrase, t.group(1), t.group(2)
        pos = t.end()


def _unit_family(u: str) -> str:
    return "万" if u.startswith("万") else u


def _key_work_texts(ctx: Context, places: bool = False) -> list:
    """The texts of 第四部分 (paragraphs of its sections, its own paragraphs, then the 重点工作完成情况表
    targets) — with their places when ``places`` (only wanted for a finding: see
    :func:`_key_work_where`)."""
    out: list = []
    p = ctx.doc.part("key_work")
    label = part_label(ctx, "key_work") if places else ""
    if p is not None:
        for s in p.walk():
            for para in s.paragraphs:
                out.append((para.text, {"part": label, "section": s.number, "sentence": para.text})
                           if places else para.text)
        for para in p.paragraphs:
            out.append((para.text, {"part": label, "sentence": para.text}) if places else para.text)
    for r in key_work_rows(ctx.doc):
        out.append((r.target, {"part": label, "table": "重点工作完成情况表", "row": r.number, "sentence": r.target})
                   if places else r.target)
    return out


def _key_work_where(ctx: Context, texts: list[str], at: int) -> dict:
    """The place of position ``at`` of the :func:`_key_work_texts` ``texts``, normalised and joined by NUL."""
    ends = list(accumulate([len(t) + 1 for t in texts]))
    return _key_work_texts(ctx, True)[bisect_right(ends, at)][1]


def _indicators(ctx: Context) -> tuple[list[str | ProjectTable], list[int], list[IndicatorRow], str]:
    """The 绩效自评表 (部门整体 first, then the projects), the number of indicators up to the end of
    each, all indicators in that order, and their names joined by NUL — in which a phrase's key
    (which holds no NUL) is found in one substring search, and the indicator at a position of it
    is the one after as many NULs as come before."""
    tables: list[str | ProjectTable] = list(doc_projects(ctx))
    lists = [p.indicators for p in tables]
    if doc_overall(ctx) is not None:
        tables.insert(0, "部门整体绩效自评表")
        lists.insert(0, doc_overall(ctx).indicators)
    inds = list(chain.from_iterable(lists))
    names = "\x00".join([i.level3 for i in inds])
    if names.count("\x00") >= len(inds):     # a name holding a NUL itself (keys are Chinese characters)
        names = "\x00".join([i.level3.replace("\x00", " ") for i in inds])
    return tables, list(accumulate(map(len, lists))), inds, names


@rule("JS406", "indicator-stated-differently", "同一指标在重点工作与绩效自评表中数值不同", "warning",
      "performance", reads_tables=False)
def same_indicator(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    第四部分（重点工作完成情况）中带数量的说法（如“区政府门户网站累计访问量 140.5853 万次”），与
    绩效自评表中名称含同一关键词（如“访问量”）、单位相同（万次与万视为相同）的指标实际完成值比较，
    数值不同的报警告。

    ## 原因
    同一指标在同一份公开文件里应只有一个数。

    ## 错误示例
    重点工作写“累计访问量 140.5853 万次”，整体绩效自评表“区政府网站全年累计访问量”实际完成 181.95 万。

    ## 正确示例
    两处都写 181.95 万次（或注明统计口径不同）。
    """
    # the texts are scanned together, joined by NUL: no match of _KW_Q (Chinese characters,
    # spaces, digits, units) runs over one, and the place of a text is wanted only for a finding
    texts = [norm_text(t) for t in _key_work_texts(ctx)]
    words = "\x00".join(texts)
    indicators = None           # see _indicators: made at the first quantity found
    groups: dict[tuple, tuple[str, int, list[tuple[str, IndicatorRow]]]] = {}
    for start, phrase, number, unit in _kw_quantities(words):
        if phrase.endswith(_KW_END_WORDS):
            phrase = _KW_END.sub("", phrase)
        if len(phrase) < 2:
            continue
        key = phrase[-3:]
        if indicators is None:
            indicators = _indicators(ctx)
        tables, ends, inds, names = indicators
        at = names.find(key)
        if at < 0:
            continue      # most phrases name no indicator
        value, family = Decimal(number), _unit_family(unit)
        while at >= 0:
            k = names.count("\x00", 0, at)        # the indicator whose name holds the key
            ind = inds[k]
            at = names.find("\x00", at)
            at = -1 if at < 0 else names.find(key, at)
            q = _quantity(ind.actual)
            if q is None:
                continue
            _, av, au, _ = q
            if _unit_family(au) != family or av == value:
                continue
            table = tables[bisect_right(ends, k)]
            tname = table if isinstance(table, str) else f"项目绩效自评表：{table.name}"
            stated = f"{number}{unit}"
            g = groups.setdefault((stated, ind.actual), (phrase, start, []))
            if all(t != tname for t, _, _ in g[2]):
                g[2].append((tname, ind, doc_overall(ctx) if isinstance(table, str) else table))
    for (stated, actual), (phrase, at, inds) in groups.items():
        where = _key_work_where(ctx, texts, at)
        tname, ind, _ = inds[0]
        more = f"等 {len(inds)} 张表" if len(inds) > 1 else ""
        yield unsure(hit(f"“{phrase}”在{where.get('part', '第四部分')}为 {stated}，"
                         f"{tname}{more}“{ind.level3}”实际完成值为 {actual}",
                         [where] + [{"table": t, "row": i.level3, "column": "实际完成值"} for t, i, _ in inds],
                         [stated, actual]), [f for _, _, f in inds], "indicators", warnings=True)


_COUNT_RE = re.compile(r"共\s*涉及(?:项目)?\s*(\d+)\s*个")


@rule("JS407", "project-count", "自评项目个数与项目绩效自评表张数不符", "warning", "performance", reads_tables=False)
def project_count(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    十三（一）“共涉及项目 n 个”、十三（三）“共涉及 n 个一级项目”与所附项目绩效自评表的张数比较。

    ## 原因
    文字所述的自评项目应全部附表公开。

    ## 错误示例
    十三（三）“共涉及 15 个一级项目”，附件只有 14 张项目绩效自评表。

    ## 正确示例
    15 个项目、15 张自评表。
    """
    n = len(doc_projects(ctx))
    if not n:
        return
    for i, text in enumerate(texts(ctx, "13")):
        for m in _COUNT_RE.finditer(text):
            if int(m.group(1)) != n:
                yield hit(f"称共涉及 {m.group(1)} 个项目，项目绩效自评表有 {n} 张",
                          [place_at(ctx, "13", i, m.start())], [m.group(1), str(n)])
