"""The rule catalogue: every check is a registered ``Rule`` with a code and a doc.

A rule is a function ``(ctx) -> Iterable[Finding]`` registered with ``@rule(...)``
(ruff / beancount-plugin style). Its code says its kind and family (JS1 表内 … JS6 文字
for the 决算, declared by the kind with its rules), its docstring is its doc with the
fixed headings 作用 / 原因 / 错误示例 / 正确示例, rendered by
``juesuan rules --explain CODE`` and into ``docs/rules.md``
(:func:`juesuan.final.rules.families.rules_markdown`). This module only records: the rules
are registered by importing their families (:mod:`juesuan.final.rules.families`).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import Severity

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context, Finding

__all__ = ["Rule", "rule", "REGISTRY", "SOURCES", "DOC_HEADINGS"]

SOURCES: dict[str, str] = {
    "table": "表内/表间审核公式（勾稽关系）",
    "guide": "全国部门决算公开操作规程（情况说明口径）",
    "publication": "公开要求（公开内容与格式）",
    "performance": "预算绩效管理要求（绩效自评表口径）",
}

DOC_HEADINGS = ("作用", "原因", "错误示例", "正确示例")


@dataclass(frozen=True)
class Rule:
    code: str                 # JS101
    name: str                 # kebab-case English name: function-hierarchy-sum
    title: str                # Chinese title
    severity: str             # default severity of a real violation: error | warning | info
    source: str               # key of SOURCES
    doc: str                  # markdown with the DOC_HEADINGS
    func: Callable[[Context], Iterable[Finding]]
    # False: the rule reads no table figure (only text, 自评表, names, the year…): its findings
    # depend on the document's words alone
    reads_tables: bool = True

    @property
    def family(self) -> str:
        return self.code[:3]

    def sections(self) -> dict[str, str]:
        """The doc split by its ``### 标题`` headings."""
        out: dict[str, str] = {}
        current = None
        for line in self.doc.splitlines():
            m = re.match(r"^#+\s*(.+?)\s*$", line)
            if m:
                current = m.group(1)
                out[current] = ""
            elif current is not None:
                out[current] += line + "\n"
        return {k: v.strip() for k, v in out.items()}


REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, title: str, severity: str = "error", source: str = "table", *,
         reads_tables: bool = True):
    """Register the decorated function as rule ``code``; its docstring is the doc.

    ``reads_tables=False`` declares that the rule reads nothing of ``doc.tables`` (see ``Rule``).
    """
    if severity not in Severity.__members__.values():
        raise ValueError(f"bad severity {severity!r}")
    if source not in SOURCES:
        raise ValueError(f"bad source {source!r}")

    def deco(func):
        if code in REGISTRY:
            raise ValueError(f"duplicate rule code {code}")
        doc = inspect.cleandoc(func.__doc__ or "")
        REGISTRY[code] = Rule(code, name, title, severity, source, doc, func, reads_tables)
        return func

    return deco
