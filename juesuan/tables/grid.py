"""A table as placed cells: what every renderer draws, for tables and forms alike.

A ``Grid`` is a rectangle of ``GridCell`` objects placed at (row, column) with row/column spans:
header rows (merged multi-row headers), the 栏次 row, body rows and footer rows. The renderers
make one of each table (:mod:`juesuan.renderers._grid`, from its layout) and a document kind's
forms make their own (the 决算's 绩效自评表: :mod:`juesuan.final.forms`); the DOCX, XLSX, text,
Typst and HTML renderers draw any grid alike.

Numbers stay ``Decimal`` (displayed 万元); each renderer formats them (through
:func:`juesuan.figures.fmt_cell`, or as numbers with a number format in XLSX).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

__all__ = ["GridCell", "Grid", "CellKind"]

CellKind = Literal["head", "lanci", "label", "code", "no", "num", "text", "center"]


@dataclass
class GridCell:
    row: int
    col: int
    text: str = ""
    value: Decimal | None = None      # for kind == "num"
    kind: CellKind = "text"
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False
    # what a table's cell shows: (its Row, the column header; None for the row's label), so that a
    # place (table, row, column) can be found in the grid (the web page marks findings there)
    ref: tuple[Any, str | None] | None = None


@dataclass
class Grid:
    ncols: int
    header_rows: int                  # rows repeated on every page (headers and 栏次)
    cells: list[GridCell] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)   # relative column widths (≈ characters)
    nrows: int = 0
    landscape: bool = False           # wide: print across the page

    def put(self, row: int, col: int, text: str = "", *, kind: CellKind = "text", value: Decimal | None = None,
            rowspan: int = 1, colspan: int = 1, bold: bool = False,
            ref: tuple[Any, str | None] | None = None) -> GridCell:
        c = GridCell(row, col, text, value, kind, rowspan, colspan, bold, ref)
        self.cells.append(c)
        self.nrows = max(self.nrows, row + rowspan)
        return c

    def by_row(self) -> list[list[GridCell]]:
        rows: list[list[GridCell]] = [[] for _ in range(self.nrows)]
        for c in self.cells:
            rows[c.row].append(c)
        for r in rows:
            r.sort(key=lambda c: c.col)
        return rows


