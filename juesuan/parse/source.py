"""What every document reader hands to the recognizer: lines of cells with places.

Readers (text, PDF, DOCX, HTML) turn a file into a ``SourceDoc``: an ordered list
of ``SourceLine``. Running text is a line with one cell; a table row is a line
with several cells (tab-separated text, PDF words split at column gaps, or real
DOCX/HTML table cells with ``grid=True``). The recognizer
(:mod:`juesuan.parse.recognize`) finds parts, sections, the nine tables and the
performance tables in this stream, whatever the format was, and keeps each line's
place (page, line, bbox) so that findings can point into the original.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..place import Place

__all__ = ["SourceLine", "SourceDoc"]


@dataclass
class SourceLine:
    cells: list[str]
    page: int | None = None          # 1-based page (PDF/DOCX page breaks when known)
    line: int | None = None          # 1-based line in the file (text) or on the page
    grid: bool = False               # cells come from a real table structure
    table_index: int | None = None   # which source table (DOCX/HTML/PDF) the row belongs to
    bbox: tuple[float, float, float, float] | None = None  # PDF x0, top, x1, bottom

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)

    def place(self) -> Place:
        """Where the line is: page, line and box (rounded to 0.1 pt)."""
        return Place(page=self.page, line=self.line,
                     bbox=tuple(round(v, 1) for v in self.bbox) if self.bbox is not None else None)


@dataclass
class SourceDoc:
    path: str
    format: str                      # "text" | "pdf" | "docx" | "html"
    lines: list[SourceLine] = field(default_factory=list)
    pages: int | None = None
    notes: list[str] = field(default_factory=list)   # e.g. "scanned: no text layer"
    ocr_pages: list[int] = field(default_factory=list)   # pages read by OCR (no text layer)
