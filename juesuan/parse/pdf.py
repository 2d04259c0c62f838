"""Digital PDF → ``SourceDoc``: characters with boxes, grouped into lines and table cells.

This module owns reading PDFs for the recognizer. It uses pypdfium2 directly
(characters with their loose boxes and the page's path objects), not pdfplumber:
on the Shanghai samples and our own PDF both read every ruled table row the same
(``bench/RESULTS.md``), but pdfplumber's ``extract_text`` alone costs 10–30× the
raw character extraction, this reader about 1.5–2×.

How a page becomes lines:

1. characters: their codes (one ``get_text_range`` call) and ``FPDFText_GetLooseCharBox``
   (full-em boxes, so the characters of one line share their top and bottom), mapped
   to the page as shown (``/Rotate``, media box origin); radicals and full-width
   digits normalised (:func:`juesuan.zh.normalize`);
2. lines by vertical position, cells split at gaps wider than about one character;
3. ruling lines — only on pages where some line has several cells: a page of running
   text skips the walk over its objects — thin path objects (stroked lines, thin filled
   rectangles, stroked cell rectangles, also inside form XObjects) become horizontal
   and vertical segments; segments that overlap vertically form one table region;
4. in a ruled region, every character goes to the cell between the rules around it:
   a row band is one ``SourceLine`` with one cell per column, blank cells kept as
   ``""`` (so "事业运行 247.04 247.04" still says which column is blank); a cell whose
   text wraps over lines is joined; a cell merged across columns or rows (no rule
   between) gives its text to its leftmost / top position, like the HTML and DOCX
   readers, and the line says which cells are so merged (``SourceLine.spans``); a band
   holding several text lines with figures in one column (a missing rule) is split again
   (figures in different columns at different heights are one row's);
5. outside ruled regions, runs of aligned multi-cell lines with figures (tables
   printed without rules) are put on a column grid too.

Every line keeps its page, its line number on the page and its bbox (x0, top, x1,
bottom in points from the page's top-left), so a finding can point into the PDF.
Pages with an image and no text layer are scanned: OCR (:mod:`juesuan.parse.ocr`) gives
their characters with boxes and their ruling lines from the image — of the part of the page
that draws anything (a chart pasted on a blank page is read from its own pixels) — and steps
2–5 lay them out like a text layer's (``SourceDoc.ocr_pages`` lists them). Without OCR, a PDF of such
pages only raises :class:`~juesuan.errors.InputError` ("扫描件"), never nine missing tables;
unreadable files raise it too.
"""

from __future__ import annotations

import ctypes
import re
import sys
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from .. import limits
from ..errors import Diagnostic, InputError
from ..limits import MAX_PDF_CHARS, MAX_PDF_PAGE_CHARS, MAX_PDF_PAGE_CONTENT, MAX_PDF_PAGE_OBJECTS, MAX_PDF_PAGES
from ..zh import normalize
from .source import SourceDoc, SourceLine

__all__ = ["read_pdf", "page_lines", "open_pdf", "PageGeometry"]


def norm(s: str) -> str:
    return normalize(s).replace("\u3000", " ").strip()


# --------------------------------------------------------------------------- geometry

# A character is a list [text, x0, top, x1, bottom, centre x, centre y, column]: points from
# the top-left of the page as shown. Lists, not objects: a page has thousands of them and
# building an object costs several times more (see bench/RESULTS.md).
CH, X0, TOP, X1, BOT, CX, CY, COL = range(8)
_Char = list


def _char(ch: str, x0: float, top: float, x1: float, bottom: float) -> list:
    return [ch, x0, top, x1, bottom, (x0 + x1) / 2, (top + bottom) / 2, 0]


_RULE_THIN = 2.5     # points: a path thinner than this is a ruling line
_RULE_MIN = 4.0      # points: shorter segments are glyph decorations, not rules
_SNAP = 2.0          # points: rule positions closer than this are one rule


def _merge_positions(values: list[float], tol: float = _SNAP) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


@dataclass
class _Region:
    """A ruled table region: row boundaries (tops) and column boundaries (xs)."""
    top: float
    bottom: float
    x0: float
    x1: float
    ys: list[float]
    xs: list[float]
    vcover: list[list[tuple[float, float]]] = field(default_factory=list)  # per inner x
    hcover: list[list[tuple[float, float]]] = field(default_factory=list)  # per y
    index: int = 0
    _hspans: dict[int, tuple[list[float], list[float]]] = field(default_factory=dict, repr=False)
    _vspans: dict[int, tuple[list[float], list[float]]] = field(default_factory=dict, repr=False)

    def merged_with_above(self, b: int, x: float) -> bool:
        """True when no horizontal rule separates band b-1 from band b at x."""
        spans = self._hspans.get(b)
        if spans is None:
            spans = self._hspans[b] = _union(self.hcover[b])
        return not _covered(spans, x)

    def merged_with_left(self, k: int, y: float) -> bool:
        """True when no vertical rule separates column k-1 from column k at height y."""
        spans = self._vspans.get(k)
        if spans is None:
            spans = self._vspans[k] = _union(self.vcover[k - 1])
        return not _covered(spans, y)


def _union(segments: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """The segments, each widened by 1 point at both ends, as disjoint spans (starts, ends): a
    rule is looked up by bisection, not among every segment of its column (a column's side is
    drawn one segment per row, and each row asks at each column)."""
    starts: list[float] = []
    ends: list[float] = []
    for a, b in sorted((a - 1, b + 1) for a, b in segments):
        if ends and a <= ends[-1]:
            if b > ends[-1]:
                ends[-1] = b
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _covered(spans: tuple[list[float], list[float]], v: float) -> bool:
    """Does one of the spans (closed) hold v?"""
    starts, ends = spans
    i = bisect_right(starts, v) - 1
    return i >= 0 and v <= ends[i]


def _regions(hsegs: list[tuple[float, float, float]], vsegs: list[tuple[float, float, float]]
             ) -> list[_Region]:
    """Group ruling segments into table regions by vertical overlap."""
    items = [(y - 1, y + 1, "h", (x0, x1, y)) for x0, x1, y in hsegs]
    items += [(y0, y1, "v", (x, y0, y1)) for x, y0, y1 in vsegs]
    items.sort(key=lambda t: t[0])
    groups: list[list] = []
    end = None
    for it in items:
        if groups and it[0] <= end + 3:
            groups[-1].append(it)
            end = max(end, it[1])
        else:
            groups.append([it])
            end = it[1]
    out = []
    for g in groups:
        hs = [it[3] for it in g if it[2] == "h"]
        vs = [it[3] for it in g if it[2] == "v"]
        if len(hs) < 2 or not vs:
            continue  # unruled columns (three-line tables) are aligned by text gaps instead
        # rows from the horizontal rules only: a vertical rule's box overshoots the rows
        # it separates by half the line width
        ys = _merge_positions([h[2] for h in hs])
        vtop, vbottom = min(v[1] for v in vs), max(v[2] for v in vs)
        if vtop < ys[0] - 3:
            ys.insert(0, vtop)
        if vbottom > ys[-1] + 3:
            ys.append(vbottom)
        left, right = min(h[0] for h in hs), max(h[1] for h in hs)
        xs = _merge_positions([v[0] for v in vs] + [left, right], tol=3 * _SNAP)
        if len(ys) < 2 or len(xs) < 3:
            continue
        vcover: list[list[tuple[float, float]]] = [[] for _ in xs[1:-1]]
        for x, y0, y1 in vs:
            k = _nearest(xs, x)
            if 1 <= k <= len(xs) - 2 and abs(xs[k] - x) <= 3 * _SNAP:
                vcover[k - 1].append((y0, y1))
        hcover: list[list[tuple[float, float]]] = [[] for _ in ys]
        for x0, x1, y in hs:
            k = _nearest(ys, y)
            if abs(ys[k] - y) <= 3 * _SNAP:
                hcover[k].append((x0, x1))
        out.append(_Region(ys[0], ys[-1], xs[0], xs[-1], ys, xs, vcover, hcover))
    return out


def _nearest(sorted_values: list[float], v: float) -> int:
    """Index of the value nearest to v in a sorted list."""
    i = bisect_right(sorted_values, v)
    if i == 0:
        return 0
    if i == len(sorted_values) or v - sorted_values[i - 1] <= sorted_values[i] - v:
        return i - 1
    return i


def _cluster_lines(chars: list[_Char]) -> list[list[_Char]]:
    """Group characters into text lines by vertical position (sorted top to bottom)."""
    if not chars:
        return []
    chars = sorted(chars, key=itemgetter(CY))
    lines: list[list[_Char]] = []
    cur = [chars[0]]
    lo, hi = chars[0][TOP], chars[0][BOT]
    for c in chars[1:]:
        ct, cb = c[TOP], c[BOT]
        h = cb - ct
        if hi - lo < h:
            h = hi - lo
        overlap = (hi if hi < cb else cb) - (lo if lo > ct else ct)
        if overlap >= 0.5 * (h or 1.0):
            cur.append(c)
            if ct < lo:
                lo = ct
            if cb > hi:
                hi = cb
        else:
            lines.append(cur)
            cur = [c]
            lo, hi = c[TOP], c[BOT]
    lines.append(cur)
    for ln in lines:
        ln.sort(key=_x0)
    return lines


def _join(chars: list[_Char]) -> str:
    """Text of characters already in reading order; spaces only where the PDF has them."""
    s = "".join(c[CH] for c in chars)
    return " ".join(s.split())


def _split_cells(line: list[_Char], gap_factor: float = 0.7) -> list[list[_Char]]:
    """Split a text line at horizontal gaps wider than ``gap_factor`` × character height."""
    cells: list[list[_Char]] = []
    cur: list[_Char] = []
    prev_x1 = None
    for c in line:
        if c[CH].isspace():   # a real space of the PDF: kept inside a cell, never a gap
            if cur:
                cur.append(c)
            continue
        h = c[BOT] - c[TOP]
        if cur and prev_x1 is not None and c[X0] - prev_x1 > gap_factor * h:
            cells.append(cur)
            cur = []
        cur.append(c)
        prev_x1 = c[X1] if prev_x1 is None or len(cur) == 1 else max(prev_x1, c[X1])
    if cur:
        cells.append(cur)
    return cells


def _has_gap(line: list[_Char], gap_factor: float = 0.7) -> bool:
    """Would :func:`_split_cells` cut this line into several cells? (The same walk, stopped
    at the first gap: a page of running text is told from a table page without cutting
    every line of both.)"""
    prev_x1 = None
    for c in line:
        if c[CH].isspace():
            continue
        if prev_x1 is None:
            prev_x1 = c[X1]
            continue
        if c[X0] - prev_x1 > gap_factor * (c[BOT] - c[TOP]):
            return True
        if c[X1] > prev_x1:
            prev_x1 = c[X1]
    return False


def _one_cell(line: list[_Char]) -> list[list[_Char]]:
    """:func:`_split_cells` of a line without a gap: its characters from the first that is
    not a space, or no cell."""
    for i, c in enumerate(line):
        if not c[CH].isspace():
            return [line[i:] if i else line]
    return []


def _spans_lines(chars: list[_Char]) -> bool:
    """Do these characters lie on more than one text line?"""
    c = chars[0]
    lo, hi = c[BOT], c[TOP]
    for c in chars:
        if c[BOT] < lo:
            lo = c[BOT]
        if c[TOP] > hi:
            hi = c[TOP]
    return hi > lo - 0.5 * (chars[0][BOT] - chars[0][TOP])


def _cell_text(chars: list[_Char]) -> str:
    """Text of one table cell: its lines top to bottom, Chinese joined directly (a name
    wrapped over two lines is one name), Latin words with a space."""
    if not _spans_lines(chars):
        return _join(sorted(chars, key=_x0))
    out = ""
    for ln in _cluster_lines(chars):
        t = _join(ln)
        if t and out and _word_break(out[-1], t[0]):
            out += " "
        out += t
    return out


_x0 = itemgetter(X0)


def _bbox(chars: list[_Char]) -> tuple[float, float, float, float]:
    c = chars[0]
    x0, top, x1, bottom = c[X0], c[TOP], c[X1], c[BOT]
    for c in chars:
        if c[X0] < x0:
            x0 = c[X0]
        if c[TOP] < top:
            top = c[TOP]
        if c[X1] > x1:
            x1 = c[X1]
        if c[BOT] > bottom:
            bottom = c[BOT]
    return (x0, top, x1, bottom)


# --------------------------------------------------------------------------- page layout

def _ruled_rows(region: _Region, chars: list[_Char], page: int) -> list[SourceLine]:
    """Rows of a ruled table: one line per row band, one cell per column."""
    ncol = len(region.xs) - 1
    bands: dict[int, list[_Char]] = {}
    ys, xs = region.ys, region.xs
    last_band, last_col = len(ys) - 2, len(xs) - 2
    top_band: dict[int, int] = {}   # (band, column) as band * width + column → the band its text goes to
    width = last_col + 1
    for c in chars:
        b0 = bisect_right(ys, c[CY]) - 1
        b0 = 0 if b0 < 0 else (last_band if b0 > last_band else b0)
        k = bisect_right(xs, c[CX]) - 1
        k = 0 if k < 0 else (last_col if k > last_col else k)
        c[COL] = k
        b = top_band.get(b0 * width + k)
        if b is None:
            b = b0
            xm = (region.xs[k] + region.xs[k + 1]) / 2
            while b > 0 and region.merged_with_above(b, xm):
                b -= 1   # a cell merged over several bands: its text belongs to the top one
            top_band[b0 * width + k] = b
        band = bands.get(b)
        if band is None:
            bands[b] = [c]
        else:
            band.append(c)
    out = []
    for b in sorted(bands):
        bchars = bands[b]
        ymid = (region.ys[b] + region.ys[b + 1]) / 2
        owner = list(range(ncol))   # merged cells: text goes to the leftmost column of the span
        for k in range(1, ncol):
            if region.merged_with_left(k, ymid):
                owner[k] = owner[k - 1]
        # A band holds one row, whose cells may wrap over several text lines (figures are
        # then centred on one of them, or set low in their cell: 结转下年 over 95,721.40).
        # Several text lines with figures in one column mean several rows whose separating
        # rule is missing: split the band back into rows.
        groups = [bchars]
        if _spans_lines(bchars):
            tlines = _cluster_lines(bchars)
            multi = [ln for ln in tlines if _has_figure(ln)] if len(tlines) > 1 else []
            if len(multi) >= 2 and _figures_share_a_column(multi, owner):
                groups = _regroup(tlines, multi)
        spans = None if owner == list(range(ncol)) else \
            tuple(owner.count(j) if owner[j] == j else 0 for j in range(ncol))
        for g in groups:
            cells: list[list[_Char]] = [[] for _ in range(ncol)]
            for c in g:
                cells[owner[c[COL]]].append(c)
            texts = [norm(_cell_text(cc)) if cc else "" for cc in cells]
            if not any(texts):
                continue
            out.append(SourceLine(texts, page=page, grid=True, table_index=region.index,
                                  bbox=_bbox([c for c in g if not c[CH].isspace()]), spans=spans))
    return out


def _regroup(tlines: list[list[_Char]], multi: list[list[_Char]]) -> list[list[_Char]]:
    """Attach every text line of a band to the nearest 'full' line (a real row)."""
    anchors = [sum(c[CY] for c in ln) / len(ln) for ln in multi]
    groups: list[list[_Char]] = [[] for _ in multi]
    for ln in tlines:
        y = sum(c[CY] for c in ln) / len(ln)
        k = min(range(len(anchors)), key=lambda i: abs(anchors[i] - y))
        groups[k].extend(ln)
    return groups


def _figures_share_a_column(lines: list[list[_Char]], owner: list[int]) -> bool:
    """Do two of these text lines (of one row band) print a figure in the same column? (Lines
    whose figures stand in different columns are one row whose cells are set at different heights.)"""
    seen: set[int] = set()
    for line in lines:
        cols = {owner[cc[0][COL]] for cc in _split_cells(line, 0.6) if _NUMERIC_CELL.match(_join(cc))}
        if cols & seen:
            return True
        seen |= cols
    return False


def _has_figure(line: list[_Char]) -> bool:
    """Does a text line hold a figure (a run of digits with a decimal point)?"""
    if not any(c[CH] in ".．" for c in line):
        return False   # (no decimal point: no figure, without cutting the line into cells)
    return any(_NUMERIC_CELL.match(_join(cc)) for cc in _split_cells(line, 0.6))


_NUMERIC_CELL = re.compile(r"^[-+]?[\d,，]*\d[.．]\d+%?$")


_NUMERIC = re.compile(r"^[-+]?[\d,，.．]+%?$")


def _free_lines(chars: list[_Char], page: int, next_table: int,
                split: list[list[list[_Char]]] | None = None) -> tuple[list[SourceLine], int]:
    """Lines outside ruled tables; runs of aligned multi-cell lines become grid rows.
    ``split``: the lines already cut into cells (by :func:`read_pdf`), else computed here."""
    lines = []
    if split is None:
        split = [_split_cells(ln) for ln in _cluster_lines(chars)]
    for cells in split:
        if not cells:
            continue
        boxes = [_bbox(cc) for cc in cells]
        lines.append(([_join(cc) for cc in cells], boxes,
                      (min(b[0] for b in boxes), min(b[1] for b in boxes),
                       max(b[2] for b in boxes), max(b[3] for b in boxes))))
    out: list[SourceLine] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(lines[j][0]) >= 2:
            j += 1
        run = lines[i:j]
        grid = _align_run(run) if len(run) >= 3 else None
        if grid is not None:
            for (_texts, _boxes, bb), row in zip(run, grid):
                out.append(SourceLine([norm(t) for t in row], page=page, grid=True,
                                      table_index=next_table, bbox=bb))
            next_table += 1
            i = j
            continue
        if j == i:
            j = i + 1
        for texts, _boxes, bb in lines[i:j]:
            out.append(SourceLine([norm(t) for t in texts], page=page, bbox=bb))
        i = j
    return out, next_table


def _align_run(run) -> list[list[str]] | None:
    """Put the cells of consecutive lines on common columns (tables printed without rules).

    Columns come from the cells of lines that hold a number (body rows); the other
    lines' cells go to the column under their centre. Returns None when the run
    does not look like a table (fewer than three columns or no numbers)."""
    body = [r for r in run if any(_NUMERIC.match(t.replace(" ", "")) for t in r[0])]
    if len(body) < 2:
        return None
    spans = sorted((b[0], b[2]) for r in body for b in r[1])
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    if len(cols) < 3:
        return None
    bounds = [(cols[k][1] + cols[k + 1][0]) / 2 for k in range(len(cols) - 1)]
    grid = []
    for texts, boxes, _ in run:
        row = [""] * len(cols)
        for t, b in zip(texts, boxes):
            k = bisect_right(bounds, (b[0] + b[2]) / 2)
            row[k] = (row[k] + " " + t).strip() if row[k] else t
        grid.append(row)
    return grid


def page_lines(chars: list[_Char], hsegs, vsegs, page: int, next_table: int = 0,
               split: list[list[list[_Char]]] | None = None, clustered: list[list[_Char]] | None = None
               ) -> tuple[list[SourceLine], int]:
    """Lay out one page: ruled table regions and free text, in reading order (top down).
    ``split``: the page's lines already cut into cells; ``clustered``: its lines (not cut)."""
    regions = _regions(hsegs, vsegs)
    if not regions:
        if split is None and clustered is not None:
            split = [_split_cells(ln) for ln in clustered]
        return _free_lines(chars, page, next_table, split)
    for r in regions:
        r.index = next_table
        next_table += 1
    bounds = [(r.top - 1, r.bottom + 1, r.x0 - 1, r.x1 + 1, []) for r in regions]
    free: list[_Char] = []
    for c in chars:
        cy, cx = c[CY], c[CX]
        for top, bottom, x0, x1, into in bounds:
            if top <= cy <= bottom and x0 <= cx <= x1:
                into.append(c)
                break
        else:
            free.append(c)
    # free text above, between and below the regions, in order
    blocks: list[tuple[float, list[SourceLine]]] = []
    for r, (*_, inside) in zip(regions, bounds):
        blocks.append((r.top, _ruled_rows(r, inside, page)))
    free_lines, next_table = _free_lines(free, page, next_table)
    for ln in free_lines:
        blocks.append((ln.bbox[1] if ln.bbox else 0.0, [ln]))
    blocks.sort(key=lambda b: b[0])
    out = [ln for _, lines in blocks for ln in lines]
    return out, next_table


# --------------------------------------------------------------------------- pdfium access

def open_pdf(path: Path, data: bytes | None = None):
    r"""The PDF at ``path`` (or its bytes ``data``, already read) opened with pypdfium2; its errors
    become located ``InputError``\ s. A path that is no regular file is refused before pdfium sees it."""
    import pypdfium2 as pdfium

    if data is None:
        limits.check_regular_file(path)
    try:
        return pdfium.PdfDocument(data if data is not None else str(path))
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            text = "PDF 文件已加密（需要密码），无法读取：请提供未加密的 PDF"
        elif "format" in msg.lower() or "file" in msg.lower():
            text = (f"不是有效的 PDF 文件，或文件已损坏（{msg}）：请用 PDF 阅读器打开确认，"
                    "或重新下载、导出后再试")
        else:
            text = f"无法打开 PDF（{msg}）：请用 PDF 阅读器打开确认，或重新下载、导出后再试"
        raise InputError([Diagnostic("error", text, file=str(path))]) from None
    except OSError as e:
        raise InputError([Diagnostic("error", f"无法读取文件：{e.strerror or e}", file=str(path))]) from None


def _check_size(path: Path, data: bytes, n_pages: int) -> None:
    """Refuse, before pdfium loads any page, a PDF whose pages would draw more than the bounds
    (form XObjects drawn thousands of times, nested: :mod:`juesuan.parse.pdfscan`)."""
    from .pdfscan import page_costs, probe_pages

    what = "文件被构造过或已损坏，无法安全读取：请用 PDF 阅读器打开后“打印”为 PDF 另存一份，或提供 Word、HTML、文本文件"
    if n_pages > MAX_PDF_PAGES:
        raise limits.refuse(path, f"PDF 有 {n_pages:,} 页，超过上限 {MAX_PDF_PAGES:,} 页，不像一份部门决算："
                                  "请确认选对了文件")
    costs = page_costs(data, n_pages, MAX_PDF_PAGE_CONTENT)
    if costs is None:   # encrypted, or an unknown filter: each page loaded first where it harms no one
        failed = probe_pages(data, n_pages, limits.MAX_PDF_LOAD_BYTES, 30 + n_pages)
        if failed is not None:
            page, why = failed
            cause = "占用内存超过上限" if why == "memory" else "超过时限仍未载入"
            raise limits.refuse(path, f"第 {page} 页载入时{cause}（多半是表单对象层层重复绘制）。{what}")
        return
    mb = 1024 * 1024
    for i, cost in enumerate(costs, 1):
        if cost > MAX_PDF_PAGE_CONTENT:
            raise limits.refuse(path, f"第 {i} 页的内容展开表单对象（Form XObject，层层重复绘制）后超过 "
                                      f"{MAX_PDF_PAGE_CONTENT // mb} MB（一页部门决算通常不到 0.2 MB）。{what}")
    if sum(costs) > limits.MAX_PDF_CONTENT:
        raise limits.refuse(path, f"全部 {n_pages} 页的内容展开表单对象后共 {sum(costs) // mb} MB，超过上限 "
                                  f"{limits.MAX_PDF_CONTENT // mb} MB。{what}")


def _refuse_page(path: Path, page: int, message: str) -> InputError:
    return limits.refuse(path, f"第 {page} 页{message}，远超一页部门决算：文件被构造过或已损坏，无法安全读取。"
                               "请用 PDF 阅读器打开后“打印”为 PDF 另存一份，或提供 Word、HTML、文本文件")


class PageGeometry:
    """Page space (PDF user space, y up, unrotated) → display space (points from the
    top-left of the page as shown, /Rotate applied)."""

    def __init__(self, page):
        self.rotation = page.get_rotation() % 360
        self.x0m, self.y0m, self.x1m, self.y1m = page.get_mediabox()
        self.simple = self.rotation == 0 and self.x0m == 0
        self.height = self.y1m

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        rot, x0m, y0m, x1m, y1m = self.rotation, self.x0m, self.y0m, self.x1m, self.y1m
        if rot == 90:
            return (bottom - y0m, left - x0m, top - y0m, right - x0m)
        if rot == 180:
            return (x1m - right, bottom - y0m, x1m - left, top - y0m)
        if rot == 270:
            return (y1m - top, x1m - right, y1m - bottom, x1m - left)
        return (left - x0m, y1m - top, right - x0m, y1m - bottom)


class _TooMuch(Exception):
    """A page holds more than a bound: the message says what (“有 … 个字符”)."""


_NOT_CHARS = frozenset("\n\r\x00\ufffe\uffff\x02")   # line ends and markers pdfium adds: no characters
_SURROGATE = re.compile("[\ud800-\udfff]")


def _page_chars(textpage, geom: PageGeometry) -> list[_Char]:
    import pypdfium2.raw as raw

    tp = textpage.raw
    n = raw.FPDFText_CountChars(tp)
    if n > MAX_PDF_PAGE_CHARS:
        raise _TooMuch(f"有 {n:,} 个字符（上限 {MAX_PDF_PAGE_CHARS:,}）")
    rect = raw.FS_RECTF()
    prect = ctypes.byref(rect)
    get_u = raw.FPDFText_GetUnicode
    get_box = raw.FPDFText_GetLooseCharBox
    is_gen = raw.FPDFText_IsGenerated
    out: list[_Char] = []
    append = out.append
    simple, height = geom.simple, geom.height
    surrogates = False
    text = textpage.get_text_range(0, n) if n else ""
    bulk = len(text) == n   # one UTF-16 unit per character: read them all at once
    if bulk and simple:
        # the common case, written out: the characters as they come, their boxes on the page as is
        for i, ch in enumerate(text):
            if ch in _NOT_CHARS or ch == " " and is_gen(tp, i) or not get_box(tp, i, prect):
                continue
            x0, x1, top, bottom = rect.left, rect.right, height - rect.top, height - rect.bottom
            append([ch, x0, top, x1, bottom, (x0 + x1) / 2, (top + bottom) / 2, 0])
        return _fix_surrogates(out) if _SURROGATE.search(text) else out
    for i in range(n):
        u = ord(text[i]) if bulk else get_u(tp, i)
        if u in (10, 13, 0, 0xFFFE, 0xFFFF) or u == 2:
            continue
        if u == 32 and is_gen(tp, i):
            continue
        if not get_box(tp, i, prect):
            continue
        if 0xD800 <= u <= 0xDFFF:
            surrogates = True
        # loose box: left, top, right, bottom in PDF user space (y up)
        if simple:   # _char(…), written out: a call per character costs 10 % of this loop
            x0, x1, top, bottom = rect.left, rect.right, height - rect.top, height - rect.bottom
            append([chr(u), x0, top, x1, bottom, (x0 + x1) / 2, (top + bottom) / 2, 0])
        else:
            append(_char(chr(u), *geom.box(rect.left, rect.bottom, rect.right, rect.top)))
    return _fix_surrogates(out) if surrogates else out


def _fix_surrogates(chars: list[_Char]) -> list[_Char]:
    out: list[_Char] = []
    for c in chars:
        o = ord(c[CH])
        if 0xDC00 <= o <= 0xDFFF and out and 0xD800 <= ord(out[-1][CH]) <= 0xDBFF:
            hi = ord(out[-1][CH])
            out[-1][CH] = chr(0x10000 + ((hi - 0xD800) << 10) + (o - 0xDC00))
            continue
        out.append(c)
    return out


def _page_paths(page, geom: PageGeometry) -> tuple[list, list, int]:
    """Ruling segments (top-down coordinates) and the number of image objects of a page."""
    import pypdfium2.raw as raw

    hsegs: list[tuple[float, float, float]] = []
    vsegs: list[tuple[float, float, float]] = []
    images = 0
    c_left, c_bottom, c_right, c_top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    pl, pb, pr, pt = ctypes.byref(c_left), ctypes.byref(c_bottom), ctypes.byref(c_right), ctypes.byref(c_top)
    get_obj = raw.FPDFPage_GetObject
    get_type = raw.FPDFPageObj_GetType
    get_bounds = raw.FPDFPageObj_GetBounds
    simple, height = geom.simple, geom.height
    PATH, IMAGE, FORM = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM

    visits = 0

    def visit(obj, matrix=None) -> None:
        nonlocal images, visits
        visits += 1
        if visits > MAX_PDF_PAGE_OBJECTS:
            raise _TooMuch(f"有超过 {MAX_PDF_PAGE_OBJECTS:,} 个页面对象（含表单对象中的）")
        typ = get_type(obj)
        if typ == PATH:
            if not get_bounds(obj, pl, pb, pr, pt):
                return
            lv, bv, rv, tv = c_left.value, c_bottom.value, c_right.value, c_top.value
            if matrix is not None:   # inside a form XObject: bounds are in form space
                lv, bv, rv, tv = _apply(matrix, lv, bv, rv, tv)
            if simple:
                x0, x1, top, bottom = lv, rv, height - tv, height - bv
            else:
                x0, top, x1, bottom = geom.box(lv, bv, rv, tv)
            w, h = x1 - x0, bottom - top
            if h <= _RULE_THIN and w >= _RULE_MIN:
                hsegs.append((x0, x1, (top + bottom) / 2))
            elif w <= _RULE_THIN and h >= _RULE_MIN:
                vsegs.append(((x0 + x1) / 2, top, bottom))
            elif w >= _RULE_MIN and h >= _RULE_MIN and _stroked(obj):
                # a stroked rectangle: a cell border drawn as one path
                hsegs.append((x0, x1, top))
                hsegs.append((x0, x1, bottom))
                vsegs.append((x0, top, bottom))
                vsegs.append((x1, top, bottom))
        elif typ == IMAGE:
            images += 1
        elif typ == FORM:
            m = raw.FS_MATRIX()
            if raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
                own = (m.a, m.b, m.c, m.d, m.e, m.f)
                inner = own if matrix is None else _compose(own, matrix)
            else:
                inner = matrix
            for k in range(raw.FPDFFormObj_CountObjects(obj)):
                visit(raw.FPDFFormObj_GetObject(obj, k), inner)

    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        visit(get_obj(page.raw, i))
    return hsegs, vsegs, images


def _compose(m1: tuple, m2: tuple) -> tuple:
    """The matrix applying m1, then m2 (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _apply(m: tuple, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
    """Bounding box of a rectangle transformed by m."""
    a, bb, c, d, e, f = m
    if bb == 0 and c == 0:   # scaled and moved only (a form drawn in place): its corners need no turning
        x0, x1 = a * left + e, a * right + e
        y0, y1 = d * bottom + f, d * top + f
        return (x0 if x0 < x1 else x1), (y0 if y0 < y1 else y1), (x1 if x0 < x1 else x0), (y1 if y0 < y1 else y0)
    xs, ys = [], []
    for x, y in ((left, bottom), (left, top), (right, bottom), (right, top)):
        xs.append(a * x + c * y + e)
        ys.append(bb * x + d * y + f)
    return min(xs), min(ys), max(xs), max(ys)


def _stroked(obj) -> bool:
    import pypdfium2.raw as raw

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return False
    if not stroke.value or raw.FPDFPath_CountSegments(obj) > 6:
        return False
    return True


# A page has no text layer when it shows an image and fewer visible characters than
# _SCANNED_CHARS, or an image covering most of it (_SCANNED_COVER) and fewer than _STAMPED_CHARS
# (a scan with a page number or a stamp added as text).
_SCANNED_CHARS = 5
_STAMPED_CHARS = 60
_SCANNED_COVER = 0.6


def _image_cover(page, geom: PageGeometry) -> float:
    """The share of the page the largest image object covers."""
    import pypdfium2.raw as raw

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    area = max(1.0, (geom.x1m - geom.x0m) * (geom.y1m - geom.y0m))
    best = 0.0
    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, i)
        if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_IMAGE and raw.FPDFPageObj_GetBounds(
                obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)):
            best = max(best, (right.value - left.value) * (top.value - bottom.value) / area)
    return best


def _drawn_box(page, geom: PageGeometry) -> tuple[float, float, float, float] | None:
    """The box (page as shown) around everything the page draws — its objects and its
    annotations — or None when it draws nothing."""
    import pypdfium2.raw as raw

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    refs = tuple(ctypes.byref(v) for v in (left, bottom, right, top))
    boxes = []
    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        if raw.FPDFPageObj_GetBounds(raw.FPDFPage_GetObject(page.raw, i), *refs):
            boxes.append(geom.box(left.value, bottom.value, right.value, top.value))
    rect = raw.FS_RECTF()
    for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, i)
        if annot:
            if raw.FPDFAnnot_GetRect(annot, ctypes.byref(rect)):
                boxes.append(geom.box(min(rect.left, rect.right), min(rect.bottom, rect.top),
                                      max(rect.left, rect.right), max(rect.bottom, rect.top)))
            raw.FPDFPage_CloseAnnot(annot)
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _progress(message: str) -> None:
    """The default progress line: standard error, where the command line prints its notes."""
    print(message, file=sys.stderr, flush=True)


def read_pdf(path: str | Path, progress: Callable[[str], None] | None = _progress) -> SourceDoc:
    """Read a PDF into lines of cells with page numbers and boxes. Pages without a text layer
    (an image, almost no characters) are read by OCR (:mod:`juesuan.parse.ocr`), each announced
    through ``progress`` (None: silently); when OCR cannot run, a PDF of such pages only is an
    :class:`~juesuan.errors.InputError` saying it is scanned."""
    path = Path(path)
    data = limits.read_bytes(path)
    pdf = open_pdf(path, data)
    doc = SourceDoc(path=str(path), format="pdf")
    ocr_missing: str | None = None
    try:
        n_pages = len(pdf)
        _check_size(path, data, n_pages)
        doc.pages = n_pages
        next_table = 0
        scanned: list[int] = []
        text_chars = 0
        for i in range(n_pages):
            try:
                page = pdf[i]
                geom = PageGeometry(page)
                textpage = page.get_textpage()
                chars = _page_chars(textpage, geom)
                visible = sum(1 for c in chars if not c[CH].isspace())
                # Ruling lines matter only where a line of text has several cells: a page
                # of running text skips the walk over its (often one-per-glyph) objects.
                clustered = _cluster_lines(chars)
                ruled = visible < 5 or any(_has_gap(ln) for ln in clustered)
                # a page without a gap is one cell a line; a page with one is cut when laid
                # out (only its text outside ruled regions, if it has any)
                split = None if ruled else [cells for ln in clustered if (cells := _one_cell(ln))]
                hsegs, vsegs, images = _page_paths(page, geom) if ruled else ([], [], 0)
                scan = bool(images) and visible < _SCANNED_CHARS or \
                    visible < _STAMPED_CHARS and _image_cover(page, geom) >= _SCANNED_COVER
            except _TooMuch as e:
                raise _refuse_page(path, i + 1, str(e)) from None
            except Exception as e:  # pdfium errors on a damaged page
                raise InputError([Diagnostic("error", f"第 {i + 1} 页无法读取（{e}）：文件可能已损坏，请用 PDF 阅读器"
                                                      "打开确认，或重新下载、导出后再试", file=str(path))]) from None
            text_chars += visible
            if text_chars > MAX_PDF_CHARS:
                raise limits.refuse(path, f"到第 {i + 1} 页为止已有 {text_chars:,} 个字符，超过上限 {MAX_PDF_CHARS:,}，"
                                          "远超一份部门决算：请确认选对了文件，或把文件拆分后分别读取")
            if scan:
                from . import ocr

                ocr_missing = ocr_missing or ocr.unavailable()
                if ocr_missing is not None:
                    scanned.append(i + 1)
                    continue
                if progress is not None:
                    progress(f"第 {i + 1}/{n_pages} 页是扫描件，正在识别…")
                try:
                    shown = geom.box(*page.get_cropbox())
                    drawn = _drawn_box(page, geom)
                    found, hsegs, vsegs, back = ocr.read_page(page, shown[:2], area=None if drawn is None else (
                        drawn[0] - shown[0], drawn[1] - shown[1], drawn[2] - shown[0], drawn[3] - shown[1]))
                except Exception as e:  # noqa: BLE001 - an OCR failure is this page's, not a traceback
                    raise InputError([Diagnostic("error", f"第 {i + 1} 页是扫描件，文字识别失败：{e}",
                                                 file=str(path))]) from None
                chars = [_char(*c) for c in found]
                split = None
                doc.ocr_pages.append(i + 1)
            lines, next_table = page_lines(chars, hsegs, vsegs, i + 1, next_table, split,
                                           None if scan else clustered)
            for k, ln in enumerate(lines, 1):
                ln.line = k
                if scan and ln.bbox is not None:
                    ln.bbox = back(ln.bbox)   # where the line is on the page as scanned
            doc.lines.extend(lines)
            textpage.close()
            page.close()
    finally:
        pdf.close()
    if scanned and len(scanned) == n_pages:
        raise InputError([Diagnostic(
            "error", f"这是扫描件：全部 {n_pages} 页都是图像，没有文字层，需要文字识别（OCR）才能读取，"
            f"但 OCR 组件无法加载（{ocr_missing}）。请安装：pip install rapidocr onnxruntime，"
            "或提供带文字层的 PDF、Word 或文本文件。", file=str(path), code="scanned")])
    if scanned:
        doc.notes.append("scanned pages: 第 " + "、".join(map(str, scanned))
                         + " 页是图像，没有文字层（扫描页），OCR 组件无法加载，未读取")
    elif n_pages and text_chars == 0 and not doc.ocr_pages:
        doc.notes.append("empty: PDF 没有任何文字")
    if doc.ocr_pages:
        doc.notes.append("ocr pages: 第 " + "、".join(map(str, doc.ocr_pages))
                         + " 页是扫描件，经文字识别（OCR）读取")
    return doc


def _word_break(a: str, b: str) -> bool:
    """Two lines of one cell meet between two Latin letters or digits: keep a space."""
    return a.isascii() and a.isalnum() and b.isascii() and b.isalnum()
