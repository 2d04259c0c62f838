"""Families of units whose consolidation is known: for the tests of ``juesuan consolidate``.

:func:`family` draws a department from a seed: a 本级 unit and units under it (a tree: a unit's
superior is the 本级 or an earlier unit), each with its own random figures — income and spending
per 项 by source and kind, 财政拨款 by fund, balances, fund balances, 政府性基金 items, basic
spending per 经济分类款, 三公, 机关运行经费 (行政单位), 政府采购, 资产, 年初预算, 上年数, projects — and
money moving between them: 上级补助 (the superior's 对附属单位补助支出, the unit's 上级补助收入) and 上缴
(the unit's 上缴上级支出, the superior's 附属单位上缴收入), each on a 项 of its own on either side. How
the data says who the counterpart is varies per unit: by ``entity.parent`` alone, by ``transfers``
on one side or on both. The 本级 also receives 上级补助收入 from outside (its parent is outside the
department) and pays 对附属单位补助支出 to a unit outside (listed by counterpart).

Alongside, the same draw adds up what the department's consolidation must show — every sum of the
units' figures less the transfers between them, on the 项 where each side booked them — without
going through the units' disclosures: :attr:`Family.expected`. Every unit checks clean by itself
(balances close, fund balances close, the 经济分类 adds up to the 基本支出).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.final.model import Disclosure

__all__ = ["Family", "family", "ITEMS", "ECON"]

ITEMS = ["2010101", "2010350", "2010399", "2050201", "2080505", "2080506", "2101101",
         "2101102", "2101103", "2130599", "2120101", "2210201", "2210202", "2210203"]
ECON = ["30101", "30102", "30107", "30108", "30113", "30201", "30211", "30226", "30305", "31002"]
OUTSIDE_SUPERIOR = "武汉市汉阳区人民政府办公室"
OUTSIDE_UNIT = "武汉市汉阳区外部协作中心"
C = Decimal("0.01")


def _y(rng: random.Random, hi: int = 2_000_000) -> Decimal:
    return Decimal(rng.randint(1, hi * 100)) / 100


@dataclass
class Family:
    units: list[Disclosure]
    names: list[str]
    expected: dict = field(default_factory=dict)     # the consolidation's figures, added up by hand
    internal: Decimal = Decimal(0)                   # transfers between the units (each side)
    flows: list = field(default_factory=list)        # (payer, its kind, its 项, payee, its kind, its 项, amount)


def family(seed: int, n: int = 4, year: int = 2023) -> Family:
    """A department of ``n`` units (the first is the 本级) drawn from ``seed``."""
    rng = random.Random(seed)
    names = ["武汉市汉阳区测试局"] + [f"武汉市汉阳区测试局第{i}所" for i in range(1, n)]
    parent = [None] + [rng.randrange(i) for i in range(1, n)]
    # flows: (payer, payer's kind, payer's code, payee, payee's kind, payee's code, amount)
    codes = [sorted(rng.sample(ITEMS, rng.randint(2, 6))) for _ in range(n)]
    flows = []
    for c in range(1, n):
        p = parent[c]
        if rng.random() < 0.85:
            a = _y(rng, 300_000)
            flows.append((p, "to_affiliated", rng.choice(codes[p]), c, "superior", rng.choice(codes[c]), a))
        if rng.random() < 0.5:
            a = _y(rng, 100_000)
            flows.append((c, "to_superior", rng.choice(codes[c]), p, "affiliated", rng.choice(codes[p]), a))
    # how each unit's data names its counterparts: parent only, transfers on the unit's side, on both
    style = [None] + [rng.choice(("parent", "child-lists", "both", "superior-lists")) for _ in range(1, n)]
    touching = defaultdict(list)              # unit → the flows it pays or receives
    for x in flows:
        touching[x[0]].append(x)
        touching[x[3]].append(x)
    external_in = _y(rng, 200_000)            # the 本级's 上级补助收入 from outside the department
    external_out = _y(rng, 50_000) if rng.random() < 0.7 else Decimal(0)   # its 对附属单位补助支出 to a unit outside

    expected_lines = {"income": defaultdict(lambda: defaultdict(Decimal)),
                      "expenditure": defaultdict(lambda: defaultdict(Decimal))}
    units, transfers_out = [], []
    sums = defaultdict(Decimal)
    ints = defaultdict(int)
    econ_total: dict[str, Decimal] = defaultdict(Decimal)
    approp_total: dict[tuple[str, str], list] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    fb_total: dict[str, list] = {}
    items_total: dict[str, list] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    budget_total: dict[str, Decimal] = defaultdict(Decimal)
    projects = []
    for u in range(n):
        admin = u == 0 or rng.random() < 0.4
        inc: dict[str, dict] = {c: defaultdict(Decimal) for c in codes[u]}
        exp: dict[str, dict] = {c: defaultdict(Decimal) for c in codes[u]}
        approp, items, gov_codes = [], [], []
        general_basic = surplus = Decimal(0)
        for i, code in enumerate(codes[u]):
            gb, gp = _y(rng), _y(rng)
            fb = _y(rng, 80_000) if rng.random() < 0.3 else Decimal(0)
            nb = _y(rng, 90_000) if rng.random() < 0.4 else Decimal(0)
            op = _y(rng, 40_000) if rng.random() < 0.2 else Decimal(0)
            s = _y(rng, 30_000) if i == 0 else Decimal(0)
            inc[code].update(general=gb + gp + s, gov_fund=fb, business=nb, operating=op)
            exp[code].update(basic=gb + nb, project=gp + fb, operating=op)
            approp.append({"code": code, "fund": "general", "basic": gb, "project": gp})
            approp_total[(code, "general")][0] += gb
            approp_total[(code, "general")][1] += gp
            if fb:
                approp.append({"code": code, "fund": "gov_fund", "project": fb})
                approp_total[(code, "gov_fund")][1] += fb
                o = _y(rng, 10_000)
                items.append({"code": code, "fund": "gov_fund", "opening": o, "closing": o})
                items_total[code][0] += o
                items_total[code][1] += o
                gov_codes.append(code)
            general_basic += gb
            surplus += s
        listed = []
        for payer, pk, pc, payee, qk, qc, a in touching[u]:
            if payer == u:
                exp[pc][pk] += a
                if _lists(style, payer, payee, pk):
                    listed.append({"kind": pk, "code": pc, "amount": a, "counterpart": names[payee]})
            if payee == u:
                inc[qc][qk] += a
                if _lists(style, payee, payer, qk):
                    listed.append({"kind": qk, "code": qc, "amount": a, "counterpart": names[payer]})
        if u == 0:
            inc[codes[0][0]]["superior"] += external_in
            if external_out:
                exp[codes[0][-1]]["to_affiliated"] += external_out
                listed.append({"kind": "to_affiliated", "code": codes[0][-1], "amount": external_out,
                               "counterpart": OUTSIDE_UNIT})
                transfers_out.append({"kind": "to_affiliated", "code": codes[0][-1], "amount": external_out,
                                      "counterpart": OUTSIDE_UNIT})
        for code in codes[u]:
            for side, lines in (("income", inc), ("expenditure", exp)):
                for k, v in lines[code].items():
                    expected_lines[side][code][k] += v
        inc_total = sum((v for x in inc.values() for v in x.values()), Decimal(0))
        exp_total = sum((v for x in exp.values() for v in x.values()), Decimal(0))
        use, dist = _y(rng, 20_000), _y(rng, 5_000)
        opening = exp_total + _y(rng, 500_000)
        closing = inc_total + use + opening - exp_total - dist
        og = _y(rng, 100_000)
        fund_balances = {"general": {"opening": og, "closing": og + surplus}}
        if gov_codes:
            o = sum((it["opening"] for it in items), Decimal(0))
            fund_balances["gov_fund"] = {"opening": o, "closing": o}
        for f, fbx in fund_balances.items():
            cur = fb_total.setdefault(f, [Decimal(0), Decimal(0)])
            cur[0] += fbx["opening"]
            cur[1] += fbx["closing"]
        k = rng.randint(1, len(ECON))
        cuts = sorted(rng.randint(0, int(general_basic * 100)) for _ in range(k - 1))
        bounds = [0, *cuts, int(general_basic * 100)]
        econ = {ECON[i]: Decimal(bounds[i + 1] - bounds[i]) / 100 for i in range(k)}
        for key, v in econ.items():
            econ_total[key] += v
        tp = {x: {k2: _y(rng, 20_000) for k2 in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")}
              for x in ("budget", "final", "prior_final")}
        counts = {k2: rng.randint(0, 9) for k2 in ("abroad_groups", "abroad_persons", "vehicles_purchased",
                                                   "vehicles_held", "reception_batches", "reception_persons")}
        proc = {k2: _y(rng, 300_000) for k2 in ("goods", "works", "services", "sme", "small_micro")}
        for part, amounts in tp.items():
            for k2, v in amounts.items():
                sums[f"three_public.{part}.{k2}"] += v
        for k2, v in counts.items():
            ints[f"three_public.counts.{k2}"] += v
        for k2, v in proc.items():
            sums[f"procurement.{k2}"] += v
        for k2, v in (("use_of_nonfiscal_balance", use), ("opening", opening), ("distribution", dist),
                      ("closing", closing)):
            sums[f"balances.{k2}"] += v
        vehicles = rng.randint(0, 5)
        ints["assets.vehicles"] += vehicles
        ints["assets.equipment_over_1m"] += (eq := rng.randint(0, 3))
        ints["assets.vehicle_detail.一般公务用车"] += vehicles
        of = None
        if admin:
            of = {"amount": _y(rng, 200_000), "prior": _y(rng, 200_000), "reason": "办公费用减少。"}
            sums["operating_funds.amount"] += of["amount"]
            sums["operating_funds.prior"] += of["prior"]
        budget = [{"code": code, "amount": _y(rng), "reason": "年中追加。"} for code in codes[u]]
        for b in budget:
            budget_total[b["code"]] += b["amount"]
        prior = {k2: _y(rng, 5_000_000) for k2 in ("total", "income", "expenditure", "fiscal_total",
                                                   "general_income", "general_expenditure")}
        for k2 in ("fiscal_total", "general_income", "general_expenditure"):
            sums[f"prior_year.{k2}"] += prior[k2]
        own_projects = [{"name": f"测试{u}号项目{j}", "budget": _y(rng), "actual": _y(rng),
                         "indicators": [{"level1": "产出指标", "level2": "数量指标", "level3": f"完成数量{j}",
                                         "target": "10个", "actual": "10个"}]} for j in range(rng.randint(0, 2))]
        projects += [(p["name"], names[u]) for p in own_projects]
        entity = {"name": names[u], "short_name": f"测试{u}号" if u else "测试局", "level": "区",
                  "region": "武汉市汉阳区", "unit_type": "行政单位" if admin else "事业单位",
                  "duties": [f"第{u}号单位的职责。"], "phone": f"027-8446{u:04d}", "supervisor": "区政府",
                  "structure": f"第{u}号单位内设三个科室。"}
        if u == 0:
            entity["parent"] = OUTSIDE_SUPERIOR
        elif style[u] != "child-lists":
            entity["parent"] = names[parent[u]]
        units.append(Disclosure.model_validate({
            "year": year, "entity": entity,
            "income": [{"code": c, **v} for c, v in inc.items()],
            "expenditure": [{"code": c, **v} for c, v in exp.items()],
            "appropriations": approp, "fund_items": items,
            "balances": {"use_of_nonfiscal_balance": use, "opening": opening, "distribution": dist, "closing": closing},
            "fund_balances": fund_balances, "basic_by_economic": econ,
            "three_public": {**tp, "counts": counts, "reasons": {"total": "严控支出。"}},
            "operating_funds": of, "procurement": proc,
            "assets": {"as_of": f"{year}年12月31日", "vehicles": vehicles, "vehicle_detail": {"一般公务用车": vehicles},
                       "equipment_over_1m": eq, "other": "无其他说明。"},
            "prior_year": prior, "initial_budget": {"items": budget},
            "reasons": {"total_change": "业务增加。"}, "highlights": [],
            "performance": {"management": f"第{u}号单位开展绩效自评。", "projects": own_projects},
            "key_work": [{"title": f"第{u}号单位重点工作", "text": "按期完成。"}],
            "transfers": listed,
        }))
    # the department's figures: the units' sums less what moved between them, where each side booked it
    internal = Decimal(0)
    for _payer, pk, pc, _payee, qk, qc, a in flows:
        expected_lines["expenditure"][pc][pk] -= a
        expected_lines["income"][qc][qk] -= a
        internal += a
    exp_ = {
        "income": _nonzero(expected_lines["income"]), "expenditure": _nonzero(expected_lines["expenditure"]),
        "appropriations": {k: tuple(v) for k, v in approp_total.items() if any(v)},
        "fund_balances": {k: tuple(v) for k, v in fb_total.items()},
        "fund_items": {k: tuple(v) for k, v in items_total.items()},
        "basic_by_economic": dict(econ_total), "sums": dict(sums), "ints": dict(ints),
        "initial_budget": dict(budget_total), "projects": projects,
        "transfers": transfers_out,
    }
    return Family(units, names, exp_, internal, flows)


def _lists(style, unit: int, other: int, kind: str) -> bool:
    """Whether ``unit`` lists its amount with ``other`` by counterpart (``transfers``)."""
    if kind in ("superior", "to_superior"):        # the unit is the subordinate
        return style[unit] in ("child-lists", "both")
    return style[other] in ("superior-lists", "both")


def _nonzero(lines) -> dict:
    return {code: {k: v for k, v in kinds.items() if v} for code, kinds in lines.items()
            if any(kinds.values())}
