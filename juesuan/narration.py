"""What the kinds' narratives share: figures in sentences, and what a section builder reads.

A document kind's narrative (the 决算's :mod:`juesuan.final.narrative`, the 预算's
:mod:`juesuan.budget.narrative`) writes every figure its tables show from the tables (controlled
rounded: the text and the tables always agree) and figures outside them rounded once from yuan
(:func:`wan`); percentages are computed from displayed figures (:func:`percent_of`, :func:`pct`).
What the data do not give is a visible 【待填写：…】 marker (:meth:`Narration.placeholder`), never 0 or
无, remembered so that ``build`` lists them. :class:`Narration` is the part of a kind's context (its
``Ctx``) that does not know the kind: the tables, the placeholders, cells by row and column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from .document import GlossaryEntry, Paragraph
from .figures import WAN, round_half_up
from .tables.table import Table, TableSet

__all__ = ["Narration", "wan", "pct", "trim", "percent_of", "glossary", "HUNDRED"]

HUNDRED = Decimal(100)


def wan(yuan: Decimal | None) -> Decimal | None:
    """One rounding of a yuan amount to 万元 (half up, 0.01 万元)."""
    if yuan is None:
        return None
    return round_half_up(yuan / WAN, 2)


def trim(v: Decimal) -> str:
    """Two decimals with trailing zeros trimmed, as the seed prints rates: 95, 87.67, 99.5."""
    s = f"{v.quantize(Decimal('0.01')):.2f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def percent_of(num: Decimal, den: Decimal) -> Decimal | None:
    """num/den in percent, two decimals (half up); None when den is zero."""
    if den == 0:
        return None
    return round_half_up(num / den * HUNDRED, 2)


def pct(num: Decimal, den: Decimal, trimmed: bool = False) -> str:
    p = percent_of(num, den)
    if p is None:
        return ""
    return (trim(p) if trimmed else f"{p:.2f}") + "%"


class Narration:
    """Mixed into a kind's narrative context, which has ``tables`` (a :class:`TableSet`) and
    ``placeholders`` (a list): figures read from the tables, placeholders, reasons."""

    tables: TableSet
    placeholders: list[str]

    def cell(self, tid: str, row_key: str, column: str) -> Decimal:
        t: Table = self.tables[tid]
        return t.value(row_key, column)

    def column(self, tid: str, key: str) -> str:
        """Header text of the column of table ``tid`` that shows quantity ``key``."""
        lay = self.tables[tid].layout
        cols = lay.columns or tuple(c for s in lay.sides for c in s.columns)
        for c in cols:
            if c.key == key:
                return c.header
        raise KeyError(f"{tid} has no column {key}")

    def placeholder(self, what: str) -> str:
        """A visible 【待填写：…】 marker, remembered for the console warning."""
        text = f"【待填写：{what}】"
        if text not in self.placeholders:
            self.placeholders.append(text)
        return text

    def reason(self, given: str | None, what: str) -> str:
        """The reason from the data, or a placeholder saying which reason is missing."""
        if given and given.strip():
            return given.strip().rstrip("。；;.")
        return self.placeholder(what)

    def para(self, text: str, kind: str = "text") -> Paragraph:
        return Paragraph(text, kind=kind)  # type: ignore[arg-type]


def glossary(entries: Iterable[Mapping], words: Mapping[str, str], items: Callable[[], Iterable[tuple[str, str]]],
             phone: str | None, numbering: str = "（{cn}）") -> tuple[list[Paragraph], list[GlossaryEntry]]:
    """The 名词解释 of a kind's glossary entries (``term`` and ``text``, whose ``{…}`` the level
    ``words`` fill; an entry with ``function_codes`` lists ``items()``: the 功能分类 项 the document
    shows, as (title, note)), numbered 〔一〕…, and the 公开咨询电话 when given."""
    from .zh import cn_number
    out: list[GlossaryEntry] = []
    paras: list[Paragraph] = []
    for n, e in enumerate(entries, 1):
        number = numbering.format(cn=cn_number(n))
        if e.get("function_codes"):
            out.append(GlossaryEntry(number, e["term"], ""))
            paras.append(Paragraph(f"{number}{e['term']}"))
            for i, (title, note) in enumerate(items(), 1):
                out.append(GlossaryEntry(f"{i}.", title, note))
                paras.append(Paragraph(f"{i}.{title}：{note}", kind="item"))
            continue
        text = e["text"].format(**words)
        out.append(GlossaryEntry(number, e["term"], text))
        paras.append(Paragraph(f"{number}{e['term']}：{text}"))
    if phone:
        paras.append(Paragraph(f"公开咨询电话：{phone}"))
    return paras, out
