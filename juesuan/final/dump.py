"""A disclosure written back as canonical data (what :mod:`.canonical` reads): YAML or JSON text.

:func:`plain` turns a :class:`~.model.Disclosure` into plain data in the model's field order,
leaving out every field that holds its default, amounts as exact decimal text (never a float).
:func:`text` writes that as YAML (amounts as plain numbers: ``2470406.20``; codes quoted) or as
JSON (amounts as strings: ``"2470406.20"``, which the reader takes exactly as written). Reading
the text back gives an equal model. No file is written here (the command line writes atomically).
"""

from __future__ import annotations

import json
from decimal import Decimal
from enum import Enum
from typing import Any

import yaml

from ..record import Record

__all__ = ["plain", "text"]


def plain(obj: Any) -> Any:
    """``obj`` (a record, list, dict, Decimal …) as plain data, defaults left out of records."""
    if isinstance(obj, Record):
        out = {}
        for name, f in obj.model_fields.items():
            v = getattr(obj, name)
            if not f.required and v == f.make_default():
                continue
            out[name] = plain(v)
        return out
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, list):
        return [plain(x) for x in obj]
    if isinstance(obj, dict):
        return {(k.value if isinstance(k, Enum) else k): plain(v) for k, v in obj.items()}
    return obj


def text(d: Record, fmt: str = "yaml", header: str | None = None) -> str:
    """``d`` as canonical YAML (``fmt="yaml"``, with ``header`` as a leading comment) or JSON."""
    data = plain(d)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1, default=_json_default) + "\n"
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    lines = [f"# {x}" for x in (header or "").splitlines()]
    return "\n".join([*lines, body]) if lines else body


def _json_default(v: Any) -> str:
    if isinstance(v, Decimal):
        return format(v, "f")
    raise TypeError(type(v).__name__)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Amounts as plain YAML numbers, written exactly as their decimal text."""


def _decimal(dumper, v: Decimal):
    s = format(v, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in s else "tag:yaml.org,2002:int", s)


_Dumper.add_representer(Decimal, _decimal)
