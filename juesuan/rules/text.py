"""Reading figures out of 情况说明 sentences: the number/percent patterns the rules share.

Owns the normalisation of sentence text (full-width digits and punctuation,
spaces inside numbers from PDF extraction), Chinese section numerals, and
project/item name normalisation for matching narrative names against tables.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["norm", "NUM", "AMOUNT", "PCT", "cn_number", "norm_name", "split_sentences", "strip_codes"]

_FW = str.maketrans("０１２３４５６７８９．－＋％", "0123456789.-+%")

CN = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
      "十六", "十七", "十八", "十九", "二十")


def cn_number(n: int) -> str:
    return CN[n - 1] if 0 < n <= len(CN) else str(n)


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Sentence text with ASCII digits, '%' and Chinese brackets, no spaces inside numbers."""
    s = text.translate(_FW)
    s = s.replace("(", "（").replace(")", "）")
    s = re.sub(r"(?<=\d)\s*([.,])\s*(?=\d)", r"\1", s)      # "1, 294. 48" → "1,294.48"
    s = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", s)               # thousands separators
    s = re.sub(r",\s*", "，", s)                                   # ASCII punctuation of PDF text
    s = re.sub(r"(?<!\d):\s*|:\s*(?!\d)", "：", s)
    s = re.sub(r";\s*", "；", s)
    s = re.sub(r"(?<=\d)\s+(?=[万%％元亿])", "", s)
    s = re.sub(r"(?<=[为的占计出额金支入是])\s+(?=\d)", "", s)
    s = re.sub(r"[ \t\u3000]+", " ", s)
    return s


NUM = r"(\d+(?:\.\d+)?)"
AMOUNT = NUM + r"\s*万元"
PCT = NUM + r"\s*%"


@lru_cache(maxsize=8192)
def norm_name(name: str) -> str:
    """Project/item names compared loosely: no spaces, brackets unified, trailing 经费/项目 dropped."""
    s = norm(name)
    s = re.sub(r"\s+", "", s)
    s = s.replace("0A", "OA")
    for suffix in ("项目", "经费", "项目"):
        if s.endswith(suffix) and len(s) > len(suffix) + 2:
            s = s[: -len(suffix)]
    return s


@lru_cache(maxsize=8192)
def strip_codes(label: str) -> str:
    """'一、一般公共服务支出' → '一般公共服务支出'; '201 一般…' → '一般…'."""
    s = re.sub(r"^[一二三四五六七八九十]+、", "", label.strip())
    s = re.sub(r"^\d+\s*", "", s)
    return s


def split_sentences(text: str) -> list[str]:
    """Split a paragraph at 。 (keeping the full stop)."""
    parts = re.split(r"(?<=。)", text)
    return [p for p in (x.strip() for x in parts) if p]
