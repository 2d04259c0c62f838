"""``juesuan schema``: the JSON Schema of the canonical input format (of the 决算, or ``--kind budget``)."""

from __future__ import annotations

import json

from ._app import command, option, usage_error


@command("schema", help="打印部门数据（YAML/JSON）的 JSON Schema；--kind budget 打印部门预算数据的。",
         examples=("juesuan schema > disclosure.schema.json", "juesuan schema --kind budget > budget.schema.json"))
@option("--kind", default=None, metavar="KIND",
        help="文档类型：final（部门决算，默认）或 budget（部门预算，数据首行写 kind: budget）。")
def schema(kind: str | None = None) -> None:
    from ..pipeline import kind_named

    try:
        k = kind_named(kind)
    except ValueError as e:
        usage_error(str(e))
    print(json.dumps(k.schema(), ensure_ascii=False, indent=2))
