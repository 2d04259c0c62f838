"""The 教育部直属高校 document: 学校概况, the four tables, 决算报表说明 table by table, 名词解释.

A university's 决算 (:mod:`juesuan.final.university`) explains its four tables one by one
under 三、决算报表说明 — （一）高等学校收支决算总表说明 … （四）高等学校财政拨款支出决算表说明 —
instead of the national 情况说明's thirteen sections. Every figure is read from the
controlled-rounded tables; shares are computed from the displayed figures.
"""

from __future__ import annotations

from ...document import Document, Paragraph, Part, Section
from ...figures import fmt_sentence
from ...tables.table import TableSet
from ..model import Disclosure
from ._common import Ctx, pct
from .glossary import glossary_part

__all__ = ["university_document"]

_INCOME = (("income:fiscal", "财政拨款收入"), ("income:superior", "上级补助收入"), ("income:business", "事业收入"),
           ("income:operating", "经营收入"), ("income:affiliated", "附属单位上缴收入"), ("income:other", "其他收入"))
_EXPENDITURE = (("exp:basic", "基本支出"), ("exp:project", "项目支出"), ("exp:to_superior", "上缴上级支出"),
                ("exp:operating", "经营支出"), ("exp:to_affiliated", "对附属单位补助支出"))


def _shares(c: Ctx, tid: str, items, total, of: str) -> str:
    """"其中：财政拨款收入243015.38万元，占本年收入56.42%；…。" of the 合计 row's non-zero columns."""
    parts = []
    for key, name in items:
        v = c.cell(tid, "合计", c.column(tid, key))
        if v:
            parts.append(f"{name}{fmt_sentence(v)}万元，占{of}{pct(v, total)}")
    return ("其中：" + "；".join(parts) + "。") if parts else ""


def _explanations(c: Ctx) -> list[Section]:
    t = c.tables
    income = c.cell("T1", "income:total", "决算数")
    spent = c.cell("T1", "expenditure:total", "决算数")
    closing = c.cell("T1", "balance:closing", "决算数")
    fiscal = c.cell("T5", "合计", c.column("T5", "fund:total"))
    texts = {
        "T1": f"学校{c.year}年度本年收入合计{fmt_sentence(income)}万元，本年支出合计{fmt_sentence(spent)}万元，"
              f"年末结转和结余{fmt_sentence(closing)}万元。",
        "T2": f"学校{c.year}年度收入合计{fmt_sentence(income)}万元。" + _shares(c, "T2", _INCOME, income, "本年收入"),
        "T3": f"学校{c.year}年度支出合计{fmt_sentence(spent)}万元。"
              + _shares(c, "T3", _EXPENDITURE, spent, "本年支出"),
        "T5": f"学校{c.year}年度财政拨款支出{fmt_sentence(fiscal)}万元。"
              + _shares(c, "T5", (("fund:basic", "基本支出"), ("fund:project", "项目支出")), fiscal, "财政拨款支出"),
    }
    return [Section(f"（{'一二三四'[i]}）", f"{t[tid].title}说明", key=f"narrative.{i + 1}",
                    paragraphs=[c.para(texts[tid])])
            for i, tid in enumerate(("T1", "T2", "T3", "T5"))]


def university_document(d: Disclosure, tables: TableSet) -> Document:
    """The document of a university's 决算 (its tables in the university layout)."""
    name = d.entity.name
    doc = Document(title=f"{name}{d.year}年度部门决算", entity=name, year=d.year, level=d.entity.level,
                   unit_type=d.entity.unit_type, tables=tables, phone=d.entity.phone)
    c = Ctx(d, tables)
    about = Section("（一）", "学校基本情况", key="profile.1", paragraphs=[
        Paragraph(f"{i}.{x}", kind="item") for i, x in enumerate(d.entity.duties, 1)]
        or [Paragraph(c.placeholder("学校基本情况（主要职责）"))])
    structure = Section("（二）", "部门决算单位构成", key="profile.structure", paragraphs=[Paragraph(
        d.entity.structure or c.placeholder("部门决算单位构成"))])
    doc.parts.append(Part("profile", "一", "学校概况", sections=[about, structure]))
    doc.parts.append(Part("tables", "二", f"{d.year}年度部门决算报表"))
    doc.parts.append(Part("narrative", "三", "决算报表说明", sections=_explanations(c)))
    glossary, doc.glossary = glossary_part(c)
    glossary.number = "四"
    doc.parts.append(glossary)
    doc.placeholders = list(c.placeholders)
    return doc
