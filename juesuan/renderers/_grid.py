"""Table grids: every table of a disclosure as placed cells, for the DOCX and XLSX renderers.

A ``Grid`` is a rectangle of ``Cell`` objects placed at (row, column) with row/column
spans: header rows (merged multi-row headers), the 栏次 row, body rows and footer
rows. It is derived from the table layouts (:mod:`juesuan.final.layouts`) — headers,
栏次 numbers, 行次, 类/款/项 code columns — so no renderer spells a table out, and the
Word and Excel outputs show the same cells in the same places.

The grid type is :mod:`juesuan.tables.grid`'s; the forms a document kind attaches (the 决算's
绩效自评表 and 重点工作 table) make their own grids.

Numbers stay ``Decimal`` (displayed 万元); each renderer formats them (DOCX through
:func:`juesuan.figures.fmt_cell`, XLSX as numbers with a number format).
"""

from __future__ import annotations

from ..figures import fmt_cell
from ..tables.grid import Grid
from ..tables.layout import Column
from ..tables.table import Row, Table

__all__ = ["Grid", "table_grid", "split_code", "table_heading", "widened", "ems", "balanced"]

def ems(text: str) -> float:
    """Width of ``text`` in characters of a CJK font: a Latin letter or digit is about half."""
    return sum(0.55 if ord(ch) < 0x2E80 else 1.0 for ch in text)


_NO_START = set("，。、；：？！）》」』】〕”’%％·…—,.;:?!)]}")   # never the first character of a line
_NO_END = set("（《「『【〔“‘([{")                                  # never the last


def _breakable(text: str, i: int) -> bool:
    """Whether a line may break between ``text[i - 1]`` and ``text[i]``."""
    a, b = text[i - 1], text[i]
    if b in _NO_START or a in _NO_END or a.isspace() or b.isspace():
        return False
    return not (a.isascii() and b.isascii() and (a.isalnum() or a in ".,%") and (b.isalnum() or b in ".,%"))


def balanced(text: str, chars: float) -> str:
    """``text`` with line breaks that make lines of about equal width when it is wider than
    ``chars`` (characters of a CJK font): as many lines as it needs and no more, never one
    character alone on a line (功能分类\n科目编码, not 功能分类科目编\n码), no line starting with
    closing punctuation, no figure or Latin word cut. Text with line breaks of its own, or
    that fits, is returned as it is."""
    width = ems(text)
    if width <= chars or "\n" in text or chars < 2:
        return text
    least = int(-(-width // chars))
    for n in range(least, least + 3):
        target = width / n
        out, line, w = [], "", 0.0
        for i, ch in enumerate(text):
            cw = ems(ch)
            if line and len(out) < n - 1 and w + cw / 2 > target and _breakable(text, i):
                out.append(line)
                line, w = "", 0.0
            line += ch
            w += cw
        out.append(line)
        if all(ems(x) <= chars + 0.01 for x in out):
            return "\n".join(out)
    return text          # the breaks could not be placed: let it wrap


def widened(g: Grid, chars_across: float, word: int = 6, pad: float = 1.0, give_at_most: float = 0.2) -> list[float]:
    """Relative column widths in which every text column holds its usual words on one line:
    a column ``chars_across`` × its share wide (in characters of the table's type) gets at
    least ``min(longest text of its one-column cells, word)`` + ``pad`` characters (绩效基本型,
    达成预期指标 — not 达成预期指/标), taken from the columns with room to spare (first the room
    beyond their own longest text, at most ``give_at_most`` of their width). When the page
    cannot give ``word`` characters to every column, the largest number it can give (down to
    4); widths unchanged when no column is short or none can be helped."""
    total = sum(g.widths) or 1.0
    have = [w / total * chars_across for w in g.widths]
    longest = [0.0] * g.ncols        # the longest text line of the column's cells
    figure = [0.0] * g.ncols         # the widest figure: a figure never wraps
    for c in g.cells:
        if c.colspan != 1:
            continue
        if c.kind == "num":       # (a cell over several rows has the room to wrap: no need)
            figure[c.col] = max(figure[c.col], ems(fmt_cell(c.value)) + pad)
        elif c.text and (c.rowspan == 1 or len(c.text) <= 3):   # 行次 over two rows still on one line
            longest[c.col] = max(longest[c.col], max(ems(line) for line in c.text.split("\n")))
    for n in range(word, 3, -1):
        need = [max(min(x, n) + pad, f) for x, f in zip(longest, figure)]
        short = sum(max(0.0, k - h) for k, h in zip(need, have))
        if short <= 0:
            return list(g.widths)
        # what a column can give: beyond its own longest text first, then beyond its need;
        # never more than ``give_at_most`` of its width (the long texts stay in wide columns)
        for floor in ([max(x + pad, f) for x, f in zip(longest, figure)], need):
            give = [max(0.0, min(h - max(f, k), h * give_at_most)) for f, k, h in zip(floor, need, have)]
            spare = sum(give)
            if spare >= short:
                out = [k if k > h else h - gv * short / spare for k, gv, h in zip(need, give, have)]
                return [w / chars_across * total for w in out]
    return list(g.widths)


def split_code(code: str) -> tuple[str, str, str]:
    """功能分类 code as printed in 类 | 款 | 项 columns: 2010350 → 201 | 03 | 50."""
    if len(code) == 7:
        return code[:3], code[3:5], code[5:]
    if len(code) == 5:
        return code[:3], code[3:], ""
    return code, "", ""


def table_heading(t: Table) -> str:
    """The printed title of a table: 2023年度收入支出决算总表 (公开01表　2023年度收入支出决算总表
    when its layout numbers it)."""
    title = f"{t.year}年度{t.title}" if t.year else t.title
    return f"{t.number}　{title}" if t.number else title


# --- headers ------------------------------------------------------------------------------

def _paths(cols: tuple[Column, ...]) -> list[list[str]]:
    """Header labels of each column, top to bottom (a group above its columns)."""
    out = []
    for c in cols:
        name = c.header.split("/")[-1]
        out.append([c.group, name] if c.group else [name])
    return out


def _place_paths(g: Grid, paths: list[list[str]], row0: int, rows: int, col0: int) -> None:
    """Place column header paths in rows row0..row0+rows-1 from column col0; equal
    neighbouring labels under the same parent merge across, a path's last label
    stretches down to the bottom header row."""
    depth = rows
    for level in range(depth):
        c = 0
        while c < len(paths):
            p = paths[c]
            if level >= len(p):
                c += 1
                continue
            last = level == len(p) - 1
            span = 1
            if not last:
                while (c + span < len(paths) and len(paths[c + span]) > level + 1
                       and paths[c + span][:level + 1] == p[:level + 1]):
                    span += 1
            g.put(row0 + level, col0 + c, p[level], kind="head",
                  rowspan=depth - level if last else 1, colspan=span)
            c += span


def _depth(paths: list[list[str]]) -> int:
    return max((len(p) for p in paths), default=1)


# --- the nine tables ------------------------------------------------------------------------

def _is_total(r: Row) -> bool:
    return bool(r.label) and ("total" in r.key or r.label in ("总计", "合计"))


def _two_sided(t: Table) -> Grid:
    lay = t.layout
    show_no = lay.show_line_numbers
    sides = lay.sides
    fixed = 2 if show_no else 1                   # 项目 (+ 行次)
    widths: list[float] = []
    starts = []
    for s in sides:
        starts.append(len(widths))
        widths += [30.0] + ([5.0] if show_no else []) + [13.0] * len(s.columns)
    paths = [_paths(s.columns) for s in sides]
    depth = max(_depth(p) for p in paths)
    g = Grid(ncols=len(widths), header_rows=1 + depth + (1 if show_no else 0), widths=widths)
    g.landscape = len(widths) > 7
    for s, col0, p in zip(sides, starts, paths):
        g.put(0, col0, s.name, kind="head", colspan=fixed + len(s.columns))
        g.put(1, col0, "项目", kind="head", rowspan=depth)
        if show_no:
            g.put(1, col0 + 1, "行次", kind="head", rowspan=depth)
        _place_paths(g, p, 1, depth, col0 + fixed)
    row = 1 + depth
    if show_no:
        for s, col0 in zip(sides, starts):
            g.put(row, col0, "栏次", kind="lanci")
            g.put(row, col0 + 1, "", kind="lanci")
            for i, c in enumerate(s.columns):
                g.put(row, col0 + fixed + i, str(c.number or ""), kind="lanci")
        row += 1
    per_side = []
    for s in sides:
        rows = [r for r in t.rows if r.side == s.name]
        if not show_no:   # regional layouts drop the filler rows
            rows = [r for r in rows if r.label]
        per_side.append(rows)
    n = max(len(r) for r in per_side)
    for i in range(n):
        for s, col0, rows in zip(sides, starts, per_side):
            r = rows[i] if i < len(rows) else None
            bold = r is not None and _is_total(r)
            g.put(row + i, col0, r.label if r else "", kind="label", bold=bold, ref=(r, None) if r else None)
            if show_no:
                g.put(row + i, col0 + 1, str(r.line) if r and r.line else "", kind="no")
            for j, c in enumerate(s.columns):
                v = r.cells.get(c.header) if r else None
                g.put(row + i, col0 + fixed + j, kind="num", value=v, bold=bold, ref=(r, c.header) if r else None)
    g.nrows = row + n
    return g


def _function(t: Table) -> Grid:
    lay = t.layout
    split = lay.show_line_numbers
    code_cols = 3 if split else 1
    cols = lay.columns
    paths = _paths(cols)
    depth = max(2, _depth(paths))
    widths = ([5.0, 4.0, 4.0] if split else [9.0]) + [32.0] + [12.0] * len(cols)
    g = Grid(ncols=len(widths), header_rows=depth + (1 if split else 0), widths=widths)
    g.landscape = len(widths) > 9
    g.put(0, 0, "项目", kind="head", colspan=code_cols + 1)
    g.put(1, 0, "功能分类科目编码", kind="head", colspan=code_cols, rowspan=depth - 1)
    g.put(1, code_cols, "科目名称", kind="head", rowspan=depth - 1)
    _place_paths(g, paths, 0, depth, code_cols + 1)
    row = depth
    if split:
        for i, name in enumerate(("类", "款", "项")):
            g.put(row, i, name, kind="lanci")
        g.put(row, 3, "栏次", kind="lanci")
        for i, c in enumerate(cols):
            g.put(row, 4 + i, str(c.number or ""), kind="lanci")
        row += 1
    for r in t.rows:
        bold = r.level <= 1
        if split:
            for i, part in enumerate(split_code(r.code)):
                g.put(row, i, part, kind="code")
        else:
            g.put(row, 0, r.code, kind="code")
        g.put(row, code_cols, r.label, kind="label", bold=bold, ref=(r, None))
        for i, c in enumerate(cols):
            g.put(row, code_cols + 1 + i, kind="num", value=r.cells.get(c.header), bold=bold, ref=(r, c.header))
        row += 1
    g.nrows = row
    return g


def _economic(t: Table) -> Grid:
    col = t.layout.columns[0].header
    personnel = [r for r in t.rows if r.side == "人员经费" and r.level > 0]
    public = [r for r in t.rows if r.side == "公用经费" and r.level > 0]
    if t.layout.economic_blocks == 3:
        # national: 人员经费 | 公用经费 (302 …) | 公用经费 (310 …), the two 公用 blocks under one head
        cut = next((i for i, r in enumerate(public) if r.level == 1 and r.code != "302"), len(public))
        blocks = [personnel, public[:cut], public[cut:]]
        heads = [("人员经费", 1), ("公用经费", 2)]
    else:
        blocks = [personnel, public]
        heads = [("人员经费", 1), ("公用经费", 1)]
    widths = [7.0, 24.0, 11.0] * len(blocks)
    g = Grid(ncols=len(widths), header_rows=2, widths=widths, landscape=True)
    c0 = 0
    for name, nblocks in heads:
        g.put(0, c0, name, kind="head", colspan=3 * nblocks)
        c0 += 3 * nblocks
    for b in range(len(blocks)):
        for j, h in enumerate(("科目代码", "科目名称", col)):
            g.put(1, 3 * b + j, h, kind="head")
    n = max(len(rows) for rows in blocks)
    for i in range(n):
        for b, rows in enumerate(blocks):
            r = rows[i] if i < len(rows) else None
            bold = r is not None and r.level == 1
            g.put(2 + i, 3 * b, r.code if r else "", kind="code")
            g.put(2 + i, 3 * b + 1, r.label if r else "", kind="label", bold=bold, ref=(r, None) if r else None)
            g.put(2 + i, 3 * b + 2, kind="num", value=r.cells.get(col) if r else None, bold=bold,
                  ref=(r, col) if r else None)
    totals = {r.side: r for r in t.rows if r.level == 0}
    last = 2 + n
    p, q = totals.get("人员经费"), totals.get("公用经费")
    g.put(last, 0, "人员经费合计", kind="label", colspan=2, bold=True, ref=(p, None) if p else None)
    g.put(last, 2, kind="num", value=p.cells.get(col) if p else None, bold=True, ref=(p, col) if p else None)
    g.put(last, 3, "公用经费合计", kind="label", colspan=len(widths) - 4, bold=True, ref=(q, None) if q else None)
    g.put(last, len(widths) - 1, kind="num", value=q.cells.get(col) if q else None, bold=True,
          ref=(q, col) if q else None)
    g.nrows = last + 1
    return g


_VEHICLE_GROUP = "公务用车购置及运行维护费"


def _three_public(t: Table) -> Grid:
    cols = t.layout.columns
    national = cols[1].group == cols[0].group
    paths = []
    for c in cols:
        group, name = c.group or "", c.header.split("/")[-1]
        item = [_VEHICLE_GROUP, name] if c.key.split(":")[-1].startswith("vehicle") else [name]
        paths.append([group, *item] if national else [*item, group])
    depth = _depth(paths)
    show_no = t.layout.show_line_numbers
    g = Grid(ncols=len(cols), header_rows=depth + (1 if show_no else 0), widths=[11.0] * len(cols),
             landscape=True)
    _place_paths(g, paths, 0, depth, 0)
    row = depth
    if show_no:
        for i, c in enumerate(cols):
            g.put(row, i, str(c.number or ""), kind="lanci")
        row += 1
    for r in t.rows:
        for i, c in enumerate(cols):
            g.put(row, i, kind="num", value=r.cells.get(c.header), ref=(r, c.header))
        row += 1
    g.nrows = row
    return g


def _listing(t: Table) -> Grid:
    """A listing (政府采购情况表 …): 项目 and the columns of its layout (or of its rows, when the
    layout names none), a row per listed item."""
    cols = [c.header for c in t.layout.columns] or list(dict.fromkeys(h for r in t.rows for h in r.cells))
    paths = [[c.group, c.header.split("/")[-1]] if c.group else [c.header] for c in t.layout.columns] \
        or [[h] for h in cols]
    depth = _depth(paths)
    coded = any(r.code for r in t.rows)         # rows by 经济分类 code: 科目编码 | 科目名称
    lead = 2 if coded else 1
    g = Grid(ncols=lead + len(cols), header_rows=depth,
             widths=([9.0, 28.0] if coded else [30.0]) + [12.0] * len(cols))
    g.landscape = len(cols) > 7
    if coded:
        g.put(0, 0, "科目编码", kind="head", rowspan=depth)
    g.put(0, lead - 1, "科目名称" if coded else "项目", kind="head", rowspan=depth)
    _place_paths(g, paths, 0, depth, lead)
    for i, r in enumerate(t.rows):
        bold = r.level == 0 and r.label in ("合计", "总计") or coded and r.level == 1
        if coded:
            g.put(depth + i, 0, r.code, kind="code")
        g.put(depth + i, lead - 1, r.label, kind="label", bold=bold, ref=(r, None))
        for j, h in enumerate(cols):
            g.put(depth + i, lead + j, kind="num", value=r.cells.get(h), bold=bold, ref=(r, h))
    g.nrows = depth + len(t.rows)
    return g


def table_grid(t: Table) -> Grid:
    """The grid of a table, as its layout declares it."""
    return {"two_sided": _two_sided, "function": _function, "economic": _economic,
            "three_public": _three_public, "listing": _listing}[t.layout.kind](t)


# --- 附件 forms and 重点工作 ------------------------------------------------------------------
