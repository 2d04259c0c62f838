"""Benchmark for issue 4: `juesuan check` speed.

Run by hand: ``python bench/bench_check.py``. Prints (as a Markdown table):

* process wall time of ``juesuan check examples/hanyang-bdc-2023`` (median of 5; target ≤ 0.5 s);
* in-process throughput of ``check(doc)`` on 1 000 generated disclosures (target ≥ 200/s on
  one core). The disclosures are the example's Document with its tables perturbed at random
  (one to five cells moved by 0.01–5.00 万元, so identities break in different places); the
  narrative and performance tables are shared. Generation is not timed.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"


def process_wall(n: int = 5) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of ``juesuan check <example>`` in a fresh process."""
    import resource

    def once() -> tuple[float, float]:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "juesuan", "check", str(EXAMPLE)], capture_output=True)
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


def throughput(docs) -> tuple[float, float, int]:
    """Documents per second, wall clock and CPU time of this process."""
    from juesuan.rules import check
    check(docs[0])  # compile regexes, import rule modules
    t, c = time.perf_counter(), time.process_time()
    n_findings = 0
    for doc in docs:
        n_findings += len(check(doc))
    return len(docs) / (time.perf_counter() - t), len(docs) / (time.process_time() - c), n_findings


def main() -> None:
    walls, cpus = process_wall()
    docs = generated()
    rate, cpu_rate, n_findings = throughput(docs)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.2f} on {os.cpu_count()} CPUs")
    print()
    print("| measure | result | runs / notes |")
    print("|---|---|---|")
    print(f"| `juesuan check examples/hanyang-bdc-2023` process wall, median of 5 | "
          f"{statistics.median(walls):.3f} s | {', '.join(f'{t:.3f}' for t in walls)} |")
    print(f"| same, CPU time (user + system), median of 5 | {statistics.median(cpus):.3f} s | "
          f"{', '.join(f'{t:.3f}' for t in cpus)} |")
    print(f"| `check(doc)` in process, {len(docs)} generated disclosures, wall | {rate:.0f} /s | "
          f"{n_findings} findings in total |")
    print(f"| same, per CPU second | {cpu_rate:.0f} /s | |")


if __name__ == "__main__":
    main()
