"""Plain-text reader: a ``.txt`` disclosure (e.g. text extracted from a PDF) → ``SourceDoc``.

One ``SourceLine`` per line of the file, numbered from 1; cells are the line split on
tabs (extracted tables keep their columns as tab-separated cells, running text is one
cell). Every cell goes through :func:`juesuan.zh.normalize_cell`. The
encoding is detected: UTF-8 (with or without BOM), then GB18030.
"""

from __future__ import annotations

from pathlib import Path

from .. import limits
from ..errors import Diagnostic, InputError
from ..zh import normalize_cell
from .source import SourceDoc, SourceLine

__all__ = ["read_text", "decode", "lines_from_text"]


def decode(data: bytes, path: str = "") -> tuple[str, str]:
    """Bytes → (text, encoding name): utf-8-sig, utf-8, gb18030, else a clear InputError."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise InputError([Diagnostic("error", "无法识别文本编码（不是 UTF-8，也不是 GB18030）。",
                                     file=path or None, line=line)]) from None


def lines_from_text(text: str) -> list[SourceLine]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for n, raw in enumerate(text.split("\n"), 1):
        if "\t" in raw:
            cells = [normalize_cell(c) for c in raw.split("\t")]
        else:
            cells = [normalize_cell(raw)]
        out.append(SourceLine(cells=cells, line=n))
    return out


def read_text(path: str | Path) -> SourceDoc:
    p = Path(path)
    data = limits.read_bytes(p)
    text, enc = decode(data, str(p))
    doc = SourceDoc(path=str(p), format="text", lines=lines_from_text(text))
    doc.notes.append(f"encoding: {enc}")
    return doc
