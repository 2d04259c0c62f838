"""A built budget's 情况说明 and the reader of it (juesuan.budget.narrative writes it,
juesuan.budget.narrative_facts reads it, rules YS301–YS303 check it): one declaration, two uses.

* closure: every figure the example's 情况说明 states (万元 amounts, percentages, counts), changed alone
  in the built text file, makes a YS3xx error at its sentence — the figures that cannot be checked
  against anything are listed in ``EXEMPT`` with why;
* the unchanged example, in every format, and random consistent budgets, built and read back, check
  with no YS error at all;
* the words the builder writes for a quantity are the ones the reader reads as it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT
from test_budget_build import _random_budget

from juesuan.budget.model import Budget
from juesuan.budget.narrative_facts import QUANTITIES, changes, statements, subject_of
from juesuan.document import Document, Paragraph, Part, Section
from juesuan.pipeline import build, check, kind_named, parse, render
from juesuan.rules.context import Context

BUDGET = kind_named("budget")
EXAMPLE = ROOT / "examples" / "hanyang-bdc-budget-2023"
FIGURE = re.compile(r"(\d+(?:\.\d+)?)(万元|%|个|台|辆)")
# figures the 情况说明 states that nothing else in the document states: no rule can find them changed
EXEMPT = {
    r"单价\d+万元$": "a threshold in the 国有资产 statement's words (单价50万元以上设备), not a figure of the budget",
    r"\d+台$": "the number of 单价50万元以上 devices: given only in the data, stated once, in no table",
    r"购置公务用车\d+辆$": "the vehicles to buy: given only in the data, stated once, in no table",
}


def _read(doc: Document) -> list[tuple[str, str]]:
    return [(st.quantity.name, st.value) for st in statements(Context(doc))]


def _txt(doc: Document, out: Path) -> str:
    results = render(doc, ["txt"], out)
    assert all(err is None for _, _, err in results), results
    return results[0][1].read_text(encoding="utf-8")


def _narrative_span(text: str) -> tuple[int, int]:
    """The 情况说明 of a built text file: from the second 第三部分 heading (the first is the 目录's) to the
    second 第四部分."""
    heads = [m.start() for m in re.finditer(r"^第三部分", text, re.M)]
    ends = [m.start() for m in re.finditer(r"^第四部分", text, re.M)]
    return heads[1], ends[1]


def _ys3(text: str, path: Path):
    path.write_text(text, encoding="utf-8")
    return check(parse(path).document, ["YS3"], kind=BUDGET)


def _changed(value: str, unit: str) -> str:
    if unit in ("个", "台", "辆"):
        return str(int(value) + 1)
    places = len(value.split(".")[1]) if "." in value else 0
    step = Decimal(1) if unit == "万元" else Decimal("0.1")          # +1.00 万元, +0.1 个百分点
    return f"{Decimal(value) + step:.{places}f}"


def _closure(text: str, tmp: Path) -> tuple[list[str], int]:
    """Every figure of the 情况说明 changed alone: the ones no YS3xx error names at its sentence."""
    start, end = _narrative_span(text)
    missed, tried = [], 0
    path = tmp / "mutated.txt"
    for m in FIGURE.finditer(text, start, end):
        around = text[max(0, m.start() - 8):m.end()]
        if any(re.search(p, around) for p in EXEMPT):
            continue
        tried += 1
        new = _changed(m.group(1), m.group(2)) + m.group(2)
        mutated = text[:m.start()] + new + text[m.end():]
        errors = [f for f in _ys3(mutated, path) if f.severity == "error"]
        if not any(new in (p.sentence or "") for f in errors for p in f.places):
            line = text[text.rfind("\n", 0, m.start()) + 1:m.end()]
            missed.append(f"{m.group(0)} → {new}: …{line[-40:]} {[(f.rule, f.message) for f in errors]}")
    return missed, tried


def test_every_figure_the_example_states_is_checked(tmp_path):
    doc = build(EXAMPLE).document
    text = _txt(doc, tmp_path)
    assert _ys3(text, tmp_path / "as-built.txt") == []
    # the change whose current figure is in the sentence before ("…收支总预算1365.18万元。与2022年预算相比，
    # 收支总预算减少84.82万元，下降5.85%")
    assert "收支总预算1365.18万元。与2022年预算相比，收支总预算减少84.82万元，下降5.85%" in text
    missed, tried = _closure(text, tmp_path)
    assert tried >= 50 and missed == [], "\n".join(missed)


@pytest.fixture(scope="module")
def rich() -> Budget:
    """A random budget with what the example leaves out: 三公 with last year's, 机关运行经费 with last
    year's, 政府采购 of three kinds, vehicles, last year's totals, 绩效目标 for every project."""
    from juesuan.budget import model as m
    from juesuan.budget.build import build_tables
    b = _random_budget(3)
    ts = build_tables(b)

    def last_year(tid, key, side=None, col="预算数"):      # 8% more than this year's, in yuan: a change the
        v = ts[tid].row(key, side=side).cells[col]           # rate (two decimals) tells apart from ±1.00 万元
        return str((v * Decimal("10800")).quantize(Decimal("0.01")))

    tp = m.ThreePublicAmounts.model_validate({"abroad": "523456.78", "vehicle_purchase": "300000.00",
                                              "vehicle_operation": "187654.32", "reception": "98765.43"})
    prior = m.ThreePublicAmounts.model_validate({"abroad": "623456.78", "vehicle_purchase": "250000.00",
                                                 "vehicle_operation": "207654.32", "reception": "88765.43"})
    target = m.Target.model_validate({"goal": "完成年度任务", "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "level3": "完成率", "operator": "≥", "value": "95", "unit": "%"}]})
    return b.model_copy(update={
        "three_public": b.three_public.model_copy(update={"budget": tp, "prior": prior, "vehicles_to_buy": 1}),
        "operating_funds": b.operating_funds.model_copy(update={"prior": b.operating_funds.amount * Decimal("0.9")}),
        "procurement": m.Procurement.model_validate({"goods": "1234567.89", "works": "0", "services": "7654321.00",
                                                     "sme": "2000000.00"}),
        "assets": m.Assets.model_validate({"vehicles": 5, "vehicle_detail": {"一般公务用车": 2, "执法执勤用车": 3},
                                           "equipment_over_500k": 1, "to_buy": "无"}),
        "prior_year": m.PriorYear.model_validate({
            "total": last_year("Y1", "grand_total:income", "收入"),
            "fiscal_total": last_year("Y4", "fiscal_grand_total:income", "收入"),
            "general": last_year("Y5", "合计", col="合计"), "general_basic": last_year("Y6", "合计", col="合计")}),
        "projects": [p.model_copy(update={"target": target}) for p in b.projects]})


def test_every_figure_a_richer_budget_states_is_checked(rich, tmp_path):
    from juesuan.budget.build import build_tables
    from juesuan.budget.narrative import build_document
    doc = build_document(rich, build_tables(rich))
    text = _txt(doc, tmp_path)
    for said in ("公务用车购置费", "机关运行经费预算", "工程采购预算0.00万元", "共有车辆5辆", "实行绩效目标管理的项目"):
        assert said in text, said
    assert _ys3(text, tmp_path / "as-built.txt") == []
    missed, tried = _closure(text, tmp_path)
    assert tried >= 60 and missed == [], "\n".join(missed)


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_the_example_in_every_format_reads_back_with_no_narrative_finding(tmp_path, fmt):
    doc = build(EXAMPLE).document
    results = render(doc, [fmt], tmp_path)
    assert all(err is None for _, _, err in results), results
    back = parse(results[0][1]).document
    assert _read(back) == _read(doc) and len(_read(doc)) >= 30
    assert check(back, ["YS3"], kind=BUDGET) == []


@pytest.mark.parametrize("seed", range(4))
def test_random_budgets_built_and_read_back_have_no_budget_error(seed, tmp_path):
    from juesuan.budget.build import build_tables
    from juesuan.budget.narrative import build_document
    b = _random_budget(seed)
    doc = build_document(b, build_tables(b))
    errors = [f for f in check(doc, kind=BUDGET) if f.severity == "error"]
    assert errors == [], [(f.rule, f.message) for f in errors]
    back = parse(render(doc, ["txt"], tmp_path)[0][1]).document
    assert _read(back) == _read(doc) and len(_read(doc)) >= 15
    errors = [f for f in check(back, kind=BUDGET) if f.severity == "error"]
    assert errors == [], [(f.rule, f.message) for f in errors]


def test_the_builders_words_are_the_readers():
    """Each quantity a built budget names is read back as that quantity — as a figure ("2024年…12.34万元")
    and as the subject of a change ("与2023年预算相比，…增加1.00万元")."""
    declared = [q for q in QUANTITIES if q.said]
    assert len(declared) >= 25
    for q in declared:
        said = (f"2024年{q.said}12.34万元。与2023年预算相比，{q.said}增加1.00万元，增长8.82%。")
        doc = Document(title="2024年XX部门部门预算", entity="XX部门", year=2024, parts=[
            Part("narrative", "三", "情况说明", sections=[Section("一", "说明", paragraphs=[Paragraph(said)])])])
        ctx = Context(doc)
        assert [st.quantity.name for st in statements(ctx)][:1] == [q.name], q.said
        assert subject_of(q.said) is q, q.said
        assert [(c.current[0], c.diff[0]) for c in changes(ctx)] == [("12.34", "1.00")], q.said
