"""Deliberately broken workbooks: one clear message per problem, naming sheet!cell.

Each test takes the template pre-filled from the example (amounts in 元), breaks one
thing with openpyxl, and reads it back. openpyxl writes formulas without cached
values, which is exactly the "formula never calculated" case.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from juesuan.errors import InputError
from juesuan.final.build import build_tables
from juesuan.final.readers import load
from juesuan.final.workbook import read_workbook, write_template

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hanyang-bdc-2023"
T2, T3, T5, T6, T1 = ("收入决算表", "支出决算表", "一般公共预算财政拨款支出决算表",
                      "一般公共预算财政拨款基本支出决算明细表", "收入支出决算总表")


@pytest.fixture(scope="module")
def example():
    return load(EXAMPLE)[0]


@pytest.fixture(scope="module")
def filled(tmp_path_factory, example) -> Path:
    """The example's template reduced to 单位概况 and the nine tables (small: fast to edit)."""
    d = tmp_path_factory.mktemp("wb")
    write_template(d / "full.xlsx", example, lookups=False)
    wb = openpyxl.load_workbook(d / "full.xlsx")
    for name in wb.sheetnames:
        if name != "单位概况" and not name.endswith("表"):
            wb.remove(wb[name])
    wb.save(d / "filled.xlsx")
    return d / "filled.xlsx"


def _facts(model) -> str:
    return build_tables(model).facts_csv()


def _edit(filled: Path, tmp_path: Path, fn, name: str = "broken.xlsx") -> Path:
    wb = openpyxl.load_workbook(filled)
    fn(wb)
    out = tmp_path / name
    wb.save(out)
    return out


_ROWS: dict[tuple[str, str], int] = {}


def _row(filled: Path, sheet: str, code: str) -> int:
    """Row of a code in the unedited workbook (edits below keep rows in place)."""
    if (sheet, code) not in _ROWS:
        _ROWS[(sheet, code)] = _row_of(openpyxl.load_workbook(filled, read_only=True)[sheet], code)
    return _ROWS[(sheet, code)]


def _row_of(ws, code: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        c = row[0]
        if str(c.value or "").strip() == code:
            return c.row
    raise AssertionError(code)


def _errors(path: Path) -> list:
    with pytest.raises(InputError) as e:
        read_workbook(path)
    return [d for d in e.value.diagnostics if d.severity == "error"]


def test_wrong_type_names_the_cell(filled, tmp_path):
    def fn(wb):
        ws = wb[T2]
        ws.cell(_row_of(ws, "2010350"), 4).value = "12,3a"   # column D: 财政拨款收入
    p = _edit(filled, tmp_path, fn)
    errs = _errors(p)
    row = _row(filled, T2, "2010350")
    assert len(errs) == 1
    assert errs[0].cell == f"{T2}!D{row}"
    assert errs[0].message == "“12,3a” 不是数字"
    assert f"{T2}!D{row}" in str(errs[0])


def test_missing_required_sheet(filled, tmp_path):
    p = _edit(filled, tmp_path, lambda wb: wb.remove(wb[T3]))
    errs = _errors(p)
    assert len(errs) == 1
    assert "缺少支出决算表" in errs[0].message


def test_merged_cells_in_data(filled, tmp_path):
    def fn(wb):
        ws = wb[T3]
        r = _row_of(ws, "2010399")
        ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=5)
    p = _edit(filled, tmp_path, fn)
    errs = _errors(p)
    r = _row(filled, T3, "2010399")
    assert len(errs) == 1
    assert errs[0].cell == f"{T3}!D{r}" and "合并单元格" in errs[0].message


def test_formula_without_cached_value(filled, tmp_path):
    def fn(wb):
        ws = wb[T3]
        ws.cell(_row_of(ws, "2010350"), 4).value = "=2470000+406.2"
    p = _edit(filled, tmp_path, fn)
    errs = _errors(p)
    r = _row(filled, T3, "2010350")
    assert len(errs) == 1
    assert errs[0].cell == f"{T3}!D{r}" and "没有缓存的计算结果" in errs[0].message


def test_unknown_function_code(filled, tmp_path):
    def fn(wb):
        ws = wb[T2]
        ws.cell(_row_of(ws, "2130599"), 1).value = "2130597"
    p = _edit(filled, tmp_path, fn)
    errs = _errors(p)
    assert len(errs) == 1
    assert "2130597" in errs[0].message and errs[0].cell.startswith(f"{T2}!A")


def test_unknown_economic_code(filled, tmp_path):
    def fn(wb):
        ws = wb[T6]
        ws.cell(_row_of(ws, "30305"), 1).value = "30398"
    p = _edit(filled, tmp_path, fn)
    errs = _errors(p)
    assert len(errs) == 1
    assert "30398" in errs[0].message and errs[0].cell.startswith(f"{T6}!C")


def test_wan_sheet_with_yuan_sized_figures_warns(filled, tmp_path):
    def fn(wb):
        ws = wb[T2]
        for row in ws.iter_rows(min_row=2, max_row=2):
            for c in row:
                if c.value is None and c.column > 2 and ws.cell(2, c.column - 1).value == "金额单位：":
                    c.value = "万元"
        ws.cell(_row_of(ws, "2010399"), 4).value = 52944840.57
    p = _edit(filled, tmp_path, fn)
    with pytest.raises(InputError) as e:
        read_workbook(p)
    warns = [d for d in e.value.diagnostics if d.severity == "warning" and "疑似按元填写" in d.message]
    assert len(warns) == 1
    r = _row(filled, T2, "2010399")
    assert warns[0].cell == f"{T2}!D{r}"


def test_subtotal_row_is_reported_not_read(filled, tmp_path, example):
    def fn(wb):
        ws = wb[T3]
        r = _row_of(ws, "2210202") + 1
        ws.cell(r, 2).value = "小计"
        ws.cell(r, 3).value = 286050.0
        ws.cell(r, 4).value = 286050.0
    p = _edit(filled, tmp_path, fn)
    model, diags = read_workbook(p)
    assert _facts(model) == _facts(example)
    sub = [d for d in diags if "小计" in d.message]
    assert len(sub) == 1 and sub[0].cell.startswith(f"{T3}!A")


def test_row_with_figures_but_no_code(filled, tmp_path):
    def fn(wb):
        ws = wb[T3]
        r = _row_of(ws, "2210202") + 1
        ws.cell(r, 2).value = "办公楼维修"
        ws.cell(r, 3).value = 500.0
    p = _edit(filled, tmp_path, fn)
    errs = _errors(p)
    r = _row(filled, T3, "2210202") + 1
    assert len(errs) == 1
    assert errs[0].cell == f"{T3}!A{r}" and "没有科目编码" in errs[0].message


def test_unrecognised_fixed_row_with_figures(filled, tmp_path):
    def fn(wb):
        ws = wb[T1]
        ws.cell(14, 1).value = "九、捐赠收入"     # a filler row of the 收入 side
        ws.cell(14, 3).value = 100.0
    p = _edit(filled, tmp_path, fn)
    errs = _errors(p)
    assert len(errs) == 1
    assert errs[0].cell == f"{T1}!A14" and "无法识别的项目" in errs[0].message


def test_negative_amount(filled, tmp_path):
    def fn(wb):
        ws = wb[T3]
        ws.cell(_row_of(ws, "2101102"), 4).value = -5
    errs = _errors(_edit(filled, tmp_path, fn))
    assert len(errs) == 1 and "负数" in errs[0].message


def test_every_problem_in_one_run(filled, tmp_path):
    def fn(wb):
        ws = wb[T2]
        ws.cell(_row_of(ws, "2010350"), 4).value = "12,3a"
        ws = wb[T3]
        ws.cell(_row_of(ws, "2010350"), 4).value = "=1+1"
        ws.cell(_row_of(ws, "2101103"), 4).value = "abc"
        ws = wb[T5]
        ws.cell(_row_of(ws, "2080505"), 4).value = "1.2.3"
    errs = _errors(_edit(filled, tmp_path, fn))
    assert len(errs) == 4
    assert len({e.cell for e in errs}) == 4


def test_stated_total_contradicting_the_rows(filled, tmp_path):
    def fn(wb):
        ws = wb[T3]
        for row in ws.iter_rows(min_col=2, max_col=2):
            if row[0].value == "合计":
                ws.cell(row[0].row, 3).value = 1.0
    errs = _errors(_edit(filled, tmp_path, fn))
    assert len(errs) == 1
    assert errs[0].cell.startswith(f"{T3}!C") and "按各明细计算应为 12,944,840.57元" in errs[0].message


def test_tolerated_spellings(filled, tmp_path, example):
    """Text numbers with separators and spaces, trailing spaces, codes split or spaced."""
    def fn(wb):
        ws = wb[T3]
        r = _row_of(ws, "2010350")
        ws.cell(r, 1).value = "201 03 50"
        ws.cell(r, 2).value = "事业运行  "
        ws.cell(r, 3).value = " 2,470,406.20 "
        ws.cell(r, 4).value = "2, 470, 406. 20"
        ws = wb[T2]
        ws.cell(_row_of(ws, "2101102"), 1).value = "21011 02"
        ws = wb[T5]
        ws.cell(_row_of(ws, "2210201"), 1).value = 2210201
    model, _ = read_workbook(_edit(filled, tmp_path, fn))
    assert _facts(model) == _facts(example)


def test_more_than_two_decimals_warns(filled, tmp_path, example):
    def fn(wb):
        ws = wb[T6]
        ws.cell(_row_of(ws, "30101"), 3).value = 540000.004
    model, diags = read_workbook(_edit(filled, tmp_path, fn))
    assert model.basic_by_economic["30101"] == Decimal("540000.00")
    assert any("超过两位小数" in d.message and d.cell.startswith(f"{T6}!C") for d in diags)


def test_extra_column_with_figures_is_reported(filled, tmp_path):
    def fn(wb):
        ws = wb[T3]
        ws.cell(4, 9).value = "备注金额"
        ws.cell(_row_of(ws, "2010350"), 9).value = 88.0
    p = _edit(filled, tmp_path, fn)
    model, diags = read_workbook(p)
    r = _row(filled, T3, "2010350")
    assert any(d.cell == f"{T3}!I{r}" and "未读取" in d.message for d in diags)


def test_not_a_workbook(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_text("not a workbook")
    with pytest.raises(InputError) as e:
        load(p)
    assert "不是 Excel 文件" in e.value.diagnostics[0].message


def test_table_twice(filled, tmp_path):
    def fn(wb):
        wb.copy_worksheet(wb[T2]).title = "收入决算表（副本）"
    errs = _errors(_edit(filled, tmp_path, fn))
    assert len(errs) == 1
    assert "收入决算表出现两次" in errs[0].message and errs[0].cell.startswith("收入决算表（副本）!")


def test_bad_unit_setting_and_unknown_label(filled, tmp_path):
    def fn(wb):
        ws = wb["单位概况"]
        for row in ws.iter_rows(min_col=1, max_col=2):
            if row[0].value == "金额单位":
                row[1].value = "千元"
        ws.cell(ws.max_row + 1, 1).value = "单位负责人"
        ws.cell(ws.max_row, 2).value = "张三"
    p = _edit(filled, tmp_path, fn)
    with pytest.raises(InputError) as e:
        read_workbook(p)
    errs = [d for d in e.value.diagnostics if d.severity == "error"]
    assert len(errs) == 1 and "千元" in errs[0].message and errs[0].cell.startswith("单位概况!B")
    assert any("单位负责人" in d.message and d.severity == "warning" for d in e.value.diagnostics)
