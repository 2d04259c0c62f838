"""``juesuan schema``: the JSON Schema of the canonical input format (of a document kind)."""

from __future__ import annotations

import json

from ._app import command, option, usage_error


@command("schema", help="打印部门数据（YAML/JSON）的 JSON Schema：部门决算（默认），或 --kind budget 部门预算。",
         examples=("juesuan schema > disclosure.schema.json", "juesuan schema --kind budget > budget.schema.json"))
@option("--kind", default=None, metavar="KIND", help="数据的类型：final（部门决算，默认）或 budget（部门预算）。")
def schema(kind: str | None = None) -> None:
    from ..pipeline import kind_named, kinds

    if kind is not None and kind not in {k.name for k in kinds()}:
        usage_error(f"未知的类型：{kind}（可选：{'、'.join(k.name for k in kinds())}）")
    print(json.dumps(kind_named(kind).schema(), ensure_ascii=False, indent=2))
