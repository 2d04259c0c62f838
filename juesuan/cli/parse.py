"""``juesuan parse``: a published disclosure (txt/pdf/docx/html) → the Document as data.

Prints the Document as JSON or YAML (Decimals as strings), or the facts CSV
(``table,code,label,column,value``, the same as ``juesuan build --facts``) to standard
output or into ``-o FILE`` (the CSV, there or redirected into a new file, as UTF-8 with a BOM
for Excel); the coverage summary (tables found, cells read, unreadable places) always goes
to standard error. ``--debug`` adds the parse trace to standard error; ``--png OUT.png``
(with ``--page N``, page 1 by default; with or without ``--debug``) draws a page of a PDF
with the lines, table regions and readings the parser saw on it (:mod:`juesuan.parse.debug`).
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

from ..errors import InputError
from ..output import same_file, write_bytes
from ._app import (
    Exit,
    argument,
    command,
    err_console,
    option,
    print_diagnostics,
    report_input_error,
    usage_error,
    write,
)

_FORMATS = ("json", "yaml", "facts", "data")


@command("parse", help="解析已公开的部门决算或部门预算（.txt、.pdf、.docx、.html），"
                        "输出文档结构、规范数据或全部表格单元格；文档类型（部门决算公开或部门预算公开）按文件内容自动判断。",
         examples=("juesuan parse 汉阳区大数据中心2023决算.pdf --format data -o disclosure.yaml",
                   "juesuan parse 汉阳区大数据中心2023决算.pdf --format facts -o facts.csv",
                   "juesuan parse 北京市审计局2026预算-文字.pdf 北京市审计局2026预算-报表.pdf -o 预算.json",
                   "juesuan parse 汉阳区大数据中心2023决算.pdf --debug --page 7 --png 第7页.png > /dev/null"))
@argument("files", type=Path, nargs="+", metavar="file",
          help="要解析的文件：.txt（PDF 提取的文本）、.pdf、.docx、.html/.htm。一份文件分成几个文件公开时"
               "（如北京市部门预算的文字部分和报表部分），按顺序全部给出，合为一份读取。")
@option("--format", "-f", dest="fmt", default="json", metavar="FORMAT",
        help="输出格式：json（默认）、yaml（文档结构）；data（规范数据，build、check、template --from 可直接使用："
             "金额为文中万元数换算的元，文中没有的内容不填写；-o 以 .json 结尾时写 JSON，否则 YAML）；"
             "facts（table,code,label,column,value）。")
@option("-o", "--out", type=Path, default=None, metavar="FILE",
        help="写到文件而不是标准输出（写完才替换同名文件）：facts 为带 BOM 的 UTF-8 CSV"
             "（Excel 可直接打开），json、yaml 为 UTF-8。")
@option("--debug", action="store_true", help="在标准错误输出解析过程（候选表格、单元格映射、跳过的行及原因）。")
@option("--page", type=int, default=None, metavar="N",
        help="与 --png 一起：画出 PDF 的第 N 页（从 1 起，默认第 1 页）。")
@option("--png", type=Path, default=None, metavar="OUT.png",
        help="把一页 PDF 画成 PNG：文字行（灰框）、表格区域（蓝框）、读取的行（按可信度着绿、橙、红色）。")
def parse(files: list[Path], fmt: str = "json", out: Path | None = None, debug: bool = False,
          page: int | None = None, png: Path | None = None) -> None:
    fmt = fmt.lower().strip()
    if fmt not in _FORMATS:
        usage_error(f"未知的输出格式：{fmt}（可选：{'、'.join(_FORMATS)}）")
    if out is not None and any(same_file(out, f) for f in files):
        usage_error(f"-o {out} 就是要解析的文件，写出会覆盖它：请换一个文件名。")
    if len(set(files)) != len(files):
        usage_error("同一个文件给了两次：一份文件的几个部分各给一次。")
    file = files[0] if len(files) == 1 else files
    if page is not None and png is None:
        usage_error("--page 需要与 --png OUT.png 一起使用：图画到哪个文件。")
    from ..parse.result import event_place
    from ..pipeline import document_data
    from ..pipeline import parse as parse_file

    if fmt == "data":
        if png is not None:
            usage_error("--png 画出解析过程，不能与 --format data 一起使用。")
        if len(files) > 1:
            usage_error("--format data 只能读一个文件（部门决算公开）。")
        _data(files[0], out)
        return
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
        text = "table,code,label,column,value\n" if doc.tables is None else doc.tables.facts_csv()
    else:
        data = {**document_data(doc), "coverage": parse.coverage.to_dict()}
        if fmt == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            import yaml
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if out is not None:   # the facts CSV with a BOM, as build --facts writes it: Excel reads it as UTF-8
        write_bytes(out, text.encode("utf-8-sig" if fmt == "facts" else "utf-8"))
    elif fmt == "facts":
        _write_facts(text)
    else:
        write(sys.stdout, text)
    if debug:
        for ev in parse.trace.events:
            extra = {k: v for k, v in ev.items() if k not in ("stage", "what", "page", "line", "text", "bbox")}
            err_console.print(f"[{ev['stage']}] {event_place(ev)} {ev['what']}" + (f" {extra}" if extra else "")
                              + (f" | {ev['text'][:80]}" if ev.get("text") else ""))
    for line in parse.coverage.summary():
        err_console.print(line)
    if out is not None:
        err_console.print(f"已写出 {out}")
    if png is not None:
        err_console.print(f"已画出 {png}（第 {1 if page is None else page} 页）")


def _data(file: Path, out: Path | None) -> None:
    """``--format data``: the document read back as canonical data (YAML, or JSON for ``-o x.json``), the
    reading's diagnostics and whether ``build`` accepts it (exit 1 when it does not) on standard error."""
    from ..pipeline import data_text, kind_named, published_data
    try:
        parse, data, diags = published_data(file)
    except InputError as e:
        report_input_error(e)
        return
    fmt = "json" if out is not None and out.suffix.lower() == ".json" else "yaml"
    kind = kind_named(parse.kind)
    what = kind.title.removesuffix("公开")
    text = data_text(data, fmt, comment=f"由 {file.name} 读回的{what}规范数据（金额单位：元，取自文中万元数；"
                                         "文中没有的内容未填写）\n用法：juesuan build 本文件 -o out/")
    if out is not None:
        write_bytes(out, text.encode("utf-8"))
    else:
        write(sys.stdout, text)
    for line in parse.coverage.summary():
        err_console.print(line)
    problems = []
    if kind.document_model is not None:
        try:
            kind.document_model(parse.document, str(file))
        except InputError as e:
            problems = [d for d in e.diagnostics if d.severity == "error"]
    print_diagnostics([d for d in diags if d.severity != "info"])
    if out is not None:
        err_console.print(f"已写出 {out}")
    if problems:
        err_console.print("文件中的数字不能构成一致的规范数据，build 将拒绝使用，请先修改：", style="red")
        print_diagnostics(problems)
        raise Exit(1)


def _write_facts(text: str) -> None:
    """The facts CSV on standard output. Redirected into a new file (``> facts.csv``) it is written
    as UTF-8 with a BOM, which Excel on a Chinese Windows opens without 乱码 (as ``build --facts``
    writes it); to a pipe or a console it is the stream's own text."""
    out = sys.stdout
    try:
        st = os.fstat(out.fileno())
        new_file = stat.S_ISREG(st.st_mode) and st.st_size == 0 and out.tell() == 0
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        new_file = False
    if new_file and hasattr(out, "buffer"):
        out.flush()
        out.buffer.write(text.encode("utf-8-sig", "replace"))
        out.buffer.flush()
    else:
        write(out, text)
