"""Who may do what on the web: every route × every role (issue 17; docs/web.md "账户、角色与安全").

:data:`ROWS` is the permission matrix: one row per route of the application — its method, its
path as declared, the status each of five callers gets — anonymous, a department user of the
document's own department, a department user of another department, a reviewer, an
administrator — and the body it is sent with. Every POST is sent with the caller's valid CSRF
token (tests/test_web_auth.py shows that without it every POST is 403). A page without a login
goes to the login page (303), an API call gets 401; a document of another department is 404
(its existence is not told).

:func:`test_every_route_is_in_the_table` fails when the application has a route the table does
not list (or the table one the application lacks): a new route gets its row here, one line.
A path parameter gets its value from :data:`PARAMS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import EXAMPLE
from fastapi.testclient import TestClient

OWN, OTHER = "武汉市汉阳区大数据中心", "武汉市汉阳区教育局"   # the two departments of the store below
UNIT = "武汉市汉阳区大数据中心网格分中心"                     # a unit under OWN (entities.parent_id)
ROLES = ("anon", "own", "other", "reviewer", "admin")

# method, route path (as declared), anon own other reviewer admin  [body: {"data": …} or {"json": …}]
ROWS = [
    ("GET", "/",                            303, 303, 303, 303, 303),
    ("GET", "/login",                       200, 200, 200, 200, 200),
    ("POST", "/login",                      401, 401, 401, 401, 401, {"data": {"username": "x", "password": "y"}}),
    ("POST", "/logout",                     303, 303, 303, 303, 303),
    ("POST", "/api/login",                  401, 401, 401, 401, 401, {"json": {"username": "x", "password": "y"}}),
    ("GET", "/dashboard",                   303, 200, 200, 200, 200),
    ("GET", "/documents/{version_id}",      303, 200, 404, 200, 200),
    ("GET", "/api/documents/{version_id}",  401, 200, 404, 200, 200),
    # the example is data, not a PDF: no page images (404) to whoever may see it; 404 to another department
    ("GET", "/documents/{version_id}/pages/{n}.png", 303, 404, 404, 404, 404),
    # marks: reviewers and administrators (a form post: back to the page, 303); department users 403
    ("POST", "/documents/{version_id}/findings/{fingerprint}/mark", 303, 403, 403, 303, 303,
     {"data": {"state": "confirmed"}}),
    ("GET", "/admin/users",                 303, 403, 403, 403, 200),
    ("POST", "/admin/users",                303, 403, 403, 403, 200,
     {"data": {"name": "matrix-new", "role": "reviewer", "password": "matrix-password"}}),
    ("POST", "/admin/users/{user_id}/disable", 303, 403, 403, 403, 200),
    ("POST", "/admin/users/{user_id}/enable", 303, 403, 403, 403, 200),
    ("POST", "/admin/users/{user_id}/password", 303, 403, 403, 403, 200, {"data": {"password": "another-pass"}}),
    ("GET", "/admin/audit",                 303, 403, 403, 403, 200),
    ("GET", "/admin/audit.csv",             303, 403, 403, 403, 200),
    ("GET", "/admin/audit.xlsx",            303, 403, 403, 403, 200),
    # uploads: a department user and the administrator upload (junk here: refused for its content, 415),
    # a reviewer reads and marks but does not upload; an upload is followed by its uploader, reviewers, admins
    ("GET", "/upload",                      303, 200, 200, 200, 200),
    ("POST", "/upload",                     303, 415, 415, 403, 415, {"files": {"file": ("x.bin", b"\0junk" * 9)}}),
    ("POST", "/api/documents",              401, 415, 415, 403, 415, {"files": {"file": ("x.bin", b"\0junk" * 9)}}),
    ("GET", "/uploads/{upload_id}",         303, 303, 404, 303, 303),     # done: on to its document
    ("GET", "/uploads/{upload_id}/progress", 303, 200, 404, 200, 200),
    ("GET", "/api/uploads/{upload_id}",     401, 200, 404, 200, 200),
    ("GET", "/api/documents/{version_id}/findings", 401, 200, 404, 200, 200),
    ("GET", "/documents/{version_id}/versions", 303, 200, 404, 200, 200),
    ("GET", "/documents/{version_id}/versions/fragment", 303, 200, 404, 200, 200),
    ("GET", "/documents/{version_id}/findings.{fmt}", 303, 200, 404, 200, 200),
    ("GET", "/documents/{version_id}/build.{fmt}", 303, 404, 404, 404, 404),   # fmt json: not a built format
    # the dashboard, history and compare: everyone logged in, a department user its own rows only
    ("GET", "/dashboard/rows",              303, 200, 200, 200, 200),
    ("GET", "/entities/{entity_id}",        303, 200, 404, 200, 200),
    ("GET", "/compare",                     303, 200, 200, 200, 200),
    ("GET", "/compare/download",            303, 200, 200, 200, 200),
    ("POST", "/disclosures/{disclosure_id}/status", 303, 403, 403, 303, 303, {"data": {"status": "published"}}),
    ("GET", "/static",                      200, 200, 200, 200, 200, {"url": "/static/style.css"}),
    ("GET", "/docs",                        200, 200, 200, 200, 200),
    ("GET", "/docs/oauth2-redirect",        200, 200, 200, 200, 200),
    ("GET", "/redoc",                       200, 200, 200, 200, 200),
    ("GET", "/openapi.json",                200, 200, 200, 200, 200),
]

# the value of each path parameter, from the world below (a new parameter: add it here)
PARAMS = {
    "version_id": lambda w: w.own_version,     # a version of OWN: own sees it, other does not
    "user_id": lambda w: w.target_id,          # an account the administrator acts on
    "upload_id": lambda w: w.own_upload,       # an upload by the user of OWN
    "entity_id": lambda w: w.own_entity,       # the department OWN
    "disclosure_id": lambda w: w.own_disclosure,
    "fmt": lambda w: "json",                   # findings.json; build.json is no format: 404 for all

    "n": lambda w: 1,                          # a page of a PDF
    "fingerprint": lambda w: w.app.state.store.findings(w.own_version)[0]["fingerprint"],   # a finding of it
}


@dataclass
class World:
    app: object
    own_version: int
    other_version: int
    unit_version: int
    target_id: int
    own_upload: int
    own_entity: int
    own_disclosure: int


def _copy_as(name: str, folder: Path) -> Path:
    """The bundled example as the disclosure of another entity ``name``."""
    folder.mkdir(parents=True)
    text = (EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8")
    (folder / "disclosure.yaml").write_text(text.replace(OWN, name), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    from argon2 import PasswordHasher

    from juesuan.store import accounts
    quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)   # argon2id, cheaply: five accounts
    saved = accounts._hasher, accounts._DUMMY_HASH
    accounts._hasher, accounts._DUMMY_HASH = (lambda: quick), quick.hash("nobody's")
    try:
        yield from _world(tmp_path_factory)
    finally:
        accounts._hasher, accounts._DUMMY_HASH = saved


def _world(tmp_path_factory):
    from juesuan.store import Store
    from juesuan.store.schema import entities
    from juesuan.web import Settings, create_app
    tmp = tmp_path_factory.mktemp("perm")
    store = Store.open(tmp / "s.db")
    own = store.import_path(EXAMPLE).version_id
    other = store.import_path(_copy_as(OTHER, tmp / "other")).version_id
    unit = store.import_path(_copy_as(UNIT, tmp / "unit")).version_id
    with store.engine.begin() as conn:   # the unit belongs to the department OWN (the schema's parent_id)
        own_id = conn.execute(sa.select(entities.c.id).where(entities.c.name == OWN)).scalar_one()
        conn.execute(entities.update().where(entities.c.name == UNIT).values(parent_id=own_id))
    app = create_app(Settings(seed=False), store=store)
    acc = app.state.accounts
    acc.add("dept-own", "department", "password-own", OWN)
    acc.add("dept-other", "department", "password-other", OTHER)
    acc.add("reviewer", "reviewer", "password-rev")
    acc.add("admin", "admin", "password-admin")
    target = acc.add("target", "reviewer", "password-target")
    from juesuan.web.jobs import new_upload
    upload = new_upload(store.engine, "dept-own", "决算.yaml", 10, "0" * 64, "done", 100, "完成", own)
    v = store.version(own)
    yield World(app, own, other, unit, target.id, upload, v["entity_id"], v["disclosure_id"])
    store.close()


USERS = {"own": "dept-own", "other": "dept-other", "reviewer": "reviewer", "admin": "admin"}


def client_as(world: World, role: str) -> tuple[TestClient, str]:
    """A client with a fresh session of ``role`` (made in the store: no password hashing), and
    its CSRF token."""
    from juesuan.web.auth import COOKIE
    client = TestClient(world.app, follow_redirects=False)
    if role == "anon":
        return client, "no-session"
    user = world.app.state.accounts.get(USERS[role])
    token, csrf = world.app.state.accounts.open_session(user, 60)
    client.cookies.set(COOKIE, token)
    return client, csrf


def flat_routes(app) -> list:
    """Every route of ``app``, those of included routers too (FastAPI ≥ 0.13x keeps them behind
    an included-router object: ``iter_route_contexts`` gives each with its full path)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:   # older FastAPI: include_router copies the routes into app.routes
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def _routes(app) -> set[tuple[str, str]]:
    found = set()
    for r in flat_routes(app):
        if getattr(r, "methods", None) is None and hasattr(r, "path"):   # a Mount (/static)
            found.add(("GET", r.path))
            continue
        for m in getattr(r, "methods", None) or ():
            if m != "HEAD":
                found.add((m, r.path))
    return found


def test_every_route_is_in_the_table(world):
    listed = [(row[0], row[1]) for row in ROWS]
    assert len(listed) == len(set(listed)), "a route listed twice in ROWS"
    have = _routes(world.app)
    missing = sorted(have - set(listed), key=lambda t: (t[1], t[0]))
    stale = sorted(set(listed) - have, key=lambda t: (t[1], t[0]))
    message = []
    if missing:
        message.append("routes of the application missing from the permission matrix "
                       "(tests/test_web_permissions.py ROWS; add a line each, with the status per role "
                       "anon, own, other, reviewer, admin):")
        message += [f'    ("{m}", "{p}", ...),' for m, p in missing]
    if stale:
        message.append("rows of ROWS whose route the application no longer has (remove them):")
        message += [f'    ("{m}", "{p}", ...)' for m, p in stale]
    assert not message, "\n".join(message)


def _url(world: World, path: str) -> str:
    import re

    def value(m: re.Match) -> str:
        name = m.group(1).split(":")[0]
        if name not in PARAMS:
            pytest.fail(f"the path parameter {{{name}}} of {path} has no value: add it to PARAMS "
                        "in tests/test_web_permissions.py")
        return str(PARAMS[name](world))
    return re.sub(r"\{([^}]+)\}", value, path)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]} {r[1]}" for r in ROWS])
def test_permission_matrix(world, row):
    method, path, *expected = row
    body = expected.pop() if isinstance(expected[-1], dict) else {}
    url = body.get("url") or _url(world, path)
    wrong = []
    for role, want in zip(ROLES, expected):
        client, csrf = client_as(world, role)
        kw = {k: v for k, v in body.items() if k in ("data", "json", "files")}
        r = client.request(method, url, headers={"X-CSRF-Token": csrf}, **kw)
        if r.status_code != want:
            wrong.append(f"{role}: {r.status_code} (expected {want}) {r.text[:120]!r}")
    assert not wrong, f"{method} {url}:\n  " + "\n  ".join(wrong)


def test_a_page_without_a_login_goes_to_the_login_page_and_an_api_call_gets_401(world):
    client, _ = client_as(world, "anon")
    r = client.get(f"/documents/{world.own_version}")
    assert r.status_code == 303 and r.headers["location"] == f"/login?next=/documents/{world.own_version}"
    r = client.get(f"/api/documents/{world.own_version}")
    assert r.status_code == 401 and r.json()["detail"] == "未登录或登录已过期"


def test_a_department_user_sees_its_department_and_the_units_under_it_only(world):
    from juesuan.store.accounts import User
    from juesuan.web.auth import can_see_version, visible_entity_ids, visible_versions
    store = world.app.state.store
    rows = store.versions()
    by_entity = {v["entity"]: v for v in rows}
    assert set(by_entity) == {OWN, OTHER, UNIT}
    own = User(1, "a", "department", OWN)
    other = User(2, "b", "department", OTHER)
    region = User(3, "c", "department", "武汉市汉阳区")    # a region's name is not a department's
    nobody = User(4, "d", "department", None)
    assert {v["entity"] for v in visible_versions(store, own, rows)} == {OWN, UNIT}
    assert {v["entity"] for v in visible_versions(store, other, rows)} == {OTHER}
    assert visible_versions(store, region, rows) == [] and visible_versions(store, nobody, rows) == []
    assert [can_see_version(store, own, by_entity[e]) for e in (OWN, OTHER, UNIT)] == [True, False, True]
    assert [can_see_version(store, other, by_entity[e]) for e in (OWN, OTHER, UNIT)] == [False, True, False]
    assert not any(can_see_version(store, region, v) for v in rows)
    for role in ("admin", "reviewer"):
        u = User(5, "e", role, None)
        assert visible_entity_ids(store, u) is None and visible_versions(store, u, rows) == rows
        assert all(can_see_version(store, u, v) for v in rows)
    # … and the pages and the API apply it: the unit's document is the own department's to read
    for role, want in (("own", 200), ("other", 404), ("reviewer", 200)):
        client, _ = client_as(world, role)
        assert client.get(f"/documents/{world.unit_version}").status_code == want
        assert client.get(f"/api/documents/{world.unit_version}").status_code == want
    client, _ = client_as(world, "other")
    assert client.get(f"/api/documents/{world.other_version}").json()["entity"] == OTHER


def test_who_may_mark(world):
    from fastapi import Depends, FastAPI

    from juesuan.store.accounts import User
    from juesuan.web.auth import may_mark, require_mark
    assert [may_mark(User(1, "x", r, "d")) for r in ("admin", "reviewer", "department")] == [True, True, False]
    assert not may_mark(None)
    probe = FastAPI()

    @probe.get("/probe")
    def _probe(user: User = Depends(require_mark)):
        return user.name
    from juesuan.web.auth import current_user
    for role, want in (("department", 403), ("reviewer", 200), ("admin", 200)):
        probe.dependency_overrides[current_user] = lambda role=role: User(1, "x", role, "d")
        assert TestClient(probe).get("/probe").status_code == want


def test_lists_show_a_department_user_its_own_rows_only(world):
    """The dashboard's rows and the compare tables (page and download) of a department user hold
    its department and not another's; a reviewer's hold both."""
    for role, sees_own, sees_other in (("own", True, False), ("other", False, True), ("reviewer", True, True)):
        client, _ = client_as(world, role)
        for url in ("/dashboard/rows?q=", "/compare", "/compare/download?format=csv"):
            text = client.get(url).text
            assert (OWN in text, OTHER in text) == (sees_own, sees_other), (role, url)


def test_who_may_add_a_version_of_an_entity(world):
    """A department user uploads for its department and the units the store files under it; an
    administrator for any; a reviewer for none."""
    from juesuan.store.accounts import User
    from juesuan.web.auth import may_upload_for
    store = world.app.state.store
    own, other = User(1, "a", "department", OWN), User(2, "b", "department", OTHER)
    assert [may_upload_for(store, own, e) for e in (OWN, UNIT, OTHER)] == [True, True, False]
    assert [may_upload_for(store, other, e) for e in (OWN, UNIT, OTHER)] == [False, False, True]
    assert not may_upload_for(store, User(3, "c", "department", "武汉市汉阳区"), OWN)   # a region's name
    assert not may_upload_for(store, User(4, "d", "reviewer", None), OWN)
    assert may_upload_for(store, User(5, "e", "admin", None), OTHER)
