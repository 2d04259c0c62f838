"""A budget's document from its model and its tables: cover, parts 一 to 四, the 绩效目标表.

``build_document`` is the only entry point. The parts, as the national template has them:

* 第一部分 概况: 部门主要职责, 机构设置;
* 第二部分 预算表: the tables (``doc.tables``) and, after them, one 项目支出绩效目标表 per project
  with 绩效目标 (:class:`~juesuan.budget.forms.TargetTable` in ``doc.forms``, printed in this part);
* 第三部分 情况说明: 收支预算总体情况 … 预算绩效目标设置情况 (thirteen sections);
* 第四部分 名词解释 (``glossary.yaml`` beside this module, worded for the unit's level).

The words that name a figure (收支总预算, 一般公共预算基本支出预算, “三公”经费预算 …) are the ones the
reader declares for it (:func:`~juesuan.budget.narrative_facts.said`): what is written here is read back
as the same quantity, and the 情况说明 checks against its own tables (YS3xx). Every figure the tables
show is read from them (controlled rounding: the text and the tables agree);
上年预算数 (not in the tables) are rounded once from yuan. What the data leave out is a visible
【待填写：…】 (``doc.placeholders``), never 0 or 无; "没有…" is said only of what the data give as 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from ..catalog import catalog, function_note
from ..document import COVER_DATE, Document, GlossaryEntry, Paragraph, Part, Section
from ..figures import fmt_sentence
from ..narration import Narration, glossary, pct, percent_of, wan
from ..tables.table import TableSet
from ..zh import cn_number, level_words
from .build import PENDING_THREE_PUBLIC
from .forms import Indicator, TargetTable
from .model import FISCAL_FUNDS, SOURCES, Budget
from .narrative_facts import ALL_TARGETS_SHOWN, TARGETS_SAID, said

__all__ = ["build_document", "Ctx"]

_VALUE = "预算数"       # the one column of the 收支总表 and the 财政拨款收支总表


@dataclass
class Ctx(Narration):
    b: Budget
    tables: TableSet
    placeholders: list[str] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.b.year

    @property
    def prior(self) -> int:
        return self.b.year - 1

    @property
    def name(self) -> str:
        return self.b.entity.name

    def change(self, subject: str, current: Decimal, prior: Decimal | None, reason: str | None,
               what: str | None = None) -> str:
        """"与2022年预算相比，{subject}减少438.13万元，下降25.29%，主要原因是…。" (``current``, ``prior``:
        displayed 万元 figures; a change without a reason in the data gets a placeholder)."""
        head = f"与{self.prior}年预算相比，"
        if prior is None:
            return head + subject + self.placeholder(f"{self.prior}年{subject}（比上年增减）") + "。"
        diff = current - prior
        if diff == 0:
            return head + f"{subject}持平。"
        word, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
        s = head + f"{subject}{word}{fmt_sentence(abs(diff))}万元"
        p = percent_of(abs(diff), prior)
        if p is not None:
            s += f"，{trend}{p:.2f}%"
        return s + f"，主要原因是{self.reason(reason, what or f'{subject}{word}的原因')}。"

    def total(self, tid: str, column: str = "合计") -> Decimal:
        return self.cell(tid, "合计", column)


def _wan(v: Decimal) -> str:
    return f"{fmt_sentence(v)}万元"


def _shares(items: list[tuple[str, Decimal]], whole: Decimal) -> str:
    """"一般公共预算拨款收入1,365.18万元，占100.00%；…" of the items that are not zero."""
    return "；".join(f"{name}{_wan(v)}，占{pct(v, whole)}" for name, v in items if v)


# --- 第一部分 ----------------------------------------------------------------------------------------

def _profile(c: Ctx) -> Part:
    e = c.b.entity
    duties = Section("一", "部门主要职责", key="profile.duties",
                     paragraphs=[Paragraph(f"{i}.{x}", kind="item") for i, x in enumerate(e.duties, 1)]
                     or [Paragraph(c.placeholder("部门主要职责"))])
    structure = Section("二", "机构设置情况", key="profile.structure",
                        paragraphs=[Paragraph(e.structure or c.placeholder("机构设置情况（预算单位构成）"))])
    return Part("profile", "一", f"{c.name}概况", sections=[duties, structure])


# --- 第三部分 情况说明 ----------------------------------------------------------------------------------

def _side_rows(c: Ctx, tid: str, side: str, prefix: str) -> list[tuple[str, Decimal]]:
    t = c.tables[tid]
    return [(r.label, r.cells.get(_VALUE) or Decimal(0)) for r in t.rows
            if r.side == side and r.key.startswith(prefix) and not r.key.endswith(":total")]


def _totals(c: Ctx) -> Section:
    total = c.cell("Y1", "grand_total:income", _VALUE)
    incomes = [name for name, v in _side_rows(c, "Y1", "收入", "income:") if v]
    if c.cell("Y1", "balance:opening", _VALUE):
        incomes.append("上年结转结余")
    classes = [name for name, v in _side_rows(c, "Y1", "支出", "expenditure:") if v]
    text = (f"按照综合预算的原则，{c.name}所有收入和支出均纳入部门预算管理。"
            + (f"收入包括{'、'.join(incomes)}；" if incomes else "")
            + (f"支出包括{'、'.join(classes)}。" if classes else "")
            + f"{c.year}年{said('grand_total')}{_wan(total)}。"
            + c.change(said("grand_total"), total, wan(c.b.prior_year.total), c.b.reasons.total_change))
    return Section("", "收支预算总体情况", key="narrative.1", paragraphs=[c.para(text)])


def _income(c: Ctx) -> Section:
    total = c.total("Y2")
    items = [("上年结转结余", c.total("Y2", "上年结转结余"))]
    items += [(c.column("Y2", s).split("/")[-1] + ("收入" if s in FISCAL_FUNDS or s == "special_account" else ""),
               c.total("Y2", c.column("Y2", s))) for s in SOURCES]
    items.append(("使用非财政拨款结余", c.total("Y2", "使用非财政拨款结余")))
    text = f"{c.year}年{said('income')}{_wan(total)}"
    shares = _shares(items, total)
    text += f"，其中：{shares}。" if shares else "。"
    return Section("", "收入预算情况", key="narrative.2", paragraphs=[c.para(text)])


def _expenditure(c: Ctx) -> Section:
    total = c.total("Y3")
    basic, project = c.total("Y3", "基本支出"), c.total("Y3", "项目支出")
    text = f"{c.year}年{said('expenditure')}{_wan(total)}"
    shares = _shares([(said("basic"), basic), (said("project"), project)], total)
    text += f"，其中：{shares}。" if shares else "。"
    closing = c.cell("Y1", "balance:closing", _VALUE)
    if closing:
        text += f"{said('closing')}{_wan(closing)}。"
    return Section("", "支出预算情况", key="narrative.3", paragraphs=[c.para(text)])


def _fiscal(c: Ctx) -> Section:
    total = c.cell("Y4", "fiscal_grand_total:income", _VALUE)
    incomes = [f"{name}{_wan(v)}" for name, v in _side_rows(c, "Y4", "收入", "fiscal_income:") if v]
    opening = c.cell("Y4", "fiscal_opening:total", _VALUE)
    if opening:
        incomes.append(f"上年结转结余{_wan(opening)}")
    classes = [f"{name}{_wan(v)}" for name, v in _side_rows(c, "Y4", "支出", "fiscal_expenditure:") if v]
    text = f"{c.year}年{said('fiscal_grand_total')}{_wan(total)}。"
    if incomes:
        text += f"收入包括：{'，'.join(incomes)}。"
    if classes:
        text += f"支出包括：{'，'.join(classes)}。"
    text += c.change(said("fiscal_grand_total"), total, wan(c.b.prior_year.fiscal_total), c.b.reasons.fiscal_change)
    return Section("", "财政拨款收支预算总体情况", key="narrative.4", paragraphs=[c.para(text)])


def _names(c: Ctx, code: str) -> str:
    """2010350 → 一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）."""
    t, cat = c.tables["Y5"], catalog(c.year)

    def name(node: str) -> str:
        r = t.row(node)
        return (r.label if r is not None and r.label else None) or cat.function_name(node) or node

    return f"{name(code[:3])}（类）{name(code[:5])}（款）{name(code)}（项）"


def _usage(c: Ctx, code: str) -> str:
    usage = c.b.reasons.usage
    for key in (code, code[:5], code[:3]):
        if usage.get(key, "").strip():
            return usage[key].strip().rstrip("。；;.")
    return c.placeholder(f"{_names(c, code)}的主要用途")


def _general(c: Ctx) -> Section:
    t = c.tables["Y5"]
    total = c.total("Y5")
    all_exp = c.total("Y3")
    if t.empty:
        text = f"{c.year}年{c.name}没有一般公共预算拨款支出预算。"
        return Section("", "一般公共预算支出预算情况", key="narrative.5", paragraphs=[c.para(text)])
    head = f"{c.year}年{said('general_expenditure')}{_wan(total)}"
    if all_exp:
        head += f"，占本年支出预算的{pct(total, all_exp)}"
    head += "。" + c.change(said("general_expenditure"), total, wan(c.b.prior_year.general), c.b.reasons.general_change)
    overall = Section("（一）", "一般公共预算支出预算总体情况", key="narrative.5.1", paragraphs=[c.para(head)])
    classes = [(r.label, r.cells.get("合计") or Decimal(0)) for r in t.rows if r.level == 1]
    structure = Section("（二）", "一般公共预算支出预算结构情况", key="narrative.5.2",
                        paragraphs=[c.para("按支出功能分类，" + _shares(classes, total) + "。")])
    items = [r for r in t.rows if r.level == 3 and r.cells.get("合计")]
    uses = [c.para(f"{i}.{_names(c, r.code)}{_wan(r.cells['合计'])}，主要用于{_usage(c, r.code)}。", kind="item")
            for i, r in enumerate(items, 1)]
    main = Section("（三）", "一般公共预算支出预算主要内容", key="narrative.5.3", paragraphs=uses)
    return Section("", "一般公共预算支出预算情况", key="narrative.5", subsections=[overall, structure, main])


def _basic(c: Ctx) -> Section:
    t = c.tables["Y6"]
    total = c.total("Y6")
    if t.empty:
        text = f"{c.year}年{c.name}没有一般公共预算基本支出预算。"
        return Section("", "一般公共预算基本支出预算情况", key="narrative.6", paragraphs=[c.para(text)])
    text = f"{c.year}年{said('general_basic')}{_wan(total)}，其中："
    parts = []
    for col, name in (("人员经费", "personnel"), ("公用经费", "public")):
        v = c.total("Y6", col)
        if not v:
            continue
        names = [r.label for r in t.rows if r.level == 2 and r.cells.get(col)]
        parts.append(f"{said(name)}{_wan(v)}" + (f"，主要包括{'、'.join(names)}" if names else ""))
    text += "；".join(parts) + "。"
    text += c.change(said("general_basic"), total, wan(c.b.prior_year.general_basic),
                     c.b.reasons.general_basic_change)
    return Section("", "一般公共预算基本支出预算情况", key="narrative.6", paragraphs=[c.para(text)])


_3P = ((said("3p_abroad"), "abroad"), (said("3p_vehicle"), "vehicle"), (said("3p_reception"), "reception"))


def _three_public(c: Ctx) -> Section:
    tp = c.b.three_public
    title = "“三公”经费预算情况"
    if tp is None:
        return Section("", title, key="narrative.7", paragraphs=[c.para(
            f"{c.year}年财政拨款“三公”经费预算" + PENDING_THREE_PUBLIC + "。")])
    row = c.tables["Y7"].rows[0]
    v = {col.key.split(":")[1]: row.cells.get(col.header) or Decimal(0) for col in c.tables["Y7"].layout.columns}
    prior = tp.prior
    p = {k: wan(getattr(prior, k)) for k in ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation",
                                               "reception")} if prior is not None else None
    if not v["total"]:
        text = f"{c.year}年{c.name}没有财政拨款“三公”经费预算。"
        if p is not None and p["total"] == 0:
            text += f"与{c.prior}年预算持平。"
        elif p is not None:
            text += c.change(said("3p_total"), v["total"], p["total"], tp.reasons.get("total"))
        else:
            text += c.change(said("3p_total"), v["total"], None, None)
        return Section("", title, key="narrative.7", paragraphs=[c.para(text)])
    paras = [c.para(f"{c.year}年财政拨款{said('3p_total')}{_wan(v['total'])}。"
                    + c.change(said("3p_total"), v["total"], p["total"] if p else None, tp.reasons.get("total")))]
    for n, (name, key) in enumerate(_3P, 1):
        s = f"{n}.{name}{_wan(v[key])}"
        if key == "vehicle" and v[key]:
            s += (f"，其中：{said('3p_vehicle_purchase')}{_wan(v['vehicle_purchase'])}，"
                  f"{said('3p_vehicle_operation')}{_wan(v['vehicle_operation'])}")
            if tp.vehicles_to_buy:
                s += f"，计划购置公务用车{tp.vehicles_to_buy}辆"
        s += "。"
        if p is not None and v[key] != p[key]:
            reason = tp.reasons.get(key) or (tp.reasons.get("vehicle_purchase") if key == "vehicle" else None)
            s += c.change(name + "预算", v[key], p[key], reason)
        paras.append(c.para(s, kind="item"))
    return Section("", title, key="narrative.7", paragraphs=paras)


def _fund_table(c: Ctx, tid: str, what: str, key: str, prior: Decimal | None, reason: str | None) -> Section:
    t = c.tables[tid]
    title = f"{what}预算支出情况"
    if t.empty:
        return Section("", title, key=key, paragraphs=[c.para(f"{c.year}年{c.name}没有使用{what}预算拨款安排的支出。")])
    total = c.total(tid)
    words = said({"Y8": "gov_fund_expenditure", "Y9": "state_capital_expenditure"}[tid])
    classes = [(r.label, r.cells.get("合计") or Decimal(0)) for r in t.rows if r.level == 1]
    text = (f"{c.year}年{words}{_wan(total)}，其中：" + _shares(classes, total) + "。"
            + c.change(words, total, wan(prior), reason))
    return Section("", title, key=key, paragraphs=[c.para(text)])


def _operating(c: Ctx) -> Section:
    of, e = c.b.operating_funds, c.b.entity
    title = "机关运行经费预算情况"
    if of is None:
        if e.unit_type == "事业单位":
            text = f"{c.year}年{c.name}无机关运行经费预算，主要原因是本单位是{e.funding or ''}事业单位。"
        else:
            text = f"{c.year}年{c.name}机关运行经费预算" + c.placeholder(f"{c.year}年机关运行经费预算数") + "。"
        return Section("", title, key="narrative.10", paragraphs=[c.para(text)])
    amount = wan(of.amount)
    text = (f"{c.year}年{c.name}{said('running')}{_wan(amount)}。"
            + c.change(said("running"), amount, wan(of.prior), of.reason))
    return Section("", title, key="narrative.10", paragraphs=[c.para(text)])


def _procurement(c: Ctx) -> Section:
    p = c.b.procurement
    title = "政府采购预算情况"
    if p is None:
        text = (f"{c.year}年{c.name}政府采购预算"
                + c.placeholder("政府采购预算总额及货物、工程、服务采购预算") + "。")
        return Section("", title, key="narrative.11", paragraphs=[c.para(text)])
    goods, works, services = wan(p.goods), wan(p.works), wan(p.services)
    total = goods + works + services
    if total == 0:
        return Section("", title, key="narrative.11", paragraphs=[c.para(f"{c.year}年{c.name}没有政府采购预算。")])
    # all three kinds, a zero among them (given as 0): the total is read as their sum (YS303)
    kinds = [f"{said(n)}{_wan(v)}" for n, v in (("procurement_goods", goods), ("procurement_works", works),
                                                 ("procurement_services", services))]
    text = f"{c.year}年{c.name}{said('procurement')}{_wan(total)}，其中：" + "，".join(kinds) + "。"
    if p.sme is not None:
        sme = wan(p.sme)
        text += (f"{said('procurement_sme')}{_wan(sme)}，占{said('procurement')}的{pct(sme, total)}。" if sme
                 else "未面向中小企业预留政府采购项目预算。")
    return Section("", title, key="narrative.11", paragraphs=[c.para(text)])


def _assets(c: Ctx) -> Section:
    a = c.b.assets
    title = "国有资产占用情况"
    if a is None:
        text = (f"截至{c.prior}年12月31日，{c.name}"
                + c.placeholder("车辆数和单价50万元（含）以上设备数（国有资产占用情况）") + "。")
        return Section("", title, key="narrative.12", paragraphs=[c.para(text)])
    date = a.as_of or f"{c.prior}年12月31日"
    if a.vehicles is None:
        text = f"截至{date}，{c.name}共有车辆" + c.placeholder("车辆总数") + "辆"
    elif a.vehicles:
        text = f"截至{date}，{c.name}共有车辆{a.vehicles}辆"
        if a.vehicle_detail:
            text += "，其中：" + "、".join(f"{k}{n}辆" for k, n in a.vehicle_detail.items())
    else:
        text = f"截至{date}，{c.name}无车辆"
    clauses = []
    for n, what in ((a.equipment_over_500k, "单价50万元（含）以上通用设备"),
                    (a.special_equipment_over_1m, "单价100万元（含）以上专用设备")):
        if n is not None:
            clauses.append(f"{what}{n}台（套）" if n else f"无{what}")
    if a.equipment_over_500k is None and a.special_equipment_over_1m is None:
        clauses.append("单价50万元（含）以上设备" + c.placeholder("单价50万元（含）以上设备数") + "台（套）")
    text += "；" + "；".join(clauses) + "。"
    if a.to_buy:
        text += a.to_buy.rstrip("。") + "。"
    if a.other:
        text += a.other
    return Section("", title, key="narrative.12", paragraphs=[c.para(text)])


def _performance(c: Ctx, forms: list[TargetTable]) -> Section:
    title = "预算绩效目标设置情况"
    projects = c.b.projects
    if projects is None:
        text = f"{c.year}年{c.name}" + c.placeholder("实行绩效目标管理的项目个数和涉及的资金") + "。"
    elif not projects:
        text = f"{c.year}年{c.name}没有项目支出预算，未设置项目绩效目标。"
    elif not forms:
        text = f"{c.year}年{c.name}项目支出绩效目标" + c.placeholder("各项目的绩效目标") + "。"
    else:
        money = sum((f.amounts[0][1] for f in forms), Decimal(0))
        text = (f"按照全面实施预算绩效管理的要求，{c.name}对{c.year}年的项目支出编制了绩效目标，"
                + TARGETS_SAID.format(n=len(forms), money=_wan(money)) + f"。{ALL_TARGETS_SHOWN}。")
    if c.b.performance_note:
        text += c.b.performance_note.strip()
    return Section("", title, key="narrative.13", paragraphs=[c.para(text)])


def _narrative(c: Ctx, forms: list[TargetTable]) -> list[Section]:
    p = c.b.prior_year
    sections = [_totals(c), _income(c), _expenditure(c), _fiscal(c), _general(c), _basic(c), _three_public(c),
                _fund_table(c, "Y8", "政府性基金", "narrative.8", p.gov_fund, c.b.reasons.gov_fund_change),
                _fund_table(c, "Y9", "国有资本经营", "narrative.9", None, None),
                _operating(c), _procurement(c), _assets(c), _performance(c, forms)]
    for n, s in enumerate(sections, 1):
        s.number = cn_number(n)
        for k, sub in enumerate(s.subsections, 1):
            sub.number = f"（{cn_number(k)}）"
    return sections


# --- 绩效目标表 ----------------------------------------------------------------------------------------

def _target_title(project: str) -> str:
    """The 项目支出绩效目标表 of ``project``, its name before the title (as published budgets print
    them, and as a reader knows the title by its end); a name too long or with a pause in it is
    left to the form's 项目名称 line."""
    if len(project) <= 36 and not re.search(r"[。，,；;：:]", project):
        return f"{project}项目支出绩效目标表"
    return "项目支出绩效目标表"


def _targets(c: Ctx) -> list[TargetTable]:
    """One 项目支出绩效目标表 per project with 绩效目标, its money as the 项目支出表 shows it."""
    out = []
    if "Y10" not in c.tables.tables:
        return out
    y10 = c.tables["Y10"]
    fiscal_cols = [c.column("Y10", f) for f in FISCAL_FUNDS]
    for p in c.b.projects or ():
        if p.target is None:
            continue
        row = y10.row(p.name)
        total = row.cells.get("合计") or Decimal(0) if row is not None else Decimal(0)
        fiscal = sum((row.cells.get(h) or Decimal(0) for h in fiscal_cols), Decimal(0)) if row is not None \
            else Decimal(0)
        amounts = [("年度资金总额（万元）", total), ("其中：财政拨款", fiscal), ("其他资金", total - fiscal)]
        t = TargetTable("Y11", _target_title(p.name), amounts=amounts, project=p.name,
                        goal=(p.target.goal or "").strip() or c.placeholder(f"“{p.name}”的年度绩效目标"))
        for i in p.target.indicators:
            t.indicators.append(Indicator(i.level1, i.level2, i.level3, f"{i.operator}{i.value}", i.unit or ""))
        out.append(t)
    return out


# --- 第四部分 名词解释 ----------------------------------------------------------------------------------

@cache
def _glossary() -> dict:
    text = (Path(__file__).parent / "glossary.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _glossary_part(c: Ctx) -> tuple[Part, list[GlossaryEntry]]:
    codes = sorted({r.code for r in c.tables["Y3"].rows if r.level == 3})
    paras, entries = glossary(_glossary()["entries"], level_words(c.b.entity.level),
                              lambda: [(_names(c, code), function_note(code, c.year)) for code in codes],
                              c.b.entity.phone)
    return Part("glossary", "四", "名词解释", paragraphs=paras), entries


# -------------------------------------------------------------------------------------------------------

def build_document(b: Budget, tables: TableSet) -> Document:
    e = b.entity
    doc = Document(title=f"{b.year}年度{e.name}部门预算公开", entity=e.name, year=b.year, level=e.level,
                   unit_type=e.unit_type, tables=tables, phone=e.phone, published=b.published)
    c = Ctx(b, tables)
    forms = _targets(c)
    doc.parts.append(_profile(c))
    doc.parts.append(Part("tables", "", f"{e.name}{b.year}年度部门预算表"))
    doc.parts.append(Part("narrative", "", f"{e.name}{b.year}年度部门预算情况说明", sections=_narrative(c, forms)))
    glossary, doc.glossary = _glossary_part(c)
    doc.parts.append(glossary)
    for n, part in enumerate(doc.parts, 1):
        part.number = cn_number(n)
    doc.forms += forms
    doc.placeholders = list(c.placeholders)
    for t in tables.tables.values():       # a table whose figures were not given says so under it
        if t.pending and t.pending not in doc.placeholders:
            doc.placeholders.append(t.pending)
    if b.published is None:
        doc.placeholders.append(COVER_DATE)
    return doc
