"""Canonical data shared by the document kinds: the yuan amount and the unit's profile.

Both kinds' data models (:mod:`juesuan.final.model`, :mod:`juesuan.budget.model`) stand on these:
an amount is a ``decimal.Decimal`` in **yuan** (元) with at most two decimals (万元 is a display
unit only), and a unit is described the same way in its 决算 and its 预算 (name, level, kind of
unit, duties, structure), so that a unit's two documents name the same unit.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from .record import After, Field, Record

__all__ = ["Yuan", "yuan", "Profile", "LEVELS", "UNIT_TYPES"]


def yuan(v: Decimal) -> Decimal:
    """``v`` as a yuan amount (two decimals); ValueError when it is not one."""
    if not v.is_finite():
        raise ValueError("金额必须是有限数")
    if v.as_tuple().exponent < -2 and v != v.quantize(Decimal("0.01")):
        raise ValueError(f"金额以元为单位，最多两位小数：{v}")
    try:
        return v.quantize(Decimal("0.01"))
    except InvalidOperation:  # more digits than Decimal's 28: no department has that much money
        raise ValueError(f"金额超出范围：{v}") from None


# A yuan amount: non-negative Decimal with at most two decimals (quantized to 0.01).
Yuan = Annotated[Decimal, Field(ge=0), After(yuan)]

LEVELS = ("中央", "省", "市", "区", "县", "乡")
UNIT_TYPES = ("行政单位", "参公事业单位", "事业单位")


class Profile(Record):
    """A unit (单位) or department (部门) as both its disclosures describe it."""
    name: str = Field(title="单位全称", min_length=2)
    short_name: str | None = Field(None, title="单位简称（附件表格中使用）")
    level: Literal["中央", "省", "市", "区", "县", "乡"] = Field(title="政府层级")
    region: str | None = Field(None, title="所属地区，如 武汉市汉阳区")
    unit_type: Literal["行政单位", "参公事业单位", "事业单位"] = Field(title="单位性质")
    funding: str | None = Field(None, title="经费形式，如 全额拨款")
    duties: list[str] = Field(default_factory=list, title="部门主要职责")
    structure: str | None = Field(None, title="机构设置情况 / 决算单位构成")
    phone: str | None = Field(None, title="公开咨询电话")
