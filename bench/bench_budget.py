"""Budget parse benchmark (issue 18): reading a published 部门预算 vs pypdfium2's characters.

For each budget in ``../shared/samples/budgets`` (Beijing's two files — text and tables — as one
document, as ``juesuan parse TEXT TABLES`` reads them):

* ``raw``: pypdfium2 alone, every character's code point and box on every page (the yardstick of
  issue 5, :func:`bench_parse.raw_chars`), summed over the document's files;
* ``read``: the PDF reader alone (``juesuan.parse.read_sources``: characters, ruling lines, cells);
* ``parse``: ``juesuan.pipeline.parse`` with the kind found from the file (reader, kind detection,
  recognizer, every table and 绩效目标表 read);

median of 5 runs in this one process (imports and the first run's caches warm) of the CPU time
the process spent (``time.process_time``: steadier than wall time on a shared machine; times
are CPU ms), and the ratio parse ÷ raw (target ≤ 3×), with the wall-time ratio beside it. A
page without a text layer is read by OCR (rapidocr), which costs far more than characters: the
table says so for the document that has one.

Run: ``python bench/bench_budget.py [--runs 5]``; the table goes into ``bench/RESULTS.md``
under "## budget parse (issue 18)".
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGETS = ROOT.parent / "shared" / "samples" / "budgets"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_parse import raw_chars  # noqa: E402


def documents() -> list[tuple[str, list[Path]]]:
    """(name, its files) of each budget sample: a …-text.pdf and …-tables.pdf pair is one."""
    files = sorted(BUDGETS.glob("*.pdf"))
    out: list[tuple[str, list[Path]]] = []
    paired: set[Path] = set()
    for f in files:
        if f.stem.endswith("-text") and (t := f.with_name(f.stem[:-5] + "-tables.pdf")).exists():
            out.append((f.stem[:-5] + " (text + tables)", [f, t]))
            paired |= {f, t}
    out += [(f.stem, [f]) for f in files if f not in paired]
    return out


def timed(fn, runs: int) -> tuple[float, float]:
    """(median wall time, median CPU time of this process) of ``runs`` calls. On a machine other
    processes keep busy the wall time varies by 2× from run to run; the CPU time the process
    itself spent is the steadier measure of the work done, and the ratios are taken of it."""
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    import contextlib
    import io

    import pypdfium2 as pdfium

    from juesuan.parse import read_sources
    from juesuan.pipeline import parse

    print("| document | pages | kind / layout | tables (forms) | cells read | pypdfium2 raw chars+boxes | read "
          "| parse | read ÷ raw (CPU) | parse ÷ raw (CPU) | parse ÷ raw (wall) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, files in documents():
        pages = sum(len(pdfium.PdfDocument(str(f))) for f in files)
        arg = files if len(files) > 1 else files[0]
        with contextlib.redirect_stderr(io.StringIO()):
            got = parse(arg)                       # warm: imports, catalogues, OCR models
            raw = timed(lambda fs=files: [raw_chars(f) for f in fs], args.runs)
            read = timed(lambda fs=files: read_sources(fs), args.runs)
            run = timed(lambda a=arg: parse(a), args.runs)
        cov = got.coverage
        forms = sum(v.get("count", 0) for v in cov.tables.values() if v.get("form"))
        tables = sum(1 for v in cov.tables.values() if v.get("found") and not v.get("form"))
        ocr = f"; OCR: p{', '.join(map(str, cov.ocr_pages))}" if cov.ocr_pages else ""
        print(f"| {name} | {pages} | {got.kind} / {got.variant}{ocr} | {tables} ({forms}) | {cov.cells_read} "
              f"| {raw[1] * 1000:.0f} ms | {read[1] * 1000:.0f} ms | {run[1] * 1000:.0f} ms "
              f"| {read[1] / raw[1]:.1f}× | {run[1] / raw[1]:.1f}× | {run[0] / raw[0]:.1f}× |")


if __name__ == "__main__":
    main()
