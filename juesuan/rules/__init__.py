"""Rules: the audit engine and what a rule reads and reports; the rules themselves are a kind's.

``check(doc, rules, select=None, ignore=None) -> list[Finding]`` runs rules on a
:class:`~juesuan.document.Document`, built from data or parsed from a published file alike.
The catalogue of the 决算 (JS1xx 表内 … JS6xx 文字) is :mod:`juesuan.final.rules`; the pipeline
(:func:`juesuan.pipeline.check`) runs a document's catalogue. See docs/rules.md (generated) and
docs/check-json.md.
"""

from __future__ import annotations

from .context import Finding
from .engine import check, select_rules
from .registry import REGISTRY, Rule

__all__ = ["check", "Finding", "Rule", "REGISTRY", "select_rules"]
