"""Benchmark for issue 16 §5: consolidating 10 000 unit disclosures (target ≤ 60 s).

Run by hand: ``python bench/bench_consolidate.py [--n 10000] [--seed 1]``. Prints a Markdown table.

The units are one department drawn by ``tests/unitgen.py`` (the generator the consolidation tests
use): a 本级 and ``n - 1`` units under it in a tree, each with its own random figures on 2–6 项,
projects, 三公, …, and money moving between units (上级补助 and 上缴, on 项 of their own on either
side), counterparts named by ``entity.parent`` or by ``transfers`` on one side or both. Each unit is
written as its own canonical YAML file (not timed). Then, in this one process:

* **load** (the baseline): reading the ``n`` files as ``juesuan consolidate`` reads them
  (``kind.load``: YAML, the model's validation, the catalogue checks);
* **consolidate**: :func:`juesuan.final.consolidate.consolidate` on the loaded models — sums,
  elimination, the result's validation — and the result written as YAML text;
* **command**: ``juesuan consolidate DIR/*.yaml --name … --jobs N -o dept.yaml`` in a fresh process,
  end to end (start-up, loading — in N worker processes —, consolidating, writing), N = 1 and 2;

and checks the result: the transfers eliminated equal those the generator made between the units,
and nothing was left unmatched. The target is on the consolidation (the step this issue adds) and
on the whole command; the ratio to loading says what consolidating costs beside reading the inputs.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))
from _proc import juesuan_command, setup_line  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    from unitgen import family

    from juesuan.final.consolidate import consolidate
    from juesuan.final.dump import text
    from juesuan.pipeline import kind_named

    t = time.perf_counter()
    fam = family(args.seed, args.n)
    gen = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        paths = []
        t = time.perf_counter()
        for i, u in enumerate(fam.units):
            p = d / f"unit{i:05d}.yaml"
            p.write_text(text(u), encoding="utf-8")
            paths.append(p)
        write = time.perf_counter() - t
        size = sum(p.stat().st_size for p in paths)

        kind = kind_named()
        t, c = time.perf_counter(), time.process_time()
        loaded = [(str(p), kind.load(p)[0]) for p in paths]
        load = (time.perf_counter() - t, time.process_time() - c)

        t, c = time.perf_counter(), time.process_time()
        r = consolidate(loaded, fam.names[0])
        cons = (time.perf_counter() - t, time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        out_text = text(r.disclosure)
        dump = (time.perf_counter() - t, time.process_time() - c)
        assert r.eliminated == fam.internal, (r.eliminated, fam.internal)
        assert not [x for x in r.notes if x.message.startswith("未抵销")], r.notes

        commands = []
        for jobs in (1, 2):
            out = d / f"dept{jobs}.yaml"
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            proc = subprocess.run([*juesuan_command(), "consolidate", *map(str, paths), "--name", fam.names[0],
                                   "--jobs", str(jobs), "-o", str(out)], capture_output=True, text=True)
            wall = time.perf_counter() - t
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            assert proc.returncode == 0, proc.stderr[-2000:]
            assert out.read_text(encoding="utf-8").endswith(out_text)
            commands.append((f"`juesuan consolidate --jobs {jobs}` end to end", (
                wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))))

    print(f"{args.n} units (seed {args.seed}), {size / 1e6:.1f} MB of YAML; {len(fam.flows)} transfers between "
          f"units, {r.eliminated:,.2f} yuan eliminated on each side; generated in {gen:.1f} s, written in "
          f"{write:.1f} s (not timed). {setup_line()}\n")
    print("| step | wall s | CPU s | per unit ms (wall) | wall ÷ load |")
    print("|---|---|---|---|---|")
    for name, (w, c) in (("load the inputs (baseline)", load), ("consolidate (sum, eliminate, validate)", cons),
                         ("write the result as YAML text", dump), *commands):
        print(f"| {name} | {w:.2f} | {c:.2f} | {w / args.n * 1000:.3f} | {w / load[0]:.2f} |")

if __name__ == "__main__":
    main()
