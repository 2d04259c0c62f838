"""A document ready to publish without retouching (issue 15 §3): the example rendered to PDF,
DOCX and HTML and read back — cover, 目录 (the same titles in the three formats, each PDF
line one title with its page), table cells without a character alone on a line, 自评表
columns that hold their usual words, official fonts when a font directory has them (and one
notice when not), Word's TOC field, page break, properties and language, charts that say
something."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import zipfile
from datetime import UTC, datetime
from decimal import Decimal

import pdfplumber
import pytest
from conftest import EXAMPLE

from juesuan.document import Chart, Document, Part, Section
from juesuan.renderers._grid import balanced, table_grid, widened
from juesuan.renderers._toc import toc_entries
from juesuan.tables.grid import Grid

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def pdf_bytes(example_document):
    from juesuan.fonts import SYSTEM_FONTS_ENV
    from juesuan.renderers.pdf import render_pdf
    old = os.environ.get(SYSTEM_FONTS_ENV)
    os.environ[SYSTEM_FONTS_ENV] = "0"          # the bundled fonts, whatever this machine has
    try:
        return render_pdf(example_document)
    finally:
        if old is None:
            os.environ.pop(SYSTEM_FONTS_ENV)
        else:
            os.environ[SYSTEM_FONTS_ENV] = old


@pytest.fixture(scope="module")
def pdf(pdf_bytes):
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as p:
        yield p


@pytest.fixture(scope="module")
def docx_zip(example_document):
    from juesuan.renderers.docx import build_docx
    buf = io.BytesIO()
    build_docx(example_document).save(buf)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


# --- 目录 -----------------------------------------------------------------------------------

_TOC_LINE = re.compile(r"^(?P<title>.+?)\s*(?:\.\s*){3,}(?P<page>\d+)$")


def _pdf_toc(pdf) -> list[tuple[str, int]]:
    """(title, page) of each 目录 line of the PDF: the pages after the cover up to the first part."""
    out = []
    for page in pdf.pages[1:6]:
        for line in page.extract_text().splitlines():
            m = _TOC_LINE.match(line.strip())
            if m:
                out.append((_squash(m["title"]), int(m["page"])))
    return out


def test_toc_lines_hold_title_and_page_on_one_line_and_point_at_their_page(pdf, example_document):
    entries = toc_entries(example_document)
    toc = _pdf_toc(pdf)
    # every entry is one line: its whole title, dots, its page number (none broken mid-title)
    assert [t for t, _ in toc] == [_squash(e.title) for e in entries]
    for e, (_, page) in zip(entries, toc):
        if e.level == 1:      # the part heading is on the page the 目录 names (the cover is page 1)
            text = _squash(pdf.pages[page - 1].extract_text())
            assert _squash(e.title.split("　", 1)[-1]) in text, (e.title, page)


def test_toc_titles_are_the_same_in_html_pdf_and_docx(pdf, docx_zip, example_document):
    from lxml import html as lhtml

    from juesuan.renderers.html import render_html
    expected = [_squash(e.title) for e in toc_entries(example_document)]
    assert len(expected) > 30
    tree = lhtml.fromstring(render_html(example_document))
    html_titles = [_squash(a.text_content()) for a in tree.xpath("//nav[@class='toc']//a")]
    pdf_titles = [t for t, _ in _pdf_toc(pdf)]
    body = docx_zip.read("word/document.xml").decode("utf-8")
    start, end = body.index("TOC \\o"), body.index('w:fldCharType="end"', body.index("TOC \\o"))
    paras = re.findall(r"<w:p[ >].*?</w:p>", body[body.rindex("<w:p>", 0, start) if "<w:p>" in body[:start]
                                                   else body.rindex("<w:p ", 0, start):end + 40], re.S)
    docx_titles = [_squash("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))) for p in paras]
    assert html_titles == expected
    assert pdf_titles == expected
    assert docx_titles == expected


# --- cover ----------------------------------------------------------------------------------

def test_cover_names_the_unit_and_the_year_and_never_invents_a_date(pdf, example_document):
    from juesuan.renderers._typst import typst_source
    cover = _squash(pdf.pages[0].extract_text())
    assert _squash(example_document.title) in cover and example_document.entity in cover
    assert str(example_document.year) in cover
    assert "【待填写：公开日期】" in cover
    dated = dataclasses.replace(example_document, published="2024年9月")
    src = typst_source(dated)
    assert "2024年9月" in src and "公开日期" not in src


# --- table cells ----------------------------------------------------------------------------

def test_balanced_breaks_make_equal_lines_and_never_a_lone_character():
    assert balanced("功能分类科目编码", 7) == "功能分类\n科目编码"
    assert balanced("其他政府办公厅（室）及相关机构事务支出", 12) == "其他政府办公厅（室）\n及相关机构事务支出"
    for text, room in (("相较于各单位自行铺设政务外网，节约财政资金", 6),
                       ("群众诉求件办理在全市中心城区的综合排名", 6.5),
                       ("2023年系统自身大型故障不多于5次则满意度为100%", 8)):
        lines = balanced(text, room).split("\n")
        assert "".join(lines) == text and len(lines) > 1
        assert all(len(x) > 1 for x in lines) and not any(x[0] in "，。、）%" for x in lines)
        assert not any(a[-1].isdigit() and b[0].isdigit() for a, b in zip(lines, lines[1:]))   # 100% not cut
    assert balanced("事业运行", 7) == "事业运行"


def _table_words(page) -> list[dict]:
    """The words inside the page's ruled area (the table), not the running text around it."""
    edges = page.edges
    if not edges:
        return []
    x0, x1 = min(e["x0"] for e in edges), max(e["x1"] for e in edges)
    top, bottom = min(e["top"] for e in edges), max(e["bottom"] for e in edges)
    return [w for w in page.extract_words(x_tolerance=1.5)
            if x0 <= w["x0"] and w["x1"] <= x1 and top <= w["top"] and w["bottom"] <= bottom]


def test_no_table_cell_leaves_one_character_alone_on_a_line(pdf, example_document):
    doc = example_document
    grids = [table_grid(t) for t in doc.tables] + [f.grid(doc) for f in doc.forms]
    singles = {c.text for g in grids for c in g.cells if len(c.text) == 1}     # 类 款 项 无: a whole cell
    lone = []
    for n, page in enumerate(pdf.pages, 1):
        words = _table_words(page)
        lone += [(n, w["text"]) for w in words if len(w["text"]) == 1 and _CJK.match(w["text"])
                 and w["text"] not in singles]
    assert not lone
    expenditure = next(n for n, p in enumerate(pdf.pages) if "支出决算表" in (p.extract_text() or "")
                       and "功能分类" in (p.extract_text() or ""))
    words = [w["text"] for w in pdf.pages[expenditure].extract_words(x_tolerance=1.5)]
    assert "功能分类" in words and "科目编码" in words      # not 功能分类科目编 / 码


def test_self_evaluation_columns_hold_their_usual_words(pdf, example_document):
    forms = [n for n, p in enumerate(pdf.pages) if "绩效自评表" in _squash(p.extract_text() or "")[:60]]
    words = [w["text"] for n in forms for w in _table_words(pdf.pages[n])]
    assert words.count("绩效基本型") >= 10          # the overall form's 指标分类, never 绩效基本/型
    assert "型" not in words and "本型" not in words


def test_widened_gives_a_short_column_its_words_from_a_wide_one():
    g = Grid(ncols=3, header_rows=0, widths=[4.0, 30.0, 4.0])
    g.put(0, 0, "绩效基本型")
    g.put(0, 1, "相较于各单位自行铺设政务外网，节约财政资金，提升网络安全保障能力")
    g.put(0, 2, "达成预期指标")
    w = widened(g, 40)
    chars = [x / sum(w) * 40 for x in w]
    assert chars[0] >= 5 and chars[2] >= 6 and chars[1] >= 30 * 0.8 * 40 / 38
    assert widened(g, 400) == g.widths        # room enough: unchanged


# --- fonts ----------------------------------------------------------------------------------

def _renamed_font(src: str, family: str, dest, chinese: str) -> None:
    """A copy of a bundled Noto font that names itself as simfang.ttf does: ``family`` in English,
    ``chinese`` in its zh-CN records (Typst and juesuan must agree on which one is the name)."""
    from fontTools.ttLib import TTFont
    font = TTFont(src, lazy=True)
    for n in font["name"].names:
        if n.nameID in (1, 4, 16):
            n.string = chinese if n.langID == 0x804 else family
        elif n.nameID == 6:
            n.string = family
    font.save(str(dest))


def test_official_fonts_from_font_dir_are_embedded_and_the_rest_said_once(tmp_path, monkeypatch):
    from juesuan.cli import invoke
    from juesuan.fonts import SYSTEM_FONTS_ENV, cjk_font_path, official_fonts
    fonts = tmp_path / "字体"
    fonts.mkdir()
    _renamed_font(cjk_font_path("Serif"), "FangSong", fonts / "SIMFANG.TTF", "仿宋")   # file names: any case
    _renamed_font(cjk_font_path("Sans"), "SimHei", fonts / "simhei.ttf", "黑体")
    monkeypatch.setenv(SYSTEM_FONTS_ENV, "0")
    choice = official_fonts(fonts)
    assert choice.family("body") == "FangSong" and choice.family("heading") == "SimHei"
    assert choice.missing == ["方正小标宋简体", "楷体_GB2312"]
    out = tmp_path / "x.pdf"
    r = invoke(["build", EXAMPLE, "-o", out, "--font-dir", fonts])
    assert r.exit_code == 0, r.output
    assert r.stderr.count("本机未找到") == 1 and "方正小标宋简体、楷体_GB2312" in r.stderr
    assert "仿宋_GB2312" not in r.stderr
    with pdfplumber.open(out) as p:
        body = {c["fontname"].split("+")[-1] for c in p.pages[3].chars if _CJK.match(c["text"])}
        toc = {c["fontname"].split("+")[-1] for c in p.pages[1].chars if c["text"] == "第"}
    assert any(f.startswith("FangSong") for f in body)            # the body text in 仿宋
    assert any(f.startswith("SimHei") for f in toc)                # 第X部分 in 黑体
    assert "JUESUAN_FONT_DIR" not in os.environ                    # the build left nothing behind


def test_font_dir_that_is_not_a_directory_is_a_usage_error(tmp_path):
    from juesuan.cli import invoke
    r = invoke(["build", EXAMPLE, "-o", tmp_path / "x.pdf", "--font-dir", tmp_path / "没有"])
    assert r.exit_code == 2 and "--font-dir" in r.stderr and "目录不存在" in r.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_no_official_font_is_said_in_one_chinese_line(monkeypatch, tmp_path):
    from juesuan.fonts import SYSTEM_FONTS_ENV, fallback_notice, official_fonts
    monkeypatch.setenv(SYSTEM_FONTS_ENV, "0")
    monkeypatch.delenv("JUESUAN_FONT_DIR", raising=False)
    notice = fallback_notice(official_fonts(tmp_path))
    assert notice is not None and "\n" not in notice
    assert "仿宋_GB2312、方正小标宋简体、黑体、楷体_GB2312" in notice and "--font-dir" in notice


# --- Word -----------------------------------------------------------------------------------

def test_docx_has_a_toc_field_a_title_page_properties_and_chinese_language(docx_zip, example_document):
    body = docx_zip.read("word/document.xml").decode("utf-8")
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-2" \\h \\z \\u \\l "1-2" </w:instrText>', body)
    # the 目录 starts a new page: the title page ends before it
    toc_heading = re.search(r"<w:p>(?:(?!</w:p>).)*目　录(?:(?!</w:p>).)*</w:p>", body, re.S).group()
    assert "<w:pageBreakBefore/>" in toc_heading
    assert 'w:pStyle w:val="Heading' not in toc_heading          # or the updated 目录 would list itself
    assert body.index(example_document.entity) < body.index("目　录")      # the cover's unit line
    tables_and_forms = len(list(example_document.tables)) + len(example_document.forms_in("attachments"))
    assert len(re.findall(r"> TC &quot;|> TC \"", body)) == tables_and_forms
    core = docx_zip.read("docProps/core.xml").decode("utf-8")
    assert f"<dc:creator>{example_document.entity}</dc:creator>" in core
    assert "python-docx" not in core and "<dc:language>zh-CN</dc:language>" in core
    created = re.search(r"<dcterms:created[^>]*>([^<]+)<", core).group(1)
    when = datetime.fromisoformat(created.replace("Z", "+00:00"))
    assert abs((datetime.now(UTC) - when).total_seconds()) < 600
    styles = docx_zip.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="zh-CN"' in styles and 'w:val="en-US"' not in styles
    assert 'w:updateFields w:val="true"' in docx_zip.read("word/settings.xml").decode("utf-8")


# --- charts ---------------------------------------------------------------------------------

def _doc_with(charts: list[Chart]) -> Document:
    return Document(title="t", entity="e", year=2023,
                    parts=[Part("narrative", "一", "说明", sections=[Section("一", "s", key="s1", charts=charts)])])


def test_a_single_slice_pie_and_a_repeated_chart_are_not_drawn():
    from juesuan.renderers.charts import drawn_charts
    from juesuan.renderers.html import render_html
    one_slice = Chart("fig2", "图2：收入决算结构", "pie", ["财政拨款收入", "事业收入"],
                      [Decimal("1294.48"), Decimal(0)])
    totals = Chart("fig1", "图1：收、支决算总计变动情况", "bar", ["2022年度", "2023年度"],
                   [Decimal("1732.61"), Decimal("1294.48")])
    spending = Chart("fig3", "图3：支出决算结构", "pie", ["基本支出", "项目支出"],
                     [Decimal("353.78"), Decimal("940.70")])
    fiscal = dataclasses.replace(totals, id="fig4", title="图4：财政拨款收、支决算总计变动情况")
    doc = _doc_with([totals, one_slice, spending, fiscal])
    drawn = drawn_charts(doc)
    assert list(drawn) == ["fig1", "fig3"]
    assert [c.title for c in drawn.values()] == ["图1：收、支决算总计变动情况", "图2：支出决算结构"]
    page = render_html(doc)
    assert "收入决算结构" not in page and "财政拨款收、支决算总计" not in page and "图2：支出决算结构" in page


def test_no_two_charts_of_the_example_show_the_same_figures(example_document):
    from juesuan.renderers.charts import drawn_charts, says_something
    drawn = list(drawn_charts(example_document).values())
    assert drawn
    keys = [(c.kind, tuple(c.labels), tuple(c.values)) for c in drawn]
    assert len(set(keys)) == len(keys) and all(says_something(c) for c in drawn)
    assert [c.title.split("：")[0] for c in drawn] == [f"图{i}" for i in range(1, len(drawn) + 1)]


def test_toc_of_a_document_with_repeated_section_numbers_still_compiles_and_points_right():
    """A parsed document may repeat a section number in a part (two 一、): each 目录 line has its
    own mark, so each gets its own page number, and none breaks the PDF."""
    from juesuan.document import Paragraph
    from juesuan.renderers.pdf import render_pdf
    long = Paragraph("正文。" * 400)
    doc = Document(title="2023年度某单位部门决算公开", entity="某单位", year=2023, parts=[
        Part("overview", "一", "某单位概况", sections=[Section("一", "部门主要职责", paragraphs=[long]),
                                                   Section("一", "部门主要职责", paragraphs=[long])])])
    with pdfplumber.open(io.BytesIO(render_pdf(doc))) as p:
        toc = _pdf_toc(p)
    assert [t for t, _ in toc] == ["第一部分某单位概况", "一、部门主要职责", "一、部门主要职责"]   # squashed
    assert toc[1][1] < toc[2][1]


def test_a_chart_that_would_say_nothing_or_repeat_is_drawn_as_another_view():
    """A one-slice pie and a repeat give way to their section's next view that is worth drawing."""
    from juesuan.renderers.charts import drawn_charts
    one_slice = Chart("fig2", "图2：收入决算结构", "pie", ["财政拨款收入", "事业收入"],
                      [Decimal("1294.48"), Decimal(0)])
    by_class = Chart("fig2", "图2：收入决算结构（按支出功能分类）", "pie", ["一般公共服务支出", "住房保障支出"],
                     [Decimal("1265.88"), Decimal("28.60")])
    one_slice.alternatives = [by_class]
    totals = Chart("fig1", "图1：收、支决算总计变动情况", "bar", ["2022年度", "2023年度"],
                   [Decimal("1732.61"), Decimal("1294.48")])
    repeat = dataclasses.replace(by_class, id="fig4", title="图4：一般公共预算财政拨款支出结构（按支出功能分类）")
    staff = Chart("fig4", "图4：基本支出结构（按经济分类）", "pie", ["工资福利支出", "商品和服务支出"],
                  [Decimal("343.75"), Decimal("8.09")])
    fiscal = dataclasses.replace(totals, id="fig4", title="图4：财政拨款收、支决算总计变动情况",
                                 alternatives=[repeat, staff])
    drawn = drawn_charts(_doc_with([totals, one_slice, fiscal]))
    assert [c.title for c in drawn.values()] == ["图1：收、支决算总计变动情况", "图2：收入决算结构（按支出功能分类）",
                                                 "图3：基本支出结构（按经济分类）"]
    assert drawn["fig4"].values == staff.values


def test_the_examples_four_charts_each_show_something_of_their_own(example_document):
    """All its income is 财政拨款 and its 财政拨款 totals are its totals: 图2 and 图4 are drawn as
    other views of their sections' figures, not dropped."""
    from juesuan.renderers.charts import drawn_charts
    drawn = drawn_charts(example_document)
    assert [c.title for c in drawn.values()] == [
        "图1：收、支决算总计变动情况", "图2：收入决算结构（按支出功能分类）", "图3：支出决算结构",
        "图4：一般公共预算财政拨款基本支出结构（按经济分类）"]
    assert sum(drawn["fig2"].values) == Decimal("1294.48")


def test_docx_tables_fit_their_page_and_figures_are_not_broken(docx_zip):
    """The 36-row 财政拨款收入支出决算总表 is set smaller (8 pt) so that it fits one landscape page, as
    in the PDF (LibreOffice spilled two rows onto a page of their own at 9 pt); the others keep 小五;
    Word is told not to break a figure (1294.48) across lines."""
    body = docx_zip.read("word/document.xml").decode("utf-8")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", body, re.S)
    sizes = [set(re.findall(r'<w:sz w:val="(\d+)"/>', t)) for t in tables[:9]]
    assert sizes[3] == {"16"} and all(s == {"18"} for i, s in enumerate(sizes) if i != 3), sizes
    styles = docx_zip.read("word/styles.xml").decode("utf-8")
    assert re.search(r'w:styleId="Normal".*?<w:wordWrap w:val="0"/>', styles, re.S)
