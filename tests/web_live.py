"""A live ``juesuan serve`` and a headless Chromium, for the browser tests (tests/test_web_browser.py).

* :func:`live` (module scope): uvicorn serving :func:`juesuan.web.create_app` over a fresh SQLite
  store in a background thread, on a free loopback port. The store holds two departments' documents
  (:data:`DEPT_A`: the bundled example renamed, one table figure changed, so it has errors at table
  cells; :data:`DEPT_B`: the example renamed, as it is) and the accounts of :data:`ACCOUNTS`.
* :func:`browser` (module scope): Debian's ``/usr/bin/chromium`` driven by Python Playwright through
  ``executable_path`` (never ``playwright install``), with a fontconfig file that adds the Chinese
  font of the pip package ``pylopdf-fonts-zh-cn`` (a fresh machine has no CJK font), so the
  screenshots show Chinese. Where Chromium or Playwright is missing the tests are skipped and say
  why; ``.ci/run`` installs Chromium.
* :func:`page` (per test): a fresh browser context (no cookies) and its page.
* :func:`shots`: the folder the screenshots go to (``JUESUAN_SCREENSHOTS``, else a temporary one).
* :func:`login` logs in through the form; :func:`sign_in` reuses a user's session after its first
  login. ``JUESUAN_CHROMIUM`` names another Chromium binary.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023" / "disclosure.yaml"
EXAMPLE_ENTITY = "武汉市汉阳区大数据中心"
CHROMIUM = os.environ.get("JUESUAN_CHROMIUM", "/usr/bin/chromium")
# the arguments that work for Debian's chromium on a server without a display (../DEPENDENCIES.md)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "Ceshi-mima-2024"          # every test account's password
DEPT_A = "武汉市汉阳区档案馆"          # the two departments of the store (the example, renamed)
DEPT_B = "武汉市汉阳区图书馆"
# name → (role, department)
ACCOUNTS = {"admin": ("admin", None), "shenhe": ("reviewer", None),
            "dangan": ("department", DEPT_A), "tushu": ("department", DEPT_B)}
# the figure changed in a document (收入支出决算总表, 一般公共服务支出): two errors at table cells
FIGURE = ("一、一般公共服务支出\t32\t1,184.74", "一、一般公共服务支出\t32\t1,184.47")


@dataclass
class Live:
    url: str                      # http://127.0.0.1:PORT
    app: object                   # the FastAPI application
    store: object                 # its juesuan.store.Store
    folder: Path                  # where its files are
    ids: dict[str, int] = field(default_factory=dict)   # DEPT_A / DEPT_B → the version id seeded
    cookies: dict[str, list] = field(default_factory=dict)   # user name → the cookies of its session


def renamed(folder: Path, name: str) -> Path:
    """The example's data with its entity renamed to ``name`` (a department of its own)."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("大数据中心", name.removeprefix("武汉市汉阳区"))
    out = folder / f"{name}.yaml"
    out.write_text(text, encoding="utf-8")
    return out


def broken(source: Path, out: Path) -> Path:
    """``source`` built to text with one figure of 收入支出决算总表 changed (:data:`FIGURE`)."""
    from juesuan.cli import main
    built = out.with_suffix(".d")
    assert main(["build", str(source), "-f", "txt", "-o", str(built), "--name", "doc"]) == 0
    text = (built / "doc.txt").read_text(encoding="utf-8")
    assert text.count(FIGURE[0]) == 1, "the example's 收入支出决算总表 changed: update FIGURE"
    out.write_text(text.replace(*FIGURE), encoding="utf-8")
    shutil.rmtree(built)
    return out


def font_config(folder: Path) -> Path:
    """A fontconfig file: the system's configuration plus the folder of the bundled Noto SC fonts."""
    from juesuan.fonts import cjk_font_path
    fonts = Path(cjk_font_path()).parent
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f'<dir>{fonts}</dir></fontconfig>', encoding="utf-8")
    return conf


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    import uvicorn
    from argon2 import PasswordHasher

    from juesuan.store import Store
    from juesuan.web.app import Settings, create_app
    folder = tmp_path_factory.mktemp("live")
    with pytest.MonkeyPatch.context() as mp:
        # cheap password hashes for the test accounts (as the web's HTTP tests do): a login is then
        # no longer slow on purpose
        quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        mp.setattr("juesuan.store.accounts._hasher", lambda: quick)
        store = Store.open(folder / "store.db")
        settings = Settings(db=str(folder / "store.db"), seed=False, upload_dir=folder / "uploads",
                            login_attempts=100)
        app = create_app(settings, store=store)
        for name, (role, dept) in ACCOUNTS.items():
            app.state.accounts.add(name, role, PASSWORD, dept)
        ids = {DEPT_A: store.import_path(broken(renamed(folder, DEPT_A), folder / f"{DEPT_A}.txt")).version_id,
               DEPT_B: store.import_path(renamed(folder, DEPT_B)).version_id}

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 30
            while not server.started:
                assert thread.is_alive() and time.monotonic() < deadline, "the live server did not start"
                time.sleep(0.02)
            yield Live(f"http://127.0.0.1:{port}", app, store, folder, ids)
        finally:
            server.should_exit = True
            thread.join(10)
            sock.close()
            store.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"浏览器测试跳过：没有 {CHROMIUM}（Debian 的 chromium 包；"
                    ".ci/run 会安装它：apt-get install -y chromium）")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("浏览器测试跳过：没有 Python 包 playwright（pip install -e '.[test]'；不需要 playwright install）")
    conf = font_config(tmp_path_factory.mktemp("fonts"))
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, env=env)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN",
                                  accept_downloads=True)
    context.set_default_timeout(10_000)
    p = context.new_page()
    try:
        yield p
    finally:
        context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the screenshots go: ``$JUESUAN_SCREENSHOTS`` or a temporary folder (printed)."""
    folder = Path(os.environ.get("JUESUAN_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def login(page, live: Live, name: str, password: str = PASSWORD, expect: str | None = r"/dashboard"):
    """Log in as ``name`` through the login form; wait for the page it leads to (``expect``)."""
    page.goto(f"{live.url}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    if expect:
        page.wait_for_url(re.compile(expect))


def sign_in(page, live: Live, name: str, to: str = "/dashboard"):
    """Open ``to`` as ``name``: with the session of an earlier login of ``name`` on this server,
    else logging in through the form first. The response of ``to``."""
    if name in live.cookies:
        page.context.add_cookies(live.cookies[name])
    else:
        login(page, live, name)
        live.cookies[name] = page.context.cookies()
    return page.goto(f"{live.url}{to}")
