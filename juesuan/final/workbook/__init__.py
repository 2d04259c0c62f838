"""Excel in: the input workbook template and the workbook reader.

* :func:`read_workbook` — a workbook (or a directory of workbooks) → ``(Disclosure,
  diagnostics)``; used by :func:`juesuan.final.readers.load` for .xlsx/.xlsm/.xls.
* :func:`write_template` — the blank (or pre-filled) input workbook of
  ``juesuan template``.

Modules: ``source`` (files → sheet grids), ``cells`` (one cell → one value),
``tables`` (the nine tables by title), ``sheets`` (supplementary sheets, declared
once), ``exact`` (unrounded cell values from a model), ``reader``, ``template``.
"""

from __future__ import annotations

from .reader import read_workbook
from .template import write_template

__all__ = ["read_workbook", "write_template"]
