"""JS408–JS414 — the figures of the 绩效自评表 themselves, and the 部门整体 table against the rest.

Owns the checks every figure of a 自评表 invites: 得分 never above its 分值 (JS408), 分值 and 得分
adding up to 总分 (JS409), the 预算执行率 score = 分值 × 执行率 (JS410), every percentage in its
range (JS411), the sources of the money adding up to 年度资金总额 (JS412), the 部门整体 table's
money against the 决算表 and 情况说明 (JS413), and the scores and grade the 情况说明 quotes
(JS414). The scored form (财预〔2020〕10号) has all of these; the simple one (预算数/执行数/执行率)
only percentages.

Also the helpers every JS4 rule shares: where a 自评表 figure is shown (:func:`form_where`), and
:func:`unsure` — a 自评表 read back from a document says what its reader could not place for sure
(``form.unsure``: money, sources, scores, indicators); an error resting on such figures becomes
"无法核对" (info), as the engine does for table cells (:mod:`juesuan.rules.certainty`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import chain
from operator import attrgetter

from ...figures import ZERO, fmt, parse_number, places
from ...rules._memo import cached
from ...rules.certainty import unchecked
from ...rules.context import Context, Fig, Finding, compare, hit, per_check
from ...rules.identities import cell_fig
from ...rules.registry import rule
from ...rules.text import NUM, norm
from ...tables.identity import Cell
from ..forms import SCORED, IndicatorRow, OverallTable, ProjectTable
from .sections import department_overall, doc_projects, find_project
from .sentences import para_where, place_at, searches, texts

__all__ = ["form_label", "form_where", "unsure", "all_forms", "scored_forms"]

Form = ProjectTable | OverallTable

_HUNDRED = Decimal(100)


def form_label(f: Form) -> str:
    return "部门整体绩效自评表" if isinstance(f, OverallTable) else f"项目绩效自评表：{f.name}"


def _who(f: Form) -> str:
    return "部门整体绩效自评表" if isinstance(f, OverallTable) else f"项目“{f.name}”自评表"


def form_where(f: Form, column: str, row: str | None = None) -> dict:
    """The place of a figure of ``f``: the form (and project), its row and column, page and line."""
    loc: dict = {"table": form_label(f), "column": column}
    if row:
        loc["row"] = row
    for k in ("page", "line"):
        if k in f.source:
            loc[k] = f.source[k]
    return loc


def unsure(finding: Finding, forms: Iterable[Form], *fields: str, warnings: bool = False) -> Finding:
    """``finding`` made "无法核对" (info) when it is an error (or, with ``warnings``, a warning) and a
    form it rests on was read with one of ``fields`` not placed for sure. (A finding without a
    severity has its rule's: an error, or with ``warnings`` a warning rule's.)"""
    if (finding.severity or "error") not in (("error", "warning") if warnings else ("error",)):
        return finding
    why = [f"{form_label(f)}中{f.unsure[k]}" for f in forms for k in fields if k in f.unsure]
    return unchecked(finding, why) if why else finding


@per_check
def all_forms(ctx: Context) -> list[Form]:
    """The 部门整体绩效自评表 (first) and the 项目绩效自评表 of the document."""
    return [f for f in ctx.doc.forms if type(f) is OverallTable] + list(doc_projects(ctx))


def _number(text: str) -> Decimal | None:
    """A 自评表 figure as printed ("9.5", "96.15%", "1,294.48"), read by the one reader of printed
    figures; None when blank or not a number."""
    s = norm(text or "").strip()
    try:
        return parse_number(s[:-1] if s.endswith("%") else s)
    except ValueError:
        return None


def _fig(text: str, where: dict, min_decimals: int = 0) -> Fig | None:
    """A figure of a 自评表 as shown (a score "9.5", a rate "96.15%", an amount "35.00"), None when
    blank or no number; amounts are read with at least two decimals (they are 万元)."""
    v = _number(text)
    if v is None:
        return None
    shown = norm(text).strip()
    return Fig(v, max(min_decimals, places(shown.rstrip("%"))), shown, where)


def _score_rows(f: Form) -> list[tuple[str, str, str, str]]:
    """(row label, 分值, 得分, where-row) of the scored rows of ``f``: 预算执行率, then each indicator."""
    rows = [("预算执行率", f.weight, f.score, "年度资金总额")]
    for k, i in enumerate(f.indicators, 1):
        rows.append((i.level3 or f"第{k}条指标", i.weight, i.score, i.level3 or f"第{k}条指标"))
    return rows


def _scored(f: Form) -> bool:
    return f.layout == SCORED or bool(f.total_weight or f.total_score)


@per_check
def scored_forms(ctx: Context) -> list[Form]:
    """The forms of :func:`all_forms` in the scored layout (or printing a 总分)."""
    return [f for f in all_forms(ctx) if f.layout == SCORED or f.total_weight or f.total_score]


# ----------------------------------------------------------------------------- JS408

@rule("JS408", "score-over-weight", "绩效自评表得分超过分值", "error", "performance", reads_tables=False)
def score_over_weight(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    打分式绩效自评表（财预〔2020〕10号格式）中，预算执行率和每条绩效指标的得分都不能超过其分值，总分
    行的得分不能超过总分的分值（100）。按列示值的区间比较：得分区间的下限高于分值区间的上限才报错。

    ## 原因
    得分是按完成情况在分值范围内打出的，超过分值说明打分或录入有误。

    ## 错误示例
    “服务对象满意度”分值 10，得分 12。

    ## 正确示例
    分值 10，得分 9.5（满意度 95%）。
    """
    for f in scored_forms(ctx):
        rows = _score_rows(f) + [("总分", f.total_weight, f.total_score, "总分")]
        for label, w, s, row in rows:
            wf = _fig(w, form_where(f, "分值", row))
            sf = _fig(s, form_where(f, "得分", row))
            if wf is None or sf is None or sf.iv.lo <= wf.iv.hi:
                continue
            yield unsure(hit(f"{_who(f)}“{label}”得分 {sf.text} 超过分值 {wf.text}",
                             [sf.where, wf.where], [sf.text, wf.text]), [f], "scores", "total")


# ----------------------------------------------------------------------------- JS409

@rule("JS409", "score-sums", "绩效自评表分值、得分之和与总分不符", "error", "performance", reads_tables=False)
def score_sums(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    打分式绩效自评表的总分行：分值应等于预算执行率分值与各条指标分值之和，得分应等于各项得分之和
    （区间加总：每个列示值代表其末位半个单位的区间，任何真实值都对不上才报错）。区间内但列示值之和与
    总分相差 1 分以上的报警告（得分若是四舍五入的结果才可能如此，请核对），相差不足 1 分的为尾差提示；
    总分的分值不是 100 的报警告。

    ## 原因
    总分由各项得分相加得出，自评等级又由总分决定；加错会使自评结论失真。

    ## 错误示例
    预算执行率得分 9.62，五条指标得分 18、18、18、18、18，总分写 89.62（应为 99.62）。

    ## 正确示例
    总分：分值 100，得分 99.62。
    """
    for f in scored_forms(ctx):
        rows = _score_rows(f)
        for col, total_text, k in (("分值", f.total_weight, 1), ("得分", f.total_score, 2)):
            total = _fig(total_text, form_where(f, col, "总分"))
            if total is None:
                continue
            parts = [_fig(r[k], form_where(f, col, r[3])) for r in rows]
            if any(p is None for p in parts):
                continue        # a blank 分值/得分: the sum is not known
            figs = [p for p in parts if p is not None]
            v = compare(total, [(1, p) for p in figs])
            shown = sum((p.value for p in figs), ZERO)
            where = [total.where] + [p.where for p in figs]
            if not v.ok:
                yield unsure(hit(f"{_who(f)}各项{col}之和 {fmt(shown, _dec(figs))} 与总分行{col} {total.text} 不符"
                                 f"（相差 {fmt(abs(shown - total.value), _dec(figs + [total]))}）",
                                 where, [total.text, fmt(shown, _dec(figs))]), [f], "scores", "total")
            elif shown != total.value:
                gap = abs(shown - total.value)
                severity = "warning" if gap >= 1 else "info"
                tail = "；如各项得分是四舍五入后的整数，可在舍入误差内，请核对" if severity == "warning" else "（尾差）"
                yield unsure(hit(f"{_who(f)}各项{col}之和 {fmt(shown, _dec(figs))} 与总分行{col} {total.text} 相差 "
                                 f"{fmt(gap, _dec(figs + [total]))}{tail}", where,
                                 [total.text, fmt(shown, _dec(figs))], severity),
                             [f], "scores", "total", warnings=True)
        w = _fig(f.total_weight, form_where(f, "分值", "总分"))
        if w is not None and w.value != _HUNDRED:
            yield unsure(hit(f"{_who(f)}总分的分值为 {w.text}，应为 100", [w.where], [w.text], "warning"),
                         [f], "total", warnings=True)


def _dec(figs: list[Fig]) -> int:
    return max((min(f.decimals, 4) for f in figs), default=0)


# ----------------------------------------------------------------------------- JS410

@rule("JS410", "execution-rate-score", "预算执行率得分与分值×执行率不符", "warning", "performance",
      reads_tables=False)
def rate_score(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    打分式绩效自评表中，预算执行率的得分按财预〔2020〕10号的评分规则应为“分值 × 执行率”，最高为分值。
    按列示值的区间比较，对不上的报警告（有的地方另定评分细则）。

    ## 原因
    执行率得分是算出来的，与执行率不符说明得分或执行率有误。

    ## 错误示例
    分值 10，执行率 61.00%，得分 9。

    ## 正确示例
    分值 10，执行率 61.00%，得分 6.1。
    """
    for f in scored_forms(ctx):
        w = _fig(f.weight, form_where(f, "分值", "年度资金总额"))
        r = _fig(f.rate, form_where(f, "执行率", "年度资金总额"))
        s = _fig(f.score, form_where(f, "得分", "年度资金总额"))
        if w is None or r is None or s is None:
            continue
        r_lo, r_hi = (min(x, _HUNDRED) for x in (r.iv.lo, r.iv.hi))
        lo, hi = w.iv.lo * r_lo / _HUNDRED, w.iv.hi * r_hi / _HUNDRED
        if s.iv.hi < lo or s.iv.lo > hi:
            expect = (w.value * min(r.value, _HUNDRED) / _HUNDRED).quantize(Decimal("0.01"))
            yield unsure(hit(f"{_who(f)}预算执行率得分 {s.text} 与分值 {w.text} × 执行率 {r.text} = "
                             f"{fmt(expect)} 不符", [s.where, w.where, r.where], [s.text, fmt(expect)]),
                         [f], "money", warnings=True)


# ----------------------------------------------------------------------------- JS411

# indicators measured as a share of something that cannot exceed the whole
_BOUNDED = re.compile(r"满意度|满意率|合格率|达标率|覆盖率|办结率|及时率|准确率|知晓率|正确率|到位率|响应率|受理率|"
                      r"参与率|普及率|出勤率|上线率|在线率|完好率|执行率|使用率|公开率|回复率")
_PCT_IN = re.compile(r"(-?\d+(?:\.\d+)?)\s*%")


@rule("JS411", "percentage-range", "绩效自评表百分比超出合理范围", "warning", "performance", reads_tables=False)
def percentage_range(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    绩效自评表中的百分比应在合理范围内：执行率（全年执行数/全年预算数）不应为负、不应超过 100%；
    满意度、合格率、覆盖率、办结率、及时率等“部分占整体”的指标，目标值和完成值不超过 100%；任何
    百分比为负或超过 1000% 都报警告。

    ## 原因
    “1000%”之类的数多是录入时多打或少打了小数点、零，审核人员应看到。

    ## 错误示例
    执行率 1000%；服务对象满意度实际完成值 950%。

    ## 正确示例
    执行率 100%；满意度 95%。
    """
    forms = all_forms(ctx)
    for f in forms:
        if f.sources or _beyond(f.rate):
            yield from _rate_range(f)
    # the indicator values with a percentage beyond 0–100: every distinct value (they repeat:
    # "100%", "≥90%") looked at once; nearly always none or one
    inds = list(chain.from_iterable(f.indicators for f in forms))
    beyond = set(filter(_beyond, set(map(_TARGET, inds)) | set(map(_ACTUAL, inds))))
    if not beyond:
        return
    for f in forms:
        if beyond.isdisjoint(map(_TARGET, f.indicators)) and beyond.isdisjoint(map(_ACTUAL, f.indicators)):
            continue
        for k, i in enumerate(f.indicators, 1):
            if i.target in beyond:
                yield from _indicator_range(f, i, k, "年初目标值", i.target)
            if i.actual in beyond:
                yield from _indicator_range(f, i, k, "实际完成值", i.actual)


def _rate_range(f: Form) -> Iterator[Finding]:
    """JS411 for the 执行率 of ``f`` (年度资金总额 and the sources' rows)."""
    for row, text in [("年度资金总额", f.rate)] + [(s.label, s.rate) for s in f.sources]:
        if not _beyond(text):
            continue
        r = _fig(text, form_where(f, "执行率", row))
        if r is None or ZERO <= r.value <= _HUNDRED:
            continue
        why = "为负" if r.value < 0 else "超过 100%，全年执行数不应超过全年预算数"
        yield unsure(hit(f"{_who(f)}“{row}”执行率 {r.text} {why}", [r.where], [r.text]),
                     [f], "money", "sources", warnings=True)


_TARGET, _ACTUAL = attrgetter("target"), attrgetter("actual")


@cached(maxsize=4096)
def _beyond(text: str) -> bool:
    """Does ``text`` hold a percentage below 0 or above 100? (Values are read and built with "%":
    the reader makes a full-width ％ half-width.)"""
    if "%" not in text or _SMALL_PCT.fullmatch(text) is not None:
        return False
    return any(not ZERO <= Decimal(m.group(1)) <= _HUNDRED for m in _PCT_IN.finditer(norm(text)))


# a percentage from 0 to 100 as most are written ("100%", "95.79%", "≥90%"): nothing to say, said at once
_SMALL_PCT = re.compile(r"[≥≤<>＞＜≧≦]?(?:100(?:\.0+)?|\d{1,2}(?:\.\d+)?)%(?:以上|以下|以内|左右)?")
_WIDE = re.compile("[０-９％．－]")


def _indicator_range(f: Form, i: IndicatorRow, k: int, col: str, text: str) -> Iterator[Finding]:
    """JS411 for one target or actual value of an indicator holding a percentage."""
    for m in _PCT_IN.finditer(norm(text) if _WIDE.search(text) else text):
        v = Decimal(m.group(1))
        if ZERO <= v <= _HUNDRED:
            continue
        name = i.level3 or f"第{k}条指标"
        bounded = _BOUNDED.search(name) is not None
        if v < 0 or v > 1000 or bounded:
            why = "为负" if v < 0 else "超过 100%（占比类指标不超过 100%）" if bounded and v <= 1000 \
                else "超过 1000%"
            yield unsure(hit(f"{_who(f)}指标“{name}”{col} {text} {why}",
                             [form_where(f, col, name)], [text]), [f], "indicators", warnings=True)


# ----------------------------------------------------------------------------- JS412

_COLS = (("initial", "年初预算数"), ("budget", "全年预算数"), ("actual", "全年执行数"))


@rule("JS412", "sources-sum", "绩效自评表资金来源之和与年度资金总额不符", "error", "performance",
      reads_tables=False)
def sources_sum(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    打分式绩效自评表中，年度资金总额下“其中”各行（当年财政拨款、上年结转资金、其他资金；部门整体表
    按支出性质的基本支出、项目支出等，每组分别）之和，逐栏（年初预算数、全年预算数、全年执行数）等于
    年度资金总额（区间加总；同一栏各行都空的不比；空格按 0）。

    ## 原因
    年度资金总额就是其各来源之和；对不上说明某一栏漏填或填错。

    ## 错误示例
    年度资金总额全年执行数 79.62，其中当年财政拨款 71.65、上年结转资金 9.96。

    ## 正确示例
    71.65 + 7.97 = 79.62（两位小数的舍入差在区间内）。
    """
    for f in all_forms(ctx):
        if not f.sources:
            continue
        groups: dict[int, list] = {}
        for s in f.sources:
            groups.setdefault(s.group, []).append(s)
        for rows in groups.values():
            for attr, col in _COLS:
                total = _fig(getattr(f, attr), form_where(f, col, "年度资金总额"), 2)
                texts_ = [getattr(s, attr) for s in rows]
                if total is None or not any(t.strip() for t in texts_):
                    continue
                parts = [_fig(t, form_where(f, col, s.label), 2) if t.strip() else Fig(ZERO, 2, "（空）",
                         form_where(f, col, s.label)) for t, s in zip(texts_, rows)]
                if any(p is None for p in parts):
                    continue
                figs = [p for p in parts if p is not None]
                v = compare(total, [(1, p) for p in figs])
                shown = sum((p.value for p in figs), ZERO)
                labels = "、".join(s.label for s in rows)
                where = [total.where] + [p.where for p in figs]
                if not v.ok:
                    yield unsure(hit(f"{_who(f)}{labels}的{col}之和 {fmt(shown)} 与年度资金总额 {total.text} 不符"
                                     f"（相差 {fmt(abs(shown - total.value))}）", where, [total.text, fmt(shown)]),
                                 [f], "money", "sources")
                elif v.tail:
                    yield hit(f"{_who(f)}{labels}的{col}之和 {fmt(shown)} 与年度资金总额 {total.text} 相差 "
                              f"{fmt(abs(shown - total.value))}，在舍入误差范围内（尾差）", where,
                              [total.text, fmt(shown)], "info")


# ----------------------------------------------------------------------------- JS413

_T_TOTALS = ((Cell("T1", "expenditure:total", "value", "支出"), "收入支出决算总表本年支出合计"),
             (Cell("T4", "fiscal_expenditure:total", "fiscal", "支出"), "财政拨款收入支出决算总表本年支出合计"),
             (Cell("T5", "合计", "fund:total"), "一般公共预算财政拨款支出决算表合计"))
_T_NATURE = {"基本支出": ((Cell("T3", "合计", "exp:basic"), "支出决算表基本支出"),
                      (Cell("T5", "合计", "fund:basic"), "一般公共预算财政拨款支出决算表基本支出")),
             "项目支出": ((Cell("T3", "合计", "exp:project"), "支出决算表项目支出"),
                      (Cell("T5", "合计", "fund:project"), "一般公共预算财政拨款支出决算表项目支出"))}
_OVERALL_FUNDS = re.compile(r"整体支出绩效自评[，,]\s*资金\s*" + NUM + r"\s*万元")


@rule("JS413", "overall-vs-tables", "部门整体绩效自评表资金与决算表、情况说明不符", "error", "performance")
def overall_vs_tables(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    打分式部门整体支出绩效自评表（万元）：年度资金总额的全年执行数应等于决算的本年支出——收入支出
    决算总表、财政拨款收入支出决算总表的本年支出合计或一般公共预算财政拨款支出决算表合计，与其中之一
    相符即可（各单位口径不同）；按支出性质列的基本支出、项目支出同样与支出决算表或一般公共预算财政
    拨款支出决算表的相应合计比较；十三（二）所述整体自评资金应等于年度资金总额的全年执行数。比较按
    区间，另容许一个末位单位（舍位平衡）。

    ## 原因
    整体自评的资金就是本年决算支出；对不上说明自评表取数有误。

    ## 错误示例
    整体自评表全年执行数 1249.48 万元，决算表本年支出合计 1294.48 万元。

    ## 正确示例
    两处都是 1294.48 万元。
    """
    o = department_overall(ctx)
    if o is None or not _scored(o):
        return
    checks = [("年度资金总额", o.actual, _T_TOTALS)]
    checks += [(s.label, s.actual, _T_NATURE[s.label]) for s in o.sources if s.label in _T_NATURE]
    for row, text, cands in checks:
        stated = _fig(text, form_where(o, "全年执行数", row), 2)
        if stated is None:
            continue
        figs = [(fig, name) for c, name in cands if (fig := cell_fig(ctx, c)) is not None]
        if not figs or any(compare(fig, [(1, stated)], single_allowance=True).ok for fig, _ in figs):
            continue
        names = "、".join(f"{name} {fig.text}" for fig, name in figs)
        yield unsure(hit(f"部门整体绩效自评表“{row}”全年执行数 {stated.text} 万元，与{names} 都不符",
                         [stated.where] + [fig.where for fig, _ in figs], [stated.text, *[f.text for f, _ in figs]]),
                     [o], "money", "sources")
    total = _fig(o.actual, form_where(o, "全年执行数", "年度资金总额"), 2)
    if total is None:
        return
    for i, m in searches(ctx, "13", _OVERALL_FUNDS):
        said = Fig.text_amount(m.group(1), para_where(ctx, "13", i, m.start(1)))
        v = compare(total, [(1, said)], single_allowance=True)
        if not v.ok:
            yield unsure(hit(f"十三（二）整体自评资金 {said.text} 万元，与部门整体绩效自评表全年执行数 {total.text} "
                             "万元不符", [said.where, total.where], [said.text, total.text]), [o], "money")


# ----------------------------------------------------------------------------- JS414

_OVERALL_SCORE = re.compile(r"评价得分(?:为|是)?\s*" + NUM + r"\s*分")
_GRADE = re.compile(r"评价(?:等级)?(?:为|是)\s*[“\"]?(优秀|优|良好|良|中等|中|合格|及格|差|不合格)")
_ITEM_SCORE = re.compile(r"\d+\.\s*(.+?)项目绩效自评综述.*?自评得分(?:为)?\s*" + NUM + r"\s*分")
_GRADES = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "合格": "中", "及格": "中",
           "差": "差", "不合格": "差"}


def _grade_of(score: Decimal) -> str:
    """The grade of 财预〔2020〕10号: 90 (含) 以上优, 80 (含)–90 良, 60 (含)–80 中, 60 以下差."""
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


@rule("JS414", "narrative-scores", "情况说明所述自评得分、等级与自评表不符", "error", "performance",
      reads_tables=False)
def narrative_scores(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    情况说明十三（四）“评价得分为 x 分”与部门整体绩效自评表总分行的得分比较，十三（三）各项目
    “自评得分 x 分”与该项目自评表的总分比较（按列示值区间）；十三（四）所述等级与得分不符（按
    财预〔2020〕10号：90 分及以上为优，80–90 分为良，60–80 分为中，60 分以下为差）的报警告。

    ## 原因
    同一得分在文字和表中必须一致，等级由得分决定。

    ## 错误示例
    十三（四）“评价为优秀，评价得分为 95 分”，整体自评表总分 89.5。

    ## 正确示例
    “评价为良，评价得分为 89.5 分”，与自评表一致。
    """
    o = department_overall(ctx)
    for i, text in enumerate(texts(ctx, "13")):
        if "得分" not in text:
            continue
        m = _OVERALL_SCORE.search(text)
        score = None
        if m:
            said = Fig(Decimal(m.group(1)), places(m.group(1)), m.group(1), para_where(ctx, "13", i, m.start(1)))
            score = said.value
            table = _fig(o.total_score, form_where(o, "得分", "总分")) if o is not None else None
            if table is not None and not compare(table, [(1, said)]).ok:
                yield unsure(hit(f"十三（四）评价得分 {said.text} 分，部门整体绩效自评表总分 {table.text} 分",
                                 [said.where, table.where], [said.text, table.text]), [o], "scores", "total")
        g = _GRADE.search(text) if m else None
        if g and m and score is not None and _GRADES[g.group(1)] != _grade_of(score):
            yield hit(f"十三（四）评价为“{g.group(1)}”，而得分 {fmt(score, places(m.group(1)))} 分按评分标准为"
                      f"“{_grade_of(score)}”", [place_at(ctx, "13", i, g.start(1))], [g.group(1), m.group(1)],
                      "warning")
        for mm in _ITEM_SCORE.finditer(text) if "自评得分" in text else ():
            p = _project(ctx, mm.group(1))
            if p is None or not p.total_score:
                continue
            said = Fig(Decimal(mm.group(2)), places(mm.group(2)), mm.group(2), para_where(ctx, "13", i, mm.start(2)))
            table = _fig(p.total_score, form_where(p, "得分", "总分"))
            if table is not None and not compare(table, [(1, said)]).ok:
                yield unsure(hit(f"十三（三）“{p.name}”自评得分 {said.text} 分，其自评表总分 {table.text} 分",
                                 [said.where, table.where], [said.text, table.text]), [p], "scores", "total")


def _project(ctx: Context, name: str) -> ProjectTable | None:
    return find_project(ctx, name.strip())
