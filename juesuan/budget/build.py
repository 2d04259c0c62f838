"""A budget's tables from its model (national layout): every cell an expression over yuan leaves.

As the 决算's tables are built (:mod:`juesuan.tables.building`): every cell of every table is a
linear expression over the model's leaves — each source of 本年收入, each fund's 上年结转结余, each
expenditure line's 基本支出 and 项目支出 by fund, each 经济分类 款, each 三公 item, each project's money
by source — and all of them are rounded to 万元 together, so that displayed components add to
displayed totals and one quantity shows one figure in every table (and in the text, which reads its
figures from these tables). 年终结转结余 is not a leaf: it is what is left (收入总计 − 本年支出), so
收入总计 = 支出总计 holds as displayed.

What the data do not give is not made up: without ``three_public`` the 三公 table's cells are blank
with 【待填写】 under it; without ``projects`` the 项目支出表 shows its 合计 (the expenditure lines
give it) and 【待填写】 for the projects.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal

from ..catalog import catalog
from ..errors import Diagnostic, InputError
from ..tables.building import CellPlan, add, code_level, function_nodes, neg
from ..tables.layout import TableLayout
from ..tables.rounding import Expr
from ..tables.table import Row, Table, TableSet
from .layouts import BUILT_ROWS, PERSONNEL_CLASSES, WHEN_NOT_ZERO, variant
from .model import FISCAL_FUNDS, FUND_SOURCES, SOURCES, Budget

__all__ = ["build_tables", "leaves_of", "PENDING_THREE_PUBLIC", "PENDING_PROJECTS", "BUILDABLE"]

PENDING_THREE_PUBLIC = "【待填写：财政拨款“三公”经费预算数】"
PENDING_PROJECTS = "【待填写：项目支出表（各项目的名称和金额）】"
BUILDABLE = ("national",)     # the layouts a budget is built in
_FISCAL = tuple(FISCAL_FUNDS)
_3P_ITEMS = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
# a fund table's money (Y5 一般公共预算, Y8 政府性基金, Y9 国有资本经营); None: all money (Y3)
_FUND_OF = {"general": ("general",), "gov_fund": ("gov_fund",), "state_capital": ("state_capital",),
            "fiscal": _FISCAL, None: tuple(FUND_SOURCES)}


def leaves_of(b: Budget) -> dict[Hashable, Decimal]:
    """Every yuan leaf of the model, keyed by a tuple naming it."""
    L: dict[Hashable, Decimal] = {}

    def put(key: tuple, v: Decimal) -> None:
        L[key] = L.get(key, Decimal(0)) + v

    for s in SOURCES:
        put(("inc", s), getattr(b.income, s))
    for f in (*_FISCAL, "nonfiscal"):
        put(("open", f), getattr(b.balances.opening, f))
    put(("use",), b.balances.use_of_nonfiscal_balance)
    for x in b.expenditure:
        put(("exp", x.code, x.fund, "basic"), x.basic)
        put(("exp", x.code, x.fund, "project"), x.project)
    for code, v in b.basic_by_economic.items():
        put(("econ", code), v)
    if b.three_public is not None:
        for item in _3P_ITEMS:
            put(("3p", item), getattr(b.three_public.budget, item))
    for i, p in enumerate(b.projects or ()):
        for f in FUND_SOURCES:
            put(("proj", i, f), getattr(p.money, f))
    return L


class _Exprs:
    """Expressions of every quantity the tables show, over the leaves of one model."""

    def __init__(self, L: dict[Hashable, Decimal]):
        self.L = L
        self.codes = sorted({k[1] for k in L if k[0] == "exp"})

    def income(self, sources: tuple[str, ...] = tuple(SOURCES)) -> dict:
        return {("inc", s): 1 for s in sources}

    def opening(self, funds: tuple[str, ...] = (*_FISCAL, "nonfiscal")) -> dict:
        return {("open", f): 1 for f in funds}

    def spent(self, prefix: str = "", funds: tuple[str, ...] = tuple(FUND_SOURCES),
              kinds: tuple[str, ...] = ("basic", "project")) -> dict:
        return {k: 1 for k in self.L if k[0] == "exp" and k[1].startswith(prefix) and k[2] in funds and k[3] in kinds}

    def grand_total(self) -> dict:
        return add(self.income(), self.opening(), {("use",): 1})

    def closing(self) -> dict:
        """年终结转结余: what is left of 收入总计 after 本年支出."""
        return add(self.grand_total(), neg(self.spent()))

    def fiscal_grand_total(self) -> dict:
        return add(self.income(_FISCAL), self.opening(_FISCAL))

    def fiscal_closing(self) -> dict:
        return add(self.fiscal_grand_total(), neg(self.spent(funds=_FISCAL)))

    def econ(self, prefix: str = "", classes: tuple[str, ...] | None = None) -> dict:
        return {k: 1 for k in self.L if k[0] == "econ" and k[1].startswith(prefix)
                and (classes is None or k[1][:3] in classes)}

    def project(self, i: int | None, funds: tuple[str, ...]) -> dict:
        return {k: 1 for k in self.L if k[0] == "proj" and (i is None or k[1] == i) and k[2] in funds}


class _Builder(CellPlan):
    def __init__(self, b: Budget, variant_name: str):
        super().__init__(leaves_of(b))
        self.b = b
        self.var = variant(variant_name)
        self.E = _Exprs(self.L)
        self.cat = catalog(b.year)

    # -- 收支总表, 财政拨款收支总表 -------------------------------------------------------------
    def two_sided(self, lay: TableLayout) -> list[Row]:
        rows: list[Row] = []
        wanted = BUILT_ROWS[lay.id]
        for side in lay.sides:
            by_key = {fr.key: fr for fr in side.rows}
            for key in wanted:
                if key.endswith(":*"):
                    prefix = key[:-1]
                    frs = [fr for fr in side.rows if fr.key.startswith(prefix) and fr.code]
                    frs = [fr for fr in frs if self.true(self.expr(lay.id, fr.key))]
                elif key in by_key:
                    frs = [by_key[key]]
                else:
                    continue
                for fr in frs:
                    expr = self.expr(lay.id, fr.key)
                    if fr.key in WHEN_NOT_ZERO and not self.true(expr):
                        continue
                    row = Row(key=fr.key, label=fr.label, code=fr.code, line=fr.line, side=side.name,
                              level=1 if fr.code else 0)
                    rows.append(row)
                    for col in side.columns:
                        self.q(row, col.header, expr, row.level, fr.code or fr.key,
                               headline="total" in fr.key)
        return rows

    def expr(self, tid: str, key: str) -> Expr:
        E = self.E
        kind, _, arg = key.partition(":")
        if tid == "Y1":
            if kind == "income":
                return E.income() if arg == "total" else E.income((arg,))
            if kind == "expenditure":
                return E.spent() if arg == "total" else E.spent(arg)
            if key == "balance:use_of_nonfiscal_balance":
                return {("use",): 1}
            if key == "balance:opening":
                return E.opening()
            if key == "balance:closing":
                return E.closing()
            if kind == "grand_total":
                return E.grand_total()
        if tid == "Y4":
            if kind == "fiscal_income":
                return E.income(_FISCAL if arg == "total" else (arg,))
            if kind == "fiscal_opening":
                return E.opening(_FISCAL if arg == "total" else (arg,))
            if kind == "fiscal_expenditure":
                return E.spent("" if arg == "total" else arg, _FISCAL)
            if key == "fiscal_closing":
                return E.fiscal_closing()
            if kind == "fiscal_grand_total":
                return E.fiscal_grand_total()
        raise KeyError(f"{tid}: no expression for row {key!r}")

    # -- tables by 功能分类 (支出总表, 一般公共预算 / 政府性基金 / 国有资本经营预算支出表) ------------------
    def function_table(self, lay: TableLayout) -> list[Row]:
        funds = _FUND_OF[lay.fund]
        kinds = {"exp:total": ("basic", "project"), "exp:basic": ("basic",), "exp:project": ("project",)}
        cols = [(c.header, kinds[c.key]) for c in lay.columns]
        total = Row(key="合计", label="合计", code="", level=0)
        rows = [total]
        for i, (h, k) in enumerate(cols):
            self.q(total, h, self.E.spent("", funds, k), 0, "合计" + (lay.fund or ""), headline=i == 0)
        for node in function_nodes(self.E.codes):
            exprs = {h: self.E.spent(node, funds, k) for h, k in cols}
            if not any(self.true(e) for e in exprs.values()):
                continue
            row = Row(key=node, label=self._name(node), code=node, level=code_level(node))
            rows.append(row)
            for h, e in exprs.items():
                self.q(row, h, e, row.level, node + (lay.fund or ""))
        return rows

    def _name(self, code: str) -> str:
        known = self.cat.function_name(code)
        if known:
            return known
        return next((x.name for x in self.b.expenditure if x.code == code and x.name), "")

    # -- listings ---------------------------------------------------------------------------------------
    def income_table(self, lay: TableLayout) -> list[Row]:
        E = self.E
        exprs = {"total": E.grand_total(), "opening": E.opening(), "use_of_nonfiscal_balance": {("use",): 1},
                 **{s: E.income((s,)) for s in SOURCES}}
        rows = [Row(key="合计", label="合计", level=0),
                Row(key=self.b.entity.name, label=self.b.entity.name, level=1)]
        for row in rows:
            for c in lay.columns:
                self.q(row, c.header, exprs[c.key], row.level, "Y2:" + c.key, headline=c.key == "total")
        return rows

    def economic_table(self, lay: TableLayout) -> list[Row]:
        E = self.E
        codes = sorted(self.b.basic_by_economic)
        nodes = sorted({c[:3] for c in codes} | set(codes))
        total = Row(key="合计", label="合计", level=0)
        rows = [total]

        def cells(row: Row, prefix: str, level: int) -> None:
            personnel = prefix[:3] in PERSONNEL_CLASSES
            for c in lay.columns:
                if c.key == "total":
                    e = E.econ(prefix)
                elif prefix == "":
                    e = E.econ("", PERSONNEL_CLASSES if c.key == "personnel" else
                               tuple({k[:3] for k in codes} - set(PERSONNEL_CLASSES)))
                else:
                    e = E.econ(prefix) if personnel == (c.key == "personnel") else {}
                self.q(row, c.header, e, level, f"econ{prefix}:{c.key}")

        cells(total, "", 0)
        for node in nodes:
            if not self.true(E.econ(node)):
                continue
            row = Row(key=node, label=self.cat.economic_name(node) or node, code=node, level=1 if len(node) == 3 else 2)
            rows.append(row)
            cells(row, node, row.level)
        return rows

    def three_public_table(self, lay: TableLayout) -> list[Row]:
        row = Row(key="三公", label=f"{self.b.year}年预算数", level=0)
        parts = {"3p:total": _3P_ITEMS, "3p:vehicle": ("vehicle_purchase", "vehicle_operation")}
        for c in lay.columns:
            if self.b.three_public is None:
                row.cells[c.header] = None       # not given: blank, 【待填写】 under the table
                continue
            items = parts.get(c.key, (c.key.split(":")[1],))
            self.q(row, c.header, {("3p", i): 1 for i in items}, 0 if c.key == "3p:total" else 1, c.key)
        return [row]

    def project_table(self, lay: TableLayout) -> list[Row]:
        E = self.E
        total = Row(key="合计", label="合计", level=0)
        rows = [total]
        for c in lay.columns:
            funds = tuple(FUND_SOURCES) if c.key == "total" else (c.key,)
            # the 合计 is the projects' sum; without a project list, the 项目支出 the expenditure lines give
            e = E.project(None, funds) if self.b.projects is not None else E.spent("", funds, ("project",))
            self.q(total, c.header, e, 0, f"project:{c.key}", headline=c.key == "total")
        for i, p in enumerate(self.b.projects or ()):
            row = Row(key=p.name, label=p.name, level=1)
            rows.append(row)
            for c in lay.columns:
                funds = tuple(FUND_SOURCES) if c.key == "total" else (c.key,)
                self.q(row, c.header, E.project(i, funds), 1, f"project{i}:{c.key}")
        return rows

    # ----------------------------------------------------------------------------------------------------
    def build(self) -> TableSet:
        built: dict[str, Table] = {}
        makers = {"Y1": self.two_sided, "Y4": self.two_sided, "Y2": self.income_table, "Y6": self.economic_table,
                  "Y7": self.three_public_table, "Y10": self.project_table}
        for tid in self.var.order:
            lay = self.var.layouts[tid]
            if not lay.built or lay.kind == "form":
                continue        # the 绩效目标表 are forms (budget.narrative), not tables of figures
            make = makers.get(tid, self.function_table if lay.kind == "function" else None)
            if make is None:
                continue
            built[tid] = Table(id=tid, layout=lay, rows=make(lay), entity=self.b.entity.name, year=self.b.year,
                               number=self.var.number(tid))
        result = self.round(self.hard_ties())
        for t in built.values():
            t.empty = not any(v for r in t.rows for v in r.cells.values())
            if t.id == "Y7" and self.b.three_public is None:
                t.empty, t.pending = False, PENDING_THREE_PUBLIC
            if t.id == "Y10" and self.b.projects is None:
                t.empty, t.pending = False, PENDING_PROJECTS
            if t.empty and t.layout.kind == "function":
                t.rows = [r for r in t.rows if r.level == 0]      # an empty table prints its 合计 row only
        return TableSet(tables=built, order=self.var.order, variant=self.var.name, entity=self.b.entity.name,
                        year=self.b.year, rounding=result)

    def hard_ties(self) -> list[tuple[Expr, Expr]]:
        """Two figures of one fact from different leaves, equal in yuan: shown alike. The 基本支出 by
        经济分类 and by 功能分类; each fund's projects and its 项目支出."""
        E = self.E
        ties = []
        econ, basic = E.econ(), E.spent("", ("general",), ("basic",))
        if self.true(econ) == self.true(basic):
            ties.append((econ, basic))
        if self.b.projects is not None:
            for f in FUND_SOURCES:
                listed, spent = E.project(None, (f,)), E.spent("", (f,), ("project",))
                if self.true(listed) == self.true(spent):
                    ties.append((listed, spent))
        return ties


def build_tables(b: Budget, variant_name: str = "national") -> TableSet:
    """The budget's tables (national layout) in 万元, controlled-rounded together."""
    if variant_name not in BUILDABLE:
        raise InputError([Diagnostic("error", f"部门预算目前只能按全国通用表式（national）生成，不能按 {variant_name} "
                                              "表式生成（其他表式的已公开预算可以解析和审核）。",
                                     code="budget-variant")])
    return _Builder(b, variant_name).build()
