"""The 教育部直属高校 layout (issue 13 §3): four tables, read from a real university's 决算 and
from university documents whose truth is known.

* 西南大学 2023 (``fixtures/samples/chongqing-swu-2023-final.pdf``): its 目录 names the four
  tables without page numbers, its parts are numbered 一、 … 四、 (no 第X部分), its tables are
  高等学校收支决算总表 (one 财政拨款收入 row, 其中 rows, 合计 on both sides), 高等学校收入决算表
  (事业收入 split into 金额 / 其中：教育收费 under a two-line header), 高等学校支出决算表 and
  高等学校财政拨款支出决算表 (项目支出 split into 小计 / 其中：基本建设资金支出; its code columns
  split 类 | 款 | 项 on one page and joined on the next). Every cell was checked against the
  page images: ``fixtures/truth/chongqing-swu-2023-final.csv``.
* The bundled example built in the university layout, with 事业收入, 其他收入 and balances added,
  rendered to text, HTML, DOCX and PDF and read back; its text degraded as extractions degrade it.
"""

from __future__ import annotations

import csv
import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from degrade import degrade

from juesuan.pipeline import check, parse
from juesuan.renderers import render
from juesuan.tables.table import FACTS_HEADER

HERE = Path(__file__).resolve().parent
PDF = HERE / "fixtures" / "samples" / "chongqing-swu-2023-final.pdf"
TRUTH = HERE / "fixtures" / "truth" / "chongqing-swu-2023-final.csv"
sys.path.insert(0, str(HERE.parent / "bench"))

# what check says of the sample: only 尾差 (each looked at on the page: the printed parts add up to
# the printed total ± 0.01, as a publisher rounding each figure on its own makes them)
SAMPLE_TAILS = [("JS101", "42555.91"), ("JS101", "96077.72"), ("JS102", "359781.60"), ("JS102", "97895.16"),
                ("JS103", "24804.58"), ("JS103", "425287.28"), ("JS103", "457676.74")]


@pytest.fixture(scope="module")
def sample():
    return parse(PDF)


def _truth() -> list[tuple[str, ...]]:
    with TRUTH.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == FACTS_HEADER
    return [tuple(r) for r in rows[1:]]


def test_the_sample_reads_to_its_checked_truth(sample):
    ts = sample.document.tables
    assert (ts.variant, ts.order, sorted(ts.tables)) == ("university", ("T1", "T2", "T3", "T5"),
                                                         ["T1", "T2", "T3", "T5"])
    assert [t.title for t in ts] == ["高等学校收支决算总表", "高等学校收入决算表", "高等学校支出决算表",
                                     "高等学校财政拨款支出决算表"]
    assert ts.facts() == _truth()
    cov = sample.coverage
    assert cov.unreadable == [] and cov.tables_found == 4 and set(cov.tables) == {"T1", "T2", "T3", "T5"}
    # every cell of a ruled table read in its cell, for sure
    assert all(t.reading(r, h).exact for t in ts for r in t.rows if r.label for h in r.cells)


def test_the_sample_s_contents_and_parts(sample):
    doc, trace = sample.document, sample.trace
    # the 目录 names the four tables: none of its entries opens a table; the tables start at 表1–表4
    assert [r.title_line.page for r in sample.regions] == [8, 10, 12, 14]
    assert any(e["what"].startswith("目录") and e.get("page") == 2 for e in trace.events)
    assert [(p.key, p.number) for p in doc.parts] == [("profile", "一"), ("tables", "二"), ("narrative", "三"),
                                                     ("glossary", "四")]
    assert [s.title for s in doc.part("narrative").sections] == [
        "高等学校收支决算总表说明", "高等学校收入决算表说明", "高等学校支出决算表说明",
        "高等学校财政拨款支出决算表说明"]
    terms = [g.term for g in doc.glossary]
    assert "财政拨款收入" in terms and "项目支出" in terms and "机构运行（2060201）" in terms


def test_check_of_the_sample_says_nothing_untrue(sample):
    """No error, no warning (the four tables are the layout's; its 决算报表说明 explains each);
    the infos are the sample's real 尾差."""
    findings = check(sample.document)
    assert [f for f in findings if f.severity != "info"] == []
    assert sorted((f.rule, f.figures[-1]) for f in findings) == sorted(SAMPLE_TAILS)
    assert all("尾差" in f.message for f in findings)


def _set(doc, tid: str, key: str, col: str, value: str, side: str | None = None) -> None:
    t = doc.tables[tid]
    row = t.row(key, side=side) if key != "合计" else t.row(key="合计")
    row.cells[col] = Decimal(value)
    row.readings[col] = row.readings[col]._replace(value=Decimal(value))


@pytest.mark.parametrize("change, rule, words", [
    (("T1", "income:total", "决算数", "430725.13", "收入"), "JS104", "本年收入合计 = 财政拨款收入 + 上级补助收入"),
    (("T1", "income:donation", "决算数", "51400.00", "收入"), "JS104", "其他收入不应小于其中的捐赠收入"),
    (("T1", "income:fiscal", "决算数", "243015.48", "收入"), "JS201", "总表与收入决算表：财政拨款收入"),
    (("T1", "expenditure:206", "决算数", "2536.85", "支出"), "JS202", "206 科学技术支出"),
    (("T5", "合计", "基本支出", "459781.59"), "JS207", "支出决算表不应小于"),
], ids=["income-total", "donation", "fiscal-income", "class-row", "t3-covers-t5"])
def test_the_layout_s_identities_are_checked(change, rule, words):
    """A figure of the sample changed: the identity the university layout has catches it as an
    error, and no national identity it lacks (八项收入之和, the fund rows) speaks."""
    parsed = parse(PDF)
    _set(parsed.document, *change)
    errors = [f for f in check(parsed.document) if f.severity == "error"]
    assert any(f.rule == rule and words in f.message for f in errors), errors
    assert not any("八项收入之和" in f.message or "三类财政拨款" in f.message for f in errors)


# ---------------------------------------------------------------------------------- known truth

def _school(seed: int):
    """The bundled example as a school: 事业收入 and 其他收入 beside its 财政拨款, spent on basic and
    project spending of the same 项, with balances carried over (yuan, consistent)."""
    from bench_check import EXAMPLE, _consistent

    from juesuan.final.readers import load
    d, _ = load(EXAMPLE)
    rng = random.Random(seed)
    extra: dict[str, Decimal] = {}
    income = []
    for x in d.income:
        business, other = (Decimal(rng.randint(0, 3_000_000)) for _ in range(2))
        extra[x.code] = business + other
        income.append(x.model_copy(update={"business": business, "other": other}))
    spent = []
    for x in d.expenditure:
        more = extra.get(x.code, Decimal(0)) * Decimal(rng.randint(60, 100)) / 100
        basic = (more * Decimal(rng.randint(0, 100)) / 100).quantize(Decimal("0.01"))
        spent.append(x.model_copy(update={"basic": x.basic + basic, "project": x.project + more - basic}))
    balances = d.balances.model_copy(update={"use_of_nonfiscal_balance": Decimal(rng.randint(0, 900_000)),
                                             "opening": Decimal(rng.randint(0, 2_000_000)),
                                             "distribution": Decimal(rng.randint(0, 100_000))})
    return _consistent(d.model_copy(update={"income": income, "expenditure": spent, "balances": balances}))


@pytest.fixture(scope="module")
def schools():
    from juesuan.final.build import build_tables
    from juesuan.final.narrative import build_document
    return [build_document(d, build_tables(d, "university")) for d in (_school(1), _school(2))]


def _facts(tables) -> dict:
    return {(t, code, col): v for t, code, _label, col, v in tables.facts() if v != "0.00"}


def test_a_built_school_is_in_the_university_layout(schools):
    doc = schools[0]
    assert doc.tables.variant == "university" and list(doc.tables.tables) == ["T1", "T2", "T3", "T5"]
    t1 = doc.tables["T1"]
    assert t1.value("income:fiscal", "决算数") == doc.tables["T2"].row(key="合计").cells["财政拨款收入"] > 0
    assert t1.value("income:business", "决算数") > 0 and t1.value("income:other", "决算数") > 0
    assert [p.key for p in doc.parts] == ["profile", "tables", "narrative", "glossary"]
    assert [f for f in check(doc) if f.severity != "info"] == []


@pytest.mark.parametrize("fmt", ["txt", "html", "docx", "pdf"])
def test_a_built_school_reads_back_to_its_truth(schools, tmp_path, fmt):
    doc = schools[0]
    parsed = parse(render(doc, fmt, tmp_path))
    assert parsed.variant == "university"
    assert parsed.document.tables.facts() == doc.tables.facts()
    assert not parsed.coverage.unreadable
    assert [f for f in check(parsed.document) if f.severity != "info"] == []


_NUMBERED_PARTS = {"第一部分 ": "一、", "第二部分 ": "二、", "第三部分 ": "三、", "第四部分 ": "四、"}


def _as_printed_by_schools(text: str) -> str:
    """Parts numbered 一、 … 四、 as the university template prints them (no 第X部分)."""
    for a, b in _NUMBERED_PARTS.items():
        text = text.replace(a, b)
    return text


@pytest.mark.parametrize("names", [(), ("join_codes",), ("wrap_names",), ("join_codes", "wrap_names"), ("crlf",),
                                   ("wrap_lines", "join_codes"), ("unnumbered_parts",), ("drop_parts",)],
                         ids=lambda n: "+".join(n) or "clean")
def test_degraded_school_text_reads_back(schools, tmp_path, names):
    """The school's text with its parts numbered 一、 (its 目录 lists the four tables), or titled
    without numbers, or not headed at all: every figure read back in its row and column, and no
    error or warning."""
    for i, doc in enumerate(schools):
        text = render(doc, "txt", tmp_path).read_text(encoding="utf-8")
        if not {"unnumbered_parts", "drop_parts"} & set(names):
            text = _as_printed_by_schools(text)
        p = tmp_path / f"{i}.txt"
        p.write_text(degrade(text, *names), encoding="utf-8")
        parsed = parse(p)
        if "drop_parts" not in names:
            assert [pt.key for pt in parsed.document.parts] == ["profile", "tables", "narrative", "glossary"], names
        assert _facts(parsed.document.tables) == _facts(doc.tables), (i, names)
        assert not parsed.coverage.unreadable, (i, names)
        assert [f for f in check(parsed.document) if f.severity != "info"] == [], (i, names)


@pytest.mark.parametrize("names", [("untab",), ("join_codes", "wrap_names", "untab")], ids="+".join)
def test_sample_text_without_cells_accuses_nothing(sample, tmp_path, names):
    """The sample's own extraction as text, its cells run together (blank cells lost): where the
    figures of a line allow several placements the reader may place them wrongly, but then it
    says so — no figure read wrongly is marked exact, and check raises no error or warning."""
    text = "\n".join("\t".join(line.cells) for line in sample.source.lines)
    p = tmp_path / "swu.txt"
    p.write_text(degrade(text, *names), encoding="utf-8")
    parsed = parse(p)
    truth = {(t.id, r.key, r.side, h): v for t in sample.document.tables for r in t.rows if r.label
             for h, v in r.cells.items()}
    ts = parsed.document.tables
    assert ts.variant == "university"
    wrong = [(t.id, r.key, h) for t in ts for r in t.rows if r.label for h, v in r.cells.items()
             if truth.get((t.id, r.key, r.side, h)) != v and t.reading(r, h).exact]
    assert wrong == []
    right = sum(truth.get((t.id, r.key, r.side, h)) == v for t in ts for r in t.rows if r.label
                for h, v in r.cells.items())
    assert right >= 0.85 * len(truth)
    assert [f for f in check(parsed.document) if f.severity in ("error", "warning")] == []


# ---------------------------------------------------------------------------------- 目录 entries

@pytest.mark.parametrize("text, tid", [
    ("一、收入支出决算总表……………………5", "T1"), ("（二）收入决算表  12", "T2"), ("表3 支出决算表 ……… 第7页", "T3"),
    ("高等学校财政拨款支出决算表······", "T5"), ("表1：高等学校收支决算总表", None), ("收入决算表", None),
    ("二、收入决算情况说明 ………… 8", None), ("2023年度支出决算表", None)])
def test_a_contents_entry_is_a_title_with_a_page_reference(text, tid):
    from juesuan.final.recognition import SPEC
    from juesuan.parse.tabular import Titles, contents_entry
    hit = contents_entry(text, Titles.of(SPEC.variants, SPEC.default_variant))
    assert (hit[0] if hit else None) == tid


def test_a_contents_list_opens_no_table_without_part_headings(schools, tmp_path):
    """No 第X部分 and no 一、 part headings at all (only the word 目录 and the titles it lists):
    the 目录's entries are passed over, each table is read from its own title in the body."""
    text = render(schools[0], "txt", tmp_path).read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("第") or "部分" not in line[:5])
    p = tmp_path / "bare.txt"
    p.write_text(body, encoding="utf-8")
    parsed = parse(p)
    assert sum(e["what"] == "目录中的表名，不作表格" for e in parsed.trace.events) == 4
    assert _facts(parsed.document.tables) == _facts(schools[0].tables)
    assert not parsed.coverage.unreadable


def test_columns_are_read_by_their_headers(schools, tmp_path):
    """高等学校收入决算表 printed with 其他收入 before 经营收入 and 教育收费 before 金额 (its header on
    two lines): each figure is read into the column its header names, not the layout's order."""
    doc = schools[0]
    lines = render(doc, "txt", tmp_path).read_text(encoding="utf-8").splitlines()
    start = next(i for i, x in enumerate(lines) if x.endswith("年度高等学校收入决算表"))
    end = next(i for i, x in enumerate(lines) if i > start and x.endswith("年度高等学校支出决算表"))
    for i in range(start, end):
        cells = lines[i].split("\t")
        if len(cells) == 10:
            cells[5], cells[6], cells[7], cells[9] = cells[6], cells[5], cells[9], cells[7]
            lines[i] = "\t".join(cells)
    assert "其中：教育收费\t金额" in "\n".join(lines)
    p = tmp_path / "swapped.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    parsed = parse(p)
    assert parsed.document.tables.facts() == doc.tables.facts()
    assert any(e["what"].startswith("按表头确定列位置") for e in parsed.trace.events)


def test_a_table_the_layout_lacks_is_read_by_its_own(schools, tmp_path, example_model):
    """A university's document that also prints the national 三公 table: the four tables are read in
    the university layout, the 三公 table by the national one (not a failed parse)."""
    from juesuan.final.build import build_tables
    from juesuan.final.narrative import build_document
    national = render(build_document(example_model, build_tables(example_model)), "txt", tmp_path)
    tn = national.read_text(encoding="utf-8")
    at = tn.rindex("\n", 0, tn.rindex("财政拨款“三公”经费支出决算表\n")) + 1
    tu = render(schools[0], "txt", tmp_path).read_text(encoding="utf-8")
    cut = tu.rindex("第三部分 ")
    p = tmp_path / "mixed.txt"
    p.write_text(tu[:cut] + tn[at:tn.index("第三部分", at)] + tu[cut:], encoding="utf-8")
    parsed = parse(p)
    ts = parsed.document.tables
    assert ts.variant == "university" and sorted(ts.tables) == ["T1", "T2", "T3", "T5", "T9"]
    assert ts["T9"].layout.title == "财政拨款“三公”经费支出决算表" and ts["T9"].source.get("empty_sentence")
    assert _facts(ts) == {**_facts(schools[0].tables), **{k: v for k, v in _facts(
        build_tables(example_model)).items() if k[0] == "T9"}}
