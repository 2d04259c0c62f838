"""How a document kind's tables are declared as data: the types.

A ``TableLayout`` says what a table is called (and its regional aliases), which
rows it has (fixed rows with 行次, or rows by 功能分类 / 经济分类 code, or listed rows
by their label) and which columns (header text, 栏次 number, the quantity each column
shows). Building, rendering, the facts CSV, parsing and the arithmetic rules all read
these declarations; nothing else spells a table out (the 决算's: :mod:`juesuan.final.layouts`).

A ``Variant`` is one layout of a whole document — the national one, a region's, a
period's: which tables, in what order, under which titles and numbers, and which of
them a document may leave out. Table ids keep their meaning across variants. Its ``outline``
says the same of the text around the tables: which parts, and which sections of the 情况说明 in
which order, under which titles (a region's template numbers and words them otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..zh import cn_number

__all__ = ["Column", "FixedRow", "Heading", "Outline", "Side", "TableLayout", "Variant"]


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
    aliases: tuple[str, ...] = ()   # other labels documents print it under (read, never printed)


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
    # "two_sided" | "function" | "economic" | "three_public" | "listing" | "form" (read by the kind as a
    # form of its own, each time its title is printed: the 预算's 绩效目标表)
    kind: str
    columns: tuple[Column, ...] = ()  # for function / three_public / listing tables
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
    # a fund table (``fund``) or a listing the data model has no figures for: read from documents
    # (its figures kept as printed), never made up when building
    built: bool = True
    # a two-sided table whose rows are the union of what several templates print (the 预算's
    # 收支总表): a document prints some of them, and the rows it does not print are left out when
    # it is read, not counted as unread
    printed_rows_only: bool = False


@dataclass(frozen=True)
class Heading:
    """A section of a template's outline: the section a builder makes (by its key, "narrative.9"),
    the title the template prints for it ("" keeps the builder's), the sections printed as its
    numbered subsections （一）（二）… (a heading of its own, then, whose text is theirs), the table
    the section is about (left out when the layout has no such table), and the name of the
    template's own wording when it differs from the builder's ("" none)."""
    key: str
    title: str = ""
    under: tuple[Heading, ...] = ()
    table: str = ""
    wording: str = ""


@dataclass(frozen=True)
class Outline:
    """The text of a template around its tables: its parts in order (by key: profile, tables,
    narrative, key_work, glossary, attachments), the sections of its 情况说明 in order, the titles
    it prints for other sections, by key (profile.duties → 主要职能), and its own 名词解释."""
    parts: tuple[str, ...]
    narrative: tuple[Heading, ...]
    titles: dict[str, str] = field(default_factory=dict)
    glossary: str = ""          # the template's own 名词解释 by name ("" the kind's national one)


@dataclass(frozen=True)
class Variant:
    """A layout of a document's tables (national, a region's, a period's): which tables, in what
    order, named and columned how, and what else the template prescribes."""
    name: str
    order: tuple[str, ...]
    layouts: dict[str, TableLayout] = field(default_factory=dict)
    label: str = ""                      # its name in words: 北京市表式
    # tables of ``order`` the template has but a document may leave out (a missing one is no error)
    optional: tuple[str, ...] = ()
    # how the template numbers its tables, "{n}" the place in ``order`` from 1 ("公开{n:02d}表",
    # "表{cn}": 表一, "附表{n}"); "" for titles without a number
    numbering: str = ""
    years: tuple[int | None, int | None] = (None, None)   # the years the template was in use (inclusive)
    tables_last: bool = False            # the tables printed after the narrative (附表)
    attaches_forms: bool = True          # the template attaches the kind's forms (the 决算's 绩效自评表)
    # what the kind's national template prescribes and this one does not, by the name of the rule
    # that asks for it ("procurement-sme-share"): such a rule does not fault a document of this layout
    not_prescribed: tuple[str, ...] = ()
    # conventions of this layout's template beyond what the kind's rules ask of every document, by
    # the name of the rule that holds a document to one ("percent-decimals": percentages written
    # with two decimals): such a rule (or that part of it) runs only for the layouts declaring it
    conventions: tuple[str, ...] = ()
    # the parts and the 情况说明 sections of its template (None: the kind's national outline)
    outline: Outline | None = None

    @property
    def required(self) -> tuple[str, ...]:
        """The tables a document in this layout must publish."""
        return tuple(t for t in self.order if t not in self.optional)

    def number(self, table_id: str) -> str:
        """The printed number of a table (公开01表, 表七, 附表1), "" when the template prints none."""
        if not self.numbering or table_id not in self.order:
            return ""
        n = self.order.index(table_id) + 1
        return self.numbering.format(n=n, cn=cn_number(n))

    def in_use(self, year: int | None) -> bool:
        lo, hi = self.years
        return year is None or ((lo is None or year >= lo) and (hi is None or year <= hi))
