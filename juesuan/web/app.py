"""The application: :func:`create_app` over a store and its :class:`Settings`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from ..store import Store
from ..store.accounts import Accounts

__all__ = ["Settings", "create_app"]

HERE = Path(__file__).parent


@dataclass
class Settings:
    db: str | None = None                    # the store (as --db): a path or an URL; None: the default
    session_minutes: int = 8 * 60            # a session expires this long after login
    max_upload_bytes: int = 100 * 1024 * 1024   # an upload larger than this is refused
    login_attempts: int = 5                  # failed logins allowed per name and address …
    login_window_seconds: int = 300          # … in this window, then refused until it passes
    secure_cookies: bool = False             # set the session cookie's Secure flag (behind HTTPS)
    upload_dir: Path | None = None           # where uploaded files are kept; None: beside the store
    seed: bool = True                        # an empty store gets the bundled example and samples
    first_admin: bool = False                # no account yet: make "admin" (app.state.first_admin; seed.py)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The web application over ``store`` (else the store of ``settings.db``, opened and upgraded)."""
    settings = settings or Settings()
    store = store or Store.open(settings.db)
    app = FastAPI(title="juesuan 决算审核", description="部门决算公开的审核网页与接口", version="1")
    app.state.settings = settings
    app.state.store = store
    app.state.accounts = Accounts(store.engine)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from . import admin, api, auth, dashboard, documents, seed
    app.include_router(auth.router)
    app.include_router(admin.router)
    app.include_router(dashboard.router)
    app.include_router(documents.router)
    app.include_router(api.router)
    auth.install(app)
    app.state.first_admin = seed.first_admin(app.state.accounts) if settings.first_admin else None
    app.state.seeding = seed.start_seeding(store) if settings.seed else None

    @app.get("/", include_in_schema=False)
    def home(request: Request):
        return RedirectResponse("/dashboard", status_code=303)

    return app
