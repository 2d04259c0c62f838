"""Narrative: the model + its tables → the whole ``Document`` (parts 一 to 六).

``build_document`` is the only entry point. Every figure it writes comes from the
controlled-rounded tables (or, for figures outside the tables, from one rounding
of the yuan value), so the text and the tables always agree.

Where things go, for renderers:

* 第一、三部分: ``Part.sections`` (numbered, with ``Section.charts`` 图1–图4 in 三);
* 第二部分: the part is empty, the tables are ``doc.tables``;
* 第四部分 重点工作 (omitted when the data has none): one section per item, and
  the summary table (a ``KeyWorkTable`` in ``doc.forms``);
* 第五部分 名词解释: ``Part.paragraphs`` as printed, and ``doc.glossary`` (structured);
* 第六部分 附件: the 部门整体绩效自评表 and 项目绩效自评表 (``doc.forms``, :mod:`juesuan.final.forms`).

Missing reasons become visible 【待填写：…】 markers, listed in ``doc.placeholders``.

Which parts, and which sections of 情况说明 in which order and under which titles, is the layout's
``Outline`` (:mod:`juesuan.final.layouts`: the national one above; Shanghai's four parts and eleven
sections); a template's own sentences where they differ from the national ones are in ``shanghai``.

Section builders, one module per group: ``overview`` (三 一–四), ``general``
(五–八), ``three_public`` (九–十二), ``performance`` (十三 and 附件), ``glossary``.
"""

from __future__ import annotations

import dataclasses

from ...document import COVER_DATE, Document, Paragraph, Part, Section
from ...tables.layout import Heading, Outline
from ...tables.table import TableSet
from ...zh import cn_number
from ..forms import KeyWorkRow, KeyWorkTable
from ..layouts import VARIANTS, outline
from ..model import Disclosure
from ..university import NAME as UNIVERSITY
from ._common import Ctx
from .general import general_sections
from .glossary import glossary_part
from .overview import overview_sections
from .performance import overall_table, performance_section, project_tables
from .shanghai import WORDINGS
from .three_public import three_public_sections
from .university import university_document

__all__ = ["build_document"]


def _profile(c: Ctx, titles: dict[str, str]) -> Part:
    d = c.d
    name = d.entity.name
    # not given: a placeholder, not an empty heading nor a made-up 决算单位构成
    duties = Section("一", titles.get("profile.duties", "部门主要职责"), key="profile.duties",
                     paragraphs=[Paragraph(f"{i}.{x}", kind="item") for i, x in enumerate(d.entity.duties, 1)]
                     or [Paragraph(c.placeholder("部门主要职责"))])
    structure = Section("二", titles.get("profile.structure", "机构设置情况"), key="profile.structure",
                        paragraphs=[Paragraph(d.entity.structure or c.placeholder("机构设置情况（决算单位构成）"))])
    return Part("profile", "一", f"{name}概况", sections=[duties, structure])


def _key_work(d: Disclosure) -> tuple[Part | None, list[KeyWorkRow]]:
    if not d.key_work:
        return None, []
    sections = [Section(cn_number(i), k.title, key=f"key_work.{i}", paragraphs=[Paragraph(k.text)])
                for i, k in enumerate(d.key_work, 1)]
    rows = [KeyWorkRow(str(i), k.title, k.target or k.text, k.completion or "")
            for i, k in enumerate(d.key_work, 1)]
    return Part("key_work", "四", f"{d.year}年度重点工作完成情况", sections=sections), rows


def build_document(d: Disclosure, tables: TableSet) -> Document:
    if tables.variant == UNIVERSITY:
        return university_document(d, tables)   # four tables, explained one by one
    doc = Document(
        title=f"{d.year}年度{d.entity.name}部门决算公开",
        entity=d.entity.name, year=d.year, level=d.entity.level, unit_type=d.entity.unit_type,
        tables=tables, phone=d.entity.phone, published=d.published,
    )
    c = Ctx(d, tables)
    var = VARIANTS.get(tables.variant)
    plan = outline(tables.variant)
    tables_last = var is not None and var.tables_last
    projects = project_tables(c)
    overall = overall_table(c)
    built = {s.key: s for s in [*overview_sections(c), *general_sections(c), *three_public_sections(c),
                                performance_section(c, projects, overall)]}
    narrative = _arrange(c, plan, built, tables)

    for key in plan.parts:
        if key == "tables" and tables_last:
            continue
        if key == "profile":
            doc.parts.append(_profile(c, plan.titles))
        elif key == "tables":
            doc.parts.append(Part("tables", "", f"{d.entity.name}{d.year}年度部门决算表"))
        elif key == "narrative":
            doc.parts.append(Part("narrative", "", f"{d.entity.name}{d.year}年度部门决算情况说明",
                                  sections=narrative))
        elif key == "key_work":
            key_work, rows = _key_work(d)
            if key_work is not None:
                doc.parts.append(key_work)
                doc.forms.append(KeyWorkTable(rows))
        elif key == "glossary":
            glossary, doc.glossary = glossary_part(c, plan.glossary)
            doc.parts.append(glossary)
        elif key == "attachments":
            doc.parts.append(Part("attachments", "", "附件"))
            doc.forms += ([overall] if overall is not None else []) + projects
    if tables_last:     # the tables at the end, as 附表
        doc.parts.append(Part("tables", "", "附表"))
    for n, part in enumerate(doc.parts, 1):
        part.number = cn_number(n)
    # the placeholders of what the layout leaves out (a form it does not attach) are not the document's
    shown = _text(doc)
    doc.placeholders = [p for p in c.placeholders if p in shown]
    for t in tables.tables.values():     # a table whose figures were not given (三公) says so under it
        if t.pending and t.pending not in doc.placeholders:
            doc.placeholders.append(t.pending)
    if d.published is None:              # the cover's date (renderers._page.cover_date)
        doc.placeholders.append(COVER_DATE)
    return doc


def _arrange(c: Ctx, plan: Outline, built: dict[str, Section], tables: TableSet) -> list[Section]:
    """The sections of 情况说明 as the outline lays them out: in its order, under its titles, in its
    wording, numbered 一、二… (their subsections （一）（二）…); a section about a table the layout
    does not have (国有资本经营, before 2021) is left out and the sections after it numbered on."""
    def place(h: Heading) -> Section | None:
        if h.table and h.table not in tables.tables:
            return None
        if h.under:
            subs = [s for s in map(place, h.under) if s is not None]
            for k, s in enumerate(subs, 1):
                s.number = f"（{cn_number(k)}）"
            return Section("", h.title, key=h.key, subsections=subs)
        s = built.get(h.key)
        if s is None:
            return None
        if h.wording:
            s = WORDINGS[h.wording, h.key](c, s)
        if h.title:
            s.title = h.title
        return s

    out = [s for s in map(place, plan.narrative) if s is not None]
    for n, s in enumerate(out, 1):
        s.number = cn_number(n)
    return out


def _text(doc: Document) -> str:
    """All the text of the document's parts and forms, joined (to tell which placeholders it shows)."""
    out: list[str] = []

    def walk(x) -> None:
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, (list, tuple)):
            for y in x:
                walk(y)
        elif dataclasses.is_dataclass(x) and not isinstance(x, type):
            for f in dataclasses.fields(x):
                walk(getattr(x, f.name))

    for part in doc.parts:
        out.append(part.title)
        for s in [*part.walk(), part]:
            out.append(s.title)
            out += [p.text for p in s.paragraphs]
    walk(doc.forms)
    return "\n".join(out)
