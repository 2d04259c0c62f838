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

from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import Diagnostic, InputError
from .recognize import recognize
from .result import Coverage, Parse
from .source import SourceDoc, SourceLine
from .spec import ParseSpec

__all__ = ["parse_file", "read_source", "read_sources", "choose_spec", "kind_scores", "recognize", "SourceDoc",
           "SourceLine", "READERS", "Parse", "Coverage", "ParseSpec"]


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


def read_sources(paths: Sequence[str | Path]) -> SourceDoc:
    """Several files read as one document, in the order given (a 部门预算 published as its text and,
    apart, its tables): their lines one after the other, each line naming its file (its page is
    that file's page)."""
    if len(paths) == 1:
        return read_source(paths[0])
    docs = [read_source(p) for p in paths]
    for d in docs:
        for line in d.lines:
            line.file = d.path
    formats = {d.format for d in docs}
    return SourceDoc(
        path=" + ".join(d.path for d in docs), format=docs[0].format if len(formats) == 1 else "mixed",
        lines=[line for d in docs for line in d.lines],
        pages=sum(d.pages or 0 for d in docs) or None,
        notes=[*(n for d in docs for n in d.notes), f"合并读取 {len(docs)} 个文件：{'、'.join(d.path for d in docs)}"],
        ocr_pages=[p for d in docs for p in d.ocr_pages])


_TITLE_LINES = 40


def kind_scores(src: SourceDoc, specs: Sequence[ParseSpec]) -> list[tuple[bool, int, int]]:
    """How much ``src`` reads like a document of each kind, most telling first: a title near the top
    saying so ("2024年度…部门预算"), then how many of the kind's tables it prints a title of, then
    how often it uses the kind's words (部门决算 / 部门预算, 决算表 / 预算表, 预算01表). The words
    alone mislead: a 决算's 绩效自评表 say "部门预算项目" once per project."""
    import re

    from .cells import flat, line_text
    from .tabular import Titles, match_title
    head = [flat(line_text(line)) for line in src.lines[:_TITLE_LINES]]
    text = "".join(flat(line_text(line)) for line in src.lines)
    titles = [t for line in src.lines if len(line.cells) <= 2 and "表" in (t := line_text(line)) and len(t) <= 120]
    out = []
    for spec in specs:
        word, table = spec.title_pattern or re.escape(spec.title_word), re.escape(spec.table_word)
        titled = any(re.search(r"(?:19|20)\d{2}年度?.{0,40}?" + word, f) for f in head)
        known = Titles.of(spec.variants, spec.default_variant)
        tables = {hit[0] for t in titles if (hit := match_title(t, known))}
        words = 3 * len(re.findall(word, text)) + len(re.findall(table + r"\s*\d{0,2}\s*表", text))
        out.append((titled, len(tables), words))
    return out


def choose_spec(src: SourceDoc, specs: Sequence[ParseSpec]) -> ParseSpec:
    """The kind ``src`` reads as (:func:`kind_scores`); on a tie, the first of ``specs``."""
    if len(specs) == 1:
        return specs[0]
    scores = kind_scores(src, specs)
    return specs[max(range(len(specs)), key=lambda i: (*scores[i], -i))]


def parse_file(path: str | Path | Sequence[str | Path], spec: ParseSpec | Sequence[ParseSpec]) -> Parse:
    """Read ``path`` (txt/pdf/docx/html; several files read as one document) and recognise it as a
    document of the kind ``spec`` — or, given several kinds, of the kind it reads as (:func:`choose_spec`)."""
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    src = read_sources(paths)
    if not isinstance(spec, ParseSpec):
        spec = choose_spec(src, list(spec))
    try:
        return recognize(src, spec)
    except InputError:
        raise
    except Exception as e:  # a recognizer bug must still name the file, never a bare traceback
        raise InputError([Diagnostic("error", f"解析失败（内部错误：{type(e).__name__}: {e}）",
                                     file=str(src.path))]) from e
