"""The golden corpus: what juesuan makes of a fixed set of documents, to compare two versions.

A refactoring must not change what the tool says. ``dump`` runs build, parse and check on a
fixed, seeded corpus and writes every output as JSON lines; ``diff`` compares two dumps and
prints what differs, record by record (a finding by rule, severity, message, places, figures
and order; a parse by its document, trace and coverage; a build by its text and facts).

The corpus (all generated from the bundled example, with fixed seeds; nothing outside the
repository is needed, the real samples are added when ``--samples DIR`` names them):

* the example built in the national and the Shanghai layout;
* 40 distinct generated disclosures (``bench_check.distinct``: scaled figures, dropped lines);
* 120 copies of the example with perturbed tables (cells moved, blanked, rows dropped,
  negative figures, tables marked empty);
* 160 generated documents with perturbed text (digits changed, 增加/减少 swapped, sections
  deleted, sentences cut, projects edited);
* every mutation of ``tests/test_rules_mutations.py``;
* 12 generated documents rendered to text, HTML and DOCX and parsed back (parse and check);
* with ``--samples``: every ``.txt``/``.pdf`` there, parsed and checked;
* the command line's own output (stdout, stderr, exit status) of ``check`` (text and JSON),
  ``parse`` (JSON, facts, ``--debug``), ``rules`` and ``build --format txt`` on the example
  and those samples.

Run::

    python bench/golden.py dump /tmp/before.jsonl [--samples ../shared/samples]
    python bench/golden.py diff /tmp/before.jsonl /tmp/after.jsonl
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import os
import random
import re
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"


# ----------------------------------------------------------------------------- serialising

def _plain(obj):
    """JSON-able data of findings' places and figures (Decimals as text)."""
    return json.loads(json.dumps(obj, ensure_ascii=False, default=str))


def _without_readings(obj):
    """Parsed data as the baseline of issue 12 had it: without the cells' readings, and the kind's
    forms (``forms``) as the 决算-only fields they were (``overall``, ``projects``,
    ``key_work_rows``; in the coverage ``projects_found``, ``overall_found``, ``key_work_rows``)."""
    if isinstance(obj, dict):
        out = {k: _without_readings(v) for k, v in obj.items() if k != "readings"}
        forms = out.pop("forms", None)
        if isinstance(forms, list):       # a document
            strip = lambda f: {k: v for k, v in f.items() if k != "form"}  # noqa: E731
            out["overall"] = next((strip(f) for f in forms if f["form"] == "overall"), None)
            out["projects"] = [strip(f) for f in forms if f["form"] == "project"]
            out["key_work_rows"] = next((f["rows"] for f in forms if f["form"] == "key_work"), [])
            if isinstance(out.get("coverage"), dict):
                out["coverage"]["key_work_rows"] = len(out["key_work_rows"])
        elif isinstance(forms, dict):     # a coverage
            out["projects_found"] = forms.get("项目绩效自评表", 0)
            out["overall_found"] = bool(forms.get("部门整体绩效自评表"))
            out.setdefault("key_work_rows", None)
        return out
    if isinstance(obj, list):
        return [_without_readings(v) for v in obj]
    return obj


_SUMMARY = re.compile(r"^情况说明等章节 (\d+) 节；.*名词解释 (\d+) 条；.*$", re.M)


def _summary_line(err: str) -> str:
    """parse's coverage line, reduced to what both versions print the same way."""
    return _SUMMARY.sub(lambda m: f"情况说明等章节 {m.group(1)} 节；名词解释 {m.group(2)} 条", err)


def findings_of(doc) -> list[dict]:
    try:
        from juesuan.pipeline import check
    except ImportError:        # before the pipeline (the baseline of issue 12)
        from juesuan.rules import check
    return [_plain(f.to_dict()) for f in check(doc)]


def parse_of(path: Path) -> tuple[object, dict]:
    """(document, its parse as data: document, trace, coverage)."""
    try:
        from juesuan.pipeline import document_data, load
    except ImportError:       # before the pipeline (the baseline of issue 12)
        from juesuan.cli.parse import to_data
        from juesuan.parse import parse_file
        doc = parse_file(path)
        data = to_data(doc, trace=False)
        cov = data.pop("coverage")
        return doc, {"document": _plain(data), "trace": _plain(doc.source.get("trace", [])),
                     "coverage": _plain(cov)}
    loaded = load(path)
    doc = loaded.document
    data = _without_readings({**_plain(document_data(doc)),
                              "coverage": _plain(loaded.parse.coverage.to_dict() if loaded.parse else {})})
    coverage = data.pop("coverage")
    return doc, {"document": data, "trace": _plain(loaded.parse.trace.events if loaded.parse else []),
                 "coverage": coverage}


# ----------------------------------------------------------------------------- the corpus

def built(variant: str = "national"):
    try:
        from juesuan.final.build import build_tables
        from juesuan.final.narrative import build_document
        from juesuan.final.readers import load
    except ImportError:        # before the 决算 kind (the baseline of issue 12)
        from juesuan.narrative import build_document
        from juesuan.readers import load

        from juesuan.tables import build_tables
    d, _ = load(EXAMPLE)
    return d, build_document(d, build_tables(d, variant))


def perturbed_tables(n: int, seed: int = 12):
    _, base = built()
    rng = random.Random(seed)
    layouts = {id(t.layout): t.layout for t in base.tables}
    out = []
    for _ in range(n):
        ts = copy.deepcopy(base.tables, memo=dict(layouts))
        cells = [(t.id, i, col) for t in ts for i, r in enumerate(t.rows) for col in r.cells]
        for _ in range(rng.randint(1, 5)):
            kind = rng.choice(["move", "move", "move", "blank", "negative", "drop_row", "empty", "drop_cell"])
            tid, i, col = rng.choice(cells)
            t = ts.tables[tid]
            if i >= len(t.rows):
                continue
            row = t.rows[i]
            if kind == "move" and col in row.cells:
                row.cells[col] = (row.cells[col] or Decimal(0)) + Decimal(rng.choice([1, 2, 5, 100, 500, -3])) / 100
            elif kind == "blank" and col in row.cells:
                row.cells[col] = None
            elif kind == "negative" and col in row.cells:
                row.cells[col] = -(row.cells[col] or Decimal("1.00"))
            elif kind == "drop_row":
                del t.rows[i]
            elif kind == "empty":
                t.empty = True
            elif kind == "drop_cell":
                row.cells.pop(col, None)
        out.append(dataclasses.replace(base, tables=ts))
    return out


def _edit_text(rng: random.Random, text: str) -> str:
    kind = rng.choice(["digit", "digit", "swap", "cut", "pct"])
    if kind == "digit":
        pos = [i for i, c in enumerate(text) if c.isdigit()]
        if pos:
            i = rng.choice(pos)
            return text[:i] + str((int(text[i]) + rng.randint(1, 9)) % 10) + text[i + 1:]
    if kind == "swap":
        for a, b in (("增加", "减少"), ("大于", "小于"), ("增长", "下降"), ("减少", "增加")):
            if a in text:
                return text.replace(a, b, 1)
    if kind == "cut" and "。" in text:
        parts = text.split("。")
        del parts[rng.randrange(len(parts))]
        return "。".join(parts)
    if kind == "pct" and "%" in text:
        i = text.index("%")
        return text[:i] + "0" + text[i:]
    return text


def _projects(doc) -> list:
    """The 项目绩效自评表 of a document (a field of the Document before the kinds' forms)."""
    if hasattr(doc, "projects"):
        return doc.projects
    return [f for f in doc.forms if f.form == "project"]


def perturbed_text(docs, seed: int = 13):
    rng = random.Random(seed)
    out = []
    for doc in docs:
        d = copy.deepcopy(doc)
        paras = [p for part in d.parts for s in part.walk() for p in s.paragraphs]
        for _ in range(rng.randint(1, 4)):
            what = rng.random()
            if what < 0.75 and paras:
                p = rng.choice(paras)
                p.text = _edit_text(rng, p.text)
            elif what < 0.85:
                part = d.part("narrative")
                if part is not None and part.sections:
                    del part.sections[rng.randrange(len(part.sections))]
                    paras = [p for pt in d.parts for s in pt.walk() for p in s.paragraphs]
            elif _projects(d):
                p = rng.choice(_projects(d))
                field = rng.choice(["budget", "actual", "rate"])
                setattr(p, field, _edit_text(rng, getattr(p, field)) or "1")
        out.append(d)
    return out


def mutations():
    import test_rules_mutations as tm
    _, base = built()
    out = []
    for code, (_desc, mutate, _expect) in sorted(tm.MUTATIONS.items()):
        d = copy.deepcopy(base)
        mutate(d)
        out.append((code, d))
    return out


def cli_runs(sources: list[Path]) -> list[tuple[list[str], str]]:
    """The command lines run (paths relative to the working directory, as a user types them)."""
    example = Path(os.path.relpath(EXAMPLE))
    runs = [(["check", example], "check example"), (["check", example, "--format", "json"], "check example json"),
            (["check", example, "--min-severity", "warning"], "check example warning"),
            (["check", example, "--select", "JS3", "--ignore", "JS308"], "check example select"),
            (["rules"], "rules"), (["rules", "--explain", "JS302"], "rules explain")]
    for p in sources:
        runs += [(["check", p], f"check {p.name}"), (["check", p, "--format", "json"], f"check {p.name} json"),
                 (["parse", p], f"parse {p.name}"), (["parse", p, "--format", "facts"], f"parse {p.name} facts"),
                 (["parse", p, "--format", "yaml", "--debug"], f"parse {p.name} debug")]
    return runs


def cli_of(argv: list) -> dict:
    from juesuan.cli import invoke
    r = invoke([str(a) for a in argv])
    out = r.stdout
    if argv[0] == "parse" and "--format" not in argv:      # JSON: compared without the readings
        out = json.dumps(_without_readings(json.loads(out)), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    elif argv[0] == "parse" and "yaml" in argv:
        import yaml
        out = yaml.safe_dump(_without_readings(yaml.safe_load(out)), allow_unicode=True, sort_keys=True)
    return {"code": r.exit_code, "out": out, "err": _summary_line(r.stderr) if argv[0] == "parse" else r.stderr}


# ----------------------------------------------------------------------------- dump and diff

def dump(out: Path, samples: Path | None) -> None:
    from bench_check import distinct

    from juesuan.renderers import render

    t0 = time.perf_counter()
    records: list[dict] = []

    def add(rid: str, kind: str, data) -> None:
        records.append({"id": rid, "kind": kind, "data": data})

    for variant in ("national", "shanghai"):
        _, doc = built(variant)
        add(f"example/{variant}", "findings", findings_of(doc))
        with tempfile.TemporaryDirectory() as tmp:
            for fmt in ("txt", "html"):
                p = render(doc, fmt, Path(tmp))
                add(f"example/{variant}/{fmt}", "build", p.read_text(encoding="utf-8"))
        add(f"example/{variant}/facts", "build", doc.tables.facts_csv())
    gen = distinct(40, seed=7)
    for i, doc in enumerate(gen):
        add(f"distinct/{i}", "findings", findings_of(doc))
    for i, doc in enumerate(perturbed_tables(120)):
        add(f"tables/{i}", "findings", findings_of(doc))
    more = distinct(40, seed=8)
    for i, doc in enumerate(perturbed_text(gen + more + gen + more)):
        add(f"text/{i}", "findings", findings_of(doc))
    for code, doc in mutations():
        add(f"mutation/{code}", "findings", findings_of(doc))
    with tempfile.TemporaryDirectory() as tmp:
        for i, doc in enumerate(gen[:12]):
            for fmt in ("txt", "html", "docx"):
                d = Path(tmp) / f"{i}{fmt}"
                d.mkdir()
                p = render(doc, fmt, d)
                parsed, data = parse_of(p)
                data["document"]["source"].pop("file", None)
                add(f"roundtrip/{i}/{fmt}", "parse", data)
                add(f"roundtrip/{i}/{fmt}", "findings", findings_of(parsed))
    sources = [p for p in sorted(samples.glob("*")) if p.suffix.lower() in (".txt", ".pdf")] if samples else []
    for p in sources:
        parsed, data = parse_of(p)
        add(f"sample/{p.name}", "parse", data)
        add(f"sample/{p.name}", "findings", findings_of(parsed))
    for argv, name in cli_runs(sources):
        add(f"cli/{name}", "cli", cli_of(argv))
    with out.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    n_find = sum(len(r["data"]) for r in records if r["kind"] == "findings")
    docs = sum(1 for r in records if r["kind"] == "findings")
    print(f"{out}: {len(records)} records, {docs} documents checked, {n_find} findings, "
          f"{time.perf_counter() - t0:.0f} s")


def _load(path: Path) -> dict[tuple[str, str], object]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        out[(r["id"], r["kind"])] = r["data"]
    return out


def _first_difference(a, b, path: str = "") -> str:
    if type(a) is not type(b):
        return f"{path}: {str(a)[:200]!r} ≠ {str(b)[:200]!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'second' if k not in a else 'first'}"
            if a[k] != b[k]:
                return _first_difference(a[k], b[k], f"{path}.{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                if x != y:
                    return _first_difference(x, y, f"{path}[{i}]") + f" (lengths {len(a)} and {len(b)})"
            return f"{path}: lengths {len(a)} and {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {str(a)[:300]!r} ≠ {str(b)[:300]!r}"


def diff(a_path: Path, b_path: Path, show: int = 10) -> int:
    a, b = _load(a_path), _load(b_path)
    differing: dict[str, list[str]] = {}
    for key in sorted(set(a) | set(b)):
        rid, kind = key
        if key not in a or key not in b:
            differing.setdefault(kind, []).append(f"{rid}: only in {'second' if key not in a else 'first'}")
        elif a[key] != b[key]:
            differing.setdefault(kind, []).append(f"{rid}: {_first_difference(a[key], b[key])}")
    n_a = sum(len(v) for (_, k), v in a.items() if k == "findings")
    n_b = sum(len(v) for (_, k), v in b.items() if k == "findings")
    by_rule_a, by_rule_b = _by_rule(a), _by_rule(b)
    print(f"findings: {n_a} and {n_b}; records: {len(a)} and {len(b)}")
    rules = sorted(set(by_rule_a) | set(by_rule_b))
    changed = [f"{r} {by_rule_a.get(r, 0)}→{by_rule_b.get(r, 0)}" for r in rules
               if by_rule_a.get(r) != by_rule_b.get(r)]
    print("per rule: " + ("same counts for every rule" if not changed else ", ".join(changed)))
    for kind in ("findings", "parse", "build", "cli"):
        bad = differing.get(kind, [])
        total = sum(1 for (_, k) in set(a) | set(b) if k == kind)
        print(f"{kind}: {len(bad)} of {total} records differ")
        for line in bad[:show]:
            print("   ", line[:400])
    return 1 if differing else 0


def _by_rule(recs) -> dict[str, int]:
    out: dict[str, int] = {}
    for (_, kind), data in recs.items():
        if kind == "findings":
            for f in data:
                out[f["rule"]] = out.get(f["rule"], 0) + 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--samples", type=Path)
    c = sub.add_parser("diff")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    c.add_argument("--show", type=int, default=10)
    args = ap.parse_args()
    if args.cmd == "dump":
        dump(args.out, args.samples)
    else:
        raise SystemExit(diff(args.a, args.b, args.show))


if __name__ == "__main__":
    main()
