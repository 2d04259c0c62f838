"""Presenting findings: the Chinese text report, the JSON document, the one-line summary.

Owns the output formats of ``juesuan check`` (docs/check-json.md documents the
JSON schema, version 1) and the summary line that ``juesuan build`` prints.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .engine import Finding
from .registry import REGISTRY, SEVERITY_NAMES

__all__ = ["summary", "summary_line", "to_json", "text_lines", "place_text", "JSON_VERSION"]

JSON_VERSION = 1


def summary(findings: list[Finding]) -> dict[str, int]:
    c = Counter(f.severity for f in findings)
    return {"error": c.get("error", 0), "warning": c.get("warning", 0), "info": c.get("info", 0)}


def summary_line(findings: list[Finding]) -> str:
    s = summary(findings)
    return f"审核：{s['error']} 个错误，{s['warning']} 个警告，{s['info']} 个提示"


def place_text(loc: dict[str, Any]) -> str:
    """One location in words: 表T3 “208 社会保障和就业支出” × “本年支出合计” (第 12 页 第 3 行)."""
    bits = []
    if "table" in loc:
        t = str(loc["table"])
        bits.append(t if not t.startswith("T") or len(t) > 3 else f"表{t}")
        if "side" in loc:
            bits.append(f"{loc['side']}方")
        if "row" in loc:
            bits.append(f"“{loc['row']}”行")
        if "column" in loc:
            bits.append(f"“{loc['column']}”列")
    else:
        if "part" in loc:
            bits.append(str(loc["part"]))
        if "section" in loc:
            bits.append(str(loc["section"]))
        if "chart" in loc:
            bits.append(f"{loc['chart']}" + (f"“{loc['label']}”" if "label" in loc else ""))
    where = []
    if "page" in loc:
        where.append(f"第{loc['page']}页")
    if "line" in loc:
        where.append(f"第{loc['line']}行")
    s = " ".join(bits)
    if where:
        s += f"（{''.join(where)}）"
    if "sentence" in loc and "table" not in loc:
        sent = str(loc["sentence"])
        s += "：“" + (sent if len(sent) <= 80 else sent[:78] + "…") + "”"
    return s


def text_lines(findings: list[Finding], source: str = "") -> list[tuple[str, str | None]]:
    """(line, style) pairs of the human-readable report, grouped by severity."""
    out: list[tuple[str, str | None]] = []
    styles = {"error": "red", "warning": "yellow", "info": "cyan"}
    if source:
        out.append((f"审核 {source}", "bold"))
    for sev in ("error", "warning", "info"):
        group = [f for f in findings if f.severity == sev]
        if not group:
            continue
        out.append(("", None))
        out.append((f"{SEVERITY_NAMES[sev]}（{len(group)}）", f"bold {styles[sev]}"))
        for f in group:
            title = REGISTRY[f.rule].title if f.rule in REGISTRY else ""
            out.append((f"  {f.rule} {f.message}", styles[sev]))
            if title:
                out.append((f"      规则：{title}", "dim"))
            for loc in f.locations[:6]:
                out.append((f"      位置：{place_text(loc)}", None))
            if len(f.locations) > 6:
                out.append((f"      （另有 {len(f.locations) - 6} 处）", "dim"))
            if f.figures:
                out.append((f"      数字：{'、'.join(f.figures)}", None))
    out.append(("", None))
    out.append((summary_line(findings), "bold"))
    return out


def to_json(findings: list[Finding], source: str = "", rules_run: list[str] | None = None) -> str:
    doc = {
        "version": JSON_VERSION,
        "source": source,
        "summary": summary(findings),
        "rules": rules_run or [],
        "findings": [f.to_dict() for f in findings],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str)
