"""Exporting what the store holds: facts, findings and a summary as CSV, XLSX or Parquet.

Every file is written atomically (:func:`juesuan.output.writing`). Amounts stay exact: CSV
prints the Decimal's own text, Parquet stores ``decimal128`` at the largest scale present (a
wider scale adds zeros, never rounds), XLSX stores a number when the number reads back as
the same Decimal (every amount of 15 significant digits or fewer) and the text otherwise.
CSV is UTF-8 with a BOM, so Excel on a Chinese Windows opens it without 乱码.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..output import ensure_dir, writing
from .store import KIND_LABELS, Store

__all__ = ["WHAT", "FORMATS", "COLUMNS", "rows", "export", "excel_value"]

WHAT = ("facts", "findings", "summary")
FORMATS = ("csv", "xlsx", "parquet")
SHEETS = {"summary": "汇总", "facts": "数据", "findings": "审核发现"}

_HEAD = ("version_id", "region", "entity", "year", "kind", "version")
COLUMNS = {
    "summary": _HEAD + ("status", "errors", "warnings", "infos", "facts", "level", "unit_type", "variant", "origin",
                        "title", "file", "size", "sha256", "imported_at"),
    "facts": _HEAD + ("table", "row_key", "code", "label", "column", "value", "unit", "how", "confidence", "text",
                      "page", "line"),
    "findings": _HEAD + ("rule", "severity", "message", "figures", "places"),
}


def _head(v: dict[str, Any]) -> dict[str, Any]:
    return {"version_id": v["id"], "region": v["region"], "entity": v["entity"], "year": v["year"],
            "kind": KIND_LABELS.get(v["kind"], v["kind"]), "version": v["number"]}


def rows(store: Store, what: str, chosen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of ``what`` for the versions ``chosen`` (rows of :meth:`Store.versions`)."""
    from ..place import place_text
    out: list[dict[str, Any]] = []
    for v in chosen:
        head = _head(v)
        if what == "summary":
            out.append({**head, "status": v["status"], "errors": v["errors"], "warnings": v["warnings"],
                        "infos": v["infos"], "facts": v["fact_count"], "level": v["level"],
                        "unit_type": v["unit_type"], "variant": v["variant"], "origin": v["origin"],
                        "title": v["title"], "file": v["file"], "size": v["size"], "sha256": v["sha256"],
                        "imported_at": v["imported_at"].isoformat(timespec="seconds") if v["imported_at"] else None})
        elif what == "facts":
            out.extend({**head, "table": f["table_id"], "row_key": f["row_key"], "code": f["code"],
                        "label": f["label"], "column": f["column"], "value": f["value"], "unit": f["unit"],
                        "how": f["how"], "confidence": f["confidence"], "text": f["text"], "page": f["page"],
                        "line": f["line"]} for f in store.facts(v["id"]))
        else:
            out.extend({**head, "rule": f["rule"], "severity": f["severity"], "message": f["message"],
                        "figures": "；".join(f["figures"]),
                        "places": "；".join(place_text(p) for p in f["places"])} for f in store.findings(v["id"]))
    return out


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def _write_csv(path: Path, what: str, data: list[dict[str, Any]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS[what])
    for r in data:
        w.writerow([_cell(r[c]) for c in COLUMNS[what]])
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def excel_value(v: Any) -> Any:
    """A value for an XLSX cell: a Decimal as a number when the number reads back as the same
    Decimal (Excel's numbers are binary doubles), else as its exact text."""
    if isinstance(v, Decimal):
        f = float(v)
        return f if Decimal(repr(f)) == v else format(v, "f")
    return v


def _write_xlsx(path: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    import xlsxwriter
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    try:
        bold = book.add_format({"bold": True})
        money = book.add_format({"num_format": "#,##0.00########"})
        for what, data in tables.items():
            sheet = book.add_worksheet(SHEETS[what])
            cols = COLUMNS[what]
            sheet.write_row(0, 0, cols, bold)
            sheet.freeze_panes(1, 0)
            for i, r in enumerate(data, start=1):
                for j, c in enumerate(cols):
                    v = excel_value(r[c])
                    if v is None:
                        continue
                    if isinstance(v, float) and c == "value":
                        sheet.write_number(i, j, v, money)
                    elif isinstance(v, int | float):
                        sheet.write_number(i, j, v)
                    else:
                        sheet.write_string(i, j, str(v))
            if data:
                sheet.autofilter(0, 0, len(data), len(cols) - 1)
    finally:
        book.close()


def _write_parquet(path: Path, what: str, data: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    cols = COLUMNS[what]
    arrays, fields = [], []
    for c in cols:
        values = [r[c] for r in data]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, Decimal) for v in present):
            scale = max(max(0, -v.as_tuple().exponent) for v in present)
            quantum = Decimal(1).scaleb(-scale)
            values = [v.quantize(quantum) if v is not None else None for v in values]
            precision = max([scale + 1] + [len(v.as_tuple().digits) for v in values if v is not None])
            typ = pa.decimal128(precision, scale) if precision <= 38 else pa.string()
            if precision > 38:   # beyond decimal128: the exact text
                values = [None if v is None else format(v, "f") for v in values]
        elif present and all(isinstance(v, bool) for v in present):
            typ = pa.bool_()
        elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            typ = pa.int64()
        elif present and all(isinstance(v, int | float) for v in present):
            typ = pa.float64()
        else:
            typ = pa.string()
            values = [None if v is None else str(v) for v in values]
        arrays.append(pa.array(values, type=typ))
        fields.append(pa.field(c, typ))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), str(path))


def export(store: Store, out: Path, chosen: list[dict[str, Any]], what: str = "facts",
           fmt: str | None = None) -> int:
    """Write ``what`` of the versions ``chosen`` to ``out`` in ``fmt`` (by default from its suffix);
    XLSX holds all three, one sheet each. Returns the rows written (of ``what``)."""
    fmt = fmt or out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"不支持的导出格式：{fmt or '（无扩展名）'}（可选：{'、'.join(FORMATS)}）")
    if what not in WHAT:
        raise ValueError(f"未知的导出内容：{what}（可选：{'、'.join(WHAT)}）")
    ensure_dir(out.parent)
    if fmt == "xlsx":
        tables = {w: rows(store, w, chosen) for w in ("summary", "facts", "findings")}
        with writing(out) as tmp:
            _write_xlsx(tmp, tables)
        return len(tables[what])
    data = rows(store, what, chosen)
    with writing(out) as tmp:
        (_write_csv if fmt == "csv" else _write_parquet)(tmp, what, data)
    return len(data)
