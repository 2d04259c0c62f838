"""``juesuan check``: audit a disclosure (canonical data or a published file) with the rule catalogue."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ..output import same_file, write_text
from ._app import (
    Exit,
    argument,
    command,
    console,
    err_console,
    option,
    print_diagnostics,
    report_input_error,
    usage_error,
    write,
)


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out += [x.strip().upper() for x in v.split(",") if x.strip()]
    return out


@command("check", help="审核部门决算：表内、表间、情况说明、绩效、完整性与文字差错"
                        "（部门预算：表内勾稽，YS1xx）。",
         notes="退出码：0 无错误，1 有错误，2 输入或用法无效（或 -o 的文件无法写入）。",
         examples=("juesuan check examples/hanyang-bdc-2023",
                   "juesuan check report.pdf --format json --select JS1,JS3 --ignore JS308"))
@argument("sources", type=Path, nargs="+", metavar="source",
          help="部门数据（YAML/JSON 文件、Excel 工作簿或目录）或已发布的文件（.pdf/.docx/.html/.txt）；"
               "一份已发布的文档分成几个文件的（如北京市部门预算的文字和报表），按顺序全部给出。")
@option("--format", "-f", dest="fmt", default="text", metavar="FORMAT",
        help="输出格式：text（默认，中文分组）或 json（见 docs/check-json.md）。")
@option("-o", "--out", type=Path, default=None, metavar="FILE",
        help="把报告写入 FILE（UTF-8，写完才替换同名文件），而不是标准输出。")
@option("--select", action="append", metavar="CODES", help="只运行这些代码前缀的规则，逗号分隔，如 JS1,JS3。")
@option("--ignore", action="append", metavar="CODES", help="不运行这些代码前缀的规则，如 JS601。")
@option("--variant", default=None,
        help="由部门数据生成表格时的表式：national（默认）、central、shanghai、beijing、sichuan、"
             "shaanxi、pre2021、university 等，见 README；已公开的文件按其表名、表号和表序自动判断。")
@option("--min-severity", default="info", metavar="SEVERITY",
        help="只显示不低于此严重程度的发现：info（默认）、warning、error。")
def check(sources: list[Path], fmt: str = "text", select: list[str] | None = None, ignore: list[str] | None = None,
          variant: str | None = None, min_severity: str = "info", out: Path | None = None) -> None:
    from ..errors import Severity
    from ..pipeline import audit, kind_named, kinds
    from ..rules.report import text_lines, to_json

    if min_severity not in set(Severity):
        usage_error(f"未知的严重程度：{min_severity}（可选：info、warning、error）")
    if fmt not in ("text", "json"):
        usage_error(f"未知的输出格式：{fmt}（可选：text、json）")
    sel, ign = _split(select), _split(ignore)
    known = [r.code for k in kinds() for r in k.rules()]
    bad = [p for p in sel + ign if not any(c.startswith(p) for c in known)]
    if bad:
        usage_error(f"没有以 {'、'.join(bad)} 开头的规则（用 juesuan rules 查看）")
    for source in sources:
        if not source.exists():
            usage_error(f"{source}: 文件或目录不存在")
    if len(set(sources)) != len(sources):
        usage_error("同一个文件给了两次：一份文档的几个部分各给一次。")
    if out is not None and any(same_file(out, source) for source in sources):
        usage_error(f"-o {out} 就是要审核的文件，写出会覆盖它：请换一个文件名。")
    variants = kind_named().variants()
    if variant is not None and variant not in variants:
        usage_error(f"未知的表式：{variant}（可选：{'、'.join(variants)}）")
    try:
        result = audit(sources[0] if len(sources) == 1 else sources, sel, ign, variant=variant)
    except InputError as e:
        report_input_error(e)
        return
    # what loading the data says bounds what was checked: a year without its own 科目 catalogue
    # (L100), cells of a workbook left out (a stray far cell, a row outside the columns), the parts of the
    # data left blank (what was not checked), what the kind's rules cover (kind-scope)
    shown = ("L100", "blank", "kind-scope")
    print_diagnostics([d for d in result.loaded.diagnostics if d.code in shown or d.severity != "info"])
    findings = [f for f in result.findings if Severity(f.severity).rank <= Severity(min_severity).rank]
    name = " + ".join(str(source) for source in sources)
    parsed = result.loaded.parse
    if fmt == "json":
        reading = None if parsed is None else {
            tid: {"found": v.get("found", False), **v.get("certainty", {})}
            for tid, v in parsed.coverage.tables.items()}
        text = to_json(findings, name, result.rules, reading)
        if out is None:
            write(sys.stdout, text + "\n")
    else:
        notes = parsed.coverage.reading_notes() if parsed is not None else None
        tables = result.document.tables
        titles = {t.id: t.title for t in tables} if tables is not None else None
        lines = text_lines(findings, name, notes, titles)
        text = "\n".join(line for line, _ in lines)
        if out is None:
            for line, style in lines:
                console.print(line, style=style)
    if out is not None:
        write_text(out, text + "\n")
        err_console.print(f"已写出 {out}")
    raise Exit(1 if result.has_errors else 0)
