"""Accounts, logins, sessions, CSRF, the audit log, the administrator's pages, ``juesuan user``,
the first administrator and the seeding of an empty store (issue 17; docs/web.md "账户、角色与安全").
Who may reach which route is tests/test_web_permissions.py."""

from __future__ import annotations

import csv
import io
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import EXAMPLE, ROOT
from fastapi.testclient import TestClient

from juesuan.cli import invoke

PASSWORD = "correct-horse-42"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch, request):
    """argon2id with small costs: the tests log in and change passwords dozens of times (the real
    costs, argon2-cffi's defaults of 64 MiB and 3 passes, in test_passwords_are_argon2id…)."""
    if request.node.name.startswith("test_passwords_are_argon2id"):
        return
    from argon2 import PasswordHasher

    from juesuan.store import accounts
    quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: quick)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", quick.hash("not a password of anyone"))


@pytest.fixture
def app(tmp_path):
    from juesuan.store import Store
    from juesuan.web import Settings, create_app
    store = Store.open(tmp_path / "s.db")
    app = create_app(Settings(seed=False), store=store)
    app.state.accounts.add("boss", "admin", PASSWORD)
    app.state.accounts.add("li", "reviewer", "reviewer-pass")
    yield app
    store.close()


def client(app) -> TestClient:
    return TestClient(app, follow_redirects=False)


def login(app, name="boss", password=PASSWORD) -> tuple[TestClient, str]:
    """A client logged in through the login form, and its CSRF token (from a page's form)."""
    c = client(app)
    r = c.post("/login", data={"username": name, "password": password})
    assert r.status_code == 303, r.text
    page = c.get("/admin/users" if name == "boss" else "/dashboard").text
    return c, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def log(app, action=None) -> list[dict]:
    return app.state.accounts.log_rows(limit=None, action=action)


# ---------------------------------------------------------------------------------- logins and sessions

def test_login_sets_an_httponly_samesite_cookie_and_logout_ends_the_session(app):
    c = client(app)
    assert c.get("/dashboard").headers["location"] == "/login?next=/dashboard"
    r = c.post("/login", data={"username": "boss", "password": PASSWORD, "next": "/admin/users"})
    assert r.status_code == 303 and r.headers["location"] == "/admin/users"
    cookie = r.headers["set-cookie"]
    assert "juesuan_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie and f"Max-Age={8 * 60 * 60}" in cookie
    token = c.cookies.get("juesuan_session")
    assert c.get("/dashboard").status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/dashboard").text).group(1)
    r = c.post("/logout", data={"csrf_token": csrf})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    again = client(app)          # the old cookie, kept by someone: the session is gone in the store
    again.cookies.set("juesuan_session", token)
    assert again.get("/dashboard").status_code == 303
    assert again.get("/api/documents/1").status_code == 401
    assert [r["action"] for r in log(app)][:2] == ["logout", "login"]


def test_a_login_gets_a_new_session_and_ends_the_one_it_came_with(app):
    c, _ = login(app, "li", "reviewer-pass")
    before = c.cookies.get("juesuan_session")
    r = c.post("/login", data={"username": "boss", "password": PASSWORD})
    after = r.cookies.get("juesuan_session")
    assert after and after != before
    stale = client(app)
    stale.cookies.set("juesuan_session", before)
    assert stale.get("/dashboard").status_code == 303


def test_an_open_redirect_after_login_is_refused(app):
    r = client(app).post("/login", data={"username": "boss", "password": PASSWORD, "next": "//evil.example/x"})
    assert r.headers["location"] == "/dashboard"


def test_secure_cookies_when_asked(tmp_path):
    from juesuan.store import Store
    from juesuan.web import Settings, create_app
    a = create_app(Settings(seed=False, secure_cookies=True, session_minutes=5), store=Store.open(tmp_path / "s.db"))
    a.state.accounts.add("boss", "admin", PASSWORD)
    r = client(a).post("/api/login", json={"username": "boss", "password": PASSWORD})
    assert "Secure" in r.headers["set-cookie"] and "Max-Age=300" in r.headers["set-cookie"]


def test_an_expired_session_gets_the_login_page_or_401(app):
    from juesuan.store.schema import sessions
    c, _ = login(app)
    assert c.get("/admin/users").status_code == 200
    with app.state.store.engine.begin() as conn:   # the session's end, moved to a minute ago
        conn.execute(sessions.update().values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    r = c.get("/admin/users")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/admin/users"
    assert c.get("/login").status_code == 200 and "登录" in c.get("/login").text
    r = c.get("/api/documents/1")
    assert r.status_code == 401 and r.json()["detail"] == "未登录或登录已过期"
    r = c.get("/admin/users", headers={"HX-Request": "true"})
    assert r.status_code == 401 and r.headers["HX-Redirect"] == "/login"
    # the next login forgets the expired sessions
    login(app)
    with app.state.store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(sessions)).scalar_one() == 1


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_sixth_failed_login_is_refused_even_with_the_right_password_until_the_window_passes(app):
    clock = app.state.limiter.clock = Clock()
    c = client(app)
    for _ in range(5):
        r = c.post("/login", data={"username": "boss", "password": "wrong-password"})
        assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = c.post("/login", data={"username": "boss", "password": PASSWORD})
    assert r.status_code == 401 and "登录失败次数过多，请 5 分钟后再试" in r.text
    r = c.post("/api/login", json={"username": "boss", "password": PASSWORD})
    assert r.status_code == 401 and "次数过多" in r.json()["detail"]
    clock.now += 299
    assert c.post("/login", data={"username": "boss", "password": PASSWORD}).status_code == 401
    clock.now += 2       # the window (300 s) has passed since the failures
    assert c.post("/login", data={"username": "boss", "password": PASSWORD}).status_code == 303
    actions = [r["action"] for r in log(app)]
    assert actions.count("login_failed") == 5 and actions.count("login_blocked") == 3 and actions[0] == "login"
    assert all(r["target"] == "boss" for r in log(app, "login_failed"))


def test_failed_logins_are_limited_per_address_too(app):
    app.state.limiter.clock = Clock()
    c = client(app)
    for i in range(5):   # five names from one address
        assert c.post("/api/login", json={"username": f"guess{i}", "password": "x"}).status_code == 401
    r = c.post("/api/login", json={"username": "li", "password": "reviewer-pass"})
    assert r.status_code == 401 and "次数过多" in r.json()["detail"]


def test_api_login_returns_the_csrf_token_that_api_posts_need(app):
    c = client(app)
    r = c.post("/api/login", json={"username": "li", "password": "reviewer-pass"})
    assert r.status_code == 200
    body = r.json()
    assert body["username"] == "li" and body["role"] == "reviewer" and body["department"] is None
    assert len(body["csrf_token"]) > 20 and "HttpOnly" in r.headers["set-cookie"]
    assert c.post("/logout").status_code == 403
    assert c.post("/logout", headers={"X-CSRF-Token": body["csrf_token"]}).status_code == 303
    assert client(app).post("/api/login", json={"username": "li", "password": "nope"}).status_code == 401


# ---------------------------------------------------------------------------------- CSRF on every POST

def test_every_post_route_refuses_a_missing_or_wrong_csrf_token(app):
    from test_web_permissions import flat_routes
    c, good = login(app)
    exempt = {"/login", "/api/login"}       # no session yet to forge a request of
    posts = sorted({r.path for r in flat_routes(app) if "POST" in (getattr(r, "methods", None) or ())} - exempt)
    assert {"/logout", "/admin/users", "/admin/users/{user_id}/disable"} <= set(posts)
    target = app.state.accounts.find("li")["id"]
    for path in posts:
        url = re.sub(r"\{[^}]+\}", str(target), path)
        for how in ({}, {"headers": {"X-CSRF-Token": "forged"}}, {"data": {"csrf_token": "forged"}},
                    {"files": {"file": ("a.txt", b"x")}, "data": {"csrf_token": good[:-1] + "A"}}):
            r = c.post(url, **how)
            assert r.status_code == 403, f"POST {path} {how}: {r.status_code}"
            assert "CSRF" in r.json()["detail"]
    assert app.state.accounts.find("li")["active"] == 1          # nothing was done
    assert c.get("/admin/users").status_code == 200            # the session is still fine
    assert c.post(f"/admin/users/{target}/disable", data={"csrf_token": good}).status_code == 200


# ---------------------------------------------------------------------------------- passwords

def test_passwords_are_argon2id_hashes_and_nowhere_in_the_database_file(tmp_path):
    from juesuan.store import Store
    from juesuan.store.schema import users
    from juesuan.web import Settings, create_app
    db = tmp_path / "s.db"
    a = create_app(Settings(seed=False), store=Store.open(db))
    a.state.accounts.add("boss", "admin", "Secret-Boss-Word")
    c, csrf = login(a, "boss", "Secret-Boss-Word")
    c.post("/admin/users", data={"csrf_token": csrf, "name": "wang", "role": "department",
                                 "department": "某局", "password": "Secret-Wang-Word"})
    c.post(f"/admin/users/{a.state.accounts.find('wang')['id']}/password",
           data={"csrf_token": csrf, "password": "Secret-Wang-Next"})
    client(a).post("/login", data={"username": "wang", "password": "Secret-Wang-Word"})   # the old one: fails
    login(a, "wang", "Secret-Wang-Next")
    with a.state.store.engine.connect() as conn:
        hashes = conn.execute(sa.select(users.c.password_hash)).scalars().all()
    assert len(hashes) == 2 and all(h.startswith("$argon2id$v=19$m=65536,t=3,p=4$") for h in hashes)
    a.state.store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("s.db*"))    # the file and any -wal/-journal
    for word in ("Secret-Boss-Word", "Secret-Wang-Word", "Secret-Wang-Next"):
        assert word.encode() not in raw and word.encode("utf-16-le") not in raw


# ---------------------------------------------------------------------------------- the administrator's pages

def test_admin_adds_an_account_with_a_generated_password_shown_once(app):
    c, csrf = login(app)
    r = c.post("/admin/users", data={"csrf_token": csrf, "name": "zhao", "role": "department",
                                     "department": "武汉市汉阳区教育局", "password": ""})
    assert r.status_code == 200 and "已添加部门用户 zhao" in r.text
    shown = re.search(r'<code class="password">([^<]+)</code>', r.text).group(1)
    assert len(shown) >= 12
    assert shown not in c.get("/admin/users").text                     # once only
    u = app.state.accounts.verify("zhao", shown)
    assert u is not None and u.department == "武汉市汉阳区教育局"
    row = log(app, "user_add")[0]
    assert row["user_name"] == "boss" and row["target"] == "zhao" and row["detail"]["password"] == "生成"
    assert shown not in str(log(app))
    page = c.get("/admin/users").text
    assert 'data-name="zhao" data-role="department" data-active="1"' in page and "武汉市汉阳区教育局" in page


@pytest.mark.parametrize("form, says", [
    ({"name": "li", "role": "reviewer", "password": "long-enough"}, "用户 li 已存在"),
    ({"name": "x1", "role": "department", "password": "long-enough"}, "部门用户须指定所属部门"),
    ({"name": "x2", "role": "boss", "password": "long-enough"}, "未知的角色"),
    ({"name": "x3", "role": "reviewer", "password": "short"}, "密码至少 8 个字符"),
    ({"name": "", "role": "reviewer", "password": "long-enough"}, "用户名不能为空"),
    ({"name": "a b", "role": "reviewer", "password": "long-enough"}, "用户名不能含空格"),
])
def test_admin_add_refuses_what_cannot_be(app, form, says):
    c, csrf = login(app)
    r = c.post("/admin/users", data={"csrf_token": csrf, **form})
    assert r.status_code == 400 and says in r.text
    assert not log(app, "user_add")


def test_disabling_an_account_ends_its_sessions_and_logins_and_enabling_restores_them(app):
    li, _ = login(app, "li", "reviewer-pass")
    c, csrf = login(app)
    uid = app.state.accounts.find("li")["id"]
    r = c.post(f"/admin/users/{uid}/disable", data={"csrf_token": csrf})
    assert r.status_code == 200 and "已停用账户 li" in r.text
    assert 'data-name="li" data-role="reviewer" data-active="0"' in r.text
    assert li.get("/dashboard").status_code == 303
    assert client(app).post("/login", data={"username": "li", "password": "reviewer-pass"}).status_code == 401
    assert c.post(f"/admin/users/{uid}/enable", data={"csrf_token": csrf}).status_code == 200
    login(app, "li", "reviewer-pass")
    me = app.state.accounts.find("boss")["id"]
    r = c.post(f"/admin/users/{me}/disable", data={"csrf_token": csrf})
    assert r.status_code == 400 and "不能停用自己的账户" in r.text
    assert c.post("/admin/users/999/disable", data={"csrf_token": csrf}).status_code == 404
    assert [r["action"] for r in log(app) if r["action"].startswith("user_")] == ["user_enable", "user_disable"]


def test_the_last_active_administrator_cannot_be_disabled(app):
    from juesuan.store.accounts import AccountError
    boss = app.state.accounts.find("boss")["id"]
    with pytest.raises(AccountError, match="唯一启用的管理员"):
        app.state.accounts.set_active(boss, False)
    app.state.accounts.add("boss2", "admin", "second-admin")
    app.state.accounts.set_active(boss, False)
    assert app.state.accounts.verify("boss", PASSWORD) is None


def test_resetting_a_password(app):
    li, _ = login(app, "li", "reviewer-pass")
    c, csrf = login(app)
    uid = app.state.accounts.find("li")["id"]
    r = c.post(f"/admin/users/{uid}/password", data={"csrf_token": csrf, "password": "new-reviewer-pass"})
    assert r.status_code == 200 and "已重设 li 的密码" in r.text and 'class="password"' not in r.text
    assert li.get("/dashboard").status_code == 303                       # its session ended
    assert app.state.accounts.verify("li", "reviewer-pass") is None
    assert app.state.accounts.verify("li", "new-reviewer-pass") is not None
    r = c.post(f"/admin/users/{uid}/password", data={"csrf_token": csrf, "password": "short"})
    assert r.status_code == 400 and "密码至少 8 个字符" in r.text
    r = c.post(f"/admin/users/{uid}/password", data={"csrf_token": csrf})          # empty: generated
    shown = re.search(r'<code class="password">([^<]+)</code>', r.text).group(1)
    assert app.state.accounts.verify("li", shown) is not None
    me = app.state.accounts.find("boss")["id"]       # one's own: the session goes on
    r = c.post(f"/admin/users/{me}/password", data={"csrf_token": csrf, "password": "boss-new-pass"})
    assert r.status_code == 200
    assert c.get("/admin/users").status_code == 200
    assert [r["detail"]["password"] for r in log(app, "password_reset")] == ["管理员设定", "生成", "管理员设定"]


def test_the_audit_log_page_newest_first_filtered_by_action_and_user(app):
    app.state.limiter.clock = Clock()
    client(app).post("/login", data={"username": "li", "password": "wrong-one"})
    login(app, "li", "reviewer-pass")
    c, _ = login(app)
    page = c.get("/admin/audit").text
    actions = re.findall(r'<tr class="audit" data-action="([^"]+)">', page)
    assert actions == ["login", "login", "login_failed"]
    assert "登录失败" in page and "testclient" in page
    li = c.get("/admin/audit", params={"user": "li"}).text
    assert re.findall(r'data-action="([^"]+)"', li) == ["login", "login_failed"]   # a failed login counts as li's
    only = c.get("/admin/audit", params={"action": "login_failed"}).text
    assert re.findall(r'data-action="([^"]+)"', only) == ["login_failed"]
    assert '<option value="login_failed" selected>' in only


def test_the_audit_log_pages_back(app):
    for i in range(205):
        app.state.accounts.log("status", "li", f"版本 {i}")
    c, _ = login(app)
    first = c.get("/admin/audit").text
    assert first.count('<tr class="audit"') == 200 and "版本 0<" not in first
    more = re.search(r'href="(/admin/audit\?[^"]*before=\d+)"', first).group(1).replace("&amp;", "&")
    rest = c.get(more).text
    assert rest.count('<tr class="audit"') == 6 and "版本 0<" in rest and 'class="more"' not in rest


def test_the_audit_log_exports_as_csv_with_bom_and_as_xlsx_without_formulas(app):
    import openpyxl
    app.state.limiter.clock = Clock()
    client(app).post("/login", data={"username": "=HYPERLINK(\"http://x\")", "password": "x"})
    c, _ = login(app)
    r = c.get("/admin/audit.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf") and "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["时间", "用户", "操作", "操作代码", "对象", "详情", "地址"]
    assert [row[3] for row in rows[1:]] == ["login", "login_failed"]
    assert rows[2][4] == "'=HYPERLINK(\"http://x\")"          # text, not a formula
    r = c.get("/admin/audit.xlsx", params={"action": "login_failed"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    got = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert got[0][3] == "操作代码" and len(got) == 2 and got[1][3] == "login_failed"
    assert got[1][4] == '=HYPERLINK("http://x")' and ws.cell(2, 5).data_type == "s"
    assert [x["detail"]["format"] for x in log(app, "audit_export")] == ["xlsx", "csv"]


def test_every_account_change_login_and_logout_is_in_the_audit_log(app):
    app.state.limiter.clock = Clock()
    client(app).post("/login", data={"username": "boss", "password": "bad-password"})
    c, csrf = login(app)
    c.post("/admin/users", data={"csrf_token": csrf, "name": "sun", "role": "reviewer", "password": "sun-password"})
    uid = app.state.accounts.find("sun")["id"]
    c.post(f"/admin/users/{uid}/disable", data={"csrf_token": csrf})
    c.post(f"/admin/users/{uid}/enable", data={"csrf_token": csrf})
    c.post(f"/admin/users/{uid}/password", data={"csrf_token": csrf, "password": "sun-password-2"})
    c.post("/logout", data={"csrf_token": csrf})
    got = [(r["action"], r["user_name"], r["target"]) for r in reversed(log(app))]
    assert got == [("login_failed", None, "boss"), ("login", "boss", None), ("user_add", "boss", "sun"),
                   ("user_disable", "boss", "sun"), ("user_enable", "boss", "sun"),
                   ("password_reset", "boss", "sun"), ("logout", "boss", None)]
    assert all(r["ip"] == "testclient" for r in log(app))
    assert "sun-password" not in str(log(app))


# ---------------------------------------------------------------------------------- juesuan user

def _user(argv, stdin: str | None, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin if stdin is not None else ""))
    return invoke(["user", *argv])


def test_cli_user_add_and_list(tmp_path, monkeypatch):
    db = str(tmp_path / "s.db")
    r = _user(["list", "--db", db], None, monkeypatch)
    assert r.exit_code == 0 and "还没有用户" in r.stdout
    r = _user(["add", "chen", "--role", "admin", "--password-stdin", "--db", db], "chen-password\n", monkeypatch)
    assert r.exit_code == 0 and "已添加管理员 chen" in r.stdout and "chen-password" not in r.output
    r = _user(["add", "liu", "--role", "部门用户", "--department", "武汉市汉阳区大数据中心", "--password-stdin",
               "--db", db], "liu-password\r\n", monkeypatch)
    assert r.exit_code == 0 and "已添加部门用户 liu（武汉市汉阳区大数据中心）" in r.stdout
    assert "数据库中还没有名为“武汉市汉阳区大数据中心”的单位" in r.stderr
    r = _user(["list", "--db", db], None, monkeypatch)
    assert r.exit_code == 0
    lines = [line for line in r.stdout.splitlines() if line.strip()]
    assert lines[0].split() == ["用户名", "角色", "所属部门", "创建时间", "状态"]
    assert lines[2].split()[:3] == ["chen", "管理员", f"{datetime.now().year}-{datetime.now():%m}-{datetime.now():%d}"]
    assert lines[3].split()[:3] == ["liu", "部门用户", "武汉市汉阳区大数据中心"] and lines[3].split()[-1] == "启用"
    from juesuan.store import Store
    from juesuan.store.accounts import Accounts
    with Store.open(db) as store:
        acc = Accounts(store.engine)
        assert acc.verify("liu", "liu-password").department == "武汉市汉阳区大数据中心"   # \r\n is not the password's
        assert [(r["action"], r["target"], r["detail"]["via"]) for r in acc.log_rows()] == [
            ("user_add", "liu", "命令行"), ("user_add", "chen", "命令行")]


@pytest.mark.parametrize("argv, stdin, says", [
    (["add", "wu", "--role", "department", "--password-stdin"], "wu-password\n", "部门用户须指定所属部门"),
    (["add", "wu", "--role", "boss", "--password-stdin"], "wu-password\n", "未知的角色：boss"),
    (["add", "wu", "--role", "reviewer", "--password-stdin"], "short\n", "密码至少 8 个字符"),
    (["add", "wu", "--role", "reviewer", "--password-stdin"], "", "标准输入中没有密码"),
    (["add", "wu", "--role", "reviewer"], "wu-password\n", "请用 --password-stdin 从标准输入给出密码"),
    (["add", "chen", "--role", "reviewer", "--password-stdin"], "another-one\n", "用户 chen 已存在"),
    (["password", "nobody", "--password-stdin"], "nobody-password\n", "没有用户 nobody"),
    (["disable", "chen"], None, "chen 是唯一启用的管理员，不能停用"),
    (["add", "wu", "--password-stdin"], "wu-password\n", "缺少参数：--role"),
])
def test_cli_user_errors_exit_2_with_a_clear_message(tmp_path, monkeypatch, argv, stdin, says):
    db = str(tmp_path / "s.db")
    assert _user(["add", "chen", "--role", "admin", "--password-stdin", "--db", db], "chen-password\n",
                 monkeypatch).exit_code == 0
    r = _user([*argv, "--db", db], stdin, monkeypatch)
    assert r.exit_code == 2 and says in r.stderr and "Traceback" not in r.output
    assert "wu-password" not in r.output


def test_cli_user_password_disable_enable(tmp_path, monkeypatch):
    from juesuan.store import Store
    from juesuan.store.accounts import Accounts
    db = str(tmp_path / "s.db")
    _user(["add", "chen", "--role", "admin", "--password-stdin", "--db", db], "chen-password\n", monkeypatch)
    _user(["add", "he", "--role", "reviewer", "--password-stdin", "--db", db], "he-password\n", monkeypatch)
    r = _user(["password", "chen", "--password-stdin", "--db", db], "chen-new-password\n", monkeypatch)
    assert r.exit_code == 0 and "已重设 chen 的密码" in r.stdout
    assert _user(["disable", "he", "--db", db], None, monkeypatch).exit_code == 0
    with Store.open(db) as store:
        acc = Accounts(store.engine)
        assert acc.verify("chen", "chen-new-password") and not acc.verify("chen", "chen-password")
        assert acc.verify("he", "he-password") is None
    assert "停用" in _user(["list", "--db", db], None, monkeypatch).stdout
    assert _user(["enable", "he", "--db", db], None, monkeypatch).exit_code == 0
    with Store.open(db) as store:
        assert Accounts(store.engine).verify("he", "he-password") is not None


def test_cli_user_add_reads_the_real_standard_input(tmp_path):
    import subprocess
    db = tmp_path / "s.db"
    p = subprocess.run([sys.executable, "-m", "juesuan", "user", "add", "zhou", "--role", "reviewer",
                        "--password-stdin", "--db", str(db)], input="zhou-password-1\n", capture_output=True,
                       text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "已添加审核人员 zhou" in p.stdout and "zhou-password-1" not in p.stdout + p.stderr


# ---------------------------------------------------------------------------------- the first administrator

@pytest.fixture
def no_server(monkeypatch):
    """``juesuan serve`` that returns instead of serving: the app it would serve."""
    import uvicorn
    served = {}

    def run(app, **kw):
        served["app"], served["kw"] = app, kw
        if app.state.seeding is not None:
            assert app.state.seeding.done.wait(180)
    monkeypatch.setattr(uvicorn, "run", run)
    return served


def test_serve_makes_the_first_administrator_with_a_password_printed_once(tmp_path, monkeypatch, no_server):
    monkeypatch.delenv("JUESUAN_ADMIN_PASSWORD", raising=False)
    db = str(tmp_path / "s.db")
    r = invoke(["serve", "--db", db, "--no-seed", "--port", "8123"])
    assert r.exit_code == 0, r.output
    assert "juesuan 审核网页：http://127.0.0.1:8123/" in r.stdout
    password = re.search(r"已创建管理员账户 admin，密码：(\S+)", r.stdout).group(1)
    assert "只显示这一次" in r.stdout and "http://127.0.0.1:8123/login ，用户名 admin" in r.stdout
    assert no_server["kw"] == {"host": "127.0.0.1", "port": 8123, "log_level": "warning"}
    app = no_server["app"]
    assert app.state.accounts.verify("admin", password).role == "admin"
    assert log(app)[0]["detail"] == {"role": "admin", "via": "首次启动", "password": "生成"}
    r = invoke(["serve", "--db", db, "--no-seed"])            # the second start: no new account, no password
    assert r.exit_code == 0 and password not in r.output and "已创建" not in r.output
    assert "用已有账户登录" in r.stdout and no_server["app"].state.accounts.count() == 1


def test_serve_takes_the_first_password_from_the_environment_and_never_prints_it(tmp_path, monkeypatch, no_server):
    monkeypatch.setenv("JUESUAN_ADMIN_PASSWORD", "From-The-Env-123")
    r = invoke(["serve", "--db", str(tmp_path / "s.db"), "--no-seed", "--host", "0.0.0.0"])
    assert r.exit_code == 0 and "From-The-Env-123" not in r.output
    assert "密码为环境变量 JUESUAN_ADMIN_PASSWORD 的值" in r.stdout and "已对局域网开放" in r.stdout
    assert no_server["app"].state.accounts.verify("admin", "From-The-Env-123") is not None
    monkeypatch.setenv("JUESUAN_ADMIN_PASSWORD", "short")
    r = invoke(["serve", "--db", str(tmp_path / "t.db"), "--no-seed"])
    assert r.exit_code == 2 and "环境变量 JUESUAN_ADMIN_PASSWORD 不能用作管理员密码：密码至少 8 个字符" in r.stderr
    assert "short" not in r.stdout


def test_create_app_makes_the_first_administrator_only_when_asked(tmp_path):
    from juesuan.store import Store
    from juesuan.web import Settings, create_app
    from juesuan.web.seed import first_admin
    store = Store.open(tmp_path / "s.db")
    assert create_app(Settings(seed=False), store=store).state.accounts.count() == 0
    app = create_app(Settings(seed=False, first_admin=True), store=store)
    first = app.state.first_admin
    assert first.name == "admin" and first.generated and "password" not in repr(first)
    assert first_admin(app.state.accounts, {"JUESUAN_ADMIN_PASSWORD": "whatever-123"}) is None


# ---------------------------------------------------------------------------------- seeding an empty store

def test_seed_paths_beside_the_package_and_none_without_them(tmp_path):
    from juesuan.web.seed import seed_paths
    found = seed_paths()
    assert found[0] == EXAMPLE and {p.suffix for p in found[1:]} == {".pdf", ".txt"}
    assert ROOT / "tests" / "fixtures" / "samples" / "000_9e500328b38455ed.txt" in found
    assert seed_paths(tmp_path) == []


def test_serve_seeds_an_empty_store_in_the_background_and_says_how_many(tmp_path, monkeypatch, no_server):
    from juesuan.web import seed
    monkeypatch.setattr(seed, "seed_paths", lambda root=None: [EXAMPLE])
    monkeypatch.setenv("JUESUAN_ADMIN_PASSWORD", "seed-admin-pass")
    db = str(tmp_path / "s.db")
    r = invoke(["serve", "--db", db])
    assert r.exit_code == 0, r.output
    assert "正在后台载入自带的示例与样本文档（1 份）" in r.stdout
    assert "已载入示例与样本文档 1 份。" in r.stdout
    versions = no_server["app"].state.store.versions()
    assert [v["entity"] for v in versions] == ["武汉市汉阳区大数据中心"]
    r = invoke(["serve", "--db", db])                     # no longer empty: nothing loaded again
    assert r.exit_code == 0 and "载入" not in r.stdout and no_server["app"].state.seeding is None


def test_seeding_a_missing_file_is_reported_not_fatal(tmp_path):
    from juesuan.store import Store
    from juesuan.web.seed import start_seeding
    with Store.open(tmp_path / "s.db") as store:
        s = start_seeding(store, [Path(tmp_path / "nothing.pdf")])
        assert s.done.wait(60)
        assert s.loaded == 0 and s.failed and "未能载入 nothing.pdf" in s.summary
        assert start_seeding(store, []) is None
