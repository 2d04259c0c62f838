"""Checks across a unit's 预算 and 决算 (juesuan.across, YJ1xx; issue 18 "Across documents").

The 决算 is the bundled example (built from its data, and as its published text in
tests/fixtures/samples); the 预算 is written as a published extraction prints it
(tests/budgettext.py) from the figures the 决算 states — its 年初预算 by 项, its 三公 预算数, its
projects' 预算数 and 年初目标值 — and read back by the budget reader. The pair agrees: no finding.
Each difference injected into the budget as read (one figure, one project, one indicator) gives
exactly the expected finding, with a place in each document; a figure not read for sure gives
"无法核对"; a budget of another year or unit is refused.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
import yaml
from budgettext import budget_text
from conftest import EXAMPLE, ROOT, SEED

from juesuan.across.rules import catalogue_markdown
from juesuan.cli import main
from juesuan.pipeline import build, check_pair, parse

D = Decimal
# 五（三） of the example as built (the 决算's own balancing of tails: 23.82, 4.78)
BUILT_ITEMS = {"2010350": D("217.50"), "2010399": D("1070.79"), "2080505": D("20.48"), "2080506": D("0.00"),
               "2101102": D("8.92"), "2101103": D("15.89"), "2130599": D("3.00"), "2210201": D("23.82"),
               "2210202": D("4.78")}
# as the published text states them (住房公积金 23.83; their sum 1365.19, its total 1370.19)
PUBLISHED_ITEMS = {**BUILT_ITEMS, "2210201": D("23.83")}
FINAL = "决算/hanyang-2023"


@pytest.fixture(scope="module")
def data():
    return yaml.safe_load((EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def final():
    return build(EXAMPLE).document


@pytest.fixture(scope="module")
def budget_file(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("across") / "预算2023.txt"
    path.write_text(budget_text(data, BUILT_ITEMS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def budget(budget_file):
    return parse(budget_file).document


def _b(budget):
    return copy.deepcopy(budget)


def _set(doc, tid, column, value, *, code=None, key=None, how=None):
    """A displayed figure of the budget changed (and how it was read, when ``how`` is given)."""
    row = doc.tables[tid].row(key, code=code)
    assert row is not None, (tid, code, key)
    v = D(value)
    row.cells[column] = v
    old = row.readings[column]
    row.readings[column] = old._replace(value=v, text=str(v), **({"how": how, "confidence": 0.5} if how else {}))


def _check(final, budget):
    return check_pair(final, budget, FINAL, "预算2023.txt")


def _files(f):
    return {p.file for p in f.places}


def test_the_budget_text_is_read_as_the_units_budget(budget):
    from juesuan.budget.forms import targets
    assert (budget.entity, budget.year) == ("武汉市汉阳区大数据中心", 2023)
    y5 = budget.tables["Y5"]
    assert y5.row("合计").cells["合计"] == D("1365.18")
    assert y5.row(code="2210202").cells["合计"] == D("4.78")
    assert len([r for r in budget.tables["Y10"].rows if r.label != "合计"]) == 15
    forms = targets(budget)
    assert len(forms) == 15 and forms[0].project == "OA系统运行维护费"
    assert ("≥2个", "系统对接业务数量") in {(i.value, i.name) for i in forms[0].indicators}


def test_a_consistent_pair_has_no_finding(final, budget):
    assert _check(final, budget) == []


def test_the_published_final_misstates_its_initial_budget_and_the_budget_shows_it(data, tmp_path):
    """The published text of the example says 年初预算 1370.19 万元 while its items add to 1365.19:
    a budget consistent with the items disagrees with the total, and nothing else (the 自评表's
    "0A系统运行维护费" is the budget's OA系统运行维护费, said as an info)."""
    path = tmp_path / "预算.txt"
    path.write_text(budget_text(data, PUBLISHED_ITEMS), encoding="utf-8")
    found = check_pair(parse(SEED).document, parse(path).document, str(SEED), str(path))
    assert [(f.rule, f.severity) for f in found] == [("YJ101", "error"), ("YJ104", "info")], found
    total = found[0]
    assert "决算为 1370.19 万元，预算为 1365.19 万元" in total.message and "相差 5.00" in total.message
    final_place, budget_place = total.places
    assert (final_place.file, final_place.line, final_place.section) == (str(SEED), 375, "五（三）")
    assert (budget_place.file, budget_place.table, budget_place.row, budget_place.column) == (
        str(path), "Y5", "合计", "合计")
    assert "“0A系统运行维护费”与预算的“OA系统运行维护费”写法不同" in found[1].message


def test_an_item_of_the_initial_budget_differs(final, budget):
    b = _b(budget)
    _set(b, "Y5", "合计", "5.78", code="2210202")          # 4.78 in the 决算 (its 五（三） item 9)
    found = _check(final, b)
    assert [(f.rule, f.severity) for f in found] == [("YJ102", "error")], found
    f = found[0]
    assert "提租补贴（项）" in f.message and "决算为 4.78 万元，预算为 5.78 万元" in f.message
    assert _files(f) == {FINAL, "预算2023.txt"}
    said, table = f.places
    assert said.section == "五（三）" and "年初预算为4.78万元" in said.sentence
    assert (table.table, table.row, table.column) == ("Y5", "2210202 提租补贴", "合计")


def test_a_cent_is_a_tail(final, budget):
    b = _b(budget)
    _set(b, "Y5", "合计", "4.79", code="2210202")
    assert [(f.rule, f.severity) for f in _check(final, b)] == [("YJ102", "info")]


def test_the_total_of_the_initial_budget_differs(final, budget):
    b = _b(budget)
    _set(b, "Y5", "合计", "1375.18", key="合计")
    found = _check(final, b)
    assert [(f.rule, f.severity) for f in found] == [("YJ101", "error")]
    assert "决算为 1365.18 万元，预算为 1375.18 万元" in found[0].message
    assert _files(found[0]) == {FINAL, "预算2023.txt"}


def test_a_figure_not_read_for_sure_is_not_an_error(final, budget):
    b = _b(budget)
    _set(b, "Y5", "合计", "5.78", code="2210202", how="scored")
    found = _check(final, b)
    assert [(f.rule, f.severity) for f in found] == [("YJ102", "info")]
    assert found[0].message.startswith("无法核对") and "读法不确定" in found[0].message


def test_an_item_the_budget_does_not_list(final, budget):
    b = _b(budget)
    y5 = b.tables["Y5"]
    y5.rows = [r for r in y5.rows if r.code != "2210202"]
    found = _check(final, b)
    assert [(f.rule, f.severity) for f in found] == [("YJ102", "error")]
    assert "没有列出该科目（2210202）" in found[0].message
    assert found[0].places[1].note == "未列示"
    # with a line of the table unread, the row may be on it: 无法核对
    y5.unread = [{"line": 90, "text": "2210202 提租补贴 4.78"}]
    found = _check(final, b)
    assert [(f.rule, f.severity) for f in found] == [("YJ102", "info")] and "无法核对" in found[0].message


def test_a_three_public_item_differs_as_a_warning(final, budget):
    b = _b(budget)
    _set(b, "Y7", "公务接待费", "1.00", key="合计")
    found = _check(final, b)
    assert [(f.rule, f.severity) for f in found] == [("YJ103", "warning")]
    f = found[0]
    assert "公务接待费" in f.message and "可能是调整后的全年预算" in f.message
    mine, theirs = f.places
    assert (mine.file, mine.table, mine.column) == (FINAL, "T9", "预算数/公务接待费")
    assert (theirs.file, theirs.table, theirs.column) == ("预算2023.txt", "Y7", "公务接待费")


def test_a_project_the_budget_does_not_list(final, budget):
    b = _b(budget)
    gone = "政务网络安全保障经费"
    b.tables["Y10"].rows = [r for r in b.tables["Y10"].rows if r.label != gone]
    b.forms = [f for f in b.forms if getattr(f, "project", "") != gone]
    found = _check(final, b)
    assert [(f.rule, f.severity) for f in found] == [("YJ104", "warning")]
    assert f"“{gone}”在预算的项目支出表中找不到" in found[0].message
    assert found[0].places[0].table == f"项目绩效自评表：{gone}" and found[0].places[1].file == "预算2023.txt"


def test_a_project_amount_differs(final, budget):
    b = _b(budget)
    row = b.tables["Y10"].row(label="数据治理服务")
    _set(b, "Y10", "合计", "90.00", key=row.key)
    found = _check(final, b)
    assert [(f.rule, f.severity) for f in found] == [("YJ105", "warning")]   # the 自评表 says 预算数: maybe 全年
    assert "决算为 80 万元，预算为 90.00 万元" in found[0].message     # as each prints it
    assert found[0].places[1].row == "数据治理服务"


def test_a_changed_indicator_value(final, budget):
    from juesuan.budget.forms import targets
    b = _b(budget)
    form = next(f for f in targets(b) if f.project == "OA系统运行维护费")
    ind = next(i for i in form.indicators if i.name == "系统对接业务数量")
    ind.value = "≥3个"
    found = _check(final, b)
    assert [(f.rule, f.severity) for f in found] == [("YJ106", "warning")]
    f = found[0]
    assert "“系统对接业务数量”" in f.message and "“≥2个”" in f.message and "“≥3个”" in f.message
    assert f.places[0].file == FINAL and f.places[1].file == "预算2023.txt" and f.places[1].line


def test_targets_written_otherwise_are_the_same():
    from juesuan.across.facts import value_key
    assert value_key("100%") == value_key("＝100", "%") == value_key("=100 %")
    assert value_key("≪3万元") == value_key("≤3万元")
    assert value_key("定性 优") == value_key("优")
    assert value_key("≥2个") != value_key("≥3个") and value_key("≥90%") != value_key("≤90%")


@pytest.mark.parametrize("change", ["year", "unit", "district"])
def test_a_budget_of_another_year_or_unit_is_refused(final, budget, change):
    b = _b(budget)
    if change == "year":
        b.year = 2024
    else:
        b.entity = "武汉市汉阳区政务服务中心" if change == "unit" else "武汉市江岸区大数据中心"
    _set(b, "Y5", "合计", "1375.18", key="合计")         # a difference no rule may report
    found = _check(final, b)
    assert [(f.rule, f.severity) for f in found] == [("YJ100", "warning")]
    assert "未作预算与决算的核对" in found[0].message


@pytest.mark.parametrize("name", ["汉阳区大数据中心", "武汉市汉阳区大数据中心（本级）", ""])
def test_the_same_unit_written_otherwise_is_paired(final, budget, name):
    b = _b(budget)
    b.entity = name
    _set(b, "Y5", "合计", "1375.18", key="合计")
    found = _check(final, b)
    assert "YJ101" in {f.rule for f in found}
    assert [f.severity for f in found if f.rule == "YJ100"] == (["info"] if not name else [])


def test_the_check_command_with_a_budget(budget_file, tmp_path, capsys):
    assert main(["check", str(EXAMPLE), "--budget", str(budget_file), "--select", "YJ"]) == 0
    out = capsys.readouterr().out
    assert "与预算" in out and "0 个错误" in out
    wrong = tmp_path / "预算.txt"
    wrong.write_text(budget_file.read_text(encoding="utf-8").replace(
        "2210202\t提租补贴\t4.78\t4.78", "2210202\t提租补贴\t5.78\t5.78"), encoding="utf-8")
    assert main(["check", str(SEED), "--budget", str(wrong), "--format", "json", "--select", "YJ1"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["budget"] == str(wrong) and "YJ102" in report["rules"]
    item = [f for f in report["findings"] if f["rule"] == "YJ102" and f["severity"] == "error"]
    assert len(item) == 1 and {loc["file"] for loc in item[0]["locations"]} == {str(SEED), str(wrong)}


def test_a_budget_in_two_files(budget_file, tmp_path, capsys):
    text = budget_file.read_text(encoding="utf-8")
    i, j, k = (text.index(s) for s in ("第二部分 部门预算表\n\n", "第三部分 部门预算情况说明\n一、",
                                       "第四部分 项目支出绩效目标表\n\n"))
    words, tables = tmp_path / "预算文字.txt", tmp_path / "预算报表.txt"
    words.write_text(text[:i] + text[j:k], encoding="utf-8")
    tables.write_text(text[i:j].replace("1,365.18\t281.39", "1,375.18\t291.39") + text[k:], encoding="utf-8")
    assert main(["check", str(EXAMPLE), "--budget", str(words), "--budget", str(tables), "--select", "YJ"]) == 1
    out = capsys.readouterr().out
    assert "YJ101" in out and str(tables) in out and "预算为 1375.18 万元" in out


def test_pairs_the_command_refuses(budget_file, tmp_path, capsys):
    other = tmp_path / "预算2024.txt"
    other.write_text(budget_file.read_text(encoding="utf-8").replace("2023年度", "2024年度"), encoding="utf-8")
    assert main(["check", str(EXAMPLE), "--budget", str(other)]) == 2
    assert "不是同一年度" in capsys.readouterr().err
    assert main(["check", str(EXAMPLE), "--budget", str(SEED)]) == 2          # a 决算 given as the budget
    assert "不是部门预算公开" in capsys.readouterr().err
    assert main(["check", str(other), "--budget", str(budget_file)]) == 2     # a budget checked as the 决算
    assert "不是部门决算" in capsys.readouterr().err


def test_the_catalogue_is_up_to_date():
    assert (ROOT / "docs" / "rules-across.md").read_text(encoding="utf-8") == catalogue_markdown()


def test_the_rules_command_lists_and_explains_the_family(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "预算与决算核对" in out and "YJ101" in out and "YJ106" in out
    assert main(["rules", "--explain", "YJ103"]) == 0
    out = capsys.readouterr().out
    assert "“三公”经费预算数：决算与预算不符" in out and "错误示例" in out


def test_a_scored_self_evaluation_states_the_initial_budget(final, budget):
    """财政部's scored 自评表 prints 年初预算数: a difference from the budget is an error, unless the
    自评表's money was not read for sure."""
    f = copy.deepcopy(final)
    p = next(x for x in f.forms if getattr(x, "name", "") == "数据治理服务")
    p.layout, p.initial = "scored", "90.00"
    found = _check(f, budget)
    assert [(x.rule, x.severity) for x in found] == [("YJ105", "error")]
    assert "年初预算数：决算为 90.00 万元，预算为 80.00 万元" in found[0].message
    assert found[0].places[0].column == "年初预算数" and found[0].places[0].file == FINAL
    p.unsure["money"] = "年度资金总额一行的数字挤在一起"
    found = _check(f, budget)
    assert [(x.rule, x.severity) for x in found] == [("YJ105", "info")] and "无法核对" in found[0].message


def test_every_rule_is_exercised_by_a_difference_above():
    """Each rule of the family has a test above that injects a difference it must find."""
    from juesuan.across.rules import rules
    source = (ROOT / "tests" / "test_across.py").read_text(encoding="utf-8")
    for r in rules():
        assert f'("{r.code}", ' in source, f"{r.code} has no mutation test"


def test_a_budget_in_two_files_named_otherwise_keeps_the_gate(final, budget_file, tmp_path):
    """The caller may name the budget as it likes (the store: by its record); a place in it names the
    file its line was read from, and an uncertain figure there still makes an error "无法核对"."""
    text = budget_file.read_text(encoding="utf-8")
    i, k = text.index("第二部分 部门预算表\n\n"), text.index("第三部分 部门预算情况说明\n一、")
    words, tables = tmp_path / "文字.txt", tmp_path / "报表.txt"
    words.write_text(text[:i] + text[k:], encoding="utf-8")
    tables.write_text(text[i:k], encoding="utf-8")
    b = parse([words, tables]).document
    _set(b, "Y5", "合计", "5.78", code="2210202")
    sure = check_pair(final, b, FINAL, "预算#42")
    assert [(f.rule, f.severity) for f in sure] == [("YJ102", "error")] and sure[0].places[1].file == str(tables)
    _set(b, "Y5", "合计", "5.78", code="2210202", how="scored")
    unsure = check_pair(final, b, FINAL, "预算#42")
    assert [(f.rule, f.severity) for f in unsure] == [("YJ102", "info")]


def test_a_code_listed_once_per_unit_is_added_up(final, budget):
    """Beijing's 一般公共预算支出表 lists each unit's 项 in turn: one code, several rows, added up."""
    b = _b(budget)
    y5 = b.tables["Y5"]
    k = next(i for i, r in enumerate(y5.rows) if r.code == "2210201")
    first, second = y5.rows[k], copy.deepcopy(y5.rows[k])
    second.source = {**first.source, "line": first.source["line"] + 20}
    y5.rows.insert(k + 1, second)
    for row, v in ((first, "11.91"), (second, "11.91")):
        row.cells["合计"] = D(v)
        row.readings["合计"] = row.readings["合计"]._replace(value=D(v))
    assert _check(final, b) == []                           # 11.91 + 11.91 = 23.82
    second.cells["合计"] = D("12.91")
    second.readings["合计"] = second.readings["合计"]._replace(value=D("12.91"))
    found = _check(final, b)
    assert [(f.rule, f.severity) for f in found] == [("YJ102", "error")]
    assert "决算为 23.82 万元，预算为 24.82 万元" in found[0].message
    assert [p.line for p in found[0].places[1:]] == [first.source["line"], second.source["line"]]


@pytest.fixture(scope="module")
def guangzhou():
    from conftest import SAMPLES
    return parse(SAMPLES / "budgets" / "guangzhou-fagaiwei-2026-budget-excerpt.pdf").document


def test_what_is_read_of_a_published_budget(guangzhou):
    """Guangzhou's budget (p12 一般公共预算支出情况表, p16 行政经费及“三公”经费预算表, p35 项目支出表):
    what the cross checks hold a 决算 against."""
    from juesuan.across.facts import BudgetSide
    side = BudgetSide(guangzhou, "广州.pdf")
    assert side.function_table() == ("Y5", "合计")
    assert side.function_total("Y5", "合计").text == "155723.39"
    tid, tp = side.three_public()
    assert tid == "Y17" and {k: v.text for k, v in tp.items()} == {
        "total": "88.23", "abroad": "64.00", "vehicle_purchase": "0.00", "vehicle_operation": "6.54",
        "reception": "17.69"}
    listed, full = side.projects()
    assert full and [(p.name, p.amount.text) for p in listed][:2] == [
        ("经济社会形势分析工作经费", "64.00"), ("市本级粮食风险基金", "47500.00")]   # not the unit's own row
    assert all(p.places[0].file == "广州.pdf" and p.places[0].page for p in listed)
