"""Benchmark (issue 6): time to read the example workbook with ``read_workbook``.

The workbook is the input template pre-filled from the example
(``juesuan template --from examples/hanyang-bdc-2023``), with its hidden catalogue
sheets. Reported: the median of 5 in-process reads (imports done), the first read
in a fresh process (imports included), and, when the XLSX renderer exists, the read
of the workbook ``juesuan build`` writes. Usage::

    python bench/bench_workbook.py [--runs 5] [--write]

``--write`` replaces the "## workbook read (issue 6)" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"
SECTION = "## workbook read (issue 6)"
TARGET = 0.5


def _median_read(path: Path, runs: int) -> tuple[float, float, float]:
    from juesuan.final.workbook import read_workbook
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        read_workbook(path)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times)


def _cold(path: Path) -> float:
    code = ("import time; t=time.perf_counter(); from juesuan.final.workbook import read_workbook; "
            f"read_workbook({str(path)!r}); print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    from juesuan.final.readers import load
    from juesuan.final.workbook import write_template

    model, _ = load(EXAMPLE)
    rows = []
    with tempfile.TemporaryDirectory(prefix="juesuan-bench-") as tmp:
        tpl = write_template(Path(tmp) / "决算数据.xlsx", model)
        med, lo, hi = _median_read(tpl, args.runs)
        rows.append(("template filled from the example (元, 23 sheets)", med, lo, hi, _cold(tpl)))
        if importlib.util.find_spec("juesuan.renderers.xlsx"):
            from juesuan.final.build import build_tables
            from juesuan.final.narrative import build_document
            from juesuan.renderers import render
            built = render(build_document(model, build_tables(model)), "xlsx", Path(tmp))
            med, lo, hi = _median_read(built, args.runs)
            rows.append(("XLSX written by `juesuan build` (万元, nine tables)", med, lo, hi, _cold(built)))
    lines = [SECTION, "",
             f"`python bench/bench_workbook.py` — {platform.python_implementation()} {platform.python_version()}, "
             f"{platform.machine()}; median of {args.runs} in-process reads (`read_workbook`, imports done), "
             f"and the first read in a fresh process (imports included). Target ≤ {TARGET} s.", "",
             "| workbook | median | min | max | fresh process |", "|---|---|---|---|---|"]
    for name, med, lo, hi, cold in rows:
        flag = "" if med <= TARGET else " ⚠"
        lines.append(f"| {name} | {med:.3f} s{flag} | {lo:.3f} s | {hi:.3f} s | {cold:.3f} s |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        res = ROOT / "bench" / "RESULTS.md"
        old = res.read_text(encoding="utf-8") if res.exists() else "# Benchmarks\n"
        if SECTION in old:
            head, _, rest = old.partition(SECTION)
            nxt = rest.find("\n## ")
            old = head.rstrip("\n") + "\n\n" + (rest[nxt + 1:] if nxt >= 0 else "")
        res.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
