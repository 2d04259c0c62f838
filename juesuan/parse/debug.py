"""A page of a parsed PDF drawn with what the parser saw on it (pdfplumber's ``debug_tablefinder``).

This module owns the picture ``juesuan parse --debug --page N --png OUT.png`` writes:
:func:`draw_page` renders one page with pypdfium2 and draws on it, in this order,

* every source line of the page as a thin grey box;
* every row read on the page as a box on its line, coloured by the weakest confidence
  of the readings on that line (a line of a two-sided table or of T6 holds several rows):
  green when all were read exactly (1.0), orange when one was inferred (0.8 to 1), red
  when one is doubtful (below 0.8), with the confidence written beside a line not exact;
* every table region on the page (its title line and body lines) as a blue frame with
  the table's id ("T5") at its top-left corner;
* a legend in the top-right corner.

Boxes are in PDF points from the top-left of the page as shown (``SourceLine.bbox``,
``Place.bbox``), so a point is ``scale`` pixels, measured from the rendered crop box.
Only a PDF has a page image: other sources, or a page it does not have, raise
:class:`~juesuan.errors.InputError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Diagnostic, InputError

if TYPE_CHECKING:  # pragma: no cover
    from .result import Parse

__all__ = ["draw_page", "LINE", "REGION", "EXACT", "INFERRED", "DOUBTFUL"]

LINE = (160, 160, 160)
REGION = (37, 99, 235)
EXACT = (22, 163, 74)
INFERRED = (245, 140, 0)
DOUBTFUL = (220, 38, 38)

Box = tuple[float, float, float, float]


def confidence_colour(confidence: float) -> tuple[int, int, int]:
    """Green for an exact reading, orange for an inferred one, red for a doubtful one."""
    return EXACT if confidence >= 1.0 else INFERRED if confidence >= 0.8 else DOUBTFUL


def draw_page(parse: Parse, page: int, out: Path, scale: float = 2.0) -> Path:
    """Draw page ``page`` (1-based) of the PDF ``parse`` was read from, with its lines, regions and
    readings, into the PNG ``out``; returns ``out``."""
    from PIL import Image, ImageDraw

    from .pdf import open_pdf

    path, out = parse.source.path, Path(out)
    if parse.source.format != "pdf":
        raise InputError([Diagnostic("error", "只有 PDF 文件能画出页面图（文本、Word、HTML 没有页面）。", file=path)])
    pdf = open_pdf(Path(path))
    try:
        if not 1 <= page <= len(pdf):
            raise InputError([Diagnostic("error", f"没有第 {page} 页（共 {len(pdf)} 页）。", file=path)])
        try:
            pg = pdf[page - 1]
            origin = _origin(pg)
            image = pg.render(scale=scale).to_pil().convert("RGBA")
        except Exception as e:  # pdfium errors on a damaged page, as the reader reports them
            raise InputError([Diagnostic("error", f"第 {page} 页无法画出：{e}", file=path)]) from None
    finally:
        pdf.close()

    def px(b: Box, pad: float = 0.0) -> Box:
        return ((b[0] - origin[0] - pad) * scale, (b[1] - origin[1] - pad) * scale,
                (b[2] - origin[0] + pad) * scale, (b[3] - origin[1] + pad) * scale)

    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    font = _font(max(10, round(8 * scale)))
    for ln in parse.source.lines:
        if ln.page == page and ln.bbox is not None:
            draw.rectangle(px(ln.bbox), outline=LINE + (255,), width=1)
    for box, confidence in _read_lines(parse, page).values():
        colour, (x0, top, x1, bottom) = confidence_colour(confidence), px(box, 1.0)
        draw.rectangle((x0, top, x1, bottom), fill=colour + (40,), outline=colour + (255,), width=max(1, round(scale)))
        if confidence < 1.0:   # how doubtful, in figures: right of the line, or left where the page ends
            text, mid = f"{confidence:.1f}", (top + bottom) / 2
            right = x1 + 4 + draw.textlength(text, font=font) < image.width
            draw.text((x1 + 4, mid) if right else (x0 - 4, mid), text, fill=colour + (255,), font=font,
                      anchor="lm" if right else "rm")
    for tid, box in _regions(parse, page):
        frame = px(box, 4.0)
        draw.rectangle(frame, outline=REGION + (255,), width=max(2, round(1.5 * scale)))
        w, h = draw.textlength(tid, font=font) + 10, font.size + 6
        x, y = frame[0], max(0.0, frame[1] - h)
        draw.rectangle((x, y, x + w, y + h), fill=REGION + (255,))
        draw.text((x + w / 2, y + h / 2), tid, fill=(255, 255, 255, 255), font=font, anchor="mm")
    _legend(draw, image.size[0], font)
    from ..output import ensure_dir, writing
    ensure_dir(Path(out).parent)
    with writing(out) as tmp:   # the picture appears whole or not at all (OutputError: which, and why)
        Image.alpha_composite(image, overlay).convert("RGB").save(tmp, format="PNG")
    return out


def _origin(pg) -> tuple[float, float]:
    """Where the rendered image starts, in the top-down page space of the boxes: the crop box's
    top-left corner (the boxes are measured from the media box's, with /Rotate applied)."""
    from .pdf import PageGeometry
    x0, top, _, _ = PageGeometry(pg).box(*pg.get_cropbox())
    return x0, top


def _read_lines(parse: Parse, page: int) -> dict[int, tuple[Box, float]]:
    """The lines of ``page`` holding readings: line number → (box, weakest confidence)."""
    out: dict[int, tuple[Box, float]] = {}
    for table in parse.tables.values():
        for row in table.rows:
            for rd in row.readings.values():
                p = rd.place
                if p is None or p.page != page or p.line is None or p.bbox is None:
                    continue
                seen = out.get(p.line)
                out[p.line] = (tuple(p.bbox), rd.confidence if seen is None else min(seen[1], rd.confidence))
    return out


def _regions(parse: Parse, page: int) -> list[tuple[str, Box]]:
    """The table regions with lines on ``page``: id and the box around those lines."""
    out = []
    for region in parse.regions:
        boxes = [ln.bbox for ln in [region.title_line, *region.lines] if ln.page == page and ln.bbox is not None]
        if boxes:
            out.append((region.tid, (min(b[0] for b in boxes), min(b[1] for b in boxes),
                                     max(b[2] for b in boxes), max(b[3] for b in boxes))))
    return out


def _legend(draw, width: int, font) -> None:
    entries = [(REGION, "表格区域"), (EXACT, "精确读取 1.0"), (INFERRED, "推断 0.8–1"),
               (DOUBTFUL, "存疑 <0.8"), (LINE, "文字行")]
    size, step = font.size, font.size + 8
    w = size + max(draw.textlength(t, font=font) for _, t in entries) + 24
    x, y = width - w - 10, 10
    draw.rectangle((x, y, x + w, y + len(entries) * step + 8), fill=(255, 255, 255, 235), outline=(90, 90, 90, 255))
    for i, (colour, text) in enumerate(entries):
        mid = y + 4 + step * i + step / 2
        draw.rectangle((x + 8, mid - size / 2 + 2, x + 8 + size, mid + size / 2 - 2), outline=colour + (255,),
                       width=2, fill=colour + (60,))
        draw.text((x + 16 + size, mid), text, fill=(30, 30, 30, 255), font=font, anchor="lm")


def _font(size: int):
    """The bundled Noto Sans SC (the legend is in Chinese); Pillow's own font if it is missing."""
    from PIL import ImageFont

    from ..fonts import cjk_font_path
    try:
        return ImageFont.truetype(cjk_font_path("Sans"), size)
    except (OSError, ModuleNotFoundError):   # pragma: no cover - the font ships as a dependency
        return ImageFont.load_default(size)
