"""Disclosures with many 绩效自评表 whose truth is known (for the tests of reading and checking them).

:func:`consolidated` makes a consolidated department's 决算 with ``n`` projects — in the simple
layout (预算数（A）/执行数（B）/执行率, as Hubei prints it) or the scored one (财预〔2020〕10号:
年初预算数/全年预算数/全年执行数/分值/执行率/得分, sources of the money, 年度总体目标, indicators with
分值/得分/偏差原因分析及改进措施, 总分) — and a 部门整体 table. Names, amounts, indicators and
scores vary with the seed; the projects' 执行数 add up to the 一般公共预算 项目支出 in yuan, so
the document checks clean. :func:`form_figures` lists every figure of the forms of a document
as shown, to compare what was read with what was built.
"""

from __future__ import annotations

import random
from decimal import Decimal

from juesuan.final.forms import overall, projects
from juesuan.final.model import Disclosure

__all__ = ["consolidated", "form_figures", "indicator_texts"]

_WORDS = ["政务", "网络", "运维", "平台", "数据", "治理", "安全", "热线", "档案", "培训", "乡村振兴", "信息化",
          "智慧城市", "应急", "指挥", "便民服务", "社区网格", "公共卫生", "教育", "文化", "体育", "交通", "水利",
          "环境监测", "河湖", "垃圾分类", "老旧小区", "养老服务", "就业帮扶", "法律援助"]
_TAILS = ["运行维护费", "专项经费", "建设项目", "购买服务", "工作经费", "系统升级改造", "能力提升工程"]
_OUTPUT = [("数量指标", "完成{w}巡检次数", "≥{n}次", "{m}次"), ("数量指标", "覆盖{w}点位数", "≥{n}个", "{m}个"),
           ("质量指标", "{w}验收合格率", "100%", "{p}%"), ("时效指标", "{w}响应时间", "≤{n}分钟", "{m}分钟"),
           ("质量指标", "{w}系统稳定运行", "达成预期指标", "达成预期指标")]
_EFFECT = [("社会效益指标", "{w}服务群众人次", "≥{n}万人次", "{m}万人次"),
           ("经济效益指标", "节约{w}财政资金", "≥{n}万元", "{m}万元"),
           ("可持续影响指标", "{w}长效机制建立", "健全", "健全")]
_SATISFACTION = [("服务对象满意度指标", "{w}服务对象满意度", "≥90%", "{s}%")]
_COST = [("经济成本指标", "{w}成本控制", "≤{n}万元", "{m}万元")]


def _name(rnd: random.Random, i: int, long: bool) -> str:
    a, b = rnd.sample(_WORDS, 2)
    base = f"{a}{b}{rnd.choice(_TAILS)}"
    if long:
        base = f"{rnd.choice(_WORDS)}{rnd.choice(_WORDS)}及{base}第{i + 1}期"
    return base


def _indicator(rnd: random.Random, level1: str, spec: tuple, word: str, weight: Decimal | None,
               slip: bool) -> dict:
    level2, name, target, actual = spec
    n = rnd.randint(2, 400)
    m = n + rnd.randint(0, 60) if not slip else max(1, n - rnd.randint(1, n))
    values = {"w": word, "n": n, "m": m, "p": 100 if not slip else rnd.randint(80, 99),
              "s": rnd.randint(90, 99) if not slip else rnd.randint(60, 89)}
    if "分钟" in target or "成本" in name:      # lower is better
        values["m"] = max(1, n - rnd.randint(0, n // 2)) if not slip else n + rnd.randint(1, 20)
    out = {"level1": level1, "level2": level2, "level3": name.format(**values),
           "target": target.format(**values), "actual": actual.format(**values)}
    if weight is not None:
        score = weight if not slip else (weight * Decimal(rnd.randint(50, 95)) / 100).quantize(Decimal("0.1"))
        out |= {"weight": weight, "score": score}
        if slip:
            out["note"] = f"{word}受年度任务调整影响未完全达标，下一步加强过程监控。"
    return out


def _indicators(rnd: random.Random, word: str, scored: bool) -> tuple[list[dict], bool]:
    """Four to seven indicators, and whether one of them misses its target; scored: 分值 adding up
    to 90 (the 预算执行率 has 10)."""
    picks = ([("成本指标", s) for s in rnd.sample(_COST, rnd.randint(0, 1))]
             + [("产出指标", s) for s in rnd.sample(_OUTPUT, rnd.randint(2, 3))]
             + [("效益指标", s) for s in rnd.sample(_EFFECT, rnd.randint(1, 2))]
             + [("满意度指标", s) for s in _SATISFACTION])
    weights: list[Decimal | None] = [None] * len(picks)
    if scored:
        k = len(picks)
        base = [Decimal(90 // k)] * k
        base[0] += Decimal(90 - sum(base))
        weights = list(base)
    out = []
    slipped = rnd.random() < 0.3
    for j, ((level1, spec), w) in enumerate(zip(picks, weights)):
        out.append(_indicator(rnd, level1, spec, word, w, slipped and j == 1))
    return out, slipped


def consolidated(n: int = 60, seed: int = 1, scored: bool = True) -> Disclosure:
    """A consolidated department's disclosure with ``n`` projects (see the module)."""
    rnd = random.Random(seed)
    names: list[str] = []
    while len(names) < n:
        name = _name(rnd, len(names), long=len(names) % 7 == 3)
        if name not in names:
            names.append(name)
    projects_: list[dict] = []
    for name in names:
        budget = Decimal(rnd.randint(2_00, 900_000_00)) / 100 + Decimal(rnd.randint(0, 9999) * 100)
        rate = Decimal(rnd.choice([100, 100, 100, rnd.randint(40, 99), rnd.randint(85, 99)]))
        actual = (budget * rate / 100).quantize(Decimal("0.01"))
        word = name[:2]
        indicators, slipped = _indicators(rnd, word, scored)
        p = {"name": name, "budget": budget, "actual": actual, "indicators": indicators,
             "summary": f"完成{word}年度工作任务。"}
        if scored:
            carried = (budget * Decimal(rnd.choice([0, 0, 10, 25])) / 100).quantize(Decimal("0.01"))
            p |= {"initial_budget": budget - carried,
                  "goals": [{"expected": f"1.保障{word}正常运行；2.提升{word}服务能力。",
                             "achieved": f"1.{word}全年正常运行；2.{word}服务能力有所提升。"}]}
            if carried:
                share = (actual * (budget - carried) / budget).quantize(Decimal("0.01"))
                p["sources"] = [
                    {"label": "当年财政拨款", "initial": budget - carried, "budget": budget - carried,
                     "actual": share},
                    {"label": "上年结转资金", "budget": carried, "actual": actual - share}]
        if slipped:
            p["deviation"] = f"{word}部分指标未达年初目标，主要是年度任务调整。"
        projects_.append(p)
    project_total = sum((p["actual"] for p in projects_), Decimal(0))
    codes = ["2010101", "2010102", "2010350", "2080505", "2080506", "2101101", "2120101", "2210201"]
    income, expenditure, approp = [], [], []
    shares = [Decimal(rnd.randint(1, 9)) for _ in codes]
    left = project_total
    basic_total = Decimal(0)
    for k, code in enumerate(codes):
        gb = Decimal(rnd.randint(50_000_00, 900_000_00)) / 100
        gp = (project_total * shares[k] / sum(shares)).quantize(Decimal("0.01")) if k < len(codes) - 1 else left
        left -= gp
        expenditure.append({"code": code, "basic": gb, "project": gp})
        approp.append({"code": code, "fund": "general", "basic": gb, "project": gp})
        income.append({"code": code, "general": gb + gp})
        basic_total += gb
    econ = {"30101": basic_total - Decimal("34567.89"), "30201": Decimal("30000.00"), "30211": Decimal("4567.89")}
    perf: dict = {"template": "scored" if scored else "simple", "projects": projects_,
                  "management": "项目完成情况基本达到预期效果。"}
    o_inds, o_slipped = _indicators(rnd, "部门", scored)
    perf["overall"] = {"goals": ["保障部门正常运转。", "完成年度重点工作任务。"],
                       "indicators": o_inds, "grade": "优", "summary": "资金使用规范。"}
    if scored:
        total = basic_total + project_total
        perf["overall"] |= {"outcomes": ["部门运转正常。", "重点工作全部完成。"],
                            "budget": (total * Decimal("1.04")).quantize(Decimal("0.01")),
                            "initial_budget": total}
    if o_slipped:
        perf["overall"]["deviation"] = "个别指标未达目标，主要是年度任务调整。"
    total = basic_total + project_total
    prior = {k: total for k in ("total", "income", "expenditure", "fiscal_total", "general_income",
                                 "general_expenditure")}
    budget_items = [{"code": e["code"], "amount": e["basic"] + e["project"]} for e in expenditure]
    usage = {c[:3]: "保障单位履职和项目实施。" for c in codes}
    return Disclosure.model_validate({
        "year": 2023, "prior_year": prior, "initial_budget": {"items": budget_items},
        "reasons": {"class_usage": usage},
        "entity": {"name": "武汉市汉阳区城市运行综合保障中心", "short_name": "汉阳区城市运行综合保障中心",
                   "level": "区", "unit_type": "事业单位", "supervisor": "区政府"},
        "income": income, "expenditure": expenditure, "appropriations": approp,
        "basic_by_economic": econ, "performance": perf,
    })


def form_figures(doc) -> list[tuple]:
    """Every figure of the 绩效自评表 of ``doc`` as shown: the money (and its sources), the
    scores and 总分, and each indicator's 分值/得分 — a tuple per form."""
    out = []
    o = overall(doc)
    forms = ([o] if o is not None else []) + projects(doc)
    for f in forms:
        if f.form == "project":
            head = (f.name, f.initial, f.budget, f.actual, f.rate, f.weight, f.score)
        else:
            head = (f.unit_name, f.initial, f.budget, f.actual, f.rate, f.weight, f.score,
                    f.basic_total, f.project_total)
        out.append((f.form, *head, tuple((s.label, s.initial, s.budget, s.actual) for s in f.sources),
                     tuple((i.weight, i.score) for i in f.indicators), f.total_weight, f.total_score))
    return out


def indicator_texts(doc) -> list[tuple]:
    """Each form's indicators as shown (levels, names, target and actual values)."""
    o = overall(doc)
    forms = ([o] if o is not None else []) + projects(doc)
    return [tuple((i.level1, i.level2, i.level3, i.target, i.actual) for i in f.indicators) for f in forms]
