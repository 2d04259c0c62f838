"""The fast path of the identity rules: declaration lists read in one pass, only disagreements kept.

``FixedSum``, ``SameFact`` and ``AtLeast`` name their cells one by one — about 450 cells per
document for the 决算 — and looking each up on its own (its row, its column's header, its
value) cost more than the arithmetic. A cell's header depends only on its table's layout (a
handful: national and regional), so a group of declaration lists is worked out once per
combination of layouts into a :class:`Plan`: the rows to look up, and for every distinct cell
its row and header. A check then reads all the cells' displayed values and compares them with
C-level getters, sums and list comparisons, without a Python step per cell or per declaration.

This is only a filter: :func:`disagreeing` keeps every declaration that may report something
(whose displayed values disagree, or that cannot be read so), and the expansion of
:mod:`juesuan.rules.identities` decides. A cell without a figure (no such column or row) is
read as 0 here, since the expansion skips its declarations anyway: a declaration is left out
only when its values, read so, agree exactly, and then it cannot report anything, with or
without that figure. ``tests/test_rules_identities.py`` holds the findings of this path
against the reference evaluator (``identities.run_plain``).

The plans are kept across checks in a :class:`~juesuan.rules._memo.Memo` keyed by the identity
of the declaration lists (module data, never freed) and of the layouts; rows are looked up
anew in every check (they differ in every document).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from itertools import repeat
from operator import attrgetter, call, itemgetter, sub
from typing import Any, NamedTuple

from ..tables.identity import AtLeast, ColumnSum, FixedSum, RowLookup, SameFact, cells_of
from ..tables.table import Row
from ._memo import Memo
from .context import Context

__all__ = ["disagreeing", "Plan", "Step", "StepKind"]


class StepKind(Enum):
    SAME = "same fact"
    SUM = "fixed sum"
    AT_LEAST = "at least"
    COLUMNS = "column sum"
    OTHER = "other"            # decided by the expansion alone (hierarchies, blocks)


class Step(NamedTuple):
    """One declaration in a plan. Cells are given by their number among the plan's values (from
    1; 0 is a constant 0), a ColumnSum's by printed headers."""
    kind: StepKind
    list_no: int               # which of the lists read together it belongs to
    decl: Any
    a: Any                     # SameFact/AtLeast: a; FixedSum: the total; ColumnSum: the total's header
    b: Any                     # SameFact/AtLeast: b; FixedSum/ColumnSum: the parts added (a tuple)
    minus: tuple               # FixedSum/ColumnSum: the parts subtracted
    seq: int                   # its place in the lists' order


class Lookup(NamedTuple):
    """The rows of one table looked up one way: their keys (and, on a side, the sides)."""
    table: str
    how: RowLookup
    keys: tuple
    sides: list | None


@dataclass(frozen=True)
class Plan:
    """Declaration lists read together against one combination of layouts.

    The rows of all ``lookups`` are concatenated in order; ``cell_rows`` takes the row of every
    distinct cell from them and ``heads`` are the cells' headers (None: no such column). The
    cells' values are numbered from 1 in that order. ``same``: getters of the a and b values of
    the SameFact steps; ``sums``: a getter of the totals and one of each total's parts, of the
    FixedSum steps without a part to subtract; ``rest``: the other steps.
    """
    lookups: tuple[Lookup, ...]
    cell_rows: Callable | None
    heads: tuple
    same: tuple[Callable, Callable] | None
    same_steps: tuple[Step, ...]
    sums: tuple[Callable, tuple[Callable, ...]] | None
    sum_steps: tuple[Step, ...]
    rest: tuple[Step, ...]
    layouts: tuple            # held: their ids key the plan, and must not be reused meanwhile


_DEC0 = Decimal(0)
_CELLS = attrgetter("cells")
_SIDE = attrgetter("side")
_NO_ROW = Row("", "")          # a row that is not there: no cells (read as 0)
_SEQ = attrgetter("seq")

# id(a declaration list, or the lists read together) → (it, the tables it names,
# {ids of the layouts of those tables: plan})
_PLANS = Memo("plans of declaration lists", 256)


def _getter(idx: list[int]) -> Callable[[list], Any]:
    """A getter of the items ``idx`` of a list that always gives a sequence (``itemgetter`` of one
    index gives the item itself)."""
    if len(idx) == 1:
        return itemgetter(slice(idx[0], idx[0] + 1))
    return itemgetter(*idx) if idx else (lambda _: ())


def disagreeing(ctx: Context, decls: tuple, together: tuple[tuple, ...] = ()) -> list:
    """The declarations of ``decls`` that may report something: cell declarations whose displayed
    values disagree, and every other kind. ``together``: the lists ``decls`` is read with (it is
    one of them), worked out together once per check."""
    anchor = together or decls      # module data: its id is not reused while the plan is kept
    memo = ctx.memo.setdefault(disagreeing, {})
    got = memo.get(id(anchor))
    if got is None:
        got = memo[id(anchor)] = _flagged(ctx, anchor, together or (decls,))
    return got[next(i for i, x in enumerate(together) if x is decls)] if together else got[0]


def _plan(ctx: Context, anchor: tuple, lists: tuple) -> Plan:
    got = _PLANS.get(id(anchor))
    if got is None or got[0] is not anchor:
        tids = tuple(sorted({c.table for decls in lists for d in decls for c in cells_of(d)}
                            | {d.table for decls in lists for d in decls if type(d) is ColumnSum}))
        got = _PLANS.put(id(anchor), (anchor, tids, {}))
    _, tids, plans = got
    layouts = tuple([t.layout if (t := ctx.table(tid)) is not None else None for tid in tids])
    key = tuple(map(id, layouts))
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _compile(ctx, lists, layouts)
    return plan


def _compile(ctx: Context, lists: tuple, layouts: tuple) -> Plan:
    lookups: dict[tuple, dict] = {}    # (table, how) → {row key: number in look-up}
    cells: dict[tuple, int] = {}       # (table, how, row key, header) → number of the cell
    cell_at: list[tuple] = []          # per cell: ((table, how), row key)
    heads: list = []

    def slot(c) -> int:
        h = ctx.column_header(c.table, c.column, c.side)
        how, key = c.lookup
        lk = (c.table, how)
        k = (c.table, how, key, h)
        n = cells.get(k)
        if n is None:
            keys = lookups.setdefault(lk, {})
            keys.setdefault(key, len(keys))
            cell_at.append((lk, key))
            heads.append(h)
            n = cells[k] = len(cell_at)    # numbered from 1
        return n

    def absent(c) -> bool:
        """A cell on a row its two-sided layout does not have: its declaration never applies to these
        layouts (the expansion skips it: ``identities._missing``), so it is left out of the plan."""
        t = ctx.table(c.table)
        return t is not None and bool(t.layout.sides) and c.row is not None and \
            not any(fr.key == c.row for sd in t.layout.sides if c.side in (None, sd.name) for fr in sd.rows)

    steps: list[Step] = []
    for i, decls in enumerate(lists):
        for d in decls:
            t, n = type(d), len(steps)
            if t is not ColumnSum and any(map(absent, cells_of(d))):
                continue
            if t is FixedSum:
                steps.append(Step(StepKind.SUM, i, d, slot(d.total), tuple([slot(c) for s, c in d.parts if s > 0]),
                                  tuple([slot(c) for s, c in d.parts if s < 0]), n))
            elif t is SameFact or t is AtLeast:
                steps.append(Step(StepKind.SAME if t is SameFact else StepKind.AT_LEAST, i, d, slot(d.a), slot(d.b),
                                  (), n))
            elif t is ColumnSum:
                cols = [(s, ctx.column_header(d.table, k, d.side)) for s, k in d.parts]
                steps.append(Step(StepKind.COLUMNS, i, d, ctx.column_header(d.table, d.total, d.side),
                                  tuple([h for s, h in cols if s > 0]), tuple([h for s, h in cols if s < 0]), n))
            else:
                steps.append(Step(StepKind.OTHER, i, d, None, (), (), n))
    start, offset = {}, 0
    for lk, keys in lookups.items():
        start[lk] = offset
        offset += len(keys)
    rows = [start[lk] + lookups[lk][k] for lk, k in cell_at]
    same = tuple([st for st in steps if st.kind is StepKind.SAME])
    sums = tuple([st for st in steps if st.kind is StepKind.SUM and not st.minus])
    return Plan(
        lookups=tuple(Lookup(tid, how, tuple(keys), None) if how is not RowLookup.KEY_ON_SIDE else
                      Lookup(tid, how, tuple([k for k, _ in keys]), [s for _, s in keys])
                      for (tid, how), keys in lookups.items()),
        cell_rows=_getter(rows) if rows else None, heads=tuple(heads),
        same=(_getter([st.a for st in same]), _getter([st.b for st in same])) if same else None,
        same_steps=same,
        sums=(_getter([st.a for st in sums]), tuple([_getter([0, *st.b]) for st in sums])) if sums else None,
        sum_steps=sums,
        rest=tuple([st for st in steps if st.kind is not StepKind.SAME
                    and not (st.kind is StepKind.SUM and not st.minus)]),
        layouts=layouts)


def _rows(ctx: Context, tid: str, how: RowLookup) -> dict:
    """Rows of ``tid`` for a way of looking them up: by key (also for a key on a side: the keys of
    two-sided tables name one side, so the first row of a key is on its side but for a layout
    that says otherwise, which :func:`_values` checks), by code, or {key: the row} for the single
    data row and the 合计 row."""
    if how is RowLookup.KEY or how is RowLookup.KEY_ON_SIDE:
        return ctx.rows_by_key(tid)
    if how is RowLookup.CODE:
        return ctx.rows_by_code(tid)
    r = ctx.single_row(tid) if how is RowLookup.SINGLE else ctx.total_row(tid)
    return {} if r is None else {None: r} if how is RowLookup.SINGLE else {"合计": r}


def _values(ctx: Context, plan: Plan) -> list:
    """The displayed values of a plan's cells, numbered from 1 (v[0] is 0): blank = None, and a
    cell without a row or a column is 0 (see the module: it only filters)."""
    rows: list = []
    for tid, how, keys, sides in plan.lookups:
        got = list(map(_rows(ctx, tid, how).get, keys, repeat(_NO_ROW)))
        if sides is not None and list(map(_SIDE, got)) != sides:
            # a key not there, or whose first row is on the other side: the first row on the side
            got = [r if r.side == s else ctx.row(tid, k, side=s) or _NO_ROW for r, k, s in zip(got, keys, sides)]
        rows += got
    v = [0]
    if plan.cell_rows is not None:
        v += map(dict.get, map(_CELLS, plan.cell_rows(rows)), plan.heads, repeat(0))
    return v


def _flagged(ctx: Context, anchor: tuple, lists: tuple) -> list[list]:
    """For each list of ``lists``, its declarations that may report something, in its order."""
    plan = _plan(ctx, anchor, lists)
    v = _values(ctx, plan)
    flagged: list[Step] = []
    if plan.same is not None:
        # all SameFact steps at once (a C-level tuple comparison), then one by one if need be
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
        if st.kind is StepKind.SUM:
            if sum(filter(None, [v[i] for i in st.b]), _DEC0) - sum(filter(None, [v[i] for i in st.minus]), _DEC0) \
                    == (v[st.a] or 0):
                continue
        elif st.kind is StepKind.COLUMNS:
            if _columns_add_up(ctx, st.decl, st.a, st.b, st.minus):
                continue
        elif st.kind is StepKind.AT_LEAST:
            if (v[st.a] or 0) >= (v[st.b] or 0):
                continue
        flagged.append(st)
    out: list[list] = [[] for _ in lists]
    for st in sorted(flagged, key=_SEQ) if len(flagged) > 1 else flagged:
        out[st.list_no].append(st.decl)
    return out


def _row_sums(cells: list[dict], cols: list[str]) -> list:
    """For every row's cells, the sum of its values in ``cols`` (blank = 0; KeyError for a missing
    cell); of one column, its values as they are (None for a blank)."""
    if len(cols) == 1:
        return list(map(itemgetter(cols[0]), cells))
    # blanks and zeros left out; a Decimal start (the sums are only compared with ==)
    return list(map(sum, map(filter, repeat(None), map(itemgetter(*cols), cells)), repeat(_DEC0)))


def _columns_add_up(ctx: Context, d: ColumnSum, total: str | None, pos: tuple, neg: tuple) -> bool:
    """Does ``d`` hold in every row with the displayed values (or has nothing to check)? False when
    unsure (a missing or blank total): the expansion decides row by row."""
    t = ctx.table(d.table)
    if t is None or t.empty or total is None or None in pos or None in neg:
        return True
    if not pos:
        return False
    side = d.side
    # the rows the expansion looks at (not the blank filler rows of a two-sided table)
    cells = [r.cells for r in t.rows if r.label or r.key] if side is None else \
        [r.cells for r in t.rows if r.side == side and (r.label or r.key)]
    try:
        acc = _row_sums(cells, pos)
        if neg:
            acc = list(map(sub, acc, _row_sums(cells, neg)))
        return acc == list(map(itemgetter(total), cells))
    except (KeyError, TypeError):
        return False
