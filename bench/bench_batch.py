"""Benchmark for issue 16 §2–§3: ``juesuan batch`` over many generated disclosures.

Run by hand: ``python bench/bench_batch.py [--data 1000] [--pdf 200] [--small 100]``. Prints a
Markdown table for ``bench/RESULTS.md``. The inputs are made by ``bench/synth.py`` (random
consistent departments, each different): ``--data`` canonical data directories and ``--pdf`` PDFs
built by juesuan from more of them (not timed). Measured, all in this one run (the machine is
noisy: the targets are ratios between runs made side by side):

* documents per second of the batch engine (:func:`juesuan.batch.run.run`, into a fresh SQLite
  store) with 1 and 2 worker processes — target: 2 workers ≥ 1.7 × 1 worker;
* the same without the store (the workers' analysis only, :func:`juesuan.batch.supervise.supervise`)
  — target: the store adds ≤ 15 % to the batch's time;
* the same batch on a local Dask cluster of 2 workers — target: within 1.3 × the process pool;
* peak memory of a worker (its own maximum resident set) after ``--small`` and after all the data
  documents — target: flat (≤ 1.2 ×);
* a second run over the same inputs: documents redone (target 0).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_data, write_pdfs  # noqa: E402

from juesuan.batch.run import analyse, run  # noqa: E402
from juesuan.batch.supervise import supervise  # noqa: E402


def analyse_rss(path: str) -> int:
    """A worker's analysis, returning its peak resident set (KiB) instead of the rows."""
    import resource
    analyse(path)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _store(d: Path):
    from juesuan.store import Store
    return Store.open(d / f"b{time.monotonic_ns()}.db")


def timed_run(paths: list[Path], jobs: int, d: Path, engine: str = "processes") -> tuple[float, int, int]:
    store = _store(d)
    try:
        t = time.perf_counter()
        r = run(paths, store, jobs=jobs, engine=engine, timeout=600)
        seconds = time.perf_counter() - t
    finally:
        store.close()
    return seconds, r.count("new"), len(r.failed)


def timed_analysis(paths: list[Path], jobs: int) -> tuple[float, int]:
    from juesuan.store.records import walk
    sources = [str(p) for p in walk(paths)]
    t = time.perf_counter()
    rss = [o.value for o in supervise(analyse_rss, sources, jobs, 600) if o.ok]
    return time.perf_counter() - t, max(rss)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=int, default=1000)
    ap.add_argument("--pdf", type=int, default=200)
    ap.add_argument("--small", type=int, default=100)
    ap.add_argument("--no-dask", action="store_true")
    a = ap.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        t = time.perf_counter()
        data = write_data(d / "data", a.data, seed=1)
        pdfs = write_pdfs(d / "pdf", a.pdf, seed=2) if a.pdf else []
        print(f"inputs made in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        sets = [("data", [d / "data"], len(data))] + ([("pdf", [d / "pdf"], len(pdfs))] if pdfs else [])
        for name, paths, n in sets:
            one, stored, failed = timed_run(paths, 1, d)
            assert stored == n and not failed, (name, stored, failed)
            two, _, _ = timed_run(paths, 2, d)
            bare, _ = timed_analysis(paths, 2)
            rows.append((f"{name}: {n} documents, 1 worker", f"{one:.1f} s ({n / one:.1f} doc/s)", "baseline"))
            rows.append((f"{name}: 2 workers", f"{two:.1f} s ({n / two:.1f} doc/s)",
                         f"**{one / two:.2f} ×** faster (target ≥ 1.7 ×)"))
            rows.append((f"{name}: 2 workers, analysis only (no store)", f"{bare:.1f} s",
                         f"the store adds **{(two / bare - 1) * 100:+.0f} %** (target ≤ 15 %)"))
            if not a.no_dask:
                dask, stored, _ = timed_run(paths, 2, d, engine="dask")
                assert stored == n
                rows.append((f"{name}: 2 Dask workers (LocalCluster)", f"{dask:.1f} s",
                             f"**{dask / two:.2f} ×** the process pool (target ≤ 1.3 ×)"))
        _, small_rss = timed_analysis([d / "data" / f"unit-{i:04d}" for i in range(1, a.small + 1)], 1)
        _, all_rss = timed_analysis([d / "data"], 1)
        rows.append((f"peak worker memory after {a.small} / {a.data} documents",
                     f"{small_rss / 1024:.0f} MB / {all_rss / 1024:.0f} MB",
                     f"**{all_rss / small_rss:.2f} ×** (target ≤ 1.2 ×)"))
        store = _store(d)
        try:
            run([d / "data"], store, jobs=2)
            again = run([d / "data"], store, jobs=2)
        finally:
            store.close()
        rows.append(("second run over the same data", f"{again.seconds:.1f} s",
                     f"redone: **{again.count('new') + again.count('version')}**, skipped as unchanged: "
                     f"{again.count('unchanged')} (target: 0 redone)"))
    print(f"\nload average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores\n")
    print("| measure | time | result |\n|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
