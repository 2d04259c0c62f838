"""Checking declared identities (:mod:`juesuan.tables.identity`) against a document's tables.

Owns how a declaration is found in a document (rows by their layout key or code, columns by
the printed header of the document's layout), its expansion into concrete ``Identity``
instances (figures with places), and :func:`evaluate`, the single interval check behind
every rule of JS1xx and most of JS2xx.

Two evaluators give the same findings in the same order:

* :func:`run`, the one rules call: the displayed values of a declaration list are first read
  in one pass (:mod:`juesuan.rules._fastpath`), and only the declarations whose figures
  disagree — the rare ones that can report anything — are expanded here, with figures and
  places, and evaluated;
* :func:`run_plain`, the reference: every identity of every declaration is built and
  evaluated, without any shortcut. Tests hold the two against each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import Any

from ..figures import fmt
from ..tables.identity import AtLeast, BlockSum, Cell, ColumnSum, FixedSum, Hierarchy, RowLookup, SameFact, row_lookup
from ..tables.table import Row
from . import _fastpath
from .context import Context, Fig, Finding, compare, hit

__all__ = ["Identity", "cell_fig", "cell_value", "cell_row", "evaluate", "expand", "run", "run_plain", "identities"]


@dataclass
class Identity:
    total: Fig
    parts: list[tuple[int, Fig]]
    what: str                          # Chinese description used in the message
    kind: str = "sum"                  # sum | same | atleast
    names: tuple[str, str] = ("合计", "各项之和")
    extra_locations: list[dict] = field(default_factory=list)
    assumes: tuple[str, ...] = ()      # tables whose rows it adds up: it rests on their being read completely


# ---------------------------------------------------------------------------------------
# locating declared cells in a document

def cell_row(ctx: Context, c: Cell) -> Row | None:
    """The row of ``c`` in the document (None: the table or the row is not there)."""
    how, key = row_lookup(c.row, c.side)
    if how is RowLookup.KEY:
        return ctx.rows_by_key(c.table).get(key)
    if how is RowLookup.CODE:
        return ctx.rows_by_code(c.table).get(key)
    if how is RowLookup.TOTAL:
        return ctx.total_row(c.table)
    if how is RowLookup.SINGLE:
        return ctx.single_row(c.table)
    row, side = key
    r = ctx.rows_by_key(c.table).get(row)
    # the keys of two-sided tables name one side, so the first row of a key is on its side but
    # for a layout that says otherwise
    return r if r is None or r.side == side else ctx.row(c.table, row, side=side)


def _resolve(ctx: Context, c: Cell) -> tuple[Row | None, str | None]:
    """The row and the printed column header of ``c`` in this document."""
    return cell_row(ctx, c), ctx.column_header(c.table, c.column, c.side)


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
    return _value_at(ctx, c, *_resolve(ctx, c))


def _label(ctx: Context, tid: str, row: Row) -> str:
    return ctx.where(tid, row).get("row", row.key)


# A located cell: (table, row, header, label). ``row`` None is a function-table row that is
# not listed — a blank (0) shown as "未列示" under ``label``.
Ref = tuple[str, Row | None, str, str | None]


def _missing(ctx: Context, c: Cell, header: str) -> Ref | None:
    """The blank stand-in for a declared row the table does not list (None: the cell is not there)."""
    t = ctx.table(c.table)
    if t is None or c.row is None:
        return None
    if not c.row.startswith("code:") and not any(r.key == c.row.split(":")[0] or ":" in r.key for r in t.rows):
        return None   # the table's rows are not keyed by the layout: do not guess zeros
    if t.layout.sides and not any(fr.key == c.row for s in t.layout.sides if c.side in (None, s.name)
                                  for fr in s.rows):
        return None   # a row this layout does not have (the national 总表's fund rows in a university's): not a blank
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
    if c.lookup[0] is RowLookup.CODE:
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


# ---------------------------------------------------------------------------------------
# expansion: a declaration → the identities of one document whose displayed figures disagree
#
# Each declaration is evaluated directly on the document's rows: the displayed figures
# (blank = 0) are added up and compared, and only an identity that does not add up with
# them — the rare one that can report anything — is built with figures, places and words
# (an ``Identity``) and handed to :func:`evaluate` for the interval check.

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
    ra, rb = cell_row(ctx, ca), cell_row(ctx, cb)
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


def _adds_up(total: dict, parts: list[dict], cols: list[str]) -> bool:
    """Do the cells ``parts`` add up to ``total`` in every column of ``cols``? False when unsure
    (a missing or blank cell): the sums are then gone through column by column."""
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
    # (a sum over the rows of a table: it rests on all of them having been read)
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
        yield Identity(_at(ctx, tid, total, h), [(1, _at(ctx, tid, r, h)) for r in parts], what(h), names=names,
                       assumes=(tid,))


def _hierarchy_groups(t, d: Hierarchy) -> Iterator[tuple[Row, list[Row], tuple[str, str], Callable[[str], str]]]:
    """(total row, its part rows, names, what) of a hierarchy declaration in table ``t``, in order."""
    rows = t.rows
    if d.levels == "total":
        total = next((r for r in rows if r.level == 0 and not r.code), None)
        classes = [r for r in rows if r.code and len(r.code) == 3]
        if total is not None and classes:
            yield total, classes, ("合计", "各类之和"), lambda h: f"{t.title}“{h}”列：合计 = 各类之和"
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
        if children:
            pname, cname = ("类", "款") if len(parent.code) == 3 else ("款", "项")
            yield parent, children, (pname, f"各{cname}之和"), (pname, cname)  # type: ignore[misc]


def _hierarchy(ctx: Context, d: Hierarchy) -> Iterator[Identity]:
    t = ctx.table(d.table)
    if t is None or t.empty:
        return
    cols = [c.header for c in t.layout.columns]
    if not cols:
        return   # no column to compare
    for total, parts, names, what in _hierarchy_groups(t, d):
        if _adds_up(total.cells, [r.cells for r in parts], cols):
            continue
        yield from _sum_of_rows(ctx, t, total, parts, cols, _hierarchy_what(ctx, t, total, what), names)


def _hierarchy_what(ctx: Context, t, parent: Row, what) -> Callable[[str], str]:
    if callable(what):
        return what
    a, b = what
    return lambda h: f"{t.title}“{_label(ctx, t.id, parent)}”行“{h}”列：{a} = 各{b}之和"


def _block_groups(t) -> Iterator[tuple[Row, list[Row], tuple[str, str], Callable[[str], str]]]:
    """(total row, its parts, names, what) of an economic table: each 类 and its 款, then each
    block's total and its 类 (blocks from the layout)."""
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
        if parts:
            yield cls, parts, ("类", "各款之和"), cls            # type: ignore[misc]
    for block, _ in t.layout.blocks:
        key = f"{block}合计"
        total = next((r for r in uncoded if r.key == key), None)
        if total is None:
            total = next((r for r in uncoded if block in (r.label or "") and "合计" in (r.label or "")), None)
        parts = [r for r in classes if r.side == block]
        if total is not None and parts:
            yield total, parts, (f"{block}合计", "各类之和"), block   # type: ignore[misc]


def _block_what(ctx: Context, t, of) -> Callable[[str], str]:
    if isinstance(of, Row):
        return lambda _: f"{t.title}“{_label(ctx, t.id, of)}”：类 = 各款之和"
    return lambda _: f"{t.title}：{of}合计 = 各类之和"


def _block_sum(ctx: Context, d: BlockSum) -> Iterator[Identity]:
    t = ctx.table(d.table)
    if t is None or t.empty:
        return
    cols = [t.layout.columns[0].header]
    for total, parts, names, of in _block_groups(t):
        if not _adds_up(total.cells, [r.cells for r in parts], cols):
            yield from _sum_of_rows(ctx, t, total, parts, cols, _block_what(ctx, t, of), names)


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
    # displayed figures that agree exactly (most identities) need no intervals and no words
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
        return hit(msg, locs, [total.text, b.text], sev, assumes=idn.assumes)
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
        return hit(msg, locs, figs, "info" if v.ok else None, assumes=idn.assumes)
    s = _sum_text(idn.parts)
    figs = [total.text, s]
    name_t, name_s = idn.names
    gap = abs(total.value - sum((f.value * sg for sg, f in idn.parts), Decimal(0)))
    diff = fmt(gap)
    if gap and not gap.quantize(Decimal("0.01")):
        # figures printed finer than the cent (元 tables, six decimals): a gap below it is said as it is, with
        # the figures to as many places, never as 相差 0.00
        d = min(6, -gap.normalize().as_tuple().exponent)
        diff, s = fmt(gap, d), fmt(sum((f.value * sg for sg, f in idn.parts), Decimal(0)), d)
        figs = [fmt(total.value, d), s]
    if v.ok:
        msg = f"{idn.what}：{name_s} {s} 与{name_t} {figs[0]} 相差 {diff}，在舍入误差范围内（尾差）"
        return hit(msg, locs, figs, "info", assumes=idn.assumes)
    msg = f"{idn.what}：{name_s} {s} 与{name_t} {figs[0]} 不符，相差 {diff}，超出舍入误差"
    return hit(msg, locs, figs, assumes=idn.assumes)


def run(ctx: Context, decls: Iterable, together: tuple[tuple, ...] = ()) -> Iterator[Finding]:
    """Findings of a declaration list, in its order.

    A declared list (a tuple: module data) is first read by the fast path, with the lists it
    is declared to be read ``together`` with (one of them is ``decls``); a list made during the
    check is expanded declaration by declaration.
    """
    if ctx.doc.tables is None:
        return
    todo = _fastpath.disagreeing(ctx, decls, together) if type(decls) is tuple else decls
    for d in todo:
        for idn in _EXPAND[type(d)](ctx, d):
            f = evaluate(idn)
            if f is not None:
                yield f


# ---------------------------------------------------------------------------------------
# the reference evaluator: every identity built, nothing skipped

def identities(ctx: Context, decl) -> Iterator[Identity]:
    """Every identity of ``decl`` in this document — agreeing or not — in the order findings are
    reported. The obvious form of the expansions above, for :func:`run_plain`."""
    if ctx.doc.tables is None:
        return
    t = type(decl)
    if t is FixedSum:
        refs = [_locate(ctx, decl.total)] + [_locate(ctx, c) for _, c in decl.parts]
        if None not in refs:
            yield _identity(ctx, refs[0], list(zip([s for s, _ in decl.parts], refs[1:])), decl.what)  # type: ignore[arg-type]
    elif t is SameFact:
        if cell_row(ctx, decl.a) is None and cell_row(ctx, decl.b) is None:
            return
        a, b = _locate(ctx, decl.a), _locate(ctx, decl.b)
        if a is None or b is None or (ctx.table(decl.a.table).empty and ctx.table(decl.b.table).empty):  # type: ignore[union-attr]
            return
        yield _identity(ctx, a, [(1, b)], decl.what, "same")
    elif t is AtLeast:
        a, b = _locate(ctx, decl.a), _locate(ctx, decl.b)
        if a is not None and b is not None:
            yield _identity(ctx, a, [(1, b)], decl.what, "atleast")
    elif t is ColumnSum:
        table = ctx.table(decl.table)
        if table is None or table.empty:
            return
        th = ctx.column_header(table.id, decl.total, decl.side)
        ph = [(s, ctx.column_header(table.id, k, decl.side)) for s, k in decl.parts]
        if th is None or any(h is None for _, h in ph):
            return
        for row in table.rows:
            if (decl.side is None or row.side == decl.side) and (row.label or row.key):
                yield Identity(_at(ctx, table.id, row, th), [(s, _at(ctx, table.id, row, h)) for s, h in ph],
                               f"{table.title}“{_label(ctx, table.id, row)}”行：{decl.what}",
                               names=(th, "各组成列之和"))
    elif t is Hierarchy or t is BlockSum:
        table = ctx.table(decl.table)
        if table is None or table.empty:
            return
        if t is Hierarchy:
            cols = [c.header for c in table.layout.columns]
            groups = [(tot, parts, names, _hierarchy_what(ctx, table, tot, w))
                      for tot, parts, names, w in _hierarchy_groups(table, decl)]
        else:
            cols = [table.layout.columns[0].header]
            groups = [(tot, parts, names, _block_what(ctx, table, of))
                      for tot, parts, names, of in _block_groups(table)]
        for total, parts, names, what in groups:
            for h in cols:
                yield Identity(_at(ctx, table.id, total, h), [(1, _at(ctx, table.id, r, h)) for r in parts],
                               what(h), names=names, assumes=(table.id,))


def run_plain(ctx: Context, decls: Iterable) -> Iterator[Finding]:
    """The findings of :func:`run`, by building and evaluating every identity (the reference)."""
    for d in decls:
        for idn in identities(ctx, d):
            f = evaluate(idn)
            if f is not None:
                yield f

