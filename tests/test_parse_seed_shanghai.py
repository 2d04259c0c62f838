"""The Shanghai sample (中共上海市普陀区委社会工作部 2024, published PDF) parses all nine tables.

Shanghai's variant: no 行次, T9 before T7/T8, T6 in two blocks, 三公 预算数/决算数
interleaved, 合计 printed across the code and name columns, part titles wrapped over two
lines, a cover title over three lines, glossary entries numbered 一、.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

PDF = Path(__file__).resolve().parent / "fixtures" / "samples" / "shanghai-putuo-shehuigongzuobu-2024.pdf"



@pytest.fixture(scope="module")
def parsed():
    from juesuan.pipeline import parse
    return parse(PDF)


def test_cover_and_parts(parsed):
    doc = parsed.document
    assert (doc.entity, doc.year, doc.level) == ("中共上海市普陀区委社会工作部", 2024, "区")
    assert [p.key for p in doc.parts] == ["profile", "tables", "narrative", "glossary"]
    assert doc.part("narrative").title.endswith("情况说明")
    assert len(doc.part("narrative").sections) == 11
    assert [g.term for g in doc.glossary][:2] == ["财政拨款收入", "事业收入"] and len(doc.glossary) == 11


def test_nine_tables_shanghai_order(parsed):
    doc, cov = parsed.document, parsed.coverage.to_dict()
    t = doc.tables
    assert t.variant == "shanghai" and cov["tables_found"] == 9
    assert cov["unreadable"] == []
    assert t["T1"].row("income:general").cells["决算数"] == Decimal("307.82")
    assert t["T1"].row("expenditure:221").cells["决算数"] == Decimal("29.42")
    assert t["T2"].row(key="合计").cells["本年收入合计"] == Decimal("307.82")
    assert t["T2"].row(key="合计").cells["上级补助收入"] == Decimal("0.00")
    assert t["T3"].row(key="合计").cells["项目支出"] == Decimal("202.24")
    assert t["T4"].row("fiscal_income:general").cells["决算数"] == Decimal("307.82")
    assert t["T4"].row("fiscal_opening:general").cells["决算数"] == Decimal("0.00")
    assert t["T5"].row(code="2013999").cells["项目支出"] == Decimal("202.24")
    t6 = t["T6"]
    assert t6.layout.economic_blocks == 2
    assert t6.row(key="人员经费合计").cells["决算数"] == Decimal("95.36")
    assert t6.row(key="公用经费合计").cells["决算数"] == Decimal("10.23")
    assert t6.row(code="30239").cells["决算数"] == Decimal("2.43")
    for tid in ("T7", "T8", "T9"):
        assert t[tid].empty and "故本表无数据" in t[tid].source["empty_sentence"]


def test_not_faulted_for_following_shanghais_template(parsed):
    """Shanghai's template reports the 绩效自评 in 情况说明 without attaching the 自评表: a Shanghai
    document is not told it lacks them (JS506), nor any table or section of its layout."""
    from juesuan.pipeline import check
    assert parsed.variant == "shanghai"
    assert not [f for f in check(parsed.document) if f.rule in ("JS501", "JS503", "JS506")]
