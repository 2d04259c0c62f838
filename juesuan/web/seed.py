"""What a new installation starts with (docs/web.md, "账户、角色与安全"):

* :func:`first_admin` — a store without any account gets the administrator ``admin``, whose
  password is ``$JUESUAN_ADMIN_PASSWORD`` or, when that is not set, a generated one that the
  console shows once;
* :func:`start_seeding` — a store without any version gets the bundled example
  (``examples/hanyang-bdc-2023``) and the sample documents (``tests/fixtures/samples/*.pdf``,
  ``*.txt``) of a repository checkout, read in the background by the batch machinery (worker
  processes, each document bounded in time and memory), so that the server answers at once and
  a new user sees something real soon after. What is not there (an installed package without
  the repository) is quietly skipped.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..store import Store
from ..store.accounts import AccountError, Accounts

__all__ = ["FirstAdmin", "first_admin", "seed_paths", "Seeding", "start_seeding", "ADMIN", "ADMIN_ENV"]

ADMIN = "admin"
ADMIN_ENV = "JUESUAN_ADMIN_PASSWORD"


@dataclass(frozen=True)
class FirstAdmin:
    name: str
    password: str = field(repr=False)
    generated: bool           # True: made here (show it once); False: from $JUESUAN_ADMIN_PASSWORD (never show it)


def first_admin(accounts: Accounts, environ: Mapping[str, str] | None = None) -> FirstAdmin | None:
    """The administrator ``admin`` made when the store has no account yet, or None (it has one).
    Raises :class:`AccountError` when ``$JUESUAN_ADMIN_PASSWORD`` is too short."""
    environ = os.environ if environ is None else environ
    if accounts.count():
        return None
    given = environ.get(ADMIN_ENV) or None
    password = given or secrets.token_urlsafe(12)
    try:
        accounts.add(ADMIN, "admin", password)
    except AccountError as e:
        if accounts.count():       # another server made it meanwhile
            return None
        raise AccountError(f"环境变量 {ADMIN_ENV} 不能用作管理员密码：{e}") from None
    accounts.log("user_add", None, ADMIN, {"role": "admin", "via": "首次启动",
                                            "password": "生成" if given is None else f"取自 {ADMIN_ENV}"})
    return FirstAdmin(ADMIN, password, given is None)


def seed_paths(root: Path | None = None) -> list[Path]:
    """The bundled example and the sample documents beside the package (a repository checkout), in
    that order; [] for an installed package without them."""
    if root is None:
        import juesuan
        root = Path(juesuan.__file__).resolve().parents[1]
    found: list[Path] = []
    example = root / "examples" / "hanyang-bdc-2023"
    if (example / "disclosure.yaml").is_file():
        found.append(example)
    samples = root / "tests" / "fixtures" / "samples"
    if samples.is_dir():
        found += sorted(p for p in samples.iterdir() if p.is_file() and p.suffix.lower() in (".pdf", ".txt"))
    return found


class Seeding:
    """The background import of :func:`seed_paths` into an empty store (a daemon thread)."""

    def __init__(self, store: Store, paths: list[Path], jobs: int = 1, timeout: float = 300):
        self.store, self.paths, self.jobs, self.timeout = store, paths, jobs, timeout
        self.loaded = 0
        self.failed: list[tuple[Path, str]] = []
        self.error: str | None = None
        self.done = threading.Event()
        self._lock = threading.Lock()
        self._listeners: list[Callable[[Seeding], None]] = []
        self.thread = threading.Thread(target=self._run, name="juesuan-seed", daemon=True)

    def start(self) -> Seeding:
        self.thread.start()
        return self

    def _run(self) -> None:
        from ..batch.run import REASONS, run
        try:
            result = run(self.paths, self.store, jobs=self.jobs, timeout=self.timeout)
            self.loaded = sum(1 for i in result.items if i.outcome in ("new", "version", "unchanged"))
            self.failed = [(i.path, REASONS.get(i.reason or "", i.reason or "")) for i in result.failed]
        except Exception as e:  # noqa: BLE001 - the server runs on without the examples; say why
            self.error = f"{type(e).__name__}：{e}"
        with self._lock:
            self.done.set()
            listeners, self._listeners = self._listeners, []
        for f in listeners:
            f(self)

    def when_done(self, f: Callable[[Seeding], None]) -> None:
        """Call ``f(self)`` once the import is over (at once if it is)."""
        with self._lock:
            if not self.done.is_set():
                self._listeners.append(f)
                return
        f(self)

    @property
    def summary(self) -> str:
        """What the import did, in a line for the console."""
        if self.error:
            return f"示例载入失败：{self.error}（网页照常可用，可用 juesuan db import 导入文档）"
        text = f"已载入示例与样本文档 {self.loaded} 份"
        if self.failed:
            text += "；未能载入 " + "、".join(f"{p.name}（{why}）" for p, why in self.failed)
        return text + "。"


def start_seeding(store: Store, paths: list[Path] | None = None, jobs: int = 1) -> Seeding | None:
    """Import ``paths`` (default: :func:`seed_paths`) in the background when the store holds no
    version yet; None when it holds some, or there is nothing to import."""
    import sqlalchemy as sa

    from ..store.schema import versions
    with store.engine.connect() as conn:
        if conn.execute(sa.select(versions.c.id).limit(1)).first() is not None:
            return None
    paths = seed_paths() if paths is None else paths
    if not paths:
        return None
    return Seeding(store, paths, jobs).start()
