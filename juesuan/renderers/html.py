"""One self-contained HTML file for a disclosure (styles inline, no external assets)."""

from __future__ import annotations

from html import escape
from importlib import resources

from ..model import Disclosure
from ..tables.table import TableSet
from .tables_html import table_html

__all__ = ["render_html"]

_CN = "一二三四五六七八九十"


def _e(s: object) -> str:
    return escape(str(s), quote=True)


def _profile(d: Disclosure) -> str:
    name = d.entity.name
    out = [f'<h2 id="part1">第一部分 {_e(name)}概况</h2>', "<h3>一、部门主要职责</h3>", "<ol>"]
    out += [f"<li>{_e(x)}</li>" for x in d.entity.duties]
    out.append("</ol><h3>二、机构设置情况</h3>")
    out.append(f"<p>{_e(d.entity.structure or f'从单位构成看，{name}部门决算由{name}本级决算组成。')}</p>")
    return "".join(out)


def _tables(d: Disclosure, ts: TableSet) -> str:
    out = [f'<h2 id="part2">第二部分 {_e(d.entity.name)}{d.year}年度部门决算表</h2>']
    for t in ts:
        out.append(table_html(t))
    return "".join(out)


def render_html(d: Disclosure, ts: TableSet, extra_parts: list[tuple[str, str, str]] = ()) -> str:
    """HTML of the disclosure. ``extra_parts``: (anchor, title, html) appended in order."""
    css = (resources.files(__package__) / "style.css").read_text(encoding="utf-8")
    title = f"{d.year}年度{d.entity.name}部门决算公开"
    toc = ['<nav class="toc"><h2 id="toc">目录</h2><ol>',
           f'<li><a href="#part1">第一部分 {_e(d.entity.name)}概况</a></li>',
           f'<li><a href="#part2">第二部分 {_e(d.entity.name)}{d.year}年度部门决算表</a><ol>']
    for i, t in enumerate(ts):
        toc.append(f'<li><a href="#{t.id}">{_CN[i]}、{_e(t.title)}</a></li>')
    toc.append("</ol></li>")
    for anchor, ptitle, _ in extra_parts:
        toc.append(f'<li><a href="#{anchor}">{_e(ptitle)}</a></li>')
    toc.append("</ol></nav>")
    body = [f"<h1>{_e(title)}</h1>", "".join(toc), _profile(d), _tables(d, ts)]
    for anchor, ptitle, html in extra_parts:
        body.append(f'<section id="{anchor}">{html}</section>')
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title)}</title><style>{css}</style></head><body>"
            + "".join(body) + "</body></html>\n")
