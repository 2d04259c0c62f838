"""Cell values of a workbook: addresses, text normalisation, amounts, codes, units.

Spreadsheet cells arrive as whatever the file holds: floats for numbers (also for
what finance staff think of as exact 元 amounts), text with thousands separators,
full-width digits and stray spaces, codes as numbers or split over 类/款/项. This
module turns one cell into one value or into a message saying why it cannot, and
never goes through ``float`` arithmetic: a float is read back through ``repr``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..figures import ZERO
from ..figures import parse_number as parse_figure
from ..limits import MAX_AMOUNT_YUAN
from ..zh import normalize

__all__ = ["a1", "col_letter", "norm", "is_blank", "parse_number", "NumberError",
           "code_digits", "split_code_name", "detect_unit", "cell_text", "CellError", "out_of_range"]

# cell text read with ASCII punctuation (full-width digits and radicals: juesuan.zh.normalize);
# labels are compared so, with straight quotes as Chinese ones
_TEXT_FORMS = {"，": ",", "．": ".", "－": "-", "：": ":", "　": " ", "（": "(", "）": ")", "\u00a0": " "}
_CELL_FORMS = str.maketrans(_TEXT_FORMS)
_LABEL_FORMS = str.maketrans({**_TEXT_FORMS, "\"": "“"})
_SPACES = re.compile(r"[\s\u3000\u00a0\u2002-\u200b]+")


def col_letter(col: int) -> str:
    """0-based column index → letters (0 → A)."""
    s = ""
    col += 1
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


def a1(row: int, col: int) -> str:
    """0-based (row, col) → ``E12``."""
    return f"{col_letter(col)}{row + 1}"


def cell_text(v) -> str:
    """A cell as text (numbers without a spurious ``.0``)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return repr(v)
    return str(v)


def norm(v) -> str:
    """Text for comparing labels: no spaces, ASCII digits and parentheses, radicals mapped."""
    return _SPACES.sub("", normalize(cell_text(v)).translate(_LABEL_FORMS))


def is_blank(v) -> bool:
    return v is None or (isinstance(v, str) and not _SPACES.sub("", v))


class NumberError(ValueError):
    """A cell that should hold a number does not."""


def parse_number(v) -> Decimal | None:
    """Cell → Decimal (exact as shown), ``None`` for blank; raise NumberError otherwise.

    Floats go through ``repr`` (the shortest text that reads back to the same float),
    so 12944840.57 stays 12944840.57. "-" and "—" mean zero, as tables print them.
    """
    if v is None:
        return None
    if isinstance(v, CellError):
        raise NumberError(v.describe())
    if isinstance(v, bool):
        raise NumberError(f"“{cell_text(v)}” 不是数字")
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise NumberError("不是有限数")
        return Decimal(repr(v))
    if not isinstance(v, str):  # dates, times
        raise NumberError(f"“{v}” 不是数字（是日期或时间）")
    s = _SPACES.sub("", v)
    if s.endswith("万元") or s.endswith("元"):
        raise NumberError(f"“{v.strip()}” 不是数字（金额单位请写在金额单位栏，不要写在单元格中）")
    try:
        return parse_figure(v, dash=ZERO)      # "-" and "—" mean zero, as tables print them
    except ValueError:
        raise NumberError(f"“{v.strip()}” 不是数字") from None


_CODE_HEAD = re.compile(r"^(\d[\d\s]*\d|\d)(.*)$", re.S)


def code_digits(v) -> str:
    """The digits of a code cell: 2010350.0 → "2010350", "201 03 50" → "2010350"."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    s = normalize(cell_text(v)).translate(_CELL_FORMS).strip()
    m = _CODE_HEAD.match(s)
    if not m:
        return ""
    return re.sub(r"\s+", "", m.group(1))


def split_code_name(v) -> tuple[str, str]:
    """"2010350 事业运行" → ("2010350", "事业运行"); a bare name → ("", name)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return code_digits(v), ""
    s = normalize(cell_text(v)).translate(_CELL_FORMS).strip()
    m = _CODE_HEAD.match(s)
    if not m:
        return "", s
    rest = m.group(2).strip()
    if rest and rest[0].isdigit():  # "12,3a"-like: not a code
        return "", s
    return re.sub(r"\s+", "", m.group(1)), rest


_UNIT_RE = re.compile(r"单位[:]?(万元|元)")


def detect_unit(texts: list[str]) -> str | None:
    """金额单位 from the cells of a unit line: "金额单位：万元", or "金额单位：" then "万元"."""
    for i, t in enumerate(texts):
        n = norm(t).replace("：", ":")
        m = _UNIT_RE.search(n)
        if m:
            return m.group(1)
        if n.endswith("单位:") or n in ("金额单位", "单位"):
            for nxt in texts[i + 1:i + 3]:
                nn = norm(nxt)
                if nn in ("元", "万元"):
                    return nn
    return None


def out_of_range(value: Decimal, shown: Decimal | str, what: str = "金额") -> str | None:
    """Why a figure (``value`` in yuan, or a count; ``shown`` as the cell has it) is too large to be
    one, or None: beyond :data:`juesuan.limits.MAX_AMOUNT_YUAN` no 决算 figure exists (and Decimal
    arithmetic to the cent fails)."""
    if abs(value) >= MAX_AMOUNT_YUAN:
        limit = f"{MAX_AMOUNT_YUAN // 10 ** 12} 万亿{'元' if what == '金额' else ''}"
        return f"{what} {shown} 超出范围（不能超过 {limit}）：请核对单元格内容与金额单位"
    return None


class CellError(str):
    """An Excel error value (#DIV/0!, #REF!, #VALUE!, #N/A, #NAME?) where a cell's value should be."""

    def describe(self) -> str:
        return f"单元格是 Excel 错误值 {self}，请在 Excel 中改正公式后另存"
