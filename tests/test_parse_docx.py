"""DOCX reader (juesuan.parse.docx): document order, merged cells on the grid, pages, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.errors import InputError
from juesuan.parse.docx import read_docx


def _merge(table, r0, c0, r1, c1):
    return table.cell(r0, c0).merge(table.cell(r1, c1))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    d.add_paragraph("第二部分 部门决算表")
    d.add_paragraph("支出决算表")
    t = d.add_table(rows=4, cols=5)
    # header: 项目 spans code+name over two rows; 本年支出 spans two columns
    _merge(t, 0, 0, 1, 1).text = "项目"
    _merge(t, 0, 2, 1, 2).text = "合计"
    _merge(t, 0, 3, 0, 4).text = "本年支出"
    t.cell(1, 3).text = "基本支出"
    t.cell(1, 4).text = "项目支出"
    for c, v in enumerate(["2010350", "事业运行", "247.04", "247.04", ""]):
        t.cell(2, c).text = v
    for c, v in enumerate(["2010399", "其他⽀出", "９３７．７０", "", "937.70"]):
        t.cell(3, c).text = v
    p = d.add_paragraph("表后说明")
    p.add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("第三部分 情况说明")
    q = d.add_paragraph("第一行")
    q.add_run().add_break()
    q.add_run("第二行")
    path = tmp_path_factory.mktemp("docx") / "synthetic.docx"
    d.save(str(path))
    return path


def test_paragraphs_and_tables_in_document_order(synthetic):
    doc = read_docx(synthetic)
    texts = [ln.cells if ln.grid else ln.text for ln in doc.lines]
    assert texts[0] == "第二部分 部门决算表"
    assert texts[1] == "支出决算表"
    assert texts[2:6] == [
        ["项目", "", "合计", "本年支出", ""],
        ["", "", "", "基本支出", "项目支出"],
        ["2010350", "事业运行", "247.04", "247.04", ""],
        ["2010399", "其他支出", "937.70", "", "937.70"],
    ]
    assert texts[6:] == ["表后说明", "第三部分 情况说明", "第一行", "第二行"]
    assert all(ln.table_index == 0 for ln in doc.lines if ln.grid)
    assert [ln.line for ln in doc.lines] == list(range(1, len(doc.lines) + 1))


def test_page_breaks_counted(synthetic):
    doc = read_docx(synthetic)
    pages = {ln.text: ln.page for ln in doc.lines}
    assert pages["支出决算表"] == 1 and pages["第三部分 情况说明"] == 2
    assert doc.pages == 2 and doc.format == "docx"


def test_built_docx_has_the_nine_tables_as_grid_rows(example_model, example_tables, tmp_path):
    from juesuan.final.narrative import build_document
    from juesuan.renderers import render

    path = render(build_document(example_model, example_tables), "docx", tmp_path)
    doc = read_docx(path)
    rows = [ln.cells for ln in doc.lines if ln.grid]
    assert ["一、一般公共预算财政拨款收入", "1", "1,294.48", "一、一般公共服务支出", "32", "1,184.74"] in rows
    assert ["201", "03", "50", "事业运行", "247.04", "247.04", "", "", "", ""] in rows
    widths = {}
    for ln in doc.lines:
        if ln.grid:
            widths.setdefault(ln.table_index, set()).add(len(ln.cells))
    assert all(len(w) == 1 for w in widths.values()), widths   # every row as wide as its grid
    assert len(widths) >= 9 and doc.pages > 10


def test_not_a_docx(tmp_path):
    bad = tmp_path / "公开.docx"
    bad.write_text("plain text", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_docx(bad)
    assert "公开.docx" in str(e.value) and "docx" in str(e.value)


def test_legacy_doc_named_docx(tmp_path):
    bad = tmp_path / "old.docx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(InputError) as e:
        read_docx(bad)
    assert ".doc" in str(e.value) and "old.docx" in str(e.value)


def test_zip_without_word_document(tmp_path):
    import zipfile

    bad = tmp_path / "x.docx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError):
        read_docx(bad)


def test_word_rendered_page_marks_counted(tmp_path):
    """Files saved by Word carry w:lastRenderedPageBreak where each page starts: those are
    counted instead of the explicit breaks (which Word marks too)."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement

    d = docx.Document()
    d.add_paragraph("第一页")
    p = d.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    r = p.add_run("第二页")
    r._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    q = d.add_paragraph()
    r = q.add_run("第三页（自然换页）")
    r._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    path = tmp_path / "word.docx"
    d.save(str(path))
    doc = read_docx(path)
    assert [(ln.text, ln.page) for ln in doc.lines] == [("第一页", 1), ("第二页", 2), ("第三页（自然换页）", 3)]
    assert doc.pages == 3
