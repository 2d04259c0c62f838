"""One function over many inputs in worker processes, each input bounded in time and memory.

:func:`supervise` keeps ``jobs`` worker processes busy and yields an :class:`Outcome` per input
as soon as it is done, in the order they finish. A worker is a long-lived process (started by
``forkserver`` where there is one, else ``spawn``) that takes one input at a time, so the
imports are paid once per worker, not per input. One input can never stop the run:

* an input the function refuses (:class:`~juesuan.errors.InputError`) is a failure with its
  located message;
* an input that takes longer than ``timeout`` seconds: its worker is killed and replaced, the
  input is a failure "timeout";
* an input that takes more memory than ``memory`` bytes (the worker's address space is bounded
  to what it uses at start plus ``memory``, where the system allows: Linux, macOS): a
  ``MemoryError`` or a worker that dies (a library aborting on a failed allocation) is a
  failure "memory" and the worker is replaced;
* any other exception is a failure "crash" naming it.

Ctrl-C stops every worker before :class:`KeyboardInterrupt` reaches the caller; what was
yielded before stays yielded (the caller stores each outcome as it comes).
"""

from __future__ import annotations

import multiprocessing as mp
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

__all__ = ["Outcome", "supervise", "solo", "TIMEOUT", "MEMORY", "CRASH", "INPUT"]

INPUT, TIMEOUT, MEMORY, CRASH = "input", "timeout", "memory", "crash"


@dataclass
class Outcome:
    index: int                      # the input's position in ``items``
    item: Any
    value: Any = None               # the function's result (when ``failure`` is None)
    failure: str | None = None      # INPUT, TIMEOUT, MEMORY or CRASH
    message: str | None = None      # what went wrong, in Chinese
    seconds: float = 0.0
    code: str | None = None         # INPUT: the code of the input's first error (e.g. "scanned")

    @property
    def ok(self) -> bool:
        return self.failure is None


def _bound_memory(extra: int | None) -> None:
    if not extra:
        return
    try:
        import resource
        with open("/proc/self/status") as f:
            size = next(int(x.split()[1]) * 1024 for x in f if x.startswith("VmSize:"))
    except (ImportError, OSError, StopIteration, ValueError):
        return   # no /proc (macOS, Windows): time bound only
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    bound = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (bound, hard))


def _work(conn: Connection, fn: Callable[[Any], Any], memory: int | None) -> None:
    """A worker's life: inputs in, (index, value, failure, message) out, until None comes."""
    import signal

    from ..errors import InputError
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the supervisor's to handle
    _bound_memory(memory)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, item = msg
        try:
            out = (index, fn(item), None, None, None)
        except InputError as e:
            errors = [d for d in e.diagnostics if d.severity == "error"]
            out = (index, None, INPUT, "\n".join(d.message for d in errors) or str(e),
                   next((d.code for d in errors if d.code), None))
        except MemoryError:
            out = (index, None, MEMORY, "内存超过上限", None)
        except Exception as e:  # noqa: BLE001 - one input never stops the run: the failure is its outcome
            out = (index, None, CRASH, f"内部错误 {type(e).__name__}：{e}", None)
        try:
            conn.send(out)
        except (MemoryError, OSError):   # a result too large to send
            conn.send((index, None, MEMORY, "结果过大，无法传回", None))


class _Worker:
    def __init__(self, ctx, fn, memory):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_work, args=(child, fn, memory), daemon=True)
        self.proc.start()
        child.close()
        self.task: tuple[int, Any, float] | None = None

    def give(self, index: int, item: Any) -> None:
        self.task = (index, item, time.monotonic())
        self.conn.send((index, item))

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def _context():
    methods = mp.get_all_start_methods()
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


def supervise(fn: Callable[[Any], Any], items: Iterable[Any], jobs: int = 1, timeout: float | None = None,
              memory: int | None = None, preload: Iterable[str] = ()) -> Iterator[Outcome]:
    """``fn(item)`` for every item in ``jobs`` worker processes (``fn`` a module-level function),
    each bounded by ``timeout`` seconds and ``memory`` bytes; outcomes as they finish.
    ``preload``: modules the forkserver imports once for every worker."""
    ctx = _context()
    if ctx.get_start_method() == "forkserver" and preload:
        ctx.set_forkserver_preload(list(preload))
    todo = list(enumerate(items))
    todo.reverse()
    workers = [_Worker(ctx, fn, memory) for _ in range(max(1, min(jobs, len(todo))))] if todo else []
    try:
        while todo or any(w.task for w in workers):
            for w in workers:
                if w.task is None and todo:
                    w.give(*todo.pop())
            busy = [w for w in workers if w.task]
            now = time.monotonic()
            wait_for = None if timeout is None else max(0.0, min(w.task[2] + timeout - now for w in busy))
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], wait_for))
            for i, w in enumerate(workers):
                if not w.task:
                    continue
                index, item, start = w.task
                seconds = time.monotonic() - start
                if w.conn in ready:
                    try:
                        _, value, failure, message, code = w.conn.recv()
                    except (EOFError, OSError):
                        value, failure, message = None, None, None
                    else:
                        # the worker's next input first: it works while the caller uses this outcome
                        w.task = None
                        if todo:
                            w.give(*todo.pop())
                        yield Outcome(index, item, value, failure, message, seconds, code)
                        continue
                if w.proc.sentinel in ready or not w.proc.is_alive():
                    code = w.proc.exitcode
                    w.stop(kill=True)
                    workers[i] = _Worker(ctx, fn, memory)
                    yield Outcome(index, item, None, MEMORY,
                                  f"处理时工作进程意外退出（退出码 {code}），多半是内存超过上限或文件构造异常", seconds)
                elif timeout is not None and seconds >= timeout:
                    w.stop(kill=True)
                    workers[i] = _Worker(ctx, fn, memory)
                    yield Outcome(index, item, None, TIMEOUT, f"处理超过 {timeout:g} 秒仍未完成，已停止", seconds)
    finally:
        for w in workers:
            w.stop(kill=w.task is not None)


_SOLO: dict[tuple, _Worker] = {}


def solo(fn: Callable[[Any], Any], item: Any, timeout: float | None = None, memory: int | None = None,
         preload: Iterable[str] = ()) -> Outcome:
    """``fn(item)`` in this process's one long-lived worker process, bounded as by :func:`supervise`:
    for a process (or thread) that runs one input at a time and many in turn (a Dask worker's
    task), the worker and its imports are kept for the next call; a worker killed by its input is
    replaced. :func:`solo_stop` ends them."""
    key = (fn, memory, threading.get_ident())    # a Dask worker's threads each have their own
    w = _SOLO.get(key)
    if w is None or not w.proc.is_alive():
        ctx = _context()
        if ctx.get_start_method() == "forkserver" and preload:
            ctx.set_forkserver_preload(list(preload))
        w = _SOLO[key] = _Worker(ctx, fn, memory)
    w.give(0, item)
    ready = wait([w.conn, w.proc.sentinel], timeout)
    seconds = time.monotonic() - w.task[2]
    if w.conn in ready:
        try:
            _, value, failure, message, code = w.conn.recv()
            w.task = None
            return Outcome(0, item, value, failure, message, seconds, code)
        except (EOFError, OSError):
            pass
    code = w.proc.exitcode
    w.stop(kill=True)
    del _SOLO[key]
    if not ready:
        return Outcome(0, item, None, TIMEOUT, f"处理超过 {timeout:g} 秒仍未完成，已停止", seconds)
    return Outcome(0, item, None, MEMORY, f"处理时工作进程意外退出（退出码 {code}），多半是内存超过上限或文件构造异常",
                   seconds)


def solo_stop() -> None:
    """End this process's :func:`solo` workers (a client that ran a Dask cluster in its own threads)."""
    while _SOLO:
        _, w = _SOLO.popitem()
        w.stop(kill=w.task is not None)
