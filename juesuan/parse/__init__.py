"""Parsing published disclosures back into a ``Document``: ``parse_file(path)``.

Readers turn a file into a :class:`~juesuan.parse.source.SourceDoc` (``.txt`` →
:mod:`.text`, ``.pdf`` → :mod:`.pdf`, ``.docx`` → :mod:`.docx`, ``.html``/``.htm`` →
:mod:`.html`, imported lazily); :func:`~juesuan.parse.recognize.recognize` finds the
structure whatever the format. A scanned PDF gives a Document whose coverage says so.
Unusable input raises :class:`~juesuan.errors.InputError` with the file (and line).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..document import Document
from ..errors import Diagnostic, InputError
from .recognize import recognize
from .source import SourceDoc, SourceLine

__all__ = ["parse_file", "read_source", "recognize", "SourceDoc", "SourceLine", "READERS"]

# suffix → (module, function, format name)
READERS: dict[str, tuple[str, str, str]] = {
    ".txt": ("text", "read_text", "文本"),
    ".text": ("text", "read_text", "文本"),
    ".pdf": ("pdf", "read_pdf", "PDF"),
    ".docx": ("docx", "read_docx", "Word（DOCX）"),
    ".html": ("html", "read_html", "HTML"),
    ".htm": ("html", "read_html", "HTML"),
}


def read_source(path: str | Path) -> SourceDoc:
    p = Path(path)
    if not p.exists():
        raise InputError([Diagnostic("error", "文件不存在。", file=str(p))])
    if p.is_dir():
        raise InputError([Diagnostic("error", "这是一个目录，请给出要解析的文件。", file=str(p))])
    suffix = p.suffix.lower()
    if suffix not in READERS:
        raise InputError([Diagnostic(
            "error", f"不支持的文件类型“{p.suffix or '（无扩展名）'}”：可解析 .txt、.pdf、.docx、.html/.htm。",
            file=str(p))])
    module, func, label = READERS[suffix]
    try:
        mod = importlib.import_module(f"{__name__}.{module}")
        reader = getattr(mod, func)
    except (ImportError, AttributeError):
        raise InputError([Diagnostic("error", f"暂不支持解析{label}文件（{label}读取器尚未提供）。",
                                     file=str(p))]) from None
    try:
        return reader(p)
    except InputError:
        raise
    except (OSError, ValueError, KeyError, IndexError, RuntimeError) as e:
        raise InputError([Diagnostic("error", f"无法读取{label}文件：{e}", file=str(p))]) from None


def parse_file(path: str | Path) -> Document:
    """Read ``path`` (txt/pdf/docx/html) and recognise it into a ``Document``."""
    src = read_source(path)
    try:
        return recognize(src)
    except InputError:
        raise
    except Exception as e:  # a recognizer bug must still name the file, never a bare traceback
        raise InputError([Diagnostic("error", f"解析失败（内部错误：{type(e).__name__}: {e}）",
                                     file=str(path))]) from e
