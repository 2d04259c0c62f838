"""Round trips: model → template → model, and build's XLSX → facts, exactly.

* the template pre-filled from the example reads back as an equal model (元 and 万元);
* building from that workbook gives the same facts CSV as building from the YAML;
* the XLSX that ``juesuan build`` writes (九张表 in 万元, no supplementary sheets)
  reads back into a model whose tables give the same facts CSV — also when the
  tables come as a directory of one-table files;
* a hypothesis property: generated disclosures survive the template round trip.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juesuan.catalog import catalog
from juesuan.final.build import build_tables
from juesuan.final.model import Disclosure
from juesuan.final.readers import load
from juesuan.final.workbook import read_workbook, write_template

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hanyang-bdc-2023"
HAS_XLSX_RENDERER = importlib.util.find_spec("juesuan.renderers.xlsx") is not None


@pytest.fixture(scope="module")
def example() -> Disclosure:
    return load(EXAMPLE)[0]


@pytest.mark.parametrize("unit", ["元", "万元"])
def test_template_round_trip_gives_equal_model(tmp_path, example, unit):
    p = write_template(tmp_path / "决算数据.xlsx", example, unit=unit)
    model, diags = load(p)
    assert model == example
    assert not [d for d in diags if d.severity != "info"]
    assert build_tables(model).facts_csv() == build_tables(example).facts_csv()


def test_cli_template_and_build(tmp_path, example):

    from juesuan.cli import invoke

    r = invoke(["template", "-o", str(tmp_path / "决算数据.xlsx"), "--from", str(EXAMPLE)])
    assert r.exit_code == 0, r.output
    r = invoke(["build", str(tmp_path / "决算数据.xlsx"), "-o", str(tmp_path / "out"),
                                 "--format", "html", "--facts", str(tmp_path / "wb.csv")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "wb.csv").read_text(encoding="utf-8-sig") == build_tables(example).facts_csv()  # BOM: Excel


def test_blank_template_structure(tmp_path):
    p = write_template(tmp_path / "blank.xlsx", year=2024)
    wb = openpyxl.load_workbook(p)
    names = wb.sheetnames
    for s in ("填表说明", "单位概况", "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
              "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算明细表",
              "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
              "财政拨款“三公”经费支出决算表", "上年数", "年初预算及原因", "三公明细", "机关运行经费", "政府采购",
              "国有资产", "整体绩效", "项目绩效", "重点工作", "功能分类", "经济分类"):
        assert s in names
    assert wb["功能分类"].sheet_state == "hidden" and wb["经济分类"].sheet_state == "hidden"
    ws = wb["收入决算表"]
    assert ws["A1"].value == "2024年度收入决算表"
    assert ws.freeze_panes is not None
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"decimal", "list"} <= kinds
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any("功能分类" in f for f in lists)
    assert wb["功能分类"].max_row > 1000


def test_blank_template_read_says_what_is_missing(tmp_path):
    p = write_template(tmp_path / "blank.xlsx")
    from juesuan.errors import InputError
    with pytest.raises(InputError) as e:
        read_workbook(p)
    msgs = [d.message for d in e.value.diagnostics if d.severity == "error"]
    assert msgs and all("单位" in m or "缺少" in m for m in msgs), msgs


@pytest.fixture(scope="module")
def built_xlsx(tmp_path_factory, example) -> Path:
    if not HAS_XLSX_RENDERER:
        pytest.skip("juesuan.renderers.xlsx not available")
    from juesuan.final.narrative import build_document
    from juesuan.renderers import render
    out = tmp_path_factory.mktemp("built")
    return render(build_document(example, build_tables(example)), "xlsx", out)


def test_build_xlsx_round_trip_same_facts(built_xlsx, example):
    model, diags = read_workbook(built_xlsx)
    assert build_tables(model).facts_csv() == build_tables(example).facts_csv()
    assert model.entity.name == example.entity.name and model.entity.level == "区"


def test_directory_of_one_table_files(tmp_path, built_xlsx, example):
    src = openpyxl.load_workbook(built_xlsx)
    folder = tmp_path / "公开表"
    folder.mkdir()
    for i, ws in enumerate(src.worksheets):
        wb = openpyxl.Workbook()
        dst = wb.active
        dst.title = f"Sheet{i + 1}"           # exported files are rarely named after the table
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    dst.cell(c.row, c.column, c.value)
        for m in ws.merged_cells.ranges:
            dst.merge_cells(str(m))
        wb.save(folder / f"{i + 1:02d}.xlsx")
    model, _ = load(folder)
    assert build_tables(model).facts_csv() == build_tables(example).facts_csv()


# --- property test ------------------------------------------------------------------------
_CAT = catalog(2023)
CODES = [c for c in ("2010101", "2010350", "2080505", "2101102", "2130599", "2210201", "2120101", "2050201")
         if _CAT.function_name(c)]
_TEXT = st.text(alphabet="汉阳区数据中心决算项目完成情况（）%123abc", min_size=1, max_size=12)
_CENTS = st.integers(0, 10**9)


def _y(n: int) -> Decimal:
    return (Decimal(n) / 100).quantize(Decimal("0.01"))


@st.composite
def _indicators(draw) -> list[dict]:
    return [{"level1": draw(_TEXT), "level2": draw(_TEXT), "level3": draw(_TEXT),
             "target": draw(_TEXT), "actual": draw(st.one_of(st.none(), _TEXT))}
            for _ in range(draw(st.integers(0, 3)))]


@st.composite
def disclosures(draw) -> Disclosure:
    codes = sorted(draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True)))
    income, exp, general, gov, state, items = [], [], [], [], [], []
    gb_total = gov_open = gov_close = 0
    net = 0
    for code in codes:
        name = _CAT.function_name(code)
        gb, gp, biz, sup, oth = (draw(_CENTS) for _ in range(5))
        nb = draw(st.integers(0, biz + sup + oth))
        gin = draw(st.one_of(st.just(0), _CENTS))
        gopen = draw(st.one_of(st.just(0), _CENTS))
        gsp = draw(st.integers(0, gin + gopen))
        sc = draw(st.one_of(st.just(0), st.just(0), _CENTS))
        if not (gb or gp or biz or gin or sc):
            gb = 100
        inc = {"code": code, "name": name}
        for k, v in (("general", gb + gp), ("business", biz), ("superior", sup), ("other", oth),
                     ("gov_fund", gin), ("state_capital", sc)):
            if v:
                inc[k] = _y(v)
        if len(inc) > 2:
            income.append(inc)
        e = {"code": code, "name": name}
        if gb + nb + gsp + sc:
            e["basic"] = _y(gb + nb + gsp + sc)
        if gp:
            e["project"] = _y(gp)
        if len(e) > 2:                       # all-zero lines are not part of the canonical form
            exp.append(e)
        if gb or gp:
            general.append({"code": code, "name": name, "fund": "general", "basic": _y(gb), "project": _y(gp)})
        if gsp:
            gov.append({"code": code, "name": name, "fund": "gov_fund", "basic": _y(gsp)})
        if sc:
            state.append({"code": code, "name": name, "fund": "state_capital", "basic": _y(sc)})
        if gopen or gin - gsp:
            items.append({"code": code, "name": name, "fund": "gov_fund", "opening": _y(gopen),
                          "closing": _y(gopen + gin - gsp)})
        gb_total += gb
        gov_open += gopen
        gov_close += gopen + gin - gsp
        net += (biz + sup + oth - nb) + (gin - gsp)
    opening = draw(_CENTS) + gov_open
    a = draw(st.integers(0, gb_total))
    econ = {k: _y(v) for k, v in (("30101", a), ("30201", gb_total - a)) if v}
    amounts = lambda: {k: _y(draw(st.integers(0, 10**7)))  # noqa: E731
                       for k in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")}
    tp = {"budget": amounts(), "final": amounts(),
          "counts": {"abroad_groups": draw(st.integers(0, 9)), "vehicles_held": draw(st.integers(0, 9))},
          "reasons": {"total": draw(_TEXT)}}
    if draw(st.booleans()):
        tp["prior_final"] = amounts()
    projects = [{"name": f"项目{i}{draw(_TEXT)}", "budget": _y(draw(_CENTS)), "actual": _y(draw(_CENTS)),
                 "summary": draw(_TEXT), "indicators": draw(_indicators())}
                for i in range(draw(st.integers(0, 2)))]
    data = {
        "year": 2023,
        "entity": {"name": "武汉市某某区某某中心", "level": draw(st.sampled_from(["区", "市", "县"])),
                   "unit_type": draw(st.sampled_from(["行政单位", "事业单位"])),
                   "duties": draw(st.lists(_TEXT, max_size=3)), "phone": "027-12345678"},
        "income": income, "expenditure": exp, "appropriations": general + gov + state,
        "balances": {"opening": _y(opening), "closing": _y(opening + net)},
        "basic_by_economic": econ, "three_public": tp,
        "prior_year": {"total": _y(draw(_CENTS))},
        "initial_budget": {"items": [{"code": g["code"], "amount": _y(draw(_CENTS)), "reason": draw(_TEXT)}
                                     for g in general]},
        "key_work": [{"title": draw(_TEXT), "text": draw(_TEXT)}],
        "reasons": {"total_change": draw(_TEXT), "class_usage": {codes[0][:3]: draw(_TEXT)}},
        "procurement": {"services": _y(draw(_CENTS))},
        "assets": {"vehicles": 2, "vehicle_detail": {"一般公务用车": 2}},
    }
    if projects:       # no projects and no overall: 绩效 not given (its sheets blank), not an empty part
        data["performance"] = {"projects": projects}
        data["highlights"] = [{"project": projects[0]["name"], "outcome": draw(_TEXT)}]
    if draw(st.booleans()):
        data["operating_funds"] = {"amount": _y(draw(_CENTS)), "reason": draw(_TEXT)}
        data.setdefault("performance", {})["overall"] = {"goals": [draw(_TEXT)], "indicators": draw(_indicators()),
                                          "grade": "优秀", "score": Decimal("92.5")}
    if items:
        data["fund_items"] = items
        data["fund_balances"] = {"gov_fund": {"opening": _y(gov_open), "closing": _y(gov_close)}}
    return Disclosure.model_validate(data)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(d=disclosures(), unit=st.sampled_from(["元", "万元"]))
def test_property_template_round_trip(tmp_path, d, unit):
    p = write_template(tmp_path / "p.xlsx", d, unit=unit)
    model, _ = read_workbook(p)
    assert model == d, _diff(model, d)
    assert build_tables(model).facts_csv() == build_tables(d).facts_csv()


def _diff(a: Disclosure, b: Disclosure) -> str:
    return "\n".join(f"{k}: {getattr(a, k)!r} != {getattr(b, k)!r}" for k in Disclosure.model_fields
                     if getattr(a, k) != getattr(b, k))


def test_finance_officer_fills_the_blank_template(tmp_path, example):
    """Only what a person types: 单位概况, the 项 rows of T2/T3/T5 (drop-down style codes), T6 amounts."""
    p = write_template(tmp_path / "blank.xlsx", lookups=False)
    wb = openpyxl.load_workbook(p)
    ws = wb["单位概况"]
    values = {"单位全称": example.entity.name, "政府层级": "区", "单位性质": "事业单位"}
    for row in ws.iter_rows(min_col=1, max_col=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]

    def first_blank(ws) -> int:
        r = next(c.row for c in ws["B"] if c.value == "合计") + 1
        while ws.cell(r, 1).value:
            r += 1
        return r

    for sheet, lines, cols in (
            ("收入决算表", example.income, {4: "general"}),
            ("支出决算表", example.expenditure, {4: "basic", 5: "project"}),
            ("一般公共预算财政拨款支出决算表", example.appropriations, {4: "basic", 5: "project"})):
        ws = wb[sheet]
        r = first_blank(ws)
        for ln in lines:
            ws.cell(r, 1).value = f"{ln.code} {ln.name}"       # as picked from the drop-down
            for c, f in cols.items():
                v = getattr(ln, f)
                if v:
                    ws.cell(r, c).value = float(v)
            r += 1
    ws = wb["一般公共预算财政拨款基本支出决算明细表"]
    for row in ws.iter_rows(min_col=1, max_col=3):
        code = str(row[0].value or "")
        if code in example.basic_by_economic:
            row[2].value = float(example.basic_by_economic[code])
    wb.save(tmp_path / "filled.xlsx")
    model, _ = load(tmp_path / "filled.xlsx")
    assert build_tables(model).facts_csv() == build_tables(example).facts_csv()
