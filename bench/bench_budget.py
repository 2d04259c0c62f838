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
are CPU ms), and the ratio parse ÷ raw (target ≤ 3×), with the wall-time ratio beside it. The
three are measured in turn within each run and the ratios are the medians of each run's own
(other processes' load changes from second to second: a ratio of two medians taken minutes
apart moved by 20 %).

A page without a text layer is read by OCR (rapidocr), which costs far more than characters and
for which pypdfium2 extracts nothing: a document with such pages is measured twice, as read
(with OCR) and with OCR off (the page noted as unread, ``ocr.unavailable``), and its OCR'd pages
named.

Run: ``python bench/bench_budget.py [--runs 5]``; the table goes into ``bench/RESULTS.md``
under "## budget parse (issue 18)".
"""

from __future__ import annotations

import argparse
import contextlib
import io
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


def timed(fns, runs: int) -> list[tuple[float, float]]:
    """For each of ``fns``, (median wall time, median CPU time of this process) of ``runs``
    calls, the functions called in turn within each run; then, for each, the median over the
    runs of its (wall, CPU) ratio to the first function's of the same run. On a machine other
    processes keep busy the wall time varies by 2× from run to run; the CPU time the process
    itself spent is the steadier measure of the work done, and the ratios are taken of it."""
    wall: list[list[float]] = [[] for _ in fns]
    cpu: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for k, fn in enumerate(fns):
            t, c = time.perf_counter(), time.process_time()
            fn()
            wall[k].append(time.perf_counter() - t)
            cpu[k].append(time.process_time() - c)
    times = [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu)]
    ratios = [(statistics.median(a / b for a, b in zip(wall[k], wall[0])),
               statistics.median(a / b for a, b in zip(cpu[k], cpu[0]))) for k in range(len(fns))]
    return times + ratios


@contextlib.contextmanager
def ocr_off():
    """OCR unavailable: a page without a text layer is noted as unread (what a machine without
    rapidocr does)."""
    from juesuan.parse import ocr

    saved = ocr.unavailable
    ocr.unavailable = lambda: "关闭（基准测试）"
    try:
        yield
    finally:
        ocr.unavailable = saved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    import pypdfium2 as pdfium

    from juesuan.parse import read_sources
    from juesuan.pipeline import parse

    print("| document | pages | kind / layout | tables (forms) | cells read | pypdfium2 raw chars+boxes | read "
          "| parse | read ÷ raw (CPU) | parse ÷ raw (CPU) | parse ÷ raw (wall) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, files in documents():
        pages = sum(len(pdfium.PdfDocument(str(f))) for f in files)
        arg = files if len(files) > 1 else files[0]
        got = None
        for ocr in (True, False):
            if not ocr and (got is None or not got.coverage.ocr_pages):
                break                                  # no page was OCR'd: one row is all
            with contextlib.redirect_stderr(io.StringIO()), contextlib.nullcontext() if ocr else ocr_off():
                got = parse(arg)                       # warm: imports, catalogues, OCR models
                raw, read, run, _, read_r, run_r = timed(
                    [lambda fs=files: [raw_chars(f) for f in fs], lambda fs=files: read_sources(fs),
                     lambda a=arg: parse(a)], args.runs)
            cov = got.coverage
            forms = sum(v.get("count", 0) for v in cov.tables.values() if v.get("form"))
            tables = sum(1 for v in cov.tables.values() if v.get("found") and not v.get("form"))
            how = f"; OCR: p{', '.join(map(str, cov.ocr_pages))}" if cov.ocr_pages else \
                "; OCR off: scanned p" + cov.scanned_pages.split("第 ")[-1].split(" 页")[0] if cov.scanned_pages else ""
            print(f"| {name} | {pages} | {got.kind} / {got.variant}{how} | {tables} ({forms}) | {cov.cells_read} "
                  f"| {raw[1] * 1000:.0f} ms | {read[1] * 1000:.0f} ms | {run[1] * 1000:.0f} ms "
                  f"| {read_r[1]:.1f}× | {run_r[1]:.1f}× | {run_r[0]:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
