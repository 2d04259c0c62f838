"""How a published 预算 is read back: its vocabulary for the recognizer (:data:`SPEC`).

The parse machinery (:mod:`juesuan.parse`) gets from the budget kind the word of its titles
(部门预算), how its parts are named (情况说明, 预算表/报表, 名词解释 …), its tables and their
regional layouts (:mod:`juesuan.budget.layouts`) and the identities that choose among readings of
a row (:mod:`juesuan.budget.identities`).
"""

from __future__ import annotations

from ..parse.cells import flat
from ..parse.spec import ParseSpec
from .forms import read_forms
from .identities import ROW_IDENTITIES
from .layouts import VARIANTS

__all__ = ["SPEC", "part_key"]


def part_key(title: str) -> str:
    """The part a title heads: profile, narrative, tables, glossary, attachments or other."""
    t = flat(title)
    if "名词解释" in t:
        return "glossary"
    if "预算表" in t or "报表" in t or "表格" in t or t.endswith("附表"):
        return "tables"
    if "概况" in t or "职责" in t or "职能" in t or "部门情况" in t or "单位情况" in t or "基本情况" in t:
        return "profile"
    if "情况说明" in t or t.endswith("说明") or "预算情况" in t or "安排情况" in t:
        return "narrative"
    if "绩效" in t or "附件" in t:
        return "attachments"
    return "other"


SPEC = ParseSpec(
    kind="budget", title_word="部门预算", table_word="预算", variants=VARIANTS, default_variant="national",
    part_key=part_key, tables_part_title="部门预算表", row_identities=ROW_IDENTITIES, name="部门预算公开",
    read_forms=read_forms,
    part_title_re=r"^.{0,30}(?:部门预算情况说明|预算情况说明|部门预算表|部门预算报表|公开报表|表格部分|名词解释)$",
    look_alikes=(("部门决算", "部门决算公开"), ("决算表", "决算公开")), title_pattern="部门(?:综合)?预算",
)
