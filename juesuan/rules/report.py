"""Presenting findings: the Chinese text report, the JSON document, the one-line summary.

Owns the output formats of ``juesuan check`` (docs/check-json.md documents the
JSON schema, version 1), the summary line that ``juesuan build`` prints, and the rule
catalogue as a document (``docs/rules.md``, :func:`rules_markdown`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import Severity
from ..place import place_text
from .context import Finding
from .registry import REGISTRY, SOURCES, Rule

__all__ = ["summary", "summary_line", "to_json", "text_lines", "place_text", "JSON_VERSION", "rules_markdown"]

JSON_VERSION = 1


def summary(findings: list[Finding]) -> dict[str, int]:
    c = Counter(f.severity for f in findings)
    return {s.value: c.get(s, 0) for s in Severity}


def summary_line(findings: list[Finding]) -> str:
    s = summary(findings)
    return f"审核：{s['error']} 个错误，{s['warning']} 个警告，{s['info']} 个提示"


def text_lines(findings: list[Finding], source: str = "", reading: list[str] | None = None,
               titles: Mapping[str, str] | None = None) -> list[tuple[str, str | None]]:
    """(line, style) pairs of the human-readable report, grouped by severity; ``reading``: what
    the reader could not read for sure (a line each), printed first, since it bounds what the
    findings can say; ``titles``: the tables' printed titles by id, for the places."""
    out: list[tuple[str, str | None]] = []
    styles = {"error": "red", "warning": "yellow", "info": "cyan"}
    if source:
        out.append((f"审核 {source}", "bold"))
    if reading:
        out.append(("", None))
        out.append(("读取情况（未能确定读取之处不作错误判断，见“无法核对”）", "bold"))
        out += [(f"  {line}", "dim") for line in reading]
    for sev in Severity:
        group = [f for f in findings if f.severity == sev]
        if not group:
            continue
        out.append(("", None))
        out.append((f"{sev.label}（{len(group)}）", f"bold {styles[sev]}"))
        for f in group:
            title = REGISTRY[f.rule].title if f.rule in REGISTRY else ""
            out.append((f"  {f.rule} {f.message}", styles[sev]))
            if title:
                out.append((f"      规则：{title}", "dim"))
            for loc in f.places[:6]:
                out.append((f"      位置：{place_text(loc, titles)}", None))
            if len(f.places) > 6:
                out.append((f"      （另有 {len(f.places) - 6} 处）", "dim"))
            if f.figures:
                out.append((f"      数字：{'、'.join(f.figures)}", None))
    out.append(("", None))
    out.append((summary_line(findings), "bold"))
    return out


def to_json(findings: list[Finding], source: str = "", rules_run: list[str] | None = None,
            reading: dict[str, Any] | None = None) -> str:
    doc = {
        "version": JSON_VERSION,
        "source": source,
        "summary": summary(findings),
        "rules": rules_run or [],
        "findings": [f.to_dict() for f in findings],
    }
    if reading is not None:
        doc["reading"] = reading
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str)


_BUDGET_HEAD = [
    "# 部门预算公开审核规则目录（juesuan check）",
    "",
    "本文件由 `juesuan.budget.rules.catalogue_markdown()` 生成，请勿手改；"
    "`tests/test_budget_rules.py` 检查它是否最新。部门决算公开的规则（JS…）见 [rules.md](rules.md)。",
    "",
    "`juesuan check 预算.pdf`（北京市等文字和报表分两个文件公开的，按顺序给出两个文件）读取已公开的部门预算，"
    "按下列规则核对其表内勾稽关系。情况说明与表格、表与表之间的核对尚未提供；与同一单位同一年度决算的核对"
    "（`juesuan check 决算.pdf --budget 预算.pdf`）见 [rules-across.md](rules-across.md)。",
    "",
    "严重程度：**错误**（error）= 任何舍入都解释不了的矛盾；**提示**（info）= 舍入范围内的尾差，"
    "或“无法核对”：所依据的数字未能确定读取（一行数字有几种读法、按恒等式推定、所在行未能读取），"
    "不作错误判断。退出码：0 没有错误；1 有错误；2 输入无法使用或用法错误。",
    "",
    "## 舍入与区间",
    "",
    "表中列示的每个数代表一个区间：以万元列示两位小数的 53.33 表示真实值在 [53.325, 53.335] 之内。"
    "以元或六位小数列示的表（西安市、北京市）折成万元后同样按 ±0.005 万元理解，比所印的更宽：只会少报，"
    "不会误报。加总关系在各加数区间之和与合计区间**有交集**时成立；有交集但列示值不同，至多报**提示**"
    "（尾差，差额按所需的位数写出）。变异测试见 `tests/test_budget_rules.py`。",
    "",
    "## 一览",
    "",
    "| 代码 | 名称 | 标题 | 默认严重程度 | 依据 |",
    "| --- | --- | --- | --- | --- |",
]


def rules_markdown(rules: Iterable[Rule], families: Mapping[str, str], kind: str = "final",
                   head: Iterable[str] | None = None) -> str:
    """A kind's rule catalogue as a document (``docs/rules.md`` for the 决算's, ``docs/rules-budget.md``
    for the 预算's); ``head``: the lines before the table of rules, for another family's document
    (``docs/rules-across.md``)."""
    rules = list(rules)
    lines = list(head) if head is not None else list(_BUDGET_HEAD) if kind == "budget" else [
        "# 审核规则目录（juesuan check）",
        "",
        "本文件由 `juesuan.final.rules.families.catalogue_markdown()` 生成，请勿手改；"
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
        "注入错误的变异测试一览见 docs/rules-mutations.md。部门预算公开的规则（YS…）见 "
        "[rules-budget.md](rules-budget.md)，决算与预算之间的（YJ…，`juesuan check 决算.pdf --budget 预算.pdf`）"
        "见 [rules-across.md](rules-across.md)。",
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
                     f"{Severity(r.severity).label} | {SOURCES[r.source]} |")
    for fam, fam_title in families.items():
        fam_rules = [r for r in rules if r.family == fam]
        if not fam_rules:
            continue
        lines += ["", f"## {fam}xx {fam_title}"]
        for r in fam_rules:
            lines += ["", f"### {r.code}", "",
                      f"**{r.title}**（`{r.name}`；默认{Severity(r.severity).label}；依据：{SOURCES[r.source]}）",
                      ""]
            for head, body in r.sections().items():
                lines += [f"#### {head}", "", body, ""]
            while lines and lines[-1] == "":
                lines.pop()
    return "\n".join(lines) + "\n"
