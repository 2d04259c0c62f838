"""Displayed figures as intervals (docs/rounding.md; XBRL Calculations 1.1).

A figure printed with *d* decimals stands for every value that rounds to it:
``53.33`` means [53.325, 53.335]. Arithmetic on intervals tells whether some
underlying values could make printed figures agree; a check fails only when no
values can.

Also here: reading a number as printed in real documents ("1, 294. 48",
full-width digits, a dash for nothing), the units of money (``WAN``, ``CENT``) and
writing figures (:func:`fmt`, :func:`fmt_cell`, :func:`fmt_sentence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .zh import NUMBER_FORMS

__all__ = ["Interval", "interval", "parse_number", "wan_to_yuan", "places", "exact", "ZERO", "WAN", "CENT",
           "round_half_up", "percent_interval", "ratio_interval", "fmt", "fmt_cell", "fmt_sentence"]

ZERO = Decimal(0)
WAN = Decimal(10000)          # yuan in one 万元 (the display unit; yuan is the source of truth)
CENT = Decimal("0.01")        # the last displayed place of a 万元 (or 元) figure: one unit of it


@dataclass(frozen=True)
class Interval:
    lo: Decimal
    hi: Decimal

    def __post_init__(self):
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def scale(self, k: Decimal) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, v: Decimal) -> bool:
        return self.lo <= v <= self.hi

    def distance(self, other: Interval) -> Decimal:
        """How far apart two intervals are (0 when they overlap)."""
        if self.overlaps(other):
            return ZERO
        return other.lo - self.hi if other.lo > self.hi else self.lo - other.hi

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    def __str__(self) -> str:
        return f"[{self.lo}, {self.hi}]"


def places(text_or_value: str | Decimal) -> int:
    """Decimal places as displayed: "53.30" → 2, "3" → 0."""
    if isinstance(text_or_value, Decimal):
        exp = text_or_value.as_tuple().exponent
        return max(0, -exp) if isinstance(exp, int) else 0
    s = str(text_or_value)
    return len(s.split(".", 1)[1]) if "." in s else 0


def interval(value: Decimal, decimals: int | None = None) -> Interval:
    """The interval a displayed ``value`` stands for (round-half-up at ``decimals``)."""
    d = places(value) if decimals is None else decimals
    half = Decimal(5).scaleb(-(d + 1))
    return Interval(value - half, value + half)


def exact(value: Decimal) -> Interval:
    return Interval(value, value)


def round_half_up(v: Decimal, decimals: int = 2) -> Decimal:
    return v.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def ratio_interval(num: Interval, den: Interval) -> Interval | None:
    """num/den for positive denominators; None when the denominator may be zero."""
    if den.lo <= 0 <= den.hi or den.hi <= 0:
        return None
    cands = [num.lo / den.lo, num.lo / den.hi, num.hi / den.lo, num.hi / den.hi]
    return Interval(min(cands), max(cands))


def percent_interval(num: Interval, den: Interval) -> Interval | None:
    r = ratio_interval(num, den)
    return None if r is None else r.scale(Decimal(100))


_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_SPACES = re.compile(r"[\s\u3000\u00a0\u2002-\u200b]+")
# what tables print for nothing: a blank, or one of these
DASHES = frozenset({"-", "—", "–", "--", "——", "/", "\\", "0-"})


def parse_number(text: str | None, *, dash: Decimal | None = None) -> Decimal | None:
    """Read a printed number: "1, 294. 48" → 1294.48, "１２．５" → 12.5, "(3.00)" → -3.00.

    The one reader of printed figures (parsed documents and workbook cells alike). Spaces
    inside the number and thousands separators (only where they group by three) are dropped,
    full-width forms read as ASCII (:data:`juesuan.zh.NUMBER_FORMS`). A blank gives None; a
    dash (:data:`DASHES`) gives ``dash``: None where a published table leaves a cell blank, 0
    where the source says a dash means zero. Raises ``ValueError`` for text that is not a
    number, so callers can say which cell was unreadable.
    """
    if text is None:
        return None
    s = _SPACES.sub("", str(text).translate(NUMBER_FORMS))
    if not s:
        return None
    if s in DASHES:
        return dash
    neg = s.startswith("(") and s.endswith(")")
    t = s[1:-1] if neg else s
    if _GROUPED.match(t):
        t = t.replace(",", "")
    if not _PLAIN.match(t):
        raise ValueError(f"不是数字：{text!r}")
    try:
        d = Decimal(t)
    except InvalidOperation:  # pragma: no cover - the regexes admit only decimals
        raise ValueError(f"不是数字：{text!r}") from None
    return -d if neg else d



def wan_to_yuan(wan: str | Decimal | None) -> Decimal | None:
    """A displayed 万元 figure (as printed, or read) → yuan: × 10000, exact to the fen; None for a
    blank, a dash or text that is not a number (every kind's document read back as data)."""
    if wan is None:
        return None
    if isinstance(wan, Decimal):
        v: Decimal | None = wan
    else:
        try:
            v = parse_number(wan.replace("，", ","))
        except (ValueError, InvalidOperation):
            return None
    return None if v is None else (v * WAN).quantize(CENT)

# ----------------------------------------------------------------------------- writing figures

def fmt(v: Decimal | None, places: int = 2) -> str:
    """A figure as plain text with ``places`` decimals: ``1294.48`` (no separators); "" for None.

    The one plain number format: facts CSV, finding figures.
    """
    if v is None:
        return ""
    q = Decimal(1).scaleb(-places)
    return f"{v.quantize(q):.{places}f}"


def fmt_sentence(v: Decimal | None) -> str:
    """A 万元 figure in a sentence: ``1294.48`` (two decimals, no separators; 0.00 for nothing)."""
    return fmt(v or ZERO)


def fmt_cell(v: Decimal | None) -> str:
    """A figure in a table cell: thousands separators, two decimals, blank for zero or nothing."""
    if v is None or v == 0:
        return ""
    return f"{v.quantize(CENT):,.2f}"
