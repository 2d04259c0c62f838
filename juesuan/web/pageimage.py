"""A PDF page as a PNG with the places of findings boxed (docs/web.md, 文档页与标记).

:func:`page_png` renders page ``n`` of a PDF with pdfium at about 100 dpi and draws a box, in
the colour of its severity, around each :class:`~juesuan.web.view.PageMark`:

* a table cell: the reader keeps the box of the cell's line; the cell's printed figure is found
  among the page's characters inside that box (the ``nth`` of equal figures, from the left) and
  the box narrowed to it — the line's box when the figure cannot be found;
* a sentence: its text found among the page's characters (spaces ignored), boxed line by line;
* a box alone: drawn as it is.

Images are cached on disk (``cache_dir``) under the file's SHA-256, the page and what is boxed:
a page is drawn once. pdfium is not thread-safe: one lock guards every use of it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from ..output import writing
from .view import PageMark

__all__ = ["page_png", "page_count", "COLOURS", "DPI"]

DPI = 100
COLOURS = {"error": (214, 40, 40), "warning": (212, 140, 0), "info": (11, 92, 173)}
_PDFIUM = threading.Lock()


class _Chars:
    """The characters of a page with their boxes, in content order (top-left origin, points)."""

    def __init__(self, page, height: float):
        import pypdfium2.raw as raw
        tp = page.get_textpage()
        self.items: list[tuple[str, tuple[float, float, float, float]]] = []
        for i in range(tp.count_chars()):
            ch = chr(raw.FPDFText_GetUnicode(tp.raw, i))
            if ch.isspace() or ch == "\x00":
                continue
            left, bottom, right, top = tp.get_charbox(i)
            self.items.append((ch, (left, height - top, right, height - bottom)))
        tp.close()

    def find_in(self, box: Sequence[float], text: str, nth: int) -> tuple[float, float, float, float] | None:
        """The box of the ``nth`` (from the left) occurrence of ``text`` among the characters inside ``box``."""
        x0, top, x1, bottom = box[:4]
        inside = sorted((it for it in self.items
                         if top - 1 <= (it[1][1] + it[1][3]) / 2 <= bottom + 1 and x0 - 2 <= it[1][0] <= x1 + 2),
                        key=lambda it: it[1][0])
        s = "".join(ch for ch, _ in inside)
        hits, at = [], s.find(text)
        while at >= 0:
            hits.append(at)
            at = s.find(text, at + len(text))
        if not hits:
            return None
        at = hits[min(nth, len(hits) - 1)]
        return _union([b for _, b in inside[at:at + len(text)]])

    def find_text(self, text: str) -> list[tuple[float, float, float, float]]:
        """The boxes, one per printed line, of ``text`` on the page (its start when the whole is not found)."""
        s = "".join(ch for ch, _ in self.items)
        at, n = s.find(text), len(text)
        if at < 0 and len(text) > 24:
            at, n = s.find(text[:24]), 24
        if at < 0:
            return []
        lines: list[list[tuple[float, float, float, float]]] = []
        for _, b in self.items[at:at + n]:
            if lines:   # the same line: to the right of the one before, not below the line's box
                prev, line = lines[-1][-1], _union(lines[-1])
                if b[0] >= prev[0] - 1 and (b[1] + b[3]) / 2 < line[3] + (line[3] - line[1]) * 0.3:
                    lines[-1].append(b)
                    continue
            lines.append([b])
        return [_union(x) for x in lines]


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _key(pdf: Path, sha256: str | None, n: int, marks: Sequence[PageMark]) -> str:
    h = hashlib.sha256(repr((sha256 or str(pdf.resolve()), n, DPI, list(marks))).encode()).hexdigest()[:24]
    return f"{(sha256 or 'file')[:16]}-p{n}-{h}.png"


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium
    with _PDFIUM:
        doc = pdfium.PdfDocument(str(pdf))
        try:
            return len(doc)
        finally:
            doc.close()


def page_png(pdf: Path, n: int, marks: Sequence[PageMark], cache_dir: Path, sha256: str | None = None) -> Path:
    """Page ``n`` (from 1) of ``pdf`` as a PNG with ``marks`` boxed, from the cache or drawn into it.
    Raises ``IndexError`` for a page the PDF does not have."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    out = cache_dir / _key(pdf, sha256, n, marks)
    if out.is_file():
        return out
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw
    with _PDFIUM:
        doc = pdfium.PdfDocument(str(pdf))
        try:
            if not 1 <= n <= len(doc):
                raise IndexError(n)
            page = doc[n - 1]
            _, height = page.get_size()
            scale = DPI / 72
            image = page.render(scale=scale).to_pil().convert("RGB")
            chars = _Chars(page, height) if any(m.text for m in marks) else None
            page.close()
        finally:
            doc.close()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for m in marks:
        boxes: list[Sequence[float]] = []
        if m.bbox and m.text and chars is not None:
            got = chars.find_in(m.bbox, m.text, m.nth)
            boxes = [got] if got is not None else [m.bbox]
        elif m.text and chars is not None:
            boxes = chars.find_text(m.text)
        elif m.bbox:
            boxes = [m.bbox]
        colour = COLOURS.get(m.severity, COLOURS["info"])
        for b in boxes:
            x0, y0, x1, y1 = (v * scale for v in b[:4])
            draw.rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), fill=(*colour, 36), outline=(*colour, 255), width=2)
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    with writing(out) as tmp:
        image.save(tmp, "PNG", optimize=False)
    return out


def cache_dir_for(upload_dir: Path | None) -> Path:
    """Where page images are cached: ``<upload_dir>/pages`` when uploads have a folder, else a
    folder of the system's temporary directory."""
    if upload_dir is not None:
        return upload_dir / "pages"
    import tempfile
    return Path(tempfile.gettempdir()) / f"juesuan-pages-{os.getuid() if hasattr(os, 'getuid') else 'u'}"
