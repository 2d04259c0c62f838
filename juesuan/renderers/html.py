"""One self-contained HTML file for a Document (styles inline, charts as inline SVG, no
external assets).

Owns the HTML layout of every part: table of contents with anchors, the nine
tables (via :mod:`.tables_html`), 情况说明 with its charts, 重点工作 and its table,
名词解释, and the 附件 (部门整体绩效自评表, 项目绩效自评表) as real ``<table>``s in
the standard layout. 【待填写：…】 placeholders are highlighted (class
``placeholder``) so that nobody publishes them by mistake.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from ..document import Document, IndicatorRow, OverallTable, Paragraph, Part, ProjectTable, Section
from ..zh import cn_number
from .charts import chart_svg
from .tables_html import table_html

__all__ = ["render_html", "write_html"]

_PLACEHOLDER = re.compile(r"【待填写：[^】]*】")

# Check-box rows of 项目绩效自评表: the options printed, the chosen one ticked.
_CATEGORY_OPTIONS = ("部门预算项目", "{level}直专项", "上级对下转移支付项目")
_ATTRIBUTE_OPTIONS = ("持续性项目", "新增性项目")
_KIND_OPTIONS = ("常年性项目", "延续性项目", "一次性项目")


def _e(s: object) -> str:
    return escape(str(s), quote=True)


def _text(s: str) -> str:
    """Escaped text with 【待填写：…】 markers highlighted."""
    out, last = [], 0
    for m in _PLACEHOLDER.finditer(s):
        out.append(_e(s[last:m.start()]))
        out.append(f'<mark class="placeholder">{_e(m.group())}</mark>')
        last = m.end()
    out.append(_e(s[last:]))
    return "".join(out)


def _para(p: Paragraph) -> str:
    cls = {"item": ' class="item"', "placeholder": ' class="placeholder"'}.get(p.kind, "")
    return f"<p{cls}>{_text(p.text)}</p>"


def _section_heading(s: Section) -> str:
    return s.number + s.title if s.number.startswith("（") else f"{s.number}、{s.title}"


def _section(s: Section, depth: int, anchor_prefix: str = "") -> str:
    tag = "h3" if depth == 0 else "h4"
    sid = s.key or f"{anchor_prefix}{s.number}"
    out = [f'<section class="sec"><{tag} id="{_e(sid)}">{_e(_section_heading(s))}</{tag}>']
    out += [_para(p) for p in s.paragraphs]
    for ch in s.charts:
        out.append(f'<figure class="chart" id="{_e(ch.id)}" aria-label="{_e(ch.title)}">{chart_svg(ch)}</figure>')
    out += [_section(sub, depth + 1, sid + ".") for sub in s.subsections]
    out.append("</section>")
    return "".join(out)


# ---- 附件 -----------------------------------------------------------------------------

def _indicator_rows(rows: list[IndicatorRow], with_category: bool) -> str:
    """Indicator rows with 一级/二级 cells merged over runs of equal values."""
    out = []
    n = len(rows)
    span1 = [0] * n
    span2 = [0] * n
    i = 0
    while i < n:
        j = i
        while j < n and rows[j].level1 == rows[i].level1:
            j += 1
        span1[i] = j - i
        k = i
        while k < j:
            m = k
            while m < j and rows[m].level2 == rows[k].level2:
                m += 1
            span2[k] = m - k
            k = m
        i = j
    for i, r in enumerate(rows):
        cells = []
        if span1[i]:
            cells.append(f'<td rowspan="{span1[i]}">{_e(r.level1)}</td>')
        if span2[i]:
            cells.append(f'<td rowspan="{span2[i]}">{_e(r.level2)}</td>')
        cells.append(f"<td>{_e(r.level3)}</td>")
        if with_category:
            cells.append(f"<td>{_e(r.category)}</td>")
        cells.append(f'<td class="c">{_e(r.target)}</td><td class="c">{_e(r.actual)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out)


def _overall(doc: Document, t: OverallTable) -> str:
    title = f"{doc.year}年度{t.unit_name}部门整体绩效自评表"
    goals = "<br>".join(_e(f"{i}. {g}") for i, g in enumerate(t.goals, 1))
    h = [f'<h3 class="table-title" id="overall">{_e(title)}</h3>',
         '<table class="perf overall"><colgroup><col class="w-l1"><col class="w-l2"><col class="w-l3">'
         '<col class="w-cat"><col class="w-v"><col class="w-v"></colgroup><tbody>',
         f'<tr><th>单位名称</th><td colspan="5">{_e(t.unit_name)}</td></tr>',
         f'<tr><th>基本支出总额</th><td colspan="2" class="num">{_e(t.basic_total)} {_e(t.unit)}</td>'
         f'<th>项目支出总额</th><td colspan="2" class="num">{_e(t.project_total)} {_e(t.unit)}</td></tr>',
         f'<tr><th>年度目标</th><td colspan="5">{goals}</td></tr>',
         '<tr class="head"><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标分类</th>'
         '<th>年初目标值（a）</th><th>实际完成值（b）</th></tr>',
         _indicator_rows(t.indicators, with_category=True),
         f'<tr><th>偏差大或目标未完成原因分析</th><td colspan="5">{_text(t.deviation)}</td></tr>',
         f'<tr><th>改进措施及结果应用方案</th><td colspan="5">{_text(t.improvement)}</td></tr>',
         "</tbody></table>"]
    return "".join(h)


def _boxes(options: tuple[str, ...], chosen: str, level: str) -> str:
    opts = [o.format(level=level) for o in options]
    if chosen and chosen not in opts:
        opts.append(chosen)
    return "　".join(f"{i}、{_e(o)} {'☑' if o == chosen else '□'}" for i, o in enumerate(opts, 1))


def _project(doc: Document, t: ProjectTable, n: int) -> str:
    title = f"{doc.year}年度{t.name}项目绩效自评表"
    level = doc.level or "区"
    h = [f'<h3 class="table-title" id="project-{n}">{_e(title)}</h3>',
         '<table class="perf project"><colgroup><col class="w-l1"><col class="w-l1"><col class="w-l2">'
         '<col class="w-l3"><col class="w-v"><col class="w-v"></colgroup><tbody>',
         f'<tr><th colspan="2">项目名称</th><td colspan="4">{_e(t.name)}</td></tr>',
         f'<tr><th colspan="2">主管部门</th><td colspan="2">{_e(t.supervisor)}</td>'
         f'<th>项目实施单位</th><td>{_e(t.implementer)}</td></tr>',
         f'<tr><th colspan="2">项目类别</th><td colspan="4">{_boxes(_CATEGORY_OPTIONS, t.category, level)}</td></tr>',
         f'<tr><th colspan="2">项目属性</th><td colspan="4">{_boxes(_ATTRIBUTE_OPTIONS, t.attribute, level)}</td></tr>',
         f'<tr><th colspan="2">项目类型</th><td colspan="4">{_boxes(_KIND_OPTIONS, t.kind, level)}</td></tr>',
         f'<tr><th colspan="2" rowspan="2">预算执行情况（{_e(t.unit)}）</th><td></td>'
         '<th>预算数（A）</th><th>执行数（B）</th><th>执行率（B/A）</th></tr>',
         f'<tr><th>年度财政资金总额</th><td class="num">{_e(t.budget)}</td><td class="num">{_e(t.actual)}</td>'
         f'<td class="num">{_e(t.rate)}</td></tr>']
    rows = t.indicators
    h.append(f'<tr class="head"><th rowspan="{len(rows) + 1}">年度绩效目标</th><th>一级指标</th><th>二级指标</th>'
             '<th>三级指标</th><th>年初目标值（A）</th><th>实际完成值（B）</th></tr>')
    h.append(_indicator_rows(rows, with_category=False))
    h.append(f'<tr><th colspan="2">偏差大或目标未完成原因分析</th><td colspan="4">{_text(t.deviation)}</td></tr>')
    h.append(f'<tr><th colspan="2">改进措施及结果应用方案</th><td colspan="4">{_text(t.improvement)}</td></tr>')
    h.append("</tbody></table>")
    return "".join(h)


def _key_work_table(doc: Document) -> str:
    if not doc.key_work_rows:
        return ""
    h = ['<table class="perf key-work"><thead><tr><th>序号</th><th>重要事项</th><th>工作内容及目标</th>'
         "<th>完成情况</th></tr></thead><tbody>"]
    for r in doc.key_work_rows:
        h.append(f'<tr><td class="c">{_e(r.number)}</td><td>{_e(r.title)}</td><td>{_text(r.target)}</td>'
                 f'<td class="c">{_e(r.completion)}</td></tr>')
    h.append("</tbody></table>")
    return "".join(h)


# ---- parts -----------------------------------------------------------------------------

def _part(doc: Document, part: Part) -> str:
    out = [f'<section class="part" id="part-{_e(part.key)}">',
           f"<h2>第{_e(part.number)}部分　{_e(part.title)}</h2>"]
    if part.key == "glossary":
        out.append('<div class="glossary">' + "".join(_para(p) for p in part.paragraphs) + "</div>")
    else:
        out += [_para(p) for p in part.paragraphs]
    if part.key == "tables" and doc.tables is not None:
        out += [table_html(t) for t in doc.tables]
    out += [_section(s, 0, f"{part.key}.") for s in part.sections]
    if part.key == "key_work":
        out.append(_key_work_table(doc))
    if part.key == "attachments":
        if doc.overall is not None:
            out.append(_overall(doc, doc.overall))
        out += [_project(doc, t, i) for i, t in enumerate(doc.projects, 1)]
    out.append("</section>")
    return "".join(out)


def _toc(doc: Document) -> str:
    toc = ['<nav class="toc"><h2 id="toc">目　录</h2><ol>']
    for part in doc.parts:
        toc.append(f'<li><a href="#part-{_e(part.key)}">第{_e(part.number)}部分　{_e(part.title)}</a>')
        subs = []
        if part.key == "tables" and doc.tables is not None:
            subs = [(t.id, f"{cn_number(i + 1)}、{t.title}") for i, t in enumerate(doc.tables)]
        elif part.key == "attachments":
            if doc.overall is not None:
                subs.append(("overall", f"{doc.year}年度{doc.overall.unit_name}部门整体绩效自评表"))
            subs += [(f"project-{i}", f"{doc.year}年度{t.name}项目绩效自评表")
                     for i, t in enumerate(doc.projects, 1)]
        else:
            subs = [(s.key or f"{part.key}.{s.number}", _section_heading(s)) for s in part.sections]
        if subs:
            toc.append("<ol>" + "".join(f'<li><a href="#{_e(a)}">{_e(t)}</a></li>' for a, t in subs) + "</ol>")
        toc.append("</li>")
    toc.append("</ol></nav>")
    return "".join(toc)


def render_html(doc: Document) -> str:
    css = (Path(__file__).parent / "style.css").read_text(encoding="utf-8")
    body = [f'<header><h1>{_e(doc.title)}</h1></header>']
    if doc.placeholders:
        body.append(f'<aside class="placeholder-note no-print">本文档还有 {len(doc.placeholders)} 处'
                    f'<mark class="placeholder">【待填写】</mark>内容，请补充后再公开。</aside>')
    body.append(_toc(doc))
    body += [_part(doc, p) for p in doc.parts]
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(doc.title)}</title><style>{css}</style></head><body>"
            + "".join(body) + "</body></html>\n")


def write_html(doc: Document, path: Path) -> None:
    path.write_text(render_html(doc), encoding="utf-8")
