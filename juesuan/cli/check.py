"""``juesuan check``: audit a disclosure (canonical data or a published file) with the rule catalogue."""

from __future__ import annotations

import importlib
from pathlib import Path

import typer

from ..errors import InputError
from ._app import app, console, err_console, report_input_error

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
            err_console.print("暂不能审核已发布的文件：解析模块（juesuan.parse）尚不可用。", style="red", markup=False)
            raise typer.Exit(2)
        try:
            return parse_file(source)
        except InputError as e:
            report_input_error(e)
    from ..narrative import build_document
    from ..readers import load
    from ..tables import build_tables
    try:
        disclosure, _ = load(source)
    except InputError as e:
        report_input_error(e)
    try:
        tables = build_tables(disclosure, variant)
    except ValueError as e:
        err_console.print(str(e), style="red", markup=False)
        raise typer.Exit(2)
    return build_document(disclosure, tables)


@app.command(help="审核部门决算：表内、表间、情况说明、绩效、完整性与文字差错。\n\n"
                  "退出码：0 无错误，1 有错误，2 输入或用法无效。\n\n"
                  "示例：juesuan check examples/hanyang-bdc-2023 ；"
                  "juesuan check report.pdf --format json --select JS1,JS3 --ignore JS308")
def check(
    source: Path = typer.Argument(..., help="部门数据（YAML/JSON 文件、Excel 工作簿或目录）或已发布的文件（.pdf/.docx/.html/.txt）。"),
    fmt: str = typer.Option("text", "--format", "-f", help="输出格式：text（默认，中文分组）或 json（见 docs/check-json.md）。"),
    select: list[str] = typer.Option(None, "--select", help="只运行这些代码前缀的规则，逗号分隔，如 JS1,JS3。"),
    ignore: list[str] = typer.Option(None, "--ignore", help="不运行这些代码前缀的规则，如 JS601。"),
    variant: str = typer.Option("national", "--variant", help="由部门数据生成表格时的表式：national 或 shanghai。"),
    min_severity: str = typer.Option("info", "--min-severity",
                                     help="只显示不低于此严重程度的发现：info（默认）、warning、error。"),
) -> None:
    from ..rules import check as run_check
    from ..rules.engine import select_rules
    from ..rules.registry import all_rules
    from ..rules.report import text_lines, to_json

    order = {"error": 0, "warning": 1, "info": 2}
    if min_severity not in order:
        err_console.print(f"未知的严重程度：{min_severity}（可选：info、warning、error）", style="red", markup=False)
        raise typer.Exit(2)
    if fmt not in ("text", "json"):
        err_console.print(f"未知的输出格式：{fmt}（可选：text、json）", style="red", markup=False)
        raise typer.Exit(2)
    sel, ign = _split(select), _split(ignore)
    known = [r.code for r in all_rules()]
    bad = [p for p in sel + ign if not any(c.startswith(p) for c in known)]
    if bad:
        err_console.print(f"没有以 {'、'.join(bad)} 开头的规则（用 juesuan rules 查看）", style="red", markup=False)
        raise typer.Exit(2)
    if not source.exists():
        err_console.print(f"{source}: 文件或目录不存在", style="red", markup=False)
        raise typer.Exit(2)
    doc = load_document(source, variant)
    findings = run_check(doc, sel or None, ign or None)
    has_errors = any(f.severity == "error" for f in findings)
    findings = [f for f in findings if order.get(f.severity, 2) <= order[min_severity]]
    if fmt == "json":
        rules_run = [r.code for r in select_rules(sel or None, ign or None)]
        print(to_json(findings, str(source), rules_run))
    else:
        for line, style in text_lines(findings, str(source)):
            console.print(line, style=style, markup=False)
    raise typer.Exit(1 if has_errors else 0)
