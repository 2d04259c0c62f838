"""Typst markup of a Document, for the PDF renderer (:mod:`juesuan.renderers.pdf`).

Owns the printed look of the PDF: A4 with GB/T 9704 margins (top 37, bottom 35,
left 28, right 26 mm), body Noto Serif SC 3号 (16 pt, 27 characters × 22 lines a
page) with a two-character first-line indent, headings Noto Sans SC (the 黑体 of
the bundled fonts), page numbers "— n —" in the footer (not on the cover), a table
of contents with page numbers, the nine tables on their own pages (the wide ones on
landscape pages, margins turned with the page), charts as SVG images, 重点工作,
名词解释 and the 绩效自评表 forms.

Tables come from :mod:`juesuan.renderers._grid` (the same cells as Word and Excel):
every cell placed at its (x, y) with its spans, header rows repeated on every page
(``table.header``), figures right-aligned, every cell ruled (``stroke``) so that
PDF readers — ours included (:mod:`juesuan.parse.pdf`) — see the grid.

Every text goes through :func:`esc` (markup) or :func:`string` (string literal), so
no character of the data is ever read as Typst syntax.
"""

from __future__ import annotations

import re

from ..document import Chart, Document, Paragraph, Part, Section
from ..figures import fmt_cell
from ._grid import Grid, balanced, table_grid, table_heading, widened
from ._page import A4_MM, BODY_PT, FORM_PT, MARGINS_MM, TABLE_PT, TITLE_PT, cover_date
from ._toc import TocEntry, form_anchor, section_title, toc_entries
from .charts import drawn_charts

__all__ = ["typst_source", "esc", "string", "SERIF", "SANS", "SYMBOLS"]

SERIF, SANS = "Noto Serif SC", "Noto Sans SC"
SYMBOLS = "DejaVu Sans"          # ☑ and other symbols that Noto SC lacks

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")       # every ASCII punctuation character
_SPACES = re.compile(r" {2,}")
_PLACEHOLDER = re.compile(r"(【待填写[^】]*】)")


def esc(text: str) -> str:
    """Text as Typst markup that shows exactly ``text``: ASCII punctuation backslash-escaped
    (no ``#``, ``*``, ``_``, ``$``, ``=``, ``-``, ``+``, ``/``, ``//``, ``<``, ``@``, ``[`` … is
    ever markup), runs of spaces kept as spaces, line breaks as Typst line breaks."""
    lines = []
    for line in str(text).split("\n"):
        line = _PUNCT.sub(r"\\\1", line.strip(" \t\r"))
        lines.append(_SPACES.sub(lambda m: "~" * len(m.group()), line))
    return " \\\n".join(lines)


def string(text: str) -> str:
    """A Typst string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\r", "\\r").replace("\t", "\\t") + '"'


def _rich(text: str) -> str:
    """Markup for running text: 【待填写：…】 placeholders highlighted."""
    out = []
    for piece in _PLACEHOLDER.split(text):
        if not piece:
            continue
        out.append(f"#highlight(fill: rgb(\"#fff3a0\"))[{esc(piece)}]" if _PLACEHOLDER.fullmatch(piece)
                   else esc(piece))
    return "".join(out)


# --- preamble -----------------------------------------------------------------------------

def _families(fonts: dict[str, str] | None, role: str, fallback: str) -> str:
    """A Typst font list: the official font of ``role`` when found, then the bundled one, then symbols."""
    names = [f for f in ((fonts or {}).get(role), fallback, SYMBOLS) if f]
    return "(" + ", ".join(string(n) for n in names) + ")"


def _preamble(doc: Document, fonts: dict[str, str] | None = None) -> str:
    m = MARGINS_MM
    return f"""#set document(title: {string(doc.title)}, author: {string(doc.entity)})
#let serif = {_families(fonts, "body", SERIF)}
#let sans = {_families(fonts, "heading", SANS)}
#let kai = {_families(fonts, "subheading", SERIF)}
#let titlefont = {_families(fonts, "title", SERIF)}
// text wider than its place wraps into lines of about equal length, as few as at full width:
// never one character alone on a line (功能分类/科目编码, not 功能分类科目编/码)
#let bal(t) = layout(size => {{
  let w = measure(t).width
  if w <= size.width {{ t }} else {{
    let lines = measure(box(width: size.width, t)).height
    let (lo, hi) = (w / calc.ceil(w / size.width), size.width)
    for _ in range(5) {{       // the narrowest width that needs no more lines than the full width
      let mid = (lo + hi) / 2
      if measure(box(width: mid, t)).height > lines {{ lo = mid }} else {{ hi = mid }}
    }}
    box(width: hi, t)
  }}
}})
// a 目录 line: the title on one line (smaller type when it is long), dots, the page number on that line
// (a line whose mark is not in the document, which no document should have, gets no number)
#let tocline(target, level, body) = block(above: 0pt, below: 9pt, context {{
  let found = query(target)
  let num = if found.len() > 0 {{ str(counter(page).at(found.first().location()).first()) }} else {{ "" }}
  let line = layout(size => {{
    let ind = if level == 1 {{ 0pt }} else {{ 24pt }}
    let f = if level == 1 {{ sans }} else {{ serif }}
    let room = size.width - ind - measure(text(size: 12pt, num)).width - 30pt
    let w = measure(text(font: f, size: 12pt, body)).width
    let s = if w > room {{ calc.max(9pt, 12pt * (room / w)) }} else {{ 12pt }}
    grid(columns: (ind, 1fr, auto), column-gutter: 0pt, [],
      par(justify: false, first-line-indent: 0pt,
        text(size: 12pt, text(font: f, size: s, body) + box(width: 1fr, inset: (x: 3pt), repeat[.]))),
      align(bottom, text(size: 12pt, num)))
  }})
  if found.len() > 0 {{ link(found.first().location(), line) }} else {{ line }}
}})
#set page(paper: "a4", margin: (top: {m['top']}mm, bottom: {m['bottom']}mm, left: {m['left']}mm, right: {m['right']}mm),
  footer-descent: 40%,
  footer: context if here().page() > 1 {{
    align(center, text(font: serif, size: 14pt)[— #counter(page).display() —])
  }})
#set text(font: serif, size: {BODY_PT}pt, lang: "zh", region: "cn", cjk-latin-spacing: none,
  top-edge: "ascender", bottom-edge: "descender", weight: "regular")
#set par(justify: true, leading: 13pt, spacing: 13pt, first-line-indent: (amount: 2em, all: true))
#set heading(numbering: none)
#show heading: set text(font: sans, weight: "regular")
#show heading: set par(justify: false, first-line-indent: 0pt)
#show heading.where(level: 1): set par(leading: 8pt)
#show heading.where(level: 1): it => block(above: 0pt, below: 20pt, width: 100%,
  align(center, text(size: {BODY_PT + 2}pt, bal(it.body))))
#show heading.where(level: 2): set text(size: {BODY_PT}pt)
#show heading.where(level: 2): set block(above: 16pt, below: 13pt)
#show heading.where(level: 2): it => bal(it.body)
#show heading.where(level: 3): set text(font: kai, size: {BODY_PT}pt)
#show heading.where(level: 3): set block(above: 13pt, below: 13pt)
#show heading.where(level: 4): set text(font: serif, size: {BODY_PT}pt, weight: "bold")
#show table: set par(justify: false, first-line-indent: 0pt, leading: 2.5pt, spacing: 2.5pt)
#let th = luma(242)
#let cap(t) = align(center, block(above: 0pt, below: 8pt, heading(level: 2, t)))
#let meta(l, r) = block(above: 0pt, below: 4pt, text(size: 10.5pt, grid(columns: (1fr, auto), l, r)))
#let B(t) = text(font: sans, t)
// a table on one page when 7–{TABLE_PT} pt type makes it fit there, else {TABLE_PT} pt over several pages;
// the size found in two steps (smaller type wraps less: the first guess leaves room unused)
#let fit(t, reserve) = layout(size => {{
  let room = size.height - reserve
  let tall(s) = measure(text(size: s, t), width: size.width).height
  let h = tall({TABLE_PT}pt)
  if h <= room {{ return text(size: {TABLE_PT}pt, t) }}
  let k = {TABLE_PT}pt * (room / h) * 0.97
  if k < 7pt {{ return text(size: {TABLE_PT}pt, t) }}
  let k2 = calc.min({TABLE_PT}pt, k * (room / tall(k)) * 0.98)
  text(size: if k2 > k and tall(k2) <= room {{ k2 }} else {{ k }}, t)
}})
"""


# --- tables -------------------------------------------------------------------------------

_ALIGN = {"head": "center + horizon", "lanci": "center + horizon", "code": "center + horizon",
          "no": "center + horizon", "center": "center + horizon", "num": "right + horizon",
          "label": "left + horizon", "text": "left + horizon"}


def _table(g: Grid, size: float | None, reserve: int = 0) -> str:
    """A ruled Typst table of the grid: cells at their places with their spans; ``size=None``:
    the nine tables' size, made smaller to fit one page when that is enough (``reserve``: the
    height above the table, in pt). Text cells that wrap wrap into lines of equal length
    (``bal``: 功能分类/科目编码, not 功能分类科目编/码); columns hold their usual words
    (:func:`~juesuan.renderers._grid.widened`)."""
    pt = size or TABLE_PT
    inset = 2.5 if size is None else 3.0     # the nine dense tables: a little less
    width_pt = _text_mm(g.landscape)[0] / 25.4 * 72
    widths = widened(g, width_pt / pt)
    total = sum(widths) or 1
    room = [(w / total * width_pt - 2 * inset - 1.5) / pt for w in widths]   # characters on one line
    cols = ", ".join(f"{w / total * 100:.3f}fr" for w in widths) + ("," if len(widths) == 1 else "")
    head, body = [], []
    for c in sorted(g.cells, key=lambda c: (c.row, c.col)):
        text = fmt_cell(c.value) if c.kind == "num" else c.text
        shaded = c.kind in ("head", "lanci")
        if not text and not shaded and c.rowspan == 1 and c.colspan == 1:
            continue                      # an empty cell: the table fills it
        args = [f"x: {c.col}", f"y: {c.row}", f"align: {_ALIGN[c.kind]}"]
        if c.colspan > 1:
            args.append(f"colspan: {c.colspan}")
        if c.rowspan > 1:
            args.append(f"rowspan: {c.rowspan}")
        if shaded:
            args.append("fill: th")
        if c.kind != "num":     # wrapped in lines of equal length, not one character alone
            text = balanced(text, sum(room[c.col:c.col + c.colspan]) + 2 * inset / pt * (c.colspan - 1))
        content = esc(text)
        if c.bold and content:
            content = f"#B[{content}]"
        cell = f"table.cell({', '.join(args)})[{content}]"
        (head if c.row < g.header_rows else body).append(cell)
    header = f"table.header(repeat: true,\n{','.join(head)}),\n" if head else ""
    table = (f"table(columns: ({cols}), stroke: 0.5pt + black, inset: (x: {inset}pt, y: 0.2em),\n{header}"
             + ",\n".join(body) + ")")
    if size is None:       # measuring costs a second layout: only for tables that may not fit
        room = (_text_mm(g.landscape)[1] / 25.4 * 72 - reserve) * 0.8
        sized = f"fit({table}, {reserve}pt)" if g.nrows * 12.7 > room else f"text(size: {TABLE_PT}pt, {table})"
    else:
        sized = f"text(size: {size}pt, {table})"
    return f"#block(above: 0pt, below: 8pt, {sized})\n"


def _text_mm(landscape: bool) -> tuple[float, float]:
    """Width and height of the text area, in mm."""
    m = MARGINS_MM
    w, h = A4_MM[0] - m["left"] - m["right"], A4_MM[1] - m["top"] - m["bottom"]
    return (h, w) if landscape else (w, h)


def _landscape_margins() -> str:
    """GB/T margins turned with the page: the binding edge stays the same edge of the sheet."""
    m = MARGINS_MM
    return f"(top: {m['left']}mm, bottom: {m['right']}mm, left: {m['top']}mm, right: {m['bottom']}mm)"


def _mark(marks: dict[str, list[str]], anchor: str) -> str:
    """The invisible mark a 目录 line points at (its page number is this mark's page): the
    label of the next entry with this anchor (each label is placed once)."""
    labels = marks.get(anchor)
    return f"#metadata(none) <{labels.pop(0)}>\n" if labels else ""


def _nine_tables(doc: Document, part: Part, marks: dict[str, list[str]]) -> list[str]:
    out = []
    heading = _part_heading(part, marks)
    for i, t in enumerate(doc.tables or ()):
        g = table_grid(t)
        block = [heading if i == 0 else "",
                 _mark(marks, t.id),
                 f"#cap[{esc(table_heading(t))}]\n",
                 f"#meta[{esc('部门：' + (t.entity or doc.entity))}][{esc('金额单位：' + t.unit)}]\n",
                 _table(g, None, 90 if i == 0 else 45)]
        if t.note:
            block.append(f"\n{_rich(t.note)}\n\n")
        body = "".join(block)
        if g.landscape:
            out.append(f"#page(flipped: true, margin: {_landscape_margins()})[\n{body}]\n")
        else:
            out.append(("#pagebreak(weak: true)\n" if i else "") + body)
            out.append("#pagebreak(weak: true)\n")
    return out


# --- text ---------------------------------------------------------------------------------

def _para(p: Paragraph) -> str:
    return _rich(p.text) + "\n\n"


def _chart(c: Chart) -> str:
    from .charts import chart_svg
    return (f"#align(center, block(above: 6pt, below: 13pt, image(bytes({string(chart_svg(c))}), "
            f"format: \"svg\", width: 140mm, alt: {string(c.title)})))\n\n")


def _section(s: Section, depth: int, marks: dict[str, list[str]], drawn: dict[str, Chart], prefix: str = "") -> str:
    mark = _mark(marks, s.key or f"{prefix}{s.number}") if depth == 0 else ""
    out = [f"{mark}#heading(level: {min(2 + depth, 4)})[{esc(section_title(s))}]\n\n"]
    out += [_para(p) for p in s.paragraphs]
    out += [_chart(drawn[c.id]) for c in s.charts if c.id in drawn]
    out += [_section(sub, depth + 1, marks, drawn) for sub in s.subsections]
    return "".join(out)


def _part_heading(part: Part, marks: dict[str, list[str]]) -> str:
    """第X部分 over the part's title (a long title would wrap anywhere); one line in the PDF's
    bookmarks."""
    number = f"第{part.number}部分" if part.number else ""
    body = f"{esc(number)}#linebreak(){esc(part.title)}" if number else esc(part.title)
    return f"{_mark(marks, f'part-{part.key}')}#heading(level: 1)[{body}]\n\n"


def _attachments(doc: Document, marks: dict[str, list[str]]) -> list[str]:
    forms = [(f, f.heading(doc), f.grid(doc)) for f in doc.forms_in("attachments")]
    out = []
    for i, (f, title, g) in enumerate(forms, 1):
        if i > 1:
            out.append("#pagebreak(weak: true)\n")
        out.append(_mark(marks, form_anchor(f.form, i)))
        out.append(f"#cap[{esc(title)}]\n")
        out.append(_table(g, FORM_PT))
    return out


def _part_form(doc: Document, f, i: int, marks: dict[str, list[str]]) -> str:
    """A form printed in the body of a part: under its heading, on a page of its own, when it has
    one (the 预算's 绩效目标表 among its tables); else right under the text (the 重点工作 table)."""
    title = f.heading(doc)
    if not title:
        return "#v(8pt)\n" + _table(f.grid(doc), FORM_PT)
    return ("#pagebreak(weak: true)\n" + _mark(marks, form_anchor(f.form, i)) + f"#cap[{esc(title)}]\n"
            + _table(f.grid(doc), FORM_PT))


def _cover(doc: Document) -> str:
    """The title page: the title on one line (2号, 22 pt, or smaller when that is wider than
    the text width), the unit and the publication date below it (【待填写：公开日期】 when the
    document does not give it: a date is never made up)."""
    date = cover_date(doc)
    return (f"#page(footer: none)[#v(3fr)\n#let title = [{esc(doc.title)}]\n"
            f"#layout(size => {{ let w = measure(text(font: titlefont, size: {TITLE_PT}pt, title)).width\n"
            f"  align(center, text(font: titlefont,"
            f" size: calc.min({TITLE_PT}pt, {TITLE_PT}pt * (size.width / w) * 0.97), title)) }})\n"
            f"#v(5fr)\n"
            f"#align(center, par(first-line-indent: 0pt, text(font: kai, size: {BODY_PT}pt)[{esc(doc.entity)}]))\n"
            f"#v(10pt)\n"
            f"#align(center, par(first-line-indent: 0pt, text(font: kai, size: {BODY_PT}pt)[{_rich(date)}]))\n"
            f"#v(1fr)]\n")


def _toc(entries: list[TocEntry]) -> str:
    lines = "".join(f"#tocline(<toc-{i}>, {e.level}, [{esc(e.title)}])\n" for i, e in enumerate(entries))
    return ("#align(center, block(above: 0pt, below: 24pt, text(font: sans, size: 18pt)[目#h(1em)录]))\n"
            + lines + "#pagebreak(weak: true)\n")


def _marks(entries: list[TocEntry]) -> dict[str, list[str]]:
    """The Typst labels of the 目录 entries by anchor (anchors are any text; labels are not),
    in the document's order: ``toc-N`` for entry N."""
    out: dict[str, list[str]] = {}
    for i, e in enumerate(entries):
        out.setdefault(e.anchor, []).append(f"toc-{i}")
    return out


def typst_source(doc: Document, fonts: dict[str, str] | None = None) -> str:
    """The Typst markup of ``doc``; ``fonts``: role → the family of an official font found on
    this machine (:func:`juesuan.fonts.official_fonts`), the bundled Noto fonts for the rest."""
    entries = toc_entries(doc)
    marks = _marks(entries)
    drawn = drawn_charts(doc)
    out = [_preamble(doc, fonts), _cover(doc), _toc(entries)]
    for part in doc.parts:
        out.append("#pagebreak(weak: true)\n")
        if part.key == "tables" and doc.tables is not None:
            out += _nine_tables(doc, part, marks)
        else:
            out.append(_part_heading(part, marks))
        out += [_para(p) for p in part.paragraphs]
        out += [_section(s, 0, marks, drawn, f"{part.key}.") for s in part.sections]
        if part.key != "attachments":
            out += [_part_form(doc, f, i, marks) for i, f in enumerate(doc.forms_in(part.key), 1)]
        else:
            out += _attachments(doc, marks)
    return "".join(out)
