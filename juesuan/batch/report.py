"""A batch's summary: per source the unit, year, layout, tables found, coverage, counts of errors,
warnings and 无法核对, and its top findings — as rows (the terminal table), CSV, JSON, or an
XLSX a bureau sends back to its departments as 修改意见 (a summary sheet, then one sheet per
department with its findings and their places)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from ..errors import Severity
from ..output import writing
from ..place import place_text
from ..rules.certainty import UNCHECKED
from ..store.store import KIND_LABELS
from .run import REASONS, BatchRun, Item

__all__ = ["summary_rows", "write_report", "COLUMNS"]

COLUMNS = ["文件", "结果", "单位", "年度", "类型", "表式", "表格", "读取", "错误", "警告", "无法核对", "主要问题"]
OUTCOMES = {"new": "已导入", "version": "新版本", "unchanged": "未改动（已导入）", "failed": "失败"}
_UNCHECKED = UNCHECKED     # the prefix the certainty gate gives a finding it held back
_TOP = 3


def _top(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    real = [f for f in findings if not f["message"].startswith(_UNCHECKED)]
    return sorted(real, key=lambda f: Severity(f["severity"]).rank)


def summary_row(item: Item) -> dict[str, Any]:
    rec = item.record
    row: dict[str, Any] = {"文件": str(item.path), "结果": OUTCOMES.get(item.outcome, item.outcome)}
    if item.failed:
        row["结果"] = f"失败：{REASONS.get(item.reason, item.reason)}"
        row["主要问题"] = (item.message or "").splitlines()[0] if item.message else ""
        return row
    if rec is None and item.imported is not None:     # unchanged: what the store holds
        imp = item.imported
        row.update({"单位": imp.entity, "年度": imp.year, "类型": KIND_LABELS.get(imp.kind, imp.kind),
                    "错误": imp.counts.get("error", 0),
                    "警告": imp.counts.get("warning", 0)})
        return row
    cov = rec.coverage or {}
    unchecked = sum(1 for f in rec.findings if f["message"].startswith(_UNCHECKED))
    top = [f for f in _top(rec.findings) if f["severity"] != "info"][:_TOP]
    row.update({
        "单位": rec.entity, "年度": rec.year, "类型": KIND_LABELS.get(rec.kind, rec.kind), "表式": rec.variant or "",
        "表格": cov.get("tables_found", len(rec.fact_tables)),
        "读取": (f"{cov['values_read']}/{cov['cells_read']} 个数字" if cov.get("cells_read") else
                 "由数据生成" if rec.origin == "built" else ""),
        "错误": rec.counts["error"], "警告": rec.counts["warning"], "无法核对": unchecked,
        "主要问题": "；".join(f"{f['rule']} {f['message']}" for f in top)})
    return row


def summary_rows(run: BatchRun) -> list[dict[str, Any]]:
    return [summary_row(i) for i in run.items]


def write_report(run: BatchRun, out: Path) -> None:
    """``out`` by its suffix: .xlsx (修改意见), .csv (UTF-8 with BOM), .json; written atomically."""
    suffix = out.suffix.lower()
    rows = summary_rows(run)
    with writing(out) as tmp:
        if suffix == ".json":
            data = {"seconds": round(run.seconds, 2), "interrupted": run.interrupted,
                    "documents": [dict(r, 问题=_findings(i)) for r, i in zip(rows, run.items)]}
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        elif suffix == ".csv":
            buf = io.StringIO()
            w = csv.DictWriter(buf, COLUMNS)
            w.writeheader()
            w.writerows(rows)
            tmp.write_text("\ufeff" + buf.getvalue(), encoding="utf-8", newline="")
        else:
            _xlsx(tmp, run, rows)


def _findings(item: Item) -> list[dict[str, Any]]:
    if item.record is None:
        return []
    return [{"规则": f["rule"], "严重程度": Severity(f["severity"]).label, "问题": f["message"],
             "位置": "；".join(place_text(p) for p in f["places"])} for f in _top(item.record.findings)] + \
        [{"规则": f["rule"], "严重程度": "无法核对", "问题": f["message"],
          "位置": "；".join(place_text(p) for p in f["places"])}
         for f in item.record.findings if f["message"].startswith(_UNCHECKED)]


_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, used: set[str]) -> str:
    base = _BAD_SHEET.sub("_", name)[:28] or "单位"
    out, n = base, 2
    while out in used:
        out, n = f"{base[:26]}{n}", n + 1
    used.add(out)
    return out


def _xlsx(path: Path, run: BatchRun, rows: list[dict[str, Any]]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    red = wb.add_format({"font_color": "#C00000", "bold": True, "valign": "top", "border": 1})
    ws = wb.add_worksheet("汇总")
    widths = {"文件": 36, "结果": 16, "单位": 28, "年度": 6, "类型": 6, "表式": 10, "表格": 6, "读取": 16, "错误": 6,
              "警告": 6, "无法核对": 8, "主要问题": 80}
    for c, name in enumerate(COLUMNS):
        ws.write(0, c, name, head)
        ws.set_column(c, c, widths[name])
    for r, row in enumerate(rows, 1):
        for c, name in enumerate(COLUMNS):
            v = row.get(name, "")
            ws.write(r, c, v, red if name == "错误" and v else wrap)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
    used = {"汇总"}
    for item in run.items:
        if item.record is None:
            continue
        rec = item.record
        sh = wb.add_worksheet(_sheet_name(rec.entity + ("（预算）" if rec.kind == "budget" else ""), used))
        sh.merge_range(0, 0, 0, 3, f"{rec.title or rec.entity}：修改意见（{rec.counts['error']} 个错误，"
                                   f"{rec.counts['warning']} 个警告）", head)
        sh.write_row(1, 0, ["规则", "严重程度", "问题", "位置"], head)
        for c, w in enumerate((8, 10, 80, 50)):
            sh.set_column(c, c, w)
        findings = _findings(item)
        if not findings:
            sh.write(2, 2, "未发现问题。", wrap)
        for r, f in enumerate(findings, 2):
            sh.write_row(r, 0, [f["规则"], f["严重程度"], f["问题"], f["位置"]], wrap)
        sh.freeze_panes(2, 0)
    wb.close()
