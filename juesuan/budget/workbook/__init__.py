"""Excel in for the budget: its input workbook (``juesuan template --kind budget``) and its reader.

* :func:`write_template` — the blank (or pre-filled) input workbook;
* :func:`read_workbook` — a filled workbook → ``(Budget, diagnostics)``, every problem at its sheet!cell;
  used by :func:`juesuan.budget.canonical.load` for .xlsx/.xlsm/.xls.

The sheets are declared once in ``sheets``; the machinery (files → grids, cells → values, labelled
sheets, the writer's helpers) is :mod:`juesuan.workbook`, shared with the 决算's workbook.
"""

from __future__ import annotations

from .reader import read_workbook
from .template import write_template

__all__ = ["read_workbook", "write_template"]
