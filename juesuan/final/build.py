"""The nine tables from the model: every cell an expression over yuan leaves.

Building runs in two passes. First every cell of every table is written as a
linear expression over the model's leaves (``Expr``); then all expressions go to
:func:`juesuan.tables.rounding.controlled_round` together, and every cell is the
value of its expression over the rounded leaves. This is why one fact prints one
figure in every table and every displayed identity holds exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from decimal import Decimal

from ..catalog import catalog
from ..tables.building import CellPlan, add, code_level, function_nodes, neg
from ..tables.rounding import Expr
from ..tables.table import Row, Table, TableSet
from .layouts import T6_BLOCKS, T6_TEMPLATE_ROWS, TableLayout, variant
from .model import EXPENDITURE_KINDS, FUNDS, INCOME_SOURCES, Disclosure

__all__ = ["build_tables", "exact_cells", "CellKey", "leaves_of", "PENDING_THREE_PUBLIC"]

_FUND_KEYS = tuple(FUNDS)
# the 三公 quantities of the model (a layout's other items, 会议费 and 培训费, are left blank)
_THREE_PUBLIC_ITEMS = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")
# printed under the 三公 table when the data do not give the 三公 figures (a placeholder of the document)
PENDING_THREE_PUBLIC = "【待填写：财政拨款“三公”经费预算数和决算数】"


_add, _neg = add, neg


def leaves_of(d: Disclosure) -> dict[Hashable, Decimal]:
    """Every yuan leaf of the model, keyed by a tuple naming it."""
    L: dict[Hashable, Decimal] = {}

    def put(key: tuple, v: Decimal) -> None:
        L[key] = L.get(key, Decimal(0)) + v

    for line in d.income:
        for s in INCOME_SOURCES:
            put(("inc", line.code, s), getattr(line, s))
    fis: dict[tuple, Decimal] = defaultdict(Decimal)
    for a in d.appropriations:
        for kind in ("basic", "project"):
            fis[(a.code, a.fund.value, kind)] += getattr(a, kind)
    for (code, fund, kind), v in fis.items():
        put(("fis", code, fund, kind), v)
    for line in d.expenditure:
        for kind in ("basic", "project"):
            f_sum = sum((fis.get((line.code, f, kind), Decimal(0)) for f in _FUND_KEYS), Decimal(0))
            put(("nf", line.code, kind), getattr(line, kind) - f_sum)
        for kind in ("to_superior", "operating", "to_affiliated"):
            put(("exp", line.code, kind), getattr(line, kind))
    b = d.balances
    put(("bal", "use_of_nonfiscal_balance"), b.use_of_nonfiscal_balance)
    put(("bal", "opening"), b.opening)
    put(("bal", "distribution"), b.distribution)
    item_funds = {i.fund for i in d.fund_items}
    for f in _FUND_KEYS:
        if f in item_funds:
            continue
        fb = d.fund_balances.get(f)  # type: ignore[call-overload]
        put(("fopen", f), fb.opening if fb else Decimal(0))
    for i in d.fund_items:
        put(("fiopen", i.code, i.fund), i.opening)
    for code, v in d.basic_by_economic.items():
        put(("econ", code), v)
    for side in ("budget", "final") if d.three_public is not None else ():   # not given: no leaves
        amounts = getattr(d.three_public, side)
        for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"):
            put(("3p", side, item), getattr(amounts, item))
    return L


class _Exprs:
    """Expressions of every quantity the tables show, over the leaves of one model."""

    def __init__(self, d: Disclosure, L: dict[Hashable, Decimal]):
        self.d = d
        self.L = L
        self.items = sorted({k[1] for k in L if k[0] in ("inc", "fis", "nf", "exp", "fiopen")})
        self._by_kind: dict[str, list] = defaultdict(list)
        for k in L:
            self._by_kind[k[0]].append(k)

    def _sel(self, pred, kinds: tuple[str, ...] | None = None) -> dict[Hashable, int]:
        keys = self.L if kinds is None else [k for kind in kinds for k in self._by_kind[kind]]
        return {k: 1 for k in keys if pred(k)}

    @staticmethod
    def _under(code: str, prefix: str) -> bool:
        return prefix == "" or code.startswith(prefix)

    # income -------------------------------------------------------------------------
    def income(self, prefix: str, sources: tuple[str, ...]) -> dict:
        return self._sel(lambda k: k[2] in sources and self._under(k[1], prefix), ("inc",))

    # expenditure (all money) by kind -------------------------------------------------
    def expenditure(self, prefix: str, kinds: tuple[str, ...]) -> dict:
        def pred(k):
            if not self._under(str(k[1]), prefix):
                return False
            if k[0] == "fis":
                return k[3] in kinds
            if k[0] == "nf":
                return k[2] in kinds
            if k[0] == "exp":
                return k[2] in kinds
            return False
        return self._sel(pred, ("fis", "nf", "exp"))

    # 财政拨款 expenditure by fund ------------------------------------------------------
    def fiscal(self, prefix: str, funds: tuple[str, ...], kinds=("basic", "project")) -> dict:
        return self._sel(lambda k: k[2] in funds and k[3] in kinds and self._under(k[1], prefix),
                         ("fis",))

    def fund_opening(self, prefix: str, fund: str) -> dict:
        e = self._sel(lambda k: k[2] == fund and self._under(k[1], prefix), ("fiopen",))
        if prefix == "" and ("fopen", fund) in self.L:
            e[("fopen", fund)] = 1
        return e

    def fund_closing(self, prefix: str, fund: str) -> dict:
        return _add(self.fund_opening(prefix, fund), self.income(prefix, (fund,)),
                    _neg(self.fiscal(prefix, (fund,))))

    # T1 totals ------------------------------------------------------------------------
    def income_total(self) -> dict:
        return self.income("", tuple(INCOME_SOURCES))

    def expenditure_total(self) -> dict:
        return self.expenditure("", tuple(EXPENDITURE_KINDS))

    def closing(self) -> dict:
        # 年末结转和结余 = 收入总计 − 本年支出合计 − 结余分配 (validated in yuan on load)
        return _add(self.grand_total(), _neg(self.expenditure_total()),
                    _neg({("bal", "distribution"): 1}))

    def grand_total(self) -> dict:
        return _add(self.income_total(), {("bal", "use_of_nonfiscal_balance"): 1, ("bal", "opening"): 1})

    def econ(self, prefix: str) -> dict:
        return self._sel(lambda k: k[1].startswith(prefix), ("econ",))

    def econ_block(self, classes: tuple[str, ...]) -> dict:
        return self._sel(lambda k: k[1][:3] in classes, ("econ",))

    def three_public(self, side: str, item: str) -> dict:
        parts = {"total": ("abroad", "vehicle_purchase", "vehicle_operation", "reception"),
                 "vehicle": ("vehicle_purchase", "vehicle_operation")}.get(item, (item,))
        return {("3p", side, p): 1 for p in parts}


_function_nodes, _level = function_nodes, code_level


def _function_name(cat, code: str, d: Disclosure) -> str:
    name = cat.function_name(code)
    if name:
        return name
    for line in (*d.expenditure, *d.income, *d.appropriations):
        if line.code == code and line.name:
            return line.name
    return ""


class _Builder(CellPlan):
    def __init__(self, d: Disclosure, variant_name: str):
        super().__init__(leaves_of(d))
        self.d = d
        self.var = variant(variant_name)
        self.E = _Exprs(d, self.L)
        self.cat = catalog(d.year)

    # ---------------------------------------------------------------------------------
    def two_sided(self, lay: TableLayout) -> list[Row]:
        rows: list[Row] = []
        for side in lay.sides:
            for fr in side.rows:
                row = Row(key=fr.key, label=fr.label, code=fr.code, line=fr.line, side=side.name,
                          level=1 if fr.code else 0)
                rows.append(row)
                if not fr.key:
                    continue
                for col in side.columns:
                    expr = self.two_sided_expr(lay.id, fr.key, col.key)
                    if expr is not None:
                        self.q(row, col.header, expr, row.level if fr.code else 0, fr.code or "total",
                               headline="total" in fr.key)
        return rows

    def two_sided_expr(self, tid: str, key: str, col: str) -> Expr | None:
        E = self.E
        kind, _, arg = key.partition(":")
        if tid == "T1":
            if kind == "income":
                if arg == "total":
                    return E.income_total()
                # the university 总表's one 财政拨款收入 row; a row the model does not record (its
                # 其中：捐赠收入) is blank
                return E.income("", _FUND_KEYS if arg == "fiscal" else (arg,) if arg in INCOME_SOURCES else ())
            if kind == "expenditure":
                return E.expenditure_total() if arg == "total" else E.expenditure(arg, tuple(EXPENDITURE_KINDS))
            if kind == "balance":
                return E.closing() if arg == "closing" else {("bal", arg): 1}
            if kind == "grand_total":
                return E.grand_total()
        if tid == "T4":
            funds = _FUND_KEYS if col in ("value", "fiscal") else (col,)
            if kind == "fiscal_income":
                return E.income("", _FUND_KEYS if arg == "total" else (arg,))
            if kind == "fiscal_opening":
                fs = _FUND_KEYS if arg == "total" else (arg,)
                return _add(*(E.fund_opening("", f) for f in fs))
            if kind == "fiscal_grand_total":
                if arg == "income":
                    return _add(E.income("", _FUND_KEYS), *(E.fund_opening("", f) for f in _FUND_KEYS))
                return _add(E.fiscal("", funds), *(E.fund_closing("", f) for f in funds))
            if kind == "fiscal_expenditure":
                return E.fiscal("" if arg == "total" else arg, funds)
            if kind == "fiscal_closing":
                return _add(*(E.fund_closing("", f) for f in funds))
        raise KeyError(f"{tid}: no expression for row {key!r} column {col!r}")

    # ---------------------------------------------------------------------------------
    def function_table(self, lay: TableLayout) -> list[Row]:
        E = self.E
        exprs_of = self.function_columns(lay)
        # rows: every node with a non-zero value in any column of this table
        leaf_codes = [c for c in E.items if len(c) == 7]
        rows: list[Row] = []
        total_row = Row(key="合计", label="合计", code="", level=0)
        nodes = []
        for node in _function_nodes(leaf_codes):
            col_exprs = {h: f(node) for h, f in exprs_of.items()}
            if any(sum((self.L[k] * c for k, c in e.items()), Decimal(0)) for e in col_exprs.values()):
                nodes.append((node, col_exprs))
        rows.append(total_row)
        for i, (h, f) in enumerate(exprs_of.items()):
            self.q(total_row, h, f(""), 0, "合计", headline=i == 0)
        for node, col_exprs in nodes:
            row = Row(key=node, label=_function_name(self.cat, node, self.d), code=node, level=_level(node))
            rows.append(row)
            for h, e in col_exprs.items():
                self.q(row, h, e, row.level, node)
        return rows

    def function_columns(self, lay: TableLayout) -> dict[str, callable]:
        E = self.E
        out = {}
        for col in lay.columns:
            kind, _, arg = col.key.partition(":")
            # a column of a quantity the model does not record (the university tables' 其中：教育收费,
            # 其中：基本建设资金支出) is blank
            out[col.header] = lambda p: {}
            if kind == "income":
                srcs = {"total": tuple(INCOME_SOURCES), "fiscal": _FUND_KEYS}.get(
                    arg, (arg,) if arg in INCOME_SOURCES else ())
                out[col.header] = lambda p, s=srcs: E.income(p, s)
            elif kind == "exp":
                kinds = tuple(EXPENDITURE_KINDS) if arg == "total" else (arg,)
                out[col.header] = lambda p, k=kinds: E.expenditure(p, k)
            elif kind == "fund":
                f = lay.fund
                if arg in ("total", "basic", "project"):
                    kinds = ("basic", "project") if arg == "total" else (arg,)
                    out[col.header] = lambda p, k=kinds, f=f: E.fiscal(p, (f,), k)
                elif arg == "opening":
                    out[col.header] = lambda p, f=f: E.fund_opening(p, f)
                elif arg == "income":
                    out[col.header] = lambda p, f=f: E.income(p, (f,))
                elif arg == "closing":
                    out[col.header] = lambda p, f=f: E.fund_closing(p, f)
        return out

    # ---------------------------------------------------------------------------------
    def economic_table(self, lay: TableLayout) -> list[Row]:
        E = self.E
        col = lay.columns[0].header
        given = set(self.d.basic_by_economic)
        codes = list(T6_TEMPLATE_ROWS)
        for c in sorted(given):
            for node in (c[:3], c):
                if node not in codes:
                    codes.append(node)
        block_of = {cls: name for name, classes in T6_BLOCKS for cls in classes}
        order = {name: i for i, (name, _) in enumerate(T6_BLOCKS)}
        codes.sort(key=lambda c: (order[block_of.get(c[:3], "公用经费")],
                                  T6_TEMPLATE_ROWS.index(c) if c in T6_TEMPLATE_ROWS else 10_000 + int(c)))
        rows = []
        for c in codes:
            row = Row(key=c, label=self.cat.economic_name(c) or c, code=c,
                      level=1 if len(c) == 3 else 2, side=block_of.get(c[:3], "公用经费"))
            rows.append(row)
            self.q(row, col, E.econ(c), row.level, "econ" + c)
        for name, classes in T6_BLOCKS:
            row = Row(key=f"{name}合计", label=f"{name}合计", code="", level=0, side=name)
            rows.append(row)
            self.q(row, col, E.econ_block(classes), 0, name)
        return rows

    def three_public_table(self, lay: TableLayout) -> list[Row]:
        row = Row(key="三公", label="财政拨款“三公”经费", code="", level=0)
        for col in lay.columns:
            side, _, item = col.key.partition(":")
            if item not in _THREE_PUBLIC_ITEMS or self.d.three_public is None:
                # an item the model has no figure for (会议费), or 三公 not given at all: blank
                row.cells[col.header] = None
                continue
            self.q(row, col.header, self.E.three_public(side, item), 0 if item == "total" else 1,
                   f"3p:{side}:{item}")
        return [row]

    # ---------------------------------------------------------------------------------
    def build(self) -> TableSet:
        built: dict[str, Table] = {}
        for tid in self.var.order:
            lay = self.var.layouts[tid]
            if not lay.built:
                continue    # a table the model has no figures for: never made up
            if lay.kind == "two_sided":
                rows = self.two_sided(lay)
            elif lay.kind == "function":
                rows = self.function_table(lay)
            elif lay.kind == "economic":
                rows = self.economic_table(lay)
            else:
                rows = self.three_public_table(lay)
            built[tid] = Table(id=tid, layout=lay, rows=rows, entity=self.d.entity.name, year=self.d.year,
                               number=self.var.number(tid))

        result = self.round([(self.E.econ(""), self.E.fiscal("", ("general",), ("basic",)))])
        for t in built.values():
            t.empty = not any(v for r in t.rows for v in r.cells.values())
            if t.layout.kind == "three_public" and self.d.three_public is None:
                # not given is not "没有“三公”经费": blank cells and what is to be filled in, no 无数据 sentence
                t.empty = False
                t.pending = PENDING_THREE_PUBLIC
            if t.empty and t.layout.kind == "function":
                # an empty function table prints only its 合计 row
                t.rows = [r for r in t.rows if r.level == 0]
        return TableSet(tables=built, order=self.var.order, variant=self.var.name,
                        entity=self.d.entity.name, year=self.d.year, rounding=result)


def build_tables(d: Disclosure, variant_name: str = "national") -> TableSet:
    """The nine tables of ``d`` in 万元, controlled-rounded together."""
    return _Builder(d, variant_name).build()


# ----------------------------------------------------------------------------- exact cells
# The exact (unrounded) yuan value of every cell, from the same expressions the tables are
# rounded from: the workbook is pre-filled with them, and its reader checks the figures a
# workbook states (totals, 类/款 rows, T1/T4) against them. One definition of what a cell means.

CellKey = tuple[str, str, str | None, str]   # table id, row key, side (two-sided only), column header


def exact_cells(d: Disclosure) -> dict[CellKey, tuple[Decimal, int]]:
    """(table, row key, side, column) → (yuan value, number of leaves it adds up)."""
    b = _Builder(d, "national")
    out: dict[CellKey, tuple[Decimal, int]] = {}
    for tid in b.var.order:
        lay = b.var.layouts[tid]
        start = len(b.cells)
        if lay.kind == "two_sided":
            b.two_sided(lay)
        elif lay.kind == "function":
            b.function_table(lay)
        elif lay.kind == "economic":
            b.economic_table(lay)
        else:
            b.three_public_table(lay)
        for row, column, expr in b.cells[start:]:
            v = sum((b.L[k] * c for k, c in expr.items()), Decimal(0))
            side = row.side if lay.kind == "two_sided" else None
            out[(tid, row.key, side, column)] = (v, sum(1 for k in expr if b.L[k]))
    return out
