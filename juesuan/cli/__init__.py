"""The ``juesuan`` command: one Typer app, one module per command.

Every module of this package except ``_app`` defines one command and registers it
on import. Every command turns :class:`~juesuan.errors.InputError` into a list of
messages naming file, line or cell, and exit status 2 — never a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

from ._app import app

__all__ = ["app", "main"]

for _m in pkgutil.iter_modules(__path__):
    if not _m.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_m.name}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
