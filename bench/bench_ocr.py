"""OCR benchmark (issue 13 §4): scanned pages — time per page, facts recovered, no new error.

The bundled example is built and rendered as PDF (50 pages), and every page is scanned by
``tests/scan.py`` (grey, blur, 0.2–0.5° skew, paper grain, JPEG) into an image-only PDF. Then:

* **speed**, page by page, in this one process: our page read (render, deskew, ruling lines,
  rapidocr with a box per character, the PDF reader's page layout) beside the **baseline** of
  the same run — rapidocr as it comes (default settings, text boxes only: what
  ``../shared/DEPENDENCIES.md`` measured at about 1 s a page) on the same page image —
  interleaved page by page, so that a machine shared with others slows both alike; the stages
  of our read are timed too;
* **truth**: the whole scanned document parsed (``juesuan.pipeline.parse``), its table facts
  against ``doc.tables.facts()`` of the built document, and ``check``'s errors against those of
  the clean PDF (the digital one, text layer and all).

Run: ``python bench/bench_ocr.py [--pages 7-15] [--dpi 150]``; the figures go into
``bench/RESULTS.md`` under "## OCR (issue 13)".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def _pages(spec: str | None, n: int) -> list[int]:
    if not spec:
        return list(range(1, n + 1))
    out: list[int] = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return [p for p in out if 1 <= p <= n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default=None, help="pages of the example to time, e.g. 7-15 (default: all)")
    ap.add_argument("--dpi", type=int, default=None, help="render resolution of the scanned pages (default: ocr.DPI)")
    ap.add_argument("--no-truth", action="store_true", help="time pages only; do not parse and check the whole scan")
    args = ap.parse_args()

    import numpy as np
    import pypdfium2 as pdfium
    from scan import example_pdf, scan_pdf

    from juesuan.parse import ocr
    from juesuan.parse.pdf import PageGeometry, _char, page_lines
    from juesuan.pipeline import build, check, parse

    dpi = args.dpi or ocr.DPI
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        clean = example_pdf(Path(tmp))
        scanned = scan_pdf(clean, Path(tmp) / "scanned.pdf")
        pdf = pdfium.PdfDocument(str(scanned))
        pages = _pages(args.pages, len(pdf))
        engine = ocr._get_engine()
        from rapidocr import RapidOCR

        # the baseline: rapidocr as it comes (its default settings, orientation classifier and
        # all), with the same threads as ours (its default of every core spins on a shared machine)
        plain = RapidOCR(params={"Global.log_level": "error", **{
            f"EngineConfig.onnxruntime.{k}": v for k, v in
            (("intra_op_num_threads", max(1, min(4, os.cpu_count() or 1))), ("inter_op_num_threads", 1))}})
        for e in (engine, plain):
            e(np.full((64, 64, 3), 255, np.uint8))        # models loaded before timing

        rows = []
        for k, n in enumerate(pages):
            page = pdf[n - 1]
            origin = PageGeometry(page).box(*page.get_cropbox())[:2]

            def ours(page=page, origin=origin, n=n):
                t0 = time.perf_counter()
                gray = ocr._render(page, dpi)
                t1 = time.perf_counter()
                angle = ocr.skew(gray)
                gray = ocr._straighten(gray, angle) if angle else gray
                t2 = time.perf_counter()
                hs, vs = ocr.rules(gray, 72 / dpi)
                t3 = time.perf_counter()
                res = engine(np.repeat(gray[:, :, None], 3, axis=2), return_word_box=True,
                             return_single_char_box=True)
                t4 = time.perf_counter()
                chars = [_char(*c) for c in ocr._chars_of(res, 72 / dpi, *origin)]
                lines, _ = page_lines(chars, hs, vs, n)
                t5 = time.perf_counter()
                return {"render": t1 - t0, "deskew": t2 - t1, "rules": t3 - t2, "ocr": t4 - t3,
                        "layout": t5 - t4, "total": t5 - t0, "lines": len(lines), "chars": len(chars)}

            def bare(page=page):
                img = page.render(scale=dpi / 72).to_numpy()
                t = time.perf_counter()
                plain(img[..., :3])
                return time.perf_counter() - t

            if k % 2:      # alternate which goes first
                b = bare()
                o = ours()
            else:
                o = ours()
                b = bare()
            rows.append((n, o, b))
            print(f"page {n:2d}: ours {o['total']:.2f} s (ocr {o['ocr']:.2f}), rapidocr alone {b:.2f} s, "
                  f"{o['chars']} chars", file=sys.stderr, flush=True)
        pdf.close()

        truth_lines: list[str] = []
        if not args.no_truth:
            built = build(ROOT / "examples" / "hanyang-bdc-2023")
            t = time.perf_counter()
            got = parse(scanned)
            parse_s = time.perf_counter() - t
            digital = parse(clean)
            truth = set(built.document.tables.facts())
            facts = set(got.document.tables.facts()) if got.document.tables else set()
            clean_facts = set(digital.document.tables.facts())
            errs = {(f.rule, f.message) for f in check(got.document) if f.severity == "error"}
            clean_errs = {(f.rule, f.message) for f in check(digital.document) if f.severity == "error"}
            sev = Counter(f.severity for f in check(got.document))
            review = sum(1 for f in check(got.document) if "扫描件识别" in f.message)
            hows = Counter(rd.how for t_ in got.document.tables for r in t_.rows for rd in r.readings.values())
            truth_lines = [
                f"- whole scan ({len(got.source.ocr_pages)} pages OCR'd) parsed in {parse_s:.1f} s",
                f"- table facts recovered: {len(truth & facts)}/{len(truth)} "
                f"({100 * len(truth & facts) / len(truth):.1f} %), wrong or extra: {len(facts - truth)}; "
                f"digital PDF: {len(truth & clean_facts)}/{len(truth)}",
                f"- check: errors {len(errs)} (digital PDF: {len(clean_errs)}), errors the digital PDF lacks: "
                f"{len(errs - clean_errs)}; findings by severity {dict(sev)}, of them 待复核（扫描件识别） {review}",
                f"- readings: {dict(hows)}",
                f"- sections found {got.coverage.sections_found} (digital {digital.coverage.sections_found}), "
                f"forms {sum(got.coverage.forms.values())} (digital {sum(digital.coverage.forms.values())})",
            ]
    load1 = os.getloadavg()

    tot = [o["total"] for _, o, _ in rows]
    base = [b for _, _, b in rows]
    ratio = [o / b for o, b in zip(tot, base)]
    print(f"{len(rows)} scanned pages of the example at {dpi} dpi; load average {load0[0]:.1f} before, "
          f"{load1[0]:.1f} after (2 cores).")
    print()
    print("| per page | median | p90 | max |")
    print("|---|---:|---:|---:|")

    def line(name: str, xs: list[float], unit: str = " s") -> None:
        q = sorted(xs)
        p90 = q[min(len(q) - 1, int(0.9 * len(q)))]
        print(f"| {name} | {statistics.median(xs):.2f}{unit} | {p90:.2f}{unit} | {max(xs):.2f}{unit} |")

    line("our page read (all stages)", tot)
    for stage in ("render", "deskew", "rules", "ocr", "layout"):
        line(f"— {stage}", [o[stage] for _, o, _ in rows])
    line("baseline: rapidocr alone, same image", base)
    line("ratio ours ÷ baseline (same page, same run)", ratio, "×")
    print()
    for s in truth_lines:
        print(s)


if __name__ == "__main__":
    main()
