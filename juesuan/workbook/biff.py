"""What a legacy .xls says beyond calamine's values: Excel error values and the sheets' extent.

calamine reads an error cell of an .xls (#DIV/0!, #REF!) as blank, and lays a sheet out as
one dense block from its first to its last cell before it can be asked how large it is (an
.xls sheet reaches 65 536 × 256 cells: a stray far cell costs about a gigabyte). This module
walks the BIFF records of the file's Workbook stream (read with olefile) instead:

* ``BOUNDSHEET`` records name the sheets and where their records start;
* in each sheet, the cell records (number, RK, label, formula, …) give the sheet's extent, and
  ``BOOLERR`` records and formulas whose cached result is an error give the error cells.

Only what is needed is decoded; a record this module does not know is skipped. A stream it
cannot walk gives no scan (calamine's reading stands, as before), never an exception.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["XlsSheet", "scan_xls"]

_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
           0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
_FORMULA, _BOOLERR = 0x0006, 0x0205
# cell records whose first two fields are the row and the column (BIFF5 and BIFF8)
_CELLS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x00D6, _BOOLERR, _FORMULA}
_MULRK = 0x00BD


@dataclass
class XlsSheet:
    name: str
    errors: dict[tuple[int, int], str] = field(default_factory=dict)   # (row, col) → "#DIV/0!"
    cells: set[tuple[int, int]] = field(default_factory=set)          # every cell holding a value

    @property
    def rows(self) -> int:
        return max((r + 1 for r, _ in self.cells), default=0)

    @property
    def cols(self) -> int:
        return max((c + 1 for _, c in self.cells), default=0)


def _stream(path: Path) -> bytes | None:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            for name in ("Workbook", "Book"):
                if ole.exists(name):
                    return ole.openstream(name).read()
    except Exception:  # olefile's own errors on a damaged container: calamine will say what is wrong
        return None
    return None


def _records(data: bytes, start: int):
    """(type, payload) from ``start`` to the end of the stream."""
    pos, end = start, len(data)
    while pos + 4 <= end:
        rtype, size = struct.unpack_from("<HH", data, pos)
        yield rtype, data[pos + 4:pos + 4 + size]
        pos += 4 + size


def _sheet_name(payload: bytes, biff8: bool) -> str:
    n = payload[6]
    if not biff8:
        return payload[7:7 + n].decode("gbk", errors="replace")
    wide = payload[7] & 1
    raw = payload[8:8 + n * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", errors="replace")


def scan_xls(path: str | Path) -> dict[str, XlsSheet] | None:
    """Sheet name → its error cells and value cells; None when the stream cannot be walked."""
    data = _stream(Path(path))
    if not data:
        return None
    try:
        return _walk(data)
    except (struct.error, IndexError):
        return None


def _walk(data: bytes) -> dict[str, XlsSheet] | None:
    first = next(_records(data, 0), None)
    if first is None or first[0] != _BOF:
        return None
    biff8 = struct.unpack_from("<H", first[1], 0)[0] == 0x0600
    sheets: list[tuple[int, str]] = []
    for rtype, payload in _records(data, 0):
        if rtype == _BOUNDSHEET and len(payload) >= 8:
            if payload[5] == 0:   # a worksheet (not a chart or macro sheet)
                sheets.append((struct.unpack_from("<I", payload, 0)[0], _sheet_name(payload, biff8)))
        elif rtype == _EOF:
            break
    out: dict[str, XlsSheet] = {}
    for offset, name in sheets:
        s = out[name] = XlsSheet(name)
        if offset >= len(data):
            continue
        for rtype, p in _records(data, offset):
            if rtype == _EOF:
                break
            if rtype in _CELLS and len(p) >= 4:
                pos = struct.unpack_from("<HH", p, 0)
                s.cells.add(pos)
                if rtype == _BOOLERR and len(p) >= 8 and p[7] == 1:
                    s.errors[pos] = _ERRORS.get(p[6], "#VALUE!")
                elif rtype == _FORMULA and len(p) >= 14 and p[12:14] == b"\xff\xff" and p[6] == 2:
                    s.errors[pos] = _ERRORS.get(p[8], "#VALUE!")
            elif rtype == _MULRK and len(p) >= 6:
                row, first_col = struct.unpack_from("<HH", p, 0)
                last_col = struct.unpack_from("<H", p, len(p) - 2)[0]
                for c in range(first_col, min(last_col, 255) + 1):
                    s.cells.add((row, c))
    return out
