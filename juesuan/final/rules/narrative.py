"""JS3xx — 情况说明 (第三部分) against the tables: amounts, shares, changes, rates, words.

Owns the vocabulary that ties sentence phrases to table cells (``QUOTES``, declared
as data: section, phrase pattern, the cell it quotes), the share bases
(``SHARE_BASES``), and the rules that re-compute what sentences state: amounts,
shares (占 x%), changes (增加/减少 x 万元，增长/下降 y%), execution (完成年初预算的
z%), direction words, the 年初预算 sum of 五（三）, the item lists of 六, the 无-statements
of 七/八, missing reasons and truncated percentages.

Sentence figures are read with :mod:`juesuan.rules.text`; a 万元 amount written
"3" or "78.9" is read as 3.00 / 78.90 (trimmed zeros), percentages keep their
written decimals for the contradiction test (a truncated 54.2% is a warning of
JS308, not an error).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from operator import itemgetter

from ...figures import Interval, fmt, places
from ...rules._memo import cached
from ...rules.context import Context, Fig, Finding, compare, hit, per_check
from ...rules.identities import cell_fig, cell_value
from ...rules.registry import rule
from ...rules.text import AMOUNT, NUM, PCT, norm_name, strip_codes
from ...tables.identity import Cell
from ..layouts import VARIANTS
from .sections import narrative_sections, part_label
from .sentences import (
    LEAD_AMOUNT,
    amount_in,
    joined,
    joined_where,
    para_where,
    pct_in,
    place_at,
    ratio_finding,
    rounded_ratio,
    same_figure,
    sentence,
    texts,
)

__all__ = ["QUOTES", "SHARE_BASES", "CHANGE_SECTIONS", "CHANGE_AMOUNT_RE", "current_before", "has_reason"]


@dataclass(frozen=True)
class Quote:
    section: str           # "1" … "13"
    pattern: str           # regex with one amount group (万元)
    cell: Cell
    what: str
    needs: str = ""        # a literal the text holds wherever the pattern matches, when its own
                           # words are common (the rest in a look-ahead): the better hint

    @property
    def regex(self) -> re.Pattern:
        return _compiled(self.pattern)

    @property
    def hint(self) -> str:
        """A literal every text with a match contains (cheap test before the regex)."""
        return self.needs or _hint(self.pattern)


# The quotes' patterns and their hints are worked out once, on first use (compiling all patterns
# at import would slow down the start of every command): lazy constants, not memos.

@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@cache
def _hint(pattern: str) -> str:
    """The longest literal run of ``pattern``: every group, class and optional character dropped
    (each leaves a gap)."""
    p = pattern
    while True:
        q = re.sub(r"\([^()]*\)[?*+]?", " ", p)
        if q == p:
            break
        p = q
    p = re.sub(r"\[[^\]]*\][?*+]?|.[?*]|\\.", " ", p)
    runs = re.findall(r"[\u4e00-\u9fff（）、]+", p)
    return max(runs, key=len) if runs else ""


def _q(section, phrase, cell, what, needs=""):
    return Quote(section, phrase + r"(?:为|共|合计)?\s*" + AMOUNT, cell, what, needs)


_T = Cell
QUOTES: tuple[Quote, ...] = (
    _q("1", r"(?<!财政拨款)(?:收、支总计|收入支出总计)", _T("T1", "grand_total:income", "value", "收入"), "收、支总计"),
    _q("2", r"收入合计", _T("T1", "income:total", "value", "收入"), "收入合计"),
    _q("2", r"(?<!一般公共预算)财政拨款收入", _T("T2", "合计", "income:fiscal"), "财政拨款收入"),
    _q("2", r"上级补助收入", _T("T2", "合计", "income:superior"), "上级补助收入"),
    _q("2", r"事业收入", _T("T2", "合计", "income:business"), "事业收入"),
    _q("2", r"经营收入", _T("T2", "合计", "income:operating"), "经营收入"),
    _q("2", r"附属单位上缴收入", _T("T2", "合计", "income:affiliated"), "附属单位上缴收入"),
    _q("2", r"其他收入", _T("T2", "合计", "income:other"), "其他收入"),
    _q("3", r"支出合计", _T("T1", "expenditure:total", "value", "支出"), "支出合计"),
    _q("3", r"基本支出", _T("T3", "合计", "exp:basic"), "基本支出"),
    _q("3", r"项目支出", _T("T3", "合计", "exp:project"), "项目支出"),
    _q("3", r"上缴上级支出", _T("T3", "合计", "exp:to_superior"), "上缴上级支出"),
    _q("3", r"经营支出", _T("T3", "合计", "exp:operating"), "经营支出"),
    _q("3", r"对附属单位补助支出", _T("T3", "合计", "exp:to_affiliated"), "对附属单位补助支出"),
    _q("4", r"财政拨款(?:收、支总计|收入支出总计)", _T("T4", "fiscal_grand_total:income", "value", "收入"),
       "财政拨款收、支总计"),
    _q("4", r"一般公共预算财政拨款收入", _T("T4", "fiscal_income:general", "value", "收入"),
       "一般公共预算财政拨款收入"),
    _q("4", r"政府性基金预算财政拨款收入", _T("T4", "fiscal_income:gov_fund", "value", "收入"),
       "政府性基金预算财政拨款收入"),
    _q("4", r"国有资本经营预算财政拨款收入", _T("T4", "fiscal_income:state_capital", "value", "收入"),
       "国有资本经营预算财政拨款收入"),
    _q("5", r"一般公共预算财政拨款支出", _T("T5", "合计", "fund:total"), "一般公共预算财政拨款支出"),
    _q("5", r"支出决算(?=为\s*\d+(?:\.\d+)?\s*万元，完成年初预算的\s*\d+(?:\.\d+)?%。其中)",
       _T("T5", "合计", "fund:total"), "一般公共预算财政拨款支出决算", needs="%。其中"),
    _q("5", r"其中：基本支出", _T("T5", "合计", "fund:basic"), "一般公共预算财政拨款基本支出"),
    _q("5", r"，项目支出(?=\s*\d+(?:\.\d+)?\s*万元。)", _T("T5", "合计", "fund:project"),
       "一般公共预算财政拨款项目支出"),
    _q("6", r"基本支出", _T("T5", "合计", "fund:basic"), "一般公共预算财政拨款基本支出"),
    _q("6", r"人员经费", _T("T6", "人员经费合计", "econ"), "人员经费"),
    _q("6", r"公用经费", _T("T6", "公用经费合计", "econ"), "公用经费"),
    _q("7", r"本年收入", _T("T7", "合计", "fund:income"), "政府性基金预算财政拨款本年收入"),
    _q("7", r"本年支出", _T("T7", "合计", "fund:total"), "政府性基金预算财政拨款本年支出"),
    _q("7", r"年初结转和结余", _T("T7", "合计", "fund:opening"), "政府性基金年初结转和结余"),
    _q("7", r"年末结转和结余", _T("T7", "合计", "fund:closing"), "政府性基金年末结转和结余"),
    _q("8", r"本年支出", _T("T8", "合计", "fund:total"), "国有资本经营预算财政拨款本年支出"),
    _q("9", r"[“\"]?三公[”\"]?经费财政拨款支出预算", _T("T9", None, "budget:total"), "“三公”经费预算"),
    _q("9", r"[“\"]?三公[”\"]?经费财政拨款支出(?:预算为\s*\d+(?:\.\d+)?\s*万元，)?(?:支出)?决算",
       _T("T9", None, "final:total"), "“三公”经费决算"),
    *(x for key, name in (("abroad", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
                          ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费"))
      for x in (_q("9", rf"\d\.{re.escape(name)}(?:支出)?预算", _T("T9", None, f"budget:{key}"), f"{name}预算"),
                _q("9", rf"\d\.{re.escape(name)}(?:支出)?预算为\s*\d+(?:\.\d+)?\s*万元，支出决算",
                   _T("T9", None, f"final:{key}"), f"{name}决算"))),
)

# 占 x% bases: phrase after 占 → the denominator (a cell, or an amount named in the same sentence)
SHARE_BASES: tuple[tuple[str, str, object], ...] = (
    # "占" with no base in 二/三 is of the year's total (Shanghai's template: "财政拨款收入X万元，占X%")
    ("2", r"(?:本年收入(?:合计)?)?", _T("T1", "income:total", "value", "收入")),
    ("3", r"(?:本年支出(?:合计)?)?", _T("T1", "expenditure:total", "value", "支出")),
    ("5", r"本年支出合计", _T("T1", "expenditure:total", "value", "支出")),
    ("5", r"", _T("T5", "合计", "fund:total")),
    ("11", r"政府采购支出总额", "政府采购支出总额"),
    ("11", r"授予中小企业合同金额", "授予中小企业合同金额"),
    ("13", r"一般公共预算项目支出总额", _T("T5", "合计", "fund:project")),
)



# ---------------------------------------------------------------------------------------
# JS301 amounts quoted from the tables

def _class_rows(ctx: Context, tid: str = "T5"):
    t = ctx.table(tid)
    return [] if t is None else [r for r in t.rows if len(r.code) == 3]


@cached(maxsize=4096)
def _name_key(x: str) -> str:
    """A 类/款/项 name as compared with T5's labels (a pure function of a name, and the names of
    the classification repeat across documents: memoized)."""
    return norm_name(strip_codes(x)).replace("支出", "")


@per_check
def _t5_children(ctx: Context) -> dict[tuple[int, str], list]:
    """T5's rows by (code length, parent code), without their names: only the rows under the
    classes and 款 an item names are compared by name (normalising all is most of the cost)."""
    children: dict[tuple[int, str], list] = {}
    t = ctx.table("T5")
    for r in t.rows if t is not None else ():
        if len(r.code) in (3, 5, 7):
            children.setdefault((len(r.code), r.code[:-2] if len(r.code) > 3 else ""), []).append(r)
    return children


def _find_item_row(ctx: Context, cls: str, kuan: str, xiang: str):
    """The T5 项 row named 类/款/项 in a 五（三） item (names compared loosely; of rows of equal
    name under one parent the last)."""
    children = _t5_children(ctx)
    row = None
    for length, name in ((3, cls), (5, kuan), (7, xiang)):
        key = _name_key(name)
        found = None
        for r in children.get((length, row.code if row is not None else ""), ()):
            if _name_key(r.label) == key:
                found = r
        if found is None:
            return None
        row = found
    return row


class _Led:
    r"""The pattern ``(?:^|\d[.、]|<stop>)\s*([^<stop><breaks>\d]+?)（类）<tail>``: a name that starts
    the text, follows a number ("1." or "1、") or a stop (。 or ；), then "（类）" — 五's classes
    and items. :meth:`finditer` finds exactly its matches (spans and groups).

    Led by that alternation the pattern has no first character the regex engine could skip
    ahead to, and was tried at every position of the section (the costliest scans of 情况说明).
    Instead each "（类）" is found as a string; when a match may use it (the tail matches
    there, or holds the literal ``needs`` before its first 。, a cheaper test), the pattern is
    searched for from the last 。 before the "（类）" (a stop or a break: the name holds none,
    so no match using that "（类）" starts earlier). The lead is then a character set,
    ``[\d<stop>](?:(?<=\d)[.、]|(?<=<stop>))``, and the ``^`` branch a match of the rest at
    position 0.
    """

    def __init__(self, stop: str, breaks: str, tail: str, needs: str = ""):
        assert "。" in stop + breaks and tail.startswith("（类）")
        name = rf"\s*([^{stop}{breaks}\d]+?)"
        self.at_start = re.compile(name + tail)
        self.after = re.compile(rf"[\d{stop}](?:(?<=\d)[.、]|(?<={stop})){name}{tail}")
        self.tail = re.compile(tail)
        self.needs = needs

    def finditer(self, text: str) -> Iterator[re.Match]:
        m = self.at_start.match(text)
        if m is not None:
            yield m
        lo = 0 if m is None else m.end()        # no match starts before lo
        while (k := text.find("（类）", lo)) >= 0:
            if self.needs:
                # (a "（类）" the literal passes but the tail does not only costs a longer search)
                end = text.find("。", k)
                may = text.find(self.needs, k, len(text) if end < 0 else end) >= 0
            else:
                may = self.tail.match(text, k) is not None
            if not may:
                lo = k + 1      # no match uses this （类）, and a later one's starts after it
                continue
            m = self.after.search(text, max(lo, text.rfind("。", lo, k)))
            if m is None:
                return
            yield m
            lo = m.end()


_ITEM_RE = _Led("。", "（；：", r"（类）([^。]+?)（款）([^。]+?)（项）。?[^（]{0,80}?"
                r"(?P<kind>年初|全年)预算(?:数)?为\s*" + NUM + r"\s*万元，\s*(?:支出)?决算(?:数)?为\s*"
                + NUM + r"\s*万元",
                needs="（款）")
_CLASS_RE = _Led("；", "（。：，", r"（类）(?:支出)?\s*" + AMOUNT)


@rule("JS301", "narrative-amount-vs-table", "情况说明所引金额与表格不符", "error", "guide")
def amounts(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    逐句核对情况说明（第三部分）所引用的本年金额与表格：收、支总计（收入支出决算总表）、收入合计与
    各项收入、支出合计与基本/项目支出、财政拨款收支总计、一般公共预算财政拨款支出及各类、各项
    （五（二）、五（三））、基本支出与人员经费/公用经费（六）、政府性基金与国有资本经营（七、八）、
    “三公”经费预算与决算（九）。句中“3万元”“78.9万元”按 3.00、78.90 理解；与表中数字相差
    不超过 0.01 万元报提示（尾差），超出为错误。

    ## 原因
    情况说明是对决算表的文字说明，同一数字在表里和文字里必须一致。

    ## 错误示例
    支出决算表 221 住房保障支出 28.61，五（二）写“住房保障（类）支出 26.81 万元”。

    ## 正确示例
    五（二）写“住房保障（类）支出 28.61 万元”，或“28.6 万元”（去掉末尾的 0）。
    """
    tables: dict[int, Decimal | None] = {}      # by the quote's cell number (hashing a Cell is costly)
    cell_of = _quote_cells()
    for qi, n, i, amount, pos in _quoted(ctx):
        q = QUOTES[qi]
        c = cell_of[qi]
        value = tables.get(c, tables)
        if value is tables:
            value = tables[c] = cell_value(ctx, q.cell)
        if value is None or Decimal(amount) == value:    # equal figures agree: build nothing
            continue
        table = cell_fig(ctx, q.cell, missing_zero=True)
        f = same_figure(q.what, Fig.text_amount(amount, para_where(ctx, n, i, pos)), table)  # type: ignore[arg-type]
        if f is not None:
            yield f
    # 五（二） classes and 五（三） items, matched to T5 rows by name
    classes, items = _class_item_amounts(ctx)
    if not classes and not items:
        return
    col = ctx.column_header("T5", "fund:total") or "小计"
    class_rows = [(norm_name(strip_codes(r.label)), r) for r in _class_rows(ctx)] if classes else []
    stated = [(f"{name}（类）支出", amount, pos,
               next((r for label, r in class_rows if label.startswith(key)), None))
              for name, amount, pos in classes for key in (norm_name(name),)]
    stated += [(f"{xiang.strip()}（项）支出决算", amount, pos, _find_item_row(ctx, cls, kuan, xiang))
               for (cls, kuan, xiang), amount, pos in items]
    for what, amount, pos, row in stated:
        if row is None or Decimal(amount) == (row.cells.get(col) or 0):    # agrees: build nothing
            continue
        f = same_figure(what, Fig.text_amount(amount, joined_where(ctx, "5", pos)),
                  ctx.fig("T5", row, col))  # type: ignore[arg-type]
        if f is not None:
            yield f


@cache
def _quote_cells() -> list[int]:
    """Per quote, the number of its cell among the distinct cells of :data:`QUOTES` (equal cells,
    equal numbers): a cheap key for memoizing a cell's value within a check."""
    first: dict[Cell, int] = {}
    return [first.setdefault(q.cell, len(first)) for q in QUOTES]


@cache
def _quote_scan() -> dict[str, list[tuple[int, str, re.Pattern]]]:
    """Per section, (quote index, hint, regex) of its quotes; built on first use (compiling all
    patterns at import would slow down the start of every command)."""
    out: dict[str, list[tuple[int, str, re.Pattern]]] = {}
    for qi, q in enumerate(QUOTES):
        out.setdefault(q.section, []).append((qi, q.hint, q.regex))
    return out


@per_check
def _quoted(ctx: Context) -> list[tuple[int, str, int, str, int]]:
    """(quote index, section, paragraph index, amount as written, position) of every quoted amount,
    in quote order."""
    out = []
    for n, quotes in _quote_scan().items():
        paras = texts(ctx, n)
        for qi, hint, regex in quotes:
            for i, text in enumerate(paras):
                if hint in text:
                    for m in regex.finditer(text):
                        out.append((qi, n, i, m.group(1), m.start(1)))
    out.sort(key=itemgetter(0))     # stable: paragraph and position order within a quote stay
    return out


@per_check
def _class_item_amounts(ctx: Context):
    """五（二） (class name, amount, position) and 五（三） ((类, 款, 项), 决算 amount, position) in the joined text."""
    j = joined(ctx, "5")
    if j is None or "（类）" not in j.text:
        return [], []
    classes = [(m.group(1).strip(), m.group(2), m.start(2)) for m in _CLASS_RE.finditer(j.text)]
    items = [((m.group(1), m.group(2), m.group(3)), m.group(6), m.start(6)) for m in _item_matches(ctx)]
    return classes, items


@per_check
def _item_matches(ctx: Context) -> list[re.Match]:
    """五（三）'s items (:data:`_ITEM_RE` over the joined section), scanned once per check for JS301 and JS307."""
    j = joined(ctx, "5")
    return [] if j is None or "（类）" not in j.text else list(_ITEM_RE.finditer(j.text))


# ---------------------------------------------------------------------------------------
# JS302 shares, JS308 truncated percentages

_SHARE_RE = re.compile(LEAD_AMOUNT + r"[，,]?\s*占(?P<base>[^0-9%，。；]*?)(?:的)?\s*" + PCT)
# what may stand between the start of a match of _SHARE_RE and its 占 (the amount, 万元, a comma)
_AMOUNT_PART = re.compile(r"[\d.\s万元，,]*").fullmatch


def _share_finditer(text: str) -> Iterator[re.Match]:
    """``_SHARE_RE.finditer(text)``, each search begun shortly before the next 占.

    The pattern leads with a number and was tried at every digit of a paragraph (most are no
    share). Between a match's start and its 占 there are only the characters of
    :data:`_AMOUNT_PART`, and the 占 is the first after the start. So no match starts before the
    run of such characters that ends at the next 占 after the last match's end ``pos``, and a
    search from any point before that run finds the same match as the scan from ``pos``: from
    24 characters before the 占 when the run is shorter, else from ``pos``.
    """
    pos = 0
    while (k := text.find("占", pos)) >= 0:
        start = k - 24
        if start <= pos or _AMOUNT_PART(text, start - 1, k) is not None:
            start = pos
        m = _SHARE_RE.search(text, start)
        if m is None:
            return
        yield m
        pos = m.end()



@per_check
def _share_findings(ctx: Context) -> list[Finding]:
    """Shares of 情况说明 (JS302 errors/info and JS308 truncations), computed once per check."""
    return list(_share_findings_uncached(ctx))


def _share_findings_uncached(ctx: Context) -> Iterator[Finding]:
    for n, i, base, target, num, den_text, pct in _share_mentions(ctx):
        if isinstance(target, Cell):
            # the cell's value first: a figure (with its place) only for a share that does not agree.
            # (A non-zero value is that of a listed row, the figure cell_fig gives.)
            value = cell_value(ctx, target)
            if not value or rounded_ratio(pct[0], Decimal(num[0]), value):
                continue
            den = cell_fig(ctx, target)
        else:
            den = Fig.text_amount(den_text[0], para_where(ctx, n, i, den_text[1])) if den_text else None
        if den is None or not den.value or rounded_ratio(pct[0], Decimal(num[0]), den.value):
            continue
        numf = Fig.text_amount(num[0], para_where(ctx, n, i, num[1]))
        stated = Fig(Decimal(pct[0]), places(pct[0]), pct[0] + "%", para_where(ctx, n, i, pct[1]))
        f = ratio_finding(f"占比（{base or '一般公共预算财政拨款支出'}）", stated, numf, den,
                           lambda stated=stated, den=den: [stated.where, den.where])
        if f is not None:
            yield f


@cache
def _share_scan() -> list[tuple[str, list[tuple[Callable, object, re.Pattern | None]]]]:
    """Per section of :data:`SHARE_BASES` (in order), (base phrase matcher, denominator, pattern of
    the denominator amount named in the sentence); compiled on first use."""
    return [(n, [(re.compile(pat).fullmatch, target,
                  None if isinstance(target, Cell) else re.compile(re.escape(target) + r"(?:为)?\s*" + AMOUNT))
                 for b, pat, target in SHARE_BASES if b == n])
            for n in sorted({b[0] for b in SHARE_BASES}, key=int)]


@per_check
def _share_mentions(ctx: Context) -> list[tuple]:
    """Every "x 万元，占 … y%" with a known base: (section, paragraph index, base, denominator
    (a Cell or a phrase), (x, position), (denominator amount, position) when named in the sentence,
    (y, position)), once per check."""
    out = []
    for n, bases in _share_scan():
        for i, text in enumerate(texts(ctx, n)):
            if "占" not in text:      # the pattern has no literal prefix: skip paragraphs cheaply
                continue
            for m in _share_finditer(text):
                base = m.group("base").strip()
                found = next(((target, named) for fits, target, named in bases if fits(base)), None)
                if found is None:
                    continue
                target, named = found
                den_text = None
                if named is not None:
                    mm = named.search(text)
                    den_text = (mm.group(1), mm.start(1)) if mm else None
                out.append((n, i, base, target, (m.group(1), m.start(1)), den_text, (m.group(3), m.start(3))))
    return out


@rule("JS302", "narrative-share", "占比与金额不符", "error", "guide")
def shares(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    重算情况说明中的占比“x 万元，占 … y%”：分子是句中金额，分母是所指的合计（本年收入、本年支出
    合计、一般公共预算财政拨款支出、政府采购支出总额、授予中小企业合同金额、一般公共预算项目
    支出总额）。所述百分比的区间与“分子区间 ÷ 分母区间”有交集即成立（列示值不同报尾差提示）。
    只因小数位不足而不符的，由 JS308 报警告。

    ## 原因
    占比是由表中数字算出来的，算错说明数字或比例有误。

    ## 错误示例
    “基本支出 353.78 万元，占本年支出 72.67%”（应为 27.33%）。

    ## 正确示例
    “基本支出 353.78 万元，占本年支出 27.33%”。
    """
    for f in _share_findings(ctx):
        if f.tag != "truncated":
            yield f


@rule("JS308", "percent-decimals", "百分比未保留两位小数", "warning", "guide")
def truncated(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    情况说明中的占比、增减率只写到一位小数或整数，且按两位小数计算并不等于所写数字（即不是末尾
    0 被省略，而是少写了位数），报警告。例如 363.24 ÷ 669.68 = 54.24%，写成“54.2%”。
    两位小数的百分比是截断而不是四舍五入的结果（29.42 ÷ 307.82 = 9.5575%，写成“9.55%”）也报警告。

    保留两位小数是地方模板的约定，不是全国统一的规定：少写位数只对声明了这一约定的表式检查
    （全国通用表式：其情况说明模板——参考文件武汉市汉阳区大数据中心所用——占比、增减率均列两位
    小数）；上海市表式、教育部直属高校表式等，以及表式不明的文件不检查位数。写了两位小数却是
    截断的结果，是舍入错误而非格式问题，任何表式都报。

    ## 原因
    情况说明的百分比按两位小数列示；截断的百分比看起来与表格数字不符，读者无法核对。

    ## 错误示例
    “授予中小企业合同金额 363.24 万元，占政府采购支出总额的 54.2%”。

    ## 正确示例
    “……占政府采购支出总额的 54.24%”；“完成预算的 95%”（95.00% 省略末尾的 0）不报。
    """
    two_decimals = "percent-decimals" in _conventions(ctx)
    for f in (*_share_findings(ctx), *_change_findings(ctx)):
        if f.tag == "truncated" and (two_decimals or places(f.figures[0].strip().rstrip("%").strip()) >= 2):
            yield f._replace(severity="warning")


def _conventions(ctx: Context) -> tuple[str, ...]:
    """The conventions of the document's layout (:attr:`Variant.conventions`); none when the layout
    is not known."""
    ts = ctx.doc.tables
    var = VARIANTS.get(ts.variant) if ts is not None else None
    return var.conventions if var is not None else ()


# ---------------------------------------------------------------------------------------
# JS303 changes vs prior year

# "（各）增加/减少 x 万元，增长/下降 y%". The pattern starts with the verb so that the regex
# engine can skip to its first characters; a 各 before it is not needed by any rule.
_CHANGE_RE = re.compile(r"(?P<word>增加|减少)\s*" + NUM + r"\s*万元[，,]\s*(?P<trend>增长|下降)\s*" + PCT)
_CHANGE_SECTIONS = ("1", "2", "3", "4", "5", "9", "10")
_AMOUNT_RE = re.compile(LEAD_AMOUNT)     # = AMOUNT (read from the start of a text only)


def _change_matches(ctx: Context) -> list[tuple[str, int, str, list[re.Match]]]:
    """(section, paragraph index, text, matches of :data:`_CHANGE_RE`) of every paragraph of the
    sections that state changes; scanned once per check for JS303 and JS305."""
    return _scan_changes(ctx)[0]


def _change_amounts(ctx: Context, n: str) -> list[tuple[int, list[re.Match]]]:
    """(paragraph index, matches of :data:`_CHANGE_AMOUNT_RE`) of the paragraphs of section ``n``
    (one of :data:`_CHANGE_SECTIONS`) that state an 增加/减少 amount; scanned once per check (JS306)."""
    return _scan_changes(ctx)[1][n]


@per_check
def _scan_changes(ctx: Context) -> tuple[list, dict]:
    """One scan of the paragraphs of :data:`_CHANGE_SECTIONS` for :func:`_change_matches` and
    :func:`_change_amounts`. A match of :data:`_CHANGE_RE` is a match of :data:`_CHANGE_AMOUNT_RE`
    followed by the rate, and nothing in the rate starts another amount: the matches of the one are
    those of the other where the rate follows (the first, anchored there)."""
    changes, amounts = [], {}
    for n in _CHANGE_SECTIONS:
        amounts[n] = found = []
        for i, text in enumerate(texts(ctx, n)):
            ms = []
            if "增加" in text or "减少" in text:
                cas = list(_CHANGE_AMOUNT_RE.finditer(text))
                if cas:
                    found.append((i, cas))
                    ms = [m for ca in cas if (m := _CHANGE_RE.match(text, ca.start())) is not None]
            changes.append((n, i, text, ms))
    return changes, amounts


def _current_before(text: str, pos: int) -> re.Match | None:
    """The last 万元 amount before ``pos`` (the current figure a change refers to)."""
    last = None
    for m in _AMOUNT_RE.finditer(text, 0, pos):
        last = m
    return last


@per_check
def _change_findings(ctx: Context) -> list[Finding]:
    """Change rates of 情况说明 (JS303 and JS308): computed once per check."""
    return list(_change_findings_uncached(ctx))


def _change_findings_uncached(ctx: Context) -> Iterator[Finding]:
    for n, i, text, ms in _change_matches(ctx):
        for m in ms:
            cur_m = _current_before(text, m.start())
            if cur_m is None:
                continue
            # prior = current − diff (增加) or current + diff (减少)
            sign = -1 if m.group("word") == "增加" else 1
            diff_v = Decimal(m.group(2))
            prior_v = Decimal(cur_m.group(1)) + sign * diff_v
            if prior_v <= 0 or rounded_ratio(m.group(4), diff_v, prior_v):
                continue
            cur = amount_in(ctx, n, i, cur_m)
            diff = amount_in(ctx, n, i, m, 2)
            stated = pct_in(ctx, n, i, m, 4)
            lo = cur.iv.lo + sign * (diff.iv.lo if sign > 0 else diff.iv.hi)
            hi = cur.iv.hi + sign * (diff.iv.hi if sign > 0 else diff.iv.lo)
            if lo <= 0:
                continue
            # an "exact" prior figure with the summed interval: build via two-decimal Fig and widen
            den = cur.derive(prior_v, 2, fmt(prior_v), Interval(lo, hi))
            f = ratio_finding(f"{m.group('word')}{diff.text}万元的变动率", stated, diff, den,
                               lambda stated=stated: [stated.where])
            if f is not None:
                yield f


@rule("JS303", "narrative-change-rate", "增减率与增减额不符", "error", "guide", reads_tables=False)
def changes(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    重算“与上年相比增加/减少 x 万元，增长/下降 y%”：上年数 = 本年数 ∓ x，y 应等于 x ÷ 上年数
    （区间比较）。本年数取同一段中变动额之前最近的金额。

    ## 原因
    增减率由增减额和上年数算出，不符说明其中某个数字有误。

    ## 错误示例
    “收、支总计 1294.48 万元。与 2022 年度相比，减少 438.13 万元，下降 33.85%”
    （438.13 ÷ 1732.61 = 25.29%）。

    ## 正确示例
    “……减少 438.13 万元，下降 25.29%”。
    """
    for f in _change_findings(ctx):
        if f.tag != "truncated":
            yield f


# ---------------------------------------------------------------------------------------
# JS304 execution vs 年初预算, JS305 direction words

# It matches from the 预算 of "年初预算为 …" / "全年预算为 …", checking the 年初/全年 before it with a
# lookbehind: a pattern starting with a literal is skipped ahead to its next occurrence in C, while
# one starting with 年初|全年 would be tried at every 年 (and 年度 is everywhere). The statement
# itself begins two characters earlier (:func:`_exec_start`); otherwise the matches (groups, their
# spans, m.end()) are those of "(?:年初|全年)预算…" scanned with finditer (a previous match ends
# with 万元 or %, so no match's lookbehind reaches back into it).
_EXEC_RE = re.compile(r"预算(?<=年初预算|全年预算)(?:数)?为\s*" + NUM + r"\s*万元[，,]\s*(?:支出)?决算(?:数)?为\s*"
                      + NUM + r"\s*万元(?:[，,]\s*完成(?:年初|全年)?预算(?:数)?的\s*" + PCT + ")?")


def _exec_start(m: re.Match) -> int:
    """Where the statement matched by :data:`_EXEC_RE` begins (its 年初/全年, before the match)."""
    return m.start() - 2


def _exec_matches(ctx: Context, sections=("5", "9")) -> Iterator[tuple[str, int, str, re.Match]]:
    """(section, paragraph index, text, match) of every "年初预算为 a 万元，支出决算为 b 万元（，完成 z%）" of
    ``sections``; each section scanned once per check (JS304 and JS305 both read 五). The statement
    begins at :func:`_exec_start` (see :data:`_EXEC_RE`)."""
    for n in sections:
        yield from _exec_in(ctx, n)


@per_check
def _exec_in(ctx: Context, n: str) -> list[tuple[str, int, str, re.Match]]:
    return [(n, i, text, m) for i, text in enumerate(texts(ctx, n)) if "预算" in text for m in _EXEC_RE.finditer(text)]


@rule("JS304", "execution-rate", "完成年初预算的百分比与金额不符", "error", "guide", reads_tables=False)
def execution(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    重算“年初预算为 a 万元，支出决算为 b 万元，完成年初预算的 z%”：z 应等于 b ÷ a（区间比较），
    五（三）的总述和逐项说明都查。同时写了年初预算和全年预算的（“年初预算为 a0 万元，全年预算为
    a 万元，……完成年初预算的 z%”），z 按年初预算 a0 核对；年初预算为 0 却称完成年初预算的百分之几，
    也是错误（多半是把决算数与全年预算之比写成了“完成年初预算”）。

    ## 原因
    完成率是决算数与年初预算数之比。

    ## 错误示例
    “年初预算为 217.5 万元，支出决算为 247.04 万元，完成年初预算的 103.58%”。

    ## 正确示例
    “……完成年初预算的 113.58%”。
    """
    for n, i, text, m in _exec_matches(ctx):
        if m.group(3) is None:
            continue
        initial = _initial_before(text, m)
        if initial is not None:
            f = _rate_of_the_other_budget(ctx, n, i, m, initial)
            if f is not None:
                yield f
            continue
        if not Decimal(m.group(1)) or rounded_ratio(m.group(3), Decimal(m.group(2)), Decimal(m.group(1))):
            continue
        a, b = amount_in(ctx, n, i, m, 1), amount_in(ctx, n, i, m, 2)
        stated = pct_in(ctx, n, i, m, 3)
        f = ratio_finding("完成年初预算的百分比", stated, b, a, lambda stated=stated: [stated.where])
        if f is not None:
            yield f._replace(severity="warning") if f.tag == "truncated" else f


_INITIAL_RE = re.compile(r"年初预算(?:数)?为\s*" + NUM + r"\s*万元[，,]\s*$")


def _initial_before(text: str, m: re.Match) -> re.Match | None:
    """In "年初预算为 a0 万元，全年预算为 a 万元，支出决算为 b 万元，完成年初预算的 z%" (matched from
    全年预算 on): the 年初预算 stated just before, when z is said to be of the 年初预算."""
    if text[_exec_start(m):m.start()] != "全年" or "完成年初" not in m.group(0):
        return None
    return _INITIAL_RE.search(text, max(0, _exec_start(m) - 40), _exec_start(m))


def _rate_of_the_other_budget(ctx: Context, n: str, i: int, m: re.Match, initial: re.Match) -> Finding | None:
    """"完成年初预算的 z%" checked against the 年初预算 the sentence states, not the 全年预算 the
    pattern matched: a z that is b ÷ 全年预算 while 年初预算 differs is a slip (the template's
    words kept, the other ratio written)."""
    a0 = Fig.text_amount(initial.group(1), para_where(ctx, n, i, initial.start(1)))
    a, b = amount_in(ctx, n, i, m, 1), amount_in(ctx, n, i, m, 2)
    stated = pct_in(ctx, n, i, m, 3)
    if a0.value:
        f = ratio_finding("完成年初预算的百分比", stated, b, a0, lambda: [stated.where, a0.where])
        if f is None or f.severity != "error":
            return f
    elif not stated.value or not b.value:
        return None
    of_full = rounded_ratio(m.group(3), b.value, a.value) if a.value else False
    why = f"（{stated.text} 是决算数与全年预算 {a.text} 万元之比）" if of_full else ""
    if not a0.value:
        return hit(f"年初预算为 {a0.text} 万元，却称完成年初预算的 {stated.text}{why}",
                   [stated.where, a0.where], [stated.text, a0.text])
    return hit(f"完成年初预算的百分比：所述 {stated.text} 与 {b.text}/{a0.text} 不符{why}",
               [stated.where, a0.where], [stated.text, b.text, a0.text])


_NEXT_ITEM_RE = re.compile(r"\d+\.\D")
_LEVEL_RE = re.compile(r"(持平|不变)[^。]{0,20}?(增加|减少)\s*" + NUM + r"\s*万元")
_DIRECTION_RE = re.compile(r"(?:支出)?决算数?(大于|小于|等于|持平于|与)(?:年初|全年)?预算数?(持平)?")


@rule("JS305", "direction-words", "大于/小于/增加/减少等用语与数字相反", "warning", "guide", reads_tables=False)
def direction(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    核对用语与数字的方向：“支出决算数大于/小于年初预算数”与所列 a、b；“增加 x 万元”配“增长”、
    “减少 x 万元”配“下降”；说“持平/不变”时不应再写增减额。区间有交集时不报（例如 3.00 与 3
    视为相等）。

    ## 原因
    方向用语与数字相反会误导读者，是常见的套用模板错误。

    ## 错误示例
    “年初预算为 217.5 万元，支出决算为 247.04 万元，……支出决算数小于年初预算数的主要原因……”。

    ## 正确示例
    “……支出决算数大于年初预算数的主要原因：新增了人员经费”。
    """
    for n, i, text, m in _exec_matches(ctx, ("5",)):
        tail = text[m.end(): m.end() + 80]
        if "决算" not in tail:      # every direction phrase holds it: spare the two searches
            continue
        nxt = _NEXT_ITEM_RE.search(tail)
        if nxt:
            tail = tail[: nxt.start()]
        d = _DIRECTION_RE.search(tail)
        if d is None:
            continue
        word = d.group(1)
        if word == "与":
            if not d.group(2):
                continue
            word = "等于"
        if word == "持平于":
            word = "等于"
        # displayed figures decide: 2.22 vs 2.23 is 小于 even though the intervals touch
        av, bv = Decimal(m.group(1)), Decimal(m.group(2))
        actual = "等于" if bv == av else ("大于" if bv > av else "小于")
        if word != actual:
            a, b = amount_in(ctx, n, i, m, 1), amount_in(ctx, n, i, m, 2)
            yield hit(f"写“支出决算数{word}年初预算数”，但决算 {b.text} 万元{actual}年初预算 {a.text} 万元",
                      [place_at(ctx, n, i, _exec_start(m) + d.start())], [b.text, a.text])
    for n, i, text, ms in _change_matches(ctx):
        for m in ms:
            if (m.group("word") == "增加") != (m.group("trend") == "增长"):
                yield hit(f"“{m.group('word')}”与“{m.group('trend')}”方向相反",
                          [place_at(ctx, n, i, m.start())], [m.group(2), m.group(4) + "%"])
        if "持平" in text or "不变" in text:
            for m in _LEVEL_RE.finditer(text):
                if Decimal(m.group(3)) != 0:
                    yield hit(f"写“{m.group(1)}”却又写{m.group(2)}{m.group(3)}万元",
                              [place_at(ctx, n, i, m.start())], [m.group(3)])


# ---------------------------------------------------------------------------------------
# JS306 missing reasons

_REASON_RE = re.compile(r"原因|由于|因为|主要是|系")
# the end of a numbered item: 。, ： or ； before "1." / "2、". One pattern per mark, each starting
# with a literal that the regex engine skips to in C (a character class is tested character by
# character); the cuts are all matches of the three, in order.
_ITEM_CUTS_RE = tuple(re.compile(mark + r"(?=\s*\d+[.、]\D)") for mark in "。：；")
_CHANGE_AMOUNT_RE = re.compile(r"(增加|减少)\s*" + NUM + r"\s*万元")


def _has_reason(text: str) -> bool:
    return _REASON_RE.search(text) is not None


@rule("JS306", "missing-reason", "增减变动、未按预算执行或“三公”变动未说明原因", "warning", "guide", reads_tables=False)
def reasons(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    找出写了增减变动（增加/减少 x 万元）、决算与年初预算不一致（完成率不是 100%）或“三公”经费
    较上年增减，却没有说明原因（“主要原因是……”）的段落或条目。原因只写占位符【待填写】的由 JS603 报告。

    ## 原因
    公开要求对增减变化和预决算差异作出说明。

    ## 错误示例
    “年初预算为 20.48 万元，支出决算为 37.16 万元，完成年初预算的 181.45%。”

    ## 正确示例
    “……完成年初预算的 181.45%，支出决算数大于年初预算数的主要原因：在职人员养老保险缴费基数调整。”
    """
    for n in _CHANGE_SECTIONS:
        j = joined(ctx, n)
        if j is None:
            continue
        text, spans = j.text, j.spans
        # the 增加/减少 amounts and the execution statements, as (offset of their paragraph in the
        # joined text, match): the paragraphs' scans, shared with JS303/JS304/JS305
        changes = [(spans[i][0], m) for i, ms in _change_amounts(ctx, n) for m in ms]
        execs = [(spans[i][0], m) for _, i, _, m in _exec_matches(ctx, (n,))]
        # one chunk per paragraph; in 五 and 九 one per numbered item (an item may span paragraphs)
        if n in ("5", "9"):
            cuts = [0] + sorted(m.start() + 1 for r in _ITEM_CUTS_RE for m in r.finditer(text)) + [len(text)]
            pieces = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
            # Neither pattern matches across 。：；, and a chunk ends with one of them: scanning each
            # chunk finds the matches of the joined text. Those are the paragraphs' matches unless
            # a paragraph does not end with 。 (a statement might run over into the next one).
            if not all(t.endswith("。") for t in texts(ctx, n)[:-1]):
                changes = [(0, m) for m in _CHANGE_AMOUNT_RE.finditer(text)]
                execs = [(0, m) for m in _EXEC_RE.finditer(text)]
        else:
            pieces = spans
        ci = ei = 0
        for a, b in pieces:
            cs, es = [], []
            while ci < len(changes) and changes[ci][0] + changes[ci][1].start() < b:
                cs.append(changes[ci])
                ci += 1
            while ei < len(execs) and execs[ei][0] + execs[ei][1].start() < b:
                es.append(execs[ei])
                ei += 1
            if not cs and not es:
                continue
            chunk = text[a:b]
            if "【待填写" in chunk:
                continue
            for off, m in cs:       # positions in the chunk: off - a + position in the match's text
                start, end = off - a + m.start(), off - a + m.end()
                if Decimal(m.group(2)) == 0 or _has_reason(chunk[end:]) \
                        or _has_reason(chunk[max(0, start - 30): start]):
                    continue
                yield hit(f"{m.group(1)}{m.group(2)}万元，未说明原因", [j.where(a + start)], [m.group(2)])
                break
            for off, m in es:
                a_, b_ = Decimal(m.group(1)), Decimal(m.group(2))
                if a_ == b_ or _has_reason(chunk[off - a + m.end():]):
                    continue
                rate = f"，完成 {m.group(3)}%" if m.group(3) else ""
                yield hit(f"预算 {m.group(1)} 万元、决算 {m.group(2)} 万元{rate}，未说明差异原因",
                          [j.where(off + _exec_start(m))], [m.group(2), m.group(1)])


# ---------------------------------------------------------------------------------------
# JS307 年初预算 items vs stated total

_HEAD_RE = re.compile(r"(?P<kind>年初|全年)预算(?:数)?为\s*" + NUM + r"\s*万元[，,]")


@rule("JS307", "initial-budget-sum", "五（三）各项年初预算之和与所述年初预算合计不符", "error", "guide",
      reads_tables=False)
def budget_sum(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    五（三）总述“一般公共预算财政拨款支出年初预算为 X 万元”，其后逐项列出各项的年初预算 a₁…aₙ：
    Σaᵢ 的区间应与 X 的区间有交集（有交集但列示值不同报尾差提示）。

    ## 原因
    各项年初预算是总预算的分解，加总不符说明总数或某一项抄错。

    ## 错误示例
    总述年初预算 1370.19 万元，九项年初预算 217.5、1070.79、20.48、0、8.92、15.89、3、23.83、4.78
    之和 1365.19 万元。

    ## 正确示例
    总述年初预算 1365.19 万元（或 1365.18 万元，九个加数的舍入误差之内）。
    """
    items = _item_matches(ctx)
    if not items:
        return
    j = joined(ctx, "5")
    kind = items[0].group("kind")
    mine = [m for m in items if m.group("kind") == kind]
    stated = None
    for m in _HEAD_RE.finditer(j.text, 0, items[0].start()):
        if m.group("kind") == kind and "一般公共预算财政拨款支出" in j.text[max(0, m.start() - 60): m.start()]:
            stated = m
    if stated is None:
        return
    if sum((Decimal(m.group(5)) for m in mine), Decimal(0)) == Decimal(stated.group(2)):
        return      # the written figures add up: they agree without 尾差 (no figure needs to be built)
    head = j.amount(stated, 2)
    figs = [j.amount(m, 5) for m in mine]
    v = compare(head, [(1, f) for f in figs])
    if v.ok and not v.tail:
        return
    total = fmt(sum((f.value for f in figs), Decimal(0)))
    locs = [head.where] + [f.where for f in figs]
    diff = fmt(abs(head.value - Decimal(total)))
    if v.ok:
        yield hit(f"各项{kind}预算之和 {total} 万元与所述{kind}预算 {head.text} 万元相差 {diff}，"
                  "在舍入误差范围内（尾差）", locs, [head.text, total], "info")
    else:
        yield hit(f"五（三）各项{kind}预算之和 {total} 万元，与所述{kind}预算 {head.text} 万元不符（相差 {diff}）",
                  locs, [head.text, total])


# ---------------------------------------------------------------------------------------
# JS309 section 六 item lists

_LIST_RE = re.compile(r"(人员经费|公用经费)\s*" + NUM + r"\s*万元[，,]?\s*(?:主要)?包括[：:]?([^。；]*)")


_ITEM_TAIL_RE = re.compile(r"(等)?(支出|费用|费)?$")
_ITEM_SPLIT_RE = re.compile(r"[、，,；;]")


@cached(maxsize=4096)
def _item_key(name: str) -> str:
    return _ITEM_TAIL_RE.sub("", norm_name(strip_codes(name)).rstrip("等"))


@rule("JS309", "basic-items-list", "六：所列经济科目与基本支出明细表的非零科目不一致", "warning", "guide")
def basic_items(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    六“人员经费 x 万元，主要包括：……；公用经费 y 万元，主要包括：……”所列科目应恰好是基本支出
    决算明细表中该部分金额不为零的各款（按名称比较）：漏列的、列了但表中为零的都报告。

    ## 原因
    这段文字是明细表的说明，列举应与表一致。明细表中印为 0.00 的科目（真实值可能不足 50 元）列出与否都不报。

    ## 错误示例
    明细表 30239 其他交通费用 0.01、30299 其他商品和服务支出 0.39，文字“公用经费……主要包括：办公费、
    差旅费”。

    ## 正确示例
    “主要包括：办公费、差旅费、劳务费、工会经费、福利费、其他交通费用、其他商品和服务支出”。
    """
    t6 = ctx.table("T6")
    if t6 is None:
        return
    lists = _item_lists(ctx)
    if not lists:
        return
    col = t6.layout.columns[0].header
    # per block (side): the 款 shown non-zero (key → row) and all 款 shown, zero or not — a
    # printed 0.00 may stand for up to 50 元: listing it is not a contradiction
    shown: dict[str, tuple[dict, set]] = {}
    side = _NO_SIDE      # the block of the previous row (a block's rows usually come together)
    for r in t6.rows:
        if len(r.code) == 5 and (v := r.cells.get(col)) is not None:
            if r.side != side:
                side = r.side
                nonzero, any_shown = shown.get(side) or shown.setdefault(side, ({}, set()))
            k = _item_key(r.label)
            any_shown.add(k)
            if v:
                nonzero[k] = r
    for i, block, listed, start in lists:
        nonzero, shown_zero = shown.get(block) or ({}, set())
        keys = [_item_key(x) for x in listed]
        named = set(keys)
        missing = [r for k, r in nonzero.items() if k not in named]
        extra = [x for x, k in zip(listed, keys) if k not in nonzero and k not in shown_zero]
        if not missing and not extra:
            continue
        where = para_where(ctx, "6", i, start)()
        if missing:
            yield hit(f"六：{block}未列出明细表中不为零的科目：" + "、".join(r.label for r in missing),
                      [where] + [ctx.where("T6", r, col) for r in missing],
                      [fmt(r.cells[col]) for r in missing])
        if extra:
            yield hit(f"六：{block}列出的科目在明细表中为零或不存在：" + "、".join(extra), [where], extra)


_NO_SIDE = object()


@per_check
def _item_lists(ctx: Context) -> list[tuple[int, str, list[str], int]]:
    """六's "人员经费/公用经费 x 万元，主要包括：…": (paragraph index, block, items, position); once per check."""
    out = []
    for i, text in enumerate(texts(ctx, "6")):
        for m in _LIST_RE.finditer(text):
            out.append((i, m.group(1), [x.strip() for x in _ITEM_SPLIT_RE.split(m.group(3)) if x.strip()],
                        m.start()))
    return out


# ---------------------------------------------------------------------------------------
# JS310 七/八 "无" statements vs the tables

@rule("JS310", "empty-fund-statement", "七、八：称“无”而表中有数，或表为空而文字有数", "error", "guide")
def fund_statements(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    七（政府性基金）、八（国有资本经营）写“本部门当年无……收入支出/支出”时，对应的表（政府性
    基金预算财政拨款收入支出决算表、国有资本经营预算财政拨款支出决算表）应为空表；反之亦然。

    ## 原因
    说明与表格互相矛盾。

    ## 错误示例
    政府性基金表本年支出 20.00，七写“本部门当年无政府性基金预算财政拨款收入支出”。

    ## 正确示例
    表为空（“本表无数据”），七写“本部门当年无政府性基金预算财政拨款收入支出”。
    """
    for n, tid in (("7", "T7"), ("8", "T8")):
        t = ctx.table(tid)
        if t is None:
            continue
        total = cell_fig(ctx, Cell(tid, "合计", "fund:total"), missing_zero=True)
        has = total is not None and total.value != 0
        for i, says_none, amounts in _fund_statements(ctx, n):
            if says_none and has:
                s = sentence(ctx, n, i)
                yield hit(f"{s.section}称无相关收支，但{t.title}本年支出为 {total.text}",  # type: ignore[union-attr]
                          [s.where(), total.where], [total.text])  # type: ignore[union-attr]
            if not has and t.empty and any(amounts):
                s = sentence(ctx, n, i)
                yield hit(f"{s.section}列有金额，但{t.title}为空表", [s.where(), {"table": tid}],
                          [str(a) for a in amounts if a])


_NONE_RE = re.compile(r"(?:没有|无)[^。，]{0,30}(?:收入|支出)")


@per_check
def _fund_statements(ctx: Context, n: str) -> list[tuple[int, bool, list[Decimal]]]:
    """Per paragraph of 七/八: (index, says there is none, the 万元 amounts); once per check."""
    out = []
    for i, text in enumerate(texts(ctx, n)):
        amounts = _AMOUNT_RE.findall(text) if "万元" in text else []
        says_none = not amounts and ("无" in text or "没有" in text) and _NONE_RE.search(text) is not None
        out.append((i, says_none, [Decimal(x) for x in amounts]))
    return out


# ---------------------------------------------------------------------------------------
# JS311 charts vs tables

# chart title words → (how labels map to cells)
_CHART_TOTALS = ((re.compile(r"财政拨款收、?支"), Cell("T4", "fiscal_grand_total:income", "value", "收入")),
                 (re.compile(r"收、?支决算总计"), Cell("T1", "grand_total:income", "value", "收入")))
_CHART_PARTS = (("收入决算结构", "T2", "合计"), ("支出决算结构", "T3", "合计"))


@rule("JS311", "chart-vs-table", "图表数据与表格不符", "error", "guide")
def charts(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    情况说明的图表（图1 收、支决算总计变动，图2 收入决算结构，图3 支出决算结构，图4 财政拨款收、支
    决算总计变动）所画的数，与表格比较：本年度的总计柱等于收入支出决算总表（图4：财政拨款收入支出
    决算总表）的总计；结构图各块等于收入决算表/支出决算表合计行的相应列。相差不超过 0.01 万元报提示。
    只检查带数据的图表（由数据生成的文档；已发布文件中的图片无法读数）。

    ## 原因
    图表是表格数字的另一种展示，数字不同会误导读者。

    ## 错误示例
    图3 支出决算结构中基本支出 335.78，支出决算表基本支出 353.78。

    ## 正确示例
    图3 基本支出 353.78、项目支出 940.70，与支出决算表合计行一致。
    """
    year = ctx.doc.year
    part = part_label(ctx, "narrative")
    for label, sec, _ in narrative_sections(ctx):
        for ch in sec.charts:
            where = {"part": part, "section": label, "chart": ch.title}
            pairs = list(zip(ch.labels, ch.values))
            total_cell = next((c for pat, c in _CHART_TOTALS if pat.search(ch.title)), None)
            if total_cell is not None and year:
                for lab, v in pairs:
                    if lab.startswith(str(year)) and v is not None:
                        table = cell_fig(ctx, total_cell)
                        if table is not None:
                            f = _chart_same(ch.title, lab, v, where, table)
                            if f is not None:
                                yield f
                continue
            found = next(((tid, row) for words, tid, row in _CHART_PARTS if words in ch.title), None)
            if found is None:
                continue
            tid, row_key = found
            row = ctx.row(tid, row_key)
            if row is None:
                continue
            for lab, v in pairs:
                col = next((h for h in row.cells if h == lab or h.replace("收入", "") == lab.replace("收入", "")), None)
                if col is None or v is None:
                    continue
                f = _chart_same(ch.title, lab, v, where, ctx.fig(tid, row, col))  # type: ignore[arg-type]
                if f is not None:
                    yield f


def _chart_same(title: str, label: str, value: Decimal, where: dict, table: Fig) -> Finding | None:
    if value == table.value:
        return None        # equal displayed figures always agree
    shown = Fig(value, 2, fmt(value), dict(where, label=label))
    v = compare(table, [(1, shown)], single_allowance=True)
    if v.ok and not v.tail:
        return None
    if v.ok:
        return hit(f"{title}“{label}”为 {shown.text}，表中为 {table.text}（尾差）", [shown.where, table.where],
                   [shown.text, table.text], "info")
    return hit(f"{title}“{label}”为 {shown.text}，与表中 {table.text} 不符", [shown.where, table.where],
               [shown.text, table.text])


# ---------------------------------------------------------------------------------------
# JS312 no vehicles vs vehicle running costs

@rule("JS312", "no-vehicles-but-running-costs", "称无车辆却有公务用车运行维护费", "warning", "guide")
def vehicles(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    国有资产占用情况说明称“无车辆”“共有车辆0辆”，而“三公”经费表公务用车运行维护费决算数、或基本
    支出明细表 30231 公务用车运行维护费不为零时，报警告。

    ## 原因
    没有车辆就不应发生车辆运行维护费；两处说法至少有一处需要解释（例如年内处置了车辆）。

    ## 错误示例
    十二写“截至2023年12月31日，本单位无车辆”，“三公”经费表公务用车运行维护费决算 2.40 万元。

    ## 正确示例
    十二写“共有车辆1辆”，或说明车辆已于年内处置。
    """
    said = _no_vehicles(ctx)
    if said is None:
        return
    words, pos = said
    costs = []
    t9 = ctx.table("T9")
    if t9 is not None and not t9.empty:
        f = cell_fig(ctx, Cell("T9", None, "final:vehicle_operation"))
        if f is not None and f.value:
            costs.append(f)
    r = ctx.row("T6", code="30231")
    if r is not None:
        t6 = ctx.table("T6")
        f = ctx.fig("T6", r, t6.layout.columns[0].header)  # type: ignore[union-attr]
        if f is not None and f.value:
            costs.append(f)
    if costs:
        yield hit(f"十二称“{words}”，但公务用车运行维护费为 {'、'.join(c.text for c in costs)} 万元",
                  [joined(ctx, "12").where(pos)] + [c.where for c in costs],  # type: ignore[union-attr]
                  [words] + [c.text for c in costs])


_NO_VEHICLES_RE = re.compile(r"无车辆|(?:共有|拥有)?车辆\s*0\s*辆")
_DISPOSED_RE = re.compile(r"处置|报废|移交|划转")


@per_check
def _no_vehicles(ctx: Context) -> tuple[str, int] | None:
    """十二's "无车辆" (words, position in the joined section) unless vehicles were disposed of; text only."""
    j = joined(ctx, "12")
    if j is None:
        return None
    m = _NO_VEHICLES_RE.search(j.text) if "车辆" in j.text else None
    if m is None or _DISPOSED_RE.search(j.text):
        return None
    return m.group(0), m.start()


# The notions of a change statement and of a stated reason that JS303/JS306 use, for the narrative
# facts the store keeps (juesuan/final/narrative_facts.py): one definition for both.
CHANGE_SECTIONS = _CHANGE_SECTIONS
CHANGE_AMOUNT_RE = _CHANGE_AMOUNT_RE
current_before = _current_before
has_reason = _has_reason
