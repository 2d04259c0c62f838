"""``juesuan schema``: the JSON Schema of the canonical input format."""

from __future__ import annotations

import json

from ._app import command


@command("schema", help="打印部门数据（YAML/JSON）的 JSON Schema。",
         examples=("juesuan schema > disclosure.schema.json",))
def schema() -> None:
    from ..final.model import Disclosure

    s = Disclosure.model_json_schema()
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    s["title"] = "juesuan 部门决算数据（金额单位：元）"
    print(json.dumps(s, ensure_ascii=False, indent=2))
