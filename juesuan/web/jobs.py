"""Uploads processed in the background, with their progress (docs/web.md, 上传、版本与下载).

An accepted upload gets a row of ``uploads`` (queued → running → done / failed, progress 0–100,
a message in Chinese) and goes to the application's thread pool (:func:`jobs_of`), never to
the server's event loop. A pool thread hands the file to a worker process bounded in time and
memory (:func:`juesuan.batch.supervise.solo`, as ``juesuan batch`` on Dask does), where it is read
and checked (:func:`analyse_upload`: ``pipeline.audit`` → the store's rows and the document as
read). Back in the thread, the document's unit is held against the uploader's department
*before* anything is stored; then the version is written (``Store.write``, as ``juesuan db
import`` does), the document kept (``put_document``), the file kept as
``<upload_dir>/<sha256><suffix>``, and the row says done with the version. Every end is audited.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..store.engine import retrying
from ..store.schema import uploads

__all__ = ["Jobs", "jobs_of", "start_warming", "analyse_upload", "new_upload", "get_upload", "set_upload",
           "recent_uploads", "TIMEOUT", "MEMORY", "STATE_TEXT"]

log = logging.getLogger("juesuan.web")

TIMEOUT = 300.0               # seconds one upload may take to be read and checked
MEMORY = 2 << 30              # bytes of memory it may take beyond the worker's own
THREADS = 2                   # uploads processed at once
PRELOAD = ["juesuan.pipeline", "juesuan.final.kind", "juesuan.budget.kind", "juesuan.parse", "juesuan.rules.engine",
           "juesuan.store.records", "juesuan.web.jobs"]
# what reading and checking import on first use: the worker imports them before its first upload
WARM = ["juesuan.parse.pdf", "juesuan.final.rules", "juesuan.final.workbook", "juesuan.final.canonical",
        "juesuan.final.from_document", "juesuan.rules.report", "juesuan.renderers.xlsx"]
STATE_TEXT = {"queued": "排队中", "running": "处理中", "done": "完成", "failed": "失败"}
_FAILURES = {"input": "文件无法使用", "timeout": "处理超时", "memory": "内存超限", "crash": "内部错误"}


def _now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------------------ the uploads table

def new_upload(engine: sa.Engine, user: str, file_name: str, size: int, sha256: str, state: str = "queued",
               progress: int = 0, message: str | None = None, version_id: int | None = None) -> int:
    done = state in ("done", "failed")

    def work() -> int:
        with engine.begin() as conn:
            return conn.execute(uploads.insert().values(
                user_name=user, file_name=file_name, size=size, sha256=sha256, state=state, progress=progress,
                message=message, version_id=version_id, created_at=_now(),
                finished_at=_now() if done else None).returning(uploads.c.id)).scalar_one()
    return retrying(work)


def set_upload(engine: sa.Engine, upload_id: int, **values: Any) -> None:
    if values.get("state") in ("done", "failed"):
        values.setdefault("finished_at", _now())

    def work() -> None:
        with engine.begin() as conn:
            conn.execute(uploads.update().where(uploads.c.id == upload_id).values(**values))
    retrying(work)


def get_upload(engine: sa.Engine, upload_id: int) -> dict[str, Any] | None:
    with engine.connect().execution_options(readonly=True) as conn:
        row = conn.execute(sa.select(uploads).where(uploads.c.id == upload_id)).mappings().first()
    return dict(row) if row else None


def recent_uploads(engine: sa.Engine, user: str | None, limit: int = 20) -> list[dict[str, Any]]:
    """The latest uploads (of ``user`` only, when given), newest first."""
    q = sa.select(uploads).order_by(uploads.c.id.desc()).limit(limit)
    if user is not None:
        q = q.where(uploads.c.user_name == user)
    with engine.connect().execution_options(readonly=True) as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def stale(row: dict[str, Any]) -> bool:
    """Queued or running for longer than any upload can take: the server stopped meanwhile."""
    if row["state"] not in ("queued", "running"):
        return False
    at = row["created_at"]
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return _now() - at > timedelta(seconds=TIMEOUT * 4 + 120)


# ------------------------------------------------------------------------------ the worker's part

def analyse_upload(path: str | tuple | None) -> Any:
    """In the worker process: the file read and checked → (the store's rows of it, the document as
    read as plain data). Raises ``InputError`` for a file that cannot be used. ``None``: only
    import what reading and checking need (the worker's warm-up); a tuple (决算 path, 预算 path,
    their names): the two read and checked against each other → the cross findings."""
    import contextlib
    import importlib
    import io

    if path is None:
        for m in WARM:
            importlib.import_module(m)
        return None
    if isinstance(path, tuple):       # a 决算 and a 预算 to check against each other (pair_upload)
        from ..store.pairing import check_files
        with contextlib.redirect_stderr(io.StringIO()):
            return check_files(path)

    from ..document import to_data
    from ..pipeline import audit
    from ..store.records import record_of
    with contextlib.redirect_stderr(io.StringIO()):
        a = audit(path)   # a 部门决算 or a 部门预算, as the file reads (as db import)
        return record_of(a, Path(path)), to_data(a.document)


# ------------------------------------------------------------------------------ the pool

class Jobs:
    """The application's uploads in progress: a thread pool, each thread one upload at a time."""

    def __init__(self, app, threads: int = THREADS):
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="juesuan-upload")
        self.running: set[int] = set()
        self.lock = threading.Lock()
        self.pool.submit(_warm)

    def submit(self, upload_id: int, work: Path, fmt: str, user, ip: str | None) -> None:
        with self.lock:
            self.running.add(upload_id)
        self.pool.submit(self._run, upload_id, work, fmt, user, ip)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, upload_id: int, work: Path, fmt: str, user, ip: str | None) -> None:
        try:
            process(self.app, upload_id, work, fmt, user, ip)
        except Exception as e:  # noqa: BLE001 - whatever happens, the upload ends failed, with its reason
            log.exception("upload %s", upload_id)
            try:
                set_upload(self.app.state.store.engine, upload_id, state="failed", progress=100,
                           message=f"内部错误（{type(e).__name__}），请稍后重试或联系管理员。")
            except Exception:  # noqa: BLE001 - the store itself is gone: nothing more to say
                pass
        finally:
            shutil.rmtree(work.parent, ignore_errors=True)
            with self.lock:
                self.running.discard(upload_id)


_ANALYSING = threading.Lock()     # one worker process reads and checks, one upload at a time


def analyse(path: str | tuple | None):
    """``analyse_upload(path)`` in this server's one long-lived worker process, bounded by
    :data:`TIMEOUT` and :data:`MEMORY` (``batch.supervise.solo``: its imports are paid once, a
    worker killed by an input is replaced). Uploads take turns; storing one overlaps reading the next."""
    from ..batch.supervise import solo
    with _ANALYSING:
        return solo(analyse_upload, path, TIMEOUT, MEMORY, preload=PRELOAD)


def _warm() -> None:
    """Start the worker and its imports before the first upload needs them (the upload page
    does, while its user picks a file): an upload then waits for its reading only."""
    try:
        analyse(None)
    except Exception:  # noqa: BLE001 - only a head start: the first upload starts it otherwise
        log.debug("warming the upload worker failed", exc_info=True)


def start_warming() -> None:
    """At the server's start: warm the worker in the background (:func:`_warm`), so that even the
    first upload waits for its reading only."""
    threading.Thread(target=_warm, name="juesuan-upload-warm", daemon=True).start()


def jobs_of(app) -> Jobs:
    """The application's :class:`Jobs`, made on first use (stopped with the application)."""
    jobs = getattr(app.state, "jobs", None)
    if jobs is None:
        with _MAKING:
            jobs = getattr(app.state, "jobs", None)
            if jobs is None:
                jobs = app.state.jobs = Jobs(app)
                app.router.add_event_handler("shutdown", jobs.shutdown)
    return jobs


_MAKING = threading.Lock()


def process(app, upload_id: int, work: Path, fmt: str, user, ip: str | None) -> None:
    """One upload, in a pool thread: read and check it in a bounded worker process, hold its unit
    against the uploader's, store it. The row ends done (with its version) or failed (why)."""
    from ..store.documents import put_document
    from ..store.engine import StoreError
    from ..store.records import Source
    from ..store.store import KIND_LABELS
    from .auth import may_upload_for
    from .files import FORMATS, upload_path

    store = app.state.store
    engine = store.engine
    row = get_upload(engine, upload_id)
    name = row["file_name"] if row else work.name
    accounts = app.state.accounts

    def fail(message: str, reason: str) -> None:
        set_upload(engine, upload_id, state="failed", progress=100, message=message)
        accounts.log("upload_failed", user.name, f"upload {upload_id}",
                     {"file": name, "reason": reason, "message": message[:500]}, ip)

    set_upload(engine, upload_id, state="running", progress=10,
               message=f"正在读取并审核{FORMATS[fmt][1]}…")
    outcome = analyse(str(work))
    if not outcome.ok:
        why = (outcome.message or "").replace(str(work), name).strip()
        fail(f"{_FAILURES.get(outcome.failure, '处理失败')}：{why or '未能读取'}", outcome.failure or "failed")
        return
    rec, document = outcome.value
    set_upload(engine, upload_id, progress=80, message="审核完成，正在保存…")
    if not may_upload_for(store, user, rec.entity):
        fail(f"这份文件是“{rec.entity}”的{KIND_LABELS.get(rec.kind, rec.kind)}，"
             f"您只能上传本单位（{user.department or '未指定单位'}）的文件；"
             "文件未保存。如确需上传，请联系管理员。", "department")
        return
    for d in rec.diagnostics:      # the user's name of the file, not the worker's copy
        if d.get("file"):
            d["file"] = str(d["file"]).replace(str(work), name)
    kept = upload_path(app, row["sha256"], FORMATS[fmt][0])
    if not kept.exists():
        os.replace(work, kept)
    src = Source(kept, (kept,), row["sha256"], row["size"], fmt)
    try:
        imported = store.write(rec, src, diff=False)
    except StoreError as e:
        fail(str(e), "store")
        return
    set_upload(engine, upload_id, progress=90, message="正在保存读取结果…")
    put_document(engine, imported.version_id, document)
    counts = imported.counts
    cross = ""
    for p in pair_upload(app, imported, lambda: set_upload(engine, upload_id, progress=95,
                                                           message="正在与同一单位同一年度的预算（决算）交叉核对…")):
        if p.checked and p.final_id == imported.version_id:
            counts = p.counts
        cross += (f"与{'预算' if imported.kind == 'final' else '决算'}交叉核对，发现 {len(p.findings)} 处不一致。"
                  if p.checked else f"未能交叉核对：{p.note}。")
    set_upload(engine, upload_id, state="done", progress=100, version_id=imported.version_id,
               message=f"完成：{imported.entity} {imported.year} 年度{KIND_LABELS.get(imported.kind, '')}第 "
                       f"{imported.number} 版，{counts.get('error', 0)} 个错误，{counts.get('warning', 0)} 个警告。"
                       + cross)
    accounts.log("upload_done", user.name, f"version {imported.version_id}",
                 {"file": name, "upload": upload_id, "entity": imported.entity, "year": imported.year,
                  "outcome": imported.outcome, "errors": counts.get("error", 0),
                  "warnings": counts.get("warning", 0)}, ip)


def upload_names(engine: sa.Engine, version_ids: list[int]) -> dict[int, str]:
    """The file name each version was uploaded as (its first upload), by version id."""
    with engine.connect().execution_options(readonly=True) as conn:
        rows = conn.execute(sa.select(uploads.c.version_id, uploads.c.file_name)
                            .where(uploads.c.version_id.in_(version_ids)).order_by(uploads.c.id.desc()))
        return {vid: name for vid, name in rows}


def _check_pair_in_worker(final: Path, budget: Path, final_name: str, budget_name: str) -> list:
    """Both files read and checked against each other in the server's bounded worker process
    (as an upload is read): a file the worker cannot read is an ``InputError`` with its reason."""
    from ..errors import Diagnostic, InputError
    o = analyse((str(final), str(budget), final_name, budget_name))
    if not o.ok:
        raise InputError([Diagnostic("error", (o.message or _FAILURES.get(o.failure, "处理失败")).strip())])
    return o.value


def pair_upload(app, imported, starting=None) -> list:
    """The 决算 and 预算 of the upload's unit and year checked against each other when the store holds
    both and their latest versions were not checked together yet (``store.pairing``): each file
    read again from where the server keeps it, in the bounded worker; the places name the files as
    they were uploaded. ``starting()`` is called first when there is a pair to check."""
    from ..store.pairing import pair, pending
    from .documents import source_path
    store = app.state.store
    todo = pending(store, store.keys_of([imported.version_id]))
    if not todo:
        return []
    if starting is not None:
        starting()
    names = upload_names(store.engine, [v["id"] for p in todo for v in (p.final, p.budget)])
    return [pair(store, p, locate=lambda v: source_path(app, v), name=lambda v: names.get(v["id"]) or v["file"],
                 checker=_check_pair_in_worker) for p in todo]
