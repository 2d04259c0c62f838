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

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from operator import itemgetter, sub
from typing import Any

from ..tables.table import Row
from .engine import Context, Fig, Finding, compare, fmt_fig, hit

__all__ = ["Cell", "FixedSum", "ColumnSum", "Hierarchy", "BlockSum", "SameFact", "AtLeast",
           "Identity", "cell_fig", "cell_value", "evaluate", "expand", "run", "describe"]


@dataclass(frozen=True)
class Cell:
    """One cell: table, row key (None = the table's single data row), column key, side."""
    table: str
    row: str | None
    column: str
    side: str | None = None

    def __post_init__(self):
        # how the row is found (see ``_cell_row``), worked out once per declaration: by key (0),
        # by key on ``side`` (1: ``Context._side_rows``) or by code (2) and that key, or
        # _SINGLE (the table's single data row) / _TOTAL (合计, found by key or by label)
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
            by, k = 1, r
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
    if by < _SINGLE:
        return _index(ctx, c.table, by, c.side).get(c._k)  # type: ignore[attr-defined]
    if by == _SINGLE:
        return _single(ctx, c.table)
    return _index(ctx, c.table, _TOTAL)["合计"]


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
    """For every row's cells, the sum of its values in ``cols`` (KeyError/TypeError for a missing/blank one)."""
    if len(cols) == 1:
        return list(map(itemgetter(cols[0]), cells))
    # a Decimal start: adding to int 0 would convert it to a Decimal at every row; the sums are
    # only compared with ==, where 0 and Decimal(0) agree
    return list(map(sum, map(itemgetter(*cols), cells), repeat(_DEC0)))


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


# ---------------------------------------------------------------------------------------
# cell declarations read together
#
# FixedSum, SameFact and AtLeast name their cells one by one — about 450 cells per document —
# and looking each up on its own (its row, its column's header, its value) cost more than
# the arithmetic. A cell's header depends only on its table's layout (national or regional:
# a handful), so a declaration list is worked out once per combination of layouts into
# groups of cells that share a table, a way of finding the row and a header (a ``_Plan``);
# a check reads each group with one comprehension over its row keys and compares the
# values. Only the rare declaration whose displayed values disagree is passed on to the
# cell-by-cell expansion above, which builds its figures and places (and skips it again
# when it cannot report anything). Row look-ups stay per check: rows differ in every
# document.

_SAME, _SUM, _GE, _COLS, _OTHER = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class _Plan:
    """A declaration list against one combination of layouts.

    ``groups``: (table, row look-up kind, header, side (look-up kind 1), row keys); the values of all
    groups, concatenated in this order, are the cells numbered in ``steps``.
    ``steps``: (kind, declaration, total or a, (parts with +1) or b, parts with −1), cell numbers
    — for a ColumnSum the headers of its columns instead.
    ``layouts``: held so that their ids, which key the plan, are not reused meanwhile.
    ``same``: two getters of the values of the a and b cells of all SameFact steps (None: there are
    none), and ``rest`` the other steps: when both sides agree at once, only those are gone through.
    """
    groups: tuple
    steps: tuple
    layouts: tuple
    same: tuple | None = None
    rest: tuple = ()


# id(declaration list) → (the list, the tables it names, {ids of their layouts: plan})
_PLANS: dict[int, tuple[tuple, tuple[str, ...], dict[tuple, _Plan]]] = {}


def _cells(d) -> tuple[Cell, ...]:
    t = type(d)
    if t is FixedSum:
        return (d.total, *[c for _, c in d.parts])
    if t is SameFact or t is AtLeast:
        return (d.a, d.b)
    return ()


def _plan(ctx: Context, decls: tuple) -> _Plan:
    got = _PLANS.get(id(decls))
    if got is None:
        if len(_PLANS) >= 256:
            _PLANS.clear()
        tids = tuple(sorted({c.table for d in decls for c in _cells(d)}
                            | {d.table for d in decls if type(d) is ColumnSum}))
        got = _PLANS[id(decls)] = (decls, tids, {})
    _, tids, plans = got
    layouts = tuple([t.layout if (t := ctx.table(tid)) is not None else None for tid in tids])
    key = tuple(map(id, layouts))
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _compile(ctx, decls, layouts)
    return plan


def _compile(ctx: Context, decls: tuple, layouts: tuple) -> _Plan:
    groups: dict[tuple, dict] = {}     # (table, kind, header) → {row key: number in group}
    where: list[tuple[tuple, Any]] = []

    def slot(c: Cell) -> int:
        g = (c.table, c._by, ctx.column_header(c.table, c.column, c.side),  # type: ignore[attr-defined]
             c.side if c._by == 1 else None)  # type: ignore[attr-defined]
        keys = groups.setdefault(g, {})
        keys.setdefault(c._k, len(keys))  # type: ignore[attr-defined]
        where.append((g, c._k))  # type: ignore[attr-defined]
        return len(where) - 1

    raw = []
    for d in decls:
        t = type(d)
        if t is FixedSum:
            raw.append((_SUM, d, slot(d.total), tuple([slot(c) for s, c in d.parts if s > 0]),
                        tuple([slot(c) for s, c in d.parts if s < 0])))
        elif t is SameFact or t is AtLeast:
            raw.append((_SAME if t is SameFact else _GE, d, slot(d.a), slot(d.b), ()))
        elif t is ColumnSum:
            heads = [(s, ctx.column_header(d.table, k, d.side)) for s, k in d.parts]
            raw.append((_COLS, d, ctx.column_header(d.table, d.total, d.side),
                        tuple([h for s, h in heads if s > 0]), tuple([h for s, h in heads if s < 0])))
        else:
            raw.append((_OTHER, d, (), (), ()))
    start, offset = {}, 0
    for g, keys in groups.items():
        start[g] = offset
        offset += len(keys)
    num = [start[g] + groups[g][k] for g, k in where]     # slot → number in the value list

    def n(x):
        return num[x] if type(x) is int else tuple([num[i] for i in x])

    steps = tuple((kind, d, n(a), n(b), n(c)) if kind != _COLS else (kind, d, a, b, c) for kind, d, a, b, c in raw)
    same = [(a, b) for kind, _, a, b, _ in steps if kind == _SAME]
    getters = (itemgetter(*[a for a, _ in same]), itemgetter(*[b for _, b in same])) if same else None
    return _Plan(tuple((*g, tuple(keys)) for g, keys in groups.items()), steps, layouts,
                 getters, tuple([st for st in steps if st[0] != _SAME]))


def _index(ctx: Context, tid: str, by: int, side: str | None = None) -> dict:
    """Rows of ``tid`` by a look-up kind of ``Cell``: ``Context._rows`` / ``Context._side_rows`` or
    {key: the row} for the single data row and the 合计 row (per check)."""
    if by < _SINGLE:
        return ctx._side_rows(tid, side) if by == 1 else ctx._rows(tid, by)
    k = (tid, by)
    got = ctx._row_index.get(k)
    if got is None:
        got = ctx._row_index[k] = {None: _single(ctx, tid)} if by == _SINGLE else {"合计": _total_row(ctx, tid)}
    return got


def _keyed(ctx: Context, tid: str, key: str) -> bool:
    """Is the unlisted row ``key`` of ``tid`` a blank, its rows being keyed by the layout (see ``_missing``)?"""
    prefix = key.split(":")[0]
    memo = ctx.cache.setdefault("keyed", {})
    got = memo.get((tid, prefix))
    if got is None:
        t = ctx.table(tid)
        got = memo[(tid, prefix)] = t is not None and any(r.key == prefix or ":" in r.key for r in t.rows)
    return got


def _values(ctx: Context, plan: _Plan) -> tuple[list, bool]:
    """The displayed values (blank = 0; None: no figure) of a plan's cells, as ``_value`` gives them,
    and whether any of them may be None."""
    vals: list = []
    nones = False
    for tid, by, h, side, keys in plan.groups:
        if h is None:
            vals += [None] * len(keys)
            nones = True
            continue
        rows = list(map(_index(ctx, tid, by, side).get, keys))
        if all(rows):    # every row is listed (the common case; a Row is always true)
            vals += [r.cells.get(h) or 0 for r in rows]
            continue
        if by == 2 or by == _SINGLE:
            # an unlisted code row is a blank; a table without a single data row shows nothing
            miss = 0 if by == 2 else None
            nones = nones or miss is None
            vals += [(r.cells.get(h) or 0) if r is not None else miss for r in rows]
            continue
        nones = True
        vals += [(r.cells.get(h) or 0) if r is not None else 0 if _keyed(ctx, tid, k) else None
                 for k, r in zip(keys, rows)]
    return vals, nones


def _disagreeing(ctx: Context, decls: tuple) -> list:
    """The declarations of ``decls`` that may report something: cell declarations whose displayed
    values disagree, and every other kind."""
    plan = _plan(ctx, decls)
    v, nones = _values(ctx, plan) if plan.groups else ([], False)
    steps = plan.steps
    if plan.same is not None:
        # all SameFact steps at once (C-level tuple comparison): equal values, or no figure on
        # either side (None is None), mean that none of them can report anything
        ga, gb = plan.same
        if ga(v) == gb(v):
            steps = plan.rest
    out = []
    for kind, d, a, pos, neg in steps:
        if kind == _SUM:
            # (no ``None in``: comparing a Decimal with None asks numbers.Rational, slowly)
            total = v[a]
            p = [v[i] for i in pos]
            m = [v[i] for i in neg]
            if nones and (total is None or any(x is None for x in p) or any(x is None for x in m)):
                continue
            if sum(p) - sum(m) == total:
                continue
        elif kind == _COLS:
            if _columns_add_up(ctx, d, a, pos, neg):
                continue
        elif kind == _OTHER:
            pass
        else:
            x, y = v[a], v[pos]
            if x is None or y is None or (x == y if kind == _SAME else x >= y):
                continue
        out.append(d)
    return out


def _columns_add_up(ctx: Context, d: ColumnSum, total: str | None, pos: tuple, neg: tuple) -> bool:
    """Does ``d`` hold in every row with the displayed values (or has nothing to check)? False when
    unsure (a missing or blank cell): ``_column_sum`` decides row by row."""
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
        return acc == _row_sums(cells, [total])
    except (KeyError, TypeError):
        return False


def describe(decl) -> str:  # pragma: no cover - used for docs/debugging
    return repr(decl)
