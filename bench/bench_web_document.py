"""The document page's time with 3 000 documents in the store (issue 17: p95 ≤ 300 ms).

Run by hand: ``python bench/bench_web_document.py [--documents 3000] [--requests 60]``. Prints
Markdown for ``bench/RESULTS.md``.

The store: the bundled example and the example with one figure of its 一般公共预算财政拨款支出决算表
changed (事业单位医疗 8.92 → 9.92), as text and as PDF, imported with ``Store.import_path``; then
``--documents`` other versions written through ``Store.write`` — the broken text's record under
other departments' names (its facts and findings), so that the store holds that many documents and
their rows. Measured in process with FastAPI's TestClient, logged in as a reviewer: each page is
viewed once first (it is read again from its source and kept: what a first view of a version
imported by ``db import`` costs, reported apart), then ``--requests`` times in a row; p50 and p95 —
of the application as it runs (a page once drawn is kept, the marks put in at each request) and of
one that keeps no page (every request reads the document from the store and draws it).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _sources(d: Path) -> dict[str, Path]:
    from juesuan import pipeline
    doc = pipeline.build(ROOT / "examples" / "hanyang-bdc-2023").document
    row = next(r for r in doc.tables["T5"].rows if r.code == "2101102")
    row.cells["小计"] = row.cells["基本支出"] = Decimal("9.92")
    for fmt in ("txt", "pdf"):
        pipeline.render(doc, [fmt], d, name="bad")
    return {"txt": d / "bad.txt", "pdf": d / "bad.pdf"}


def _fill(store, record, n: int) -> float:
    from juesuan.store.records import Source
    t = time.perf_counter()
    for i in range(n):
        rec = dataclasses.replace(record, entity=f"武汉市汉阳区合成单位{i:04d}", region="武汉市汉阳区")
        sha = hashlib.sha256(f"synthetic {i}".encode()).hexdigest()
        p = Path(f"/nonexistent/synthetic-{i}.txt")
        store.write(rec, Source(p, (p,), sha, 1, "txt"), diff=False)
    return time.perf_counter() - t


def _times(client, url: str, n: int) -> tuple[float, list[float]]:
    t = time.perf_counter()
    r = client.get(url)
    first = time.perf_counter() - t
    assert r.status_code == 200, (url, r.status_code)
    out = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(url)
        out.append(time.perf_counter() - t)
        assert r.status_code == 200
    return first, out


def _p(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=3000)
    ap.add_argument("--requests", type=int, default=60)
    args = ap.parse_args()
    from fastapi.testclient import TestClient

    from juesuan import pipeline
    from juesuan.store import Store
    from juesuan.store.records import record_of
    from juesuan.web import Settings, create_app
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        src = _sources(d)
        store = Store.open(d / "s.db")
        ids = {"example": store.import_path(ROOT / "examples" / "hanyang-bdc-2023").version_id,
               "text": store.import_path(src["txt"]).version_id,
               "pdf": store.import_path(src["pdf"]).version_id}
        filled = _fill(store, record_of(pipeline.audit(src["txt"]), src["txt"]), args.documents)
        total = store.counts()
        app = create_app(Settings(seed=False, upload_dir=d / "uploads"), store=store)
        app.state.accounts.add("rev", "reviewer", "bench-password-1")
        c = TestClient(app)
        c.post("/login", data={"username": "rev", "password": "bench-password-1"})
        # the same over an application that keeps no page drawn: every request draws the page
        from juesuan.web.documents import _Pages
        cold = create_app(Settings(seed=False, upload_dir=d / "uploads"), store=store)
        cold.state.document_pages = _Pages(0)
        k = TestClient(cold)
        k.post("/login", data={"username": "rev", "password": "bench-password-1"})
        print(f"store: {total} ({args.documents} written in {filled:.0f} s)\n")
        print("| page | first view (read again, kept) | p50 | p95 | p50 / p95 drawn every time | requests |")
        print("|---|---|---|---|---|---|")
        for name, vid in ids.items():
            first, xs = _times(c, f"/documents/{vid}", args.requests)
            _, ys = _times(k, f"/documents/{vid}", args.requests)
            print(f"| /documents/{vid} ({name}) | {first * 1000:.0f} ms | {statistics.median(xs) * 1000:.0f} ms "
                  f"| {_p(xs, 0.95) * 1000:.0f} ms | {statistics.median(ys) * 1000:.0f} / "
                  f"{_p(ys, 0.95) * 1000:.0f} ms | {len(xs)} |")
        first, xs = _times(c, f"/documents/{ids['pdf']}/pages/10.png", args.requests)
        print(f"| /documents/{ids['pdf']}/pages/10.png | {first * 1000:.0f} ms (drawn) | "
              f"{statistics.median(xs) * 1000:.0f} ms | {_p(xs, 0.95) * 1000:.0f} ms | | {len(xs)} |")


if __name__ == "__main__":
    main()
