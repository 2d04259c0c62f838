"""``juesuan compare`` (issue 16 §4): departments across years from the store, and one entity year over year.

Three synthetic departments (bench/synth.py) for 2023, and for 2024 the same data altered in
known ways: A's 公务接待费 (budget and final) up by 50 万元, with last year's 三公 决算 given and a
reason stated for 接待费 only; B's 政府采购 (given both years) up from 100 to 150 万元 with its
中小企业 part unchanged; C's 年初预算 given in 2024 only. Imported with ``juesuan db import``,
compared with ``juesuan compare``: exact figures, blanks where a document gives nothing, the
XLSX's charts and conditional formats, and the year-over-year list of exactly the altered figures.
Runs on SQLite and on PostgreSQL (as tests/test_store.py does).
"""

from __future__ import annotations

import copy
import csv
import io
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from conftest import empty_store

from juesuan import pipeline
from juesuan.cli import invoke

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from synth import _plain, random_disclosure  # noqa: E402

CENT = Decimal("0.01")
WAN = Decimal(10000)


def _data() -> dict[str, tuple[dict, dict]]:
    import random
    rng = random.Random(16)
    out = {}
    for i, key in enumerate("ABC", 1):
        y1 = random_disclosure(rng, i)
        y2 = copy.deepcopy(y1)
        y2["year"] = 2024
        out[key] = (y1, y2)
    a1, a2 = out["A"]
    a2["three_public"]["budget"]["reception"] += 500000
    a2["three_public"]["final"]["reception"] += 500000
    a2["three_public"]["prior_final"] = dict(a1["three_public"]["final"])
    a2["three_public"]["reasons"] = {"reception": "承办全省现场会"}
    b1, b2 = out["B"]
    b1["procurement"] = {"goods": Decimal(0), "works": Decimal(0), "services": Decimal(1000000),
                         "sme": Decimal(600000), "small_micro": Decimal(300000)}
    b2["procurement"] = {**b1["procurement"], "services": Decimal(1500000)}
    c2 = out["C"][1]
    c2["initial_budget"] = {"items": [{"code": e["code"], "amount": e["basic"] + e["project"] - (e["project"] and 100)}
                                      for e in c2["appropriations"] if e["fund"] == "general"]}
    return out


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, dict[int, Path]]:
    base = tmp_path_factory.mktemp("compare")
    out: dict[str, dict[int, Path]] = {}
    for key, pair in _data().items():
        for d in pair:
            p = base / f"{d['year']}" / f"dept-{key}"
            p.mkdir(parents=True)
            (p / "disclosure.yaml").write_text(yaml.safe_dump(_plain(d), allow_unicode=True, sort_keys=False),
                                               encoding="utf-8")
            out.setdefault(key, {})[d["year"]] = p
    return out


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request, sources, tmp_path_factory):
    """A store holding the six disclosures, imported with ``juesuan db import``."""
    with empty_store(request.param, tmp_path_factory.mktemp("db")) as url:
        paths = [p for years in sources.values() for p in years.values()]
        r = invoke(["db", "import", *paths, "--db", url])
        assert r.exit_code == 0, r.output
        assert "共 6 份：新导入 6" in r.stdout and "错误 0" in r.stdout and "（错误 1" not in r.stdout
        yield url


def _names(sources) -> dict[str, str]:
    return {k: yaml.safe_load((p[2023] / "disclosure.yaml").read_text("utf-8"))["entity"]["name"]
            for k, p in sources.items()}


def _cell(doc, tid: str, key: str, col: str) -> Decimal:
    t = doc.tables[tid]
    row = next(r for r in t.rows if r.key == key)
    return next(v for c, v in row.cells.items() if c == col)


def _pct(n: Decimal, d: Decimal) -> Decimal:
    return (n * 100 / d).quantize(CENT, ROUND_HALF_UP)


# ------------------------------------------------------------------------------------------ across departments

def test_compare_figures_shares_changes_and_blanks(store, sources, tmp_path):
    from juesuan.store import Store
    from juesuan.store.compare import compare_rows
    names = _names(sources)
    with Store.open(store) as s:
        rows = {(r.entity, r.year): r for r in compare_rows(s)}
    assert len(rows) == 6
    for key, years in sources.items():
        for year, path in years.items():
            doc = pipeline.build(path).document
            r = rows[(names[key], year)]
            v = r.values
            # totals, basic/project shares, 人员经费 share: from the tables as displayed
            assert v["expenditure"] == _cell(doc, "T1", "expenditure:total", "决算数")
            assert v["income"] == _cell(doc, "T1", "income:total", "决算数")
            basic, total = _cell(doc, "T3", "合计", "基本支出"), _cell(doc, "T3", "合计", "本年支出合计")
            assert v["basic_share"] == _pct(basic, total)
            personnel = _cell(doc, "T6", "301", "决算数") + _cell(doc, "T6", "303", "决算数")
            t6 = _cell(doc, "T6", "人员经费合计", "决算数") + _cell(doc, "T6", "公用经费合计", "决算数")
            assert v["personnel"] == personnel and v["personnel_share"] == _pct(personnel, t6)
            assert v["errors"] == 0
            # the change against the year before: only 2024 has one (nothing before 2023 is stored)
            if year == 2023:
                assert r.changes["expenditure"] == (None, None)
            else:
                assert r.changes["expenditure"] == (Decimal("0.00"), Decimal("0.00"))
    a23, a24 = rows[(names["A"], 2023)], rows[(names["A"], 2024)]
    assert a24.values["3p_final_reception"] - a23.values["3p_final_reception"] == Decimal("50.00")
    assert a24.changes["3p_final_reception"][0] == Decimal("50.00")
    assert a24.changes["3p_final_total"][0] == Decimal("50.00")
    # 政府采购 and its 中小企业 share: B gives them, A and C do not — blank, never 0
    b23, b24 = rows[(names["B"], 2023)], rows[(names["B"], 2024)]
    assert (b23.values["procurement"], b23.values["procurement_sme"], b23.values["sme_share"]) == \
           (Decimal("100.00"), Decimal("60.00"), Decimal("60.00"))
    assert (b24.values["procurement"], b24.values["sme_share"]) == (Decimal("150.00"), Decimal("40.00"))
    assert b24.changes["procurement"] == (Decimal("50.00"), Decimal("50.00"))
    for k in ("A", "C"):
        for y in (2023, 2024):
            assert rows[(names[k], y)].values["procurement"] is None
            assert rows[(names[k], y)].values["sme_share"] is None
    # 年初预算 completion: C gives its 年初预算 in 2024 only
    c23, c24 = rows[(names["C"], 2023)], rows[(names["C"], 2024)]
    assert c23.values["initial_budget"] is None and c23.values["completion"] is None
    doc = pipeline.build(sources["C"][2024]).document
    general = _cell(doc, "T5", "合计", "小计")
    assert c24.values["general_final"] == general
    assert c24.values["completion"] == _pct(general, c24.values["initial_budget"])
    assert c24.values["initial_budget"] < general            # the budget was set a little below

    # the command: terminal tables, blanks shown blank, filters
    r = invoke(["compare", "--db", store, "--years", "2024"])
    assert r.exit_code == 0, r.output
    assert "【总额】" in r.stdout and "【三公】" in r.stdout and "共 3 份决算公开" in r.stdout
    line = next(ln for ln in r.stdout.splitlines() if names["B"] in ln and "150.00" in ln)
    assert "40.00" in line and "+50.00（+50.00%）" in line
    assert invoke(["compare", "--db", store, "--years", "2030"]).stdout.startswith("没有符合条件的决算公开")
    assert invoke(["compare", "--db", store, "--years", "二〇二三"]).exit_code == 2


def test_compare_xlsx_has_charts_and_conditional_formats_and_csv(store, sources, tmp_path):
    import openpyxl
    out = tmp_path / "比较.xlsx"
    r = invoke(["compare", "--db", store, "-o", out])
    assert r.exit_code == 0, r.output
    assert not [p for p in tmp_path.iterdir() if p.name != out.name]        # no temporary file left
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = {n: z.read(n).decode("utf-8") for n in charts}
    assert len(charts) == 4                                 # 总额, 结构, 三公, 预算与采购
    assert any("各单位支出合计" in x for x in xml.values())
    three = next(x for x in xml.values() if "三公" in x)
    assert three.count("<c:ser>") == 4 and "stacked" in three     # 三公 by item
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["总额", "结构", "三公", "预算与采购", "审核"]
    kinds = {name: {rule.type for cf in wb[name].conditional_formatting for rule in cf.rules}
             for name in wb.sheetnames}
    assert {"dataBar", "colorScale"} <= kinds["总额"]
    assert "cellIs" in kinds["审核"]
    ws = wb["预算与采购"]
    head = [c.value for c in ws[1]]
    names = _names(sources)
    got = {(row[1], row[2]): dict(zip(head, row)) for row in ws.iter_rows(min_row=2, values_only=True) if row[1]}
    assert got[(names["B"], 2024)]["中小企业占比（%）"] == 40
    assert got[(names["A"], 2024)]["政府采购支出（万元）"] is None           # blank, not 0
    assert got[(names["C"], 2023)]["年初预算完成率（%）"] is None

    csv_out = tmp_path / "比较.csv"
    assert invoke(["compare", "--db", store, "-o", csv_out]).exit_code == 0
    raw = csv_out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    b = next(x for x in rows if x["单位"] == names["B"] and x["年度"] == "2024")
    assert (b["政府采购支出（万元）"], b["中小企业占比（%）"], b["政府采购支出较上年增减率（%）"]) \
        == ("150.00", "40.00", "+50.00")
    a = next(x for x in rows if x["单位"] == names["A"] and x["年度"] == "2024")
    assert a["政府采购支出（万元）"] == "" and a["中小企业占比（%）"] == ""
    assert invoke(["compare", "--db", store, "-o", tmp_path / "x.pdf"]).exit_code == 2


# ------------------------------------------------------------------------------------------ year over year

def test_year_over_year_lists_exactly_the_altered_figures_with_reasons(store, sources, tmp_path):
    from juesuan.store import Store
    from juesuan.store.compare import year_over_year
    names = _names(sources)
    with Store.open(store) as s:
        def changes(key):
            (e,) = s.entities(names[key])
            return {(c.table, c.row_key, c.column): c for c in year_over_year(s, e["id"], Decimal(10))}
        a = changes("A")
        assert set(a) == {("T9", "三公", "预算数/公务接待费"), ("T9", "三公", "预算数/合计"),
                          ("T9", "三公", "决算数/公务接待费"), ("T9", "三公", "决算数/合计")}
        assert a[("T9", "三公", "决算数/公务接待费")].stated == "reason"
        assert a[("T9", "三公", "决算数/公务接待费")].reason == "承办全省现场会"
        assert a[("T9", "三公", "决算数/公务接待费")].diff == Decimal("50.00")
        assert a[("T9", "三公", "决算数/合计")].stated == "no-reason"       # stated, its reason left 【待填写】
        assert a[("T9", "三公", "预算数/公务接待费")].stated == "silent"
        b = changes("B")
        assert set(b) == {("情况说明", "procurement_total", "万元")}
        got = b[("情况说明", "procurement_total", "万元")]
        assert (got.rate, got.stated) == (Decimal("50.00"), "silent")
        c = changes("C")
        assert set(c) == {("情况说明", "initial_budget", "万元")}       # given in 2024 only
        assert c[("情况说明", "initial_budget", "万元")].old is None
        # a threshold above every change: nothing listed
        (e,) = s.entities(names["B"])
        assert year_over_year(s, e["id"], Decimal(60)) == []

    r = invoke(["compare", "--db", store, "--entity", names["A"], "--threshold", "10%", "-o", tmp_path / "a.csv"])
    assert r.exit_code == 0, r.output
    assert "变动超过 10% 的数字 4 个：已说明原因 1，提及增减但未说明原因 1，情况说明未提及 2" in r.stdout
    rows = list(csv.DictReader(io.StringIO((tmp_path / "a.csv").read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 4 and {x["情况说明"] for x in rows} == {"已说明原因", "提及增减但未说明原因", "情况说明未提及"}
    assert invoke(["compare", "--db", store, "--entity", "没有这个单位"]).exit_code == 2
    assert invoke(["compare", "--db", store, "--entity", names["A"], "--threshold", "很多"]).exit_code == 2


def test_narrative_facts_of_the_example():
    """The kind's narrative facts of the bundled example: what its 情况说明 states."""
    from juesuan.final.narrative_facts import narrative_facts
    got = narrative_facts(pipeline.build(ROOT / "examples" / "hanyang-bdc-2023").document)
    amounts = {r["name"]: r["value"] for r in got if r["name"] != "change"}
    assert amounts == {"procurement_total": Decimal("669.68"), "procurement_sme": Decimal("363.24"),
                       "initial_budget": Decimal("1365.18")}
    changes = [r for r in got if r["name"] == "change"]
    assert changes and all(r["change"] == Decimal("-438.13") and r["value"] == Decimal("1294.48") for r in changes)
    assert {r["reason"] for r in changes} == {"压减了通信链路租赁费和运行维护费"}


def test_compare_of_published_documents_reads_their_narrative(tmp_path):
    """Published documents read back: 政府采购 and 年初预算 as their 情况说明 state them (the seed's own
    年初预算 total, 1370.19), a 中小企业 share a Shanghai document does not state plainly left blank,
    and a 完成率 over a 年初预算 of 0 blank."""
    from juesuan.store import Store
    from juesuan.store.compare import compare_rows
    samples = ROOT / "tests" / "fixtures" / "samples"
    db = str(tmp_path / "s.db")
    r = invoke(["db", "import", samples / "000_9e500328b38455ed.txt",
                samples / "shanghai-putuo-shehuigongzuobu-2024.pdf", "--db", db])
    assert r.exit_code == 0, r.output
    with Store.open(db) as s:
        rows = {r.entity: r.values for r in compare_rows(s)}
    seed = rows["武汉市汉阳区大数据中心"]
    assert (seed["procurement"], seed["procurement_sme"], seed["sme_share"]) == \
           (Decimal("669.68"), Decimal("363.24"), Decimal("54.24"))
    assert (seed["initial_budget"], seed["general_final"], seed["completion"]) == \
           (Decimal("1370.19"), Decimal("1294.48"), Decimal("94.47"))
    assert seed["expenditure"] == Decimal("1294.48") and seed["basic_share"] == Decimal("27.33")
    putuo = rows["中共上海市普陀区委社会工作部"]
    assert putuo["procurement"] == Decimal("21.07") and putuo["procurement_sme"] is None
    assert putuo["sme_share"] is None
    assert putuo["initial_budget"] == Decimal("0.00") and putuo["completion"] is None
    assert putuo["errors"] == 1


def test_docs_list_the_declared_quantities():
    """docs/compare.md prints the table of QUANTITIES as the code declares it."""
    from juesuan.store.compare import quantities_markdown
    assert quantities_markdown() in (ROOT / "docs" / "compare.md").read_text(encoding="utf-8")


def test_a_store_of_the_earlier_schema_upgrades_and_old_versions_give_blanks(tmp_path):
    """A store made before narrative facts were kept (revision 0002) is upgraded on open; a
    version without narrative facts shows its 政府采购 and 年初预算 blank, not 0, its tables as before."""
    import sqlalchemy as sa

    from juesuan.store import Store
    from juesuan.store.compare import compare_rows
    from juesuan.store.engine import HEAD, current_revision, migrate, open_engine, resolve_url
    db = tmp_path / "s.db"
    engine = open_engine(resolve_url(db), upgrade=False)
    migrate(engine, "0002")
    assert current_revision(engine) == "0002"
    engine.dispose()
    r = invoke(["db", "import", ROOT / "examples" / "hanyang-bdc-2023", "--db", db])
    assert r.exit_code == 0, r.output
    with Store.open(db) as s:
        assert current_revision(s.engine) == HEAD
        assert compare_rows(s)[0].values["procurement"] == Decimal("669.68")
        s.engine.dispose()
    with sa.create_engine(f"sqlite:///{db}").begin() as conn:      # as a version imported before 0003
        conn.execute(sa.text("delete from narrative_facts"))
    with Store.open(db) as s:
        v = compare_rows(s)[0].values
    assert (v["procurement"], v["sme_share"], v["initial_budget"], v["completion"]) == (None, None, None, None)
    assert v["expenditure"] == Decimal("1294.48")


def test_unchecked_findings_are_counted(tmp_path):
    """The 无法核对 column counts the findings the certainty step turned into "无法核对" (info)."""
    from juesuan.rules.certainty import UNCHECKED
    from juesuan.store import Store
    from juesuan.store.compare import compare_rows
    from juesuan.store.records import record_of, source_of
    path = ROOT / "examples" / "hanyang-bdc-2023"
    rec = record_of(pipeline.audit(path), path)
    assert rec.findings and not any(f["message"].startswith(UNCHECKED) for f in rec.findings)
    for f in rec.findings[:2]:                      # as certainty.unchecked words them
        f.update(severity="info", message=f"{UNCHECKED}：{f['message']}（表T3 第5行未能读取）")
    with Store.open(tmp_path / "s.db") as s:
        s.write(rec, source_of(path), diff=False)
        (row,) = compare_rows(s)
    assert row.values["unchecked"] == 2
