"""The web's accounts, sessions and audit log, kept in the store (issue 17; docs/web.md).

* users: a name, a role (:data:`~juesuan.store.schema.ROLES`), a department user's department
  (the entity name it may see), an argon2id hash of the password;
* sessions: the SHA-256 of a random token (the cookie holds the token; the store never does),
  its CSRF token and when it expires;
* the audit log: every login (and failed one), logout, upload, mark, status change and account
  change, with who, when, from where and what.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from .engine import retrying
from .schema import ROLES, audit_log, sessions, users

__all__ = ["User", "Accounts", "AccountError"]


class AccountError(ValueError):
    """An account cannot be made or changed as asked: the message says why (in Chinese)."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str                    # admin / reviewer / department
    department: str | None       # a department user's entity name

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_text(self) -> str:
        return ROLE_TEXT[self.role]


ROLE_TEXT = {"admin": "管理员", "reviewer": "审核人员", "department": "部门用户"}


def _now() -> datetime:
    return datetime.now(UTC)


def _hasher():
    from argon2 import PasswordHasher
    return PasswordHasher()


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row) -> User:
    return User(row.id, row.name, row.role, row.department)


class Accounts:
    """Accounts over a store's engine."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    # ------------------------------------------------------------------------ users

    def add(self, name: str, role: str, password: str, department: str | None = None) -> User:
        name = name.strip()
        if not name or len(name) > 64:
            raise AccountError("用户名不能为空，且不超过 64 个字符")
        if role not in ROLES:
            raise AccountError(f"未知的角色：{role}（可选：admin 管理员、reviewer 审核人员、department 部门用户）")
        if role == "department" and not (department or "").strip():
            raise AccountError("部门用户须指定所属部门（--department 部门名称）")
        if role != "department":
            department = None
        if len(password) < 8:
            raise AccountError("密码至少 8 个字符")
        hashed = _hasher().hash(password)

        def work() -> User:
            with self.engine.begin() as conn:
                if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
                    raise AccountError(f"用户 {name} 已存在")
                uid = conn.execute(users.insert().values(
                    name=name, role=role, department=department, password_hash=hashed, active=1,
                    created_at=_now())).inserted_primary_key[0]
            return User(uid, name, role, department)
        return retrying(work)

    def get(self, name: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name, users.c.active == 1)).first()
        return _user(row) if row else None

    def list(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(users).order_by(users.c.id)).mappings().all()
        return [{k: v for k, v in r.items() if k != "password_hash"} for r in rows]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one()

    def verify(self, name: str, password: str) -> User | None:
        """The user, when the name exists, is active and the password is right; else None (the
        same time is spent on a name that does not exist)."""
        from argon2.exceptions import VerificationError, VerifyMismatchError
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name, users.c.active == 1)).first()
        ph = _hasher()
        if row is None:
            try:
                ph.verify(_DUMMY_HASH, password)
            except (VerifyMismatchError, VerificationError):
                pass
            return None
        try:
            ph.verify(row.password_hash, password)
        except (VerifyMismatchError, VerificationError):
            return None
        return _user(row)

    # ------------------------------------------------------------------------ sessions

    def open_session(self, user: User, minutes: int) -> tuple[str, str]:
        """A new session for ``user``: (the cookie's token, the CSRF token)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(sessions.insert().values(id=_token_id(token), user_id=user.id, csrf=csrf, created_at=now,
                                                  expires_at=now + timedelta(minutes=minutes)))
        return token, csrf

    def session(self, token: str) -> tuple[User, str] | None:
        """The user and CSRF token of a live session, or None (unknown or expired)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(users, sessions.c.csrf, sessions.c.expires_at)
                .join(sessions, sessions.c.user_id == users.c.id)
                .where(sessions.c.id == _token_id(token), users.c.active == 1)).first()
        if row is None:
            return None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        if expires <= _now():
            return None
        return _user(row), row.csrf

    def close_session(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.id == _token_id(token)))

    # ------------------------------------------------------------------------ audit log

    def log(self, action: str, user: str | None = None, target: str | None = None,
            detail: dict[str, Any] | None = None, ip: str | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(audit_log.insert().values(at=_now(), user_name=user, action=action, target=target,
                                                   detail=detail, ip=ip))

    def log_rows(self, limit: int = 500) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(
                sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).mappings()]


_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$KExS8jFVIqddv6F6NehEqw$wOsByldYtJGOygdw1rsB971RD/DLzh9Wm8pq8m9gxQQ"
