"""情况说明 sections 九 to 十二: "三公"经费, 机关运行经费, 政府采购, 国有资产占用.

三公 figures come from T9 (预算数 and 决算数); the prior year's 三公, 机关运行经费
and 政府采购 are not in the tables and are rounded once from yuan.
"""

from __future__ import annotations

from decimal import Decimal

from ...document import Section
from ...figures import fmt_sentence
from ._common import Ctx, pct, percent_of, trim, wan

__all__ = ["three_public_sections"]

_ITEMS = (
    ("abroad", "因公出国（境）费"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行维护费"),
    ("reception", "公务接待费"),
)


def _vs_prior(c: Ctx, what: str, current: Decimal, prior: Decimal | None, key: str) -> str:
    """"较上年增加/减少…万元，增长/下降…%，主要原因是…" for one 三公 figure."""
    if prior is None:
        return ""
    if current == prior:
        return "，较上年相比不变"
    diff = current - prior
    word, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
    s = f"，较上年{word}{fmt_sentence(abs(diff))}万元"
    p = percent_of(abs(diff), prior)
    if p is not None:
        s += f"，{trend}{p:.2f}%"
    why = c.reason(c.d.three_public.reasons.get(key), f"{what}较上年{word}的原因")
    return s + f"，主要原因是{why}"


def _three_public(c: Ctx) -> Section:
    tp = c.d.three_public
    if tp is None:      # not given: neither figures nor "没有“三公”经费"
        text = f"{c.year}年度“三公”经费财政拨款支出" + c.placeholder("财政拨款“三公”经费预算数和决算数") + "。"
        return Section("九", "财政拨款“三公”经费支出决算情况说明", key="narrative.9", paragraphs=[c.para(text)])
    budget = {k: c.cell("T9", "三公", c.column("T9", f"budget:{k}")) for k, _ in (("total", ""), *_ITEMS)}
    final = {k: c.cell("T9", "三公", c.column("T9", f"final:{k}")) for k, _ in (("total", ""), *_ITEMS)}
    prior = None
    if tp.prior_final is not None:
        prior = {k: wan(getattr(tp.prior_final, k)) for k, _ in _ITEMS}
        prior["total"] = wan(tp.prior_final.total)

    def sentence(name: str, key: str) -> str:
        s = f"预算为{fmt_sentence(budget[key])}万元，支出决算为{fmt_sentence(final[key])}万元"
        r = percent_of(final[key], budget[key])
        if r is not None:
            s += f"，完成预算的{trim(r)}%"
        return s + _vs_prior(c, name, final[key], prior[key] if prior else None, key)

    paras = [c.para(f"{c.year}年度“三公”经费财政拨款支出" + sentence("“三公”经费", "total") + "。")]
    if budget["total"] or final["total"]:
        counts = tp.counts
        extra = {
            "abroad": f"全年因公出国（境）团组{counts.abroad_groups}个、累计{counts.abroad_persons}人次"
            if counts.abroad_groups or counts.abroad_persons else "",
            "vehicle_purchase": f"全年公务用车购置数{counts.vehicles_purchased}辆"
            if counts.vehicles_purchased else "",
            "vehicle_operation": f"公务用车保有量{counts.vehicles_held}辆" if counts.vehicles_held else "",
            "reception": f"全年国内公务接待{counts.reception_batches}批次、{counts.reception_persons}人次"
            if counts.reception_batches or counts.reception_persons else "",
        }
        for n, (key, name) in enumerate(_ITEMS, 1):
            s = f"{n}.{name}" + sentence(name, key)
            if extra[key]:
                s += f"。{extra[key]}"
            paras.append(c.para(s + "。", kind="item"))
    return Section("九", "财政拨款“三公”经费支出决算情况说明", key="narrative.9", paragraphs=paras)


def _operating(c: Ctx) -> Section:
    of = c.d.operating_funds
    e = c.d.entity
    if of is None:
        if e.unit_type == "事业单位":
            text = (f"{c.year}年度{c.name}无机关运行经费支出，主要原因是我单位是"
                    f"{e.funding or ''}事业单位。")
        else:
            text = f"{c.year}年度{c.name}机关运行经费支出" + c.placeholder(f"{c.year}年度机关运行经费支出数") + "。"
        return Section("十", "机关运行经费支出说明", key="narrative.10", paragraphs=[c.para(text)])
    amount = wan(of.amount)
    prior_yuan = of.prior if of.prior is not None else c.d.prior_year.operating_funds
    text = f"{c.year}年度{c.name}机关运行经费支出{fmt_sentence(amount)}万元，"
    text += c.change("机关运行经费支出", amount, wan(prior_yuan), of.reason, what="机关运行经费增减的原因")
    return Section("十", "机关运行经费支出说明", key="narrative.10", paragraphs=[c.para(text)])


def _procurement(c: Ctx) -> Section:
    p = c.d.procurement
    if p is None:       # not given: no "无政府采购支出"
        text = (f"{c.year}年度{c.name}政府采购支出"
                + c.placeholder("政府采购支出总额，货物、工程、服务支出及授予中小企业、小微企业合同金额") + "。")
        return Section("十一", "政府采购支出说明", key="narrative.11", paragraphs=[c.para(text)])
    goods, works, services = wan(p.goods), wan(p.works), wan(p.services)
    total = goods + works + services
    if total == 0:
        text = f"{c.year}年度{c.name}无政府采购支出。"
        return Section("十一", "政府采购支出说明", key="narrative.11", paragraphs=[c.para(text)])
    kinds = [f"政府采购{n}支出{fmt_sentence(v)}万元"
             for n, v in (("货物", goods), ("工程", works), ("服务", services)) if v]
    sme, small = wan(p.sme), wan(p.small_micro)
    text = (f"{c.year}年度{c.name}政府采购支出总额{fmt_sentence(total)}万元，其中：" + "、".join(kinds) + "。"
            f"授予中小企业合同金额{fmt_sentence(sme)}万元，占政府采购支出总额的{pct(sme, total)}")
    if sme:
        text += f"，其中：授予小微企业合同金额{fmt_sentence(small)}万元，占授予中小企业合同金额的{pct(small, sme)}"
    return Section("十一", "政府采购支出说明", key="narrative.11", paragraphs=[c.para(text + "。")])


def _assets(c: Ctx) -> Section:
    a = c.d.assets
    if a is None:       # not given: no "无车辆"
        text = (f"截至{c.year}年12月31日，{c.name}"
                + c.placeholder("车辆数和单价100万元（含）以上设备数（国有资产占用情况）") + "。")
        return Section("十二", "国有资产占用情况说明", key="narrative.12", paragraphs=[c.para(text)])
    date = a.as_of or f"{c.year}年12月31日"
    if a.vehicles is None:
        text = f"截至{date}，{c.name}共有车辆" + c.placeholder("车辆总数") + "辆。"
    elif a.vehicles:
        text = f"截至{date}，{c.name}共有车辆{a.vehicles}辆"
        if a.vehicle_detail:
            text += "，其中：" + "、".join(f"{k}{v}辆" for k, v in a.vehicle_detail.items())
        text += "。"
    else:
        text = f"截至{date}，{c.name}无车辆。"
    if a.equipment_over_1m is None:
        text += "单价100万元（含）以上设备" + c.placeholder("单价100万元（含）以上设备数") + "台（套）。"
    elif a.equipment_over_1m:
        text += f"单价100万元（含）以上设备{a.equipment_over_1m}台（套）。"
    else:
        text += "无单价100万元（含）以上设备。"
    if a.other:
        text += a.other
    return Section("十二", "国有资产占用情况说明", key="narrative.12", paragraphs=[c.para(text)])


def three_public_sections(c: Ctx) -> list[Section]:
    return [_three_public(c), _operating(c), _procurement(c), _assets(c)]
