"""``juesuan batch``: many sources parsed, checked and stored in parallel, resumable.

The client walks the paths (:func:`juesuan.store.records.walk`), hashes every source and skips
those the store already holds (an unchanged file is never redone: an interrupted run resumes
where it stopped). The rest go to the workers — worker processes on this machine
(:mod:`.supervise`) or a Dask cluster — where each is loaded and checked by the pipeline and
turned into the store's rows (:func:`juesuan.store.records.record_of`). The client alone writes
the store, in transactions of a few finished sources (a source the store refuses is written
again alone and fails alone): a run stopped at any moment leaves every finished source stored
and nothing half-written.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .supervise import CRASH, INPUT, MEMORY, TIMEOUT, Outcome, solo, solo_stop, supervise

__all__ = ["Item", "BatchRun", "run", "analyse", "REASONS"]

# why a source failed, as the summary says it
REASONS = {"scanned": "扫描件，无法识别", "not-disclosure": "不是部门决算或预算公开", "input": "文件无法使用",
           TIMEOUT: "超时", MEMORY: "内存超限", CRASH: "内部错误", "store": "无法写入数据库"}
# the writer stores finished sources in groups, one transaction each: at most GROUP sources, and none
# waits longer than GROUP_SECONDS (a commit per source cost about as much as writing its rows)
GROUP = 16
GROUP_SECONDS = 1.0
_PRELOAD = ["juesuan.pipeline", "juesuan.final.kind", "juesuan.budget.kind", "juesuan.parse", "juesuan.rules.engine",
            "juesuan.store.records"]


def analyse(path: str):
    """One source → the store's rows of it (runs in a worker; the readers' progress messages,
    such as OCR's page count, are not the batch's: its own progress bar shows each source)."""
    import contextlib
    import io

    from ..pipeline import audit
    from ..store.records import record_of
    with contextlib.redirect_stderr(io.StringIO()):
        # a 部门决算 or a 部门预算, as the file reads (data are a 决算's)
        return record_of(audit(path), Path(path))


def analyse_pickled(path: str) -> bytes:
    """:func:`analyse`, its rows pickled once where they are made: a Dask worker passes the bytes
    on to the client as they are (no unpickling and pickling again of ≈ 500 facts on the way)."""
    return pickle.dumps(analyse(path), protocol=pickle.HIGHEST_PROTOCOL)


@dataclass
class Item:
    """One source of a batch and what became of it."""
    path: Path
    outcome: str                      # new / version / unchanged / failed
    reason: str | None = None         # a key of REASONS, when failed
    message: str | None = None        # the failure's own words
    record: Any = None                # the store's rows (juesuan.store.records.Record), when read
    imported: Any = None              # juesuan.store.store.Imported, when stored
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"


@dataclass
class BatchRun:
    items: list[Item] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    paired: list[Any] = field(default_factory=list)     # store.pairing.Paired: 决算 and 预算 checked together

    def count(self, outcome: str) -> int:
        return sum(1 for i in self.items if i.outcome == outcome)

    @property
    def failed(self) -> list[Item]:
        return [i for i in self.items if i.failed]


def _reason(failure: str, code: str | None) -> str:
    """A key of REASONS: the input's own error code where it says why (a scanned file, not a
    disclosure), else the kind of failure."""
    if failure == INPUT:
        return code if code in ("scanned", "not-disclosure") else "input"
    return failure


def _isolated(path: str, timeout: float | None, memory: int | None,
              payload: list[tuple[str, bytes]] | None = None) -> tuple:
    """A Dask task: one source analysed in a child process of the Dask worker, bounded as on this
    machine; a worker that may not have children (a daemonic one) analyses it itself. ``payload``:
    the source's files sent by the client (``--send-files``), written to a temporary folder of the
    worker first (a worker that does not see the client's paths); places then name the file as the
    client knows it."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="juesuan-") as tmp:
        where = path
        if payload is not None:
            for name, data in payload:
                f = Path(tmp, name)
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_bytes(data)
            where = str(Path(tmp, payload[0][0].split("/")[0]))   # the file, or the data folder
        try:
            o = solo(analyse_pickled, where, timeout, memory, preload=_PRELOAD)
            value, failure, message, code = o.value, o.failure, o.message, o.code
        except AssertionError:   # "daemonic processes are not allowed to have children"
            try:
                value, failure, message, code = analyse_pickled(where), None, None, None
            except InputError as e:
                errors = [d for d in e.diagnostics if d.severity == "error"]
                value, failure, message = None, INPUT, "\n".join(d.message for d in errors)
                code = next((d.code for d in errors if d.code), None)
        if payload is not None and message:
            message = message.replace(where, path)
        return value, failure, message, code


def _isolated_many(items: list[tuple[str, list | None]], timeout: float | None, memory: int | None) -> list[tuple]:
    """A Dask task of several sources, each analysed as :func:`_isolated` analyses one (its own child
    process, its own bounds): fewer, larger tasks spare the scheduler's bookkeeping per task, which
    on a small machine is taken from the workers' cores."""
    return [_isolated(path, timeout, memory, payload) for path, payload in items]


def _chunk(n: int, jobs: int) -> int:
    """How many sources a Dask task takes: enough tasks that every worker stays busy to the end
    (eight a worker at least), at most eight sources each."""
    return max(1, min(8, n // (max(jobs, 1) * 8)))


def _payload(src) -> list[tuple[str, bytes]]:
    """A source's files as (name relative to a folder of the source's name, bytes)."""
    from ..limits import read_bytes
    if src.format == "dir":
        return [(f"{src.path.name}/{f.name}", read_bytes(f)) for f in src.files]
    return [(src.path.name, read_bytes(src.path))]


def _dask_outcomes(paths: list[str], jobs: int, scheduler: str | None, timeout: float | None,
                   memory: int | None, payloads: list | None = None) -> Iterator[Outcome]:
    import dask
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    with dask.config.set({"distributed.worker.daemon": False, "distributed.logging.distributed": "error"}):
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:
            # the local cluster's scheduler and workers are threads of this process: each task is
            # analysed in a child process all the same (`solo`, bounded in time and memory), so worker
            # processes of Dask's own would only add their start-up, imports and a copy of every result
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=False,
                                   dashboard_address="127.0.0.1:0", silence_logs=40)
            client = Client(cluster)
    try:
        size = _chunk(len(paths), jobs)
        futures = {client.submit(_isolated_many, [(paths[i], payloads[i] if payloads else None)
                                                  for i in range(start, min(start + size, len(paths)))],
                                 timeout, memory, pure=False): start
                   for start in range(0, len(paths), size)}
        started = time.monotonic()
        for fut in as_completed(futures):
            first = futures[fut]
            try:
                results = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker lost mid-task: its sources failed, the run goes on
                results = [(None, CRASH, f"Dask 工作进程出错：{type(e).__name__}：{e}", None)] * min(
                    size, len(paths) - first)
            for i, (value, failure, message, code) in enumerate(results, first):
                value = pickle.loads(value) if value is not None else None
                yield Outcome(i, paths[i], value, failure, message, time.monotonic() - started, code)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
            solo_stop()


def run(paths: list[Path], store, jobs: int = 1, engine: str = "processes", scheduler: str | None = None,
        timeout: float | None = 300, memory: int | None = 2 << 30,
        progress: Callable[[Item, int, int], None] | None = None, send_files: bool = False) -> BatchRun:
    """Parse, check and store every source under ``paths``; ``progress(item, done, total)`` after
    each. Ctrl-C stops the workers; what was stored stays stored (``interrupted`` is set).
    ``send_files`` (Dask): the workers receive the files' bytes instead of reading the paths."""
    from ..store.records import source_of, walk

    t0 = time.monotonic()
    result = BatchRun()
    todo: list[tuple[Path, Any]] = []
    sources = walk(list(paths))
    total = len(sources)

    def done(item: Item) -> None:
        result.items.append(item)
        if progress is not None:
            progress(item, len(result.items), total)

    for p in sources:
        try:
            src = source_of(p)
        except InputError as e:
            done(Item(p, "failed", "input", "\n".join(d.message for d in e.diagnostics)))
            continue
        known = store.known(src)
        if known is not None:
            done(Item(p, "unchanged", imported=known))
        else:
            todo.append((p, src))
    if engine == "dask":
        payloads = [_payload(src) for _, src in todo] if send_files else None
        outcomes = _dask_outcomes([str(p) for p, _ in todo], jobs, scheduler, timeout, memory, payloads)
    else:
        outcomes = supervise(analyse, [str(p) for p, _ in todo], jobs, timeout, memory, preload=_PRELOAD)
    ready: list[tuple[Path, Any, Outcome]] = []    # analysed, not stored yet
    since = 0.0

    def store_ready() -> None:
        got = store.write_many([(o.value, src) for _, src, o in ready])
        for (path, _, o), imported in zip(ready, got):
            if isinstance(imported, Exception):
                done(Item(path, "failed", "store", str(imported), record=o.value, seconds=o.seconds))
            else:
                done(Item(path, imported.outcome, record=o.value, imported=imported, seconds=o.seconds))
        ready.clear()

    try:
        for o in outcomes:
            path, src = todo[o.index]
            if not o.ok:
                done(Item(path, "failed", _reason(o.failure, o.code), o.message, seconds=o.seconds))
                continue
            if not ready:
                since = time.monotonic()
            ready.append((path, src, o))
            if len(ready) >= GROUP or time.monotonic() - since >= GROUP_SECONDS:
                store_ready()
        store_ready()
    except KeyboardInterrupt:
        result.interrupted = True
        close = getattr(outcomes, "close", None)
        if close is not None:
            close()
        store_ready()    # what was analysed completely is kept
    if not result.interrupted:
        try:
            result.paired = pair_stored(store, result)
        except KeyboardInterrupt:   # what was paired is kept; the next run pairs the rest
            result.interrupted = True
    result.seconds = time.monotonic() - t0
    return result


def pair_stored(store, result: BatchRun) -> list[Any]:
    """The 决算 and 预算 of the same unit and year among the run's sources (stored now or before)
    checked against each other where their latest versions were not yet (``store.pairing``): in the
    client, after the workers, each side read again from its file (a batch of 决算 alone has no pair
    and costs one query)."""
    from ..store.pairing import CROSS_SEQ, pair_all
    done = pair_all(store, store.keys_of([i.imported.version_id for i in result.items if i.imported is not None]))
    by_version = {i.imported.version_id: i for i in result.items if i.imported is not None}
    for p in done:      # the summary says the 决算's cross findings with its own
        item = by_version.get(p.final_id)
        if not p.checked or item is None:
            continue
        item.imported.counts = dict(p.counts)
        if item.record is not None:
            item.record.findings = [f for f in item.record.findings if f["seq"] < CROSS_SEQ] + p.findings
            item.record.counts = dict(p.counts)
    return done
