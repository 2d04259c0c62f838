"""The document page (docs/web.md, 文档页与标记): the disclosure as read, each finding at its place,
PDF page images with the cells boxed, and marks on findings.

Real inputs: the bundled example imported with ``Store.import_path``; the example built, one figure of
its 一般公共预算财政拨款支出决算表 changed (事业单位医疗 8.92 → 9.92) and rendered as text and PDF — so
that the checks find errors at table cells (款 ≠ Σ项, 支出决算表 < 财政拨款表) and at a sentence (情况说明
says 8.92) — imported; and a sample PDF of tests/fixtures/samples imported with no document kept.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from conftest import EXAMPLE, SAMPLES  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from juesuan import pipeline  # noqa: E402
from juesuan.store import Store  # noqa: E402
from juesuan.store.documents import get_document  # noqa: E402
from juesuan.web import Settings, create_app  # noqa: E402

PASSWORD = "correct-horse-battery"
ENTITY = "武汉市汉阳区大数据中心"


# ---- a small DOM: elements with attributes, text and children -------------------------------

class _El:
    def __init__(self, tag: str, attrs: dict[str, str], parent: _El | None):
        self.tag, self.attrs, self.parent, self.children, self.parts = tag, attrs, parent, [], []

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        yield self
        for c in self.children:
            yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[_El]:
        return [e for e in self.iter() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)
                and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]


_VOID = {"meta", "link", "br", "img", "input", "col", "hr"}


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__()
        self.root = self.at = _El("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        el = _El(tag, {k: v or "" for k, v in attrs}, self.at)
        self.at.children.append(el)
        self.at.parts.append(el)
        if tag not in _VOID:
            self.at = el

    def handle_endtag(self, tag):
        at = self.at
        while at is not None and at.tag != tag:
            at = at.parent
        if at is not None and at.parent is not None:
            self.at = at.parent

    def handle_data(self, data):
        self.at.parts.append(data)


def dom(html: str) -> _El:
    t = _Tree()
    t.feed(html)
    return t.root


# ---- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    """The example built with one figure of T5 changed, as text and PDF (and the sample PDF)."""
    out = tmp_path_factory.mktemp("bad")
    doc = pipeline.build(EXAMPLE).document
    row = next(r for r in doc.tables["T5"].rows if r.code == "2101102")
    assert row.cells["小计"] == Decimal("8.92")
    row.cells["小计"] = row.cells["基本支出"] = Decimal("9.92")
    # one format at a time: in this process (several would fork workers from a test process that may
    # hold threads of earlier tests — a fork that can deadlock)
    done = [r for fmt in ("txt", "pdf") for r in pipeline.render(doc, [fmt], out, name="bad")]
    assert all(msg is None for _, _, msg in done), done
    sample = out / "sample.pdf"
    shutil.copy(SAMPLES / "chongqing-swu-2023-final.pdf", sample)
    return {"txt": out / "bad.txt", "pdf": out / "bad.pdf", "sample": sample}


@pytest.fixture(scope="module")
def site(tmp_path_factory, sources):
    """An application over a store with the example (v1), the broken text (v2) and PDF (v3) as versions
    of its disclosure, and the sample PDF; a reviewer, a user of the example's department and one of
    another department."""
    d = tmp_path_factory.mktemp("site")
    store = Store.open(d / "s.db")
    ids = {"example": store.import_path(EXAMPLE).version_id,
           "txt": store.import_path(sources["txt"]).version_id,
           "pdf": store.import_path(sources["pdf"]).version_id,
           "sample": store.import_path(sources["sample"]).version_id}
    app = create_app(Settings(seed=False, upload_dir=d / "uploads"), store=store)
    app.state.accounts.add("rev", "reviewer", PASSWORD)
    app.state.accounts.add("dept", "department", PASSWORD, ENTITY)
    app.state.accounts.add("other", "department", PASSWORD, "武汉市汉阳区教育局")
    return app, ids


_CLIENTS: dict[tuple[int, str], TestClient] = {}


def login(app, name: str) -> TestClient:
    """A client logged in as ``name`` (one per application and user: a login hashes a password)."""
    c = _CLIENTS.get((id(app), name))
    if c is None:
        c = _CLIENTS[(id(app), name)] = TestClient(app)
        r = c.post("/login", data={"username": name, "password": PASSWORD}, follow_redirects=False)
        assert r.status_code == 303, r.text
    return c


def csrf_of(html: str) -> str:
    return re.search(r'"X-CSRF-Token": "([^"]+)"', html).group(1)


def kept(app, vid: int) -> dict:
    """The version's document as the page keeps it (viewed first: a version imported is read again)."""
    assert login(app, "rev").get(f"/documents/{vid}").status_code == 200
    return get_document(app.state.store.engine, vid) or pytest.fail("document not kept")


def finding_items(page: _El) -> list[_El]:
    return page.find_all("li", "finding")


# ---- 1. the document as read ----------------------------------------------------------------

def test_example_page_shows_its_tables_and_narrative(site):
    app, ids = site
    c = login(app, "rev")
    r = c.get(f"/documents/{ids['example']}")
    assert r.status_code == 200
    page = dom(r.text)
    titles = [e.text.strip() for e in page.find_all("h3", "table-title")]
    # the nine tables with their printed titles, as the renderers head them
    assert any("收入支出决算总表" in t for t in titles) and any("财政拨款“三公”经费支出决算表" in t for t in titles)
    assert len(titles) == 9
    cells = [e.text for e in page.find_all("td", "num")]
    assert "1,294.48" in cells and "247.04" in cells          # figures as printed in the tables
    assert any("金额单位：万元" in e.text for e in page.find_all("div", "table-meta"))
    text = page.text
    assert "第三部分" in text and "一、收入支出决算总体情况说明" in text
    assert "2023年度收、支总计1294.48万元" in text              # a paragraph of the narrative
    # read again from its source on the first view (it was imported by Store.import_path) and kept
    assert get_document(app.state.store.engine, ids["example"]) is not None
    # the findings list: every finding of the version, each with its selectors
    items = finding_items(page)
    assert len(items) == len(app.state.store.findings(ids["example"]))
    assert all(i.attrs.get("data-rule") and i.attrs.get("data-severity") and i.attrs.get("data-fingerprint")
               for i in items)
    # its warning (第四部分 and the 绩效自评表 disagree) points into the forms: each place a link to a
    # flagged cell of a form, the form shown open
    ids_on_page = {e.attrs["id"]: e for e in page.iter() if "id" in e.attrs}
    js406 = next(i for i in items if i.attrs["data-rule"] == "JS406")
    targets = [ids_on_page[a.attrs["href"][1:]] for a in js406.find_all("a", "goto")]
    assert targets and all("flag-warning" in t.classes for t in targets)
    assert any(t.text == "区政府网站全年累计访问量" for t in targets)
    forms = [d for d in page.find_all("details", "form-block") if any(t in list(d.iter()) for t in targets)]
    assert forms and all("open" in d.attrs for d in forms)


# ---- 2. findings at their places ------------------------------------------------------------

def test_contradiction_flags_the_cells_and_the_sentence(site):
    app, ids = site
    c = login(app, "rev")
    html = c.get(f"/documents/{ids['txt']}").text
    page = dom(html)
    flagged = page.find_all("td", "flag")
    assert flagged, "no cell flagged"
    ids_on_page = {e.attrs["id"] for e in page.iter() if "id" in e.attrs}
    # the changed cell: 事业单位医疗 × 小计 in T5, flagged as an error with the messages as its tooltip
    cell = next(e for e in flagged if e.text == "9.92")
    assert {"flag", "flag-error"} <= cell.classes
    assert "款 = 各项之和" in cell.attrs["title"] and cell.attrs["id"] in ids_on_page
    # T3's 8.92 (支出决算表 < 财政拨款表) is flagged too, in its own table
    assert any(e.text == "8.92" and "flag-error" in e.classes for e in flagged)
    # unflagged figures are not
    assert not any(e.text == "1,294.48" for e in flagged)
    # the sentence of the 情况说明 that says 8.92
    marks = page.find_all("mark", "flag")
    sentence = next(m for m in marks if "事业单位医疗（项）" in m.text)
    assert "flag-error" in sentence.classes and sentence.parent.tag == "p"
    assert "8.92" in sentence.text and "与表中 9.92 不符" in sentence.attrs["title"]
    # the list: grouped by severity, errors first, each place a link to an anchor on the page
    groups = [h.text for h in page.find_all("section", None) if "finding-group" in h.classes]
    assert groups and "错误" in groups[0]
    items = finding_items(page)
    js301 = next(i for i in items if i.attrs["data-rule"] == "JS301")
    assert js301.attrs["data-severity"] == "error"
    links = [a.attrs["href"] for a in js301.find_all("a", "goto")]
    assert f"#{sentence.attrs['id']}" in links and f"#{cell.attrs['id']}" in links
    for a in page.find_all("a", "goto"):
        assert a.attrs["href"].lstrip("#") in ids_on_page, a.attrs["href"]


def test_a_place_not_on_the_page_is_still_listed(site):
    from juesuan.web.view import document_view
    app, ids = site
    store = app.state.store
    data = kept(app, ids["txt"])
    found = [{"rule": "JS999", "severity": "warning", "message": "虚构的问题", "fingerprint": "f" * 32, "seq": 0,
              "places": [{"part": "第九部分", "section": "十九", "sentence": "文中没有这句话。"}]}]
    view = document_view(data, store.findings(ids["txt"]) + found)
    made = next(f for f in view.findings if f.rule == "JS999")
    assert made.unplaced and made.places[0].anchor is None
    # …and on the page it says so: a row of the store's findings whose place is not in the document
    import sqlalchemy as sa

    from juesuan.store.schema import findings
    with store.engine.begin() as conn:
        conn.execute(findings.insert().values(version_id=ids["txt"], seq=999, rule="JS999", severity="warning",
                                              message="虚构的问题", figures=[], places=found[0]["places"],
                                              fingerprint="f" * 32))
    try:    # (another application: a page once drawn is kept, and a version's findings never change)
        fresh = create_app(Settings(seed=False, upload_dir=app.state.settings.upload_dir), store=store)
        page = dom(login(fresh, "rev").get(f"/documents/{ids['txt']}").text)
        item = next(i for i in finding_items(page) if i.attrs["data-rule"] == "JS999")
        assert "页面上找不到此处" in item.text and not item.find_all("a", "goto")
    finally:
        with store.engine.begin() as conn:
            conn.execute(sa.delete(findings).where(findings.c.fingerprint == "f" * 32))


def test_the_side_of_a_two_sided_table_tells_its_cells_apart(site):
    from juesuan.web.documents import _variants
    from juesuan.web.view import document_view
    app, ids = site
    data = kept(app, ids["pdf"])
    made = [{"rule": "JS999", "severity": "error", "message": "两方总计", "fingerprint": "e" * 32,
             "places": [{"table": "T1", "side": side, "row": "总计", "column": "决算数"} for side in ("收入", "支出")]}]
    view = document_view(data, made, None, _variants("final"))
    anchors = [p.anchor for p in view.findings[0].places]
    assert len(set(anchors)) == 2 and None not in anchors
    t1 = next(t for p in view.parts for t in p.tables if t.id == "T1")
    flagged = [c for line in t1.rows for c in line if c.severity]
    assert sorted(c.anchor for c in flagged) == sorted(anchors) and all(c.html == "1,294.48" for c in flagged)
    # in the drawn table: the 收入 side's cell comes first on its row, the 支出 side's last
    row = next(line for line in t1.rows if any(c.severity for c in line))
    assert [c.anchor for c in row if c.severity] == anchors and row[-1].anchor == anchors[1]


# ---- 3. PDF: pages and boxes ----------------------------------------------------------------

def _red(px) -> bool:
    r, g, b = px[:3]
    return r > 170 and g < 120 and b < 120


def test_pdf_page_image_boxes_the_contradicting_cells(site):
    from PIL import Image
    app, ids = site
    c = login(app, "rev")
    page = dom(c.get(f"/documents/{ids['pdf']}").text)
    # per finding with a page: a link to its image, and thumbnails
    item = next(i for i in finding_items(page) if i.attrs["data-rule"] == "JS101")
    hrefs = [a.attrs["href"] for a in item.find_all("a", "page-link")]
    assert hrefs and all(h == f"/documents/{ids['pdf']}/pages/10.png" for h in hrefs)
    assert item.find_all("img", "thumb")
    r = c.get(hrefs[0])
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    img = Image.open(BytesIO(r.content)).convert("RGB")
    assert 800 <= img.width <= 850          # A4 at about 100 dpi
    # the boxes: red, and only on the lines of 行政事业单位医疗 … 公务员医疗补助 (the cells' boxes as read)
    data = get_document(app.state.store.engine, ids["pdf"])
    rows = {r["label"]: r for r in data["tables"]["tables"]["T5"]["rows"]}
    names = ("行政事业单位医疗", "事业单位医疗", "公务员医疗补助")
    lines = [rows[n]["readings"]["小计"]["place"]["bbox"] for n in names]
    scale = img.width / 595.28
    top, bottom = min(b[1] for b in lines) * scale - 6, max(b[3] for b in lines) * scale + 6
    px = img.load()
    red = [(x, y) for y in range(0, img.height, 2) for x in range(0, img.width, 2) if _red(px[x, y])]
    assert len(red) > 100
    assert all(top <= y <= bottom for _, y in red), "a box outside the rows of the finding"
    # two columns boxed (小计, 基本支出), not the whole line: the red spans two separate x ranges
    xs = sorted({x for x, _ in red})
    gaps = [b - a for a, b in zip(xs, xs[1:]) if b - a > 20]
    assert len(gaps) == 1
    # the same request again comes from the cache; a page it does not have is 404; text has no pages
    assert c.get(hrefs[0]).content == r.content
    assert c.get(f"/documents/{ids['pdf']}/pages/999.png").status_code == 404
    assert c.get(f"/documents/{ids['txt']}/pages/1.png").status_code == 404


def test_pdf_sentence_is_boxed_on_its_page(site):
    from PIL import Image
    app, ids = site
    c = login(app, "rev")
    findings = app.state.store.findings(ids["pdf"])
    js301 = next(f for f in findings if f["rule"] == "JS301")
    n = next(p["page"] for p in js301["places"] if p.get("sentence"))
    img = Image.open(BytesIO(c.get(f"/documents/{ids['pdf']}/pages/{n}.png").content)).convert("RGB")
    px = img.load()
    red = [y for y in range(0, img.height, 2) for x in range(0, img.width, 3) if _red(px[x, y])]
    assert red and max(red) - min(red) > 40      # a sentence over more than one printed line


def test_a_version_imported_without_its_document_is_read_again(site):
    app, ids = site
    engine = app.state.store.engine
    assert get_document(engine, ids["sample"]) is None
    page = dom(login(app, "rev").get(f"/documents/{ids['sample']}").text)
    assert page.find_all("h3", "table-title") and not page.find_all("p", "doc-note")
    kept = get_document(engine, ids["sample"])
    assert kept is not None and kept["source"]["format"] == "pdf"


def test_source_gone_says_so_and_lists_the_findings(tmp_path, sources):
    gone = tmp_path / "gone.txt"
    shutil.copy(sources["txt"], gone)
    store = Store.open(tmp_path / "s.db")
    vid = store.import_path(gone).version_id
    gone.unlink()
    app = create_app(Settings(seed=False, upload_dir=tmp_path / "uploads"), store=store)
    app.state.accounts.add("rev", "reviewer", PASSWORD)
    page = dom(login(app, "rev").get(f"/documents/{vid}").text)
    note = page.find_all("p", "doc-note")
    assert note and "原文件已不在" in note[0].text
    assert len(finding_items(page)) == len(store.findings(vid)) > 0
    assert not page.find_all("td", "flag")


def test_the_uploaded_copy_is_read_when_the_path_is_gone(tmp_path, sources):
    from juesuan.web.files import upload_path
    gone = tmp_path / "gone.txt"
    shutil.copy(sources["txt"], gone)
    store = Store.open(tmp_path / "s.db")
    vid = store.import_path(gone).version_id
    app = create_app(Settings(seed=False, upload_dir=tmp_path / "uploads"), store=store)
    shutil.move(gone, upload_path(app, store.version(vid)["sha256"], ".txt"))
    app.state.accounts.add("rev", "reviewer", PASSWORD)
    page = dom(login(app, "rev").get(f"/documents/{vid}").text)
    assert not page.find_all("p", "doc-note")
    assert any(e.text == "9.92" for e in page.find_all("td", "flag-error"))


# ---- 4. marks --------------------------------------------------------------------------------

def _post_mark(c: TestClient, vid: int, fp: str, token: str | None, **form):
    headers = {"HX-Request": "true"} | ({"X-CSRF-Token": token} if token else {})
    return c.post(f"/documents/{vid}/findings/{fp}/mark", data=form, headers=headers)


def test_reviewer_marks_a_finding_and_department_sees_it(site):
    import sqlalchemy as sa

    from juesuan.store.schema import audit_log, marks
    app, ids = site
    vid = ids["txt"]
    c = login(app, "rev")
    html = c.get(f"/documents/{vid}").text
    token = csrf_of(html)
    items = finding_items(dom(html))
    fp = next(i for i in items if i.attrs["data-rule"] == "JS301").attrs["data-fingerprint"]
    assert items[0].find_all("button", "mark-confirmed") and items[0].find_all("button", "mark-dismissed")
    assert items[0].find_all("textarea") and items[0].find_all("button", "mark-fixed")
    # no CSRF token: refused, nothing kept
    assert _post_mark(c, vid, fp, None, state="confirmed").status_code == 403
    # dismissed needs a reason
    r = _post_mark(c, vid, fp, token, state="dismissed", reason="  ")
    assert r.status_code == 400 and "驳回须填写理由" in r.text
    r = _post_mark(c, vid, fp, token, state="confirmed")
    assert r.status_code == 200
    frag = dom(r.text)
    assert frag.find_all(None, "mark-state")[0].text == "已确认"
    assert frag.find_all("div", "mark")[0].attrs["id"] == f"mark-{fp}"     # swapped in place
    r = _post_mark(c, vid, fp, token, state="dismissed", reason="表中数字以财政批复为准")
    assert r.status_code == 200 and "已驳回" in r.text and "表中数字以财政批复为准" in r.text
    with app.state.store.engine.connect() as conn:
        kept = conn.execute(sa.select(marks).where(marks.c.version_id == vid)).mappings().all()
        logged = conn.execute(sa.select(audit_log).where(audit_log.c.action == "mark")).mappings().all()
    assert [(m["fingerprint"], m["state"], m["user_name"]) for m in kept] == [(fp, "dismissed", "rev")]
    assert logged and logged[-1]["detail"]["fingerprint"] == fp and logged[-1]["target"] == f"version:{vid}"
    # an unknown finding, an unknown state
    assert _post_mark(c, vid, "0" * 32, token, state="fixed").status_code == 404
    assert _post_mark(c, vid, fp, token, state="maybe").status_code == 400
    # the department user sees the mark, has no buttons, and cannot set one
    d = login(app, "dept")
    html = d.get(f"/documents/{vid}").text
    item = next(i for i in finding_items(dom(html)) if i.attrs["data-fingerprint"] == fp)
    assert "已驳回" in item.find_all(None, "mark-state")[0].text and "表中数字以财政批复为准" in item.text
    assert not dom(html).find_all("button", "mark-confirmed")
    assert _post_mark(d, vid, fp, csrf_of(html), state="fixed").status_code == 403
    # a form post without htmx: back to the page, at the finding
    r = c.post(f"/documents/{vid}/findings/{fp}/mark", data={"state": "fixed", "csrf_token": token},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"#f-{fp}")


def test_permissions(site):
    app, ids = site
    other = login(app, "other")
    assert other.get(f"/documents/{ids['txt']}").status_code == 404
    assert other.get(f"/documents/{ids['pdf']}/pages/10.png").status_code == 404
    assert login(app, "dept").get(f"/documents/{ids['txt']}").status_code == 200
    anon = TestClient(app)
    r = anon.get(f"/documents/{ids['txt']}", follow_redirects=False)
    assert r.status_code == 303 and "/login" in r.headers["location"]
    assert anon.get(f"/documents/{ids['pdf']}/pages/10.png", follow_redirects=False).status_code == 303


def test_a_regional_sample_every_place_found_the_title_too(tmp_path):
    """Shanghai's template (tests/fixtures/samples): its tables drawn in its own layout, and its
    placeholders (XX) found where the findings say — the title's among them (JS603)."""
    store = Store.open(tmp_path / "s.db")
    vid = store.import_path(SAMPLES / "shanghai-template-2024.pdf").version_id
    app = create_app(Settings(seed=False, upload_dir=tmp_path / "uploads"), store=store)
    app.state.accounts.add("rev", "reviewer", PASSWORD)
    page = dom(login(app, "rev").get(f"/documents/{vid}").text)
    assert len(page.find_all("h3", "table-title")) == 9
    assert not [t for t in page.find_all("table") if "generic" in t.classes]     # every table in its layout
    items = finding_items(page)
    assert items and not any("页面上找不到此处" in i.text for i in items)
    title = page.find_all("h1")[0]
    assert title.attrs["id"] == "doc-title" and "flag" in title.classes and "XX" in title.attrs["title"]
    js603 = [i for i in items if i.attrs["data-rule"] == "JS603"]
    assert any(a.attrs["href"] == "#doc-title" for i in js603 for a in i.find_all("a", "goto"))
