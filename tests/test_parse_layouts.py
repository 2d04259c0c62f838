"""Every layout of the national family read back (issue 13 §3).

Documents whose truth is known — the example and generated disclosures, built in each layout
(:data:`juesuan.final.layouts.VARIANTS`) — are rendered as text, degraded as real documents are
(tables over several pages with their headings repeated and 续表, titles numbered 公开01表 /
表一 / 附表1 or numbered on a line of their own, tabs lost, codes joined, names wrapped:
``tests/degrade.py``) and parsed. The parse must say the layout the document is in, read every
figure back (a figure it could not place for sure it must mark as not exact, never state a wrong
one as read), and the check of what it read must raise no error the built document does not
have. Tables only some layouts have and the data model has no figures for (政府采购情况表 …)
are read from documents of known truth made by hand.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from degrade import degrade

from juesuan import build_tables
from juesuan.final.layouts import VARIANTS
from juesuan.final.model import Disclosure
from juesuan.final.narrative import build_document
from juesuan.pipeline import check, parse
from juesuan.renderers import render
from juesuan.tables.table import Row, Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

D = Decimal

# each layout with a degradation of the kind documents in it show
LAYOUTS = {
    "national": ("number_biao", "paginate", "untab"),
    "central": ("number_below", "paginate", "join_codes", "untab"),
    "shanghai": ("paginate", "wrap_names", "untab"),
    "beijing": ("paginate", "join_codes", "wrap_names", "untab"),
    "sichuan": ("number_fubiao", "paginate", "untab"),
    "shaanxi": ("paginate", "untab", "crlf"),
    "pre2021": ("number_biao", "paginate", "join_codes", "wrap_names", "untab"),
}


def _fund_model(year: int = 2023) -> Disclosure:
    """A disclosure with 政府性基金 money, balances carried over (so the fund tables print 年初结转
    和结余 and 本年收入 side by side, one of them blank on some rows) and 三公 money."""
    codes = ["2010101", "2010350", "2080505", "2120101", "2120803", "2210201"]
    income, expenditure, approp, items = [], [], [], []
    for k, code in enumerate(codes):
        gb, gp = D(123456 + 7891 * k) + D("0.37"), D(98765 * k) + D("0.05")
        fb = D(55555 + 1000 * k) + D("0.55") if code.startswith("212") else D(0)
        expenditure.append({"code": code, "basic": gb, "project": gp + fb})
        approp.append({"code": code, "fund": "general", "basic": gb, "project": gp})
        if fb:
            approp.append({"code": code, "fund": "gov_fund", "project": fb})
            items.append({"code": code, "fund": "gov_fund", "opening": D(20000) if k % 2 else D(0)})
        income.append({"code": code, "general": gb + gp, "gov_fund": fb})
    basic = sum(D(123456 + 7891 * k) + D("0.37") for k in range(len(codes)))
    econ = {"30101": basic - D("34567.89"), "30201": D("30000.00"), "30217": D("4567.89")}
    tp = {"abroad": D(0), "vehicle_purchase": D(0), "vehicle_operation": D("12000.40"), "reception": D("4567.89")}
    return Disclosure.model_validate({
        "year": year, "entity": {"name": "武汉市汉阳区测试中心", "level": "区", "unit_type": "事业单位"},
        "income": income, "expenditure": expenditure, "appropriations": approp, "fund_items": items,
        "balances": {"opening": D(20000) * 2},
        "basic_by_economic": econ, "three_public": {"budget": tp, "final": tp},
    })


@pytest.fixture(scope="module")
def models(example_model):
    from bench_check import distinct_models
    return [example_model, _fund_model(), *distinct_models(1, seed=13)]


def _errors(findings) -> set[str]:
    return {f.message for f in findings if f.severity == "error"}


def _misread(parsed_tables, truth) -> list:
    """The figures read otherwise than printed, and read as exact: what must never happen. (A
    figure the reader could not place for sure is marked so, and is not counted here.)"""
    want = {(t, code, label, col): v for t, code, label, col, v in truth.facts()}
    out = []
    for t in parsed_tables:
        for r in t.rows:
            if not r.label:
                continue
            for col, v in r.cells.items():
                column = f"{r.side}:{col}" if t.layout.kind == "two_sided" else col
                k = (t.id, r.code, r.label, column)
                printed = want.get(k)
                got = f"{v if v is not None else D(0):.2f}"
                if printed != got and t.reading(r, col).exact:
                    out.append((k, printed, got))
    have = {(t, code, label, col) for t, code, label, col, _ in parsed_tables.facts()}
    out += [(k, v, None) for k, v in want.items() if k not in have and v != "0.00"]
    return out


def _years(d: Disclosure, variant: str) -> Disclosure:
    """Documents in the layout of before 2021 are of those years."""
    return d.model_copy(update={"year": 2020}) if VARIANTS[variant].years[1] == 2020 else d


@pytest.mark.parametrize("variant", LAYOUTS)
def test_documents_in_each_layout_read_back(models, tmp_path, variant):
    for i, d in enumerate(models):
        d = _years(d, variant)
        tables = build_tables(d, variant)
        doc = build_document(d, tables)
        built = check(doc)
        assert not [f for f in built if f.rule in ("JS501", "JS503")], (variant, i)
        text = render(doc, "txt", tmp_path).read_text(encoding="utf-8")
        for names in ((), LAYOUTS[variant]):
            p = tmp_path / f"{variant}-{i}-{len(names)}.txt"
            p.write_text(degrade(text, *names), encoding="utf-8")
            got = parse(p)
            where = (variant, i, names)
            assert got.variant == variant and got.coverage.variant == variant, where
            assert not got.coverage.variant_note, where
            # said in parse's output: its JSON, its summary and its trace
            assert got.coverage.to_dict()["variant"]["name"] == variant, where
            assert got.coverage.summary()[0].startswith(f"表式：{VARIANTS[variant].label}"), where
            assert any(e["what"].startswith(f"表式：{variant}") for e in got.trace.events), where
            assert not got.coverage.unreadable, where
            if not names:
                assert sorted(got.document.tables.facts()) == sorted(tables.facts()), where
            assert not _misread(got.document.tables, tables), where
            assert _errors(check(got.document)) <= _errors(built), where
            if "number_below" in names or "number_biao" in names:
                numbers = [t.number for t in got.document.tables]
                assert numbers[0] in ("公开01表", "表一") and len(set(numbers)) == len(numbers), where


# --- tables without a model counterpart -----------------------------------------------------------

def _row(key, label, cells, code="", level=1, side=None) -> Row:
    return Row(key=key, label=label, code=code, level=level, side=side, cells=cells)


def _beijing(example_model) -> tuple:
    """A Beijing document with its four tables, the three the model has no figures for made by hand."""
    d = example_model
    tables = build_tables(d, "beijing")
    v = VARIANTS["beijing"]
    econ = "决算数"
    t11 = Table("T11", v.layouts["T11"], [
        _row("301", "工资福利支出", {econ: D("12.00")}, "301", 1, "人员经费"),
        _row("30101", "基本工资", {econ: D("12.00")}, "30101", 2, "人员经费"),
        _row("302", "商品和服务支出", {econ: D("3.50")}, "302", 1, "公用经费"),
        _row("30201", "办公费", {econ: D("3.50")}, "30201", 2, "公用经费"),
        _row("人员经费合计", "人员经费合计", {econ: D("12.00")}, "", 0, "人员经费"),
        _row("公用经费合计", "公用经费合计", {econ: D("3.50")}, "", 0, "公用经费")])
    cols = [c.header for c in v.layouts["T12"].columns]
    figures = dict(zip(cols, map(D, ("100.00", "20.00", "5.00", "75.00", "95.50", "18.00", "4.50", "73.00"))))
    t12 = Table("T12", v.layouts["T12"], [_row("合计", "合计", dict(figures), level=0),
                                          _row("武汉市汉阳区大数据中心", "武汉市汉阳区大数据中心", dict(figures))])
    t13 = Table("T13", v.layouts["T13"], [_row("合计", "合计", {"金额": D("66.97")}, level=0),
                                          _row("政务热线运维服务", "政务热线运维服务", {"金额": D("40.00")}),
                                          _row("数据治理技术服务", "数据治理技术服务", {"金额": D("26.97")})])
    for t in (t11, t12, t13):
        tables.tables[t.id] = replace(t, entity=d.entity.name, year=d.year)
    return tables, build_document(d, tables)


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_beijing_tables_without_a_model_counterpart_are_read(example_model, tmp_path, fmt):
    tables, doc = _beijing(example_model)
    got = parse(render(doc, fmt, tmp_path))
    assert got.variant == "beijing" and got.coverage.tables_found == 13
    assert sorted(got.document.tables.facts()) == sorted(tables.facts())
    t12 = got.document.tables["T12"]
    total = t12.row("合计")
    assert total.cells["实际采购金额/服务"] == D("73.00") and total.reading("实际采购金额/服务").exact
    assert _errors(check(got.document)) <= _errors(check(doc))


def test_beijing_optional_tables_missing_are_no_error(example_model, tmp_path):
    tables, doc = _beijing(example_model)
    for tid in ("T11", "T12", "T13"):
        del tables.tables[tid]
    path = render(doc, "txt", tmp_path)
    text = path.read_text(encoding="utf-8")
    got = parse(path)
    assert got.variant == "beijing"
    assert not [f for f in check(got.document) if f.rule == "JS501"]
    # without its own 一般公共预算财政拨款收入支出决算表 the document may be in another region's layout:
    # the table is asked for, not held against it
    cut = text.index("2023年度一般公共预算财政拨款收入支出决算表")
    end = text.index("2023年度一般公共预算财政拨款支出决算表")
    p = tmp_path / "no-t10.txt"
    p.write_text(text[:cut] + text[end:], encoding="utf-8")
    js501 = [f for f in check(parse(p).document) if f.rule == "JS501"]
    assert all(f.severity == "warning" for f in js501)


def test_untabbed_listing_figures_that_cannot_be_placed_are_marked(example_model, tmp_path):
    """政府采购情况表 as free text with 工程 blank: 货物/工程/服务 cannot all be told apart; the reader
    marks what it could not place, and states nothing wrong as read."""
    tables, doc = _beijing(example_model)
    t12 = tables.tables["T12"]
    for r in t12.rows:
        r.cells["采购计划金额/工程"] = r.cells["实际采购金额/工程"] = D(0)
        r.cells["采购计划金额/服务"], r.cells["实际采购金额/服务"] = D("80.00"), D("77.50")
    text = render(doc, "txt", tmp_path).read_text(encoding="utf-8")
    p = tmp_path / "untab.txt"
    p.write_text(degrade(text, "untab"), encoding="utf-8")
    got = parse(p).document
    assert not _misread(got.tables, tables)
    assert not got.tables["T12"].row("合计").reading("采购计划金额/服务").exact
    assert _errors(check(got)) <= _errors(check(doc))


# --- what a layout prescribes ------------------------------------------------------------------------

def test_documents_before_2021_are_not_faulted_for_their_eight_tables(example_model, tmp_path):
    d = _years(example_model, "pre2021")
    doc = build_document(d, build_tables(d, "pre2021"))
    got = parse(render(doc, "txt", tmp_path))
    assert got.variant == "pre2021" and "T8" not in got.document.tables.tables
    t9 = got.document.tables["T9"]
    assert t9.number == "" and got.document.tables.order.index("T9") == 6
    findings = check(got.document)
    assert not [f for f in findings if f.rule in ("JS501", "JS503")]
    # a document of 2023 without its 国有资本经营 table is told it lacks it
    doc23 = build_document(example_model, build_tables(example_model))
    del doc23.tables.tables["T8"]
    (tmp_path / "y2023").mkdir()
    got23 = parse(render(doc23, "txt", tmp_path / "y2023"))
    assert got23.variant == "national"
    assert [f.severity for f in check(got23.document) if f.rule == "JS501"] == ["error"]


def test_older_labels_of_the_years_before_2021(example_model, tmp_path):
    """2017–2018 documents print 用事业基金弥补收支差额 where later ones print 使用非财政拨款结余."""
    from bench_check import _consistent
    d = _consistent(example_model.model_copy(update={"year": 2020, "balances": example_model.balances.model_copy(
        update={"use_of_nonfiscal_balance": D("12345.00")})}))
    tables = build_tables(d, "pre2021")
    text = render(build_document(d, tables), "txt", tmp_path).read_text(encoding="utf-8")
    at = text.index("2020年度收入支出决算总表\n部门")
    end = text.index("\n\n", at)
    p = tmp_path / "old.txt"
    p.write_text(text[:at] + text[at:end].replace("使用非财政拨款结余", "用事业基金弥补收支差额") + text[end:],
                 encoding="utf-8")
    got = parse(p)
    assert got.variant == "pre2021" and not got.coverage.unreadable
    assert sorted(got.document.tables.facts()) == sorted(tables.facts())
    row = got.document.tables["T1"].row("balance:use_of_nonfiscal_balance")
    assert row.cells["决算数"] == tables["T1"].row("balance:use_of_nonfiscal_balance").cells["决算数"] != 0


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_sichuan_tables_after_the_narrative(example_model, tmp_path, fmt):
    tables = build_tables(example_model, "sichuan")
    doc = build_document(example_model, tables)
    assert [p.key for p in doc.parts][-1] == "tables" and doc.parts[1].key == "narrative"
    got = parse(render(doc, fmt, tmp_path))
    assert got.variant == "sichuan"
    assert [p.key for p in got.document.parts] == [p.key for p in doc.parts]   # 附表 last
    assert sorted(got.document.tables.facts()) == sorted(tables.facts())
    assert len(got.document.part("narrative").sections) == 13
    assert not [f for f in check(got.document) if f.rule in ("JS501", "JS503", "JS601")]


def test_titles_of_tables_not_known_are_not_taken_for_known_ones(example_tables, example_model, tmp_path):
    """A document in a layout not known: its other tables (政府性基金的“三公”经费表, a 基本支出表 of
    the 政府性基金) end like known titles but are not those tables; the known ones are read."""
    doc = build_document(example_model, example_tables)
    text = render(doc, "txt", tmp_path).read_text(encoding="utf-8")
    extra = ("\n2023年度政府性基金预算财政拨款“三公”经费支出决算表\n部门：武汉市汉阳区大数据中心\t金额单位：万元\n"
             "合计\t因公出国（境）费\t公务接待费\n9.99\t5.55\t4.44\n"
             "\n2023年度政府性基金预算财政拨款项目支出决算表\n部门：武汉市汉阳区大数据中心\t金额单位：万元\n"
             "合计\t\t7.77\t7.77\n")
    at = text.index("\n2023年度财政拨款“三公”经费支出决算表")
    p = tmp_path / "unknown.txt"
    p.write_text(text[:at] + extra + text[at:], encoding="utf-8")
    got = parse(p)
    assert sorted(got.document.tables.facts()) == sorted(example_tables.facts())
    assert got.variant == "national"
    assert _errors(check(got.document)) <= _errors(check(doc))


def test_a_layout_not_known_is_read_as_far_as_its_tables_match(example_model, tmp_path):
    """The national nine and a 政府采购情况表 (a table of Beijing's layout, not of the national one): the
    document is read in the closest layout, says it does not fit it, reads every table it knows, and
    a table that layout has and the document lacks is asked for, not held against it."""
    tables, doc = _beijing(example_model)
    national = build_tables(example_model)
    national.tables["T12"] = tables.tables["T12"]
    doc = build_document(example_model, national)
    national.order = (*national.order, "T12")
    got = parse(render(doc, "txt", tmp_path))
    assert sorted(got.document.tables.facts()) == sorted(national.facts())
    assert got.coverage.variant_note and "与已知表式不完全相符" in got.coverage.summary()[0]
    findings = check(got.document)
    assert _errors(findings) <= _errors(check(build_document(example_model, build_tables(example_model))))
    assert all(f.severity != "error" for f in findings if f.rule == "JS501")


# --- the 三公 table ---------------------------------------------------------------------------------

def _three_public_doc(variant: str, meeting: str | None = None, training: str | None = None,
                      total_all: bool = False):
    d = _fund_model()
    tables = build_tables(d, variant)
    t9 = tables.tables["T9"]
    r = t9.rows[0]
    if meeting is not None:
        for side in ("预算数", "决算数"):
            r.cells[f"{side}/会议费"], r.cells[f"{side}/培训费"] = D(meeting), D(training)
            if total_all:
                r.cells[f"{side}/合计"] += D(meeting) + D(training)
    return tables, build_document(d, tables)


@pytest.mark.parametrize("total_all", [False, True], ids=["total-of-three", "total-of-all"])
def test_shaanxi_three_public_with_meetings_and_training(tmp_path, total_all):
    tables, doc = _three_public_doc("shaanxi", "3.21", "1.50", total_all)
    for names in ((), ("untab",)):
        p = tmp_path / f"sx{len(names)}.txt"
        p.write_text(degrade(render(doc, "txt", tmp_path).read_text(encoding="utf-8"), *names), encoding="utf-8")
        got = parse(p)
        t9 = got.document.tables["T9"]
        assert got.variant == "shaanxi"
        assert not _misread(got.document.tables, tables)
        if not names:    # tabs kept: every figure in its cell, and the 合计 what its figures say
            keys = {c.key for c in t9.layout.columns}
            assert ("final:total_all" in keys) is total_all and ("final:total" in keys) is not total_all
            assert {(c, v) for *_, c, v in t9.facts()} == {(c, v) for *_, c, v in tables["T9"].facts()}
            assert all(t9.reading(t9.rows[0], h).exact for h in t9.rows[0].cells)
        assert not [f for f in check(got.document) if f.rule == "JS107" and f.severity != "info"]


def test_shaanxi_three_public_total_that_adds_up_nothing_is_not_an_error(tmp_path):
    tables, doc = _three_public_doc("shaanxi", "3.21", "1.50")
    tables["T9"].rows[0].cells["决算数/合计"] += D("0.70")
    got = parse(render(doc, "txt", tmp_path)).document
    js107 = [f for f in check(got) if f.rule == "JS107"]
    assert js107 and all(f.severity == "info" and f.message.startswith("无法核对") for f in js107)


@pytest.mark.parametrize("printed", ["national", "shanghai"])
def test_three_public_column_order_without_its_header(tmp_path, printed):
    """A national document's 三公 table printed in either column order (预算数 then 决算数, or the two
    interleaved item by item), its header lost (only the figures left): the order is the one the
    row's identities hold for — not the layout's assumption."""
    tables, doc = _three_public_doc("national")
    t9 = tables.tables["T9"]
    t9.layout = VARIANTS[printed].layouts["T9"]
    cells = t9.rows[0].cells
    cells["预算数/公务接待费"] += D("1.00")
    cells["预算数/合计"] += D("1.00")
    text = render(doc, "txt", tmp_path).read_text(encoding="utf-8")
    at = text.index("2023年度财政拨款“三公”经费支出决算表\n部门")
    head, tail = text[:at], text[at:].split("\n")
    figures = next(i for i, line in enumerate(tail) if "." in line)
    p = tmp_path / "t9.txt"
    p.write_text(head + "\n".join(tail[:2] + tail[figures:]), encoding="utf-8")   # title, 部门, figures
    got = parse(p)
    assert got.variant == "national"
    t9_read = got.document.tables["T9"]
    assert {(c, v) for *_, c, v in t9_read.facts()} == {(c, v) for *_, c, v in t9.facts()}
    assert _errors(check(got.document)) <= _errors(check(doc))
