"""A published 预算 read back as data: Document → the budget's canonical data (``parse --format data``).

What it makes is the data :mod:`juesuan.budget.canonical` reads (``kind: budget``, amounts in yuan
as ``Decimal``): the figures are the document's displayed 万元 × 10000, from its tables by the keys
every layout shares —

* 本年收入 by source and 使用非财政拨款结余 from the 收支总表 (Y1), 上年结转结余 by fund from the
  财政拨款收支总表 (Y4) and the rest of it (非财政拨款) from the 收支总表;
* the expenditure lines by 功能分类 项: 一般公共预算 (Y5), 政府性基金 (Y8), 国有资本经营 (Y9), and
  what the 支出总表 (Y3) shows beyond them as 单位资金 (or 财政专户管理资金, when that is the only
  other money); 年终结转结余 is what is left, as when the budget is built;
* 基本支出 by 经济分类 款 (Y6), the 三公 budget (Y7), the projects (Y10) with their 绩效目标 (the
  项目支出绩效目标表 forms, matched by project name);

and, from the 情况说明, the sentences the builder writes (:mod:`juesuan.budget.narrative`): 职责,
机构设置, the 上年预算数 and reasons of the 比上年增减, the main uses by 项, 机关运行经费, 政府采购,
国有资产. What the document does not show stays absent (never 0), a 【待填写】 is not a value.
A budget built from data and read back so rebuilds the same tables.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..data import read_back
from ..document import Document, Section
from ..errors import Diagnostic, InputError
from ..figures import parse_number, wan_to_yuan
from ..tables.table import Table
from ..zh import infer_level, infer_unit_type
from .canonical import validate
from .forms import TargetTable, targets
from .model import FISCAL_FUNDS, FUND_SOURCES, OPERATORS, SOURCES, Budget

__all__ = ["document_data", "budget_from_document"]

_PLACEHOLDER = "【待填写"
_NUM = r"([\d,，]+(?:\.\d+)?)"


def _given(text: str | None) -> str | None:
    if text is None:
        return None
    t = text.strip().rstrip("。；;.").strip()
    return None if not t or _PLACEHOLDER in t else t


class _Reading:
    def __init__(self, doc: Document, file: str):
        self.doc, self.file = doc, file
        self.data: dict[str, Any] = {"kind": "budget"}
        self.diags: list[Diagnostic] = []
        self.sections = {s.key: s for s in doc.sections() if s.key}
        self.tables: dict[str, Table] = dict(doc.tables.tables) if doc.tables is not None else {}

    def note(self, severity: str, message: str) -> None:
        self.diags.append(Diagnostic(severity, message, file=self.file))

    def text(self, key: str) -> str:
        s: Section | None = self.sections.get(key)
        return s.text if s is not None else ""

    def cell(self, tid: str, key: str, column: str, side: str | None = None) -> Decimal | None:
        t = self.tables.get(tid)
        if t is None:
            return None
        r = t.row(key, side=side)
        if r is None:
            return None
        return r.cells.get(column) or Decimal(0)

    def value(self, tid: str, key: str, side: str) -> Decimal | None:
        """A 收支总表 row's one figure (its first column)."""
        t = self.tables.get(tid)
        r = t.row(key, side=side) if t is not None else None
        return next(iter(r.cells.values()), None) or Decimal(0) if r is not None else None


def _column(t: Table, key: str) -> str | None:
    return next((c.header for c in t.layout.columns if c.key == key), None)


# --- tables ---------------------------------------------------------------------------------------------

def _income(r: _Reading) -> Decimal:
    income: dict[str, Decimal] = {}
    for s in SOURCES:
        v = r.value("Y1", f"income:{s}", "收入")
        if v is not None and v:
            income[s] = wan_to_yuan(v)
    if "Y1" in r.tables and not any(k in FISCAL_FUNDS for k in income) and r.value("Y1", "income:fiscal", "收入"):
        r.note("warning", "收支总表只列了财政拨款收入合计，未分一般公共预算、政府性基金、国有资本经营："
                          "按财政拨款收支总表各项读取")
        for f in FISCAL_FUNDS:
            v = r.value("Y4", f"fiscal_income:{f}", "收入")
            if v:
                income[f] = wan_to_yuan(v)
    if income or "Y1" in r.tables:
        r.data["income"] = income
    return sum(income.values(), Decimal(0))


def _lines(r: _Reading) -> None:
    """The expenditure lines by 项 and fund: each fund's table, and what the 支出总表 shows beyond them."""
    lines: dict[tuple[str, str], dict[str, Decimal]] = {}

    def take(tid: str, fund: str | None) -> dict[str, tuple[Decimal, Decimal]]:
        t = r.tables.get(tid)
        out: dict[str, tuple[Decimal, Decimal]] = {}
        if t is None:
            return out
        basic, project = _column(t, "exp:basic"), _column(t, "exp:project")
        for row in t.rows:
            if row.level == 3 and len(row.code) == 7:
                b = row.cells.get(basic) or Decimal(0) if basic else Decimal(0)
                p = row.cells.get(project) or Decimal(0) if project else Decimal(0)
                out[row.code] = (b, p)
        return out

    names = {}
    for tid in ("Y3", "Y5", "Y8", "Y9"):
        for row in r.tables[tid].rows if tid in r.tables else ():
            names.setdefault(row.code, row.label)
    fiscal: dict[str, tuple[Decimal, Decimal]] = {}
    for tid, fund in (("Y5", "general"), ("Y8", "gov_fund"), ("Y9", "state_capital")):
        for code, (b, p) in take(tid, fund).items():
            lines[code, fund] = {"basic": b, "project": p}
            fb, fp = fiscal.get(code, (Decimal(0), Decimal(0)))
            fiscal[code] = (fb + b, fp + p)
    income = r.data.get("income", {})
    other = "special_account" if income.get("special_account") and not any(
        income.get(s) for s in SOURCES if s not in (*FISCAL_FUNDS, "special_account")) else "unit"
    for code, (b, p) in take("Y3", None).items():
        fb, fp = fiscal.get(code, (Decimal(0), Decimal(0)))
        if b - fb > 0 or p - fp > 0:
            lines[code, other] = {"basic": max(b - fb, Decimal(0)), "project": max(p - fp, Decimal(0))}
    out = []
    for (code, fund), v in sorted(lines.items()):
        line: dict[str, Any] = {"code": code}
        if names.get(code):
            line["name"] = names[code]
        line["fund"] = fund
        for k in ("basic", "project"):
            if v[k]:
                line[k] = wan_to_yuan(v[k])
        out.append(line)
    if out or any(t in r.tables for t in ("Y3", "Y5")):
        r.data["expenditure"] = out


def _balances(r: _Reading, income_total: Decimal) -> None:
    opening: dict[str, Decimal] = {}
    fiscal_opening = Decimal(0)
    for f in FISCAL_FUNDS:
        v = r.value("Y4", f"fiscal_opening:{f}", "收入")
        if v:
            opening[f] = wan_to_yuan(v)
            fiscal_opening += v
    total_fiscal = r.value("Y4", "fiscal_opening:total", "收入") or Decimal(0)
    if total_fiscal and not opening:
        opening["general"] = wan_to_yuan(total_fiscal)      # (a 总表 giving the 结转 of 财政拨款 as one figure)
        fiscal_opening = total_fiscal
        r.note("warning", "财政拨款上年结转结余未分资金性质：按一般公共预算拨款读取，请核对")
    total = r.value("Y1", "balance:opening", "收入") or Decimal(0)
    if total - max(fiscal_opening, total_fiscal) > 0:
        opening["nonfiscal"] = wan_to_yuan(total - max(fiscal_opening, total_fiscal))
    balances: dict[str, Any] = {}
    if opening:
        balances["opening"] = opening
    use = r.value("Y1", "balance:use_of_nonfiscal_balance", "收入")
    if use:
        balances["use_of_nonfiscal_balance"] = wan_to_yuan(use)
    # 年终结转结余: what is left, by fund (as the builder derives it)
    spent: dict[str, Decimal] = {}
    for line in r.data.get("expenditure", ()):
        spent[line["fund"]] = spent.get(line["fund"], Decimal(0)) + line.get("basic", 0) + line.get("project", 0)
    income = r.data.get("income", {})
    closing: dict[str, Decimal] = {}
    for f in FISCAL_FUNDS:
        left = income.get(f, Decimal(0)) + opening.get(f, Decimal(0)) - spent.get(f, Decimal(0))
        if left:
            closing[f] = left
    nonfiscal_in = (income_total - sum((income.get(f, Decimal(0)) for f in FISCAL_FUNDS), Decimal(0))
                    + opening.get("nonfiscal", Decimal(0)) + balances.get("use_of_nonfiscal_balance", Decimal(0)))
    left = nonfiscal_in - spent.get("special_account", Decimal(0)) - spent.get("unit", Decimal(0))
    if left:
        closing["nonfiscal"] = left
    if any(v < 0 for v in closing.values()):
        r.note("warning", "由表中数字推出的年终结转结余为负数：收支总表或支出表读取不全，请核对")
        closing = {k: v for k, v in closing.items() if v > 0}
    if closing:
        balances["closing"] = closing
    if balances:
        r.data["balances"] = balances


def _economic(r: _Reading) -> None:
    t = r.tables.get("Y6")
    if t is None:
        return
    col = _column(t, "total") or next((c.header for c in t.layout.columns), None)
    out = {}
    for row in t.rows:
        if len(row.code) == 5 and row.code.isdigit():
            v = row.cells.get(col) if col else next(iter(row.cells.values()), None)
            if v:
                out[row.code] = wan_to_yuan(v)
    r.data["basic_by_economic"] = out


def _three_public(r: _Reading) -> None:
    t = r.tables.get("Y7")
    if t is None:
        return
    amounts: dict[str, Decimal] = {}
    row = t.rows[0] if t.rows else None
    for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"):
        h = _column(t, f"3p:{item}")
        v = row.cells.get(h) if row is not None and h else None
        amounts[item] = wan_to_yuan(v or Decimal(0))
    tp: dict[str, Any] = {"budget": amounts}
    text = r.text("narrative.7")
    if "持平" in text and not any(amounts.values()):
        tp["prior"] = dict(amounts)
    r.data["three_public"] = tp


def _indicator(i) -> dict[str, Any]:
    value = i.value.strip()
    op = next((o for o in OPERATORS if value.startswith(o)), None)
    ascii_ops = {">=": "≥", "<=": "≤", "=": "＝", ">": "＞", "<": "＜"}
    if op is None:
        op = next((ascii_ops[o] for o in ascii_ops if value.startswith(o)), None)
        if op is not None:
            value = value[len(next(o for o in ascii_ops if ascii_ops[o] == op and value.startswith(o))):]
    else:
        value = value[len(op):]
    out: dict[str, Any] = {"level1": i.level1 or "", "level2": i.level2 or "", "level3": i.name,
                           "operator": op or "定性", "value": value.strip()}
    if i.unit:
        out["unit"] = i.unit
    return out


def _projects(r: _Reading) -> None:
    t = r.tables.get("Y10")
    if t is None:
        return
    forms: dict[str, TargetTable] = {}
    for f in targets(r.doc):
        name = f.project or f.title.removesuffix("项目支出绩效目标表")
        forms.setdefault(name, f)
    out = []
    for row in t.rows:
        if row.level == 0 or row.key == "合计":
            continue
        money = {}
        for fund in FUND_SOURCES:
            h = _column(t, fund)
            v = row.cells.get(h) if h else None
            if v:
                money[fund] = wan_to_yuan(v)
        p: dict[str, Any] = {"name": row.label, "money": money}
        f = forms.get(row.label)
        if f is not None:
            target: dict[str, Any] = {}
            if _given(f.goal):
                target["goal"] = f.goal
            target["indicators"] = [_indicator(i) for i in f.indicators]
            p["target"] = target
        out.append(p)
    r.data["projects"] = out


# --- 情况说明 --------------------------------------------------------------------------------------------

def _prior_and_reasons(r: _Reading) -> None:
    """The 上年预算数 the 比上年增减 sentences imply, and their reasons."""
    prior: dict[str, Decimal] = {}
    reasons: dict[str, str] = {}
    current = {
        "total": ("narrative.1", r.value("Y1", "grand_total:income", "收入")),
        "fiscal_total": ("narrative.4", r.value("Y4", "fiscal_grand_total:income", "收入")),
        "general": ("narrative.5.1", r.cell("Y5", "合计", "合计")),
        "general_basic": ("narrative.6", r.cell("Y6", "合计", "合计")),
        "gov_fund": ("narrative.8", r.cell("Y8", "合计", "合计")),
    }
    reason_of = {"total": "total_change", "fiscal_total": "fiscal_change", "general": "general_change",
                 "general_basic": "general_basic_change", "gov_fund": "gov_fund_change"}
    for field, (key, now) in current.items():
        text = r.text(key)
        m = re.search(rf"与\d{{4}}年预算相比，[^，。]*?(增加|减少){_NUM}万元[^。]*?主要原因是([^。]+)。", text)
        if m and now is not None:
            diff = parse_number(m.group(2).replace("，", ","))
            if diff is not None:
                prior[field] = wan_to_yuan(now - diff if m.group(1) == "增加" else now + diff)
            if _given(m.group(3)):
                reasons[reason_of[field]] = _given(m.group(3))
        elif now is not None and re.search(r"与\d{4}年预算相比，[^。]*持平", text):
            prior[field] = wan_to_yuan(now)
        elif field == "gov_fund" and "没有使用政府性基金" in text and "上年" not in text:
            continue
    if prior:
        r.data["prior_year"] = prior
    usage = {}
    t5 = r.tables.get("Y5")
    by_name = {row.label: row.code for row in t5.rows if row.level == 3} if t5 is not None else {}
    for p in (r.sections.get("narrative.5.3").paragraphs if r.sections.get("narrative.5.3") else ()):
        m = re.search(r"（款）(.+?)（项）" + _NUM + r"万元，主要用于(.+?)。?$", p.text)
        if m and m.group(1) in by_name and _given(m.group(3)):
            usage[by_name[m.group(1)]] = _given(m.group(3))
    if usage:
        reasons["usage"] = usage
    if reasons:
        r.data["reasons"] = reasons


def _profile(r: _Reading) -> dict[str, Any]:
    doc = r.doc
    ent: dict[str, Any] = {"name": doc.entity}
    ent["level"] = doc.level or infer_level(doc.entity) or "中央"
    ent["unit_type"] = doc.unit_type or infer_unit_type(doc.entity)
    m = re.search(r"本单位是(\S{2,8}?)事业单位", r.text("narrative.10"))
    if m:
        ent["unit_type"] = "事业单位"
        ent["funding"] = m.group(1)
    elif not doc.unit_type:
        r.note("warning", f"文件中未写明单位性质，按单位名称推断为“{ent['unit_type']}”，请核对")
    duties = [d for d in (_given(re.sub(r"^\d+[.．、]", "", p.text)) for p in
                          (r.sections["profile.duties"].paragraphs if "profile.duties" in r.sections else ())) if d]
    if duties:
        ent["duties"] = [d + "。" for d in duties]
    structure = _given(r.text("profile.structure"))
    if structure:
        ent["structure"] = structure + "。"
    if doc.phone:
        ent["phone"] = doc.phone
    return ent


def _operating(r: _Reading) -> None:
    text = r.text("narrative.10")
    m = re.search(r"机关运行经费预算" + _NUM + "万元", text)
    if m:
        of: dict[str, Any] = {"amount": wan_to_yuan(m.group(1))}
        c = re.search(r"与\d{4}年预算相比，[^，。]*?(增加|减少)" + _NUM + r"万元[^。]*?主要原因是([^。]+)。", text)
        if c:
            diff = parse_number(c.group(2).replace("，", ","))
            now = parse_number(m.group(1).replace("，", ","))
            if diff is not None and now is not None:
                of["prior"] = wan_to_yuan(now - diff if c.group(1) == "增加" else now + diff)
            if _given(c.group(3)):
                of["reason"] = _given(c.group(3))
        elif re.search(r"与\d{4}年预算相比，[^。]*持平", text):
            of["prior"] = of["amount"]
        r.data["operating_funds"] = of


def _procurement(r: _Reading) -> None:
    text = r.text("narrative.11")
    if not text or _PLACEHOLDER in text:
        return
    if "没有政府采购预算" in text:
        r.data["procurement"] = {"goods": Decimal(0), "works": Decimal(0), "services": Decimal(0)}
        return
    p: dict[str, Any] = {}
    for key, word in (("goods", "货物"), ("works", "工程"), ("services", "服务")):
        m = re.search(word + "采购预算" + _NUM + "万元", text)
        p[key] = wan_to_yuan(m.group(1)) if m else Decimal(0)
    m = re.search(r"面向中小企业预留政府采购项目预算" + _NUM + "万元", text)
    if m:
        p["sme"] = wan_to_yuan(m.group(1))
    elif "未面向中小企业预留" in text:
        p["sme"] = Decimal(0)
    if "政府采购预算总额" in text:
        r.data["procurement"] = p


def _assets(r: _Reading) -> None:
    text = r.text("narrative.12")
    if not text or _PLACEHOLDER in text:
        return
    a: dict[str, Any] = {}
    m = re.search(r"截至([^，]+)，", text)
    if m:
        a["as_of"] = m.group(1)
    if "无车辆" in text:
        a["vehicles"] = 0
    elif m := re.search(r"共有车辆(\d+)辆", text):
        a["vehicles"] = int(m.group(1))
    for key, what in (("equipment_over_500k", "单价50万元（含）以上通用设备"),
                      ("special_equipment_over_1m", "单价100万元（含）以上专用设备")):
        if "无" + what in text:
            a[key] = 0
        elif m := re.search(re.escape(what) + r"(\d+)台", text):
            a[key] = int(m.group(1))
    tail = re.split(r"台（套）。|设备。", text, maxsplit=1)
    if len(tail) == 2 and _given(tail[1]):
        a["to_buy"] = _given(tail[1])
    r.data["assets"] = a


# --------------------------------------------------------------------------------------------------------

def document_data(doc: Document, file: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """``doc`` (a published budget read back) → the budget's canonical data (plain dicts, amounts in
    yuan as Decimal), with the diagnostics of the reading. See the module docstring."""
    if not doc.entity:
        raise InputError([Diagnostic("error", "文件中没有读出单位名称（标题应为“2024年××部门预算公开”）："
                                              "无法作为部门预算数据", file=file)])
    if not doc.year:
        raise InputError([Diagnostic("error", "文件中没有读出预算年度（标题应写明，如“2024年”）：无法作为部门预算数据",
                                     file=file)])
    r = _Reading(doc, file)
    variant = getattr(doc.tables, "variant", None)
    if variant not in (None, "national"):
        r.note("warning", f"这份预算是{variant}表式：按各表共有的行列读回，与全国通用表式不同的表（列）未读回，请核对")
    r.data["year"] = doc.year
    r.data["entity"] = _profile(r)
    total = _income(r)
    _lines(r)
    _balances(r, total)
    _economic(r)
    _three_public(r)
    _operating(r)
    _procurement(r)
    _assets(r)
    _projects(r)
    _prior_and_reasons(r)
    if doc.published:
        r.data["published"] = doc.published
    order = list(Budget.model_fields)
    data = {k: r.data[k] for k in order if k in r.data}
    r.note("info", f"数据由已公开的文件 {file} 读回：金额为文中两位小数的万元数换算的元，文中没有的内容未填写")
    return data, r.diags


def budget_from_document(doc: Document, file: str) -> tuple[Budget, list[Diagnostic]]:
    """``doc`` as a validated budget model; ``InputError`` naming ``file`` when the figures it shows
    cannot form valid data."""
    return read_back(Budget, *document_data(doc, file), file, validate)
