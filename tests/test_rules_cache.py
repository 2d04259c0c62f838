"""Memos of the check engine (issue 4 throughput) never change a finding.

``check`` keeps a few look-ups across documents (column headers by layout, the plans of the
identity declarations by layouts, 科目 names by year, code and label) and shares text scans
between rules within one check. Checked warm (after other documents)
or cold (every memo cleared first), any document must give the same findings — also after
it was edited in place between two checks.
"""

from __future__ import annotations

import copy
from decimal import Decimal as D
from pathlib import Path

import pytest

from juesuan.pipeline import check
from juesuan.rules.engine import clear_caches

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hanyang-bdc-2023"


@pytest.fixture(scope="module")
def base_doc():
    from juesuan.final.build import build_tables
    from juesuan.final.narrative import build_document
    from juesuan.final.readers import load
    d, _ = load(EXAMPLE)
    return build_document(d, build_tables(d))


def _dicts(findings):
    return [f.to_dict() for f in findings]


def _cold(doc):
    clear_caches()
    return _dicts(check(doc))


def _bump(doc, tid, code, delta):
    t = doc.tables[tid]
    r = next(r for r in t.rows if r.code == code)
    col = t.layout.columns[0].header
    r.cells[col] = (r.cells.get(col) or D(0)) + D(delta)


def test_two_documents_of_one_shape(base_doc):
    a, b = copy.deepcopy(base_doc), copy.deepcopy(base_doc)
    _bump(a, "T3", "2010350", "0.02")     # breaks 款 = Σ项 in T3
    _bump(b, "T5", "221", "1.00")         # breaks T5 合计 = Σ类 and T4 vs T5
    cold_a, cold_b = _cold(a), _cold(b)
    assert cold_a != cold_b
    clear_caches()
    warm = [_dicts(check(d)) for d in (base_doc, a, b, a, b)]   # plans compiled on base_doc, reused
    assert warm[1] == warm[3] == cold_a
    assert warm[2] == warm[4] == cold_b
    assert any(f["rule"] == "JS101" and f["severity"] == "error" for f in cold_a)
    assert any(f["rule"] == "JS102" for f in cold_b)


def test_text_edited_in_place_between_checks(base_doc):
    doc = copy.deepcopy(base_doc)
    before = _dicts(check(doc))
    old = "支出决算数大于年初预算数的主要原因：新增"
    para = next(p for s in doc.sections() for p in s.paragraphs if old in p.text)
    para.text = para.text.replace(old, old.replace("大于", "小于"))   # JS305: the word contradicts the figures
    after = _dicts(check(doc))
    assert after != before
    assert any(f["rule"] == "JS305" for f in after)
    assert after == _cold(doc)


def test_table_shape_edited_in_place_between_checks(base_doc):
    doc = copy.deepcopy(base_doc)
    check(doc)
    t3 = doc.tables["T3"]
    t3.rows.remove(next(r for r in t3.rows if r.code == "2010350"))   # a 项 row disappears
    after = _dicts(check(doc))
    assert any(f["rule"] == "JS101" for f in after)
    assert after == _cold(doc)


def test_a_finished_check_leaves_no_cyclic_garbage(base_doc):
    """The per-check memos hold figures whose places are closures over the context; ``check``
    breaks those cycles when it ends, so a batch frees each document's work by reference
    counting instead of leaving hundreds of objects per document to the garbage collector."""
    import gc
    findings = check(copy.deepcopy(base_doc))     # a document with findings and every memo used
    assert findings
    bad = copy.deepcopy(base_doc)
    _bump(bad, "T5", "221", "1.00")
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        for doc in (base_doc, bad):
            clear_caches()
            assert check(doc)
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
