"""The store (issue 16 §1): import through the pipeline, versions, diff, export, atomicity, concurrency.

Every test that touches a database runs on SQLite and on PostgreSQL (``db`` fixture below):
PostgreSQL at ``$JUESUAN_TEST_PG`` (``.ci/run`` installs, starts and exports it), else at the
role and database ``.ci/run`` creates on the local server; each test gets a schema of its own.
Where no server answers, the PostgreSQL cases are skipped, saying so.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import empty_store

from juesuan import pipeline
from juesuan.cli import invoke

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
SEED = SAMPLES / "000_9e500328b38455ed.txt"
PUTUO = SAMPLES / "shanghai-putuo-shehuigongzuobu-2024.pdf"
BUDGET = SAMPLES / "budgets" / "beijing-shenjiju-2026-budget-text.pdf"

# the seed's 支出决算表 row 2210202 提租补贴, its figures altered: 提租补贴 no longer adds up to 住房改革支出
T3_ROW = "2210202 提租补贴 4.78 4.78\t2210202\t提租补贴\t4.78\t4.78"
T3_ROW_ALTERED = "2210202 提租补贴 4.78 4.78\t2210202\t提租补贴\t5.78\t5.78"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A fresh, empty store: an SQLite file, or a schema of its own on the PostgreSQL server."""
    with empty_store(request.param, tmp_path) as url:
        yield url


def _open(db):
    from juesuan.store import Store
    return Store.open(db)


def _csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV without the BOM Excel needs"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@functools.cache
def _audit(path: Path):
    return pipeline.audit(path)


@functools.cache
def _pipeline_facts(path: Path) -> dict[tuple[str, str, str], Decimal | None]:
    """(table, row key, column as in the facts CSV) → the value the pipeline holds."""
    doc = _audit(path).document
    out = {}
    for t in doc.tables:
        for r in t.rows:
            if r.label:
                for col, v in r.cells.items():
                    out[(t.id, r.key, f"{r.side}:{col}" if t.layout.kind == "two_sided" else col)] = v
    return out


# ------------------------------------------------------------------------------------------ round trip

def test_import_list_show_export_round_trip(db, tmp_path):
    r = invoke(["db", "import", EXAMPLE, PUTUO, "--db", db])
    assert r.exit_code == 0, r.output
    assert "已导入 " + str(EXAMPLE) in r.stdout and "武汉市汉阳区大数据中心 2023年 决算 第1版" in r.stdout
    assert "中共上海市普陀区委社会工作部 2024年 决算 第1版（错误 1" in r.stdout
    assert "共 2 份：新导入 2，新版本 0，未改动跳过 0，失败 0" in r.stdout

    listed = invoke(["db", "list", "--db", db])
    assert listed.exit_code == 0 and "武汉市汉阳区" in listed.stdout and "上海市普陀区" in listed.stdout
    only = invoke(["db", "list", "--db", db, "--region", "汉阳区", "--year", "2023", "--status", "有警告"])
    assert "武汉市汉阳区大数据中心" in only.stdout and "普陀区" not in only.stdout
    assert "没有符合条件" in invoke(["db", "list", "--db", db, "--status", "ok"]).stdout
    assert "普陀区" in invoke(["db", "list", "--db", db, "--status", "error"]).stdout

    with _open(db) as store:
        by_entity = {v["entity"]: v for v in store.versions()}
        example, putuo = by_entity["武汉市汉阳区大数据中心"], by_entity["中共上海市普陀区委社会工作部"]
        assert example["region"] == "武汉市汉阳区" and putuo["region"] == "上海市普陀区"
        # every value exactly the pipeline's, as Decimals (their own digits: 937.7 stays 937.7)
        for v, path in ((example, EXAMPLE), (putuo, PUTUO)):
            truth = _pipeline_facts(path)
            stored = {(f["table_id"], f["row_key"], f["column"]): f["value"] for f in store.facts(v["id"])}
            assert stored.keys() == truth.keys()
            assert all(type(x) is Decimal for x in stored.values() if x is not None)
            assert {k: str(x) for k, x in stored.items()} == {k: str(x) for k, x in truth.items()}
        # how and where a parsed figure was read
        read = [f for f in store.facts(putuo["id"]) if f["how"] == "ruled-cell"]
        assert read and all(f["page"] and f["bbox"] for f in read)
        assert {f["how"] for f in store.facts(example["id"])} == {"typed"}
        audit = _audit(PUTUO)
        assert [(f["rule"], f["severity"], f["message"]) for f in store.findings(putuo["id"])] == \
            [(f.rule, f.severity, f.message) for f in audit.findings]
        shown_id = putuo["id"]

    shown = invoke(["db", "show", shown_id, "--db", db])
    assert shown.exit_code == 0 and "JS304" in shown.stdout and "第18页" in shown.stdout
    assert "SHA-256" in shown.stdout and "上海市普陀区" in shown.stdout

    # export: CSV (BOM), Parquet and XLSX give back the exact values
    out = tmp_path / "facts.csv"
    assert invoke(["db", "export", "-o", out, "--db", db, "--entity", "大数据中心"]).exit_code == 0
    rows = _csv(out)
    truth = _pipeline_facts(EXAMPLE)
    assert {(r["table"], r["row_key"], r["column"]): r["value"] for r in rows} == \
        {k: ("" if v is None else format(v, "f")) for k, v in truth.items()}
    pq = tmp_path / "facts.parquet"
    assert invoke(["db", "export", "-o", pq, "--db", db]).exit_code == 0
    import pyarrow.parquet as parquet
    table = parquet.read_table(pq).to_pylist()
    assert len(table) == len(truth) + len(_pipeline_facts(PUTUO))
    back = {(r["table"], r["row_key"], r["column"]): r["value"] for r in table
            if r["entity"] == "武汉市汉阳区大数据中心"}
    assert back == truth and all(type(x) is Decimal for x in back.values())
    xlsx = tmp_path / "all.xlsx"
    assert invoke(["db", "export", "-o", xlsx, "--db", db]).exit_code == 0
    import openpyxl
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert book.sheetnames == ["汇总", "数据", "审核发现"]
    head, *data = list(book["数据"].values)
    col = {h: i for i, h in enumerate(head)}
    got = {(r[col["table"]], r[col["row_key"]], r[col["column"]]): Decimal(str(r[col["value"]]))
           for r in data if r[col["entity"]] == "武汉市汉阳区大数据中心"}
    assert got == truth
    summary = list(book["汇总"].values)
    assert len(summary) == 3 and summary[0][:3] == ("version_id", "region", "entity")
    findings_csv = tmp_path / "findings.csv"
    assert invoke(["db", "export", "-o", findings_csv, "--what", "findings", "--db", db,
                   "--status", "error"]).exit_code == 0
    found = _csv(findings_csv)
    assert [r["rule"] for r in found] == [f.rule for f in audit.findings]
    assert "第18页" in found[0]["places"]
    bad = invoke(["db", "export", "-o", tmp_path / "x.ods", "--db", db])
    assert bad.exit_code == 2 and "不支持的导出格式" in bad.stderr and not (tmp_path / "x.ods").exists()


def test_money_is_never_a_float(db):
    import sqlalchemy as sa

    from juesuan.store.schema import key_facts
    with _open(db) as store, pytest.raises(sa.exc.StatementError, match="Decimal"), store.engine.begin() as conn:
        conn.execute(sa.insert(key_facts).values(version_id=1, seq=0, table_id="T1", row_key="x", code="", label="x",
                                                 column="c", value=0.1, unit="万元"))


# ------------------------------------------------------------------------------------------ versions

def test_versions_diff_and_fixed_findings(db, tmp_path):
    text = SEED.read_text(encoding="utf-8")
    assert text.count(T3_ROW) == 1
    first, corrected = tmp_path / "v1" / "汉阳.txt", tmp_path / "v2" / "汉阳.txt"
    first.parent.mkdir()
    corrected.parent.mkdir()
    first.write_text(text.replace(T3_ROW, T3_ROW_ALTERED), encoding="utf-8")
    shutil.copy(SEED, corrected)

    r1 = invoke(["db", "import", first, "--db", db])
    r2 = invoke(["db", "import", corrected, "--db", db])
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output + r2.output
    assert "第1版" in r1.stdout and "新版本" in r2.stdout and "第2版" in r2.stdout
    assert "修正 2 处问题，新出现 0 处" in r2.stdout
    again = invoke(["db", "import", corrected, "--db", db])    # the same file: nothing done
    assert again.exit_code == 0 and "未改动 " in again.stdout and "未改动跳过 1" in again.stdout

    with _open(db) as store:
        hist = store.history(store.entities("武汉市汉阳区大数据中心")[0]["id"])
        assert [v["number"] for v in hist] == [1, 2]
        v1, v2 = hist
        assert v1["errors"] == v2["errors"] + 2 and store.counts()["versions"] == 2
        d = store.diff(v1["id"], v2["id"])
        assert {(c.table_id, c.code, c.column, c.old, c.new) for c in d.changed} == {
            ("T3", "2210202", "本年支出合计", Decimal("5.78"), Decimal("4.78")),
            ("T3", "2210202", "基本支出", Decimal("5.78"), Decimal("4.78"))}
        assert not d.added and not d.removed and not d.new_findings
        assert [f["rule"] for f in d.fixed] == ["JS101", "JS101"]
        assert all("住房改革支出" in f["message"] for f in d.fixed)
        assert len(d.kept) == v2["errors"] + v2["warnings"] + v2["infos"]
        # the earlier version keeps its findings
        assert len(store.findings(v1["id"])) == v1["errors"] + v1["warnings"] + v1["infos"]
        ids = v1["id"], v2["id"]

    history = invoke(["db", "history", "大数据中心", "--db", db])
    assert history.exit_code == 0 and "2 个数字不同，修正 2，新出现 0" in history.stdout
    shown = invoke(["db", "show", ids[1], "--diff", "--db", db])
    assert shown.exit_code == 0
    assert "数字改变 2 处" in shown.stdout and "已修正的问题 2 处" in shown.stdout
    assert "[已修正] 错误 JS101" in shown.stdout and "5.78" in shown.stdout and "4.78" in shown.stdout
    assert "没有可比较的上一版" in invoke(["db", "show", ids[0], "--diff", "--db", db]).stdout
    assert invoke(["db", "history", "没有这个单位", "--db", db]).exit_code == 2


# ------------------------------------------------------------------------------------------ failures

@pytest.fixture(scope="session")
def workbook(tmp_path_factory) -> Path:
    """The example as a filled-in 填报 workbook (what a department sends back)."""
    out = tmp_path_factory.mktemp("workbook") / "汉阳区大数据中心.xlsx"
    pipeline.template(out, EXAMPLE)
    return out


def test_bad_files_are_listed_and_do_not_stop_the_others(db, tmp_path, workbook):
    folder = tmp_path / "收到的"
    folder.mkdir()
    shutil.copy(workbook, folder / workbook.name)
    shutil.copy(BUDGET, folder / "预算.pdf")
    (folder / "扫描.pdf").write_bytes(b"%PDF-1.4 broken")
    (folder / "空.txt").write_text("", encoding="utf-8")
    (folder / "图片.png").write_bytes(b"\x89PNG")   # not a kind juesuan reads: not picked up from a folder
    shutil.copytree(EXAMPLE, folder / "汉阳")
    r = invoke(["db", "import", folder, tmp_path / "没有.pdf", "--db", db])
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    failed = [x for x in lines if x.startswith("失败")]
    assert len(failed) == 4, r.stdout
    # a Beijing budget's text without its tables names no unit: it cannot be filed (docs/store.md)
    assert any("预算.pdf" in x and "没有找到单位名称" in x and "部门预算公开" in x for x in failed), failed
    assert any("没有.pdf" in x and "不存在" in x for x in failed)
    assert any(x.startswith("已导入") and "汉阳" in x for x in lines)
    # the workbook beside them is a document of its own: the same unit's data, so its second version
    assert any(x.startswith("新版本") and workbook.name in x and "第2版" in x for x in lines), r.stdout
    assert "Traceback" not in r.output and "图片.png" not in r.output
    empty = tmp_path / "空目录"
    empty.mkdir()
    r = invoke(["db", "import", empty, "--db", db])
    assert r.exit_code == 1 and "没有找到可导入的文件" in r.stdout
    with _open(db) as store:
        assert [v["entity"] for v in store.versions()] == ["武汉市汉阳区大数据中心"]


def test_a_file_that_breaks_a_reader_does_not_stop_the_others(tmp_path, monkeypatch):
    real = pipeline.audit

    def audit(path, *a, **kw):
        if Path(path).suffix == ".pdf":
            raise RuntimeError("a reader's own bug")
        return real(path, *a, **kw)

    monkeypatch.setattr(pipeline, "audit", audit)
    r = invoke(["db", "import", PUTUO, EXAMPLE, "--db", tmp_path / "s.db"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.stdout.startswith(f"失败   {PUTUO}：处理时出错（RuntimeError：a reader's own bug）")
    assert f"已导入 {EXAMPLE}" in r.stdout


def test_failed_import_leaves_nothing(db, monkeypatch):
    import sqlalchemy as sa

    from juesuan.store import store as store_module
    from juesuan.store.schema import fact_tables
    with _open(db) as store:
        store.import_path(PUTUO)
        before = store.counts()
        seen = {}

        def fail_after_facts(conn, version_id, rows):
            seen["facts"] = conn.execute(sa.select(sa.func.sum(fact_tables.c.cell_count))
                                         .where(fact_tables.c.version_id == version_id)).scalar_one()
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(store_module, "_write_findings", fail_after_facts)
        with pytest.raises(OSError):
            store.import_path(EXAMPLE)
        assert seen["facts"] == 573            # the facts were written when it failed …
        assert store.counts() == before        # … and nothing of that import is left
        monkeypatch.undo()
        assert store.import_path(EXAMPLE).outcome == "new"   # and it imports afterwards


def test_store_errors_are_chinese(tmp_path):
    from juesuan.store import Store
    not_db = tmp_path / "not.db"
    not_db.write_bytes(b"this is not a database" * 100)
    r = invoke(["db", "list", "--db", not_db])
    assert r.exit_code == 2 and "不是 SQLite 数据库" in r.stderr and "Traceback" not in r.output
    r = invoke(["db", "list", "--db", "postgresql://nobody:x@127.0.0.1:1/none"])
    assert r.exit_code == 2 and "连接不上数据库服务器" in r.stderr
    r = invoke(["db", "list", "--db", "mysql://x@y/z"])
    assert r.exit_code == 2 and "不支持的数据库" in r.stderr
    store = Store.open(tmp_path / "s.db")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    store.close()
    r = invoke(["db", "list", "--db", tmp_path / "s.db"])
    assert r.exit_code == 2 and "比本程序新" in r.stderr


def test_delete_asks_first(db, monkeypatch):
    invoke(["db", "import", EXAMPLE, "--db", db])
    with _open(db) as store:
        vid = store.versions()[0]["id"]
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    r = invoke(["db", "delete", vid, "--db", db])
    assert r.exit_code == 1 and "确定吗" in r.stdout and "未删除" in r.stdout
    monkeypatch.setattr("sys.stdin", io.StringIO(""))      # no answer at all (no terminal): not deleted
    assert invoke(["db", "delete", vid, "--db", db]).exit_code == 1
    with _open(db) as store:
        assert store.counts()["versions"] == 1
    r = invoke(["db", "delete", vid, "--db", db, "--yes"])
    assert r.exit_code == 0 and "已删除" in r.stdout
    with _open(db) as store:
        left = store.counts()
    assert left["versions"] == left["facts"] == left["findings"] == left["source_files"] == left["disclosures"] == 0
    assert invoke(["db", "delete", vid, "--db", db, "--yes"]).exit_code == 2
    assert invoke(["db", "import", EXAMPLE, "--db", db]).stdout.startswith("已导入")   # its file may come back


# ------------------------------------------------------------------------------------------ schema

def test_migrations_make_the_declared_schema(db):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from juesuan.store.engine import HEAD, current_revision
    from juesuan.store.schema import metadata
    with _open(db) as store:
        assert current_revision(store.engine) == HEAD
        with store.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diffs == []


def test_default_location(monkeypatch, tmp_path):
    from juesuan.store import resolve_url
    monkeypatch.delenv("JUESUAN_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    url = resolve_url()
    assert url.drivername == "sqlite+pysqlite" and Path(url.database).name == "juesuan.db"
    assert str(tmp_path) in url.database
    monkeypatch.setenv("JUESUAN_DB", str(tmp_path / "其他.db"))
    assert resolve_url().database == str(tmp_path / "其他.db")
    assert resolve_url("postgresql://u:p@h/d").drivername == "postgresql+psycopg"


# ------------------------------------------------------------------------------------------ concurrency

def test_a_writer_waits_for_another_and_takes_its_rows(db, monkeypatch):
    """Another writer holds the new unit's row, uncommitted: the import waits (SQLite: the write
    lock; PostgreSQL: the unique key), then is run again and uses that row instead of a second."""
    import threading
    import time

    import sqlalchemy as sa

    from juesuan.store import store as store_module
    from juesuan.store.records import record_of, source_of
    from juesuan.store.schema import entities
    rec, src = record_of(_audit(EXAMPLE), EXAMPLE), source_of(EXAMPLE)
    with _open(db) as store:
        attempts = []
        real = store._write
        monkeypatch.setattr(store, "_write", lambda *a: attempts.append(1) or real(*a))
        result = {}
        with store.engine.begin() as conn:
            conn.execute(sa.insert(entities).values(kind="department", name=rec.entity, created_at=store_module._now()))
            worker = threading.Thread(target=lambda: result.update(done=store.write(rec, src)))
            worker.start()
            time.sleep(1.0)
            assert worker.is_alive()          # waiting for the other writer
        worker.join(60)
        assert result["done"].outcome == "new"
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(entities)
                                .where(entities.c.name == rec.entity)).scalar_one() == 1
        if store.engine.dialect.name == "postgresql":
            assert len(attempts) == 2         # the unique key was taken meanwhile: run again


def _variants(tmp_path: Path) -> list[Path]:
    """Three data directories: two versions of the example (its phone changed), another unit."""
    text = (EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8")
    out = []
    for i, (old, new) in enumerate([("", ""), ("phone: 027-84468487", "phone: 027-84468488"),
                                    ("武汉市汉阳区大数据中心", "武汉市汉阳区数据二中心")]):
        d = tmp_path / f"d{i}"
        d.mkdir()
        assert old in text
        (d / "disclosure.yaml").write_text(text.replace(old, new) if old else text, encoding="utf-8")
        out.append(d)
    return out


def test_two_processes_import_at_once(db, tmp_path):
    dirs = _variants(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import sys; from juesuan.cli import main; sys.exit(main(sys.argv[1:]))"
    procs = [subprocess.Popen([sys.executable, "-c", code, "db", "import", *map(str, order), "--db", db],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for order in (dirs, dirs[::-1])]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, out + err
    lines = (outs[0][0] + outs[1][0]).splitlines()
    # each file stored once: the other process found it there
    assert sum(x.startswith("未改动 ") for x in lines) == 3
    with _open(db) as store:
        counts = store.counts()
        assert counts["source_files"] == counts["versions"] == 3 and counts["facts"] == 3 * 573
        assert counts["disclosures"] == 2 and counts["entities"] == 2 + 2     # 2 units, 武汉市 and 汉阳区
        assert sorted(v["number"] for v in store.versions(all_versions=True)
                      if v["entity"] == "武汉市汉阳区大数据中心") == [1, 2]
        for v in store.versions(all_versions=True):
            assert len(store.facts(v["id"])) == v["fact_count"] == 573
        if store.engine.dialect.name == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


# ------------------------------------------------------------------------------ grouped writes

def test_a_group_is_written_in_one_transaction_and_a_refused_source_fails_alone(db, tmp_path):
    """``write_many`` (the batch's writer) stores a group at once; when the store refuses one of
    its sources, the others are written one by one and stored, and only that one fails."""
    import dataclasses
    import shutil

    from juesuan.store.records import record_of, source_of
    copies = []
    for i in range(3):
        d = tmp_path / f"unit-{i}"
        shutil.copytree(EXAMPLE, d)
        text = (d / "disclosure.yaml").read_text(encoding="utf-8")
        (d / "disclosure.yaml").write_text(text.replace("武汉市汉阳区大数据中心", f"武汉市汉阳区测试中心{i}"),
                                           encoding="utf-8")
        copies.append(d)
    items = [(record_of(pipeline.audit(d), d), source_of(d)) for d in copies]
    bad = items[1][0]
    items[1] = (dataclasses.replace(bad, key_facts=[bad.key_facts[0][:3]] + bad.key_facts[1:]), items[1][1])  # short
    with _open(db) as store:
        got = store.write_many(items)
        assert [type(g).__name__ for g in got] == ["Imported", "StoreError", "Imported"]
        assert "无法写入数据库" in str(got[1])
        stored = {v["entity"]: v["fact_count"] for v in store.versions()}
        assert stored == {"武汉市汉阳区测试中心0": len(items[0][0].facts),
                          "武汉市汉阳区测试中心2": len(items[2][0].facts)}
        # nothing of the refused one is left, and its entity's cached id does not outlive the rollback
        assert store.write_many([(bad, items[1][1])])[0].outcome == "new"
        assert len(store.facts(store.versions(entity="测试中心1")[0]["id"])) == len(bad.facts)


def test_the_ids_a_store_keeps_do_not_outlive_a_deleted_disclosure(db):
    from juesuan.store.records import record_of, source_of
    rec, src = record_of(_audit(EXAMPLE), EXAMPLE), source_of(EXAMPLE)
    with _open(db) as store:
        first = store.write(rec, src)
        assert store.delete(first.version_id)
        again = store.write(rec, src)          # its disclosure was deleted with its only version
        assert again.outcome == "new" and again.number == 1
        assert store.version(again.version_id)["entity"] == rec.entity
