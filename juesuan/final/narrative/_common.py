"""Shared vocabulary of the narrative: how figures are written and where they come from.

Owns the ``Ctx`` passed to every section builder: the model, its controlled-rounded
tables, the placeholder list, and the few formatting rules of 情况说明 sentences
(万元 with two decimals, percentages computed from *displayed* figures, words like
增加/减少 chosen from the figures). Figures that the tables show are always read
from the tables; figures outside them are rounded once from yuan here (``wan``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ...document import Paragraph
from ...figures import WAN, fmt_sentence, round_half_up
from ...tables.table import Table, TableSet
from ..model import Disclosure

__all__ = ["Ctx", "wan", "pct", "trim", "percent_of"]

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


@dataclass
class Ctx:
    d: Disclosure
    tables: TableSet
    placeholders: list[str] = field(default_factory=list)

    # ---- figures read from the tables ----------------------------------------------
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

    # ---- words -----------------------------------------------------------------------
    @property
    def year(self) -> int:
        return self.d.year

    @property
    def prior(self) -> int:
        return self.d.year - 1

    @property
    def name(self) -> str:
        return self.d.entity.name

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

    def change(self, subject: str, current: Decimal, prior: Decimal | None, reason: str | None,
               *, each: bool = False, what: str | None = None, sep: str = "，") -> str:
        """"与2022年度相比，{subject}减少438.13万元，下降25.29%，主要原因是…。"

        ``current`` and ``prior`` are displayed 万元 figures; the change and its
        percentage are computed from them. A change without a reason in the data
        gets a placeholder.
        """
        head = f"与{self.prior}年度相比，"
        if prior is None:
            return head + f"{subject}" + self.placeholder(f"{self.prior}年度{subject}决算数") + "。"
        diff = current - prior
        if diff == 0:
            return head + f"{subject}持平。"
        word, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
        s = head + f"{subject}{'各' if each else ''}{word}{fmt_sentence(abs(diff))}万元"
        p = percent_of(abs(diff), prior)
        if p is not None:
            s += f"，{trend}{p:.2f}%"
        why = self.reason(reason, what or f"{subject}{word}的原因")
        return s + f"{sep}主要原因是{why}。"

    def para(self, text: str, kind: str = "text") -> Paragraph:
        return Paragraph(text, kind=kind)  # type: ignore[arg-type]
