"""Where a 决算 rule finds its text: the sections of 情况说明 by topic, their sentences, the parts.

情况说明 (第三部分) is numbered 一 … 十三 in the national template, but regions number it
otherwise (Shanghai: 七 is 三公); a section is found by its topic — words of its title
(:data:`NARRATIVE_TOPICS`) — first, then by key or printed number. Everything here is
computed once per check (:func:`juesuan.rules.context.per_check`).
"""

from __future__ import annotations

import re
from typing import Any

from ...document import Section
from ...rules._memo import cached
from ...rules.context import Context, Sentence, per_check
from ...rules.text import norm_name
from ...zh import cn_number, infer_level
from ..forms import OverallTable, ProjectTable, overall, projects
from ..layouts import VARIANTS, section_place

__all__ = ["NARRATIVE_TOPICS", "NARRATIVE_SUBTOPICS", "level", "part_label", "narrative_sections", "section",
           "sentences", "section_labels", "projects_by_name", "doc_projects", "doc_overall", "department_overall",
           "find_project"]

# 情况说明 topics in the national numbering (一 … 十三), recognised by title
NARRATIVE_TOPICS: dict[str, str] = {
    "1": r"^(?!.*财政拨款).*收入支出决算总体", "2": r"^(?!.*财政拨款)收入决算", "3": r"^(?!.*财政拨款)支出决算",
    "4": r"财政拨款收入支出决算总体", "5": r"一般公共预算财政拨款支出决算(?!.*基本)",
    "6": r"一般公共预算财政拨款基本支出", "7": r"政府性基金", "8": r"国有资本经营", "9": r"三公",
    "10": r"机关运行经费", "11": r"政府采购", "12": r"国有资产", "13": r"绩效",
}
NARRATIVE_SUBTOPICS: dict[tuple[str, str], str] = {
    ("5", "1"): r"总体", ("5", "2"): r"结构", ("5", "3"): r"具体",
    ("13", "1"): r"管理工作|开展情况", ("13", "2"): r"整体", ("13", "3"): r"项目",
}

_TOPIC_RE = {n: re.compile(t) for n, t in NARRATIVE_TOPICS.items()}
# the words a title must contain to match a topic (the pattern without anchors and look-aheads):
# a substring test that spares most regex searches
_TOPIC_WORDS = {n: re.sub(r"\^|\(\?!.*?\)|\.\*", "", t) for n, t in NARRATIVE_TOPICS.items()}
assert all(re.fullmatch(r"[\u4e00-\u9fff“”\"]+", w) for w in _TOPIC_WORDS.values()), _TOPIC_WORDS
_ANY_TOPIC_RE = re.compile("|".join(f"(?:{t})" for t in NARRATIVE_TOPICS.values()))
_SUBTOPIC_RE = {k: re.compile(t) for k, t in NARRATIVE_SUBTOPICS.items()}


@cached(maxsize=4096)
def _title_topics(title: str) -> tuple[str, ...]:
    """The topics (keys of :data:`NARRATIVE_TOPICS`) a section title is about. A pure function of
    the title, and titles follow the national template: memoized across documents."""
    return tuple([n for n, topic in _TOPIC_RE.items() if _TOPIC_WORDS[n] in title and topic.search(title)])

# the parts of the national layout by their place in it (for a part the document does not number)
_PART_NUM = {key: f"第{cn_number(i)}部分" for i, key in enumerate(
    ("profile", "tables", "narrative", "key_work", "glossary", "attachments"), 1)}


@per_check
def level(ctx: Context) -> str | None:
    """The government level of the document's unit: as given, else from its name."""
    return ctx.doc.level or infer_level(ctx.doc.entity)


def part_label(ctx: Context, key: str) -> str:
    p = ctx.doc.part(key)
    if p is not None and p.number:
        return f"第{p.number}部分" if not p.number.startswith("第") else p.number
    return _PART_NUM.get(key, key)


@per_check
def narrative_sections(ctx: Context) -> list[tuple[str, Section, str]]:
    """(label like 五（三）, section, key) for every section of 第三部分."""
    p = ctx.doc.part("narrative")
    out: list[tuple[str, Section, str]] = []
    if p is None:
        return out
    # depth first, in document order (an explicit stack: a recursive closure would be a
    # reference cycle left to the garbage collector after every check)
    stack: list[tuple[Section, str]] = [(s, "") for s in reversed(p.sections)]
    while stack:
        s, parent = stack.pop()
        num = s.number.strip()
        label = (parent + num) if parent and num.startswith("（") else (num.rstrip("、") or parent)
        out.append((label, s, s.key))
        inner = label if not num.startswith("（") else parent
        stack.extend((sub, inner) for sub in reversed(s.subsections))
    return out


@per_check
def section(ctx: Context, n: str, sub: str | None = None, title_hint: str = "") -> tuple[str, Section] | None:
    """Section 五 (n="5") or 五（三） (sub="3") of 第三部分 in the national numbering.

    Found by topic (the title, :data:`NARRATIVE_TOPICS`) first, since regional layouts
    number the sections otherwise (Shanghai: 七 is 三公), then by key or printed number.
    """
    secs = narrative_sections(ctx)
    topic = _TOPIC_RE.get(n)
    found = None
    if topic is not None:
        found = _by_topic(ctx).get(n)
    if found is None:
        # by key or printed number — unless that section is recognisably about another topic
        key, want = f"narrative.{n}", _printed_number(ctx, n)
        cand = next(((lab, s) for lab, s, k in secs if k == key), None) \
            or next(((lab, s) for lab, s, _ in secs if lab == want), None)
        if cand is not None and not (topic and _ANY_TOPIC_RE.search(cand[1].title)):
            found = cand
    if found is None and title_hint:
        found = next(((lab, s) for lab, s, _ in secs if title_hint in s.title), None)
    if found is None or sub is None:
        return found
    label, sec = found
    subtopic = _SUBTOPIC_RE.get((n, sub))
    for s in sec.subsections:
        if subtopic and subtopic.search(s.title):
            return label + s.number.strip(), s
    want = "（" + cn_number(int(sub)) + "）"
    for s in sec.subsections:
        if s.number.strip() == want or s.key == f"narrative.{n}.{sub}":
            return label + s.number.strip(), s
    return None


def _printed_number(ctx: Context, n: str) -> str:
    """The number the document's layout prints section ``n`` (national numbering) under: 十一（二）
    for 政府采购 in Shanghai's; the national number when the layout is not known."""
    ts = ctx.doc.tables
    var = VARIANTS.get(ts.variant if ts is not None else "national")
    if var is not None and var.outline is not None:
        place = section_place(var.outline, f"narrative.{n}", var.order)
        if place is not None:
            return place[0]
    return cn_number(int(n))


@per_check
def _by_topic(ctx: Context) -> dict[str, tuple[str, Section]]:
    """Topic → the first top-level section about it, else the first numbered subsection."""
    tops, subs = [], []
    for lab, s, _ in narrative_sections(ctx):
        (subs if s.number.strip().startswith("（") else tops).append((lab, s))
    out: dict[str, tuple[str, Section]] = {}
    for group in (tops, subs):
        found: dict[str, tuple[str, Section]] = {}
        for lab, s in group:
            for n in _title_topics(s.title):
                found.setdefault(n, (lab, s))
        for n, x in found.items():
            out.setdefault(n, x)
    return out


def sentences(ctx: Context, n: str, sub: str | None = None, title_hint: str = "",
              deep: bool = True) -> list[Sentence]:
    """Paragraph texts of a section (and its subsections when ``deep``)."""
    found = section(ctx, n, sub, title_hint)
    if found is None:
        return []
    label, sec = found
    out = []
    part = part_label(ctx, "narrative")
    secs = sec.walk() if deep else [sec]
    sub_labels = section_labels(ctx)
    for s in secs:
        for i, p in enumerate(s.paragraphs):
            out.append(Sentence(p.text, part, sub_labels.get(id(s), label), s.key, p, i))
    return out


@per_check
def section_labels(ctx: Context) -> dict[int, str]:
    """id(section) → its label (五（三）)."""
    return {id(s): lab for lab, s, _ in narrative_sections(ctx)}


@per_check
def doc_projects(ctx: Context) -> list[ProjectTable]:
    """The 项目绩效自评表 of the document, in order."""
    return projects(ctx.doc)


@per_check
def doc_overall(ctx: Context) -> OverallTable | None:
    """The 部门整体绩效自评表 of the document (None: there is none); the first when there are several."""
    return overall(ctx.doc)


@per_check
def department_overall(ctx: Context) -> OverallTable | None:
    """The 部门整体绩效自评表 of the department as a whole, whose money is the 决算's: the only one, or
    among several (a consolidated department printing its units' 整体 tables too) the one whose
    unit is the document's entity; None when that cannot be told."""
    found = [f for f in ctx.doc.forms if type(f) is OverallTable]
    if len(found) <= 1:
        return found[0] if found else None
    entity = norm_name(ctx.doc.entity or "")
    same = [f for f in found if f.unit_name and entity and (norm_name(f.unit_name) in entity
                                                          or entity in norm_name(f.unit_name))]
    return same[0] if len(same) == 1 else None


@per_check
def projects_by_name(ctx: Context) -> dict[str, Any]:
    """The 项目绩效自评表 by their names, compared loosely."""
    return {norm_name(p.name): p for p in doc_projects(ctx)}


def find_project(ctx: Context, name: str) -> ProjectTable | None:
    """The 项目绩效自评表 a narrative names ``name`` (names compared loosely; a name that ends the
    other's counts, "某某项目" and "某某", when it is the only such one)."""
    key = norm_name(name)
    p = projects_by_name(ctx).get(key)
    if p is not None:
        return p
    loose = [p for k, p in projects_by_name(ctx).items() if key.endswith(k) or k.endswith(key)]
    return loose[0] if len(loose) == 1 else None      # several: which one is meant is not known
