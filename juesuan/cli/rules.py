"""``juesuan rules``: the rule catalogue — list codes, or explain one rule."""

from __future__ import annotations

from ._app import command, console, option, usage_error


@command("rules", help="列出审核规则（代码、严重程度、标题），或用 --explain 查看一条规则的说明。",
         examples=("juesuan rules", "juesuan rules --explain JS301"))
@option("--explain", metavar="CODE", help="显示这条规则的作用、原因和示例。")
def rules(explain: str | None = None) -> None:
    from ..errors import Severity
    from ..pipeline import kind_named
    from ..rules.registry import SOURCES

    kind = kind_named()
    rs, families = kind.rules(), kind.families()
    if explain:
        code = explain.strip().upper()
        r = next((x for x in rs if x.code == code), None)
        if r is None:
            usage_error(f"没有规则 {code}（用 juesuan rules 查看全部）")
        console.print(f"{r.code} {r.title}", style="bold")
        console.print(f"名称：{r.name}；默认严重程度：{Severity(r.severity).label}；类别：{families[r.family]}；"
                      f"依据：{SOURCES[r.source]}")
        for head, body in r.sections().items():
            console.print("")
            console.print(head, style="bold")
            console.print(body)
        return
    for fam, title in families.items():
        group = [r for r in rs if r.family == fam]
        if not group:
            continue
        console.print(f"{fam}xx {title}", style="bold")
        for r in group:
            console.print(f"  {r.code}  {Severity(r.severity).label}  {r.title}  ({r.name})")
