"""``juesuan check``: audit a disclosure (canonical data or a published file) with the rule catalogue."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ._app import Exit, argument, command, console, option, report_input_error, usage_error, write


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out += [x.strip().upper() for x in v.split(",") if x.strip()]
    return out


@command("check", help="审核部门决算：表内、表间、情况说明、绩效、完整性与文字差错。",
         notes="退出码：0 无错误，1 有错误，2 输入或用法无效。",
         examples=("juesuan check examples/hanyang-bdc-2023",
                   "juesuan check report.pdf --format json --select JS1,JS3 --ignore JS308"))
@argument("source", type=Path,
          help="部门数据（YAML/JSON 文件、Excel 工作簿或目录）或已发布的文件（.pdf/.docx/.html/.txt）。")
@option("--format", "-f", dest="fmt", default="text", metavar="FORMAT",
        help="输出格式：text（默认，中文分组）或 json（见 docs/check-json.md）。")
@option("--select", action="append", metavar="CODES", help="只运行这些代码前缀的规则，逗号分隔，如 JS1,JS3。")
@option("--ignore", action="append", metavar="CODES", help="不运行这些代码前缀的规则，如 JS601。")
@option("--variant", default="national",
        help="由部门数据生成表格时的表式：national（默认）、central、shanghai、beijing、sichuan、"
             "shaanxi、pre2021、university 等，见 README；已公开的文件按其表名、表号和表序自动判断。")
@option("--min-severity", default="info", metavar="SEVERITY",
        help="只显示不低于此严重程度的发现：info（默认）、warning、error。")
def check(source: Path, fmt: str = "text", select: list[str] | None = None, ignore: list[str] | None = None,
          variant: str = "national", min_severity: str = "info") -> None:
    from ..errors import Severity
    from ..pipeline import audit, kind_named, rules
    from ..rules.report import text_lines, to_json

    if min_severity not in set(Severity):
        usage_error(f"未知的严重程度：{min_severity}（可选：info、warning、error）")
    if fmt not in ("text", "json"):
        usage_error(f"未知的输出格式：{fmt}（可选：text、json）")
    sel, ign = _split(select), _split(ignore)
    known = [r.code for r in rules()]
    bad = [p for p in sel + ign if not any(c.startswith(p) for c in known)]
    if bad:
        usage_error(f"没有以 {'、'.join(bad)} 开头的规则（用 juesuan rules 查看）")
    if not source.exists():
        usage_error(f"{source}: 文件或目录不存在")
    variants = kind_named().variants()
    if variant not in variants:
        usage_error(f"未知的表式：{variant}（可选：{'、'.join(variants)}）")
    try:
        result = audit(source, sel, ign, variant=variant)
    except InputError as e:
        report_input_error(e)
        return
    findings = [f for f in result.findings if Severity(f.severity).rank <= Severity(min_severity).rank]
    parsed = result.loaded.parse
    if fmt == "json":
        reading = None if parsed is None else {
            tid: {"found": v.get("found", False), **v.get("certainty", {})}
            for tid, v in parsed.coverage.tables.items()}
        write(sys.stdout, to_json(findings, str(source), result.rules, reading) + "\n")
    else:
        notes = parsed.coverage.reading_notes() if parsed is not None else None
        for line, style in text_lines(findings, str(source), notes):
            console.print(line, style=style)
    raise Exit(1 if result.has_errors else 0)
