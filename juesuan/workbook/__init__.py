"""Excel workbooks in and out, below the document kinds: what every kind's input workbook stands on.

* ``source`` — workbook files (.xlsx/.xlsm/.xls, or a directory of them) → sheet grids, hostile
  files refused with a Chinese message (``biff`` walks a legacy .xls for what calamine cannot say);
* ``cells`` — one cell → one value (amounts exact, never through float arithmetic), or why not;
* ``collect`` — the diagnostics of one read, each at its sheet!cell;
* ``labelled`` — sheets of labelled values and lists, declared as data, read back label by label;
* ``writing`` — the formats and helpers a kind's template is written with (xlsxwriter): amounts in
  元 or 万元, blank for not given, drop-downs, validation, the hidden catalogue sheets.

A kind's workbook (``juesuan.final.workbook``, ``juesuan.budget.workbook``) declares its sheets and
maps them to its model; nothing here knows a kind.
"""
