"""``juesuan parse --debug --page N --png OUT.png``: a page of the PDF drawn with what the parser saw.

The bundled example is rendered to PDF once and parsed; the page of T1's title is drawn and
the picture checked where it matters: the page's shape, the region's frame and an exactly
read row in their places (points × scale, measured from the page's top). Other sources and
pages the PDF does not have are unusable input (exit status 2, a Chinese message).
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from conftest import EXAMPLE
from PIL import Image

from juesuan.cli import invoke
from juesuan.errors import InputError
from juesuan.parse.debug import EXACT, REGION, draw_page
from juesuan.pipeline import build, parse
from juesuan.renderers import render


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    out = tmp_path_factory.mktemp("debug")
    doc = build(EXAMPLE).document
    pdf = render(doc, "pdf", out)
    return pdf, render(doc, "txt", out), parse(pdf)


def _t1(p):
    region = next(r for r in p.regions if r.tid == "T1")
    return region, region.title_line.page


def _page_size(pdf: Path, page: int) -> tuple[float, float]:
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return doc[page - 1].get_size()
    finally:
        doc.close()


def test_draws_the_region_and_its_readings_in_place(parsed, tmp_path):
    pdf, _, p = parsed
    region, page = _t1(p)
    scale = 2.0
    out = draw_page(p, page, tmp_path / "p.png", scale)
    with Image.open(out) as im:
        im = im.convert("RGB")
    width, height = _page_size(pdf, page)
    assert abs(im.width / im.height - width / height) < 0.01 and abs(im.width - width * scale) <= 1
    pixels = set(im.getdata())
    assert REGION in pixels and EXACT in pixels
    # the frame's left edge, halfway down the region: boxes are measured from the top of the page
    lines = [region.title_line, *region.lines]
    top, bottom = min(ln.bbox[1] for ln in lines), max(ln.bbox[3] for ln in lines)
    x0 = min(ln.bbox[0] for ln in lines)
    assert im.getpixel((int((x0 - 4) * scale) + 1, int((top + bottom) / 2 * scale))) == REGION
    # an exactly read row: its box's top edge
    row = next(r for r in p.tables["T1"].rows if r.readings and all(rd.exact for rd in r.readings.values()))
    bx0, btop, bx1, _ = next(iter(row.readings.values())).place.bbox
    assert im.getpixel((int((bx0 + bx1) / 2 * scale), int((btop - 1) * scale))) == EXACT


def test_cli_draws_the_page_and_still_traces(parsed, tmp_path):
    pdf, _, p = parsed
    _, page = _t1(p)
    out = tmp_path / "sub" / "t1.png"
    r = invoke(["parse", pdf, "--debug", "--page", page, "--png", out])
    assert r.exit_code == 0, r.stderr
    assert f"已画出 {out}（第 {page} 页）" in r.stderr and "[structure]" in r.stderr
    assert r.stdout.startswith("{")
    with Image.open(out) as im:
        assert im.format == "PNG"


def test_cli_png_alone_draws_page_one(parsed, tmp_path):
    pdf, _, _ = parsed
    out = tmp_path / "p1.png"
    r = invoke(["parse", pdf, "--format", "facts", "--png", out])
    assert r.exit_code == 0 and "（第 1 页）" in r.stderr and "[structure]" not in r.stderr
    width, height = _page_size(pdf, 1)
    with Image.open(out) as im:
        assert abs(im.width / im.height - width / height) < 0.01


def test_text_source_has_no_page_image(parsed, tmp_path):
    _, txt, _ = parsed
    r = invoke(["parse", txt, "--png", tmp_path / "x.png"])
    assert r.exit_code == 2 and "只有 PDF 文件能画出页面图" in r.stderr and str(txt) in r.stderr
    assert "Traceback" not in r.output and not (tmp_path / "x.png").exists()
    with pytest.raises(InputError):
        draw_page(parse(txt), 1, tmp_path / "x.png")


def test_page_out_of_range(parsed, tmp_path):
    pdf, _, p = parsed
    r = invoke(["parse", pdf, "--page", p.source.pages + 1, "--png", tmp_path / "x.png"])
    assert r.exit_code == 2 and f"没有第 {p.source.pages + 1} 页（共 {p.source.pages} 页）" in r.stderr
    assert str(pdf) in r.stderr and r.stdout == "" and not (tmp_path / "x.png").exists()
    with pytest.raises(InputError, match="没有第 0 页"):
        draw_page(p, 0, tmp_path / "x.png")


def test_page_without_png_is_a_usage_error(parsed):
    pdf, _, _ = parsed
    r = invoke(["parse", pdf, "--page", "2"])
    assert r.exit_code == 2 and "--png" in r.stderr


def test_a_picture_that_cannot_be_written_leaves_nothing_half_written(parsed, tmp_path, monkeypatch):
    """The page picture is written like every output: whole or not at all, a full disk said."""
    import errno

    from PIL import Image

    from juesuan.cli import invoke

    def full(self, fp, *args, **kwargs):
        Path(fp).write_bytes(b"\x89PNG half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", full)
    out = tmp_path / "pics"
    r = invoke(["parse", parsed[0], "--page", "3", "--png", out / "第3页.png"])
    assert r.exit_code == 2 and "磁盘已满" in r.stderr and "第3页.png" in r.stderr, r.output
    assert "Traceback" not in r.output and list(out.iterdir()) == []
