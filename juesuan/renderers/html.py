"""One self-contained HTML file for a Document (styles inline, no external assets)."""

from __future__ import annotations

from html import escape
from importlib import resources
from pathlib import Path

from ..document import Document, Part, Section
from .tables_html import table_html

__all__ = ["render_html", "write_html"]

_CN = "一二三四五六七八九十"


def _e(s: object) -> str:
    return escape(str(s), quote=True)


def _section(s: Section, depth: int) -> str:
    tag = "h3" if depth == 0 else "h4"
    num = s.number if s.number.startswith("（") else f"{s.number}、"
    out = [f'<{tag} id="{_e(s.key)}">{_e(num + s.title)}</{tag}>']
    items = [p for p in s.paragraphs if p.kind == "item"]
    if items and len(items) == len(s.paragraphs):
        out.append("<ol class='items'>" + "".join(f"<li>{_e(p.text)}</li>" for p in items) + "</ol>")
    else:
        for p in s.paragraphs:
            out.append(f"<p>{_e(p.text)}</p>")
    for sub in s.subsections:
        out.append(_section(sub, depth + 1))
    return "".join(out)


def _part(doc: Document, part: Part) -> str:
    out = [f'<h2 id="part-{part.key}">第{part.number}部分 {_e(part.title)}</h2>']
    for p in part.paragraphs:
        out.append(f"<p>{_e(p.text)}</p>")
    if part.key == "tables" and doc.tables is not None:
        for t in doc.tables:
            out.append(table_html(t))
    for s in part.sections:
        out.append(_section(s, 0))
    return "".join(out)


def render_html(doc: Document) -> str:
    css = (resources.files(__package__) / "style.css").read_text(encoding="utf-8")
    toc = ['<nav class="toc"><h2 id="toc">目录</h2><ol>']
    for part in doc.parts:
        toc.append(f'<li><a href="#part-{part.key}">第{part.number}部分 {_e(part.title)}</a>')
        if part.key == "tables" and doc.tables is not None:
            toc.append("<ol>" + "".join(f'<li><a href="#{t.id}">{_CN[i]}、{_e(t.title)}</a></li>'
                                        for i, t in enumerate(doc.tables)) + "</ol>")
        elif part.sections:
            toc.append("<ol>" + "".join(f'<li><a href="#{_e(s.key)}">{_e(s.number)}、{_e(s.title)}</a></li>'
                                        for s in part.sections) + "</ol>")
        toc.append("</li>")
    toc.append("</ol></nav>")
    body = [f"<h1>{_e(doc.title)}</h1>", "".join(toc)]
    body += [_part(doc, p) for p in doc.parts]
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(doc.title)}</title><style>{css}</style></head><body>"
            + "".join(body) + "</body></html>\n")


def write_html(doc: Document, path: Path) -> None:
    path.write_text(render_html(doc), encoding="utf-8")
