"""Published 部门预算 read as the budget kind (issue 18): every sample's tables, rows and figures.

The samples are in tests/fixtures/samples/budgets (excerpts of the large ones: their cover, 目录
and table pages; tests/fixtures/samples/README.md). Each test names the page of the fixture whose
image the figures were checked against by eye (``pdftoppm -r 80 -f N -l N``). Row counts are
exact: a table or a row dropped by the reader fails them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import EXAMPLE, SAMPLES

from juesuan.budget.forms import targets
from juesuan.cli import main
from juesuan.errors import InputError
from juesuan.pipeline import kind_named, parse

BUDGETS = SAMPLES / "budgets"
BEIJING = [BUDGETS / "beijing-shenjiju-2026-budget-text.pdf", BUDGETS / "beijing-shenjiju-2026-budget-tables.pdf"]


def _d(s: str) -> Decimal:
    return Decimal(s)


@pytest.fixture(scope="module")
def beijing():
    return parse(BEIJING)


@pytest.fixture(scope="module")
def chongqing():
    return parse(BUDGETS / "chongqing-swu-2024-budget-excerpt.pdf")


@pytest.fixture(scope="module")
def guangzhou():
    return parse(BUDGETS / "guangzhou-fagaiwei-2026-budget-excerpt.pdf")


@pytest.fixture(scope="module")
def jiangsu():
    return parse(BUDGETS / "jiangsu-gaoyuan-2019-budget-excerpt.pdf")


@pytest.fixture(scope="module")
def shenzhen():
    return parse(BUDGETS / "shenzhen-caizhengju-2026-budget.pdf")


@pytest.fixture(scope="module")
def xian():
    return parse(BUDGETS / "xian-yibaoju-2022-budget-excerpt.pdf")


def _rows(p) -> dict[str, int]:
    """Rows read, by table (a two-sided table: the rows the document prints on both sides)."""
    return {t.id: sum(1 for r in t.rows if r.label) for t in p.document.tables}


def _row(p, tid: str, key: str | None = None, *, code: str | None = None, label: str | None = None, side=None):
    r = p.document.tables[tid].row(key, code=code, label=label, side=side)
    assert r is not None, (tid, key, code, label)
    return r


def _sure(p) -> None:
    """No table of ``p`` has a line it could not read or a cell read ambiguously."""
    for tid, info in p.coverage.tables.items():
        c = info.get("certainty")
        if c:
            assert c["unread_lines"] == 0 and c["ambiguous"] == 0 and c["unread"] == 0, (tid, c)


def test_beijing_text_and_tables_are_read_as_one_budget(beijing):
    p = beijing
    assert p.kind == "budget" and p.variant == "beijing" and p.document.year == 2026
    assert p.coverage.kind_title == "部门预算公开" and p.coverage.pages == 10 + 21
    assert "第一部分" not in str(p.coverage.sections)
    assert [s.key for s in p.document.part("narrative").sections][:2] == ["narrative.1", "narrative.2"]
    assert _rows(p) == {"Y1": 41, "Y2": 1, "Y3": 65, "Y4": 38, "Y5": 26, "Y6": 43, "Y8": 1, "Y9": 1, "Y7": 1,
                        "Y12": 3, "Y13": 24}
    # the two 绩效目标表 (预算表12, 预算13表) as forms
    assert p.coverage.tables["Y11"] == {"found": True, "form": True, "count": 1}
    assert p.coverage.tables["Y15"] == {"found": True, "form": True, "count": 1}
    _sure(p)
    # tables file p1 (预算01表 收支总表)
    assert _row(p, "Y1", "income:general").cells["预算数"] == _d("32365.090089")
    assert _row(p, "Y1", "balance:opening").cells["预算数"] == _d("471.963743")
    assert _row(p, "Y1", "expenditure:201").cells["预算数"] == _d("26661.064552")
    assert _row(p, "Y1", "grand_total:expenditure").cells["预算数"] == _d("32852.053832")
    # each line names its file: the tables' first page is page 1 of the tables file
    y1 = p.document.tables["Y1"]
    assert y1.source["file"].endswith("budget-tables.pdf") and y1.source["page"] == 1
    # p2 (预算02表 收入总表): the columns named by the ruled header above them
    y2 = _row(p, "Y2", "合计").cells
    assert y2["合计"] == _d("32852.053832") and y2["本年收入/其他收入"] == _d("15.000000")
    assert y2["上年结转结余/单位资金"] == _d("35.117193")
    # p5 (预算05表): its 项 rows by unit, each kept; the 合计 row
    assert [r.code for r in p.document.tables["Y5"].rows].count("2010801") == 2
    total = _row(p, "Y5", "合计").cells
    assert (total["合计"], total["人员经费"], total["项目支出总数"]) == (
        _d("32801.936639"), _d("23545.680500"), _d("7583.399054"))
    # p9 (预算09表 三公)
    three = _row(p, "Y7", "合计").cells
    assert three == {"合计": _d("244.848000"), "因公出国（境）费": _d("173.520000"), "公务接待费": _d("6.000000"),
                     "公务用车购置及运行维护费": _d("65.328000"), "公务用车购置费": _d("37.380000"),
                     "公务用车运行维护费": _d("27.948000")}
    # p11 (预算11表 政府购买服务)
    assert _row(p, "Y13", "合计").cells["预算金额"] == _d("3756.180280")


def test_beijing_performance_targets_are_forms_with_their_indicators(beijing):
    forms = targets(beijing.document)
    assert [f.table for f in forms] == ["Y11", "Y15"]
    project, overall = forms
    assert len(project.indicators) >= 150 and len(overall.indicators) >= 30
    # tables file p12: 《北京审计》杂志办刊经费, 每期印刷数量 ＝ 900 册
    first = next(i for i in project.indicators if i.name == "每期印刷数量")
    assert (first.level1, first.level2, first.value, first.unit) == ("产出指标", "数量指标", "＝900", "册")
    # p18: 部门整体支出绩效目标表, 出具数据分析报告 ＝ 4 份
    assert any(i.name == "出具数据分析报告" and i.value == "＝4" and i.unit == "份" for i in overall.indicators)
    # p12: each project's amounts, on its first line (项目总额, 其中：财政资金 / 其他资金), named by the project
    amounts = dict(project.amounts)
    assert amounts["11000022T0000004602 16-《北京审计》杂志办刊经费/项目总额"] == _d("17.398000")
    assert amounts["11000022T0000004602 16-《北京审计》杂志办刊经费/财政资金"] == _d("17.398000")
    assert amounts["11000024T0000028752 31-项目及手续费等支出/其他资金"] == _d("50.117193")
    assert len(amounts) == 34 and project.unread == 1   # (p17: a project's name and amounts printed off the page)
    # p20: the department's funds under 财政拨款 and 其他资金
    assert overall.amounts[:4] == [("预算支出总额", _d("32852.053832")), ("财政拨款/合计", _d("32801.936639")),
                                   ("财政拨款/基本支出", _d("25218.537585")), ("财政拨款/项目支出", _d("7583.399054"))]


def test_chongqing_university(chongqing):
    p = chongqing
    assert (p.kind, p.variant, p.document.entity, p.document.year) == ("budget", "university", "西南大学", 2024)
    assert _rows(p) == {"Y1": 16, "Y2": 1, "Y3": 26, "Y14": 26}
    # excerpt p4 (original p8, 西南大学收支预算总表)
    y1 = {r.key: r.cells["预算数"] for r in p.document.tables["Y1"].rows}
    assert y1["income:fiscal"] == _d("244675.66") and y1["income:business"] == _d("141934.81")
    assert y1["balance:use_of_nonfiscal_balance"] == _d("30367.97") and y1["balance:opening"] == _d("106848.41")
    assert y1["grand_total:income"] == y1["grand_total:expenditure"] == _d("582276.35")
    assert y1["expenditure:205"] == _d("452738.18")
    # 结转下年's figure is set low in its ruled cell, beside no other figure of its column: one row
    closing = _row(p, "Y1", "balance:closing")
    assert closing.cells["预算数"] == _d("95721.40") and closing.reading("预算数").exact
    _sure(p)
    # p5 (收入预算表): 事业收入 金额 and 其中：教育收费 in their own columns
    y2 = _row(p, "Y2", "合计").cells
    assert y2["事业收入/金额"] == _d("141934.81") and y2["事业收入/其中：教育收费"] == _d("86701.51")
    # p6 (支出预算表)
    assert _row(p, "Y3", code="2050205").cells == {"合计": _d("410576.01"), "基本支出": _d("306012.89"),
                                                   "项目支出": _d("104563.12")}
    # 项目绩效目标表 (p8–p10): one form each, with its amounts
    forms = targets(p.document)
    assert len(forms) == 3 and forms[0].amounts[0] == ("年度资金总额：", _d("1960.35"))
    first = forms[0].indicators[0]      # (its 分值 5 is not a unit)
    assert (first.level1, first.level2, first.name, first.value, first.unit) == (
        "产出指标", "数量指标", "基础学科拔尖创新基地", "≥1个", "")
    # p9 (original p19): the indicators whose value has no ≥/＝ are read by the header's 指标值 column
    got = [(i.level1, i.level2, i.name, i.value) for i in forms[0].indicators]
    assert len(got) == 18 and got[-6:-2] == [
        ("产出指标", "时效指标", "项目按期完工率", "=100%"),
        ("效益指标", "社会效益指标", "深化产学研合作提高人才培养质量作用", "显著"),
        ("效益指标", "社会效益指标", "增强学生社会责任感、创新意识和实践能力", "显著"),
        ("效益指标", "社会效益指标", "提升学校人才培养质量", "显著")]
    # p10 (original p20): the second form's five, 按时 and 显著 among them (the third goes on to a page
    # the excerpt leaves out: its first indicator only)
    assert [(i.level2, i.name, i.value) for i in forms[1].indicators] == [
        ("数量指标", "奖助学生人次", "≥2100人次"), ("质量指标", "学生奖助学金覆盖面", "≥70%"),
        ("时效指标", "奖助学金发放及时性", "按时"), ("社会效益指标", "促进高层次拔尖创新人才培养", "显著"),
        ("服务对象满意度指标", "获得资助研究生满意度", "≥90%")]
    assert [len(f.indicators) for f in forms] == [18, 5, 1]


def test_guangzhou_guangdong_layout(guangzhou):
    p = guangzhou
    assert (p.kind, p.variant, p.document.year) == ("budget", "guangdong", 2026)
    assert p.document.entity == "广州市发展和改革委员会"
    assert _rows(p) == {"Y1": 41, "Y2": 7, "Y3": 40, "Y4": 31, "Y5": 40, "Y6": 40, "Y16": 28, "Y17": 7, "Y8": 1,
                        "Y9": 1, "Y18": 26, "Y10": 7}
    _sure(p)
    # p12 (表5, [2220115]粮食风险基金: a code printed in brackets with its name)
    assert _row(p, "Y5", code="2220115").cells["合计"] == _d("47500.00")
    assert _row(p, "Y5", "合计").cells == {"合计": _d("155723.39"), "基本支出": _d("16877.61"),
                                                "项目支出": _d("138845.78")}
    # p18 (表8 行政经费及“三公”经费)
    y17 = {r.label: r.cells for r in p.document.tables["Y17"].rows}
    assert y17["行政经费"]["合计"] == _d("1755.94") and y17["“三公”经费"]["一般公共预算"] == _d("88.23")
    assert y17["（三）公务接待费支出"]["合计"] == _d("17.69")


def test_jiangsu_2019_twelve_tables(jiangsu):
    p = jiangsu
    assert (p.kind, p.variant, p.document.year) == ("budget", "jiangsu2019", 2019)
    assert p.document.entity == "江苏省高级人民法院"
    assert list(p.document.tables.tables) == ["Y1", "Y2", "Y3", "Y4", "Y14", "Y19", "Y5", "Y6", "Y26", "Y8", "Y20",
                                              "Y12"]
    assert _rows(p) == {"Y1": 35, "Y2": 3, "Y3": 1, "Y4": 7, "Y14": 18, "Y19": 34, "Y5": 18, "Y6": 34, "Y26": 1,
                        "Y8": 1, "Y20": 17, "Y12": 42}
    # p9 (公开09表 “三公”经费、会议费、培训费): 公务用车购置费 printed blank
    y26 = _row(p, "Y26", "合计").cells
    assert y26["合计"] == _d("2382.02") and y26["会议费"] == _d("271.02") and y26["培训费"] == _d("1597.25")
    assert y26["“三公”经费/公务用车运行维护费"] == _d("266.80") and not y26["“三公”经费/公务用车购置费"]
    # p5 (公开05表)
    assert _row(p, "Y14", code="2040501").cells["金额"] == _d("17279.29")
    # p3 (公开01表): 当年收入小计 is the year's income, 收入合计 the grand total; 支出用途 rows on the right
    assert _row(p, "Y1", "income:total").cells["预算数"] == _row(p, "Y1", "grand_total:income").cells["预算数"] \
        == _d("37188.34")
    assert _row(p, "Y1", "expenditure:reserve").cells["预算数"] == _d("5011.40")
    # 当年支出小计 and 支出合计 are merged over the 功能分类 and 支出用途 columns: their figure is the
    # cell after the span, read for sure (not a figure of a blank 支出用途 row)
    assert _row(p, "Y1", "expenditure:total").reading("预算数").exact
    assert _row(p, "Y1", "grand_total:expenditure").cells["预算数"] == _d("37188.34")
    _sure(p)


def test_shenzhen_lists_kuan_and_xiang_under_their_classes(shenzhen):
    p = shenzhen
    assert (p.kind, p.variant, p.document.entity) == ("budget", "shenzhen", "深圳市财政局（本级）")
    assert _rows(p) == {"Y1": 48, "Y2": 1, "Y3": 30, "Y18": 38, "Y10": 9, "Y4": 42, "Y5": 30, "Y21": 43, "Y7": 3,
                        "Y8": 1, "Y9": 1}
    # p16 (表1 收支总表): 财政事务 and 行政运行 … printed by name under 一、一般公共服务支出, coded here
    y1 = p.document.tables["Y1"]
    assert [r.code for r in y1.rows if r.code.startswith("201")] == ["201", "20106", "2010601", "2010602",
                                                                      "2010605", "2010607"]
    assert _row(p, "Y1", code="2010601").cells["预算数"] == _d("6487.76")
    assert _row(p, "Y1", code="2010602").cells["预算数"] == _d("11732.23")
    assert _row(p, "Y1", code="2080501").cells["预算数"] == _d("477.81")
    assert _row(p, "Y1", "income:fiscal").cells["预算数"] == _d("36989.05")
    assert y1.certainty()["unread_lines"] == 0
    # p31 (表7): its first row is the unit's own (深圳市财政局（本级）, no code, no 合计 printed): the total
    total = _row(p, "Y5", "合计")
    assert total.cells["合计"] == _d("37385.88") and total.reading("合计").exact
    assert p.coverage.unreadable == []
    # p38 (表9 三公, by year): 2026年 总计 58.46 = 出国 41.60 + 接待 9.46 + 车 7.40 (运行 7.40), by fund
    y7 = p.document.tables["Y7"]
    assert {c.key: c.header for c in y7.layout.columns}["3p:reception"] == "公务接待费/一般公共预算"
    cells = _row(p, "Y7", label="2026年").cells
    assert [cells[c.header] for c in y7.layout.columns if ":" not in c.key[3:]] == [
        _d("58.46"), _d("41.60"), _d("9.46"), _d("7.40"), _d("0.00"), _d("7.40")]
    assert cells["总计/政府性基金预算"] == 0 and len(cells) == 18


def test_shenzhen_three_public_is_checked_by_its_identities(shenzhen):
    """The 三公 table's columns carry the keys of the 三公 identities (YS105): a figure changed in it
    is an error at its cell; as printed, none."""
    import copy

    from juesuan.pipeline import check

    budget = kind_named("budget")
    assert not [f for f in check(shenzhen.document, kind=budget) if f.severity == "error"]
    doc = copy.deepcopy(shenzhen.document)
    row = doc.tables["Y7"].row(label="2026年")
    row.cells["公务接待费/一般公共预算"] = _d("19.46")
    row.readings["公务接待费/一般公共预算"] = row.readings["公务接待费/一般公共预算"]._replace(value=_d("19.46"))
    errors = [f for f in check(doc, kind=budget) if f.severity == "error"]
    assert errors and {f.rule for f in errors} == {"YS105"}


def test_xian_in_yuan_four_columns_of_rows(xian):
    p = xian
    assert (p.kind, p.variant, p.document.year) == ("budget", "xian", 2022)
    # every table of 表1–表16 (excerpt page n is published page n + 24 from page 3 on)
    assert _rows(p) == {"Y1": 97, "Y2": 5, "Y3": 5, "Y4": 83, "Y27": 28, "Y21": 43, "Y22": 28, "Y6": 43, "Y24": 0,
                        "Y10": 45, "Y23": 0, "Y12": 50, "Y26": 5}
    assert all(p.coverage.tables[t] == {"found": True, "form": True, "count": 1} for t in ("Y11", "Y15", "Y25"))
    _sure(p)
    assert p.document.tables["Y1"].unit == "元"      # as printed; the figures are held in 万元
    # p5 (表1 收支总表, 单位：元): income, 功能分类 and the two economic classifications side by side
    assert _row(p, "Y1", "income:total").cells["预算数"] == _d("48054.422162")
    assert _row(p, "Y1", "dept_econ:project:313").cells["预算数"] == _d("42668.00")
    assert _row(p, "Y1", "gov_econ:509").cells["预算数"] == _d("17.634")
    # p9 (表5, 元 with and without decimals): 2101103 公务员医疗补助 3795026.26 | 195026.26 | 0 | 3600000
    assert _row(p, "Y27", code="2101103").cells == {
        "合计": _d("379.502626"), "人员经费支出": _d("19.502626"), "公用经费支出": Decimal("0"),
        "专项业务经费支出": _d("360")}
    assert _row(p, "Y27", "合计").cells["合计"] == _d("48054.42216")
    # p16 (表10 专项业务经费支出表, its first page): 城乡居民基本医疗保险补助专项资金 329400000 元
    assert _row(p, "Y10", label="城乡居民基本医疗保险补助专项资金").cells["项目金额"] == _d("32940")
    # p17 (its second page, published p41): 医保基金行政执法标准化建设 1500000 元, the last row
    assert p.document.tables["Y10"].rows[-1].label == "医保基金行政执法标准化建设"
    assert p.document.tables["Y10"].rows[-1].cells["项目金额"] == _d("150")
    # p21 (表13 三公、会议费、培训费, published p45), 合计 row, 2022年: 627300 = 35000 + 202300 + 390000;
    # 三公 35000 = 0 + 10000 + 25000; the columns of this year carry the identities' keys
    y26 = p.document.tables["Y26"]
    head = {c.key: c.header for c in y26.layout.columns}
    total = _row(p, "Y26", "合计").cells
    assert [total[head[k]] for k in ("total", "3p:total", "3p:abroad", "3p:reception", "3p:vehicle",
                                     "3p:vehicle_purchase", "3p:vehicle_operation", "meeting", "training")] == [
        _d("62.73"), _d("3.5"), 0, _d("1"), _d("2.5"), 0, _d("2.5"), _d("20.23"), _d("39")]
    assert total[head["prev:total"]] == _d("55.18") and total[head["change:3p:reception"]] == _d("-2.04")
    # … so the 三公 rule (YS105) checks them: 公务接待费 changed to 2 (2万元) is an error
    import copy

    from juesuan.pipeline import check
    doc = copy.deepcopy(p.document)
    row = doc.tables["Y26"].row("合计")
    row.cells[head["3p:reception"]] = _d("2")
    row.readings[head["3p:reception"]] = row.readings[head["3p:reception"]]._replace(value=_d("2"))
    assert {f.rule for f in check(doc, kind=kind_named("budget")) if f.severity == "error"} == {"YS105"}


def test_xian_performance_targets_without_operators(xian):
    """Xi'an's 绩效目标表 print most values without ≥/≤/＝ (10余次, 全年, 100%): read by the header's
    指标值 column; the 部门整体 table's tasks with their amounts."""
    project, overall, special = targets(xian.document)
    assert (project.table, overall.table, special.table) == ("Y11", "Y15", "Y25")
    # p22 (表14, published p46): the first rows, and the levels merged down over the lines under them
    got = [(i.level1, i.level2, i.name, i.value) for i in project.indicators]
    assert got[:3] == [("产出指标", "数量指标", "媒体宣传等", "10-15项"),
                       ("产出指标", "数量指标", "重点工作会议培训", "10余次"),
                       ("产出指标", "数量指标", "办公设备购置等", "约6类")]
    assert ("产出指标", "质量指标", "行政执法标准化建设", "逐步达标") in got
    # p23 (published p47): the table goes on under 质量指标, then 时效 and 成本指标
    assert ("产出指标", "质量指标", "系统正常运行率", "≥95%") in got
    assert ("产出指标", "成本指标", "DRGs国家试点工作经费", "350万元") in got
    assert got[-1] == ("满意度指标", "服务对象满意度指标", "服务对象满意度", "＞80%") and len(got) == 54
    assert project.amounts == [("实施期资金总额：", _d("3075.23")), ("其中：财政拨款", _d("3075.23"))]
    # p24 (表15, published p48): the tasks' amounts (总额, 财政拨款), 金额合计 5386.42
    amounts = dict(overall.amounts)
    assert amounts["任务1 机关运行及人员经费保障/总额"] == _d("2311.19")
    assert amounts["任务11 医疗保障基金监管工作/财政拨款"] == _d("713")
    assert amounts["金额合计/总额"] == _d("5386.42") and len(amounts) == 24
    # its 产出指标 printed downwards in the merged cell (a character a line), 数量指标 going on to p25
    first = overall.indicators[0]
    assert (first.level1, first.level2, first.name, first.value) == ("产出指标", "数量指标", "媒体宣传等", "10-15项")
    on25 = next(i for i in overall.indicators if i.name == "智能识别审核")
    assert (on25.level1, on25.level2, on25.value) == ("产出指标", "数量指标", "21800份")
    cost = next(i for i in overall.indicators if i.name == "人员及公用经费支出")
    assert (cost.level1, cost.level2, cost.value) == ("产出指标", "成本指标", "2311.19万元")
    assert overall.unread == 0
    # p26 (表16): a blank template (指标1：, 指标2：) — no indicator read from it
    assert special.indicators == [] and special.amounts == []


def test_the_budget_is_not_read_as_a_final_when_asked_for_one():
    with pytest.raises(InputError, match="部门预算公开"):
        parse(BUDGETS / "shenzhen-caizhengju-2026-budget.pdf", kind_named("final"))


def test_cli_parse_reads_text_and_tables_as_one(tmp_path, capsys):
    out = tmp_path / "bj.json"
    assert main(["parse", *map(str, BEIJING), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "文档类型：部门预算公开（budget）" in err and "北京市表式" in err
    import json
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["coverage"]["kind"] == {"name": "budget", "title": "部门预算公开"}
    assert data["coverage"]["variant"]["name"] == "beijing"
    assert len(data["coverage"]["tables"]) == 13


def test_cli_check_reads_text_and_tables_as_one_and_says_what_it_checked(capsys):
    assert main(["check", *map(str, BEIJING)]) == 0
    cap = capsys.readouterr()
    assert "budget-text.pdf + " in cap.out and "北京市表式" in cap.out and "0 个错误" in cap.out
    assert "部门预算公开目前只核对表内勾稽关系" in cap.err
    # several sources are published files, or refused
    assert main(["check", str(BEIJING[1]), str(EXAMPLE)]) == 2
    assert "每个都须是已公开的文件" in capsys.readouterr().err


def test_what_the_budget_kind_does_not_do_yet_is_refused_in_chinese(tmp_path, capsys):
    budget = kind_named("budget")
    with pytest.raises(InputError, match="文件或目录不存在"):
        budget.load(tmp_path / "x.yaml")
    # read back as data: a file whose title (and so its unit) cannot be read says so, it is not made up
    assert main(["parse", str(BEIJING[1]), "--format", "data"]) == 2
    assert "没有读出单位名称" in capsys.readouterr().err


def test_a_ruled_listing_in_yuan_converts_amounts_only():
    """A ruled listing in 元 (Xi'an's 政府采购预算表): its columns named by the header cells above them,
    amounts converted to 万元, a quantity and a code kept as printed; a blank cell keeps its column."""
    from juesuan.budget.layouts import VARIANTS
    from juesuan.catalog import catalog
    from juesuan.parse.source import SourceLine
    from juesuan.parse.tabular import Region, read_table
    from juesuan.parse.trace import Trace

    def row(*cells, line):
        return SourceLine(list(cells), page=1, line=line, grid=True)

    title = SourceLine(["表12 政府采购预算表"], page=1, line=1)
    lines = [SourceLine(["单位：元"], page=1, line=2),
             row("单位名称", "采购项目", "经济科目编码", "数量", "预算金额", line=3),
             row("合计", "", "", "3", "150000.00", line=4),
             row("西安市医疗保障局", "设备购置", "31002", "2", "120000", line=5),
             row("西安市医疗保障局", "运行维护服务", "30213", "", "30000", line=6)]
    lay = VARIANTS["xian"].layouts["Y12"]
    t = read_table(Region("Y12", "xian", title, lines), lay, catalog(2022), 2022, "", Trace(), {})
    assert t.unit == "元" and [r.label for r in t.rows] == ["合计", "西安市医疗保障局设备购置",
                                                             "西安市医疗保障局运行维护服务"]
    assert t.rows[0].cells == {"经济科目编码": Decimal(0), "数量": _d("3"), "预算金额": _d("15")}
    assert t.rows[1].cells == {"经济科目编码": _d("31002"), "数量": _d("2"), "预算金额": _d("12")}
    assert t.rows[2].cells["数量"] == 0 and t.rows[2].cells["预算金额"] == _d("3")
