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

__all__ = ["User", "Accounts", "AccountError", "ROLE_TEXT", "ROLE_NAMES", "check_password"]


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
# a role as given: its code or its Chinese name
ROLE_NAMES = {**{v: k for k, v in ROLE_TEXT.items()}, **{k: k for k in ROLE_TEXT}}
MIN_PASSWORD = 8


def check_password(password: str) -> str:
    """``password`` when it may be one (else AccountError saying why)."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符")
    if len(password) > 1024:
        raise AccountError("密码不能超过 1024 个字符")
    return password


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
        if any(c.isspace() or not c.isprintable() for c in name):
            raise AccountError("用户名不能含空格或控制字符")
        role = ROLE_NAMES.get(role.strip(), role.strip())
        if role not in ROLES:
            raise AccountError(f"未知的角色：{role}（可选：admin 管理员、reviewer 审核人员、department 部门用户）")
        department = (department or "").strip() or None
        if role == "department" and not department:
            raise AccountError("部门用户须指定所属部门（--department 部门名称，与文档中的单位名称一致）")
        if role != "department":
            department = None
        hashed = _hasher().hash(check_password(password))

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

    def find(self, key: int | str) -> dict[str, Any] | None:
        """The account with this id (an int) or name (a str), active or not, without its hash."""
        where = users.c.id == key if isinstance(key, int) else users.c.name == key
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(where)).mappings().first()
        return {k: v for k, v in row.items() if k != "password_hash"} if row else None

    def list(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(users).order_by(users.c.id)).mappings().all()
        return [{k: v for k, v in r.items() if k != "password_hash"} for r in rows]

    def set_active(self, user_id: int, active: bool) -> dict[str, Any]:
        """Enable or disable an account; disabling ends its sessions. The last active
        administrator cannot be disabled (nobody could manage the accounts then)."""
        def work() -> dict[str, Any]:
            with self.engine.begin() as conn:
                row = conn.execute(sa.select(users).where(users.c.id == user_id)).mappings().first()
                if row is None:
                    raise AccountError(f"没有 ID 为 {user_id} 的用户")
                if not active and row["role"] == "admin" and row["active"]:
                    others = conn.execute(sa.select(sa.func.count()).select_from(users).where(
                        users.c.role == "admin", users.c.active == 1, users.c.id != user_id)).scalar_one()
                    if not others:
                        raise AccountError(f"{row['name']} 是唯一启用的管理员，不能停用（先添加另一位管理员）")
                conn.execute(users.update().where(users.c.id == user_id).values(active=1 if active else 0))
                if not active:
                    conn.execute(sessions.delete().where(sessions.c.user_id == user_id))
            return {k: v for k, v in row.items() if k != "password_hash"}
        return retrying(work)

    def set_password(self, user_id: int, password: str, keep_session: str | None = None) -> dict[str, Any]:
        """A new password for an account; its sessions end (but ``keep_session``, a cookie's token:
        the administrator who changes their own password stays logged in)."""
        hashed = _hasher().hash(check_password(password))

        def work() -> dict[str, Any]:
            with self.engine.begin() as conn:
                row = conn.execute(sa.select(users).where(users.c.id == user_id)).mappings().first()
                if row is None:
                    raise AccountError(f"没有 ID 为 {user_id} 的用户")
                conn.execute(users.update().where(users.c.id == user_id).values(password_hash=hashed))
                gone = sessions.delete().where(sessions.c.user_id == user_id)
                if keep_session:
                    gone = gone.where(sessions.c.id != _token_id(keep_session))
                conn.execute(gone)
            return {k: v for k, v in row.items() if k != "password_hash"}
        return retrying(work)

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

    def purge_sessions(self) -> int:
        """Forget the expired sessions (run at each login); how many there were."""
        with self.engine.begin() as conn:
            return conn.execute(sessions.delete().where(sessions.c.expires_at <= _now())).rowcount or 0

    # ------------------------------------------------------------------------ audit log

    def log(self, action: str, user: str | None = None, target: str | None = None,
            detail: dict[str, Any] | None = None, ip: str | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(audit_log.insert().values(at=_now(), user_name=user, action=action, target=target,
                                                   detail=detail, ip=ip))

    def log_rows(self, limit: int | None = 500, action: str | None = None, user: str | None = None,
                 before: int | None = None) -> list[dict[str, Any]]:
        """The audit log, newest first: at most ``limit`` lines (None: all), of ``action`` and by
        ``user`` when given (a failed login, by nobody, counts as by the name it tried), with an
        id below ``before`` (the next page)."""
        q = sa.select(audit_log).order_by(audit_log.c.id.desc())
        if action:
            q = q.where(audit_log.c.action == action)
        if user:
            q = q.where(sa.or_(audit_log.c.user_name == user,
                               sa.and_(audit_log.c.user_name.is_(None), audit_log.c.target == user)))
        if before is not None:
            q = q.where(audit_log.c.id < before)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def log_actions(self) -> list[str]:
        """The actions the audit log holds (for its filter)."""
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(audit_log.c.action).distinct().order_by(audit_log.c.action)).scalars())


_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$KExS8jFVIqddv6F6NehEqw$wOsByldYtJGOygdw1rsB971RD/DLzh9Wm8pq8m9gxQQ"
