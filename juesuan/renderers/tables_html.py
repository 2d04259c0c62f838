"""HTML for the nine tables, driven by their layouts (national and regional variants)."""

from __future__ import annotations

import re
from html import escape

from ..figures import fmt_cell
from ..tables.grid import Grid
from ..tables.table import Table
from ._grid import table_grid

__all__ = ["table_html"]


def _e(s: object) -> str:
    return escape(str(s), quote=True)


_PLACEHOLDER = re.compile(r"【待填写：[^】]*】")


def text_html(s: str) -> str:
    """Escaped text with 【待填写：…】 markers highlighted."""
    out, last = [], 0
    for m in _PLACEHOLDER.finditer(s):
        out.append(_e(s[last:m.start()]))
        out.append(f'<mark class="placeholder">{_e(m.group())}</mark>')
        last = m.end()
    out.append(_e(s[last:]))
    return "".join(out)


_CELL_CLASS = {"num": "num", "center": "c", "no": "c", "code": "c", "lanci": "c"}


def grid_html(g: Grid, css: str) -> str:
    """A grid (a form's, or any table's) as an HTML table: head cells as ``<th>``, spans kept,
    line breaks kept, 【待填写：…】 marked."""
    widths = sum(g.widths) or 1
    cols = "".join(f'<col style="width:{w / widths * 100:.1f}%">' for w in g.widths)
    h = [f'<table class="{css}">' + (f"<colgroup>{cols}</colgroup>" if g.widths else "") + "<tbody>"]
    for row in g.by_row():
        h.append("<tr>")
        for c in row:
            tag = "th" if c.kind == "head" else "td"
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + \
                (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            cls = f' class="{_CELL_CLASS[c.kind]}"' if c.kind in _CELL_CLASS else ""
            text = fmt_cell(c.value) if c.kind == "num" and c.value is not None else c.text
            h.append(f"<{tag}{span}{cls}>{'<br>'.join(text_html(x) for x in str(text).splitlines()) or ''}</{tag}>")
        h.append("</tr>")
    h.append("</tbody></table>")
    return "".join(h)


def _caption(t: Table, number: int | None) -> str:
    year = f"{t.year}年度" if t.year else ""
    printed = f"{t.number}　" if t.number else ""
    head = f'<h3 class="table-title" id="{t.id}">{_e(printed + year + t.title)}</h3>'
    meta = (f'<div class="table-meta"><span>部门：{_e(t.entity)}</span>'
            f'<span>金额单位：{_e(t.unit)}</span></div>')
    return head + meta


def _split_code(code: str) -> tuple[str, str, str]:
    if len(code) == 7:
        return code[:3], code[3:5], code[5:]
    if len(code) == 5:
        return code[:3], code[3:], ""
    return code, "", ""


def _two_sided(t: Table) -> str:
    lay = t.layout
    inc, exp = lay.sides
    show_no = lay.show_line_numbers
    h = ['<table class="data two-sided">', "<thead>"]
    span_i = 1 + (1 if show_no else 0) + len(inc.columns)
    span_e = 1 + (1 if show_no else 0) + len(exp.columns)
    h.append(f'<tr><th colspan="{span_i}">{inc.name}</th><th colspan="{span_e}">{exp.name}</th></tr>')
    groups = [c.group for c in exp.columns]
    if any(groups):
        # 财政拨款收入支出决算总表: 决算数 spans the fund columns of the 支出 side
        h.append("<tr>")
        h.append('<th rowspan="2">项目</th>' + ('<th rowspan="2">行次</th>' if show_no else ""))
        for c in inc.columns:
            h.append(f'<th rowspan="2">{_e(c.header)}</th>')
        h.append('<th rowspan="2">项目</th>' + ('<th rowspan="2">行次</th>' if show_no else ""))
        h.append(f'<th colspan="{len(exp.columns)}">{_e(groups[0])}</th></tr><tr>')
        for c in exp.columns:
            h.append(f"<th>{_e(c.header)}</th>")
        h.append("</tr>")
    else:
        h.append("<tr>")
        for side in (inc, exp):
            h.append("<th>项目</th>" + ("<th>行次</th>" if show_no else ""))
            for c in side.columns:
                h.append(f"<th>{_e(c.header)}</th>")
        h.append("</tr>")
    if show_no:
        h.append("<tr class='lanci'>")
        for side in (inc, exp):
            h.append("<td>栏次</td><td></td>")
            for c in side.columns:
                h.append(f"<td>{c.number}</td>")
        h.append("</tr>")
    h.append("</thead><tbody>")
    left = [r for r in t.rows if r.side == inc.name]
    right = [r for r in t.rows if r.side == exp.name]
    if not show_no:  # regional layouts drop the filler rows
        left = [r for r in left if r.label]
        right = [r for r in right if r.label]
    n = max(len(left), len(right))
    for i in range(n):
        h.append("<tr>")
        for rows, side in ((left, inc), (right, exp)):
            r = rows[i] if i < len(rows) else None
            cls = ' class="total"' if r is not None and r.level == 0 and r.label else ""
            h.append(f"<td{cls}>{_e(r.label) if r else ''}</td>")
            if show_no:
                h.append(f'<td class="no">{r.line if r and r.line else ""}</td>')
            for c in side.columns:
                v = r.cells.get(c.header) if r else None
                h.append(f'<td class="num">{fmt_cell(v)}</td>')
        h.append("</tr>")
    h.append("</tbody></table>")
    return "".join(h)


def _function(t: Table) -> str:
    lay = t.layout
    split = lay.show_line_numbers
    cols = lay.columns
    code_cols = 3 if split else 1
    h = ['<table class="data function">', "<thead>"]
    n_hdr = 3 if split else 2
    h.append(f'<tr><th colspan="{code_cols + 1}">项目</th>')
    i = 0
    while i < len(cols):
        c = cols[i]
        if c.group:
            j = i
            while j < len(cols) and cols[j].group == c.group:
                j += 1
            h.append(f'<th colspan="{j - i}">{_e(c.group)}</th>')
            i = j
        else:
            h.append(f'<th rowspan="{n_hdr}">{_e(c.header)}</th>')
            i += 1
    h.append(f'</tr><tr><th colspan="{code_cols}">功能分类科目编码</th>'
             f'<th rowspan="{n_hdr - 1}">科目名称</th>')
    for c in cols:
        if c.group:
            h.append(f'<th rowspan="{n_hdr - 1}">{_e(c.header)}</th>')
    h.append("</tr>")
    if split:
        h.append("<tr><th>类</th><th>款</th><th>项</th></tr>")
    h.append("</thead><tbody>")
    if split:
        h.append(f"<tr class='lanci'><td colspan='{code_cols}'></td><td>栏次</td>"
                 + "".join(f"<td>{c.number}</td>" for c in cols) + "</tr>")
    for r in t.rows:
        cls = ' class="total"' if r.level == 0 else f' class="lv{r.level}"'
        h.append(f"<tr{cls}>")
        if split:
            a, b, c3 = _split_code(r.code)
            h.append(f"<td class='code'>{a}</td><td class='code'>{b}</td><td class='code'>{c3}</td>")
        else:
            h.append(f"<td class='code'>{r.code}</td>")
        h.append(f"<td>{_e(r.label)}</td>")
        for c in cols:
            h.append(f'<td class="num">{fmt_cell(r.cells.get(c.header))}</td>')
        h.append("</tr>")
    h.append("</tbody></table>")
    return "".join(h)


def _economic(t: Table) -> str:
    col = t.layout.columns[0].header
    national = t.layout.economic_blocks == 3
    # blocks: national prints 人员经费 | 公用经费(302…) | 公用经费(310…); regional two blocks
    personnel = [r for r in t.rows if r.side == "人员经费" and r.level > 0]
    public = [r for r in t.rows if r.side == "公用经费" and r.level > 0]
    if national:
        cut = next((i for i, r in enumerate(public) if r.level == 1 and r.code != "302"), len(public))
        blocks = [("人员经费", personnel), ("公用经费", public[:cut]), ("公用经费", public[cut:])]
    else:
        blocks = [("人员经费", personnel), ("公用经费", public)]
    h = ['<table class="data economic"><thead><tr>']
    for name, _ in blocks:
        h.append(f'<th colspan="3">{name}</th>')
    h.append("</tr><tr>")
    for _ in blocks:
        h.append("<th>科目代码</th><th>科目名称</th><th>决算数</th>")
    h.append("</tr></thead><tbody>")
    n = max(len(rows) for _, rows in blocks)
    for i in range(n):
        h.append("<tr>")
        for _, rows in blocks:
            r = rows[i] if i < len(rows) else None
            if r is None:
                h.append("<td></td><td></td><td></td>")
            else:
                cls = ' class="lv1"' if r.level == 1 else ""
                h.append(f"<td class='code'>{r.code}</td><td{cls}>{_e(r.label)}</td>"
                         f"<td class='num'>{fmt_cell(r.cells.get(col))}</td>")
        h.append("</tr>")
    totals = {r.side: r for r in t.rows if r.level == 0}
    h.append("<tr class='total'>")
    p, g = totals.get("人员经费"), totals.get("公用经费")
    h.append(f"<td colspan='2'>人员经费合计</td><td class='num'>{fmt_cell(p.cells.get(col) if p else None)}</td>")
    span = 3 * (len(blocks) - 1) - 1
    h.append(f"<td colspan='{span}'>公用经费合计</td><td class='num'>{fmt_cell(g.cells.get(col) if g else None)}</td>")
    h.append("</tr></tbody></table>")
    return "".join(h)


def _three_public(t: Table) -> str:
    cols = t.layout.columns
    h = ['<table class="data three-public"><thead>']
    national = cols[1].group == cols[0].group
    if national:
        h.append('<tr><th colspan="6">预算数</th><th colspan="6">决算数</th></tr><tr>')
        for _ in range(2):
            h.append('<th rowspan="2">合计</th><th rowspan="2">因公出国（境）费</th>'
                     '<th colspan="3">公务用车购置及运行维护费</th><th rowspan="2">公务接待费</th>')
        h.append("</tr><tr>")
        for _ in range(2):
            h.append("<th>小计</th><th>公务用车购置费</th><th>公务用车运行维护费</th>")
        h.append("</tr>")
    else:
        h.append('<tr><th colspan="12">财政拨款“三公”经费</th></tr><tr>'
                 '<th colspan="2" rowspan="2">合计</th><th colspan="2" rowspan="2">因公出国（境）费</th>'
                 '<th colspan="6">公务用车购置及运行维护费</th><th colspan="2" rowspan="2">公务接待费</th></tr>'
                 '<tr><th colspan="2">小计</th><th colspan="2">公务用车购置费</th>'
                 '<th colspan="2">公务用车运行维护费</th></tr><tr>')
        h.append("".join(f"<th>{_e(c.group)}</th>" for c in cols) + "</tr>")
    h.append("</thead><tbody>")
    if t.layout.show_line_numbers:
        h.append("<tr class='lanci'>" + "".join(f"<td>{c.number}</td>" for c in cols) + "</tr>")
    r = t.rows[0]
    h.append("<tr>" + "".join(f"<td class='num'>{fmt_cell(r.cells.get(c.header))}</td>" for c in cols) + "</tr>")
    h.append("</tbody></table>")
    return "".join(h)


def _from_grid(t: Table) -> str:
    """A table without a hand-written HTML form (listings, a 三公 table with more items) from its grid."""
    return grid_html(table_grid(t), f"data {t.layout.kind.replace('_', '-')}")


def table_html(t: Table, empty_sentence: str | None = None) -> str:
    kind = t.layout.kind
    if kind == "three_public" and len(t.layout.columns) != 12:
        kind = "grid"
    body = {"two_sided": _two_sided, "function": _function, "economic": _economic,
            "three_public": _three_public}.get(kind, _from_grid)(t)
    parts = ['<section class="table-block">', _caption(t, None), body]
    if t.pending or (t.empty and (empty_sentence or t.layout.empty_sentence)):
        parts.append(f'<p class="empty-note">{_e(t.pending or empty_sentence or t.layout.empty_sentence)}</p>')
    parts.append("</section>")
    return "".join(parts)
