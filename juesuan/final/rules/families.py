"""The 决算's rule catalogue: its one list of rule families, their titles, and its rules.

Each family is a module of rules registered with ``@rule`` (:mod:`juesuan.rules.registry`);
importing this module registers them. Only the 决算 kind (:mod:`juesuan.final.kind`) imports
it, and hands :func:`rules` to the pipeline, which hands them to the engine.
"""

from __future__ import annotations

from functools import cache

from ...rules.registry import REGISTRY, Rule
from ...rules.report import rules_markdown
from . import completeness, narrative, performance, selfeval, tables_across, tables_within, text_slips

__all__ = ["FAMILY_MODULES", "FAMILIES", "rules", "catalogue_markdown"]

FAMILY_MODULES = (tables_within, tables_across, narrative, performance, selfeval, completeness, text_slips)

FAMILIES: dict[str, str] = {
    "JS1": "表内结构与合计",
    "JS2": "表间勾稽",
    "JS3": "情况说明与表格",
    "JS4": "预算绩效",
    "JS5": "公开完整性",
    "JS6": "文字差错",
}


@cache
def rules() -> tuple[Rule, ...]:
    """Every rule of the 决算 catalogue, by code."""
    names = {m.__name__ for m in FAMILY_MODULES}
    return tuple(REGISTRY[c] for c in sorted(REGISTRY) if REGISTRY[c].func.__module__ in names)


def catalogue_markdown() -> str:
    """docs/rules.md."""
    return rules_markdown(rules(), FAMILIES)
