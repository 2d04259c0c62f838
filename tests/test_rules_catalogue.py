"""The rule catalogue: every rule complete (code, name, title, doc headings), docs/rules.md up to date."""

from __future__ import annotations

import re
from pathlib import Path

from juesuan.errors import Severity
from juesuan.final.rules.families import FAMILIES
from juesuan.final.rules.families import catalogue_markdown as rules_markdown
from juesuan.final.rules.families import rules as all_rules
from juesuan.rules.registry import DOC_HEADINGS, SOURCES

ROOT = Path(__file__).resolve().parent.parent


def test_every_rule_is_complete():
    rules = all_rules()
    assert len(rules) >= 40
    names = set()
    for r in rules:
        assert re.fullmatch(r"JS[1-6]\d\d", r.code), r.code
        assert r.family in FAMILIES
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", r.name), r.name
        assert r.name not in names, r.name
        names.add(r.name)
        assert r.title and re.search(r"[\u4e00-\u9fff]", r.title), r.code
        assert r.severity in set(Severity) and r.source in SOURCES
        sections = r.sections()
        for head in DOC_HEADINGS:
            assert sections.get(head), f"{r.code} lacks doc section {head}"


def test_every_family_has_rules():
    fams = {r.family for r in all_rules()}
    assert fams == set(FAMILIES)


def test_every_rule_is_exercised_by_a_test():
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_rules_*.py"))
    missing = [r.code for r in all_rules() if f'"{r.code}"' not in text]
    assert not missing, missing


def test_docs_rules_md_up_to_date():
    path = ROOT / "docs" / "rules.md"
    assert path.read_text(encoding="utf-8") == rules_markdown(), \
        "docs/rules.md is stale: python -c 'from juesuan.final.rules.families import catalogue_markdown; " \
        "open(\"docs/rules.md\",\"w\").write(catalogue_markdown())'"


def test_every_rule_cites_the_documents_it_rests_on():
    """A rule's 依据 names real documents (a 文号 or a title in 《》), as a finance bureau cites them,
    not a generic phrase; `rules --explain` prints it."""
    import re

    from juesuan.cli import invoke
    from juesuan.rules.registry import REGISTRY, SOURCES
    cited = re.compile(r"《[^》]+》|〔\d{4}〕\d+号|审核公式")
    assert all(cited.search(text) for text in SOURCES.values()), SOURCES
    assert {r.source for r in REGISTRY.values()} <= set(SOURCES)
    guide = next(r.code for r in REGISTRY.values() if r.source == "guide")
    assert "财预〔2016〕143号《地方预决算公开操作规程》" in invoke(["rules", "--explain", guide]).stdout
