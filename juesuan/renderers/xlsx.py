"""Excel workbook of a Document: the nine tables in the national layout, one sheet each,
plus a sheet 绩效自评 with the 部门整体 and 项目 绩效自评表.

Every table sheet has the same regular shape, so that it can be read back as an
input workbook: row 1 the title (2023年度收入支出决算总表), row 2 部门 (left) and
金额单位 (right), then the merged header rows, the 栏次 row, and the data rows;
the empty-table sentence, if any, follows the data. Cells come from
:mod:`juesuan.renderers._grid` (which reads the table layouts); figures are written
as numbers (``Decimal``, 万元) with the format ``#,##0.00``, zero as a blank cell
as in the printed tables.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from .. import _openpyxl  # noqa: F401,I001  - must precede openpyxl: keeps numpy out
from ..document import Document
from ._grid import Grid, table_grid, table_heading

__all__ = ["write_xlsx", "NUMBER_FORMAT", "SHEET_PERFORMANCE"]

NUMBER_FORMAT = "#,##0.00"
SHEET_PERFORMANCE = "绩效自评"
FIRST_GRID_ROW = 3          # title in row 1, 部门/金额单位 in row 2

_FONT = "宋体"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_ALIGN = {
    "head": Alignment(horizontal="center", vertical="center", wrap_text=True),
    "lanci": Alignment(horizontal="center", vertical="center"),
    "code": Alignment(horizontal="center", vertical="center"),
    "no": Alignment(horizontal="center", vertical="center"),
    "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
    "num": Alignment(horizontal="right", vertical="center"),
    "label": Alignment(horizontal="left", vertical="center", wrap_text=True),
    "text": Alignment(horizontal="left", vertical="center", wrap_text=True),
}
_FONTS = {b: Font(name=_FONT, size=10, bold=b) for b in (False, True)}


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel sheet name: ≤ 31 characters, none of []:*?/\\, unique in the workbook."""
    name = "".join(ch for ch in title if ch not in '[]:*?/\\')[:31]
    base, i = name, 2
    while name in used:
        suffix = f"({i})"
        name = base[:31 - len(suffix)] + suffix
        i += 1
    used.add(name)
    return name


def _style_name(kind: str, bold: bool) -> str:
    return f"juesuan-{kind}{'-bold' if bold else ''}"


def _named_styles(wb: Workbook) -> None:
    """One named style per cell kind (and bold): a cell takes all its formatting in one
    assignment, which is several times faster in openpyxl than font/border/fill one by one."""
    for kind, align in _ALIGN.items():
        for bold in (False, True):
            st = NamedStyle(name=_style_name(kind, bold), font=_FONTS[bold], alignment=align, border=_BORDER)
            if kind in ("head", "lanci"):
                st.fill = _HEAD_FILL
            if kind == "num":
                st.number_format = NUMBER_FORMAT
            wb.add_named_style(st)


def _draw(ws: Worksheet, g: Grid, row0: int, col0: int = 1) -> int:
    """Write a grid with its top-left corner at (row0, col0); return the next free row."""
    for c in g.cells:
        r, k = row0 + c.row, col0 + c.col
        style = _style_name(c.kind, c.bold)
        # every cell of a merged range gets the style: Excel draws the borders of each
        for rr in range(r, r + c.rowspan):
            for kk in range(k, k + c.colspan):
                ws.cell(row=rr, column=kk).style = style
        cell = ws.cell(row=r, column=k)
        if c.kind == "num":
            if c.value is not None and c.value != 0:
                cell.value = c.value
        elif c.text:
            cell.value = int(c.text) if c.kind in ("lanci", "no") and c.text.isdigit() else c.text
        if c.rowspan > 1 or c.colspan > 1:
            _merge(ws, r, k, r + c.rowspan - 1, k + c.colspan - 1)
    return row0 + g.nrows


def _merge(ws: Worksheet, r0: int, c0: int, r1: int, c1: int) -> None:
    """Declare a merged range. ``ws.merge_cells`` also re-draws the range's borders cell by
    cell (most of the writing time); the cells here already carry their borders, and
    the file only needs the range (``<mergeCell ref=…>``)."""
    # the grids never overlap their merges, so skip MultiCellRange.add's linear containment test
    ws.merged_cells.ranges.add(CellRange(min_col=c0, min_row=r0, max_col=c1, max_row=r1))


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for i, w in enumerate(widths, 1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, w * 1.6 + 2)


def _print_setup(ws: Worksheet, landscape: bool, header_rows: str | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if header_rows:
        ws.print_title_rows = header_rows


def _table_sheet(ws: Worksheet, doc: Document, t) -> None:
    g = table_grid(t)
    ws.cell(row=1, column=1, value=table_heading(t)).font = Font(name=_FONT, size=16, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    _merge(ws, 1, 1, 1, g.ncols)
    ws.row_dimensions[1].height = 30
    ws.cell(row=2, column=1, value=f"部门：{t.entity or doc.entity}").font = _FONTS[False]
    unit = ws.cell(row=2, column=g.ncols, value=f"金额单位：{t.unit}")
    unit.font = _FONTS[False]
    unit.alignment = Alignment(horizontal="right")
    end = _draw(ws, g, FIRST_GRID_ROW)
    sentence = t.note
    if sentence:
        ws.cell(row=end + 1, column=1, value=sentence).font = _FONTS[False]
        _merge(ws, end + 1, 1, end + 1, g.ncols)
    _widths(ws, g.widths)
    ws.freeze_panes = ws.cell(row=FIRST_GRID_ROW + g.header_rows, column=1)
    _print_setup(ws, g.landscape, f"{FIRST_GRID_ROW}:{FIRST_GRID_ROW + g.header_rows - 1}")


def _performance_sheet(ws: Worksheet, doc: Document) -> None:
    row = 1
    blocks: list[tuple[str, Grid]] = [(f.heading(doc), f.grid(doc)) for f in doc.forms_in("attachments")]
    ncols = max((g.ncols for _, g in blocks), default=1)
    for title, g in blocks:
        cell = ws.cell(row=row, column=1, value=title)
        cell.font = Font(name=_FONT, size=14, bold=True)
        cell.alignment = Alignment(horizontal="center")
        _merge(ws, row, 1, row, g.ncols)
        row = _draw(ws, g, row + 1) + 2
        ws.row_breaks.append(_break(row - 2))
    if not blocks:
        ws.cell(row=1, column=1, value="本部门未公开绩效自评表。").font = _FONTS[False]
    for i in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(i)].width = 16
    ws.column_dimensions["D"].width = 30
    _print_setup(ws, False, None)


def _break(row: int):
    from openpyxl.worksheet.pagebreak import Break
    return Break(id=row)


def _part_forms_sheet(ws: Worksheet, part, g: Grid, heading: str = "") -> None:
    """A form printed in the body of a part (the 重点工作 table, the 预算's 绩效目标表), on a sheet of
    its own under its heading, or the part's title when it has none."""
    ws.cell(row=1, column=1, value=heading or part.title).font = Font(name=_FONT, size=14, bold=True)
    _merge(ws, 1, 1, 1, g.ncols)
    _draw(ws, g, 2)
    _widths(ws, g.widths)
    ws.freeze_panes = "A3"
    _print_setup(ws, False, "2:2")


def build_workbook(doc: Document) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    _named_styles(wb)
    used: set[str] = set()
    if doc.tables is not None:
        for t in doc.tables:
            _table_sheet(wb.create_sheet(_sheet_title(t.title, used)), doc, t)
    if doc.part("attachments") is not None or not doc.forms_in("tables"):   # (a 预算 attaches no 自评表)
        _performance_sheet(wb.create_sheet(_sheet_title(SHEET_PERFORMANCE, used)), doc)
    for part in doc.parts:
        if part.key != "attachments":
            for f in doc.forms_in(part.key):
                ws = wb.create_sheet(_sheet_title(f.form_name.removesuffix("表"), used))
                _part_forms_sheet(ws, part, f.grid(doc), f.heading(doc))
    wb.properties.title = doc.title
    wb.properties.creator = "juesuan"
    return wb


def write_xlsx(doc: Document, path: Path) -> None:
    build_workbook(doc).save(path)
