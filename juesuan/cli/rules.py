"""``juesuan rules``: the rule catalogue — list codes, or explain one rule."""

from __future__ import annotations

from ._app import command, console, option, usage_error


@command("rules", help="列出审核规则（代码、严重程度、标题），或用 --explain 查看一条规则的说明。",
         examples=("juesuan rules", "juesuan rules --explain JS301", "juesuan rules --explain YS104",
                   "juesuan rules --explain YJ101"))
@option("--explain", metavar="CODE", help="显示这条规则的作用、原因和示例。")
def rules(explain: str | None = None) -> None:
    from types import SimpleNamespace

    from ..across.rules import FAMILIES
    from ..across.rules import rules as across
    from ..errors import Severity
    from ..pipeline import kinds
    from ..rules.registry import SOURCES
    every = [(k, k.rules(), k.families()) for k in kinds()]
    # the checks across a 决算 and its 预算 (juesuan check --budget): a family of its own, after the kinds'
    every.append((SimpleNamespace(title="预算与决算核对", name="check --budget"), across(), FAMILIES))
    if explain:
        code = explain.strip().upper()
        found = next(((x, fams) for _, rs, fams in every for x in rs if x.code == code), None)
        if found is None:
            usage_error(f"没有规则 {code}（用 juesuan rules 查看全部）")
        r, families = found
        console.print(f"{r.code} {r.title}", style="bold")
        console.print(f"名称：{r.name}；默认严重程度：{Severity(r.severity).label}；类别：{families[r.family]}；"
                      f"依据：{SOURCES[r.source]}")
        for head, body in r.sections().items():
            console.print("")
            console.print(head, style="bold")
            console.print(body)
        return
    for i, (kind, rs, families) in enumerate(every):
        if not rs:
            continue
        if i:   # the default kind's rules first, as always; the others under their kind's title
            console.print("")
            console.print(f"{kind.title}（{kind.name}）", style="bold")
        for fam, title in families.items():
            group = [r for r in rs if r.family == fam]
            if not group:
                continue
            console.print(f"{fam}xx {title}", style="bold")
            for r in group:
                console.print(f"  {r.code}  {Severity(r.severity).label}  {r.title}  ({r.name})")
