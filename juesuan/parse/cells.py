"""Cell-level reading for the recognizer: numbers as printed, text fragments, fuzzy names.

Owns the number tokenizer for extracted text ("1, 294. 48" is one number, "53. 33 53. 33"
two), the cleaning of running text (spaces between CJK characters dropped, half-width
punctuation inside Chinese text made full-width), and fuzzy matching of printed names
against a vocabulary (difflib ratio on names without spaces and with unified brackets).
"""

from __future__ import annotations

import re
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

from ..catalog import normalize_name
from ..figures import parse_number

__all__ = ["line_text", "reset_text_cache", "NUM_RE", "numbers_in", "numeric_cell", "has_cjk", "flat", "clean_text",
           "ratio", "compared_length", "best_match", "to_decimal", "is_int_token", "strip_bullet"]

# A printed number: optional sign, thousands groups possibly followed by a space
# ("1, 294"), a decimal part possibly after a space ("294. 48"), optional percent.
NUM_RE = re.compile(r"(?<![\d.])[-−]?(?:\d{1,3}(?:,\s?\d{3})+|\d+)(?:\.\s?\d+)?%?(?![\d])")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_BLANK_CELL = {"", "-", "—", "–", "--", "——", "/"}


def has_cjk(s: str) -> bool:
    return bool(_CJK_RE.search(s))


_WS = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def flat(s: str) -> str:
    """Text without any whitespace (for matching titles and labels)."""
    return _WS.sub("", s)


def numeric_cell(cell: str) -> list[str] | None:
    """The numbers of a cell made only of numbers (``[]`` for a blank/dash cell), else None."""
    got = _numeric_cell(cell)
    return None if got is None else list(got)


@lru_cache(maxsize=65536)
def _numeric_cell(cell: str) -> tuple[str, ...] | None:
    c = cell.strip()
    if c in _BLANK_CELL:
        return ()
    if not any(ch.isdigit() for ch in c):
        return None
    nums = tuple(m.group() for m in NUM_RE.finditer(c))
    if not nums:
        return None
    rest = NUM_RE.sub("", c)
    if rest.strip(" \u3000"):
        return None
    return nums


def numbers_in(text: str) -> list[str]:
    return [m.group() for m in NUM_RE.finditer(text)]


def to_decimal(tok: str) -> Decimal | None:
    t = tok.replace("−", "-").rstrip("%")
    return parse_number(t)


def is_int_token(tok: str) -> bool:
    return re.fullmatch(r"\d+", tok.replace(" ", "")) is not None


_BULLET = re.compile(r"^\s*(?:[-•·▪●]\s+)+")


def strip_bullet(s: str) -> str:
    return _BULLET.sub("", s).strip()


_CJKP = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJKP}])\s+|\s+(?=[{_CJKP}])")
_HALF_PUNCT = {",": "，", ":": "：", ";": "；"}
_HALF_RE = re.compile(r"(?<!\d)[,:;]|[,:;](?!\d)")
_OPEN_RE = re.compile(rf"\((?=[{_CJKP}])|(?<=[{_CJKP}])\(")
_CLOSE_RE = re.compile(rf"\)(?=[{_CJKP}])|(?<=[{_CJKP}])\)")
_OPEN_FIX = re.compile(r"（([^（）()]*)\)")
_CLOSE_FIX = re.compile(r"\(([^（）()]*)）")
_MULTI_WS = re.compile(r"\s{2,}")


def clean_text(s: str) -> str:
    """Running text as a reader would write it: no spaces next to CJK characters, Chinese
    punctuation inside Chinese text (``,`` → ``，`` except between digits; brackets next to
    CJK → （）)."""
    s = s.strip()
    if "," in s or ":" in s or ";" in s:
        s = _HALF_RE.sub(lambda m: _HALF_PUNCT[m.group()], s)
    s = _SPACE_NEAR_CJK.sub("", s)
    if "(" in s or ")" in s:
        s = _OPEN_RE.sub("（", s)
        s = _CLOSE_RE.sub("）", s)
        # unmatched half brackets after the substitutions above
        if "（" in s:
            s = _OPEN_FIX.sub(r"（\1）", s)
        if "）" in s:
            s = _CLOSE_FIX.sub(r"（\1）", s)
    return _MULTI_WS.sub(" ", s)


@lru_cache(maxsize=65536)
def _key(s: str) -> str:
    return normalize_name(flat(s)).replace("“", "").replace("”", "").replace('"', "")


@lru_cache(maxsize=65536)
def ratio(a: str, b: str) -> float:
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    return SequenceMatcher(None, ka, kb).ratio()


def compared_length(s: str) -> int:
    """The length of ``s`` as :func:`ratio` compares it (ratio ≤ 2 × the shorter ÷ both: a key
    too long or too short for a threshold need not be compared at all)."""
    return len(_key(s))


def best_match(name: str, vocabulary, threshold: float = 0.6) -> tuple[str | None, float]:
    """The vocabulary entry closest to ``name`` (``(None, score)`` under the threshold)."""
    best, score = None, 0.0
    for v in vocabulary:
        r = ratio(name, v)
        if r > score:
            best, score = v, r
            if r == 1.0:
                break
    return (best, score) if score >= threshold else (None, score)


_TEXT_CACHE: dict[int, tuple[object, str]] = {}


def line_text(line) -> str:
    """``line.text`` computed once per line (the recognizer asks for it many times)."""
    hit = _TEXT_CACHE.get(id(line))
    if hit is not None and hit[0] is line:
        return hit[1]
    t = line.text
    _TEXT_CACHE[id(line)] = (line, t)
    return t


def reset_text_cache() -> None:
    _TEXT_CACHE.clear()
