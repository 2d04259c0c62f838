"""How the store keeps facts (migration 0006): a table's cells packed in one row of ``fact_tables``,
the key rows' cells once more in ``key_facts`` — every fact read back exactly, on SQLite and
PostgreSQL; a store written with the old schema (one row per fact) converted, its export unchanged
row for row; a row the quantities come to read filled in when the store is opened.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import EXAMPLE, empty_store

from juesuan import pipeline
from juesuan.cli import invoke

ROOT = Path(__file__).resolve().parent.parent
PUTUO = ROOT / "tests" / "fixtures" / "samples" / "shanghai-putuo-shehuigongzuobu-2024.pdf"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    with empty_store(request.param, tmp_path) as url:
        yield url


@functools.cache
def _audit(path: Path):
    return pipeline.audit(path)


def _expected(path: Path) -> list[dict]:
    """Every cell of the document as the pipeline holds it, with how and where it was read, in
    document order — made here from the document's tables, not by the store's code."""
    doc = _audit(path).document
    out = []
    for t in doc.tables:
        for r in t.rows:
            if not r.label:
                continue
            for col, value in r.cells.items():
                reading = t.reading(r, col)
                p = reading.place
                out.append({"seq": len(out), "table_id": t.id, "row_key": r.key, "code": r.code or "",
                            "label": r.label, "side": r.side,
                            "column": f"{r.side}:{col}" if t.layout.kind == "two_sided" else col,
                            "value": value, "unit": t.unit, "how": reading.how, "confidence": float(reading.confidence),
                            "text": reading.text or None, "page": p.page if p else None,
                            "line": p.line if p else None, "bbox": list(p.bbox) if p and p.bbox else None})
    return out


def _same(got: list[dict], want: list[dict]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert {k: g[k] for k in w} == w, (g, w)
        # an amount keeps its own digits (0.00 stays 0.00, 937.70 stays 937.70), not just its value
        assert (None if g["value"] is None else str(g["value"])) == (None if w["value"] is None else str(w["value"]))


def test_every_fact_is_read_back_exactly(db):
    from juesuan.store import Store
    from juesuan.store.records import key_rows
    with Store.open(db) as store:
        ids = {p: store.import_path(p).version_id for p in (EXAMPLE, PUTUO)}
        for path, vid in ids.items():
            want = _expected(path)
            got = store.facts(vid)
            _same(got, want)
            assert all(f["version_id"] == vid for f in got)
            assert store.version(vid)["fact_count"] == len(want)
            # one row per table, in the document's order (PUTUO prints T9 before T7)
            assert store.table_ids(vid) == list(dict.fromkeys(f["table_id"] for f in want))
            # the key rows, read through key_facts, are the same cells as in the packed tables
            keys = key_rows()
            quick = store.table_facts([vid], rows=keys)[vid]
            slow = [f for f in store.table_facts([vid])[vid] if (f["table_id"], f["row_key"]) in keys]
            assert quick == slow and len(quick) == sum((f["table_id"], f["row_key"]) in keys for f in want) > 20
        assert [f["how"] for f in store.facts(ids[PUTUO])].count("ruled-cell") > 500
        counts = store.counts()
        assert counts["facts"] == 573 + 546 and counts["fact_tables"] == 18


def test_packed_cells_keep_every_value_as_it_was():
    """Nothing a cell holds is changed by packing: None (a cell that shows nothing) stays None, not 0;
    an amount its own digits; a confidence its float; a box; text with a lone surrogate (a broken
    file's byte, as the text reader keeps it)."""
    from juesuan.store.records import CELL_COLUMNS, pack_cells, unpack_cells
    cells = [
        (0, "income:total", "", "收入合计", "收入", "收入:决算数", "937.70", "ruled-cell", 0.8125, "937.70", 3, 12,
         [67.8, 201.0, 514.6, 214.7]),
        (1, "2010101", "2010101", "行政运行\udcff", None, "决算数", None, "blank:空白", 1.0, None, None, None, None),
        (2, "合计", "", "合计", None, "决算数", "0.00", "positional", 0.1 + 0.2, "0.00", 4, 1, None),
        (3, "合计", "", "合计", None, "年末结转和结余", "-12345678901234567890.123456", "typed", 1.0, None, None, None,
         None),
    ]
    got = unpack_cells(pack_cells(cells))
    assert [tuple(c[k] for k in CELL_COLUMNS) for c in got] == \
        [tuple(Decimal(v) if k == "value" and v is not None else v for k, v in zip(CELL_COLUMNS, c)) for c in cells]
    assert [str(c["value"]) for c in got if c["value"] is not None] == \
        ["937.70", "0.00", "-12345678901234567890.123456"]
    assert got[2]["confidence"] == 0.1 + 0.2 and got[1]["label"].endswith("\udcff")
    assert unpack_cells(pack_cells([])) == []


# ------------------------------------------------------------------------------ a store of the old schema

_OLD_FACT_COLUMNS = ("seq", "table_id", "row_key", "code", "label", "side", "column", "value", "unit", "how",
                     "confidence", "text", "page", "line", "bbox")


def _old_store(db: str, tmp_path: Path) -> dict[int, Path]:
    """A store at revision 0005 holding the example and a published PDF, its facts one row each as
    juesuan wrote them until 0006 (the worker's rows, an amount as decimal text, the box as JSON
    text, inserted as they were). Its other tables are those of the same documents imported into a
    new store (unchanged by 0006): copied with their ids."""
    from juesuan.store import Store, schema
    from juesuan.store.engine import migrate, open_engine, resolve_url
    from juesuan.store.records import record_of
    with Store.open(tmp_path / "new.db") as new:
        ids = {new.import_path(p).version_id: p for p in (EXAMPLE, PUTUO)}
        copied = {}
        with new.engine.connect() as conn:
            for t in (schema.entities, schema.source_files, schema.disclosures, schema.versions, schema.findings,
                      schema.narrative_facts):
                copied[t] = [dict(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns)).mappings()]
    engine = open_engine(resolve_url(db), upgrade=False)
    migrate(engine, "0005")
    with engine.begin() as conn:
        for t, rows in copied.items():
            conn.execute(sa.insert(t), rows)
        mark = "%s" if conn.dialect.paramstyle in ("format", "pyformat") else "?"
        names = ", ".join(conn.dialect.identifier_preparer.quote(c) for c in _OLD_FACT_COLUMNS)
        for vid, path in ids.items():
            rows = [f[:-1] + (json.dumps(f[-1]) if f[-1] is not None else None,)
                    for f in record_of(_audit(path), path).facts]
            conn.exec_driver_sql(f"INSERT INTO facts (version_id, {names}) "
                                 f"VALUES ({vid}, {', '.join([mark] * len(_OLD_FACT_COLUMNS))})", rows)
        if engine.dialect.name == "postgresql":   # ids were given: move the sequences past them
            for t in copied:
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                                     f"(SELECT max(id) FROM {t.name}))"))
    engine.dispose()
    return ids


def _old_facts(db: str) -> dict[int, list[dict]]:
    """The old ``facts`` table's rows of each version (as ``Store.facts`` gave them before 0006)."""
    from juesuan.store.engine import open_engine, resolve_url
    from juesuan.store.schema import Money
    facts = sa.table("facts", *(sa.column(c, Money() if c == "value" else sa.JSON() if c == "bbox" else None)
                                for c in ("version_id", *_OLD_FACT_COLUMNS)))
    engine = open_engine(resolve_url(db), upgrade=False)
    out: dict[int, list[dict]] = {}
    with engine.connect() as conn:
        for r in conn.execute(sa.select(facts).order_by(facts.c.version_id, facts.c.seq)).mappings():
            out.setdefault(r["version_id"], []).append(dict(r))
    engine.dispose()
    return out


def _export(db: str, out: Path) -> list[dict[str, str]]:
    r = invoke(["db", "export", "-o", out, "--db", db, "--all"])
    assert r.exit_code == 0, r.output
    return list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))


def test_a_store_of_the_old_schema_is_converted_and_exports_the_same(db, tmp_path):
    from juesuan.store import Store
    from juesuan.store.compare import compare_rows
    from juesuan.store.dashboard import key_figures
    from juesuan.store.engine import HEAD, current_revision
    ids = _old_store(db, tmp_path)
    old = _old_facts(db)
    assert {vid: len(rows) for vid, rows in old.items()} == {vid: len(_expected(p)) for vid, p in ids.items()}
    # what the old schema's export wrote, row for row: the facts table's rows in order, as CSV text
    want = []
    with Store.open(tmp_path / "new.db") as new:
        chosen = new.versions(all_versions=True)
    for v in chosen:
        for f in old[v["id"]]:
            want.append({"version_id": str(v["id"]), "table": f["table_id"], "row_key": f["row_key"],
                         "code": f["code"], "label": f["label"], "column": f["column"],
                         "value": format(f["value"], "f") if f["value"] is not None else "", "unit": f["unit"],
                         "how": f["how"], "confidence": str(f["confidence"]), "text": f["text"] or "",
                         "page": "" if f["page"] is None else str(f["page"]),
                         "line": "" if f["line"] is None else str(f["line"])})

    with Store.open(db) as store:                       # opening converts it
        assert current_revision(store.engine) == HEAD == "0006"
        assert "facts" not in sa.inspect(store.engine).get_table_names()
        for vid, rows in old.items():
            got = store.facts(vid)
            assert got == rows
            assert [str(f["value"]) for f in got] == [str(r["value"]) for r in rows]
            _same(got, _expected(ids[vid]))
        # the key rows were filled from the packed tables: compare and the dashboard read them
        converted = {r.entity: r.values for r in compare_rows(store, kind=None)}
        figures = key_figures(store, list(ids))
        assert store.counts()["key_facts"] == 56
    exported = _export(db, tmp_path / "old.csv")
    assert [{k: r[k] for k in want[0]} for r in exported] == want
    with Store.open(tmp_path / "new.db") as new:        # the same documents written in the new schema
        assert {r.entity: r.values for r in compare_rows(new, kind=None)} == converted
        assert key_figures(new, list(ids)) == figures
        for vid, path in ids.items():
            income = next(f["value"] for f in _expected(path)
                          if (f["table_id"], f["row_key"], f["column"]) == ("T1", "income:total", "收入:决算数"))
            assert figures[vid]["income"] == income and income > 0
    assert _export(str(tmp_path / "new.db"), tmp_path / "new.csv") == exported


def test_downgrading_unpacks_every_fact_again(tmp_path):
    from alembic import command

    from juesuan.store import Store
    from juesuan.store.engine import _alembic_config
    db = str(tmp_path / "s.db")
    ids = _old_store(db, tmp_path)
    old = _old_facts(db)
    Store.open(db).close()                            # up to 0006
    with Store.open(db) as store, store.engine.connect() as conn:
        command.downgrade(_alembic_config(conn), "0005")
        conn.commit()
    back = _old_facts(db)
    assert back == old and len(back) == len(ids)


def test_a_row_the_quantities_come_to_read_is_filled_in_on_open(db, monkeypatch, tmp_path):
    """When juesuan's quantities read a row the store did not keep in key_facts (a newer juesuan),
    opening the store adds that row's cells of every stored version, once; a version written
    afterwards has them at once."""
    from juesuan.store import Store, records
    with Store.open(db) as store:
        vid = store.import_path(EXAMPLE).version_id
        before = store.counts()["key_facts"]
        t2 = [f for f in store.facts(vid) if f["table_id"] == "T2" and f["row_key"] == "合计"]
    assert len(t2) > 1
    monkeypatch.setattr(records, "_KEY_ROWS", records.key_rows() | {("T2", "合计")})
    for _ in range(2):                                 # the second open finds it done
        with Store.open(db) as store:
            assert store.counts()["key_facts"] == before + len(t2)
            got = store.table_facts([vid], rows=[("T2", "合计")])[vid]
            assert [(f["column"], f["value"], f["seq"]) for f in got] == [(f["column"], f["value"], f["seq"])
                                                                          for f in t2]
    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLE, copy)
    text = (copy / "disclosure.yaml").read_text(encoding="utf-8")
    (copy / "disclosure.yaml").write_text(text.replace("武汉市汉阳区大数据中心", "武汉市汉阳区测试中心"),
                                          encoding="utf-8")
    with Store.open(db) as store:
        other = store.import_path(copy).version_id
        assert store.counts()["key_facts"] == 2 * (before + len(t2))
        assert store.table_facts([other], rows=[("T2", "合计")])[other] == \
            [{**f, "version_id": other} for f in store.table_facts([vid], rows=[("T2", "合计")])[vid]]
