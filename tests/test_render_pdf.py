"""PDF renderer: the example PDF read back with pdfplumber and pdftotext — Chinese text exact
(no Kangxi radicals), table figures present, bundled fonts embedded, A4 pages numbered."""

from __future__ import annotations

import shutil
import subprocess

import pdfplumber
import pypdfium2
import pytest

from juesuan.narrative import build_document
from juesuan.renderers.pdf import _subset, font_files, write_pdf
from juesuan.renderers.tables_html import money

RADICALS = (range(0x2E80, 0x2F00), range(0x2F00, 0x2FE0))   # CJK radicals supplement, Kangxi radicals
PLUMBER_PAGES = 8       # pdfplumber takes ~0.1 s a page: the title, contents, 概况 and first tables


@pytest.fixture(scope="module")
def built(example_model, example_tables, tmp_path_factory):
    doc = build_document(example_model, example_tables)
    path = tmp_path_factory.mktemp("pdf") / "disclosure.pdf"
    write_pdf(doc, path)
    with pdfplumber.open(path) as pdf:
        head = [(p.extract_text() or "", {c["fontname"] for c in p.chars}) for p in pdf.pages[:PLUMBER_PAGES]]
    pdf = pypdfium2.PdfDocument(str(path))
    pages = [(pg.get_width(), pg.get_height(), pg.get_textpage().get_text_range()) for pg in pdf]
    pdf.close()
    return doc, path, head, pages


def _radicals(text: str) -> list[str]:
    return [ch for ch in text if any(ord(ch) in r for r in RADICALS)]


def test_pdfplumber_reads_chinese_and_figures(built, example_tables):
    doc, _, head, _ = built
    text = "\n".join(t for t, _ in head)
    assert doc.title in text
    assert "第三部分" in text and "一般公共预算财政拨款支出决算情况说明" in text
    assert f"{doc.year}年度收入支出决算总表" in text and f"部门：{doc.entity}" in text
    assert money(example_tables["T1"].value("income:general", "决算数")) == "1,294.48"
    assert "1,294.48" in text
    assert not _radicals(text)


def test_whole_document_present(built):
    doc, _, _, pages = built
    text = "\n".join(t for _, _, t in pages)
    for t in doc.tables:
        assert f"{doc.year}年度{t.title}" in text
    for p in doc.projects:
        assert p.name in text
    assert not _radicals(text)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler not installed")
def test_pdftotext_reads_the_same(built):
    doc, path, _, _ = built
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    assert doc.title in out and "1,294.48" in out and "收入支出决算总表" in out
    assert not _radicals(out)


def test_fonts_are_the_bundled_ones(built):
    _, _, head, _ = built
    fonts = set().union(*(f for _, f in head))
    assert any("Noto-Serif-SC" in f for f in fonts)


def test_pages_a4_numbered_wide_tables_landscape(built):
    doc, _, _, pages = built
    sizes = {(round(w), round(h)) for w, h, _ in pages}
    assert (595, 842) in sizes and (842, 595) in sizes          # A4 portrait and landscape, in pt
    assert "— 2 —" in pages[1][2]
    first_lines = {t.strip().splitlines()[0] for w, h, t in pages if w > h and t.strip()}
    assert f"{doc.year}年度收入决算表" in first_lines
    assert f"{doc.year}年度收入支出决算总表" not in first_lines      # T1 is narrow: portrait


def test_font_subset_keeps_only_the_needed_glyphs(tmp_path):
    src = font_files()["Noto Sans SC"]
    out = _subset(src, set("部门决算公开0123456789"), tmp_path / "s.otf")
    assert out == tmp_path / "s.otf" and out.stat().st_size < src.stat().st_size / 20


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler not installed")
def test_only_project_fonts_embedded_as_subsets(built):
    _, path, _, _ = built
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    names = [ln.split()[0] for ln in lines]
    assert names and all("Noto" in n or "Juesuan-Symbols" in n for n in names), names   # no system font
    assert all(ln.split()[-5:-2] == ["yes", "yes", "yes"] for ln in lines)               # emb sub uni


def test_font_subset_without_harfbuzz_uses_fonttools(tmp_path, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "uharfbuzz", None)       # import fails: fontTools route
    src = font_files()["Noto Sans SC"]
    out = _subset(src, set("部门决算"), tmp_path / "s.otf")
    assert out == tmp_path / "s.otf" and out.stat().st_size < src.stat().st_size / 20
    from fontTools.ttLib import TTFont
    cmap = TTFont(str(out)).getBestCmap()
    assert {ord(c) for c in "部门决算"} <= set(cmap) and ord("支") not in cmap
