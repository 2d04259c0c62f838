"""Workbook files → sheet grids: values (cached values of formulas), merges, uncached formulas.

python-calamine reads .xlsx/.xlsm/.xls fast and gives the cached value of every
formula cell. What it cannot say — whether an empty cell is really a formula that
was never calculated (files written by scripts, e.g. openpyxl, have none), or an
Excel error value (#DIV/0!, which it reads as blank) — is read from the sheet XML
directly, without loading the workbook a second time: a scan for ``<f>`` elements
without a ``<v>`` value and for cells of type ``e``.

A hostile or damaged file gets a message saying what to do, never an abort: the file
is recognised by its first bytes before any library opens it (an .xlsx named .xls, an
old .xls, an encrypted file, a PDF or web page named .xlsx), an .xlsx is checked for
zip bombs (:func:`juesuan.limits.check_zip`), and calamine — which lays a sheet out as
one dense block from its first to its last cell, and aborts the process when that
block does not fit in memory — only reads sheets whose cells all lie within bounds.
A sheet with a stray far cell (XFD1048576) is read cell by cell instead, the far cells
reported and left out (:func:`_layout`). An .xls is walked record by record first
(:mod:`.biff`): its error cells are found there, and a sheet too large to lay out is refused
before calamine opens the file (it reads every sheet of an .xls on opening).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .. import limits
from ..errors import Diagnostic, InputError
from .cells import CellError, a1, cell_text, is_blank

__all__ = ["SheetGrid", "open_sheets", "sheet_names", "WORKBOOK_SUFFIXES"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_KIND = "Excel 文件"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_RESAVE = "请用 Excel/WPS 打开后另存为 .xlsx 再试。"


@dataclass
class SheetGrid:
    file: str
    name: str
    rows: list[list[Any]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)    # formula without value
    hidden: bool = False
    notes: list[Diagnostic] = field(default_factory=list)                 # what reading left out

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def get(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def ref(self, r: int, c: int) -> str:
        return f"{self.name}!{a1(r, c)}"


# --- what the file is ---------------------------------------------------------------------
def _refuse(path: Path, message: str, sheet: str | None = None) -> InputError:
    return limits.refuse(path, message, cell=sheet)


def _sniff(path: Path) -> str:
    """"zip" (.xlsx/.xlsm) or "ole" (.xls); anything else is refused saying what it is."""
    head = _head(path)
    suffix = path.suffix.lower()
    if not head:
        raise _refuse(path, "文件是空的（0 字节）：请确认选对了文件，或重新导出。")
    if head.startswith(_ZIP) or head.startswith(b"PK\x05\x06"):
        if suffix == ".xls":
            raise _refuse(path, "这是 .xlsx 文件，扩展名写成了 .xls：请把扩展名改为 .xlsx 再试。")
        return "zip"
    if head.startswith(_OLE):
        if _encrypted(path):
            raise _refuse(path, "文件已加密（设置了打开密码）：请在 Excel/WPS 中取消密码后另存，再试。")
        if suffix != ".xls":
            raise _refuse(path, f"这是旧版 .xls 文件，扩展名写成了 {suffix}：请在 Excel/WPS 中另存为 .xlsx，"
                                "或把扩展名改为 .xls 再试。")
        return "ole"
    what = _what(head)
    if what:
        raise _refuse(path, f"这不是 Excel 文件，而是{what}（扩展名写成了 {suffix}）：请给出 Excel 工作簿，"
                            "或在 Excel/WPS 中打开后另存为 .xlsx 再试。")
    raise _refuse(path, "文件已损坏，或不是 Excel 文件：" + _RESAVE)


def _head(path: Path) -> bytes:
    return limits.read_head(path, 4096)


def _what(head: bytes) -> str | None:
    if head.startswith(b"%PDF"):
        return " PDF 文件"
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")) or b"<html" in low[:1024]:
        return "网页（HTML）文件（常见于系统导出的“.xls”）"
    if low.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return " Excel 2003 XML 表格"
    if head.startswith((b"{\\rtf",)):
        return " RTF 文档"
    try:
        head.decode("utf-8")
        return "文本文件（如 CSV）"
    except UnicodeDecodeError:
        try:
            head.decode("gb18030")
            return "文本文件（如 CSV）"
        except UnicodeDecodeError:
            return None


def _encrypted(path: Path) -> bool:
    """An OLE container holding an encrypted .xlsx (or an .xls with a password)."""
    try:
        with open(path, "rb") as f:
            data = f.read(1024 * 1024)
    except OSError:
        return False
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def _check_members(path: Path, z: zipfile.ZipFile) -> None:
    names = set(z.namelist())
    if "xl/workbook.xml" in names:
        return
    if "word/document.xml" in names:
        raise _refuse(path, "这是 Word 文档（.docx），不是 Excel 工作簿：请给出 Excel 工作簿。")
    if "ppt/presentation.xml" in names:
        raise _refuse(path, "这是 PowerPoint 文档，不是 Excel 工作簿：请给出 Excel 工作簿。")
    if "content.xml" in names:
        raise _refuse(path, "这是 OpenDocument（WPS/LibreOffice）文件，不是 .xlsx：" + _RESAVE)
    raise _refuse(path, "文件已损坏（缺少 xl/workbook.xml），或不是 Excel 工作簿：" + _RESAVE)


def _library_error(path: Path, e: BaseException, sheet: str | None = None) -> InputError:
    """A library's error (calamine's, openpyxl's, zipfile's) as what the user should do."""
    text = str(e)
    low = text.lower()
    if "password" in low or "encrypt" in low:
        return _refuse(path, "文件已加密（设置了打开密码）：请在 Excel/WPS 中取消密码后另存，再试。", sheet)
    where = f"工作表“{sheet}”" if sheet else "文件"
    if isinstance(e, MemoryError):
        return _refuse(path, f"{where}过大，无法读入内存：请删除无关的行、列后另存再试。", sheet)
    if "shared string" in low:
        return _refuse(path, f"{where}已损坏（共享字符串表缺失或不完整）：" + _RESAVE, sheet)
    return _refuse(path, f"{where}已损坏，无法读取：" + _RESAVE, sheet)


# --- the sheet XML scan -------------------------------------------------------------------
@dataclass
class _Scan:
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    rows: int = 0          # one past the last row of any cell (0: no cell)
    cols: int = 0
    positioned: bool = True   # every cell states its place (r="B7")
    far: tuple[int, int] | None = None   # .xls: the farthest cell, when the sheet does not fit


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_C_OPEN = re.compile(rb"<(?:\w+:)?c[\s/>]")
_C_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=[\"']([A-Z]{1,4})(\d{1,9})[\"']")
_R_ATTR = re.compile(rb'\br=["\']([A-Z]+)(\d+)["\']')
_T_ERR = re.compile(rb'\bt=["\']e["\']')
_F = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_V = re.compile(rb"<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>")
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', re.S)
_SHEET_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?r:id="([^"]*)"[^>]*?name="([^"]*)"', re.S)
_REL = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"', re.S)
_REL2 = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"', re.S)


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _unescape(b: bytes) -> str:
    s = b.decode("utf-8", errors="replace")
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _scan_sheet(data: bytes) -> _Scan:
    s = _Scan()
    refs = _C_REF.findall(data)
    if len(refs) != len(_C_OPEN.findall(data)):
        s.positioned = False
    if refs:
        s.rows = max(int(r) for _, r in refs)
        s.cols = _col_index(max((c for c, _ in refs), key=lambda c: (len(c), c))) + 1
    has_f = b"<f" in data or b":f" in data
    has_e = _T_ERR.search(data) is not None
    if not has_f and not has_e:
        return s
    for attrs, inner in _CELL.findall(data):
        if not inner:
            continue
        m = _R_ATTR.search(attrs)
        if not m:
            continue
        pos = (int(m.group(2)) - 1, _col_index(m.group(1)))
        v = _V.search(inner)
        if _T_ERR.search(attrs):
            s.errors[pos] = _unescape(v.group(1)).strip() if v else "#VALUE!"
            continue
        f = _F.search(inner)
        if f and not v:
            s.uncached[pos] = _unescape(f.group(1) or b"")
    return s


def _scan(path: Path) -> dict[str, _Scan]:
    """Sheet name → what the sheet XML says beyond calamine's values (see :class:`_Scan`)."""
    out: dict[str, _Scan] = {}
    try:
        with zipfile.ZipFile(path) as z:
            _check_members(path, z)
            wb = z.read("xl/workbook.xml")
            try:
                rels = z.read("xl/_rels/workbook.xml.rels")
            except KeyError:
                raise _refuse(path, "文件已损坏（缺少 xl/_rels/workbook.xml.rels）：" + _RESAVE) from None
            targets = {i.decode(): t.decode() for i, t in _REL.findall(rels)}
            targets.update({i.decode(): t.decode() for t, i in _REL2.findall(rels)})
            sheets = [(_unescape(n), i.decode()) for n, i in _SHEET.findall(wb)]
            if not sheets:
                sheets = [(_unescape(n), i.decode()) for i, n in _SHEET_ID_FIRST.findall(wb)]
            names = set(z.namelist())
            for name, rid in sheets:
                target = targets.get(rid)
                if not target:
                    continue
                member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
                if member not in names:
                    raise _refuse(path, f"文件已损坏（工作表“{name}”的内容 {member} 缺失）：" + _RESAVE, name)
                out[name] = _scan_sheet(z.read(member))
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError) as e:
        raise _library_error(path, e) from None
    return out


def _fits(rows: int, cols: int) -> bool:
    return rows <= limits.MAX_SHEET_ROWS and cols <= limits.MAX_SHEET_COLUMNS and \
        rows * cols <= limits.MAX_GRID_CELLS


# --- laying a sheet out -------------------------------------------------------------------
_STRAYS = 20   # at most this many far cells are set aside as strays; more, and the sheet is refused


def _layout(path: Path, name: str, cells: dict[tuple[int, int], Any], merges: list[tuple[int, int, int, int]],
            scan: _Scan) -> SheetGrid:
    """The sheet's dense grid from its cells (sparse), bounded. Cells beyond MAX_SHEET_ROWS ×
    MAX_SHEET_COLUMNS, and a few stray cells far from the rest that alone make the used range
    exceed MAX_GRID_CELLS, are reported and left out; a sheet whose used range is still too large
    is refused, naming its farthest cell."""
    uncached = dict(scan.uncached)
    for pos, e in scan.errors.items():
        cells[pos] = CellError(e)
    used = {p for p, v in cells.items() if not is_blank(v)} | set(uncached)
    far = {p for p in used if p[0] >= limits.MAX_SHEET_ROWS or p[1] >= limits.MAX_SHEET_COLUMNS}
    used -= far
    strays = _strays(used)
    if strays is None:
        height = max(r for r, _ in used) + 1
        width = max(c for _, c in used) + 1
        r, c = max(used, key=lambda p: (p[0] + 1) * (p[1] + 1))
        raise _refuse(path, f"工作表“{name}”的已用区域 A1:{a1(height - 1, width - 1)} 过大"
                            f"（{height} 行 × {width} 列），不像一张决算表，不予读取：请删除远处的单元格"
                            f"（如 {a1(r, c)}）或整行、整列后另存再试。", f"{name}!{a1(r, c)}")
    used -= strays
    notes: list[Diagnostic] = []
    shown = sorted(far | strays)
    for r, c in shown[:5]:
        what = f"公式“={uncached[(r, c)]}”" if (r, c) in uncached else f"“{cell_text(cells[(r, c)])[:20]}”"
        notes.append(Diagnostic(
            "warning", f"单元格远离表格（表格不超过 {limits.MAX_SHEET_ROWS} 行、{limits.MAX_SHEET_COLUMNS} 列、"
                       f"{limits.MAX_GRID_CELLS} 个单元格），其中的{what}未读取；如属误填，请删除后另存",
            file=str(path), cell=f"{name}!{a1(r, c)}"))
    if len(shown) > 5:
        notes.append(Diagnostic("warning", f"另有 {len(shown) - 5} 个远离表格的单元格未读取",
                                file=str(path), cell=name))
    for p in shown:
        cells.pop(p, None)
        uncached.pop(p, None)
    height = max((r + 1 for r, _ in used), default=0)
    width = max((c + 1 for _, c in used), default=0)
    # merges widen the grid as far as they reach, within bounds (a header merged past the last figure)
    m_width = max([width] + [c1 + 1 for r0, c0, _, c1 in merges if r0 < height and c0 < width])
    if _fits(height, m_width):
        width = m_width
    merges = [(r0, c0, min(r1, height - 1), min(c1, width - 1)) for r0, c0, r1, c1 in merges
              if r0 < height and c0 < width]
    rows = [[""] * width for _ in range(height)]
    for (r, c), v in cells.items():
        if r < height and c < width and v is not None:
            rows[r][c] = v
    return SheetGrid(str(path), name, rows, merges, uncached, notes=notes)


def _strays(used: set[tuple[int, int]]) -> set[tuple[int, int]] | None:
    """The fewest cells (at most ``_STRAYS``) whose removal brings the used range within bounds, taken
    from its far edge, last row or last column first; None if that is not enough."""
    by_row: dict[int, list[tuple[int, int]]] = {}
    by_col: dict[int, list[tuple[int, int]]] = {}
    for p in used:
        by_row.setdefault(p[0], []).append(p)
        by_col.setdefault(p[1], []).append(p)
    live = set(used)
    out: set[tuple[int, int]] = set()
    while live:
        last_r = max(r for r in by_row if any(p in live for p in by_row[r]))
        last_c = max(c for c in by_col if any(p in live for p in by_col[c]))
        if _fits(last_r + 1, last_c + 1):
            return out
        in_row = [p for p in by_row[last_r] if p in live]
        in_col = [p for p in by_col[last_c] if p in live]
        drop = in_row if len(in_row) <= len(in_col) else in_col
        out.update(drop)
        live.difference_update(drop)
        if len(out) > _STRAYS:
            return None
    return out


def _dense(path: Path, name: str, rows: list[list[Any]], merges: list[tuple[int, int, int, int]],
           scan: _Scan) -> SheetGrid:
    """A sheet calamine laid out (its cells all within bounds), widened to its uncached formulas
    and error cells (which calamine reads as blank) and to its merges as far as bounds allow."""
    marks = list(scan.uncached) + list(scan.errors)
    height = max([len(rows)] + [r + 1 for r, _ in marks])
    width = max([len(r) for r in rows] + [c + 1 for _, c in marks] + [0])
    m_width = max([width] + [c1 + 1 for _, _, _, c1 in merges])
    if _fits(height, m_width):
        width = m_width
    else:
        merges = [(r0, c0, min(r1, height - 1), min(c1, width - 1)) for r0, c0, r1, c1 in merges
                  if r0 < height and c0 < width]
    rows = [list(r) + [""] * (width - len(r)) for r in rows]
    rows += [[""] * width for _ in range(height - len(rows))]
    for (r, c), e in scan.errors.items():
        rows[r][c] = CellError(e)
    return SheetGrid(str(path), name, rows, merges, dict(scan.uncached))


# --- reading ------------------------------------------------------------------------------
def _sparse_openpyxl(path: Path, name: str, book) -> tuple[dict[tuple[int, int], Any], list]:
    """The cells that exist in one sheet (openpyxl's streaming parser): never a dense range."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import WorkSheetParser

    # openpyxl's public iter_rows pads every row to the sheet's widest (16384 cells for a far
    # cell): its read-only sheet's own parser, as iter_rows drives it, yields only existing cells
    ws = book[name]
    cells: dict[tuple[int, int], Any] = {}
    with ws._get_source() as src:  # noqa: SLF001 - see above
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=book.epoch,  # noqa: SLF001
                                 date_formats=book._date_formats,  # noqa: SLF001 - see above
                                 timedelta_formats=book._timedelta_formats)  # noqa: SLF001 - see above
        for _, row in parser.parse():
            for cell in row:
                v = cell.get("value")
                if v is None or cell.get("data_type") == "e":
                    continue
                cells[(cell["row"] - 1, cell["column"] - 1)] = v
        merges = []
        for m in getattr(parser.merged_cells, "mergeCell", None) or []:
            c0, r0, c1, r1 = range_boundaries(m.ref)
            merges.append((r0 - 1, c0 - 1, r1 - 1, c1 - 1))
    return cells, merges


def _open_openpyxl(path: Path):
    from .. import _openpyxl  # noqa: F401,I001  - keeps numpy out
    from openpyxl import load_workbook
    return load_workbook(path, read_only=True, data_only=True)


def _read_file(path: Path) -> list[SheetGrid]:
    from python_calamine import CalamineWorkbook

    kind = _sniff(path)
    scans: dict[str, _Scan] = {}
    if kind == "zip":
        limits.check_zip(path, _KIND)
        scans = _scan(path)
    else:   # calamine reads every sheet of an .xls when it opens it: refuse a far cell first
        scans = _scan_ole(path)
        for name, scan in scans.items():
            if not _fits(scan.rows, scan.cols):
                raise _far_xls(path, name, scan.rows, scan.cols, scan.far)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own error types
        raise _library_error(path, e) from None
    hidden = set()
    try:
        for meta in wb.sheets_metadata:
            if str(getattr(meta, "visible", "")).lower().endswith(("hidden", "veryhidden")):
                hidden.add(meta.name)
    except Exception:  # pragma: no cover - metadata is optional
        pass
    grids = []
    book = None
    try:
        for name in wb.sheet_names:
            scan = scans.get(name, _Scan())
            try:
                if kind == "zip" and not (scan.positioned and _fits(scan.rows, scan.cols)):
                    if book is None:
                        book = _open_openpyxl(path)
                    cells, merges = _sparse_openpyxl(path, name, book)
                    g = _layout(path, name, cells, merges, scan)
                else:
                    sh = wb.get_sheet_by_name(name)
                    merges = [(a[0], a[1], b[0], b[1]) for a, b in (sh.merged_cell_ranges or [])]
                    if _fits(sh.total_height, sh.total_width):
                        g = _dense(path, name, sh.to_python(skip_empty_area=False), merges, scan)
                    else:   # an .xls calamine laid out larger than its scan said: a far cell
                        raise _far_xls(path, name, sh.total_height, sh.total_width, None)
            except InputError:
                raise
            except Exception as e:  # calamine's and openpyxl's own errors, MemoryError
                raise _library_error(path, e, name) from None
            g.hidden = name in hidden
            grids.append(g)
    finally:
        if book is not None:
            book.close()
    return grids


def _scan_ole(path: Path) -> dict[str, _Scan]:
    """The .xls counterpart of :func:`_scan`: error cells and each sheet's extent, from the BIFF
    records (:mod:`.biff`), so that calamine never lays out a sheet that does not fit."""
    from .biff import scan_xls

    out: dict[str, _Scan] = {}
    for name, x in (scan_xls(path) or {}).items():
        far = None
        if not _fits(x.rows, x.cols):
            kept = {p for p in x.cells if _fits(p[0] + 1, p[1] + 1)}
            far = max(x.cells - kept or x.cells, key=lambda p: (p[0] + 1) * (p[1] + 1))
        out[name] = _Scan(errors=x.errors, rows=x.rows, cols=x.cols, far=far)
    return out


def _far_xls(path: Path, name: str, rows: int, cols: int, far: tuple[int, int] | None) -> InputError:
    """An .xls sheet whose used range does not fit: calamine can only read it as one dense block
    (about a gigabyte for 65 536 × 256 cells), so it is refused, naming the far cell."""
    r, c = far if far is not None else (rows - 1, cols - 1)
    return _refuse(path, f"工作表“{name}”的已用区域 A1:{a1(rows - 1, cols - 1)} 过大（{rows} 行 × {cols} 列），"
                         f"远处的单元格 {a1(r, c)} 使整张表未读取：旧版 .xls 无法跳过它，请删除该单元格（或整行、"
                         "整列）后另存，或另存为 .xlsx 再试。", f"{name}!{a1(r, c)}")


def open_sheets(path: str | Path) -> list[SheetGrid]:
    """Every sheet of a workbook, or of every workbook in a directory (file name order)."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.iterdir()
                       if f.suffix.lower() in WORKBOOK_SUFFIXES and not f.name.startswith(("~$", ".")))
        if not files:
            raise InputError([Diagnostic("error", "目录中没有 Excel 工作簿（.xlsx/.xlsm/.xls）", file=str(p))])
    else:
        files = [p]
    out: list[SheetGrid] = []
    for f in files:
        out.extend(_read_file(f))
    return out


def sheet_names(path: str | Path) -> list[str]:
    """The sheet names of a workbook (of every workbook in a directory), read cheaply — from the zip's
    ``xl/workbook.xml`` or the .xls's BIFF records, no sheet laid out —, to tell whose workbook it is.
    A file that cannot be read gives none: :func:`open_sheets` then says why."""
    p = Path(path)
    try:
        if p.is_dir():
            return [n for f in sorted(p.iterdir()) if f.suffix.lower() in WORKBOOK_SUFFIXES
                    and not f.name.startswith(("~$", ".")) and f.is_file() for n in sheet_names(f)]
        head = limits.read_head(p, 8)
        if head.startswith(_ZIP):
            with zipfile.ZipFile(p) as z:
                info = z.getinfo("xl/workbook.xml")
                if info.file_size > limits.MAX_ZIP_MEMBER_BYTES:
                    return []
                wb = z.read(info)
            names = [_unescape(n) for n, _ in _SHEET.findall(wb)]
            return names or [_unescape(n) for _, n in _SHEET_ID_FIRST.findall(wb)]
        if head.startswith(_OLE):
            from .biff import scan_xls
            return list(scan_xls(p) or {})
    except (InputError, OSError, KeyError, ValueError, zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError,
            NotImplementedError, EOFError):
        return []
    return []
