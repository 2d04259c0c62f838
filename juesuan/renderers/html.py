"""One self-contained HTML file for a Document (styles inline, charts as inline SVG, no
external assets).

Owns the HTML layout of every part: table of contents with anchors, the tables
(via :mod:`.tables_html`), sections with their charts, 名词解释, and the forms a document
kind attaches (the 决算's 重点工作 table and 绩效自评表) drawn from their grids as real
tables, as every other renderer draws them. 【待填写：…】 placeholders are highlighted (class
``placeholder``) so that nobody publishes them by mistake.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..document import Chart, Document, Form, Paragraph, Part, Section
from ._page import cover_date
from ._toc import form_anchor, part_title, section_title, toc_entries
from .charts import chart_svg, drawn_charts
from .tables_html import grid_html, table_html
from .tables_html import text_html as _text

__all__ = ["render_html", "write_html"]


def _e(s: object) -> str:
    return escape(str(s), quote=True)


def _para(p: Paragraph) -> str:
    cls = {"item": ' class="item"', "placeholder": ' class="placeholder"'}.get(p.kind, "")
    return f"<p{cls}>{_text(p.text)}</p>"


def _section_heading(s: Section) -> str:
    return section_title(s)


def _section(s: Section, depth: int, anchor_prefix: str = "", drawn: dict[str, Chart] | None = None) -> str:
    tag = "h3" if depth == 0 else "h4"
    sid = s.key or f"{anchor_prefix}{s.number}"
    out = [f'<section class="sec"><{tag} id="{_e(sid)}">{_e(_section_heading(s))}</{tag}>']
    out += [_para(p) for p in s.paragraphs]
    for ch in (drawn[c.id] for c in s.charts if drawn is not None and c.id in drawn):
        out.append(f'<figure class="chart" id="{_e(ch.id)}" aria-label="{_e(ch.title)}">{chart_svg(ch)}</figure>')
    out += [_section(sub, depth + 1, sid + ".", drawn) for sub in s.subsections]
    out.append("</section>")
    return "".join(out)


# ---- forms (附件, the 重点工作 table) ------------------------------------------------------

def _form_anchor(f: Form, n: int) -> str:
    return form_anchor(f.form, n)


def _form(doc: Document, f: Form, n: int) -> str:
    heading = f.heading(doc)
    head = f'<h3 class="table-title" id="{_e(_form_anchor(f, n))}">{_e(heading)}</h3>' if heading else ""
    return head + grid_html(f.grid(doc), f"perf form {_e(f.form)}")


# ---- parts -----------------------------------------------------------------------------

def _part(doc: Document, part: Part, drawn: dict[str, Chart]) -> str:
    out = [f'<section class="part" id="part-{_e(part.key)}">',
           f"<h2>{_e(part_title(part))}</h2>"]
    if part.key == "glossary":
        out.append('<div class="glossary">' + "".join(_para(p) for p in part.paragraphs) + "</div>")
    else:
        out += [_para(p) for p in part.paragraphs]
    if part.key == "tables" and doc.tables is not None:
        out += [table_html(t) for t in doc.tables]
    out += [_section(s, 0, f"{part.key}.", drawn) for s in part.sections]
    out += [_form(doc, f, i) for i, f in enumerate(doc.forms_in(part.key), 1)]
    out.append("</section>")
    return "".join(out)


def _toc(doc: Document) -> str:
    toc = ['<nav class="toc"><h2 id="toc">目　录</h2><ol>']
    entries = toc_entries(doc)
    for i, e in enumerate(entries):
        if e.level != 1:
            continue
        toc.append(f'<li><a href="#{_e(e.anchor)}">{_e(e.title)}</a>')
        subs = []
        for sub in entries[i + 1:]:
            if sub.level == 1:
                break
            subs.append(f'<li><a href="#{_e(sub.anchor)}">{_e(sub.title)}</a></li>')
        if subs:
            toc.append("<ol>" + "".join(subs) + "</ol>")
        toc.append("</li>")
    toc.append("</ol></nav>")
    return "".join(toc)


def render_html(doc: Document) -> str:
    css = (Path(__file__).parent / "style.css").read_text(encoding="utf-8")
    date = cover_date(doc)
    date_html = _e(date) if doc.published else f'<mark class="placeholder">{_e(date)}</mark>'
    body = [f'<header><h1>{_e(doc.title)}</h1><p class="cover">{_e(doc.entity or "")}　{date_html}</p></header>']
    if doc.placeholders:
        body.append(f'<aside class="placeholder-note no-print">本文档还有 {len(doc.placeholder_places())} 处'
                    f'<mark class="placeholder">【待填写】</mark>内容，请补充后再公开。</aside>')
    body.append(_toc(doc))
    drawn = drawn_charts(doc)
    body += [_part(doc, p, drawn) for p in doc.parts]
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(doc.title)}</title><style>{css}</style></head><body>"
            + "".join(body) + "</body></html>\n")


def write_html(doc: Document, path: Path) -> None:
    path.write_text(render_html(doc), encoding="utf-8")
