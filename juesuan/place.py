"""Where something is: one ``Place`` for diagnostics, findings, parse events and source lines.

A place names as much as is known, in the user's terms: the file and its line (data files),
the page, line and box (published documents), the sheet!cell and field path (workbooks and
canonical data), the table, side, row and column (a table cell), the part, section and
sentence (the narrative), a chart and its label. Every field is optional; ``to_dict`` gives
the fields that are set, in a fixed order (the ``locations`` of ``check --format json``).

:func:`place_text` writes a place as a reader wants it:
``表T3 “208 社会保障和就业支出”行 “本年支出合计”列（第12页第3行）``, or
``examples/bad.yaml:8 income[0].general`` for a place in a data file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

__all__ = ["Place", "place_text"]


class Place(NamedTuple):
    """A place (see the module). A named tuple, as beancount's directives are: immutable, and
    made by the hundred per check at the cost of a tuple."""

    file: str | None = None          # the file (data files, batch runs)
    part: str | None = None          # 第三部分
    section: str | None = None       # 五（三）
    table: str | None = None         # T3, or a self-evaluation table's name
    side: str | None = None          # 收入 / 支出 of a two-sided table
    row: str | None = None           # the row as printed: "208 社会保障和就业支出"
    column: str | None = None        # the column header as printed
    chart: str | None = None         # 图3 的标题
    label: str | None = None         # a chart's label
    note: str | None = None          # e.g. 未列示 (a blank row the table does not list)
    sentence: str | None = None      # the sentence quoted
    page: int | None = None
    line: int | None = None          # the line in the file (text, data) or on the page (PDF)
    end_line: int | None = None      # a paragraph's last line
    bbox: tuple[float, ...] | None = None   # x0, top, x1, bottom on the page (PDF)
    cell: str | None = None          # sheet!cell of a workbook
    path: str | None = None          # the field path in the data: expenditure[3].basic

    @classmethod
    def of(cls, where: Place | dict[str, Any]) -> Place:
        """A place from another place or from a dictionary of its fields (unknown keys are an error)."""
        if type(where) is Place:
            return where
        bbox = where.get("bbox")
        if bbox is not None and type(bbox) is not tuple:
            where = {**where, "bbox": tuple(bbox)}
        return cls(**where)

    def to_dict(self) -> dict[str, Any]:
        """The fields that are set, in order (a box as a list, as JSON has it)."""
        return {f: (list(v) if f == "bbox" else v) for f, v in zip(self._fields, self) if v is not None}

    def __str__(self) -> str:
        return place_text(self)


def place_text(p: Place | dict[str, Any], titles: Mapping[str, str] | None = None) -> str:
    """A place in words, as reports print it (see the module); ``titles``: the tables' printed
    titles by id, so that a reader sees 收入决算表, not 表T2."""
    p = Place.of(p)
    bits: list[str] = []
    if p.file is not None:
        bits.append(p.file + (f":{p.line}" if p.line and p.page is None else ""))
        if p.cell:
            bits.append(p.cell)
        if p.path:
            bits.append(p.path)
    if p.table is not None:
        t = p.table
        if titles and titles.get(t):
            bits.append(titles[t])
        else:
            bits.append(t if not t.startswith("T") or len(t) > 3 else f"表{t}")
        if p.side is not None:
            bits.append(f"{p.side}方")
        if p.row is not None:
            bits.append(f"“{p.row}”行")
        if p.column is not None:
            bits.append(f"“{p.column}”列")
    else:
        if p.part is not None:
            bits.append(str(p.part))
        if p.section is not None:
            bits.append(str(p.section))
        if p.chart is not None:
            bits.append(f"{p.chart}" + (f"“{p.label}”" if p.label is not None else ""))
    where = []
    if p.page is not None:
        where.append(f"第{p.page}页")
    if p.line is not None and (p.file is None or p.page is not None):
        where.append(f"第{p.line}行")
    s = " ".join(bits)
    if where:
        s += f"（{''.join(where)}）"
    if p.sentence is not None and p.table is None:
        sent = str(p.sentence)
        s += "：“" + (sent if len(sent) <= 80 else sent[:78] + "…") + "”"
    return s
