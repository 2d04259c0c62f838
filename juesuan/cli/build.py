"""``juesuan build``: department data → the disclosure (HTML) and its facts CSV."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from ..errors import InputError
from ..readers import load
from ..renderers.html import render_html
from ..tables import build_tables
from ._app import app, console, print_diagnostics, report_input_error


@app.command(help="由部门数据生成部门决算公开文档。\n\n示例：juesuan build examples/hanyang-bdc-2023 -o out/")
def build(
    source: Path = typer.Argument(..., help="部门数据：YAML/JSON 文件，或包含 disclosure.yaml 的目录。"),
    out: Path = typer.Option(Path("out"), "-o", "--out", help="输出目录。"),
    facts: Path | None = typer.Option(None, "--facts", help="另写出全部表格单元格的 CSV（table,code,label,column,value）。"),
    variant: str = typer.Option("national", "--variant", help="表式：national（全国通用）或 shanghai。"),
) -> None:
    t0 = time.perf_counter()
    try:
        disclosure, diags = load(source)
    except InputError as e:
        report_input_error(e)
        return
    print_diagnostics(diags)
    try:
        tables = build_tables(disclosure, variant)
    except ValueError as e:
        console.print(str(e), style="red", markup=False)
        raise typer.Exit(2)
    if tables.rounding is not None and tables.rounding.violations:
        console.print(f"注意：舍位平衡有 {len(tables.rounding.violations)} 处未能控制在 0.01 万元以内。",
                      style="yellow", markup=False)
    out.mkdir(parents=True, exist_ok=True)
    html_path = out / "index.html"
    html_path.write_text(render_html(disclosure, tables), encoding="utf-8")
    console.print(f"已生成 {html_path}", markup=False)
    if facts is not None:
        facts.parent.mkdir(parents=True, exist_ok=True)
        facts.write_text(tables.facts_csv(), encoding="utf-8")
        console.print(f"已写出 {facts}（{len(tables.facts())} 个单元格）", markup=False)
    console.print(f"用时 {time.perf_counter() - t0:.2f} 秒", markup=False)
