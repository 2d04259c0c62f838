"""The JSON API beside the pages (``/api/…``), with the pages' permissions; OpenAPI at ``/docs``.

Log in with ``POST /api/login`` (it sets the session cookie and returns the CSRF token), then:

* ``POST /api/documents`` — multipart field ``file`` and header ``X-CSRF-Token``: the upload is
  read and checked in the background; the answer (202) gives its id and the URL to poll;
* ``GET /api/uploads/{id}`` — its state (queued / running / done / failed), progress 0–100, its
  message and, once done, ``version_id``;
* ``GET /api/documents/{id}`` — a version's summary; ``GET /api/documents/{id}/findings`` — its
  findings, each with its places and its reviewer's mark.

A department user sees and uploads only its own department's documents, as on the pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..store.accounts import User
from ..store.store import MARK_LABELS
from .auth import current_user, version_or_404
from .files import Refused
from .upload import accept, findings_with_marks, upload_csrf, visible_upload

router = APIRouter(prefix="/api", tags=["api"])


class UploadStatus(BaseModel):
    """An upload and how far it is."""
    id: int = Field(description="上传编号")
    file_name: str = Field(description="上传的文件名")
    size: int = Field(description="字节数")
    sha256: str
    state: str = Field(description="queued 排队中 / running 处理中 / done 完成 / failed 失败")
    progress: int = Field(description="进度 0–100")
    message: str | None = Field(None, description="进行到哪一步，或失败的原因（中文）")
    version_id: int | None = Field(None, description="完成后：文档（版本）编号")
    url: str = Field(description="查询进度的地址")
    document_url: str | None = Field(None, description="完成后：文档概要的地址")
    created_at: datetime
    finished_at: datetime | None = None


class VersionSummary(BaseModel):
    """One version of a disclosure: the unit, year, how it was read, its status and counts."""
    id: int
    number: int = Field(description="同一单位同一年度的第几版")
    entity: str
    region: str | None = None
    year: int
    kind: str = Field(description="final 决算 / budget 预算")
    title: str
    origin: str = Field(description="built 由数据生成 / parsed 由已公开文件读取")
    variant: str | None = Field(None, description="表式")
    status: str = Field(description="error 有错误 / warning 有警告 / ok 通过")
    errors: int
    warnings: int
    infos: int
    file: str
    format: str
    sha256: str
    imported_at: datetime
    findings_url: str


class Mark(BaseModel):
    state: str = Field(description="confirmed 已确认 / dismissed 已驳回 / fixed 已修改")
    state_text: str
    reason: str | None = None
    user_name: str
    at: datetime


class FindingOut(BaseModel):
    """A finding: the rule, its severity, what it says, the figures, where (places), its mark."""
    rule: str
    severity: str = Field(description="error / warning / info")
    message: str
    figures: list[Any]
    places: list[dict[str, Any]] = Field(description="表、行、列、页、框、句子……（Place 的字段）")
    fingerprint: str = Field(description="同一问题在各版本中的标识")
    mark: Mark | None = None


def _status(row: dict[str, Any]) -> UploadStatus:
    vid = row["version_id"]
    return UploadStatus(**{k: row[k] for k in ("id", "file_name", "size", "sha256", "state", "progress", "message",
                                               "version_id", "created_at", "finished_at")},
                        url=f"/api/uploads/{row['id']}", document_url=f"/api/documents/{vid}" if vid else None)


@router.post("/documents", summary="上传一份文档（multipart 字段 file），后台读取与审核", status_code=202,
             response_model=UploadStatus,
             responses={400: {"description": "文件无法使用（类型、内容）"},
                        403: {"description": "无权上传或 CSRF 校验失败"}, 413: {"description": "文件过大"},
                        415: {"description": "不支持的文件类型"}})
async def upload_document(request: Request, user: User = Depends(upload_csrf)):
    try:
        got = await accept(request, user)
    except Refused as r:
        return JSONResponse({"detail": r.message}, status_code=r.status)
    return JSONResponse(_status(got.upload).model_dump(mode="json"), status_code=202)


@router.get("/uploads/{upload_id}", summary="一次上传的进度", response_model=UploadStatus)
def upload_state(request: Request, upload_id: int, user: User = Depends(current_user)):
    return _status(visible_upload(request, user, upload_id))


@router.get("/documents/{version_id}", summary="一份文档（一个版本）的概要", response_model=VersionSummary)
def document(request: Request, version_id: int, user: User = Depends(current_user)):
    v = version_or_404(request, user, version_id)
    return VersionSummary(**{k: v.get(k) for k in VersionSummary.model_fields if k not in ("findings_url",)},
                          findings_url=f"/api/documents/{version_id}/findings")


@router.get("/documents/{version_id}/findings", summary="一份文档的审核意见（含位置与标记）",
            response_model=list[FindingOut])
def findings(request: Request, version_id: int, user: User = Depends(current_user)):
    version_or_404(request, user, version_id)
    out = []
    for f in findings_with_marks(request.app.state.store, version_id):
        m = f["mark"]
        out.append(FindingOut(rule=f["rule"], severity=f["severity"], message=f["message"], figures=f["figures"],
                              places=f["places"], fingerprint=f["fingerprint"],
                              mark=Mark(state=m["state"], state_text=MARK_LABELS.get(m["state"], m["state"]),
                                        reason=m["reason"], user_name=m["user_name"], at=m["at"]) if m else None))
    return out
