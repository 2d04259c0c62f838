"""Errors and diagnostics: the one vocabulary for what went wrong and where.

Exception tree (everything juesuan raises on purpose derives from JuesuanError):

    JuesuanError
     └── InputError          unusable input: carries a list of Diagnostic, all of them
                             (a reader collects every problem before giving up)

Non-fatal problems are returned as ``Diagnostic`` values, beancount style:
``load(path) -> (disclosure, diagnostics)``. A Diagnostic names its place
(file, line, sheet/cell, field path) and says what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]

__all__ = ["Diagnostic", "JuesuanError", "InputError", "Severity"]


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None      # field path in the data, e.g. expenditure[3].basic
    cell: str | None = None      # sheet!cell for workbooks
    code: str | None = None      # diagnostic code, e.g. L001

    def place(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        if self.cell:
            parts.append(self.cell)
        if self.path:
            parts.append(self.path)
        return " ".join(parts)

    def __str__(self) -> str:
        label = {"error": "错误", "warning": "警告", "info": "提示"}[self.severity]
        place = self.place()
        return f"{place}: {label}: {self.message}" if place else f"{label}: {self.message}"

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class JuesuanError(Exception):
    """Base of every error juesuan raises on purpose."""


@dataclass
class InputError(JuesuanError):
    """The input cannot be used; ``diagnostics`` lists every problem found."""
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)
