"""The budget's rules (YS1xx 预算表内勾稽, juesuan.budget.rules) on the published samples.

Every sample checks without an error (the published budgets are consistent); one displayed figure
changed in a total, a 类 row, a 三公 item or a 收支总表 makes the right rule fire with an error at
the changed cell; a change of 0.01 that rounding explains is at most an info (尾差); and a change
resting on a figure not read with certainty is "无法核对", never an error.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from conftest import SAMPLES

import juesuan.pipeline as pipeline
from juesuan.budget.rules import catalogue_markdown
from juesuan.cli import main
from juesuan.pipeline import check, kind_named, parse

BUDGETS = SAMPLES / "budgets"
BEIJING = [BUDGETS / "beijing-shenjiju-2026-budget-text.pdf", BUDGETS / "beijing-shenjiju-2026-budget-tables.pdf"]
SINGLE = ["chongqing-swu-2024-budget-excerpt.pdf", "guangzhou-fagaiwei-2026-budget-excerpt.pdf",
          "jiangsu-gaoyuan-2019-budget-excerpt.pdf", "shenzhen-caizhengju-2026-budget.pdf",
          "xian-yibaoju-2022-budget-excerpt.pdf"]
BUDGET = kind_named("budget")
ROOT = SAMPLES.parent.parent.parent


@pytest.fixture(scope="module")
def parsed():
    out = {name: parse(BUDGETS / name) for name in SINGLE}
    out["beijing"] = parse(BEIJING)
    return out


def _doc(parsed, name):
    return copy.deepcopy(parsed[name].document)


def _set(doc, tid, col, value, key=None, code=None, side=None, how=None):
    """The displayed figure of a cell changed (and how it was read, when ``how`` is given)."""
    r = doc.tables[tid].row(key, code=code, side=side)
    assert r is not None, (tid, key, code)
    v = Decimal(value)
    r.cells[col] = v
    old = r.readings[col]
    r.readings[col] = old._replace(value=v, text=f"{v:,}", **({"how": how, "confidence": 0.5} if how else {}))
    return r


def _errors(findings):
    return [f for f in findings if f.severity == "error"]


@pytest.mark.parametrize("name", [*SINGLE, "beijing"])
def test_every_published_budget_checks_without_an_error(parsed, name):
    findings = check(parsed[name].document, kind=BUDGET)
    assert _errors(findings) == [], [f.message for f in _errors(findings)]
    assert all(f.rule.startswith("YS1") for f in findings)


def test_a_gap_below_a_cent_is_said_as_it_is(parsed):
    # Xi'an prints 元: 合计 480544221.6, 21477243.45 + 1634633.17 + 457432345 = 480544221.62 (p9)
    findings = check(parsed["xian-yibaoju-2022-budget-excerpt.pdf"].document, kind=BUDGET)
    tails = [f.message for f in findings if f.rule == "YS103"]
    assert any("各组成列之和 48054.422162 与合计 48054.422160 相差 0.000002" in m for m in tails), tails
    assert not any("相差 0.00，" in f.message for f in findings)


def test_a_changed_total_row_fires_the_total_rule_at_its_cell(parsed):
    doc = _doc(parsed, "guangzhou-fagaiwei-2026-budget-excerpt.pdf")
    _set(doc, "Y3", "基本支出", "16887.61", key="合计")          # printed 16,877.61: +10
    errs = _errors(check(doc, kind=BUDGET))
    total = [f for f in errs if f.rule == "YS102"]
    assert len(total) == 1
    f = total[0]
    assert "支出总表“基本支出”列：合计 = 各类之和" in f.message
    assert "16887.61" in f.message and "相差 10.00" in f.message
    assert f.places[0].row == "合计" and f.places[0].column == "基本支出" and f.places[0].page == 8
    # the same row's 合计 = 基本支出 + 项目支出 no longer holds either
    assert [g.rule for g in errs] == ["YS102", "YS103"]


def test_a_changed_class_row_fires_the_hierarchy_rule_with_its_items(parsed):
    doc = _doc(parsed, "chongqing-swu-2024-budget-excerpt.pdf")
    _set(doc, "Y3", "项目支出", "108500.00", code="205")          # printed 108,400.00
    errs = _errors(check(doc, kind=BUDGET))
    rules = sorted({f.rule for f in errs})
    assert rules == ["YS101", "YS102", "YS103"]
    f = next(f for f in errs if f.rule == "YS101")
    assert "“205 教育支出”行“项目支出”列：类 = 各款之和" in f.message and "108500.00" in f.message
    rows = [p.row for p in f.places]
    assert rows[0] == "205 教育支出" and "20502 普通教育" in rows


def test_a_changed_three_public_item_fires_the_three_public_rule(parsed):
    doc = _doc(parsed, "beijing")
    _set(doc, "Y7", "公务接待费", "9.000000", key="合计")          # printed 6.000000
    errs = _errors(check(doc, kind=BUDGET))
    assert [f.rule for f in errs] == ["YS105"]
    f = errs[0]
    assert "“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费" in f.message
    assert {p.column for p in f.places} >= {"合计", "公务接待费"} and "相差 3.00" in f.message
    # the vehicle item against its two parts
    doc = _doc(parsed, "beijing")
    _set(doc, "Y7", "公务用车购置费", "40.380000", key="合计")
    errs = _errors(check(doc, kind=BUDGET))
    assert [f.rule for f in errs] == ["YS105"] and "公务用车购置及运行维护费 = 购置费 + 运行维护费" in errs[0].message


def test_the_three_public_items_of_jiangsu_and_guangdong_tables_are_checked(parsed):
    # Jiangsu 2019's 公开09表 (one row): 合计 2382.02 = 三公 513.75 + 会议费 271.02 + 培训费 1597.25
    doc = _doc(parsed, "jiangsu-gaoyuan-2019-budget-excerpt.pdf")
    _set(doc, "Y26", "会议费", "281.02", key="合计")
    errs = _errors(check(doc, kind=BUDGET))
    assert [f.rule for f in errs] == ["YS105"] and "合计 = “三公”经费合计 + 会议费 + 培训费" in errs[0].message
    assert {p.column for p in errs[0].places} == {"合计", "“三公”经费/合计", "会议费", "培训费"}
    # Guangzhou's 表8: “三公”经费 88.23 = 64.00 + 6.54 + 17.69, a row per item, a column per fund
    doc = _doc(parsed, "guangzhou-fagaiwei-2026-budget-excerpt.pdf")
    _set(doc, "Y17", "合计", "27.69", key="（三）公务接待费支出")
    errs = _errors(check(doc, kind=BUDGET))
    assert [f.rule for f in errs] == ["YS105", "YS105"]
    msgs = " / ".join(f.message for f in errs)
    assert "“（三）公务接待费支出”行：合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算" in msgs
    assert "“三公”经费 = 因公出国（境）+ 公务用车购置及运行维护 + 公务接待" in msgs and "相差 10.00" in msgs
    assert any(p.row == "（三）公务接待费支出" and p.column == "合计" for f in errs for p in f.places)


def test_an_unbalanced_summary_fires_the_balance_rule_naming_both_sides(parsed):
    doc = _doc(parsed, "shenzhen-caizhengju-2026-budget.pdf")
    _set(doc, "Y4", "预算数", "37395.88", key="fiscal_grand_total:income", side="收入")
    errs = _errors(check(doc, kind=BUDGET))
    assert [f.rule for f in errs] == ["YS104", "YS106"]
    f = errs[0]
    assert f.message.startswith("财政拨款收支总表：收入总计 = 支出总计") and "37395.88" in f.message
    assert [p.row for p in f.places] == ["收入总计", "支出总计"]
    # and its own side no longer adds up: 本年收入合计 36989.05 + 上年结转 396.83 = 37385.88
    assert errs[1].message.startswith("财政拨款收支总表：收入总计 = 本年收入合计 + 上年结转结余")


def test_summary_sides_add_up_and_the_moved_carry_over_is_never_an_accusation(parsed):
    # 西南大学 收支预算总表 (p3): 本年支出合计 486554.95 + 结转下年 95721.40 = 支出总计 582276.35; its
    # 结转下年 is set low in its ruled cell and read for sure; were it read as moved up (repaired), what
    # rests on it would be unchecked
    name = "chongqing-swu-2024-budget-excerpt.pdf"
    assert parsed[name].document.tables["Y1"].row("balance:closing", side="支出").readings["预算数"].exact
    doc = _doc(parsed, name)
    _set(doc, "Y1", "预算数", "445159.97", key="income:total", side="收入")      # printed 445,059.97
    errs = _errors(check(doc, kind=BUDGET))
    assert [f.rule for f in errs] == ["YS106"]
    assert errs[0].message.startswith("收支总表：收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转结余")
    assert [p.row for p in errs[0].places] == ["收入总计", "本年收入合计", "使用非财政拨款结余", "上年结转结余"]
    doc = _doc(parsed, name)
    _set(doc, "Y1", "预算数", "582376.35", key="grand_total:expenditure", side="支出")
    assert [f.rule for f in _errors(check(doc, kind=BUDGET))] == ["YS104", "YS106"]   # every figure sure
    _set(doc, "Y1", "预算数", "95721.40", key="balance:closing", side="支出", how="repaired:数字错位到下一行")
    findings = check(doc, kind=BUDGET)
    assert [f.rule for f in _errors(findings)] == ["YS104"]            # 收入总计 ≠ 支出总计: both read for sure
    out = [f for f in findings if f.rule == "YS106"]                    # 支出总计 ≠ 合计 + 结转下年: rests on it
    assert len(out) == 1 and out[0].severity == "info" and out[0].message.startswith("无法核对")
    # a summary that prints no 本年合计 row is not read as a blank one (Jiangsu 2019's 财政拨款收支预算总表)
    doc = _doc(parsed, "jiangsu-gaoyuan-2019-budget-excerpt.pdf")
    assert doc.tables["Y4"].row("fiscal_income:total", side="收入") is None
    assert [f for f in check(doc, kind=BUDGET) if f.rule == "YS106"] == []


@pytest.mark.parametrize(("tid", "col", "value", "key", "code"), [
    ("Y3", "合计", "155723.40", "合计", None),          # 合计 vs Σ类 and vs 基本 + 项目: within rounding
    ("Y3", "基本支出", "7635.33", None, "2010401"),      # a 项: its row, its 款 and the 合计 within rounding
])
def test_a_change_of_one_cent_that_rounding_explains_is_no_error(parsed, tid, col, value, key, code):
    doc = _doc(parsed, "guangzhou-fagaiwei-2026-budget-excerpt.pdf")
    _set(doc, tid, col, value, key=key, code=code)
    findings = check(doc, kind=BUDGET)
    assert _errors(findings) == []
    assert any("尾差" in f.message and value in "".join(f.figures) for f in findings)


def test_a_change_resting_on_an_ambiguous_figure_is_unchecked_not_an_error(parsed):
    # Jiangsu 2019's 支出合计 (merged over two columns, now read for sure): a changed 收入合计 is an error;
    # were 支出合计 read among two readings, the balance resting on it would be unchecked
    doc = _doc(parsed, "jiangsu-gaoyuan-2019-budget-excerpt.pdf")
    assert doc.tables["Y1"].row("grand_total:expenditure", side="支出").readings["预算数"].exact
    _set(doc, "Y1", "预算数", "37288.34", key="grand_total:income", side="收入")
    assert [f.rule for f in _errors(check(doc, kind=BUDGET)) if f.rule == "YS104"] == ["YS104"]
    _set(doc, "Y1", "预算数", "37188.34", key="grand_total:expenditure", side="支出", how="scored")
    findings = [f for f in check(doc, kind=BUDGET) if f.rule == "YS104"]
    assert _errors(findings) == [] and len(findings) == 1
    assert findings[0].severity == "info" and "无法核对" in findings[0].message
    # the same change on a figure read for sure is an error; made ambiguous, it is unchecked
    doc = _doc(parsed, "guangzhou-fagaiwei-2026-budget-excerpt.pdf")
    _set(doc, "Y3", "基本支出", "16887.61", key="合计", how="scored")
    findings = check(doc, kind=BUDGET)
    unchecked = [f for f in findings if f.message.startswith("无法核对")]
    assert _errors(findings) == [] and {f.rule for f in unchecked} == {"YS102", "YS103"}
    assert all(f.severity == "info" for f in unchecked) and any("16887.61" in f.message for f in unchecked)


def test_cli_check_exit_status_on_samples_and_on_a_mutated_one(parsed, capsys, monkeypatch):
    path = BUDGETS / "guangzhou-fagaiwei-2026-budget-excerpt.pdf"
    assert main(["check", str(path)]) == 0
    cap = capsys.readouterr()
    assert "0 个错误" in cap.out and "只核对表内勾稽关系" in cap.err and "尚未提供" in cap.err
    assert "未作任何核对" not in cap.out + cap.err
    assert main(["check", *map(str, BEIJING), "--select", "YS1"]) == 0
    capsys.readouterr()

    real = pipeline.parse

    def mutated(*args, **kwargs):   # the file read as it is, then one figure changed as if printed so
        got = real(*args, **kwargs)
        _set(got.document, "Y3", "合计", "12190.48", code="201")
        return got

    monkeypatch.setattr(pipeline, "parse", mutated)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "YS101" in out and "YS103" in out and "12190.48" in out and "第8页第7行" in out


def test_rules_lists_and_explains_the_budget_rules(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "部门预算公开（budget）" in out and "YS1xx 预算表内勾稽" in out
    assert all(f"YS10{i}" in out for i in range(1, 7)) and "JS101" in out
    assert main(["rules", "--explain", "YS104"]) == 0
    out = capsys.readouterr().out
    assert "收入总计 = 支出总计" in out and "错误示例" in out and "预算表内勾稽" in out


def test_budget_rule_catalogue_is_up_to_date():
    want = catalogue_markdown()
    assert (ROOT / "docs" / "rules-budget.md").read_text(encoding="utf-8") == want, (
        "docs/rules-budget.md is stale: python -c 'from juesuan.budget.rules import catalogue_markdown; "
        "open(\"docs/rules-budget.md\",\"w\").write(catalogue_markdown())'")
    for code in ("YS101", "YS102", "YS103", "YS104", "YS105", "YS106"):
        assert f"### {code}" in want
