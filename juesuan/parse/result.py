"""What a parse gives: the document and everything read on the way (pdfplumber style).

:class:`Parse` keeps each stage's result — the source lines, the table regions found, the
tables read, the trace of every decision — beside the :class:`~juesuan.document.Document`,
so that ``juesuan parse --debug`` (and a reviewer's page) can show how a figure was read.
:class:`Coverage` says how much of the document was read: tables and cells found, sections,
forms (by their type, as the document kind names them), and every place that could not be
read, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..document import Document
from .source import SourceDoc
from .trace import Trace

__all__ = ["Coverage", "Parse"]

SUMMARY_UNREAD = 200   # unreadable places listed one a line in the summary (all of them are in the data)


@dataclass
class Coverage:
    format: str
    pages: int | None = None
    lines: int = 0
    scanned: bool = False
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)   # id → found, title, rows, cells …
    rows_read: int = 0
    cells_read: int = 0
    values_read: int = 0
    parts: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    narrative_sections: int = 0
    forms: dict[str, int] = field(default_factory=dict)   # the forms found, by their type in words
    glossary_entries: int = 0
    glossary_terms: int = 0
    phone: str | None = None
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    unreadable: list[dict[str, Any]] = field(default_factory=list)
    scanned_pages: str | None = None        # "scanned pages: 3, 4": pages without a text layer
    ocr_pages: list[int] = field(default_factory=list)   # pages without a text layer, read by OCR
    variant: str | None = None              # the layout the tables were read in (national, beijing …)
    variant_label: str = ""                 # its name in words
    variant_note: str = ""                  # how the document differs from it ("" when it fits)
    variant_default: bool = True            # it is the kind's default layout (national)
    kind: str = ""                          # the document kind it was read as (final, budget)
    kind_title: str = ""                    # its name in words: 部门决算公开, 部门预算公开

    @property
    def tables_found(self) -> int:
        return sum(1 for v in self.tables.values() if v["found"])

    @property
    def sections_found(self) -> int:
        return len(self.sections)

    def to_dict(self) -> dict[str, Any]:
        """The coverage report as data (``juesuan parse --format json``)."""
        out = {
            "format": self.format, "lines": self.lines, "pages": self.pages, "scanned": self.scanned,
            "tables_found": self.tables_found, "tables": self.tables, "rows_read": self.rows_read,
            "cells_read": self.cells_read, "values_read": self.values_read, "parts": self.parts,
            "sections_found": self.sections_found, "sections": self.sections,
            "narrative_sections": self.narrative_sections, "forms": self.forms,
            "glossary_entries": self.glossary_entries, "glossary_terms": self.glossary_terms, "phone": self.phone,
            "duplicates": self.duplicates, "unreadable": self.unreadable,
        }
        if self.scanned_pages is not None:
            out["scanned_pages"] = self.scanned_pages
        if self.ocr_pages:
            out["ocr_pages"] = self.ocr_pages
        if self.variant is not None:
            out["variant"] = {"name": self.variant, "label": self.variant_label, "note": self.variant_note}
        if self.kind:
            out["kind"] = {"name": self.kind, "title": self.kind_title}
        return out

    def summary(self) -> list[str]:
        """The coverage in Chinese, a line each (``juesuan parse`` prints it on standard error)."""
        if self.scanned:
            return [f"扫描件：没有文字层，未解析（{self.pages or '?'} 页）。"]
        found = [t for t, v in self.tables.items() if v.get("found")]
        missing = [t for t, v in self.tables.items() if not v.get("found") and not v.get("optional")]
        lines = []
        if self.variant is not None:
            lines.append(f"表式：{self.variant_label or self.variant}（{self.variant}）"
                         + (f"，与已知表式不完全相符：{self.variant_note}" if self.variant_note else "") + "。")
        if self.kind_title:
            lines.append(f"文档类型：{self.kind_title}（{self.kind}）。")
        lines.append(f"表格：找到 {len(found)}/{len(self.tables)} 张"
                     + (f"（缺 {'、'.join(missing)}）" if missing else "")
                     + f"，{self.rows_read} 行，{self.cells_read} 个单元格，其中 {self.values_read} 个非零数字。")
        forms = "、".join(f"{name} {n} 张" for name, n in self.forms.items()) or "无"
        lines.append(f"情况说明等章节 {self.sections_found} 节；名词解释 {self.glossary_terms} 条；表单：{forms}。")
        if self.ocr_pages:
            lines.append(f"扫描件：{_pages(self.ocr_pages)}没有文字层，经文字识别（OCR）读取；"
                         "据此发现的差错标为“待复核（扫描件识别）”，请对照原件核对。")
        lines += self.reading_notes(layout=False)
        if self.duplicates:
            lines.append(f"重复行 {len(self.duplicates)} 处（只保留一次）。")
        lines.append(f"无法读取 {len(self.unreadable)} 处" + ("：" if self.unreadable else "。"))
        for u in self.unreadable[:SUMMARY_UNREAD]:
            lines.append(f"  {event_place(u)}：{u.get('reason', '')}：{u.get('text', '')[:60]}")
        if len(self.unreadable) > SUMMARY_UNREAD:
            more = len(self.unreadable) - SUMMARY_UNREAD
            lines.append(f"  （另有 {more} 处，见 --format json 的 coverage.unreadable）")
        return lines


    def reading_notes(self, layout: bool = True) -> list[str]:
        """The layout the tables were read in, when it is not the default or not a good fit (unless
        ``layout`` is false: the parse summary says it on a line of its own); then a line for each
        table not read wholly for sure: how its cells were read, and that the sums resting on what
        was not read are not checked (``check`` prints these first)."""
        out = []
        if layout and self.variant is not None and (self.variant_note or not self.variant_default):
            out.append(f"按{self.variant_label or self.variant}（{self.variant}）读取表格"
                       + (f"；与已知表式不完全相符：{self.variant_note}" if self.variant_note else "") + "。")
        for tid, v in self.tables.items():
            c = v.get("certainty")
            if not v.get("found") or not c:
                continue
            unsure = {k: c.get(k, 0) for k in ("inferred", "ambiguous", "ocr", "unread")}
            if not c.get("unread_lines") and not any(unsure.values()):
                continue
            total = sum(c.get(k, 0) for k in ("exact", *unsure))
            parts = [f"{c.get('exact', 0)}/{total} 个单元格读取确定"]
            parts += [f"{n} 个{word}" for n, word in ((unsure["inferred"], "由位置或勾稽推断"),
                                                     (unsure["ambiguous"], "读法存疑"),
                                                     (unsure["ocr"], "来自扫描件识别"),
                                                     (unsure["unread"], "未能读取")) if n]
            said = (f"“{v['title']}”" if v.get("title") else f"表{tid}") + "：" + "，".join(parts)
            if c.get("unread_lines"):
                said += f"；本表有 {c['unread_lines']} 行未能读取，相关勾稽未核对"
            elif unsure["ambiguous"] or unsure["unread"]:
                said += "；涉及这些单元格的勾稽只作提示"
            out.append(said + "。")
        return out


def _pages(pages: list[int]) -> str:
    """第 3 页 / 第 1–9 页 / 第 2、5、7 页."""
    if len(pages) > 2 and pages == list(range(pages[0], pages[-1] + 1)):
        return f"第 {pages[0]}–{pages[-1]} 页"
    return "第 " + "、".join(map(str, pages)) + " 页"


def event_place(ev: dict[str, Any]) -> str:
    """Where a parse event happened: 第5页第27行 / 第27行 / （位置不明）."""
    out = (f"第{ev['page']}页" if "page" in ev else "") + (f"第{ev['line']}行" if "line" in ev else "")
    return out or "（位置不明）"


@dataclass
class Parse:
    """A parsed document with its stages: source lines → regions → tables → document."""
    source: SourceDoc
    kind: str                                # the document kind it was read as
    document: Document
    coverage: Coverage
    trace: Trace
    variant: str | None = None               # the regional layout its tables were read in
    regions: list[Any] = field(default_factory=list)    # table regions: title line and body lines
    tables: dict[str, Any] = field(default_factory=dict)   # the tables read, by id
