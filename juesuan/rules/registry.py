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

# what a rule rests on, cited as the documents a finance bureau cites (one text per family of
# rules; the rule's own doc says what in it)
SOURCES: dict[str, str] = {
    "table": "财政部部门决算报表审核公式（表内、表间勾稽关系；各年度部门决算编制工作通知所附报表及审核公式）",
    "guide": "财预〔2016〕143号《地方预决算公开操作规程》；财政部及本级财政部门当年度部门决算公开工作通知"
             "（情况说明的内容与口径）",
    "publication": "《中华人民共和国预算法》第十四条；中办发〔2016〕13号《关于进一步推进预算公开工作的意见》；"
                   "财预〔2016〕143号《地方预决算公开操作规程》（公开的内容、表格与格式）",
    "performance": "中发〔2018〕34号《关于全面实施预算绩效管理的意见》；财预〔2020〕10号《项目支出绩效评价管理办法》"
                   "（绩效自评表的内容与评分）",
    "budget-table": "财预〔2016〕143号《地方预决算公开操作规程》；财政部及本级财政部门当年度部门预算编制、公开工作通知"
                    "所附预算公开表格（收支平衡、科目逐级汇总、合计与组成之和）",
    "across": "《中华人民共和国预算法》第十四条（部门预算、决算经批复后向社会公开）；"
              "财预〔2016〕143号《地方预决算公开操作规程》；部门决算公开工作通知（决算中的年初预算、"
              "“三公”经费预算数和项目绩效目标引用批复的部门预算）",
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
