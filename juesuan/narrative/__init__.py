"""Narrative: the model + its tables → the whole ``Document`` (parts 一 to 六).

``build_document`` is the only entry point. Every figure it writes comes from the
controlled-rounded tables (or, for figures outside the tables, from one rounding
of the yuan value), so the text and the tables always agree.
"""

from __future__ import annotations

from ..document import Document, Paragraph, Part, Section
from ..model import Disclosure
from ..tables.table import TableSet

__all__ = ["build_document"]


def _profile(d: Disclosure) -> Part:
    name = d.entity.name
    duties = Section("一", "部门主要职责", key="profile.duties",
                     paragraphs=[Paragraph(f"{i}.{x}", kind="item") for i, x in enumerate(d.entity.duties, 1)])
    structure = Section("二", "机构设置情况", key="profile.structure", paragraphs=[Paragraph(
        d.entity.structure or f"从单位构成看，{name}部门决算由{name}本级决算组成。")])
    return Part("profile", "一", f"{name}概况", sections=[duties, structure])


def build_document(d: Disclosure, tables: TableSet) -> Document:
    doc = Document(
        title=f"{d.year}年度{d.entity.name}部门决算公开",
        entity=d.entity.name, year=d.year, level=d.entity.level, unit_type=d.entity.unit_type,
        tables=tables, phone=d.entity.phone,
    )
    doc.parts.append(_profile(d))
    doc.parts.append(Part("tables", "二", f"{d.entity.name}{d.year}年度部门决算表"))
    return doc
