"""Mutation tests: inject one kind of error into the example Document; the right rule fires at the right place.

``MUTATIONS`` maps every rule code to (what is changed, mutate(doc), check(finding)).
The example itself is clean of errors; rounding-only perturbations (one figure moved
by 0.01) fire nothing above ``info``. ``docs/rules-mutations.md`` is generated from
this table (test_mutation_table_doc_up_to_date).
"""

from __future__ import annotations

import copy
from decimal import Decimal as D
from pathlib import Path

import pytest

from juesuan.document import Paragraph
from juesuan.final.forms import SCORED, FundRow, overall, projects
from juesuan.final.rules.families import rules as all_rules
from juesuan.pipeline import check
from juesuan.rules import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"


@pytest.fixture(scope="module")
def base_doc():
    from juesuan.final.build import build_tables
    from juesuan.final.narrative import build_document
    from juesuan.final.readers import load
    d, _ = load(EXAMPLE)
    return build_document(d, build_tables(d))


# ---- helpers that mutate a Document --------------------------------------------------

def cell(doc, tid, col, key=None, code=None, side=None, delta=None, value=None):
    t = doc.tables[tid]
    r = t.row(key, code=code, side=side)
    assert r is not None, (tid, key, code)
    if value is not None:
        r.cells[col] = D(str(value))
    else:
        r.cells[col] = (r.cells.get(col) or D(0)) + D(str(delta))
    return r


def section(doc, key):
    for s in doc.sections():
        if s.key == key:
            return s
    raise AssertionError(key)


def sub(doc, key, old, new, count=1):
    s = section(doc, key)
    for p in s.walk():
        for para in p.paragraphs:
            if old in para.text:
                para.text = para.text.replace(old, new, count)
                return
    raise AssertionError(f"{old!r} not in {key}")


def project(doc, name):
    return next(p for p in projects(doc) if p.name == name)


def t9_set(doc, **values):
    t = doc.tables["T9"]
    r = t.rows[0]
    for k, v in values.items():
        side, item = k.split("__")
        header = next(c.header for c in t.layout.columns if c.key == f"{side}:{item}")
        r.cells[header] = D(str(v))
    t.empty = False


def drop_section(doc, key):
    for p in doc.parts:
        for s in p.walk():
            s.subsections = [x for x in s.subsections if x.key != key]
        p.sections = [x for x in p.sections if x.key != key]


def has(rule, severity="error", **loc):
    """A check that some finding of ``rule`` at ``severity`` has a location containing ``loc``."""
    def ok(findings):
        for f in findings:
            if f.rule != rule or f.severity != severity:
                continue
            if not loc or any(all(str(v) in str(getattr(L, k) or "") for k, v in loc.items()) for L in f.places):
                return True
        return False
    ok.__doc__ = f"{rule} {severity} {loc}"
    return ok


def _m(desc, mutate, expect):
    return (desc, mutate, expect)


def scored(doc, name="OA系统运行维护费", **slip):
    """The project ``name`` of the example shown in the scored form (财预〔2020〕10号) as a clean
    builder would fill it — 分值 10 for 预算执行率 with 得分 = 10 × 执行率, the indicators sharing 90
    with full marks, 总分 the sums — then ``slip`` applied (attributes of the form)."""
    p = project(doc, name)
    p.layout = SCORED
    p.initial, p.weight = p.budget, "10"
    p.score = str((D(p.actual) / D(p.budget) * 10).quantize(D("0.01")))
    k = len(p.indicators)
    for j, ind in enumerate(p.indicators):
        ind.weight = ind.score = str(90 // k + (90 % k if j == 0 else 0))
    p.total_weight = "100"
    p.total_score = str(D(p.score) + sum(D(i.score) for i in p.indicators))
    for attr, value in slip.items():
        setattr(p, attr, value)
    return p


def _score_over(doc):
    p = scored(doc)
    p.indicators[1].score = str(D(p.indicators[1].weight) + 2)
    p.total_score = str(D(p.total_score) + 2)


def _sources_off(doc):
    p = scored(doc)
    p.sources = [FundRow("当年财政拨款", 1, "35", "30", "20.84"), FundRow("上年结转资金", 1, "", "5", "7.00")]


def _scored_overall(doc, actual="1294.48", rate="94.47%", score="9.45", first="20.55"):
    """The example's 部门整体 table in the scored form: 全年预算数 1370.19, 全年执行数 the tables'
    本年支出, three indicators of 30 (the first scoring ``first``), 总分 the sums (90: the narrative's)."""
    o = overall(doc)
    o.layout, o.budget, o.actual, o.rate, o.weight, o.score = SCORED, "1370.19", actual, rate, "10", score
    o.sources = [FundRow("基本支出", 1, actual="353.78"), FundRow("项目支出", 1, actual="940.71")]
    o.indicators = o.indicators[:3]
    for j, ind in enumerate(o.indicators):
        ind.weight, ind.score = "30", first if j == 0 else "30"
    o.total_weight, o.total_score = "100", str(D(score) + D(first) + 60)


def _parsed_empty_t7(doc):
    doc.source = {"format": "text", "file": "x.txt"}
    doc.tables["T7"].source = {}


def _drop_projects(doc):
    doc.forms[:] = [f for f in doc.forms if f.form != "project"]


def _fund_t7(doc):
    t = doc.tables["T7"]
    r = t.rows[0]
    r.cells["小计"] = D("5.00")
    r.cells["项目支出"] = D("5.00")
    r.cells["本年收入"] = D("5.00")
    t.empty = False


MUTATIONS = {
    "JS101": _m("支出表 T5 2010350 事业运行小计 +0.02", lambda d: cell(d, "T5", "小计", code="2010350", delta="0.02"),
                has("JS101", table="T5", row="20103", column="小计")),
    "JS102": _m("收入决算表合计行本年收入合计 +0.05", lambda d: cell(d, "T2", "本年收入合计", "合计", delta="0.05"),
                has("JS102", table="T2", row="合计", column="本年收入合计")),
    "JS103": _m("支出决算表合计行项目支出 −0.10", lambda d: cell(d, "T3", "项目支出", "合计", delta="-0.10"),
                has("JS103", table="T3", row="合计")),
    "JS104": _m("收入支出决算总表收入总计 +1", lambda d: cell(d, "T1", "决算数", "grand_total:income", delta="1"),
                has("JS104", table="T1", row="总计")),
    "JS105": _m("财政拨款总表年末结转和结余（一般公共预算）写 5.00",
                lambda d: cell(d, "T4", "一般公共预算财政拨款", "fiscal_closing", value="5.00"),
                has("JS105", table="T4", row="年末财政拨款结转和结余")),
    "JS106": _m("基本支出明细表 30201 办公费 +0.35", lambda d: cell(d, "T6", "决算数", code="30201", delta="0.35"),
                has("JS106", table="T6", row="302")),
    "JS107": _m("“三公”表决算合计 12 ≠ 0 + 8 + 2",
                lambda d: t9_set(d, final__total=12, final__abroad=0, final__vehicle=8, final__reception=2,
                                 final__vehicle_purchase=0, final__vehicle_operation=8),
                has("JS107", table="T9")),
    "JS108": _m("支出决算表 2010350 基本支出为负", lambda d: cell(d, "T3", "基本支出", code="2010350", value="-247.04"),
                has("JS108", "warning", table="T3", row="2010350", column="基本支出")),
    "JS109": _m("一般公共预算支出表 2010350 名称写成其他科目",
                lambda d: setattr(d.tables["T5"].row(code="2010350"), "label",
                                  "其他政府办公厅（室）及相关机构事务支出"),
                has("JS109", "warning", table="T5", row="2010350")),
    "JS110": _m("一般公共预算支出表 2010399 印成 2010398（科目表中没有）",
                lambda d: setattr(d.tables["T5"].row(code="2010399"), "code", "2010398"),
                has("JS110", "warning", table="T5", row="2010398")),
    "JS201": _m("收入支出决算总表本年收入合计写成 1249.48",
                lambda d: cell(d, "T1", "决算数", "income:total", value="1249.48"),
                has("JS201", table="T1", row="本年收入合计")),
    "JS202": _m("收入支出决算总表 201 类 −0.02", lambda d: cell(d, "T1", "决算数", "expenditure:201", delta="-0.02"),
                has("JS202", table="T3", row="201")),
    "JS203": _m("财政拨款总表本年收入合计 −4", lambda d: cell(d, "T4", "决算数", "fiscal_income:total", delta="-4"),
                has("JS203", table="T4", row="本年收入合计")),
    "JS204": _m("财政拨款总表 221 类一般公共预算列写成 26.80",
                lambda d: cell(d, "T4", "一般公共预算财政拨款", "fiscal_expenditure:221", value="26.80"),
                has("JS204", table="T5", row="221")),
    "JS205": _m("公用经费合计写成 18.09", lambda d: cell(d, "T6", "决算数", "公用经费合计", value="18.09"),
                has("JS205", table="T6", row="公用经费合计")),
    "JS206": _m("财政拨款总表政府性基金列本年支出合计 20，政府性基金表为空",
                lambda d: cell(d, "T4", "政府性基金预算财政拨款", "fiscal_expenditure:total", value="20"),
                has("JS206", table="T7")),
    "JS207": _m("支出决算表 2010350 基本支出写成 240.00",
                lambda d: cell(d, "T3", "基本支出", code="2010350", value="240.00"),
                has("JS207", table="T3", row="2010350", column="基本支出")),
    "JS208": _m("“三公”表接待费 0.50，明细表 30217 公务接待费 1.20",
                lambda d: (t9_set(d, final__total="0.50", final__reception="0.50"),
                           cell(d, "T6", "决算数", code="30217", value="1.20")),
                has("JS208", table="T6", row="30217")),
    "JS209": _m("“三公”表无数据，明细表 30217 公务接待费 0.35",
                lambda d: cell(d, "T6", "决算数", code="30217", value="0.35"),
                has("JS209", table="T6", row="30217")),
    "JS301": _m("五（二）住房保障（类）支出写成 26.81 万元",
                lambda d: sub(d, "narrative.5.2", "住房保障（类）支出28.60万元", "住房保障（类）支出26.81万元"),
                has("JS301", section="五（二）", sentence="26.81")),
    "JS302": _m("三：基本支出占本年支出写成 37.33%",
                lambda d: sub(d, "narrative.3", "27.33%", "37.33%"), has("JS302", section="三", sentence="37.33%")),
    "JS303": _m("一：下降率写成 33.85%", lambda d: sub(d, "narrative.1", "下降25.29%", "下降33.85%"),
                has("JS303", section="一", sentence="33.85%")),
    "JS304": _m("五（三）第 1 项完成率写成 103.58%", lambda d: sub(d, "narrative.5.3", "113.58%", "103.58%"),
                has("JS304", section="五（三）", sentence="103.58%")),
    "JS305": _m("五（三）第 1 项“大于”写成“小于”",
                lambda d: sub(d, "narrative.5.3", "支出决算数大于年初预算数的主要原因：新增",
                              "支出决算数小于年初预算数的主要原因：新增"),
                has("JS305", "warning", section="五（三）", sentence="小于")),
    "JS306": _m("一：删去变动原因",
                lambda d: sub(d, "narrative.1", "，主要原因是压减了通信链路租赁费和运行维护费", ""),
                has("JS306", "warning", section="一")),
    "JS307": _m("五（三）年初预算合计写成 1370.19 万元",
                lambda d: sub(d, "narrative.5.3", "年初预算为1365.18万元", "年初预算为1370.19万元"),
                has("JS307", section="五（三）", sentence="1370.19")),
    "JS308": _m("十一：中小企业占比写成 54.2%", lambda d: sub(d, "narrative.11", "54.24%", "54.2%"),
                has("JS308", "warning", section="十一", sentence="54.2%")),
    "JS309": _m("六：人员经费漏列生活补助", lambda d: sub(d, "narrative.6", "、生活补助", ""),
                has("JS309", "warning", section="六")),
    "JS310": _m("政府性基金表有数，七仍称“无”", _fund_t7, has("JS310", section="七")),
    "JS311": _m("图3 支出决算结构中基本支出写成 335.78",
                lambda d: section(d, "narrative.3").charts[0].values.__setitem__(0, D("335.78")),
                has("JS311", chart="支出决算结构", label="基本支出")),
    "JS312": _m("十二称无车辆，明细表 30231 公务用车运行维护费 0.30（“三公”表亦同）",
                lambda d: (cell(d, "T6", "决算数", code="30231", value="0.30"),
                           t9_set(d, final__total="0.30", final__vehicle="0.30", final__vehicle_operation="0.30")),
                has("JS312", "warning", section="十二")),
    "JS401": _m("OA 系统运行维护费执行率写成 83.73%",
                lambda d: setattr(project(d, "OA系统运行维护费"), "rate", "83.73%"),
                has("JS401", table="OA系统运行维护费", column="执行率")),
    "JS402": _m("OA 系统运行维护费执行数写成 35.84",
                lambda d: setattr(project(d, "OA系统运行维护费"), "actual", "35.84"),
                has("JS402", table="OA系统运行维护费")),
    "JS403": _m("五（三）所引项目执行数写成 259.98 万元",
                lambda d: sub(d, "narrative.5.3", "261.25万元，主要成效", "259.98万元，主要成效"),
                has("JS403", section="五（三）", sentence="259.98")),
    "JS404": _m("周报未达目标（52 篇/9 篇）的项目删去偏差原因",
                lambda d: setattr(project(d, "汉阳区12345市民政务服务热线大数据智能分析系统"), "deviation", ""),
                has("JS404", "warning", row="全年完成周报数量")),
    "JS405": _m("整体绩效自评表项目支出总额写成 9047064.37 元",
                lambda d: setattr(overall(d), "project_total", "9047064.37"),
                has("JS405", table="部门整体绩效自评表", column="项目支出总额")),
    "JS406": _m("重点工作访问量（原文即有，140.5853 万次 vs 181.95 万）", lambda d: None,
                has("JS406", "warning", table="部门整体绩效自评表", row="访问量")),
    "JS407": _m("十三（三）称共涉及 16 个一级项目",
                lambda d: sub(d, "narrative.13.3", "共涉及15个一级项目", "共涉及16个一级项目"),
                has("JS407", "warning", section="十三（三）")),
    "JS408": _m("打分式自评表（OA 系统运行维护费）一条指标得分比分值高 2 分（总分同加）", _score_over,
                has("JS408", table="OA系统运行维护费", column="得分")),
    "JS409": _m("打分式自评表（OA 系统运行维护费）总分写成 87.38（各项之和 97.38）",
                lambda d: scored(d, total_score="87.38"), has("JS409", table="OA系统运行维护费", row="总分")),
    "JS410": _m("打分式自评表（OA 系统运行维护费）执行率 73.83% 而预算执行率得分写 9（应为 7.38）",
                lambda d: scored(d, score="9", total_score="99"),
                has("JS410", "warning", table="OA系统运行维护费", column="得分")),
    "JS411": _m("OA 系统运行维护费执行率写成 1000%", lambda d: setattr(project(d, "OA系统运行维护费"), "rate", "1000%"),
                has("JS411", "warning", table="OA系统运行维护费", column="执行率")),
    "JS412": _m("打分式自评表（OA 系统运行维护费）当年财政拨款 20.84 + 上年结转资金 7.00 ≠ 全年执行数 25.84",
                _sources_off, has("JS412", table="OA系统运行维护费", column="全年执行数")),
    "JS413": _m("打分式部门整体自评表全年执行数写成 1249.48（决算表 1294.48）",
                lambda d: _scored_overall(d, actual="1249.48", rate="91.19%", score="9.12", first="20.88"),
                has("JS413", table="部门整体绩效自评表", column="全年执行数")),
    "JS414": _m("打分式部门整体自评表总分 86.30，十三（四）称评价得分为 90 分",
                lambda d: _scored_overall(d, first="16.85"), has("JS414", section="十三（四）")),
    "JS501": _m("删去国有资本经营预算财政拨款支出决算表", lambda d: d.tables.tables.pop("T8"),
                has("JS501", table="T8")),
    "JS502": _m("解析的文件中政府性基金表为空且无说明", _parsed_empty_t7, has("JS502", "warning", table="T7")),
    "JS503": _m("删去十、机关运行经费支出说明", lambda d: drop_section(d, "narrative.10"),
                has("JS503", "warning", section="十")),
    "JS504": _m("十一删去中小企业份额",
                lambda d: setattr(section(d, "narrative.11").paragraphs[0], "text",
                                  section(d, "narrative.11").paragraphs[0].text.split("授予中小企业")[0]),
                has("JS504", "warning", section="十一")),
    "JS505": _m("删去名词解释", lambda d: (d.glossary.clear(), setattr(d.part("glossary"), "paragraphs", [])),
                has("JS505", "warning", part="第五部分")),
    "JS506": _m("删去全部项目绩效自评表", _drop_projects, has("JS506", "warning", section="十三")),
    "JS601": _m("一：年度写成 2021 年度", lambda d: sub(d, "narrative.1", "2023年度收、支总计", "2021年度收、支总计"),
                has("JS601", "warning", section="一", sentence="2021年度")),
    "JS602": _m("十：单位名称写成武汉市江岸区大数据中心",
                lambda d: sub(d, "narrative.10", "武汉市汉阳区大数据中心", "武汉市江岸区大数据中心"),
                has("JS602", "warning", sentence="江岸区")),
    "JS603": _m("十二：残留占位符 XX",
                lambda d: section(d, "narrative.12").paragraphs.append(Paragraph("单价100万元以上设备XX台。")),
                has("JS603", "warning", sentence="XX")),
    "JS604": _m("名词解释（一）写“市级财政”",
                lambda d: setattr(d.glossary[0], "text", d.glossary[0].text.replace("区级财政", "市级财政")),
                has("JS604", "warning", section="（一）")),
    "JS605": _m("十二：单位名称写成武汉市汉阳区城管局",
                lambda d: sub(d, "narrative.12", "武汉市汉阳区大数据中心", "武汉市汉阳区城管局"),
                has("JS605", "warning", section="十二", sentence="城管局")),
    "JS606": _m("十二：写成“截至2022年12月31日”",
                lambda d: sub(d, "narrative.12", "截至2023年12月31日", "截至2022年12月31日"),
                has("JS606", "warning", section="十二", sentence="截至2022年12月31日")),
}


def test_every_rule_has_a_mutation():
    codes = {r.code for r in all_rules()}
    assert codes <= set(MUTATIONS), sorted(codes - set(MUTATIONS))
    assert set(MUTATIONS) <= codes, sorted(set(MUTATIONS) - codes)


def test_example_is_clean(base_doc):
    findings = check(base_doc)
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings if f.severity == "error"]
    # Justified: the example records the seed's two site-visit figures as published (README §7).
    warnings = [f.rule for f in findings if f.severity == "warning"]
    assert warnings == ["JS406"], [f.message for f in findings if f.severity == "warning"]
    assert not [f for f in findings if f.rule == "JS000"]


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_mutation_detected(base_doc, code):
    desc, mutate, expect = MUTATIONS[code]
    doc = copy.deepcopy(base_doc)
    mutate(doc)
    findings = check(doc)
    assert expect(findings), (desc, expect.__doc__, [(f.rule, f.severity, f.message, f.places[:2]) for f in findings])
    assert not [f for f in findings if f.rule == "JS000"], [f.message for f in findings if f.rule == "JS000"]


def test_mutation_selected_rule_only(base_doc):
    doc = copy.deepcopy(base_doc)
    MUTATIONS["JS101"][1](doc)
    assert {f.rule for f in check(doc, select=["JS101"])} == {"JS101"}
    assert "JS101" not in {f.rule for f in check(doc, ignore=["JS10"])}


ROUNDING_ONLY = {
    "T5 2010350 小计 +0.01": lambda d: cell(d, "T5", "小计", code="2010350", delta="0.01"),
    "T1 201 类 +0.01": lambda d: cell(d, "T1", "决算数", "expenditure:201", delta="0.01"),
    "T2 合计 本年收入合计 −0.01": lambda d: cell(d, "T2", "本年收入合计", "合计", delta="-0.01"),
    "T6 30101 基本工资 +0.01": lambda d: cell(d, "T6", "决算数", code="30101", delta="0.01"),
    "T3 合计 基本支出 −0.01": lambda d: cell(d, "T3", "基本支出", "合计", delta="-0.01"),
    "五（二）写 28.61（表 28.60）": lambda d: sub(d, "narrative.5.2", "28.60万元", "28.61万元"),
    "五（三）年初预算合计写 1365.19":
        lambda d: sub(d, "narrative.5.3", "年初预算为1365.18万元", "年初预算为1365.19万元"),
    "整体自评表项目支出总额写 9407094.37 元（940.709437 万元，表 940.70）":
        lambda d: setattr(overall(d), "project_total", "9407094.37"),
    "打分式自评表资金来源 25.00 + 0.85 = 25.85（全年执行数 25.84）":
        lambda d: setattr(scored(d), "sources", [FundRow("当年财政拨款", 1, "35", "35", "25.00"),
                                                FundRow("上年结转资金", 1, "", "", "0.85")]),
    "打分式部门整体自评表（各项与决算表一致）": _scored_overall,
}


@pytest.mark.parametrize("name", sorted(ROUNDING_ONLY))
def test_rounding_only_perturbations_are_info_at_most(base_doc, name):
    doc = copy.deepcopy(base_doc)
    ROUNDING_ONLY[name](doc)
    findings = check(doc)
    bad = [(f.rule, f.severity, f.message) for f in findings if f.severity == "error"
           or (f.severity == "warning" and f.rule != "JS406")]
    assert not bad, bad


def mutation_table() -> str:
    lines = ["# 变异测试：每条规则检出的注入错误", "",
             "本文件由 `tests/test_rules_mutations.py` 的 `mutation_table()` 生成，测试检查它是否最新。"
             "每一行：在示例（examples/hanyang-bdc-2023）生成的文档中注入一处错误，断言该规则在所列位置报出。", "",
             "| 规则 | 标题 | 注入的错误 | 期望 |", "| --- | --- | --- | --- |"]
    all_rules()
    for code in sorted(MUTATIONS):
        desc, _, expect = MUTATIONS[code]
        lines.append(f"| {code} | {REGISTRY[code].title} | {desc} | `{expect.__doc__}` |")
    lines += ["", "舍入范围内的扰动（只应报提示）：", ""]
    lines += [f"- {k}" for k in sorted(ROUNDING_ONLY)]
    return "\n".join(lines) + "\n"


def test_mutation_table_doc_up_to_date():
    path = ROOT / "docs" / "rules-mutations.md"
    assert path.read_text(encoding="utf-8") == mutation_table(), \
        "docs/rules-mutations.md is stale: regenerate it with mutation_table()"


def test_item_amount_in_section_five_three(base_doc):
    doc = copy.deepcopy(base_doc)
    sub(doc, "narrative.5.3", "支出决算为37.16万元", "支出决算为37.96万元")
    got = [f for f in check(doc, select=["JS301", "JS304"]) if f.severity == "error"]
    assert {f.rule for f in got} == {"JS301", "JS304"}
    js301 = next(f for f in got if f.rule == "JS301")
    assert js301.figures == ("37.96", "37.16")
    assert js301.places[0].sentence.startswith("3.社会保障和就业支出（类）")
    assert js301.places[1].row.startswith("2080505")


def _leaf_cells(doc):
    for tid in ("T2", "T3", "T5", "T6"):
        t = doc.tables[tid]
        for r in t.rows:
            if len(r.code) in (5, 7) and (tid != "T6" or len(r.code) == 5):
                for col, v in r.cells.items():
                    if v:
                        yield tid, r.code, col


def test_every_leaf_moved_by_one_unit_is_info_at_most(base_doc):
    """A single leaf figure off by 0.01 (what per-table 舍位平衡 produces) never yields an error."""
    doc = copy.deepcopy(base_doc)
    cells = list(_leaf_cells(doc))
    assert len(cells) > 40
    for i, (tid, code, col) in enumerate(cells):
        row = doc.tables[tid].row(code=code)
        old = row.cells[col]
        delta = D("0.01") if i % 2 == 0 or old <= D("0.01") else D("-0.01")   # never make an item vanish
        row.cells[col] = old + delta
        try:
            bad = [(f.rule, f.message) for f in check(doc, select=["JS1", "JS2", "JS3"]) if f.severity != "info"]
        finally:
            row.cells[col] = old
        assert not bad, (tid, code, col, str(delta), bad)


def test_shanghai_variant_of_example_is_clean(base_doc):
    from juesuan.final.build import build_tables
    from juesuan.final.narrative import build_document
    from juesuan.final.readers import load
    d, _ = load(EXAMPLE)
    doc = build_document(d, build_tables(d, "shanghai"))
    # no 重点工作 part in Shanghai's layout (so no JS406); the template's 十 预算绩效管理情况 clauses the
    # data has no figures for are placeholders juesuan wrote itself: listed by the build, not by JS603
    found = [f for f in check(doc) if f.severity != "info"]
    assert found == []
    assert "【待填写：预算绩效管理制度名称及工作机制】" in doc.placeholders
