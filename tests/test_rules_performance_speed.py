"""The fast forms of performance.py against the obvious ones they replace."""

import random

from juesuan.final.rules import performance as P


def _obvious(text: str) -> list[tuple]:
    return [(m.start(), *m.groups()) for m in P._KW_Q.finditer(text)]


def test_kw_quantities_are_the_matches_of_kw_q():
    rnd = random.Random(7)
    words = list("某访问量共为约达近累计全年次万个人件篇条")
    for _ in range(20000):
        parts = []
        for _ in range(rnd.randint(1, 6)):
            parts.append("".join(rnd.choice(words) for _ in range(rnd.randint(0, 30))))
            parts.append(rnd.choice(["", " ", "  ", "\u3000", "\t", "\x00", "，"]))
            parts.append(rnd.choice(["12", "3.5", "1.2.3", "٣", "0", "", "12."]))
            parts.append(rnd.choice(["", " "]))
            parts.append(rnd.choice(["万次", "万人次", "人次", "件", "个", "万", "条", "年", "，", ""]))
        text = "".join(parts)
        assert list(P._kw_quantities(text)) == _obvious(text), text


def test_kw_quantities_examples():
    for text in ["区政府门户网站累计访问量 140.5853 万次，", "共产生数据调用近20万次",
                 "受理诉求件共131892件", "数据资源目录1084个，包含数据要素4万多项",
                 "一二三四五六七八九十一二三共5件", "一二三四五六七八九十一二三四5件",
                 "访问量12个人员3件", "，12个人员3件", "某 12件"]:
        assert list(P._kw_quantities(text)) == _obvious(text), text
