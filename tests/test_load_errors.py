"""Bad canonical input: every problem gets a clear message with file, line and field.

Each test writes a small broken variant of a valid document and checks the
message a finance officer would read (and that the CLI prints it without a
traceback and exits with status 2).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from juesuan import InputError, load

VALID = textwrap.dedent("""\
    year: 2023
    entity:
      name: 测试单位
      level: 区
      unit_type: 事业单位
    income:
      - code: "2010350"
        general: 1000.00
    expenditure:
      - code: "2010350"
        basic: 1000.00
    appropriations:
      - code: "2010350"
        basic: 1000.00
    basic_by_economic:
      "30101": 1000.00
    """)


def _write(tmp_path: Path, text: str, name: str = "d.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _errors(tmp_path: Path, text: str) -> list:
    with pytest.raises(InputError) as exc:
        load(_write(tmp_path, text))
    return exc.value.diagnostics


def test_valid_document_loads_with_exact_decimals(tmp_path):
    d, diags = load(_write(tmp_path, VALID))
    assert str(d.income[0].general) == "1000.00"
    assert diags == []


def test_wrong_type_names_line_and_field(tmp_path):
    diags = _errors(tmp_path, VALID.replace("general: 1000.00", "general: 1千元"))
    assert len(diags) == 1
    d = diags[0]
    assert (d.line, d.path) == (8, "income[0].general")
    assert "应为数字" in d.message and "1千元" in d.message
    assert str(d).startswith(f"{tmp_path / 'd.yaml'}:8 income[0].general")


def test_unknown_function_code_is_an_error(tmp_path):
    text = VALID.replace('"2010350"\n    basic', '"2010377"\n    basic', 1)
    diags = _errors(tmp_path, text)
    assert any(d.path == "expenditure[0].code" and "未知的支出功能分类科目编码 2010377" in d.message
               and d.line == 10 for d in diags)


def test_unknown_economic_code_is_an_error(tmp_path):
    diags = _errors(tmp_path, VALID.replace('"30101"', '"30198"'))
    assert [d.path for d in diags] == ["basic_by_economic.30198"]


def test_name_differing_from_catalogue_is_a_warning(tmp_path):
    text = VALID.replace('  - code: "2010350"\n    general', '  - code: "2010350"\n    name: 事业运行费\n    general')
    d, diags = load(_write(tmp_path, text))
    assert len(diags) == 1 and diags[0].severity == "warning"
    assert "事业运行费" in diags[0].message and "事业运行" in diags[0].message


def test_missing_required_item(tmp_path):
    diags = _errors(tmp_path, VALID.replace("  unit_type: 事业单位\n", ""))
    assert [(d.path, d.message) for d in diags] == [("entity.unit_type", "缺少必填项")]
    assert diags[0].line == 2  # the entity mapping it belongs to


def test_value_outside_allowed_list(tmp_path):
    diags = _errors(tmp_path, VALID.replace("level: 区", "level: 街道"))
    assert diags[0].path == "entity.level" and "街道" in diags[0].message and diags[0].line == 4


def test_unknown_field_is_reported_not_ignored(tmp_path):
    diags = _errors(tmp_path, VALID.replace("year: 2023", "year: 2023\nyaer: 2023"))
    assert diags[0].path == "yaer" and "未知字段" in diags[0].message


def test_three_decimals_in_yuan_is_an_error(tmp_path):
    diags = _errors(tmp_path, VALID.replace("general: 1000.00", "general: 1000.005"))
    assert "最多两位小数" in diags[0].message


def test_parent_total_contradicting_children(tmp_path):
    text = VALID + "initial_budget:\n  total: 2000.00\n  items:\n    - code: \"2010350\"\n      amount: 1500.00\n"
    diags = _errors(tmp_path, text)
    assert [d.path for d in diags] == ["initial_budget.total"]
    assert "2,000.00 元" in diags[0].message and "1,500.00 元" in diags[0].message


def test_balances_that_do_not_close(tmp_path):
    diags = _errors(tmp_path, VALID + "balances:\n  closing: 500.00\n")
    assert diags[0].path == "balances.closing"
    assert "年末结转和结余应为 0.00 元" in diags[0].message


def test_economic_split_must_equal_general_basic_spending(tmp_path):
    diags = _errors(tmp_path, VALID.replace('"30101": 1000.00', '"30101": 900.00'))
    assert diags[0].path == "basic_by_economic" and "900.00" in diags[0].message


def test_fiscal_spending_larger_than_total_spending(tmp_path):
    diags = _errors(tmp_path, VALID.replace("appropriations:\n  - code: \"2010350\"\n    basic: 1000.00",
                                            "appropriations:\n  - code: \"2010350\"\n    basic: 1200.00"))
    assert any(d.path == "expenditure[0].basic" and "大于" in d.message for d in diags)


def test_all_problems_reported_in_one_run(tmp_path):
    text = VALID.replace("general: 1000.00", "general: abc").replace("level: 区", "level: 村")
    diags = _errors(tmp_path, text)
    assert {d.path for d in diags} == {"income[0].general", "entity.level"}


def test_yaml_syntax_error_names_the_line(tmp_path):
    diags = _errors(tmp_path, VALID.replace("  name: 测试单位", "  name: [测试单位"))
    assert diags[0].line is not None and "语法错误" in diags[0].message


def test_duplicate_key(tmp_path):
    diags = _errors(tmp_path, VALID.replace("year: 2023", "year: 2023\nyear: 2024"))
    assert diags[0].path == "year" and diags[0].line == 2 and "重复" in diags[0].message


def test_json_input_is_read_exactly(tmp_path):
    import json

    import yaml
    data = yaml.safe_load(VALID)
    data["income"][0]["general"] = "1000.10"
    data["expenditure"][0]["basic"] = 1000.1
    data["appropriations"][0]["basic"] = "1000.10"
    data["basic_by_economic"]["30101"] = "1000.10"
    p = tmp_path / "d.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    d, _ = load(p)
    assert str(d.expenditure[0].basic) == "1000.10"


def test_directory_without_disclosure_file(tmp_path):
    with pytest.raises(InputError) as exc:
        load(tmp_path)
    assert "disclosure.yaml" in str(exc.value)


def test_cli_prints_messages_not_a_traceback(tmp_path):
    p = _write(tmp_path, VALID.replace("general: 1000.00", "general: 1千元"))
    r = subprocess.run([sys.executable, "-m", "juesuan", "build", str(p), "-o", str(tmp_path / "out"),
                        "--format", "html"], capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "income[0].general" in r.stderr and "应为数字" in r.stderr


def test_non_finite_huge_and_out_of_range_values_are_input_errors(tmp_path):
    p = tmp_path / "d.yaml"
    p.write_text("year: 1999\nentity:\n  name: 某\n  level: 区\n  unit_type: 事业单位\n"
                 "three_public:\n  counts:\n    abroad_groups: 1.5\n"
                 "income:\n  - code: '2010301'\n    general: NaN\n    business: 1e40\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load(p)
    got = {d.path: d.message for d in e.value.diagnostics}
    assert got["year"].startswith("不能小于 2000")
    assert got["entity.name"].startswith("太短（至少 2 个字）")
    assert got["three_public.counts.abroad_groups"].startswith("应为整数")
    assert got["income[0].general"].startswith("应为有限的数字")
    assert got["income[0].business"].startswith("金额超出范围")
    assert all(d.line for d in e.value.diagnostics)
