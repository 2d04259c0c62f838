"""The nine standard tables: layouts (declared once), values, building from the model."""

from .build import build_tables
from .layouts import LAYOUTS, VARIANTS, Column, FixedRow, Side, TableLayout, layout, variant
from .table import FACTS_HEADER, Row, Table, TableSet, fmt

__all__ = ["build_tables", "LAYOUTS", "VARIANTS", "Column", "FixedRow", "Side", "TableLayout",
           "layout", "variant", "FACTS_HEADER", "Row", "Table", "TableSet", "fmt"]
