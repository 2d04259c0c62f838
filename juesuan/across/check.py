"""``check_pair``: a 决算 and a 预算 of the same unit and year, held against each other."""

from __future__ import annotations

from ..document import Document
from ..rules.context import Finding

__all__ = ["check_pair"]


def check_pair(final: Document, budget: Document, final_file: str, budget_file: str) -> list[Finding]:
    """The findings of the YJ rules on ``final`` (a 部门决算) and ``budget`` (the same unit's 部门预算
    for the same year); every place names its document's file (``final_file``, ``budget_file``).
    A pair of different units or years is refused: one finding (YJ100), no rule run."""
    from .rules import run
    return run(final, budget, final_file, budget_file)
