"""Table values: what a table shows, whether built from data or read from a document.

A ``Table`` is a layout plus rows of displayed figures (``Decimal`` in the table's
unit, normally 万元 with two decimals). A figure stands for an interval: see
:func:`juesuan.figures.interval`. Built and parsed tables share this type, so the
facts CSV, the renderers and the rules treat both alike.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..figures import fmt
from .layout import TableLayout

__all__ = ["Row", "Table", "TableSet", "FACTS_HEADER"]

FACTS_HEADER = ("table", "code", "label", "column", "value")


@dataclass(slots=True)
class Row:
    key: str
    label: str
    code: str = ""
    line: int | None = None        # 行次
    side: str | None = None        # 收入/支出 (two-sided) or block (T6)
    level: int = 0                 # 0 合计, 1 类, 2 款, 3 项
    cells: dict[str, Decimal | None] = field(default_factory=dict)  # column header -> value
    exact: dict[str, Decimal] = field(default_factory=dict)  # built tables: unrounded 万元 value
    source: dict[str, Any] = field(default_factory=dict)  # where it was read (parsed docs)


@dataclass(slots=True)
class Table:
    id: str
    layout: TableLayout
    rows: list[Row]
    entity: str = ""
    year: int | None = None
    unit: str = "万元"
    empty: bool = False
    source: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.layout.title

    def row(self, key: str | None = None, *, code: str | None = None, label: str | None = None,
            side: str | None = None) -> Row | None:
        for r in self.rows:
            if key is not None and r.key != key:
                continue
            if code is not None and r.code != code:
                continue
            if label is not None and r.label != label:
                continue
            if side is not None and r.side != side:
                continue
            return r
        return None

    def value(self, row_key: str, column: str) -> Decimal:
        r = self.row(row_key)
        if r is None:
            return Decimal(0)
        v = r.cells.get(column)
        return v if v is not None else Decimal(0)

    def facts(self) -> list[tuple[str, str, str, str, str]]:
        out = []
        for r in self.rows:
            if not r.label:
                continue
            for col, v in r.cells.items():
                column = f"{r.side}:{col}" if self.layout.kind == "two_sided" else col
                out.append((self.id, r.code, r.label, column, fmt(v if v is not None else Decimal(0))))
        return out


@dataclass
class TableSet:
    tables: dict[str, Table]
    order: tuple[str, ...]
    variant: str = "national"
    entity: str = ""
    year: int | None = None
    rounding: Any = None

    def __getitem__(self, tid: str) -> Table:
        return self.tables[tid]

    def __iter__(self):
        return (self.tables[t] for t in self.order if t in self.tables)

    def facts(self) -> list[tuple[str, str, str, str, str]]:
        rows = []
        for tid in sorted(self.tables):
            rows.extend(self.tables[tid].facts())
        return rows

    def facts_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(FACTS_HEADER)
        w.writerows(self.facts())
        return buf.getvalue()
