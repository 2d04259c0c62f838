"""``juesuan template``: write the input workbook (blank, or pre-filled from existing data)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import InputError
from ._app import app, console, err_console, print_diagnostics, report_input_error


@app.command(help="生成部门决算数据录入工作簿（Excel）：九张决算表、单位概况等补充表、下拉框和填表说明。\n\n"
                  "示例：juesuan template -o 决算数据.xlsx --year 2023\n"
                  "示例：juesuan template -o 决算数据.xlsx --from examples/hanyang-bdc-2023")
def template(
    out: Path = typer.Option(Path("决算数据.xlsx"), "-o", "--out", help="输出的工作簿（.xlsx）。"),
    source: Path | None = typer.Option(None, "--from", help="用已有数据预先填好：YAML/JSON、目录或另一个工作簿。"),
    year: int = typer.Option(2023, "--year", help="决算年度（空白模板用；--from 时取数据中的年度）。"),
    unit: str = typer.Option("元", "--unit", help="金额单位：元 或 万元。"),
) -> None:
    from ..readers import load
    from ..workbook import write_template

    if unit not in ("元", "万元"):
        err_console.print(f"金额单位应为 元 或 万元：{unit}", style="red", markup=False)
        raise typer.Exit(2)
    model = None
    if source is not None:
        try:
            model, diags = load(source)
        except InputError as e:
            report_input_error(e)
            return
        print_diagnostics(diags)
    if out.suffix.lower() != ".xlsx":
        out = out.with_suffix(".xlsx")
    path = write_template(out, model, year=year, unit=unit)
    what = f"已按 {source} 预先填写" if source else f"{year} 年度空白模板"
    console.print(f"已生成 {path}（{what}，金额单位：{unit}）", markup=False)
