"""The narrative's wording rules on real and modified models: placeholders for missing
reasons, government-level words in the glossary, section 六 items, shares and changes,
事业单位 wording, and the 附件 figures."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from juesuan.final.build import build_tables
from juesuan.final.forms import key_work_rows, overall, projects
from juesuan.final.model import Reasons
from juesuan.final.narrative import build_document
from juesuan.final.narrative._common import Ctx, pct

D = Decimal
# the example's 自评表 cells its seed's extraction lost (left as placeholders, not guessed)
FORM_GAPS = {"【待填写：年度目标】", "【待填写：质量指标名称】", "【待填写：服务对象满意度指标名称】",
             "【待填写：社会效益指标名称】"}
COVER = "【待填写：公开日期】"     # the example's data does not say when it was published


def _doc(d):
    return build_document(d, build_tables(d))


def _section(doc, key):
    return next(s for s in doc.sections() if s.key == key)


@pytest.fixture(scope="module")
def doc(example_model, example_tables):
    return build_document(example_model, example_tables)


def test_example_has_all_parts_in_national_order(doc):
    assert [p.key for p in doc.parts] == ["profile", "tables", "narrative", "key_work", "glossary", "attachments"]
    assert [p.number for p in doc.parts] == ["一", "二", "三", "四", "五", "六"]
    assert [s.number for s in doc.part("narrative").sections] == [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]
    # the example gives every reason the format needs: its only placeholders are in the 自评表, where
    # the published text could not be read (examples/hanyang-bdc-2023/README.md)
    assert set(doc.placeholders) == FORM_GAPS | {COVER}
    assert "【待填写" not in "".join(s.text for s in doc.sections())


def test_missing_reasons_give_placeholders(example_model):
    items = [i.model_copy(update={"reason": None}) for i in example_model.initial_budget.items]
    d = example_model.model_copy(update={
        "reasons": Reasons(),
        "initial_budget": example_model.initial_budget.model_copy(update={"items": items}),
    })
    doc = _doc(d)
    text = {s.key: s.text for s in doc.sections()}
    assert "【待填写：收、支总计增减的原因】" in text["narrative.1"]
    assert "【待填写：一般公共预算财政拨款支出增减的原因】" in text["narrative.5.1"]
    assert "【待填写：机关事业单位基本养老保险缴费支出 执行率 181.45% 的原因】" in text["narrative.5.3"]
    assert "【待填写：一般公共服务支出的主要用途】" in text["narrative.5.2"]
    # items whose 决算 equals 年初预算 need no reason
    assert "事业单位医疗（项）。年初预算为8.92万元，支出决算为8.92万元，完成年初预算的100%。" in text["narrative.5.3"]
    # every placeholder in the text is listed for the console, once
    found = set(re.findall(r"【待填写：[^】]*】", "".join(text.values()))) | FORM_GAPS | {COVER}
    assert found == set(doc.placeholders) and len(doc.placeholders) == len(found)


def test_three_public_change_needs_reason(example_model):
    tp = example_model.three_public
    final = tp.final.model_copy(update={"reception": D("12000.00")})
    budget = tp.budget.model_copy(update={"reception": D("15000.00")})
    d = example_model.model_copy(update={"three_public": tp.model_copy(update={"final": final, "budget": budget})})
    text = _section(_doc(d), "narrative.9").text
    assert "预算为1.50万元，支出决算为1.20万元，完成预算的80%" in text
    assert "较上年增加1.20万元" in text
    assert "【待填写：公务接待费较上年增加的原因】" in text
    assert "【待填写：“三公”经费较上年增加的原因】" in text


def test_glossary_level_words(example_model, doc):
    text = "".join(p.text for p in doc.part("glossary").paragraphs)
    assert "区级财政" in text and "区直部门" in text and "市级财政" not in text
    city = example_model.model_copy(update={"entity": example_model.entity.model_copy(update={"level": "市"})})
    gdoc = _doc(city)
    text = "".join(p.text for p in gdoc.part("glossary").paragraphs)
    assert "指市级财政一般公共预算当年拨付的资金" in text
    assert "是指市直部门用财政拨款安排的" in text
    assert "区级财政" not in text
    assert any(e.term == "“三公”经费" and "市级财政" in e.text for e in gdoc.glossary)


def test_glossary_lists_each_item_used(doc, example_tables):
    used = sorted(r.code for r in example_tables["T3"].rows if r.level == 3)
    heading = next(i for i, e in enumerate(doc.glossary) if e.term.startswith("本部门使用的支出功能分类科目"))
    items = doc.glossary[heading + 1: heading + 1 + len(used)]
    assert [e.number for e in items] == [f"{i}." for i in range(1, len(used) + 1)]
    assert items[0].term == "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）"
    assert all(e.text.startswith("反映") for e in items)
    assert doc.glossary[heading + 1 + len(used)].number == "（十一）"


def test_section_six_lists_exactly_the_nonzero_items(example_model, example_tables, doc):
    t6 = example_tables["T6"]
    text = _section(doc, "narrative.6").text
    for block in ("人员经费", "公用经费"):
        listed = re.search(rf"{block}[\d.]+万元，主要包括：([^。]*)。", text).group(1).split("、")
        expected = [r.label for r in t6.rows if r.side == block and r.level == 2 and r.cells.get("决算数")]
        assert listed == expected
    assert "会议费" not in text
    # move 100 yuan from 30299 to 30215 会议费: it must now be listed, the rest unchanged
    econ = dict(example_model.basic_by_economic)
    econ["30299"] -= D(100)
    econ["30215"] = D("100.00")
    text = _section(_doc(example_model.model_copy(update={"basic_by_economic": econ})), "narrative.6").text
    assert "会议费" in text


def test_shares_and_changes_come_from_displayed_figures(doc, example_tables):
    t3 = example_tables["T3"]
    basic, project = t3.value("合计", "基本支出"), t3.value("合计", "项目支出")
    total = example_tables["T1"].value("expenditure:total", "决算数")
    text = _section(doc, "narrative.3").text
    assert f"基本支出{basic:.2f}万元，占本年支出{pct(basic, total)}" in text
    assert f"项目支出{project:.2f}万元，占本年支出{pct(project, total)}" in text
    assert "27.33%" in text and "72.67%" in text
    # change vs prior year: 1732.61 → 1294.48
    assert "减少438.13万元，下降25.29%" in _section(doc, "narrative.1").text


def test_change_words():
    from types import SimpleNamespace
    c = Ctx(SimpleNamespace(year=2023), tables=None)  # type: ignore[arg-type]
    assert c.change("支出合计", D("110.00"), D("100.00"), "业务增加") == \
        "与2022年度相比，支出合计增加10.00万元，增长10.00%，主要原因是业务增加。"
    assert c.change("支出合计", D("100.00"), D("100.00"), None) == "与2022年度相比，支出合计持平。"
    assert c.change("支出合计", D("90.00"), D("0.00"), "新设") == \
        "与2022年度相比，支出合计增加90.00万元，主要原因是新设。"   # no % against a zero base
    assert c.placeholders == []
    assert "【待填写：支出合计减少的原因】" in c.change("支出合计", D("1.00"), D("3.00"), None)
    assert c.placeholders == ["【待填写：支出合计减少的原因】"]


def test_operating_funds_wording(example_model, doc):
    assert _section(doc, "narrative.10").text == \
        "2023年度武汉市汉阳区大数据中心无机关运行经费支出，主要原因是我单位是全额拨款事业单位。"
    entity = example_model.entity.model_copy(update={"unit_type": "行政单位"})
    admin = example_model.model_copy(update={"entity": entity})
    gdoc = _doc(admin)
    assert "【待填写：2023年度机关运行经费支出数】" in _section(gdoc, "narrative.10").text
    assert gdoc.placeholders


def test_procurement_shares(doc):
    text = _section(doc, "narrative.11").text
    assert "政府采购支出总额669.68万元" in text
    assert "占政府采购支出总额的54.24%" in text
    assert "占授予中小企业合同金额的69.89%" in text


def test_attachments(doc, example_model):
    assert overall(doc).basic_total == "3537776.2" and overall(doc).project_total == "9407064.37"
    assert len(projects(doc)) == len(example_model.performance.projects) == 15
    by_name = {p.name: p for p in projects(doc)}
    assert (by_name["汉阳区市民热线工作服务平台及区人大履职系统运行经费"].budget,
            by_name["汉阳区市民热线工作服务平台及区人大履职系统运行经费"].rate) == ("275", "95%")
    assert by_name["汉阳区市民热线指挥平台升级改造"].actual == "78.9"
    assert by_name["汉阳区市民热线指挥平台升级改造"].rate == "87.67%"
    assert by_name["数据治理服务"].rate == "6.15%"
    # the narrative quotes the 自评表 strings
    text = _section(doc, "narrative.13.3").text
    for p in projects(doc):
        assert (f"{p.name}项目绩效自评综述：项目全年预算数为{p.budget}万元，"
                f"执行数为{p.actual}万元，完成预算的{p.rate}") in text
    assert "共涉及项目15个，资金940.70万元，占一般公共预算项目支出总额的100.00%" in _section(doc, "narrative.13.1").text


def test_key_work_part_is_omitted_when_empty(example_model):
    doc = _doc(example_model.model_copy(update={"key_work": []}))
    assert [p.key for p in doc.parts] == ["profile", "tables", "narrative", "glossary", "attachments"]
    assert [p.number for p in doc.parts] == ["一", "二", "三", "四", "五"]
    assert key_work_rows(doc) == []


def test_charts(doc):
    charts = {ch.id: ch for s in doc.sections() for ch in s.charts}
    assert list(charts) == ["fig1", "fig2", "fig3", "fig4"]
    assert charts["fig1"].values == [D("1732.61"), D("1294.48")]
    assert charts["fig3"].labels == ["基本支出", "项目支出"]
    assert sum(charts["fig3"].values) == D("1294.48")


def test_other_shapes_of_data(example_model):
    """A 行政单位 with 机关运行经费, vehicles, 三公 counts, no prior year, no projects, no procurement."""
    from juesuan.final.model import Assets, OperatingFunds, Performance, PriorYear, Procurement, ThreePublicCounts
    tp = example_model.three_public
    d = example_model.model_copy(update={
        "entity": example_model.entity.model_copy(update={"unit_type": "行政单位", "level": "县"}),
        "operating_funds": OperatingFunds(amount=D("80896.20"), prior=D("90000.00"), reason="压减公用经费"),
        "assets": Assets(as_of="2023年12月31日", vehicles=2, vehicle_detail={"一般公务用车": 2}, equipment_over_1m=0),
        "prior_year": PriorYear(),
        "procurement": Procurement(),
        "performance": Performance(),
        "three_public": tp.model_copy(update={
            "budget": tp.budget.model_copy(update={"vehicle_operation": D("20000.00")}),
            "final": tp.final.model_copy(update={"vehicle_operation": D("18000.00")}),
            "counts": ThreePublicCounts(vehicles_held=2),
            "reasons": {"total": "车辆运行维护增加", "vehicle_operation": "车辆运行维护增加"}}),
    })
    doc = _doc(d)
    text = {s.key: s.text for s in doc.sections()}
    assert text["narrative.10"] == ("2023年度武汉市汉阳区大数据中心机关运行经费支出8.09万元，与2022年度相比，"
                                    "机关运行经费支出减少0.91万元，下降10.11%，主要原因是压减公用经费。")
    assert "共有车辆2辆，其中：一般公务用车2辆。无单价100万元（含）以上设备。" in text["narrative.12"]
    assert text["narrative.11"] == "2023年度武汉市汉阳区大数据中心无政府采购支出。"
    assert ("3.公务用车运行维护费预算为2.00万元，支出决算为1.80万元，完成预算的90%，较上年增加1.80万元"
            in text["narrative.9"])
    assert "公务用车保有量2辆" in text["narrative.9"]
    assert "【待填写：2022年度收、支总计决算数】" in text["narrative.1"]
    assert (text["narrative.13.1"] == "2023年度本部门未开展项目支出绩效自评。"
            and projects(doc) == [] and overall(doc) is None)
    glossary = "".join(p.text for p in doc.part("glossary").paragraphs)
    assert "县级财政" in glossary and "县直部门" in glossary
