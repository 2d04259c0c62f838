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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..tables.table import Row
from .engine import Context, Fig, Finding, compare, fmt_fig, hit

__all__ = ["Cell", "FixedSum", "ColumnSum", "Hierarchy", "BlockSum", "SameFact", "AtLeast",
           "Identity", "evaluate", "expand", "describe"]


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


def _holds(total, parts) -> bool:
    """Displayed figures agree exactly (blank = 0): no identity to evaluate."""
    acc = Decimal(0)
    for sign, v in parts:
        if v is not None:
            acc = acc + v if sign > 0 else acc - v
    return acc == (total if total is not None else 0)


def expand(ctx: Context, decl) -> Iterator[Identity]:
    t = ctx.table(getattr(decl, "table", None) or getattr(getattr(decl, "total", None), "table", None)
                  or getattr(getattr(decl, "a", None), "table", ""))
    if isinstance(decl, FixedSum):
        rt, ht = _resolve(ctx, decl.total)
        raw = [(sg, _resolve(ctx, c)) for sg, c in decl.parts]
        if rt is not None and ht is not None and all(r is not None and h is not None for _, (r, h) in raw):
            if _holds(rt.cells.get(ht), [(sg, r.cells.get(h)) for sg, (r, h) in raw]):
                return
        total = cell_fig(ctx, decl.total, True)
        parts = [(s, cell_fig(ctx, c, True)) for s, c in decl.parts]
        if total is None or any(f is None for _, f in parts):
            return
        yield Identity(total, parts, decl.what)  # type: ignore[arg-type]
    elif isinstance(decl, ColumnSum):
        if t is None or t.empty:
            return
        th = _header(ctx, decl.table, decl.total, decl.side)
        ph = [(s, _header(ctx, decl.table, k, decl.side)) for s, k in decl.parts]
        if th is None or any(h is None for _, h in ph):
            return
        for row in t.rows:
            if decl.side is not None and row.side != decl.side:
                continue
            if not row.label and not row.key:
                continue
            if _holds(row.cells.get(th), [(sg, row.cells.get(h)) for sg, h in ph]):
                continue
            total = ctx.fig(decl.table, row, th)
            parts = [(s, ctx.fig(decl.table, row, h)) for s, h in ph]
            yield Identity(total, parts, f"{t.title}“{_label(ctx, decl.table, row)}”行：{decl.what}",  # type: ignore[arg-type]
                           names=(th, "各组成列之和"))
    elif isinstance(decl, Hierarchy):
        if t is None or t.empty:
            return
        cols = [c.header for c in t.layout.columns]
        rows = [r for r in t.rows if r.code]
        if decl.levels == "total":
            total_row = next((r for r in t.rows if r.level == 0 and not r.code), None)
            classes = [r for r in rows if len(r.code) == 3]
            if total_row is None or not classes:
                return
            for h in cols:
                if _holds(total_row.cells.get(h), [(1, r.cells.get(h)) for r in classes]):
                    continue
                yield Identity(ctx.fig(decl.table, total_row, h),  # type: ignore[arg-type]
                               [(1, ctx.fig(decl.table, r, h)) for r in classes],  # type: ignore[misc]
                               f"{t.title}“{h}”列：合计 = 各类之和", names=("合计", "各类之和"))
            return
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
                if _holds(parent.cells.get(h), [(1, r.cells.get(h)) for r in children]):
                    continue
                yield Identity(ctx.fig(decl.table, parent, h),  # type: ignore[arg-type]
                               [(1, ctx.fig(decl.table, r, h)) for r in children],  # type: ignore[misc]
                               f"{t.title}“{_label(ctx, decl.table, parent)}”行“{h}”列：{pname} = 各{cname}之和",
                               names=(pname, f"各{cname}之和"))
    elif isinstance(decl, BlockSum):
        if t is None or t.empty:
            return
        h = t.layout.columns[0].header
        coded = [r for r in t.rows if r.code]
        for cls in [r for r in coded if len(r.code) == 3]:
            items = [r for r in coded if len(r.code) == 5 and r.code.startswith(cls.code)]
            if items and not _holds(cls.cells.get(h), [(1, r.cells.get(h)) for r in items]):
                yield Identity(ctx.fig(decl.table, cls, h), [(1, ctx.fig(decl.table, r, h)) for r in items],  # type: ignore[arg-type,misc]
                               f"{t.title}“{_label(ctx, decl.table, cls)}”：类 = 各款之和", names=("类", "各款之和"))
        for block in ("人员经费", "公用经费"):
            total_row = next((r for r in t.rows if not r.code and r.key == f"{block}合计"), None) \
                or next((r for r in t.rows if not r.code and block in (r.label or "") and "合计" in (r.label or "")), None)
            classes = [r for r in coded if len(r.code) == 3 and r.side == block]
            if total_row is None or not classes:
                continue
            yield Identity(ctx.fig(decl.table, total_row, h), [(1, ctx.fig(decl.table, r, h)) for r in classes],  # type: ignore[arg-type,misc]
                           f"{t.title}：{block}合计 = 各类之和", names=(f"{block}合计", "各类之和"))
    elif isinstance(decl, SameFact):
        ra, rb = _resolve(ctx, decl.a)[0], _resolve(ctx, decl.b)[0]
        if ra is None and rb is None:
            return
        if ra is not None and rb is not None and ra.cells.get(_resolve(ctx, decl.a)[1]) == rb.cells.get(_resolve(ctx, decl.b)[1]):
            return
        a, b = cell_fig(ctx, decl.a, True), cell_fig(ctx, decl.b, True)
        if a is None or b is None:
            return
        if ctx.table(decl.a.table).empty and ctx.table(decl.b.table).empty:  # type: ignore[union-attr]
            return
        yield Identity(a, [(1, b)], decl.what, kind="same")
    elif isinstance(decl, AtLeast):
        a, b = cell_fig(ctx, decl.a, True), cell_fig(ctx, decl.b, True)
        if a is None or b is None:
            return
        yield Identity(a, [(1, b)], decl.what, kind="atleast")


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
    for d in decls:
        for idn in expand(ctx, d):
            f = evaluate(idn)
            if f is not None:
                yield f


def describe(decl) -> str:  # pragma: no cover - used for docs/debugging
    return repr(decl)
