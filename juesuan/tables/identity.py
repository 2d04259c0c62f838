"""Identities between table cells, declared as data: the types.

A document kind declares its accounting identities (审核公式) once with these types (the
决算's: :mod:`juesuan.final.identities`). Parsing scores candidate readings of a row by the
identities of its table (:func:`row_identities`); the rules check every declaration against
the document (:mod:`juesuan.rules.identities`).

Columns are named by their quantity key (``exp:basic``), resolved to the printed header of
the document's layout, so a regional variant with other headers is checked by the same
declarations. Rows are named by their layout key (``income:total``), by code
(``code:2010350``), as the table's 合计 row (``合计``), or None: the table's single data row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any, NamedTuple

__all__ = ["Cell", "FixedSum", "ColumnSum", "Hierarchy", "BlockSum", "SameFact", "AtLeast", "RowLookup",
           "row_lookup", "RowIdentity", "row_identities", "cells_of"]


class RowLookup(Enum):
    """How a declared cell's row is found in a table."""
    KEY = "key"                 # the first row with this layout key
    KEY_ON_SIDE = "key+side"    # the first row with this key on this side of a two-sided table
    CODE = "code"               # the first row with this classification code
    SINGLE = "single"           # the table's single data row (the 三公 table)
    TOTAL = "total"             # the 合计 row: keyed 合计, else the first uncoded top row labelled 合计


@lru_cache(maxsize=4096)
def row_lookup(row: str | None, side: str | None) -> tuple[RowLookup, Any]:
    """(how the row is found, the key it is looked up by) of a cell declared on ``row``, ``side``."""
    if row is None:
        return RowLookup.SINGLE, None
    if row.startswith("code:"):
        return RowLookup.CODE, row[5:]
    if row == "合计":
        return RowLookup.TOTAL, row
    if side is None:
        return RowLookup.KEY, row
    return RowLookup.KEY_ON_SIDE, (row, side)


@dataclass(frozen=True)
class Cell:
    """One cell: table, row (see the module), column key, side of a two-sided table."""
    table: str
    row: str | None
    column: str
    side: str | None = None

    @property
    def lookup(self) -> tuple[RowLookup, Any]:
        return row_lookup(self.row, self.side)


@dataclass(frozen=True)
class FixedSum:
    """total = Σ sign·part over fixed cells (T1, T4, T9)."""
    total: Cell
    parts: tuple[tuple[int, Cell], ...]
    what: str


@dataclass(frozen=True)
class ColumnSum:
    """In every row of ``table``: column ``total`` = Σ sign·column."""
    table: str
    total: str
    parts: tuple[tuple[int, str], ...]
    side: str | None = None
    what: str = ""


@dataclass(frozen=True)
class Hierarchy:
    """Classification rows: 类 = Σ款, 款 = Σ项 (``levels="class"``) or 合计 = Σ类 (``levels="total"``)."""
    table: str
    levels: str = "class"


@dataclass(frozen=True)
class BlockSum:
    """An economic table: each block's total (人员经费合计/公用经费合计) = Σ its 类; each 类 = Σ its 款."""
    table: str


@dataclass(frozen=True)
class SameFact:
    """The same quantity in two places (one unit of the last place is 尾差)."""
    a: Cell
    b: Cell
    what: str


@dataclass(frozen=True)
class AtLeast:
    """a ≥ b (e.g. 支出决算表 ≥ 一般公共预算财政拨款支出决算表, column by column)."""
    a: Cell
    b: Cell
    what: str


def cells_of(decl) -> tuple[Cell, ...]:
    """The cells a declaration names one by one (none for the row-wise kinds)."""
    t = type(decl)
    if t is FixedSum:
        return (decl.total, *[c for _, c in decl.parts])
    if t is SameFact or t is AtLeast:
        return (decl.a, decl.b)
    return ()


class RowIdentity(NamedTuple):
    """An identity within each row of a table, by column keys: total = Σ sign·part."""
    total: str
    parts: tuple[tuple[int, str], ...]


def row_identities(decls) -> dict[tuple[str, str | None], tuple[RowIdentity, ...]]:
    """The identities within a row, by (table, side), of the declarations ``decls``: every
    ``ColumnSum``, and every ``FixedSum`` whose cells all lie in a table's single data row (the
    三公 table). What parsing scores the readings of a row with."""
    out: dict[tuple[str, str | None], list[RowIdentity]] = {}
    for d in decls:
        if type(d) is ColumnSum:
            out.setdefault((d.table, d.side), []).append(RowIdentity(d.total, d.parts))
        elif type(d) is FixedSum and all(c.row is None and c.table == d.total.table for c in cells_of(d)):
            out.setdefault((d.total.table, None), []).append(
                RowIdentity(d.total.column, tuple((s, c.column) for s, c in d.parts)))
    return {k: tuple(v) for k, v in out.items()}
