"""Readers: sources → model. ``load(path)`` picks the reader by what the path is.

Every reader returns ``(value, diagnostics)`` and raises :class:`~juesuan.errors.InputError`
(with all problems found) when the input cannot be used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Diagnostic, InputError
from .canonical import read_canonical

if TYPE_CHECKING:
    from .model import Disclosure

__all__ = ["load", "read_canonical", "read_workbook"]


def load(path: str | Path) -> tuple[Disclosure, list[Diagnostic]]:
    """Load a department's data (canonical YAML/JSON, an Excel workbook, or a directory of either)."""
    p = Path(path)
    if not p.exists():
        raise InputError([Diagnostic("error", "文件或目录不存在", file=str(p))])
    suffix = p.suffix.lower()
    if suffix in _WORKBOOK:
        return read_workbook(p)
    if p.is_dir() and not any((p / n).exists() for n in _CANONICAL_NAMES) and \
            any(f.suffix.lower() in _WORKBOOK for f in p.iterdir()):
        return read_workbook(p)  # a directory of exported 公开表
    if p.is_dir() or suffix in (".yaml", ".yml", ".json"):
        return read_canonical(p)
    raise InputError([Diagnostic("error", f"不支持的输入格式 {suffix or '（无扩展名）'}；"
                                          "应为 .yaml/.yml/.json、Excel 工作簿（.xlsx/.xlsm/.xls）"
                                          "或包含 disclosure.yaml 或工作簿的目录", file=str(p))])


_WORKBOOK = (".xlsx", ".xlsm", ".xls")
_CANONICAL_NAMES = ("disclosure.yaml", "disclosure.yml", "disclosure.json")


def read_workbook(path: str | Path) -> tuple[Disclosure, list[Diagnostic]]:
    """Excel in (imported lazily: YAML users never load the spreadsheet libraries)."""
    from .workbook import read_workbook as _read
    return _read(path)
