"""Arithmetic identities between table cells, declared as data and evaluated by one function.

Owns the declaration types (``Cell``, ``FixedSum``, ``ColumnSum``, ``Hierarchy``,
``BlockSum``, ``SameFact``, ``AtLeast``), the expansion of a declaration against
a document's tables into concrete ``Identity`` instances (figures with places),
and :func:`evaluate`, the single interval check behind every rule of JS1xx and
most of JS2xx. The declaration lists themselves live beside their rules
(:mod:`juesuan.rules.tables_within`, :mod:`juesuan.rules.tables_across`).

Columns are named by their quantity key in :mod:`juesuan.tables.layouts`
(``exp:basic``), resolved to the printed header of the document's layout, so a
regional variant with other headers is checked by the same declarations.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..tables.table import Row
from .engine import Context, Fig, Finding, compare, fmt_fig, hit

__all__ = ["Cell", "FixedSum", "ColumnSum", "Hierarchy", "BlockSum", "SameFact", "AtLeast",
           "Identity", "Check", "evaluate", "expand", "plan", "run", "describe"]


@dataclass(frozen=True)
class Cell:
    """One cell: table, row key (None = the table's single data row), column key, side."""
    table: str
    row: str | None
    column: str
    side: str | None = None


@dataclass(frozen=True)
class FixedSum:
    """total = Σ sign·part over fixed cells (T1, T4, T9)."""
    total: Cell
    parts: tuple[tuple[int, Cell], ...]
    what: str


@dataclass(frozen=True)
class ColumnSum:
    """In every row of ``table``: column ``total`` = Σ sign·column."""
    table: str
    total: str
    parts: tuple[tuple[int, str], ...]
    side: str | None = None
    what: str = ""


@dataclass(frozen=True)
class Hierarchy:
    """功能分类 rows: 类 = Σ款, 款 = Σ项 (``levels="class"``) or 合计 = Σ类 (``levels="total"``)."""
    table: str
    levels: str = "class"


@dataclass(frozen=True)
class BlockSum:
    """T6: block total (人员经费合计/公用经费合计) = Σ its 类; each 类 = Σ its 款."""
    table: str = "T6"


@dataclass(frozen=True)
class SameFact:
    """The same quantity in two places (one unit of the last place is 尾差)."""
    a: Cell
    b: Cell
    what: str


@dataclass(frozen=True)
class AtLeast:
    """a ≥ b (e.g. 支出决算表 ≥ 一般公共预算财政拨款支出决算表, column by column)."""
    a: Cell
    b: Cell
    what: str


@dataclass
class Identity:
    total: Fig
    parts: list[tuple[int, Fig]]
    what: str                          # Chinese description used in the message
    kind: str = "sum"                  # sum | same | atleast
    names: tuple[str, str] = ("合计", "各项之和")
    extra_locations: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# expansion: declarations → identities with figures

def _header(ctx: Context, tid: str, key: str, side: str | None = None) -> str | None:
    return ctx.column_header(tid, key, side)


def _single_row(ctx: Context, tid: str) -> Row | None:
    t = ctx.table(tid)
    if t is None:
        return None
    for r in t.rows:
        if any(v is not None for v in r.cells.values()):
            return r
    return t.rows[0] if t.rows else None


def _cell_row(ctx: Context, c: Cell) -> Row | None:
    if c.row is None:
        return _single_row(ctx, c.table)
    if c.row.startswith("code:"):
        return ctx.row(c.table, code=c.row[5:])
    if c.row == "合计":
        t = ctx.table(c.table)
        r = ctx.row(c.table, "合计")
        if r is None and t is not None:
            r = next((x for x in t.rows if not x.code and x.level == 0 and "合计" in (x.label or "")), None)
        return r
    return ctx.row(c.table, c.row, side=c.side)


def _resolve(ctx: Context, c: Cell) -> tuple[Row | None, str | None]:
    memo = ctx.cache.setdefault("cells", {})
    got = memo.get(c)
    if got is None:
        got = memo[c] = (_cell_row(ctx, c), _header(ctx, c.table, c.column, c.side))
    return got


def cell_fig(ctx: Context, c: Cell, missing_zero: bool = False) -> Fig | None:
    """The figure of a declared cell; a missing function-table row is a blank (0) when asked."""
    row, header = _resolve(ctx, c)
    if header is None:
        return None
    if row is None:
        t = ctx.table(c.table)
        if not missing_zero or t is None or c.row is None:
            return None
        if not c.row.startswith("code:") and not any(r.key == c.row.split(":")[0] or ":" in r.key for r in t.rows):
            return None   # the table's rows are not keyed by the layout: do not guess zeros
        label = c.row[5:] if c.row.startswith("code:") else c.row
        return Fig.table(Decimal(0), {"table": c.table, "row": label, "column": header, "note": "未列示"})
    return ctx.fig(c.table, row, header)


def _label(ctx: Context, tid: str, row: Row) -> str:
    return ctx.where(tid, row).get("row", row.key)


# ---------------------------------------------------------------------------------------
# compilation: declarations → checks against one table shape
#
# Expanding a declaration (which rows a 类 has, which header a column key names, where
# "合计" is) depends only on the *shape* of the tables — their layouts, emptiness and row
# keys/codes/labels — not on the figures. Thousands of documents share one shape, so a
# declaration list is compiled once per shape into ``Check``s that name their cells by
# row index and header, and each document only adds up the displayed figures. Figures,
# intervals and words are built (exactly as before) only for the few checks that do not
# add up with the displayed figures.

# A compiled reference to one displayed cell:
#   ("row", tid, row_index, header)   a listed row
#   ("zero", tid, label, header)      a function-table row not listed: blank (0), "未列示"
#   ("single", tid, header)           the table's single data row (T9), chosen per document:
#                                      it is the first row with figures, which depends on them
Ref = tuple


def _row_words(tid: str, i: int, before: str, after: str) -> Callable[[Context], str]:
    """Words naming row ``i`` (its label between ``before`` and ``after``), written only for a finding."""
    return lambda ctx: before + _label(ctx, tid, ctx.doc.tables.tables[tid].rows[i]) + after  # type: ignore[union-attr]


class Check:
    """One compiled identity: its cells (``Ref``s) and its words. Shared by every document of a shape.

    ``what`` may be a function of the context: most checks hold, and never need their words.
    """

    __slots__ = ("kind", "total", "parts", "what", "names")

    def __init__(self, kind: str, total: Ref, parts: tuple[tuple[int, Ref], ...], what: str | Callable[[Context], str],
                 names: tuple[str, str] = ("合计", "各项之和")):
        self.kind = kind                   # sum | same | atleast (see ``Identity``)
        self.total = total
        self.parts = parts
        self.what = what
        self.names = names

    def __repr__(self) -> str:
        return f"Check({self.kind}, {self.what})"


def _row_index(ctx: Context, tid: str) -> dict[int, int]:
    memo = ctx.cache.setdefault("row_index", {})
    got = memo.get(tid)
    if got is None:
        t = ctx.table(tid)
        got = memo[tid] = {} if t is None else {id(r): i for i, r in enumerate(t.rows)}
    return got


def _ref(ctx: Context, c: Cell) -> Ref | None:
    """Where the figure of ``c`` is (None: no figure, the identity is skipped); mirrors ``cell_fig(.., True)``."""
    row, header = _resolve(ctx, c)
    if header is None:
        return None
    if row is None:
        t = ctx.table(c.table)
        if t is None or c.row is None:
            return None
        if not c.row.startswith("code:") and not any(r.key == c.row.split(":")[0] or ":" in r.key for r in t.rows):
            return None   # the table's rows are not keyed by the layout: do not guess zeros
        return ("zero", c.table, c.row[5:] if c.row.startswith("code:") else c.row, header)
    if c.row is None:
        return ("single", c.table, header)
    return ("row", c.table, _row_index(ctx, c.table)[id(row)], header)


def _compile(ctx: Context, decl) -> list[Check]:
    """The checks of one declaration against the tables of ``ctx`` (in the order findings are reported)."""
    t = ctx.table(getattr(decl, "table", None) or getattr(getattr(decl, "total", None), "table", None)
                  or getattr(getattr(decl, "a", None), "table", ""))
    out: list[Check] = []
    if isinstance(decl, FixedSum):
        total = _ref(ctx, decl.total)
        parts = tuple((s, _ref(ctx, c)) for s, c in decl.parts)
        if total is not None and all(r is not None for _, r in parts):
            out.append(Check("sum", total, parts, decl.what))  # type: ignore[arg-type]
        return out
    if isinstance(decl, SameFact):
        ra, rb = _resolve(ctx, decl.a)[0], _resolve(ctx, decl.b)[0]
        if ra is None and rb is None:
            return out
        a, b = _ref(ctx, decl.a), _ref(ctx, decl.b)
        if a is None or b is None:
            return out
        if ctx.table(decl.a.table).empty and ctx.table(decl.b.table).empty:  # type: ignore[union-attr]
            return out
        out.append(Check("same", a, ((1, b),), decl.what))
        return out
    if isinstance(decl, AtLeast):
        a, b = _ref(ctx, decl.a), _ref(ctx, decl.b)
        if a is not None and b is not None:
            out.append(Check("atleast", a, ((1, b),), decl.what))
        return out
    if t is None or t.empty:
        return out
    tid = t.id
    index = _row_index(ctx, tid)

    def at(row: Row, h: str) -> Ref:
        return ("row", tid, index[id(row)], h)

    if isinstance(decl, ColumnSum):
        th = _header(ctx, tid, decl.total, decl.side)
        ph = [(s, _header(ctx, tid, k, decl.side)) for s, k in decl.parts]
        if th is None or any(h is None for _, h in ph):
            return out
        for row in t.rows:
            if decl.side is not None and row.side != decl.side:
                continue
            if not row.label and not row.key:
                continue
            out.append(Check("sum", at(row, th), tuple([(s, at(row, h)) for s, h in ph]),  # type: ignore[misc]
                             _row_words(tid, index[id(row)], f"{t.title}“", f"”行：{decl.what}"),
                             (th, "各组成列之和")))  # type: ignore[arg-type]
    elif isinstance(decl, Hierarchy):
        cols = [c.header for c in t.layout.columns]
        rows = [r for r in t.rows if r.code]
        if decl.levels == "total":
            total_row = next((r for r in t.rows if r.level == 0 and not r.code), None)
            classes = [r for r in rows if len(r.code) == 3]
            if total_row is None or not classes:
                return out
            for h in cols:
                out.append(Check("sum", at(total_row, h), tuple((1, at(r, h)) for r in classes),
                                 f"{t.title}“{h}”列：合计 = 各类之和", ("合计", "各类之和")))
            return out
        kids: dict[str, list[Row]] = {}
        for r in rows:
            if len(r.code) in (5, 7):
                kids.setdefault(r.code[: len(r.code) - 2], []).append(r)
        for parent in rows:
            n = len(parent.code)
            if n not in (3, 5):
                continue
            children = kids.get(parent.code)
            if not children:
                continue
            pname, cname = ("类", "款") if n == 3 else ("款", "项")
            for h in cols:
                out.append(Check("sum", at(parent, h), tuple([(1, at(r, h)) for r in children]),
                                 _row_words(tid, index[id(parent)], f"{t.title}“", f"”行“{h}”列：{pname} = 各{cname}之和"),
                                 (pname, f"各{cname}之和")))
    elif isinstance(decl, BlockSum):
        h = t.layout.columns[0].header
        coded = [r for r in t.rows if r.code]
        for cls in [r for r in coded if len(r.code) == 3]:
            items = [r for r in coded if len(r.code) == 5 and r.code.startswith(cls.code)]
            if items:
                out.append(Check("sum", at(cls, h), tuple([(1, at(r, h)) for r in items]),
                                 _row_words(tid, index[id(cls)], f"{t.title}“", "”：类 = 各款之和"), ("类", "各款之和")))
        for block in ("人员经费", "公用经费"):
            total_row = next((r for r in t.rows if not r.code and r.key == f"{block}合计"), None) \
                or next((r for r in t.rows if not r.code and block in (r.label or "") and "合计" in (r.label or "")), None)
            classes = [r for r in coded if len(r.code) == 3 and r.side == block]
            if total_row is None or not classes:
                continue
            out.append(Check("sum", at(total_row, h), tuple((1, at(r, h)) for r in classes),
                             f"{t.title}：{block}合计 = 各类之和", (f"{block}合计", "各类之和")))
    return out


_MAX_PLANS = 4096
_PLANS: dict[tuple[int, int], tuple[object, "Plan"]] = {}


def _getter(slots: tuple[int, ...]) -> Callable[[list], tuple]:
    """A C-level getter of these slots' values, always returning a tuple."""
    if len(slots) > 1:
        return operator.itemgetter(*slots)
    if slots:
        k = slots[0]
        return lambda vals: (vals[k],)
    return lambda vals: ()


def _value(ctx: Context, tables: dict, ref: Ref):
    """The displayed value (blank = 0) at ``ref``."""
    kind = ref[0]
    if kind == "row":
        return tables[ref[1]].rows[ref[2]].cells.get(ref[3]) or 0
    if kind == "single":
        return _single(ctx, ref[1]).cells.get(ref[2]) or 0
    return 0


def _disagrees(ctx: Context, tables: dict, chk: Check) -> bool:
    """Do the displayed figures (blank = 0) of ``chk`` disagree? The plain way, cell by cell."""
    total = _value(ctx, tables, chk.total)
    if chk.kind == "atleast":
        return total < _value(ctx, tables, chk.parts[0][1])
    acc = 0
    for sign, ref in chk.parts:
        v = _value(ctx, tables, ref)
        acc = acc + v if sign > 0 else acc - v
    return acc != total


class ShapeCells:
    """The cells read by the arranged plans of one table shape. Each has one slot in a vector of
    displayed values read once per document for all the plans (the same cell takes part in
    several identities: 类 = Σ款, 合计 = Σ类, 合计列 = Σ组成列 …). Slot 0 is the constant 0."""

    def __init__(self):
        self.slot: dict[tuple[str, int | None, str], int] = {}
        self.chunks: list[tuple[str, int | None, tuple[str, ...]]] = []   # rows to read, in slot order
        self.n = 1

    def add(self, cells: Iterable[tuple[str, int | None, str]]) -> None:
        """Give slots to the cells not seen yet, grouped by row (one C-level read per row)."""
        new: dict[tuple[str, int | None], list[str]] = {}
        for tid, i, h in cells:
            if (tid, i, h) not in self.slot:
                heads = new.setdefault((tid, i), [])
                if h not in heads:
                    heads.append(h)
        for (tid, i), heads in new.items():
            for h in heads:
                self.slot[(tid, i, h)] = self.n
                self.n += 1
            self.chunks.append((tid, i, tuple(heads)))

    def values(self, ctx: Context) -> list:
        """The displayed values (blank = 0) of this document, read once per check and extended
        when a plan arranged meanwhile added cells."""
        memo = ctx.cache.setdefault("values", {})
        got = memo.get(id(self))
        if got is None:
            got = memo[id(self)] = [[0], 0]
        vals, done = got
        if done < len(self.chunks):
            tables = ctx.doc.tables.tables  # type: ignore[union-attr]
            vals.extend([v or 0 for tid, i, hs in self.chunks[done:]
                         for v in map((tables[tid].rows[i] if i is not None else _single(ctx, tid)).cells.get, hs)])
            got[1] = len(self.chunks)
        return vals


_SHAPE_CELLS: dict[int, ShapeCells] = {}


class Plan:
    """Compiled checks. Once a second document of the shape comes they are arranged for speed:
    their cells get slots in the shape's vector of values (``ShapeCells``), read once per
    document, and each check adds up its slots. (For a shape seen once, arranging costs more
    than it saves.)"""

    def __init__(self, checks: list[Check]):
        self.checks = checks
        self.cells: ShapeCells | None = None
        self.fast: list[tuple] = []
        self.seen = 0

    def _arrange(self, ctx: Context) -> None:
        cells = _SHAPE_CELLS.get(ctx.shape)  # type: ignore[arg-type]
        if cells is None:
            cells = _SHAPE_CELLS[ctx.shape] = ShapeCells()  # type: ignore[index]

        def cell(ref: Ref) -> tuple[str, int | None, str] | None:
            if ref[0] == "row":
                return (ref[1], ref[2], ref[3])
            if ref[0] == "single":
                return (ref[1], None, ref[2])
            return None                                   # "zero"

        cells.add(c for chk in self.checks for r in (chk.total, *[r for _, r in chk.parts])
                  if (c := cell(r)) is not None)

        def slot(ref: Ref) -> int:
            c = cell(ref)
            return 0 if c is None else cells.slot[c]

        # per check: (check, total slot, the one part's slot or None, getter of added, of subtracted)
        fast = []
        for chk in self.checks:
            pos = tuple([slot(r) for sg, r in chk.parts if sg > 0])
            neg = tuple([slot(r) for sg, r in chk.parts if sg < 0])
            one = pos[0] if len(pos) == 1 and not neg else None
            fast.append((chk, slot(chk.total), one, None if one is not None else _getter(pos),
                         _getter(neg) if neg else None))
        self.fast = fast
        self.cells = cells          # set last: it marks the plan as arranged

    def failing(self, ctx: Context) -> Iterator[Check]:
        """Checks whose displayed figures (blank = 0) disagree: only these can report anything."""
        self.seen += 1
        if self.cells is None:
            if self.seen == 1 or ctx.shape is None:
                tables = ctx.doc.tables.tables  # type: ignore[union-attr]
                yield from (chk for chk in self.checks if _disagrees(ctx, tables, chk))
                return
            self._arrange(ctx)
        vals = self.cells.values(ctx)  # type: ignore[union-attr]
        for chk, t, one, pos, neg in self.fast:
            total = vals[t]
            if one is not None:
                if (total < vals[one]) if chk.kind == "atleast" else (total != vals[one]):
                    yield chk
                continue
            acc = sum(pos(vals))
            if neg is not None:
                acc -= sum(neg(vals))
            if acc != total:
                yield chk


def plan(ctx: Context, decls) -> Plan:
    """The compiled checks of a declaration list for the document's table shape (cached per shape)."""
    sid = ctx.shape
    key = (id(decls), sid)
    got = _PLANS.get(key) if sid is not None else None
    if got is not None and got[0] is decls:
        return got[1]
    compiled = Plan([c for d in decls for c in _compile(ctx, d)])
    if sid is not None:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
            _SHAPE_CELLS.clear()    # arranged plans keep their own ``ShapeCells``
        _PLANS[key] = (decls, compiled)   # holding ``decls`` keeps its id() from being reused
    return compiled


def _single(ctx: Context, tid: str) -> Row:
    memo = ctx.cache.setdefault("single", {})
    r = memo.get(tid)
    if r is None:
        r = memo[tid] = _single_row(ctx, tid)
    return r  # type: ignore[return-value]


def _fig(ctx: Context, ref: Ref) -> Fig:
    """The figure at ``ref`` with its place, as ``cell_fig`` gives it."""
    kind = ref[0]
    if kind == "row":
        return ctx.fig(ref[1], ctx.doc.tables.tables[ref[1]].rows[ref[2]], ref[3])  # type: ignore[union-attr,return-value]
    if kind == "single":
        return ctx.fig(ref[1], _single(ctx, ref[1]), ref[2])  # type: ignore[return-value]
    return Fig.table(Decimal(0), {"table": ref[1], "row": ref[2], "column": ref[3], "note": "未列示"})


def identity(ctx: Context, chk: Check) -> Identity:
    what = chk.what if isinstance(chk.what, str) else chk.what(ctx)
    return Identity(_fig(ctx, chk.total), [(s, _fig(ctx, r)) for s, r in chk.parts], what, kind=chk.kind,
                    names=chk.names)


def expand(ctx: Context, decl) -> Iterator[Identity]:
    """Identities of ``decl`` whose displayed figures disagree (the others cannot report anything)."""
    if ctx.doc.tables is None:
        return
    for chk in Plan(_compile(ctx, decl)).failing(ctx):
        yield identity(ctx, chk)


# ---------------------------------------------------------------------------------------
# the one evaluation

def _sum_text(parts: list[tuple[int, Fig]]) -> str:
    d = max((f.decimals for _, f in parts), default=2)
    return fmt_fig(sum((f.value * s for s, f in parts), Decimal(0)), min(d, 2))


def evaluate(idn: Identity) -> Finding | None:
    """Check one identity with intervals; None when it holds with equal displayed figures."""
    total = idn.total
    # fast path: displayed figures agree exactly (most identities) — no intervals, no words
    if idn.kind == "atleast":
        if total.value >= idn.parts[0][1].value:
            return None
    elif sum((f.value if sg > 0 else -f.value for sg, f in idn.parts), Decimal(0)) == total.value:
        return None
    many = idn.kind == "sum" and len(idn.parts) > 2      # long sums: blank parts are not places to look at
    locs = [total.where] + [f.where for _, f in idn.parts if f.value or not many][:40] + idn.extra_locations
    if idn.kind == "atleast":
        b = idn.parts[0][1]
        if total.iv.hi >= b.iv.lo:
            return None
        v = compare(total, idn.parts, single_allowance=True)
        sev = "info" if v.ok else None
        gap = fmt_fig(b.value - total.value)
        msg = (f"{idn.what}：{total.text} 小于 {b.text}（差 {gap}）"
               + ("，在舍入误差范围内（尾差）" if sev == "info" else "，任何舍入都解释不了"))
        return hit(msg, locs, [total.text, b.text], sev)
    single = idn.kind == "same"
    v = compare(total, idn.parts, single_allowance=single)
    if v.ok and not v.tail:
        return None
    if single:
        other = idn.parts[0][1]
        figs = [total.text, other.text]
        if v.ok:
            msg = f"{idn.what}：同一数字两处列示为 {total.text} 与 {other.text}，差额在舍入误差范围内（尾差）"
        else:
            msg = (f"{idn.what}：同一数字两处列示为 {total.text} 与 {other.text}，"
                   f"相差 {fmt_fig(abs(total.value - other.value))}，超出舍入误差")
        return hit(msg, locs, figs, "info" if v.ok else None)
    s = _sum_text(idn.parts)
    figs = [total.text, s]
    name_t, name_s = idn.names
    diff = fmt_fig(abs(total.value - sum((f.value * sg for sg, f in idn.parts), Decimal(0))))
    if v.ok:
        msg = f"{idn.what}：{name_s} {s} 与{name_t} {total.text} 相差 {diff}，在舍入误差范围内（尾差）"
        return hit(msg, locs, figs, "info")
    msg = f"{idn.what}：{name_s} {s} 与{name_t} {total.text} 不符，相差 {diff}，超出舍入误差"
    return hit(msg, locs, figs)


def run(ctx: Context, decls: Iterable, *, shared: bool = True) -> Iterator[Finding]:
    """Findings of a declaration list. ``shared``: ``decls`` is a constant (a module-level tuple)
    whose compiled checks are cached per table shape; per-document lists pass False."""
    ts = ctx.doc.tables
    if ts is None:
        return
    compiled = plan(ctx, decls) if shared else Plan([c for d in decls for c in _compile(ctx, d)])
    for chk in compiled.failing(ctx):
        f = evaluate(identity(ctx, chk))
        if f is not None:
            yield f


def describe(decl) -> str:  # pragma: no cover - used for docs/debugging
    return repr(decl)
