"""The ``juesuan`` command: one module per command, on a small argparse frame (``_app``).

Every command module declares one command with :func:`~._app.command` and registers it on
import; its heavy imports happen inside the command, so ``juesuan --help`` and every
command start fast. Every command turns :class:`~juesuan.errors.InputError` into a list of
messages naming file, line or cell, and exit status 2 — never a traceback.
"""

from __future__ import annotations

from . import (  # noqa: F401
    batch,
    build,
    check,
    compare,
    consolidate,
    db,
    parse,
    rules,
    schema,
    serve,
    template,
    user,  # noqa: F401 - the imports above and this one register the commands
)
from ._app import COMMANDS, invoke, main

__all__ = ["COMMANDS", "invoke", "main"]
