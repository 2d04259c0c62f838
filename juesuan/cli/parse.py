"""``juesuan parse``: a published disclosure (txt/pdf/docx/html) → the Document as data.

Prints the Document as JSON or YAML (Decimals as strings), or the facts CSV
(``table,code,label,column,value``, the same as ``juesuan build --facts``) to standard
output; the coverage summary (tables found, cells read, unreadable places) always goes
to standard error. ``--debug`` adds the parse trace to standard error; ``--png OUT.png``
(with ``--page N``, page 1 by default; with or without ``--debug``) draws a page of a PDF
with the lines, table regions and readings the parser saw on it (:mod:`juesuan.parse.debug`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import InputError
from ._app import argument, command, err_console, option, report_input_error, usage_error, write

_FORMATS = ("json", "yaml", "facts")


@command("parse", help="解析已公开的部门决算（.txt、.pdf、.docx、.html），输出文档数据或全部表格单元格。",
         examples=("juesuan parse 汉阳区大数据中心2023决算.pdf --format facts > facts.csv",
                   "juesuan parse 汉阳区大数据中心2023决算.pdf --debug --page 7 --png 第7页.png > /dev/null"))
@argument("file", type=Path, help="要解析的文件：.txt（PDF 提取的文本）、.pdf、.docx、.html/.htm。")
@option("--format", "-f", dest="fmt", default="json", metavar="FORMAT",
        help="输出格式：json（默认）、yaml 或 facts（table,code,label,column,value）。")
@option("--debug", action="store_true", help="在标准错误输出解析过程（候选表格、单元格映射、跳过的行及原因）。")
@option("--page", type=int, default=None, metavar="N",
        help="与 --png 一起：画出 PDF 的第 N 页（从 1 起，默认第 1 页）。")
@option("--png", type=Path, default=None, metavar="OUT.png",
        help="把一页 PDF 画成 PNG：文字行（灰框）、表格区域（蓝框）、读取的行（按可信度着绿、橙、红色）。")
def parse(file: Path, fmt: str = "json", debug: bool = False, page: int | None = None,
          png: Path | None = None) -> None:
    fmt = fmt.lower().strip()
    if fmt not in _FORMATS:
        usage_error(f"未知的输出格式：{fmt}（可选：{'、'.join(_FORMATS)}）")
    if page is not None and png is None:
        usage_error("--page 需要与 --png OUT.png 一起使用：图画到哪个文件。")
    from ..parse.result import event_place
    from ..pipeline import document_data
    from ..pipeline import parse as parse_file

    try:
        parse = parse_file(file)
        if png is not None:   # before any output: a page that cannot be drawn is unusable input
            from ..parse.debug import draw_page
            draw_page(parse, 1 if page is None else page, png)
    except InputError as e:
        report_input_error(e)
        return
    doc = parse.document
    if fmt == "facts":
        if doc.tables is None:
            write(sys.stdout, "table,code,label,column,value\n")
        else:
            write(sys.stdout, doc.tables.facts_csv())
    else:
        data = {**document_data(doc), "coverage": parse.coverage.to_dict()}
        if fmt == "json":
            write(sys.stdout, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            import yaml
            write(sys.stdout, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    if debug:
        for ev in parse.trace.events:
            extra = {k: v for k, v in ev.items() if k not in ("stage", "what", "page", "line", "text", "bbox")}
            err_console.print(f"[{ev['stage']}] {event_place(ev)} {ev['what']}" + (f" {extra}" if extra else "")
                              + (f" | {ev['text'][:80]}" if ev.get("text") else ""))
    for line in parse.coverage.summary():
        err_console.print(line)
    if png is not None:
        err_console.print(f"已画出 {png}（第 {1 if page is None else page} 页）")
