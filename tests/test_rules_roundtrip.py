"""Our own output, published and read back: the checker finds no errors (HTML and DOCX round trips)."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.pipeline import check

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"


@pytest.fixture(scope="module")
def built():
    from juesuan.final.build import build_tables
    from juesuan.final.narrative import build_document
    from juesuan.final.readers import load
    d, _ = load(EXAMPLE)
    return build_document(d, build_tables(d))


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_published_and_parsed_back_is_clean(built, tmp_path, fmt):
    from juesuan.pipeline import parse
    from juesuan.renderers import render
    path = render(built, fmt, tmp_path)
    doc = parse(path).document
    findings = check(doc)
    above_info = [(f.rule, f.severity, f.message) for f in findings if f.severity != "info"]
    # JS406 is the example's recorded inconsistency (README §7); nothing else may show up
    assert [r for r, _, _ in above_info] == ["JS406"], above_info
    # the 尾差 of the built document survive the trip (same rules, same figures)
    assert {f.rule for f in findings if f.severity == "info"} == {f.rule for f in check(built) if f.severity == "info"}
