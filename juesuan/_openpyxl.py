"""Import openpyxl without numpy.

openpyxl imports numpy at start-up only to recognise numpy number types in cells;
juesuan never writes numpy values (money is Decimal), and loading numpy costs about
0.2 s of every Excel command. Import this module before openpyxl: when numpy is not
already loaded, openpyxl is imported with numpy hidden, then numpy is made
importable again for whoever needs it later.
"""

from __future__ import annotations

import sys

if "openpyxl" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` fail fast
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]
