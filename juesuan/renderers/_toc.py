"""The table of contents (目录) of a Document: one list of entries that the HTML, PDF and Word
renderers all print, so the three show the same titles.

Level 1: the parts, "第一部分　武汉市汉阳区大数据中心概况"; level 2: in the tables part the
tables as the 目录 of a published disclosure names them ("一、收入支出决算总表", or the table's
printed number, "公开01表　收入支出决算总表"), in the 附件 part the forms by their headings
("2023年度OA系统运行维护费项目绩效自评表"), elsewhere the sections ("一、部门主要职责").
Each entry has an anchor: the id the HTML gives the element, the label the PDF puts there.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Document, Part, Section
from ..zh import cn_number

__all__ = ["TocEntry", "toc_entries", "part_title", "section_title", "form_anchor"]


@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int          # 1 a part, 2 a table, form or section in it
    title: str
    anchor: str         # HTML id (the PDF label is made from it)


def part_title(part: Part) -> str:
    """第一部分　武汉市汉阳区大数据中心概况 (the title alone when the part has no number)."""
    return f"第{part.number}部分　{part.title}" if part.number else part.title


def section_title(s: Section) -> str:
    """一、部门主要职责 / （一）… / the title alone when unnumbered."""
    if not s.number:
        return s.title
    return s.number + s.title if s.number.startswith("（") else f"{s.number}、{s.title}"


def form_anchor(form: str, n: int) -> str:
    return f"{form}-{n}"


def _forms(doc: Document, part_key: str) -> list[TocEntry]:
    return [TocEntry(2, heading, form_anchor(f.form, i))
            for i, f in enumerate(doc.forms_in(part_key), 1) if (heading := f.heading(doc))]


def toc_entries(doc: Document) -> list[TocEntry]:
    out: list[TocEntry] = []
    for part in doc.parts:
        out.append(TocEntry(1, part_title(part), f"part-{part.key}"))
        if part.key == "tables" and doc.tables is not None:
            for i, t in enumerate(doc.tables):
                title = f"{t.number}　{t.title}" if t.number else f"{cn_number(i + 1)}、{t.title}"
                out.append(TocEntry(2, title, t.id))
            out += _forms(doc, part.key)     # the forms printed among the tables (the 预算's 绩效目标表)
        elif part.key == "attachments":
            for i, f in enumerate(doc.forms_in(part.key), 1):
                heading = f.heading(doc)
                if heading:
                    out.append(TocEntry(2, heading, form_anchor(f.form, i)))
        else:
            out += [TocEntry(2, section_title(s), s.key or f"{part.key}.{s.number}") for s in part.sections]
    return out
