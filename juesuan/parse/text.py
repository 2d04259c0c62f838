"""Plain-text reader: a ``.txt`` disclosure (e.g. text extracted from a PDF) → ``SourceDoc``.

One ``SourceLine`` per line of the file, numbered from 1; cells are the line split on
tabs (extracted tables keep their columns as tab-separated cells, running text is one
cell). Every cell goes through :func:`juesuan.zh.normalize_cell`. The
encoding is detected: UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when
it holds NUL bytes and reads as Chinese and ASCII text), then GB18030. A file that is empty,
holds only whitespace, or does not read as text (binary data, a wrong encoding: control
characters, replacement characters) is refused saying which.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import limits
from ..errors import Diagnostic, InputError
from ..zh import normalize_cell
from .source import SourceDoc, SourceLine

__all__ = ["read_text", "decode", "check_text", "lines_from_text"]


_NOT_TEXT = "读不出文字：不像文本文件（可能是二进制文件或编码错误）"
_TRY_AGAIN = "请确认文件是否选对；如确是文本，请用记事本等另存为 UTF-8 编码后再试。"


def decode(data: bytes, path: str = "") -> tuple[str, str]:
    """Bytes → (text, encoding name): utf-8-sig, utf-16 (with a BOM, or without one, see
    :func:`utf16_encoding`), utf-8, gb18030, else a clear InputError."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    utf16 = utf16_encoding(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise InputError([Diagnostic("error", f"{_NOT_TEXT}：既不是 UTF-8 也不是 GB18030 编码的文字。" + _TRY_AGAIN,
                                     file=path or None, line=line)]) from None


# what UTF-16 text of a disclosure decodes to: ASCII, CJK, its punctuation and full-width forms
_PLAUSIBLE = re.compile(r"[\t\n\r\x20-\x7e\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’—…·]")


def utf16_encoding(data: bytes) -> str | None:
    """The UTF-16 encoding of ``data`` (its first 64 KB are enough): "utf-16" with a BOM, or one
    of :func:`_utf16_without_bom`; None when it is not UTF-16 (Windows Notepad's "Unicode")."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return _utf16_without_bom(data)


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the bytes are UTF-16 saved without a BOM — NUL bytes (the high
    byte of ASCII characters) and, so decoded, nearly all Chinese, ASCII and punctuation — else
    None. UTF-8 text holds no NUL byte: only files with some are tried."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data[:65536]:
        return None
    head = data[:65536]
    best, share = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        text = head.decode(enc, errors="replace")   # (a cut pair at the end: one U+FFFD)
        s = len(_PLAUSIBLE.findall(text)) / max(1, len(text))
        if s > share:
            best, share = enc, s
    return best if share >= 0.9 else None


# characters text does not hold: controls (but tab, newline, carriage return, form feed), DEL,
# C1 controls, U+FFFD (bytes a decoder replaced) and lone surrogates
_NOT_TEXT_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff]")
_GARBAGE_SHARE = 0.1   # more than this share of a file's characters not text: not a text file


def check_text(text: str, path: str) -> None:
    """Refuse, saying why, a decoded file with no text: nothing at all, whitespace only, or
    mostly characters text does not hold (binary data, a wrong encoding). A few such characters
    (damaged extracted text) are let through: the source lines drop them."""
    if not text.strip():
        raise InputError([Diagnostic("error", "文件只有空白（空格、换行），没有文字：请确认文件是否选对。",
                                     file=path)])
    first = _NOT_TEXT_CHARS.search(text)
    if first is None:
        return
    bad = len(text) - len(_NOT_TEXT_CHARS.sub("", text))
    if bad > 8 and bad > _GARBAGE_SHARE * len(text):
        line = text.count("\n", 0, first.start()) + 1
        raise InputError([Diagnostic(
            "error", f"{_NOT_TEXT}：{bad} 个字符（{bad * 100 // len(text)}%）是控制字符或无法识别的字符。"
            + _TRY_AGAIN, file=path, line=line)])


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
    data = limits.read_bytes(p, limits.MAX_MARKUP_BYTES)   # a text of 64 MB is ~30 000 pages
    if not data:
        raise InputError([Diagnostic("error", "文件是空的（0 字节），没有内容：请确认文件是否选对。", file=str(p))])
    text, enc = decode(data, str(p))
    check_text(text, str(p))
    doc = SourceDoc(path=str(p), format="text", lines=lines_from_text(text))
    doc.notes.append(f"encoding: {enc}")
    return doc
