"""JS605 (another unit's name, a misspelt own name) and JS606 (last year's dates) — text left over
from the document a disclosure was copied from."""

from __future__ import annotations

import copy

import pytest
from conftest import SAMPLES, SEED

from juesuan.pipeline import check, parse


def _sub(doc, key, old, new):
    for s in doc.sections():
        if s.key == key:
            for para in s.paragraphs:
                if old in para.text:
                    para.text = para.text.replace(old, new, 1)
                    return
    raise AssertionError((key, old))


def _para(doc, key, text):
    from juesuan.document import Paragraph
    next(s for s in doc.sections() if s.key == key).paragraphs.append(Paragraph(text))


def _got(doc, code):
    return [(f.message, f.places[0].section, f.places[0].sentence) for f in check(doc, select=[code])]


def test_example_has_no_copied_text(example_document):
    assert _got(example_document, "JS605") == []
    assert _got(example_document, "JS606") == []


def test_other_unit_and_near_miss_found_with_their_sentences(example_document):
    doc = copy.deepcopy(example_document)
    _sub(doc, "narrative.12", "武汉市汉阳区大数据中心", "武汉市汉阳区城管局")
    _sub(doc, "narrative.11", "武汉市汉阳区大数据中心", "汉阳区大数椐中心")
    _sub(doc, "narrative.10", "武汉市汉阳区大数据中心", "大数椐中心")
    got = _got(doc, "JS605")
    assert len(got) == 3, got
    other = next(g for g in got if "城管局" in g[0])
    assert other[1] == "十二" and other[2].startswith("截至2023年12月31日，武汉市汉阳区城管局无车辆")
    assert {g[1] for g in got if "相近" in g[0]} == {"十一", "十"}
    assert all(f.severity == "warning" for f in check(doc, select=["JS605"]))


@pytest.mark.parametrize("text", [
    "我单位配合汉阳区财政局、汉阳区审计局完成决算审核，按时向汉阳区人民政府报送。",
    "为汉阳区委、武汉市汉阳区人民政府办公室提供技术保障。",
    "区城管局、市城管委、上级部门交办的其他事项。",
    "武汉市汉阳区大数据中心本级及汉阳区大数据中心机关。",
])
def test_generic_and_own_names_not_flagged(example_document, text):
    doc = copy.deepcopy(example_document)
    _para(doc, "narrative.12", text)
    assert _got(doc, "JS605") == []


def test_names_the_document_declares_not_flagged(example_document):
    doc = copy.deepcopy(example_document)
    _para(doc, "profile.structure", "下属单位：武汉市汉阳区电子政务服务中心。")
    _para(doc, "narrative.12", "武汉市汉阳区电子政务服务中心无车辆。")
    assert _got(doc, "JS605") == []


def test_other_unit_in_the_reference_text(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    old = "截至2023年12月31日,武汉市汉阳区大数据中心无车辆。"
    assert old in text
    f = tmp_path / "copied.txt"
    f.write_text(text.replace(old, "截至2022年12月31日,武汉市汉阳区城管局无车辆。"), encoding="utf-8")
    doc = parse(f).document
    js605 = [x for x in check(doc, select=["JS605"])]
    assert len(js605) == 1 and "武汉市汉阳区城管局" in js605[0].message
    assert js605[0].places[0].section == "十二" and js605[0].places[0].line
    js606 = [x for x in check(doc, select=["JS606"])]
    assert len(js606) == 1 and js606[0].places[0].section == "十二", [x.message for x in js606]


def test_last_year_dates_found(example_document):
    doc = copy.deepcopy(example_document)
    _sub(doc, "narrative.12", "截至2023年12月31日", "截至2022年12月31日")
    _sub(doc, "narrative.11", "2023年度武汉市", "2022年度武汉市")
    got = _got(doc, "JS606")
    assert [g[1] for g in got] == ["十一", "十二"], got
    assert "截至2022年12月31日" in got[1][0]


@pytest.mark.parametrize("text", [
    "与2022年度相比，收、支总计各减少438.13万元。",
    "比2022年度决算数减少438.13万元。",
    "2022年度结转资金已于本年使用完毕。",
    "截至2023年12月31日，与2022年12月31日相比，资产总额增加10.00万元。",
])
def test_comparisons_with_last_year_not_flagged(example_document, text):
    doc = copy.deepcopy(example_document)
    _para(doc, "narrative.12", text)
    assert _got(doc, "JS606") == []


@pytest.mark.parametrize("name", ["000_9e500328b38455ed.txt", "shanghai-putuo-shehuigongzuobu-2024.pdf",
                                  "shanghai-template-2024.pdf", "chongqing-swu-2023-final.pdf"])
def test_real_samples_raise_nothing(name):
    # read against the pages: the samples name no other unit and state last year only in comparisons
    doc = parse(SAMPLES / name).document
    assert [f.message for f in check(doc, select=["JS605", "JS606"])] == []


@pytest.mark.parametrize("text", [
    "在汉阳区数据局的指导下，完成数据汇聚。",
    "配合武汉市汉阳区城管局开展数字化城管工作。",
    "向汉阳区城管局、汉阳区水务局推送数据。",
    "原汉阳区信息中心划入本单位。",
])
def test_other_bodies_named_as_such_not_flagged(example_document, text):
    doc = copy.deepcopy(example_document)
    _para(doc, "narrative.12", text)
    assert _got(doc, "JS605") == []


def test_other_unit_as_the_subject_of_a_statement_found(example_document):
    doc = copy.deepcopy(example_document)
    _sub(doc, "narrative.1", "2023年度收、支总计", "2023年度武汉市汉阳区城管局收、支总计")
    got = _got(doc, "JS605")
    assert [g[1] for g in got] == ["一"], got


@pytest.mark.parametrize("text", ["2022年度决算数为1732.61万元。", "2022年度以来，累计受理诉求件50万件。"])
def test_last_year_stated_as_such_not_flagged(example_document, text):
    doc = copy.deepcopy(example_document)
    _para(doc, "narrative.12", text)
    assert _got(doc, "JS606") == []
