"""Rules: the audit engine (``check``) and its catalogue of rules (``juesuan check``).

``check(doc, select=None, ignore=None) -> list[Finding]`` runs every registered
rule on a :class:`~juesuan.document.Document`, built from data or parsed from a
published file alike. Families: JS1xx 表内, JS2xx 表间, JS3xx 情况说明, JS4xx 绩效,
JS5xx 完整性, JS6xx 文字. See docs/rules.md (generated) and docs/check-json.md.
"""

from __future__ import annotations

from .context import Finding
from .engine import all_rules, check, select_rules
from .registry import REGISTRY, Rule
from .report import rules_markdown

__all__ = ["check", "Finding", "Rule", "REGISTRY", "all_rules", "rules_markdown", "select_rules"]
