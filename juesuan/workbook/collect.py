"""The diagnostics of reading one workbook, collected: every problem, then one ``InputError``."""

from __future__ import annotations

from ..errors import Diagnostic
from .source import SheetGrid

__all__ = ["Collector"]


class Collector:
    """Collects diagnostics of one read (all problems, then one InputError)."""

    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []

    def add(self, severity: str, message: str, sheet: SheetGrid | None = None, r: int | None = None,
            c: int | None = None, *, file: str | None = None, cell: str | None = None, code: str | None = None,
            path: str | None = None) -> None:
        if sheet is not None:
            file = file or sheet.file
            if cell is None:
                cell = sheet.ref(r, c) if r is not None and c is not None else sheet.name
        self.diags.append(Diagnostic(severity, message, file=file, cell=cell, code=code, path=path))  # type: ignore[arg-type]

    def error(self, *a, **k) -> None:
        self.add("error", *a, **k)

    def warning(self, *a, **k) -> None:
        self.add("warning", *a, **k)

    def info(self, *a, **k) -> None:
        self.add("info", *a, **k)

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diags)
