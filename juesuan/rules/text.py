"""Reading figures out of 情况说明 sentences: the number/percent patterns the rules share.

Owns the normalisation of sentence text (full-width digits and punctuation,
spaces inside numbers from PDF extraction), Chinese section numerals, and
project/item name normalisation for matching narrative names against tables.
"""

from __future__ import annotations

import re

from ..zh import SENTENCE_NUMBER_FORMS
from ._memo import cached

__all__ = ["norm", "norm_text", "NUM", "AMOUNT", "PCT", "norm_name", "split_sentences", "strip_codes"]


# Each substitution of :func:`norm` is tried only when the characters that can trigger it
# occur: 情况说明 paragraphs of generated and Word-made documents rarely hold whitespace or
# ASCII punctuation, and running eight patterns without a literal prefix over every
# paragraph cost more than all the reading that follows.
_FW_CHARS = re.compile("[０-９．－＋％]").search
_SPACED_SEP = re.compile(r"(?<=\d)\s*([.,])\s*(?=\d)")      # "1, 294. 48" → "1,294.48"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")           # thousands separators
_COMMA = re.compile(r",\s*")                                  # ASCII punctuation of PDF text
_COLON = re.compile(r"(?<!\d):\s*|:\s*(?!\d)")
_SEMICOLON = re.compile(r";\s*")
_SPACE_BEFORE_UNIT = re.compile(r"(?<=\d)\s+(?=[万%％元亿])")
_SPACE_AFTER_WORD = re.compile(r"(?<=[为的占计出额金支入是])\s+(?=\d)")
_SPACE_RUN = re.compile(r"[ \t\u3000]+")


# Any character some substitution of :func:`norm_text` starts from. Most paragraphs hold none of
# them, and one scan for the set answers them at once.
# (The whitespace of ``\s`` is spelled out: a set of plain characters is tested faster than the
# category, and this scan runs over every paragraph.)
_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_TRIGGERS = re.compile("[０-９．－＋％(),:;" + _WHITESPACE + "]").search


def norm_text(text: str) -> str:
    """Sentence text with ASCII digits, '%' and Chinese brackets, no spaces inside numbers.

    Not memoized: for the paragraphs of a document checked for the first time a cache
    look-up (hashing the whole paragraph) costs more than it ever saves; :func:`norm` is
    the memoized form for short strings that repeat (table cells, labels).
    """
    if _TRIGGERS(text) is None:
        return text
    s = text.translate(SENTENCE_NUMBER_FORMS) if _FW_CHARS(text) else text
    if "(" in s:
        s = s.replace("(", "（")
    if ")" in s:
        s = s.replace(")", "）")
    # no substitution inserts whitespace: absent at the start, it stays absent. (str.split()
    # splits at exactly the characters of \s, and scans far faster than a regex search.)
    spaced = s.split() != [s]
    if spaced and ("." in s or "," in s):
        s = _SPACED_SEP.sub(r"\1", s)
    if "," in s:
        s = _THOUSANDS.sub("", s)
        s = _COMMA.sub("，", s)
    if ":" in s:
        s = _COLON.sub("：", s)
    if ";" in s:
        s = _SEMICOLON.sub("；", s)
    if spaced:
        s = _SPACE_BEFORE_UNIT.sub("", s)
        s = _SPACE_AFTER_WORD.sub("", s)
        if "  " in s or "\t" in s or "\u3000" in s:
            s = _SPACE_RUN.sub(" ", s)
    return s


norm = cached(maxsize=8192)(norm_text)


NUM = r"(\d+(?:\.\d+)?)"
AMOUNT = NUM + r"\s*万元"
PCT = NUM + r"\s*%"


@cached(maxsize=8192)
def norm_name(name: str) -> str:
    """Project/item names compared loosely: no spaces, brackets unified, trailing 经费/项目 dropped."""
    s = norm(name)
    s = re.sub(r"\s+", "", s)
    s = s.replace("0A", "OA")
    for suffix in ("项目", "经费", "项目"):
        if s.endswith(suffix) and len(s) > len(suffix) + 2:
            s = s[: -len(suffix)]
    return s


@cached(maxsize=8192)
def strip_codes(label: str) -> str:
    """'一、一般公共服务支出' → '一般公共服务支出'; '201 一般…' → '一般…'."""
    s = re.sub(r"^[一二三四五六七八九十]+、", "", label.strip())
    s = re.sub(r"^\d+\s*", "", s)
    return s


def split_sentences(text: str) -> list[str]:
    """Split a paragraph at 。 (keeping the full stop)."""
    parts = re.split(r"(?<=。)", text)
    return [p for p in (x.strip() for x in parts) if p]
