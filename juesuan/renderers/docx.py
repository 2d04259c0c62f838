"""Word (DOCX) rendering of a Document, after the conventions of GB/T 9704 (党政机关公文格式).

Owns the Word look: A4 with margins 37/35/28/26 mm (top/bottom/left/right); title
方正小标宋简体 2号 (22 pt); headings 黑体 (第X部分), 楷体_GB2312 (一、), 仿宋_GB2312 bold
(（一）); body 仿宋_GB2312 3号 (16 pt) with a two-character first-line indent and 28 pt
line spacing; page numbers in the footer (a PAGE field, 宋体 4号 "— 1 —").

Word uses ``w:eastAsia`` of a run's ``w:rFonts`` for Chinese characters;
``font.name`` alone sets only the Latin fonts, so every run (and every style) gets
all three attributes here.

Tables are real Word tables written as WordprocessingML directly (python-docx's
cell API is quadratic in the table size): merged header cells (``gridSpan`` /
``vMerge``), header rows repeated on every page (``w:tblHeader``), figures
right-aligned. Cells come from :mod:`juesuan.renderers._grid`, i.e. from the table
layouts. Wide tables sit in landscape sections (margins turned with the page); charts are pictures: the chart's
SVG rasterised by :mod:`juesuan.renderers._svgpng` (matplotlib's ``chart_png`` as a
fallback; no charts if the charts module is missing).
"""

from __future__ import annotations

import io
import re
from datetime import UTC
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from ..document import Chart, Document, Part, Section
from ..figures import fmt_cell
from ._grid import Grid, balanced, table_grid, table_heading, widened
from ._page import A4_MM, BODY_PT, FORM_PT, MARGINS_MM, TABLE_PT, TITLE_PT, cover_date
from ._toc import TocEntry, form_anchor, part_title, section_title, toc_entries

__all__ = ["write_docx", "FONTS", "PAGE_MARGINS_MM"]

# GB/T 9704 fonts (Windows names, as installed with the official font packs).
FONTS = {
    "title": "方正小标宋简体",
    "heading1": "黑体",
    "heading2": "楷体_GB2312",
    "body": "仿宋_GB2312",
    "page_number": "宋体",
}
LATIN = "Times New Roman"
PAGE_MARGINS_MM = MARGINS_MM
_PLACEHOLDER = re.compile(r"(【待填写[^】]*】)")


# --- fonts --------------------------------------------------------------------------------

def _set_rfonts(rpr, east: str, latin: str = LATIN) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east)
    rfonts.set(qn("w:cs"), latin)


def _run(p, text: str, font: str = FONTS["body"], size: float | None = None, bold: bool | None = None):
    r = p.add_run(text)
    _set_rfonts(r._element.get_or_add_rPr(), font)  # noqa: SLF001 - python-docx has no public API for the East Asian font
    if size is not None:
        r.font.size = Pt(size)
    if bold is not None:
        r.font.bold = bold
    return r


def _style(doc, name: str, font: str, size: float, bold: bool = False, center: bool = False,
           before: float = 0, after: float = 0):
    st = doc.styles[name]
    st.font.name = LATIN
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.italic = False
    st.font.color.rgb = None
    _set_rfonts(st.element.get_or_add_rPr(), font)
    color = st.element.rPr.find(qn("w:color"))
    if color is not None:
        st.element.rPr.remove(color)
    pf = st.paragraph_format
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    pf.line_spacing = Pt(28)
    pf.first_line_indent = None
    if center:
        pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return st


def _setup_styles(doc) -> None:
    _style(doc, "Normal", FONTS["body"], BODY_PT)
    _style(doc, "Title", FONTS["title"], TITLE_PT, center=True, before=12, after=24)
    _style(doc, "Heading 1", FONTS["heading1"], BODY_PT, center=True, before=12, after=12)
    _style(doc, "Heading 2", FONTS["heading1"], BODY_PT, before=6)
    _style(doc, "Heading 3", FONTS["heading2"], BODY_PT)
    _style(doc, "Heading 4", FONTS["body"], BODY_PT, bold=True)
    _style(doc, "Caption", FONTS["body"], 12, center=True, after=6)
    title = doc.styles["Title"].element
    ppr = title.get_or_add_pPr()
    for b in ppr.findall(qn("w:pBdr")):    # the default template underlines its Title
        ppr.remove(b)
    doc.styles["Normal"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    # 不允许西文在单词中间换行: a figure (1294.48万元) is never broken across two lines
    normal = doc.styles["Normal"].element.get_or_add_pPr()
    normal.append(parse_xml(f'<w:wordWrap {nsdecls("w")} w:val="0"/>'))


# --- page setup ---------------------------------------------------------------------------

def _margins(landscape: bool) -> dict[str, float]:
    """GB/T 9704 margins; a landscape page is the portrait page turned, so are its margins
    (the binding edge stays the same physical edge of the sheet)."""
    m = PAGE_MARGINS_MM
    if not landscape:
        return dict(m)
    return {"top": m["left"], "bottom": m["right"], "left": m["top"], "right": m["bottom"]}


def _page(section, landscape: bool) -> None:
    w, h = A4_MM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(h), Mm(w)) if landscape else (Mm(w), Mm(h))
    for side, mm in _margins(landscape).items():
        setattr(section, f"{side}_margin", Mm(mm))
    section.footer_distance = Mm(15 if landscape else 20)


def _text_width_mm(landscape: bool) -> float:
    w, h = A4_MM
    m = _margins(landscape)
    return (h if landscape else w) - m["left"] - m["right"]


class _Pages:
    """Orientation of the section being written; a change starts a new section (and page)."""

    def __init__(self, doc):
        self.doc, self.landscape = doc, False

    def start(self, landscape: bool) -> bool:
        """Be in a section of this orientation; True if that started a new page."""
        if landscape == self.landscape:
            return False
        _page(self.doc.add_section(WD_SECTION.NEW_PAGE), landscape)
        self.landscape = landscape
        return True


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font, size = FONTS["page_number"], 14
    _run(p, "— ", font, size)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        r = _run(p, "", font, size)
        if kind == "instr":
            el = r._element.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})  # noqa: SLF001 - python-docx has no public API for field codes
            el.text = text
            r._element.append(el)  # noqa: SLF001 - python-docx has no public API for field codes
        elif kind == "text":
            r.text = text
        else:
            r._element.append(r._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))  # noqa: SLF001 - python-docx has no public API for field codes
    _run(p, " —", font, size)


# --- text ---------------------------------------------------------------------------------

def _body(doc, text: str, indent: bool = True, align=None, font: str = FONTS["body"]):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    if align is not None:
        p.alignment = align
    for piece in _PLACEHOLDER.split(text):
        if not piece:
            continue
        r = _run(p, piece, font)
        if _PLACEHOLDER.fullmatch(piece):
            r.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def _styled(doc, style_id: str):
    """A paragraph in a style of the default template, by style id (python-docx's lookup by
    name scans the styles part for every paragraph)."""
    p = doc.add_paragraph()
    p._p.style = style_id  # noqa: SLF001 - python-docx has no public API to set a style by id
    return p


def _heading(doc, text: str, level: int, page_break: bool = False):
    p = _styled(doc, f"Heading{level}")
    font = {1: FONTS["heading1"], 2: FONTS["heading1"], 3: FONTS["heading2"]}.get(level, FONTS["body"])
    _run(p, text, font)
    if page_break:
        p.paragraph_format.page_break_before = True
    return p


def _chart_drawer():
    """chart → PNG bytes: the chart's SVG rasterised (fast, same look as HTML/PDF), else
    matplotlib's ``chart_png``; ``None`` when the charts module is not there."""
    try:
        from . import charts
    except ImportError:     # the charts module is optional
        return None
    from ._svgpng import svg_png

    def draw(chart: Chart) -> bytes | None:
        png = svg_png(charts.chart_svg(chart)) if hasattr(charts, "chart_svg") else None
        if png is None and hasattr(charts, "chart_png"):
            png = charts.chart_png(chart)
        return png
    return draw


def _charts(doc, charts: list[Chart]) -> None:
    draw = _chart_drawer() if charts else None
    if draw is None:
        return
    for c in charts:
        png = draw(c)
        if png is None:
            continue
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = 1.0
        r = _run(p, "")
        r.add_picture(io.BytesIO(png), width=Mm(140))   # the picture carries its title (图1：…)


def _drawn(d: Document) -> dict[str, Chart]:
    try:
        from .charts import drawn_charts
    except ImportError:     # the charts module is optional
        return {}
    return drawn_charts(d)


def _section(doc, s: Section, depth: int, drawn: dict[str, Chart]) -> None:
    _heading(doc, section_title(s), min(2 + depth, 4))
    for para in s.paragraphs:
        _body(doc, para.text)
    _charts(doc, [drawn[c.id] for c in s.charts if c.id in drawn])
    for sub in s.subsections:
        _section(doc, sub, depth + 1, drawn)


# --- tables -------------------------------------------------------------------------------

_JC = {"head": "center", "lanci": "center", "code": "center", "no": "center", "center": "center",
       "num": "right", "label": "left", "text": "left"}


def _runs_xml(text: str, font: str, size: float, bold: bool) -> str:
    half = int(round(size * 2))
    rpr = (f'<w:rPr><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{font}" w:cs="{LATIN}"/>'
           + ("<w:b/>" if bold else "") + f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>')
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        br = "<w:br/>" if i else ""
        out.append(f'<w:r>{rpr}{br}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    return "".join(out)


def _columns_tw(g: Grid, width_mm: float, size: float) -> list[int]:
    total_tw = int(width_mm / 25.4 * 1440)
    widths = widened(g, width_mm / 25.4 * 72 / size)
    scale = total_tw / sum(widths)
    return [int(w * scale) for w in widths]


def _height_pt(g: Grid, width_mm: float, size: float) -> float:
    """The table's height at ``size``: its rows' lines (text balanced into its cell's width, as
    :func:`_table_xml` writes it) at the exact line height."""
    col_tw = _columns_tw(g, width_mm, size)
    lines = [1] * g.nrows
    for c in g.cells:
        if c.kind == "num" or not c.text:
            continue
        tw = sum(col_tw[c.col:c.col + c.colspan])
        n = balanced(c.text, (tw / 20 - 2 * 57 / 20 - 1.5) / size).count("\n") + 1
        per_row = -(-n // c.rowspan)
        for r in range(c.row, c.row + c.rowspan):
            lines[r] = max(lines[r], per_row)
    return sum(lines) * size * 1.1 + g.nrows * 0.75     # and each row's rule


def fitting_size(g: Grid, landscape: bool, size: float, room_pt: float) -> float:
    """``size``, or smaller in half points down to 7.5 pt, so that the table fits ``room_pt`` of
    page height (a 36-row 财政拨款收入支出决算总表 on one landscape page, as the PDF has it)."""
    width = _text_width_mm(landscape)
    s = size
    while s > 7.5 and _height_pt(g, width, s) > room_pt:
        s -= 0.5
    return s


def _table_xml(g: Grid, width_mm: float, size: float) -> str:
    total_tw = int(width_mm / 25.4 * 1440)
    col_tw = _columns_tw(g, width_mm, size)
    anchors = {(c.row, c.col): c for c in g.cells}
    covered: dict[tuple[int, int], object] = {}     # (row, col) → anchor cell for rows below it
    for c in g.cells:
        for r in range(c.row + 1, c.row + c.rowspan):
            covered[(r, c.col)] = c
    border = ''.join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    x = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{total_tw}" w:type="dxa"/><w:jc w:val="center"/>'
         f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
         '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
         '</w:tblPr><w:tblGrid>']
    x += [f'<w:gridCol w:w="{w}"/>' for w in col_tw]
    x.append("</w:tblGrid>")
    font = FONTS["body"]
    # exact line height (twips): rows as compact as the printed tables, whatever font Word
    # substitutes; 1.1 × the font size lets the 36-row two-sided tables fit one landscape page
    line = round(size * 1.1 * 20)
    for r in range(g.nrows):
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if r < g.header_rows else "")
        x.append(f"<w:tr><w:trPr>{trpr}</w:trPr>")
        col = 0
        while col < g.ncols:
            cell = anchors.get((r, col))
            above = covered.get((r, col))
            span = cell.colspan if cell else (above.colspan if above else 1)
            tw = sum(col_tw[col:col + span])
            tcpr = f'<w:tcW w:w="{tw}" w:type="dxa"/>'
            if span > 1:
                tcpr += f'<w:gridSpan w:val="{span}"/>'
            if cell is not None and cell.rowspan > 1:
                tcpr += '<w:vMerge w:val="restart"/>'
            elif above is not None:
                tcpr += "<w:vMerge/>"
            kind = cell.kind if cell else (above.kind if above else "text")
            if kind in ("head", "lanci"):
                tcpr += '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>'
            tcpr += '<w:vAlign w:val="center"/>'
            runs = ""
            if cell is not None:
                text = fmt_cell(cell.value) if cell.kind == "num" else cell.text
                if cell.kind != "num":     # in lines of equal length: no character alone on a line
                    text = balanced(text, (tw / 20 - 2 * 57 / 20 - 1.5) / size)
                if text:
                    runs = _runs_xml(text, font, size, cell.bold)
            ppr = (f'<w:pPr><w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>'
                   f'<w:ind w:firstLine="0"/><w:jc w:val="{_JC[kind]}"/></w:pPr>')
            x.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p>{ppr}{runs}</w:p></w:tc>")
            col += span
        x.append("</w:tr>")
    x.append("</w:tbl>")
    return "".join(x)


def _add_table(doc, g: Grid, landscape: bool, size: float) -> None:
    tbl = parse_xml(_table_xml(g, _text_width_mm(landscape), size))
    doc.element.body.append(tbl)
    # keep the section properties last in the body
    sect = doc.element.body.find(qn("w:sectPr"))
    if sect is not None:
        doc.element.body.append(sect)


def _table_caption(doc, title: str, page_break: bool, toc: TocEntry | None = None,
                   landscape: bool = False) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.keep_with_next = True
    if page_break:
        p.paragraph_format.page_break_before = True
    if toc is not None:
        _tc(p, toc.title, toc.level)
    _run(p, balanced(title, _text_width_mm(landscape) / 25.4 * 72 / 16 - 0.5), FONTS["heading1"], 16)


def _table_meta(doc, left: str, right: str, landscape: bool) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.line_spacing = 1.0
    p.paragraph_format.tab_stops.add_tab_stop(Mm(_text_width_mm(landscape)), WD_TAB_ALIGNMENT.RIGHT)
    _run(p, f"{left}\t{right}", FONTS["body"], 10.5)


def _nine_tables(doc, d: Document, pages: _Pages, part: Part, toc: dict[str, TocEntry]) -> None:
    """第二部分: each table on its own page(s), landscape when its grid is wide; the part
    heading goes on the first table's page."""
    grids = [(t, table_grid(t)) for t in d.tables or ()]
    new = pages.start(grids[0][1].landscape if grids else False)
    _heading(doc, _part_title(part), 1, page_break=not new)
    for i, (t, g) in enumerate(grids):
        new = pages.start(g.landscape)
        _table_caption(doc, table_heading(t), page_break=i > 0 and not new, toc=toc.get(t.id),
                       landscape=g.landscape)
        _table_meta(doc, f"部门：{t.entity or d.entity}", f"金额单位：{t.unit}", g.landscape)
        _add_table(doc, g, g.landscape, fitting_size(g, g.landscape, TABLE_PT, _room_pt(g.landscape, i == 0)))
        if t.note:
            _body(doc, t.note)


def _room_pt(landscape: bool, with_part_heading: bool) -> float:
    """Page height left for a table under its caption and its 部门/单位 line (and the part's
    heading on the first table's page), with a line to spare for what Word rounds."""
    w, h = A4_MM
    m = _margins(landscape)
    usable = ((w if landscape else h) - m["top"] - m["bottom"]) / 25.4 * 72
    return usable - (28 + 6) - 16 * 1.2 - (28 * 1.5 if with_part_heading else 0) - 20


def _attachments(doc, d: Document, toc: dict[str, TocEntry]) -> None:
    forms = [(f, f.heading(d), f.grid(d)) for f in d.forms_in("attachments")]
    for i, (f, title, g) in enumerate(forms):
        _table_caption(doc, title, page_break=i > 0, toc=toc.get(form_anchor(f.form, i + 1)))
        _add_table(doc, g, False, FORM_PT)


# --- the document -------------------------------------------------------------------------

def _part_title(part: Part) -> str:
    return part_title(part)


TOC_FIELD = 'TOC \\o "1-2" \\h \\z \\u \\l "1-2"'


def _field_runs(p, instr: str, font: str = FONTS["body"]):
    """A complex field (fldChar begin / instrText / separate) opened in paragraph ``p``; the
    caller writes the field's shown result after it and closes it with :func:`_field_end`."""
    for kind in ("begin", "instr", "separate"):
        r = _run(p, "", font)
        el = r._element  # noqa: SLF001 - python-docx has no public API for field codes
        if kind == "instr":
            t = el.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            t.text = f" {instr} "
            el.append(t)
        else:
            el.append(el.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))


def _field_end(p, font: str = FONTS["body"]) -> None:
    r = _run(p, "", font)
    r._element.append(r._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "end"}))  # noqa: SLF001 - python-docx has no public API for field codes


def _toc_entry(doc, e: TocEntry, width_mm: float):
    p = doc.add_paragraph()
    pf = p.paragraph_format
    pf.first_line_indent = None
    pf.left_indent = Pt(0 if e.level == 1 else 24)
    pf.line_spacing = Pt(24)
    pf.tab_stops.add_tab_stop(Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return p


def _toc(doc, d: Document) -> None:
    """目录 on its own page: a real Word TOC field (update it in Word: the page numbers) whose
    shown result is filled in already with the entries of :func:`~._toc.toc_entries` — the same
    titles as the HTML and the PDF —, so it reads right before any update. The field collects
    the headings of levels 1–2 and the TC fields that give the tables and forms their 目录
    titles (\\l "1-2")."""
    p = doc.add_paragraph()        # not a heading: the updated 目录 would list itself
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.page_break_before = True
    p.paragraph_format.space_after = Pt(12)
    _run(p, "目　录", FONTS["heading1"], BODY_PT + 2)
    entries = toc_entries(d)
    width = _text_width_mm(False)
    for i, e in enumerate(entries):
        p = _toc_entry(doc, e, width)
        if i == 0:
            _field_runs(p, TOC_FIELD)
        _run(p, e.title, FONTS["heading1"] if e.level == 1 else FONTS["body"], 14 if e.level == 1 else 12)
        if i == len(entries) - 1:
            _field_end(p)
    if not entries:
        p = doc.add_paragraph()
        _field_runs(p, TOC_FIELD)
        _field_end(p)


def _tc(p, title: str, level: int) -> None:
    """A TC field in paragraph ``p``: the 目录 entry ``title`` at ``level`` (shows nothing)."""
    _field_runs(p, f'TC "{title.replace(chr(34), chr(39))}" \\l {level}')
    _field_end(p)


def _cover(doc, d: Document) -> None:
    """The title page: the title, the unit and the publication date (【待填写：公开日期】 when
    the document does not give it), then a page break."""
    for _ in range(6):
        doc.add_paragraph()
    title = _styled(doc, "Title")      # two lines of equal length rather than one character alone
    _run(title, balanced(d.title, _text_width_mm(False) / 25.4 * 72 / TITLE_PT - 0.5), FONTS["title"], TITLE_PT)
    for _ in range(8):
        doc.add_paragraph()
    _body(doc, d.entity, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=FONTS["heading2"])
    date = cover_date(d)
    _body(doc, date, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=FONTS["heading2"])


def _core_properties(doc, d: Document) -> None:
    """Title, the unit as author, zh-CN, created and modified now (not the template's 2013 and
    "python-docx")."""
    from datetime import datetime
    now = datetime.now(UTC).replace(microsecond=0)
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by, cp.language = d.title, d.entity, d.entity, "zh-CN"
    cp.subject = d.title
    cp.comments = cp.keywords = cp.category = ""
    cp.created = cp.modified = now
    cp.revision = 1


def _language(doc) -> None:
    """zh-CN as the language of the whole document (docDefaults and Normal), so that Word
    proofs and breaks lines as Chinese; and the TOC field updated when Word opens the file."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = [doc.styles["Normal"].element.get_or_add_rPr()]
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is not None:
                targets.append(rpr)
    for rpr in targets:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = rpr.makeelement(qn("w:lang"), {})
            rpr.append(lang)
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
        lang.set(qn("w:bidi"), "ar-SA")
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        settings.append(settings.makeelement(qn("w:updateFields"), {qn("w:val"): "true"}))


def build_docx(d: Document):
    doc = new_document()
    _setup_styles(doc)
    _page(doc.sections[0], landscape=False)
    _page_number_footer(doc.sections[0])
    _core_properties(doc, d)
    _language(doc)
    _cover(doc, d)
    _toc(doc, d)
    pages = _Pages(doc)
    toc = {e.anchor: e for e in toc_entries(d) if e.level > 1}
    drawn = _drawn(d)
    for part in d.parts:
        if part.key == "tables":
            _nine_tables(doc, d, pages, part, toc)
        else:
            new = pages.start(False)
            _heading(doc, _part_title(part), 1, page_break=not new)
        for para in part.paragraphs:
            _body(doc, para.text)
        for s in part.sections:
            _section(doc, s, 0, drawn)
        if part.key != "attachments":
            for i, f in enumerate(d.forms_in(part.key), 1):
                if title := f.heading(d):     # a form with a heading (the 预算's 绩效目标表): a page of its own
                    pages.start(False)
                    _table_caption(doc, title, page_break=True, toc=toc.get(form_anchor(f.form, i)))
                _add_table(doc, f.grid(d), False, FORM_PT)
        else:
            _attachments(doc, d, toc)
    return doc


def write_docx(doc: Document, path: Path) -> None:
    build_docx(doc).save(str(path))
