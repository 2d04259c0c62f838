"""A 部门预算公开 built from data (issue 18): read, built, rendered, read back, checked.

The example ``examples/hanyang-bdc-budget-2023`` (the unit of the 决算 example, its 2023 budget: the
一般公共预算 项 equal the 决算's 年初预算, its 三公 the 决算's 三公 预算数) is built into HTML, DOCX, PDF
and XLSX; each is read back (``pipeline.parse``; the XLSX by its cells) and every figure of every
built table must come back equal, cell by cell, and ``check`` must find no error. Read back as data
(``parse --format data``) it rebuilds the same tables. Random budgets hold every displayed identity.
"""

from __future__ import annotations

import json
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, ROOT

from juesuan.budget.build import PENDING_PROJECTS, PENDING_THREE_PUBLIC, build_tables
from juesuan.budget.canonical import load, validate
from juesuan.budget.forms import targets
from juesuan.budget.model import Budget
from juesuan.cli import main
from juesuan.data import dump
from juesuan.errors import InputError
from juesuan.pipeline import build, check, data_kind_of, kind_named, parse, published_data, render
from juesuan.renderers._toc import toc_entries

BUDGET = ROOT / "examples" / "hanyang-bdc-budget-2023"
C = Decimal("0.01")


@pytest.fixture(scope="module")
def built():
    return build(BUDGET)


@pytest.fixture(scope="module")
def rendered(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("budget")
    results = render(built.document, ["html", "docx", "pdf", "xlsx"], out)
    assert all(err is None for _, _, err in results), results
    return {fmt: path for fmt, path, _ in results}


def _data(**changes) -> dict:
    data = yaml.safe_load((BUDGET / "budget.yaml").read_text(encoding="utf-8"))
    for k, v in changes.items():
        if v is None:
            data.pop(k, None)
        else:
            data[k] = v
    return data


def _write(tmp_path: Path, data: dict, name: str = "budget.yaml") -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


# --- the model and its data ------------------------------------------------------------------------

def test_the_example_pairs_with_the_final_example():
    """Its 一般公共预算 项 are the 决算 example's 年初预算, its 三公 the 决算's 三公 预算数."""
    b, diags = load(BUDGET)
    final, _ = kind_named("final").load(EXAMPLE)
    assert diags == [] and b.entity.name == final.entity.name and b.year == final.year
    initial = {i.code: i.amount for i in final.initial_budget.items if i.amount}
    assert {x.code: x.total for x in b.expenditure if x.fund == "general"} == initial
    assert b.three_public.budget.total == final.three_public.budget.total == 0


def test_the_kind_is_known_from_the_data_and_final_data_stay_final(tmp_path):
    assert data_kind_of(BUDGET).name == "budget" and data_kind_of(BUDGET / "budget.yaml").name == "budget"
    assert data_kind_of(EXAMPLE).name == "final"
    as_json = tmp_path / "b.json"
    as_json.write_text(dump(load(BUDGET)[0], "json"), encoding="utf-8")
    assert data_kind_of(as_json).name == "budget"
    one_line = tmp_path / "one.json"
    one_line.write_text(json.dumps(json.loads(dump(load(BUDGET)[0], "json")), ensure_ascii=False), encoding="utf-8")
    assert data_kind_of(one_line).name == "budget"
    final_json = tmp_path / "final.json"       # a 决算's projects have a "kind" too (常年性项目): still a 决算
    final = yaml.safe_load((EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8"))
    final_json.write_text(json.dumps(final, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    assert '\n    "kind": "常年性项目"' in final_json.read_text(encoding="utf-8")
    assert data_kind_of(final_json).name == "final"
    assert build(as_json).kind.name == "budget" and build(EXAMPLE).kind.name == "final"


def test_the_final_reader_names_a_budget_it_is_given():
    with pytest.raises(InputError, match="kind: budget 的数据（部门预算等），不是部门决算的数据") as e:
        kind_named("final").load(BUDGET / "budget.yaml")
    assert e.value.diagnostics[0].line == 6


def test_dump_reads_back_equal_and_the_schema_holds_it(capsys):
    import jsonschema
    b, _ = load(BUDGET)
    text = dump(b, "yaml")
    assert Budget.model_validate(yaml.safe_load(text)) == b
    assert main(["schema", "--kind", "budget"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.validate(json.loads(dump(b, "json")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**json.loads(dump(b, "json")), "kind": "final"}, schema)


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["expenditure"].append({"code": "2010398", "fund": "general"}),
     ("未知的支出功能分类科目编码 2010398", "expenditure[8].code")),
    (lambda d: d["income"].update(general=13651900), ("收支总表不能平衡", " income: 错误")),
    (lambda d: d["basic_by_economic"].update({"30101": 540100}),
     ("按经济分类的一般公共预算基本支出合计", "basic_by_economic")),
    (lambda d: d["projects"].append(dict(d["projects"][0])), ("项目名称“OA系统运行维护费”重复",)),
    (lambda d: d["expenditure"][0].update(fund="budget"), ("expenditure[0].fund", "取值不在允许范围内")),
    (lambda d: d["expenditure"][0].update(basic=-5), ("expenditure[0].basic", "不能为负数（填写的是 -5）")),
])
def test_bad_data_is_refused_in_chinese_with_line_and_field(tmp_path, capsys, change, words):
    data = _data()
    change(data)
    p = _write(tmp_path, data)
    assert main(["build", str(p), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "budget.yaml:" in err and "Traceback" not in err
    for w in words:
        assert w in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(("year", "severity"), [(2023, "error"), (2025, "warning")])
def test_the_codes_are_checked_as_a_final_s_are(year, severity):
    """One catalogue check serves both kinds (juesuan.data.CodeCheck): the same unknown 功能分类 and
    经济分类 codes and the same misnamed 科目 give the same diagnostics; in a year without its own
    catalogue (2025) an unknown code is only a warning, after the warning that says so (L100)."""
    from juesuan.final.canonical import validate as validate_final
    from juesuan.final.model import Disclosure

    def codes(data: dict, line: dict) -> dict:
        data["year"] = year
        data["expenditure"][0]["name"] = "别的名称"
        data["expenditure"].append(line)
        data["basic_by_economic"]["39998"] = 0
        return data

    final = yaml.safe_load((EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8"))
    got = {kind: [(d.severity, d.code, d.message, d.path) for d in diags if d.code in ("L100", "L101", "L102", "L103")]
           for kind, diags in (
               ("budget", validate(Budget.model_validate(codes(_data(), {"code": "2010398", "fund": "general"})))),
               ("final", validate_final(Disclosure.model_validate(codes(final, {"code": "2010398", "name": "x"})))))}
    assert [d[:3] for d in got["budget"]] == [d[:3] for d in got["final"]]
    n = len(_data()["expenditure"])
    assert [(d[0], d[1], d[3]) for d in got["budget"]] == [("warning", "L100", "year")] * (year == 2025) + [
        ("warning", "L102", "expenditure[0].name"), (severity, "L101", f"expenditure[{n}].code"),
        (severity, "L103", "basic_by_economic.39998")]
    assert "未知的部门预算支出经济分类科目编码 39998" in got["budget"][-1][2]


def test_a_line_of_the_file_is_named(tmp_path):
    p = _write(tmp_path, _data(year="二〇二三"))
    with pytest.raises(InputError) as e:
        load(p)
    d = e.value.diagnostics[0]
    assert d.path == "year" and d.line == 2 and "应为整数" in d.message


def test_what_the_budget_does_not_build_is_refused_in_chinese(tmp_path):
    b, _ = load(BUDGET)
    with pytest.raises(InputError, match="只能按全国通用表式"):
        build_tables(b, "beijing")
    with pytest.raises(InputError, match="x.xlsx"):   # not a workbook (tests/test_budget_template.py reads real ones)
        load(tmp_path / "x.xlsx") if (tmp_path / "x.xlsx").write_bytes(b"PK") else None


# --- the tables ------------------------------------------------------------------------------------

def _sums_hold(ts) -> list[str]:
    """Every displayed identity of the built tables, as displayed (empty when all hold)."""
    bad = []

    def eq(a, b, what):
        if a != b:
            bad.append(f"{what}: {a} != {b}")

    for tid in ("Y3", "Y5", "Y8", "Y9"):
        t = ts[tid]
        cols = [c.header for c in t.layout.columns]
        for r in t.rows:
            eq(r.cells[cols[0]], r.cells[cols[1]] + r.cells[cols[2]], f"{tid} {r.label} 合计 = 基本 + 项目")
            kids = [k for k in t.rows if k.level == r.level + 1 and k.code.startswith(r.code)]
            if kids:
                for c in cols:
                    eq(r.cells[c], sum((k.cells[c] for k in kids), Decimal(0)), f"{tid} {r.label} {c} = Σ下级")
    for tid, grand, parts in (("Y1", "grand_total:income", ("income:total", "balance:opening")),
                              ("Y4", "fiscal_grand_total:income", ("fiscal_income:total", "fiscal_opening:total"))):
        t = ts[tid]
        v = {(r.side, r.key): r.cells["预算数"] for r in t.rows}
        eq(v["收入", grand], sum(v.get(("收入", k), Decimal(0)) for k in parts)
           + v.get(("收入", "balance:use_of_nonfiscal_balance"), Decimal(0)), f"{tid} 收入总计")
        exp = [r for r in t.rows if r.side == "支出" and r.code]
        total = next(r for r in t.rows if r.side == "支出" and r.key.endswith("expenditure:total"))
        eq(total.cells["预算数"], sum((r.cells["预算数"] for r in exp), Decimal(0)), f"{tid} 本年支出合计 = Σ类")
        grand_out = next(r for r in t.rows if r.side == "支出" and "grand_total" in r.key)
        eq(v["收入", grand], grand_out.cells["预算数"], f"{tid} 收入总计 = 支出总计")
    y6 = ts["Y6"]
    for r in y6.rows:
        eq(r.cells["合计"], r.cells["人员经费"] + r.cells["公用经费"], f"Y6 {r.label}")
        kids = [k for k in y6.rows if (r.level == 0 and k.level == 1) or (r.level == 1 and k.level == 2
                                                                          and k.code.startswith(r.code))]
        if kids:
            eq(r.cells["合计"], sum((k.cells["合计"] for k in kids), Decimal(0)), f"Y6 {r.label} = Σ下级")
    eq(y6.value("合计", "合计"), ts["Y5"].value("合计", "基本支出"), "Y6 合计 = Y5 基本支出")
    y10 = ts["Y10"]
    for c in (c.header for c in y10.layout.columns):
        eq(y10.value("合计", c), sum((r.cells[c] for r in y10.rows if r.level == 1), Decimal(0)), f"Y10 {c}")
    for r in y10.rows:
        eq(r.cells["合计"], sum((v for h, v in r.cells.items() if h != "合计"), Decimal(0)), f"Y10 {r.label}")
    # one quantity, one figure: the 类 of the 收支总表 and the 支出总表, the 收入总表 and the 收支总表
    for r in ts["Y1"].rows:
        if r.code:
            eq(r.cells["预算数"], ts["Y3"].value(r.code, "合计"), f"Y1/Y3 {r.label}")
    eq(ts["Y2"].value("合计", "合计"), ts["Y1"].row("grand_total:income", side="收入").cells["预算数"], "Y2/Y1")
    return bad


def test_the_example_tables_add_up_as_displayed(built):
    ts = built.tables
    assert [t.id for t in ts] == ["Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Y8", "Y9", "Y10"]
    assert _sums_hold(ts) == [] and ts.rounding.violations == []
    assert ts["Y3"].value("合计", "合计") == Decimal("1365.18")
    assert ts["Y10"].value("合计", "合计") == ts["Y5"].value("合计", "项目支出") == Decimal("1073.79")
    assert ts["Y7"].empty and ts["Y8"].empty and [r.label for r in ts["Y8"].rows] == ["合计"]
    assert check(built.document, kind=built.kind) == []      # the budget's own rules (YS1xx) agree


def _random_budget(seed: int) -> Budget:
    rnd = random.Random(seed)
    from juesuan.catalog import catalog
    cat = catalog(2024)
    items = sorted(c for c in cat.function if len(c) == 7)
    econ = sorted(c for c in cat.economic if len(c) == 5 and c[:3] in ("301", "302", "303"))
    funds = ("general", "general", "general", "gov_fund", "special_account", "unit")

    def money():
        return Decimal(rnd.randint(1, 5_000_000_00)) / 100

    lines, seen = [], set()
    for code in rnd.sample(items, rnd.randint(3, 14)):
        fund = rnd.choice(funds)
        if (code, fund) in seen:
            continue
        seen.add((code, fund))
        lines.append({"code": code, "fund": fund, "basic": money() if rnd.random() < .6 else 0,
                      "project": money() if rnd.random() < .6 else 0})
    spent = {f: sum((x["basic"] + x["project"] for x in lines if x["fund"] == f), Decimal(0)) for f in set(funds)}
    opening = {"general": money() if rnd.random() < .3 else Decimal(0)}
    closing = {"general": opening["general"] / 2 if rnd.random() < .5 else Decimal(0)}
    closing["general"] = closing["general"].quantize(C)
    income = {"general": spent["general"] + closing["general"] - opening["general"], "gov_fund": spent["gov_fund"],
              "special_account": spent["special_account"]}
    unit = spent["unit"]
    share = (unit * Decimal(rnd.random())).quantize(C)
    income.update(business=share, other=unit - share)
    if income["general"] < 0:
        opening["general"], income["general"] = opening["general"] + income["general"], Decimal(0)
    basic = sum((x["basic"] for x in lines if x["fund"] == "general"), Decimal(0))
    codes = rnd.sample(econ, 6)
    cuts = sorted(Decimal(rnd.randint(0, int(basic * 100))) / 100 for _ in codes[1:])
    parts = [b - a for a, b in zip([Decimal(0), *cuts], [*cuts, basic])]
    projects, left = [], {f: sum((x["project"] for x in lines if x["fund"] == f), Decimal(0)) for f in set(funds)}
    for i in range(rnd.randint(1, 5)):
        money_i = {f: (v / 2).quantize(C) if i < 4 else v for f, v in left.items() if v}
        left = {f: v - money_i.get(f, 0) for f, v in left.items()}
        projects.append({"name": f"项目{i + 1}", "money": money_i})
    if any(left.values()):
        projects.append({"name": "其他项目", "money": {f: v for f, v in left.items() if v}})
    tp = {k: (money() / 100).quantize(C) for k in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")}
    data = {"kind": "budget", "year": 2024, "entity": {"name": "某某市某某局", "level": "市", "unit_type": "行政单位"},
            "income": income, "balances": {"opening": opening, "closing": closing}, "expenditure": lines,
            "basic_by_economic": dict(zip(codes, parts)), "three_public": {"budget": tp}, "projects": projects,
            "operating_funds": {"amount": money()}}
    b = Budget.model_validate(data)
    assert [d.message for d in validate(b) if d.severity == "error"] == []
    return b


@pytest.mark.parametrize("seed", range(5))
def test_random_budgets_show_components_that_add_up(seed):
    """Controlled rounding of random budgets (cents, several funds, 结转): every displayed identity
    holds exactly, every figure within 0.01 万元 of its exact value."""
    b = _random_budget(seed)
    ts = build_tables(b)
    assert ts.rounding.violations == []
    assert _sums_hold(ts) == []
    for t in ts:
        for r in t.rows:
            for col, v in r.cells.items():
                if col in r.exact:
                    assert abs(v - r.exact[col]) < C, (t.id, r.label, col)


# --- the document ------------------------------------------------------------------------------------

def test_the_document_has_its_parts_and_says_no_only_of_zeros(built):
    doc = built.document
    assert doc.title == "2023年度武汉市汉阳区大数据中心部门预算公开"
    assert [p.key for p in doc.parts] == ["profile", "tables", "narrative", "glossary"]
    titles = [s.title for s in doc.part("narrative").sections]
    assert titles[0] == "收支预算总体情况" and titles[-1] == "预算绩效目标设置情况" and len(titles) == 13
    text = "\n".join(s.text for s in doc.sections())
    assert "2023年收支总预算1365.18万元。与2022年预算相比，收支总预算减少84.82万元，下降5.85%" in text
    assert "没有财政拨款“三公”经费预算。与2022年预算持平" in text     # given as 0, last year's too
    assert "实行绩效目标管理的项目6个，涉及项目预算810.29万元" in text
    assert len(targets(doc)) == 6 and doc.placeholders == ["【待填写：公开日期】"]
    toc = [e.title for e in toc_entries(doc)]          # the 目录 names each 绩效目标表 after the tables
    at = toc.index("十、项目支出表")
    assert toc[at + 1:at + 7] == [f.heading(doc) for f in targets(doc)]
    assert toc[at + 1] == "OA系统运行维护费项目支出绩效目标表"


def test_what_the_data_leave_out_is_to_be_filled_never_none(tmp_path, capsys):
    data = _data(three_public=None, procurement=None, projects=None, prior_year=None, assets=None)
    p = _write(tmp_path, data)
    b = build(p)
    text = "\n".join(s.text for s in b.document.sections())
    assert "没有财政拨款“三公”经费" not in text and "没有政府采购" not in text and "无车辆" not in text
    assert PENDING_THREE_PUBLIC in b.document.placeholders and PENDING_PROJECTS in b.document.placeholders
    assert b.tables["Y7"].pending and not b.tables["Y7"].empty and all(
        v is None for v in b.tables["Y7"].rows[0].cells.values())
    assert b.tables["Y10"].value("合计", "合计") == Decimal("1073.79")      # the 合计 the lines give
    for words in ("【待填写：2022年收支总预算（比上年增减）】", "【待填写：政府采购预算总额",
                  "【待填写：实行绩效目标管理"):
        assert words in text
    assert main(["build", str(p), "-o", str(tmp_path / "x.html"), "--strict"]) == 1
    assert "--strict：文中仍有" in capsys.readouterr().err


# --- round trip --------------------------------------------------------------------------------------

def _same(built_table, got) -> list:
    """Cells of ``built_table`` that ``got`` (read back) does not show alike; a row of blanks may be
    absent (nothing printed on it is read)."""
    bad = []
    for r in built_table.rows:
        if built_table.layout.kind == "two_sided":
            g = got.row(r.key, side=r.side)
        else:
            g = got.row(code=r.code) if r.code else got.row(r.key)
        if g is None:
            if any(r.cells.values()):
                bad.append(("row", r.label))
            continue
        bad += [(r.label, c, v, g.cells.get(c)) for c, v in r.cells.items() if (v or 0) != (g.cells.get(c) or 0)]
    return bad


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_each_format_reads_back_as_the_budget_built(built, rendered, fmt):
    p = parse(rendered[fmt])
    assert p.kind == "budget" and p.variant == "national"
    got = p.document.tables
    for t in built.tables:
        assert t.id in got.tables, t.id
        assert _same(t, got[t.id]) == [], t.id
        assert len([r for r in got[t.id].rows if any(r.cells.values())]) == \
            len([r for r in t.rows if any(r.cells.values())]), t.id
    forms, want = targets(p.document), targets(built.document)
    assert [(f.project, f.goal, [(i.level1, i.level2, i.name, i.value, i.unit) for i in f.indicators]) for f in forms] \
        == [(f.project, f.goal, [(i.level1, i.level2, i.name, i.value, i.unit) for i in f.indicators]) for f in want]
    assert [dict(f.amounts) for f in forms] == [{k: v for k, v in f.amounts if v} for f in want]
    findings = check(p.document, kind=kind_named("budget"))
    assert [f for f in findings if f.severity == "error"] == []


def test_the_xlsx_holds_every_figure_of_the_tables(built, rendered):
    from openpyxl import load_workbook

    from juesuan.renderers._grid import table_grid
    from juesuan.renderers.xlsx import FIRST_GRID_ROW
    wb = load_workbook(rendered["xlsx"])
    sheets = {ws.title: ws for ws in wb.worksheets}
    assert "绩效自评表" not in sheets and sum(t.startswith("绩效目标") for t in sheets) == 6
    for t in built.tables:
        ws = sheets[t.title[:31]]
        g = table_grid(t)
        for c in g.cells:
            if c.kind == "num":
                v = ws.cell(row=FIRST_GRID_ROW + c.row, column=c.col + 1).value
                assert Decimal(str(v or 0)) == (c.value or 0), (t.id, c.row, c.col)


def test_read_back_as_data_it_rebuilds_the_same_tables(built, rendered, tmp_path, capsys):
    parsed, data, diags = published_data(rendered["html"])
    assert data["kind"] == "budget" and [d for d in diags if d.severity == "error"] == []
    again = Budget.model_validate(data)
    assert [d for d in validate(again) if d.severity != "info"] == []
    assert build_tables(again).facts() == built.tables.facts()
    assert again.projects[0].target == built.model.projects[0].target
    assert again.prior_year.total == built.model.prior_year.total
    assert again.reasons.usage == built.model.reasons.usage
    # the command line: parse --format data, then build what it wrote
    y = tmp_path / "back.yaml"
    assert main(["parse", str(rendered["pdf"]), "--format", "data", "-o", str(y)]) == 0
    assert "部门预算规范数据" in y.read_text(encoding="utf-8").splitlines()[0]
    assert main(["build", str(y), "-o", str(tmp_path / "again.html")]) == 0
    assert re.search(r"审核：0 个错误", capsys.readouterr().out)


def test_the_cli_builds_the_example_directory(tmp_path, capsys):
    assert main(["build", str(BUDGET), "-o", str(tmp_path), "--format", "html,txt"]) == 0
    out = capsys.readouterr().out
    assert "2023年度武汉市汉阳区大数据中心部门预算公开.txt" in out and "审核：0 个错误，0 个警告" in out
    assert main(["check", str(BUDGET)]) == 0


def test_the_example_pairs_with_the_final_example_in_the_cross_check(capsys):
    """``check 决算 --budget 预算`` of the two examples: no cross error; the three projects the 决算
    added during the year (not in the budget's 项目支出表) are named, nothing else."""
    assert main(["check", str(EXAMPLE), "--budget", str(BUDGET)]) == 0
    out = capsys.readouterr().out
    cross = re.findall(r"^\s+(YJ\d+) .*$", out, re.M)
    assert cross == ["YJ104"] * 3, out
    for name in ("驻村工作经费", "文明创建、党建、综治、档案、老干工作经费", "行政事业单位缴纳残保金"):
        assert f"“{name}”在预算的项目支出表中找不到" in out


def test_a_built_budget_with_no_three_public_pairs_as_zeros(rendered, tmp_path, capsys):
    """The built PDF's 三公 table prints no figures and says 本部门没有…故本表无数据: read as zeros by the
    cross check — agreeing with the 决算's 三公 预算数 of 0, disagreeing with one that is not."""
    pdf = str(rendered["pdf"])
    assert main(["check", str(EXAMPLE), "--budget", pdf]) == 0
    out = capsys.readouterr().out
    assert "YJ103" not in out and re.findall(r"^\s+(YJ\d+) ", out, re.M) == ["YJ104"] * 3
    final = yaml.safe_load((EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8"))
    final["three_public"]["budget"]["abroad"] = 50000
    final["three_public"]["final"]["abroad"] = 50000
    p = tmp_path / "disclosure.yaml"
    p.write_text(yaml.safe_dump(final, allow_unicode=True, sort_keys=False), encoding="utf-8")
    main(["check", str(p), "--budget", pdf])
    out = capsys.readouterr().out
    assert re.search(r"YJ103 .*因公出国", out), out
