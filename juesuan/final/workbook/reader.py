"""``read_workbook(path) -> (Disclosure, diagnostics)``: Excel in.

Accepts the input template (``juesuan template``), the XLSX written by ``juesuan
build`` and the 公开表 exported by the 部门决算 reporting software — one workbook
with one sheet per table, or a directory of workbooks (.xlsx/.xlsm/.xls). Tables are
recognised by title (:mod:`juesuan.final.workbook.tables`), supplementary sheets by name
(:mod:`juesuan.final.workbook.sheets`).

How the nine tables become the model (amounts in yuan):

* 支出决算表 (T3) → ``expenditure`` per 项; 收入决算表 (T2) → ``income`` per 项, its
  财政拨款收入 split by fund: 政府性基金 = T7 本年收入, 国有资本经营 = T8 (本年收入 if
  the table has it, else its 合计), 一般公共预算 = the rest;
* T5 / T7 / T8 → ``appropriations`` (基本/项目 per fund); T7 年初/年末 → ``fund_items``;
* T6 → ``basic_by_economic``; T9 → ``three_public`` 预算数/决算数;
* T1 → ``balances``; T4 → ``fund_balances``.

Every other figure a workbook states (合计, 类/款 rows, T1/T4 rows, row totals) is
checked against the model it implies, within the rounding tolerance of its unit.
Problems are collected and raised together as one :class:`~juesuan.errors.InputError`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...data import workbook_record
from ...errors import Diagnostic, InputError
from ...figures import WAN
from ...workbook.cells import norm
from ...workbook.source import SheetGrid, open_sheets
from ...zh import infer_level as zh_infer_level
from ...zh import infer_unit_type
from ..build import exact_cells
from ..canonical import validate
from ..layouts import LAYOUTS
from ..model import Disclosure
from .forms_sheet import is_forms_sheet, read_forms_sheet
from .sheets import ECONOMIC_LOOKUP, FUNCTION_LOOKUP, GUIDE, read_supplementary, sheet_kind
from .tables import Collector, Figure, ReadTable, identify_table, read_table

__all__ = ["read_workbook", "infer_level", "infer_unit_type", "Assembly", "assemble", "close_rounding"]

# the table whose sheet a model field comes from (where a problem with it is shown when no cell is)
_HOME = {"income": "T2", "expenditure": "T3", "appropriations": "T5", "basic_by_economic": "T6",
         "fund_items": "T7", "balances": "T1", "fund_balances": "T4", "three_public": "T9"}
_SKIP = {norm(GUIDE), norm(FUNCTION_LOOKUP), norm(ECONOMIC_LOOKUP)}
_REQUIRED = ("T2", "T3")
_FUNDS = ("general", "gov_fund", "state_capital")
_3P = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")


def infer_level(name: str) -> str:
    """政府层级 from the unit's name (:func:`juesuan.zh.infer_level`); a name that starts with no
    place name (国家统计局, a 部委) is taken as 中央."""
    return zh_infer_level(name) or "中央"


def _col(lay_id: str, key: str, side: str | None = None) -> str:
    lay = LAYOUTS[lay_id]
    cols = lay.columns if not lay.sides else next(s.columns for s in lay.sides if s.name == side)
    return next(c.header for c in cols if c.key == key)


class Assembly:
    def __init__(self, out: Collector):
        self.out = out
        self.origins: dict[str, tuple[str, str]] = {}
        self.used: set[int] = set()   # id() of figures that became model leaves

    def take(self, row, header: str, path: str | None = None) -> Decimal:
        f: Figure | None = row.cells.get(header) if row is not None else None
        if f is None:
            if path and row is not None and header in row.slots:
                self.origins[path] = row.slots[header]   # a blank cell: the place to fill in
            return Decimal(0)
        self.used.add(id(f))
        if path:
            self.origins[path] = (f.file, f.ref)
        return f.value

    def origin(self, path: str, file: str, ref: str) -> None:
        self.origins[path] = (file, ref)


def _by_key(t: ReadTable | None) -> dict[tuple[str, str | None], Any]:
    return {(r.key, r.side): r for r in t.rows} if t else {}


def read_workbook(path: str | Path) -> tuple[Disclosure, list[Diagnostic]]:
    """Read a workbook (or a directory of workbooks) into the model; see the module docstring."""
    out = Collector()
    grids = open_sheets(path)
    for g in grids:
        out.diags.extend(g.notes)
    supp: dict[str, SheetGrid] = {}
    found: dict[str, tuple[SheetGrid, int | None, int]] = {}
    forms: tuple[SheetGrid, dict | None] | None = None
    for g in grids:
        if norm(g.name) in _SKIP:
            continue
        if is_forms_sheet(g):      # the 自评表 as ``build`` prints them
            forms = (g, read_forms_sheet(g, out))
            continue
        kind = sheet_kind(g)
        if kind:
            if kind in supp:
                out.error(f"工作表“{kind}”重复（另见 {supp[kind].name}）", g)
            supp[kind] = g
            continue
        ident = identify_table(g)
        if ident is None:
            if any(str(v).strip() for row in g.rows for v in row):
                out.info("未识别的工作表（标题不是九张决算表之一），已跳过", g)
            continue
        tid, year, row = ident
        if tid in found:
            out.error(f"{LAYOUTS[tid].title}出现两次（另见 {found[tid][0].name}）", g, max(row, 0), 0)
            continue
        found[tid] = (g, year, row)

    data, origins, unit_setting = read_supplementary(supp, out, None)
    asm = Assembly(out)
    asm.origins.update(origins)
    if forms is not None and forms[1] is not None:
        if "performance" in data:
            out.info("绩效已按“整体绩效”“项目绩效”表读取，“绩效自评”表未读取", forms[0])
        else:
            data["performance"] = forms[1]
            asm.origin("performance", forms[0].file, forms[0].name)

    years = {y for _, y, _ in found.values() if y}
    year = data.get("year")
    if year is None:
        if len(years) == 1:
            year = years.pop()
        elif len(years) > 1:
            year = max(years)
            out.warning(f"各表标题中的年度不一致（{'、'.join(map(str, sorted(years)))}），按 {year} 年读取", None,
                        file=str(path))
        else:
            out.error("无法确定决算年度：请在“单位概况”中填写决算年度，或在表标题中写明（如“2023年度收入决算表”）",
                      None, file=str(path))
        data["year"] = year
    elif years and years != {year}:
        out.warning(f"表标题中的年度（{'、'.join(map(str, sorted(years)))}）与单位概况的决算年度 {year} 不一致",
                    supp.get("单位概况"), file=str(path))

    tables: dict[str, ReadTable] = {}
    for tid in sorted(found):
        g, y, row = found[tid]
        tables[tid] = read_table(g, tid, year if isinstance(year, int) else y, row, unit_setting, out)
    by_unit: dict[str, list[str]] = {}
    for t in tables.values():
        by_unit.setdefault(t.unit, []).append(t.sheet.name)
    for unit, names in by_unit.items():
        out.info(f"金额单位按{unit}读取：{'、'.join(names)}", None, file=str(path))
    for tid in LAYOUTS:
        if tid not in tables:
            lay = LAYOUTS[tid]
            sev = "error" if tid in _REQUIRED else "warning"
            msg = f"缺少{lay.title}（按标题查找，如“{year or 2023}年度{lay.title}”）"
            out.add(sev, msg + ("" if sev == "error" else "，按空表处理"), None, file=str(path))

    _entity(data, tables, supp, out, path)
    for field_, tid in _HOME.items():     # a figure the tables do not state: its table's sheet
        if tid in tables:
            asm.origins.setdefault(field_, (tables[tid].sheet.file, tables[tid].sheet.name))
    assemble(data, tables, asm)
    close_rounding(data, tables, asm)

    if out.has_errors:
        raise InputError(out.diags)
    model = workbook_record(Disclosure, data, validate, asm.origins, str(path), out.diags)
    _cross_check(model, tables, asm, out)
    if out.has_errors:
        raise InputError(out.diags)
    return model, out.diags


def _entity(data: dict, tables: dict[str, ReadTable], supp, out: Collector, path) -> None:
    ent = data.setdefault("entity", {})
    names = [t.entity for t in tables.values() if t.entity]
    if not ent.get("name"):
        if names:
            ent["name"] = names[0]
        else:
            out.error("无法确定单位名称：请在“单位概况”中填写单位全称，或在各表第2行写明“部门：…”", None,
                      file=str(path))
            return
    if "单位概况" not in supp:
        inferred = []
        if "level" not in ent:
            ent["level"] = infer_level(ent["name"])
            inferred.append(f"政府层级按名称推断为“{ent['level']}”")
        if "unit_type" not in ent:
            ent["unit_type"] = infer_unit_type(ent["name"])
            inferred.append(f"单位性质推断为“{ent['unit_type']}”")
        if inferred:
            out.warning("没有“单位概况”表：" + "，".join(inferred) + "；职责、机构设置等说明将留待填写", None,
                        file=str(path))


def assemble(data: dict, tables: dict[str, ReadTable], asm: Assembly) -> None:
    """The nine tables' figures (yuan) → the model's fields in ``data`` (see the module docstring).
    Shared by this reader and by the reading of a published document (:mod:`juesuan.final.from_document`)."""
    out = asm.out
    t2, t3, t5, t7, t8 = (tables.get(t) for t in ("T2", "T3", "T5", "T7", "T8"))
    rows7 = {r.code: r for r in t7.leaves()} if t7 else {}
    rows8 = {r.code: r for r in t8.leaves()} if t8 else {}
    h8_income = None
    if t8 is not None and any(c.key == "fund:income" for c in t8.layout.columns):
        h8_income = _col("T8", "fund:income")

    # income ------------------------------------------------------------------------------------
    income = []
    if t2 is not None:
        src = {"income:superior": "superior", "income:business": "business", "income:operating": "operating",
               "income:affiliated": "affiliated", "income:other": "other"}
        h_fiscal = _col("T2", "income:fiscal")
        t2codes = set()
        for row in t2.leaves():
            i = len(income)
            line: dict[str, Any] = {"code": row.code}
            if row.name:
                line["name"] = row.name
            asm.origin(f"income[{i}]", row.cells[h_fiscal].file if h_fiscal in row.cells else t2.sheet.file, row.ref)
            for c in t2.layout.columns:
                if c.key in src:
                    v = asm.take(row, c.header, f"income[{i}].{src[c.key]}")
                    if v:
                        line[src[c.key]] = v
            fiscal = asm.take(row, h_fiscal, f"income[{i}].general")
            gov = rows7.get(row.code)
            gov_v = (gov.cells[_col("T7", "fund:income")].value if gov and _col("T7", "fund:income") in gov.cells
                     else Decimal(0))
            st = rows8.get(row.code)
            st_h = h8_income or _col("T8", "fund:total")
            st_v = st.cells[st_h].value if st and st_h in st.cells else Decimal(0)
            general = fiscal - gov_v - st_v
            if general < 0:
                f = row.cells.get(h_fiscal)
                out.error(f"科目 {row.code} 的财政拨款收入 {fiscal:,.2f} 元小于"
                          f"政府性基金本年收入与国有资本经营预算财政拨款之和 {gov_v + st_v:,.2f} 元", None,
                          file=t2.sheet.file, cell=f.ref if f else row.ref)
                general = Decimal(0)
            for k, v in (("general", general), ("gov_fund", gov_v), ("state_capital", st_v)):
                if v:
                    line[k] = v
            t2codes.add(row.code)
            if len(line) > 2 or (len(line) == 2 and "name" not in line):
                income.append(line)     # a code listed without figures adds nothing
        for code, r in rows7.items():
            f = r.cells.get(_col("T7", "fund:income"))
            if f is not None and f.value and code not in t2codes:
                out.error(f"科目 {code} 有政府性基金本年收入，但收入决算表中没有这一科目", None,
                          file=f.file, cell=f.ref)
    if income:
        data["income"] = income

    # expenditure -------------------------------------------------------------------------------
    exp = []
    if t3 is not None:
        kinds = {"exp:basic": "basic", "exp:project": "project", "exp:to_superior": "to_superior",
                 "exp:operating": "operating", "exp:to_affiliated": "to_affiliated"}
        for row in t3.leaves():
            i = len(exp)
            line = {"code": row.code}
            if row.name:
                line["name"] = row.name
            asm.origin(f"expenditure[{i}]", t3.sheet.file, row.ref)
            for c in t3.layout.columns:
                if c.key in kinds:
                    v = asm.take(row, c.header, f"expenditure[{i}].{kinds[c.key]}")
                    if v:
                        line[kinds[c.key]] = v
            if any(k in line for k in kinds.values()):
                exp.append(line)
    if exp:
        data["expenditure"] = exp

    # appropriations and fund items ----------------------------------------------------------------
    apps, items = [], []
    for t, fund in ((t5, "general"), (t7, "gov_fund"), (t8, "state_capital")):
        if t is None:
            continue
        hb, hp = _col(t.id, "fund:basic"), _col(t.id, "fund:project")
        has_bal = any(c.key == "fund:opening" for c in t.layout.columns)
        any_bal = has_bal and any(
            (r.cells.get(_col(t.id, "fund:opening")) or r.cells.get(_col(t.id, "fund:closing"))) and
            ((r.cells.get(_col(t.id, "fund:opening")) and r.cells[_col(t.id, "fund:opening")].value) or
             (r.cells.get(_col(t.id, "fund:closing")) and r.cells[_col(t.id, "fund:closing")].value))
            for r in t.leaves())
        for row in t.leaves():
            i = len(apps)
            b = asm.take(row, hb, f"appropriations[{i}].basic")
            p = asm.take(row, hp, f"appropriations[{i}].project")
            if b or p:
                line = {"code": row.code, "fund": fund}
                if row.name:
                    line["name"] = row.name
                if b:
                    line["basic"] = b
                if p:
                    line["project"] = p
                asm.origin(f"appropriations[{i}]", t.sheet.file, row.ref)
                asm.origin(f"appropriations[{i}].code", t.sheet.file, row.ref)
                apps.append(line)
            if any_bal:
                j = len(items)
                o = asm.take(row, _col(t.id, "fund:opening"), f"fund_items[{j}].opening")
                c = asm.take(row, _col(t.id, "fund:closing"), f"fund_items[{j}].closing")
                if o or c:
                    it = {"code": row.code, "fund": fund, "opening": o, "closing": c}
                    if row.name:
                        it["name"] = row.name
                    asm.origin(f"fund_items[{j}]", t.sheet.file, row.ref)
                    items.append(it)
            if t.id == "T7":
                asm.take(row, _col("T7", "fund:income"))
            if t.id == "T8" and h8_income:
                asm.take(row, h8_income)
    if apps:
        data["appropriations"] = apps
    if items:
        data["fund_items"] = items

    # T1 balances ---------------------------------------------------------------------------------
    t1 = tables.get("T1")
    if t1 is not None:
        rows = _by_key(t1)
        bal = {}
        for key, side in (("use_of_nonfiscal_balance", "收入"), ("opening", "收入"), ("distribution", "支出"),
                          ("closing", "支出")):
            v = asm.take(rows.get((f"balance:{key}", side)), _col("T1", "value", side), f"balances.{key}")
            if v:
                bal[key] = v
        if bal:
            data["balances"] = bal

    # T4 fund balances ----------------------------------------------------------------------------
    t4 = tables.get("T4")
    fb: dict[str, dict] = {}
    if t4 is not None:
        rows = _by_key(t4)
        for f in _FUNDS:
            o = asm.take(rows.get((f"fiscal_opening:{f}", "收入")), _col("T4", "value", "收入"),
                         f"fund_balances.{f}.opening")
            c = asm.take(rows.get(("fiscal_closing", "支出")), _col("T4", f, "支出"), f"fund_balances.{f}.closing")
            if o or c:
                fb[f] = {"opening": o, "closing": c}
    else:
        for it in items:
            e = fb.setdefault(it["fund"], {"opening": Decimal(0), "closing": Decimal(0)})
            e["opening"] += it["opening"]
            e["closing"] += it["closing"]
    if fb:
        data["fund_balances"] = fb

    # T6 --------------------------------------------------------------------------------------------
    t6 = tables.get("T6")
    if t6 is not None:
        h = LAYOUTS["T6"].columns[0].header
        econ = {}
        for row in t6.leaves():
            v = asm.take(row, h, f"basic_by_economic.{row.code}")
            if v:
                econ[row.code] = v
        if econ:
            data["basic_by_economic"] = econ

    # T9 and the 三公明细 sheet ---------------------------------------------------------------------
    # Not given is not zero: 三公 is given when the table states a figure (0 included), the 三公明细 sheet
    # states anything, or the table says it has none (“…故本表无数据”); a blank table and sheet leave it out.
    sheet_tp = data.pop("_three_public_sheet", {})
    tp: dict[str, Any] = {k: v for k, v in sheet_tp.items() if k not in ("budget", "final")}
    t9 = tables.get("T9")
    row9 = t9.rows[0] if t9 is not None and t9.rows else None
    if row9 is not None and not row9.cells and not sheet_tp:
        row9 = None
    says_none = t9 is not None and row9 is None and _says_none(t9.sheet)
    for side in ("budget", "final"):
        amounts = {}
        for item in _3P:
            if row9 is not None:
                v = asm.take(row9, _col("T9", f"{side}:{item}"), f"three_public.{side}.{item}")
                s = sheet_tp.get(side, {}).get(item)
                if s is not None and s != v:
                    file, cell = asm.origins.get(f"three_public.{side}.{item}", (None, None))
                    out.error(f"三公明细的{'预算数' if side == 'budget' else '决算数'} {s:,.2f} 元与"
                              f"{LAYOUTS['T9'].title} {v:,.2f} 元不一致", None, file=file, cell=cell)
                amounts[item] = v
            elif item in sheet_tp.get(side, {}):
                amounts[item] = sheet_tp[side][item]
        if amounts:
            tp[side] = amounts
    if tp or row9 is not None or says_none:
        data["three_public"] = tp


_NONE_RE = re.compile(r"本表无数据|无此项|没有[^。]*“?三公”?经费")


def _says_none(g: SheetGrid) -> bool:
    """A sheet that says in words that its table has no figures (“本部门没有“三公”经费…故本表无数据。”)."""
    return any(isinstance(v, str) and _NONE_RE.search(v) for row in g.rows for v in row)


def _tol(n: int) -> Decimal:
    """Rounding tolerance (yuan) of a figure adding up n leaves, all shown in 万元 to 2 decimals."""
    return Decimal(50) * (n + 1)


def close_rounding(data: dict, tables: dict[str, ReadTable], asm: Assembly) -> None:
    """Close the balances of 万元 tables when they miss by rounding only (尾差) — never by more."""
    out = asm.out
    t1, t4, t6 = tables.get("T1"), tables.get("T4"), tables.get("T6")
    srcs = ("general", "gov_fund", "state_capital", "superior", "business", "operating", "affiliated", "other")
    kinds = ("basic", "project", "to_superior", "operating", "to_affiliated")
    inc = data.get("income", [])
    exp = data.get("expenditure", [])
    Z = Decimal(0)
    if t1 is not None and t1.unit == "万元" and "closing" in data.get("balances", {}):
        b = data["balances"]
        total_in = sum((row.get(s, Z) for row in inc for s in srcs), Z)
        total_out = sum((row.get(k, Z) for row in exp for k in kinds), Z)
        n = sum(1 for row in inc for s in srcs if row.get(s)) + sum(1 for row in exp for k in kinds if row.get(k)) + 3
        derived = (total_in + b.get("use_of_nonfiscal_balance", Z) + b.get("opening", Z)
                   - total_out - b.get("distribution", Z))
        if derived != b["closing"] and abs(derived - b["closing"]) <= _tol(n) and derived >= 0:
            file, cell = asm.origins.get("balances.closing", (None, None))
            out.info(f"年末结转和结余 {b['closing'] / WAN:,.2f} 万元与各项推算的 {derived / WAN:,.2f} 万元"
                     "相差在舍入误差内，按推算数读取", None, file=file, cell=cell)
            b["closing"] = derived
    if t4 is not None and t4.unit == "万元":
        item_funds = {i["fund"] for i in data.get("fund_items", [])}
        for f, e in data.get("fund_balances", {}).items():
            if f in item_funds:
                continue
            income_f = sum((row.get(f, Z) for row in inc), Z)
            spent = sum((a.get("basic", Z) + a.get("project", Z)
                         for a in data.get("appropriations", []) if a["fund"] == f), Z)
            n = (sum(1 for row in inc if row.get(f))
                 + sum(1 for a in data.get("appropriations", []) if a["fund"] == f) * 2 + 2)
            derived = e["opening"] + income_f - spent
            if derived != e["closing"] and abs(derived - e["closing"]) <= _tol(n) and derived >= 0:
                file, cell = asm.origins.get(f"fund_balances.{f}.closing", (None, None))
                out.info(f"年末财政拨款结转和结余与推算数相差在舍入误差内，"
                         f"按推算数 {derived / WAN:,.2f} 万元读取", None, file=file, cell=cell)
                e["closing"] = derived
    econ = data.get("basic_by_economic")
    if t6 is not None and t6.unit == "万元" and econ:
        basic = sum((a.get("basic", Z) for a in data.get("appropriations", []) if a["fund"] == "general"), Z)
        diff = basic - sum(econ.values(), Z)
        if diff and abs(diff) <= _tol(len(econ)):
            code = max(econ, key=lambda k: econ[k])
            if econ[code] + diff >= 0:
                file, cell = asm.origins.get(f"basic_by_economic.{code}", (None, None))
                out.info(f"经济分类合计与一般公共预算财政拨款基本支出相差 {diff / WAN:,.2f} 万元（舍入误差），"
                         f"计入 {code}", None, file=file, cell=cell)
                econ[code] += diff


def _cross_check(model: Disclosure, tables: dict[str, ReadTable], asm: Assembly, out: Collector) -> None:
    """Every stated figure that is not a model leaf must equal what the model implies."""
    exact = exact_cells(model)
    for tid, t in tables.items():
        for row in t.rows:
            for header, f in row.cells.items():
                if id(f) in asm.used:
                    continue
                want, n = exact.get((tid, row.key, row.side, header), (Decimal(0), 0))
                tol = _tol(n) if t.unit == "万元" else Decimal(0)
                if abs(f.value - want) > tol:
                    scale = WAN if t.unit == "万元" else Decimal(1)
                    what = row.name or row.key
                    col = header.split("/")[-1] if "/" not in header else header
                    out.error(f"“{what}”的“{col}”填报 {f.value / scale:,.2f}{t.unit}，按各明细计算应为 "
                              f"{want / scale:,.2f}{t.unit}", None, file=f.file, cell=f.ref)

