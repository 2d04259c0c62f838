"""Budgets in the store, and a unit's 决算 paired with its 预算 of the same year (docs/store.md, 决算与预算).

Real documents: the bundled example's data (a 决算, 2023), a 部门预算 of the same unit and year
as published text (tests/fixtures/store/), corrected versions of each, the same budget as of
another year, and the published budget samples. The cross check itself is
``pipeline.check_pair`` (helper B's rules); here it is replaced by a probe that records each call
and returns one finding naming both files and a figure of each document, so that what the store
does with its findings — where they go, when they are made again, what a delete takes away —
is seen whatever the rules find.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from conftest import empty_store

from juesuan import pipeline
from juesuan.cli import invoke
from juesuan.place import Place
from juesuan.rules.context import Finding
from juesuan.store import Store
from juesuan.store.pairing import CROSS_SEQ, PAIR_CODE, cross_of, paired_budget, pairs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"
FIXTURES = ROOT / "tests" / "fixtures"
BUDGET = FIXTURES / "store" / "hanyang-bdc-2023-budget.txt"
SAMPLE_BUDGETS = FIXTURES / "samples" / "budgets"
HANYANG = "武汉市汉阳区大数据中心"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    with empty_store(request.param, tmp_path) as url:
        yield url


class Probe:
    """``pipeline.check_pair`` replaced: each call recorded (the two documents' unit, year and
    total, the file names); one error naming both files."""

    def __init__(self):
        self.calls: list[tuple] = []
        self.lock = threading.Lock()

    def __call__(self, final, budget, final_file, budget_file):
        with self.lock:
            self.calls.append((final.entity, final.year, budget.entity, budget.year, final_file, budget_file))
        total = next(iter(budget.tables)).rows[0].label
        return [Finding("YJ101", "error", f"年初预算与预算不一致（预算首行：{total}）",
                        (Place(file=final_file, table="T9", row="合计", column="年初预算"),
                         Place(file=budget_file, table="Y01", row="合计")), ("1.00", "2.00"))]


@pytest.fixture
def probe(monkeypatch):
    p = Probe()
    monkeypatch.setattr(pipeline, "check_pair", p)
    return p


def _copy(src: Path, dst: Path, old: str = "", new: str = "") -> Path:
    if src.is_dir():
        shutil.copytree(src, dst)
        if old:
            y = dst / "disclosure.yaml"
            y.write_text(y.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        return dst
    text = src.read_text(encoding="utf-8")
    dst.write_text(text.replace(old, new) if old else text, encoding="utf-8")
    return dst


def _cross(store: Store, vid: int) -> list[dict]:
    return cross_of(store.findings(vid))


# ------------------------------------------------------------------------------------- kinds

def test_a_budget_is_stored_as_a_budget_with_its_tables_and_targets(db, probe):
    swu = SAMPLE_BUDGETS / "chongqing-swu-2024-budget-excerpt.pdf"
    with Store.open(db) as store:
        got = store.import_path(swu)
        assert (got.outcome, got.kind, got.entity, got.year) == ("new", "budget", "西南大学", 2024)
        v = store.version(got.version_id)
        assert v["kind"] == "budget" and v["origin"] == "parsed" and v["fact_count"] > 100
        facts = store.facts(got.version_id)
        # the 绩效目标表: its amounts with their labels, its indicators with their values as printed
        targets = [f for f in facts if f["table_id"] == "Y11"]
        amounts = {f["row_key"]: f["value"] for f in targets if f["column"] == "金额"}
        from decimal import Decimal
        assert amounts["1/年度资金总额"] == Decimal("1960.35") and amounts["1/其中：财政拨款"] == Decimal("1930.00")
        indicators = [f for f in targets if f["column"] == "指标值"]
        assert indicators and all(f["value"] is None and f["text"] for f in indicators)
        assert not probe.calls                       # no 决算 of 西南大学 2024: nothing to pair


def test_db_list_history_export_show_the_kind_and_filter_by_it(db, probe, tmp_path):
    r = invoke(["db", "import", str(EXAMPLE), str(BUDGET), str(SAMPLE_BUDGETS / "xian-yibaoju-2022-budget-excerpt.pdf"),
                "--db", db])
    assert r.exit_code == 0, r.output
    assert "交叉核对 决算 #" in r.stdout and "记在决算" in r.stdout
    r = invoke(["db", "list", "--kind", "预算", "--db", db])
    assert r.exit_code == 0 and "共 2 条" in r.stdout and "决算" not in r.stdout.split("共")[0], r.stdout
    assert HANYANG in r.stdout and "西安市医疗保障局" in r.stdout
    r = invoke(["db", "list", "--kind", "final", "--db", db])
    assert "共 1 条" in r.stdout and "预算" not in r.stdout.split("共")[0]
    assert invoke(["db", "list", "--kind", "概算", "--db", db]).exit_code == 2
    r = invoke(["db", "history", HANYANG, "--kind", "budget", "--db", db])
    assert "预算" in r.stdout and "决算" not in r.stdout.split("\n", 1)[1]
    out = tmp_path / "s.csv"
    assert invoke(["db", "export", "-o", str(out), "--what", "summary", "--kind", "预算", "--db", db]).exit_code == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 3 and all(",预算," in x for x in rows[1:])


# ------------------------------------------------------------------------------------- pairing

@pytest.mark.parametrize("order", ["budget first", "final first"])
def test_a_pair_is_checked_once_in_either_order_and_kept_on_the_final(db, probe, order):
    with Store.open(db) as store:
        first, second = (BUDGET, EXAMPLE) if order == "budget first" else (EXAMPLE, BUDGET)
        a = store.import_path(first)
        assert a.paired == [] and not probe.calls
        b = store.import_path(second)
        final, budget = (b, a) if order == "budget first" else (a, b)
        assert (final.kind, budget.kind) == ("final", "budget")
        assert len(probe.calls) == 1 and len(b.paired) == 1 and b.paired[0].checked
        assert probe.calls[0][:4] == (HANYANG, 2023, HANYANG, 2023)
        cross = _cross(store, final.version_id)
        assert len(cross) == 1 and cross[0]["seq"] == CROSS_SEQ and _cross(store, budget.version_id) == []
        files = {p["file"] for p in cross[0]["places"]}
        assert files == {str(EXAMPLE), str(BUDGET)}          # its places name both files
        v = store.version(final.version_id)
        own = [f for f in store.findings(final.version_id) if f["seq"] < CROSS_SEQ]
        assert v["errors"] == sum(f["severity"] == "error" for f in own) + 1 and v["status"] == "error"
        mark = paired_budget(v)
        assert mark["code"] == PAIR_CODE and mark["budget_version"] == budget.version_id and mark["count"] == 1
        # importing either again changes nothing and checks nothing again
        assert store.import_path(first).outcome == "unchanged" and store.import_path(second).paired == []
        assert len(probe.calls) == 1 and len(_cross(store, final.version_id)) == 1


def test_new_versions_of_either_side_are_checked_again(db, probe, tmp_path):
    with Store.open(db) as store:
        budget1 = store.import_path(BUDGET)
        final1 = store.import_path(EXAMPLE)
        # a corrected 决算: its new version is checked; the first keeps its cross findings
        final2 = store.import_path(_copy(EXAMPLE, tmp_path / "v2", "phone: 027-84468487", "phone: 027-84468488"))
        assert final2.outcome == "version" and len(probe.calls) == 2
        assert len(_cross(store, final1.version_id)) == 1 and len(_cross(store, final2.version_id)) == 1
        assert paired_budget(store.version(final2.version_id))["budget_version"] == budget1.version_id
        # a corrected 预算: the latest 决算 is checked with it, its cross findings replaced (still one set)
        budget2 = store.import_path(_copy(BUDGET, tmp_path / "预算-改.txt", "480544221.62", "480544221.63"))
        assert budget2.outcome == "version" and len(probe.calls) == 3
        assert probe.calls[-1][5] == str(tmp_path / "预算-改.txt")
        cross = _cross(store, final2.version_id)
        assert len(cross) == 1 and str(tmp_path / "预算-改.txt") in {p["file"] for p in cross[0]["places"]}
        assert paired_budget(store.version(final2.version_id))["budget_version"] == budget2.version_id
        assert len(_cross(store, final1.version_id)) == 1       # the old 决算 version keeps what it had
        # the diff between the 决算 versions sees the cross finding as the same one (kept, not new)
        d = store.diff(final1.version_id, final2.version_id)
        assert [f["rule"] for f in d.kept if f["seq"] >= CROSS_SEQ] == ["YJ101"]
        # deleting the 预算 version takes its cross findings away from the 决算 checked with it
        errors = store.version(final2.version_id)["errors"]
        assert store.delete(budget2.version_id)
        v = store.version(final2.version_id)
        assert _cross(store, final2.version_id) == [] and paired_budget(v) is None and v["errors"] == errors - 1


def test_another_year_is_not_paired(db, probe, tmp_path):
    with Store.open(db) as store:
        other = store.import_path(_copy(BUDGET, tmp_path / "2024.txt", "2023", "2024"))
        assert other.kind == "budget" and other.year == 2024
        final = store.import_path(EXAMPLE)
        assert final.paired == [] and not probe.calls and _cross(store, final.version_id) == []
        assert paired_budget(store.version(final.version_id)) is None
        assert pairs(store, store.keys_of([final.version_id, other.version_id])) == []


def test_a_budget_whose_file_is_gone_is_not_checked_and_says_why(db, probe, tmp_path):
    with Store.open(db) as store:
        moved = _copy(BUDGET, tmp_path / "预算.txt")
        store.import_path(moved)
        moved.unlink()
        final = store.import_path(EXAMPLE)
        assert len(final.paired) == 1 and not final.paired[0].checked and "原文件已不在" in final.paired[0].note
        assert not probe.calls and paired_budget(store.version(final.version_id)) is None


def test_two_processes_pairing_at_once_keep_one_set(db, probe):
    """Both writers of a pair check it (each saw both sides stored): the cross findings are kept once."""
    from juesuan.store import pairing
    with Store.open(db) as store:
        store.import_path(BUDGET)
        monkey = pipeline.check_pair
        pipeline.check_pair = lambda *a: []          # the 决算's own import checks nothing here
        try:
            final = store.import_path(EXAMPLE)
        finally:
            pipeline.check_pair = monkey
        p = pairs(store, store.keys_of([final.version_id]))[0]
        stores = [Store.open(db) for _ in range(2)]
        try:
            threads = [threading.Thread(target=pairing.pair, args=(s, p)) for s in stores]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            for s in stores:
                s.close()
        assert len(probe.calls) == 2 and len(_cross(store, final.version_id)) == 1


# ------------------------------------------------------------------------------------- batch

def test_batch_reads_budgets_beside_finals_and_pairs_them(db, probe, tmp_path, capsys):
    from juesuan.cli import main
    d = tmp_path / "收到的"
    d.mkdir()
    shutil.copytree(EXAMPLE, d / "hanyang")
    shutil.copy(BUDGET, d / "汉阳预算.txt")
    for name in ("chongqing-swu-2024-budget-excerpt.pdf", "shenzhen-caizhengju-2026-budget.pdf",
                 "beijing-shenjiju-2026-budget-text.pdf"):
        shutil.copy(SAMPLE_BUDGETS / name, d / name)
    report = tmp_path / "r.json"
    rc = main(["batch", str(d), "--db", db, "--jobs", "2", "--report", str(report)])
    out = capsys.readouterr().out
    # the Beijing text alone names no unit (its tables are another file): it fails, alone
    assert rc == 1 and "共 5 份：新导入 4，新版本 0，未改动跳过 0，失败 1" in out, out
    assert "交叉核对" in out and "1 对" in out, out
    with Store.open(db) as store:
        kinds = sorted((v["entity"], v["kind"]) for v in store.versions())
        assert kinds == sorted([(HANYANG, "final"), (HANYANG, "budget"), ("西南大学", "budget"),
                                ("深圳市财政局（本级）", "budget")])
        final = store.versions(kind="final")[0]
        assert len(_cross(store, final["id"])) == 1 and len(probe.calls) == 1
    import json
    docs = {Path(x["文件"]).name: x for x in json.loads(report.read_text(encoding="utf-8"))["documents"]}
    assert docs["hanyang"]["类型"] == "决算" and docs["汉阳预算.txt"]["类型"] == "预算"
    assert any(p["规则"] == "YJ101" for p in docs["hanyang"]["问题"])     # the summary has the cross finding
    # run again: nothing redone, nothing checked again
    rc = main(["batch", str(d), "--db", db, "--jobs", "1"])
    out = capsys.readouterr().out
    assert "未改动跳过 4" in out and len(probe.calls) == 1


# ------------------------------------------------------------------------------------- the real check

def test_the_cross_rules_on_a_pair_with_known_truth(db, tmp_path):
    """The example's 决算 (its data) and a 预算 written from the figures it states (tests/budgettext.py,
    helper B's): the pair agrees, nothing is stored across; a corrected 预算 whose 提租补贴 is
    5.78 万元 (the 决算 says 4.78) gives the 决算 exactly that error and its total's, placed in both files."""
    import yaml
    from budgettext import budget_text
    from test_across import BUILT_ITEMS
    data = yaml.safe_load((EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8"))
    good = tmp_path / "预算2023.txt"
    good.write_text(budget_text(data, BUILT_ITEMS), encoding="utf-8")
    bad = tmp_path / "预算2023-改.txt"
    bad.write_text(budget_text(data, {**BUILT_ITEMS, "2210202": BUILT_ITEMS["2210202"] + 1}), encoding="utf-8")
    with Store.open(db) as store:
        b = store.import_path(good)
        f = store.import_path(EXAMPLE)
        assert b.kind == "budget" and len(f.paired) == 1 and f.paired[0].checked, f.paired
        assert f.paired[0].findings == [] and _cross(store, f.version_id) == []
        v = store.version(f.version_id)
        assert paired_budget(v)["count"] == 0 and "没有发现不一致" in paired_budget(v)["message"]
        errors = v["errors"]
        b2 = store.import_path(bad)
        assert b2.outcome == "version" and len(b2.paired) == 1
        cross = _cross(store, f.version_id)
        # the item, and the total the budget adds it to (1366.18 against the 决算's 1365.18)
        assert [(x["rule"], x["severity"]) for x in cross] == [("YJ101", "error"), ("YJ102", "error")], cross
        assert "决算为 4.78 万元，预算为 5.78 万元" in cross[1]["message"]
        assert "决算为 1365.18 万元，预算为 1366.18 万元" in cross[0]["message"]
        assert all({p["file"] for p in x["places"]} == {str(EXAMPLE), str(bad)} for x in cross)
        assert store.version(f.version_id)["errors"] == errors + 2
        r = invoke(["db", "show", str(f.version_id), "--db", db])
        assert "与预算交叉核对" in r.stdout and "YJ102" in r.stdout.split("与预算交叉核对")[1], r.stdout
        r = invoke(["db", "show", str(b2.version_id), "--db", db])
        assert f"与决算交叉核对：决算 #{f.version_id}" in r.stdout and "发现 2 处不一致" in r.stdout, r.stdout


def test_a_cross_check_that_fails_leaves_the_imports_and_says_why(db, monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr(pipeline, "check_pair", broken)
    r = invoke(["db", "import", str(BUDGET), str(EXAMPLE), "--db", db])
    assert r.exit_code == 0 and "未能交叉核对" in r.stdout and "ZeroDivisionError" in r.stdout, r.output
    with Store.open(db) as store:
        assert len(store.versions()) == 2 and not any(paired_budget(v) for v in store.versions())


def test_the_same_unit_written_with_its_benji_is_paired_another_name_is_not(db, probe, tmp_path):
    """深圳市财政局（本级）'s 预算 is 深圳市财政局's: the budget filed under the name it prints is
    paired with the 决算 all the same; a name without its place-name prefix is another entity, not
    paired (too weak a sign to join two entities' documents)."""
    benji = _copy(BUDGET, tmp_path / "本级.txt", HANYANG, HANYANG + "（本级）")
    short = _copy(BUDGET, tmp_path / "简称.txt", HANYANG, "汉阳区大数据中心")
    with Store.open(db) as store:
        s = store.import_path(short)
        assert s.entity == "汉阳区大数据中心" and s.paired == []
        final = store.import_path(EXAMPLE)
        assert final.paired == [] and not probe.calls
        b = store.import_path(benji)
        assert b.entity == HANYANG + "（本级）" and len(b.paired) == 1 and b.paired[0].checked
        assert probe.calls[0][:3] == (HANYANG, 2023, HANYANG + "（本级）")
        assert paired_budget(store.version(final.version_id))["budget_version"] == b.version_id
        assert len(_cross(store, final.version_id)) == 1
        assert store.delete(b.version_id) and _cross(store, final.version_id) == []
