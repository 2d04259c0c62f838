"""The seed (武汉市汉阳区大数据中心 2023, text extracted from the published PDF) parses completely.

``fixtures/seed_facts.csv`` lists every non-zero cell of the nine tables, checked by hand
against the seed text (its own inconsistencies kept as printed: T1/T4 208 = 53.32 while
T2/T3/T5 say 53.33; T1/T4 221 = 28.60 vs 28.61; T6 301 = 343.75). Every other cell of the
parsed tables must be zero/blank, and the table structure (rows, columns) must be the one
``juesuan build`` produces, so the facts CSVs of both are comparable.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.final.forms import key_work_rows, overall, projects

HERE = Path(__file__).resolve().parent
SEED = HERE / "fixtures" / "samples" / "000_9e500328b38455ed.txt"
FIXTURE = HERE / "fixtures" / "seed_facts.csv"


@pytest.fixture(scope="module")
def parsed():
    from juesuan.pipeline import parse
    return parse(SEED)


@pytest.fixture(scope="module")
def doc(parsed):
    return parsed.document


@pytest.fixture(scope="module")
def cov(parsed):
    return parsed.coverage.to_dict()


def _facts(text: str) -> dict[tuple[str, str, str, str], str]:
    return {(r["table"], r["code"], r["label"], r["column"]): r["value"] for r in csv.DictReader(io.StringIO(text))}


def test_all_nine_tables_found_in_order(doc, cov):
    assert cov["tables_found"] == 9
    assert [t for t, v in cov["tables"].items() if v["found"]] == [f"T{i}" for i in range(1, 10)]
    assert cov["tables"]["T1"]["line"] == 74 and cov["tables"]["T6"]["line"] == 243
    assert doc.tables.variant == "national"
    assert all(t.unit == "万元" for t in doc.tables)


def test_every_nonzero_cell_as_printed(doc):
    parsed = _facts(doc.tables.facts_csv())
    expected = _facts(FIXTURE.read_text(encoding="utf-8"))
    nonzero = {k: v for k, v in parsed.items() if v != "0.00"}
    assert nonzero == expected
    assert len(parsed) == 573


def test_structure_matches_build(doc, example_tables):
    built = _facts(example_tables.facts_csv())
    parsed = _facts(doc.tables.facts_csv())
    assert set(parsed) == set(built)


def test_seed_inconsistencies_kept(doc):
    t = doc.tables
    assert t["T1"].row(code="208").cells["决算数"] == Decimal("53.32")
    assert t["T2"].row(code="208").cells["本年收入合计"] == Decimal("53.33")
    assert t["T4"].row(code="221").cells["合计"] == Decimal("28.60")
    assert t["T5"].row(code="221").cells["小计"] == Decimal("28.61")
    assert t["T6"].row(code="301").cells["决算数"] == Decimal("343.75")
    assert t["T6"].row(key="人员经费合计").cells["决算数"] == Decimal("345.69")


def test_duplicated_row_once_and_recorded(doc, cov):
    rows = [r for r in doc.tables["T2"].rows if r.code == "2210202"]
    assert len(rows) == 1 and rows[0].label == "提租补贴"
    dups = cov["duplicates"]
    assert len(dups) == 1 and dups[0]["line"] == 142 and dups[0]["printed"] == "提租 科贴"


def test_garbled_codes_and_overlay_text(doc):
    # T2 prints "20103 | 350" for 2010350 and "20103 | 3" for 20103; T3 lines carry OCR overlay text
    t2 = [r.code for r in doc.tables["T2"].rows]
    assert t2[:5] == ["", "201", "20103", "2010350", "2010399"]
    t3 = doc.tables["T3"]
    assert [r.code for r in t3.rows] == t2
    assert t3.row(code="2010399").cells == {"本年支出合计": Decimal("937.71"), "基本支出": Decimal("0.00"),
                                            "项目支出": Decimal("937.71"), "上缴上级支出": Decimal("0.00"),
                                            "经营支出": Decimal("0.00"), "对附属单位补助支出": Decimal("0.00")}


def test_empty_tables_with_sentences(doc):
    for tid, words in (("T7", "政府性基金"), ("T8", "国有资本经营"), ("T9", "三公")):
        t = doc.tables[tid]
        assert t.empty
        assert words in t.source["empty_sentence"] and "本表无数据" in t.source["empty_sentence"]
    assert [r.key for r in doc.tables["T7"].rows] == ["合计"]
    assert len(doc.tables["T9"].rows[0].cells) == 12


def test_unreadable_places_reported(doc, cov):
    bad = cov["unreadable"]
    assert [(u["line"], u.get("table")) for u in bad] == [
        (228, "T5"), (689, "项目绩效自评表"), (763, "项目绩效自评表"), (857, "项目绩效自评表")]
    assert bad[0]["reason"] == "同一单元格中重复的数字"   # "53. 33 53. 33" in one cell


# ----------------------------------------------------------------------------- narrative

KEY_FIGURES = {
    "narrative.1": ["1294.48万元", "438.13万元", "25.29%"],
    "narrative.2": ["1294.48万元", "100.00%"],
    "narrative.3": ["353.78万元", "27.33%", "940.71万元", "72.67%"],
    "narrative.4": ["1294.48万元", "438.13万元"],
    "narrative.5": ["占91.52%", "53.33万元", "1370.19万元", "94.47%", "113.58%", "181.45%",
                    "市民热线诉求109935件"],
    "narrative.6": ["353.78万元", "人员经费345.69万元", "公用经费8.09万元"],
    "narrative.7": ["无政府性基金"],
    "narrative.8": ["无国有资本经营"],
    "narrative.9": ["支出预算为0万元", "支出决算为0万元"],
    "narrative.10": ["无机关运行经费支出"],
    "narrative.11": ["669.68万元", "363.24万元", "54.2%", "253.88万元", "69.9%"],
    "narrative.12": ["无车辆", "设备5台"],
    "narrative.13": ["共涉及项目15个", "资金940.71万元", "评价得分为90分", "执行数为2.41万元"],
}


def test_thirteen_narrative_sections_with_figures(doc):
    narrative = doc.part("narrative")
    assert [s.key for s in narrative.sections] == [f"narrative.{i}" for i in range(1, 14)]
    for s in narrative.sections:
        text = s.text
        for fig in KEY_FIGURES[s.key]:
            assert fig in text, (s.key, fig)
    five = narrative.sections[4]
    assert [c.title for c in five.subsections] == ["一般公共预算财政拨款支出决算总体情况",
                                                   "一般公共预算财政拨款支出决算结构情况",
                                                   "一般公共预算财政拨款支出决算具体情况"]
    assert len(narrative.sections[12].subsections) == 4
    items = [p for p in narrative.sections[12].subsections[2].paragraphs if p.kind == "item"]
    assert len(items) == 15
    assert [c.id for s in narrative.sections[:4] for c in s.charts] == ["fig1", "fig2", "fig3", "fig4"]


def test_paragraph_keeps_its_place(doc):
    s = next(s for s in doc.sections() if s.key == "narrative.5.3")
    assert s.source == {"line": 373}
    first = s.paragraphs[0]
    assert first.source["line"] == 375 and first.source["end_line"] == 377


def test_parts_and_profile(doc):
    assert [p.key for p in doc.parts] == ["profile", "tables", "narrative", "key_work", "glossary", "attachments"]
    assert doc.title == "2023年度武汉市汉阳区大数据中心部门决算公开"
    assert (doc.entity, doc.year, doc.level, doc.unit_type) == ("武汉市汉阳区大数据中心", 2023, "区", "事业单位")
    duties = doc.part("profile").sections[0]
    assert duties.key == "profile.duties" and len(duties.paragraphs) == 9
    assert all(p.kind == "item" for p in duties.paragraphs)


# ----------------------------------------------------------------------------- attachments

PROJECTS = [
    ("0A系统运行维护费", "35", "25.84", "73.83%", 5),
    ("政务媒体运维", "35", "34.12", "97.47%", 6),
    ("信息化项目评审咨询费", "20", "20", "100%", 5),
    ("汉阳区12345市民政务服务热线大数据智能分析系统", "20", "10", "50%", 7),
    ("汉阳区市民热线工作服务平台及区人大履职系统运行经费", "275", "261.25", "95%", 5),
    ("汉阳区市民热线指挥平台升级改造", "90", "78.9", "87.67%", 5),
    ("通信链路租赁费", "339.54", "324.54", "95.58%", 5),
    ("政务网络与应用系统维护保障外包服务", "122.75", "116.64", "95.02%", 5),
    ("数据治理服务", "80", "4.92", "6.15%", 5),
    ("政务网络安全保障经费", "50", "49.75", "99.5%", 5),
    ("工会经费、乡村振兴等其他补助经费", "3.5", "3.5", "100%", 4),
    ("乡村振兴专项资金", "3", "3", "100%", 5),
    ("驻村工作经费", "2", "0.84", "42%", 5),
    ("文明创建、党建、综治、档案、老干工作经费", "5", "5", "100%", 4),
    ("行政事业单位缴纳残保金", "3", "2.41", "80.41%", 5),
]


def test_fifteen_project_tables(doc):
    got = [(p.name, p.budget, p.actual, p.rate, len(p.indicators)) for p in projects(doc)]
    assert got == PROJECTS
    for p in projects(doc):
        assert (p.supervisor, p.implementer) == ("区政府", "区大数据中心")
        assert (p.category, p.attribute, p.kind) == ("部门预算项目", "持续性项目", "常年性项目")
    oa = projects(doc)[0]
    assert oa.indicators[0].level1 == "成本指标" and oa.indicators[0].target == "≤35万元"
    assert oa.indicators[1].level1 == "产出指标" and oa.indicators[1].actual == "4个"
    assert "保交楼" in projects(doc)[4].deviation
    assert projects(doc)[11].deviation.startswith("因我单位对口帮扶村民")


def test_overall_table(doc):
    o = overall(doc)
    assert (o.basic_total, o.project_total, o.unit) == ("3537776.2", "9407064.37", "元")
    assert o.unit_name == "汉阳区大数据中心"
    assert len(o.indicators) == 38


def test_key_work_table(doc):
    rows = key_work_rows(doc)
    assert [(r.number, r.title, r.completion) for r in rows] == [
        ("1", "群众投诉工作", "100%"), ("2", "政务网络体系全覆盖工作", "100%"),
        ("3", "全区政务数据汇聚共享工作", "100%"), ("4", "区政府门户网站建设工作", "100%")]
    assert "140.5853万次" in rows[3].target


def test_glossary_and_phone(doc, cov):
    top = [g for g in doc.glossary if g.number.startswith("（")]
    assert len(top) == 18
    assert top[0].term == "一般公共预算财政拨款收入" and "市级财政" in top[0].text
    items = [g for g in doc.glossary if not g.number.startswith("（")]
    assert len(items) == 9 and items[8].term.endswith("提租补贴（项）")
    assert doc.phone == "027-84468487"
    assert cov["phone"] == "027-84468487"
    assert (cov["glossary_terms"], cov["glossary_entries"]) == (18, 27)


def test_seed_without_cell_positions(tmp_path):
    """Tabs replaced by spaces: the columns come from the identities and the hierarchy.
    Only T3, whose lines carry the OCR overlay text, cannot be read that way — and its
    lines are reported, not guessed."""
    from juesuan.pipeline import parse
    p = tmp_path / "seed_spaces.txt"
    p.write_text(SEED.read_text(encoding="utf-8").replace("\t", " "), encoding="utf-8")
    result = parse(p)
    doc = result.document
    parsed = {k: v for k, v in _facts(doc.tables.facts_csv()).items() if v != "0.00" and k[0] != "T3"}
    expected = {k: v for k, v in _facts(FIXTURE.read_text(encoding="utf-8")).items() if k[0] != "T3"}
    assert parsed == expected
    assert any(u.get("table") == "T3" for u in result.coverage.unreadable)
    assert [(p.budget, p.actual, p.rate) for p in projects(doc)] == [x[1:4] for x in PROJECTS]
