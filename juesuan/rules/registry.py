"""The rule catalogue: every check is a registered ``Rule`` with a code and a doc.

A rule is a function ``(ctx) -> Iterable[Finding]`` registered with ``@rule(...)``
(ruff / beancount-plugin style). Its code says its family (JS1 表内, JS2 表间,
JS3 情况说明, JS4 绩效, JS5 完整性, JS6 文字), its docstring is its doc with the
fixed headings 作用 / 原因 / 错误示例 / 正确示例, rendered by
``juesuan rules --explain CODE`` and into ``docs/rules.md`` (:func:`rules_markdown`).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Context, Finding

__all__ = ["Rule", "rule", "REGISTRY", "FAMILIES", "SOURCES", "DOC_HEADINGS", "all_rules",
           "rules_markdown", "SEVERITY_NAMES"]

FAMILIES: dict[str, str] = {
    "JS1": "表内结构与合计",
    "JS2": "表间勾稽",
    "JS3": "情况说明与表格",
    "JS4": "预算绩效",
    "JS5": "公开完整性",
    "JS6": "文字差错",
}

SOURCES: dict[str, str] = {
    "table": "表内/表间审核公式（勾稽关系）",
    "guide": "全国部门决算公开操作规程（情况说明口径）",
    "publication": "公开要求（公开内容与格式）",
    "performance": "预算绩效管理要求（绩效自评表口径）",
}

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}

DOC_HEADINGS = ("作用", "原因", "错误示例", "正确示例")


@dataclass(frozen=True)
class Rule:
    code: str                 # JS101
    name: str                 # kebab-case English name: function-hierarchy-sum
    title: str                # Chinese title
    severity: str             # default severity of a real violation: error | warning | info
    source: str               # key of SOURCES
    doc: str                  # markdown with the DOC_HEADINGS
    func: Callable[["Context"], Iterable["Finding"]]
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
    if severity not in SEVERITY_NAMES:
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


def all_rules() -> list[Rule]:
    from . import catalogue  # noqa: F401  (imports every family module, registering its rules)
    return [REGISTRY[c] for c in sorted(REGISTRY)]


def rules_markdown() -> str:
    """docs/rules.md, generated from the registry."""
    rules = all_rules()
    lines = [
        "# 审核规则目录（juesuan check）",
        "",
        "本文件由 `juesuan.rules.registry.rules_markdown()` 生成，请勿手改；"
        "`tests/test_rules_catalogue.py` 检查它是否最新。",
        "",
        "严重程度：**错误**（error）= 任何舍入都解释不了的矛盾；**警告**（warning）= 表述不一致、"
        "缺少应有的说明、名称或年度有误；**提示**（info）= 舍入范围内的尾差等。",
        "",
        "## 用法",
        "",
        "```",
        "juesuan check examples/hanyang-bdc-2023            # 部门数据（YAML/JSON/Excel）：生成后审核",
        "juesuan check report.pdf                           # 已发布的文件（.pdf/.docx/.html/.txt）：解析后审核",
        "juesuan check report.pdf --format json             # 机器可读，格式见 docs/check-json.md",
        "juesuan check report.pdf --select JS1,JS3 --ignore JS308   # 按代码前缀选择规则",
        "juesuan check report.pdf --min-severity warning    # 不显示提示（尾差）；退出码不变",
        "juesuan rules                                      # 规则一览",
        "juesuan rules --explain JS301                      # 一条规则的说明",
        "```",
        "",
        "退出码：0 没有错误；1 有错误；2 输入无法使用或用法错误。`juesuan build` 生成后也运行全部规则并打印汇总。"
        "注入错误的变异测试一览见 docs/rules-mutations.md。",
        "",
        "## 舍入与区间",
        "",
        "表中以万元列示两位小数的数，代表一个区间：53.33 表示真实值在 [53.325, 53.335] 之内。"
        "加总关系在各加数区间之和与合计区间**有交集**时成立；同一事实两处列示，区间有交集即一致；"
        "百分比在所述百分比的区间与“分子区间 ÷ 分母区间”有交集时成立。"
        "有交集但列示值不同，至多报**提示**（尾差）。",
        "",
        "按国家要求做舍位平衡（先舍位末级，再把尾差推给余数最大的行）的表，可能使单个数字移动不到"
        "末位一个单位。因此**单个数字**与别处同一数量的比较（另一张表、整体绩效自评表中的元数、"
        "情况说明中的数字）相差不超过末位一个单位（0.01 万元）时，也只报**提示**（尾差）；"
        "超出即为错误。",
        "",
        "情况说明中的万元金额按至少两位小数理解（“3万元”即 3.00 万元，“78.9万元”即 78.90 万元）。",
        "",
        "## 一览",
        "",
        "| 代码 | 名称 | 标题 | 默认严重程度 | 依据 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        lines.append(f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.title} | "
                     f"{SEVERITY_NAMES[r.severity]} | {SOURCES[r.source]} |")
    for fam, fam_title in FAMILIES.items():
        fam_rules = [r for r in rules if r.family == fam]
        if not fam_rules:
            continue
        lines += ["", f"## {fam}xx {fam_title}"]
        for r in fam_rules:
            lines += ["", f"### {r.code}", "",
                      f"**{r.title}**（`{r.name}`；默认{SEVERITY_NAMES[r.severity]}；依据：{SOURCES[r.source]}）",
                      ""]
            for head, body in r.sections().items():
                lines += [f"#### {head}", "", body, ""]
            while lines and lines[-1] == "":
                lines.pop()
    return "\n".join(lines) + "\n"
