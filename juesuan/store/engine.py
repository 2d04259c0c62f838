"""Where the store is and how it is opened: URL, engine, migrations, retries.

* :func:`resolve_url` — ``--db`` as given (a path or an URL), else ``$JUESUAN_DB``, else
  ``juesuan.db`` in the user's data directory (platformdirs).
* :func:`open_engine` — an engine for it; SQLite in WAL mode with a busy timeout, every write
  transaction begun with ``BEGIN IMMEDIATE`` (one writer at a time, the others wait instead of
  failing half-way); PostgreSQL through psycopg 3. The schema is upgraded to the newest
  migration on open (Alembic, shipped in ``migrations/``), under a lock, so an empty or old
  database is brought up to date by whichever process opens it first.
* :func:`retrying` — run a write transaction again when another writer got in the way (SQLite
  still busy after the timeout, a unique key taken by a concurrent import on PostgreSQL).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url

from ..errors import JuesuanError

__all__ = ["StoreError", "resolve_url", "open_engine", "migrate", "retrying", "display_url", "HEAD"]

T = TypeVar("T")

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0006"
BUSY_TIMEOUT_MS = 30_000


class StoreError(JuesuanError):
    """The store cannot be opened or written: the message says which and what to do."""


def default_path() -> Path:
    from platformdirs import user_data_dir
    return Path(user_data_dir("juesuan", appauthor=False)) / "juesuan.db"


def resolve_url(db: str | os.PathLike | None = None) -> URL:
    """The store's URL: ``db`` (a path or an URL), else ``$JUESUAN_DB``, else the default file.
    ``postgresql://`` means psycopg 3."""
    given = os.fspath(db) if db is not None else os.environ.get("JUESUAN_DB") or None
    if given is None:
        path = default_path()
    elif "://" in given:
        try:
            url = make_url(given)
        except Exception:
            raise StoreError(f"数据库地址无法识别：{given}"
                             "（应为文件路径、sqlite:///路径 或 postgresql://用户:密码@主机/库名）") from None
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        if not url.drivername.startswith(("sqlite", "postgresql")):
            raise StoreError(f"不支持的数据库：{url.drivername}（支持 SQLite 文件和 PostgreSQL）")
        return url
    else:
        path = Path(given)
    path = path.expanduser().absolute()
    if path.is_dir():
        raise StoreError(f"{path} 是一个目录：--db 应为数据库文件的路径（如 {path / 'juesuan.db'}）")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"无法创建数据库所在目录 {path.parent}：{e.strerror or e}") from None
    return URL.create("sqlite+pysqlite", database=str(path))


def display_url(url: URL) -> str:
    """The URL as shown to a user: the file of SQLite, the server and database without password."""
    if url.drivername.startswith("sqlite"):
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None        # we emit BEGIN ourselves (below)
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")       # readers never wait for the writer
        cur.execute("PRAGMA synchronous = NORMAL")     # safe in WAL: a power cut loses at most the last commit
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # a write takes the write lock at once: two writers never both read, then both try to
        # upgrade (which SQLite refuses without waiting); readers begin deferred
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("readonly") else "BEGIN IMMEDIATE")


def open_engine(url: URL, upgrade: bool = True) -> Engine:
    """An engine for ``url``, its schema brought up to date (``upgrade``)."""
    kw: dict = {}
    if url.drivername.startswith("sqlite"):
        kw["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
    else:
        kw["pool_pre_ping"] = True
    try:
        engine = sa.create_engine(url, **kw)
    except ImportError as e:   # pragma: no cover - psycopg missing from an incomplete install
        raise StoreError(f"缺少数据库驱动：{e}（请重新安装 juesuan）") from None
    if url.drivername.startswith("sqlite"):
        _sqlite_events(engine)
    try:
        if upgrade:
            migrate(engine)
        else:
            with engine.connect():
                pass
    except sa.exc.DBAPIError as e:
        engine.dispose()
        raise StoreError(f"无法打开数据库 {display_url(url)}：{_reason(e)}") from None
    return engine


def _reason(e: sa.exc.DBAPIError) -> str:
    text = str(getattr(e, "orig", e)).strip().splitlines()
    first = text[0] if text else str(e)
    if "connection refused" in first.lower() or "could not connect" in first.lower() \
            or "connection failed" in first.lower():
        return f"连接不上数据库服务器（{first}）：请确认服务器已启动、地址和端口正确"
    if "password authentication failed" in first.lower():
        return "用户名或密码不对"
    if "does not exist" in first.lower():
        return f"{first}：请先创建该数据库"
    if "unable to open database file" in first.lower():
        return "无法创建或打开数据库文件：请检查路径和写入权限"
    if "not a database" in first.lower():
        return "这个文件不是 SQLite 数据库：请换一个 --db 路径"
    if "locked" in first.lower() or "busy" in first.lower():
        return "数据库正被其他进程长时间占用：请稍后再试"
    return first


def _alembic_config(connection):
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext
    with engine.connect().execution_options(readonly=True) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` (an empty database: create it). Cheap when it is already
    there (one read); otherwise in one transaction under the database's write lock, so that two
    processes opening an empty database at once create it once."""
    current = current_revision(engine)
    if revision == "head" and current == HEAD:
        return
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError
    with engine.connect() as conn:
        cfg = _alembic_config(conn)
        known = {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}
        if current is not None and current not in known:
            raise StoreError(f"数据库 {display_url(engine.url)} 的结构版本 {current} 比本程序新："
                             "请升级 juesuan 后再打开")
        try:
            command.upgrade(cfg, revision)
        except CommandError as e:  # pragma: no cover - a broken migration script
            raise StoreError(f"无法升级数据库结构：{e}") from None
        conn.commit()


_RETRY_PG = ("40001", "40P01", "23505")   # serialization failure, deadlock, unique key taken meanwhile


def _transient(e: Exception) -> bool:
    if isinstance(e, sa.exc.IntegrityError):
        return True
    if isinstance(e, sa.exc.OperationalError):
        text = str(e.orig).lower()
        if "locked" in text or "busy" in text:
            return True
    code = getattr(getattr(e, "orig", None), "sqlstate", None)
    return code in _RETRY_PG


def retrying(work: Callable[[], T], attempts: int = 8) -> T:
    """``work()`` (one transaction), again when another writer got in its way: a unique key a
    concurrent import took first (its next attempt finds that row), SQLite busy beyond the
    timeout, a PostgreSQL serialization failure or deadlock. Anything else is raised at once."""
    for attempt in range(attempts):
        try:
            return work()
        except sa.exc.DBAPIError as e:
            if attempt == attempts - 1 or not _transient(e):
                raise
            time.sleep(min(2.0, 0.05 * 2 ** attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")  # pragma: no cover
