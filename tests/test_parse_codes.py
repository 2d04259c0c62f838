"""A printed 科目编码 is never rewritten (issue 13): the reader keeps what the document prints and
the checker says what is wrong with it, instead of the reader silently "correcting" it."""

from __future__ import annotations

import pytest

from juesuan.pipeline import check, parse
from juesuan.renderers import render

ROW = "201\t03\t99\t其他政府办公厅（室）及相关机构事务支出\t937.70\t937.70\t"


@pytest.fixture(scope="module")
def text(example_document, tmp_path_factory):
    return render(example_document, "txt", tmp_path_factory.mktemp("codes")).read_text(encoding="utf-8")


def _parse(tmp_path, text):
    p = tmp_path / "d.txt"
    p.write_text(text, encoding="utf-8")
    return parse(p).document


def test_a_code_not_in_the_catalogue_is_kept_as_printed_and_warned(tmp_path, text):
    assert ROW in text
    doc = _parse(tmp_path, text.replace(ROW, ROW.replace("201\t03\t99", "201\t03\t98"), 1))
    t2 = doc.tables["T2"]
    assert t2.row(code="2010398") is not None and t2.row(code="2010399") is None
    assert t2.row(code="2010398").label == "其他政府办公厅（室）及相关机构事务支出"
    warned = [f for f in check(doc) if f.rule == "JS110"]
    assert [f.severity for f in warned] == ["warning"]
    assert "2010398" in warned[0].message


def test_a_name_that_is_not_the_codes_is_kept_as_printed(tmp_path, text):
    """2010350 printed with the name of 2010399: the row keeps code 2010350 and the printed name,
    and JS109 reports the mismatch (the reader does not move the figures to 2010399)."""
    row = "201\t03\t50\t事业运行\t247.04\t247.04\t"
    assert row in text
    doc = _parse(tmp_path, text.replace(row, row.replace("事业运行", "一般行政管理事务"), 1))
    r = doc.tables["T2"].row(code="2010350")
    assert r is not None and r.label == "一般行政管理事务"
    assert any(f.rule == "JS109" and "2010350" in f.message for f in check(doc))


def test_catalogue_checks_hold_a_document_only_to_its_own_year(tmp_path, text):
    """A 2019 document's codes are not judged by the 2023 catalogue the tool carries."""
    doc = _parse(tmp_path, text.replace(ROW, ROW.replace("201\t03\t99", "201\t03\t98"), 1))
    doc.year = 2019
    assert not [f for f in check(doc) if f.rule in ("JS109", "JS110")]
