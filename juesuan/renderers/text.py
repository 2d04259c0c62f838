"""Plain text of a Document: what text extraction of the published PDF gives, cleanly.

Owns the ``txt`` format of ``build``: the title, the contents, the parts with their
sections and paragraphs, the nine tables and the 附件 forms as tab-separated rows,
one row per line, in the order of the table grids the Word and Excel renderers use
(:mod:`juesuan.renderers._grid`: header rows, 栏次 row, body, footers). A cell that
spans several columns writes its text in its first column and leaves the others
empty, so every row of a table has the same number of tab-separated cells — the
shape of the reference extraction (``samples/000_…txt``) and what
:mod:`juesuan.parse.text` reads back.
"""

from __future__ import annotations

from pathlib import Path

from ..document import Document, Part, Section
from ..figures import fmt_cell
from ._grid import Grid, table_grid, table_heading

__all__ = ["render_txt", "write_txt"]


def _one_line(s: str) -> str:
    return " ".join(s.replace("\t", " ").replace("\r", "\n").replace("\n", "").split()) \
        if "\n" in s or "\t" in s or "\r" in s else s


def _cell(c) -> str:
    if c.kind == "num":
        return fmt_cell(c.value)
    return _one_line(c.text)


def grid_lines(g: Grid) -> list[str]:
    """Rows of a grid as tab-separated lines (spanned positions left empty)."""
    rows = [[""] * g.ncols for _ in range(g.nrows)]
    for c in g.cells:
        if 0 <= c.row < g.nrows and 0 <= c.col < g.ncols:
            rows[c.row][c.col] = _cell(c)
    return ["\t".join(r) for r in rows]


def _section_title(s: Section) -> str:
    num = s.number if s.number.startswith("（") or not s.number else f"{s.number}、"
    return num + s.title


def _section(out: list[str], s: Section, drawn: dict) -> None:
    out.append(_section_title(s))
    for p in s.paragraphs:
        out.append(_one_line(p.text))
    for c in s.charts:      # the charts the other formats draw, under the same titles
        if c.id in drawn:
            out.append(_one_line(drawn[c.id].title))
    for sub in s.subsections:
        _section(out, sub, drawn)


def _part_title(part: Part) -> str:
    return f"第{part.number}部分 {part.title}"


def render_txt(d: Document) -> str:
    from .charts import drawn_charts
    drawn = drawn_charts(d)
    out: list[str] = [_one_line(d.title), "", "目  录"]
    for part in d.parts:
        out.append(_part_title(part))
        if part.key == "tables" and d.tables is not None:
            out.extend(t.title for t in d.tables)
        else:
            out.extend(_section_title(s) for s in part.sections)
    for part in d.parts:
        out += ["", _part_title(part)]
        for p in part.paragraphs:
            out.append(_one_line(p.text))
        if part.key == "tables" and d.tables is not None:
            for t in d.tables:
                out += ["", table_heading(t), f"部门：{t.entity or d.entity}\t金额单位：{t.unit}"]
                out += grid_lines(table_grid(t))
                if t.note:
                    out.append(t.note)
        for s in part.sections:
            _section(out, s, drawn)
        for f in d.forms_in(part.key):
            heading = f.heading(d)
            if heading:
                out += ["", heading]
            out += grid_lines(f.grid(d))
    return "\n".join(out) + "\n"


def write_txt(doc: Document, path: Path) -> None:
    Path(path).write_text(render_txt(doc), encoding="utf-8")
