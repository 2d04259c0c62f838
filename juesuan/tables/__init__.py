"""The nine standard tables: layouts (declared once), values, building from the model.

Names are imported on first use: ``juesuan.tables.table`` and ``layouts`` are light,
``build`` brings in the data model.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "LAYOUTS": "layouts", "VARIANTS": "layouts", "Column": "layouts",
    "FixedRow": "layouts", "Side": "layouts", "TableLayout": "layouts", "layout": "layouts",
    "variant": "layouts", "FACTS_HEADER": "table", "Row": "table", "Table": "table",
    "TableSet": "table",
}

__all__ = list(_LAZY)


def __getattr__(name: str):
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'juesuan.tables' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
