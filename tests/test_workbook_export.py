"""The 公开表 as the reporting software exports them, rebuilt with openpyxl from the example.

Export style, as in the reference document: sheets named Sheet1…Sheet9 in shuffled
order (tables found by title), "2023年度…" titles, "部门：" and "金额单位：万元" lines,
"功能分类科目编码" merged over 类|款|项 with 款 rows printed "20103" + "50", the 栏次
row carrying 类/款/项, figures as text with spaces ("1, 184. 75"), T6 in three blocks,
and the publisher's own rounding (T1 53.32 where T2 says 53.33).
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from juesuan.final.build import build_tables
from juesuan.final.layouts import LAYOUTS
from juesuan.final.narrative import build_document
from juesuan.final.readers import load

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hanyang-bdc-2023"


def _txt(v: Decimal | None) -> str | None:
    if v is None or v == 0:
        return None
    s = f"{v:,.2f}"
    return s.replace(",", ", ").replace(".", ". ")     # "1, 294. 48" as PDF-era exports print


def _top(ws, title: str, ncols: int) -> None:
    ws.cell(1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(2, 1, "部门：武汉市汉阳区大数据中心")
    ws.cell(2, ncols, "金额单位：万元")


def _function_sheet(ws, t) -> None:
    lay = t.layout
    n = 4 + len(lay.columns)
    _top(ws, f"2023年度{lay.title}", n)
    ws.cell(3, 1, "项目")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=4)
    ws.cell(4, 1, "功能分类科目编码")
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=3)
    ws.cell(4, 4, "科目名称")
    for j, c in enumerate(lay.columns):
        col = 5 + j
        leaf = c.header.split("/")[-1]
        if c.group:
            ws.cell(3, col, c.group)
            ws.cell(4, col, leaf)
        else:
            ws.cell(3, col, leaf)
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    for j, s in enumerate(("类", "款", "项", "栏次")):
        ws.cell(5, 1 + j, s)
    for j, c in enumerate(lay.columns):
        ws.cell(5, 5 + j, c.number)
    r = 6
    for row in t.rows:
        if row.code:
            if len(row.code) == 7:
                ws.cell(r, 1, row.code[:5])
                ws.cell(r, 3, row.code[5:])
            else:
                ws.cell(r, 1, row.code)
        ws.cell(r, 4, row.label)
        for j, c in enumerate(lay.columns):
            ws.cell(r, 5 + j, _txt(row.cells.get(c.header)))
        r += 1
    if t.empty:
        ws.cell(r + 1, 1, lay.empty_sentence)


def _two_sided_sheet(ws, t, drift: dict[str, str]) -> None:
    lay = t.layout
    widths = [2 + len(s.columns) for s in lay.sides]
    _top(ws, f"2023年度{lay.title}", sum(widths))
    c0 = 1
    for side, w in zip(lay.sides, widths):
        ws.cell(3, c0, side.name)
        ws.merge_cells(start_row=3, start_column=c0, end_row=3, end_column=c0 + w - 1)
        ws.cell(4, c0, "项目")
        ws.cell(4, c0 + 1, "行次")
        for j, c in enumerate(side.columns):
            ws.cell(4, c0 + 2 + j, "金额" if c.header == "决算数" and lay.id == "T1" else c.header)
        ws.cell(5, c0, "栏次")
        for j, c in enumerate(side.columns):
            ws.cell(5, c0 + 2 + j, c.number)
        rows = [r for r in t.rows if r.side == side.name]
        for i, row in enumerate(rows):
            label = "使用非财政拨款结余（含专用结余）" if row.key == "balance:use_of_nonfiscal_balance" else row.label
            ws.cell(6 + i, c0, label or None)
            ws.cell(6 + i, c0 + 1, row.line)
            for j, c in enumerate(side.columns):
                ws.cell(6 + i, c0 + 2 + j, drift.get(row.key) if row.key in drift else _txt(row.cells.get(c.header)))
        c0 += w


def _economic_sheet(ws, t) -> None:
    _top(ws, f"2023年度{t.layout.title}", 9)
    ws.cell(3, 1, "人员经费")
    ws.cell(3, 4, "公用经费")
    for b in range(3):
        for j, h in enumerate(("科目代码", "科目名称", "决算数")):
            ws.cell(4, 1 + 3 * b + j, h)
    blocks = {"人员经费": [], "公用经费302": [], "公用经费310": []}
    foot = {}
    for row in t.rows:
        if not row.code:
            foot[row.key] = row.cells["决算数"]
        elif row.code[:3] in ("301", "303"):
            blocks["人员经费"].append(row)
        elif row.code[:3] == "302":
            blocks["公用经费302"].append(row)
        else:
            blocks["公用经费310"].append(row)
    for b, rows in enumerate(blocks.values()):
        for i, row in enumerate(rows):
            ws.cell(5 + i, 1 + 3 * b, row.code)
            ws.cell(5 + i, 2 + 3 * b, row.label)
            ws.cell(5 + i, 3 + 3 * b, _txt(row.cells["决算数"]))
    last = 5 + max(len(r) for r in blocks.values())
    ws.cell(last, 2, "人员经费合计")
    ws.cell(last, 3, _txt(foot["人员经费合计"]))
    ws.cell(last, 4, "公用经费")
    ws.cell(last, 5, "合计")
    ws.cell(last, 9, _txt(foot["公用经费合计"]))


def _three_public_sheet(ws, t) -> None:
    lay = t.layout
    _top(ws, "2023年度财政拨款\"三公\"经费支出决算表", 12)
    for b, group in enumerate(("预算数", "决算数")):
        ws.cell(3, 1 + 6 * b, group)
        for j, h in enumerate(("合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费")):
            ws.cell(4, 1 + 6 * b + j, h or None)
        for j, h in enumerate(("小计", "购置费", "运行费")):
            ws.cell(5, 3 + 6 * b + j, h)
    for j, c in enumerate(lay.columns):
        ws.cell(6, 1 + j, c.number)
        ws.cell(7, 1 + j, _txt(t.rows[0].cells.get(c.header)))


@pytest.fixture(scope="module")
def example():
    return load(EXAMPLE)[0]


@pytest.fixture(scope="module")
def export(tmp_path_factory, example) -> Path:
    tables = build_tables(example)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    order = list(LAYOUTS)
    random.Random(6).shuffle(order)
    for i, tid in enumerate(order):
        ws = wb.create_sheet(f"Sheet{i + 1}")
        t = tables[tid]
        kind = t.layout.kind
        if kind == "function":
            _function_sheet(ws, t)
        elif kind == "two_sided":
            _two_sided_sheet(ws, t, {"expenditure:208": "53. 32"} if tid == "T1" else {})
        elif kind == "economic":
            _economic_sheet(ws, t)
        else:
            _three_public_sheet(ws, t)
    p = tmp_path_factory.mktemp("export") / "公开表.xlsx"
    wb.save(p)
    return p


def test_export_reads_to_the_same_tables(export, example):
    model, diags = load(export)
    assert build_tables(model).facts_csv() == build_tables(example).facts_csv()
    assert not [d for d in diags if d.severity == "error"]


def test_export_names_entity_and_year_from_the_tables(export):
    model, diags = load(export)
    assert model.year == 2023 and model.entity.name == "武汉市汉阳区大数据中心"
    assert model.entity.level == "区"
    assert any("没有“单位概况”表" in d.message for d in diags)


def test_nine_tables_alone_give_a_document_with_placeholders(export):
    model, _ = load(export)
    doc = build_document(model, build_tables(model))
    assert doc.placeholders               # reasons, 职责 … are asked for, not invented
    assert len(list(doc.tables)) == 9


def test_legacy_xls(tmp_path, export, example):
    """The same export as legacy .xls (written with xlwt when it is installed; calamine reads it)."""
    xlwt = pytest.importorskip("xlwt")
    src = openpyxl.load_workbook(export)
    wb = xlwt.Workbook()
    for ws in src.worksheets:
        dst = wb.add_sheet(ws.title)
        covered = {}
        for m in ws.merged_cells.ranges:
            for r in range(m.min_row, m.max_row + 1):
                for c in range(m.min_col, m.max_col + 1):
                    covered[(r, c)] = m
        for row in ws.iter_rows():
            for c in row:
                m = covered.get((c.row, c.column))
                if m is not None and (c.row, c.column) != (m.min_row, m.min_col):
                    continue
                if m is not None:
                    dst.write_merge(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1, c.value)
                elif c.value is not None:
                    dst.write(c.row - 1, c.column - 1, c.value)
    p = tmp_path / "公开表.xls"
    wb.save(str(p))
    model, _ = load(p)
    assert build_tables(model).facts_csv() == build_tables(example).facts_csv()
