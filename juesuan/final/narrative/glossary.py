"""第五部分 名词解释: the standard glossary (bundled ``glossary.yaml``) worded for the
entity's government level, plus the 功能分类 项 the department used with their
explanations (:func:`juesuan.catalog.function_note`).

The entries go to ``doc.glossary`` (structured; the 项 list follows its heading
entry with numbers "1." "2." …) and, as printed paragraphs, to the part itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from ...catalog import function_note
from ...document import GlossaryEntry, Part
from ...narration import glossary
from ...zh import level_words
from ._common import Ctx
from .general import item_title

__all__ = ["glossary_part", "level_words", "function_note"]


@cache
def _data(name: str) -> dict:
    text = (Path(__file__).parent / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 10× faster


def _used_items(c: Ctx) -> list[str]:
    codes: set[str] = set()
    for tid in ("T2", "T3"):
        codes.update(r.code for r in c.tables[tid].rows if r.level == 3)
    return sorted(codes)


def glossary_part(c: Ctx, template: str = "") -> tuple[Part, list[GlossaryEntry]]:
    """The 名词解释: the national entries, or a regional template's own (``templates`` in glossary.yaml,
    named by the layout's outline)."""
    data = _data("glossary.yaml")
    own = data["templates"][template] if template else {}
    paras, entries = glossary(own.get("entries") or data["entries"], level_words(c.d.entity.level),
                              lambda: [(item_title(c, code), function_note(code, c.year)) for code in _used_items(c)],
                              c.d.entity.phone, own.get("numbering", "（{cn}）"))
    return Part("glossary", "五", "名词解释", paragraphs=paras), entries
