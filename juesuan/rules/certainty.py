"""No accusation without certainty: an error stands only on figures read for sure.

A displayed figure of a parsed document carries how it was read (:class:`~juesuan.tables.table.Reading`).
An **error** accuses the publisher of a contradiction; it is only fair when every figure it rests
on was read exactly. :func:`certain` looks at what a finding points at:

* each table cell among its places: its reading must be exact (a cell chosen among several
  readings of a line, placed by position against the row's identities, put back from a displaced
  line, or not read at all is not);
* a row a table does not list (a place noted 未列示, read as a blank): the table must have been
  read completely — a row on one of its unread lines is not "not listed";
* the tables whose rows it adds up (``Finding.assumes``: 类 = Σ款, 合计 = Σ类, the blocks of
  T6): they must have been read completely.

When one of these fails, the error becomes "无法核对" (``info``) saying which cells were uncertain
and which lines could not be read — never an accusation. Built and typed data are exact: their
findings pass unchanged. Warnings and infos pass unchanged too.

Figures read by OCR from a scanned page (``Reading.how`` ``ocr``; narrative and forms on the pages
the document lists as ``source["ocr_pages"]``) may be misread: an error resting on such a figure,
and on nothing else uncertain, is at most a **warning** "待复核（扫描件识别）" — the reviewer looks
at the page. An OCR figure that an identity holding on independently read cells confirms (``ocr:…``
with confidence 1, see :func:`juesuan.parse.ocr.mark_readings`) is as good as one read exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..document import Document
from ..place import Place, place_text
from ..tables.table import Reading, Row, Table
from .context import Finding

__all__ = ["certain", "unchecked", "UNCHECKED", "TO_REVIEW"]

UNCHECKED = "无法核对"
TO_REVIEW = "待复核（扫描件识别）"


class _Scanned(str):
    """A doubt that is only OCR's: the figure was read from a page image and not confirmed."""

_HOW = {
    "unread": "未能读取",
    "scored": "读法不确定（这一行的数字可有几种读法）",
    "chosen-by-identity": "按恒等式推定",
    "positional": "单元格位置与本行恒等式不符",
    "repaired": "由错位的数字补回",
    "blank": "未印数字，按空白读",
    "ocr": "扫描件识别",
}


class _Rows:
    """The rows of a document's parsed tables by the label a place gives them (per check)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._by_table: dict[str, dict[tuple[str, str | None], Row]] = {}

    def table(self, tid: str | None) -> Table | None:
        ts = self.doc.tables
        t = ts.tables.get(tid) if ts is not None and tid is not None else None
        return t if t is not None and t.read else None

    def row(self, t: Table, label: str, side: str | None) -> Row | None:
        idx = self._by_table.get(t.id)
        if idx is None:
            idx = self._by_table[t.id] = {}
            for r in t.rows:
                text = r.label or r.key
                if r.code and not text.startswith(r.code):
                    text = f"{r.code} {text}"
                idx.setdefault((text, r.side if t.layout.kind == "two_sided" else None), r)
        return idx.get((label, side if t.layout.kind == "two_sided" else None))


def _lines(t: Table, most: int = 3) -> str:
    where = []
    for ev in t.unread[:most]:
        w = (f"第{ev['page']}页" if "page" in ev else "") + (f"第{ev['line']}行" if "line" in ev else "")
        if w:
            where.append(w)
    more = "等" if len(t.unread) > most else ""
    return f"（{'、'.join(where)}{more}）" if where else ""


def _doubt(rd: Reading, p: Place, t: Table) -> str:
    how = _HOW.get(rd.how.split(":")[0], rd.how)
    if rd.how.startswith("ocr:"):   # read by OCR and uncertain for another reason too
        rest = rd.how[4:]
        how = f"{how}，{_HOW.get(rest.split(':')[0], rest)}"
    at = (f"第{rd.place.page}页" if rd.place and rd.place.page else "") + \
        (f"第{rd.place.line}行" if rd.place and rd.place.line else "")
    return f"{_name(t)}“{p.row}”行“{p.column}”列{how}" + (f"（{at}）" if at else "")


def _scanned_page(p: Place, doc: Document) -> bool:
    """Is ``p`` (not a cell of a parsed table) on a page read by OCR? A place with no page counts
    when most of the document was (a scanned document's narrative, its forms)."""
    pages = doc.source.get("ocr_pages") if doc.source else None
    if not pages:
        return False
    if p.page is not None:
        return p.page in pages
    return 2 * len(pages) >= (doc.source.get("pages") or 0)


def _name(t) -> str:
    """A table as the reader knows it: by its printed title (收入决算表), not its id (T2)."""
    return t.title or f"表{t.id}"


def doubts(f: Finding, rows: _Rows) -> list[str]:
    """Why the figures ``f`` rests on are not certain (none: they are); a doubt that is only
    OCR's is a :class:`_Scanned`."""
    out: list[str] = []
    for p in f.places:
        t = rows.table(p.table)
        if t is None:
            if _scanned_page(p, rows.doc):
                at = f"第{p.page}页" if p.page else ""
                what = f"“{p.sentence[:24]}”" if p.sentence else place_text(p._replace(page=None, line=None))
                out.append(_Scanned(f"{at}{what}为扫描件识别"))
            continue
        if p.note == "未列示":
            if t.unread:
                out.append(f"{_name(t)}有 {len(t.unread)} 行未能读取{_lines(t)}，“{p.row}”或在其中")
            continue
        row = rows.row(t, p.row, p.side) if p.row is not None and p.column is not None else None
        if row is None:
            # the table as a whole, or a row it does not show: read by OCR, it may have been misread
            if _scanned_page(Place(page=t.source.get("page")), rows.doc) and t.source.get("page"):
                out.append(_Scanned(f"{_name(t)}为扫描件识别"))
            continue
        rd = t.reading(row, p.column)
        if not rd.exact:
            d = _doubt(rd, p, t)
            out.append(_Scanned(d) if rd.how == "ocr" else d)
    for tid in f.assumes:
        t = rows.table(tid)
        if t is not None and t.unread:
            out.append(f"{_name(t)}有 {len(t.unread)} 行未能读取{_lines(t)}，其合计未能核对")
    return list(dict.fromkeys(out))


def unchecked(f: Finding, why: Iterable[str]) -> Finding:
    """``f`` as "无法核对" (info), saying why the figures it rests on are not sure."""
    return f._replace(severity="info", message=f"{UNCHECKED}：{f.message}（{'；'.join(why)}）")


def certain(findings: list[Finding], doc: Document) -> list[Finding]:
    """``findings`` with every error that rests on an uncertain figure made "无法核对" (info), and
    every error that rests on OCR figures not confirmed (and on nothing else uncertain) made a
    warning "待复核（扫描件识别）"."""
    scanned = bool(doc.source and doc.source.get("ocr_pages"))
    if not scanned and (doc.tables is None or not any(t.read for t in doc.tables)):
        return findings
    rows = _Rows(doc)
    out: list[Finding] = []
    for f in findings:
        if f.severity == "error":
            why = doubts(f, rows)
            if why and all(type(w) is _Scanned for w in why):
                f = f._replace(severity="warning",
                               message=f"{TO_REVIEW}：{f.message}（{'；'.join(why)}；请对照原件核对）")
            elif why:
                f = unchecked(f, why)
            elif scanned and not f.places and 2 * len(doc.source["ocr_pages"]) >= (doc.source.get("pages") or 0):
                f = f._replace(severity="warning", message=f"{TO_REVIEW}：{f.message}（文件主要由扫描件识别读取）")
        out.append(f)
    return out
