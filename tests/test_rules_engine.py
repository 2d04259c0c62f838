"""The engine's arithmetic: interval comparisons, ratios, level inference, sentence normalisation."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from juesuan.document import Document
from juesuan.pipeline import check, rules
from juesuan.rules.context import Fig, compare, compare_ratio
from juesuan.rules.engine import select_rules
from juesuan.rules.text import norm, norm_name
from juesuan.zh import infer_level


def fig(x: str, d: int = 2) -> Fig:
    return Fig(D(x), d, x)


def test_sum_within_rounding_is_tail():
    # 收入决算表：各类之和 1294.50 vs 合计 1294.48 (five parts)
    parts = [(1, fig(x)) for x in ("1184.75", "53.33", "24.81", "3.00", "28.61")]
    v = compare(fig("1294.48"), parts)
    assert v.ok and v.tail


def test_sum_beyond_rounding_is_violation():
    v = compare(fig("1184.74"), [(1, fig("247.06")), (1, fig("937.70"))])
    assert not v.ok


def test_single_figure_allowance_one_unit():
    assert compare(fig("940.70"), [(1, Fig.exact(D("940.706437"), "9407064.37", {}))], single_allowance=True).ok
    assert not compare(fig("940.70"), [(1, fig("940.72"))], single_allowance=True).ok
    assert compare(fig("53.32"), [(1, fig("53.33"))], single_allowance=True).tail


def test_ratio_intervals():
    # 34.12 / 35 displays 97.49 %, but 34.115 / 35 = 97.47 %: consistent
    v = compare_ratio(fig("97.47"), fig("34.12"), fig("35"))
    assert v.ok and v.tail
    assert not compare_ratio(fig("83.73"), fig("25.84"), fig("35")).ok
    assert compare_ratio(fig("54.2", 1), fig("363.24"), fig("669.68")).ok
    assert not compare_ratio(fig("54.20"), fig("363.24"), fig("669.68")).ok


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30))
def test_rounded_parts_always_agree_with_rounded_total(cents_x1000):
    """Any true values, rounded independently to 0.01, never make a sum identity fail."""
    q = D("0.01")
    vals = [D(c) / D(100000) for c in cents_x1000]
    parts = [(1, Fig(v.quantize(q), 2, "")) for v in vals]
    total = Fig(sum(vals, D(0)).quantize(q), 2, "")
    assert compare(total, parts).ok


def test_infer_level():
    assert infer_level("武汉市汉阳区大数据中心") == "区"
    assert infer_level("中共上海市普陀区委社会工作部") == "区"
    assert infer_level("上海市财政局") == "市"
    assert infer_level("湖北省财政厅") == "省"
    assert infer_level("某某县农业农村局") == "县"
    assert infer_level("大数据中心") is None


def test_norm_reads_pdf_numbers():
    assert norm("1, 294. 48万元,占 27.33 %") == "1294.48万元，占27.33%"
    assert norm_name("行政事业单位缴纳残保金经费") == norm_name("行政事业单位缴纳残保金")
    assert norm_name("0A系统运行维护费") == "OA系统运行维护费"


def test_empty_document_does_not_crash():
    findings = check(Document(title="", entity="", year=None))
    assert all(f.rule != "JS000" for f in findings)
    assert {f.rule for f in findings} >= {"JS501", "JS503"}


def test_select_and_ignore_by_prefix():
    assert {r.family for r in select_rules(rules(), ["JS1", "JS3"])} == {"JS1", "JS3"}
    assert "JS601" not in {r.code for r in select_rules(rules(), None, ["JS601"])}
    assert all(r.code.startswith("JS30") for r in select_rules(rules(), ["js30"]))


def test_row_by_key_on_a_side_is_the_first_such_row():
    from juesuan.final.layouts import LAYOUTS
    from juesuan.rules.context import Context
    from juesuan.tables.table import Row, Table, TableSet
    lay = LAYOUTS["T1"]
    rows = [Row("k", "a", side="收入", cells={"v": D(1)}), Row("k", "b", side="支出", cells={"v": D(2)}),
            Row("k", "c", side="支出", cells={"v": D(3)}), Row("合计", "合计", cells={"v": D(4)})]
    doc = Document(title="x", entity="x", year=2023)
    doc.tables = TableSet({"T1": Table("T1", lay, rows)}, ("T1",))
    ctx = Context(doc)
    assert ctx.row("T1", "k", side="支出").label == "b"
    assert ctx.row("T1", "k", side="收入").label == "a"
    assert ctx.row("T1", "k", side="其他") is None
    assert ctx.row("T1", "k").label == "a"
