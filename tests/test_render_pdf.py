"""PDF renderer: the example PDF read back with pdfplumber and pdftotext — Chinese text exact
(no Kangxi radicals), table figures present, bundled fonts embedded, A4 pages numbered; Typst
markup escaping; a missing engine reported in Chinese."""

from __future__ import annotations

import shutil
import subprocess

import pdfplumber
import pypdfium2
import pytest

from juesuan.document import Document, Paragraph, Part, Section
from juesuan.figures import fmt_cell as money
from juesuan.final.forms import projects
from juesuan.final.narrative import build_document
from juesuan.renderers.pdf import PdfEngineError, render_pdf, write_pdf

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
    for p in projects(doc):
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
    assert any("NotoSerifSC" in f for f in fonts) and any("NotoSansSC" in f for f in fonts)


def test_pages_a4_numbered_wide_tables_landscape(built):
    doc, _, _, pages = built
    sizes = {(round(w), round(h)) for w, h, _ in pages}
    assert (595, 842) in sizes and (842, 595) in sizes          # A4 portrait and landscape, in pt
    assert "— 2 —" in pages[1][2]
    first_lines = {t.strip().splitlines()[0] for w, h, t in pages if w > h and t.strip()}
    assert f"{doc.year}年度收入决算表" in first_lines
    assert f"{doc.year}年度收入支出决算总表" not in first_lines      # T1 is narrow: portrait


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler not installed")
def test_only_project_fonts_embedded_as_subsets(built):
    _, path, _, _ = built
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    names = [ln.split()[0].split("+")[-1] for ln in lines]
    # Noto SC from pylopdf-fonts-zh-cn; DejaVu Sans (matplotlib's copy) for ☑: no system font
    assert names and all(n.startswith(("NotoSerifSC", "NotoSansSC", "DejaVuSans")) for n in names), names
    assert all(ln.split()[-5:-2] == ["yes", "yes", "yes"] for ln in lines)               # emb sub uni


def test_small_size(built):
    _, path, _, pages = built
    assert path.stat().st_size < 40_000 * len(pages)


def test_symbols_and_digits_before_latin_read_back(built):
    """☑/□ of the 项目绩效自评表 are drawn (from DejaVu Sans) and read back; "4G" keeps its digit."""
    doc, _, _, pages = built
    text = "\n".join(t for _, _, t in pages)
    assert "☑" in text and "□" in text
    assert "(cid:" not in text and "\ufffd" not in text
    latin = {m for p in projects(doc) for i in p.indicators for m in (i.target, i.actual, i.level3)
             if any(c.isdigit() for c in m) and any("A" <= c <= "Z" for c in m)}
    assert latin and all(m in text.replace("\r", "").replace("\n", "") for m in latin), latin


HOSTILE = 'a#b $c$ *d* _e_ `f` <g> @h [i] \\j ~k =l -m +n /o // p /* q */ "r" \'s\' #set text(red) 1. x'


def _tiny(text: str) -> Document:
    sec = Section(number="一", title=f"标题{text}", paragraphs=[
        Paragraph(text), Paragraph("= 小标题\n- 列表"), Paragraph("前文【待填写：#原因* 181.45%】后文")])
    return Document(title=f"测试{text}", entity="测试单位", year=2023,
                    parts=[Part(key="profile", number="一", title="概况", sections=[sec])])


def test_typst_special_characters_are_text(tmp_path):
    path = tmp_path / "t.pdf"
    write_pdf(_tiny(HOSTILE), path)
    with pdfplumber.open(path) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    flat = text.replace("\n", "")
    assert HOSTILE in flat and "= 小标题" in text and "- 列表" in text
    assert "前文【待填写：#原因* 181.45%】后文" in flat


def test_missing_engine_is_reported_in_chinese(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "typst", None)            # import fails
    with pytest.raises(PdfEngineError, match="未安装 PDF 排版引擎 typst"):
        render_pdf(_tiny("x"))


def test_broken_engine_is_reported_in_chinese(monkeypatch):
    import sys
    import types

    def compile(*a, **k):
        raise RuntimeError("engine crashed")
    monkeypatch.setitem(sys.modules, "typst", types.SimpleNamespace(compile=compile))
    with pytest.raises(PdfEngineError, match="PDF 排版失败（typst）：engine crashed"):
        render_pdf(_tiny("x"))
