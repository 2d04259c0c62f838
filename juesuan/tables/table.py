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
from typing import Any, NamedTuple

from ..figures import fmt
from ..place import Place
from .layout import TableLayout

__all__ = ["Row", "Table", "TableSet", "FACTS_HEADER", "Reading", "READING_HOW", "TYPED", "CERTAINTY",
           "certainty_of"]

FACTS_HEADER = ("table", "code", "label", "column", "value")


# How a figure was read, from the most to the least certain:
READING_HOW = (
    "typed",               # entered as data (canonical data, a workbook) or built from it: exact
    "ruled-cell",          # the cell of a ruled table (PDF rules, DOCX/HTML cells): exact
    "positional",          # a cell found by its position on a line (tabs, column gaps)
    "chosen-by-identity",  # one of the readings of a line: the one the row's identities hold for
    "scored",              # placed by order among readings that the identities do not tell apart
    "repaired",            # put back where it belongs (a figure displaced to the next line, a total summed)
    "blank",               # nothing printed where the layout has a cell: read as a blank (0)
    "ocr",                 # recognised from a page image
    "unread",              # its line was not read: the figure is not known
)


class Reading(NamedTuple):
    """How one displayed figure of a table was read: the carrier of "no accusation without
    certainty". ``confidence`` is 1.0 for a cell read exactly; ``alternatives`` are the other
    values the same printed line allows for this cell."""
    value: Decimal | None
    text: str = ""                       # as printed ("1, 294. 48"); "" for data and blanks
    place: Place | None = None           # where: page, line, box, table, row, column
    how: str = "typed"                   # one of READING_HOW, with a note after ":" where useful
    confidence: float = 1.0
    alternatives: tuple[Decimal | None, ...] = ()

    @property
    def exact(self) -> bool:
        return self.confidence >= 1.0


TYPED = "typed"

# the classes of :meth:`Table.certainty`, from the surest
CERTAINTY = ("exact", "inferred", "ambiguous", "ocr", "unread")


def certainty_of(reading: Reading) -> str:
    """The class of ``reading`` among :data:`CERTAINTY`."""
    how = reading.how.split(":", 1)[0]
    if how == "unread":
        return "unread"
    if how == "ocr":
        return "ocr"
    if reading.exact:
        return "exact"
    if reading.alternatives or how == "scored":
        return "ambiguous"
    return "inferred"


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
    readings: dict[str, Reading] = field(default_factory=dict)  # parsed docs: how each cell was read

    def reading(self, column: str) -> Reading:
        """How the cell of ``column`` was read: its reading when parsed, else typed (exact)."""
        got = self.readings.get(column)
        return got if got is not None else Reading(self.cells.get(column))


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
    read: bool = False          # read back from a published document (else built or typed: exact)
    unread: list[dict[str, Any]] = field(default_factory=list)   # its lines that could not be read
    number: str = ""            # its printed number (公开01表, 表七, 附表1), "" when none is printed
    pending: str = ""           # built from data that do not give its figures: the 【待填写：…】 printed under it

    @property
    def title(self) -> str:
        return self.layout.title

    @property
    def note(self) -> str:
        """The sentence printed under the table: what is still to be filled in (``pending``), or for an
        empty table its layout's 无数据 sentence; "" when none."""
        return self.pending or (self.layout.empty_sentence if self.empty else "")

    def reading(self, row: Row, column: str) -> Reading:
        """How the cell ``row`` × ``column`` was read: its reading; for a built table, typed (exact);
        for a table read from a document, a cell with no reading was not read (a fixed row whose
        line was not found)."""
        got = row.readings.get(column)
        if got is not None:
            return got
        return Reading(row.cells.get(column), how="unread", confidence=0.0) if self.read else \
            Reading(row.cells.get(column))

    def certainty(self) -> dict[str, int]:
        """How surely its cells were read, counted: ``exact`` (found unambiguously), ``inferred``
        (placed by an identity or by position, repaired, a blank taken as 0), ``ambiguous`` (other
        placements remain), ``ocr`` (recognised from a page image), ``unread`` (a cell of a row the
        table should have whose line was not read); ``unread_lines``: the table's lines that could
        not be read at all. A built table's cells are all exact."""
        out = dict.fromkeys(CERTAINTY, 0)
        for r in self.rows:
            for col in r.cells:
                out[certainty_of(self.reading(r, col))] += 1
        out["unread_lines"] = len(self.unread)
        return out

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
