"""Comparing what the store holds: across departments and years, and one entity year over year.

Every column of the comparison is a :class:`Quantity` in :data:`QUANTITIES` — its name, its
view (the sheet it is on), and how it is computed from a version's facts, as a small expression
over fact references (:class:`F`: a table cell by table, row key and column; :class:`N`: a figure
of the 情况说明 the kind keeps, ``juesuan/final/narrative_facts.py``; :class:`C`: a count of
findings). Nothing is hand-coded per column: the terminal tables, the CSV and the XLSX sheets are
all made from this one declaration (docs/compare.md lists it).

Values are :class:`~decimal.Decimal`. Amounts are the tables' figures in 万元 as displayed (a
table in 元 is converted and rounded to two decimals, as a 万元 table would show it); shares
and changes are computed from those displayed figures and shown as percent with two decimals.
A figure a document does not give — a cell not shown, a 情况说明 that does not state 政府采购,
a version imported before narrative facts were kept — makes every quantity resting on it
**blank** (None), never 0; so does a share over 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .export import excel_value
from .store import Store

__all__ = ["F", "N", "C", "Sum", "Ratio", "Quantity", "QUANTITIES", "VIEWS", "Row", "compare_rows",
           "YoyChange", "year_over_year", "wan", "CENT", "quantities_markdown", "view_table", "yoy_table",
           "write_compare", "write_yoy", "STATED", "shown", "key_rows"]

CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
_TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"), "亿元": Decimal(10000)}


def wan(value: Decimal | None, unit: str) -> Decimal | None:
    """A table's figure in 万元 as displayed (two decimals); None when not given or of an unknown unit."""
    if value is None or unit not in _TO_WAN:
        return None
    return (value * _TO_WAN[unit]).quantize(CENT, ROUND_HALF_UP)


# ------------------------------------------------------------------------------------------ expressions

@dataclass(frozen=True)
class F:
    """A table cell: table id, row key and column (as the store keeps them). Alternatives after
    the first are tried in order (another layout's row key or column)."""
    table: str
    row: str
    column: str
    alt: tuple[tuple[str, str, str], ...] = ()

    def __call__(self, src: _Source) -> Decimal | None:
        for ref in ((self.table, self.row, self.column), *self.alt):
            if ref in src.facts:
                return src.facts[ref]
        return None

    def text(self) -> str:
        return f"{self.table}「{self.row}」行「{self.column}」列"


@dataclass(frozen=True)
class N:
    """A figure the 情况说明 states (a narrative fact's name)."""
    name: str

    def __call__(self, src: _Source) -> Decimal | None:
        return src.narrative.get(self.name)

    def text(self) -> str:
        from ..final.narrative_facts import LABELS
        return f"情况说明「{LABELS.get(self.name, self.name)}」"


@dataclass(frozen=True)
class C:
    """A count of the version's findings: errors, warnings or unchecked (无法核对)."""
    what: str

    def __call__(self, src: _Source) -> Decimal | None:
        return Decimal(src.counts[self.what])

    def text(self) -> str:
        return {"errors": "错误条数", "warnings": "警告条数", "unchecked": "“无法核对”条数"}[self.what]


@dataclass(frozen=True)
class Sum:
    """The sum of its terms; blank when any is."""
    terms: tuple

    def __call__(self, src: _Source) -> Decimal | None:
        vals = [t(src) for t in self.terms]
        return None if any(v is None for v in vals) else sum(vals, Decimal(0))

    def text(self) -> str:
        return " + ".join(t.text() for t in self.terms)


@dataclass(frozen=True)
class Ratio:
    """num ÷ den as percent with two decimals; blank when either is blank or den is 0."""
    num: Any
    den: Any

    def __call__(self, src: _Source) -> Decimal | None:
        n, d = self.num(src), self.den(src)
        if n is None or d is None or d == 0:
            return None
        return (n * _HUNDRED / d).quantize(CENT, ROUND_HALF_UP)

    def text(self) -> str:
        return f"({self.num.text()}) ÷ ({self.den.text()})"


@dataclass(frozen=True)
class Quantity:
    key: str
    label: str
    view: str
    expr: Any
    unit: str = "万元"          # 万元, %, 条
    change: bool = False        # also its change against the entity's previous year (amount and %)
    chart: bool = False         # charted on its view's sheet

    @property
    def is_amount(self) -> bool:
        return self.unit == "万元"


_T1_INCOME = F("T1", "income:total", "收入:决算数")
_T1_EXP = F("T1", "expenditure:total", "支出:决算数")
_T1_TOTAL = F("T1", "grand_total:income", "收入:决算数")
_T3_TOTAL = F("T3", "合计", "本年支出合计", alt=(("T3", "合计", "合计"),))     # the university layout's 合计
_T3_BASIC = F("T3", "合计", "基本支出")
_T3_PROJECT = F("T3", "合计", "项目支出")
_T5_TOTAL = F("T5", "合计", "小计", alt=(("T5", "合计", "合计"),))
_PERSONNEL = Sum((F("T6", "301", "决算数"), F("T6", "303", "决算数")))
_T6_TOTAL = Sum((F("T6", "人员经费合计", "决算数"), F("T6", "公用经费合计", "决算数")))
_3P_ITEMS = (("total", "合计"), ("abroad", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
             ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费"))

QUANTITIES: tuple[Quantity, ...] = (
    Quantity("income", "收入合计", "总额", _T1_INCOME, change=True),
    Quantity("expenditure", "支出合计", "总额", _T1_EXP, change=True, chart=True),
    Quantity("grand_total", "收支总计", "总额", _T1_TOTAL, change=True),
    Quantity("basic", "基本支出", "结构", _T3_BASIC),
    Quantity("project", "项目支出", "结构", _T3_PROJECT),
    Quantity("basic_share", "基本支出占比", "结构", Ratio(_T3_BASIC, _T3_TOTAL), unit="%", chart=True),
    Quantity("project_share", "项目支出占比", "结构", Ratio(_T3_PROJECT, _T3_TOTAL), unit="%", chart=True),
    Quantity("personnel", "人员经费", "结构", _PERSONNEL),
    Quantity("personnel_share", "人员经费占基本支出比例", "结构", Ratio(_PERSONNEL, _T6_TOTAL), unit="%"),
    *(Quantity(f"3p_budget_{k}", f"三公预算·{label}", "三公", F("T9", "三公", f"预算数/{label}"))
      for k, label in _3P_ITEMS),
    *(Quantity(f"3p_final_{k}", f"三公决算·{label}", "三公", F("T9", "三公", f"决算数/{label}"), change=True,
               chart=k != "total") for k, label in _3P_ITEMS),
    Quantity("general_final", "一般公共预算财政拨款支出", "预算与采购", _T5_TOTAL),
    Quantity("initial_budget", "年初预算", "预算与采购", N("initial_budget")),
    Quantity("completion", "年初预算完成率", "预算与采购", Ratio(_T5_TOTAL, N("initial_budget")), unit="%"),
    Quantity("procurement", "政府采购支出", "预算与采购", N("procurement_total"), change=True, chart=True),
    Quantity("procurement_sme", "授予中小企业合同金额", "预算与采购", N("procurement_sme")),
    Quantity("sme_share", "中小企业占比", "预算与采购", Ratio(N("procurement_sme"), N("procurement_total")), unit="%"),
    Quantity("errors", "错误", "审核", C("errors"), unit="条"),
    Quantity("warnings", "警告", "审核", C("warnings"), unit="条"),
    Quantity("unchecked", "无法核对", "审核", C("unchecked"), unit="条"),
)
VIEWS: tuple[str, ...] = tuple(dict.fromkeys(q.view for q in QUANTITIES))


def quantities_markdown() -> str:
    """The table of :data:`QUANTITIES` as docs/compare.md prints it (a test keeps the two the same)."""
    lines = ["| 视图 | 列 | 单位 | 由何算出 | 较上年 |", "|---|---|---|---|---|"]
    for q in QUANTITIES:
        lines.append(f"| {q.view} | {q.label} | {q.unit} | {q.expr.text()} | {'是' if q.change else ''} |")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------ rows

@dataclass
class _Source:
    facts: dict[tuple[str, str, str], Decimal]
    narrative: dict[str, Decimal]
    counts: dict[str, int]


@dataclass
class Row:
    """One disclosure (its latest version): its quantities, and their changes where declared."""
    version_id: int
    region: str | None
    entity: str
    year: int
    kind: str
    number: int
    values: dict[str, Decimal | None]
    changes: dict[str, tuple[Decimal | None, Decimal | None]]   # key → (amount change, percent change)


def _refs(expr: Any) -> list[tuple[str, str]]:
    """The (table, row key) pairs an expression reads (so that only those facts are loaded)."""
    if isinstance(expr, F):
        return [(expr.table, expr.row), *((t, r) for t, r, _ in expr.alt)]
    if isinstance(expr, Sum):
        return [p for t in expr.terms for p in _refs(t)]
    if isinstance(expr, Ratio):
        return _refs(expr.num) + _refs(expr.den)
    return []


def key_rows() -> frozenset[tuple[str, str]]:
    """The (table, row key) pairs every quantity reads, alternatives included: the rows whose
    cells the store also keeps one per row (``schema.key_facts``), so that comparing and the
    dashboard read them by index instead of unpacking each version's tables."""
    return frozenset(p for q in QUANTITIES for p in _refs(q.expr))


def _sources(store: Store, chosen: list[dict[str, Any]]) -> dict[int, _Source]:
    ids = [v["id"] for v in chosen]
    table = store.table_facts(ids, rows=key_rows())
    narr = store.narrative(ids)
    unchecked = store.unchecked_counts(ids)
    out = {}
    for v in chosen:
        facts = {}
        for f in table[v["id"]]:
            val = wan(f["value"], f["unit"])
            if val is not None:
                facts.setdefault((f["table_id"], f["row_key"], f["column"]), val)
        narrative = {}
        for n in narr[v["id"]]:
            if n["name"] != "change":
                narrative.setdefault(n["name"], n["value"].quantize(CENT, ROUND_HALF_UP))
        out[v["id"]] = _Source(facts, narrative, {"errors": v["errors"], "warnings": v["warnings"],
                                                  "unchecked": unchecked[v["id"]]})
    return out


def _change(new: Decimal | None, old: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    if new is None or old is None:
        return None, None
    diff = new - old
    return diff, (diff * _HUNDRED / old).quantize(CENT, ROUND_HALF_UP) if old != 0 else None


def compare_rows(store: Store, region: str | None = None, years: list[int] | None = None,
                 kind: str | None = "final", entity: str | None = None) -> list[Row]:
    """One :class:`Row` per disclosure the store holds (its latest version), filtered by region
    (part of its name), years, kind and entity (part of its name); ordered by region, entity, year.
    A change is against the same entity's disclosure of the year before (whether or not that year
    is among ``years``); blank when the store has none."""
    latest = [v for v in store.versions(region=region, entity=entity) if kind is None or v["kind"] == kind]
    wanted = [v for v in latest if not years or v["year"] in years]
    by_key = {(v["entity_id"], v["kind"], v["year"]): v for v in latest}
    prev = [by_key[k] for v in wanted if (k := (v["entity_id"], v["kind"], v["year"] - 1)) in by_key]
    chosen = list({v["id"]: v for v in wanted + prev}.values())
    src = _sources(store, chosen)
    values = {vid: {q.key: q.expr(s) for q in QUANTITIES} for vid, s in src.items()}
    rows = []
    for v in wanted:
        p = by_key.get((v["entity_id"], v["kind"], v["year"] - 1))
        mine = values[v["id"]]
        changes = {q.key: _change(mine[q.key], values[p["id"]][q.key] if p else None) for q in QUANTITIES if q.change}
        rows.append(Row(v["id"], v["region"], v["entity"], v["year"], v["kind"], v["number"], mine, changes))
    return rows


# ------------------------------------------------------------------------------------------ year over year

@dataclass
class YoyChange:
    """A figure of one entity that changed beyond the threshold from ``year - 1`` to ``year``."""
    year: int
    table: str              # T1 …, or 情况说明
    row_key: str
    code: str
    label: str
    column: str
    old: Decimal | None     # None: not shown that year
    new: Decimal | None
    diff: Decimal | None
    rate: Decimal | None    # percent; None when the old figure is 0 or not shown
    stated: str             # "reason" (a reason is stated), "no-reason" (the change is stated, no reason), "silent"
    reason: str | None
    sentence: str | None


def _statement(statements: list[dict[str, Any]], new: Decimal, diff: Decimal) -> dict[str, Any] | None:
    """The later year's change statement about a figure that went to ``new`` by ``diff`` (both as
    displayed, 万元): the same figure and the same change. One stating a reason is preferred."""
    hits = [s for s in statements if s["value"].quantize(CENT, ROUND_HALF_UP) == new and s["change"] is not None
            and s["change"].quantize(CENT, ROUND_HALF_UP) == diff]
    return next((s for s in hits if s["reason"]), hits[0] if hits else None)


def year_over_year(store: Store, entity_id: int, threshold: Decimal, kind: str = "final") -> list[YoyChange]:
    """Every figure (table cell, or 情况说明 amount) of the entity that changed by more than
    ``threshold`` percent between two consecutive years the store holds (latest version of each),
    and whether the later year's 情况说明 states a reason for it. A figure shown in one year only
    counts when it is not 0 there."""
    from ..final.narrative_facts import LABELS
    history = [v for v in store.history(entity_id) if v["kind"] == kind]
    latest: dict[int, dict[str, Any]] = {}
    for v in history:
        if v["year"] not in latest or v["number"] > latest[v["year"]]["number"]:
            latest[v["year"]] = v
    ids = [v["id"] for v in latest.values()]
    table = store.table_facts(ids)
    narr = store.narrative(ids)

    def figures(vid: int) -> dict[tuple[str, str, str], tuple[str, str, Decimal]]:
        out = {}
        for f in table[vid]:
            val = wan(f["value"], f["unit"])
            if val is not None:
                out.setdefault((f["table_id"], f["row_key"], f["column"]), (f["code"], f["label"], val))
        for n in narr[vid]:
            if n["name"] != "change":
                out.setdefault(("情况说明", n["name"], "万元"), ("", LABELS.get(n["name"], n["name"]),
                                                            n["value"].quantize(CENT, ROUND_HALF_UP)))
        return out

    found: list[YoyChange] = []
    for year in sorted(latest):
        if year - 1 not in latest:
            continue
        old, new = figures(latest[year - 1]["id"]), figures(latest[year]["id"])
        statements = [s for s in narr[latest[year]["id"]] if s["name"] == "change"]
        for key in list(old) + [k for k in new if k not in old]:
            o, n = old.get(key), new.get(key)
            ov, nv = (o[2] if o else None), (n[2] if n else None)
            if ov == nv or (ov or 0) == (nv or 0):
                continue
            diff = (nv or Decimal(0)) - (ov or Decimal(0))
            rate = (diff * _HUNDRED / ov).quantize(CENT, ROUND_HALF_UP) if ov else None
            if rate is not None and abs(rate) <= threshold:
                continue
            s = _statement(statements, nv, diff) if nv is not None else None
            stated = "silent" if s is None else "reason" if s["reason"] else "no-reason"
            code, label = (n or o)[0], (n or o)[1]
            found.append(YoyChange(year, key[0], key[1], code, label, key[2], ov, nv, diff, rate, stated,
                                   s["reason"] if s else None, s["sentence"] if s else None))
    return found


# ------------------------------------------------------------------------------------------ tables and files

STATED = {"reason": "已说明原因", "no-reason": "提及增减但未说明原因", "silent": "情况说明未提及"}


@dataclass(frozen=True)
class Col:
    title: str
    kind: str          # text, int, amount, percent, count, change, change_pct
    quantity: str | None = None


def _columns(view: str | None) -> list[Col]:
    cols = [Col("地区", "text"), Col("单位", "text"), Col("年度", "int"), Col("版本ID", "int")]
    for q in QUANTITIES:
        if view is not None and q.view != view:
            continue
        kind = {"万元": "amount", "%": "percent", "条": "count"}[q.unit]
        cols.append(Col(f"{q.label}（{q.unit}）" if q.unit != "条" else q.label, kind, q.key))
        if q.change:
            cols.append(Col(f"{q.label}较上年增减（万元）", "change", q.key))
            cols.append(Col(f"{q.label}较上年增减率（%）", "change_pct", q.key))
    return cols


def _value(r: Row, c: Col) -> Any:
    if c.quantity is None:
        return {"地区": r.region or "", "单位": r.entity, "年度": r.year, "版本ID": r.version_id}[c.title]
    if c.kind == "change":
        return r.changes[c.quantity][0]
    if c.kind == "change_pct":
        return r.changes[c.quantity][1]
    return r.values[c.quantity]


def view_table(rows: list[Row], view: str | None) -> tuple[list[Col], list[list[Any]]]:
    """The columns of ``view`` (None: every view) and the rows' values in them (Decimal, int, str or None)."""
    cols = _columns(view)
    return cols, [[_value(r, c) for c in cols] for r in rows]


def shown(v: Any, kind: str) -> str:
    """A value as the terminal and the CSV show it: amounts and percents with two decimals, a
    change with its sign, blank for None."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        if kind in ("change", "change_pct"):
            return f"{v:+,.2f}" if kind == "change" else f"{v:+.2f}"
        if kind == "count":
            return str(int(v))
        return f"{v:,.2f}" if kind == "amount" else f"{v:.2f}"
    return str(v)


_YOY_COLS = [Col("年度", "int"), Col("表", "text"), Col("编码", "text"), Col("名称", "text"), Col("列", "text"),
             Col("上年（万元）", "amount"), Col("本年（万元）", "amount"), Col("增减（万元）", "change"),
             Col("增减率（%）", "change_pct"), Col("情况说明", "text"), Col("所述原因", "text"), Col("原文", "text")]


def yoy_table(changes: list[YoyChange]) -> tuple[list[Col], list[list[Any]]]:
    return _YOY_COLS, [[c.year, c.table, c.code, c.label, c.column, c.old, c.new, c.diff, c.rate, STATED[c.stated],
                        c.reason, c.sentence] for c in changes]


def _csv_bytes(cols: list[Col], data: list[list[Any]]) -> bytes:
    import csv
    import io
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c.title for c in cols])
    for r in data:
        w.writerow([shown(v, c.kind).replace(",", "") if isinstance(v, Decimal) else ("" if v is None else v)
                    for v, c in zip(r, cols)])
    return buf.getvalue().encode("utf-8-sig")


def _sheet(book, name: str, cols: list[Col], data: list[list[Any]], fmts: dict[str, Any]) -> Any:
    ws = book.add_worksheet(name)
    ws.freeze_panes(1, 0)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)                        # printed: one page wide
    for j, c in enumerate(cols):
        ws.write(0, j, c.title, fmts["head"])
        ws.set_column(j, j, 28 if c.title == "单位" or c.kind == "text" and c.title in ("名称", "原文", "所述原因")
                      else 14 if c.kind != "text" else 12)
    for i, r in enumerate(data, start=1):
        for j, (v, c) in enumerate(zip(r, cols)):
            if v is None:
                continue
            if isinstance(v, Decimal):
                ws.write(i, j, excel_value(v), fmts.get(c.kind))
            else:
                ws.write(i, j, v)
    n = len(data)
    if n:
        for j, c in enumerate(cols):
            if c.kind == "amount":
                ws.conditional_format(1, j, n, j, {"type": "data_bar", "bar_color": "#5B9BD5", "bar_solid": True})
            elif c.kind in ("change", "change_pct"):
                # symmetric about 0: a fall red, a rise green, no change white (a scale from the
                # column's own minimum would paint 0 red when nothing fell)
                top = float(max((abs(r[j]) for r in data if isinstance(r[j], Decimal)), default=0) or 1)
                ws.conditional_format(1, j, n, j, {"type": "3_color_scale", "min_type": "num", "min_value": -top,
                                                   "min_color": "#F8696B", "mid_type": "num", "mid_value": 0,
                                                   "mid_color": "#FFFFFF", "max_type": "num", "max_value": top,
                                                   "max_color": "#63BE7B"})
            elif c.kind == "count" and c.quantity == "errors":
                ws.conditional_format(1, j, n, j, {"type": "cell", "criteria": ">", "value": 0,
                                                   "format": fmts["red"]})
            elif c.kind == "count" and c.quantity == "warnings":
                ws.conditional_format(1, j, n, j, {"type": "cell", "criteria": ">", "value": 0,
                                                   "format": fmts["yellow"]})
    return ws


def _formats(book) -> dict[str, Any]:
    return {"head": book.add_format({"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top"}),
            "amount": book.add_format({"num_format": "#,##0.00"}), "percent": book.add_format({"num_format": "0.00"}),
            "change": book.add_format({"num_format": "+#,##0.00;-#,##0.00;0.00"}),
            "change_pct": book.add_format({"num_format": "+0.00;-0.00;0.00"}), "count": book.add_format({}),
            "red": book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True}),
            "yellow": book.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})}


def _chart(book, ws, sheet: str, cols: list[Col], data: list[list[Any]], view: str) -> None:
    charted = [(j, c) for j, c in enumerate(cols)
               if c.quantity and c.kind in ("amount", "percent") and next(q for q in QUANTITIES
                                                                          if q.key == c.quantity).chart]
    n = len(data)
    if not charted or not n:
        return
    stacked = view in ("三公", "结构")
    chart = book.add_chart({"type": "column", "subtype": "stacked" if stacked else "clustered"})
    label_col = len(cols)        # a category label per row: 单位（年度）
    ws.write(0, label_col, "图表分类", None)
    for i, r in enumerate(data, start=1):
        ws.write_string(i, label_col, f"{r[1]}（{r[2]}）")
    ws.set_column(label_col, label_col, None, None, {"hidden": True})
    for j, _ in charted:
        chart.add_series({"name": [sheet, 0, j], "categories": [sheet, 1, label_col, n, label_col],
                          "values": [sheet, 1, j, n, j]})
    unit = "%" if charted[0][1].kind == "percent" else "万元"
    title = {"总额": "各单位支出合计", "三公": "各单位“三公”经费决算（分项）", "结构": "基本支出与项目支出占比",
             "预算与采购": "各单位政府采购支出"}.get(view, view)
    chart.set_title({"name": title})
    chart.set_y_axis({"name": unit})
    chart.set_size({"width": 760, "height": 380})
    chart.show_hidden_data()                     # the category labels are in a hidden column
    ws.insert_chart(n + 3, 1, chart)


def write_compare(path, rows: list[Row], fmt: str) -> None:
    """The comparison as ``fmt``: ``xlsx`` (a sheet per view, native charts, conditional formats)
    or ``csv`` (every view's columns in one table, UTF-8 with BOM). Written atomically."""
    from pathlib import Path

    from ..output import ensure_dir, writing
    path = Path(path)
    ensure_dir(path.parent if str(path.parent) else Path("."))
    if fmt == "csv":
        cols, data = view_table(rows, None)
        with writing(path) as tmp:
            tmp.write_bytes(_csv_bytes(cols, data))
        return
    import xlsxwriter
    with writing(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                              "strings_to_urls": False})
        fmts = _formats(book)
        for view in VIEWS:
            cols, data = view_table(rows, view)
            ws = _sheet(book, view, cols, data, fmts)
            _chart(book, ws, view, cols, data, view)
        book.close()


def write_yoy(path, changes: list[YoyChange], fmt: str) -> None:
    """The year-over-year changes as ``xlsx`` (one sheet, colour scale on the changes) or ``csv``."""
    from ..output import writing
    cols, data = yoy_table(changes)
    if fmt == "csv":
        with writing(path) as tmp:
            tmp.write_bytes(_csv_bytes(cols, data))
        return
    import xlsxwriter
    with writing(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                              "strings_to_urls": False})
        _sheet(book, "逐年变动", cols, data, _formats(book))
        book.close()
