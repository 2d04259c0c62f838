"""Writing output files (issue 14): atomically, under safe names, with a Chinese reason on failure.

Every file juesuan writes (the disclosure in each format, the facts CSV, the template workbook,
the reports of ``parse -o`` and ``check -o``) is written to a temporary name in its own directory
and moved into place with :func:`os.replace` only once it is complete: a full disk, a crash or
Ctrl-C leaves the previous file intact and no truncated one beside it. A failure is raised as
:class:`OutputError`, whose message names the file and the likely cause ("磁盘已满", "没有写入权限",
"文件可能正在 WPS/Word/Acrobat 中打开") — the command line prints it and exits with status 2.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import JuesuanError

__all__ = ["OutputError", "OutputDirError", "MAX_NAME_BYTES", "TEMP_PREFIX", "new_run", "temp_files", "writing",
           "write_text", "write_bytes", "same_file", "ensure_dir", "safe_file_name", "unsafe_name_reason"]

MAX_NAME_BYTES = 180      # a file name's stem in UTF-8 (60 汉字): room for the suffix within any file system's 255
TEMP_PREFIX = ".juesuan-"  # temporary files: .juesuan-<run>-<random><suffix>.tmp, beside their target

_LOCKED = "文件可能正在 WPS/Word/Acrobat 等程序中打开（或是只读文件），请关闭后重试"
_NO_PERMISSION = "没有写入权限：请换一个输出位置，或检查该目录的权限"
_REASONS = {
    errno.ENOSPC: "磁盘已满：请腾出空间后重试，或换一个输出位置",
    getattr(errno, "EDQUOT", -1): "超出磁盘配额：请腾出空间后重试，或换一个输出位置",
    errno.EROFS: "磁盘是只读的：请换一个输出位置",
    errno.ENAMETOOLONG: "文件名或路径过长：请用短一些的名称或目录",
    errno.ENOENT: "所在目录不存在",
    errno.EISDIR: "已有同名目录：请换一个文件名",
    errno.ENOTDIR: "路径中有一级不是目录，而是文件：请检查路径",
    errno.EINVAL: "文件名不可用（可能含有 Windows 不允许的字符）：请换一个文件名",
}


class OutputError(JuesuanError):
    """A file could not be written: ``path`` and the likely cause, in Chinese."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(str(path), reason)     # both in args: the error pickles (worker processes)
        self.path, self.reason = str(path), reason

    def __str__(self) -> str:
        return f"无法写入 {self.path}：{self.reason}。"


class OutputDirError(OutputError):
    """The output directory could not be made."""

    def __str__(self) -> str:
        return f"无法创建输出目录 {self.path}：{self.reason}。"


def _reason(e: OSError, replacing: bool = False) -> str:
    win = getattr(e, "winerror", None)
    if win in (32, 33) or (replacing and isinstance(e, PermissionError)):   # sharing / lock violation
        return _LOCKED
    if isinstance(e, PermissionError) or e.errno in (errno.EACCES, errno.EPERM):
        return _NO_PERMISSION
    if win == 112:   # ERROR_DISK_FULL
        return _REASONS[errno.ENOSPC]
    return _REASONS.get(e.errno, e.strerror or str(e))


def new_run() -> str:
    """A token naming one run's temporary files (so that only they are ever cleaned up)."""
    return f"{os.getpid()}-{os.urandom(3).hex()}"


def temp_files(directory: Path, run: str) -> list[Path]:
    """The temporary files run ``run`` left in ``directory`` (e.g. from a worker that was stopped)."""
    try:
        return sorted(directory.glob(f"{TEMP_PREFIX}{run}-*.tmp"))
    except OSError:
        return []


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` name one existing file (an output must never overwrite its input)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def ensure_dir(directory: Path) -> Path:
    """Make ``directory`` (and its parents); an existing file there or a refusal → ``OutputDirError``."""
    if directory.exists() and not directory.is_dir():
        raise OutputDirError(directory, "已有同名文件，不是目录：请换一个目录名"
                                        "（只要一种格式时，可用 -o 文件名.pdf 等直接写出该文件）")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputDirError(directory, "路径中有一级是文件，不是目录：请检查路径") from None
    except OSError as e:
        raise OutputDirError(directory, _reason(e)) from None
    return directory


@contextmanager
def writing(path: str | Path, run: str | None = None) -> Iterator[Path]:
    """``with writing(path) as tmp: write(tmp)`` — the file appears at ``path`` only when complete.

    ``tmp`` is a new name in the same directory; on success it replaces ``path`` (the previous
    file stays intact until then); on any failure or interruption it is removed and, for an
    ``OSError``, an :class:`OutputError` naming ``path`` is raised.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(target, _REASONS[errno.EISDIR])
    tmp = target.with_name(f"{TEMP_PREFIX}{run or new_run()}-{os.urandom(3).hex()}{target.suffix}.tmp")
    try:
        try:
            yield tmp
        except OSError as e:
            raise OutputError(target, _reason(e)) from None
        except Exception as e:
            cause = _os_error(e)   # a library's own error around the OSError (xlsxwriter's FileCreateError)
            if cause is None:
                raise
            raise OutputError(target, _reason(cause)) from None
        _replace(tmp, target)
    finally:
        if tmp.exists():
            try:
                tmp.unlink()
            except OSError:  # pragma: no cover - nothing more can be done about it
                pass


def _os_error(e: BaseException) -> OSError | None:
    """The OSError a library's exception wraps (its cause, context or first argument), if any."""
    seen: set[int] = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, OSError):
            return e
        arg = e.args[0] if e.args else None
        if isinstance(arg, OSError):
            return arg
        e = e.__cause__ or e.__context__
    return None


def _replace(tmp: Path, target: Path) -> None:
    """``os.replace``; on Windows a virus scanner or the search indexer may hold either file for a
    moment, so a refusal is tried again for about a second before it is reported."""
    for attempt in range(6 if sys.platform == "win32" else 1):
        try:
            os.replace(tmp, target)
            return
        except PermissionError as e:
            if attempt == 5 or sys.platform != "win32":
                raise OutputError(target, _reason(e, replacing=target.exists())) from None
            time.sleep(0.2)
        except OSError as e:
            raise OutputError(target, _reason(e, replacing=target.exists())) from None


def write_bytes(path: str | Path, data: bytes, run: str | None = None) -> Path:
    with writing(path, run) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
    return Path(path)


def write_text(path: str | Path, text: str, run: str | None = None) -> Path:
    """``text`` in UTF-8 at ``path``, atomically."""
    return write_bytes(path, text.encode("utf-8", "replace"), run)   # a lone surrogate as "?"


# ---------------------------------------------------------------------------------- names

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$")


def unsafe_name_reason(name: str) -> str | None:
    """Why ``name`` cannot be a file name's stem on Windows (or anywhere), or None."""
    if not name.strip():
        return "文件名不能为空"
    if _FORBIDDEN.search(name):
        return '文件名不能含有 \\ / : * ? " < > | 或控制字符'
    if name != name.rstrip(". "):
        return "文件名不能以点或空格结尾"
    if _RESERVED.match(name):
        return f"{name} 是 Windows 的保留名称"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"文件名过长（至多 {MAX_NAME_BYTES // 3} 个汉字）"
    return None


def safe_file_name(text: str, fallback: str = "部门决算公开") -> str:
    """``text`` made a file name's stem that every system accepts: forbidden characters
    (``\\/:*?"<>|``, control characters) become ``_``, no leading or trailing dots or spaces,
    not a Windows device name, at most :data:`MAX_NAME_BYTES` bytes; empty → ``fallback``."""
    name = _FORBIDDEN.sub("_", " ".join(text.split()))
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.strip(". ")
    if not name:
        return fallback
    if _RESERVED.match(name):
        name += "_"
    return name
