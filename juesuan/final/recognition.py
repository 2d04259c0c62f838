"""How the 决算 is read back: its vocabulary for the recognizer, its 重点工作 table and 绩效自评表.

:data:`SPEC` is what the parse machinery (:mod:`juesuan.parse`) gets from the 决算 kind: the
word of its titles (部门决算), how its six parts are named, its tables and their regional
variants (:mod:`juesuan.final.layouts`), the identities that choose among readings
(:mod:`juesuan.final.identities`), and readers of what only the 决算 has: the 重点工作 summary
table of 第四部分 and the 附件 self-evaluation forms (:mod:`juesuan.final.attachments`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..document import Document, Section
from ..parse.cells import clean_text, flat, line_text
from ..parse.source import SourceLine
from ..parse.spec import ParseSpec
from ..zh import cn_to_int
from .attachments import TITLE_ENDS, find_performance_tables, partitions, read_overall, read_project
from .forms import KeyWorkRow, KeyWorkTable
from .identities import BLOCKS, FUND_TABLE_FACTS, HIERARCHY, READ_TOGETHER, ROW_IDENTITIES, ROW_TOTALS, TOTALS
from .layouts import VARIANTS

if TYPE_CHECKING:  # pragma: no cover
    from ..parse.recognize import Recognizer

__all__ = ["SPEC", "part_key"]


def part_key(title: str) -> str:
    """The part a title heads: profile, tables, narrative, key_work, glossary, attachments or other."""
    t = flat(title)
    if "概况" in t or "职责" in t or "职能" in t:
        return "profile"
    if "情况说明" in t or t.endswith("说明"):
        return "narrative"
    if "决算表" in t or "报表" in t or t.endswith("附表"):
        return "tables"
    if "重点工作" in t:
        return "key_work"
    if "名词解释" in t:
        return "glossary"
    if "附件" in t or "绩效" in t:
        return "attachments"
    return "other"


def read_key_work(rec: Recognizer, idxs: list[int], sections: list[Section], doc: Document) -> None:
    """The 重点工作完成情况 table of 第四部分: 序号 | 重要事项 | 工作内容及目标 | 完成情况."""
    rows: list[KeyWorkRow] = []
    for i in idxs:
        line = rec.lines[i]
        cells = [c.strip() for c in line.cells]
        if len([c for c in cells if c]) < 2:
            continue
        if not re.fullmatch(r"\d{1,2}", cells[0] or ""):
            if "序号" in flat(line_text(line)):
                rec.trace.note("key_work", "重点工作表表头", line)
            elif rows:   # a wrapped row continues the previous one
                r = rows[-1]
                extra = [c for c in cells if c]
                r.target = clean_text(r.target + "".join(extra))
            continue
        body = cells[1:] + ["", "", ""]
        number, title, target, completion = cells[0], body[0], body[1], body[2]
        if len([c for c in cells[1:] if c]) == 2 and not title:
            title = ""
        n = int(number)
        sec = next((s for s in sections if cn_to_int(s.number) == n), None)
        title = clean_text(title)
        if sec is not None and (not title or (sec.title.startswith(flat(title)) and flat(title) != sec.title)):
            rec.trace.note("key_work", f"第 {n} 行重要事项不全（“{title}”），取第{sec.number}节标题", line)
            title = sec.title
        rows.append(KeyWorkRow(number, title, clean_text(target), clean_text(completion)))
    if rows:
        doc.forms.append(KeyWorkTable(rows))


def read_forms(rec: Recognizer, forms: list[tuple[str, str, list[SourceLine]]], doc: Document) -> None:
    """The 部门整体绩效自评表 and the 项目绩效自评表 found (kind, title, lines from the title on)."""
    for kind, ptitle, lines in forms:
        body = lines[1:]
        if kind == "stray":
            rec.trace.unread(lines[0], "附件中不在任何绩效自评表内的文字（含数字），未读入", table="绩效自评表")
            continue
        if kind == "unknown":
            rec.trace.unread(lines[0], f"“{ptitle}”像绩效自评表的标题，但其下没有可读的表"
                             "（无项目名称、预算数或指标表头）", table="绩效自评表")
            continue
        if kind == "overall":
            o = read_overall(ptitle, body, rec.trace)
            o.source = {**lines[0].place().to_dict()}
            doc.forms.append(o)     # a consolidated department may print its units' tables too
        else:
            p = read_project(ptitle, body, rec.trace)
            unresolved = p.source.pop("unresolved_budget", None)
            p.source = {**lines[0].place().to_dict()}
            if unresolved is not None:
                _resolve_budget(rec, p, unresolved, doc)
            doc.forms.append(p)


def _resolve_budget(rec: Recognizer, p, unresolved: dict, doc: Document) -> None:
    """预算数/执行数/执行率 whose printed pieces do not give B/A: the narrative's 综述 of
    the same project says which reading it is (recorded as unreadable either way)."""
    pieces = unresolved["pieces"]
    where = SourceLine([unresolved["text"]], line=unresolved.get("line"), page=unresolved.get("page"))
    said = None
    narrative = doc.part("narrative")
    text = narrative and "".join(s.text for s in narrative.walk())
    if text and p.name:
        m = re.search(re.escape(p.name) + r"[^。]*?预算数为([\d.,]+)万元[，,]执行数为([\d.,]+)万元"
                      r"[，,]完成预算的([\d.]+%)", text)
        if m:
            said = m.groups()
    cands = list(partitions(pieces))
    if said:
        for a, b, r in cands:
            if sum(x == y for x, y in zip((a, b, r), said)) >= 2:
                p.budget, p.actual, p.rate = said
                # read from the narrative: checking the narrative against them would prove nothing
                p.unsure["money"] = f"预算数/执行数/执行率文字无法辨认（{' '.join(pieces)}），按情况说明取"
                rec.trace.unread(where, f"预算数/执行数/执行率文字无法辨认（{' '.join(pieces)}），"
                                 f"按情况说明取 {said[0]}/{said[1]}/{said[2]}",
                                 table="项目绩效自评表", project=p.name)
                return
    if cands:
        p.budget, p.actual, p.rate = cands[0] if len(pieces) != 3 else tuple(pieces)
    p.unsure["money"] = f"预算数/执行数/执行率无法确定（{' '.join(pieces)}）"
    rec.trace.unread(where, f"预算数/执行数/执行率无法确定（{' '.join(pieces)}）",
                     table="项目绩效自评表", project=p.name)


SPEC = ParseSpec(
    kind="final", title_word="部门决算", table_word="决算", variants=VARIANTS, default_variant="national",
    part_key=part_key, tables_part_title="部门决算表", row_identities=ROW_IDENTITIES, same_facts=FUND_TABLE_FACTS,
    confirming=HIERARCHY + TOTALS + BLOCKS + ROW_TOTALS + tuple(d for ds in READ_TOGETHER for d in ds),
    read_part={"key_work": read_key_work}, find_forms=find_performance_tables, read_forms=read_forms,
    form_title_ends=TITLE_ENDS, name="部门决算公开",
    part_title_re=r"^.{0,30}(?:概况|部门决算情况说明|决算情况说明|决算报表说明|部门决算表|决算报表|重点工作完成情况|名词解释|附件)$",
    look_alikes=(("部门预算", "部门预算公开"), ("预算公开", "部门预算公开"), ("预算表", "部门预算公开")),
)
