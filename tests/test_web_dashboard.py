"""The dashboard, a department's history, the compare tables and 已公开 (issue 17; docs/web.md 总览).

Two real stores: one holding the bundled example, the reference document's extraction (a second
version of the same disclosure, with errors) and two published PDFs (a Shanghai department 2024,
a university 2023 that gives no 三公 figures); and one made by
bench/bench_web.py from bench/synth.py's random consistent departments (some years missing,
some second versions). The pages are read back (lxml) and compared with what the store and
``store/compare.py`` say independently.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
import sqlalchemy as sa
from conftest import EXAMPLE, SAMPLES, empty_store
from fastapi.testclient import TestClient

from juesuan.store import Store
from juesuan.store.compare import VIEWS, compare_rows, shown, view_table
from juesuan.web import Settings, create_app

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_web import fill_store  # noqa: E402

HANYANG = "武汉市汉阳区大数据中心"
PUTUO = "中共上海市普陀区委社会工作部"
SWU = "西南大学"
NEW_DEPT = "武汉市汉阳区新设局"       # a department user's department, no document at all
PASSWORD = "secret-password"


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    d = tmp_path_factory.mktemp("dash")
    store = Store.open(d / "s.db")
    for p in (EXAMPLE, SAMPLES / "000_9e500328b38455ed.txt", SAMPLES / "shanghai-putuo-shehuigongzuobu-2024.pdf",
              SAMPLES / "chongqing-swu-2023-final.pdf"):
        store.import_path(p, diff=False)
    app = create_app(Settings(seed=False, upload_dir=d / "uploads"), store=store)
    acc = app.state.accounts
    acc.add("admin", "admin", PASSWORD)
    acc.add("rev", "reviewer", PASSWORD)
    acc.add("dept", "department", PASSWORD, HANYANG)
    acc.add("newdept", "department", PASSWORD, NEW_DEPT)
    yield app
    store.close()


def client(app, name: str, fresh: bool = False) -> TestClient:
    """A client logged in as ``name`` (kept with the application, one per name, unless ``fresh``:
    a login is an argon2 hash's time)."""
    kept = getattr(app.state, "test_clients", None)
    if kept is None:
        app.state.test_clients = kept = {}
    if not fresh and name in kept:
        return kept[name]
    c = TestClient(app)
    r = c.post("/login", data={"username": name, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303, r.text
    if not fresh:
        kept[name] = c
    return c


def rows(html: str) -> dict[str, lxml.html.HtmlElement]:
    """The department rows (``tr.department``) of a page or of the table's body alone, by name."""
    if html.lstrip().startswith("<tbody"):
        html = f"<table id='departments'>{html}</table>"
    doc = lxml.html.fromstring(html)
    return {tr.xpath("string(td[1])").strip(): tr for tr in doc.xpath(
        "//table[@id='departments']//tr[contains(concat(' ', @class, ' '), ' department ')]")}


def cells(tr) -> dict[str, str]:
    return {td.get("data-key"): td.text_content().strip() for td in tr.xpath("td[@data-key]")}


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_every_department_with_its_state_counts_and_figures(real):
    store = real.state.store
    c = client(real, "admin")
    r = c.get("/dashboard", params={"year": 2023})
    assert r.status_code == 200
    got = rows(r.text)
    # 2023: the Wuhan department (its latest version, the extraction, has errors), the university
    # (clean), and the two 2024 departments and the account's department, known but not submitted
    assert {n: tr.get("data-status") for n, tr in got.items()} == {
        HANYANG: "error", SWU: "ok", PUTUO: "missing", NEW_DEPT: "missing"}
    latest = {v["entity"]: v for v in store.versions(year=2023)}
    han = got[HANYANG]
    assert han.xpath("string(td[5])").strip() == str(latest[HANYANG]["errors"]) == "2"
    assert han.xpath("string(td[6])").strip() == str(latest[HANYANG]["warnings"])
    assert han.xpath("td[4]/a/@href") == [f"/documents/{latest[HANYANG]['id']}"] and latest[HANYANG]["number"] == 2
    # the key figures are compare's figures of the latest version, as displayed (万元)
    by_entity = {row.entity: row for row in compare_rows(store, years=[2023])}
    for name in (HANYANG, SWU):
        want = {k: shown(by_entity[name].values[k], "amount")
                for k in ("income", "expenditure", "general_final", "3p_final_total")}
        assert cells(got[name]) == want
    assert cells(got[HANYANG])["expenditure"] == "1,294.48"
    # the university gives no 三公 table: blank, not 0
    assert cells(got[SWU])["3p_final_total"] == "" and by_entity[SWU].values["3p_final_total"] is None
    assert cells(got[PUTUO]) == {k: "" for k in ("income", "expenditure", "general_final", "3p_final_total")}
    doc = lxml.html.fromstring(r.text)
    counts = {li.get("data-status"): int(li.xpath("string(.//b)")) for li in doc.xpath("//li[@data-status]")}
    assert counts == {"missing": 2, "error": 1, "warning": 0, "ok": 1, "published": 0}
    # two charts, inline SVG: the status counts and the departments' expenditure
    svgs = doc.xpath("//svg")
    assert len(svgs) == 2 and "各状态单位数" in svgs[0].text_content()
    assert "西南大学" in svgs[1].text_content() and "457,676.75" in svgs[1].text_content()
    assert 'src="http' not in r.text and "cdn" not in r.text.lower()


def test_filters_and_live_search(real):
    c = client(real, "rev")
    assert set(rows(c.get("/dashboard", params={"year": 2023, "status": "missing"}).text)) == \
        {PUTUO, NEW_DEPT}
    assert set(rows(c.get("/dashboard", params={"year": 2023, "status": "有错误"}).text)) == {HANYANG}
    assert set(rows(c.get("/dashboard", params={"year": 2024, "region": "上海"}).text)) == {PUTUO}
    assert set(rows(c.get("/dashboard", params={"year": 2024, "region": "汉阳"}).text)) == {HANYANG, NEW_DEPT}
    assert set(rows(c.get("/dashboard", params={"year": 2023, "q": "大学"}).text)) == {SWU}
    page = lxml.html.fromstring(c.get("/dashboard").text)        # no year: the latest the store holds
    assert page.xpath("//select[@name='year']/option[@selected]/@value") == ["2024"]
    q = page.xpath("//input[@name='q']")[0]
    assert q.get("hx-get") == "/dashboard/rows" and q.get("hx-target") == "#department-rows"
    # the live search: only the table's body comes back, and the address bar is kept in step
    r = c.get("/dashboard/rows", params={"year": "2023", "q": "汉阳"}, headers={"HX-Request": "true"})
    assert r.text.lstrip().startswith('<tbody id="department-rows"')
    assert len(re.findall(r'<tr class="department ', r.text)) == 2 and HANYANG in r.text and NEW_DEPT in r.text
    assert r.headers["HX-Replace-Url"] == "/dashboard?year=2023&q=%E6%B1%89%E9%98%B3"
    none = c.get("/dashboard/rows", params={"year": "2023", "q": "没有这个单位"}).text
    assert '<tr class="department' not in none and "没有符合条件的单位" in none
    assert c.get("/dashboard", params={"year": "20x3"}).status_code == 400
    assert c.get("/dashboard", params={"status": "whatever"}).status_code == 400


def test_a_department_user_sees_only_its_department(real):
    store = real.state.store
    c = client(real, "dept")
    assert set(rows(c.get("/dashboard", params={"year": 2023}).text)) == {HANYANG}
    assert set(rows(c.get("/dashboard/rows", params={"year": 2023}).text)) == {HANYANG}
    page = c.get("/dashboard", params={"year": 2023}).text
    assert SWU not in page and PUTUO not in page          # nor in the charts or the region list
    mine = store.entities(HANYANG)[0]["id"]
    other = store.entities(SWU)[0]["id"]
    assert c.get(f"/entities/{mine}").status_code == 200
    assert c.get(f"/entities/{other}").status_code == 404
    cmp = c.get("/compare", params={"years": "2023,2024"}).text
    assert HANYANG in cmp and SWU not in cmp and PUTUO not in cmp
    csv = c.get("/compare/download", params={"format": "csv", "years": "2023,2024"}).content.decode("utf-8-sig")
    assert HANYANG in csv and SWU not in csv
    # may not mark 已公开
    disclosure = store.version(store.versions(entity=HANYANG)[0]["id"])["disclosure_id"]
    r = c.post(f"/disclosures/{disclosure}/status", data={"status": "published", "csrf_token": csrf_of(page)})
    assert r.status_code == 403
    # the account's department without any document: only itself, 未提交
    n = client(real, "newdept")
    got = rows(n.get("/dashboard", params={"year": 2023}).text)
    assert list(got) == [NEW_DEPT] and got[NEW_DEPT].get("data-status") == "missing"


def test_reviewer_marks_published_and_undoes_it(real):
    store = real.state.store
    c = client(real, "rev")
    page = c.get("/dashboard", params={"year": 2023}).text
    token = csrf_of(page)
    swu = store.versions(entity=SWU)[0]
    url = f"/disclosures/{swu['disclosure_id']}/status"
    assert c.post(url, data={"status": "published"}).status_code == 403          # no CSRF token
    # another session's token is refused
    assert client(real, "rev", fresh=True).post(url, data={"status": "published", "csrf_token": token}).status_code \
        == 403
    r = c.post(url, data={"status": "published", "csrf_token": token, "next": "/dashboard?year=2023"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/dashboard?year=2023"
    after = c.get("/dashboard", params={"year": 2023}).text
    assert rows(after)[SWU].get("data-status") == "published"
    assert set(rows(c.get("/dashboard", params={"year": 2023, "status": "published"}).text)) == {SWU}
    with store.engine.connect() as conn:
        log = conn.execute(sa.text("SELECT user_name, target, detail FROM audit_log WHERE action = 'status'")).all()
    assert len(log) == 1 and log[0][0] == "rev" and log[0][1] == f"disclosure {swu['disclosure_id']}"
    # htmx: the row comes back alone, undone
    r = c.post(url, data={"status": "", "fragment": "row", "next": "/dashboard?year=2023"},
               headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert r.status_code == 200 and r.text.lstrip().startswith('<tr class="department')
    assert 'data-status="ok"' in r.text and r.text.count("<tr") == 1
    assert rows(c.get("/dashboard", params={"year": 2023}).text)[SWU].get("data-status") == "ok"
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log WHERE action = 'status'")).scalar() == 2
    assert c.post("/disclosures/99999/status", data={"status": "published", "csrf_token": token}).status_code == 404


def test_history_of_a_department(real):
    store = real.state.store
    c = client(real, "admin")
    e = store.entities(HANYANG)[0]["id"]
    r = c.get(f"/entities/{e}")
    assert r.status_code == 200
    doc = lxml.html.fromstring(r.text)
    trs = doc.xpath("//table[@id='versions']/tbody/tr")
    versions = store.history(e)
    assert sorted(int(tr.get("data-version")) for tr in trs) == sorted(v["id"] for v in versions)
    states = {int(tr.get("data-version")): tr.get("data-status") for tr in trs}
    assert states == {v["id"]: v["status"] for v in versions} == {versions[0]["id"]: "warning",
                                                                 versions[1]["id"]: "error"}
    assert {f"/documents/{v['id']}" for v in versions} <= set(doc.xpath("//a/@href"))
    assert c.get("/entities/999999").status_code == 404
    assert c.get(f"/entities/{e}", params={"threshold": "abc"}).status_code == 400


def test_compare_tables_and_downloads(real):
    store = real.state.store
    c = client(real, "admin")
    for view in VIEWS:
        r = c.get("/compare", params={"years": "2023,2024", "view": view})
        assert r.status_code == 200
        doc = lxml.html.fromstring(r.text)
        cols, data = view_table(compare_rows(store, years=[2023, 2024]), view)
        assert [th.text_content() for th in doc.xpath("//table[@id='compare']/thead//th")] == [c.title for c in cols]
        body = [[td.text_content().strip() for td in tr.xpath("td")]
                for tr in doc.xpath("//table[@id='compare']/tbody/tr")]
        assert body == [[shown(v, col.kind) for v, col in zip(row, cols)] for row in data]
    page = lxml.html.fromstring(c.get("/compare", params={"years": "2023,2024"}).text)
    links = {a.get("data-format"): a.get("href") for a in page.xpath("//a[@class='download']")}
    assert set(links) == {"xlsx", "csv"}
    x = c.get(links["xlsx"])
    assert x.status_code == 200 and "filename*=UTF-8''" in x.headers["content-disposition"]
    names = zipfile.ZipFile(io.BytesIO(x.content)).namelist()
    assert sum(n.startswith("xl/worksheets/sheet") for n in names) == len(VIEWS)
    csv = c.get(links["csv"]).content
    assert csv.startswith(b"\xef\xbb\xbf") and len(csv.decode("utf-8-sig").splitlines()) == 1 + 3
    assert c.get("/compare/download", params={"format": "pdf"}).status_code == 400


def test_pages_need_a_login(real):
    c = TestClient(real)
    for url in ("/dashboard", "/dashboard/rows", "/entities/1", "/compare", "/compare/download"):
        r = c.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def synthetic(request, tmp_path_factory):
    """12 departments, 38 documents (bench/bench_web.py's fill_store), on SQLite and PostgreSQL."""
    with empty_store(request.param, tmp_path_factory.mktemp("synth")) as url:
        store = Store.open(url)
        fill_store(store, departments=12, documents=38, templates=2)
        app = create_app(Settings(seed=False), store=store)
        app.state.accounts.add("admin", "admin", PASSWORD)
        yield app
        store.close()


def test_synthetic_store_agrees_with_the_store_and_compare(synthetic):
    store = synthetic.state.store
    c = client(synthetic, "admin")
    statements = []

    def count(conn, cursor, statement, *rest):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    from juesuan.store import dashboard
    sa.event.listen(store.engine, "before_cursor_execute", count)
    try:
        dashboard._CACHE.clear()
        html = c.get("/dashboard", params={"year": 2024}).text
        n_all = len(statements)
        statements.clear()
        dashboard._CACHE.clear()
        c.get("/dashboard", params={"year": 2024, "region": "汉阳"})
        n_region = len(statements)
        statements.clear()
        c.get("/dashboard", params={"year": 2024, "region": "汉阳"})      # the figures known: not read again
        n_again = len(statements)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", count)
    got = rows(html)
    names = {v["entity"] for v in store.versions(all_versions=True)}
    latest = {v["entity"]: v for v in store.versions(year=2024)}
    assert set(got) == names and len(names) == 12
    # 38 documents: 12 × 2 years, 2024 for 11 (one 未提交), a second 2024 version for 3
    assert sum(v["number"] == 2 for v in latest.values()) == 3 and len(latest) == 11
    assert {n for n, tr in got.items() if tr.get("data-status") == "missing"} == names - set(latest)
    for name, v in latest.items():
        assert got[name].get("data-status") == v["status"]
        assert got[name].xpath("string(td[5])").strip() == str(v["errors"])
    by_entity = {r.entity: r for r in compare_rows(store, years=[2024])}
    for name, r in by_entity.items():
        assert cells(got[name]) == {k: shown(r.values[k], "amount") for k in cells(got[name])}
    # a few statements per page (the session's, the rows', the figures', the counts', the filters'),
    # whatever the number of departments: none per row
    assert n_all <= 9 and n_region == n_all and n_again == n_all - 1


def test_yoy_on_the_department_page(synthetic):
    store = synthetic.state.store
    c = client(synthetic, "admin")
    e = store.versions(year=2024)[0]["entity_id"]
    from juesuan.store.compare import year_over_year
    want = year_over_year(store, e, Decimal(10))
    doc = lxml.html.fromstring(c.get(f"/entities/{e}").text)
    trs = doc.xpath("//table[@id='year-over-year']/tbody/tr")
    assert len(trs) == len(want) > 0
    assert {tr.xpath("string(td[1])") for tr in trs} == {str(w.year) for w in want}


def test_long_tables_come_in_pages_as_they_are_scrolled(synthetic, monkeypatch):
    from juesuan.web import dashboard
    monkeypatch.setattr(dashboard, "PAGE", 5)
    c = client(synthetic, "admin")
    html = c.get("/dashboard", params={"year": 2024}).text
    seen = list(rows(html))
    assert len(seen) == 5
    more = lxml.html.fromstring(html).xpath("//tr[@class='more']")
    while more:
        assert more[0].get("hx-trigger") == "revealed" and more[0].get("hx-swap") == "outerHTML"
        part = c.get(more[0].get("hx-get"), headers={"HX-Request": "true"}).text
        assert not part.lstrip().startswith("<tbody")          # rows alone, after the ones shown
        got = rows(f"<tbody>{part}</tbody>")
        assert 0 < len(got) <= 5
        seen += list(got)
        more = lxml.html.fromstring(f"<table><tbody>{part}</tbody></table>").xpath("//tr[@class='more']")
    everything = rows(c.get("/dashboard", params={"year": 2024, "all": "1"}).text)
    assert seen == list(everything) and len(seen) == 12
    # the figures of a later page are there too
    latest = {r.entity: r for r in compare_rows(synthetic.state.store, years=[2024])}
    last = rows(f"<tbody>{part}</tbody>")
    for name, tr in last.items():
        if name in latest:
            assert cells(tr)["expenditure"] == shown(latest[name].values["expenditure"], "amount")


def test_names_are_escaped(synthetic):
    """A department's name is text, not markup: in the table and in the charts' SVG."""
    from juesuan.web.dashboard import bars
    acc = synthetic.state.accounts
    evil = "武汉市汉阳区<script>alert(1)</script>局"
    acc.add("evil", "department", PASSWORD, evil)
    try:
        html = client(synthetic, "admin").get("/dashboard", params={"year": 2024}).text
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;局" in html
        assert rows(html)[evil].get("data-status") == "missing"
    finally:
        with synthetic.state.store.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM users WHERE name = 'evil'"))
    svg = bars([(evil, Decimal("12.50"), "#000", evil + " & 1")], "<b>标题</b>", "万元", "x")
    assert "<script>" not in svg and "&lt;b&gt;标题&lt;/b&gt;" in svg and "12.50" in svg


def test_a_version_deleted_and_written_again_under_its_id_shows_its_own_figures(tmp_path):
    """The key figures kept in the process are a version's by id *and* import time: SQLite gives a
    deleted last version's id to the next one, which must not show the deleted one's figures."""
    import random

    from bench_web import _records, _variant

    from juesuan.store import dashboard
    from juesuan.store.records import Source
    store = Store.open(tmp_path / "s.db")
    [rec] = _records(1, 5)
    rng = random.Random(1)

    def write(n: int) -> int:
        r = _variant(rng, rec, "武汉市汉阳区测试局", "武汉市汉阳区", 2024, 0, 0)
        return store.write(r, Source(Path(f"/t/{n}.yaml"), (), f"{n:064d}", 1, "yaml"), diff=False).version_id

    first = write(1)
    before = dashboard.departments(store, None, 2024)[0].figures
    assert store.delete(first)
    second = write(2)
    assert second == first                                  # the id is given again
    after = dashboard.departments(store, None, 2024)[0].figures
    want = {r.entity: r for r in compare_rows(store, years=[2024])}["武汉市汉阳区测试局"].values
    assert after == {k: want[k] for k in dashboard.KEY_FIGURES} and after != before
    store.close()
