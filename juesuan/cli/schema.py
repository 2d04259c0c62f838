"""``juesuan schema``: the JSON Schema of the canonical input format."""

from __future__ import annotations

import json

from ._app import command


@command("schema", help="打印部门数据（YAML/JSON）的 JSON Schema。",
         examples=("juesuan schema > disclosure.schema.json",))
def schema() -> None:
    from ..pipeline import kind_named

    print(json.dumps(kind_named().schema(), ensure_ascii=False, indent=2))
