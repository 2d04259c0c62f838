"""Logins, sessions, roles, CSRF and the audit log of the web (docs/web.md).

* A session is a random token in an HttpOnly, SameSite=Lax cookie; the store keeps its SHA-256,
  its CSRF token and when it expires (:class:`~juesuan.store.accounts.Accounts`).
* Every page and API call but the login needs a user: :func:`current_user` (a page without
  one is sent to the login page, an API call gets 401). :func:`require` narrows to roles.
* Every POST needs the session's CSRF token: a form's ``csrf_token`` field or the
  ``X-CSRF-Token`` header (htmx sends it from ``<body hx-headers>``; ``POST /api/login``
  returns it to API clients). :func:`csrf` checks it.
* Roles: ``admin`` (everything, accounts, the audit log), ``reviewer`` (every department,
  read and mark), ``department`` (its own department only: upload, read): :func:`can_see`.
* Failed logins are limited per name and per address (:class:`LoginLimiter`).
"""

from __future__ import annotations

import hmac
import time
from collections import defaultdict, deque
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel

from ..store.accounts import Accounts, User
from .templating import page

__all__ = ["router", "install", "current_user", "require", "csrf", "can_see", "audit", "COOKIE"]

COOKIE = "juesuan_session"
router = APIRouter()


class LoginRequired(Exception):
    """No live session: a page goes to the login page, an API call gets 401."""


def accounts(request: Request) -> Accounts:
    return request.app.state.accounts


def install(app: FastAPI) -> None:
    """The session middleware and the handler of :class:`LoginRequired`."""

    @app.middleware("http")
    async def session(request: Request, call_next):
        request.state.user, request.state.csrf = None, ""
        token = request.cookies.get(COOKIE)
        if token:
            found = accounts(request).session(token)
            if found is not None:
                request.state.user, request.state.csrf = found
        return await call_next(request)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "未登录或登录已过期"}, status_code=401)
        if request.headers.get("HX-Request"):
            return JSONResponse({"detail": "未登录或登录已过期"}, status_code=401,
                                headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    app.state.limiter = LoginLimiter(app.state.settings.login_attempts, app.state.settings.login_window_seconds)


def current_user(request: Request) -> User:
    user = getattr(request.state, "user", None)
    if user is None:
        raise LoginRequired()
    return user


def require(*roles: str):
    """A dependency: the user, who must have one of ``roles`` (else 403)."""
    def dep(user: User = Depends(current_user)) -> User:
        if user.role not in roles:
            raise HTTPException(403, "无权进行此操作")
        return user
    return dep


async def csrf(request: Request, user: User = Depends(current_user)) -> User:
    """A dependency of every POST: the session's CSRF token, from the form or the header (else 403)."""
    sent = request.headers.get("X-CSRF-Token")
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get("csrf_token")
    if not sent or not hmac.compare_digest(str(sent), request.state.csrf):
        raise HTTPException(403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")
    return user


def can_see(user: User, entity_name: str | None) -> bool:
    """May ``user`` see a document of ``entity_name``? A department user: only its department
    (and the units under it, whose names the store records under that department)."""
    if user.role in ("admin", "reviewer"):
        return True
    return bool(entity_name) and entity_name == user.department


def audit(request: Request, action: str, target: str | None = None, detail: dict[str, Any] | None = None,
          user: str | None = None) -> None:
    """One line of the audit log, by the request's user (or ``user``), from its address."""
    who = user or (request.state.user.name if getattr(request.state, "user", None) else None)
    accounts(request).log(action, who, target, detail, request.client.host if request.client else None)


class LoginLimiter:
    """At most ``attempts`` failed logins per name and per address in ``window`` seconds."""

    def __init__(self, attempts: int, window: int):
        self.attempts, self.window = attempts, window
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        q, now = self.failures[key], time.monotonic()
        while q and q[0] < now - self.window:
            q.popleft()
        return q

    def blocked(self, name: str, ip: str) -> bool:
        return any(len(self._recent(k)) >= self.attempts for k in (f"u:{name}", f"a:{ip}"))

    def failed(self, name: str, ip: str) -> None:
        for k in (f"u:{name}", f"a:{ip}"):
            self.failures[k].append(time.monotonic())

    def succeeded(self, name: str) -> None:
        self.failures.pop(f"u:{name}", None)


def _login(request: Request, name: str, password: str) -> tuple[User | None, str | None]:
    """(the user, None) or (None, why not, in Chinese)."""
    ip = request.client.host if request.client else "?"
    limiter: LoginLimiter = request.app.state.limiter
    if limiter.blocked(name, ip):
        audit(request, "login_blocked", detail={"name": name}, user=None)
        return None, "登录失败次数过多，请 5 分钟后再试"
    user = accounts(request).verify(name, password)
    if user is None:
        limiter.failed(name, ip)
        audit(request, "login_failed", detail={"name": name})
        return None, "用户名或密码错误"
    limiter.succeeded(name)
    audit(request, "login", user=user.name)
    return user, None


def _set_cookie(request: Request, response, user: User) -> str:
    s = request.app.state.settings
    token, csrf_token = accounts(request).open_session(user, s.session_minutes)
    response.set_cookie(COOKIE, token, max_age=s.session_minutes * 60, httponly=True, samesite="lax",
                        secure=s.secure_cookies)
    return csrf_token


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/dashboard"


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str | None = None):
    return page(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login", include_in_schema=False)
def login_form(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("")):
    user, why = _login(request, username.strip(), password)
    if user is None:
        return page(request, "login.html", next=_safe_next(next), error=why, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_cookie(request, response, user)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, user: User = Depends(csrf)):
    token = request.cookies.get(COOKIE)
    if token:
        accounts(request).close_session(token)
    audit(request, "logout")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


class Credentials(BaseModel):
    username: str
    password: str


@router.post("/api/login", tags=["api"], summary="登录：设置会话 cookie，返回用户与 CSRF 令牌")
def api_login(request: Request, body: Credentials):
    user, why = _login(request, body.username.strip(), body.password)
    if user is None:
        return JSONResponse({"detail": why}, status_code=401)
    response = JSONResponse({"username": user.name, "role": user.role, "department": user.department})
    csrf_token = _set_cookie(request, response, user)
    response.body = response.render({"username": user.name, "role": user.role, "department": user.department,
                                     "csrf_token": csrf_token})
    response.headers["content-length"] = str(len(response.body))
    return response
