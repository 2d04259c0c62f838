"""Benchmark (issue 3): process wall time of ``juesuan build`` for the example, all formats.

Runs ``juesuan build examples/hanyang-bdc-2023 -o <tmp> --format …`` as a fresh
process (``python -m juesuan``, so the timing includes interpreter start and
imports, as a user sees it), N times per format set, and prints a markdown table
with the median, min and max. Usage::

    python bench/bench_build.py [--runs 5]

The figures for bench/RESULTS.md ("## build, all formats (issue 3)") come from here.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _proc import juesuan_command, setup_line  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"
CASES = (("html,docx,xlsx", 1.5), ("html,docx,xlsx,pdf", 3.0), ("html", None), ("docx", None),
         ("xlsx", None), ("pdf", None))


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(formats: str) -> tuple[float, float]:
    """(wall, cpu) seconds of one build process."""
    with tempfile.TemporaryDirectory(prefix="juesuan-bench-") as out:
        cmd = [*juesuan_command(), "build", str(EXAMPLE), "-o", out, "--format", formats]
        c0, t0 = _children_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        dt, cpu = time.perf_counter() - t0, _children_cpu() - c0
        if proc.returncode != 0:
            raise SystemExit(f"build failed ({formats}):\n{proc.stdout}\n{proc.stderr}")
        missing = [f for f in formats.split(",") if not list(Path(out).glob(f"*.{f}"))]
        if missing:
            raise SystemExit(f"build wrote no {', '.join(missing)}")
    return dt, cpu


def breakdown(runs: int) -> list[tuple[str, float]]:
    """In-process CPU seconds of each stage (imports done first), median of ``runs``."""
    from juesuan.final.build import build_tables
    from juesuan.final.narrative import build_document
    from juesuan.final.readers import load
    from juesuan.renderers import render
    for mod in ("html", "docx", "xlsx", "pdf"):
        __import__(f"juesuan.renderers.{mod}")
    stages: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="juesuan-bench-") as out:
        for _ in range(runs):
            t = time.process_time()
            d, _ = load(EXAMPLE)
            tables = build_tables(d)
            doc = build_document(d, tables)
            stages.setdefault("load + tables + narrative", []).append(time.process_time() - t)
            for fmt in ("html", "docx", "xlsx", "pdf"):
                t = time.process_time()
                render(doc, fmt, Path(out))
                stages.setdefault(f"render {fmt}", []).append(time.process_time() - t)
    return [(k, statistics.median(v)) for k, v in stages.items()]


def import_cost() -> list[tuple[str, float]]:
    """Wall seconds to import each renderer's libraries in a fresh interpreter."""
    out = []
    for what in ("juesuan.cli", "juesuan.renderers.html", "docx", "openpyxl", "typst"):
        code = f"import time; t = time.perf_counter(); import {what}; print(time.perf_counter() - t)"
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        out.append((what, float(r.stdout)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", help="';'-separated subset of the cases, e.g. 'html,docx,xlsx;html'")
    ap.add_argument("--breakdown", action="store_true", help="also time each stage in-process")
    args = ap.parse_args()
    cases = [c for c in CASES if not args.only or c[0] in args.only.split(";")]
    rows = []
    for formats, target in cases:
        run_once(formats)                       # warm the file cache (not counted)
        runs = [run_once(formats) for _ in range(args.runs)]
        times = [w for w, _ in runs]
        cpu = statistics.median(c for _, c in runs)
        rows.append((formats, statistics.median(times), min(times), max(times), cpu, target))
        print(f"{formats}: {statistics.median(times):.2f} s", file=sys.stderr)
    print(f"{setup_line()} (at the end); median of {args.runs} runs; wall = process wall time, "
          f"CPU = user + system time of the process (less sensitive to other load).\n")
    print("| formats | wall median s | wall min s | wall max s | CPU median s | target (wall) |")
    print("|---|---:|---:|---:|---:|---|")
    for formats, med, lo, hi, cpu, target in rows:
        tgt = f"≤ {target:g} s ({'met' if med <= target else 'missed'})" if target else ""
        print(f"| {formats} | {med:.2f} | {lo:.2f} | {hi:.2f} | {cpu:.2f} | {tgt} |")
    if args.breakdown:
        print("\nIn-process CPU time per stage (imports done), median:\n")
        print("| stage | CPU s |\n|---|---:|")
        for name, sec in breakdown(args.runs):
            print(f"| {name} | {sec:.2f} |")
        print("\nImport time in a fresh interpreter (wall, one run):\n")
        print("| import | s |\n|---|---:|")
        for name, sec in import_cost():
            print(f"| {name} | {sec:.2f} |")


if __name__ == "__main__":
    main()
