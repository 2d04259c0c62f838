"""What every document reader hands to the recognizer: lines of cells with places.

Readers (text, PDF, DOCX, HTML) turn a file into a ``SourceDoc``: an ordered list
of ``SourceLine``. Running text is a line with one cell; a table row is a line
with several cells (tab-separated text, PDF words split at column gaps, or real
DOCX/HTML table cells with ``grid=True``). The recognizer
(:mod:`juesuan.parse.recognize`) finds parts, sections, the nine tables and the
performance tables in this stream, whatever the format was, and keeps each line's
place (page, line, bbox) so that findings can point into the original.

Every cell is cleaned when its line is made (:func:`scrub`), whatever the reader: damaged text
(a broken PDF, a file decoded with errors) can carry terminal control characters (ESC, BEL, NUL
…) and lone UTF-16 surrogates, which would reach the reports and the terminal, or make the
output fail to encode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..place import Place

__all__ = ["SourceLine", "SourceDoc", "scrub", "unsurrogate"]

# what may not stand in document text: C0 controls but tab and newline, DEL, C1 controls, and
# UTF-16 surrogates (a pair is joined into its character, a lone one becomes U+FFFD)
_UNCLEAN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# a whole terminal escape sequence (CSI "ESC [ 31 m", OSC "ESC ] … BEL"), not only its ESC
_ESCAPE_SEQ = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,200}(?:\x07|\x1b\\)|\x9b[0-?]*[ -/]*[@-~]")
# controls that separate words (carriage return, vertical tab, form feed, NEL) become a space
_SEPARATORS = str.maketrans({"\r": " ", "\x0b": " ", "\x0c": " ", "\x85": " "})


def unsurrogate(s: str) -> str:
    """``s`` without lone surrogates: a high and low surrogate in a row become their character,
    any other one U+FFFD (text that cannot be encoded otherwise: a damaged PDF's, a file name
    decoded with ``surrogateescape``)."""
    if not _SURROGATE.search(s):
        return s
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def scrub(s: str) -> str:
    """A cell of document text made safe: no control characters but tab and newline (terminal
    escape sequences removed whole, separators as a space), no lone surrogates; stripped when
    anything was removed. Clean text (nearly all of it) is returned as it is."""
    if not _UNCLEAN.search(s):
        return s
    s = unsurrogate(s)
    if "\x1b" in s or "\x9b" in s:
        s = _ESCAPE_SEQ.sub("", s)
    return _UNCLEAN.sub("", s.translate(_SEPARATORS)).strip()


@dataclass
class SourceLine:
    cells: list[str]
    page: int | None = None          # 1-based page (PDF/DOCX page breaks when known)
    line: int | None = None          # 1-based line in the file (text) or on the page
    grid: bool = False               # cells come from a real table structure
    table_index: int | None = None   # which source table (DOCX/HTML/PDF) the row belongs to
    bbox: tuple[float, float, float, float] | None = None  # PDF x0, top, x1, bottom
    file: str | None = None          # the file, when a document is read from several (text + tables)
    spans: tuple[int, ...] | None = None   # a ruled PDF row with merged cells: the columns each cell
    #                                        spans (0: merged into the cell on its left); None: one each

    def __post_init__(self) -> None:
        # the one point where every reader's text becomes source lines: cleaned here
        cells = self.cells
        if not isinstance(cells, list):
            self.cells = cells = list(cells)
        if _UNCLEAN.search("".join(cells) if len(cells) > 1 else cells[0] if cells else ""):
            cells[:] = [scrub(c) for c in cells]

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)

    def place(self) -> Place:
        """Where the line is: page, line and box (rounded to 0.1 pt); made once while they stay
        the same (the recognizer asks for it for every reading and note of the line)."""
        key = (self.file, self.page, self.line, self.bbox)
        got = self.__dict__.get("_place")
        if got is not None and got[0] == key:
            return got[1]
        p = Place(file=self.file, page=self.page, line=self.line,
                  bbox=tuple(round(v, 1) for v in self.bbox) if self.bbox is not None else None)
        self.__dict__["_place"] = (key, p)
        return p


@dataclass
class SourceDoc:
    path: str
    format: str                      # "text" | "pdf" | "docx" | "html"
    lines: list[SourceLine] = field(default_factory=list)
    pages: int | None = None
    notes: list[str] = field(default_factory=list)   # e.g. "scanned: no text layer"
    ocr_pages: list[int] = field(default_factory=list)   # pages read by OCR (no text layer)
