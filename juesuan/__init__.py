"""juesuan 决算 — 部门决算公开：生成、审核、解析.

Public API::

    import juesuan
    result = juesuan.audit("report.pdf")            # parse (or build) and check: findings
    built = juesuan.build("examples/hanyang-bdc-2023")   # data → tables → document, diagnostics
    disclosure, diagnostics = juesuan.load("examples/hanyang-bdc-2023")   # the 决算 data alone

:mod:`juesuan.pipeline` is the one entry of the faces (CLI, batch, store, web).

Attributes are imported on first use, so that ``juesuan --help`` and commands
that do not need the data model start without loading it.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    "audit": ("juesuan.pipeline", "audit"),
    "build": ("juesuan.pipeline", "build"),
    "check": ("juesuan.pipeline", "check"),
    "parse": ("juesuan.pipeline", "parse"),
    "Document": ("juesuan.document", "Document"),
    "Finding": ("juesuan.rules.context", "Finding"),
    "Place": ("juesuan.place", "Place"),
    "load": ("juesuan.final.readers", "load"),
    "build_tables": ("juesuan.final.build", "build_tables"),
    "Disclosure": ("juesuan.final.model", "Disclosure"),
    "Diagnostic": ("juesuan.errors", "Diagnostic"),
    "InputError": ("juesuan.errors", "InputError"),
    "JuesuanError": ("juesuan.errors", "JuesuanError"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'juesuan' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value
