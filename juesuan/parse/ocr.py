"""Scanned pages: a page image → characters with boxes and ruling lines, as a text layer gives them.

The PDF reader (:mod:`juesuan.parse.pdf`) sends here only the pages that have no text layer
(an image and almost no characters); everything after that — lines, cells, ruled table regions
— is the reader's own page layout (:func:`juesuan.parse.pdf.page_lines`), so a scanned table
reaches the table readers with positional cells as a digital one does. For one page:

1. the page is rendered (pypdfium2) in grey at :data:`DPI`;
2. its skew is measured (the angle that makes the rows of dark pixels sharpest, within
   ±:data:`MAX_SKEW` degrees) and the image turned straight, so that the characters of a table
   row share their height again and the ruling lines are horizontal and vertical;
3. ruling lines are found as long thin runs of dark pixels (a morphological opening along
   rows and along columns) and handed to the reader as the segments a PDF's path objects give;
4. rapidocr (PP-OCR models inside its wheel, run by onnxruntime) finds the text lines and
   reads them with a box per character; characters are mapped back to page points, and the
   separators of numbers it confuses (``1.294.48``, ``1,294,48``) are put right.

:func:`unavailable` says why OCR cannot run (rapidocr or onnxruntime not importable) — the
reader then reports a scanned document instead of reading it. :func:`mark_readings` marks the
figures a parse read from such pages: ``Reading.how`` ``ocr`` unless a declared identity that
holds on them confirms them (see there); the rules never accuse on an unconfirmed OCR figure
(:mod:`juesuan.rules.certainty`).
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from ..limits import MAX_OCR_PIXELS
from ..tables.identity import AtLeast, BlockSum, Cell, ColumnSum, FixedSum, Hierarchy, RowLookup, SameFact
from ..tables.table import Row, Table

__all__ = ["DPI", "MAX_SKEW", "unavailable", "read_page", "mark_readings", "OcrChar", "OCR", "OCR_CONFIDENCE"]

DPI = 150            # render resolution: 9-point table text is about 19 pixels high
MAX_SKEW = 3.0       # degrees: a page scanned more askew than this is read as it is
OCR = "ocr"
OCR_CONFIDENCE = 0.9   # a figure read by OCR and not confirmed: not exact (see mark_readings)

# rapidocr settings (see bench/RESULTS.md, "OCR"): text lines are found on the page scaled to at
# most 1280 pixels (a 150-dpi A4 page is 1754: detection costs by the pixel, and 9-point text is
# still found), and read in batches padded to at least 96 pixels, not 320 (table cells are short:
# most of a batch padded to 320 was blank), one text line at a time (a batch is padded to its
# widest line: on dense table pages batches of 6 took ~10 % longer, batches of 16–32 up to 80 %)
ENGINE: dict[str, Any] = {"Det.limit_type": "max", "Det.limit_side_len": 1280, "Rec.rec_img_shape": [3, 48, 96],
                          "Rec.rec_batch_num": 1}

OcrChar = tuple[str, float, float, float, float]   # text, x0, top, x1, bottom (points, page as shown)

_engine: Any = None
_engine_lock = threading.Lock()
_missing: str | None = None
_checked = False


def unavailable() -> str | None:
    """Why OCR cannot run here (None: it can): rapidocr or its runtime cannot be imported."""
    global _missing, _checked
    if not _checked:
        try:
            import cv2  # noqa: F401
            import onnxruntime  # noqa: F401
            import rapidocr  # noqa: F401
        except Exception as e:  # ImportError, or a broken native library
            _missing = f"{type(e).__name__}: {e}"
        _checked = True
    return _missing


def _get_engine():
    """The rapidocr engine, made once per process: detection and recognition only (pages are
    upright: no orientation classifier), threads capped at the cores (onnxruntime's default
    spins more threads than a shared 2-core machine has, several times slower), quiet."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr import RapidOCR
            threads = max(1, min(4, os.cpu_count() or 1))
            _engine = RapidOCR(params={
                "Global.log_level": "error", "Global.use_cls": False,
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                **ENGINE,
            })
        return _engine


# --------------------------------------------------------------------------- the page image

def fitting_dpi(width: float, height: float, dpi: float) -> float:
    """``dpi``, lowered so that a page of ``width`` × ``height`` points renders to at most
    ``limits.MAX_OCR_PIXELS`` pixels (a page of 200 × 200 inches would take gigabytes)."""
    pixels = width * height * (dpi / 72) ** 2
    if pixels <= MAX_OCR_PIXELS:
        return dpi
    return 72 * math.sqrt(MAX_OCR_PIXELS / max(width * height, 1.0)) * 0.999   # pdfium rounds up


def _render(page, dpi: float, crop: tuple[float, float, float, float] = (0, 0, 0, 0)):
    """The page as shown, in grey (uint8, H × W); ``crop``: points cut off its left, bottom,
    right and top."""
    import numpy as np

    bitmap = page.render(scale=dpi / 72, grayscale=True, crop=crop)
    a = bitmap.to_numpy()
    if a.ndim == 3:
        a = a[..., 0] if a.shape[2] == 1 else a[..., :3].mean(axis=2).astype(np.uint8)
    return np.ascontiguousarray(a)


def _dark(gray, threshold: int | None = None):
    """Ink: pixels darker than Otsu's threshold (kept below the paper's grey)."""
    import cv2

    if threshold is None:
        t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        threshold = int(min(t, 200))
    return (gray < threshold).astype("uint8")


def skew(gray) -> float:
    """The page's skew in degrees (positive: lines fall to the right), by projection profiles:
    the angle whose sheared rows of ink are sharpest (largest sum of squared row counts)."""
    import cv2
    import numpy as np

    h, w = gray.shape
    f = 2
    small = cv2.resize(gray, (w // f, h // f), interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(_dark(small))
    if len(ys) < 200:
        return 0.0
    if len(ys) > 120_000:
        pick = np.random.default_rng(0).choice(len(ys), 120_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xc = xs - xs.mean()
    ys = ys.astype(np.float64)
    size = int(h // f + w // f * np.tan(np.radians(MAX_SKEW)) * 2 + 8)
    off = size // 2 - h // (2 * f)

    def score(a: float) -> float:
        rows = np.rint(ys - xc * np.tan(np.radians(a))).astype(np.int64) + off
        counts = np.bincount(np.clip(rows, 0, size - 1), minlength=size).astype(np.float64)
        return float((counts * counts).sum())

    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.2), key=score)
    fine = max(np.arange(coarse - 0.2, coarse + 0.2 + 1e-9, 0.04), key=score)
    return float(fine) if abs(fine) >= 0.04 else 0.0


def _straighten(gray, angle: float):
    """The image turned by ``-angle`` degrees about its centre (white where nothing was)."""
    import cv2

    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


_H_RULE = 24.0    # points: a horizontal rule is longer than the strokes of a title's characters
_V_RULE = 9.0     # points: a vertical rule may be one row high (a header cell's side) …
_V_ALONE = 40.0   # … when it runs from one horizontal rule to another; else it must be this long
_THICK = 2.5      # points: a rule is thinner than this (plus the blur of a scan)


def rules(gray, px: float) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Ruling lines of a straight page image: horizontal (x0, x1, y) and vertical (x, top,
    bottom) segments in points (a pixel is ``px`` points). A rule is a thin run of ink longer
    than a character's strokes: a horizontal one at least :data:`_H_RULE` long, a vertical one
    at least :data:`_V_RULE` from one horizontal rule to another (the side of a cell; a stroke
    of a character touching a rule reaches only one) or :data:`_V_ALONE` long."""
    import cv2

    ink = _dark(gray)
    thick = max(3, round(_THICK / px) + 2)
    found: list[list[tuple[int, int, int, int]]] = []
    for size in ((max(8, round(_H_RULE / px)), 1), (1, max(6, round(_V_RULE / px)))):
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
        n, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        found.append([(int(x), int(y), int(w), int(h)) for x, y, w, h, _a in stats[1:n]])
    hs = [(x, y, w, h) for x, y, w, h in found[0] if h <= thick]

    def meets(x: float, y: float) -> bool:
        """Does a vertical run end at (x, y) on a horizontal rule (within its thickness and 2 px)?"""
        return any(rx - thick <= x <= rx + rw + thick and ry - 2 <= y <= ry + rh + 2 for rx, ry, rw, rh in hs)

    vs = []
    for x, y, w, h in found[1]:
        if w > thick:
            continue
        xm = x + w / 2
        if h * px >= _V_ALONE or meets(xm, y) and meets(xm, y + h - 1):
            vs.append((xm, y, y + h))
    return ([(x * px, (x + w) * px, (y + h / 2) * px) for x, y, w, h in hs],
            [(x * px, a * px, b * px) for x, a, b in vs])


# --------------------------------------------------------------------------- the characters

# a number whose separators OCR confused: "1.294.48" / "1,294,48" → "1,294.48"
_MISREAD_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3})((?:[.,]\d{3})+)[.,](\d{2})(?![\d.,])")


def _fix_numbers(chars: list[list]) -> None:
    """Put right the separators of numbers read as "1.294.48" or "1,294,48" (in place): in a
    run of digit groups ending in two decimals, the last separator is the decimal point and the
    others are thousands separators."""
    text = "".join(c[0] if len(c[0]) == 1 else "\0" for c in chars)
    for m in _MISREAD_NUMBER.finditer(text):
        seps = [i for i in range(m.start(2), m.end()) if text[i] in ".,"]
        for i in seps[:-1]:
            chars[i][0] = ","
        chars[seps[-1]][0] = "."


def _chars_of(result, px: float, x_off: float, y_off: float) -> list[OcrChar]:
    """The characters of a rapidocr result with boxes in page points; a text box's characters
    share its height (as a PDF's loose boxes do)."""
    out: list[OcrChar] = []
    words = getattr(result, "word_results", None) or ()
    for box in words:
        run: list[list] = []
        for item in box:
            text, _score, quad = item[0], item[1], item[2]
            if not text or not text.strip():
                continue
            xs = [p[0] for p in quad]
            ys = [p[1] for p in quad]
            run.append([text, min(xs), min(ys), max(xs), max(ys)])
        if not run:
            continue
        top = min(c[2] for c in run)
        bottom = max(c[4] for c in run)
        _fix_numbers(run)
        for text, x0, _t, x1, _b in run:
            # a "word" of several characters (Latin, digits) shares its box evenly
            n = len(text)
            for k, ch in enumerate(text):
                if ch.isspace():
                    continue
                a = x0 + (x1 - x0) * k / n
                b = x0 + (x1 - x0) * (k + 1) / n
                out.append((ch, x_off + a * px, y_off + top * px, x_off + b * px, y_off + bottom * px))
    return out


Box = tuple[float, float, float, float]


_DRAWN_MARGIN = 6.0   # points kept around what a page draws when only that part is read
_DRAWN_SHARE = 0.8    # … done when it is less than this share of the page


def drawn_part(size: tuple[float, float], area: Box | None, dpi: float
               ) -> tuple[tuple[float, float, float, float], tuple[float, float]]:
    """What to cut off a page of ``size`` (left, bottom, right, top, points) to read only
    ``area`` (x0, top, x1, bottom from the page's top-left: what it draws, with a margin), and
    where the image then starts on the page (points): nothing, when ``area`` is unknown or most
    of the page. A picture on a page without text (a chart pasted as an image, a photo) is
    read from its own pixels, not from a page of blank paper: text detection costs by the pixel."""
    w, h = size
    if area is None:
        return (0.0, 0.0, 0.0, 0.0), (0.0, 0.0)
    x0, y0 = max(0.0, area[0] - _DRAWN_MARGIN), max(0.0, area[1] - _DRAWN_MARGIN)
    x1, y1 = min(w, area[2] + _DRAWN_MARGIN), min(h, area[3] + _DRAWN_MARGIN)
    if x1 - x0 < 1 or y1 - y0 < 1 or (x1 - x0) * (y1 - y0) >= _DRAWN_SHARE * w * h:
        return (0.0, 0.0, 0.0, 0.0), (0.0, 0.0)
    scale = dpi / 72
    # pypdfium2 cuts whole pixels, rounding each cut up: the image starts there
    return (x0, h - y1, w - x1, y0), (math.ceil(x0 * scale) / scale, math.ceil(y0 * scale) / scale)


def read_page(page, origin: tuple[float, float] = (0.0, 0.0), dpi: float = DPI, area: Box | None = None
              ) -> tuple[list[OcrChar], list[tuple[float, float, float]], list[tuple[float, float, float]],
                         Callable[[Box], Box]]:
    """A scanned page read: (characters, horizontal rules, vertical rules, ``back``) in points
    from the top-left of the page as shown; ``origin`` is where the rendered image (the crop box)
    starts. Positions are those of the page turned straight (a table row on one height), and
    ``back`` moves a box of them to where it is on the page as scanned (to point at it).
    ``area``: the part of the page that draws anything (points from the crop box's top-left),
    when known; only it is read when it is a small part (:func:`drawn_part`)."""
    import numpy as np

    size = page.get_size()
    dpi = fitting_dpi(*size, dpi)
    crop, (dx, dy) = drawn_part(size, area, dpi)
    origin = (origin[0] + dx, origin[1] + dy)
    gray = _render(page, dpi, crop)
    angle = skew(gray)
    if angle:
        gray = _straighten(gray, angle)
    px = 72 / dpi
    hsegs, vsegs = rules(gray, px)
    x0, y0 = origin
    hsegs = [(a + x0, b + x0, y + y0) for a, b, y in hsegs]
    vsegs = [(x + x0, a + y0, b + y0) for x, a, b in vsegs]
    rgb = np.repeat(gray[:, :, None], 3, axis=2)
    result = _get_engine()(rgb, return_word_box=True, return_single_char_box=True)
    return _chars_of(result, px, x0, y0), hsegs, vsegs, _back(angle, gray.shape, px, origin)


def _back(angle: float, shape: tuple[int, int], px: float, origin: tuple[float, float]) -> Callable[[Box], Box]:
    """Boxes of the straightened page → the page as scanned: each box moved with its centre."""
    if not angle:
        return lambda b: b
    t = math.radians(angle)
    cos, sin = math.cos(t), math.sin(t)
    cx, cy = origin[0] + shape[1] * px / 2, origin[1] + shape[0] * px / 2

    def back(b: Box) -> Box:
        x, y = (b[0] + b[2]) / 2 - cx, (b[1] + b[3]) / 2 - cy
        # the image was turned by +angle (counter-clockwise as shown, y down): turn the centre back
        dx = x * cos - y * sin - x
        dy = x * sin + y * cos - y
        return (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy)
    return back


# --------------------------------------------------------------------------- readings

def _header(t: Table, key: str, side: str | None) -> str | None:
    lay = t.layout
    cols = lay.columns or tuple(c for s in lay.sides if side is None or s.name == side for c in s.columns)
    return next((c.header for c in cols if c.key == key), None)


def _row(t: Table, c: Cell) -> Row | None:
    how, key = c.lookup
    if how is RowLookup.SINGLE:
        return next((r for r in t.rows if any(v is not None for v in r.cells.values())), t.rows[0] if t.rows else None)
    if how is RowLookup.CODE:
        return t.row(code=key)
    if how is RowLookup.TOTAL:
        return next((r for r in t.rows if r.key == "合计"), None) or \
            next((r for r in t.rows if not r.code and r.level == 0 and "合计" in (r.label or "")), None)
    if how is RowLookup.KEY:
        return t.row(key)
    return t.row(key[0], side=key[1])


_Spot = tuple[str, int, str]    # table id, id(row), column header


def _holds(total: Decimal | None, parts: Iterable[tuple[int, Decimal | None]]) -> bool:
    """A sum that holds exactly, with something in it (0 = 0 + 0 confirms nothing)."""
    t = total or Decimal(0)
    return bool(t) and sum(((v or Decimal(0)) * s for s, v in parts), Decimal(0)) == t


def _sum_rows(t: Table, total: Row, parts: list[Row], cols: list[str], out: set[_Spot]) -> None:
    for h in cols:
        if _holds(total.cells.get(h), [(1, r.cells.get(h)) for r in parts]):
            out.add((t.id, id(total), h))
            out.update((t.id, id(r), h) for r in parts)


def confirmed(tables: dict[str, Table], decls: Iterable) -> set[_Spot]:
    """The cells of ``tables`` that a declaration holding exactly confirms: two places showing the
    same figure, a total equal to its parts (in a row, in a column, 类 = Σ款, 合计 = Σ类).
    A cell misread by OCR breaks every identity through it; one that keeps an identity agreeing
    with other, independently read cells was read right."""
    out: set[_Spot] = set()

    def at(c: Cell) -> tuple[Table, Row, str] | None:
        t = tables.get(c.table)
        if t is None:
            return None
        r = _row(t, c)
        h = _header(t, c.column, c.side)
        return (t, r, h) if r is not None and h is not None else None

    for d in decls:
        ty = type(d)
        if ty is FixedSum:
            spots = [at(d.total)] + [at(c) for _, c in d.parts]
            if None in spots:
                continue
            vals = [s[1].cells.get(s[2]) for s in spots]    # type: ignore[index]
            if _holds(vals[0], zip((s for s, _ in d.parts), vals[1:])):
                out.update((s[0].id, id(s[1]), s[2]) for s in spots)   # type: ignore[index]
        elif ty is SameFact:
            a, b = at(d.a), at(d.b)
            if a is not None and b is not None and _holds(a[1].cells.get(a[2]), [(1, b[1].cells.get(b[2]))]):
                out.update({(a[0].id, id(a[1]), a[2]), (b[0].id, id(b[1]), b[2])})
        elif ty is ColumnSum:
            t = tables.get(d.table)
            if t is None:
                continue
            th = _header(t, d.total, d.side)
            ph = [(s, _header(t, k, d.side)) for s, k in d.parts]
            if th is None or any(h is None for _, h in ph):
                continue
            for r in t.rows:
                if (d.side is None or r.side == d.side) and \
                        _holds(r.cells.get(th), [(s, r.cells.get(h)) for s, h in ph]):
                    out.add((t.id, id(r), th))
                    out.update((t.id, id(r), h) for _, h in ph)   # type: ignore[misc]
        elif ty is Hierarchy or ty is BlockSum:
            t = tables.get(d.table)
            if t is None:
                continue
            cols = [c.header for c in t.layout.columns]
            coded = [r for r in t.rows if r.code]
            if ty is Hierarchy and d.levels == "total":
                total = next((r for r in t.rows if r.level == 0 and not r.code), None)
                classes = [r for r in coded if len(r.code) == 3]
                if total is not None and classes:
                    _sum_rows(t, total, classes, cols, out)
                continue
            kids: dict[str, list[Row]] = {}
            for r in coded:
                if len(r.code) in (5, 7):
                    kids.setdefault(r.code[:-2], []).append(r)
            for r in coded:
                if r.code in kids:
                    _sum_rows(t, r, kids[r.code], cols, out)
            if ty is BlockSum:
                for block, _ in t.layout.blocks:
                    total = next((r for r in t.rows if not r.code and r.key == f"{block}合计"), None)
                    parts = [r for r in coded if len(r.code) == 3 and r.side == block]
                    if total is not None and parts:
                        _sum_rows(t, total, parts, cols, out)
        elif ty is AtLeast:
            continue   # an inequality confirms no figure
    return out


def mark_readings(tables: dict[str, Table], pages: Iterable[int], decls: Iterable = ()) -> int:
    """Mark the figures of ``tables`` read on the OCR'd ``pages`` (their reading's page, else the
    table's): ``how`` ``ocr`` (confidence :data:`OCR_CONFIDENCE`) for a figure otherwise read
    exactly, ``ocr:<how>`` keeping the confidence of one read otherwise uncertain too, and
    ``ocr:已由恒等式印证`` (exact) for one that a declaration among ``decls`` holding exactly
    confirms (:func:`confirmed`). Returns how many figures were marked."""
    pages = set(pages)
    if not pages:
        return 0
    sure = confirmed(tables, decls)
    n = 0
    for t in tables.values():
        page = t.source.get("page")
        for r in t.rows:
            for h, rd in list(r.readings.items()):
                p = rd.place.page if rd.place is not None and rd.place.page is not None else page
                if p not in pages or rd.how.startswith(OCR):
                    continue
                n += 1
                if not rd.exact:
                    r.readings[h] = rd._replace(how=f"{OCR}:{rd.how}")
                elif (t.id, id(r), h) in sure:
                    r.readings[h] = rd._replace(how=f"{OCR}:已由恒等式印证")
                else:
                    r.readings[h] = rd._replace(how=OCR, confidence=OCR_CONFIDENCE)
    return n
