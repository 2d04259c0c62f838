"""``juesuan check``: audit a disclosure (canonical data or a published file) with the rule catalogue."""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import InputError
from ._app import Exit, argument, command, console, option, report_input_error, usage_error

PUBLISHED = (".pdf", ".docx", ".html", ".htm", ".txt", ".text")


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out += [x.strip().upper() for x in v.split(",") if x.strip()]
    return out


def load_document(source: Path, variant: str = "national"):
    """A Document from department data (build) or a published file (parse); exits 2 when unusable."""
    if source.suffix.lower() in PUBLISHED and source.is_file():
        try:
            parse = importlib.import_module("juesuan.parse")
            parse_file = getattr(parse, "parse_file")
        except (ImportError, AttributeError):
            usage_error("暂不能审核已发布的文件：解析模块（juesuan.parse）尚不可用。")
        try:
            return parse_file(source)
        except InputError as e:
            report_input_error(e)
    from ..final.narrative import build_document
    from ..final.readers import load
    from ..final.build import build_tables
    try:
        disclosure, _ = load(source)
    except InputError as e:
        report_input_error(e)
    try:
        tables = build_tables(disclosure, variant)
    except ValueError as e:
        usage_error(str(e))
    return build_document(disclosure, tables)


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
@option("--variant", default="national", help="由部门数据生成表格时的表式：national 或 shanghai。")
@option("--min-severity", default="info", metavar="SEVERITY",
        help="只显示不低于此严重程度的发现：info（默认）、warning、error。")
def check(source: Path, fmt: str = "text", select: list[str] | None = None, ignore: list[str] | None = None,
          variant: str = "national", min_severity: str = "info") -> None:
    from ..rules import check as run_check
    from ..errors import Severity
    from ..rules.engine import all_rules, select_rules
    from ..rules.report import text_lines, to_json

    if min_severity not in set(Severity):
        usage_error(f"未知的严重程度：{min_severity}（可选：info、warning、error）")
    if fmt not in ("text", "json"):
        usage_error(f"未知的输出格式：{fmt}（可选：text、json）")
    sel, ign = _split(select), _split(ignore)
    known = [r.code for r in all_rules()]
    bad = [p for p in sel + ign if not any(c.startswith(p) for c in known)]
    if bad:
        usage_error(f"没有以 {'、'.join(bad)} 开头的规则（用 juesuan rules 查看）")
    if not source.exists():
        usage_error(f"{source}: 文件或目录不存在")
    doc = load_document(source, variant)
    findings = run_check(doc, sel or None, ign or None)
    has_errors = any(f.severity == "error" for f in findings)
    findings = [f for f in findings if Severity(f.severity).rank <= Severity(min_severity).rank]
    if fmt == "json":
        rules_run = [r.code for r in select_rules(sel or None, ign or None)]
        print(to_json(findings, str(source), rules_run))
    else:
        for line, style in text_lines(findings, str(source)):
            console.print(line, style=style)
    raise Exit(1 if has_errors else 0)
