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
# Typst), so on a multi-core machine the formats are rendered in forked worker
# processes: the workers inherit the built Document (no pickling) and only send back
# the path or the error message.

_FORKED_DOC: Document | None = None


def _render_in_worker(fmt: str, out_dir: str) -> tuple[str, str | None, str | None]:
    from ..errors import JuesuanError
    assert _FORKED_DOC is not None
    try:
        return fmt, str(render(_FORKED_DOC, fmt, Path(out_dir))), None
    except JuesuanError as e:
        return fmt, None, str(e)


def render_all(doc: Document, formats: list[str], out_dir: Path, while_waiting=None
               ) -> list[tuple[str, Path | None, str | None]]:
    """Render ``formats``; returns (format, path or None, error message or None) in order.

    ``while_waiting`` (a callable) runs in this process while the workers render.
    A renderer's JuesuanError (e.g. a missing PDF engine) is returned as its message;
    anything else propagates.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from ..errors import JuesuanError

    global _FORKED_DOC
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if len(formats) < 2 or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for fmt in formats:
            try:
                results.append((fmt, render(doc, fmt, out_dir), None))
            except JuesuanError as e:
                results.append((fmt, None, str(e)))
        if while_waiting is not None:
            while_waiting()
        return results
    _FORKED_DOC = doc
    try:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(len(formats), cores), mp_context=ctx) as pool:
            # the slowest renderers first, so that the short ones fill in behind them
            order = sorted(formats, key=lambda f: ("pdf", "docx", "xlsx").index(f) if f in ("pdf", "docx", "xlsx") else 9)
            futures = {fmt: pool.submit(_render_in_worker, fmt, str(out_dir)) for fmt in order}
            if while_waiting is not None:
                while_waiting()
            done = {fmt: fut.result() for fmt, fut in futures.items()}
    finally:
        _FORKED_DOC = None
    return [(fmt, Path(done[fmt][1]) if done[fmt][1] else None, done[fmt][2]) for fmt in formats]
