"""Benchmark for issue 4: `juesuan check` speed.

Run by hand: ``python bench/bench_check.py [--n 1000]``. Prints (as a Markdown table):

* process wall time of ``juesuan check examples/hanyang-bdc-2023`` (median of 5; target ≤ 0.5 s);
* in-process throughput of ``check(doc)`` on N **distinct generated disclosures** (target ≥ 200/s
  on one core), as wall and CPU time (``time.process_time``). Each disclosure is generated from
  the example's data as a finance bureau's batch would differ: every amount scaled by its own
  random factor (0.3–3×, so every figure in every sentence differs), a random subset of the
  功能分类 项 lines dropped (so the tables have different rows: different table shapes), the
  balances re-derived so that the data is consistent (it passes the reader's validation), and
  its own unit name; then tables (controlled rounding) and narrative are built. Generation is
  not timed. Three passes, each after clearing every memo and cache of the checker, so each
  document is checked as the first of its kind (no two documents share their words). Five
  passes; the median pass is the figure (the machine's speed varies by ±30 % from minute to
  minute). Before each pass a fixed pure-Python loop is timed (the "gauge"), so that a slow
  pass can be told from a slow machine.
* the same documents checked a second time (memos warm: what a re-check of the same documents
  costs), and a batch of the example with its tables perturbed at random (one to five cells
  moved by 0.01–5.00 万元, words shared: documents re-checked after a table was corrected).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import gc
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
CENT = Decimal("0.01")


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


# ----------------------------------------------------------------------------- distinct disclosures

# Decimal fields that are no amounts: a 绩效 score and the points it is out of
_NOT_AMOUNTS = frozenset(("score", "weight", "budget_weight"))


def _scaled(obj, k: Decimal):
    """``obj`` with every Decimal amount multiplied by ``k`` (to the fen)."""
    from juesuan.record import Record
    if isinstance(obj, Record):
        return obj.model_copy(update={n: _scaled(getattr(obj, n), k) for n in obj.model_fields
                                      if n not in _NOT_AMOUNTS})
    if isinstance(obj, list):
        return [_scaled(x, k) for x in obj]
    if isinstance(obj, dict):
        return {a: _scaled(b, k) for a, b in obj.items()}
    if isinstance(obj, Decimal):
        return (obj * k).quantize(CENT)
    return obj


def _consistent(d):
    """Re-derive what scaling and dropping lines broke: balances, fund balances, economic split."""
    from juesuan.final.canonical import validate
    from juesuan.final.model import FUNDS, INCOME_SOURCES, Fund, FundBalance
    inc = sum((getattr(x, s) for x in d.income for s in INCOME_SOURCES), Decimal(0))
    exp = sum((x.basic + x.project + x.to_superior + x.operating + x.to_affiliated for x in d.expenditure), Decimal(0))
    b = d.balances
    b = b.model_copy(update={"closing": inc + b.use_of_nonfiscal_balance + b.opening - exp - b.distribution})
    fbs = dict(d.fund_balances)
    for f in FUNDS:
        income_f = sum((getattr(x, f) for x in d.income), Decimal(0))
        spent_f = sum((a.basic + a.project for a in d.appropriations if a.fund.value == f), Decimal(0))
        fb = fbs.get(Fund(f))
        if fb is None and income_f == spent_f == 0:
            continue
        opening = fb.opening if fb else Decimal(0)
        fbs[Fund(f)] = (fb or FundBalance()).model_copy(update={"opening": opening,
                                                                 "closing": opening + income_f - spent_f})
    general_basic = sum((a.basic for a in d.appropriations if a.fund.value == "general"), Decimal(0))
    econ = dict(d.basic_by_economic)
    total = sum(econ.values(), Decimal(0))
    if total:
        econ = {k: (v * general_basic / total).quantize(CENT) for k, v in econ.items()}
        top = max(econ, key=lambda k: econ[k])
        econ[top] += general_basic - sum(econ.values(), Decimal(0))
    d = d.model_copy(update={"balances": b, "fund_balances": fbs, "basic_by_economic": econ, "fund_items": []})
    errors = [x for x in validate(d) if x.severity == "error"]
    assert not errors, errors
    return d


def distinct(n: int, seed: int = 4, variant: str = "national"):
    """``n`` Documents of distinct (consistent) disclosures built from the example's data, their
    tables in the layout ``variant``."""
    from juesuan.final.build import build_tables
    from juesuan.final.narrative import build_document
    return [build_document(d, build_tables(d, variant)) for d in distinct_models(n, seed)]


def distinct_models(n: int, seed: int = 4):
    """The data (models) of :func:`distinct`'s disclosures."""
    from juesuan.final.readers import load
    base, _ = load(EXAMPLE)
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        d = _scaled(base, Decimal(rng.randint(3000, 30000)) / 10000)
        d = d.model_copy(update={"entity": d.entity.model_copy(update={"name": f"武汉市汉阳区第{i + 1}数据中心"})})
        codes = sorted({x.code for x in d.expenditure})
        drop = set(rng.sample(codes, rng.randint(0, len(codes) - 2)))
        keep = lambda lines, drop=drop: [x for x in lines if x.code not in drop]  # noqa: E731
        d = d.model_copy(update={
            "income": keep(d.income), "expenditure": keep(d.expenditure),
            "appropriations": keep(d.appropriations), "fund_items": keep(d.fund_items),
            "initial_budget": d.initial_budget.model_copy(update={"items": keep(d.initial_budget.items),
                                                                  "total": None})})
        docs.append(_consistent(d))
    return docs


def perturbed(n: int, seed: int = 4):
    """``n`` copies of the example's Document with one to five table cells moved (words shared)."""
    from juesuan.final.build import build_tables
    from juesuan.final.narrative import build_document
    from juesuan.final.readers import load
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


def forget() -> None:
    """Forget everything the checker memoized across documents: every memo registered in
    ``juesuan.rules._memo`` (and, on a checkout from before it, every lru_cache of the rules)."""
    from juesuan.rules.engine import clear_caches
    clear_caches()
    for name, mod in list(sys.modules.items()):
        if name.startswith(("juesuan.rules", "juesuan.final.rules")) and mod is not None:
            for obj in vars(mod).values():
                if callable(getattr(obj, "cache_clear", None)) and getattr(obj, "__module__", "") == name:
                    obj.cache_clear()


def gauge() -> float:
    """CPU milliseconds of a fixed pure-Python loop: how fast this machine runs Python right now."""
    c = time.process_time()
    s = 0
    for i in range(300_000):
        s += i % 7
    return (time.process_time() - c) * 1000


GAUGES: list[float] = []


def throughput(docs, cold: bool = True, passes: int = 5) -> tuple[list[float], list[float], int]:
    """Per pass over ``docs``: documents per wall second and CPU milliseconds per document; findings.

    CPU time is ``time.process_time`` (this process, one core: ``check`` is single-threaded), the
    figure that depends least on what else the machine runs. ``cold``: :func:`forget` before each
    pass, so every document is checked as if it were the first of its kind. The generated
    documents are moved out of the garbage collector's sight first (``gc.freeze``): they are the
    benchmark's memory, not the checker's.
    """
    from juesuan.pipeline import check
    gc.collect()
    gc.freeze()
    rates, cpu_ms, n_findings = [], [], 0
    for _ in range(passes):
        if cold:
            forget()
        n_findings = 0
        GAUGES.append(gauge())
        t, c = time.perf_counter(), time.process_time()
        for doc in docs:
            n_findings += len(check(doc))
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        rates.append(len(docs) / wall)
        cpu_ms.append(cpu / len(docs) * 1000)
    return rates, cpu_ms, n_findings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="number of generated disclosures")
    args = ap.parse_args()
    walls, cpus = process_wall()
    from juesuan.pipeline import check
    check(perturbed(1)[0])                          # import every rule module, compile the regexes
    t = time.perf_counter()
    docs = distinct(args.n)
    gen = time.perf_counter() - t
    shapes = len({tuple((t.id, len(t.rows)) for t in d.tables) for d in docs})
    rates, cpu_ms, n_findings = throughput(docs)
    again_rates, again_ms, again_findings = throughput(docs, cold=False, passes=1)
    assert again_findings == n_findings, "a second check must find the same"
    pert = perturbed(args.n)
    p_rates, p_ms, p_findings = throughput(pert, passes=1)
    med = statistics.median(cpu_ms)
    print(setup_line())
    print()
    print("| measure | result | runs / notes |")
    print("|---|---|---|")
    print(f"| `juesuan check examples/hanyang-bdc-2023` process wall, median of 5 | "
          f"{statistics.median(walls):.3f} s | {', '.join(f'{t:.3f}' for t in walls)} |")
    print(f"| same, CPU time (user + system), median of 5 | {statistics.median(cpus):.3f} s | "
          f"{', '.join(f'{t:.3f}' for t in cpus)} |")
    print(f"| `check(doc)` in process, {len(docs)} distinct generated disclosures, CPU on one core, "
          f"median of {len(cpu_ms)} cold passes | {1000 / med:.0f} /s | {med:.2f} ms CPU per document "
          f"(passes: {', '.join(f'{1000 / m:.0f}' for m in cpu_ms)} /s; best pass {1000 / min(cpu_ms):.0f} /s; "
          f"wall {statistics.median(rates):.0f} /s); "
          f"{n_findings} findings; at least {shapes} table shapes; generated in {gen:.0f} s (not timed); "
          f"gauge before each pass {', '.join(f'{g:.0f}' for g in GAUGES[:len(cpu_ms)])} ms |")
    print(f"| same documents checked again (memos warm), CPU | {1000 / again_ms[0]:.0f} /s | "
          f"{again_ms[0]:.2f} ms CPU per document (wall {again_rates[0]:.0f} /s) |")
    print(f"| {len(pert)} copies of the example with perturbed tables (words shared), CPU | "
          f"{1000 / p_ms[0]:.0f} /s | {p_ms[0]:.2f} ms CPU per document (wall {p_rates[0]:.0f} /s); "
          f"{p_findings} findings |")


if __name__ == "__main__":
    main()
