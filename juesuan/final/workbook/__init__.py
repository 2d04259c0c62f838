"""Excel in: the input workbook template and the workbook reader.

* :func:`read_workbook` — a workbook (or a directory of workbooks) → ``(Disclosure,
  diagnostics)``; used by :func:`juesuan.final.readers.load` for .xlsx/.xlsm/.xls.
* :func:`write_template` — the blank (or pre-filled) input workbook of
  ``juesuan template``.

Modules: ``tables`` (the nine tables by title), ``sheets`` (supplementary sheets, declared
once), ``forms_sheet`` (the 自评表 as ``build`` prints them), ``reader``, ``template``; files →
sheet grids, one cell → one value, labelled sheets and the writer's helpers are shared with the
budget's workbook, below the kinds (:mod:`juesuan.workbook`).
"""

from __future__ import annotations

from .reader import read_workbook
from .template import write_template

__all__ = ["read_workbook", "write_template"]
