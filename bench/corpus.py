"""Corpus gauge (issue 13): how well every real document in ``../shared/samples`` is read and checked.

For each file (the disclosures, and the 部门预算 in ``budgets/``, which must be refused):

* what the parse took it for: the layout (variant) of its tables, or the message it was refused with;
* tables found (of the nine), and their cells by how surely they were read — exact, inferred,
  ambiguous, OCR, unread (:meth:`juesuan.tables.table.Table.certainty`) — with the tables' unread
  lines and all the places the parse could not read (coverage ``unreadable``);
* sections, 名词解释 entries and forms found;
* findings by severity, and how many of them are "无法核对" (an error the certainty gate held back);
* seconds: parse, and check.

Run: ``python bench/corpus.py [--samples DIR] [--markdown]``; the table goes into ``bench/RESULTS.md``
under "## corpus (issue 13)". Not a test: the samples are not in the repository's tests (the
ones the tests read are copied to ``tests/fixtures/samples``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUFFIXES = (".pdf", ".txt", ".docx", ".html", ".htm")


def gauge(path: Path) -> dict:
    from juesuan.errors import InputError
    from juesuan.pipeline import check, parse
    from juesuan.rules.certainty import UNCHECKED

    row: dict = {"file": str(path.relative_to(path.parents[1])) if path.parent.name == "budgets" else path.name}
    t = time.perf_counter()
    try:
        parsed = parse(path)
    except InputError as e:
        row.update(refused=str(e.diagnostics[0].message), parse_s=time.perf_counter() - t)
        return row
    row["parse_s"] = time.perf_counter() - t
    doc, cov = parsed.document, parsed.coverage
    cells: Counter = Counter()
    if doc.tables is not None:
        for table in doc.tables.tables.values():
            cells.update(table.certainty())
    t = time.perf_counter()
    findings = check(doc)
    row["check_s"] = time.perf_counter() - t
    row.update(
        pages=cov.pages, variant=parsed.variant, tables=cov.tables_found, of=len(cov.tables),
        cells=dict(cells), unreadable=len(cov.unreadable), sections=cov.sections_found,
        glossary=len(doc.glossary), forms=sum(cov.forms.values()),
        findings=dict(Counter(f.severity for f in findings)),
        unchecked=sum(1 for f in findings if f.message.startswith(UNCHECKED)),
    )
    return row


def markdown(rows: list[dict]) -> str:
    head = ("| document | pages | layout | tables | cells exact / inferred / ambiguous / OCR / unread "
            "| unread lines (tables) | unreadable places | sections · 名词 · forms "
            "| errors · warnings · info (无法核对) | parse s | check s |")
    out = [head, "|---|---:|---|---:|---|---:|---:|---|---|---:|---:|"]
    for r in rows:
        if "refused" in r:
            out.append(f"| {r['file']} | | refused: {r['refused'].split('。')[0]} | | | | | | | {r['parse_s']:.2f} | |")
            continue
        c = r["cells"]
        f = r["findings"]
        out.append(
            f"| {r['file']} | {r['pages'] or ''} | {r['variant']} | {r['tables']}/{r['of']} | "
            f"{c.get('exact', 0)} / {c.get('inferred', 0)} / {c.get('ambiguous', 0)} / {c.get('ocr', 0)} / "
            f"{c.get('unread', 0)} | {c.get('unread_lines', 0)} | {r['unreadable']} | "
            f"{r['sections']} · {r['glossary']} · {r['forms']} | "
            f"{f.get('error', 0)} · {f.get('warning', 0)} · {f.get('info', 0)} ({r['unchecked']}) | "
            f"{r['parse_s']:.2f} | {r['check_s']:.2f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=ROOT.parent / "shared" / "samples")
    ap.add_argument("--markdown", action="store_true", help="print the table for bench/RESULTS.md")
    args = ap.parse_args(argv)
    files = sorted(p for p in args.samples.rglob("*") if p.suffix.lower() in SUFFIXES)
    if not files:
        print(f"no documents under {args.samples}", file=sys.stderr)
        return 2
    rows = [gauge(p) for p in files]
    if args.markdown:
        print(markdown(rows))
    else:
        for r in rows:
            print(r)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
