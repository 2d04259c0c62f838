"""Chinese text: what a character means, numerals, place names and the level they imply.

Owns what every layer needs to know about written Chinese and nothing about disclosures:

* normalisation, :func:`normalize` (what a character *means*, not how it was drawn): the
  look-alike characters PDF extraction produces — CJK Radicals Supplement (U+2E80–U+2EFF)
  and Kangxi Radicals (U+2F00–U+2FDF) drawn instead of the unified ideograph (``⻔`` for 门,
  ``⽀`` for 支, ``⻋`` for 车) —, full-width digits and Latin letters, the number punctuation
  ``．，％－＋`` between digits, NBSP and other odd spaces, zero-width characters. Chinese
  punctuation (，。：（）) is kept: it is part of the text and of catalogue names;
* the full-width forms of numbers as one table, :data:`NUMBER_FORMS` (for a figure read
  alone) and :data:`SENTENCE_NUMBER_FORMS` (in running text, where ``，`` is punctuation);
* numerals as they number parts, sections and table rows: :func:`cn_number` (12 → 十二)
  and its inverse :func:`cn_to_int`;
* the place-name prefix of a unit's name (省 → 市 → 区/县 → 乡/镇), :data:`REGION_RE`, and
  the government level it implies, :func:`infer_level` (武汉市汉阳区大数据中心 → 区).
"""

from __future__ import annotations

import re

__all__ = ["RADICALS", "normalize", "normalize_cell", "is_cjk", "NUMBER_FORMS", "SENTENCE_NUMBER_FORMS",
           "CN_DIGITS", "cn_number", "cn_to_int", "REGION_RE", "infer_level", "LEVELS", "LEVEL_WORDS", "level_words",
           "infer_unit_type"]

# Pairs of (radical characters, the unified ideographs they stand for), position by position.
_RADICAL_PAIRS: tuple[tuple[str, str], ...] = (
    # CJK Radicals Supplement (U+2E80–U+2EF3)
    ("⺁⺂⺃⺄⺅⺆⺇⺈⺉⺊⺋⺌⺍⺎⺏⺐⺑⺒⺓⺔⺕⺖⺗⺘⺙⺛⺜⺝⺞⺟⺠⺡⺢⺣⺤⺥⺦⺧⺨⺩",
     "厂乛乚乙亻冂几刀刂卜卩小小尢尢尢尢巳幺彑彐忄心扌攵旡日月歹母民氵水灬爫爫丬牛犭王"),
    ("⺪⺫⺬⺭⺮⺯⺰⺱⺲⺳⺴⺵⺶⺷⺸⺹⺺⺻⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻆⻇⻈⻉⻊⻋⻌⻍⻎⻏⻐⻑",
     "疋罒示礻竹糸纟网罒罒网网羊羊羊老聿聿月臼艹艹艹虎衤西西见角角讠贝足车辶辶辶阝钅長"),
    ("⻒⻓⻔⻕⻖⻗⻘⻙⻚⻛⻜⻝⻞⻟⻠⻡⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
     "镸长门阜阝雨青韦页风飞食食食饣首马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟"),
    # Kangxi Radicals (U+2F00–U+2FD5)
    ("⼀⼁⼂⼃⼄⼅⼆⼇⼈⼉⼊⼋⼌⼍⼎⼏⼐⼑⼒⼓⼔⼕⼖⼗⼘⼙⼚⼛⼜⼝⼞⼟⼠⼡⼢⼣⼤⼥⼦⼧",
     "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀"),
    ("⼨⼩⼪⼫⼬⼭⼮⼯⼰⼱⼲⼳⼴⼵⼶⼷⼸⼹⼺⼻⼼⼽⼾⼿⽀⽁⽂⽃⽄⽅⽆⽇⽈⽉⽊⽋⽌⽍⽎⽏",
     "寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋"),
    ("⽐⽑⽒⽓⽔⽕⽖⽗⽘⽙⽚⽛⽜⽝⽞⽟⽠⽡⽢⽣⽤⽥⽦⽧⽨⽩⽪⽫⽬⽭⽮⽯⽰⽱⽲⽳⽴⽵⽶⽷",
     "比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸"),
    ("⽸⽹⽺⽻⽼⽽⽾⽿⾀⾁⾂⾃⾄⾅⾆⾇⾈⾉⾊⾋⾌⾍⾎⾏⾐⾑⾒⾓⾔⾕⾖⾗⾘⾙⾚⾛⾜⾝⾞⾟",
     "缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛"),
    ("⾠⾡⾢⾣⾤⾥⾦⾧⾨⾩⾪⾫⾬⾭⾮⾯⾰⾱⾲⾳⾴⾵⾶⾷⾸⾹⾺⾻⾼⾽⾾⾿⿀⿁⿂⿃⿄⿅⿆⿇",
     "辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻"),
    ("⿈⿉⿊⿋⿌⿍⿎⿏⿐⿑⿒⿓⿔⿕",
     "黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠"),
)

RADICALS: dict[str, str] = {}
for _a, _b in _RADICAL_PAIRS:
    assert len(_a) == len(_b), (_a, _b)
    RADICALS.update(zip(_a, _b))

_FULLWIDTH_ALNUM = {chr(c): chr(c - 0xFEE0) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                    *range(0xFF41, 0xFF5B))}
_SPACES = {c: " " for c in "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"}
_ZERO_WIDTH = {c: "" for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}
_TABLE = str.maketrans({**RADICALS, **_FULLWIDTH_ALNUM, **_SPACES, **_ZERO_WIDTH, "％": "%"})
# full-width number punctuation only between digits ("１，２９４．４８" → "1,294.48")
_NUM_PUNCT = re.compile(r"(?<=\d)[．，](?=\s?\d)")
_NUM_PUNCT_MAP = {"．": ".", "，": ","}
_SIGN = re.compile(r"[－＋](?=\d)")


def normalize(s: str) -> str:
    """Map radicals, full-width digits/letters, odd spaces; keep Chinese punctuation."""
    s = s.translate(_TABLE)
    if "．" in s or "，" in s:
        s = _NUM_PUNCT.sub(lambda m: _NUM_PUNCT_MAP[m.group()], s)
    if "－" in s or "＋" in s:
        s = _SIGN.sub(lambda m: "-" if m.group() == "－" else "+", s)
    return s


def normalize_cell(s: str) -> str:
    """A table cell or line: normalised and stripped (the ideographic space counts as space)."""
    return normalize(s).replace("\u3000", " ").strip()


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


# Full-width digits and the signs of a number, and their ASCII forms.
_FULLWIDTH_NUMBER = dict(zip("０１２３４５６７８９．，－＋％", "0123456789.,-+%"))
NUMBER_FORMS = str.maketrans(_FULLWIDTH_NUMBER)
# in running text the full-width comma is punctuation (numbers there are read after it is handled)
SENTENCE_NUMBER_FORMS = str.maketrans({k: v for k, v in _FULLWIDTH_NUMBER.items() if k != "，"})


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


# how a text names the 财政 and the 部门 of a government level (名词解释: 指区级财政当年拨付的资金)
LEVEL_WORDS: dict[str, dict[str, str]] = {
    "中央": {"财政": "中央财政", "部门": "中央部门"},
    "省": {"财政": "省级财政", "部门": "省直部门"},
    "市": {"财政": "市级财政", "部门": "市直部门"},
    "区": {"财政": "区级财政", "部门": "区直部门"},
    "县": {"财政": "县级财政", "部门": "县直部门"},
    "乡": {"财政": "乡级财政", "部门": "乡直单位"},
}


def level_words(level: str | None) -> dict[str, str]:
    """{财政: 区级财政, 部门: 区直部门} for a 区 unit (本级 when the level is not known)."""
    return LEVEL_WORDS.get(level or "") or {"财政": "本级财政", "部门": "本级部门"}


_ADMIN_ENDINGS = ("局", "委员会", "委", "办公室", "厅", "部", "政府", "法院", "检察院", "办", "署", "委员会机关")


def infer_unit_type(name: str) -> str:
    """单位性质 from a unit's name, when its document does not say: 行政单位 for a 局, 委, 办, 厅 …,
    else 事业单位 (the reader says it guessed)."""
    return "行政单位" if name.rstrip("）)").endswith(_ADMIN_ENDINGS) else "事业单位"
