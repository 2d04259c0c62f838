"""Workbook files → sheet grids: values (cached values of formulas), merges, uncached formulas.

python-calamine reads .xlsx/.xlsm/.xls fast and gives the cached value of every
formula cell. What it cannot say — whether an empty cell is really a formula that
was never calculated (files written by scripts, e.g. openpyxl, have none) — is read
from the sheet XML directly, without loading the workbook a second time through
openpyxl: a scan for ``<f>`` elements without a ``<v>`` value.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ...errors import Diagnostic, InputError

__all__ = ["SheetGrid", "open_sheets", "WORKBOOK_SUFFIXES"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


@dataclass
class SheetGrid:
    file: str
    name: str
    rows: list[list[Any]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)    # formula without value
    hidden: bool = False

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def get(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def ref(self, r: int, c: int) -> str:
        from .cells import a1
        return f"{self.name}!{a1(r, c)}"


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_R_ATTR = re.compile(rb'\br="([A-Z]+)(\d+)"')
_F = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_V = re.compile(rb"<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>")
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', re.S)
_SHEET_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?r:id="([^"]*)"[^>]*?name="([^"]*)"', re.S)
_REL = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"', re.S)
_REL2 = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"', re.S)


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _unescape(b: bytes) -> str:
    s = b.decode("utf-8")
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _uncached_formulas(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name → {(row, col): formula} of formula cells that have no cached value."""
    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            wb = z.read("xl/workbook.xml")
            rels = z.read("xl/_rels/workbook.xml.rels")
            targets = {i.decode(): t.decode() for i, t in _REL.findall(rels)}
            targets.update({i.decode(): t.decode() for t, i in _REL2.findall(rels)})
            sheets = [(_unescape(n), i.decode()) for n, i in _SHEET.findall(wb)]
            if not sheets:
                sheets = [(_unescape(n), i.decode()) for i, n in _SHEET_ID_FIRST.findall(wb)]
            names = set(z.namelist())
            for name, rid in sheets:
                target = targets.get(rid)
                if not target:
                    continue
                member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
                if member not in names:
                    continue
                data = z.read(member)
                if b"<f" not in data and b":f" not in data:
                    continue
                found: dict[tuple[int, int], str] = {}
                for attrs, inner in _CELL.findall(data):
                    if not inner:
                        continue
                    f = _F.search(inner)
                    if not f or _V.search(inner):
                        continue
                    m = _R_ATTR.search(attrs)
                    if not m:
                        continue
                    found[(int(m.group(2)) - 1, _col_index(m.group(1)))] = _unescape(f.group(1) or b"")
                if found:
                    out[name] = found
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, UnicodeDecodeError):
        return out
    return out


def _read_file(path: Path) -> list[SheetGrid]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own error types
        raise InputError([Diagnostic("error", f"无法读取工作簿：{e}", file=str(path))]) from None
    uncached = _uncached_formulas(path) if path.suffix.lower() in (".xlsx", ".xlsm") else {}
    hidden = set()
    try:
        for meta in wb.sheets_metadata:
            if str(getattr(meta, "visible", "")).lower().endswith(("hidden", "veryhidden")):
                hidden.add(meta.name)
    except Exception:  # pragma: no cover - metadata is optional
        pass
    grids = []
    for name in wb.sheet_names:
        try:
            sh = wb.get_sheet_by_name(name)
            rows = sh.to_python(skip_empty_area=False)
            merges = [(a[0], a[1], b[0], b[1]) for a, b in (sh.merged_cell_ranges or [])]
        except Exception as e:
            raise InputError([Diagnostic("error", f"无法读取工作表：{e}", file=str(path), cell=name)]) from None
        unc = uncached.get(name, {})
        width = max([len(r) for r in rows] + [m[3] + 1 for m in merges] + [c + 1 for _, c in unc] + [0])
        height = max([len(rows)] + [r + 1 for r, _ in unc])
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
        rows += [[""] * width for _ in range(height - len(rows))]
        grids.append(SheetGrid(str(path), name, rows, merges, unc, name in hidden))
    return grids


def open_sheets(path: str | Path) -> list[SheetGrid]:
    """Every sheet of a workbook, or of every workbook in a directory (file name order)."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.iterdir()
                       if f.suffix.lower() in WORKBOOK_SUFFIXES and not f.name.startswith(("~$", ".")))
        if not files:
            raise InputError([Diagnostic("error", "目录中没有 Excel 工作簿（.xlsx/.xlsm/.xls）", file=str(p))])
    else:
        files = [p]
    out: list[SheetGrid] = []
    for f in files:
        out.extend(_read_file(f))
    return out
