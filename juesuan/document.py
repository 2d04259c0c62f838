"""The disclosure document: what a published disclosure *shows*, whoever made it (any document kind).

``Document`` is the meeting point of the pipeline:

* ``build`` derives it from the model (tables via controlled rounding, narrative
  from :mod:`juesuan.final.narrative`) and renderers turn it into HTML/DOCX/PDF/XLSX;
* ``parse`` reads it back from a published PDF/DOCX/HTML/text;
* ``check`` runs the rule catalogue on it, the same way for both.

Figures in a Document are *displayed* figures (万元 with two decimals in tables,
as written in sentences); each stands for the interval of values it could have
been before rounding (:mod:`juesuan.figures`). Every element can carry ``source``
(file, page, line, bbox…) so that a finding can point into the original.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

from .place import Place
from .tables.grid import Grid
from .tables.layout import TableLayout
from .tables.table import Table, TableSet

__all__ = ["Paragraph", "Section", "Part", "Chart", "Form", "GlossaryEntry", "Document", "to_data", "COVER_DATE"]

@dataclass(slots=True)
class Paragraph:
    text: str
    kind: Literal["text", "item", "placeholder"] = "text"   # item = numbered list entry
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class Chart:
    """A chart: title and the data it plots (labels → displayed 万元 figures)."""
    id: str                       # fig1 … fig4
    title: str                    # 图1：收、支决算总计变动情况
    kind: Literal["bar", "pie"]
    labels: list[str]
    values: list[Decimal]
    unit: str = "万元"
    # other views of the same section's figures, in order of preference: drawn instead when this
    # chart would say nothing (a one-slice pie) or repeat an earlier one (renderers.charts)
    alternatives: list[Chart] = field(default_factory=list)


@dataclass(slots=True)
class Section:
    """A numbered section: 一、收入支出决算总体情况说明 / （一）…"""
    number: str                   # "一", "（一）", "1" — as printed
    title: str
    key: str = ""                 # stable id, e.g. "narrative.5.3" or "三公"
    paragraphs: list[Paragraph] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)

    def walk(self):
        yield self
        for s in self.subsections:
            yield from s.walk()

    @property
    def text(self) -> str:
        return "\n".join(p.text for s in self.walk() for p in s.paragraphs)


@dataclass
class Part:
    key: str                      # one of PART_TITLES
    number: str                   # 第一部分 … as printed: "一"
    title: str                    # full printed title
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)   # text directly under the part
    source: dict[str, Any] = field(default_factory=dict)

    def walk(self):
        for s in self.sections:
            yield from s.walk()


@runtime_checkable
class Form(Protocol):
    """A form a document kind attaches to a document, printed in one of its parts: the 决算's
    绩效自评表 (附件) and 重点工作完成情况 table (第四部分), the 预算's 绩效目标表. The kind owns
    the type (:mod:`juesuan.final.forms`); every renderer draws it from its grid, so the core
    never needs to know it. ``form`` names the type in data (``parse --format json``)."""
    form: str                  # its type in data: "project", "overall", "key_work"
    part: ClassVar[str]        # the part it is printed in
    form_name: ClassVar[str]   # its type in words: 项目绩效自评表

    def heading(self, doc: Document) -> str:
        """Its printed title ("" for none)."""
        ...

    def grid(self, doc: Document) -> Grid:
        ...


@dataclass
class GlossaryEntry:
    number: str                   # （一）
    term: str
    text: str


@dataclass
class Document:
    title: str
    entity: str
    year: int | None
    level: str | None = None      # 省/市/区/县/乡 when known
    unit_type: str | None = None  # 行政单位/参公事业单位/事业单位 when known
    tables: TableSet | None = None
    parts: list[Part] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)        # what the kind attaches: see Form
    glossary: list[GlossaryEntry] = field(default_factory=list)
    phone: str | None = None
    published: str | None = None  # 公开日期 as printed on the cover (2024年9月), when given
    placeholders: list[str] = field(default_factory=list)   # 【待填写：…】 left in the text
    source: dict[str, Any] = field(default_factory=dict)    # file, format, pages (a parsed document)

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)

    @property
    def generated(self) -> bool:
        """Built by juesuan from data (its ``placeholders`` are its own), not read from a file (``source``)."""
        return not self.source

    def forms_in(self, part_key: str) -> list[Form]:
        """The forms printed in part ``part_key``, in order."""
        return [f for f in self.forms if f.part == part_key]

    def sections(self):
        for p in self.parts:
            yield from p.walk()

    def placeholder_places(self, cover: bool = True) -> list[tuple[str, str]]:
        """(where, placeholder) of every 【待填写：…】 the document prints, in document order: the
        cover's date (``cover``: a built document's, whose cover shows it), a section ("第三部分
        十一"), a table not given ("第二部分 财政拨款“三公”经费支出决算表"), a form's cells. The
        count ``build --strict`` reports and the HTML page's note shows."""
        out: list[tuple[str, str]] = []
        if cover and not self.published:
            out.append(("封面", COVER_DATE))

        def walk(s: Section, head: str) -> None:
            for p in s.paragraphs:
                out.extend((head, m) for m in _PLACEHOLDER.findall(p.text))
            for sub in s.subsections:
                walk(sub, head + (sub.number or sub.title))

        for part in self.parts:
            head = f"第{part.number}部分" if part.number else part.title
            for p in part.paragraphs:
                out += [(head, m) for m in _PLACEHOLDER.findall(p.text)]
            for s in part.sections:
                walk(s, f"{head} {s.number or s.title}")
            if part.key == "tables" and self.tables is not None:
                out += [(f"{head} {t.title}", t.pending) for t in self.tables if t.pending]
            for form in self.forms_in(part.key):     # the forms it prints (自评表): their cells
                title = form.heading(self) or head
                out += [(f"{head} {title}", m) for c in form.grid(self).cells for m in _PLACEHOLDER.findall(c.text)]
        return out


_PLACEHOLDER = re.compile(r"【待填写[^】]*】")
# the cover's date when the data do not give it: never the build date (it is not when it is published)
COVER_DATE = "【待填写：公开日期】"


def to_data(obj: Any) -> Any:
    """A Document (or any part of one) as plain data: Decimals as strings, layouts by id.

    What ``juesuan parse --format json`` prints, the store keeps and the web pages show.
    """
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if isinstance(obj, TableLayout):
        return obj.id
    if isinstance(obj, TableSet):
        return {"variant": obj.variant, "entity": obj.entity, "year": obj.year, "order": list(obj.order),
                "tables": {tid: to_data(obj.tables[tid]) for tid in obj.order if tid in obj.tables}}
    if isinstance(obj, Table):
        return {"id": obj.id, "title": obj.title, **({"number": obj.number} if obj.number else {}),
                "unit": obj.unit, "empty": obj.empty, "source": to_data(obj.source),
                "rows": [to_data(r) for r in obj.rows]}
    if isinstance(obj, Place):
        return obj.to_dict()
    if isinstance(obj, tuple) and hasattr(obj, "_asdict"):      # a named tuple: a Reading
        return {k: to_data(v) for k, v in obj._asdict().items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_data(v) for v in obj]
    if isinstance(obj, Enum):
        return obj.value
    return obj
