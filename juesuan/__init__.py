"""juesuan 决算 — 部门决算公开：生成、审核、解析.

Public API::

    from juesuan import load, build_tables
    disclosure, diagnostics = load("examples/hanyang-bdc-2023")
    tables = build_tables(disclosure)
"""

__version__ = "0.1.0"

from .errors import Diagnostic, InputError, JuesuanError  # noqa: E402
from .model import Disclosure  # noqa: E402
from .readers import load  # noqa: E402
from .tables import build_tables  # noqa: E402

__all__ = ["__version__", "load", "build_tables", "Disclosure", "Diagnostic", "InputError", "JuesuanError"]
