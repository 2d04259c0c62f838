"""What a document kind tells the parser: its vocabulary, tables and forms.

The parse machinery (readers, recognizer, table readers) knows no document kind. A kind
(:mod:`juesuan.final` for the 决算) hands the recognizer a :class:`ParseSpec`: the word its
titles use (部门决算), how its parts are named, its table layouts and their regional variants,
the identities that choose among readings of a row and of a table, and readers for what only
it has (the 决算's 重点工作 table and 绩效自评表 attachments).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..tables.identity import RowIdentity, SameFact
from ..tables.layout import Variant

if TYPE_CHECKING:  # pragma: no cover
    from ..document import Document, Section

__all__ = ["ParseSpec"]


@dataclass(frozen=True)
class ParseSpec:
    kind: str                               # the kind's name: "final"
    title_word: str                         # what a title says the document is: 部门决算
    table_word: str                         # the word of its table titles: 决算 (…支出决算表)
    variants: Mapping[str, Variant]         # its table layouts, by regional variant
    default_variant: str                    # the variant assumed when nothing says otherwise
    part_key: Callable[[str], str]          # a part's title → its key (profile, tables, narrative, …)
    tables_part_title: str                  # the title given to a tables part the document does not head
    row_identities: Mapping[tuple[str, str | None], tuple[RowIdentity, ...]] = field(default_factory=dict)
    same_facts: tuple[SameFact, ...] = ()   # facts shown in two tables: they decide tied readings
    confirming: tuple[Any, ...] = ()        # identities that, holding, confirm the figures read by OCR
    # readers of what only this kind has; each gets the recognizer first (its ``lines`` and ``trace``:
    # :class:`juesuan.parse.recognize.Recognizer`, which uses this module)
    read_part: Mapping[str, Callable[[Any, list[int], list[Section], Document], None]] = \
        field(default_factory=dict)                        # by part key, after its sections are read
    find_forms: Callable[[list[Any]], list[tuple[str, str, int, int]]] | None = None
    read_forms: Callable[[Any, list[tuple[str, str, list[Any]]], Document], None] | None = None
    form_title_ends: tuple[str, ...] = ()   # a line ending so closes a table region (a form begins)
    name: str = ""                          # what users call a document of the kind: 部门决算公开
    # a part title printed without "第X部分" (a regular expression searched in the line)
    part_title_re: str = ""
    # documents easily taken for this kind: (word their text uses, what they are), e.g.
    # ("部门预算", "部门预算公开"): a file showing none of this kind's marks but these is named so
    look_alikes: tuple[tuple[str, str], ...] = ()
    # what a title says the document is, as a regular expression, when it says so in more than one way
    # ("部门(?:综合)?预算": 部门预算, 部门综合预算); such a kind's titles may also say 2026年 for 2026年度
    title_pattern: str = ""

    @property
    def order(self) -> tuple[str, ...]:
        """The table ids in the default variant's order (coverage lists them so)."""
        return self.variants[self.default_variant].order
