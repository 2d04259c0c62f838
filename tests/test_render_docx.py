"""DOCX renderer: the example document opened with python-docx — fonts (w:eastAsia on every
run), GB/T 9704 page, headings, real tables with merged and repeated header rows."""

from __future__ import annotations

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from juesuan.document import Document, Paragraph, Part, Section
from juesuan.figures import fmt_cell as money
from juesuan.final.forms import overall, projects
from juesuan.final.narrative import build_document
from juesuan.renderers.docx import FONTS, PAGE_MARGINS_MM, write_docx


@pytest.fixture(scope="module")
def built(example_model, example_tables, tmp_path_factory):
    doc = build_document(example_model, example_tables)
    path = tmp_path_factory.mktemp("docx") / "disclosure.docx"
    write_docx(doc, path)
    return doc, docx.Document(str(path))


def _headings(d, level: int) -> list[str]:
    """Texts of the paragraphs in style Heading <level> (by style id: python-docx's
    ``paragraph.style`` looks the style up in the styles part every time)."""
    sid = d.styles[f"Heading {level}"].style_id
    return [p.text for p in d.paragraphs if p._p.style == sid]


def _cell_texts(d) -> set[str]:
    return {"".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in d.element.body.iter(qn("w:tc"))}


def _east(run_el) -> str | None:
    rpr = run_el.find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None


def test_every_run_has_an_east_asian_font(built):
    _, d = built
    parts = [d.element.body] + [s.footer._element for s in d.sections]
    runs = [r for el in parts for r in el.iter(qn("w:r"))]
    assert len(runs) > 500
    missing = [r for r in runs if not _east(r)]
    assert not missing, f"{len(missing)} runs without w:eastAsia"
    used = {_east(r) for r in runs}
    assert {FONTS["title"], FONTS["heading1"], FONTS["body"]} <= used


def test_title_body_and_heading_fonts(built):
    doc, d = built
    title = next(p for p in d.paragraphs if p.text)      # the cover's title, below some space
    assert title.text.replace("\n", "") == doc.title and title.style.name == "Title"   # in two balanced lines
    assert _east(title.runs[0]._element) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22
    normal = d.styles["Normal"]
    assert normal.font.size.pt == 16 and _east(normal.element) == "仿宋_GB2312"
    assert _east(d.styles["Heading 1"].element) == "黑体"
    assert _east(d.styles["Heading 3"].element) == "楷体_GB2312"
    body = next(p for p in d.paragraphs if p.text.startswith("从单位构成看"))
    assert body.style.name == "Normal" and body.paragraph_format.first_line_indent.pt == 32


def test_headings_follow_the_document(built):
    doc, d = built
    h1 = _headings(d, 1)
    for part in doc.parts:
        assert f"第{part.number}部分　{part.title}" in h1
    h2 = _headings(d, 2)
    narrative = doc.part("narrative")
    assert [f"{s.number}、{s.title}" for s in narrative.sections] == \
        [t for t in h2 if t in {f"{s.number}、{s.title}" for s in narrative.sections}]
    assert "一、收入支出决算总体情况说明" in h2


def test_page_setup_and_page_numbers(built):
    _, d = built
    first = d.sections[0]
    assert abs(first.page_width - Mm(210)) < Mm(1) and abs(first.page_height - Mm(297)) < Mm(1)
    for name, mm in PAGE_MARGINS_MM.items():
        assert abs(getattr(first, f"{name}_margin") - Mm(mm)) < Mm(0.5), name
    assert any(s.orientation == WD_ORIENT.LANDSCAPE and abs(s.page_width - Mm(297)) < Mm(1) for s in d.sections)
    instr = [e.text for e in first.footer._element.iter(qn("w:instrText"))]
    assert instr and instr[0].strip() == "PAGE"


def test_nine_tables_are_word_tables(built, example_tables):
    doc, d = built
    assert len(d.tables) >= 9 + len(projects(doc)) + (1 if overall(doc) else 0)
    t1 = d.tables[0]
    figure = money(example_tables["T1"].value("income:general", "决算数"))
    row = next(r for r in t1.rows if r.cells[0].text == "一、一般公共预算财政拨款收入")
    cell = row.cells[2]
    assert cell.text == figure == "1,294.48"
    assert cell.paragraphs[0].paragraph_format.alignment == 2       # right
    # merged header: 收入 spans three grid columns; header rows repeat on each page
    first_tc = t1.rows[0]._tr.findall(qn("w:tc"))[0]
    assert first_tc.find(qn("w:tcPr")).find(qn("w:gridSpan")).get(qn("w:val")) == "3"
    header = [tr for tr in t1._tbl.findall(qn("w:tr")) if tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None]
    assert len(header) == 3                                           # 收入/支出, 项目…, 栏次
    assert [c.text for c in t1.rows[2].cells] == ["栏次", "", "1", "栏次", "", "2"]


def test_function_table_codes_and_vertical_merges(built):
    _, d = built
    t2 = d.tables[1]
    texts = [[c.text for c in r.cells] for r in t2.rows]
    assert texts[2][:4] == ["类", "款", "项", "栏次"]
    assert ["201", "03", "50", "事业运行"] in [t[:4] for t in texts]
    vmerge = [e for e in t2._tbl.iter(qn("w:vMerge"))]
    assert any(e.get(qn("w:val")) == "restart" for e in vmerge)     # 本年收入合计 over two rows


def test_charts_are_pictures(built):
    doc, d = built
    try:
        from juesuan.renderers.charts import drawn_charts
    except ImportError:
        pytest.skip("charts module not available")
    charts = list(drawn_charts(doc).values())       # the charts that say something
    assert charts and len(d.inline_shapes) == len(charts)


def test_performance_forms_are_tables(built):
    doc, d = built
    texts = _cell_texts(d)
    for p in projects(doc):
        assert p.name in texts and p.rate in texts
    assert "年度绩效目标" in texts and "偏差大或目标未完成原因分析" in texts


def test_placeholders_are_highlighted(tmp_path):
    doc = Document(title="2023年度测试单位部门决算公开", entity="测试单位", year=2023)
    doc.parts.append(Part("narrative", "三", "测试单位2023年度部门决算情况说明", sections=[
        Section("一", "收入支出决算总体情况说明", paragraphs=[
            Paragraph("收入减少1.00万元，主要原因是【待填写：收入减少的原因】。")])]))
    path = tmp_path / "p.docx"
    write_docx(doc, path)
    d = docx.Document(str(path))
    para = next(p for p in d.paragraphs if "待填写" in p.text and "公开日期" not in p.text)   # not the cover's
    marked = [r for r in para.runs if r.font.highlight_color is not None]
    assert [r.text for r in marked] == ["【待填写：收入减少的原因】"]


def test_chart_svg_rasterised_faithfully():
    import io
    import re

    from PIL import Image

    from juesuan.document import Chart
    from juesuan.renderers._svgpng import svg_png
    charts = pytest.importorskip("juesuan.renderers.charts")
    from decimal import Decimal
    svg = charts.chart_svg(Chart("fig1", "图1：收、支决算总计变动情况", "bar", ["2022年度", "2023年度"],
                                 [Decimal("1732.61"), Decimal("1294.48")]))
    png = svg_png(svg, scale=1.5)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    vb = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
    assert img.size == (round(vb[2] * 1.5), round(vb[3] * 1.5))
    bars = 0
    for m in re.finditer(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="#(\w{6})"', svg):
        x, y, w, h = (float(g) for g in m.groups()[:4])
        if w < 20 or h < 20:
            continue
        bars += 1
        colour = tuple(int(m.group(5)[i:i + 2], 16) for i in (0, 2, 4))
        assert img.getpixel((round((x + w / 2) * 1.5), round((y + h / 2) * 1.5))) == colour
    assert bars == 2
    assert svg_png('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><ellipse/></svg>') is None


def test_document_without_tables(tmp_path):
    doc = Document(title="2023年度测试单位部门决算公开", entity="测试单位", year=2023)
    doc.parts.append(Part("profile", "一", "测试单位概况", sections=[
        Section("一", "部门主要职责", paragraphs=[Paragraph("1.负责某事。", kind="item")])]))
    path = tmp_path / "m.docx"
    write_docx(doc, path)
    d = docx.Document(str(path))
    assert _headings(d, 1)[-1] == "第一部分　测试单位概况"
    assert not d.tables and len(d.sections) == 1
