"""Reading 情况说明 sentences: the helpers rule families share.

Owns how a rule gets at the paragraphs of a section of 第三部分 (normalised once per check,
:func:`texts`), the place of a position in them (:func:`place_at`, made only for a finding),
a section's paragraphs as one text (:class:`Joined`), the figures of a match (:func:`amount_in`,
:func:`pct_in`), and two comparisons every narrative check makes: a stated amount against
the table's (:func:`same_figure`, shared with the 预算: :mod:`juesuan.rules.statements`) and a
stated percentage against num/den (:func:`ratio_finding`). ``LEAD_NUM`` is ``text.NUM`` written
to lead a pattern cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from ...figures import places
from ...rules.context import Context, Fig, Finding, Sentence, compare_ratio, hit, per_check
from ...rules.statements import same_figure, sentence_at
from ...rules.text import norm_text
from .sections import section, sentences

__all__ = ["sentence_at", "texts", "sentence", "place_at", "searches", "Joined", "joined", "joined_where",
           "para_where", "amount_in", "pct_in", "same_figure", "ratio_finding", "rounded_ratio",
           "LEAD_NUM", "LEAD_AMOUNT"]


def _where(s: Sentence, text: str, pos: int) -> dict:
    loc = s.where()
    loc["sentence"] = sentence_at(text, pos)
    return loc


@per_check
def texts(ctx: Context, n: str) -> list[str]:
    """The normalised texts of the paragraphs of section ``n`` (with subsections), once per check:
    all that reading figures needs. The paragraphs are those of :func:`juesuan.final.rules.sections.sentences`, in
    the same order; their :class:`Sentence` (part, label, source) is made only for a place
    (:func:`sentence`): most statements agree with the tables and never need one."""
    found = section(ctx, n)
    return [] if found is None else [norm_text(p.text) for sec in found[1].walk() for p in sec.paragraphs]


def sentence(ctx: Context, n: str, i: int) -> Sentence:
    """Paragraph ``i`` of section ``n`` as a :class:`Sentence` (the section's made once per check)."""
    return _sentences(ctx, n)[i]


@per_check
def _sentences(ctx: Context, n: str) -> list[Sentence]:
    return sentences(ctx, n)


def place_at(ctx: Context, n: str, i: int, pos: int) -> dict:
    """The place of position ``pos`` in paragraph ``i`` of section ``n``."""
    return _where(sentence(ctx, n, i), texts(ctx, n)[i], pos)


@per_check
def searches(ctx: Context, n: str, pattern: re.Pattern) -> list[tuple[int, re.Match]]:
    """(paragraph index, first match) of ``pattern`` in each paragraph of section ``n`` where it
    occurs, once per check (the paragraphs themselves are not needed unless a finding asks
    for its place)."""
    return [(i, m) for i, text in enumerate(texts(ctx, n)) if (m := pattern.search(text))]


@dataclass
class Joined:
    """All paragraphs of a section as one text (items often run over several paragraphs)."""
    ctx: Context
    n: str
    text: str
    spans: list[tuple[int, int]]       # paragraph i is text[a:b]

    def where(self, pos: int) -> dict:
        last = len(self.spans) - 1
        for i, (a, b) in enumerate(self.spans):
            if a <= pos < b or i == last:
                return place_at(self.ctx, self.n, i, max(0, pos - a))
        raise AssertionError("a joined section has paragraphs")

    def amount(self, m: re.Match, group: int = 1) -> Fig:
        pos = m.start(group)
        return Fig.text_amount(m.group(group), lambda: self.where(pos))


@per_check
def joined(ctx: Context, n: str) -> Joined | None:
    """The paragraphs of section ``n`` as one text (None: the section has none)."""
    spans, pos = [], 0
    paras = texts(ctx, n)
    for t in paras:
        spans.append((pos, pos + len(t)))
        pos += len(t)
    return Joined(ctx, n, "".join(paras), spans) if spans else None


# Figures read from sentences get their place lazily: most agree with the tables and never
# need it, and cutting the sentence out of its paragraph costs more than the comparison.

def para_where(ctx: Context, n: str, i: int, pos: int) -> Callable[[], dict]:
    """The place of position ``pos`` in paragraph ``i`` of section ``n``, computed when asked."""
    return lambda: place_at(ctx, n, i, pos)


def amount_in(ctx: Context, n: str, i: int, m: re.Match, group: int = 1) -> Fig:
    """The 万元 amount of group ``group`` of match ``m`` in paragraph ``i`` of section ``n``."""
    return Fig.text_amount(m.group(group), para_where(ctx, n, i, m.start(group)))


def pct_in(ctx: Context, n: str, i: int, m: re.Match, group: int = 1) -> Fig:
    t = m.group(group)
    return Fig(Decimal(t), places(t), t + "%", para_where(ctx, n, i, m.start(group)))


def joined_where(ctx: Context, n: str, pos: int) -> Callable[[], dict]:
    """The place of position ``pos`` of section ``n`` joined (:func:`joined`), computed when asked."""
    return lambda: joined(ctx, n).where(pos)  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------
# numbers that lead a pattern, and stated percentages

CENT = Decimal("0.01")

# A number that begins a pattern, written so that the regex engine can skip ahead to the next
# digit (a pattern starting with a repeat is tried at every position) and tries each run of
# digits once, at its first digit (the possessive repeats give nothing back: a shorter run is
# followed by a digit, which nothing after the number may be). Scanned from the start of a
# text or from the end of a previous match, it matches exactly where NUM matches.
LEAD_NUM = r"(\d(?<!\d\d)\d*+(?:\.\d++)?)"
LEAD_AMOUNT = LEAD_NUM + r"\s*万元"


def ratio_finding(what: str, stated: Fig, num: Fig, den: Fig,
                   places_of: list[dict] | Callable[[], list[dict]]) -> Finding | None:
    """Stated percentage vs num/den: None, info (尾差), JS308-style truncation (warning) or error.

    ``places_of``: the finding's locations, or a function giving them (called only for a finding).
    """
    if den.value and stated.decimals <= 2 and \
            stated.value == (num.value / den.value * 100).quantize(CENT):
        return None   # the stated figure is the rounded ratio: it agrees, without 尾差 (see rounded_ratio)
    padded = stated.derive(decimals=max(stated.decimals, 2))
    v = compare_ratio(padded, num, den)
    if v is None:
        return None

    def found(message: str, figures: list[str], severity: str | None = None, tag: str | None = None) -> Finding:
        return hit(message, places_of() if callable(places_of) else places_of, figures, severity, tag)

    exact = (num.value / den.value * 100).quantize(CENT) if den.value else Decimal(0)
    if v.ok:
        if stated.value != exact:
            return found(f"{what}：所述 {stated.text} 与按列示数计算的 {exact}% 不同，在舍入误差范围内（尾差）",
                         [stated.text, num.text, den.text], "info")
        return None
    loose = compare_ratio(stated, num, den)
    if loose is not None and loose.ok and stated.decimals < 2:
        return found(f"{what}：百分比 {stated.text} 未保留两位小数（按 {num.text}/{den.text} 应为 {exact}%）",
                     [stated.text, f"{exact}%"], tag="truncated")
    if _truncation_of(stated, num, den):
        return found(f"{what}：百分比 {stated.text} 是截断而非四舍五入的结果（按 {num.text}/{den.text} 应为 {exact}%）",
                     [stated.text, f"{exact}%"], tag="truncated")
    return found(f"{what}：所述 {stated.text} 与 {num.text}/{den.text} = {exact}% 不符",
                 [stated.text, num.text, den.text])


def rounded_ratio(pct: str, num: Decimal, den: Decimal) -> bool:
    """Is the percentage written ``pct`` num/den rounded to two decimals? The first test of
    :func:`ratio_finding` on the written values: nearly every statement agrees so, and then no
    figure (with its place) needs to be built."""
    return bool(den) and places(pct) <= 2 and Decimal(pct) == (num / den * 100).quantize(CENT)


def _truncation_of(stated: Fig, num: Fig, den: Fig) -> bool:
    """Is the stated percentage num/den cut off (not rounded) at its decimals, for some values in the intervals?"""
    n, d = num.iv, den.iv
    if d.lo <= 0:
        return False
    lo, hi = n.lo / d.hi * 100, n.hi / d.lo * 100
    q = Decimal(1).scaleb(-stated.decimals)
    return lo.quantize(q, rounding=ROUND_DOWN) <= stated.value <= hi.quantize(q, rounding=ROUND_DOWN)
