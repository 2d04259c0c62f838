"""The figures of a 决算's 情况说明 that its tables do not hold, as plain rows (the store keeps them).

The tables give totals, shares and 三公 by item; 政府采购, its 中小企业 part and the 年初预算
of 一般公共预算财政拨款支出 are stated only in the 情况说明, and so is *why* a figure changed
from last year. :func:`narrative_facts` reads them from the document's text — the same way
for a document built from data (whose sentences are made from the model) and for a published
one read back — so what is kept is what the disclosure says, at its 万元 precision:

* :data:`AMOUNTS` — one figure each (name, the section it is in, the pattern that states it).
  A section that is missing, a sentence that does not say, or a 【待填写】 gives no row:
  a comparison shows a blank there, never 0. An explicit "无政府采购" is 0.
* ``change`` rows — every "增加/减少 x 万元" of the sections that compare with last year
  (一 … 五, 九, 十), with the figure it changes (the last amount before it in the paragraph),
  the signed change, and the reason stated after it (JS306's notion of a reason: 原因, 由于 …;
  a reason that is only 【待填写】 is none). ``juesuan compare --entity`` matches a table figure
  that changed between two stored years with the statement of the later year about it.

Rows: ``{"name", "section", "value" (Decimal, 万元), "change" (Decimal or None), "reason"
(str or None), "sentence"}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..document import Document
from ..rules.context import Context
from ..rules.text import NUM
from .rules.narrative import CHANGE_AMOUNT_RE, CHANGE_SECTIONS, current_before, has_reason
from .rules.sentences import sentence_at, texts

__all__ = ["AMOUNTS", "NarrativeAmount", "narrative_facts", "LABELS"]


@dataclass(frozen=True)
class NarrativeAmount:
    name: str
    label: str
    section: str                  # national numbering; found by topic in other layouts
    pattern: str                  # group 1: the amount in 万元
    none: str | None = None       # a phrase that says the amount is 0 (无政府采购支出)


AMOUNTS: tuple[NarrativeAmount, ...] = (
    # 政府采购支出总额669.68万元 (national); 政府采购金额（以合同签订为准）为21.07万元 (Shanghai)
    NarrativeAmount("procurement_total", "政府采购支出总额", "11",
                    rf"政府采购(?:支出总额|金额(?:（[^）]{{0,20}}）)?为)\s*{NUM}\s*万元", r"无政府采购"),
    NarrativeAmount("procurement_sme", "授予中小企业合同金额", "11", rf"授予中小企业合同(?:金额)?\s*{NUM}\s*万元",
                    r"无政府采购"),
    NarrativeAmount("initial_budget", "一般公共预算财政拨款支出年初预算", "5",
                    rf"一般公共预算财政拨款支出(?:的)?年初预算(?:数)?为\s*{NUM}\s*万元"),
)
LABELS = {a.name: a.label for a in AMOUNTS} | {"change": "增减变动"}

_PLACEHOLDER = "【待填写"
_REASON_AT = re.compile(r"原因|由于|因为|主要是|系")
_REASON_WORDS = re.compile(r"原因(?:是|为|：|:)\s*")


def _reason(tail: str) -> str | None:
    """The reason stated in ``tail`` (the text after a change, up to the next one): the sentence
    from the reason's word on; None when there is none or it is only a placeholder."""
    if not has_reason(tail):
        return None
    m = _REASON_AT.search(tail)
    start = m.start()
    if (after := _REASON_WORDS.match(tail, start)) is not None:     # 原因是…: from what follows
        start = after.end()
    end = tail.find("。", start)
    said = tail[start: end if end >= 0 else len(tail)].strip("，,；; ")
    return None if _PLACEHOLDER in said else said


def narrative_facts(doc: Document) -> list[dict[str, Any]]:
    """The rows of :data:`AMOUNTS` and the change statements of ``doc``'s 情况说明 (see the module)."""
    if not doc.parts:
        return []
    ctx = Context(doc)
    try:
        out: list[dict[str, Any]] = []
        for a in AMOUNTS:
            for text in texts(ctx, a.section):
                if _PLACEHOLDER in text and not re.search(a.pattern, text):
                    continue
                m = re.search(a.pattern, text)
                if m:
                    out.append({"name": a.name, "section": a.section, "value": Decimal(m.group(1)), "change": None,
                                "reason": None, "sentence": sentence_at(text, m.start())})
                    break
                if a.none and re.search(a.none, text):
                    out.append({"name": a.name, "section": a.section, "value": Decimal(0), "change": None,
                                "reason": None, "sentence": sentence_at(text, re.search(a.none, text).start())})
                    break
        for n in CHANGE_SECTIONS:
            for text in texts(ctx, n):
                ms = list(CHANGE_AMOUNT_RE.finditer(text))
                for k, m in enumerate(ms):
                    current = current_before(text, m.start())
                    if current is None:
                        continue
                    change = Decimal(m.group(2)) * (1 if m.group(1) == "增加" else -1)
                    tail = text[m.end(): ms[k + 1].start() if k + 1 < len(ms) else len(text)]
                    out.append({"name": "change", "section": n, "value": Decimal(current.group(1)),
                                "change": change, "reason": _reason(tail), "sentence": sentence_at(text, m.start())})
        return out
    finally:
        ctx.close()
