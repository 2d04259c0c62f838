"""The nine standard tables, declared once as data.

A ``TableLayout`` says what a table is called (and its regional aliases), which
rows it has (fixed rows with 行次, or rows by 功能分类 / 经济分类 code) and which
columns (header text, 栏次 number, the quantity each column shows). Building
(:mod:`juesuan.final.build`), rendering, the facts CSV, parsing and the
arithmetic rules all read these declarations; nothing else spells a table out.

Table ids T1…T9 are the national (2023) order of the reference document. A
regional ``Variant`` (e.g. Shanghai) only re-orders, re-names and re-columns
them; the ids keep their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Column", "FixedRow", "Side", "TableLayout", "Variant"]


@dataclass(frozen=True)
class Column:
    key: str                 # quantity this column shows (see build.py)
    header: str              # header text as printed (unique within the table)
    number: int | None = None  # 栏次
    group: str | None = None   # spanning header above it, e.g. 预算数 / 本年支出
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class FixedRow:
    key: str                 # quantity key (see build.py), "" for a filler row
    label: str               # row label as printed
    line: int | None = None  # 行次
    code: str = ""           # 功能分类 类 code for class rows


@dataclass(frozen=True)
class Side:
    name: str                # 收入 / 支出
    columns: tuple[Column, ...]
    rows: tuple[FixedRow, ...]


@dataclass(frozen=True)
class TableLayout:
    id: str
    title: str
    aliases: tuple[str, ...]
    kind: str                       # "two_sided" | "function" | "economic" | "three_public"
    columns: tuple[Column, ...] = ()  # for function / three_public tables
    sides: tuple[Side, ...] = ()      # for two_sided tables
    fund: str | None = None           # which money a function table shows
    empty_sentence: str = ""          # "{name}" is the entity name
    note: str = ""                    # 注：本表反映…
    show_line_numbers: bool = True    # 行次 / 栏次 printed
    economic_blocks: int = 3          # an economic table printed in 3 blocks side by side, or 2
    # an economic table: its blocks (name, the 类 codes printed in it) and the 款 rows printed even
    # when zero, in their printed order
    blocks: tuple[tuple[str, tuple[str, ...]], ...] = ()
    template_rows: tuple[str, ...] = ()
    # the same columns in another printed order that documents also use (the 三公 table's 预算数
    # and 决算数 columns interleaved, or not): parsing decides from the header which it reads
    alt_columns: tuple[Column, ...] = ()


@dataclass(frozen=True)
class Variant:
    """A regional layout: order and naming of the nine tables."""
    name: str
    order: tuple[str, ...]
    layouts: dict[str, TableLayout] = field(default_factory=dict)
