"""A stored document and its findings as the document page shows them (docs/web.md, 文档页与标记).

The page shows the disclosure *as it was read* — :func:`juesuan.document.to_data` of the
document, kept by the store (:mod:`juesuan.store.documents`) — with every finding at its place:

* a table cell (a place's table, side, row and column) is drawn from the table's grid, the one
  every renderer draws (:func:`juesuan.renderers._grid.table_grid`, whose cells say which row and
  column they show); a flagged cell gets ``class="flag flag-<severity>"``, an ``id`` the findings
  list links to and the findings' messages as its tooltip;
* a sentence (a place's sentence, in its section) is wrapped in ``<mark class="flag …">`` inside
  its paragraph; a place naming only a row, a table, a section or a part flags that;
* a place that cannot be found on the page is still listed under its finding, saying so.

For a PDF, :func:`page_marks` says what to box on each page image (:mod:`.pageimage`): the cells'
boxes the reader kept, the cell's printed text to narrow a line's box to the cell, a sentence's
text to find on its page.

Nothing here touches the web framework or the store: plain data in, plain objects out.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import escape as _escape
from typing import Any

from markupsafe import Markup, escape

from ..errors import Severity
from ..figures import fmt_cell
from ..place import Place, place_text
from ..renderers._grid import table_grid, table_heading
from ..renderers._toc import part_title, section_title
from ..renderers.tables_html import text_html as _placeholders_marked
from ..rules.certainty import TO_REVIEW, UNCHECKED
from ..tables.grid import Grid
from ..tables.table import Row, Table

__all__ = ["DocumentView", "FindingView", "document_view", "forms_document", "page_marks", "row_name",
           "PageMark"]

_RANK = {s.value: s.rank for s in Severity}
_CELL_CLASS = {"num": "num", "center": "c", "no": "c", "code": "c", "lanci": "c"}


def text_html(s: str) -> str:
    """Escaped text, its 【待填写：…】 marked as the renderers mark them (most text has none: escaped at once)."""
    return _placeholders_marked(s) if "【" in s else _escape(s)


def _lines_html(text: str) -> str:
    """A cell's text, its lines kept."""
    return "<br>".join(text_html(x) for x in text.splitlines()) if text else ""


def grid_html(rows: list[list[CellView]], css: str) -> Markup:
    """A grid's cells as an HTML table: flagged cells with their class, anchor and tooltip."""
    out = [f'<div class="scroll"><table class="doc-table {css}"><tbody>']
    for line in rows:
        out.append("<tr>")
        for c in line:
            attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + \
                (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            if c.severity:
                cls = " ".join([*c.css, "flag", f"flag-{c.severity}"])
                attrs += f' id="{c.anchor}" class="{cls}" title="{escape(c.title or "")}"'
            elif c.css:
                attrs += f' class="{" ".join(c.css)}"'
            out.append(f"<{c.tag}{attrs}>{c.html}</{c.tag}>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return Markup("".join(out))


def _rank(severity: str) -> int:
    return _RANK.get(severity, len(_RANK))


def row_name(row: dict[str, Any]) -> str:
    """A row as a finding's place names it: ``2101102 事业单位医疗`` (the code before the label,
    as :meth:`juesuan.rules.context.Context.where` writes it), ``合计``."""
    label = row.get("label") or row.get("key") or ""
    code = row.get("code") or ""
    return f"{code} {label}" if code and not label.startswith(code) else label


def _printed(text: str) -> str:
    """A cell's text as printed, without the spaces a PDF's extraction puts inside figures."""
    return re.sub(r"\s+", "", text)


# ---- what the template shows --------------------------------------------------------------

@dataclass(slots=True)
class CellView:
    tag: str                       # th / td
    html: str                      # its content, escaped
    css: list[str] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1
    anchor: str | None = None
    title: str | None = None
    severity: str | None = None    # the most severe finding at this cell

    def flag(self, severity: str, message: str) -> None:
        if self.severity is None or _rank(severity) < _rank(self.severity):
            self.severity = severity
        self.title = f"{self.title}\n{message}" if self.title else message


@dataclass
class TableView:
    id: str
    anchor: str
    heading: str
    entity: str
    unit: str
    rows: list[list[CellView]]
    note: str = ""
    page: int | None = None
    severity: str | None = None    # a finding about the table as a whole
    title: str | None = None
    read_as_generic: bool = False  # drawn from its rows (its layout not known): headers are its columns

    def flag(self, severity: str, message: str) -> None:
        CellView.flag(self, severity, message)   # type: ignore[arg-type]

    @property
    def html(self) -> Markup:
        return grid_html(self.rows, "generic" if self.read_as_generic else "")


@dataclass
class ParaView:
    text: str
    kind: str
    anchor: str
    spans: list[tuple[int, int, str, str, str]] = field(default_factory=list)  # start, end, severity, anchor, msg
    whole: tuple[str, str, str] | None = None      # the whole paragraph flagged: severity, anchor, message

    @property
    def html(self) -> Markup:
        css = {"item": "item", "placeholder": "placeholder"}.get(self.kind, "")
        if self.whole is not None:
            sev, anchor, msg = self.whole
            inner = Markup(f'<mark class="flag flag-{sev}" id="{anchor}" title="{escape(msg)}">'
                           f"{text_html(self.text)}</mark>")
        else:
            out, last = [], 0
            for start, end, sev, anchor, msg in sorted(self.spans):
                if start < last:          # overlapping sentences: the first one marks the overlap
                    continue
                out.append(text_html(self.text[last:start]))
                out.append(f'<mark class="flag flag-{sev}" id="{anchor}" title="{escape(msg)}">'
                           f"{text_html(self.text[start:end])}</mark>")
                last = end
            out.append(text_html(self.text[last:]))
            inner = Markup("".join(out))
        return Markup(f'<p id="{self.anchor}"' + (f' class="{css}"' if css else "") + f">{inner}</p>")


@dataclass
class SectionView:
    anchor: str
    heading: str
    depth: int
    label: str                     # as a finding's place names it: 五（三）
    paragraphs: list[ParaView] = field(default_factory=list)
    subsections: list[SectionView] = field(default_factory=list)
    page: int | None = None
    severity: str | None = None
    title: str | None = None

    def flag(self, severity: str, message: str) -> None:
        CellView.flag(self, severity, message)   # type: ignore[arg-type]

    def walk(self):
        yield self
        for s in self.subsections:
            yield from s.walk()


@dataclass
class FormView:
    anchor: str
    heading: str
    name: str                      # its type in words (项目绩效自评表): how a place names it
    rows: list[list[CellView]]
    severity: str | None = None
    title: str | None = None

    def flag(self, severity: str, message: str) -> None:
        CellView.flag(self, severity, message)   # type: ignore[arg-type]

    @property
    def html(self) -> Markup:
        return grid_html(self.rows, "form")

    @property
    def flagged(self) -> bool:
        """A finding points at it or at one of its cells (it is shown open)."""
        return self.severity is not None or any(c.severity for line in self.rows for c in line)


@dataclass
class PartView:
    key: str
    anchor: str
    title: str
    label: str                     # 第三部分
    paragraphs: list[ParaView] = field(default_factory=list)
    sections: list[SectionView] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)
    forms: list[FormView] = field(default_factory=list)
    severity: str | None = None
    title_flag: str | None = None

    def flag(self, severity: str, message: str) -> None:
        if self.severity is None or _rank(severity) < _rank(self.severity):
            self.severity = severity
        self.title_flag = f"{self.title_flag}\n{message}" if self.title_flag else message


@dataclass
class PlaceLink:
    text: str                      # the place in words
    anchor: str | None             # where it is on the page; None: not found on the page
    page: int | None = None        # its page in the PDF
    href: str | None = None        # a place in another document (a 决算's cross finding in its 预算): that page


@dataclass
class FindingView:
    rule: str
    severity: str
    label: str                     # 错误 / 警告 / 提示
    message: str
    fingerprint: str
    places: list[PlaceLink]
    tag: str = ""                  # 无法核对 / 待复核（扫描件识别）
    mark: dict[str, Any] | None = None

    @property
    def anchors(self) -> list[str]:
        return list(dict.fromkeys(p.anchor for p in self.places if p.anchor))

    @property
    def pages(self) -> list[int]:
        return sorted({p.page for p in self.places if p.page is not None})

    @property
    def unplaced(self) -> bool:
        """It names places, none of which is on the page."""
        return bool(self.places) and not self.anchors


@dataclass
class Group:
    severity: str
    label: str
    findings: list[FindingView]


TITLE_ANCHOR = "doc-title"
_TITLE_PARTS = ("标题", "封面")   # a place in the document's title or on its cover (JS603: 标题残留占位符)


@dataclass
class _Heading:
    """A finding about the document's title: its severity and messages (the page's h1 shows them)."""
    severity: str | None = None
    title: str | None = None

    def flag(self, severity: str, message: str) -> None:
        CellView.flag(self, severity, message)   # type: ignore[arg-type]


@dataclass
class DocumentView:
    title: str
    entity: str
    year: int | None
    parts: list[PartView]
    loose_tables: list[TableView]  # tables of a document without a 第二部分 to hold them
    groups: list[Group]
    pdf: bool
    pages: int | None              # a PDF's number of pages
    source: dict[str, Any]
    heading: _Heading | None = None  # the document's title (h1, anchor TITLE_ANCHOR) when a finding is about it

    @property
    def findings(self) -> list[FindingView]:
        return [f for g in self.groups for f in g.findings]


# ---- tables -----------------------------------------------------------------------------

def _decimal(v: Any) -> Decimal | None:
    if v is None or v == "":
        return None
    try:
        return Decimal(str(v))
    except InvalidOperation:
        return None


def _layout(variants: Any, variant: str | None, td: dict[str, Any]) -> Any:
    """The layout table ``td`` was read in, from its document's variant; None when it is not one
    of the variant's or its rows name columns the layout does not have (a table read with more
    columns than its template prints)."""
    var = variants.get(variant) if variants is not None and variant else None
    lay = var.layouts.get(td.get("id")) if var is not None else None
    if lay is None:
        return None
    heads = {c.header for c in lay.columns} | {c.header for s in lay.sides for c in s.columns}
    if any(h not in heads for r in td.get("rows", []) for h in r.get("cells", {})):
        return None
    return lay


def _generic_grid(t: Table) -> Grid:
    """A table whose layout is not known drawn from its rows: 项目 and the columns its rows have."""
    cols = list(dict.fromkeys(h for r in t.rows for h in r.cells))
    g = Grid(ncols=1 + len(cols), header_rows=1, widths=[30.0] + [12.0] * len(cols))
    g.put(0, 0, "项目", kind="head")
    for j, h in enumerate(cols):
        g.put(0, 1 + j, h, kind="head")
    for i, r in enumerate(t.rows, 1):
        label = f"{r.side}：{r.label}" if r.side else r.label
        g.put(i, 0, f"{r.code} {label}".strip() if r.code and not label.startswith(r.code) else label,
              kind="label", bold=r.level == 0, ref=(r, None))
        for j, h in enumerate(cols):
            g.put(i, 1 + j, kind="num", value=r.cells.get(h), ref=(r, h))
    return g


class _Tables:
    """The document's tables drawn, with their cells indexed by the place a finding gives them."""

    def __init__(self, data: dict[str, Any], variants: Any):
        ts = data.get("tables") or {}
        self.views: list[TableView] = []
        self.by_id: dict[str, TableView] = {}
        self.titles: dict[str, str] = {}
        self.cells: dict[tuple[str, str | None, str, str | None], CellView] = {}
        # (table, side, row, column) → the cell's reading as kept (its printed text and place)
        self.readings: dict[tuple[str, str | None, str, str], dict[str, Any]] = {}
        self.row_readings: dict[tuple[str, str | None, str], dict[str, dict[str, Any]]] = {}
        for tid in ts.get("order") or list(ts.get("tables") or {}):
            td = (ts.get("tables") or {}).get(tid)
            if td is not None:
                self._add(td, ts, variants)

    def _add(self, td: dict[str, Any], ts: dict[str, Any], variants: Any) -> None:
        tid = td["id"]
        lay = _layout(variants, ts.get("variant"), td)
        rows, data_of = [], {}
        for i, rd in enumerate(td.get("rows", [])):
            r = Row(key=rd.get("key", ""), label=rd.get("label", ""), code=rd.get("code") or "",
                    line=rd.get("line"), side=rd.get("side"), level=rd.get("level", 0),
                    cells={h: _decimal(v) for h, v in (rd.get("cells") or {}).items()})
            rows.append(r)
            data_of[id(r)] = (i, rd)
        prefix = f"t-{_slug(tid)}"
        if lay is not None:
            t = Table(id=tid, layout=lay, rows=rows, entity=ts.get("entity") or "", year=ts.get("year"),
                      unit=td.get("unit") or "万元", empty=bool(td.get("empty")), number=td.get("number") or "")
            grid, heading, generic = table_grid(t), table_heading(t), False
        else:
            t = Table(id=tid, layout=None, rows=rows)   # type: ignore[arg-type]
            grid, generic = _generic_grid(t), True
            heading = (td.get("source") or {}).get("title") or td.get("title") or tid
        two_sided = lay is not None and lay.kind == "two_sided"
        out: list[list[CellView]] = []
        for cells in grid.by_row():
            line = []
            for c in cells:
                line.append(self._cell(c, tid, prefix, data_of, two_sided))
            out.append(line)
        view = TableView(tid, prefix, heading, ts.get("entity") or "", td.get("unit") or "万元", out,
                         note=td.get("pending") or "", page=(td.get("source") or {}).get("page"),
                         read_as_generic=generic)
        if td.get("empty") and lay is not None and lay.empty_sentence:
            view.note = view.note or lay.empty_sentence
        self.views.append(view)
        self.by_id[tid] = view
        self.titles[tid] = td.get("title") or tid

    def _cell(self, c, tid: str, prefix: str, data_of: dict[int, tuple[int, dict]], two_sided: bool) -> CellView:
        tag = "th" if c.kind == "head" else "td"
        css = [_CELL_CLASS[c.kind]] if c.kind in _CELL_CLASS else []
        if c.bold and c.kind != "head":
            css.append("b")
        ref = c.ref
        row_index, rd = data_of.get(id(ref[0]), (-1, None)) if ref is not None else (-1, None)
        if c.kind == "num":
            reading = (rd.get("readings") or {}).get(ref[1]) if rd is not None and ref[1] is not None else None
            text = _printed(reading["text"]) if reading and reading.get("text") else fmt_cell(c.value)
            html = _escape(text)
            if reading is not None and reading.get("confidence", 1.0) < 1.0:
                css.append("unsure")
        else:
            html = _lines_html(str(c.text))
        view = CellView(tag, html, css, c.rowspan, c.colspan)
        if rd is not None:
            name = row_name(rd)
            side = rd.get("side") if two_sided else None
            col = ref[1]
            view.anchor = f"{prefix}-r{row_index}" + (f"-{_slug(col)}" if col is not None else "")
            for s in {side, None}:
                self.cells.setdefault((tid, s, name, col), view)
                if rd.get("label") and rd["label"] != name:
                    self.cells.setdefault((tid, s, rd["label"], col), view)
            if col is not None:
                reading = (rd.get("readings") or {}).get(col)
                if reading is not None:
                    for s in {side, None}:
                        self.readings.setdefault((tid, s, name, col), reading)
                        self.row_readings.setdefault((tid, s, name), rd.get("readings") or {})
        return view

    def find(self, p: Place) -> tuple[Any, str] | None:
        """What on the page a table place points at: (the cell, row label or table, its anchor)."""
        if p.table not in self.by_id:
            return None
        if p.row is not None:
            cell = self.cells.get((p.table, p.side, p.row, p.column)) or \
                self.cells.get((p.table, None, p.row, p.column))
            if cell is None and p.column is not None:     # the row is there, the column not: the row
                cell = self.cells.get((p.table, p.side, p.row, None)) or self.cells.get((p.table, None, p.row, None))
            if cell is not None:
                return cell, cell.anchor or ""
        t = self.by_id[p.table]
        return t, t.anchor


def _slug(s: str) -> str:
    """An id-safe form of a name (column headers are Chinese; ids may be any text without spaces)."""
    return re.sub(r"[\s\"'<>&#/]+", "_", s)


# ---- narrative --------------------------------------------------------------------------

class _Narrative:
    def __init__(self, data: dict[str, Any]):
        self.parts: list[PartView] = []
        self.paragraphs: list[tuple[ParaView, SectionView | None, PartView]] = []
        self.sections: dict[tuple[str, str], SectionView] = {}     # (part label, section label)
        self.sections_any: dict[str, SectionView] = {}
        self._n = 0
        for pd in data.get("parts") or []:
            label = _part_label(pd)
            pv = PartView(pd.get("key", ""), f"part-{_slug(pd.get('key', '') or str(len(self.parts)))}",
                          part_title(_Named(pd)), label)
            pv.paragraphs = [self._para(x, None, pv) for x in pd.get("paragraphs") or []]
            pv.sections = [self._section(s, 0, "", pv) for s in pd.get("sections") or []]
            self.parts.append(pv)

    def _para(self, d: dict[str, Any], sec: SectionView | None, part: PartView) -> ParaView:
        self._n += 1
        p = ParaView(d.get("text", ""), d.get("kind", "text"), f"p{self._n}")
        self.paragraphs.append((p, sec, part))
        return p

    def _section(self, d: dict[str, Any], depth: int, parent: str, part: PartView) -> SectionView:
        num = (d.get("number") or "").strip()
        # as rules label it (final/rules/sections.py): 五, 五（三）
        label = (parent + num) if parent and num.startswith("（") else (num.rstrip("、") or parent)
        src = d.get("source") or {}
        self._n += 1
        sv = SectionView(f"s-{_slug(d.get('key') or '')}-{self._n}", section_title(_Named(d)), depth, label,
                         page=src.get("page"))
        sv.paragraphs = [self._para(x, sv, part) for x in d.get("paragraphs") or []]
        inner = label if not num.startswith("（") else parent
        sv.subsections = [self._section(s, depth + 1, inner, part) for s in d.get("subsections") or []]
        if label:
            self.sections.setdefault((part.label, label), sv)
            self.sections_any.setdefault(label, sv)
        return sv

    def find_sentence(self, p: Place, n: int) -> tuple[ParaView, str, int, int] | None:
        """The paragraph holding the place's sentence (in its section when it has one) and where."""
        want = str(p.sentence)
        squashed = re.sub(r"\s+", "", want)
        best = None
        for para, sec, part in self.paragraphs:
            if p.part and part.label != p.part and p.part != part.title:
                continue
            if p.section and (sec is None or sec.label != p.section) and best is not None:
                continue
            i = para.text.find(want)
            if i >= 0:
                got = (para, f"{para.anchor}-m{n}", i, i + len(want))
                if not p.section or (sec is not None and sec.label == p.section):
                    return got
                best = best or got
            elif squashed and squashed in re.sub(r"\s+", "", para.text):
                best = best or (para, f"{para.anchor}-m{n}", -1, -1)
        return best

    def find_section(self, p: Place) -> SectionView | None:
        if not p.section:
            return None
        return self.sections.get((p.part or "", p.section)) or self.sections_any.get(p.section)

    def find_part(self, p: Place) -> PartView | None:
        return next((x for x in self.parts if p.part and p.part in (x.label, x.title)), None)


class _Named:
    """A part's or section's number and title, for the renderers' title functions."""

    def __init__(self, d: dict[str, Any]):
        self.number, self.title = d.get("number") or "", d.get("title") or ""


def _part_label(pd: dict[str, Any]) -> str:
    n = pd.get("number") or ""
    return n if n.startswith("第") else (f"第{n}部分" if n else pd.get("title") or "")


# ---- forms ------------------------------------------------------------------------------

def _form_types() -> dict[str, type]:
    """The forms a document may attach, by their type in data (``form``: project, overall, key_work of
    the 决算; target, the 预算's 绩效目标表)."""
    from ..budget import forms as budget_forms
    from ..final import forms
    out = {}
    for module in (forms, budget_forms):
        for cls in vars(module).values():
            if isinstance(cls, type) and dataclasses.is_dataclass(cls):
                f = next((x for x in dataclasses.fields(cls) if x.name == "form"), None)
                if f is not None and isinstance(f.default, str):
                    out[f.default] = cls
    return out


@functools.lru_cache(maxsize=64)
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, type) of the fields of dataclass ``cls`` set by its constructor."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints.get(f.name)) for f in dataclasses.fields(cls) if f.init)


def _from_data(cls: type, d: dict[str, Any]) -> Any:
    """A form's dataclass from its plain data (``to_data``), nested rows too."""
    kw = {}
    for name, h in _fields(cls):
        if name not in d:
            continue
        v = d[name]
        args = typing.get_args(h)
        if typing.get_origin(h) is list and args and dataclasses.is_dataclass(args[0]) and isinstance(v, list):
            v = [_from_data(args[0], x) for x in v]
        elif h is Decimal and v is not None:
            v = _decimal(v)
        elif typing.get_origin(h) is list and args and typing.get_origin(args[0]) is tuple and isinstance(v, list):
            # (label, amount) pairs: the 预算's 绩效目标表 amounts
            kinds = typing.get_args(args[0])
            v = [tuple(_decimal(x) if k is Decimal else x for k, x in zip(kinds, item)) for item in v]
        kw[name] = v
    return cls(**kw)


def forms_document(data: dict[str, Any] | None) -> Any:
    """A document holding only the forms of ``data`` (and what their headings and grids ask of it:
    title, entity, year, level), or None when it has none or they cannot be read back."""
    if not data or not data.get("forms"):
        return None
    from ..document import Document
    types = _form_types()
    forms = []
    for fd in data["forms"]:
        cls = types.get(fd.get("form"))
        if cls is None:
            continue
        try:
            forms.append(_from_data(cls, fd))
        except (TypeError, ValueError):
            continue
    return Document(data.get("title") or "", data.get("entity") or "", data.get("year"), level=data.get("level"),
                    forms=forms)


def _forms(doc: Any) -> list[tuple[str, FormView]]:
    """(part key, view) of each form the document attaches, drawn from its grid."""
    if doc is None:
        return []
    out = []
    for i, f in enumerate(doc.forms, 1):
        try:
            grid = f.grid(doc)
        except Exception:  # noqa: BLE001 - a form that cannot be drawn is left out, its findings still listed
            continue
        rows = []
        for cells in grid.by_row():
            line = []
            for c in cells:
                text = fmt_cell(c.value) if c.kind == "num" and c.value is not None else c.text
                html = _lines_html(str(text))
                line.append(CellView("th" if c.kind == "head" else "td", html,
                                     [_CELL_CLASS[c.kind]] if c.kind in _CELL_CLASS else [], c.rowspan, c.colspan))
            rows.append(line)
        out.append((f.part, FormView(f"form-{_slug(f.form)}-{i}", f.heading(doc), f.form_name, rows)))
    return out


def _form_of(forms: list[FormView], p: Place) -> tuple[FormView, CellView | None] | None:
    """The form a place names (项目绩效自评表：名称 names one of several), and the cell of its row
    (the cell whose text is the place's row) when there is one."""
    if not p.table:
        return None
    name, _, which = str(p.table).partition("：")
    for f in forms:
        if f.name != name or (which and which not in f.heading):
            continue
        cell = None
        if p.row:
            for line in f.rows:
                for c in line:
                    if c.tag == "td" and c.html == _escape(p.row):
                        cell = c
                        break
                if cell is not None:
                    break
        return f, cell
    return None


# ---- the whole ----------------------------------------------------------------------------

def document_view(data: dict[str, Any] | None, findings: Iterable[dict[str, Any]],
                  marks: dict[str, dict[str, Any]] | None = None, variants: Any = None,
                  forms_doc: Any = None, title: str = "", entity: str = "",
                  elsewhere: dict[str, tuple[str, str]] | None = None) -> DocumentView:
    """The page of a document: ``data`` (``to_data`` of the document; None when it could not be
    read: only the findings are listed), its stored ``findings``, the ``marks`` on them by
    fingerprint; ``variants``: the kind's table layouts by variant (the tables are drawn as their
    layouts say); ``forms_doc``: a document holding the forms to draw (their grids need the objects);
    ``elsewhere``: places in other documents by their file name → (what that document is, its page's
    URL): a cross finding's place in the 预算 is named and linked, not looked for on this page."""
    data = data or {}
    tables = _Tables(data, variants)
    narrative = _Narrative(data)
    forms = _forms(forms_doc)
    loose: list[TableView] = []
    tables_part = next((p for p in narrative.parts if p.key == "tables"), None)
    if tables_part is not None:
        tables_part.tables = tables.views
    else:
        loose = tables.views
    for key, fv in forms:
        part = next((p for p in narrative.parts if p.key == key), None)
        if part is not None:
            part.forms.append(fv)
    form_views = [fv for _, fv in forms]
    heading = _Heading()
    marks = marks or {}
    by_severity: dict[str, list[FindingView]] = {}
    ordered = sorted(findings, key=lambda f: (_rank(f["severity"]), f.get("seq") or 0))
    for n, f in enumerate(ordered):
        message = f["message"]
        tag = UNCHECKED if message.startswith(UNCHECKED) else (TO_REVIEW if TO_REVIEW in message else "")
        links = [_elsewhere(Place.of(pd), elsewhere) if elsewhere and pd.get("file") in elsewhere else
                 _place(Place.of(pd), f["severity"], message, n, k, tables, narrative, form_views, heading)
                 for k, pd in enumerate(f.get("places") or [])]
        sev = f["severity"]
        label = Severity(sev).label if sev in _RANK else sev
        by_severity.setdefault(sev, []).append(FindingView(f["rule"], sev, label, message, f["fingerprint"],
                                                           links, tag, marks.get(f["fingerprint"])))
    groups = [Group(s, Severity(s).label if s in _RANK else s, fs)
              for s, fs in sorted(by_severity.items(), key=lambda kv: _rank(kv[0]))]
    src = data.get("source") or {}
    return DocumentView(data.get("title") or title, data.get("entity") or entity, data.get("year"),
                        narrative.parts, loose, groups, src.get("format") == "pdf", src.get("pages"), src,
                        heading if heading.severity else None)


def _elsewhere(p: Place, elsewhere: dict[str, tuple[str, str]]) -> PlaceLink:
    what, href = elsewhere[p.file]
    return PlaceLink(f"{what}（{p.file}）" + place_text(p._replace(file=None)), None, None, href)


def _place(p: Place, severity: str, message: str, n: int, k: int, tables: _Tables, narrative: _Narrative,
           forms: list[FormView], heading: _Heading) -> PlaceLink:
    text = place_text(p._replace(file=None), tables.titles) or "（未注明位置）"
    page = p.page
    if p.table is not None and p.table in tables.by_id:
        found = tables.find(p)
        if found is not None:
            target, anchor = found
            target.flag(severity, message)
            return PlaceLink(text, anchor, page)
    if p.sentence is not None:
        got = narrative.find_sentence(p, f"{n}-{k}")
        if got is not None:
            para, anchor, start, end = got
            if start < 0:
                if para.whole is None:
                    para.whole = (severity, anchor, message)
                else:
                    anchor = para.whole[1]
            else:
                same = next((s for s in para.spans if s[0] == start and s[1] == end), None)
                if same is not None:
                    anchor = same[3]
                    if _rank(severity) < _rank(same[2]):
                        para.spans[para.spans.index(same)] = (start, end, severity, anchor, same[4])
                else:
                    para.spans.append((start, end, severity, anchor, message))
            return PlaceLink(text, anchor, page)
    if p.table is not None:
        form = _form_of(forms, p)
        if form is not None:
            fv, cell = form
            if cell is not None:
                cell.anchor = cell.anchor or f"{fv.anchor}-c{n}-{k}"
                cell.flag(severity, message)
                return PlaceLink(text, cell.anchor, page)
            fv.flag(severity, message)
            return PlaceLink(text, fv.anchor, page)
    sec = narrative.find_section(p)
    if sec is not None:
        sec.flag(severity, message)
        return PlaceLink(text, sec.anchor, page or sec.page)
    part = narrative.find_part(p)
    if part is not None and p.table is None:
        part.flag(severity, message)
        return PlaceLink(text, part.anchor, page)
    if p.part in _TITLE_PARTS and p.table is None and p.section is None:
        heading.flag(severity, message)
        return PlaceLink(text, TITLE_ANCHOR, page)
    return PlaceLink(text, None, page)


# ---- page images --------------------------------------------------------------------------

@dataclass(frozen=True)
class PageMark:
    """Something to box on a page image: a box (x0, top, x1, bottom in points), the printed text
    to find in it (a cell's figure: narrows a line's box to the cell) or on the page (a sentence),
    and which of equal texts in the box it is (``nth``, from the left)."""
    severity: str
    bbox: tuple[float, ...] | None = None
    text: str | None = None
    nth: int = 0


def page_marks(data: dict[str, Any] | None, findings: Iterable[dict[str, Any]]) -> dict[int, list[PageMark]]:
    """What to box on each page of a PDF: every place of a finding that has a page, most severe last
    (drawn on top)."""
    tables = _Tables(data or {}, None) if data else None
    out: dict[int, list[PageMark]] = {}
    for f in sorted(findings, key=lambda f: -_rank(f["severity"])):
        for pd in f.get("places") or []:
            p = Place.of(pd)
            if p.page is None:
                continue
            mark = _page_mark(p, f["severity"], tables)
            if mark is not None and mark not in out.get(p.page, []):
                out.setdefault(p.page, []).append(mark)
    return out


def _page_mark(p: Place, severity: str, tables: _Tables | None) -> PageMark | None:
    if p.table is not None and p.row is not None and p.column is not None and tables is not None:
        key = (p.table, p.side, p.row, p.column)
        rd = tables.readings.get(key) or tables.readings.get((p.table, None, p.row, p.column))
        if rd is not None:
            place = rd.get("place") or {}
            bbox = tuple(p.bbox or place.get("bbox") or ()) or None
            text = _printed(rd.get("text") or "")
            nth = 0
            if text:   # which of the row's equal figures on that line it is, from the left
                row = tables.row_readings.get((p.table, p.side, p.row)) or \
                    tables.row_readings.get((p.table, None, p.row)) or {}
                for col, other in row.items():
                    if col == p.column:
                        break
                    if _printed(other.get("text") or "") == text and \
                            (other.get("place") or {}).get("bbox") == place.get("bbox"):
                        nth += 1
            return PageMark(severity, bbox, text or None, nth) if bbox or text else None
    if p.bbox:
        return PageMark(severity, tuple(p.bbox))
    if p.sentence:
        return PageMark(severity, None, re.sub(r"\s+", "", str(p.sentence)))
    return None
