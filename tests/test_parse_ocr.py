"""Scanned PDFs read by OCR (issue 13 §4): truth known, figures marked, no accusation on a misreading.

The fixture ``tests/fixtures/scanned/hanyang-bdc-2023-tables.pdf`` is the bundled example's
nine tables (pages 7–15 of its PDF) scanned by ``tests/scan.py``: grey, blurred, turned by
0.2–0.5°, paper grain, JPEG — an image-only PDF. It is read once per module (OCR of nine pages,
about a second each on an idle 2-core machine) and compared with the truth, the example's built
tables; the clean pages (the same nine pages with their text layer) are the yardstick of what
``check`` may report.
"""

from __future__ import annotations

import copy
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from scan import FIXTURE, TABLE_PAGES, scan_pdf

from juesuan.errors import InputError
from juesuan.parse import ocr
from juesuan.parse.pdf import read_pdf
from juesuan.pipeline import build, check, kind_named, parse
from juesuan.rules.certainty import TO_REVIEW, UNCHECKED
from juesuan.tables.table import Reading

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hanyang-bdc-2023"

needs_ocr = pytest.mark.skipif(ocr.unavailable() is not None, reason="rapidocr is not installed")


@pytest.fixture(scope="module")
def built():
    return build(EXAMPLE)


@pytest.fixture(scope="module")
def clean_pages(built, tmp_path_factory):
    """The nine table pages of the example's PDF, with their text layer."""
    import pypdfium2 as pdfium

    from juesuan.renderers import render

    out = tmp_path_factory.mktemp("clean")
    full = pdfium.PdfDocument(str(render(built.document, "pdf", out)))
    part = pdfium.PdfDocument.new()
    part.import_pages(full, [p - 1 for p in TABLE_PAGES])
    path = out / "tables.pdf"
    part.save(str(path))
    full.close()
    return parse(path)


@pytest.fixture(scope="module")
def scanned():
    """The fixture read by OCR: (progress lines, parse)."""
    from juesuan.parse.recognize import recognize

    said: list[str] = []
    src = read_pdf(FIXTURE, progress=said.append)
    return said, recognize(src, kind_named().parse_spec())


# ------------------------------------------------------------------ truth known

@needs_ocr
def test_scanned_tables_read_back_to_their_truth(built, scanned):
    _, parsed = scanned
    truth = set(built.document.tables.facts())
    got = set(parsed.document.tables.facts())
    found = len(truth & got) / len(truth)
    assert found >= 0.98, sorted(truth - got)[:20]
    assert len(got - truth) <= 0.02 * len(truth), sorted(got - truth)[:20]
    assert parsed.coverage.tables_found == 9


@needs_ocr
def test_every_page_announced_and_listed(scanned):
    said, parsed = scanned
    assert said == [f"第 {i}/9 页是扫描件，正在识别…" for i in range(1, 10)]
    assert parsed.source.ocr_pages == list(range(1, 10))
    assert parsed.document.source["ocr_pages"] == list(range(1, 10))
    assert parsed.coverage.ocr_pages == list(range(1, 10))
    assert any("扫描件" in line and "OCR" in line for line in parsed.coverage.summary())


@needs_ocr
def test_every_figure_is_marked_ocr(scanned):
    _, parsed = scanned
    hows = [rd.how for t in parsed.document.tables for r in t.rows for rd in r.readings.values()]
    assert hows and all(h.split(":")[0] == ocr.OCR for h in hows)
    # most are confirmed by an identity holding on independently read cells; not all can be
    confirmed = sum(1 for h in hows if h == f"{ocr.OCR}:已由恒等式印证")
    assert 0.5 * len(hows) < confirmed < len(hows)


@needs_ocr
def test_no_error_the_clean_pages_lack(scanned, clean_pages):
    _, parsed = scanned

    def errors(doc):
        return {(f.rule, f.message) for f in check(doc) if f.severity == "error"}

    assert errors(parsed.document) <= errors(clean_pages.document)


def _reread(doc, spec) -> None:
    """Mark the figures of ``doc`` afresh, as the reader does after reading its tables."""
    for t in doc.tables:
        for r in t.rows:
            for h, rd in r.readings.items():
                r.readings[h] = rd._replace(value=r.cells[h], how="ruled-cell", confidence=1.0)
    ocr.mark_readings(doc.tables.tables, doc.source["ocr_pages"], spec.confirming)


@needs_ocr
def test_a_figure_no_identity_confirms_is_only_to_review(scanned):
    """事业运行's 基本支出 in 表五 printed (or read) 247.06 instead of 247.04: no identity through it
    holds any more, so the contradiction is a warning to review against the page, not an error."""
    _, parsed = scanned
    doc = copy.deepcopy(parsed.document)
    row = doc.tables["T5"].row(code="2010350")
    col = next(h for h in row.cells if row.cells[h] == Decimal("247.04") and "基本" in h)
    row.cells[col] = Decimal("247.06")
    _reread(doc, kind_named().parse_spec())
    assert row.readings[col].how == ocr.OCR and not row.readings[col].exact
    findings = [f for f in check(doc) if "247.06" in " ".join(f.figures) or "247.06" in f.message]
    assert findings and not [f for f in findings if f.severity == "error"]
    review = [f for f in findings if f.message.startswith(TO_REVIEW)]
    assert review and all(f.severity == "warning" for f in review)
    assert any("扫描件识别" in f.message and "第" in f.message for f in review)


def test_ocr_doubt_with_another_doubt_is_unchecked(built):
    """An OCR figure that was also placed by score (tied readings) is uncertain for two reasons:
    "无法核对" (info), as any figure not read for sure."""
    doc = copy.deepcopy(built.document)
    doc.source = {"pages": 1, "ocr_pages": [1]}
    row = doc.tables["T5"].row(code="2010350")
    col = next(h for h in row.cells if row.cells[h] == Decimal("247.04") and "基本" in h)
    row.cells[col] = Decimal("247.06")
    for t in doc.tables:
        t.read = True
        for r in t.rows:
            for h, v in r.cells.items():
                r.readings[h] = Reading(v, str(v), None, "ocr:已由恒等式印证")
    row.readings[col] = Reading(row.cells[col], "247.06", None, "ocr:scored", 0.5)
    f = [f for f in check(doc) if "247.06" in " ".join(f.figures)]
    assert f and all(x.severity == "info" and x.message.startswith(UNCHECKED) for x in f)
    assert any("扫描件识别，读法不确定" in x.message for x in f)
    # the same figure read by OCR only: to review (a warning); confirmed: the error stands
    row.readings[col] = Reading(row.cells[col], "247.06", None, "ocr", ocr.OCR_CONFIDENCE)
    f = [f for f in check(doc) if "247.06" in " ".join(f.figures)]
    assert f and all(x.severity == "warning" and x.message.startswith(TO_REVIEW) for x in f)
    row.readings[col] = Reading(row.cells[col], "247.06", None, "ocr:已由恒等式印证")
    assert any(x.severity == "error" for x in check(doc) if "247.06" in " ".join(x.figures))


def test_confirmed_cells_are_those_of_identities_that_hold(built):
    tables = copy.deepcopy(built.document.tables)
    spec = kind_named().parse_spec()
    before = ocr.confirmed(tables.tables, spec.confirming)
    t5 = tables["T5"]
    row = t5.row(code="2010350")
    col = next(h for h in row.cells if "基本" in h)
    assert (t5.id, id(row), col) in before
    row.cells[col] += Decimal("0.02")
    after = ocr.confirmed(tables.tables, spec.confirming)
    assert (t5.id, id(row), col) not in after
    assert len(after) > 0.8 * len(before)   # one misread spoils only the identities through it


# ------------------------------------------------------------------ without OCR

@pytest.fixture
def no_ocr(monkeypatch):
    """rapidocr cannot be imported (as on an install without it)."""
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    monkeypatch.setattr(ocr, "_checked", False)
    monkeypatch.setattr(ocr, "_missing", None)


@pytest.fixture(scope="module")
def one_scanned_page(tmp_path_factory):
    return scan_pdf(FIXTURE, tmp_path_factory.mktemp("one") / "扫描.pdf", (1,), dpi=72)


def test_image_only_pdf_without_ocr_is_a_clear_input_error(no_ocr, one_scanned_page):
    assert ocr.unavailable() is not None
    with pytest.raises(InputError) as e:
        read_pdf(one_scanned_page)
    msg = str(e.value)
    assert "扫描件" in msg and "扫描.pdf" in msg and "pip install rapidocr" in msg


@pytest.mark.parametrize("command", ["parse", "check"])
def test_image_only_pdf_without_ocr_exits_2(no_ocr, one_scanned_page, command):
    from juesuan.cli import invoke

    r = invoke([command, str(one_scanned_page)])
    assert r.exit_code == 2
    assert "扫描件" in r.stderr and "Traceback" not in r.stderr
    assert "缺少" not in r.stdout + r.stderr


# ------------------------------------------------------------------ the image

def test_skew_is_measured_and_undone():
    import numpy as np
    from PIL import Image, ImageDraw

    img = Image.new("L", (1200, 900), 255)
    d = ImageDraw.Draw(img)
    for y in range(100, 800, 30):          # text-like rows of ink and a ruled box
        for x in range(100, 1100, 24):
            d.rectangle((x, y, x + 16, y + 14), fill=0)
    d.rectangle((80, 80, 1120, 820), outline=0, width=2)
    for angle in (-1.2, -0.3, 0.0, 0.5, 2.0):
        turned = np.asarray(img.rotate(angle, resample=Image.BILINEAR, fillcolor=255))
        assert abs(ocr.skew(turned) + angle) <= 0.1, angle


def test_rules_found_on_a_page_image():
    import numpy as np
    from PIL import Image, ImageDraw

    img = Image.new("L", (800, 600), 255)
    d = ImageDraw.Draw(img)
    for y in (100, 130, 160, 190):
        d.line((50, y, 750, y), fill=0, width=2)
    for x in (50, 200, 450, 750):
        d.line((x, 100, x, 190), fill=0, width=2)
    d.text((60, 20), "TITLE", fill=0)
    hs, vs = ocr.rules(np.asarray(img), 0.5)
    def near(got, want):
        return len(got) == len(want) and all(abs(a - b) <= 1 for a, b in zip(sorted(got), want))

    assert near([y for _, _, y in hs], [50, 65, 80, 95]), hs      # the title's strokes are no rules
    assert near([x for x, _, _ in vs], [25, 100, 225, 375]), vs
    assert all(abs(x0 - 25) <= 1.5 and abs(x1 - 375) <= 1.5 for x0, x1, _ in hs)


def test_number_separators_put_right():
    for text, want in (("1.294.48", "1,294.48"), ("1,294,48", "1,294.48"), ("12.345.678.90", "12,345,678.90"),
                       ("1,294.48", "1,294.48"), ("131892", "131892"), ("3.00", "3.00"), ("2023.12.31", "2023.12.31")):
        chars = [[c, 0, 0, 0, 0] for c in text]
        ocr._fix_numbers(chars)
        assert "".join(c[0] for c in chars) == want, text


def _image_page_pdf(tmp_path, text: str, cover: float) -> Path:
    """A one-page PDF: an image covering ``cover`` of the page's height, and ``text`` as text."""
    import typst
    from PIL import Image

    Image.new("L", (600, 800), 200).save(tmp_path / "img.png")
    src = tmp_path / "page.typ"
    src.write_text("#set page(width: 300pt, height: 400pt, margin: 0pt)\n"
                   f"#place(top + left, image(\"img.png\", width: 100%, height: {cover * 100:.0f}%,"
                   " fit: \"stretch\"))\n"
                   f"#place(bottom + center, dy: -10pt, text(size: 8pt)[{text}])\n", encoding="utf-8")
    out = tmp_path / "page.pdf"
    typst.compile(str(src), output=str(out))
    return out


@pytest.mark.parametrize(("text", "cover", "read_by_ocr"), [
    ("3", 1.0, True),                                         # a scan and its page number
    ("Page 3 of 9, internal copy only", 1.0, True),           # a scan with a stamp added as text
    ("Page 3 of 9, internal copy only", 0.3, False),          # a chart with its caption
    ("Cover 2023", 0.3, False),                               # a cover: its title and a logo
    ("7", 0.3, True),                                         # an image and hardly a character
    ("A page of text with a picture beside it, " * 3, 1.0, False),
])
def test_which_pages_are_read_by_ocr(tmp_path, monkeypatch, text, cover, read_by_ocr):
    calls = []

    def fake(page, origin=(0.0, 0.0), dpi=ocr.DPI, area=None):
        calls.append(page)
        return [("扫", 10.0, 10.0, 20.0, 20.0), ("描", 20.0, 10.0, 30.0, 20.0)], [], [], lambda b: b

    monkeypatch.setattr(ocr, "read_page", fake)
    monkeypatch.setattr(ocr, "unavailable", lambda: None)
    doc = read_pdf(_image_page_pdf(tmp_path, text, cover), progress=None)
    assert bool(calls) == read_by_ocr
    assert doc.ocr_pages == ([1] if read_by_ocr else [])
    assert (doc.lines[0].text == "扫描") == read_by_ocr


def test_boxes_point_at_the_page_as_scanned():
    back = ocr._back(1.0, (1000, 800), 0.5, (0.0, 0.0))      # 400 × 500 points, turned 1°
    assert back((190.0, 240.0, 210.0, 260.0)) == pytest.approx((190.0, 240.0, 210.0, 260.0))   # the centre stays
    x0, top, x1, _ = back((390.0, 240.0, 400.0, 260.0))       # the right edge, half-way down
    # the image was turned counter-clockwise to straighten it: on the scan, the right side is lower
    assert top > 240.0 + 3 and x1 - x0 == pytest.approx(10.0)
    assert ocr._back(0.0, (1000, 800), 0.5, (0.0, 0.0))((1.0, 2.0, 3.0, 4.0)) == (1.0, 2.0, 3.0, 4.0)


def test_contents_read_from_an_image_is_skipped(built, tmp_path):
    """A contents page read by OCR keeps bits of its dot leaders as cells of their own
    ("第二部分 …决算表.........." | "…" | "7"): its part headings are still the contents', and the
    tables after it are read (before: the contents ran on to 第三部分 and hid the nine tables)."""
    from juesuan.parse.recognize import recognize
    from juesuan.parse.text import read_text
    from juesuan.renderers import render

    src = read_text(render(built.document, "txt", tmp_path))
    at = next(i for i, ln in enumerate(src.lines) if ln.text.replace(" ", "") == "目录")
    end = next(i for i, ln in enumerate(src.lines) if i > at + 1 and ln.text.startswith("第一部分"))
    for k, ln in enumerate(src.lines[at + 1:end], 1):
        text = ln.text.strip()
        if text.startswith("第三部分"):     # a line the aligned run did not take: two cells
            ln.cells = [text[:4], text[4:].strip() + "......16"]
        elif text:
            ln.cells, ln.grid, ln.table_index = [text + "." * (3 + k % 5), "…" if k % 2 else "", str(k)], True, 0
    parsed = recognize(src, kind_named().parse_spec())
    assert parsed.coverage.tables_found == 9
    assert set(parsed.document.tables.facts()) == set(built.document.tables.facts())


def test_a_page_too_large_to_render_is_rendered_within_the_pixel_bound(monkeypatch):
    """A page of 200 × 200 inches (the largest PDF allows) at 150 dpi would be 900 million pixels,
    gigabytes as grey and RGB: it is rendered at the resolution that keeps it within
    MAX_OCR_PIXELS; an A4 page keeps its 150 dpi."""
    import pypdfium2 as pdfium

    from juesuan.limits import MAX_OCR_PIXELS

    shapes = []
    monkeypatch.setattr(ocr, "_get_engine", lambda: lambda img, **kw: shapes.append(img.shape) or None)
    monkeypatch.setattr(ocr, "_chars_of", lambda *a: [])
    pdf = pdfium.PdfDocument.new()
    for w, h in [(14400, 14400), (595, 842)]:
        pdf.new_page(w, h)
        ocr.read_page(pdf[len(pdf) - 1])
    (h0, w0, _), (h1, w1, _) = shapes
    assert h0 * w0 <= MAX_OCR_PIXELS and h0 * w0 > MAX_OCR_PIXELS * 0.95
    assert abs(w1 - 595 * 150 / 72) < 1 and abs(h1 - 842 * 150 / 72) < 1


def test_a_picture_on_a_blank_page_is_read_from_its_own_pixels(tmp_path, monkeypatch):
    """A chart pasted as an image on a page without text (西安市医疗保障局 2022, page 16: a pie chart
    on a quarter of a landscape page): OCR reads the part of the page that draws anything, not
    the blank paper around it, and its text lands where it is on the page."""
    import typst
    from PIL import Image, ImageDraw, ImageFont

    from juesuan.fonts import cjk_font_path

    img = Image.new("L", (420, 84), 255)            # 200 × 40 points at 150 dpi
    ImageDraw.Draw(img).text((16, 18), "人员构成 39%", fill=0, font=ImageFont.truetype(cjk_font_path(), 36))
    img.save(tmp_path / "pic.png")
    (tmp_path / "page.typ").write_text(
        "#set page(width: 842pt, height: 595pt, margin: 0pt)\n"
        '#place(top + left, dx: 300pt, dy: 200pt, image("pic.png", width: 200pt))\n', encoding="utf-8")
    typst.compile(str(tmp_path / "page.typ"), output=str(tmp_path / "page.pdf"))
    shapes = []
    render = ocr._render

    def spy(page, dpi, crop=(0, 0, 0, 0)):
        got = render(page, dpi, crop)
        shapes.append(got.shape)
        return got

    monkeypatch.setattr(ocr, "_render", spy)
    doc = read_pdf(tmp_path / "page.pdf", progress=None)
    assert doc.ocr_pages == [1]
    full = (595 * 150 // 72, 842 * 150 // 72)
    assert shapes and shapes[0][0] * shapes[0][1] < 0.1 * full[0] * full[1]      # the picture, not the page
    line = next(ln for ln in doc.lines if "人员构成" in ln.text)
    assert "39%" in line.text
    x0, top, x1, bottom = line.bbox
    assert 300 <= x0 and x1 <= 500 and 200 <= top and bottom <= 260, line.bbox
