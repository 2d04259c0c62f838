"""XLSX renderer: the example workbook opened with openpyxl (and read back with calamine)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from juesuan.final.forms import projects
from juesuan.final.narrative import build_document
from juesuan.renderers.xlsx import NUMBER_FORMAT, SHEET_PERFORMANCE, _sheet_title, write_xlsx


@pytest.fixture(scope="module")
def built(example_model, example_tables, tmp_path_factory):
    doc = build_document(example_model, example_tables)
    path = tmp_path_factory.mktemp("xlsx") / "disclosure.xlsx"
    write_xlsx(doc, path)
    return doc, path, load_workbook(path)


def _find(ws, text):
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return c
    raise AssertionError(f"{text!r} not in sheet {ws.title}")


def test_one_sheet_per_table_named_after_it_plus_performance(built):
    doc, _, wb = built
    titles = [t.title for t in doc.tables]
    assert wb.sheetnames[:9] == titles
    assert SHEET_PERFORMANCE in wb.sheetnames
    assert all(len(n) <= 31 for n in wb.sheetnames)


def test_regular_layout_title_unit_headers_lanci(built):
    doc, _, wb = built
    for t in doc.tables:
        ws = wb[t.title]
        assert ws["A1"].value == f"{doc.year}年度{t.title}"
        assert ws["A2"].value == f"部门：{doc.entity}"
        assert ws.cell(row=2, column=ws.max_column).value == "金额单位：万元"
    t1 = wb["收入支出决算总表"]
    merged = {str(r) for r in t1.merged_cells.ranges}
    assert {"A1:F1", "A3:C3", "D3:F3"} <= merged
    assert [t1.cell(row=5, column=k).value for k in range(1, 7)] == ["栏次", None, 1, "栏次", None, 2]
    t2 = wb["收入决算表"]
    lanci = [t2.cell(row=5, column=k).value for k in range(1, 12)]
    assert lanci == ["类", "款", "项", "栏次", 1, 2, 3, 4, 5, 6, 7]
    assert "A4:C4" in {str(r) for r in t2.merged_cells.ranges}     # 功能分类科目编码 over 类|款|项
    t9 = wb["财政拨款“三公”经费支出决算表"]
    assert [t9.cell(row=6, column=k).value for k in range(1, 13)] == list(range(1, 13))
    assert {"A3:F3", "G3:L3", "C4:E4"} <= {str(r) for r in t9.merged_cells.ranges}


def test_figures_are_numbers_with_format(built, example_tables):
    _, _, wb = built
    ws = wb["收入支出决算总表"]
    cell = ws["C6"]
    assert ws["A6"].value == "一、一般公共预算财政拨款收入"
    assert Decimal(str(cell.value)) == example_tables["T1"].value("income:general", "决算数")
    assert cell.number_format == NUMBER_FORMAT
    assert isinstance(cell.value, float)
    total = example_tables["T1"].value("grand_total:expenditure", "决算数")
    assert _find(ws, "总计").offset(column=2).value is not None
    assert Decimal(str(ws.cell(row=_find(ws, "本年支出合计").row, column=6).value)) == total
    t2 = wb["收入决算表"]
    row = next(r for r in t2.iter_rows(min_row=6) if r[3].value == "事业运行")
    assert [c.value for c in row[:3]] == ["201", "03", "50"]
    assert Decimal(str(row[4].value)) == example_tables["T2"].row(code="2010350").cells["本年收入合计"]
    assert row[6].value is None      # zero prints blank, as in the published table


def test_freeze_print_setup(built):
    _, _, wb = built
    t1, t2 = wb["收入支出决算总表"], wb["收入决算表"]
    assert t1.freeze_panes == "A6" and t1.print_title_rows == "$3:$5"
    assert t2.page_setup.orientation == "landscape" and t1.page_setup.orientation == "portrait"
    for ws in (t1, t2):
        assert int(ws.page_setup.paperSize) == 9    # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.column_dimensions["A"].width > 5


def test_empty_table_sentence(built):
    _, _, wb = built
    ws = wb["政府性基金预算财政拨款收入支出决算表"]
    assert _find(ws, "本部门没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。")


def test_performance_sheet(built):
    doc, _, wb = built
    ws = wb[SHEET_PERFORMANCE]
    values = {c.value for row in ws.iter_rows() for c in row if c.value is not None}
    assert projects(doc), "the example has 项目绩效自评表"
    for p in projects(doc):
        assert f"{doc.year}年度{p.name}项目绩效自评表" in values
        assert p.rate in values
    assert "年度绩效指标" in values and "部门整体绩效自评表" in next(v for v in values if isinstance(v, str)
                                                               and v.endswith("部门整体绩效自评表"))


def test_calamine_reads_the_same_cells(built, example_tables):
    from python_calamine import CalamineWorkbook
    _, path, _ = built
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("收入支出决算总表").to_python()
    assert rows[0][0] == "2023年度收入支出决算总表"
    assert Decimal(str(rows[5][2])) == example_tables["T1"].value("income:general", "决算数")


def test_sheet_titles_are_valid_and_unique():
    used: set[str] = set()
    a = _sheet_title("一般公共预算财政拨款基本支出决算明细表/附：很长很长很长很长很长很长", used)
    b = _sheet_title("一般公共预算财政拨款基本支出决算明细表/附：很长很长很长很长很长很长", used)
    assert "/" not in a and len(a) <= 31 and len(b) <= 31 and a != b


def test_document_without_tables_or_forms(tmp_path):
    from juesuan.document import Document
    path = tmp_path / "m.xlsx"
    write_xlsx(Document(title="2023年度测试单位部门决算公开", entity="测试单位", year=2023), path)
    wb = load_workbook(path)
    assert wb.sheetnames == [SHEET_PERFORMANCE]
    assert wb[SHEET_PERFORMANCE]["A1"].value == "本部门未公开绩效自评表。"
