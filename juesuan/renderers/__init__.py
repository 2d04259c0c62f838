"""Renderers: a ``Document`` → files. One module per format, each with ``write_<fmt>(doc, path)``.

``RENDERERS`` maps a format name to (file suffix, module, function); modules are imported
only when their format is asked for, so building HTML never loads Word, PDF or Excel
libraries. A file is named after the document's printed title
(``2023年度武汉市汉阳区大数据中心部门决算公开.pdf``, made a safe file name) unless a name is
given; the HTML page is ``index.html`` (a site's page). Every file is written atomically
(:mod:`juesuan.output`): under a temporary name, moved into place once complete.
"""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..document import Document
from ..output import OutputError, safe_file_name, temp_files, writing

__all__ = ["RENDERERS", "FORMATS", "SUFFIXES", "RenderInterrupted", "file_name", "render", "render_file",
           "render_all"]

RENDERERS: dict[str, tuple[str, str, str]] = {
    "html": (".html", "html", "write_html"),
    "docx": (".docx", "docx", "write_docx"),
    "pdf": (".pdf", "pdf", "write_pdf"),
    "xlsx": (".xlsx", "xlsx", "write_xlsx"),
    "txt": (".txt", "text", "write_txt"),
}
FORMATS = tuple(RENDERERS)
SUFFIXES = {**{suffix: fmt for fmt, (suffix, _, _) in RENDERERS.items()}, ".htm": "html"}   # file suffix → format


def file_name(doc: Document, fmt: str, name: str | None = None) -> str:
    """The file ``fmt`` is written to in a directory: ``name`` + suffix when given; else
    ``index.html`` for HTML and the document's title, made safe, for the others."""
    suffix = RENDERERS[fmt][0]
    if name:
        return name + suffix
    if fmt == "html":
        return "index.html"
    return safe_file_name(doc.title or "") + suffix


def render_file(doc: Document, fmt: str, path: Path, run: str | None = None) -> Path:
    """``doc`` in format ``fmt`` written to ``path`` atomically (``OutputError`` if it cannot be)."""
    _, module, func = RENDERERS[fmt]
    mod = importlib.import_module(f"{__name__}.{module}")
    with writing(path, run) as tmp:
        getattr(mod, func)(doc, tmp)
    return Path(path)


def render(doc: Document, fmt: str, out_dir: Path, name: str | None = None, run: str | None = None) -> Path:
    """``doc`` in format ``fmt`` written into ``out_dir`` (named by :func:`file_name`); its path."""
    return render_file(doc, fmt, Path(out_dir) / file_name(doc, fmt, name), run)


# --- several formats at once ------------------------------------------------------------
# Each renderer spends most of its time in its own libraries (python-docx, openpyxl,
# Typst), so on a multi-core machine the formats are rendered in worker processes.
# Each worker is handed the Document as an argument (pickled: Records have
# ``__reduce__``, the rest are dataclasses), so any start method works: ``fork``, and
# ``spawn``/``forkserver`` (Windows, macOS, Dask), where nothing is inherited. Workers
# send back only the path or the error message. Workers ignore Ctrl-C: the parent stops
# them, removes what they left half-written and reports what was written.

_SLOWEST_FIRST = ("pdf", "docx", "xlsx")


class RenderInterrupted(KeyboardInterrupt):
    """Ctrl-C while rendering: the workers were stopped and temporary files removed.
    ``written``: (format, path) of the files complete at that moment; ``not_written``: the
    formats that were not (a file of that name from an earlier build, if any, is unchanged)."""

    def __init__(self, written: list[tuple[str, Path]], not_written: list[tuple[str, Path]]):
        super().__init__(written, not_written)
        self.written, self.not_written = written, not_written


def _render_one(doc: Document, fmt: str, path: Path, run: str | None = None) -> tuple[str, Path | None, str | None]:
    """(format, path, None) written; (format, None, message) the renderer's JuesuanError;
    (format, path, message) the file could not be written at ``path`` (an OutputError)."""
    from ..errors import JuesuanError
    try:
        return fmt, render_file(doc, fmt, path, run), None
    except OutputError as e:
        return fmt, path, str(e)
    except JuesuanError as e:
        return fmt, None, str(e)


@contextmanager
def _workers_born_deaf() -> Iterator[None]:
    """Ctrl-C ignored while the worker processes are started: they inherit the ignoring, so a
    Ctrl-C at that moment never reaches a worker before its initializer (a KeyboardInterrupt
    traceback from a worker); the parent's own handling is back once they are started."""
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _ignore_ctrl_c() -> None:  # a worker's initializer: Ctrl-C is the parent's to handle
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_workers(pool) -> None:
    """Cancel what has not started and end the worker processes now (not after their renders)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())   # noqa: SLF001 - no public way before 3.14
    terminate = getattr(pool, "terminate_workers", None)   # Python 3.14
    if terminate is not None:
        terminate()
    else:
        for p in processes:
            p.terminate()
    for p in processes:
        p.join(10)
    pool.shutdown(wait=False, cancel_futures=True)


def render_all(doc: Document, formats: list[str], out_dir: Path, while_waiting=None,
               start_method: str | None = None, name: str | None = None,
               paths: dict[str, Path] | None = None) -> list[tuple[str, Path | None, str | None]]:
    """Render ``formats`` into ``out_dir``; returns, in order, (format, path, None) for a file
    written, (format, None, message) for a renderer's error (e.g. a missing PDF engine) and
    (format, path, message) for a file that could not be written there (disk full, no
    permission, the file open in another program). Anything else propagates.

    Files are named by :func:`file_name` (``name``: the stem of every file); ``paths`` maps
    a format to its own file instead. ``while_waiting`` (a callable) runs in this process
    while the workers render; it must not change ``doc``, which may still be being pickled
    for them. ``start_method`` ("fork", "spawn", "forkserver") chooses how workers start;
    None is the platform's default. Ctrl-C raises :class:`RenderInterrupted` once the
    workers are stopped and no temporary file is left.
    """
    from ..output import new_run

    out_dir = Path(out_dir)
    targets = {fmt: (paths or {}).get(fmt) or out_dir / file_name(doc, fmt, name) for fmt in formats}
    run, started = new_run(), time.time_ns()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    results: dict[str, tuple[str, Path | None, str | None]] = {}
    pool, futures = None, {}
    try:
        if len(formats) < 2 or cores < 2:
            for fmt in formats:
                results[fmt] = _render_one(doc, fmt, targets[fmt], run)
            if while_waiting is not None:
                while_waiting()
            return [results[fmt] for fmt in formats]
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context(start_method)
        # the slowest renderers first, so that the short ones fill in behind them
        order = sorted(formats, key=lambda f: _SLOWEST_FIRST.index(f) if f in _SLOWEST_FIRST else 9)
        with _workers_born_deaf():
            pool = ProcessPoolExecutor(max_workers=min(len(formats), cores), mp_context=ctx,
                                       initializer=_ignore_ctrl_c)
            futures = {fmt: pool.submit(_render_one, doc, fmt, targets[fmt], run) for fmt in order}
        if while_waiting is not None:
            while_waiting()
        for fmt in formats:
            results[fmt] = futures[fmt].result()
        pool.shutdown()
        return [results[fmt] for fmt in formats]
    except KeyboardInterrupt:
        if pool is not None:
            _stop_workers(pool)
            for fmt, fut in futures.items():
                if fmt not in results and fut.done() and not fut.cancelled() and fut.exception() is None:
                    results[fmt] = fut.result()
        _remove_temp_files(targets, run)
        written = [(fmt, targets[fmt]) for fmt in formats
                   if fmt in results and results[fmt][2] is None or fmt not in results and _new(targets[fmt], started)]
        done = {fmt for fmt, _ in written}
        raise RenderInterrupted(written, [(fmt, targets[fmt]) for fmt in formats if fmt not in done]) from None
    except BaseException:
        if pool is not None:
            _stop_workers(pool)
        _remove_temp_files(targets, run)
        raise


def _remove_temp_files(targets: dict[str, Path], run: str) -> None:
    for d in {t.parent for t in targets.values()}:
        for tmp in temp_files(d, run):
            try:
                tmp.unlink(missing_ok=True)
            except OSError:  # pragma: no cover - still held by a process that would not end
                pass


def _new(path: Path, since_ns: int) -> bool:
    """Whether ``path`` was put in place since ``since_ns`` (a worker stopped right after its replace)."""
    try:
        return path.stat().st_mtime_ns >= since_ns
    except OSError:
        return False
