"""Arithmetic identities between table cells, declared as data and evaluated by one function.

Owns the declaration types (``Cell``, ``FixedSum``, ``ColumnSum``, ``Hierarchy``,
``BlockSum``, ``SameFact``, ``AtLeast``), the expansion of a declaration against
a document's tables into concrete ``Identity`` instances (figures with places),
and :func:`evaluate`, the single interval check behind every rule of JS1xx and
most of JS2xx. The declaration lists themselves live beside their rules
(:mod:`juesuan.final.rules.tables_within`, :mod:`juesuan.final.rules.tables_across`).

Columns are named by their quantity key in :mod:`juesuan.final.layouts`
(``exp:basic``), resolved to the printed header of the document's layout, so a
regional variant with other headers is checked by the same declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from operator import attrgetter, call, itemgetter, sub
from typing import Any

from ..figures import fmt
from ..tables.table import Row
from .context import Context, Fig, Finding, compare, hit

__all__ = ["Cell", "FixedSum", "ColumnSum", "Hierarchy", "BlockSum", "SameFact", "AtLeast",
           "Identity", "cell_fig", "cell_value", "evaluate", "expand", "run", "read_together", "describe"]


@dataclass(frozen=True)
class Cell:
    """One cell: table, row key (None = the table's single data row), column key, side."""
    table: str
    row: str | None
    column: str
    side: str | None = None

    def __post_init__(self):
        # how the row is found (see ``_cell_row``), worked out once per declaration: by key (0),
        # by (key, side) (1) or by code (2) and that key, or _SINGLE (the table's single data
        # row) / _TOTAL (合计, found by key or by label)
        r = self.row
        if r is None:
            by, k = _SINGLE, None
        elif r.startswith("code:"):
            by, k = 2, r[5:]
        elif r == "合计":
            by, k = _TOTAL, r
        elif self.side is None:
            by, k = 0, r
        else:
            by, k = 1, (r, self.side)
        object.__setattr__(self, "_by", by)
        object.__setattr__(self, "_k", k)


_SINGLE, _TOTAL = 4, 5


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
# locating declared cells in a document

def _single_row(ctx: Context, tid: str) -> Row | None:
    t = ctx.table(tid)
    if t is None:
        return None
    for r in t.rows:
        if any(v is not None for v in r.cells.values()):
            return r
    return t.rows[0] if t.rows else None


def _single(ctx: Context, tid: str) -> Row | None:
    """The table's single data row (T9): the first row with figures (per document, it depends on them)."""
    memo = ctx.cache.setdefault("single", {})
    r = memo.get(tid, memo)
    if r is memo:
        r = memo[tid] = _single_row(ctx, tid)
    return r


def _cell_row(ctx: Context, c: Cell) -> Row | None:
    by = c._by  # type: ignore[attr-defined]
    if by == _SINGLE:
        return _single(ctx, c.table)
    if by == 1:
        key, side = c._k  # type: ignore[attr-defined]
        r = ctx._rows(c.table, 0).get(key)
        return r if r is None or r.side == side else ctx.row(c.table, key, side=side)
    return _index(ctx, c.table, by).get(c._k)  # type: ignore[attr-defined]


def _total_row(ctx: Context, tid: str) -> Row | None:
    """The 合计 row of ``tid``: the first row keyed 合计, else the first uncoded top row labelled 合计.
    (A scan, not ``Context.row``: the 合计 row comes first, and the tables whose rows are looked up
    by key for nothing else are spared indexing every row.)"""
    t = ctx.table(tid)
    if t is None:
        return None
    for r in t.rows:
        if r.key == "合计":
            return r
    return next((x for x in t.rows if not x.code and x.level == 0 and "合计" in (x.label or "")), None)


def _resolve(ctx: Context, c: Cell) -> tuple[Row | None, str | None]:
    """The row and the printed column header of ``c`` in this document (both are indexed look-ups)."""
    return _cell_row(ctx, c), ctx.column_header(c.table, c.column, c.side)


def cell_fig(ctx: Context, c: Cell, missing_zero: bool = False) -> Fig | None:
    """The figure of a declared cell; a missing function-table row is a blank (0) when asked."""
    row, header = _resolve(ctx, c)
    if header is None:
        return None
    if row is None:
        if not missing_zero:
            return None
        ref = _missing(ctx, c, header)
        return None if ref is None else _fig(ctx, ref)
    return ctx.fig(c.table, row, header)


def cell_value(ctx: Context, c: Cell):
    """The displayed value of ``cell_fig(ctx, c, missing_zero=True)`` (blank = 0; None: no figure),
    without making the figure: for comparisons that nearly always agree."""
    return _value(ctx, c)


def _label(ctx: Context, tid: str, row: Row) -> str:
    return ctx.where(tid, row).get("row", row.key)


# ---------------------------------------------------------------------------------------
# expansion: declarations → the identities of one document whose displayed figures disagree
#
# Each declaration is evaluated directly on the document's rows: the displayed figures
# (blank = 0) are added up in a tight loop and compared, and only an identity that does
# not add up with them — the rare one that can report anything — is built with figures,
# places and words (an ``Identity``) and handed to :func:`evaluate` for the interval check.
# Nothing is compiled or cached per table shape: in real use every department's tables
# have their own shape (their own function-classification codes), so the first, cold
# evaluation is the one that counts.

# A located cell: (table, row, header, label). ``row`` None is a function-table row that is
# not listed — a blank (0) shown as "未列示" under ``label``.
Ref = tuple


def _missing(ctx: Context, c: Cell, header: str) -> Ref | None:
    """The blank stand-in for a declared row the table does not list (None: the cell is not there)."""
    t = ctx.table(c.table)
    if t is None or c.row is None:
        return None
    if not c.row.startswith("code:") and not any(r.key == c.row.split(":")[0] or ":" in r.key for r in t.rows):
        return None   # the table's rows are not keyed by the layout: do not guess zeros
    return (c.table, None, header, c.row.removeprefix("code:"))


def _ref(ctx: Context, c: Cell, row: Row | None, header: str | None) -> Ref | None:
    """Where the figure of ``c`` (resolved to ``row``, ``header``) is; None: no figure, the identity is skipped."""
    if header is None:
        return None
    if row is None:
        return _missing(ctx, c, header)
    return (c.table, row, header, None)


def _locate(ctx: Context, c: Cell) -> Ref | None:
    return _ref(ctx, c, *_resolve(ctx, c))


def _value_at(ctx: Context, c: Cell, row: Row | None, header: str | None):
    """The displayed value (blank = 0) of ``c`` resolved to ``row``, ``header``, without building
    its reference; None when there is no figure (``_ref`` is None)."""
    if row is not None:
        return row.cells.get(header) or 0 if header is not None else None
    if header is None:
        return None
    if c._by == 2:  # type: ignore[attr-defined]
        return 0      # an unlisted code row of a table that is there (it has headers): blank
    return None if _missing(ctx, c, header) is None else 0


def _value(ctx: Context, c: Cell):
    return _value_at(ctx, c, *_resolve(ctx, c))


def _fig(ctx: Context, ref: Ref) -> Fig:
    """The figure at ``ref`` with its place, as ``cell_fig`` gives it."""
    tid, row, header, label = ref
    if row is None:
        return Fig.table(Decimal(0), {"table": tid, "row": label, "column": header, "note": "未列示"})
    return ctx.fig(tid, row, header)  # type: ignore[return-value]


def _identity(ctx: Context, total: Ref, parts: list[tuple[int, Ref]], what: str, kind: str = "sum",
              names: tuple[str, str] = ("合计", "各项之和")) -> Identity:
    return Identity(_fig(ctx, total), [(s, _fig(ctx, r)) for s, r in parts], what, kind=kind, names=names)


def _at(ctx: Context, tid: str, row: Row, header: str) -> Fig:
    return ctx.fig(tid, row, header)  # type: ignore[return-value]


def _fixed_sum(ctx: Context, d: FixedSum) -> Iterator[Identity]:
    total = _value(ctx, d.total)
    if total is None:
        return
    acc = 0
    for sign, c in d.parts:
        v = _value(ctx, c)
        if v is None:
            return
        acc = acc + v if sign > 0 else acc - v
    if acc != total:
        yield _identity(ctx, _locate(ctx, d.total), [(s, _locate(ctx, c)) for s, c in d.parts], d.what)  # type: ignore[arg-type]


def _same_fact(ctx: Context, d: SameFact) -> Iterator[Identity]:
    ca, cb = d.a, d.b
    ra, rb = _cell_row(ctx, ca), _cell_row(ctx, cb)
    if ra is None and rb is None:
        return
    a = _value_at(ctx, ca, ra, ctx.column_header(ca.table, ca.column, ca.side))
    b = _value_at(ctx, cb, rb, ctx.column_header(cb.table, cb.column, cb.side))
    if a is None or b is None:
        return
    if ctx.table(ca.table).empty and ctx.table(cb.table).empty:  # type: ignore[union-attr]
        return
    if a != b:
        yield _identity(ctx, _locate(ctx, ca), [(1, _locate(ctx, cb))], d.what, "same")  # type: ignore[arg-type]


def _at_least(ctx: Context, d: AtLeast) -> Iterator[Identity]:
    a, b = _value(ctx, d.a), _value(ctx, d.b)
    if a is not None and b is not None and a < b:
        yield _identity(ctx, _locate(ctx, d.a), [(1, _locate(ctx, d.b))], d.what, "atleast")  # type: ignore[arg-type]


# Sums of rows (JS101, JS102, JS106) and of columns (JS103) are first tested on whole rows of
# displayed values with C-level ``itemgetter``/``map``/``zip``/``sum``; only a sum that does not
# hold there — or cannot be tested so because of a blank or missing cell — is gone through
# column by column with figures and places (``_sum_of_rows``, the row loop of ``_column_sum``),
# which decides what is reported.

def _adds_up(total: dict, parts: list[dict], cols: list[str]) -> bool:
    """Do the cells ``parts`` add up to ``total`` in every column of ``cols``? False when unsure."""
    if len(parts) == 1 and total == parts[0]:
        return True
    try:
        if len(cols) == 1:
            h = cols[0]
            return sum([c[h] for c in parts]) == total[h]
        get = itemgetter(*cols)
        return list(map(sum, zip(*map(get, parts)))) == list(get(total))
    except (KeyError, TypeError):     # a missing or blank (None) cell
        return False


_DEC0 = Decimal(0)


def _row_sums(cells: list[dict], cols: list[str]) -> list:
    """For every row's cells, the sum of its values in ``cols`` (blank = 0; KeyError for a missing
    cell); of one column, its values as they are (None for a blank)."""
    if len(cols) == 1:
        return list(map(itemgetter(cols[0]), cells))
    # blanks and zeros left out: adding a Decimal costs more than skipping it, and most figures
    # are 0. A Decimal start: adding to int 0 would convert it to a Decimal; the sums are only
    # compared with ==, where 0 and Decimal(0) agree
    return list(map(sum, map(filter, repeat(None), map(itemgetter(*cols), cells)), repeat(_DEC0)))


def _column_sum(ctx: Context, d: ColumnSum) -> Iterator[Identity]:
    t = ctx.table(d.table)
    if t is None or t.empty:
        return
    tid, side = t.id, d.side
    th = ctx.column_header(tid, d.total, side)
    ph = [(s, ctx.column_header(tid, k, side)) for s, k in d.parts]
    if th is None or any(h is None for _, h in ph):
        return
    pos = [h for s, h in ph if s > 0]
    neg = [h for s, h in ph if s < 0]
    for row in t.rows:
        if side is not None and row.side != side:
            continue
        if not row.label and not row.key:
            continue
        get = row.cells.get
        acc = sum(filter(None, map(get, pos)))
        if neg:
            acc -= sum(filter(None, map(get, neg)))
        if acc != (get(th) or 0):
            yield Identity(_at(ctx, tid, row, th), [(s, _at(ctx, tid, row, h)) for s, h in ph],
                           f"{t.title}“{_label(ctx, tid, row)}”行：{d.what}", names=(th, "各组成列之和"))


def _sum_of_rows(ctx: Context, t, total: Row, parts: list[Row], cols: Iterable[str], what: Callable[[str], str],
                 names: tuple[str, str]) -> Iterator[Identity]:
    """``total`` = Σ ``parts`` in each of ``cols`` (rows of one table), column by column."""
    tc = total.cells
    if len(parts) == 1:
        pc = parts[0].cells
        bad = [h for h in cols if (tc.get(h) or 0) != (pc.get(h) or 0)]
    else:
        cells = [r.cells for r in parts]
        bad = [h for h in cols if sum(filter(None, [c.get(h) for c in cells])) != (tc.get(h) or 0)]
    tid = t.id
    for h in bad:
        yield Identity(_at(ctx, tid, total, h), [(1, _at(ctx, tid, r, h)) for r in parts], what(h), names=names)


def _hierarchy(ctx: Context, d: Hierarchy) -> Iterator[Identity]:
    t = ctx.table(d.table)
    if t is None or t.empty:
        return
    cols = [c.header for c in t.layout.columns]
    if not cols:
        return   # no column to compare
    rows = t.rows
    if d.levels == "total":
        total = next((r for r in rows if r.level == 0 and not r.code), None)
        classes = [r for r in rows if r.code and len(r.code) == 3]
        if total is None or not classes or _adds_up(total.cells, [r.cells for r in classes], cols):
            return
        yield from _sum_of_rows(ctx, t, total, classes, cols,
                                lambda h: f"{t.title}“{h}”列：合计 = 各类之和", ("合计", "各类之和"))
        return
    # one pass: the 款/项 rows by their parent's code, and the 类/款 rows (the parents) in order
    kids: dict[str, list[Row]] = {}
    parents: list[Row] = []
    for r in rows:
        c = r.code
        if not c:
            continue
        n = len(c)
        if n == 5 or n == 7:
            kids.setdefault(c[:-2], []).append(r)
        if n == 3 or n == 5:
            parents.append(r)
    for parent in parents:
        children = kids.get(parent.code)
        if not children or _adds_up(parent.cells, [r.cells for r in children], cols):
            continue
        pname, cname = ("类", "款") if len(parent.code) == 3 else ("款", "项")
        yield from _sum_of_rows(
            ctx, t, parent, children, cols,
            lambda h, p=parent, a=pname, b=cname: f"{t.title}“{_label(ctx, t.id, p)}”行“{h}”列：{a} = 各{b}之和",
            (pname, f"各{cname}之和"))


def _block_sum(ctx: Context, d: BlockSum) -> Iterator[Identity]:
    t = ctx.table(d.table)
    if t is None or t.empty:
        return
    h = t.layout.columns[0].header
    cols = [h]
    # one pass: 类 rows, 款 rows by their 类, and the rows without a code (the block totals)
    classes: list[Row] = []
    items: dict[str, list[Row]] = {}
    uncoded: list[Row] = []
    for r in t.rows:
        c = r.code
        if not c:
            uncoded.append(r)
        elif len(c) == 5:
            items.setdefault(c[:3], []).append(r)
        elif len(c) == 3:
            classes.append(r)
    for cls in classes:
        parts = items.get(cls.code)
        if parts and not _adds_up(cls.cells, [r.cells for r in parts], cols):
            yield from _sum_of_rows(ctx, t, cls, parts, cols,
                                    lambda _, c=cls: f"{t.title}“{_label(ctx, t.id, c)}”：类 = 各款之和", ("类", "各款之和"))
    for block in ("人员经费", "公用经费"):
        key = f"{block}合计"
        total = next((r for r in uncoded if r.key == key), None)
        if total is None:
            total = next((r for r in uncoded if block in (r.label or "") and "合计" in (r.label or "")), None)
        parts = [r for r in classes if r.side == block]
        if total is None or not parts or _adds_up(total.cells, [r.cells for r in parts], cols):
            continue
        yield from _sum_of_rows(ctx, t, total, parts, cols, lambda _, b=block: f"{t.title}：{b}合计 = 各类之和",
                                (f"{block}合计", "各类之和"))


_EXPAND: dict[type, Callable[[Context, Any], Iterator[Identity]]] = {
    FixedSum: _fixed_sum, SameFact: _same_fact, AtLeast: _at_least, ColumnSum: _column_sum,
    Hierarchy: _hierarchy, BlockSum: _block_sum,
}


def expand(ctx: Context, decl) -> Iterator[Identity]:
    """Identities of ``decl`` whose displayed figures disagree (the others cannot report anything),
    in the order findings are reported."""
    if ctx.doc.tables is None:
        return
    yield from _EXPAND[type(decl)](ctx, decl)


# ---------------------------------------------------------------------------------------
# the one evaluation

def _sum_text(parts: list[tuple[int, Fig]]) -> str:
    d = max((f.decimals for _, f in parts), default=2)
    return fmt(sum((f.value * s for s, f in parts), Decimal(0)), min(d, 2))


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
        gap = fmt(b.value - total.value)
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
                   f"相差 {fmt(abs(total.value - other.value))}，超出舍入误差")
        return hit(msg, locs, figs, "info" if v.ok else None)
    s = _sum_text(idn.parts)
    figs = [total.text, s]
    name_t, name_s = idn.names
    diff = fmt(abs(total.value - sum((f.value * sg for sg, f in idn.parts), Decimal(0))))
    if v.ok:
        msg = f"{idn.what}：{name_s} {s} 与{name_t} {total.text} 相差 {diff}，在舍入误差范围内（尾差）"
        return hit(msg, locs, figs, "info")
    msg = f"{idn.what}：{name_s} {s} 与{name_t} {total.text} 不符，相差 {diff}，超出舍入误差"
    return hit(msg, locs, figs)


def run(ctx: Context, decls: Iterable) -> Iterator[Finding]:
    """Findings of a declaration list, in its order."""
    if ctx.doc.tables is None:
        return
    todo = _disagreeing(ctx, decls) if type(decls) is tuple else decls
    for d in todo:
        for idn in _EXPAND[type(d)](ctx, d):
            f = evaluate(idn)
            if f is not None:
                yield f


def read_together(*lists: tuple) -> None:
    """Declare that the declaration lists ``lists`` (tuples, each run by its own rule) are read in
    one pass per check: their cells overlap (the totals of T1 and T4 are named by half a dozen
    rules), and one pass over all of them costs less than a pass per rule."""
    for i, decls in enumerate(lists):
        _FAMILY[id(decls)] = (lists, i)


# id(declaration list) → (the lists it is read with (see ``read_together``), its number among
# them); the lists are module constants, so their ids are not reused
_FAMILY: dict[int, tuple[tuple, int]] = {}
_ALONE: dict[int, tuple] = {}      # id(a list read alone) → (the list,): a family of one


# ---------------------------------------------------------------------------------------
# cell declarations read together
#
# FixedSum, SameFact and AtLeast name their cells one by one — about 450 cells per document —
# and looking each up on its own (its row, its column's header, its value) cost more than
# the arithmetic. A cell's header depends only on its table's layout (national or regional:
# a handful), so a group of declaration lists is worked out once per combination of layouts
# into a ``_Plan``: the row keys to look up, and for every distinct cell its row and header.
# A check then reads all the cells' displayed values and compares them with C-level
# getters, sums and list comparisons, without a Python step per cell or per declaration.
# Only the rare declaration whose displayed values disagree is passed on to the cell-by-cell
# expansion above, which builds its figures and places (and skips it again when it cannot
# report anything). Row look-ups stay per check: rows differ in every document.
#
# This reading is only a filter: a declaration it lets through is decided by the expansion.
# So a cell without a figure (no such column or row) can be read as anything — 0 here — since
# the expansion skips its declarations anyway: a declaration is left out only when its values,
# read so, agree exactly, and then it cannot report anything, with or without that figure.

_SAME, _SUM, _GE, _COLS, _OTHER = 0, 1, 2, 3, 4

_CELLS = attrgetter("cells")
_SIDE = attrgetter("side")
_NO_ROW = Row("", "")          # a row that is not there: no cells (read as 0)
_SEQ = itemgetter(6)           # a step's number in the order of its lists


def _getter(idx: list[int]) -> Callable[[list], Any]:
    """A getter of the items ``idx`` of a list that always gives a sequence (``itemgetter`` of one
    index gives the item itself)."""
    if len(idx) == 1:
        return itemgetter(slice(idx[0], idx[0] + 1))
    return itemgetter(*idx) if idx else (lambda _: ())


@dataclass(frozen=True)
class _Plan:
    """Declaration lists read together against one combination of layouts.

    ``lookups``: (table, row look-up kind, row keys, their sides (kind 1) or None) — the rows of all
    look-ups, concatenated in this order, are numbered; ``cell_rows`` gets the row of every distinct cell from them and
    ``heads`` are the cells' headers (None: no such column). The values of the cells, in this
    order, are numbered from 1 (0 is a constant 0).
    ``same``: getters of the a and b values of the SameFact steps (None: there are none);
    ``sums``: a getter of the totals and, for each, a getter of its parts, of the FixedSum
    steps without a part to subtract (None: there are none); ``rest``: the other steps.
    A step is (kind, number of its list, declaration, a or total, b or parts with +1, parts with −1,
    its number in the lists' order) — for a ColumnSum headers instead of cell numbers — and ``same_steps`` / ``sum_steps`` are the steps of ``same`` and ``sums``, in their order.
    ``layouts``: held so that their ids, which key the plan, are not reused meanwhile.
    """
    lookups: tuple
    cell_rows: Callable | None
    heads: tuple
    same: tuple | None
    same_steps: tuple
    sums: tuple | None
    sum_steps: tuple
    rest: tuple
    layouts: tuple


# id(family of declaration lists) → (the family, the tables it names, {ids of their layouts: plan})
_PLANS: dict[int, tuple[tuple, tuple[str, ...], dict[tuple, _Plan]]] = {}


def _cells(d) -> tuple[Cell, ...]:
    t = type(d)
    if t is FixedSum:
        return (d.total, *[c for _, c in d.parts])
    if t is SameFact or t is AtLeast:
        return (d.a, d.b)
    return ()


def _plan(ctx: Context, lists: tuple) -> _Plan:
    got = _PLANS.get(id(lists))
    if got is None:
        if len(_PLANS) >= 256:
            _PLANS.clear()
        tids = tuple(sorted({c.table for decls in lists for d in decls for c in _cells(d)}
                            | {d.table for decls in lists for d in decls if type(d) is ColumnSum}))
        got = _PLANS[id(lists)] = (lists, tids, {})
    _, tids, plans = got
    layouts = tuple([t.layout if (t := ctx.table(tid)) is not None else None for tid in tids])
    key = tuple(map(id, layouts))
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _compile(ctx, lists, layouts)
    return plan


def _compile(ctx: Context, lists: tuple, layouts: tuple) -> _Plan:
    lookups: dict[tuple, dict] = {}    # (table, kind) → {row key: number in look-up}
    cells: dict[tuple, int] = {}       # (table, kind, row key, header) → number of the cell
    cell_at: list[tuple] = []          # per cell: ((table, kind), row key)
    heads: list = []

    def slot(c: Cell) -> int:
        h = ctx.column_header(c.table, c.column, c.side)
        lk = (c.table, c._by)  # type: ignore[attr-defined]
        k = (c.table, c._by, c._k, h)  # type: ignore[attr-defined]
        n = cells.get(k)
        if n is None:
            keys = lookups.setdefault(lk, {})
            keys.setdefault(c._k, len(keys))  # type: ignore[attr-defined]
            cell_at.append((lk, c._k))  # type: ignore[attr-defined]
            heads.append(h)
            n = cells[k] = len(cell_at)    # numbered from 1
        return n

    steps = []
    for i, decls in enumerate(lists):
        for d in decls:
            t, n = type(d), len(steps)
            if t is FixedSum:
                steps.append((_SUM, i, d, slot(d.total), tuple([slot(c) for s, c in d.parts if s > 0]),
                              tuple([slot(c) for s, c in d.parts if s < 0]), n))
            elif t is SameFact or t is AtLeast:
                steps.append((_SAME if t is SameFact else _GE, i, d, slot(d.a), slot(d.b), (), n))
            elif t is ColumnSum:
                cols = [(s, ctx.column_header(d.table, k, d.side)) for s, k in d.parts]
                steps.append((_COLS, i, d, ctx.column_header(d.table, d.total, d.side),
                              tuple([h for s, h in cols if s > 0]), tuple([h for s, h in cols if s < 0]), n))
            else:
                steps.append((_OTHER, i, d, (), (), (), n))
    start, offset = {}, 0
    for lk, keys in lookups.items():
        start[lk] = offset
        offset += len(keys)
    rows = [start[lk] + lookups[lk][k] for lk, k in cell_at]
    same = tuple([st for st in steps if st[0] == _SAME])
    sums = tuple([st for st in steps if st[0] == _SUM and not st[5]])
    return _Plan(
        lookups=tuple((tid, by, tuple(keys), None) if by != 1 else
                      (tid, by, tuple([k for k, _ in keys]), [s for _, s in keys]) for (tid, by), keys in lookups.items()),
        cell_rows=_getter(rows) if rows else None, heads=tuple(heads),
        same=(_getter([st[3] for st in same]), _getter([st[4] for st in same])) if same else None,
        same_steps=same,
        sums=(_getter([st[3] for st in sums]), tuple([_getter([0, *st[4]]) for st in sums])) if sums else None,
        sum_steps=sums,
        rest=tuple([st for st in steps if st[0] != _SAME and not (st[0] == _SUM and not st[5])]),
        layouts=layouts)


def _index(ctx: Context, tid: str, by: int) -> dict:
    """Rows of ``tid`` by a look-up kind of ``Cell`` (per check): ``Context._rows`` by key (0, and 1:
    the keys of two-sided tables name one side (a filler row has key ""), so the first row of a
    key is on its side but for a layout that says otherwise, which the caller checks) or by
    code (2), or {key: the row} for the single data row and the 合计 row ({} when there is none)."""
    if by < 3:
        return ctx._rows(tid, 0 if by == 1 else by)
    k = (tid, by)
    got = ctx._row_index.get(k)
    if got is None:
        r = _single(ctx, tid) if by == _SINGLE else _total_row(ctx, tid)
        got = ctx._row_index[k] = {} if r is None else {None: r} if by == _SINGLE else {"合计": r}
    return got


def _values(ctx: Context, plan: _Plan) -> list:
    """The displayed values of a plan's cells, numbered from 1 (v[0] is 0): blank = None, and a
    cell without a row or a column is 0 (see above: it only filters)."""
    rows: list = []
    for tid, by, keys, sides in plan.lookups:
        got = list(map(_index(ctx, tid, by).get, keys, repeat(_NO_ROW)))
        if sides is not None and list(map(_SIDE, got)) != sides:
            # a key not there, or whose first row is on the other side: the first row on the side
            got = [r if r.side == s else ctx.row(tid, k, side=s) or _NO_ROW for r, k, s in zip(got, keys, sides)]
        rows += got
    v = [0]
    if plan.cell_rows is not None:
        v += map(dict.get, map(_CELLS, plan.cell_rows(rows)), plan.heads, repeat(0))
    return v


def _disagreeing(ctx: Context, decls: tuple) -> list:
    """The declarations of ``decls`` that may report something: cell declarations whose displayed
    values disagree, and every other kind. Lists read together (``read_together``) are worked out
    together, once per check."""
    fam = _FAMILY.get(id(decls))
    if fam is None:
        lists = _ALONE.get(id(decls))
        if lists is None:
            if len(_ALONE) >= 256:
                _ALONE.clear()
            lists = _ALONE[id(decls)] = (decls,)   # held: the ids of both are not reused meanwhile
        return _flagged(ctx, lists)[0]
    lists, i = fam
    memo = ctx.cache.setdefault("read_together", {})
    got = memo.get(id(lists))
    if got is None:
        got = memo[id(lists)] = _flagged(ctx, lists)
    return got[i]


def _flagged(ctx: Context, lists: tuple) -> list[list]:
    """For each list of ``lists``, its declarations that may report something, in its order."""
    plan = _plan(ctx, lists)
    v = _values(ctx, plan)
    flagged = []
    if plan.same is not None:
        # all SameFact steps at once (C-level tuple comparison), then one by one if need be
        ga, gb = plan.same
        if ga(v) != gb(v):
            flagged += [st for st, x, y in zip(plan.same_steps, ga(v), gb(v)) if x != y]
    if plan.sums is not None:
        # the displayed sums of all FixedSum steps at once; blanks and zeros left out (adding a
        # Decimal costs more than skipping it, and most figures are 0)
        gt, gps = plan.sums
        sums = list(map(sum, map(filter, repeat(None), map(call, gps, repeat(v))), repeat(_DEC0)))
        totals = gt(v)
        if sums != list(totals):
            flagged += [st for st, s, t in zip(plan.sum_steps, sums, totals) if s != (t or 0)]
    for st in plan.rest:
        kind, _, d, a, pos, neg, _ = st
        if kind == _SUM:
            if sum(filter(None, [v[i] for i in pos]), _DEC0) - sum(filter(None, [v[i] for i in neg]), _DEC0) \
                    == (v[a] or 0):
                continue
        elif kind == _COLS:
            if _columns_add_up(ctx, d, a, pos, neg):
                continue
        elif kind == _GE:
            if (v[a] or 0) >= (v[pos] or 0):
                continue
        flagged.append(st)
    out: list[list] = [[] for _ in lists]
    for st in sorted(flagged, key=_SEQ) if len(flagged) > 1 else flagged:
        out[st[1]].append(st[2])
    return out


def _columns_add_up(ctx: Context, d: ColumnSum, total: str | None, pos: tuple, neg: tuple) -> bool:
    """Does ``d`` hold in every row with the displayed values (or has nothing to check)? False when
    unsure (a missing or blank total): ``_column_sum`` decides row by row."""
    t = ctx.table(d.table)
    if t is None or t.empty or total is None or None in pos or None in neg:
        return True
    if not pos:
        return False
    side = d.side
    # the rows ``_column_sum`` looks at (not the blank filler rows of a two-sided table)
    cells = [r.cells for r in t.rows if r.label or r.key] if side is None else \
        [r.cells for r in t.rows if r.side == side and (r.label or r.key)]
    try:
        acc = _row_sums(cells, pos)
        if neg:
            acc = list(map(sub, acc, _row_sums(cells, neg)))
        return acc == list(map(itemgetter(total), cells))
    except (KeyError, TypeError):
        return False


def describe(decl) -> str:  # pragma: no cover - used for docs/debugging
    return repr(decl)
