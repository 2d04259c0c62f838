"""Consolidation (汇总): the units under a department, or the departments under a region, as one
disclosure, internal transfers eliminated so that nothing is counted twice.

:func:`consolidate` takes disclosures (with a label each, the file they came from) and returns a
:class:`Consolidation`: the consolidated :class:`~.model.Disclosure` and notes saying what could
not be eliminated and why. Pure: no file is read or written here. Amounts are ``Decimal`` yuan.

**What is summed.** Every figure: income and expenditure per 项, 财政拨款 per fund and 项, balances
and fund balances, 政府性基金/国有资本经营 items, basic spending per 经济分类款, 三公 (budget, final,
counts), 机关运行经费 (of the units that have it), 政府采购, 国有资产 counts, 年初预算. A figure some
input does not give (上年 三公, 上年机关运行经费 …) is left out rather than summed from the others.

**What is eliminated.** A unit's 上级补助收入 against its superior's 对附属单位补助支出 to it, and a
unit's 上缴上级支出 against its superior's 附属单位上缴收入 from it, when both units are consolidated.
Who the counterpart is comes from the data: ``transfers`` list amounts of those four lines by
counterpart unit (and 项); what a unit's lines hold beyond its ``transfers`` is, for 上级补助收入 and
上缴上级支出, with its ``entity.parent``, and for the superior's two lines unattributed. Matching, for
each kind of transfer: (1) amounts both sides attribute to each other are eliminated when the two
sides agree; (2) amounts a unit attributes to a superior that does not attribute them back are
eliminated against the superior's unattributed amounts when they add up exactly (the superior's
unattributed 对附属单位补助支出 equals what the units naming it as superior received), and the same
the other way round. Each side removes the amounts from its own 项. Anything else is kept and
reported (amounts that do not agree, unattributed amounts no unit claims): guessing which 项 to
reduce would misstate the tables. What remains of the four lines is listed in the result's
``transfers`` with its unit and counterpart, so a consolidation of consolidations eliminates what
the consolidation of all the units would.

**What is left out.** Texts that explain or describe figures (reasons, 项目成效, the 部门整体绩效自评表,
年初预算 reasons, 资产 notes) cannot be summed: they are absent and the document shows 【待填写】.
At department level the department's own unit (本级: the input named like the department, or the one
input no other input is under) gives the department's texts: 单位简称, 职责, 联系电话, 主管部门, 上级单位,
经费形式, 重点工作 and 预算绩效管理工作开展情况. The 机构设置 text lists the consolidated units. 上年
收入、支出 and 收支总计 of several units are left out: the sum of the units' figures would count last
year's internal transfers twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import Diagnostic, InputError
from .canonical import validate
from .model import (
    EXPENDITURE_KINDS,
    FUNDS,
    INCOME_SOURCES,
    TRANSFER_KINDS,
    Disclosure,
    Fund,
    ProjectPerformance,
)

__all__ = ["Consolidation", "consolidate", "LEVELS"]

ZERO = Decimal(0)
LEVELS = ("部门", "地区")
_UP = ("superior", "to_superior")                                       # a unit's lines with its superior
_PAIRS = (("superior", "to_affiliated"), ("to_superior", "affiliated"))  # (the unit's side, the superior's side)
_KIND_ORDER = {k: i for i, k in enumerate(TRANSFER_KINDS)}


@dataclass
class Consolidation:
    """The consolidated disclosure and what the consolidation has to say about it."""
    disclosure: Disclosure
    notes: list[Diagnostic] = field(default_factory=list)
    eliminated: Decimal = ZERO          # internal transfers removed, on each side (yuan)
    inputs: int = 0
    units: int = 0


# (unit, kind, code, counterpart): a part of one of the four transfer lines
_Key = tuple[str, str, str, "str | None"]


def _yuan(v: Decimal) -> str:
    return f"{v:,.2f} 元"


def consolidate(inputs: Sequence[tuple[str, Disclosure]], name: str | None = None,
                level: str = "部门") -> Consolidation:
    """The consolidation of ``inputs`` ((label, disclosure) pairs; the label names the input in
    messages). ``level`` 部门: units under a department (named ``name``, or after the one input no
    other is under); 地区: departments under a region (``name`` required). Raises ``InputError``
    for inputs that cannot be consolidated (none, different years, a unit twice, no name)."""
    if level not in LEVELS:
        raise InputError([Diagnostic("error", f"汇总层级应为 {' 或 '.join(LEVELS)}：{level}")])
    if not inputs:
        raise InputError([Diagnostic("error", "没有要汇总的数据：请给出各单位的数据文件")])
    notes: list[Diagnostic] = []
    _same_year(inputs)
    owner = _unit_owners(inputs)
    units = list(owner)
    own, name = _own_unit(inputs, name, level, owner)
    single = len(inputs) == 1
    ds = [d for _, d in inputs]

    # -- lines, summed per 项
    income = _sum_lines((x for d in ds for x in d.income), INCOME_SOURCES)
    expenditure = _sum_lines((x for d in ds for x in d.expenditure), EXPENDITURE_KINDS)
    approp: dict[tuple[str, Fund], list] = {}
    for d in ds:
        for a in d.appropriations:
            cur = approp.setdefault((a.code, a.fund), [a.name, ZERO, ZERO])
            cur[0] = cur[0] or a.name
            cur[1] += a.basic
            cur[2] += a.project

    # -- internal transfers
    records = _records(inputs)
    eliminated, elim_notes = _eliminate(records, set(units), owner)
    notes += elim_notes
    total_eliminated = ZERO
    for key in eliminated:
        unit, kind, code, _ = key
        lines = expenditure if kind.startswith("to_") else income
        lines[code][1][kind] -= records[key]
        if kind.startswith("to_"):
            total_eliminated += records[key]
    parent = own.entity.parent if own is not None else None
    remaining = [(k, v) for k, v in records.items() if k not in eliminated and v
                 and not (k[0] == name and k[3] == (parent if k[1] in _UP else None))]
    order = {u: i for i, u in enumerate(units)}
    remaining.sort(key=lambda kv: (order.get(kv[0][0], len(order)), kv[0][0], _KIND_ORDER[kv[0][1]], kv[0][2],
                                   kv[0][3] or ""))
    transfers = [{"unit": None if k[0] == name else k[0], "kind": k[1], "code": k[2], "counterpart": k[3],
                  "amount": v} for k, v in remaining]

    data = {
        "year": ds[0].year,
        "entity": _entity(inputs, own, name, level, units, single, notes),
        "income": _lines_out(income),
        "expenditure": _lines_out(expenditure),
        "appropriations": [{"code": c, "name": n, "fund": f, "basic": b, "project": p}
                           for (c, f), (n, b, p) in sorted(approp.items(), key=lambda kv: (kv[0][0], _fund_i(kv[0][1])))
                           if b or p],
        "balances": _sum_records([d.balances for d in ds]),
        "fund_balances": _fund_balances(ds),
        "fund_items": _fund_items(inputs, notes),
        "basic_by_economic": _sum_maps(d.basic_by_economic for d in ds),
        "three_public": _three_public(ds),
        "operating_funds": _operating_funds(ds),
        "procurement": _sum_records([d.procurement for d in ds]),
        "assets": _assets(ds, single),
        "prior_year": _prior_year(ds, single, notes),
        "initial_budget": _initial_budget(inputs, notes),
        "performance": _performance(inputs, own, single, notes),
        "key_work": list(own.key_work) if own is not None else [],
        "transfers": transfers,
    }
    if not single:
        notes.append(Diagnostic("info", "汇总数据不含说明数字的文字（增减原因、各类支出主要用途、项目成效、三公经费和"
                                        "机关运行经费增减原因、年初预算差异原因、部门整体绩效自评）：生成的文档在这些地方"
                                        "显示【待填写】，请补充"))
    d = Disclosure.model_validate(data)
    wrong = [x for x in validate(d) if x.severity == "error"]
    if wrong:   # valid inputs consolidate to valid data; inputs that break this are named by the message
        raise InputError([Diagnostic("error", f"汇总结果不一致：{x.message}", path=x.path, code=x.code) for x in wrong])
    return Consolidation(d, notes, total_eliminated, len(inputs), len(units))


# ----------------------------------------------------------------------------- inputs

def _same_year(inputs) -> None:
    year = inputs[0][1].year
    other = [(label, d.year) for label, d in inputs if d.year != year]
    if other:
        raise InputError([Diagnostic("error", f"只能汇总同一年度的决算：本文件为 {y} 年度，而 {inputs[0][0]} 为 "
                                              f"{year} 年度", file=label) for label, y in other])


def _names(d: Disclosure) -> list[str]:
    return list(d.entity.units) or [d.entity.name]


def _unit_owners(inputs) -> dict[str, str]:
    """Unit name → the label of the input holding it; a unit in two inputs is refused."""
    owner: dict[str, str] = {}
    problems = []
    for label, d in inputs:
        for u in _names(d):
            if u in owner:
                same = "同一文件给出了两次" if owner[u] == label else f"{owner[u]} 中已有这个单位"
                problems.append(Diagnostic("error", f"单位“{u}”重复：{same}（同一单位只能汇总一次）", file=label))
            else:
                owner[u] = label
    if problems:
        raise InputError(problems)
    return owner


def _own_unit(inputs, name, level, owner) -> tuple[Disclosure | None, str]:
    """The department's own unit (本级) among the inputs, and the consolidation's name."""
    if name is not None:
        name = name.strip()
        if len(name) < 2:
            raise InputError([Diagnostic("error", f"汇总后的名称太短：“{name}”（应为部门或地区全称）")])
    if level == "地区":
        if name is None:
            raise InputError([Diagnostic("error", "按地区汇总时请指定地区名称（--name，如 武汉市汉阳区）")])
        return None, name
    if name is not None:
        return next((d for _, d in inputs if d.entity.name == name), None), name
    tops = [(label, d) for label, d in inputs if d.entity.parent is None or d.entity.parent not in owner]
    if len(tops) == 1:
        return tops[0][1], tops[0][1].entity.name
    listed = "、".join(d.entity.name for _, d in tops[:5]) + ("等" if len(tops) > 5 else "")
    raise InputError([Diagnostic("error", f"无法确定汇总后的部门名称：有 {len(tops)} 个输入不在其他输入之下（{listed}："
                                          "没有填写上级单位 entity.parent，或上级单位不在汇总范围内）。请用 --name 指定"
                                          "部门名称（部门本级的数据以此名称为单位全称）")])


# ----------------------------------------------------------------------------- lines

def _sum_lines(lines, fields) -> dict[str, list]:
    """项 code → [name, {field: sum}], in the order first seen."""
    out: dict[str, list] = {}
    for x in lines:
        cur = out.get(x.code)
        if cur is None:
            out[x.code] = [x.name, {f: getattr(x, f) for f in fields}]
        else:
            cur[0] = cur[0] or x.name
            sums = cur[1]
            for f in fields:
                v = getattr(x, f)
                if v:
                    sums[f] += v
    return out


def _lines_out(lines: dict[str, list]) -> list[dict]:
    return [{"code": c, "name": n, **sums} for c, (n, sums) in sorted(lines.items()) if any(sums.values())]


def _fund_i(f: Fund) -> int:
    return list(FUNDS).index(f.value)


def _sum_records(recs: list):
    """Records of one type with numeric fields, field by field."""
    first = recs[0]
    return first.model_copy(update={n: sum((getattr(r, n) for r in recs), type(getattr(first, n))(0))
                                    for n in first.model_fields})


def _sum_maps(maps) -> dict:
    out: dict = {}
    for m in maps:
        for k, v in m.items():
            out[k] = out.get(k, 0) + v
    return dict(sorted(out.items()))


def _all_or_none(values: list):
    """The sum of ``values`` when every one is given, else None (a sum of some is not the total)."""
    if not values or any(v is None for v in values):
        return None
    return sum(values, type(values[0])(0))


def _fund_balances(ds) -> dict:
    out: dict = {}
    for d in ds:
        for f, fb in d.fund_balances.items():
            cur = out.get(f)
            out[f] = fb if cur is None else cur.model_copy(update={"opening": cur.opening + fb.opening,
                                                                    "closing": cur.closing + fb.closing})
    return dict(sorted(out.items(), key=lambda kv: _fund_i(kv[0])))


def _fund_items(inputs, notes) -> list[dict]:
    """政府性基金/国有资本经营 items summed per (项, fund) — for a fund only when every input gives
    items for each 项 of it that has money (else the items would not add up to the fund)."""
    out: dict[tuple[str, str], list] = {}
    incomplete: dict[str, list[str]] = defaultdict(list)
    for label, d in inputs:
        for f in ("gov_fund", "state_capital"):
            if not _items_complete(d, f):
                incomplete[f].append(label)
        for it in d.fund_items:
            cur = out.setdefault((it.code, it.fund), [it.name, ZERO, ZERO])
            cur[0] = cur[0] or it.name
            cur[1] += it.opening
            cur[2] += it.closing
    for f, labels in incomplete.items():
        if any(k[1] == f for k in out):
            notes.append(Diagnostic("warning", f"{FUNDS[f]}分项目结转和结余未列入汇总数据：{'、'.join(labels[:3])}"
                                               f"{'等' if len(labels) > 3 else ''}没有按项目填报（fund_items）"))
    return [{"code": c, "fund": f, "name": n, "opening": o, "closing": cl}
            for (c, f), (n, o, cl) in sorted(out.items()) if f not in incomplete]


def _items_complete(d: Disclosure, f: str) -> bool:
    items = [i for i in d.fund_items if i.fund == f]
    codes = {x.code for x in d.income if getattr(x, f)} | {a.code for a in d.appropriations
                                                         if a.fund.value == f and (a.basic or a.project)}
    fb = d.fund_balances.get(Fund(f))
    opening, closing = (fb.opening, fb.closing) if fb else (ZERO, ZERO)
    return codes <= {i.code for i in items} and opening == sum((i.opening for i in items), ZERO) \
        and closing == sum((i.closing for i in items), ZERO)


# ----------------------------------------------------------------------------- transfers

def _records(inputs) -> dict[_Key, Decimal]:
    """Every amount of the four transfer lines of every input, by (unit, kind, 项, counterpart):
    the ``transfers`` as listed, the rest of each line as the input's own, with its parent
    (上级补助收入, 上缴上级支出) or unattributed (附属单位上缴收入, 对附属单位补助支出)."""
    out: dict[_Key, Decimal] = defaultdict(Decimal)
    for label, d in inputs:
        me, parent = d.entity.name, d.entity.parent
        covered: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for t in d.transfers:
            out[(t.unit or me, t.kind, t.code, t.counterpart)] += t.amount
            covered[(t.kind, t.code)] += t.amount
        for lines, kinds in ((d.income, ("superior", "affiliated")), (d.expenditure, ("to_superior", "to_affiliated"))):
            for x in lines:
                for kind in kinds:
                    v = getattr(x, kind)
                    if not v and not covered.get((kind, x.code)):
                        continue
                    rest = v - covered.get((kind, x.code), ZERO)
                    if rest < 0:
                        cn = TRANSFER_KINDS[kind]
                        raise InputError([Diagnostic("error", f"科目 {x.code} 按对方单位列明的{cn}大于该科目的{cn}",
                                                     file=label, path="transfers")])
                    if rest:
                        out[(me, kind, x.code, parent if kind in _UP else None)] += rest
        for kind in TRANSFER_KINDS:   # listed for a 项 the lines do not have
            line_codes = {x.code for x in (d.expenditure if kind.startswith("to_") else d.income) if getattr(x, kind)}
            for (k, code), v in covered.items():
                if k == kind and v and code not in line_codes:
                    cn = TRANSFER_KINDS[kind]
                    raise InputError([Diagnostic("error", f"科目 {code} 按对方单位列明了{cn}，但该科目没有{cn}",
                                                 file=label, path="transfers")])
    return out


def _eliminate(records: dict[_Key, Decimal], names: set[str], owner: dict[str, str]
               ) -> tuple[set[_Key], list[Diagnostic]]:
    """The keys of ``records`` eliminated as internal transfers, and notes on what was not."""
    out: set[_Key] = set()
    notes: list[Diagnostic] = []

    def total(keys) -> Decimal:
        return sum((records[k] for k in keys), ZERO)

    def note(msg: str, unit: str, severity: str = "warning") -> None:
        notes.append(Diagnostic(severity, msg, file=owner.get(unit)))

    for up, down in _PAIRS:
        up_cn, down_cn = TRANSFER_KINDS[up], TRANSFER_KINDS[down]
        ups: dict[tuple[str, str], list[_Key]] = defaultdict(list)      # (unit, superior)
        downs: dict[tuple[str, str], list[_Key]] = defaultdict(list)    # (superior, unit)
        up0: dict[str, list[_Key]] = defaultdict(list)                  # unit → its unattributed amounts
        down0: dict[str, list[_Key]] = defaultdict(list)
        for key, v in records.items():
            unit, kind, _, cp = key
            if not v or (kind != up and kind != down):
                continue
            if cp is None:
                (up0 if kind == up else down0)[unit].append(key)
            elif cp in names and cp != unit:
                if kind == up:
                    ups[(unit, cp)].append(key)
                else:
                    downs[(cp, unit)].append(key)
        pending_up: dict[str, list[_Key]] = defaultdict(list)     # superior → amounts units attribute to it
        pending_down: dict[str, list[_Key]] = defaultdict(list)   # unit → amounts its superior attributes to it
        for pair in sorted(set(ups) | set(downs)):
            u, dn = ups.get(pair), downs.get(pair)
            child, sup = pair
            if u and dn:
                if total(u) == total(dn):
                    out.update(u)
                    out.update(dn)
                else:
                    note(f"未抵销：{child} 的{up_cn}中列明与 {sup} 往来的 {_yuan(total(u))}，与 {sup} 的{down_cn}中"
                         f"列明与 {child} 往来的 {_yuan(total(dn))} 不一致。请核对双方数据", child)
            elif u:
                pending_up[sup] += u
            else:
                pending_down[child] += dn
        for sup in sorted(pending_up):
            keys, free = pending_up[sup], down0.get(sup, [])
            claim = sorted({k[0] for k in keys})
            who = "、".join(claim[:5]) + ("等" if len(claim) > 5 else "")
            if free and total(free) == total(keys):
                out.update(keys)
                out.update(free)
                down0.pop(sup)
            elif not free:
                note(f"未抵销：{who} 的{up_cn}共 {_yuan(total(keys))} 是与上级单位 {sup} 的往来，但 {sup} 没有相应的"
                     f"{down_cn}（或已按对方单位列明为其他单位）。请核对双方数据", sup)
            else:
                note(f"未抵销：{sup} 的{down_cn}中未列明对方单位的 {_yuan(total(free))}，与以 {sup} 为上级单位的 {who} "
                     f"的{up_cn}合计 {_yuan(total(keys))} 不一致，无法确定哪些科目的金额属于汇总范围内的单位。"
                     f"请在 {sup} 的数据中按对方单位列明（transfers）", sup)
        for child in sorted(pending_down):
            keys, free = pending_down[child], up0.get(child, [])
            sup = sorted({k[0] for k in keys})[0]
            if free and total(free) == total(keys):
                out.update(keys)
                out.update(free)
                up0.pop(child)
            else:
                theirs = f"未列明对方单位的为 {_yuan(total(free))}，金额不一致" if free else "没有相应金额"
                note(f"未抵销：{sup} 的{down_cn}中列明与 {child} 往来的 {_yuan(total(keys))}，{child} 的{up_cn}中"
                     f"{theirs}。请核对双方数据", child)
        for sup, free in sorted(down0.items()):
            if not any(records[k] for k in free):
                continue
            note(f"未抵销：{sup} 的{down_cn} {_yuan(total(free))} 未列明对方单位，汇总范围内也没有以 {sup} 为上级"
                 "单位的单位（若其所属单位在汇总范围内，请在所属单位的数据中填写上级单位 entity.parent，或按对方"
                 "单位列明 transfers）", sup, "info")
        for child, free in sorted(up0.items()):
            note(f"未抵销：{child} 的{up_cn} {_yuan(total(free))} 未列明对方单位，也未填写上级单位（entity.parent）"
                 f"（若其上级单位在汇总范围内，请填写 entity.parent）", child, "info")
    return out, notes


# ----------------------------------------------------------------------------- the rest

def _common(values: list):
    """The value every input gives, else None."""
    first = values[0]
    return first if all(v == first for v in values) else None


def _entity(inputs, own, name, level, units, single, notes) -> dict:
    ds = [d for _, d in inputs]
    ents = [d.entity for d in ds]
    lv = own.entity.level if own is not None else _common([e.level for e in ents])
    if lv is None:
        raise InputError([Diagnostic("error", f"各输入的政府层级不同（{'、'.join(sorted({e.level for e in ents}))}），"
                                              "无法确定汇总后的政府层级：请只汇总同一层级的单位", file=label)
                          for label, d in inputs if d.entity.level != ents[0].level])
    unit_type = own.entity.unit_type if own is not None else _common([e.unit_type for e in ents])
    if unit_type is None:
        unit_type = "行政单位"
        notes.append(Diagnostic("info", "各输入的单位性质不同，汇总数据的单位性质记为“行政单位”"
                                        "（部门、地区汇总的通常情形）"))
    out = {"name": name, "level": lv, "unit_type": unit_type,
           "region": own.entity.region if own is not None else _common([e.region for e in ents]),
           "funding": own.entity.funding if own is not None else _common([e.funding for e in ents])}
    if own is not None:
        e = own.entity
        out |= {"short_name": e.short_name, "duties": list(e.duties), "phone": e.phone, "supervisor": e.supervisor,
                "parent": e.parent}
        if not single:
            notes.append(Diagnostic("info", f"以 {e.name} 为部门本级：部门简称、主要职责、联系电话、主管部门、"
                                            "重点工作和预算绩效管理工作情况取自它的数据", file=_label_of(inputs, own)))
    if single:
        out["structure"] = ds[0].entity.structure
    elif level == "地区":
        out["structure"] = (f"从决算单位构成看，纳入{name}{ds[0].year}年度决算汇总范围的部门共{len(ds)}个："
                            f"{'、'.join(e.name for e in ents)}（共{len(units)}家单位）。")
    else:
        listed = [f"{u}本级" if u == name else u for u in units]
        out["structure"] = (f"从决算单位构成看，纳入{name}{ds[0].year}年度部门决算汇总范围的单位共{len(units)}家："
                            f"{'、'.join(listed)}。")
    if units != [name]:
        out["units"] = units
    return out


def _label_of(inputs, d) -> str | None:
    return next((label for label, x in inputs if x is d), None)


def _three_public(ds) -> dict:
    tps = [d.three_public for d in ds]
    priors = [t.prior_final for t in tps]
    return {"budget": _sum_records([t.budget for t in tps]), "final": _sum_records([t.final for t in tps]),
            "prior_final": None if any(p is None for p in priors) else _sum_records(priors),
            "counts": _sum_records([t.counts for t in tps])}


def _operating_funds(ds):
    ofs = [d.operating_funds for d in ds if d.operating_funds is not None]
    if not ofs:
        return None
    return {"amount": sum((o.amount for o in ofs), ZERO), "prior": _all_or_none([o.prior for o in ofs])}


def _assets(ds, single) -> dict:
    a = [d.assets for d in ds]
    out = {"as_of": _common([x.as_of for x in a]), "vehicles": sum(x.vehicles for x in a),
           "vehicle_detail": _sum_maps(x.vehicle_detail for x in a),
           "equipment_over_1m": sum(x.equipment_over_1m for x in a)}
    if single:
        out["vehicle_detail"] = dict(a[0].vehicle_detail)
    return out


def _prior_year(ds, single, notes) -> dict:
    if single:
        return ds[0].prior_year
    py = [d.prior_year for d in ds]
    out = {f: _all_or_none([getattr(p, f) for p in py])
           for f in ("fiscal_total", "general_income", "general_expenditure", "operating_funds")}
    if any(p.total is not None or p.income is not None or p.expenditure is not None for p in py):
        notes.append(Diagnostic("info", "上年收入合计、支出合计和收支总计未列入汇总数据：各单位上年数之和含上年单位间的"
                                        "内部往来，不是部门上年的汇总数（请按上年汇总决算填写 prior_year）"))
    return out


def _initial_budget(inputs, notes) -> dict:
    ibs = [d.initial_budget for _, d in inputs]
    if all(not ib.items and ib.total is None for ib in ibs):
        return {}
    if all(ib.items for ib in ibs):
        items: dict[str, list] = {}
        for ib in ibs:
            for it in ib.items:
                cur = items.setdefault(it.code, [it.name, ZERO])
                cur[0] = cur[0] or it.name
                cur[1] += it.amount
        out: dict = {"items": [{"code": c, "name": n, "amount": v} for c, (n, v) in sorted(items.items())]}
        if any(ib.total is not None for ib in ibs):
            out["total"] = sum((v for _, v in items.values()), ZERO)
        return out
    missing = [label for label, d in inputs if not d.initial_budget.items and d.initial_budget.total is None]
    if not missing:
        notes.append(Diagnostic("warning", "年初预算只列合计：有的输入没有分科目的年初预算"))
        return {"total": sum((ib.total for ib in ibs), ZERO)}
    who = "、".join(missing[:3]) + ("等" if len(missing) > 3 else "")
    notes.append(Diagnostic("warning", f"年初预算未列入汇总数据：{who}没有填写年初预算"))
    return {}


def _performance(inputs, own, single, notes) -> dict:
    ds = [d for _, d in inputs]
    template = _common([d.performance.template for d in ds])
    if template is None:
        template = "simple"
        notes.append(Diagnostic("info", "各输入的绩效自评表式样不同，汇总数据用 simple 式样（预算数/执行数/执行率）"))
    projects: list[ProjectPerformance] = []
    for d in ds:
        for p in d.performance.projects:
            if not single:
                p = p.model_copy(update={"implementer": p.implementer or d.short_name,
                                         "supervisor": p.supervisor or d.entity.supervisor})
            projects.append(p)
    seen: dict[str, int] = defaultdict(int)
    for p in projects:
        seen[p.name] += 1
    if any(n > 1 for n in seen.values()):
        taken = set(seen)
        renamed = []
        for p in projects:
            if seen[p.name] > 1:
                new, i = f"{p.name}（{p.implementer}）", 2
                while new in taken:
                    new, i = f"{p.name}（{p.implementer}{i}）", i + 1
                taken.add(new)
                p = p.model_copy(update={"name": new})
            renamed.append(p)
        projects = renamed
        notes.append(Diagnostic("info", "不同单位有同名项目，其项目绩效自评表的项目名称后注明了实施单位："
                                        + "、".join(n for n, k in seen.items() if k > 1)))
    out: dict = {"template": template, "projects": projects}
    if own is not None:
        out["management"] = own.performance.management
    return out
