"""情况说明 rules on hand-made documents in other wordings (regional numbering, 全年预算, split items)."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE

from juesuan.document import Document, Paragraph, Part, Section
from juesuan.final.rules.sections import section
from juesuan.pipeline import check
from juesuan.rules.context import Context


def doc_with(*sections: Section, entity="中共上海市普陀区委社会工作部", year=2024) -> Document:
    d = Document(title=f"{year}年度{entity}部门决算", entity=entity, year=year)
    d.parts.append(Part("narrative", "三", "部门决算情况说明", sections=list(sections)))
    return d


def sec(number, title, *texts, key="", subs=()):
    return Section(number, title, key=key, paragraphs=[Paragraph(t) for t in texts], subsections=list(subs))


SHANGHAI_53 = sec("（三）", "一般公共预算财政拨款支出决算具体情况",
                  "一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%。",
                  "决算数小于预算数的主要原因：人员经费支出数小于预算数。其中：",
                  "1、一般公共服务支出（类）社会工作事务（款）行政运行（项）。",
                  "主要用于：行政单位人员支出。全年预算为52.00万元，支出决算为51.32万元，完成全年预算数的98.69%。"
                  "决算数小于全年预算数的主要原因：人员变动引起实际支出低于预算。",
                  "2、卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。",
                  "主要用于：医疗保险支出。全年预算为2.23万元，支出决算为2.22万元，完成全年预算数的99.55%。"
                  "决算数小于全年预算数的主要原因：人员变动。",
                  "3、住房保障支出（类）住房改革支出（款）购房补贴（项）。",
                  "主要用于：购房补贴支出。全年预算为11.72万元，支出决算为11.72万元。决算数与全年预算数持平。")


def five(*subs):
    return sec("五", "一般公共预算财政拨款支出决算情况说明", subs=subs)


def test_full_year_budget_items_over_paragraphs_sum_checked():
    bad = five(SHANGHAI_53)
    found = [f for f in check(doc_with(bad), select=["JS307"])]
    # 52.00 + 2.23 + 11.72 = 65.95 ≠ 321.02 (only three items here): an error naming 全年预算
    assert found and found[0].severity == "error" and "全年" in found[0].message
    assert found[0].figures == ("321.02", "65.95")


def test_direction_words_follow_displayed_figures():
    assert not check(doc_with(five(SHANGHAI_53)), select=["JS305"])
    wrong = sec("（三）", "一般公共预算财政拨款支出决算具体情况",
                "1、卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。全年预算为2.23万元，支出决算为2.22万元。"
                "决算数大于全年预算数的主要原因：人员变动。")
    got = check(doc_with(five(wrong)), select=["JS305"])
    assert [f.figures for f in got] == [("2.22", "2.23")]


def test_reason_in_the_next_paragraph_counts():
    assert not check(doc_with(five(SHANGHAI_53)), select=["JS306"])
    no_reason = sec("（三）", "一般公共预算财政拨款支出决算具体情况",
                    "1、卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。全年预算为2.23万元，支出决算为2.22万元。",
                    "2、住房保障支出（类）住房改革支出（款）购房补贴（项）。全年预算为11.72万元，支出决算为11.72万元。")
    got = check(doc_with(five(no_reason)), select=["JS306"])
    assert len(got) == 1 and got[0].figures == ("2.22", "2.23")


def test_truncated_two_decimal_share_is_warning_not_error():
    # 29.42 / 307.82 = 9.5575 % printed as 9.55 % (cut, not rounded)
    structure = sec("（二）", "一般公共预算财政拨款支出决算结构情况",
                    "一般公共预算财政拨款支出307.82万元，主要用于以下方面：",
                    "住房保障支出（类）29.42万元，占9.55%。")
    from decimal import Decimal as D

    from juesuan.final.layouts import LAYOUTS
    from juesuan.tables.table import Row, Table, TableSet
    t5 = Table("T5", LAYOUTS["T5"], [Row("合计", "合计", cells={"小计": D("307.82")})])
    d = doc_with(five(structure))
    d.tables = TableSet({"T5": t5}, ("T5",))
    got = check(d, select=["JS302", "JS308"])
    assert [(f.rule, f.severity) for f in got] == [("JS308", "warning")]
    assert got[0].figures == ("9.55%", "9.56%")


def test_sections_found_by_topic_in_regional_numbering():
    d = doc_with(sec("七", "财政拨款“三公”经费支出决算情况说明", "2024年度无“三公”经费财政拨款支出。"),
                 sec("八", "政府性基金预算财政拨款收入支出决算情况说明", "无政府性基金。"),
                 sec("十一", "其他重要事项的情况说明",
                     subs=[sec("（一）", "机关运行经费支出情况", "机关运行经费支出10.23万元。"),
                           sec("（二）", "政府采购支出情况", "政府采购金额21.07万元。")]))
    ctx = Context(d)
    assert section(ctx, "9")[1].title.startswith("财政拨款“三公”")
    assert section(ctx, "7")[1].title.startswith("政府性基金")
    assert section(ctx, "10")[1].title == "机关运行经费支出情况"
    assert section(ctx, "11")[1].title == "政府采购支出情况"
    assert section(ctx, "12") is None
    missing = {loc.section for f in check(d, select=["JS503"]) for loc in f.places}
    assert "十二" in missing and "九" not in missing and "十" not in missing


def test_placeholder_and_wrong_year_and_other_unit():
    d = doc_with(sec("一", "收入支出决算总体情况说明",
                     "2022年度收入支出总计XX万元，中共上海市静安区委社会工作部2024年度收入。"))
    rules = {f.rule for f in check(d, select=["JS6"])}
    assert rules == {"JS601", "JS602", "JS603"}


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st

_TOKENS = st.sampled_from(["2023年度", "收、支总计", "收入合计", "1294.48", "0", "3", "万元", "，", "。", "占", "%",
                           "增加", "减少", "增长", "下降", "年初预算为", "全年预算为", "支出决算为", "完成年初预算的",
                           "（类）", "（款）", "（项）", "1.", "主要原因是", "大于", "小于", "持平", "人员经费",
                           "主要包括：", "、", "XX", "市级财政", "“三公”经费财政拨款支出", "99.99", "1,294. 48"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_TOKENS, max_size=25).map("".join), min_size=1, max_size=6),
       st.sampled_from(["1", "2", "3", "4", "5", "6", "9", "11", "13"]))
def test_random_sentences_never_crash_a_rule(texts, n):
    titles = {"1": "收入支出决算总体情况说明", "2": "收入决算情况说明", "3": "支出决算情况说明",
              "4": "财政拨款收入支出决算总体情况说明", "5": "一般公共预算财政拨款支出决算情况说明",
              "6": "一般公共预算财政拨款基本支出决算情况说明", "9": "财政拨款“三公”经费支出决算情况说明",
              "11": "政府采购支出说明", "13": "预算绩效情况说明"}
    from juesuan.zh import cn_number
    d = doc_with(sec(cn_number(int(n)), titles[n], *texts, key=f"narrative.{n}"), entity="武汉市汉阳区大数据中心",
                 year=2023)
    findings = check(d, select=["JS3", "JS4", "JS6"])
    assert not [f for f in findings if f.rule == "JS000"], [f.message for f in findings if f.rule == "JS000"]


def test_sentence_normalisation_triggers_on_every_whitespace_character():
    """``norm_text`` skips paragraphs without any character a substitution starts from; its
    spelled-out whitespace must be exactly what ``\\s`` matches, or spaced numbers would go unread."""
    import re

    from juesuan.rules.text import _TRIGGERS, norm_text
    spaces = [chr(c) for c in range(0x110000) if re.match(r"\s", chr(c))]
    assert len(spaces) > 20
    assert all(_TRIGGERS(f"支出{c}决算") for c in spaces)
    assert _TRIGGERS("收入合计１２．３４万元") and _TRIGGERS("合计12,345.67万元")
    assert _TRIGGERS("一般公共预算财政拨款支出决算为1294.48万元，占本年支出合计的100%。") is None
    assert norm_text("支出决算为\u3000 1, 294. 48\u2003万元") == "支出决算为1294.48万元"


def _match_signature(matches):
    return [(m.span(), m.groups(), [m.span(g) for g in range(m.re.groups + 1)]) for m in matches]


def test_class_and_item_scans_match_their_led_patterns():
    # _CLASS_RE / _ITEM_RE are scanned in two parts (the "^" branch, then a character-set lead);
    # they must find exactly what the single patterns "(?:^|\d[.、]|<stop>)<body>" find
    import random
    import re

    from juesuan.final.rules import narrative as N
    from juesuan.rules.text import AMOUNT, NUM

    item = re.compile(r"(?:^|\d[.、]|。)\s*([^（。；：\d]+?)（类）([^。]+?)（款）([^。]+?)（项）。?[^（]{0,80}?"
                      r"(?P<kind>年初|全年)预算(?:数)?为\s*" + NUM + r"\s*万元，\s*(?:支出)?决算(?:数)?为\s*" + NUM
                      + r"\s*万元")
    klass = re.compile(r"(?:^|\d[.、]|；)\s*([^（。；：\d，]+?)（类）(?:支出)?\s*" + AMOUNT)
    texts = ["".join(p.text for p in SHANGHAI_53.paragraphs),
             "1.一般公共服务（类）支出1833.22万元，占93.26%。2、社会保障和就业（类）支出31.61万元；卫生健康（类）3万元",
             "住房保障（类）支出 46.58 万元。3.住房保障支出（类）住房改革支出（款）住房公积金（项）。"
             "年初预算为52.85万元，支出决算为52.85万元。"]
    rnd = random.Random(7)
    pieces = list("1２.、。；：，（） \t") + ["（类）", "（款）", "（项）", "年初预算为", "全年预算数为", "支出决算为",
                                          "3.5", "12", "万元", "万元，", "支出", "卫生",
                                          "卫生（类）医疗（款）行政（项）", "年初预算为3.5万元，支出决算为12万元"]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(20000)]
    for t in texts:
        assert _match_signature(N._ITEM_RE.finditer(t)) == _match_signature(item.finditer(t)), t
        assert _match_signature(N._CLASS_RE.finditer(t)) == _match_signature(klass.finditer(t)), t


def test_execution_and_item_cut_scans_match_their_plain_patterns():
    # _EXEC_RE matches from 预算 (its statement starts 2 characters earlier) and the item cuts are
    # scanned one mark at a time; both must find exactly what the plain patterns find
    import random
    import re

    from juesuan.final.rules import narrative as N
    from juesuan.rules.text import NUM, PCT

    execution = re.compile(r"(?:年初|全年)预算(?:数)?为\s*" + NUM + r"\s*万元[，,]\s*(?:支出)?决算(?:数)?为\s*" + NUM
                           + r"\s*万元(?:[，,]\s*完成(?:年初|全年)?预算(?:数)?的\s*" + PCT + ")?")
    cut = re.compile(r"[。：；](?=\s*\d+[.、]\D)")
    rnd = random.Random(7)
    pieces = list("1２.、。；：，, \t年初全预算数为的%") + ["年初预算为", "全年预算数为", "支出决算为", "决算数为",
                                                  "3.5", "12", "万元", "万元，", "完成年初预算的", "。1.", "；2、"]
    texts = ["".join(p.text for p in SHANGHAI_53.paragraphs)]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(20000)]
    for t in texts:
        new = [((m.start() - 2, m.end()), m.groups(), [m.span(g) for g in range(1, 4)]) for m in N._EXEC_RE.finditer(t)]
        assert new == [(m.span(), m.groups(), [m.span(g) for g in range(1, 4)]) for m in execution.finditer(t)], t
        assert sorted(m.start() for r in N._ITEM_CUTS_RE for m in r.finditer(t)) == \
            [m.start() for m in cut.finditer(t)], t


def test_share_scan_matches_the_plain_share_pattern():
    # _share_finditer starts each search shortly before the next 占; it must find exactly what
    # _SHARE_RE.finditer finds (spans and groups)
    import random

    from juesuan.final.rules import narrative as N

    rnd = random.Random(7)
    pieces = list("12.，, 占的%。；万元\t") + ["万元", "万元，", "占本年支出合计的", "占一般公共预算财政拨款支出",
                                         "3.5", "1294.48", "100", "12.34%", "基本支出", "，占",
                                         "12345678901234567890", "          "]   # runs longer than the search's lead
    texts = ["".join(p.text for p in SHANGHAI_53.paragraphs),
             "基本支出353.78万元，占本年支出合计的27.33%；项目支出941.01万元，占72.67%。"]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40))) for _ in range(20000)]
    for t in texts:
        assert _match_signature(N._share_finditer(t)) == _match_signature(N._SHARE_RE.finditer(t)), t


def test_change_scan_shared_with_js306_finds_the_change_pattern_matches():
    # _change_matches reads 增加/减少 statements from one scan of _CHANGE_AMOUNT_RE (shared with
    # JS306); its matches must be those of _CHANGE_RE over each paragraph
    import random

    from juesuan.final.rules import narrative as N
    from juesuan.rules.text import norm_text

    rnd = random.Random(7)
    pieces = list("12.，, %。；万元\t") + ["增加", "减少", "万元，", "增长", "下降", "3.5", "25.29%", "438.13",
                                        "各增加", "增加3.5万元，增长12%", "减少 438.13 万元，下降25.29%", "增加0万元"]
    for _ in range(3000):
        paras = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(rnd.randint(1, 3))]
        ctx = Context(doc_with(sec("一", "收入支出决算总体情况说明", *paras)))
        found = [(i, _match_signature(ms)) for n, i, _, ms in N._change_matches(ctx) if n == "1"]
        assert found == [(i, _match_signature(N._CHANGE_RE.finditer(norm_text(p)))) for i, p in enumerate(paras)], paras


def test_rate_said_of_the_initial_budget_is_checked_against_it():
    """"年初预算为0万元，全年预算为321.02万元，……完成年初预算的95.89%": 95.89 % is 307.82 ÷ 321.02,
    the 全年预算; of a 年初预算 of 0 no rate can be said (Shanghai 2024, 普陀区委社会工作部)."""
    found = [f for f in check(doc_with(five(SHANGHAI_53)), select=["JS304"])]
    assert [(f.severity, f.figures) for f in found] == [("error", ("95.89%", "0"))]
    assert "全年预算 321.02" in found[0].message
    right = sec("（三）", "一般公共预算财政拨款支出决算具体情况",
                "一般公共预算财政拨款支出年初预算为300.00万元，全年预算为321.02万元，支出决算为307.82万元，"
                "完成年初预算的102.61%。")
    assert not check(doc_with(five(right)), select=["JS304"])
    slip = sec("（三）", "一般公共预算财政拨款支出决算具体情况",
               "一般公共预算财政拨款支出年初预算为300.00万元，全年预算为321.02万元，支出决算为307.82万元，"
               "完成年初预算的95.89%。")
    found = check(doc_with(five(slip)), select=["JS304"])
    assert [f.severity for f in found] == ["error"] and "300.00" in found[0].message
    of_full = sec("（三）", "一般公共预算财政拨款支出决算具体情况",
                  "一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，"
                  "完成全年预算的95.89%。")
    assert not check(doc_with(five(of_full)), select=["JS304"])


@pytest.mark.parametrize("variant, old, new, reported", [
    ("national", "54.24%", "54.2%", True),       # the national layout's template writes two decimals
    ("shanghai", "54.24%", "54.2%", False),      # Shanghai's does not prescribe them: no warning
    ("shanghai", "27.33%", "27.32%", True),      # 353.78 / 1294.48 = 27.3299 % cut, not rounded: any layout
    ("national", "27.33%", "27.32%", True),
])
def test_two_decimals_only_where_the_layout_declares_them(variant, old, new, reported):
    from juesuan.final.build import build_tables
    from juesuan.final.layouts import VARIANTS
    from juesuan.final.narrative import build_document
    from juesuan.final.readers import load
    assert ("percent-decimals" in VARIANTS[variant].conventions) == (variant == "national")
    d, _ = load(EXAMPLE)
    doc = build_document(d, build_tables(d, variant))
    texts = [p for s in doc.sections() for p in s.paragraphs if old in p.text]
    assert texts, old
    texts[0].text = texts[0].text.replace(old, new, 1)
    got = check(doc, select=["JS302", "JS308"])
    assert [(f.rule, f.severity) for f in got] == ([("JS308", "warning")] if reported else [])
