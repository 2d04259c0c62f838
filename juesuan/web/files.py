"""Uploaded files: where they are kept (docs/web.md).

:func:`upload_dir` / :func:`upload_path` — an upload is kept as ``<upload_dir>/<sha256><suffix>``:
``settings.upload_dir``, else an ``uploads/`` folder beside the SQLite file, else (PostgreSQL,
an in-memory store) ``<user data dir>/uploads``. (The upload's module has the same functions:
the document page needs them to read a version's uploaded copy again.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = ["upload_dir", "upload_path"]


def _settings_and_url(app_or_settings: Any):
    from ..store.engine import resolve_url
    state = getattr(app_or_settings, "state", None)
    if state is not None:                        # the application: its store says where it is
        return state.settings, state.store.engine.url
    return app_or_settings, resolve_url(app_or_settings.db)


def upload_dir(app_or_settings: Any) -> Path:
    """The folder uploads are kept in (made when missing)."""
    settings, url = _settings_and_url(app_or_settings)
    if settings.upload_dir is not None:
        d = Path(settings.upload_dir)
    elif url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
        d = Path(url.database).parent / "uploads"
    else:
        from platformdirs import user_data_dir
        d = Path(user_data_dir("juesuan")) / "uploads"
    d.mkdir(parents=True, exist_ok=True)
    return d


def upload_path(app_or_settings: Any, sha256: str, suffix: str) -> Path:
    """Where the upload of SHA-256 ``sha256`` is kept: ``<upload_dir>/<sha256><suffix>``."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return upload_dir(app_or_settings) / f"{sha256}{suffix}"
