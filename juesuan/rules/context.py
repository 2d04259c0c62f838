"""What a rule reads and what it reports: the ``Context`` of one check, figures and findings.

Owns ``Finding`` (what a rule reports: code, severity, Chinese message, places,
displayed figures), ``Fig`` (a displayed figure with its place), the one
interval comparison every arithmetic rule uses (:func:`compare`), and the
``Context`` handed to rules (the document plus the look-ups they share, computed
once per check). It imports no rule: rules import it (ruff's ``Checker``), and the
engine (:mod:`juesuan.rules.engine`) runs them.

Interval semantics (docs/rounding.md; the rule catalogue docs/rules.md): a figure shown with *d* decimals stands for
[x − 0.5·10^-d, x + 0.5·10^-d]. An identity holds when the parts' interval sum
overlaps the total's interval. Holding with different displayed values is a
尾差 (``info``). A single figure compared with the same quantity shown
elsewhere may also differ by one unit of the last place (舍位平衡 moves single
figures by less than one unit): ``info`` too. Anything beyond is a violation
at the rule's severity.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

from ..document import Document, Paragraph
from ..figures import Interval, fmt, places
from ..place import Place
from ..tables.table import Row, Table
from ._memo import Memo

T = TypeVar("T")

__all__ = ["Finding", "Fig", "new_fig", "Verdict", "compare", "compare_ratio", "Context", "hit",
           "Sentence", "per_check"]


class Finding(NamedTuple):
    """What a rule reports: its code, severity, a Chinese message, the places it points at and
    the displayed figures it rests on. ``tag`` routes a finding between rules that share a scan
    (``"truncated"``: a percentage cut short, JS308's rather than JS302's); it is not output.
    Immutable (a named tuple): a rule makes it with :func:`hit`, the engine completes a copy."""
    rule: str
    severity: str
    message: str
    places: tuple[Place, ...] = ()
    figures: tuple[str, ...] = ()
    tag: str | None = None
    assumes: tuple[str, ...] = ()   # tables whose rows it assumes complete (a sum over their rows)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "locations": [p.to_dict() for p in self.places], "figures": list(self.figures)}


def hit(message: str, locations: Iterable[dict | Place] = (), figures: Iterable[str] = (),
        severity: str | None = None, tag: str | None = None, assumes: tuple[str, ...] = ()) -> Finding:
    """A finding from inside a rule; the engine fills in the code (and the rule's severity if None).
    ``assumes``: the tables whose rows it adds up (it rests on their being read completely)."""
    return Finding("", severity or "", message, tuple(map(Place.of, locations)), tuple(map(str, figures)), tag,
                   assumes)


# ---------------------------------------------------------------------------------------
# figures and the one interval comparison

_ZERO = Decimal(0)
_HALF = {d: Decimal(5).scaleb(-(d + 1)) for d in range(0, 12)}


class Fig:
    """A displayed figure: value, decimals as displayed, text, and where it is shown.

    ``text`` and ``where`` may be given lazily (None / a callable): most figures only
    take part in identities that hold, and never need their words.
    """

    __slots__ = ("value", "decimals", "_text", "_where", "span")

    def __init__(self, value: Decimal, decimals: int, text: str | None = None,
                 where: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
                 span: Interval | None = None):
        self.value = value
        self.decimals = decimals
        self._text = text
        self._where = where
        self.span = span          # explicit interval (a figure derived from two others)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = fmt(self.value, self.decimals)
        return self._text

    @property
    def where(self) -> dict[str, Any]:
        w = self._where
        if callable(w):
            w = self._where = w()
        return w if w is not None else {}

    def __repr__(self) -> str:
        return f"Fig({self.text})"

    def derive(self, value: Decimal | None = None, decimals: int | None = None, text: str | None = None,
               span: Interval | None = None) -> Fig:
        """A figure shown at the same place (kept lazy) with some attributes replaced."""
        return new_fig(self.value if value is None else value, self.decimals if decimals is None else decimals,
                       self._text if text is None else text, self._where, span if span is not None else self.span)

    @classmethod
    def table(cls, value: Decimal | None, where: Any, decimals: int = 2) -> Fig:
        # table figures are shown with two decimals (万元 or 元); "3" in a built table is 3.00
        return new_fig(value if value is not None else _ZERO, decimals, None, where, None, cls)

    @classmethod
    def text_amount(cls, text: str, where: Any, min_decimals: int = 2) -> Fig:
        """A 万元 amount written in a sentence: "3" is read as 3.00 (trimmed zeros)."""
        v = Decimal(text)
        return new_fig(v, max(min_decimals, places(text)), text, where, None, cls)

    @classmethod
    def exact(cls, value: Decimal, text: str, where: Any) -> Fig:
        return new_fig(value, 28, text, where, None, cls)

    @property
    def iv(self) -> Interval:
        return Interval(*_bounds(self))


_new_object = object.__new__


def new_fig(value: Decimal, decimals: int, text: str | None = None, where: Any = None,
            span: Interval | None = None, cls: type[Fig] = Fig) -> Fig:
    """``Fig(value, decimals, text, where, span)``, made more cheaply: calling a class with a
    Python ``__init__`` costs about a third more than a plain function storing the same slots
    (figures are made by the hundred per check)."""
    f = _new_object(cls)
    f.value = value
    f.decimals = decimals
    f._text = text  # noqa: SLF001 - new_fig is Fig.__init__ without the call: Fig's own lazy slot
    f._where = where  # noqa: SLF001 - new_fig is Fig.__init__ without the call: Fig's own lazy slot
    f.span = span
    return f


@dataclass(frozen=True)
class Verdict:
    ok: bool            # True: some underlying values make it hold
    tail: bool          # holds only thanks to rounding (displayed arithmetic differs) → info
    left: Decimal       # displayed value of the total side
    right: Decimal      # displayed arithmetic of the parts
    gap: Decimal        # distance between the intervals (0 when they overlap)


def compare(total: Fig, parts: list[tuple[int, Fig]], *, single_allowance: bool = False) -> Verdict:
    """Does ``total`` = Σ sign·part hold for some values inside the displayed intervals?

    ``single_allowance``: the same quantity shown in two places (one part, sign +1)
    may differ by one unit of the last place because of 舍位平衡 — report 尾差.
    """
    lo = hi = shown = _ZERO
    for sign, f in parts:
        a, b = _bounds(f)      # f.iv's bounds, without making an Interval per part (a long sum has dozens)
        v = f.value
        if sign > 0:
            lo += a
            hi += b
            shown += v
        else:
            lo -= b
            hi -= a
            shown -= v
    s = Interval(lo, hi)
    t = total.iv
    gap = t.distance(s)
    ok = gap == 0
    tail = shown != total.value
    if not ok and single_allowance and len(parts) == 1:
        unit = Decimal(1).scaleb(-min(total.decimals, parts[0][1].decimals, 2))
        if abs(shown - total.value) <= unit:
            ok = True
    return Verdict(ok, tail, total.value, shown, gap)


def _bounds(f: Fig) -> tuple[Decimal, Decimal]:
    """The bounds of the interval ``f`` stands for (``f.iv``): its explicit span, the exact value
    (28 decimals), or the value ± half a unit of its last displayed place."""
    if f.span is not None:
        return f.span.lo, f.span.hi
    v = f.value
    if f.decimals >= 28:
        return v, v
    half = _HALF.get(f.decimals) or Decimal(5).scaleb(-(f.decimals + 1))
    return v - half, v + half


def compare_ratio(stated: Fig, num: Fig, den: Fig, scale: Decimal = Decimal(100)) -> Verdict | None:
    """Does the stated percentage agree with num/den (intervals)? None if den may be 0."""
    # the intervals' bounds as plain values (Interval is a frozen dataclass, costly to make)
    d_lo, d_hi = _bounds(den)
    if d_lo <= 0:
        return None
    n_lo, n_hi = _bounds(num)
    cands = [n_lo / d_lo, n_lo / d_hi, n_hi / d_lo, n_hi / d_hi]
    r_lo, r_hi = min(cands) * scale, max(cands) * scale
    t_lo, t_hi = _bounds(stated)
    # Interval.distance
    if t_lo <= r_hi and r_lo <= t_hi:
        gap = _ZERO
    else:
        gap = r_lo - t_hi if r_lo > t_hi else t_lo - r_hi
    shown = (num.value / den.value * scale) if den.value else Decimal(0)
    shown_r = shown.quantize(Decimal(1).scaleb(-max(stated.decimals, 0)))
    return Verdict(gap == 0, shown_r != stated.value, stated.value, shown_r, gap)


# ---------------------------------------------------------------------------------------
# a sentence with its place

@dataclass
class Sentence:
    text: str
    part: str          # 第三部分
    section: str       # 五（三）
    key: str           # narrative.5.3 when known
    paragraph: Paragraph
    index: int         # paragraph index within the section

    def where(self, **extra) -> dict[str, Any]:
        loc: dict[str, Any] = {"part": self.part, "section": self.section, "sentence": self.text}
        for k in ("page", "line"):
            if k in self.paragraph.source:
                loc[k] = self.paragraph.source[k]
        loc.update(extra)
        return loc


_MISSING = object()
_ROW_KEY = attrgetter("key")
_NO_TABLES: dict[str, Table] = {}


# ---------------------------------------------------------------------------------------
# column headers of a layout

# id(layout) → (layout, {(key, side): header}). Layouts are immutable and few (the national and
# regional ones); the entry holds its layout, so that the id is not reused while it is cached.
_HEADERS = Memo("column headers of layouts", 1024)


def _layout_headers(t: Table | None) -> tuple[Any, dict]:
    """(layout, its memo of headers) of table ``t``; (None, {}) when there is no table."""
    if t is None:
        return None, {}
    lay = t.layout
    got = _HEADERS.get(id(lay))
    if got is None or got[0] is not lay:
        got = _HEADERS.put(id(lay), (lay, {}))
    return got


def _column_header(lay: Any, key: str, side: str | None) -> str | None:
    cols = lay.columns or tuple(c for s in lay.sides if side is None or s.name == side for c in s.columns)
    for c in cols:
        if c.key == key:
            return c.header
    return None


# ---------------------------------------------------------------------------------------
# the context handed to rules

class Context:
    """The document under check plus the look-ups rules share (computed once)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.memo: dict[Any, Any] = {}    # what rules share within this check: see :func:`per_check`
        self._row_index: dict[tuple, Any] = {}   # rows by key, code, …: see :meth:`rows_by_key`
        self._heads: dict[str, tuple[Any, dict]] = {}        # see :meth:`column_header`
        # ``table(tid)``: the table ``tid`` of the document, None when it has none. The dictionary's
        # own ``get`` (called by the dozen in every check) instead of a method wrapping it: a call of
        # a C method costs a fraction of a Python one.
        ts = doc.tables
        self.table: Callable[[str], Table | None] = ts.tables.get if ts is not None else _NO_TABLES.get

    def close(self) -> None:
        """Drop everything this check memoized. The memos hold figures whose places are computed
        lazily from this context (closures over it), so a finished context is in reference cycles;
        dropping its attributes breaks them and lets it be freed at once instead of piling up for
        the garbage collector, which with hundreds of objects per document cost a fifth of a
        batch's time."""
        self.__dict__.clear()

    # ---- tables ------------------------------------------------------------------------
    # (``table(tid)`` is set in ``__init__``)

    def row(self, tid: str, key: str | None = None, *, code: str | None = None,
            side: str | None = None, label: str | None = None) -> Row | None:
        """The first row of ``tid`` with this key (and code) / this code (never a blank one), on ``side``."""
        if label is not None or (key is not None and code is not None):
            t = self.table(tid)
            return None if t is None else t.row(key, code=code, side=side, label=label)
        if key is not None:
            return self.rows_by_key(tid, side).get(key)
        if code is not None:
            return (self.rows_by_code(tid).get(code) if side is None
                    else self.rows_by_code_on_side(tid).get((code, side)))
        t = self.table(tid)
        if t is None:
            return None
        return next((r for r in t.rows if r.side == side), None) if side is not None else \
            (t.rows[0] if t.rows else None)

    # Rows by key or code: one dictionary per table (and side), built on first use in this check.
    # Each is built from the rows reversed, so that the first row of a key wins.

    def _indexed(self, what: tuple, tid: str, make: Callable[[Table], Any], empty: Any = None) -> Any:
        """``make(table)`` once per check under ``what`` (``empty`` when there is no such table)."""
        got = self._row_index.get(what, _MISSING)
        if got is _MISSING:
            t = self.table(tid)
            got = self._row_index[what] = make(t) if t is not None else empty
        return got

    def rows_by_key(self, tid: str, side: str | None = None) -> dict[str, Row]:
        """The first row of ``tid`` (on ``side``) by layout key."""
        if side is None:
            # no Python step per row: every check indexes several tables
            return self._indexed(("key", tid), tid, lambda t: dict(zip(map(_ROW_KEY, t.rows[::-1]), t.rows[::-1])), {})
        return self._indexed(("key", tid, side), tid,
                             lambda t: {r.key: r for r in reversed(t.rows) if r.side == side}, {})

    def rows_by_code(self, tid: str) -> dict[str, Row]:
        """The first row of ``tid`` by classification code (rows without a code left out)."""
        return self._indexed(("code", tid), tid, lambda t: {r.code: r for r in reversed(t.rows) if r.code}, {})

    def rows_by_code_on_side(self, tid: str) -> dict[tuple[str, str | None], Row]:
        """The first row of ``tid`` by (code, side)."""
        return self._indexed(("code+side", tid), tid,
                             lambda t: {(r.code, r.side): r for r in reversed(t.rows) if r.code}, {})

    def total_row(self, tid: str) -> Row | None:
        """The 合计 row of ``tid``: the first row keyed 合计, else the first uncoded top row labelled 合计.
        (A scan: the 合计 row comes first, and tables whose rows are looked up by key for nothing
        else are spared indexing every row.)"""
        def total(t: Table) -> Row | None:
            return next((r for r in t.rows if r.key == "合计"), None) or \
                next((x for x in t.rows if not x.code and x.level == 0 and "合计" in (x.label or "")), None)
        return self._indexed(("total", tid), tid, total)

    def single_row(self, tid: str) -> Row | None:
        """The table's single data row (the 三公 table): the first row with figures, else the first."""
        def first_with_figures(t: Table) -> Row | None:
            return next((r for r in t.rows if any(v is not None for v in r.cells.values())), None) or \
                (t.rows[0] if t.rows else None)
        return self._indexed(("single", tid), tid, first_with_figures)

    def fig(self, tid: str, row: Row | None, column: str, *, default_zero: bool = True) -> Fig | None:
        """The displayed figure of ``row`` × ``column`` (blank = 0) with its place."""
        if row is None:
            return None
        v = row.cells.get(column)
        if v is None and not default_zero:
            return None
        return Fig.table(v, lambda: self.where(tid, row, column))

    def where(self, tid: str, row: Row | None, column: str | None = None) -> dict[str, Any]:
        loc: dict[str, Any] = {"table": tid}
        if row is not None:
            label = row.label or row.key
            if row.code and not label.startswith(row.code):
                label = f"{row.code} {label}"
            if row.side and self.table(tid) is not None and self.table(tid).layout.kind == "two_sided":
                loc["side"] = row.side
            loc["row"] = label
        if column is not None:
            loc["column"] = column
        src = row.source if row is not None and row.source else {}
        for k in ("page", "line"):
            if k in src:
                loc[k] = src[k]
        return loc

    def column_header(self, tid: str, key: str, side: str | None = None) -> str | None:
        """The printed header of the column showing quantity ``key`` (on ``side``) in the layout of ``tid``."""
        got = self._heads.get(tid)
        if got is None:
            got = self._heads[tid] = _layout_headers(self.table(tid))
        lay, heads = got
        if lay is None:
            return None
        k = (key, side)
        h = heads.get(k, _MISSING)
        if h is _MISSING:
            h = heads[k] = _column_header(lay, key, side)
        return h


def per_check(fn: Callable[..., T]) -> Callable[..., T]:
    """``fn(ctx, *args)`` computed once per check: the one memo of work that rules share (the
    normalised paragraphs of a section, a scan several rules read, a table indexed by code).
    Kept in ``ctx.memo`` under the function and its (hashable) arguments, and dropped with the
    context when the check ends.

    (Memoizing such scans across documents by their whole content was tried and dropped: in a
    batch every department's words differ, and the content key cost more than the scans.)
    """
    nargs = len(inspect.signature(fn).parameters) - 1

    if nargs == 0:
        def once(ctx: Context) -> T:
            memo = ctx.memo
            got = memo.get(fn, _MISSING)
            if got is _MISSING:
                got = memo[fn] = fn(ctx)
            return got
    elif nargs == 1:
        def once(ctx: Context, a: Any) -> T:      # type: ignore[misc]
            by_arg = ctx.memo.get(fn)
            if by_arg is None:
                by_arg = ctx.memo[fn] = {}
            got = by_arg.get(a, _MISSING)
            if got is _MISSING:
                got = by_arg[a] = fn(ctx, a)
            return got
    else:
        def once(ctx: Context, *args: Any, **kwargs: Any) -> T:      # type: ignore[misc]
            key = (fn, *args, *kwargs.items())
            memo = ctx.memo
            got = memo.get(key, _MISSING)
            if got is _MISSING:
                got = memo[key] = fn(ctx, *args, **kwargs)
            return got
    return wraps(fn)(once)
