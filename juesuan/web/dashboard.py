"""The dashboard of a region and year: every department, its status, figures, history (docs/web.md)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ..store.accounts import User
from .auth import current_user
from .templating import page

router = APIRouter()


@router.get("/dashboard", include_in_schema=False)
def dashboard(request: Request, user: User = Depends(current_user)):
    store = request.app.state.store
    rows = store.versions()
    return page(request, "dashboard.html", rows=rows)
