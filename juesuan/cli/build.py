"""``juesuan build``: department data → the disclosure in HTML, DOCX, PDF, XLSX."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from ..errors import InputError
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
)


def _available(fmt: str) -> bool:
    from ..renderers import RENDERERS
    return importlib.util.find_spec(f"juesuan.renderers.{RENDERERS[fmt][1]}") is not None


@command("build", help="由部门数据生成部门决算公开文档（HTML、Word、PDF、Excel）。",
         examples=("juesuan build examples/hanyang-bdc-2023 -o out/ --format html,pdf",))
@argument("source", type=Path, help="部门数据：YAML/JSON 文件、包含 disclosure.yaml 的目录，或 Excel 工作簿。")
@option("-o", "--out", type=Path, default=Path("out"), help="输出目录（默认 out）。")
@option("--format", "-f", dest="formats", default="html,docx,pdf,xlsx", metavar="FORMATS",
        help="输出格式，逗号分隔：html,docx,pdf,xlsx,txt（默认 html,docx,pdf,xlsx）。")
@option("--facts", type=Path, metavar="CSV", help="另写出全部表格单元格的 CSV（table,code,label,column,value）。")
@option("--variant", default="national",
        help="表式：national（全国通用，默认）、central（中央部门）、shanghai、beijing、sichuan、shaanxi、"
             "pre2021（2020年及以前）、university（教育部直属高校）等，见 README。")
def build(source: Path, out: Path = Path("out"), formats: str = "html,docx,pdf,xlsx", facts: Path | None = None,
          variant: str = "national") -> None:
    from .. import pipeline
    from ..renderers import FORMATS, RENDERERS

    t0 = time.perf_counter()
    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in RENDERERS]
    if unknown:
        usage_error(f"未知的输出格式：{'、'.join(unknown)}（可选：{','.join(FORMATS)}）")
    variants = pipeline.kind_named().variants()
    if variant not in variants:
        usage_error(f"未知的表式：{variant}（可选：{'、'.join(variants)}）")
    try:
        built = pipeline.build(source, variant)
    except InputError as e:
        report_input_error(e)
        return
    print_diagnostics(built.diagnostics)
    doc, tables = built.document, built.tables
    out.mkdir(parents=True, exist_ok=True)
    jobs = []
    for fmt in wanted:
        if _available(fmt):
            jobs.append(fmt)
        else:
            console.print(f"暂不支持输出 {fmt}，已跳过。", style="yellow")
    summary: list[tuple[str, str | None]] = []
    results = pipeline.render(doc, jobs, out, while_waiting=lambda: summary.append(_check_summary(doc)))
    failed: list[str] = []
    for fmt, path, error in results:
        if error is not None:  # e.g. the PDF engine is missing: other formats are still built
            err_console.print(f"未能生成 {fmt}：{error}", style="red")
            failed.append(fmt)
        else:
            console.print(f"已生成 {path}")
    if facts is not None:
        facts.parent.mkdir(parents=True, exist_ok=True)
        facts.write_text(tables.facts_csv(), encoding="utf-8-sig")  # the BOM: Excel reads it as UTF-8, not GBK
        console.print(f"已写出 {facts}（{len(tables.facts())} 个单元格）")
    line, style = summary[0]
    console.print(line, style=style)
    console.print(f"用时 {time.perf_counter() - t0:.2f} 秒")
    if failed:
        raise Exit(1)


def _check_summary(doc) -> tuple[str, str | None]:
    """One line of ``juesuan check`` results for what was just built (details: juesuan check SOURCE)."""
    try:
        from ..pipeline import check
        from ..rules.report import summary_line
        findings = check(doc)
    except Exception as e:  # noqa: BLE001 - the audit must never break a build
        return f"审核未能完成：{type(e).__name__}: {e}", "yellow"
    errors = any(f.severity == "error" for f in findings)
    warnings = any(f.severity == "warning" for f in findings)
    style = "red" if errors else ("yellow" if warnings else None)
    return summary_line(findings) + ("（详见 juesuan check）" if errors or warnings else ""), style
