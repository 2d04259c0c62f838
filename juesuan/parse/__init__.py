"""Parsing published documents: ``parse_file(path, spec) -> Parse``.

Readers turn a file into a :class:`~juesuan.parse.source.SourceDoc` (``.txt`` → :mod:`.text`,
``.pdf`` → :mod:`.pdf`, ``.docx`` → :mod:`.docx`, ``.html``/``.htm`` → :mod:`.html`, each
imported only when its format is read); :func:`~juesuan.parse.recognize.recognize` finds the
structure whatever the format, in the vocabulary of a document kind
(:class:`~juesuan.parse.spec.ParseSpec`), and returns a :class:`~juesuan.parse.result.Parse`:
the document with the stages that read it. A scanned PDF gives a Parse whose coverage says so.
Unusable input raises :class:`~juesuan.errors.InputError` with the file (and line).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import Diagnostic, InputError
from .recognize import recognize
from .result import Coverage, Parse
from .source import SourceDoc, SourceLine
from .spec import ParseSpec

__all__ = ["parse_file", "read_source", "recognize", "SourceDoc", "SourceLine", "READERS", "Parse", "Coverage",
           "ParseSpec"]


def _read_text(path: Path) -> SourceDoc:
    from .text import read_text
    return read_text(path)


def _read_pdf(path: Path) -> SourceDoc:
    from .pdf import read_pdf
    return read_pdf(path)


def _read_docx(path: Path) -> SourceDoc:
    from .docx import read_docx
    return read_docx(path)


def _read_html(path: Path) -> SourceDoc:
    from .html import read_html
    return read_html(path)


# suffix → (reader, format name)
READERS: dict[str, tuple[Callable[[Path], SourceDoc], str]] = {
    ".txt": (_read_text, "文本"),
    ".text": (_read_text, "文本"),
    ".pdf": (_read_pdf, "PDF"),
    ".docx": (_read_docx, "Word（DOCX）"),
    ".html": (_read_html, "HTML"),
    ".htm": (_read_html, "HTML"),
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
    reader, label = READERS[suffix]
    try:
        return reader(p)
    except InputError:
        raise
    except ImportError:          # the library of that format is not installed
        raise InputError([Diagnostic("error", f"暂不支持解析{label}文件（{label}读取器尚未提供）。",
                                     file=str(p))]) from None
    except (OSError, ValueError, KeyError, IndexError, RuntimeError) as e:
        raise InputError([Diagnostic("error", f"无法读取{label}文件：{e}", file=str(p))]) from None


def parse_file(path: str | Path, spec: ParseSpec) -> Parse:
    """Read ``path`` (txt/pdf/docx/html) and recognise it as a document of the kind ``spec``."""
    src = read_source(path)
    try:
        return recognize(src, spec)
    except InputError:
        raise
    except Exception as e:  # a recognizer bug must still name the file, never a bare traceback
        raise InputError([Diagnostic("error", f"解析失败（内部错误：{type(e).__name__}: {e}）",
                                     file=str(path))]) from e
