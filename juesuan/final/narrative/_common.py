"""Shared vocabulary of the narrative: how figures are written and where they come from.

Owns the ``Ctx`` passed to every section builder: the model, its controlled-rounded
tables, the placeholder list, and the few formatting rules of 情况说明 sentences
(万元 with two decimals, percentages computed from *displayed* figures, words like
增加/减少 chosen from the figures). Figures that the tables show are always read
from the tables; figures outside them are rounded once from yuan (``wan``). What does not
know the 决算 (cells, placeholders, reasons, ``wan``, ``pct``) is :mod:`juesuan.narration`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ...figures import fmt_sentence
from ...narration import Narration, pct, percent_of, trim, wan
from ...tables.table import TableSet
from ..model import Disclosure

__all__ = ["Ctx", "wan", "pct", "trim", "percent_of"]


@dataclass
class Ctx(Narration):
    d: Disclosure
    tables: TableSet
    placeholders: list[str] = field(default_factory=list)

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
