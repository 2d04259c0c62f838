"""HTML page → ``SourceDoc``: block text as one-cell lines, tables expanded to full grids.

This module owns reading HTML disclosures (our own ``build`` output and pages as
published on government sites) for the recognizer, with lxml.html:

* the charset comes from a BOM, the ``<meta charset>`` / ``http-equiv`` declaration
  (GB2312 and GBK are read as their superset GB18030), else UTF-8, else GB18030;
* block elements (``p``, ``div``, ``h1``–``h6``, ``li`` …) and ``<br>`` end a line;
  ``&nbsp;`` and odd spaces become spaces, line breaks in the source between two
  Chinese characters vanish (a browser shows no space there either), every line
  is normalised (radicals, full-width digits);
* a ``<table>`` becomes one ``SourceLine`` per row with ``grid=True``, ``rowspan``
  and ``colspan`` expanded: a spanning cell's text sits in its top-left position,
  the other positions are ``""``, so every row has one cell per grid column;
  tables that hold other tables are page layout, not data, and are read as blocks;
* items of an ordered list get their number (``1.``), as a browser or a PDF shows;
* ``script``, ``style``, ``svg`` (drawn charts), hidden elements and comments are skipped.

``SourceLine.line`` is the line of the element in the HTML file.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import limits
from ..errors import Diagnostic, InputError
from ..limits import MAX_DOC_CELLS, MAX_GRID_CELLS, MAX_MARKUP_BYTES, MAX_MARKUP_TAGS, MAX_SPAN
from ..zh import normalize_cell
from .source import SourceDoc, SourceLine

__all__ = ["read_html", "decode_html"]

_SKIP = {"script", "style", "noscript", "template", "svg", "head", "title", "iframe", "object",
         "select", "button", "map"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
          "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre",
          "figure", "figcaption", "caption", "address", "center", "form", "fieldset", "legend",
          "hr", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "body", "html", "details",
          "summary"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s*\n\s*"
                        r"(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")
_WS = re.compile(r"\s+")
_NUMBERED = set("一二三四五六七八九十第（(【〔")
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
            "utf8": "utf-8"}


def decode_html(data: bytes, path: str = "") -> tuple[str, str]:
    """Bytes of an HTML page → (text, encoding used)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        name = _ALIASES.get(name, name)
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass   # a wrong declaration is common: fall back to detection
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise InputError([Diagnostic("error", "无法识别网页的字符编码（不是 UTF-8，也不是 GBK/GB18030）",
                                     file=path or None)]) from None


def _clean(s: str) -> str:
    """Whitespace as a browser shows it; normalised characters."""
    s = s.replace("\r", "\n")
    if "\n" in s:
        s = _CJK_BREAK.sub("", s)
    s = normalize_cell(s)
    return _WS.sub(" ", s).strip()


def _hidden(el) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and re.search(r"display\s*:\s*none", style, re.I) is not None


def _tag(el) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


class _Reader:
    def __init__(self, path: Path):
        self.doc = SourceDoc(path=str(path), format="html")
        self.buf: list[str] = []
        self.buf_line: int | None = None
        self.tables = 0
        self.cells = 0   # cells of the tables read so far

    def flush(self) -> None:
        text = _clean("".join(self.buf))
        if text:
            self.doc.lines.append(SourceLine([text], line=self.buf_line))
        self.buf = []
        self.buf_line = None

    def text(self, s: str | None, line: int | None) -> None:
        if s:
            if self.buf_line is None and s.strip():
                self.buf_line = line
            self.buf.append(s)

    def walk(self, el) -> None:
        tag = _tag(el)
        if not tag or tag in _SKIP or _hidden(el):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table" and not _is_layout_table(el):
            self.flush()
            self.table(el)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        if tag == "li":
            number = _ordinal(el)
            if number:
                self.text(number, el.sourceline)
        self.text(el.text, el.sourceline)
        for child in el:
            self.walk(child)
            self.text(child.tail, getattr(child, "sourceline", None))
        if block:
            self.flush()

    def table(self, tbl) -> None:
        index = self.tables
        self.tables += 1
        caption = next((c for c in tbl if _tag(c) == "caption"), None)
        if caption is not None:
            text = _clean(_cell_text(caption))
            if text:
                self.doc.lines.append(SourceLine([text], line=caption.sourceline))
        trs = list(_rows(tbl))
        n = len(trs)
        # one list per row, None where no cell lies yet; a row span stops at the table's last row
        # (as a browser draws it), so a span never allocates rows the table does not have
        grid: list[list[str | None]] = [[] for _ in trs]
        width = laid = 0
        for r, tr in enumerate(trs):
            row = grid[r]
            c = 0
            for cell in tr:
                if _tag(cell) not in ("td", "th") or _hidden(cell):
                    continue
                while c < len(row) and row[c] is not None:
                    c += 1
                rs = min(_span(cell.get("rowspan")), n - r)
                cs = _span(cell.get("colspan"))
                laid += rs * cs
                if max(width, c + cs) * n > MAX_GRID_CELLS or laid > MAX_GRID_CELLS:
                    raise self.too_big(index, tr, f"{n:,} 行 × {max(width, c + cs):,} 列"
                                       if laid <= MAX_GRID_CELLS else f"{laid:,} 个单元格")
                text = _clean(_cell_text(cell))
                for dr in range(rs):
                    target = grid[r + dr]
                    if len(target) < c + cs:
                        target.extend([None] * (c + cs - len(target)))
                    target[c:c + cs] = [""] * cs
                row[c] = text
                c += cs
                width = max(width, c)
        self.cells += width * n
        if self.cells > MAX_DOC_CELLS:
            raise limits.refuse(self.doc.path, f"到第{index + 1}个表格为止，全部表格展开合并单元格后共有 "
                                               f"{self.cells:,} 个单元格，超过上限 {MAX_DOC_CELLS:,}，"
                                               "不像一份部门决算：网页已损坏或被构造过，请确认选对了文件。",
                                line=tbl.sourceline)
        for tr, row in zip(trs, grid):
            out = [x or "" for x in row]
            out.extend([""] * (width - len(out)))
            self.doc.lines.append(SourceLine(out, line=tr.sourceline, grid=True, table_index=index))

    def too_big(self, index: int, el, size: str) -> InputError:
        return limits.refuse(self.doc.path, f"第{index + 1}个表格展开合并单元格（rowspan/colspan）后有 {size}，"
                                            f"超过上限 {MAX_GRID_CELLS:,} 个单元格，不像一份部门决算的表格："
                                            "网页已损坏或被构造过，请确认选对了文件。",
                             line=el.sourceline)


def _span(v: str | None) -> int:
    """A rowspan / colspan as a browser reads it: leading digits, at least 1, at most MAX_SPAN
    (browsers clamp colspan at 1000 too)."""
    m = _DIGITS.match(v or "")
    return max(1, min(int(m.group(1)), MAX_SPAN)) if m else 1


_DIGITS = re.compile(r"\s*\+?(\d{1,12})")


def _rows(tbl):
    """Rows of a table, not of tables nested in it."""
    for child in tbl:
        tag = _tag(child)
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            for tr in child:
                if _tag(tr) == "tr":
                    yield tr


def _is_layout_table(tbl) -> bool:
    return any(_tag(t) == "table" for t in tbl.iterdescendants())


def _cell_text(el) -> str:
    """Text of a cell: ``<br>`` and paragraphs inside are joined without a separator
    (a heading such as 年初结转<br>和结余 is one name)."""
    out: list[str] = []

    def rec(e) -> None:
        tag = _tag(e)
        if not tag or tag in _SKIP or _hidden(e):
            return
        if tag == "br" or tag in _BLOCK:
            out.append("\n")
        if e.text:
            out.append(e.text)
        for child in e:
            rec(child)
            if child.tail:
                out.append(child.tail)
        if tag in _BLOCK:
            out.append("\n")

    rec(el)
    parts = [p.strip() for p in "".join(out).split("\n")]
    joined = ""
    for p in parts:
        if not p:
            continue
        if joined and _word_break(joined[-1], p[0]):
            joined += " "
        joined += p
    return joined


def _ordinal(li) -> str:
    parent = li.getparent()
    if parent is None or _tag(parent) != "ol":
        return ""
    head = li.text_content().strip()[:1]
    if not head or head.isdigit() or head in _NUMBERED:
        return ""   # the item already carries its number (1. / 一、 / 第一部分 / （一）)
    start = _span(parent.get("start")) if parent.get("start") else 1
    n = sum(1 for s in li.itersiblings(preceding=True) if _tag(s) == "li")
    return f"{start + n}."


def read_html(path: str | Path) -> SourceDoc:
    """Read an HTML page into lines: block text (one cell) and table rows (``grid=True``)."""
    from lxml import etree, html

    path = Path(path)
    data = limits.read_bytes(path, MAX_MARKUP_BYTES)
    if data.count(b"<") > MAX_MARKUP_TAGS:   # the page is parsed whole into a tree
        raise limits.refuse(path, f"网页有超过 {MAX_MARKUP_TAGS:,} 个标记，远超一份部门决算：文件已损坏或被构造过，"
                                  "不予读取。请确认选对了文件")
    text, enc = decode_html(data, str(path))
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise InputError([Diagnostic("error", "网页文件是空的：请确认选对了文件，或在浏览器中打开该网页后"
                                              "“另存为”完整网页再试。", file=str(path))])
    try:
        root = html.document_fromstring(text)
    except (etree.LxmlError, ValueError):
        raise InputError([Diagnostic("error", "网页无法解析：文件中没有可读的 HTML 内容（可能不是网页、已损坏或只有"
                                              "文档声明）。请在浏览器中打开该网页后“另存为”完整网页，"
                                              "或提供 PDF、Word 文件再试。", file=str(path))]) from None
    reader = _Reader(path)
    body = root.find("body")
    reader.walk(body if body is not None else root)
    reader.flush()
    reader.doc.notes.append(f"encoding: {enc}")
    return reader.doc


def _word_break(a: str, b: str) -> bool:
    """Two lines of one cell meet between two Latin letters or digits: keep a space."""
    return a.isascii() and a.isalnum() and b.isascii() and b.isalnum()
