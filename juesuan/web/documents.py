"""The document page, its PDF page images and the marks on its findings (docs/web.md, 文档页与标记).

* ``GET /documents/{id}`` — the disclosure as it was read (its tables and narrative, from the
  document the store keeps; read again from its source and kept when none is: a version imported
  by ``db import`` or a batch), every finding highlighted at its place, the findings listed by
  severity with links to those places and, for a PDF, to the page images (:mod:`.view`);
* ``GET /documents/{id}/pages/{n}.png`` — a PDF's page with the findings' cells boxed (:mod:`.pageimage`);
* ``POST /documents/{id}/findings/{fingerprint}/mark`` — a reviewer or an administrator marks a
  finding confirmed, dismissed (with a reason) or fixed; kept in ``marks`` with the version,
  audited; htmx swaps the finding's mark in place.

Every request asks the store about one version only (its row, findings, marks, document): the
page costs the same with 3 000 documents in the store as with one.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse
from markupsafe import Markup

from .. import pipeline
from ..document import to_data
from ..errors import InputError
from ..store.accounts import User
from ..store.documents import get_document, put_document
from ..store.engine import retrying
from ..store.pairing import CROSS_SEQ, cross_of, paired_budget, pairs
from ..store.schema import MARKS, findings, marks
from ..store.store import MARK_LABELS
from .auth import audit, csrf, current_user, version_or_404
from .files import upload_dir, upload_path
from .pageimage import cache_dir_for, page_png
from .templating import page, templates
from .view import DocumentView, document_view, forms_document, page_marks

router = APIRouter()

MARKERS = ("admin", "reviewer")      # who may mark findings (department users see the marks)
_MAX_REASON = 2000


@lru_cache(maxsize=8)
def _variants(kind: str) -> Any:
    try:
        return pipeline.kind_named(kind).variants()
    except ValueError:
        return None


def source_path(app: Any, v: dict[str, Any]) -> Path | None:
    """The version's source as it was imported (its path), else its uploaded copy
    (``upload_dir/<sha256><suffix>``); None when neither is there any more."""
    if v.get("path"):
        p = Path(v["path"])
        if p.exists():
            return p
    fmt = v.get("format") or ""
    if v.get("sha256") and fmt and fmt != "dir":
        try:
            p = upload_path(app, v["sha256"], "." + fmt)
        except ValueError:
            return None
        if p.is_file():
            return p
    return None


def _document(request: Request, v: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """The version's document as read (kept, or read again from its source and kept) and a note
    (Chinese) when it cannot be shown."""
    engine = request.app.state.store.engine
    data = get_document(engine, v["id"])
    if data is not None:
        return data, None
    src = source_path(request.app, v)
    if src is None:
        return None, (f"原文件已不在（{v.get('path') or v.get('file') or '未记录路径'}），无法显示文档内容；"
                      "下面仍列出导入时发现的问题。重新上传该文件即可查看原文。")
    try:
        doc = pipeline.load(src, pipeline.kind_named(v.get("kind") or None)).document
    except InputError as e:
        return None, f"无法重新读取原文件 {src.name}：{e.diagnostics[0].message if e.diagnostics else e}"
    except (OSError, ValueError) as e:
        return None, f"无法重新读取原文件 {src.name}：{e}"
    data = to_data(doc)
    put_document(engine, v["id"], data)
    return get_document(engine, v["id"]), None


def _marks(engine: sa.Engine, version_id: int) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(marks).where(marks.c.version_id == version_id)).mappings()
        return {r["fingerprint"]: _mark(dict(r)) for r in rows}


def _mark(r: dict[str, Any]) -> dict[str, Any]:
    at = r.get("at")
    return {**r, "label": MARK_LABELS.get(r["state"], r["state"]),
            "when": at.strftime("%Y-%m-%d %H:%M") if isinstance(at, datetime) else str(at or "")}


class _Pages:
    """The document pages drawn lately, by version: (the document's HTML, the view of its findings).

    A version never changes — its document as read, its findings — so its page is drawn once and
    kept (the marks, which do change, are put in at every request). Keyed by the version's id, file
    and number: an id the store hands out again after a delete is another key. Per process; at most
    ``size`` pages (about 100 KB each)."""

    def __init__(self, size: int = 64):
        self.size, self.lock, self.pages = size, threading.Lock(), OrderedDict()

    def get(self, key: tuple) -> tuple[Markup, DocumentView] | None:
        with self.lock:
            got = self.pages.get(key)
            if got is not None:
                self.pages.move_to_end(key)
            return got

    def put(self, key: tuple, value: tuple[Markup, DocumentView]) -> None:
        with self.lock:
            self.pages[key] = value
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


def _pages(app: Any) -> _Pages:
    got = getattr(app.state, "document_pages", None)
    if got is None:
        got = app.state.document_pages = _Pages()
    return got


def _drawn(request: Request, v: dict[str, Any]) -> tuple[Markup, DocumentView, str | None]:
    """The document's HTML, the view of its findings, a note when the document cannot be shown."""
    # a 决算 version's findings change when it is checked with a new 预算 (store.pairing): its counts
    # and the 预算 it was checked with are part of the key
    mark = paired_budget(v)
    key = (v["id"], v.get("sha256"), v.get("number"), v.get("errors"), v.get("warnings"), v.get("infos"),
           mark.get("budget_version") if mark else None)
    cache = _pages(request.app)
    got = cache.get(key)
    if got is not None:
        return (*got, None)
    data, note = _document(request, v)
    elsewhere = ({mark["budget_file"]: ("部门预算", f"/documents/{mark['budget_version']}")}
                 if mark and mark.get("budget_file") else None)
    view = document_view(data, request.app.state.store.findings(v["id"]), None,
                         _variants(v.get("kind") or "final"), forms_document(data),
                         title=v.get("title") or "", entity=v.get("entity") or "", elsewhere=elsewhere)
    body = Markup(templates.get_template("document_body.html").render(view=view, note=note))
    view = dataclasses.replace(view, parts=[], loose_tables=[])      # drawn: only the findings are kept
    if data is not None:
        cache.put(key, (body, view))
    return body, view, note


KIND_TITLES = {"final": "部门决算", "budget": "部门预算"}


def _here(v: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings with only their places in this document: a cross finding's places in the 预算
    (its file) are pages of another PDF, not boxes on this one's."""
    mark = paired_budget(v)
    other = mark.get("budget_file") if mark else None
    if not other:
        return rows
    return [{**f, "places": [p for p in f.get("places") or () if p.get("file") != other]}
            if f["seq"] >= CROSS_SEQ else f for f in rows]


def _cross(request: Request, v: dict[str, Any], view: DocumentView) -> dict[str, Any] | None:
    """What the page says of the 决算 and 预算 checked against each other (store.pairing): on a 决算,
    the 预算 version it was checked with and its cross findings; on a 预算, the latest 决算 version
    checked with it. None: not checked with the other (or no other in the store)."""
    store = request.app.state.store
    if v.get("kind") == "final":
        mark = paired_budget(v)
        if mark is None:
            return None
        cross = {f["fingerprint"] for f in cross_of(store.findings(v["id"]))}
        return {"other": mark.get("budget_version"), "other_kind": "部门预算", "file": mark.get("budget_file"),
                "findings": [f for f in view.findings if f.fingerprint in cross]}
    if v.get("kind") == "budget":
        for p in pairs(store, [(v["entity_id"], v["year"])]):
            mark = paired_budget(p.final)
            if mark is not None and mark.get("budget_version") == v["id"]:
                return {"other": p.final["id"], "other_kind": "部门决算", "file": f"第{p.final['number']}版",
                        "count": mark.get("count", 0), "findings": []}
    return None


@router.get("/documents/{version_id}", include_in_schema=False)
def document(request: Request, version_id: int, user: User = Depends(current_user)):
    v = version_or_404(request, user, version_id)
    body, view, note = _drawn(request, v)
    return page(request, "document.html", v=v, view=view, body=body, note=note,
                marks=_marks(request.app.state.store.engine, version_id), can_mark=user.role in MARKERS,
                kind_title=KIND_TITLES.get(v.get("kind") or "final", ""), cross=_cross(request, v, view))


@router.get("/documents/{version_id}/pages/{n}.png", include_in_schema=False)
def page_image(request: Request, version_id: int, n: int, user: User = Depends(current_user)):
    v = version_or_404(request, user, version_id)
    if (v.get("format") or "") != "pdf":
        raise HTTPException(404, "这份文档不是 PDF，没有页面图像")
    src = source_path(request.app, v)
    if src is None:
        raise HTTPException(404, "原 PDF 文件已不在，无法显示页面图像")
    key = (version_id, v.get("sha256"), v.get("number"), n)
    drawn = getattr(request.app.state, "page_images", None)
    if drawn is None:
        drawn = request.app.state.page_images = {}
    png = drawn.get(key)
    if png is None or not png.is_file():
        data = get_document(request.app.state.store.engine, version_id)
        marks_on = page_marks(data, _here(v, request.app.state.store.findings(version_id))).get(n, [])
        try:
            folder = cache_dir_for(upload_dir(request.app))
        except OSError:
            folder = cache_dir_for(None)
        try:
            png = page_png(src, n, marks_on, folder, v.get("sha256"))
        except IndexError:
            raise HTTPException(404, f"这份 PDF 没有第 {n} 页") from None
        if len(drawn) > 4096:
            drawn.clear()
        drawn[key] = png
    return FileResponse(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.post("/documents/{version_id}/findings/{fingerprint}/mark", include_in_schema=False)
def mark(request: Request, version_id: int, fingerprint: str, state: str = Form(""), reason: str = Form(""),
         user: User = Depends(csrf)):
    if user.role not in MARKERS:
        raise HTTPException(403, "部门用户可以查看审核标记，但不能标记")
    v = version_or_404(request, user, version_id)
    engine = request.app.state.store.engine
    with engine.connect() as conn:
        known = conn.execute(sa.select(findings.c.id).where(findings.c.version_id == version_id,
                                                            findings.c.fingerprint == fingerprint).limit(1)).first()
    if known is None:
        raise HTTPException(404, "这份文档没有这条问题")
    reason = reason.strip()[:_MAX_REASON]
    error = None
    if state not in MARKS:
        error = "请选择：确认、驳回或已修改"
    elif state == "dismissed" and not reason:
        error = "驳回须填写理由"
    htmx = bool(request.headers.get("HX-Request"))
    if error is not None:
        current = _marks(engine, version_id).get(fingerprint)
        return page(request, "document_mark.html", status_code=400, vid=version_id, fp=fingerprint,
                    mark=current, can_mark=True, error=error)
    row = {"version_id": version_id, "fingerprint": fingerprint, "state": state,
           "reason": reason or None, "user_name": user.name, "at": datetime.now(UTC)}

    def work() -> None:
        with engine.begin() as conn:
            conn.execute(sa.delete(marks).where(marks.c.version_id == version_id, marks.c.fingerprint == fingerprint))
            conn.execute(marks.insert().values(**row))
    retrying(work)
    audit(request, "mark", f"version:{version_id}",
          {"fingerprint": fingerprint, "state": state, "reason": reason or None, "entity": v.get("entity")})
    if not htmx:
        return RedirectResponse(f"/documents/{version_id}#f-{fingerprint}", status_code=303)
    return page(request, "document_mark.html", vid=version_id, fp=fingerprint, mark=_mark(row), can_mark=True,
                error=None)
