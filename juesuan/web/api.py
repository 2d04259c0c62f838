"""The JSON API beside the pages (``/api/…``), with the pages' permissions; OpenAPI at ``/docs``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request

from ..store.accounts import User
from .auth import can_see_version, current_user

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/documents/{version_id}", summary="一份文档（一个版本）的概要")
def document(request: Request, version_id: int, user: User = Depends(current_user)):
    v = request.app.state.store.version(version_id)
    if v is None or not can_see_version(request.app.state.store, user, v):
        raise HTTPException(404, "没有这份文档")
    return v
