"""Benchmark for issue 17's targets: the web's pages with 1 000 departments and 3 000 documents.

Run by hand: ``python bench/bench_web.py [--departments 1000] [--documents 3000] [--seconds 30]
[--users 20]``. Prints Markdown for ``bench/RESULTS.md``.

The store is made by :func:`synthetic_store` — not by parsing 3 000 files: a few departments of
``bench/synth.py`` are built and checked by the pipeline (``pipeline.audit``), and their records
(facts, findings, narrative facts) are written again through ``Store.write`` under other
departments' names and years, every amount scaled by a random factor, some with errors or
warnings added, some disclosures with a second version, some marked 已公开. It is kept under
``/tmp`` (by its parameters) and reused by the next run.

Measured against ``juesuan serve``'s application run by uvicorn in a subprocess on a free port,
over HTTP (httpx), logged in as an administrator:

* the dashboard of the latest year, every region (all departments: the first 200 rows, the rest
  come as the table is scrolled; and with ``all=1``, every row at once), and of one region: p50 and
  p95 of sequential requests — target p50 ≤ 150 ms, p95 ≤ 400 ms — and the first request after
  the server started (the first page's: no key figure read yet, see docs/web.md);
* a document page (``/documents/{id}``, whatever this branch serves there) — target p95 ≤ 300 ms;
* a department's history page and the live search (``/dashboard/rows?q=…``);
* a bounded load test: ``--users`` concurrent users (threads), each logged in, for ``--seconds``,
  each request one of the pages above at random — target: no error.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import hashlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import KINDS, WORDS, write_data  # noqa: E402

from juesuan.store.records import FACT_COLUMNS, pack_facts  # noqa: E402

REGIONS = ("武汉市汉阳区", "武汉市江岸区", "武汉市武昌区")
YEARS = (2022, 2023, 2024)
_CENT = Decimal("0.01")


def _records(n: int, seed: int) -> list:
    """The records of ``n`` departments of bench/synth.py, built and checked by the pipeline."""
    from juesuan import pipeline
    from juesuan.store.records import record_of
    with tempfile.TemporaryDirectory() as tmp:
        return [record_of(pipeline.audit(d), d) for d in write_data(Path(tmp), n, seed)]


_VALUE, _TABLE = FACT_COLUMNS.index("value"), FACT_COLUMNS.index("table_id")


def _finding(rng: random.Random, severity: str, k: int) -> dict:
    rule = rng.choice(["JS101", "JS102", "JS201", "JS305", "JS401"])
    return {"seq": k, "rule": rule, "severity": severity,
            "message": f"合成的{'错误' if severity == 'error' else '警告'} {k + 1}：表内数字不一致（基准测试数据）",
            "figures": [], "places": [{"table": "T1", "row": "income:total", "column": "收入:决算数"}],
            "fingerprint": hashlib.sha256(f"{rule}{k}".encode()).hexdigest()[:32]}


def _variant(rng: random.Random, rec, name: str, region: str, year: int, errors: int, warnings: int):
    """``rec`` as department ``name``'s disclosure of ``year``: amounts scaled, findings made up."""
    factor = Decimal(rng.randint(40, 250)) / 100

    def scaled(f: tuple) -> tuple:   # a fact row (records.FACT_COLUMNS): its amount is decimal text
        v = f[_VALUE]
        v = None if v is None else format((Decimal(v) * factor).quantize(_CENT, ROUND_HALF_UP), "f")
        return f[:_VALUE] + (v,) + f[_VALUE + 1:]
    facts = [scaled(f) for f in rec.facts]
    if rng.random() < 0.1:      # some do not give 三公 (blank, not 0)
        facts = [f for f in facts if f[_TABLE] != "T9"]
    findings = [_finding(rng, "error", k) for k in range(errors)] + \
               [_finding(rng, "warning", errors + k) for k in range(warnings)]
    tables, keys = pack_facts(facts)
    return dataclasses.replace(rec, entity=name, region=region, year=year, fact_tables=tables, key_facts=keys,
                               fact_count=len(facts), findings=findings,
                               counts={"error": errors, "warning": warnings, "info": 0},
                               title=f"{name}{year}年度部门决算", narrative=copy.deepcopy(rec.narrative))


def fill_store(store, departments: int, documents: int, seed: int = 17, templates: int = 6) -> None:
    """Write into ``store`` (empty) ``departments`` departments (in :data:`REGIONS`) with
    ``documents`` versions over :data:`YEARS`: every department has the first two years; the last
    year is missing for some (未提交) and has a second version for others, as ``documents`` requires;
    about a third of the middle year's clean disclosures are marked 已公开."""
    from datetime import UTC, datetime

    from juesuan.store.records import Source
    from juesuan.store.schema import disclosure_status, disclosures, versions
    rng = random.Random(seed)
    recs = _records(templates, seed)
    names = [f"{REGIONS[0 if i % 10 < 6 else 1 if i % 10 < 9 else 2]}{rng.choice(WORDS)}{rng.choice(KINDS)}{i:04d}"
             for i in range(1, departments + 1)]
    # documents = 2 × departments (two full years) + the last year's first versions + second versions
    last = min(departments - departments // 10, max(0, documents - 2 * departments))
    seconds = min(last, max(0, documents - 2 * departments - last))
    plan = [(n, y, 1) for n in names for y in YEARS[:2]] + [(n, YEARS[2], 1) for n in names[:last]] + \
           [(n, YEARS[2], 2) for n in names[:seconds]]
    for k, (name, year, number) in enumerate(plan[:documents]):
        r = rng.random()
        errors = rng.randint(1, 3) if r < 0.15 and number == 1 else 0
        warnings = rng.randint(1, 4) if r < 0.45 else 0
        region = next(g for g in REGIONS if name.startswith(g))
        rec = _variant(rng, recs[k % len(recs)], name, region, year, errors, warnings)
        sha = hashlib.sha256(f"{seed}/{name}/{year}/{number}".encode()).hexdigest()
        store.write(rec, Source(Path(f"/bench/{name}-{year}-{number}.yaml"), (), sha, 4096, "yaml"), diff=False)
    import sqlalchemy as sa
    with store.engine.begin() as conn:
        clean = conn.execute(sa.select(disclosures.c.id).join(versions, versions.c.disclosure_id == disclosures.c.id)
                             .where(disclosures.c.year == YEARS[1], versions.c.status == "ok")
                             .order_by(disclosures.c.id)).scalars().all()
        chosen = [d for d in clean if rng.random() < 0.35]
        if chosen:
            conn.execute(disclosure_status.insert(), [
                {"disclosure_id": d, "status": "published", "user_name": "admin", "at": datetime.now(UTC)}
                for d in chosen])


def synthetic_store(path: Path, departments: int = 1000, documents: int = 3000, seed: int = 17,
                    templates: int = 6) -> Path:
    """An SQLite store at ``path`` made by :func:`fill_store`, once: an existing complete file
    is returned as it is."""
    from juesuan.store import Store
    path = Path(path)
    if path.exists():
        with Store.open(path) as s:
            if s.counts()["versions"] == documents:
                return path
        path.unlink()
    tmp = path.with_name(path.name + ".part")
    for f in (path, tmp):
        for extra in (f.with_name(f.name + "-wal"), f.with_name(f.name + "-shm")):
            extra.unlink(missing_ok=True)
    tmp.unlink(missing_ok=True)
    store = Store.open(tmp)
    try:
        fill_store(store, departments, documents, seed, templates)
    finally:
        store.close()
    os.replace(tmp, path)
    return path


# ------------------------------------------------------------------------------------ measuring

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_SERVER = """
import sys
sys.path.insert(0, {root!r})
import uvicorn
from juesuan.store import Store
from juesuan.web import Settings, create_app
app = create_app(Settings(db={db!r}, seed=False, login_attempts=1000), store=Store.open({db!r}))
uvicorn.run(app, host="127.0.0.1", port={port}, log_level="warning", access_log=False)
"""


def serve(db: Path) -> tuple[subprocess.Popen, str]:
    """uvicorn with the application over ``db`` in a subprocess: (the process, its base URL)."""
    import httpx
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", _SERVER.format(root=str(ROOT), db=str(db), port=port)])
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/login", timeout=1)
            return proc, base
        except httpx.HTTPError:
            if proc.poll() is not None:
                raise SystemExit("uvicorn did not start") from None
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("uvicorn did not answer")


def _client(base: str, password: str):
    import httpx
    c = httpx.Client(base_url=base, timeout=30)
    r = c.post("/api/login", json={"username": "bench", "password": password})
    r.raise_for_status()
    return c


def _percentiles(ms: list[float]) -> tuple[float, float]:
    qs = statistics.quantiles(ms, n=100, method="inclusive")
    return statistics.median(ms), qs[94]


def timed(client, url: str, n: int) -> tuple[float, float, float]:
    """The first request's time (ms), then p50 and p95 of ``n`` more."""
    t = time.perf_counter()
    client.get(url).raise_for_status()
    first = (time.perf_counter() - t) * 1000
    ms = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(url)
        ms.append((time.perf_counter() - t) * 1000)
        r.raise_for_status()
    return (first, *_percentiles(ms))


def load(base: str, password: str, urls: list[str], users: int, seconds: float) -> dict:
    """``users`` threads, each its own client logged in beforehand (not timed), requesting
    ``urls`` at random, one after the other, for ``seconds``."""
    clients = [_client(base, password) for _ in range(users)]
    lock = threading.Lock()
    ms: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def user(i: int) -> None:
        rng, c = random.Random(i), clients[i]
        while time.monotonic() < stop:
            url = rng.choice(urls)
            t = time.perf_counter()
            try:
                r = c.get(url)
                why = None if r.status_code == 200 else f"HTTP {r.status_code}"
            except Exception as e:  # noqa: BLE001 - counted, reported
                why = repr(e)
            with lock:
                ms.append((time.perf_counter() - t) * 1000)
                if why:
                    errors.append(f"{url}: {why}")

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    for c in clients:
        c.close()
    p50, p95 = _percentiles(ms) if len(ms) > 1 else (0, 0)
    return {"requests": len(ms), "errors": errors, "p50": p50, "p95": p95, "rps": len(ms) / wall, "wall": wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--departments", type=int, default=1000)
    ap.add_argument("--documents", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--db", type=Path, default=None, help="the store (default: under /tmp, kept between runs)")
    a = ap.parse_args()
    import httpx  # noqa: F401 - fail early when missing
    from _proc import setup_line

    from juesuan.store import Store
    from juesuan.store.accounts import Accounts
    db = a.db or Path(tempfile.gettempdir()) / f"juesuan-bench-web-{a.departments}-{a.documents}-v4.db"
    t = time.perf_counter()
    synthetic_store(db, a.departments, a.documents)
    made = time.perf_counter() - t
    password = "bench-password-1"
    with Store.open(db) as s:
        acc = Accounts(s.engine)
        if acc.get("bench") is None:
            acc.add("bench", "admin", password)
        counts = s.counts()
        latest = max(v for v in YEARS)
        some = s.versions(year=latest)
    vid = some[len(some) // 2]["id"]
    entity = some[len(some) // 2]["entity_id"]
    proc, base = serve(db)
    try:
        c = _client(base, password)
        pages = {
            f"/dashboard?year={latest}": "dashboard, every region (all departments; first 200 rows sent)",
            f"/dashboard?year={latest}&all=1": "dashboard, every region, every row at once (all=1)",
            f"/dashboard/rows?year={latest}&offset=200": "the next 200 rows (scrolling)",
            f"/dashboard?region={REGIONS[0]}&year={latest}": f"dashboard, one region ({REGIONS[0]})",
            f"/dashboard/rows?year={latest}&q=数据": "live search (table body), q=数据",
            f"/documents/{vid}": "document page (this branch's /documents/{id})",
            f"/entities/{entity}": "a department's history",
        }
        rows = []
        for url, what in pages.items():
            rows.append((what, url, *timed(c, url, a.runs)))
        result = load(base, password, list(pages), a.users, a.seconds)
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"Store: {counts['entities']} entities, {counts['versions']} versions, {counts['facts']} facts, "
          f"{counts['findings']} findings (made or reused in {made:.1f} s). {setup_line()}.\n")
    print(f"| page | URL | first (ms) | p50 (ms) | p95 (ms) of {a.runs} |\n|---|---|---:|---:|---:|")
    for what, url, first, p50, p95 in rows:
        print(f"| {what} | `{url}` | {first:.0f} | {p50:.0f} | {p95:.0f} |")
    print(f"\nLoad: {a.users} users for {a.seconds:.0f} s: {result['requests']} requests "
          f"({result['rps']:.1f}/s), p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, "
          f"{len(result['errors'])} errors{': ' + '; '.join(result['errors'][:5]) if result['errors'] else ''}")


if __name__ == "__main__":
    main()
