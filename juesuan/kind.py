"""A document kind: what the 决算 and the 预算 contribute to the core.

The core — parse machinery, rule engine, renderers, rounding — never imports a kind. A kind
is a package (``juesuan.final`` for 部门决算公开, ``juesuan.budget`` for 部门预算公开) that declares
one :class:`Kind`: its data
model and how data is read into it, its table layouts and identities, how its tables and
its document are built, how its published documents are read back (a
:class:`~juesuan.parse.spec.ParseSpec`) and its rule catalogue. The pipeline
(:mod:`juesuan.pipeline`) finds the kinds and hands each step what it needs.

Every field that needs the kind's heavier modules is a function, called when the step runs,
so that a command that does not build or check starts without them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document
    from .errors import Diagnostic
    from .parse.spec import ParseSpec
    from .rules.registry import Rule
    from .tables.layout import Variant
    from .tables.table import TableSet

__all__ = ["Kind"]


@dataclass(frozen=True)
class Kind:
    name: str                                                   # "final"
    title: str                                                  # 部门决算公开
    load: Callable[[Path], tuple[Any, list[Diagnostic]]]      # its data (YAML/JSON, workbooks) → its model
    build_tables: Callable[[Any, str], TableSet]              # model, variant → tables (controlled rounding)
    build_document: Callable[[Any, TableSet], Document]     # model, tables → the document
    variants: Callable[[], Mapping[str, Variant]]             # its table layouts by regional variant
    parse_spec: Callable[[], ParseSpec]                       # how its published documents are read
    rules: Callable[[], tuple[Rule, ...]]                     # its rule catalogue, by code
    families: Callable[[], Mapping[str, str]]                   # its rule families: code prefix → title
    schema: Callable[[], dict]                                  # the JSON Schema of its data
    write_template: Callable[[Path, Any, int, str], Path]       # out, model or None, year, unit → its input workbook
    # a published document read back as its data: document, file → (plain data, diagnostics)
    document_data: Callable[[Document, str], tuple[dict, list[Diagnostic]]] | None = None
    # … and as its model, validated: document, file → (model, diagnostics)
    document_model: Callable[[Document, str], tuple[Any, list[Diagnostic]]] | None = None
    # this year's model with the 上年数 of last year's document: model, document, file → (model, diagnostics)
    with_previous: Callable[[Any, Document, str], tuple[Any, list[Diagnostic]]] | None = None
    # (label, model) pairs, name, level → the consolidation (``.disclosure``, ``.notes`` …); None: not supported
    consolidate: Callable[[list[tuple[str, Any]], str | None, str], Any] | None = None
    dump: Callable[[Any, str], str] | None = None               # model, "yaml"/"json" → its data as text
    blank_parts: Callable[[Any], list[str]] = lambda model: []  # model → the parts its data leave blank (in Chinese)
    # model → the layout its data say they are in (data read back from a published document), or None
    layout_of: Callable[[Any], str | None] = lambda model: None
    # document → the figures its narrative states beyond its tables, as plain rows (the store keeps them)
    narrative_facts: Callable[[Document], list[dict[str, Any]]] = lambda doc: []
    # document → what its forms state as table-like facts (the store keeps them beside its tables' cells):
    # dicts with table_id, row_key, label, column, value (Decimal or None), text, and its place's page/line/bbox
    form_facts: Callable[[Document], list[dict[str, Any]]] = lambda doc: []
    # what ``check`` of a published document of this kind covers and does not yet, said with its result (None: all)
    check_scope: Callable[[], str] | None = None
    # the names of its data file in a directory (``budget.yaml``); its data say ``kind: <name>`` at their
    # top level, except the first kind's, which need not (:func:`juesuan.pipeline.data_kind_of`)
    data_names: tuple[str, ...] = ()
    # the sheet names only its input workbook has: a workbook with one of them is read as its data, any
    # other as the first kind's (:func:`juesuan.pipeline.data_kind_of`)
    workbook_sheets: tuple[str, ...] = ()
