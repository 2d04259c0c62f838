"""What the store keeps of one imported document, as plain rows: no database here.

:func:`source_of` finds the files a source is made of and hashes them (what makes a new
version); :func:`record_of` turns the pipeline's :class:`~juesuan.pipeline.Audit` into the
rows of one version — the entity and its region, every table cell with how and where it was
read (packed one table to a row: :func:`pack_cells`, and the cells of the key rows again one
to a row), every finding with a fingerprint that finds the same finding in another version.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, InputError
from ..limits import check_regular_file
from ..pipeline import PUBLISHED, Audit
from ..zh import REGION_RE, infer_level

__all__ = ["Source", "Record", "source_of", "record_of", "finding_rows", "fingerprint", "region_chain", "DATA_SUFFIXES",
           "SOURCE_SUFFIXES", "FACT_COLUMNS", "CELL_COLUMNS", "TABLE_COLUMNS", "KEY_COLUMNS", "pack_cells",
           "unpack_cells", "pack_facts", "key_rows"]

DATA_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xlsm", ".xls")
SOURCE_SUFFIXES = PUBLISHED + DATA_SUFFIXES
_CANONICAL = ("disclosure.yaml", "disclosure.yml", "disclosure.json")
_WORKBOOKS = (".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class Source:
    """A source as the store identifies it: the files it is read from and their one hash."""
    path: Path
    files: tuple[Path, ...]
    sha256: str
    size: int
    format: str          # pdf, docx, html, txt, yaml, json, xlsx …; "dir" for a directory of data


def _is_data_dir(p: Path) -> bool:
    return p.is_dir() and any((p / n).is_file() for n in _CANONICAL)


def source_of(path: str | Path) -> Source:
    """The files that make ``path`` (a file; a data directory: its ``disclosure.yaml``, or its
    workbooks) and their SHA-256 — of the file's bytes for one file (what ``sha256sum`` prints),
    of each file's name and bytes in turn for several. Raises ``InputError`` for what is not a
    source juesuan reads."""
    p = Path(path)
    if p.is_dir():
        canonical = [p / n for n in _CANONICAL if (p / n).is_file()]
        if canonical:
            files = canonical[:1]
        else:
            files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in _WORKBOOKS
                           and not f.name.startswith(("~$", ".")))
        if not files:
            raise InputError([Diagnostic("error", "目录中没有 disclosure.yaml，也没有 Excel 工作簿：不是一份部门数据",
                                         file=str(p))])
        fmt = "dir"
    else:
        check_regular_file(p)
        if p.suffix.lower() not in SOURCE_SUFFIXES:
            raise InputError([Diagnostic("error", f"不支持的文件类型 {p.suffix or '（无扩展名）'}："
                                                  "应为 PDF、Word（.docx）、网页、文本、YAML/JSON 或 Excel 工作簿",
                                         file=str(p))])
        files = [p]
        fmt = p.suffix.lower().lstrip(".")
    h = hashlib.sha256()
    size = 0
    for f in files:
        check_regular_file(f)
        if len(files) > 1:
            h.update(f.name.encode("utf-8", "surrogateescape") + b"\0")
        with open(f, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
    return Source(p, tuple(files), h.hexdigest(), size, fmt)


def walk(paths: list[Path]) -> list[Path]:
    """The sources named by ``paths``: files as given; a data directory (one holding
    ``disclosure.yaml``) as one source; any other directory walked (in name order) for data
    directories and files juesuan reads — each workbook in it one source, as a bureau's folder of
    departments' workbooks has them. A path that does not exist is kept, so that its import fails
    with its reason."""
    out: list[Path] = []
    for p in paths:
        if not p.is_dir() or _is_data_dir(p):
            out.append(p)
            continue
        for sub in sorted(p.iterdir()):
            if sub.name.startswith((".", "~$")):
                continue
            if sub.is_dir():
                out.extend(walk([sub]))
            elif sub.suffix.lower() in SOURCE_SUFFIXES and sub.name not in ("README.md",):
                out.append(sub)
    return out


def region_chain(region: str) -> list[tuple[str, str | None]]:
    """A region's name with the names of the regions it lies in, from the widest: 武汉市汉阳区 →
    [(武汉市, 市), (武汉市汉阳区, 区)]. Only what its name says; an unknown name is one region."""
    m = REGION_RE.match(region)
    chain: list[tuple[str, str | None]] = []
    if m:
        name = ""
        for group in ("prov", "city", "dist", "town"):
            part = m.group(group)
            if part:
                name += part
                chain.append((name, infer_level(name)))
        if chain and chain[-1][0] != region:
            chain.append((region, infer_level(region)))
    return chain or [(region, infer_level(region))]


def _region_from_name(entity: str) -> str | None:
    """The region a unit's name begins with (中共上海市普陀区委社会工作部 → 上海市普陀区), or None."""
    m = REGION_RE.match(entity.strip())
    if not m:
        return None
    name = "".join(m.group(g) or "" for g in ("prov", "city", "dist"))
    dist = m.group("dist")
    if dist and infer_level(entity) not in ("区", "县", "乡"):   # 社区, 园区 …: not a district
        name = name[: -len(dist)]
    return name or None


@dataclass
class Record:
    """One version's rows, ready to be written."""
    entity: str
    level: str | None
    unit_type: str | None
    region: str | None
    year: int
    kind: str
    title: str
    origin: str                                  # built / parsed
    variant: str | None
    counts: dict[str, int]                       # error / warning / info
    diagnostics: list[dict[str, Any]]
    coverage: dict[str, Any] | None
    fact_tables: list[tuple] = field(default_factory=list)   # one per table, TABLE_COLUMNS (cells packed)
    key_facts: list[tuple] = field(default_factory=list)     # the key rows' cells, KEY_COLUMNS
    fact_count: int = 0                                      # cells in all tables
    findings: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] | None = None         # the kind's canonical data (amounts as text), when it has one
    narrative: list[dict[str, Any]] = field(default_factory=list)   # the kind's narrative facts

    @property
    def status(self) -> str:
        return "error" if self.counts["error"] else "warning" if self.counts["warning"] else "ok"

    @property
    def facts(self) -> list[tuple]:
        """Every cell unpacked, in document order, as FACT_COLUMNS tuples (the amount as its text)."""
        out = []
        for table_id, _, unit, _, cells in self.fact_tables:
            for c in _unpacked(cells):
                out.append(tuple(table_id if k == "table_id" else unit if k == "unit" else c[k]
                                 for k in FACT_COLUMNS))
        return out


# A fact: a table cell with how and where it was read (``Store.facts`` gives them as dicts of these).
FACT_COLUMNS = ("seq", "table_id", "row_key", "code", "label", "side", "column", "value", "unit", "how",
                "confidence", "text", "page", "line", "bbox")
# How the store keeps them (docs/store.md, "facts, one row per table"): a table's cells packed into one
# row of ``fact_tables`` (TABLE_COLUMNS; the table's id and unit once, each cell as CELL_COLUMNS), made in
# the worker, so that the one writer of a batch writes ≈ 9 rows of a document instead of ≈ 500; and the
# cells of the rows that comparing and the dashboard read (:func:`key_rows`) once more one to a row of
# ``key_facts`` (KEY_COLUMNS), where SQL finds them by index. An amount is its exact decimal text.
CELL_COLUMNS = ("seq", "row_key", "code", "label", "side", "column", "value", "how", "confidence", "text",
                "page", "line", "bbox")
TABLE_COLUMNS = ("table_id", "seq", "unit", "cell_count", "cells")
KEY_COLUMNS = ("seq", "table_id", "row_key", "code", "label", "column", "value", "unit")


def pack_cells(cells: list[list]) -> bytes:
    """A table's cells (sequences in CELL_COLUMNS order, an amount as its decimal text) as the bytes
    one ``fact_tables`` row keeps: zlib (fastest level) of the UTF-8 JSON ``{"n": cells, "columns":
    {name: [value of each cell] | {"all": value}}}`` — by column, a column whose every cell holds
    the same value (how a built table was read: typed, 1.0, no page …) written once. The names
    travel with the values, so a reader knows what each holds whatever juesuan wrote them; a lone
    surrogate read from a broken file survives (``surrogatepass``)."""
    columns: dict[str, Any] = {}
    if cells:
        for name, col in zip(CELL_COLUMNS, zip(*cells)):
            columns[name] = {"all": col[0]} if col.count(col[0]) == len(col) else col
    text = json.dumps({"n": len(cells), "columns": columns}, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def _unpacked(blob: bytes) -> list[dict[str, Any]]:
    got = json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))
    n = got["n"]
    names = list(got["columns"])
    cols = [c if isinstance(c, list) else [c["all"]] * n for c in got["columns"].values()]
    return [dict(zip(names, vals)) for vals in zip(*cols)]


def unpack_cells(blob: bytes) -> list[dict[str, Any]]:
    """The cells :func:`pack_cells` packed, as dicts of CELL_COLUMNS; an amount as the exact
    :class:`~decimal.Decimal` it was (its own digits: ``937.70`` stays ``937.70``), None for a cell
    that shows nothing."""
    out = _unpacked(blob)
    for c in out:
        v = c.get("value")
        if v is not None:
            c["value"] = Decimal(v)
    return out


def key_rows() -> frozenset[tuple[str, str]]:
    """The (table, row key) pairs whose cells are kept one to a row as well: those the quantities of
    ``juesuan compare`` read (:func:`juesuan.store.compare.key_rows`; the dashboard's key figures
    are among them)."""
    global _KEY_ROWS
    if _KEY_ROWS is None:
        from .compare import key_rows as declared
        _KEY_ROWS = declared()
    return _KEY_ROWS


_KEY_ROWS: frozenset[tuple[str, str]] | None = None


def pack_facts(facts: list[tuple], keys: frozenset[tuple[str, str]] | None = None
               ) -> tuple[list[tuple], list[tuple]]:
    """Facts (FACT_COLUMNS tuples, in document order, an amount as its decimal text) as the store
    keeps them: the rows of ``fact_tables`` (TABLE_COLUMNS, a table's cells packed) and of
    ``key_facts`` (KEY_COLUMNS, the cells of ``keys``' rows; default :func:`key_rows`)."""
    keys = key_rows() if keys is None else keys
    tables: list[tuple] = []
    key_facts: list[tuple] = []
    by_table: dict[str, tuple[str, list[list]]] = {}
    for f in facts:
        seq, table_id, row_key, code, label, side, column, value, unit = f[:9]
        got = by_table.get(table_id)
        if got is None:
            got = by_table[table_id] = (unit, [])
        got[1].append((seq, row_key, code, label, side, column, value, *f[9:]))
        if (table_id, row_key) in keys:
            key_facts.append((seq, table_id, row_key, code, label, column, value, unit))
    for i, (table_id, (unit, cells)) in enumerate(by_table.items()):
        tables.append((table_id, i, unit, len(cells), pack_cells(cells)))
    return tables, key_facts


def _amount_text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Decimal):
        raise TypeError(f"金额必须是 Decimal，不能是 {type(value).__name__}：{value!r}")
    return format(value, "f")


def _json_safe(obj: Any) -> Any:
    """Plain JSON: Decimals as their text, tuples as lists, anything else as its text."""
    if isinstance(obj, dict):
        return {str(k): _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [_json_safe(v) for v in obj]
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    return str(obj)


_DIGITS = re.compile(r"[\d.,%]+")
_PLACE_KEYS = ("part", "section", "table", "side", "row", "column", "chart", "label", "note")


def fingerprint(rule: str, places: list[dict[str, Any]], message: str) -> str:
    """What makes a finding the same finding in another version of the document: its rule and the
    cells, rows, sections and sentences it points at, a sentence without its figures — not the
    figures (a corrected figure that still does not add up is the same finding), not page or line
    (a corrected file may move its text). A finding that points at nothing is known by its
    message without its figures."""
    where = sorted({tuple(str(p.get(k) or "") for k in _PLACE_KEYS) + (_DIGITS.sub("#", p.get("sentence") or ""),)
                    for p in places} - {("",) * (len(_PLACE_KEYS) + 1)})
    key = rule + "|" + ("|".join("/".join(w) for w in where) if where else _DIGITS.sub("#", message))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def finding_rows(found: list, start: int = 0) -> list[dict[str, Any]]:
    """The pipeline's findings as the store's rows (places as plain JSON, a fingerprint), numbered
    from ``start``."""
    out = []
    for i, f in enumerate(found, start):
        places = [_json_safe(p.to_dict()) for p in f.places]
        out.append({"seq": i, "rule": f.rule, "severity": f.severity, "message": f.message,
                    "figures": _json_safe(list(f.figures)), "places": places,
                    "fingerprint": fingerprint(f.rule, places, f.message)})
    return out


def _data_of(audit: Audit, path: Path) -> dict[str, Any] | None:
    """The kind's canonical data of the document: its model dumped, for data; a published file read
    back (万元 × 10000, what it does not show left out), for a document. None when the kind has no
    such data, or the document cannot be read back as data."""
    import json

    loaded, kind = audit.loaded, audit.loaded.kind
    try:
        if loaded.built is not None and kind.dump is not None:
            return json.loads(kind.dump(loaded.built.model, "json"))
        if loaded.parse is not None and kind.document_data is not None:
            data, _ = kind.document_data(loaded.document, str(path))
            return _json_safe(data)
    except (InputError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return None


def record_of(audit: Audit, path: Path, region: str | None = None, year: int | None = None) -> Record:
    """The rows of one version from the pipeline's audit of ``path``. ``region`` and ``year`` are
    what the user said (``db import --region/--year``); otherwise the data's own region (a
    department's data), or the region its name begins with, and the document's year. Raises
    ``InputError`` when the document names no unit or no year: it could not be filed."""
    loaded = audit.loaded
    doc = loaded.document
    entity = (doc.entity or "").strip()
    year = year if year is not None else doc.year
    if not entity:
        raise InputError([Diagnostic("error", f"文件中没有找到单位名称，无法归档：请确认这是一份{loaded.kind.title}"
                                              "（部门决算公开或部门预算公开）", file=str(path))])
    if year is None:
        raise InputError([Diagnostic("error", "文件中没有找到年度，无法归档：可用 --year 指明年度", file=str(path))])
    if region is None and loaded.built is not None:
        region = getattr(getattr(loaded.built.model, "entity", None), "region", None)
    if region is None:
        region = _region_from_name(entity)
    counts = {"error": 0, "warning": 0, "info": 0}
    findings = finding_rows(audit.findings)
    for f in findings:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    facts = []
    tables = doc.tables
    for t in (tables if tables is not None else ()):
        two_sided = t.layout.kind == "two_sided"
        for r in t.rows:
            if not r.label:
                continue
            for col, value in r.cells.items():
                reading = t.reading(r, col)
                place = reading.place
                facts.append((
                    len(facts), t.id, r.key, r.code or "", r.label, r.side, f"{r.side}:{col}" if two_sided else col,
                    _amount_text(value), t.unit, reading.how[:40], float(reading.confidence), reading.text or None,
                    place.page if place else None, place.line if place else None,
                    list(place.bbox) if place and place.bbox else None))
    unit = next((t.unit for t in tables), "") if tables is not None else ""
    for r in loaded.kind.form_facts(doc):    # what the kind's forms state (the 预算's 绩效目标表)
        facts.append((
            len(facts), r["table_id"], r["row_key"], "", r["label"], None, r["column"], _amount_text(r["value"]),
            r.get("unit") or unit, "form", 1.0, r.get("text"), r.get("page"), r.get("line"),
            list(r["bbox"]) if r.get("bbox") else None))
    if loaded.parse is not None and not facts:
        # a file that reads as a disclosure by its words but shows not one table figure: nothing to file
        raise InputError([Diagnostic("error", f"文件中没有读到任何表格数字：不像一份{loaded.kind.title}"
                                              "（如为扫描件，请先安装 OCR 组件；如表格另成一个文件，请一并提供）",
                                     file=str(path), code="not-disclosure")])
    fact_tables, key_facts = pack_facts(facts)
    coverage = None
    if loaded.parse is not None:
        cov = loaded.parse.coverage
        coverage = _json_safe({"format": cov.format, "pages": cov.pages, "tables_found": cov.tables_found,
                               "cells_read": cov.cells_read, "values_read": cov.values_read,
                               "scanned": cov.scanned, "ocr_pages": cov.ocr_pages, "variant": cov.variant})
    return Record(
        data=_data_of(audit, path),
        entity=entity, level=doc.level or infer_level(entity), unit_type=doc.unit_type, region=region, year=year,
        kind=loaded.kind.name, title=doc.title or "", origin="parsed" if loaded.parse is not None else "built",
        variant=tables.variant if tables is not None else None, counts=counts,
        diagnostics=[_json_safe(d.to_dict()) for d in loaded.diagnostics], coverage=coverage,
        fact_tables=fact_tables, key_facts=key_facts, fact_count=len(facts), findings=findings,
        narrative=[{"seq": i, **r} for i, r in enumerate(loaded.kind.narrative_facts(doc))])
