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
from enum import StrEnum

from .place import Place, place_text

__all__ = ["Diagnostic", "JuesuanError", "InputError", "Severity"]


class Severity(StrEnum):
    """How bad a problem is: the one vocabulary of diagnostics, findings and reports.

    A member is its English word (``"error"`` in JSON and in comparisons with plain strings);
    ``label`` is the Chinese word users read, ``rank`` orders reports (errors first).
    """

    ERROR = "error"        # 错误: the input cannot be used / no values could make the figures agree
    WARNING = "warning"    # 警告: inconsistent wording, a missing explanation, a name or year wrong
    INFO = "info"          # 提示: within rounding (尾差) and other notes

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def rank(self) -> int:
        return _RANKS[self]


_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
_RANKS = {s: i for i, s in enumerate(Severity)}


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None      # field path in the data, e.g. expenditure[3].basic
    cell: str | None = None      # sheet!cell for workbooks
    code: str | None = None      # diagnostic code, e.g. L001

    @property
    def place(self) -> Place:
        return Place(file=self.file, line=self.line if self.file else None, cell=self.cell, path=self.path)

    def __str__(self) -> str:
        label = Severity(self.severity).label
        place = place_text(self.place)
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
