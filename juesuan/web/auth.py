"""Logins, sessions, roles, CSRF and the audit log of the web (docs/web.md).

* A session is a random token in an HttpOnly, SameSite=Lax cookie; the store keeps its SHA-256,
  its CSRF token and when it expires (:class:`~juesuan.store.accounts.Accounts`).
* Every page and API call but the login needs a user: :func:`current_user` (a page without
  one is sent to the login page, an API call gets 401). :func:`require` narrows to roles.
* Every POST needs the session's CSRF token: a form's ``csrf_token`` field or the
  ``X-CSRF-Token`` header (htmx sends it from ``<body hx-headers>``; ``POST /api/login``
  returns it to API clients). :func:`csrf` checks it.
* Roles: ``admin`` (everything, accounts, the audit log), ``reviewer`` (every department,
  read and mark), ``department`` (its own department only: upload, read). What a user may see:
  :func:`can_see_version` (one version), :func:`visible_versions` (a list of them),
  :func:`visible_entity_ids` (for a query); who may mark: :func:`may_mark`, :data:`require_mark`.
* Failed logins are limited per name and per address (:class:`LoginLimiter`, its clock
  injectable for tests).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel

from ..store.accounts import Accounts, User
from ..store.schema import entities
from .templating import page

__all__ = ["router", "install", "current_user", "require", "require_admin", "require_mark", "csrf", "can_see",
           "can_see_version", "may_upload_for", "version_or_404", "visible_versions", "visible_entity_ids",
           "may_mark", "audit", "COOKIE", "LoginLimiter"]

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


require_admin = require("admin")
require_mark = require("admin", "reviewer")   # marking findings: reviewers and administrators


def may_mark(user: User | None) -> bool:
    """May ``user`` mark findings (confirmed / dismissed / fixed)? Reviewers and administrators."""
    return user is not None and user.role in ("admin", "reviewer")


def can_see(user: User, entity_name: str | None) -> bool:
    """May ``user`` see a document of the entity named ``entity_name``? By the name alone: a
    department user sees its department's own documents (:func:`can_see_version` also those of
    the units under it)."""
    if user.role in ("admin", "reviewer"):
        return True
    return bool(entity_name) and entity_name == user.department


_PARENT = entities.alias("parent")


def can_see_version(store, user: User, v: dict[str, Any]) -> bool:
    """May ``user`` see the version ``v`` (a row of ``Store.versions``/``Store.version``)?
    Administrators and reviewers: every one. A department user: a version of the entity named as
    its department, or of a unit whose parent entity (``entities.parent_id``) is that department.
    No query in the usual cases; one small one when the parent's name matches (is it a department,
    or a region of that name?)."""
    if user.role in ("admin", "reviewer"):
        return True
    dept = user.department
    if not dept:
        return False
    if v.get("entity") == dept:
        return True
    if v.get("region") != dept:   # the row's "region" is the name of the entity's parent
        return False
    return v.get("entity_id") in visible_entity_ids(store, user, [v.get("entity_id")])


def may_upload_for(store, user: User, entity_name: str) -> bool:
    """May ``user`` add a version of the entity named ``entity_name``? Administrators: any; a
    department user: its department, or a unit the store files under its department (as it
    may see them: :func:`can_see_version`); reviewers do not upload."""
    if user.role == "admin":
        return True
    if user.role != "department" or not user.department:
        return False
    if entity_name == user.department:
        return True
    e = entities
    q = (sa.select(e.c.id).select_from(e.join(_PARENT, _PARENT.c.id == e.c.parent_id))
         .where(e.c.name == entity_name, _PARENT.c.name == user.department, _PARENT.c.kind == "department"))
    with store.engine.connect().execution_options(readonly=True) as conn:
        return conn.execute(q).first() is not None


def version_or_404(request: Request, user: User, version_id: int) -> dict[str, Any]:
    """The version ``version_id`` (a row of ``Store.version``), which ``user`` may see; else 404
    (whether it exists is not told to who may not see it)."""
    store = request.app.state.store
    v = store.version(version_id)
    if v is None or not can_see_version(store, user, v):
        raise HTTPException(404, "没有这份文档，或您无权查看")
    return v


def visible_entity_ids(store, user: User, among: Iterable[int] | None = None) -> set[int] | None:
    """The ids of the entities whose documents ``user`` may see (``among`` these, when given), or
    None: every one (administrators, reviewers). One query."""
    if user.role in ("admin", "reviewer"):
        return None
    if not user.department:
        return set()
    e = entities
    q = (sa.select(e.c.id).select_from(e.outerjoin(_PARENT, _PARENT.c.id == e.c.parent_id))
         .where(sa.or_(e.c.name == user.department,
                       sa.and_(_PARENT.c.name == user.department, _PARENT.c.kind == "department"))))
    if among is not None:
        among = [i for i in among if i is not None]
        if not among:
            return set()
        q = q.where(e.c.id.in_(among))
    with store.engine.connect().execution_options(readonly=True) as conn:
        return set(conn.execute(q).scalars())


def visible_versions(store, user: User, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Those of ``rows`` (versions, as ``Store.versions`` gives them) that ``user`` may see."""
    if user.role in ("admin", "reviewer"):
        return rows
    ids = visible_entity_ids(store, user, {r.get("entity_id") for r in rows
                                           if r.get("entity") != user.department})
    return [r for r in rows if r.get("entity") == user.department or r.get("entity_id") in ids]


def audit(request: Request, action: str, target: str | None = None, detail: dict[str, Any] | None = None,
          user: str | None = None) -> None:
    """One line of the audit log, by the request's user (or ``user``), from its address."""
    who = user or (request.state.user.name if getattr(request.state, "user", None) else None)
    accounts(request).log(action, who, target, detail, request.client.host if request.client else None)


class LoginLimiter:
    """At most ``attempts`` failed logins per name and per address in ``window`` seconds; then
    every login of that name, or from that address, is refused — even with the right password —
    until the oldest failure is ``window`` seconds old. ``clock``: seconds (tests move it)."""

    def __init__(self, attempts: int, window: int, clock: Callable[[], float] = time.monotonic):
        self.attempts, self.window, self.clock = attempts, window, clock
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()     # the pages' handlers run in a thread pool

    def _recent(self, key: str) -> deque[float]:
        now = self.clock()
        q = self.failures.get(key)
        if q is None:
            return deque()
        while q and q[0] <= now - self.window:
            q.popleft()
        if not q:
            del self.failures[key]
        return q

    def blocked(self, name: str, ip: str) -> bool:
        with self.lock:
            return any(len(self._recent(k)) >= self.attempts for k in (f"u:{name}", f"a:{ip}"))

    def failed(self, name: str, ip: str) -> None:
        with self.lock:
            now = self.clock()
            for k in (f"u:{name}", f"a:{ip}"):
                self.failures[k].append(now)
            if len(self.failures) > 100_000:   # bounded memory under a flood of names: keep the recent
                for k in list(self.failures):
                    self._recent(k)

    def succeeded(self, name: str) -> None:
        with self.lock:
            self.failures.pop(f"u:{name}", None)

    @property
    def wait_text(self) -> str:
        minutes = -(-self.window // 60)
        return f"{minutes} 分钟" if self.window >= 60 else f"{self.window} 秒"


def _login(request: Request, name: str, password: str) -> tuple[User | None, str | None]:
    """(the user, None) or (None, why not, in Chinese)."""
    ip = request.client.host if request.client else "?"
    limiter: LoginLimiter = request.app.state.limiter
    if limiter.blocked(name, ip):
        audit(request, "login_blocked", target=name[:64], detail={"name": name[:64]}, user=None)
        return None, f"登录失败次数过多，请 {limiter.wait_text}后再试"
    user = accounts(request).verify(name, password)
    if user is None:
        limiter.failed(name, ip)
        audit(request, "login_failed", target=name[:64], detail={"name": name[:64]}, user=None)
        return None, "用户名或密码错误（或账户已停用）"
    limiter.succeeded(name)
    accounts(request).purge_sessions()
    audit(request, "login", user=user.name)
    return user, None


def _set_cookie(request: Request, response, user: User) -> str:
    """A new session (never the one the request came with: that one ends) in the cookie."""
    s = request.app.state.settings
    old = request.cookies.get(COOKIE)
    if old:
        accounts(request).close_session(old)
    token, csrf_token = accounts(request).open_session(user, s.session_minutes)
    response.set_cookie(COOKIE, token, max_age=s.session_minutes * 60, httponly=True, samesite="lax",
                        secure=s.secure_cookies)
    return csrf_token


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/dashboard"


def _login_page(request: Request, next: str | None, error: str | None, status_code: int = 200):
    limiter: LoginLimiter = request.app.state.limiter
    return page(request, "login.html", status_code, next=_safe_next(next), error=error, attempts=limiter.attempts,
                wait=limiter.wait_text)


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str | None = None):
    return _login_page(request, next, None)


@router.post("/login", include_in_schema=False)
def login_form(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("")):
    user, why = _login(request, username.strip(), password)
    if user is None:
        return _login_page(request, next, why, 401)
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
