"""JS5xx — completeness of the disclosure (公开要求): tables, sections, glossary, attachments.

Owns what must be present: the nine tables (empty ones with their "本表无数据"
sentence), the thirteen sections of 情况说明 with the mandatory topics (三公,
机关运行经费, 政府采购 with the 中小企业 share, 国有资产, 绩效), 名词解释, and the
performance self-evaluation attachments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...rules.context import Context, Finding, hit
from ...rules.registry import rule
from ...zh import cn_number
from ..layouts import NATIONAL_ORDER, VARIANTS, outline, section_place
from ..university import NAME as UNIVERSITY
from ..university import SECTIONS as UNIVERSITY_SECTIONS
from .sections import doc_overall, doc_projects, narrative_sections, part_label, section
from .sentences import sentence, texts

# 情况说明 sections: number → (title words, mandatory topic flag)
SECTIONS: tuple[tuple[str, str], ...] = (
    ("1", "收入支出决算总体情况"), ("2", "收入决算情况"), ("3", "支出决算情况"),
    ("4", "财政拨款收入支出决算总体情况"), ("5", "一般公共预算财政拨款支出决算情况"),
    ("6", "一般公共预算财政拨款基本支出决算情况"), ("7", "政府性基金预算财政拨款收入支出决算情况"),
    ("8", "国有资本经营预算财政拨款支出决算情况"), ("9", "“三公”经费支出决算情况"),
    ("10", "机关运行经费支出"), ("11", "政府采购支出"), ("12", "国有资产占用情况"), ("13", "预算绩效情况"),
)
_HINTS = {"9": "三公", "10": "机关运行经费", "11": "政府采购", "12": "国有资产", "13": "绩效"}
# sections about one table: required only of a document whose layout has the table (before 2021
# there was no 国有资本经营 table, nor a section on it)
_SECTION_TABLE = {"7": "T7", "8": "T8"}


def _variant(ctx: Context):
    """The layout of the document's tables (national when it has none), and whether the document
    fits it: a parsed document with tables of other layouts is in a layout not known."""
    ts = ctx.doc.tables
    var = VARIANTS.get(ts.variant if ts is not None else "national") or VARIANTS["national"]
    fits = ts is None or all(t in var.layouts for t in ts.tables)
    return var, fits


# layouts whose explanation is not the national 情况说明: (table, words of its section's title) per table
_TABLE_SECTIONS = {UNIVERSITY: UNIVERSITY_SECTIONS}


@rule("JS501", "nine-tables", "缺少决算表", "error", "publication")
def nine_tables(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    检查文件所用表式规定的决算表是否都已公开。全国通用表式是九张表（收入支出决算总表、收入决算表、
    支出决算表、财政拨款收入支出决算总表、一般公共预算财政拨款支出决算表、一般公共预算财政拨款基本
    支出决算明细表、政府性基金预算财政拨款收入支出决算表、国有资本经营预算财政拨款支出决算表、财政
    拨款“三公”经费支出决算表）；2020 年及以前是八张表（没有国有资本经营预算财政拨款支出决算表）；
    北京市表式另有一般公共预算财政拨款收入支出决算表等；教育部直属高校表式四张（高等学校收支决算
    总表、收入决算表、支出决算表、财政拨款支出决算表）。表式由文件的表名、表号和表序确定。缺少
    全国通用的表是错误；缺少某地表式才有的表只作警告（文件未必是那个地区的），其中可以不公开的表
    （如政府采购情况表）不报告；文件的表式与已知表式都不完全相符时，缺表只作警告。

    ## 原因
    规定的决算表是部门决算公开的法定内容，没有数据的表也要公开并说明。

    ## 错误示例
    只公开了八张表，缺少国有资本经营预算财政拨款支出决算表。

    ## 正确示例
    九张表齐全；无数据的表保留表头并注明“本表无数据”。
    """
    ts = ctx.doc.tables
    have = set(ts.tables) if ts is not None else set()
    var, fits = _variant(ctx)
    for tid in var.required:
        if tid in have:
            continue
        title = var.layouts[tid].title
        if not fits:
            yield hit(f"缺少{title}（文件的表式与已知表式不完全相符）", [{"table": tid}], [], "warning")
        elif tid not in NATIONAL_ORDER:
            # a table only some regions print: the document may be in a layout like theirs, not theirs
            yield hit(f"缺少{title}（{var.label or var.name}的表）", [{"table": tid}], [], "warning")
        else:
            yield hit(f"缺少{title}", [{"table": tid}], [])


@rule("JS502", "empty-table-sentence", "空表未说明“本表无数据”", "warning", "publication")
def empty_tables(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    无数据的表（通常是政府性基金、国有资本经营和“三公”经费表）应附说明，例如“本部门没有政府性
    基金收入，也没有使用政府性基金安排的支出，故本表无数据。”由数据生成时使用表式规定的说明；
    解析的文件在表后或表注中查找“无数据”“无……收入/支出”的说明。

    ## 原因
    公开要求空表也要公开并说明原因，否则读者无法区分“没有”与“漏报”。

    ## 错误示例
    国有资本经营预算财政拨款支出决算表只有表头，没有任何说明。

    ## 正确示例
    表下注明“本部门没有国有资本经营收入，也没有使用国有资本经营安排的支出，故本表无数据。”
    """
    ts = ctx.doc.tables
    if ts is None:
        return
    parsed = bool(ctx.doc.source)
    paras = None     # the text under 第二部分, joined once (for parsed documents)
    for t in ts:
        if not t.empty:
            continue
        if not parsed:
            if t.layout.empty_sentence:
                continue
        else:
            note = " ".join(str(v) for k, v in t.source.items() if isinstance(v, str))
            if paras is None:
                tp = ctx.doc.part("tables")
                paras = " ".join(p.text for p in (tp.paragraphs if tp else []))
            if _NO_DATA_RE.search(note) or (t.layout.empty_sentence and t.layout.empty_sentence[:8] in note + paras):
                continue
        yield hit(f"{t.title}为空表，未说明“本表无数据”的原因", [{"table": t.id}], [])


_NO_DATA_RE = re.compile(r"无数据|无(?:相关)?(?:收入|支出|数据)|没有[^。]{0,40}(?:收入|支出|经费)")


@rule("JS503", "mandatory-sections", "情况说明缺少规定的章节", "warning", "publication", reads_tables=False)
def sections(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    情况说明应有十三节：收支总体、收入、支出、财政拨款收支总体、一般公共预算财政拨款支出（总体、
    结构、具体情况）、基本支出、政府性基金、国有资本经营、“三公”经费、机关运行经费、政府采购、
    国有资产占用、预算绩效。按编号或标题查找，缺少的逐节报告。说明某张表的一节（国有资本经营）
    只要求文件的表式有这张表（2020 年及以前的表式没有）。上海市表式的情况说明是十一节（“三公”经费
    为七，十为预算绩效管理情况，机关运行经费、政府采购、国有资产是十一“其他重要事项的情况说明”的
    （一）至（三）），同样的内容按标题找到；缺少时按文件表式的编号和标题报告。教育部直属高校表式的“决算报表说明”
    逐表说明，应有四张表各自的说明（按标题查找）。

    ## 原因
    “三公”经费、机关运行经费、政府采购、国有资产、绩效等是公开要求的必备内容。

    ## 错误示例
    情况说明到“九、‘三公’经费”为止，没有机关运行经费和政府采购的说明。

    ## 正确示例
    十三节齐全；没有发生的事项也写明“本部门无……”。
    """
    if ctx.doc.part("narrative") is None:
        yield hit("缺少第三部分“部门决算情况说明”", [{"part": "第三部分"}], [])
        return
    var, _ = _variant(ctx)
    per_table = _TABLE_SECTIONS.get(var.name)
    if per_table is not None:
        titles = [s.title for _, s, _ in narrative_sections(ctx)]
        for tid, words in per_table:
            if not any(words in t and "说明" in t for t in titles):
                yield hit(f"决算报表说明缺少“{var.layouts[tid].title}说明”",
                          [{"part": part_label(ctx, "narrative")}], [])
        return
    plan = outline(var.name)
    for n, title in SECTIONS:
        if n in _SECTION_TABLE and _SECTION_TABLE[n] not in var.order:
            continue
        # the title hint only matters when the topic, key and number find nothing; without it the
        # look-up is the one the JS3xx rules have already made (and the context memoized)
        if section(ctx, n) is None and section(ctx, n, title_hint=_HINTS.get(n, title)) is None:
            # named as the layout's template numbers and titles it (Shanghai: 七 is 三公)
            number, own = section_place(plan, f"narrative.{n}", var.order) or (cn_number(int(n)), "")
            sep = "" if number.endswith("）") else "、"
            yield hit(f"情况说明缺少“{number}{sep}{own or title}”", [{"part": part_label(ctx, "narrative"),
                                                                   "section": number}], [])


_NO_PROCUREMENT_RE = re.compile(r"无政府采购|没有政府采购|未发生政府采购")
_PENDING_RE = re.compile(r"【待填写[^】]*】")
_SME_SHARE_RE = re.compile(r"中小企业[^。]*?\d[^。]*?占[^。]*?%")
_SME_AMOUNT_RE = re.compile(r"中小企业[^。]*?(\d+(?:\.\d+)?)\s*万元")


@rule("JS504", "procurement-sme-share", "政府采购说明缺少授予中小企业合同金额及占比", "warning", "publication",
      reads_tables=False)
def procurement(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    政府采购支出说明有采购支出时，应写明授予中小企业合同金额及其占政府采购支出总额的比例
    （以及其中授予小微企业的金额和占比）。表式不要求写的（上海市表式）不检查。

    ## 原因
    政府采购促进中小企业发展的政策要求公开中小企业份额。

    ## 错误示例
    “政府采购支出总额 669.68 万元，其中：政府采购服务支出 669.68 万元。”

    ## 正确示例
    “……授予中小企业合同金额 363.24 万元，占政府采购支出总额的 54.24%，其中：授予小微企业合同金额
    253.88 万元，占授予中小企业合同金额的 69.89%。”
    """
    if "procurement-sme-share" in _variant(ctx)[0].not_prescribed:
        return
    paras = texts(ctx, "11")
    if not paras:
        return
    text = " ".join(paras)
    if _NO_PROCUREMENT_RE.search(text) or "【待填写" in text:   # not filled in yet: JS603's, not this rule's
        return
    if not _SME_SHARE_RE.search(text):
        s = sentence(ctx, "11", 0)
        amount = _SME_AMOUNT_RE.search(text)
        what = "写了中小企业金额但未写其占政府采购支出总额的比例" if amount else "未写明授予中小企业合同金额及占比"
        yield hit(f"政府采购支出说明{what}", [s.where()], [amount.group(1)] if amount else [])


@rule("JS505", "glossary-present", "缺少名词解释", "warning", "publication", reads_tables=False)
def glossary(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    检查是否有第五部分“名词解释”（或至少有名词解释条目）。

    ## 原因
    公开要求对专业名词作出解释，方便公众理解。

    ## 错误示例
    文件没有名词解释部分。

    ## 正确示例
    “第五部分 名词解释”列出财政拨款收入、基本支出、项目支出、“三公”经费、机关运行经费等。
    """
    if ctx.doc.glossary:
        return
    p = ctx.doc.part("glossary")
    if p is not None and (p.paragraphs or p.sections):
        return
    yield hit("缺少名词解释", [{"part": "第五部分"}], [])


_PROJECT_EVAL_RE = re.compile(r"项目[^。]{0,20}自评|自评的[^。]{0,20}项目|共涉及项目")


@rule("JS506", "performance-attachments", "绩效情况说明缺少自评表附件", "warning", "publication", reads_tables=False)
def attachments(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    十三（预算绩效情况说明）提到开展了项目或整体支出绩效自评时，附件应有项目绩效自评表或部门
    整体绩效自评表。表式不附自评表的（上海市表式：情况说明只述及自评结果）不检查。

    ## 原因
    公开要求随决算公开绩效自评结果。

    ## 错误示例
    十三写“共涉及项目 15 个”，附件没有任何项目绩效自评表。

    ## 正确示例
    附件列出 15 张项目绩效自评表和一张部门整体绩效自评表。
    """
    if not _variant(ctx)[0].attaches_forms:
        return
    # what a 【待填写：…】 names is not what the section says was done
    text = _PENDING_RE.sub("", " ".join(texts(ctx, "13")))
    if not text.strip():
        return
    if not doc_projects(ctx) and _PROJECT_EVAL_RE.search(text):
        s = sentence(ctx, "13", 0)
        yield hit(f"{s.section}述及项目绩效自评，但没有附项目绩效自评表", [s.where()], [])
    if doc_overall(ctx) is None and "整体支出绩效自评" in text:
        s = sentence(ctx, "13", 0)
        yield hit(f"{s.section}述及整体支出绩效自评，但没有附部门整体绩效自评表", [s.where()], [])
