"""What the process benchmarks run, and the facts about the set-up that their figures depend on.

The process figures are taken as a user gets them: the ``juesuan`` command that the README's
first line installs (``pip install .`` into a venv), run from this Python's ``bin``. Without
that script (e.g. running from a source checkout) ``python -m juesuan`` is used, which adds
the interpreter's ``-m`` start-up.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path


def juesuan_command() -> list[str]:
    """``[…/bin/juesuan]`` beside this interpreter, else ``[python, -m, juesuan]``."""
    script = Path(sys.executable).with_name("juesuan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "juesuan"]


def setup_line() -> str:
    """One sentence for RESULTS.md: machine, Python, how juesuan is installed, bytecode."""
    import juesuan

    where = Path(juesuan.__file__).resolve()
    installed = "site-packages" in where.parts
    venv = sys.prefix != sys.base_prefix
    how = ("installed with `pip install .` (bytecode compiled at install)" if installed
           else "editable install / source checkout")
    bytecode = ("PYTHONDONTWRITEBYTECODE set: sources outside the install are compiled on every run"
                if os.environ.get("PYTHONDONTWRITEBYTECODE") else "bytecode cached")
    return (f"{platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}"
            f"{' in a venv' if venv else ''}; juesuan {how}; {bytecode}; command: "
            f"`{' '.join(Path(c).name if i == 0 else c for i, c in enumerate(juesuan_command()))}`; "
            f"load average {os.getloadavg()[0]:.2f}")
