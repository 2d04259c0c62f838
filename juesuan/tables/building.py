"""Building a kind's tables from its model: every cell an expression over yuan leaves, rounded together.

A kind's builder (the 决算's :mod:`juesuan.final.build`, the 预算's :mod:`juesuan.budget.build`) writes
every cell of every table as a linear expression over its model's leaves (:data:`Expr`) into a
:class:`CellPlan`; :meth:`CellPlan.round` then hands all expressions to
:func:`juesuan.tables.rounding.controlled_round` together and sets every cell to the value of its
expression over the rounded leaves (万元). This is why one fact prints one figure in every table and
every displayed identity holds exactly. The 功能分类 helpers (:func:`function_nodes`, :func:`code_level`)
are how both kinds list the 类/款/项 rows of a table by 功能分类.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal

from ..figures import WAN
from .rounding import Expr, RoundingResult, controlled_round
from .table import Row

__all__ = ["CellPlan", "add", "neg", "function_nodes", "code_level", "weight"]


def add(*exprs: Expr, sign: int = 1) -> dict[Hashable, int]:
    """The sum of ``exprs`` (times ``sign``), terms that cancel left out."""
    out: dict[Hashable, int] = defaultdict(int)
    for e in exprs:
        for k, c in e.items():
            out[k] += c * sign
    return {k: c for k, c in out.items() if c}


def neg(e: Expr) -> dict[Hashable, int]:
    return {k: -c for k, c in e.items()}


def function_nodes(codes: Iterable[str]) -> list[str]:
    """The 类, 款 and 项 codes of the 项 ``codes``, sorted (a table's rows by 功能分类)."""
    nodes: set[str] = set()
    for c in codes:
        nodes.update((c[:3], c[:5], c))
    return sorted(nodes)


def code_level(code: str) -> int:
    """1 类, 2 款, 3 项 (by the length of a 功能分类 code); 0 for a total."""
    return {3: 1, 5: 2, 7: 3}.get(len(code), 0)


def weight(level: int) -> int:
    """How much keeping a figure at its nearest rounding matters: totals most, 项 least."""
    return {0: 100, 1: 10, 2: 4, 3: 1}[level]


class CellPlan:
    """The cells of a kind's tables as expressions over ``leaves`` (yuan), rounded together."""

    def __init__(self, leaves: Mapping[Hashable, Decimal]):
        self.L = leaves
        self.quantities: list[tuple[Expr, int]] = []
        self.tie_groups: dict[tuple, list[Expr]] = defaultdict(list)
        self.cells: list[tuple[Row, str, Expr]] = []

    def true(self, expr: Expr) -> Decimal:
        """The yuan value of ``expr``."""
        return sum((self.L[k] * c for k, c in expr.items()), Decimal(0))

    def q(self, row: Row, column: str, expr: Expr, level: int, tie_key: str, headline: bool = False) -> None:
        """The cell ``row`` × ``column`` shows ``expr``; figures of one ``tie_key`` and yuan value are
        kept equal where they can be (soft ties). Headline totals (本年收入/支出合计, 总计) keep their
        nearest rounding first."""
        self.quantities.append((expr, 1000 if headline else weight(level)))
        true = self.true(expr)
        if true:
            self.tie_groups[(tie_key, true)].append(expr)
        self.cells.append((row, column, expr))

    def round(self, hard_ties: list[tuple[Expr, Expr]] = ()) -> RoundingResult:
        """Round every leaf once (``hard_ties``: two figures of one fact that must show alike) and set
        each cell to its expression's value in 万元 (``Row.exact`` its unrounded value)."""
        soft_ties = []
        for exprs in self.tie_groups.values():
            for a, b in zip(exprs, exprs[1:]):
                if a != b:
                    soft_ties.append((a, b))
        result = controlled_round(self.L, self.quantities, hard_ties, soft_ties)
        for row, column, expr in self.cells:
            row.cells[column] = result.value(expr) / WAN
            row.exact[column] = self.true(expr) / WAN
        return result
