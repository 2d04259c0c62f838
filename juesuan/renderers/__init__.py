"""Renderers: a ``Document`` → files. One module per format, each with ``write_<fmt>(doc, path)``.

``RENDERERS`` maps a format name to (file name, module, function); modules are
imported only when their format is asked for, so building HTML never loads Word,
PDF or Excel libraries.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..document import Document

__all__ = ["RENDERERS", "FORMATS", "render"]

RENDERERS: dict[str, tuple[str, str, str]] = {
    "html": ("index.html", "html", "write_html"),
    "docx": ("disclosure.docx", "docx", "write_docx"),
    "pdf": ("disclosure.pdf", "pdf", "write_pdf"),
    "xlsx": ("disclosure.xlsx", "xlsx", "write_xlsx"),
    "txt": ("disclosure.txt", "text", "write_txt"),
}
FORMATS = tuple(RENDERERS)


def render(doc: Document, fmt: str, out_dir: Path) -> Path:
    fname, module, func = RENDERERS[fmt]
    mod = importlib.import_module(f"{__name__}.{module}")
    path = out_dir / fname
    getattr(mod, func)(doc, path)
    return path
