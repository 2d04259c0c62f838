"""Text normalisation shared by every reader: what a character *means*, not how it was drawn.

Owns the data tables that undo the look-alike characters PDF extraction produces:

* CJK Radicals Supplement (U+2E80–U+2EFF) and Kangxi Radicals (U+2F00–U+2FDF) drawn
  instead of the unified ideograph (``⻔`` for 门, ``⽀`` for 支, ``⻋`` for 车);
* full-width digits, Latin letters and the number punctuation ``．，％－＋`` between digits;
* NBSP, ideographic and other odd spaces; zero-width characters.

Chinese punctuation (，。：（）) is kept: it is part of the text and of catalogue names.
"""

from __future__ import annotations

import re

__all__ = ["RADICALS", "normalize_text", "normalize_cell", "is_cjk"]

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


def normalize_text(s: str) -> str:
    """Map radicals, full-width digits/letters, odd spaces; keep Chinese punctuation."""
    s = s.translate(_TABLE)
    if "．" in s or "，" in s:
        s = _NUM_PUNCT.sub(lambda m: _NUM_PUNCT_MAP[m.group()], s)
    if "－" in s or "＋" in s:
        s = _SIGN.sub(lambda m: "-" if m.group() == "－" else "+", s)
    return s


def normalize_cell(s: str) -> str:
    """A table cell or line: normalised and stripped (the ideographic space counts as space)."""
    return normalize_text(s).replace("\u3000", " ").strip()


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
