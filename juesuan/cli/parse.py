"""``juesuan parse``: a published disclosure (txt/pdf/docx/html) → the Document as data.

Prints the Document as JSON or YAML (Decimals as strings), or the facts CSV
(``table,code,label,column,value``, the same as ``juesuan build --facts``) to standard
output; the coverage summary (tables found, cells read, unreadable places) always goes
to standard error. ``--debug`` adds the parse trace to standard error.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from decimal import Decimal
from enum import Enum
from pathlib import Path

from ..errors import InputError
from ._app import argument, command, err_console, option, report_input_error, usage_error

_FORMATS = ("json", "yaml", "facts")


def to_data(obj, *, trace: bool = False):
    """Dataclasses/TableSet → plain data: Decimals as strings, layouts by id."""
    from ..tables.layout import TableLayout
    from ..tables.table import Table, TableSet

    if isinstance(obj, Decimal):
        return format(obj, "f")
    if isinstance(obj, TableLayout):
        return obj.id
    if isinstance(obj, TableSet):
        return {"variant": obj.variant, "entity": obj.entity, "year": obj.year, "order": list(obj.order),
                "tables": {tid: to_data(obj.tables[tid], trace=trace) for tid in obj.order if tid in obj.tables}}
    if isinstance(obj, Table):
        return {"id": obj.id, "title": obj.title, "unit": obj.unit, "empty": obj.empty,
                "source": to_data(obj.source, trace=trace), "rows": [to_data(r, trace=trace) for r in obj.rows]}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name), trace=trace) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_data(v, trace=trace) for k, v in obj.items() if trace or k != "trace"}
    if isinstance(obj, (list, tuple)):
        return [to_data(v, trace=trace) for v in obj]
    if isinstance(obj, Enum):
        return obj.value
    return obj


def _place(ev: dict) -> str:
    """第5页第27行 / 第27行 / （位置不明）."""
    out = (f"第{ev['page']}页" if "page" in ev else "") + (f"第{ev['line']}行" if "line" in ev else "")
    return out or "（位置不明）"


def coverage_summary(cov: dict) -> list[str]:
    if cov.get("scanned"):
        return [f"扫描件：没有文字层，未解析（{cov.get('pages') or '?'} 页）。"]
    tables = cov.get("tables", {})
    found = [t for t, v in tables.items() if v.get("found")]
    missing = [t for t, v in tables.items() if not v.get("found")]
    lines = [f"表格：找到 {len(found)}/9 张" + (f"（缺 {'、'.join(missing)}）" if missing else "")
             + f"，{cov.get('rows_read', 0)} 行，{cov.get('cells_read', 0)} 个单元格，其中 {cov.get('values_read', 0)} 个非零数字。"]
    lines.append(f"情况说明等章节 {cov.get('sections_found', 0)} 节；项目绩效自评表 {cov.get('projects_found', 0)} 张；"
                 f"整体绩效自评表 {'有' if cov.get('overall_found') else '无'}；名词解释 {cov.get('glossary_terms', cov.get('glossary_entries', 0))} 条；"
                 f"重点工作表 {cov.get('key_work_rows', 0)} 行。")
    dups = cov.get("duplicates") or []
    if dups:
        lines.append(f"重复行 {len(dups)} 处（只保留一次）。")
    bad = cov.get("unreadable") or []
    lines.append(f"无法读取 {len(bad)} 处" + ("：" if bad else "。"))
    for u in bad:
        lines.append(f"  {_place(u)}：{u.get('reason', '')}：{u.get('text', '')[:60]}")
    return lines


@command("parse", help="解析已公开的部门决算（.txt、.pdf、.docx、.html），输出文档数据或全部表格单元格。",
         examples=("juesuan parse 汉阳区大数据中心2023决算.pdf --format facts > facts.csv",))
@argument("file", type=Path, help="要解析的文件：.txt（PDF 提取的文本）、.pdf、.docx、.html/.htm。")
@option("--format", "-f", dest="fmt", default="json", metavar="FORMAT",
        help="输出格式：json（默认）、yaml 或 facts（table,code,label,column,value）。")
@option("--debug", action="store_true", help="在标准错误输出解析过程（候选表格、单元格映射、跳过的行及原因）。")
def parse(file: Path, fmt: str = "json", debug: bool = False) -> None:
    fmt = fmt.lower().strip()
    if fmt not in _FORMATS:
        usage_error(f"未知的输出格式：{fmt}（可选：{'、'.join(_FORMATS)}）")
    from ..parse import parse_file

    try:
        doc = parse_file(file)
    except InputError as e:
        report_input_error(e)
        return
    if fmt == "facts":
        if doc.tables is None:
            sys.stdout.write("table,code,label,column,value\n")
        else:
            sys.stdout.write(doc.tables.facts_csv())
    else:
        data = to_data(doc, trace=False)
        if fmt == "json":
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            import yaml
            sys.stdout.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    if debug:
        for ev in doc.source.get("trace", []):
            extra = {k: v for k, v in ev.items() if k not in ("stage", "what", "page", "line", "text", "bbox")}
            err_console.print(f"[{ev['stage']}] {_place(ev)} {ev['what']}" + (f" {extra}" if extra else "")
                              + (f" | {ev['text'][:80]}" if ev.get("text") else ""))
    for line in coverage_summary(doc.coverage):
        err_console.print(line)
