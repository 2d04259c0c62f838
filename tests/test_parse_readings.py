"""Every parsed cell carries a Reading: its value, printed text, place, how it was read and how sure.

Built and typed data read as exact (``typed``); cells of real table structure (DOCX/HTML
cells) as ``ruled-cell``; cells found by position on a text line as ``positional``; readings
chosen among several by the row's identities, or left ambiguous, say so with a confidence
below 1 and the other values the line allows.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.final.recognition import SPEC
from juesuan.parse import recognize
from juesuan.parse.source import SourceDoc
from juesuan.parse.text import lines_from_text
from juesuan.pipeline import parse
from juesuan.renderers import render
from juesuan.tables.table import READING_HOW


@pytest.fixture(scope="module")
def example_doc(example_model, example_tables):
    from juesuan.final.narrative import build_document
    return build_document(example_model, example_tables)


def _cells(doc):
    for t in doc.tables:
        for r in t.rows:
            for col, v in r.cells.items():
                if r.label:
                    yield t, r, col, v


@pytest.mark.parametrize("fmt,how", [("txt", "positional"), ("html", "ruled-cell"), ("docx", "ruled-cell")])
def test_every_parsed_cell_has_its_reading(example_doc, tmp_path, fmt, how):
    back = parse(render(example_doc, fmt, tmp_path)).document
    seen = 0
    for t, r, col, v in _cells(back):
        rd = r.readings.get(col)
        assert rd is not None, (t.id, r.key, col)
        assert rd.value == v and rd.how.split(":")[0] in READING_HOW
        assert rd.place.table == t.id and rd.place.column == col and rd.place.row
        assert rd.place.line is not None or rd.how.startswith(("repaired", "blank"))   # a 合计 not printed
        seen += 1
    assert seen > 300
    # what the renderer printed in cells is read exactly, as printed
    exact = [r.readings[col] for t, r, col, v in _cells(back) if r.readings[col].text]
    assert exact and all(x.how.startswith(how) or x.how.startswith("positional") for x in exact)
    assert sum(x.exact for x in exact) / len(exact) > 0.95


def test_built_cells_read_as_typed(example_doc):
    for _table, r, col, v in _cells(example_doc):
        rd = r.reading(col)
        assert rd.how == "typed" and rd.exact and rd.value == v and not r.readings


T5_TIED = """\
2023年度一般公共预算财政拨款支出决算表
部门：某单位  金额单位：万元
科目编码 科目名称 小计 基本支出 项目支出
合计 1000.00 600.00 400.00
201 一般公共服务支出 1000.00 600.00 400.00
20103 政府办公厅（室）及相关机构事务 1000.00 600.00 400.00
2010301 行政运行 600.00 600.00
2010399 其他政府办公厅（室）及相关机构事务支出 400.00 400.00
"""


def test_readings_say_when_a_line_allowed_several():
    src = SourceDoc(path="t.txt", format="text", lines=lines_from_text(T5_TIED))
    t = recognize(src, SPEC).document.tables["T5"]
    row = t.row(code="2010399")
    assert row.cells["项目支出"] == Decimal("400.00") and row.cells["基本支出"] == Decimal("0.00")
    rd = row.readings["项目支出"]
    assert rd.text == "400.00" and not rd.exact and rd.how.startswith("chosen-by-identity")
    assert rd.place.row.startswith("2010399") and rd.place.line == 8
    # 行政运行 600.00 600.00: 小计 and 基本支出, or 小计 and 项目支出 — the hierarchy decided
    assert not t.row(code="2010301").readings["基本支出"].exact
