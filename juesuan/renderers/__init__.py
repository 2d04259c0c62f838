"""Renderers: a ``Document`` → files. One module per format, each with ``write_<fmt>(doc, path)``.

``RENDERERS`` maps a format name to (file name, module, function); modules are
imported only when their format is asked for, so building HTML never loads Word,
PDF or Excel libraries.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..document import Document

__all__ = ["RENDERERS", "FORMATS", "render", "render_all"]

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


# --- several formats at once ------------------------------------------------------------
# Each renderer spends most of its time in its own libraries (python-docx, openpyxl,
# Typst), so on a multi-core machine the formats are rendered in worker processes.
# Each worker is handed the Document as an argument (pickled: Records have
# ``__reduce__``, the rest are dataclasses), so any start method works: ``fork``, and
# ``spawn``/``forkserver`` (Windows, macOS, Dask), where nothing is inherited. Workers
# send back only the path or the error message.

_SLOWEST_FIRST = ("pdf", "docx", "xlsx")


def _render_one(doc: Document, fmt: str, out_dir: Path) -> tuple[str, Path | None, str | None]:
    """(format, path, None) or (format, None, message of the renderer's JuesuanError)."""
    from ..errors import JuesuanError
    try:
        return fmt, render(doc, fmt, out_dir), None
    except JuesuanError as e:
        return fmt, None, str(e)


def render_all(doc: Document, formats: list[str], out_dir: Path, while_waiting=None,
               start_method: str | None = None) -> list[tuple[str, Path | None, str | None]]:
    """Render ``formats``; returns (format, path or None, error message or None) in order.

    ``while_waiting`` (a callable) runs in this process while the workers render; it must
    not change ``doc``, which may still be being pickled for them.
    A renderer's JuesuanError (e.g. a missing PDF engine) is returned as its message;
    anything else propagates. ``start_method`` ("fork", "spawn", "forkserver") chooses
    how workers start; None is the platform's default.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if len(formats) < 2 or cores < 2:
        results = [_render_one(doc, fmt, out_dir) for fmt in formats]
        if while_waiting is not None:
            while_waiting()
        return results
    ctx = multiprocessing.get_context(start_method)
    with ProcessPoolExecutor(max_workers=min(len(formats), cores), mp_context=ctx) as pool:
        # the slowest renderers first, so that the short ones fill in behind them
        order = sorted(formats, key=lambda f: _SLOWEST_FIRST.index(f) if f in _SLOWEST_FIRST else 9)
        futures = {fmt: pool.submit(_render_one, doc, fmt, out_dir) for fmt in order}
        if while_waiting is not None:
            while_waiting()
        return [futures[fmt].result() for fmt in formats]
