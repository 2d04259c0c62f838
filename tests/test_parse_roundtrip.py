"""Round trip (issue 5, item 5): what ``build`` renders parses back to the same figures.

The example is built once in HTML, DOCX, PDF and plain text; each file goes through
``juesuan.pipeline.parse`` and must give exactly the built ``TableSet.facts()``
(every cell of the nine tables, as displayed) and the same 项目绩效自评表 figures.
A hypothesis property does the same on random disclosures — random yuan amounts
over real 项 codes, empty 政府性基金 / 国有资本经营 / 三公 tables, up to 20
projects — in HTML and text (PDF and DOCX are built once above: they are slow).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juesuan import build_tables  # noqa: E402
from juesuan.final.model import Disclosure  # noqa: E402
from juesuan.final.narrative import build_document  # noqa: E402
from juesuan.pipeline import parse  # noqa: E402


def parse_file(path):
    return parse(path).document
from juesuan.final.forms import overall, projects
from juesuan.renderers import render  # noqa: E402

FORMATS = ("html", "docx", "pdf", "txt")


def project_figures(doc) -> list[tuple]:
    return [(p.name, p.budget, p.actual, p.rate,
             tuple((i.level3, i.target, i.actual) for i in p.indicators)) for p in projects(doc)]


def overall_figures(doc) -> tuple | None:
    o = overall(doc)
    return None if o is None else (o.basic_total, o.project_total)


def diff(built, parsed) -> str:
    want, got = set(built), set(parsed)
    lines = [f"- {x}" for x in sorted(want - got)[:20]] + [f"+ {x}" for x in sorted(got - want)[:20]]
    return f"{len(want - got)} missing, {len(got - want)} extra\n" + "\n".join(lines)


@pytest.fixture(scope="module")
def built(example_model, example_tables, tmp_path_factory):
    doc = build_document(example_model, example_tables)
    out = tmp_path_factory.mktemp("roundtrip")
    return doc, {fmt: render(doc, fmt, out) for fmt in FORMATS}


@pytest.fixture(scope="module")
def parsed(built):
    return {fmt: parse_file(path) for fmt, path in built[1].items()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_example_facts_round_trip(built, parsed, example_tables, fmt):
    facts = example_tables.facts()
    got = parsed[fmt].tables.facts() if parsed[fmt].tables is not None else []
    assert sorted(got) == sorted(facts), diff(facts, got)


@pytest.mark.parametrize("fmt", FORMATS)
def test_example_project_tables_round_trip(built, parsed, fmt):
    doc = built[0]
    assert project_figures(parsed[fmt]) == project_figures(doc)
    assert overall_figures(parsed[fmt]) == overall_figures(doc)


@pytest.mark.parametrize("fmt", FORMATS)
def test_example_project_amounts_round_trip(built, parsed, fmt):
    """预算数 / 执行数 / 执行率 of every project and the 整体绩效 totals (the money)."""
    doc = built[0]
    assert [p[:4] for p in project_figures(parsed[fmt])] == [p[:4] for p in project_figures(doc)]
    assert overall_figures(parsed[fmt]) == overall_figures(doc)


@pytest.mark.parametrize("fmt", FORMATS)
def test_example_places_point_into_the_file(built, parsed, fmt):
    t1 = parsed[fmt].tables["T1"]
    row = t1.row("income:general")
    assert row is not None and row.source, "T1 一般公共预算财政拨款收入 has no place"
    if fmt == "pdf":
        assert row.source.get("page") and row.source.get("bbox")


def test_example_pdf_read_by_our_reader(built):
    from juesuan.parse.pdf import read_pdf

    src = read_pdf(built[1]["pdf"])
    rows = [ln.cells for ln in src.lines if ln.grid]
    assert ["201", "03", "50", "事业运行", "247.04", "247.04", "", "", "", "", ""] in rows
    assert not src.notes


# --- property: random disclosures ----------------------------------------------------------------

ITEMS = ["2010101", "2010350", "2010399", "2050201", "2080505", "2080506", "2101101",
         "2101102", "2101103", "2130599", "2120101", "2210201", "2210202", "2210203"]
ECON = ["30101", "30102", "30107", "30108", "30113", "30201", "30211", "30226", "30305", "31002"]
WORDS = ["政务", "网络", "运维", "平台", "数据", "治理", "安全", "热线", "档案", "培训", "乡村振兴", "信息化"]

cents = st.integers(min_value=0, max_value=3_000_000_00).map(lambda c: Decimal(c) / 100)
maybe = st.one_of(st.just(Decimal(0)), cents)


@st.composite
def disclosures(draw):
    codes = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=8, unique=True))
    with_fund = draw(st.booleans())
    income, expenditure, approp = [], [], []
    general_basic = general_project = Decimal(0)
    for code in sorted(codes):
        gb, gp = draw(cents), draw(cents)
        fb = draw(maybe) if with_fund else Decimal(0)
        other = draw(maybe)
        expenditure.append({"code": code, "basic": gb, "project": gp + fb, "operating": other})
        approp.append({"code": code, "fund": "general", "basic": gb, "project": gp})
        if fb:
            approp.append({"code": code, "fund": "gov_fund", "project": fb})
        income.append({"code": code, "general": gb + gp, "gov_fund": fb, "operating": other})
        general_basic += gb
        general_project += gp
    n = draw(st.integers(min_value=1, max_value=len(ECON)))
    cuts = sorted(draw(st.lists(st.integers(0, int(general_basic * 100)), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, int(general_basic * 100)]
    econ = {ECON[i]: Decimal(bounds[i + 1] - bounds[i]) / 100 for i in range(n)}
    three = draw(st.booleans())
    tp = {k: (draw(maybe) if three else Decimal(0))
          for k in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")}
    n_projects = draw(st.integers(min_value=0, max_value=20))
    projects = []
    for i in range(n_projects):
        budget = Decimal(draw(st.integers(min_value=1, max_value=500_000_00))) / 100
        actual = Decimal(draw(st.integers(min_value=0, max_value=500_000_00))) / 100
        name = draw(st.sampled_from(WORDS)) + draw(st.sampled_from(WORDS)) + f"项目{i + 1}"
        projects.append({"name": name, "budget": budget, "actual": actual,
                         "indicators": [{"level1": "产出指标", "level2": "数量指标",
                                         "level3": f"完成数量{i + 1}", "target": "10个",
                                         "actual": f"{i % 10 + 1}个"}]})
    return Disclosure.model_validate({
        "year": 2023,
        "entity": {"name": "武汉市汉阳区测试中心", "level": "区", "unit_type": "事业单位"},
        "income": income, "expenditure": expenditure, "appropriations": approp,
        "basic_by_economic": econ,
        "three_public": {"budget": tp, "final": tp},
        "performance": {"projects": projects},
    })


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(d=disclosures())
def test_random_disclosures_round_trip(d, tmp_path_factory):
    tables = build_tables(d)
    doc = build_document(d, tables)
    out = tmp_path_factory.mktemp("prop")
    facts = tables.facts()
    for fmt in ("html", "txt"):
        back = parse_file(render(doc, fmt, out))
        got = back.tables.facts() if back.tables is not None else []
        assert sorted(got) == sorted(facts), f"{fmt}: " + diff(facts, got)
        assert project_figures(back) == project_figures(doc), fmt


def _many_projects() -> Disclosure:
    """A fixed disclosure: 20 projects, 政府性基金 and 三公 money, empty 国有资本经营 table."""
    projects = [{"name": f"{WORDS[i % len(WORDS)]}{WORDS[(i * 5 + 3) % len(WORDS)]}项目{i + 1}",
                 "budget": Decimal(1000 + 137 * i) + Decimal("0.25"),
                 "actual": Decimal(900 + 131 * i) + Decimal("0.75"),
                 "indicators": [{"level1": "产出指标", "level2": "数量指标", "level3": f"完成数量{i + 1}",
                                 "target": "10个", "actual": f"{i % 10 + 1}个"}]}
                for i in range(20)]
    codes = ["2010101", "2010350", "2080505", "2101101", "2120101", "2210201"]
    income, expenditure, approp = [], [], []
    for k, code in enumerate(codes):
        gb, gp = Decimal(123456 + 7891 * k) + Decimal("0.37"), Decimal(98765 * k) + Decimal("0.05")
        fb = Decimal(55555) + Decimal("0.55") if code == "2120101" else Decimal(0)
        expenditure.append({"code": code, "basic": gb, "project": gp + fb})
        approp.append({"code": code, "fund": "general", "basic": gb, "project": gp})
        if fb:
            approp.append({"code": code, "fund": "gov_fund", "project": fb})
        income.append({"code": code, "general": gb + gp, "gov_fund": fb})
    basic = sum(Decimal(123456 + 7891 * k) + Decimal("0.37") for k in range(len(codes)))
    econ = {"30101": basic - Decimal("34567.89"), "30201": Decimal("30000.00"), "30217": Decimal("4567.89")}
    tp = {"abroad": Decimal(0), "vehicle_purchase": Decimal(0), "vehicle_operation": Decimal("12000.40"),
          "reception": Decimal("4567.89")}
    return Disclosure.model_validate({
        "year": 2024, "entity": {"name": "武汉市汉阳区测试中心", "level": "区", "unit_type": "事业单位"},
        "income": income, "expenditure": expenditure, "appropriations": approp,
        "basic_by_economic": econ, "three_public": {"budget": tp, "final": tp},
        "performance": {"projects": projects},
    })


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_many_projects_round_trip_docx_pdf(fmt, tmp_path):
    d = _many_projects()
    tables = build_tables(d)
    doc = build_document(d, tables)
    back = parse_file(render(doc, fmt, tmp_path))
    facts = tables.facts()
    got = back.tables.facts() if back.tables is not None else []
    assert sorted(got) == sorted(facts), diff(facts, got)
    assert len(projects(back)) == 20
    assert project_figures(back) == project_figures(doc)
