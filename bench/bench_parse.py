"""Parse benchmark (issue 5): PDF reading speed and accuracy, per document and per page.

For each PDF in ``../shared/samples`` and the PDF that ``build`` makes of the example:

* speed (median of 5 runs, all in this one process, warm imports):
  - ``raw``: pypdfium2 alone, every character with its box (the yardstick of the issue);
  - ``plumber``: pdfplumber ``extract_text`` on every page;
  - ``read_pdf``: our reader (characters, ruling lines, cells);
  - ``parse``: ``juesuan.parse.parse_file`` (reader + recognizer);
  - ``parse+check``: parse and ``juesuan.rules.check`` (when importable);
* accuracy, against poppler's ``pdftotext -layout`` as an independent reference:
  the decimal figures of every page (multiset) found by our reader and by pdfplumber,
  and the rows of pdfplumber's ruled-table finder (``extract_tables``) that our
  reader gives cell for cell.

Run: ``python bench/bench_parse.py [--markdown]``; the table goes into
``bench/RESULTS.md`` under "## parse (issue 5)".
"""

from __future__ import annotations

import argparse
import ctypes
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"
sys.path.insert(0, str(ROOT))

_DECIMAL = re.compile(r"\d[\d,]*\.\d{2}(?!\d)")


def median_time(fn, runs: int = 5) -> tuple[float, float]:
    """(median, best) wall time of ``runs`` calls; the best one is the least disturbed by
    other processes on a shared machine."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def raw_chars(path: Path) -> int:
    """pypdfium2 alone: open, and every character's code point and box on every page."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    n_total = 0
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    for page in pdf:
        tp = page.get_textpage()
        n = tp.count_chars()
        for i in range(n):
            raw.FPDFText_GetUnicode(tp.raw, i)
            raw.FPDFText_GetCharBox(tp.raw, i, left, right, bottom, top)
        n_total += n
        tp.close()
        page.close()
    pdf.close()
    return n_total


def plumber_text(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def plumber_tables(path: Path) -> dict[int, list[list[str]]]:
    import pdfplumber

    out: dict[int, list[list[str]]] = {}
    with pdfplumber.open(str(path)) as pdf:
        for i, p in enumerate(pdf.pages, 1):
            for t in p.extract_tables():
                for row in t:
                    cells = ["".join((c or "").split()) for c in row]
                    if any(cells):
                        out.setdefault(i, []).append(cells)
    return out


def poppler_pages(path: Path, pages: int) -> list[str]:
    if shutil.which("pdftotext") is None:
        return []
    out = []
    for i in range(1, pages + 1):
        r = subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(path), "-"],
                           capture_output=True, text=True, check=False)
        out.append(r.stdout)
    return out


_SPACED = re.compile(r"(?<=\d)([,.])\s+(?=\d)")


def figures(text: str) -> Counter:
    """Decimal figures of a text ("1, 294. 48" read as 1294.48)."""
    text = _SPACED.sub(r"\1", text)
    return Counter(m.group().replace(",", "") for m in _DECIMAL.finditer(text))


def accuracy(path: Path, pages: int) -> dict:
    from juesuan.parse.pdf import read_pdf

    ref_pages = poppler_pages(path, pages)
    src = read_pdf(path)
    ours_pages = ["\n".join(" ".join(ln.cells) for ln in src.lines if ln.page == i)
                  for i in range(1, pages + 1)]
    plumber_pages = plumber_text(path)
    ref = sum((figures(t) for t in ref_pages), Counter())
    got_ours = sum((figures(t) for t in ours_pages), Counter())
    got_plumber = sum((figures(t) for t in plumber_pages), Counter())
    n_ref = sum(ref.values())
    ours_ok = sum((ref & got_ours).values())
    plumber_ok = sum((ref & got_plumber).values())
    # pdfplumber's ruled tables, row by row (blank cells included) against our grid rows
    ptables = plumber_tables(path)
    our_rows: dict[int, set] = {}
    for ln in src.lines:
        if ln.grid:
            our_rows.setdefault(ln.page, set()).add(tuple("".join(c.split()) for c in ln.cells))
    total = same = 0
    for page, rows in ptables.items():
        for r in rows:
            total += 1
            same += tuple(r) in our_rows.get(page, set())
    return {"ref_figures": n_ref, "ours_figures": ours_ok, "plumber_figures": plumber_ok,
            "plumber_rows": total, "rows_same": same, "ours_extra": sum((got_ours - ref).values())}


def build_example_pdf(tmp: Path) -> Path | None:
    try:
        from juesuan import build_tables, load
        from juesuan.final.narrative import build_document
        from juesuan.renderers import render
    except ImportError:
        return None
    d, _ = load(ROOT / "examples" / "hanyang-bdc-2023")
    doc = build_document(d, build_tables(d))
    return render(doc, "pdf", tmp)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    import pypdfium2 as pdfium

    from juesuan.parse.pdf import read_pdf
    from juesuan.pipeline import check
    from juesuan.pipeline import parse as parse_doc

    def parse_file(path):
        return parse_doc(path).document

    with tempfile.TemporaryDirectory() as tmp:
        docs = sorted(SAMPLES.glob("*.pdf"))
        own = build_example_pdf(Path(tmp))
        if own is not None:
            docs.append(own)
        rows = []
        for path in docs:
            pdf = pdfium.PdfDocument(str(path))
            pages = len(pdf)
            pdf.close()
            name = "example (build)" if own is not None and path == own else path.name
            read_pdf(path)   # warm imports
            t = {
                "raw": median_time(lambda path=path: raw_chars(path), args.runs),
                "plumber": median_time(lambda path=path: plumber_text(path), args.runs),
                "read_pdf": median_time(lambda path=path: read_pdf(path), args.runs),
            }
            if parse_file is not None:
                parse_file(path)
                t["parse"] = median_time(lambda path=path: parse_file(path), args.runs)
                if check is not None:
                    t["parse+check"] = median_time(lambda path=path: check(parse_file(path)), args.runs)
            acc = accuracy(path, pages)
            rows.append((name, pages, t, acc))

    print(f"Wall time, median of {args.runs} runs (best run in brackets), per document and per page.")
    print()
    print("| document | pages | pypdfium2 raw chars+boxes | pdfplumber extract_text | read_pdf | "
          "parse_file | parse + check | read_pdf ÷ raw | parse+check ÷ raw |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, pages, t, _ in rows:
        def cell(key, t=t, pages=pages):
            v = t.get(key)
            if v is None:
                return "—"
            med, best = v
            return f"{med * 1000:.0f} ms [{best * 1000:.0f}] ({med * 1000 / pages:.1f}/p)"

        def ratio(key, t=t):
            v = t.get(key)
            if v is None:
                return "—"
            return f"{v[0] / t['raw'][0]:.1f}× [{v[1] / t['raw'][1]:.1f}×]"
        print(f"| {name} | {pages} | {cell('raw')} | {cell('plumber')} | {cell('read_pdf')} | "
              f"{cell('parse')} | {cell('parse+check')} | {ratio('read_pdf')} | {ratio('parse+check')} |")
    print()
    print("| document | decimal figures (pdftotext -layout) | found by read_pdf | found by pdfplumber "
          "extract_text | read_pdf extra | pdfplumber table rows | same row in read_pdf |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, _pages, _, a in rows:
        print(f"| {name} | {a['ref_figures']} | {a['ours_figures']} | {a['plumber_figures']} | "
              f"{a['ours_extra']} | {a['plumber_rows']} | {a['rows_same']} |")


if __name__ == "__main__":
    main()
