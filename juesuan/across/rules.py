"""The rule family YJ1xx 预算与决算核对 (placeholder: filled in next)."""

from __future__ import annotations

from ..document import Document
from ..rules.context import Finding


def run(final: Document, budget: Document, final_file: str, budget_file: str) -> list[Finding]:
    return []
