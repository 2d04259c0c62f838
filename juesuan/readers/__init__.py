"""Readers: sources → model. ``load(path)`` picks the reader by what the path is.

Every reader returns ``(value, diagnostics)`` and raises :class:`~juesuan.errors.InputError`
(with all problems found) when the input cannot be used.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Diagnostic, InputError
from ..model import Disclosure
from .canonical import read_canonical

__all__ = ["load", "read_canonical"]


def load(path: str | Path) -> tuple[Disclosure, list[Diagnostic]]:
    """Load a department's data (canonical YAML/JSON file or directory)."""
    p = Path(path)
    if not p.exists():
        raise InputError([Diagnostic("error", "文件或目录不存在", file=str(p))])
    suffix = p.suffix.lower()
    if p.is_dir() or suffix in (".yaml", ".yml", ".json"):
        return read_canonical(p)
    raise InputError([Diagnostic("error", f"不支持的输入格式 {suffix or '（无扩展名）'}；"
                                          "应为 .yaml/.yml/.json 或包含 disclosure.yaml 的目录", file=str(p))])
