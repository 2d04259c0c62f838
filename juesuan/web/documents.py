"""Upload, the document page, marks on findings, versions and downloads (docs/web.md)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request

from ..store.accounts import User
from .auth import can_see_version, current_user
from .templating import page

router = APIRouter()


@router.get("/documents/{version_id}", include_in_schema=False)
def document(request: Request, version_id: int, user: User = Depends(current_user)):
    store = request.app.state.store
    v = store.version(version_id)
    if v is None or not can_see_version(request.app.state.store, user, v):
        raise HTTPException(404, "没有这份文档")
    return page(request, "document.html", v=v, findings=store.findings(version_id))
