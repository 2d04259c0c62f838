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
from ._grid import Grid, table_grid, table_heading
from ._page import A4_MM, BODY_PT, FORM_PT, MARGINS_MM, TABLE_PT, TITLE_PT

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

def _preamble(doc: Document) -> str:
    m = MARGINS_MM
    return f"""#set document(title: {string(doc.title)}, author: {string(doc.entity)})
#let serif = ({string(SERIF)}, {string(SYMBOLS)})
#let sans = ({string(SANS)}, {string(SYMBOLS)})
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
#show heading.where(level: 1): it => block(above: 0pt, below: 20pt, width: 100%,
  align(center, par(leading: 8pt, text(size: {BODY_PT + 2}pt, it.body))))
#show heading.where(level: 2): set text(size: {BODY_PT}pt)
#show heading.where(level: 2): set block(above: 16pt, below: 13pt)
#show heading.where(level: 3): set text(font: serif, size: {BODY_PT}pt)
#show heading.where(level: 3): set block(above: 13pt, below: 13pt)
#show heading.where(level: 4): set text(font: serif, size: {BODY_PT}pt)
#show table: set par(justify: false, first-line-indent: 0pt, leading: 2.5pt, spacing: 2.5pt)
#show outline.entry: set text(size: 12pt)
#show outline.entry.where(level: 1): set text(font: sans)
#show outline: it => {{ show linebreak: h(1em); it }}
#show outline.entry: it => link(it.element.location(), it.indented(none,
  [#it.body()#box(width: 1fr, inset: (x: 3pt), it.fill)#it.page()]))
#let th = luma(242)
#let cap(t) = align(center, block(above: 0pt, below: 8pt, heading(level: 2, t)))
#let meta(l, r) = block(above: 0pt, below: 4pt, text(size: 10.5pt, grid(columns: (1fr, auto), l, r)))
#let B(t) = text(font: sans, t)
// a table on one page when 7.5–{TABLE_PT} pt type makes it fit there, else {TABLE_PT} pt over several pages
#let fit(t, reserve) = layout(size => {{
  let room = size.height - reserve
  let h = measure(text(size: {TABLE_PT}pt, t), width: size.width).height
  let k = {TABLE_PT}pt * (room / h) * 0.97
  text(size: if h <= room {{ {TABLE_PT}pt }} else if k >= 7.5pt {{ k }} else {{ {TABLE_PT}pt }}, t)
}})
"""


# --- tables -------------------------------------------------------------------------------

_ALIGN = {"head": "center + horizon", "lanci": "center + horizon", "code": "center + horizon",
          "no": "center + horizon", "center": "center + horizon", "num": "right + horizon",
          "label": "left + horizon", "text": "left + horizon"}


def _table(g: Grid, size: float | None, reserve: int = 0) -> str:
    """A ruled Typst table of the grid: cells at their places with their spans; ``size=None``:
    the nine tables' size, made smaller to fit one page when that is enough (``reserve``: the
    height above the table, in pt)."""
    total = sum(g.widths) or 1
    cols = ", ".join(f"{w / total * 100:.3f}fr" for w in g.widths) + ("," if len(g.widths) == 1 else "")
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
        content = esc(text)
        if c.bold and content:
            content = f"#B[{content}]"
        cell = f"table.cell({', '.join(args)})[{content}]"
        (head if c.row < g.header_rows else body).append(cell)
    header = f"table.header(repeat: true,\n{','.join(head)}),\n" if head else ""
    table = (f"table(columns: ({cols}), stroke: 0.5pt + black, inset: (x: 2pt, y: 1.6pt),\n{header}"
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


def _nine_tables(doc: Document, part: Part) -> list[str]:
    out = []
    heading = _part_heading(part)
    for i, t in enumerate(doc.tables or ()):
        g = table_grid(t)
        block = [heading if i == 0 else "",
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


def _section(s: Section, depth: int) -> str:
    num = s.number if s.number.startswith("（") or not s.number else f"{s.number}、"
    out = [f"#heading(level: {min(2 + depth, 4)})[{esc(num + s.title)}]\n\n"]
    out += [_para(p) for p in s.paragraphs]
    out += [_chart(c) for c in s.charts]
    out += [_section(sub, depth + 1) for sub in s.subsections]
    return "".join(out)


def _part_heading(part: Part) -> str:
    """第X部分 over the part's title (a long title would wrap anywhere); one line in the outline."""
    return f"#heading(level: 1)[{esc(f'第{part.number}部分')}#linebreak(){esc(part.title)}]\n\n"


def _attachments(doc: Document) -> list[str]:
    forms = [(f.heading(doc), f.grid(doc)) for f in doc.forms_in("attachments")]
    out = []
    for i, (title, g) in enumerate(forms):
        if i:
            out.append("#pagebreak(weak: true)\n")
        out.append(f"#cap[{esc(title)}]\n")
        out.append(_table(g, FORM_PT))
    return out


def _cover(doc: Document) -> str:
    # the title on one line: 2号 (22 pt), or smaller when that is wider than the text width
    return (f"#page(footer: none)[#v(3fr)\n#let title = [{esc(doc.title)}]\n"
            f"#layout(size => {{ let w = measure(text(font: serif, size: {TITLE_PT}pt, title)).width\n"
            f"  align(center, text(font: serif, size: calc.min({TITLE_PT}pt, {TITLE_PT}pt * (size.width / w) * 0.97),"
            f" title)) }})\n"
            f"#v(5fr)]\n")


def _toc() -> str:
    return ("#outline(title: align(center, text(font: sans, size: 18pt)[目#h(1em)录]), depth: 2, "
            "indent: 2em)\n#pagebreak(weak: true)\n")


def typst_source(doc: Document) -> str:
    out = [_preamble(doc), _cover(doc), _toc()]
    for part in doc.parts:
        out.append("#pagebreak(weak: true)\n")
        if part.key == "tables" and doc.tables is not None:
            out += _nine_tables(doc, part)
        else:
            out.append(_part_heading(part))
        out += [_para(p) for p in part.paragraphs]
        out += [_section(s, 0) for s in part.sections]
        if part.key != "attachments":
            out += ["#v(8pt)\n" + _table(f.grid(doc), FORM_PT) for f in doc.forms_in(part.key)]
        else:
            out += _attachments(doc)
    return "".join(out)
