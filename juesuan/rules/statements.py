"""What any kind's 情况说明 rules share: a sentence cut out of its paragraph, and a stated amount
compared with the table's.

The 决算's narrative rules (:mod:`juesuan.final.rules.sentences`) and the 预算's
(:mod:`juesuan.budget.rules_narrative`) read their own sections and their own phrases, but quote a
sentence and judge "the text says X 万元, the table shows Y" the same way: equal displayed figures
agree; a difference that rounding (or 舍位平衡, one unit of the last place) explains is a 尾差
(info); anything beyond is the rule's severity.
"""

from __future__ import annotations

from ..figures import fmt
from .context import Fig, Finding, compare, hit

__all__ = ["sentence_at", "same_figure"]


def sentence_at(text: str, pos: int) -> str:
    """The sentence (between 。) around position ``pos``."""
    start = text.rfind("。", 0, pos) + 1
    if text[max(0, start - 4): start] == "（项）。":      # 五（三） items: keep the item's title
        start = text.rfind("。", 0, start - 1) + 1
    end = text.find("。", pos)
    return text[start: end + 1 if end >= 0 else len(text)].strip()


def same_figure(what: str, stated: Fig, table: Fig) -> Finding | None:
    """A 万元 amount stated in a sentence against the same quantity in a table."""
    if stated.value == table.value:
        return None        # equal displayed figures always agree (the intervals overlap, no 尾差)
    v = compare(table, [(1, stated)], single_allowance=True)
    if v.ok and not v.tail:
        return None
    if v.ok:
        return hit(f"情况说明“{what}”为 {stated.text} 万元，表中为 {table.text}，差额在舍入误差范围内（尾差）",
                   [stated.where, table.where], [stated.text, table.text], "info")
    return hit(f"情况说明“{what}”为 {stated.text} 万元，与表中 {table.text} 不符"
               f"（相差 {fmt(abs(stated.value - table.value))}）",
               [stated.where, table.where], [stated.text, table.text])
