"""Benchmark for issue 4: `juesuan check` speed.

Run by hand: ``python bench/bench_check.py``. Prints (as a Markdown table):

* process wall time of ``juesuan check examples/hanyang-bdc-2023`` (median of 5; target ≤ 0.5 s);
* in-process throughput of ``check(doc)`` on 1 000 generated disclosures (target ≥ 200/s on
  one core), as wall time and as CPU time per document (``time.process_time``). The disclosures
  are the example's Document with its tables perturbed at random (one to five cells moved by
  0.01–5.00 万元, so identities break in different places); the narrative and performance
  tables are shared. Generation is not timed.
* the same with every memo cleared before each document ("cold"): ``check`` memoizes what
  depends only on a document's words or on its table shape (see ``juesuan.rules.engine``),
  which these disclosures share; the cold figure is the cost of a document that shares nothing.
"""

from __future__ import annotations

import copy
import dataclasses
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _proc import juesuan_command, setup_line  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"


def process_wall(n: int = 5) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of ``juesuan check <example>`` in a fresh process."""
    import resource

    def once() -> tuple[float, float]:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([*juesuan_command(), "check", str(EXAMPLE)], capture_output=True)
        wall = time.perf_counter() - t
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    once()
    runs = [once() for _ in range(n)]
    return [w for w, _ in runs], [c for _, c in runs]


def generated(n: int = 1000, seed: int = 4):
    from juesuan.narrative import build_document
    from juesuan.readers import load
    from juesuan.tables import build_tables
    d, _ = load(EXAMPLE)
    base = build_document(d, build_tables(d))
    rng = random.Random(seed)
    layouts = {id(t.layout): t.layout for t in base.tables}
    cells = [(t.id, i, col) for t in base.tables for i, r in enumerate(t.rows) for col in r.cells]
    docs = []
    for _ in range(n):
        ts = copy.deepcopy(base.tables, memo=dict(layouts))
        for tid, i, col in rng.sample(cells, rng.randint(1, 5)):
            row = ts.tables[tid].rows[i]
            row.cells[col] = (row.cells[col] or Decimal(0)) + Decimal(rng.choice([1, 2, 5, 100, 500])) / 100
        docs.append(dataclasses.replace(base, tables=ts))
    return docs


def throughput(docs, cold: bool = False) -> tuple[float, float, int]:
    """(documents per wall second, CPU milliseconds per document, findings) of ``check`` in this process.

    CPU time is ``time.process_time`` (this process, one core: ``check`` is single-threaded), the
    figure that does not depend on what else the machine runs. ``cold``: forget every memo before
    each document (``juesuan.rules.engine.clear_caches``), i.e. the cost of a document that shares
    neither its words nor its table shape with one checked before (a lone ``juesuan check``).
    """
    from juesuan.rules import check
    from juesuan.rules.engine import clear_caches
    check(docs[0])  # compile regexes, import rule modules
    n_findings = 0
    t, c = time.perf_counter(), time.process_time()
    for doc in docs:
        if cold:
            clear_caches()
        n_findings += len(check(doc))
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    return len(docs) / wall, cpu / len(docs) * 1000, n_findings


def main() -> None:
    walls, cpus = process_wall()
    docs = generated()
    rate, cpu_ms, n_findings = throughput(docs)
    cold_rate, cold_ms, cold_findings = throughput(docs, cold=True)
    assert cold_findings == n_findings, "memoized and cold checks must find the same"
    print(setup_line())
    print()
    print("| measure | result | runs / notes |")
    print("|---|---|---|")
    print(f"| `juesuan check examples/hanyang-bdc-2023` process wall, median of 5 | "
          f"{statistics.median(walls):.3f} s | {', '.join(f'{t:.3f}' for t in walls)} |")
    print(f"| same, CPU time (user + system), median of 5 | {statistics.median(cpus):.3f} s | "
          f"{', '.join(f'{t:.3f}' for t in cpus)} |")
    print(f"| `check(doc)` in process, {len(docs)} generated disclosures, wall | {rate:.0f} /s | "
          f"{1000 / rate:.2f} ms per document; {n_findings} findings in total |")
    print(f"| same, CPU time on one core (`time.process_time`) | {1000 / cpu_ms:.0f} /s | "
          f"{cpu_ms:.2f} ms CPU per document |")
    print(f"| same, cold: memos cleared before every document, CPU | {1000 / cold_ms:.0f} /s | "
          f"{cold_ms:.2f} ms CPU per document (wall {cold_rate:.0f} /s) |")


if __name__ == "__main__":
    main()
