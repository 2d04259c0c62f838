"""Exact (unrounded) yuan value of every cell of the nine tables, from a model.

The table builder writes each cell as an expression over the model's yuan leaves
and then rounds them all together for display. The workbook needs the same cells
*before* rounding: the template is pre-filled with them, and the reader checks the
figures a workbook states (totals, 类/款 rows, T1/T4) against them. Reusing the
builder's expressions keeps one definition of what every cell means.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Disclosure
from ..build import _Builder

__all__ = ["exact_cells", "CellKey"]

CellKey = tuple[str, str, str | None, str]   # table id, row key, side (two-sided only), column header


def exact_cells(d: Disclosure) -> dict[CellKey, tuple[Decimal, int]]:
    """(table, row key, side, column) → (yuan value, number of leaves it adds up)."""
    b = _Builder(d, "national")
    out: dict[CellKey, tuple[Decimal, int]] = {}
    for tid in b.var.order:
        lay = b.var.layouts[tid]
        start = len(b.cells)
        if lay.kind == "two_sided":
            b.two_sided(lay)
        elif lay.kind == "function":
            b.function_table(lay)
        elif lay.kind == "economic":
            b.economic_table(lay)
        else:
            b.three_public_table(lay)
        for row, column, expr in b.cells[start:]:
            v = sum((b.L[k] * c for k, c in expr.items()), Decimal(0))
            side = row.side if lay.kind == "two_sided" else None
            out[(tid, row.key, side, column)] = (v, sum(1 for k in expr if b.L[k]))
    return out
