"""Tables, whatever the document kind: how a table is declared (``layout``), the identities
between its cells (``identity``), its values with how each was read (``table``), a table or form
as placed cells (``grid``), and controlled rounding (``rounding``). A kind declares its own
tables with these (the 决算's nine: :mod:`juesuan.final.layouts`).

Import from the modules (``from juesuan.tables.table import Table``): this package imports
nothing on its own, so that a command that needs one of them loads only that one.
"""
