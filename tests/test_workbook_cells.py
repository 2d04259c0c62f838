"""Cell-level reading: numbers, codes, units, titles, header matching."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.final.layouts import LAYOUTS, VARIANTS
from juesuan.final.workbook.reader import infer_level, infer_unit_type
from juesuan.final.workbook.tables import _assemble_code, _map_columns, _match_title
from juesuan.workbook.cells import NumberError, a1, code_digits, detect_unit, parse_number, split_code_name


@pytest.mark.parametrize("raw, want", [
    (12944840.57, "12944840.57"), (0.1 + 0.2, "0.30000000000000004"), (5, "5"),
    ("1,294.48", "1294.48"), ("1, 294. 48", "1294.48"), (" 2,470,406.20 ", "2470406.20"),
    ("１２３．４", "123.4"), ("-", "0"), ("—", "0"), ("(12.5)", "-12.5"), ("", None), (None, None),
])
def test_parse_number(raw, want):
    got = parse_number(raw)
    assert (got is None and want is None) or got == Decimal(want)


@pytest.mark.parametrize("raw", ["12,3a", "12,34", "1.2.3", "12元", "abc", True])
def test_parse_number_rejects(raw):
    with pytest.raises(NumberError):
        parse_number(raw)


def test_number_message_quotes_the_cell():
    with pytest.raises(NumberError) as e:
        parse_number("12,3a")
    assert str(e.value) == "“12,3a” 不是数字"



@pytest.mark.parametrize("wan, want", [
    ("1,294.48", "12944800.00"), ("1，294.48", "12944800.00"), ("０.０１", "100.00"), (Decimal("-3.5"), "-35000.00"),
    ("0.00", "0.00"), ("—", None), ("", None), ("12元", None), (None, None),
])
def test_a_displayed_wan_figure_read_back_as_yuan(wan, want):
    """Both kinds' documents read back as data turn their 万元 figures into yuan by this one function."""
    from juesuan.figures import wan_to_yuan
    got = wan_to_yuan(wan)
    assert got == (None if want is None else Decimal(want)) and (got is None or str(got) == want)

@pytest.mark.parametrize("cells, want", [
    (["2010350"], "2010350"), (["201 03 50"], "2010350"), (["20103 50"], "2010350"),
    ([2010350.0], "2010350"), (["201", "03", "50"], "2010350"), (["20103", "", "50"], "2010350"),
    (["201", 3.0, 50.0], "2010350"), (["201", "20103", "2010350"], "2010350"), (["201", "", ""], "201"),
])
def test_codes_joined_or_split(cells, want):
    assert _assemble_code(cells) == want


def test_code_with_name_in_one_cell():
    assert split_code_name("2010350 事业运行") == ("2010350", "事业运行")
    assert split_code_name("事业运行") == ("", "事业运行")
    assert code_digits("  30101 ") == "30101"


@pytest.mark.parametrize("texts, want", [
    (["金额单位：万元"], "万元"), (["单位: 元"], "元"), (["金额单位：", "万元"], "万元"),
    (["部门：某某局", "", "金额单位:元"], "元"), (["编制单位：某某局"], None), (["金额单位：", ""], None),
])
def test_unit_line(texts, want):
    assert detect_unit(texts) == want


@pytest.mark.parametrize("title, tid, year", [
    ("2023年度收入决算表", "T2", 2023), ("2023 年度政府性基金预算财政拨款收入支出决算表", "T7", 2023),
    ("2023年度财政拨款\"三公\"经费支出决算表", "T9", 2023), ("一般公共预算财政拨款基本支出决算表", "T6", None),
    ("支出决算表", "T3", None), ("2024年收入支出决算总表", "T1", 2024),
    ("国有资本经营预算财政拨款收入支出决算表", "T8", None),
])
def test_titles(title, tid, year):
    assert _match_title(title) == (tid, year)


def test_not_titles():
    assert _match_title("填表说明") is None
    assert _match_title("本表反映部门本年度取得的各项收入情况。收入决算表的各栏说明如下，请仔细阅读后填写。") is None


def test_three_public_headers_either_way_round():
    national = {c: p for c, p in enumerate(
        [["预算数", "合计"], ["预算数", "因公出国(境)费"], ["预算数", "公务用车购置及运行维护费", "小计"],
         ["预算数", "公务用车购置及运行维护费", "公务用车购置费"],
         ["预算数", "公务用车购置及运行维护费", "公务用车运行维护费"], ["预算数", "公务接待费"]])}
    cols = LAYOUTS["T9"].columns[:6]
    assert list(_map_columns(cols, national, list(national), {}).values()) == list(range(6))
    shanghai = {}
    for i, item in enumerate(["合计", "因公出国(境)费", "小计", "公务用车购置费", "公务用车运行维护费", "公务接待费"]):
        shanghai[2 * i] = [item, "预算数"]
        shanghai[2 * i + 1] = [item, "决算数"]
    got = _map_columns(LAYOUTS["T9"].columns, shanghai, list(shanghai), {})
    assert got["预算数/公务接待费"] == 10 and got["决算数/公务接待费"] == 11
    assert got["决算数/合计"] == 1 and got["预算数/公务用车购置费"] == 6
    assert VARIANTS["shanghai"].layouts["T9"].columns  # same keys, other order


def test_entity_inference():
    assert infer_level("武汉市汉阳区大数据中心") == "区"
    assert infer_level("湖北省财政厅") == "省"
    assert infer_level("上海市普陀区民政局") == "区"
    assert infer_unit_type("武汉市汉阳区民政局") == "行政单位"
    assert infer_unit_type("武汉市汉阳区大数据中心") == "事业单位"


def test_a1():
    assert a1(0, 0) == "A1" and a1(11, 4) == "E12" and a1(0, 26) == "AA1"


def test_formulas_cached_or_not(tmp_path):
    import openpyxl
    import xlsxwriter

    from juesuan.workbook.source import open_sheets

    p = tmp_path / "cached.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("表")
    ws.write_number(0, 0, 2)
    ws.write_formula(0, 1, "=A1*2", None, 4)          # as Excel saves it: formula and its value
    wb.close()
    g = open_sheets(p)[0]
    assert g.rows[0][1] == 4 and not g.uncached

    q = tmp_path / "uncached.xlsx"
    wb2 = openpyxl.Workbook()
    wb2.active.title = "表"
    wb2.active["A1"] = 2
    wb2.active["B1"] = "=A1*2"                         # never calculated
    wb2.save(q)
    g = open_sheets(q)[0]
    assert g.uncached == {(0, 1): "A1*2"}
