"""Bounds on what an input may make juesuan do (issue 14): the one place where sizes are limited.

Every size an input states (a file's length, a zip member's declared size, a sheet's dimension,
a table cell's span, a YAML document's nodes) is checked here before anything is allocated for
it, and refused with a located ``InputError`` that says what to do — never an abort, a hang or a
memory blow-up. The bounds are far above any real 部门决算 (the largest published ones are a few
hundred pages and a few MB), so that a real document is never refused.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from .errors import Diagnostic, InputError, Severity

__all__ = ["MAX_FILE_BYTES", "MAX_ZIP_MEMBER_BYTES", "MAX_ZIP_TOTAL_BYTES", "MAX_ZIP_RATIO", "MAX_SPAN",
           "MAX_GRID_CELLS", "MAX_SHEET_ROWS", "MAX_SHEET_COLUMNS", "MAX_AMOUNT_YUAN", "refuse", "check_regular_file",
           "read_bytes", "read_head", "read_text", "check_zip"]
__all__ += ["MAX_DOC_CELLS", "MAX_MARKUP_BYTES", "MAX_MARKUP_TAGS", "MAX_PDF_PAGES", "MAX_PDF_PAGE_CONTENT",
            "MAX_PDF_CONTENT", "MAX_PDF_LOAD_BYTES", "MAX_OCR_PIXELS",
            "MAX_PDF_PAGE_OBJECTS", "MAX_PDF_PAGE_CHARS", "MAX_PDF_CHARS", "MAX_YAML_BYTES",
            "MAX_YAML_NODES", "MAX_YAML_DEPTH"]

MAX_FILE_BYTES = 512 * 1024 * 1024          # an input file (a scanned PDF of a big department: ~100 MB)
MAX_ZIP_MEMBER_BYTES = 256 * 1024 * 1024    # one member of an .xlsx/.docx, uncompressed
MAX_ZIP_TOTAL_BYTES = 1024 * 1024 * 1024    # all members together, uncompressed
MAX_ZIP_RATIO = 200                         # uncompressed ÷ compressed, for members above 1 MB
MAX_SPAN = 1000                             # rowspan / colspan / gridSpan / gridBefore of one cell
MAX_GRID_CELLS = 2_000_000                  # cells of one table once its spans are laid out
MAX_SHEET_ROWS = 100_000                    # a worksheet's used range
MAX_SHEET_COLUMNS = 1_000
MAX_AMOUNT_YUAN = 10 ** 15                  # one figure (a whole national budget is ~3 × 10^13 元)
MAX_DOC_CELLS = 10_000_000                  # cells of all tables of one document (HTML, DOCX)
MAX_MARKUP_BYTES = 64 * 1024 * 1024         # an HTML page (a real one, images inlined: < 20 MB)
MAX_MARKUP_TAGS = 2_000_000                 # tags of an HTML page or of one XML part of a .docx (~130 MB parsed)
MAX_PDF_PAGES = 5_000                       # pages of one PDF
MAX_PDF_PAGE_CONTENT = 8 * 1024 * 1024      # content a page draws, form XObjects expanded (real: < 200 KB)
MAX_PDF_CONTENT = 128 * 1024 * 1024         # the same, all pages together
MAX_PDF_LOAD_BYTES = 1024 * 1024 * 1024     # memory to load the pages of a PDF the measure cannot follow
MAX_OCR_PIXELS = 40_000_000                 # a page rendered for OCR (A0 at 150 dpi: 35 M; A4: 2.2 M)
MAX_PDF_PAGE_OBJECTS = 500_000              # page objects of one page, inside form XObjects too
MAX_PDF_PAGE_CHARS = 200_000                # characters of one page (a dense page has ~3 000)
MAX_PDF_CHARS = 10_000_000                  # characters of one PDF
MAX_YAML_BYTES = 64 * 1024 * 1024           # a YAML/JSON data file (a real one: ~50 KB)
MAX_YAML_NODES = 200_000                    # values of a YAML data file, aliases expanded (a real one: ~3 000)
MAX_YAML_DEPTH = 100                        # nesting of a YAML data file (real ones nest 5 deep)


def refuse(path: str | Path | None, message: str, *, line: int | None = None, cell: str | None = None) -> InputError:
    """The error to raise: one located diagnostic (``raise refuse(path, "…")``)."""
    return InputError([Diagnostic(Severity.ERROR, message, file=str(path) if path is not None else None,
                                  line=line, cell=cell)])


def check_regular_file(path: str | Path) -> Path:
    """``path`` must name a regular file (not a directory, a device, a pipe or a dangling link)."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise refuse(p, "文件不存在，请检查路径。") from None
    except PermissionError:
        raise refuse(p, "没有读取权限，请检查文件权限或是否被其他程序占用。") from None
    except OSError as e:
        raise refuse(p, f"无法读取：{e.strerror or e}。") from None
    if stat.S_ISDIR(st.st_mode):
        raise refuse(p, "这是一个目录，不是文件：请给出文件路径（或把目录作为数据目录使用）。")
    if not stat.S_ISREG(st.st_mode):
        raise refuse(p, "这不是普通文件（设备、管道或特殊文件），无法读取："
                        "请给出一份 PDF、Word、Excel、HTML、文本或 YAML 文件。")
    if st.st_size > MAX_FILE_BYTES:
        raise refuse(p, f"文件过大（{st.st_size / 1024 / 1024:.0f} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB），"
                        "不像一份部门决算：请确认选对了文件。")
    return p


def read_bytes(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them (more is refused, never read)."""
    p = check_regular_file(path)
    try:
        with open(p, "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise refuse(p, f"无法读取：{e.strerror or e}。") from None
    if len(data) > limit:
        raise refuse(p, f"文件过大（超过 {limit // 1024 // 1024} MB），不像一份部门决算：请确认选对了文件。")
    return data


def read_head(path: str | Path, n: int) -> bytes:
    """The first ``n`` bytes of a regular file (what it is, before a library opens it)."""
    p = check_regular_file(path)
    try:
        with open(p, "rb") as f:
            return f.read(n)
    except OSError as e:
        raise refuse(p, f"无法读取：{e.strerror or e}。") from None


def read_text(path: str | Path, encoding: str, limit: int = MAX_FILE_BYTES) -> str:
    """A regular file's text in ``encoding`` (errors replaced), at most ``limit`` bytes read."""
    return read_bytes(path, limit).decode(encoding, errors="replace")


def check_zip(path: str | Path, kind: str = "文件") -> None:
    """An .xlsx/.docx is a zip: refuse it before reading when a member declares more than
    MAX_ZIP_MEMBER_BYTES, all of them more than MAX_ZIP_TOTAL_BYTES, or a large member expands more
    than MAX_ZIP_RATIO times (a zip bomb). ``kind`` names the file in the message (“Excel 文件”)."""
    p = check_regular_file(path)
    try:
        with zipfile.ZipFile(p) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return   # not a zip: the reader says what it is
    total = 0
    for i in infos:
        total += i.file_size
        big = i.file_size > MAX_ZIP_MEMBER_BYTES
        bomb = i.file_size > 1024 * 1024 and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1)
        if big or bomb:
            raise refuse(p, f"{kind}内部的“{i.filename}”解压后有 {i.file_size / 1024 / 1024:.0f} MB"
                            f"{'（压缩比异常）' if bomb and not big else ''}，文件已损坏或被构造过，不予读取："
                            "请用 Office/WPS 打开后另存一份再试。")
    if total > MAX_ZIP_TOTAL_BYTES:
        raise refuse(p, f"{kind}解压后共有 {total / 1024 / 1024:.0f} MB，远超一份部门决算的大小，不予读取："
                        "请确认选对了文件，或另存一份再试。")
