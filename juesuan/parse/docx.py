"""Word (.docx) → ``SourceDoc``: body paragraphs and tables in document order.

This module owns reading DOCX files for the recognizer. It walks the body XML
itself (python-docx opens the package; ``w:p`` and ``w:tbl`` are read with lxml)
because python-docx's ``paragraphs`` / ``tables`` lists lose the order between
the two, and its ``row.cells`` repeats a merged cell's text in every column.

* a paragraph is a line with one cell (a soft line break ``w:br`` starts a new line);
* a table row is a line with ``grid=True`` and one cell per grid column: a
  horizontally merged cell (``gridSpan``) keeps its text in its first column and
  leaves the others ``""``; a vertically merged cell (``vMerge``) keeps its text
  in its top row; ``gridBefore``/``gridAfter`` keep the columns aligned, so every
  row of a table has as many cells as the table grid has columns;
* pages are counted from explicit page breaks (``w:br w:type="page"``,
  ``pageBreakBefore``, section breaks) or, in files saved by Word, from its
  ``lastRenderedPageBreak`` marks.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from .. import limits
from ..errors import Diagnostic, InputError
from ..limits import MAX_DOC_CELLS, MAX_GRID_CELLS, MAX_MARKUP_TAGS, MAX_SPAN
from ..zh import normalize_cell
from .source import SourceDoc, SourceLine

__all__ = ["read_docx"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


P, TBL, TR, TC, T, TAB, BR, CR, SDT, SDT_CONTENT = (
    _q("p"), _q("tbl"), _q("tr"), _q("tc"), _q("t"), _q("tab"), _q("br"), _q("cr"), _q("sdt"),
    _q("sdtContent"))
PPR, TCPR, TRPR, GRID_SPAN, VMERGE, GRID_BEFORE, GRID_AFTER, VAL, TYPE = (
    _q("pPr"), _q("tcPr"), _q("trPr"), _q("gridSpan"), _q("vMerge"), _q("gridBefore"),
    _q("gridAfter"), _q("val"), _q("type"))
PAGE_BREAK_BEFORE, SECT_PR, RENDERED_BREAK, TBL_GRID, GRID_COL, NO_BREAK_HYPHEN, DEL = (
    _q("pageBreakBefore"), _q("sectPr"), _q("lastRenderedPageBreak"), _q("tblGrid"), _q("gridCol"),
    _q("noBreakHyphen"), _q("del"))
FALLBACK = f"{{{_MC}}}Fallback"


class _Reader:
    def __init__(self, path: Path, rendered_breaks: bool):
        self.doc = SourceDoc(path=str(path), format="docx")
        self.page = 1
        self.line = 0
        self.tables = 0
        self.cells = 0                    # cells of the tables read so far
        self.rendered = rendered_breaks   # count Word's rendered page marks, not explicit breaks

    # -- paragraphs -------------------------------------------------------------------
    def _runs_text(self, el, out: list[str], breaks: list[int]) -> None:
        """Text of a paragraph subtree; ``breaks`` collects positions of line breaks."""
        for child in el:
            tag = child.tag
            if tag == T:
                out.append(child.text or "")
            elif tag == TAB:
                out.append(" ")
            elif tag == BR:
                kind = child.get(TYPE)
                if kind == "page":
                    if not self.rendered:
                        self.page += 1
                        breaks.append(-1)
                else:
                    breaks.append(len("".join(out)))
                    out.append("\n")
            elif tag == CR:
                out.append("\n")
            elif tag == NO_BREAK_HYPHEN:
                out.append("-")
            elif tag == RENDERED_BREAK:
                if self.rendered:
                    self.page += 1
            elif tag in (FALLBACK, DEL, PPR):
                continue   # duplicated alternate content, deleted text, properties
            elif tag == TBL:
                continue   # tables inside text boxes: rare; skipped
            else:
                self._runs_text(child, out, breaks)

    def paragraph_text(self, p) -> list[str]:
        ppr = p.find(PPR)
        if ppr is not None and not self.rendered and ppr.find(PAGE_BREAK_BEFORE) is not None:
            if self.line:   # a break before the very first paragraph opens no new page
                self.page += 1
        out: list[str] = []
        self._runs_text(p, out, [])
        return "".join(out).split("\n")

    def add_paragraph(self, p) -> None:
        for text in self.paragraph_text(p):
            text = normalize_cell(text)
            if text:
                self.line += 1
                self.doc.lines.append(SourceLine([text], page=self.page, line=self.line))
        ppr = p.find(PPR)
        if ppr is not None and not self.rendered:
            sect = ppr.find(SECT_PR)
            if sect is not None:
                t = sect.find(_q("type"))
                if t is None or t.get(VAL) in (None, "nextPage", "oddPage", "evenPage"):
                    self.page += 1

    # -- tables -----------------------------------------------------------------------
    def cell_text(self, tc) -> str:
        parts = []
        for child in tc:
            if child.tag == P:
                parts.extend(self.paragraph_text(child))
            elif child.tag == TBL:   # a nested table: its cells' text, in order (each cell once:
                for tr in child.iterchildren(TR):   # tables nested deeper are read by the recursion)
                    for inner in tr.iterchildren(TC):
                        parts.append(self.cell_text(inner))
            elif child.tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    parts.append(self.cell_text(content))
        return normalize_cell(_join_lines(parts))

    def add_table(self, tbl) -> None:
        index = self.tables
        self.tables += 1
        grid = tbl.find(TBL_GRID)
        ncols = len(grid.findall(GRID_COL)) if grid is not None else 0
        rows: list[list[str]] = []
        pages: list[int] = []
        width = ncols
        for r, tr in enumerate(tbl.iterchildren(TR), 1):
            trpr = tr.find(TRPR)
            before = after = 0
            if trpr is not None:
                before = self.count(trpr.find(GRID_BEFORE), 0, index, r)
                after = self.count(trpr.find(GRID_AFTER), 0, index, r)
            cells = list(tr.iterchildren(TC))
            for sdt in tr.iterchildren(SDT):   # cells wrapped in content controls
                content = sdt.find(SDT_CONTENT)
                if content is not None:
                    cells.extend(content.iterchildren(TC))
            spans = []
            for tc in cells:
                tcpr = tc.find(TCPR)
                spans.append(max(1, self.count(tcpr.find(GRID_SPAN), 1, index, r)) if tcpr is not None else 1)
            # the row's laid-out length, and the table's, checked before anything is allocated
            width = max(width, before + sum(spans) + after)
            self.bound(width * r, index, r)
            row: list[str] = [""] * before
            for tc, span in zip(cells, spans):
                continued = False
                tcpr = tc.find(TCPR)
                if tcpr is not None:
                    vm = tcpr.find(VMERGE)
                    if vm is not None and vm.get(VAL) in (None, "continue"):
                        continued = True
                text = self.cell_text(tc)
                row.append("" if continued else text)
                row.extend([""] * (span - 1))
            row.extend([""] * after)
            rows.append(row)
            pages.append(self.page)
        self.cells += width * len(rows)
        if self.cells > MAX_DOC_CELLS:
            raise self.refuse(f"第{index + 1}个表格：全部表格展开合并单元格后共有 {self.cells:,} 个单元格，"
                              f"超过上限 {MAX_DOC_CELLS:,}，不像一份部门决算：文件已损坏或被构造过，"
                              "请确认选对了文件，或用 Word/WPS 打开后另存一份再试。")
        for row, page in zip(rows, pages):
            row.extend([""] * (width - len(row)))
            self.line += 1
            self.doc.lines.append(SourceLine(row, page=page, line=self.line, grid=True, table_index=index))

    def count(self, el, default: int, table: int, row: int) -> int:
        """The ``w:val`` of a ``gridSpan`` / ``gridBefore`` / ``gridAfter``: an integer no larger
        than MAX_SPAN (a value that is no number counts as ``default``, as Word reads it)."""
        if el is None:
            return default
        raw = el.get(VAL, "")
        try:
            n = int(raw.strip())
        except ValueError:
            return default
        if n > MAX_SPAN:
            what = el.tag.rsplit("}", 1)[-1]
            raise self.refuse(f"第{table + 1}个表格第{row}行：{what}（合并或跳过的列数）为 {raw}，超过上限 "
                              f"{MAX_SPAN} 列（Word 的表格最多 63 列）：文件已损坏或被构造过，"
                              "请用 Word/WPS 打开后另存一份再试。")
        return max(n, 0)

    def bound(self, cells: int, table: int, row: int) -> None:
        if cells > MAX_GRID_CELLS:
            raise self.refuse(f"第{table + 1}个表格（到第{row}行）展开合并单元格后有 {cells:,} 个单元格，超过上限 "
                              f"{MAX_GRID_CELLS:,}，不像一份部门决算的表格：文件已损坏或被构造过，"
                              "请用 Word/WPS 打开后另存一份再试。")

    def refuse(self, message: str) -> InputError:
        return limits.refuse(self.doc.path, message)

    # -- body -------------------------------------------------------------------------
    def walk(self, container) -> None:
        for child in container.iterchildren():
            if child.tag == P:
                self.add_paragraph(child)
            elif child.tag == TBL:
                self.add_table(child)
            elif child.tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.walk(content)


def _join_lines(parts: list[str]) -> str:
    """Lines of one cell as one text: Chinese joined directly (a name wrapped over two
    lines is one name), Latin words with a space."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and _word_break(out[-1], p[0]):
            out += " "
        out += p
    return out


def _open(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    def fail(msg: str) -> InputError:
        return InputError([Diagnostic("error", msg, file=str(path))])

    head = _head(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise fail("这是旧版 Word（.doc）或加密的文档，无法直接读取；请在 Word 中另存为 .docx 后再试")
    limits.check_zip(path, "Word 文件")   # members are read whole: no zip bomb
    _check_tags(path)
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise fail(f"不是有效的 Word（.docx）文件，或文件已损坏（{type(e).__name__}）") from None
    except Exception as e:  # lxml syntax errors in a damaged part, etc.
        raise fail(f"Word 文件内容已损坏，无法解析（{type(e).__name__}）：请用 Word/WPS 打开（修复）后"
                   "另存为 .docx 再试") from None


def _check_tags(path: Path) -> None:
    """A large XML part is parsed whole into a tree: refuse one of more than MAX_MARKUP_TAGS tags
    (counted while decompressing, before anything is parsed)."""
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.file_size < 8 * 1024 * 1024 or not info.filename.endswith((".xml", ".rels")):
                    continue
                tags = 0
                with z.open(info) as fh:
                    while chunk := fh.read(1 << 20):
                        tags += chunk.count(b"<")
                        if tags > MAX_MARKUP_TAGS:
                            raise limits.refuse(path, f"Word 文件内部的“{info.filename}”有超过 {MAX_MARKUP_TAGS:,} "
                                                      "个标记，远超一份部门决算：文件已损坏或被构造过，不予读取。"
                                                      "请用 Word/WPS 打开后另存一份再试")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return   # not a readable zip: python-docx says what it is


def _head(path: Path) -> bytes:
    """The first bytes of a regular file (a device, a pipe or a directory is refused)."""
    return limits.read_head(path, 8)


def read_docx(path: str | Path) -> SourceDoc:
    """Read a .docx into lines: paragraphs (one cell) and table rows (``grid=True``)."""
    path = Path(path)
    document = _open(path)
    body = document.element.body
    rendered = next(body.iter(RENDERED_BREAK), None) is not None
    reader = _Reader(path, rendered)
    reader.walk(body)
    reader.doc.pages = reader.page
    if not reader.doc.lines:
        reader.doc.notes.append("empty: Word 文件没有正文内容")
    return reader.doc


def _word_break(a: str, b: str) -> bool:
    """Two lines of one cell meet between two Latin letters or digits: keep a space."""
    return a.isascii() and a.isalnum() and b.isascii() and b.isalnum()
