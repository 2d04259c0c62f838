"""Chinese text: numerals, place names and the government level they imply.

Owns what every layer needs to know about written Chinese and nothing about disclosures:

* numerals as they number parts, sections and table rows: :func:`cn_number` (12 → 十二)
  and its inverse :func:`cn_to_int`;
* the place-name prefix of a unit's name (省 → 市 → 区/县 → 乡/镇), :data:`REGION_RE`, and
  the government level it implies, :func:`infer_level` (武汉市汉阳区大数据中心 → 区).
"""

from __future__ import annotations

import re

__all__ = ["CN_DIGITS", "cn_number", "cn_to_int", "REGION_RE", "infer_level", "LEVELS"]

CN_DIGITS = "一二三四五六七八九十"

# the government levels, from the top
LEVELS = ("中央", "省", "市", "区", "县", "乡")


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 26 → 二十六 (1 ≤ n ≤ 99); other numbers as digits."""
    if not 0 < n < 100:
        return str(n)
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens - 1] + "十")
    return head + (CN_DIGITS[units - 1] if units else "")


def cn_to_int(s: str) -> int | None:
    """The inverse of :func:`cn_number` for 一 … 九十九; None for anything else."""
    if not s or any(ch not in CN_DIGITS for ch in s):
        return None
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN_DIGITS.index(s[1]) + 1 if len(s) == 2 else None
    if "十" in s:
        a, _, b = s.partition("十")
        if len(a) != 1 or len(b) > 1:
            return None
        return (CN_DIGITS.index(a) + 1) * 10 + (CN_DIGITS.index(b) + 1 if b else 0)
    return CN_DIGITS.index(s) + 1 if len(s) == 1 else None


# The leading place names of a unit's name: 省/自治区, then 市/州/盟, then 区/县/旗, then 乡/镇/街道.
REGION_RE = re.compile(
    r"^(?:中共)?(?P<prov>[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?P<city>[\u4e00-\u9fff]{1,6}?(?:市|州|盟))?"
    r"(?P<dist>[\u4e00-\u9fff]{1,5}?(?:区|县|旗))?(?P<town>[\u4e00-\u9fff]{1,5}?(?:乡|镇|街道))?")
# words ending in 区 that are not a district: 武汉市社区服务中心 is a 市 unit
_NOT_DISTRICT = ("社区", "园区", "景区", "营区", "小区", "校区", "片区", "辖区")


def infer_level(entity: str) -> str | None:
    """The government level of a unit from its name: 武汉市汉阳区大数据中心 → 区.

    Reads the leading place names (省 → 市 → 区/县 → 乡/镇); the most local one decides
    (旗 counts as 县, 镇 and 街道 as 乡). None when the name starts with no place name
    (国家统计局, 西南大学): the caller decides what that means for it.
    """
    if not entity:
        return None
    m = REGION_RE.match(entity.strip())
    if m is None:
        return None
    if m.group("town"):
        return "乡"
    dist = m.group("dist")
    if dist and not dist.endswith(_NOT_DISTRICT):
        return "县" if dist.endswith(("县", "旗")) else "区"
    if m.group("city"):
        return "市"
    if m.group("prov"):
        return "省"
    return None
