"""PDF reader (juesuan.parse.pdf): the Shanghai samples, synthetic PDFs, scanned and bad files.

Each test names the trap it reproduces: blank cells kept in their column, names
wrapped inside a cell, headers merged over several rows, look-alike radicals,
tables printed without rules, pages that are images only.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from juesuan.errors import InputError
from juesuan.parse.pdf import read_pdf

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"
PUTUO = SAMPLES / "shanghai-putuo-shehuigongzuobu-2024.pdf"
TEMPLATE = SAMPLES / "shanghai-template-2024.pdf"



@pytest.fixture(scope="module")
def putuo():
    return read_pdf(PUTUO)


@pytest.fixture(scope="module")
def template():
    return read_pdf(TEMPLATE)


def _rows(doc, page):
    return [ln.cells for ln in doc.lines if ln.page == page and ln.grid]


def test_putuo_summary_table_page5_has_figures_with_places(putuo):
    assert putuo.pages == 24 and putuo.format == "pdf" and not putuo.notes
    hits = [ln for ln in putuo.lines if ln.page == 5 and "307.82" in ln.cells
            and "一、一般公共服务支出" in ln.cells]
    assert len(hits) == 1
    ln = hits[0]
    assert ln.cells == ["一、一般公共预算财政拨款收入", "307.82", "一、一般公共服务支出", "264.87"]
    assert ln.grid and ln.table_index is not None and ln.line is not None
    x0, top, x1, bottom = ln.bbox
    assert 0 < x0 < x1 < 595.3 and 0 < top < bottom < 841.9
    assert ln.place().page == 5


def test_putuo_blank_cells_stay_in_their_column(putuo):
    rows = _rows(putuo, 8)   # 支出决算表
    assert ["2013999", "其他社会工作事务支出", "202.24", "", "202.24", "", "", ""] in rows
    assert ["2013950", "事业运行", "11.31", "11.31", "", "", "", ""] in rows
    # two-sided table: empty left side keeps its two cells
    assert ["", "", "九、卫生健康支出", "2.71"] in _rows(putuo, 5)


def test_putuo_name_wrapped_in_cell_is_one_cell(putuo):
    assert ["2080505", "机关事业单位基本养老保险缴费支出", "6.18", "6.18", "", "", "", "", ""] in _rows(putuo, 6)


def test_putuo_merged_headers(putuo):
    header = _rows(putuo, 15)[0]   # 政府性基金: 年初结转和结余 spans two header rows
    assert header[:4] == ["项目", "", "年初结转和结余", "本年收入"]
    total = _rows(putuo, 12)[-1]   # "合    计" spans the code and name columns
    assert total == ["合计", "", "307.82", "105.58", "202.24"]


def test_putuo_table_continued_on_next_page(putuo):
    rows7 = _rows(putuo, 7)
    assert rows7[0] == ["2101101", "行政单位医疗", "2.22", "2.22", "", "", "", "", ""]


def test_putuo_economic_table_two_blocks(putuo):
    rows = _rows(putuo, 13)
    assert ["30226", "劳务费", "0.68"] == next(r for r in rows if "30226" in r)[3:]
    assert rows[-1] == ["人员经费合计", "", "95.36", "公用经费合计", "", "10.23"]


def test_putuo_narrative_lines(putuo):
    text = "\n".join(ln.text for ln in putuo.lines if ln.page == 17)
    assert "本年支出合计307.82万元，其中：基本支出105.58万元，占" in text
    assert all(not ln.grid for ln in putuo.lines if ln.page == 17)


def test_template_all_nine_titles_and_table_rows(template):
    titles = {ln.text for ln in template.lines if not ln.grid}
    for t in ("收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
              "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表",
              "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
              "国有资本经营预算财政拨款收入支出决算表"):
        assert t in titles, t
    grid_pages = {ln.page for ln in template.lines if ln.grid}
    assert set(range(5, 15)) <= grid_pages


# --- synthetic PDFs ---------------------------------------------------------------------------

def _html_pdf(html: str, path: Path) -> Path:
    from weasyprint import HTML

    from juesuan.renderers.pdf import _font_css

    with tempfile.TemporaryDirectory() as tmp:
        css, ok = _font_css(html, Path(tmp))
        HTML(string=html.replace("<style>", "<style>" + css, 1), base_url=tmp).write_pdf(
            str(path), full_fonts=ok)
    return path


@pytest.fixture(scope="module")
def unruled_pdf(tmp_path_factory):
    html = """<html><head><style>body{font-family:"Noto Sans SC"} td{padding:2px 8px}</style></head><body>
    <p>⽀出决算表（⻔⻋） 全角１２３</p>
    <table><tr><td>科目名称</td><td>合计</td><td>基本支出</td><td>项目支出</td></tr>
    <tr><td>一般公共服务支出</td><td>1,184.74</td><td>247.04</td><td>937.70</td></tr>
    <tr><td>事业运行</td><td>247.04</td><td>247.04</td><td></td></tr>
    <tr><td>其他支出</td><td>937.70</td><td></td><td>937.70</td></tr></table></body></html>"""
    return read_pdf(_html_pdf(html, tmp_path_factory.mktemp("pdf") / "unruled.pdf"))


def test_radicals_and_fullwidth_digits_normalised(unruled_pdf):
    assert unruled_pdf.lines[0].cells == ["支出决算表（门车） 全角123"]


def test_table_without_rules_aligned_to_columns(unruled_pdf):
    rows = [ln.cells for ln in unruled_pdf.lines if ln.grid]
    assert rows == [["科目名称", "合计", "基本支出", "项目支出"],
                    ["一般公共服务支出", "1,184.74", "247.04", "937.70"],
                    ["事业运行", "247.04", "247.04", ""],
                    ["其他支出", "937.70", "", "937.70"]]


def test_scanned_pdf_without_ocr_is_input_error(tmp_path, monkeypatch):
    """Pages without a text layer are read by OCR (tests/test_parse_ocr.py); when OCR cannot be
    loaded, an image-only PDF is unusable input that says it is scanned."""
    import pypdfium2 as pdfium

    from juesuan.parse import ocr

    monkeypatch.setitem(sys.modules, "rapidocr", None)
    monkeypatch.setattr(ocr, "_checked", False)
    monkeypatch.setattr(ocr, "_missing", None)
    pdf = pdfium.PdfDocument(str(PUTUO))
    images = [pdf[i].render(scale=1).to_pil().convert("RGB") for i in (4, 5)]
    pdf.close()
    path = tmp_path / "scanned.pdf"
    images[0].save(path, save_all=True, append_images=images[1:])
    with pytest.raises(InputError) as e:
        read_pdf(path)
    assert "扫描件" in str(e.value) and "2 页" in str(e.value)


def test_not_a_pdf_is_input_error(tmp_path):
    bad = tmp_path / "报告.pdf"
    bad.write_bytes(b"this is not a pdf at all")
    with pytest.raises(InputError) as e:
        read_pdf(bad)
    msg = str(e.value)
    assert "报告.pdf" in msg and "PDF" in msg


def test_missing_file_is_input_error(tmp_path):
    with pytest.raises(InputError) as e:
        read_pdf(tmp_path / "nope.pdf")
    assert "nope.pdf" in str(e.value)


def test_truncated_pdf_never_tracebacks(tmp_path):
    data = PUTUO.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 3])
    try:
        doc = read_pdf(cut)   # pdfium may recover part of the file
    except InputError as e:
        assert "cut.pdf" in str(e)
    else:
        assert doc.format == "pdf"


def test_rotated_page_with_counter_rotated_content(putuo, tmp_path):
    """A landscape table stored as a portrait page (content turned, /Rotate 90) and drawn
    through a form XObject reads like the upright original."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(PUTUO))
    w, h = src[5].get_size()          # 收入决算表, a landscape page
    dest = pdfium.PdfDocument.new()
    page = dest.new_page(h, w)
    obj = src.page_as_xobject(5, dest).as_pageobject()
    obj.transform(pdfium.PdfMatrix().rotate(90, ccw=True).translate(h, 0))
    page.insert_obj(obj)
    page.gen_content()
    page.set_rotation(90)
    path = tmp_path / "rotated.pdf"
    dest.save(str(path))
    doc = read_pdf(path)
    assert _rows(doc, 1) == _rows(putuo, 6)


def test_putuo_through_parse_file_all_nine_tables(putuo):
    from juesuan.pipeline import parse
    parsed = parse(PUTUO)
    doc = parsed.document
    assert parsed.coverage.tables_found == 9
    facts = {(t, code, label, col): v for t, code, label, col, v in doc.tables.facts()}
    assert facts[("T1", "", "一、一般公共预算财政拨款收入", "收入:决算数")] == "307.82"
    assert facts[("T3", "2013999", "其他社会工作事务支出", "项目支出")] == "202.24"
    assert facts[("T3", "2013999", "其他社会工作事务支出", "基本支出")] == "0.00"   # blank cell
    assert facts[("T3", "2080505", "机关事业单位基本养老保险缴费支出", "本年支出合计")] == "6.18"
    t6 = doc.tables["T6"].row(code="30226")
    assert t6 is not None and str(t6.cells["决算数"]) == "0.68"
    assert t6.source.get("page") == 13 and t6.source.get("bbox")


def test_encrypted_pdf_is_input_error(tmp_path):
    """A PDF protected by a user password (standard security handler; the empty password
    does not open it) is reported as encrypted."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>"]
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(data))
        data += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(data)
    data += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    data += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    data += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<{'ab' * 16}> "
             f"<{'ab' * 16}>] >>\nstartxref\n{xref}\n%%EOF\n").encode()
    path = tmp_path / "加密.pdf"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as e:
        read_pdf(path)
    assert "加密" in str(e.value) and "加密.pdf" in str(e.value)
