"""``juesuan rules``: the rule catalogue — list codes, or explain one rule."""

from __future__ import annotations

import typer

from ._app import app, console, err_console


@app.command(help="列出审核规则（代码、严重程度、标题），或用 --explain 查看一条规则的说明。\n\n"
                  "示例：juesuan rules ；juesuan rules --explain JS301")
def rules(
    explain: str | None = typer.Option(None, "--explain", help="显示这条规则的作用、原因和示例。"),
) -> None:
    from ..rules.registry import FAMILIES, SEVERITY_NAMES, SOURCES, all_rules

    rs = all_rules()
    if explain:
        code = explain.strip().upper()
        r = next((x for x in rs if x.code == code), None)
        if r is None:
            err_console.print(f"没有规则 {code}（用 juesuan rules 查看全部）", style="red", markup=False)
            raise typer.Exit(2)
        console.print(f"{r.code} {r.title}", style="bold", markup=False)
        console.print(f"名称：{r.name}；默认严重程度：{SEVERITY_NAMES[r.severity]}；类别：{FAMILIES[r.family]}；"
                      f"依据：{SOURCES[r.source]}", markup=False)
        for head, body in r.sections().items():
            console.print("", markup=False)
            console.print(head, style="bold", markup=False)
            console.print(body, markup=False)
        return
    for fam, title in FAMILIES.items():
        group = [r for r in rs if r.family == fam]
        if not group:
            continue
        console.print(f"{fam}xx {title}", style="bold", markup=False)
        for r in group:
            console.print(f"  {r.code}  {SEVERITY_NAMES[r.severity]}  {r.title}  ({r.name})", markup=False)
