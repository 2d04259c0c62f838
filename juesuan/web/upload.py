"""Upload, versions and downloads (docs/web.md, 上传、版本与下载).

* ``GET /upload``, ``POST /upload`` — a document or workbook streamed in (:func:`.files.receive`),
  known by its content (:func:`.files.sniff`), then read, checked and stored in the background
  (:mod:`.jobs`); ``GET /uploads/{id}`` follows its progress (htmx polls ``#progress`` every
  second) and goes on to the document page when it is done. The same file twice goes straight to
  its version. A department user may upload only its own department's documents.
* ``GET /documents/{id}/versions`` — what changed since the version before (figures changed,
  added, removed; findings gone and new): :func:`versions_context` and the fragment
  ``versions_fragment.html`` (the document page can include it, or load
  ``/documents/{id}/versions/fragment``).
* ``GET /documents/{id}/findings.xlsx|json`` — the findings as 修改意见 (``juesuan batch``'s report
  of one document, with the reviewers' marks); ``GET /documents/{id}/build.html|docx|pdf|xlsx`` —
  a version built from data, rebuilt from its stored data (cached in ``<upload_dir>/built/<id>/``).
"""

from __future__ import annotations

import hmac
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from ..store.accounts import User
from ..store.schema import marks
from ..store.store import KIND_LABELS, MARK_LABELS
from .auth import audit, can_see_version, current_user, version_or_404
from .files import FORMATS, Refused, built_dir, receive, sniff, upload_dir
from .jobs import STATE_TEXT, get_upload, jobs_of, new_upload, recent_uploads, stale, start_warming
from .templating import page

__all__ = ["router", "upload_csrf", "accept", "Accepted", "versions_context", "visible_upload",
           "findings_with_marks", "UPLOAD_ROLES"]

router = APIRouter(on_startup=[start_warming])     # the reading worker starts with the server

UPLOAD_ROLES = ("admin", "department")       # reviewers read and mark; they do not upload
BUILD_FORMATS = {"html": ("网页", "text/html; charset=utf-8"), "docx": ("Word", None), "pdf": ("PDF", None),
                 "xlsx": ("Excel", None)}


# ------------------------------------------------------------------------------ permissions

async def upload_csrf(request: Request, user: User = Depends(current_user)) -> User:
    """The CSRF check of an upload: the ``X-CSRF-Token`` header, or else the form's ``csrf_token``
    field, which :func:`.files.receive` checks before the file's first byte (``auth.csrf`` would
    read the whole body first). And the role: reviewers do not upload."""
    sent = request.headers.get("X-CSRF-Token")
    if sent is not None:
        if not hmac.compare_digest(sent, request.state.csrf):
            why = "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试"
            audit(request, "upload_refused", None, {"status": 403, "reason": why})
            raise HTTPException(403, why)
        request.state.csrf_in_form = None
    elif request.headers.get("content-type", "").startswith("multipart/form-data"):
        request.state.csrf_in_form = request.state.csrf
    else:    # neither the header nor a form that could carry the token
        why = "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试"
        audit(request, "upload_refused", None, {"status": 403, "reason": why})
        raise HTTPException(403, why)
    if user.role not in UPLOAD_ROLES:
        why = "审核人员只能查看和标记，不能上传；请由部门用户或管理员上传"
        audit(request, "upload_refused", None, {"status": 403, "reason": why})
        raise HTTPException(403, why)
    return user


def visible_upload(request: Request, user: User, upload_id: int) -> dict[str, Any]:
    """An upload its uploader, an administrator or a reviewer may follow (else 404)."""
    row = get_upload(request.app.state.store.engine, upload_id)
    if row is None or (user.role == "department" and row["user_name"] != user.name):
        raise HTTPException(404, "没有这次上传")
    if stale(row):
        from .jobs import set_upload
        set_upload(request.app.state.store.engine, upload_id, state="failed", progress=100,
                   message="处理被中断（服务器已重启），请重新上传。")
        row = get_upload(request.app.state.store.engine, upload_id)
    return row


# ------------------------------------------------------------------------------ accepting an upload

class Accepted:
    """An upload accepted: its row (``upload``); ``existing``: this very file is stored already."""

    def __init__(self, upload: dict[str, Any], existing: bool):
        self.upload, self.existing = upload, existing


async def accept(request: Request, user: User) -> Accepted:
    """Receive the body's file, know it by content, and either point at the version it is already
    or queue it. Raises :class:`Refused` (audited) with the status and message to answer."""
    app = request.app
    settings = app.state.settings
    store = app.state.store
    ip = request.client.host if request.client else None
    folder = upload_dir(app) / ".incoming"
    try:
        got = await receive(request, folder, settings.max_upload_bytes, request.state.csrf_in_form)
    except Refused as r:
        audit(request, "upload_refused", None, {"status": r.status, "reason": r.message})
        raise
    try:
        fmt = await run_in_threadpool(sniff, got.path, got.name)
        known = await run_in_threadpool(_known, store, got)
        if known is not None:
            if not can_see_version(store, user, known):
                what = KIND_LABELS.get(known["kind"], "决算")
                raise Refused(403, f"这份文件是“{known['entity']}”的{what}，您只能上传本单位"
                                   f"（{user.department or '未指定单位'}）的文件。")
            uid = new_upload(store.engine, user.name, got.name, got.size, got.sha256, "done", 100,
                             f"此文件已上传过：{known['entity']} {known['year']} 年度第 {known['number']} 版。",
                             known["id"])
            got.discard()
            audit(request, "upload", f"upload {uid}", {"file": got.name, "size": got.size, "sha256": got.sha256,
                                                       "format": fmt, "outcome": "unchanged",
                                                       "version": known["id"]})
            return Accepted(get_upload(store.engine, uid), True)
    except Refused as r:
        got.discard()
        audit(request, "upload_refused", None, {"file": got.name, "size": got.size, "sha256": got.sha256,
                                                "status": r.status, "reason": r.message})
        raise
    uid = new_upload(store.engine, user.name, got.name, got.size, got.sha256, "queued", 0, "排队等待处理…")
    work = upload_dir(app) / ".work" / str(uid)
    work.mkdir(parents=True, exist_ok=True)
    target = work / (Path(got.name).stem[:80] + FORMATS[fmt][0])
    os.replace(got.path, target)
    audit(request, "upload", f"upload {uid}", {"file": got.name, "size": got.size, "sha256": got.sha256,
                                               "format": fmt, "outcome": "queued"})
    jobs_of(app).submit(uid, target, fmt, user, ip)
    return Accepted(get_upload(store.engine, uid), False)


def _known(store, got) -> dict[str, Any] | None:
    from ..store.records import Source
    imp = store.known(Source(got.path, (got.path,), got.sha256, got.size, "?"))
    if imp is None:
        return None
    return {"id": imp.version_id, "entity": imp.entity, "year": imp.year, "number": imp.number, "kind": imp.kind}


# ------------------------------------------------------------------------------ pages

def _upload_page(request: Request, user: User, error: str | None = None, status_code: int = 200):
    engine = request.app.state.store.engine
    rows = recent_uploads(engine, None if user.role != "department" else user.name)
    return page(request, "upload.html", status_code=status_code, error=error, uploads=rows, states=STATE_TEXT,
                limit_mb=request.app.state.settings.max_upload_bytes // (1024 * 1024),
                can_upload=user.role in UPLOAD_ROLES)


@router.get("/upload", include_in_schema=False)
def upload_form(request: Request, user: User = Depends(current_user)):
    if user.role in UPLOAD_ROLES:
        jobs_of(request.app)       # its worker processes' server starts while the user picks a file
    return _upload_page(request, user)


@router.post("/upload", include_in_schema=False)
async def upload(request: Request, user: User = Depends(upload_csrf)):
    try:
        got = await accept(request, user)
    except Refused as r:
        return await run_in_threadpool(_upload_page, request, user, r.message, r.status)
    target = (f"/documents/{got.upload['version_id']}" if got.existing else f"/uploads/{got.upload['id']}")
    if request.headers.get("HX-Request"):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _elapsed(row: dict[str, Any]) -> int:
    """Seconds since the upload came in (what a waiting user is told)."""
    from datetime import UTC, datetime
    at = row["created_at"] if row["created_at"].tzinfo else row["created_at"].replace(tzinfo=UTC)
    return max(0, int((datetime.now(UTC) - at).total_seconds()))


@router.get("/uploads/{upload_id}", include_in_schema=False)
def upload_status(request: Request, upload_id: int, user: User = Depends(current_user)):
    row = visible_upload(request, user, upload_id)
    if row["state"] == "done" and row["version_id"] is not None:
        return RedirectResponse(f"/documents/{row['version_id']}", status_code=303)
    return page(request, "upload_status.html", u=row, states=STATE_TEXT, elapsed=_elapsed(row))


@router.get("/uploads/{upload_id}/progress", include_in_schema=False)
def upload_progress(request: Request, upload_id: int, user: User = Depends(current_user)):
    row = visible_upload(request, user, upload_id)
    headers = {}
    if row["state"] == "done" and row["version_id"] is not None:
        headers["HX-Redirect"] = f"/documents/{row['version_id']}"
    resp = page(request, "upload_progress.html", u=row, states=STATE_TEXT, elapsed=_elapsed(row))
    resp.headers.update(headers)
    return resp


# ------------------------------------------------------------------------------ versions

def versions_context(store, version_id: int) -> dict[str, Any] | None:
    """What the versions fragment shows of ``version_id``: ``version``, every version of its
    disclosure (``versions``, oldest first), the one before (``previous``, or None) and, when
    there is one, ``diff`` (:class:`~juesuan.store.store.Diff`: figures changed / added /
    removed; findings ``fixed`` (gone), ``new_findings``, ``kept``) and ``titles`` (table id →
    printed title), ``names`` (version id → the name its file was uploaded under),
    ``downloads`` (:func:`downloads`). None: no such version."""
    from ..store.documents import get_document
    v = store.version(version_id)
    if v is None:
        return None
    siblings = [h for h in store.history(v["entity_id"]) if h["disclosure_id"] == v["disclosure_id"]]
    prev_id = store.previous(version_id)
    previous = next((h for h in siblings if h["id"] == prev_id), None)
    diff = store.diff(prev_id, version_id) if prev_id is not None else None
    titles: dict[str, str] = {}
    if diff is not None and (diff.changed or diff.added or diff.removed):
        doc = get_document(store.engine, version_id) or {}
        tables = ((doc.get("tables") or {}).get("tables") or {})
        titles = {tid: t.get("title") or tid for tid, t in tables.items()}
    return {"version": v, "versions": siblings, "previous": previous, "diff": diff, "titles": titles,
            "names": uploaded_names(store, [h["id"] for h in siblings]), "downloads": downloads(v)}


def uploaded_names(store, version_ids: list[int]) -> dict[int, str]:
    """The name each version's file was first uploaded under (the store keeps files by their hash)."""
    from ..store.schema import uploads
    if not version_ids:
        return {}
    with store.engine.connect().execution_options(readonly=True) as conn:
        rows = conn.execute(sa.select(uploads.c.version_id, uploads.c.file_name)
                            .where(uploads.c.version_id.in_(version_ids)).order_by(uploads.c.id.desc())).all()
    return {vid: name for vid, name in rows}


@router.get("/documents/{version_id}/versions", include_in_schema=False)
def versions_page(request: Request, version_id: int, user: User = Depends(current_user)):
    version_or_404(request, user, version_id)
    ctx = versions_context(request.app.state.store, version_id)
    return page(request, "versions.html", **ctx, mark_text=MARK_LABELS)


@router.get("/documents/{version_id}/versions/fragment", include_in_schema=False)
def versions_fragment(request: Request, version_id: int, user: User = Depends(current_user)):
    version_or_404(request, user, version_id)
    ctx = versions_context(request.app.state.store, version_id)
    return page(request, "versions_fragment.html", **ctx)


# ------------------------------------------------------------------------------ downloads

def findings_with_marks(store, version_id: int) -> list[dict[str, Any]]:
    """The version's findings, each with its ``mark`` (state, reason, user_name, at) or None."""
    with store.engine.connect().execution_options(readonly=True) as conn:
        got = {r["fingerprint"]: dict(r) for r in conn.execute(
            sa.select(marks.c.fingerprint, marks.c.state, marks.c.reason, marks.c.user_name, marks.c.at)
            .where(marks.c.version_id == version_id)).mappings()}
    return [{**f, "mark": got.get(f["fingerprint"])} for f in store.findings(version_id)]


def _stem(v: dict[str, Any]) -> str:
    return f"{v['entity']}{v['year']}年度第{v['number']}版"


def _report(store, v: dict[str, Any], fmt: str, out: Path) -> None:
    """The 修改意见 of one version, as ``juesuan batch --report`` writes them, with the marks."""
    from ..batch.report import write_report
    from ..batch.run import BatchRun, Item
    from ..store.records import Record

    found = findings_with_marks(store, v["id"])
    tables = [] if v.get("coverage") else [(t, i, "", 0, b"") for i, t in enumerate(store.table_ids(v["id"]))]
    rec = Record(entity=v["entity"], level=v.get("level"), unit_type=v.get("unit_type"), region=v.get("region"),
                 year=v["year"], kind=v["kind"], title=v["title"], origin=v["origin"], variant=v["variant"],
                 counts={"error": v["errors"], "warning": v["warnings"], "info": v["infos"]},
                 diagnostics=v.get("diagnostics") or [], coverage=v.get("coverage"), fact_tables=tables, findings=found)
    run = BatchRun([Item(Path(_file_name(store, v)), "version" if v["number"] > 1 else "new", record=rec)])
    write_report(run, out)
    by_key = {(f["rule"], f["message"]): f["mark"] for f in found if f["mark"]}
    if fmt == "json":
        data = json.loads(out.read_text(encoding="utf-8"))
        for d in data["documents"]:
            for item in d.get("问题", []):
                m = by_key.get((item["规则"], item["问题"]))
                item["标记"] = MARK_LABELS.get(m["state"], m["state"]) if m else ""
                item["标记理由"] = (m.get("reason") or "") if m else ""
                item["标记人"] = m["user_name"] if m else ""
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    elif by_key:
        import openpyxl
        wb = openpyxl.load_workbook(out)
        ws = wb.worksheets[1]
        ws.cell(2, 5, "审核标记")
        ws.cell(2, 6, "标记理由")
        for r in range(3, ws.max_row + 1):
            m = by_key.get((ws.cell(r, 1).value, ws.cell(r, 3).value))
            if m:
                ws.cell(r, 5, MARK_LABELS.get(m["state"], m["state"]))
                ws.cell(r, 6, m.get("reason") or "")
        ws.column_dimensions["E"].width, ws.column_dimensions["F"].width = 10, 40
        wb.save(out)


def _file_name(store, v: dict[str, Any]) -> str:
    """The name the version's file was uploaded under (the store keeps it by its hash), else its own."""
    return uploaded_names(store, [v["id"]]).get(v["id"]) or v["file"]


@router.get("/documents/{version_id}/findings.{fmt}", include_in_schema=False)
def findings_download(request: Request, version_id: int, fmt: str, user: User = Depends(current_user)):
    if fmt not in ("xlsx", "json"):
        raise HTTPException(404, "只提供 .xlsx 和 .json 格式的修改意见")
    v = version_or_404(request, user, version_id)
    with tempfile.TemporaryDirectory(prefix="juesuan-report-") as tmp:
        out = Path(tmp) / f"report.{fmt}"
        _report(request.app.state.store, v, fmt, out)
        body = out.read_bytes()
    name = f"{_stem(v)}修改意见.{fmt}"
    media = "application/json" if fmt == "json" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    from urllib.parse import quote
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f"attachment; filename*=utf-8''{quote(name)}"})


def build_file(app, v: dict[str, Any], fmt: str) -> Path:
    """The version ``v`` (built from data) rebuilt in ``fmt`` from its stored data, cached."""
    from .. import pipeline
    from ..errors import InputError
    target = built_dir(app, v["id"]) / f"document.{fmt}"
    if target.exists():
        return target
    data = app.state.store.data(v["id"])
    if data is None:
        raise HTTPException(404, "这一版没有保存可用于生成文档的数据")
    with tempfile.TemporaryDirectory(prefix="juesuan-build-") as tmp:
        src = Path(tmp) / "disclosure.json"
        src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        try:
            built = pipeline.build(src, v.get("variant"))
        except InputError as e:
            why = "；".join(d.message for d in e.diagnostics)
            raise HTTPException(422, f"无法由保存的数据生成文档：{why}") from None
        results = pipeline.render(built.document, [fmt], target.parent, paths={fmt: target})
    for _, _path, message in results:
        if message:
            raise HTTPException(500, f"生成{BUILD_FORMATS[fmt][0]}文件失败：{message}")
    return target


@router.get("/documents/{version_id}/build.{fmt}", include_in_schema=False)
def build_download(request: Request, version_id: int, fmt: str, user: User = Depends(current_user)):
    if fmt not in BUILD_FORMATS:
        raise HTTPException(404, "只提供 html、docx、pdf、xlsx 格式")
    v = version_or_404(request, user, version_id)
    if v["origin"] != "built":
        raise HTTPException(404, "这一版是已公开文件读取所得，不由数据生成；请下载修改意见")
    path = build_file(request.app, v, fmt)
    if fmt == "html":
        return FileResponse(path, media_type=BUILD_FORMATS[fmt][1])
    return FileResponse(path, filename=f"{v['title'] or _stem(v)}.{fmt}")


def downloads(v: dict[str, Any]) -> list[dict[str, str]]:
    """The download links of a version (for the pages): ``href``, ``format``, ``label``."""
    out = [{"href": f"/documents/{v['id']}/findings.xlsx", "format": "findings-xlsx", "label": "修改意见（Excel）"},
           {"href": f"/documents/{v['id']}/findings.json", "format": "findings-json", "label": "修改意见（JSON）"}]
    if v.get("origin") == "built":
        out += [{"href": f"/documents/{v['id']}/build.{f}", "format": f, "label": f"生成的{label}"}
                for f, (label, _) in BUILD_FORMATS.items()]
    return out


def _json_error(r: Refused) -> JSONResponse:
    return JSONResponse({"detail": r.message}, status_code=r.status)
