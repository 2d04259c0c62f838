"""The budget's rules on the published samples: YS1xx 预算表内勾稽 (juesuan.budget.rules), YS2xx
预算表间勾稽 (rules_between) and YS3xx 情况说明与表格 (rules_narrative, the statements read by
juesuan.budget.narrative_facts).

Every sample checks without an error (the published budgets are consistent); one displayed figure
changed in a total, a 类 row, a 三公 item, a 收支总表, a table that repeats another's figure or a
sentence of the 情况说明 makes the right rule fire with an error at the changed place; a change that
rounding explains is at most an info (尾差); and a change resting on a figure not read with
certainty is "无法核对", never an error. The excerpts "…-narrative-excerpt.pdf" keep the 情况说明 pages
with the table pages (tests/fixtures/samples/README.md).
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
SWU = "chongqing-swu-2024-budget-narrative-excerpt.pdf"
GUANGZHOU = "guangzhou-fagaiwei-2026-budget-narrative-excerpt.pdf"
JIANGSU = "jiangsu-gaoyuan-2019-budget-narrative-excerpt.pdf"
SHENZHEN = "shenzhen-caizhengju-2026-budget.pdf"
XIAN = "xian-yibaoju-2022-budget-narrative-excerpt.pdf"
SINGLE = [SWU, GUANGZHOU, JIANGSU, SHENZHEN, XIAN]
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


def _ys1(doc):
    """The findings of the in-table rules (a figure changed in a table also shows between tables and
    against the text: YS2xx, YS3xx, tested below)."""
    return check(doc, ["YS1"], kind=BUDGET)


def _errors(findings):
    return [f for f in findings if f.severity == "error"]


@pytest.mark.parametrize("name", [*SINGLE, "beijing"])
def test_every_published_budget_checks_without_an_error(parsed, name):
    findings = check(parsed[name].document, kind=BUDGET)
    assert _errors(findings) == [], [f.message for f in _errors(findings)]
    assert all(f.rule[:3] in ("YS1", "YS2", "YS3") for f in findings)
    # what is said is only ever a 尾差 or a figure that could not be read for sure
    assert all("尾差" in f.message or f.message.startswith("无法核对") for f in findings), [f.message for f in findings]


def test_a_gap_below_a_cent_is_said_as_it_is(parsed):
    # Xi'an prints 元: 合计 480544221.6, 21477243.45 + 1634633.17 + 457432345 = 480544221.62 (p9)
    findings = check(parsed[XIAN].document, kind=BUDGET)
    tails = [f.message for f in findings if f.rule == "YS103"]
    assert any("各组成列之和 48054.422162 与合计 48054.422160 相差 0.000002" in m for m in tails), tails
    assert not any("相差 0.00，" in f.message for f in findings)


def test_a_changed_total_row_fires_the_total_rule_at_its_cell(parsed):
    doc = _doc(parsed, GUANGZHOU)
    _set(doc, "Y3", "基本支出", "16887.61", key="合计")          # printed 16,877.61: +10
    errs = _errors(_ys1(doc))
    total = [f for f in errs if f.rule == "YS102"]
    assert len(total) == 1
    f = total[0]
    assert "支出总表“基本支出”列：合计 = 各类之和" in f.message
    assert "16887.61" in f.message and "相差 10.00" in f.message
    assert f.places[0].row == "合计" and f.places[0].column == "基本支出" and f.places[0].page == 6
    # the same row's 合计 = 基本支出 + 项目支出 no longer holds either
    assert [g.rule for g in errs] == ["YS102", "YS103"]


def test_a_changed_class_row_fires_the_hierarchy_rule_with_its_items(parsed):
    doc = _doc(parsed, SWU)
    _set(doc, "Y3", "项目支出", "108500.00", code="205")          # printed 108,400.00
    errs = _errors(_ys1(doc))
    rules = sorted({f.rule for f in errs})
    assert rules == ["YS101", "YS102", "YS103"]
    f = next(f for f in errs if f.rule == "YS101")
    assert "“205 教育支出”行“项目支出”列：类 = 各款之和" in f.message and "108500.00" in f.message
    rows = [p.row for p in f.places]
    assert rows[0] == "205 教育支出" and "20502 普通教育" in rows


def test_a_changed_three_public_item_fires_the_three_public_rule(parsed):
    doc = _doc(parsed, "beijing")
    _set(doc, "Y7", "公务接待费", "9.000000", key="合计")          # printed 6.000000
    errs = _errors(_ys1(doc))
    assert [f.rule for f in errs] == ["YS105"]
    f = errs[0]
    assert "“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费" in f.message
    assert {p.column for p in f.places} >= {"合计", "公务接待费"} and "相差 3.00" in f.message
    # the vehicle item against its two parts
    doc = _doc(parsed, "beijing")
    _set(doc, "Y7", "公务用车购置费", "40.380000", key="合计")
    errs = _errors(_ys1(doc))
    assert [f.rule for f in errs] == ["YS105"] and "公务用车购置及运行维护费 = 购置费 + 运行维护费" in errs[0].message


def test_the_three_public_items_of_jiangsu_and_guangdong_tables_are_checked(parsed):
    # Jiangsu 2019's 公开09表 (one row): 合计 2382.02 = 三公 513.75 + 会议费 271.02 + 培训费 1597.25
    doc = _doc(parsed, JIANGSU)
    _set(doc, "Y26", "会议费", "281.02", key="合计")
    errs = _errors(_ys1(doc))
    assert [f.rule for f in errs] == ["YS105"] and "合计 = “三公”经费合计 + 会议费 + 培训费" in errs[0].message
    assert {p.column for p in errs[0].places} == {"合计", "“三公”经费/合计", "会议费", "培训费"}
    # Guangzhou's 表8: “三公”经费 88.23 = 64.00 + 6.54 + 17.69, a row per item, a column per fund
    doc = _doc(parsed, GUANGZHOU)
    _set(doc, "Y17", "合计", "27.69", key="（三）公务接待费支出")
    errs = _errors(_ys1(doc))
    assert [f.rule for f in errs] == ["YS105", "YS105"]
    msgs = " / ".join(f.message for f in errs)
    assert "“（三）公务接待费支出”行：合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算" in msgs
    assert "“三公”经费 = 因公出国（境）+ 公务用车购置及运行维护 + 公务接待" in msgs and "相差 10.00" in msgs
    assert any(p.row == "（三）公务接待费支出" and p.column == "合计" for f in errs for p in f.places)


def test_an_unbalanced_summary_fires_the_balance_rule_naming_both_sides(parsed):
    doc = _doc(parsed, SHENZHEN)
    _set(doc, "Y4", "预算数", "37395.88", key="fiscal_grand_total:income", side="收入")
    errs = _errors(_ys1(doc))
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
    name = SWU
    assert parsed[name].document.tables["Y1"].row("balance:closing", side="支出").readings["预算数"].exact
    doc = _doc(parsed, name)
    _set(doc, "Y1", "预算数", "445159.97", key="income:total", side="收入")      # printed 445,059.97
    errs = _errors(_ys1(doc))
    assert [f.rule for f in errs] == ["YS106"]
    assert errs[0].message.startswith("收支总表：收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转结余")
    assert [p.row for p in errs[0].places] == ["收入总计", "本年收入合计", "使用非财政拨款结余", "上年结转结余"]
    doc = _doc(parsed, name)
    _set(doc, "Y1", "预算数", "582376.35", key="grand_total:expenditure", side="支出")
    assert [f.rule for f in _errors(_ys1(doc))] == ["YS104", "YS106"]   # every figure sure
    _set(doc, "Y1", "预算数", "95721.40", key="balance:closing", side="支出", how="repaired:数字错位到下一行")
    findings = _ys1(doc)
    assert [f.rule for f in _errors(findings)] == ["YS104"]            # 收入总计 ≠ 支出总计: both read for sure
    out = [f for f in findings if f.rule == "YS106"]                    # 支出总计 ≠ 合计 + 结转下年: rests on it
    assert len(out) == 1 and out[0].severity == "info" and out[0].message.startswith("无法核对")
    # a summary that prints no 本年合计 row is not read as a blank one (Jiangsu 2019's 财政拨款收支预算总表)
    doc = _doc(parsed, JIANGSU)
    assert doc.tables["Y4"].row("fiscal_income:total", side="收入") is None
    assert [f for f in _ys1(doc) if f.rule == "YS106"] == []


@pytest.mark.parametrize(("tid", "col", "value", "key", "code"), [
    ("Y3", "合计", "155723.40", "合计", None),          # 合计 vs Σ类 and vs 基本 + 项目: within rounding
    ("Y3", "基本支出", "7635.33", None, "2010401"),      # a 项: its row, its 款 and the 合计 within rounding
])
def test_a_change_of_one_cent_that_rounding_explains_is_no_error(parsed, tid, col, value, key, code):
    doc = _doc(parsed, GUANGZHOU)
    _set(doc, tid, col, value, key=key, code=code)
    findings = _ys1(doc)
    assert _errors(findings) == []
    assert any("尾差" in f.message and value in "".join(f.figures) for f in findings)


def test_a_change_resting_on_an_ambiguous_figure_is_unchecked_not_an_error(parsed):
    # Jiangsu 2019's 支出合计 (merged over two columns, now read for sure): a changed 收入合计 is an error;
    # were 支出合计 read among two readings, the balance resting on it would be unchecked
    doc = _doc(parsed, JIANGSU)
    assert doc.tables["Y1"].row("grand_total:expenditure", side="支出").readings["预算数"].exact
    _set(doc, "Y1", "预算数", "37288.34", key="grand_total:income", side="收入")
    assert [f.rule for f in _errors(_ys1(doc)) if f.rule == "YS104"] == ["YS104"]
    _set(doc, "Y1", "预算数", "37188.34", key="grand_total:expenditure", side="支出", how="scored")
    findings = [f for f in _ys1(doc) if f.rule == "YS104"]
    assert _errors(findings) == [] and len(findings) == 1
    assert findings[0].severity == "info" and "无法核对" in findings[0].message
    # the same change on a figure read for sure is an error; made ambiguous, it is unchecked
    doc = _doc(parsed, GUANGZHOU)
    _set(doc, "Y3", "基本支出", "16887.61", key="合计", how="scored")
    findings = _ys1(doc)
    unchecked = [f for f in findings if f.message.startswith("无法核对")]
    assert _errors(findings) == [] and {f.rule for f in unchecked} == {"YS102", "YS103"}
    assert all(f.severity == "info" for f in unchecked) and any("16887.61" in f.message for f in unchecked)


def test_cli_check_exit_status_on_samples_and_on_a_mutated_one(parsed, capsys, monkeypatch):
    path = BUDGETS / GUANGZHOU
    assert main(["check", str(path)]) == 0
    cap = capsys.readouterr()
    assert "0 个错误" in cap.out and "只核对表内勾稽关系" in cap.err and "--budget" in cap.err
    assert "YS2xx" in cap.err and "YS3xx" in cap.err
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
    assert "YS101" in out and "YS103" in out and "12190.48" in out and "第6页第7行" in out
    # and the 收支总表 prints the 类 too: the two places of the one figure
    assert "YS203 一般公共服务支出：支出总表 = 收支总表" in out and "收支总表 支出方 “201 一般公共服务支出”行" in out


def test_rules_lists_and_explains_the_budget_rules(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "部门预算公开（budget）" in out and "YS1xx 预算表内勾稽" in out
    assert all(f"YS10{i}" in out for i in range(1, 7)) and "JS101" in out
    assert "YS2xx 预算表间勾稽" in out and "YS3xx 情况说明与表格" in out
    assert all(code in out for code in ("YS201", "YS207", "YS301", "YS302", "YS303"))
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


# ---------------------------------------------------------------------------------------------------
# YS2xx: the same quantity in two tables

def _only(findings, rule, severity="error"):
    return [f for f in findings if f.rule == rule and f.severity == severity]


@pytest.mark.parametrize(("name", "tid", "col", "value", "near", "key", "code", "side", "rule", "other"), [
    # 财政拨款收支总表's 一般公共预算资金 against the 收支总表's (深圳市: both 36989.05)
    (SHENZHEN, "Y4", "预算数", "36999.05", "36989.06", "fiscal_income:general", None, "收入", "YS201", "Y1"),
    # 收入总表's 本年收入合计 against the 收支总表's (西南大学: 445059.97)
    (SWU, "Y2", "本年收入合计", "445159.97", "445059.98", "合计", None, None, "YS202", "Y1"),
    # 支出总表's 206 科学技术支出 against the 收支总表's (广州市: 79154.76)
    (GUANGZHOU, "Y3", "合计", "79145.76", "79154.77", None, "206", None, "YS203", "Y1"),
    # 一般公共预算支出表's 合计 against the 财政拨款收支总表's 一般公共预算资金, no carry-over (广州市: 155723.39)
    (GUANGZHOU, "Y5", "合计", "155732.39", "155723.40", "合计", None, None, "YS204", "Y4"),
    # 一般公共预算基本支出表's 合计 against the 一般公共预算支出表's 基本支出 (广州市: 16877.61)
    (GUANGZHOU, "Y6", "第1列", "16887.61", "16877.62", "合计", None, None, "YS205", "Y5"),
    # 西安市: 基本支出明细表's 人员经费 against the 一般公共预算支出明细表's (元 tables: 21477243.45 元)
    (XIAN, "Y22", "人员经费支出", "2157.724345", "2147.728", "合计", None, None, "YS205", "Y27"),
    # 项目支出表's 合计 against the 支出总表's 项目支出 (广州市: 138845.78)
    (GUANGZHOU, "Y10", "总计", "138854.78", "138845.79", "合计", None, None, "YS207", "Y3"),
])
def test_a_figure_another_table_repeats_changed_fires_the_between_tables_rule(parsed, name, tid, col, value, near,
                                                                              key, code, side, rule, other):
    doc = _doc(parsed, name)
    _set(doc, tid, col, value, key=key, code=code, side=side)
    found = _only(check(doc, ["YS2"], kind=BUDGET), rule)
    assert len(found) == 1, [f.message for f in check(doc, ["YS2"], kind=BUDGET)]
    f = found[0]
    assert value.rstrip("0") in f.message and "超出舍入误差" in f.message
    assert [p.table for p in f.places] == [tid, other] or [p.table for p in f.places] == [other, tid]
    changed = next(p for p in f.places if p.table == tid)
    assert changed.column == col and changed.page is not None
    # changed back to within one unit of the last place (舍位平衡): at most a 尾差
    doc = _doc(parsed, name)
    _set(doc, tid, col, near, key=key, code=code, side=side)
    findings = check(doc, ["YS2"], kind=BUDGET)
    assert _errors(findings) == [] and any(f.rule == rule and "尾差" in f.message for f in findings)


def _graft_three_public(doc, parsed, values):
    """Beijing's 财政拨款“三公”经费支出表 put into ``doc`` with ``values`` (合计, 出国, 接待, 用车, 购置, 运行)."""
    y7 = copy.deepcopy(parsed["beijing"].document.tables["Y7"])
    doc.tables.tables["Y7"] = y7
    for col, v in zip(("合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行维护费", "公务用车购置费",
                       "公务用车运行维护费"), values):
        _set(doc, "Y7", col, v, key="合计")


def test_the_three_public_tables_agree_item_by_item(parsed):
    # 广州市 prints its 三公 in the 行政经费及“三公”经费预算表 (表8): a 三公 table printing the same is silent
    doc = _doc(parsed, GUANGZHOU)
    _graft_three_public(doc, parsed, ("88.23", "64.00", "17.69", "6.54", "0.00", "6.54"))
    assert [f for f in check(doc, ["YS2", "YS105"], kind=BUDGET) if f.rule in ("YS105", "YS206")] == []
    # one printing 27.69 for the 公务接待费 (and 98.23 for its 合计, adding up within itself)
    doc = _doc(parsed, GUANGZHOU)
    _graft_three_public(doc, parsed, ("98.23", "64.00", "27.69", "6.54", "0.00", "6.54"))
    found = _only(check(doc, ["YS2"], kind=BUDGET), "YS206")
    assert {f.message.split("：")[0] for f in found} == {"公务接待费", "“三公”经费合计"}
    assert all({p.table for p in f.places} == {"Y7", "Y17"} for f in found)
    # 江苏省 2019's 一般公共预算 三公 table (公开09表, 513.75) is part of a 财政拨款 one: ≥, never less
    doc = _doc(parsed, JIANGSU)
    _graft_three_public(doc, parsed, ("503.75", "150.00", "86.95", "266.80", "0.00", "266.80"))
    found = _only(check(doc, ["YS2"], kind=BUDGET), "YS206")
    assert {f.message.split("：")[0] for f in found} == {"“三公”经费合计", "因公出国（境）费"}
    assert all("小于" in f.message for f in found)


def test_between_tables_rules_need_every_cell_printed(parsed):
    # 西南大学 prints no 财政拨款收支总表, 江苏省 2019 no 本年支出合计 in its 财政拨款收支预算总表: not applicable
    for name in (SWU, JIANGSU):
        doc = _doc(parsed, name)
        assert [f for f in check(doc, ["YS201", "YS204"], kind=BUDGET) if "本年支出合计" in f.message] == []
    # 深圳市 carries 396.83 over: its 一般公共预算支出表 (37385.88) is this year's 36989.05 + the carry-over
    doc = _doc(parsed, SHENZHEN)
    _set(doc, "Y4", "预算数", "406.83", key="fiscal_opening:general", side="收入")
    found = _only(check(doc, ["YS204"], kind=BUDGET), "YS204")
    assert len(found) == 1 and "上年结转" in found[0].message and "406.83" not in found[0].figures[0]


# ---------------------------------------------------------------------------------------------------
# YS3xx: the 情况说明 against the tables and itself

def _say(doc, old, new, nth=0):
    """The ``nth`` paragraph of the text saying ``old`` made to say ``new`` instead."""
    paras = [p for part in doc.parts for p in (*part.paragraphs, *(q for s in part.walk() for q in s.paragraphs))
             if old in p.text]
    assert len(paras) > nth, old
    paras[nth].text = paras[nth].text.replace(old, new, 1)


def _narrative(doc, select=("YS3",)):
    return check(doc, list(select), kind=BUDGET)


def test_the_statements_of_every_sample_are_read_and_found_in_the_tables(parsed):
    from juesuan.budget.narrative_facts import statements
    from juesuan.budget.rules_narrative import _means
    from juesuan.rules.context import Context
    want = {  # sample: quantities read and compared with a table figure (at least these)
        JIANGSU: {"grand_total", "fiscal", "general", "class:204", "basic", "project", "reserve", "fiscal_basic",
                  "general_basic", "3p_abroad", "3p_vehicle", "3p_reception", "meeting", "training", "running",
                  "procurement", "item:法院/行政运行", "item:住房改革支出/提租补贴"},
        GUANGZHOU: {"income", "expenditure", "3p_total", "3p_abroad", "3p_vehicle", "3p_vehicle_operation",
                    "3p_reception", "running"},
        SWU: {"grand_total", "income_now", "use_of_balance", "opening", "closing", "fiscal", "business",
              "class:205", "fiscal_expenditure"},
        SHENZHEN: {"income", "expenditure", "project", "procurement", "3p_total", "3p_abroad", "3p_vehicle"},
        XIAN: {"income", "general", "fiscal", "3p_total", "3p_reception", "meeting", "training", "procurement",
               "code:2050803", "code:301", "code:501"},
    }
    for name, names in want.items():
        ctx = Context(parsed[name].document)
        compared = {st.quantity.name for st in statements(ctx) if _means(ctx, st.quantity.means)}
        assert names <= compared, (name, names - compared)


def test_an_amount_the_text_states_otherwise_than_the_table_is_an_error_at_both_places(parsed):
    doc = _doc(parsed, GUANGZHOU)
    _say(doc, "“三公”经费88.23万元", "“三公”经费98.23万元")
    found = _only(_narrative(doc, ["YS301"]), "YS301")
    assert len(found) == 1 and found[0].message.startswith("情况说明““三公”经费预算”为 98.23 万元，与表中 88.23 不符")
    text, table = found[0].places
    assert text.section == "二" and text.page == 18 and "98.23万元" in text.sentence
    assert table.table == "Y17" and table.row == "“三公”经费" and table.column == "合计"
    # within rounding (one unit of the last place): a 尾差, and nothing else in the text disagrees
    doc = _doc(parsed, GUANGZHOU)
    _say(doc, "“三公”经费88.23万元", "“三公”经费88.24万元")
    findings = _narrative(doc)
    assert _errors(findings) == [] and [f.rule for f in findings] == ["YS301"] and "尾差" in findings[0].message


def test_a_statement_that_may_mean_several_tables_is_an_error_only_when_it_matches_none(parsed):
    # 西南大学: "教育支出" is 452738.18 in the 支出预算表 (三) and 220139.76 in the 财政拨款支出预算表 (四)
    doc = _doc(parsed, SWU)
    _say(doc, "教育支出220,139.76万元", "教育支出452,738.18万元")      # (四) quoting the other table's figure
    assert _only(_narrative(doc, ["YS301"]), "YS301") == []
    doc = _doc(parsed, SWU)
    _say(doc, "教育支出452,738.18万元", "教育支出452,748.18万元")
    found = _only(_narrative(doc, ["YS301"]), "YS301")
    assert len(found) == 1 and "均不符" in found[0].message
    assert {p.table for p in found[0].places[1:]} == {"Y1", "Y3", "Y14"}


def test_a_change_rate_is_checked_against_the_change_and_the_current_figure(parsed):
    # 广州市: 收入预算 155,723.39 万元，比上年减少 7,507.97 万元，下降 4.6% (7507.97 ÷ 163231.36 = 4.5996%)
    for rate, severity in (("5.6", "error"), ("4.7", "info"), ("4.60", None)):
        doc = _doc(parsed, GUANGZHOU)
        _say(doc, "下降4.6%", f"下降{rate}%")
        found = [f for f in _narrative(doc, ["YS302"]) if f.rule == "YS302"]
        if severity is None:
            assert found == []
            continue
        assert [f.severity for f in found] == [severity], [f.message for f in found]
        assert f"{rate}%" in found[0].message and "4.60%" in found[0].message
        assert found[0].places[0].section == "一" and found[0].places[0].page == 18
    # the direction said twice, contradicting itself
    doc = _doc(parsed, GUANGZHOU)
    _say(doc, "减少7,507.97万元，下降4.6%", "减少7,507.97万元，增长4.6%")
    found = _only(_narrative(doc, ["YS302"]), "YS302")
    assert len(found) == 1 and "增减方向前后矛盾" in found[0].message
    # a sentence that states last year's figure (北京市's wording): this year − last year = the change
    doc = _doc(parsed, GUANGZHOU)
    said = "2026年度收入预算155723.39万元，比2025年年初预算数{}万元减少7507.97万元，下降4.60%。"
    doc.parts[-1].sections[0].paragraphs.append(type(doc.parts[-1].sections[0].paragraphs[0])(said.format("163231.36")))
    assert _errors(_narrative(doc)) == []
    doc.parts[-1].sections[0].paragraphs[-1].text = said.format("163331.36")
    found = _only(_narrative(doc, ["YS302"]), "YS302")
    assert any("本年数 155723.39 与上年数 163331.36 之差为 -7607.97" in f.message for f in found)


def test_a_share_is_checked_against_its_total(parsed):
    # 江苏省 2019: 本年支出预算合计37188.34万元，其中： / 基本支出21968万元，占59.07%； (the total a paragraph before)
    doc = _doc(parsed, JIANGSU)
    _say(doc, "占59.07%", "占69.07%")
    found = _only(_narrative(doc, ["YS302"]), "YS302")
    assert len(found) == 1 and "69.07%" in found[0].message and "21968 ÷ 37188.34 = 59.07%" in found[0].message
    # shares of the “三公”经费 (the total only in the table, 513.75): 86.95 ÷ 513.75 = 16.9246%, written 16.93%
    # (to add up to 100%) — the intervals of 86.95 and 513.75 reach 16.9257%: no finding
    assert _narrative(_doc(parsed, JIANGSU), ["YS302"]) == []
    doc = _doc(parsed, JIANGSU)
    _say(doc, "占“三公”经费的31.14%", "占“三公”经费的41.14%")
    assert len(_only(_narrative(doc, ["YS302"]), "YS302")) == 1


def test_a_figure_where_a_page_number_may_be_glued_is_never_an_accusation(parsed):
    # 西南大学 p9 (original p13): the page turns after "科学技术支出"; its page number 13 is read glued to
    # the next page's first line, "1,723.93 万元，占 0.71%": "131,723.93万元"
    findings = _narrative(_doc(parsed, SWU))
    assert _errors(findings) == []
    f = next(f for f in findings if "131723.93" in f.message)
    assert f.rule == "YS302" and f.severity == "info" and f.message.startswith("无法核对")
    assert f.places[0].page == 9


def test_the_sums_a_section_states_add_up(parsed):
    # 深圳市: “三公”经费预算58.46万元 = 41.60 + 9.46 + 7.40
    doc = _doc(parsed, SHENZHEN)
    _say(doc, "2026年预算数9.46万元", "2026年预算数10.46万元")
    found = _only(_narrative(doc), "YS303")
    assert len(found) == 1 and "“三公”经费 = 因公出国（境）费" in found[0].message and "59.46" in found[0].message
    assert _only(_narrative(doc), "YS301")            # and the table says 9.46
    # 江苏省 2019: 共有车辆66辆，其中，一般公务用车13辆、执法执勤用车38辆、特种专业技术用车15辆
    doc = _doc(parsed, JIANGSU)
    _say(doc, "特种专业技术用车15辆", "特种专业技术用车16辆")
    found = _only(_narrative(doc), "YS303")
    assert len(found) == 1 and "共有车辆 66 辆" in found[0].message and "67 辆" in found[0].message


def test_a_figure_of_another_year_is_not_compared_with_this_years_tables(parsed):
    doc = _doc(parsed, GUANGZHOU)
    sec = doc.parts[-1].sections[1]
    sec.paragraphs.append(type(sec.paragraphs[0])("2025年本部门财政拨款安排“三公”经费115.35万元。"))
    assert _narrative(doc) == []


def test_parts_listed_beside_components_the_text_names_otherwise_are_not_summed(parsed):
    from juesuan.document import Paragraph, Section
    said = "2019年度财政拨款基本支出预算21968万元，其中：人员经费15000万元、公用经费3580.05万元{}。"
    for rest, fires in (("、对个人和家庭的补助支出3387.95万元", False), ("", True)):
        doc = _doc(parsed, JIANGSU)
        part = doc.part("narrative")
        part.sections.append(Section("十五", "基本支出构成", paragraphs=[Paragraph(said.format(rest))]))
        found = _only(_narrative(doc), "YS303")
        assert bool(found) is fires, [f.message for f in found]
        if fires:
            assert "人员经费 + 公用经费：各项之和 18580.05 与所述合计 21968 不符" in found[0].message


def test_the_national_templates_sentences_are_read_as_declared(parsed):
    """The wording of 财政部's template (a built budget's 情况说明 follows it): every amount goes to its
    quantity, the changes and shares with what they are of — and, with no table, nothing is judged
    but the arithmetic inside the sentences."""
    from juesuan.budget.narrative_facts import changes, shares, statements
    from juesuan.document import Document, Paragraph, Part, Section
    from juesuan.rules.context import Context
    said = ("XX部门2024年收入、支出预算总计1000.00万元，与上年相比收、支预算总计各增加100.00万元，增长11.11%。"
            "其中：（一）收入预算总计1000.00万元。包括：1.本年收入预算总计900.00万元。（1）一般公共预算收入预算"
            "800.00万元，与上年相比增加80.00万元，增长11.11%。（2）政府性基金收入预算0万元。（3）国有资本经营预算"
            "收入预算0万元。（4）财政专户管理资金收入预算0万元。（5）单位资金收入预算100.00万元，占10.00%。"
            "2.上年结转资金预算数为100.00万元。")
    part = Part("narrative", "三", "部门预算情况说明",
                sections=[Section("一", "收支预算总体情况", paragraphs=[Paragraph(said)])])
    doc = Document(title="XX部门2024年部门预算", entity="XX部门", year=2024, parts=[part])
    ctx = Context(doc)
    assert [(st.quantity.name, st.value) for st in statements(ctx)] == [
        ("grand_total", "1000.00"), ("income", "1000.00"), ("income_now", "900.00"), ("general", "800.00"),
        ("gov_fund", "0"), ("state_capital", "0"), ("special_account", "0"), ("unit_funds", "100.00"),
        ("opening", "100.00")]
    assert [(c.current[0], c.diff[0], c.rate[0]) for c in changes(ctx)] == [("1000.00", "100.00", "11.11"),
                                                                            ("800.00", "80.00", "11.11")]
    # (of the totals before a 其中 or 包括, the nearest — not the change 100.00 before 其中)
    assert [(s.amount[0], s.base[0], [b[0] for b in s.others]) for s in shares(ctx)] == [
        ("100.00", "1000.00", ["1000.00"])]
    assert check(doc, kind=BUDGET) == []
    doc.parts[0].sections[0].paragraphs[0].text = said.replace("增长11.11%。其中", "增长12.11%。其中")
    assert [f.rule for f in check(doc, kind=BUDGET)] == ["YS302"]


def test_beijings_text_is_read_with_its_paragraphs_and_agrees_with_its_tables(parsed):
    """北京市审计局's text file prints its 目录 first, and its body's part heading ("第一部分 2026年度部门
    预算情况说明") extracts as "2026": the 目录's entries are not the sections — the body's headings
    are, with their paragraphs, and every figure they state is read and found in the tables file."""
    from juesuan.budget.narrative_facts import statements
    from juesuan.budget.rules_narrative import _means
    from juesuan.rules.context import Context
    doc = _doc(parsed, "beijing")
    part = doc.part("narrative")
    assert [s.title for s in part.sections][:5] == ["部门情况说明", "收入预算情况说明", "支出预算情况说明",
                                                    "财政拨款“三公”经费预算情况说明", "其他情况说明"]
    assert part.source["page"] == 3 and all(p.source["page"] >= 3 for s in part.walk() for p in s.paragraphs)
    ctx = Context(doc)
    compared = {st.quantity.name for st in statements(ctx) if _means(ctx, st.quantity.means)}
    assert {"income", "fiscal", "general", "other_income", "opening", "expenditure", "basic", "project",
            "3p_total", "3p_abroad", "3p_reception", "3p_vehicle", "3p_vehicle_purchase", "3p_vehicle_operation",
            "procurement"} <= compared, compared
    findings = _narrative(doc)
    assert _errors(findings) == [], [f.message for f in findings]
    # 收入预算 32852.05 比 年初预算数 30385.62 增加 2466.43: changed to 2566.43, the difference no longer holds
    doc = _doc(parsed, "beijing")
    _say(doc, "增加2466.43万元", "增加2566.43万元")
    found = _only(_narrative(doc, ["YS302"]), "YS302")
    assert any("本年数 32852.05 与上年数 30385.62 之差为 2466.43，所述增加 2566.43 万元不符" in f.message
               for f in found)
    assert found[0].places[0].file.endswith("budget-text.pdf") and found[0].places[0].page == 6
    # the 三公 items against 预算09表 (244.848000 = 173.520000 + 6.000000 + 65.328000)
    doc = _doc(parsed, "beijing")
    _say(doc, "2026年预算数6万元", "2026年预算数8万元")
    assert {f.rule for f in _errors(_narrative(doc))} == {"YS301", "YS303"}


def test_a_fund_table_against_the_fiscal_summary_and_how_sure_its_figure_is(parsed):
    # 深圳市's 政府性基金预算支出表 (p39) prints 0.00, chosen among readings by the row's identity: a 10.00
    # there against the 财政拨款收支总表's 0.00 is unchecked; read for sure, it is an error
    doc = _doc(parsed, SHENZHEN)
    row = _set(doc, "Y8", "合计", "10.00", key="合计")
    found = [f for f in check(doc, ["YS207"], kind=BUDGET) if f.rule == "YS207"]
    assert [f.severity for f in found] == ["info"] and found[0].message.startswith("无法核对")
    assert {p.table for p in found[0].places} == {"Y8", "Y4"} and "按恒等式推定（第39页第5行）" in found[0].message
    row.readings["合计"] = row.readings["合计"]._replace(how="exact", confidence=1.0)
    found = _only(check(doc, ["YS207"], kind=BUDGET), "YS207")
    assert len(found) == 1 and "政府性基金预算支出表合计 = 财政拨款收支总表政府性基金预算拨款收入" in found[0].message
