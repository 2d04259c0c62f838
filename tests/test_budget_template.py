"""The budget's input workbook (``juesuan template --kind budget``) and its JSON Schema.

* the example budget → a filled workbook → read back → the same model, every amount exact (元 and 万元);
* ``juesuan build 预算数据.xlsx`` builds the same document as the YAML; the workbook is known as a
  budget's by its sheets, the 决算's template stays the 决算's;
* a bad cell (text in an amount, a negative amount, an unknown code or fund, an unbalanced budget, a
  绩效目标 of no listed project) → exit 2 naming sheet!cell, in Chinese, never a traceback;
* blank is not given, 0 is 0: parts left out stay out, parts given as zeros stay zeros;
* ``juesuan schema --kind budget`` is a JSON Schema the example data satisfy.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from juesuan.budget.canonical import load
from juesuan.budget.kind import KIND
from juesuan.budget.model import Budget, ThreePublic, ThreePublicAmounts
from juesuan.budget.workbook import read_workbook, write_template
from juesuan.budget.workbook.sheets import MARKS
from juesuan.cli import main
from juesuan.data import plain
from juesuan.document import to_data
from juesuan.errors import InputError
from juesuan.pipeline import build, data_kind_of

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "hanyang-bdc-budget-2023"
FINAL_EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"


@pytest.fixture(scope="module")
def model() -> Budget:
    return load(EXAMPLE)[0]


@pytest.fixture(scope="module")
def filled(model, tmp_path_factory) -> Path:
    """The example written into its workbook (元), as ``juesuan template --from`` does."""
    out = tmp_path_factory.mktemp("budget-template") / "预算数据.xlsx"
    assert main(["template", "-o", str(out), "--from", str(EXAMPLE)]) == 0
    return out


@pytest.fixture(scope="module")
def light(model, tmp_path_factory) -> Path:
    """The same without the hidden catalogue sheets (fast to open and save with openpyxl)."""
    return write_template(tmp_path_factory.mktemp("budget-light") / "预算数据.xlsx", model, lookups=False)


def _amounts(obj, path=""):
    """Every amount of plain data, by its path."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _amounts(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _amounts(v, f"{path}[{i}]")
    elif isinstance(obj, Decimal):
        yield path, obj


@pytest.mark.parametrize("unit", ["元", "万元"])
def test_the_example_reads_back_from_its_workbook_as_the_same_model(model, filled, tmp_path, unit):
    path = filled if unit == "元" else write_template(tmp_path / "wan.xlsx", model, unit=unit, lookups=False)
    back, diags = read_workbook(path)
    assert not [d for d in diags if d.severity != "info"]
    assert back == model
    mine, theirs = dict(_amounts(plain(model))), dict(_amounts(plain(back)))
    assert len(mine) >= 40 and mine == theirs           # every amount given, to the cent
    assert [p.target for p in back.projects] == [p.target for p in model.projects]   # indicators in order


def test_the_workbook_has_its_sheets_drop_downs_and_formulas_for_totals(filled, model):
    wb = openpyxl.load_workbook(filled)
    assert wb.sheetnames[:3] == ["填表说明", "单位概况", "收入预算"]
    assert set(MARKS) <= set(wb.sheetnames) and KIND.workbook_sheets == MARKS
    assert wb["功能分类"].sheet_state == "hidden" and wb["经济分类"].sheet_state == "hidden"
    assert "部门预算" in wb["填表说明"]["A1"].value
    exp = wb["支出预算"]
    assert [c.value for c in exp[3]] == ["科目编码", "科目名称", "资金来源", "基本支出", "项目支出"]
    assert exp["A4"].value == "2010350" and exp["C4"].value == "一般公共预算拨款" and exp["D4"].value == 2175000
    assert exp["E4"].value is None          # a 0 beside another amount: blank (a blank there is 0 too)
    total = next(r for r in exp.iter_rows() if r[1].value == "合计")
    assert total[3].value.startswith("=SUM(D4:D") and total[4].value.startswith("=SUM(E4:E")
    kinds = {dv.type for dv in exp.data_validations.dataValidation}
    assert {"list", "decimal"} <= kinds
    assert wb["项目支出"]["G2"].value is None              # projects listed: not “无”
    tp = wb["三公经费预算"]
    assert [tp.cell(5 + i, 2).value for i in range(4)] == [0, 0, 0, 0]     # given as 0: written 0
    assert wb["机关运行经费"]["B4"].value is None                          # not given: blank
    assert wb["项目绩效目标"]["A4"].value == model.projects[0].name


def test_building_from_the_workbook_gives_the_document_built_from_the_yaml(filled, tmp_path, capsys):
    assert data_kind_of(filled) is KIND and data_kind_of(EXAMPLE) is KIND
    from_yaml, from_xlsx = build(EXAMPLE), build(filled)
    assert from_xlsx.kind is KIND and from_xlsx.model == from_yaml.model
    # the same document: every figure the same number (a zero the YAML leaves to its default is 0, the
    # workbook's is 0.00), every word the same
    assert _numbers(to_data(from_xlsx.document)) == _numbers(to_data(from_yaml.document))
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    assert main(["build", str(EXAMPLE), "-o", str(a)]) == 0
    assert main(["build", str(filled), "-o", str(b)]) == 0
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")
    assert "部门预算" in b.read_text(encoding="utf-8")
    assert main(["check", str(filled)]) == 0
    assert "0 个错误" in capsys.readouterr().out


def _numbers(obj):
    """Plain document data with every exact figure as a Decimal (``"0"`` and ``"0.00"`` alike)."""
    if isinstance(obj, dict):
        return {k: _numbers(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_numbers(v) for v in obj]
    if isinstance(obj, str):
        try:
            return Decimal(obj)
        except ArithmeticError:
            return obj
    return obj


def _spoil(filled: Path, tmp_path: Path, edits: dict[str, object]) -> Path:
    """The filled workbook with ``edits`` ({"支出预算!D4": "abc"}), saved by openpyxl (which drops the
    cached values of the 合计 formulas: the reader must never need them)."""
    wb = openpyxl.load_workbook(filled)
    for ref, value in edits.items():
        sheet, cell = ref.split("!")
        wb[sheet][cell] = value
    out = tmp_path / "spoilt.xlsx"
    wb.save(out)
    return out


@pytest.mark.parametrize("edits, words", [
    ({"支出预算!D4": "二百万"}, ["支出预算!D4", "基本支出", "不是数字"]),
    ({"支出预算!D5": "12万元"}, ["支出预算!D5", "金额单位"]),
    ({"收入预算!B4": -5}, ["收入预算!B4", "负数"]),
    ({"支出预算!A5": "2010388"}, ["支出预算!A5", "未知的支出功能分类科目编码 2010388"]),
    ({"支出预算!C6": "自有资金"}, ["支出预算!C6", "资金来源“自有资金”", "下拉框"]),
    ({"收入预算!B4": 13651900}, ["收入预算!B4", "13,651,900.00 元", "不能平衡"]),
    ({"基本支出经济分类!A60": "30101", "基本支出经济分类!C60": 1}, ["基本支出经济分类!A60", "重复"]),
    ({"项目绩效目标!A4": "不存在的项目"}, ["项目绩效目标!A4", "不在“项目支出”表中"]),
    ({"项目绩效目标!F5": "大约"}, ["项目绩效目标!F5", "符号“大约”"]),
    ({"三公经费预算!B6": "N/A"}, ["三公经费预算!B6", "不是数字"]),
    ({"单位概况!B5": None}, ["单位概况!B5", "entity.name", "缺少必填项"]),
    ({"单位概况!B7": "街道"}, ["单位概况!B7", "取值不在允许范围内"]),
    ({"国有资产!B5": 2.5}, ["国有资产!B5", "应为整数"]),
])
def test_a_bad_cell_is_refused_with_its_sheet_and_cell(light, tmp_path, capsys, edits, words):
    bad = _spoil(light, tmp_path, edits)
    assert main(["build", str(bad), "-o", str(tmp_path / "out.txt")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and not (tmp_path / "out.txt").exists()
    for w in words:
        assert w in err, (w, err)


def test_the_blank_template_is_a_budgets_and_says_what_to_fill_in(tmp_path, capsys):
    out = tmp_path / "预算数据.xlsx"
    assert main(["template", "--kind", "budget", "-o", str(out), "--year", "2024"]) == 0
    assert "2024 年度空白模板" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb["单位概况"]["B4"].value == 2024
    econ = [r[0].value for r in wb["基本支出经济分类"].iter_rows(min_row=4) if r[0].value]
    assert "30101" in econ and "30201" in econ and all(c[:3] in ("301", "302", "303") for c in econ)
    assert data_kind_of(out) is KIND
    assert main(["check", str(out)]) == 2
    err = capsys.readouterr().err
    assert "单位概况!B5" in err and "缺少必填项" in err and "Traceback" not in err
    # the 决算's template is the 决算's: its own sheets, none of the budget's
    final = tmp_path / "决算数据.xlsx"
    assert main(["template", "-o", str(final)]) == 0
    assert data_kind_of(final).name == "final"
    names = openpyxl.load_workbook(final).sheetnames
    assert "收入决算表" in names and not set(MARKS) & set(names)


def test_not_given_stays_not_given_and_zero_stays_zero(model, tmp_path):
    bare = model.model_copy(update={"three_public": None, "procurement": None, "assets": None, "projects": None,
                                    "prior_year": type(model.prior_year)(), "reasons": type(model.reasons)()})
    back, _ = read_workbook(write_template(tmp_path / "bare.xlsx", bare, lookups=False))
    assert back == bare
    assert back.three_public is None and back.projects is None and back.procurement is None
    assert {"“三公”经费预算", "项目支出及绩效目标", "政府采购预算", "上年预算数"} <= set(back.blank_parts())
    zeros = bare.model_copy(update={"projects": [], "three_public": ThreePublic(budget=ThreePublicAmounts())})
    path = write_template(tmp_path / "zeros.xlsx", zeros, lookups=False)
    assert openpyxl.load_workbook(path)["项目支出"]["G2"].value == "无"
    back, _ = read_workbook(path)
    assert back == zeros and back.projects == [] and back.three_public.budget.total == 0
    assert back.three_public.prior is None


def test_template_from_data_of_the_other_kind_is_refused(tmp_path, capsys):
    assert main(["template", "--kind", "budget", "-o", str(tmp_path / "x.xlsx"), "--from", str(FINAL_EXAMPLE)]) == 2
    err = capsys.readouterr().err
    assert "部门决算公开的数据" in err and "--kind budget" in err
    assert not (tmp_path / "x.xlsx").exists()
    assert main(["template", "--kind", "预算", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "未知的类型" in capsys.readouterr().err


def test_schema_of_the_budget_accepts_the_example_and_refuses_what_it_does_not_know(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    assert main(["schema", "--kind", "budget"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "部门预算" in schema["title"] and schema["properties"]["kind"]
    data = yaml.safe_load((EXAMPLE / "budget.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    for bad in ({**data, "kind": "final"}, {**data, "surplus": 1},
                {**data, "expenditure": [{"code": "201", "basic": 1}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
    assert main(["schema"]) == 0
    assert "部门决算" in json.loads(capsys.readouterr().out)["title"]
    assert main(["schema", "--kind", "x"]) == 2


def test_a_workbook_that_is_not_a_budgets_input_is_refused_in_chinese(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "支出预算"
    wb.active["A1"] = "支出预算"
    path = tmp_path / "partial.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as e:
        load(path)
    assert "缺少工作表“单位概况”" in str(e.value)


def test_template_from_a_published_budget_is_the_budgets(model, tmp_path, capsys, monkeypatch):
    html = tmp_path / "预算.html"
    assert main(["build", str(EXAMPLE), "-o", str(html)]) == 0
    out = tmp_path / "读回.xlsx"
    assert main(["template", "-o", str(out), "--from", str(html)]) == 0      # no --kind: the file says it
    assert "已按" in capsys.readouterr().out and data_kind_of(out) is KIND
    back, _ = read_workbook(out)
    # the published figures are 万元 to two places, rounded together: each amount within 0.01 万元 of the data's
    assert back.income == model.income
    assert [(x.code, x.fund) for x in back.expenditure] == [(x.code, x.fund) for x in model.expenditure]
    assert all(abs(a.basic - b.basic) <= 100 and abs(a.project - b.project) <= 100
               for a, b in zip(back.expenditure, model.expenditure))
    assert [p.name for p in back.projects] == [p.name for p in model.projects]
    # without -o the workbook is named after the kind the published file reads as, not the 决算's name
    monkeypatch.chdir(tmp_path)
    assert main(["template", "--from", str(html)]) == 0
    assert (tmp_path / "预算数据.xlsx").exists() and not (tmp_path / "决算数据.xlsx").exists()
