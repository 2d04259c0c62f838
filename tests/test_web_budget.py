"""Budgets on the web (docs/web.md): a 部门预算 upload is stored and shown, a 决算's page lists its
cross findings with links to both documents, the dashboard says whether a department's 预算 is in.

Real uploads through the real path (streamed in, read and checked in the worker process,
stored): a published budget PDF, the example's 决算 data and a 预算 of the same unit and year as
text (tests/fixtures/store/). The cross check runs in the upload worker with the project's own
rules; to see the page with cross findings, the pair is then checked again here with a probe
that finds one difference (the worker cannot be monkeypatched).
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from test_web_upload import Site, cheap_passwords  # noqa: F401 - the fixture is used by name

from juesuan import pipeline
from juesuan.place import Place
from juesuan.rules.context import Finding
from juesuan.store.pairing import CROSS_SEQ, pair, paired_budget, pairs
from juesuan.web.jobs import upload_names

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"
BUDGET = ROOT / "tests" / "fixtures" / "store" / "hanyang-bdc-2023-budget.txt"
SWU = ROOT / "tests" / "fixtures" / "samples" / "budgets" / "chongqing-swu-2024-budget-excerpt.pdf"
HANYANG = "武汉市汉阳区大数据中心"


@pytest.fixture
def site(tmp_path):
    s = Site(tmp_path)
    yield s
    for c in s.clients.values():
        c.close()
    s.store.close()


def test_a_budget_upload_is_stored_and_shown_as_a_budget(site):
    got = site.upload("admin", SWU)
    assert got["state"] == "done", got
    assert "预算" in got["message"]
    v = site.store.version(got["version_id"])
    assert v["kind"] == "budget" and v["entity"] == "西南大学"
    html = site.client("admin").get(f"/documents/{v['id']}").text
    doc = lxml.html.fromstring(html)
    assert doc.xpath("string(//span[contains(@class, 'kind-budget')])") == "部门预算"
    body = doc.xpath("string(//article[@class='doc-body'])")
    assert "收支总表" in body or "收支预算总表" in body, body[:500]      # its tables, drawn
    # and its 绩效目标表: each project's amounts and indicators as read
    assert body.count("项目绩效目标表") >= 3 and "1,960.35" in body and "产出指标" in body, body[-2000:]
    assert not doc.xpath("//section[@id='cross']")                        # no 决算 of it: nothing across


def test_a_final_and_its_budget_uploaded_are_checked_and_linked(site, monkeypatch):
    b = site.upload("hanyang", BUDGET)
    f = site.upload("hanyang", EXAMPLE / "disclosure.yaml")
    assert b["state"] == f["state"] == "done", (b, f)
    assert "与预算交叉核对" in f["message"], f["message"]
    final, budget = site.store.version(f["version_id"]), site.store.version(b["version_id"])
    assert (final["kind"], budget["kind"]) == ("final", "budget")
    mark = paired_budget(final)
    assert mark is not None and mark["budget_version"] == budget["id"]
    assert mark["budget_file"] == BUDGET.name                 # the name it was uploaded as, not the kept copy's
    c = site.client("reviewer")
    page = lxml.html.fromstring(c.get(f"/documents/{final['id']}").text)
    assert page.xpath(f"//section[@id='cross']//a[@href='/documents/{budget['id']}']")
    assert page.xpath("string(//span[contains(@class, 'kind-final')])") == "部门决算"
    back = lxml.html.fromstring(c.get(f"/documents/{budget['id']}").text)
    assert back.xpath(f"//section[@id='cross']//a[@href='/documents/{final['id']}#cross']")

    # a probe that finds one difference: the 决算's page (drawn before) now lists it, linked both ways
    def probe(fd, bd, ff, bf):
        return [Finding("YJ101", "error", "年初预算数与预算不一致",
                        (Place(file=ff, table="T8", row="合计"), Place(file=bf, table="Y01", row="合计")),
                        ("1.00", "2.00"))]
    monkeypatch.setattr(pipeline, "check_pair", probe)
    names = upload_names(site.store.engine, [final["id"], budget["id"]])     # as the upload's pairing names them
    done = pair(site.store, pairs(site.store, site.store.keys_of([final["id"]]))[0], name=lambda v: names[v["id"]])
    assert done.checked and len(done.findings) == 1
    html = c.get(f"/documents/{final['id']}").text
    page = lxml.html.fromstring(html)
    cross = page.xpath("//ol[@class='cross-findings']/li")
    assert len(cross) == 1 and "YJ101" in cross[0].text_content()
    fp = done.findings[0]["fingerprint"]
    assert cross[0].xpath(f".//a[@href='#f-{fp}']") and cross[0].xpath(f".//a[@href='/documents/{budget['id']}']")
    item = page.xpath(f"//li[@id='f-{fp}']")[0]
    assert "交叉核对" in item.text_content()
    there = item.xpath(f".//ul[@class='places']//a[@href='/documents/{budget['id']}']")    # its place in the 预算
    assert there and there[0].text_content().startswith(f"部门预算（{BUDGET.name}）"), there
    assert re.search(r"错误 (\d+)", page.xpath("string(//span[@class='counts'])")).group(1) == \
        str(site.store.version(final["id"])["errors"])
    assert [x["seq"] for x in site.store.findings(final["id"]) if x["seq"] >= CROSS_SEQ] == [CROSS_SEQ]

    # the dashboard: the department's row says its 预算 is in, with a link to it
    dash = lxml.html.fromstring(site.client("admin").get("/dashboard", params={"year": 2023}).text)
    row = next(tr for tr in dash.xpath("//tr[contains(@class, 'department')]")
               if tr.xpath("string(td[1])").strip() == HANYANG)
    assert row.xpath(f"td[@class='budget']/a[@href='/documents/{budget['id']}']")


def test_the_dashboard_says_when_a_budget_is_missing(site):
    f = site.upload("admin", EXAMPLE / "disclosure.yaml")
    assert f["state"] == "done"
    dash = lxml.html.fromstring(site.client("admin").get("/dashboard", params={"year": 2023}).text)
    row = next(tr for tr in dash.xpath("//tr[contains(@class, 'department')]")
               if tr.xpath("string(td[1])").strip() == HANYANG)
    assert row.xpath("string(td[@class='budget'])").strip() == "未提交"


def test_a_department_may_not_upload_another_units_budget(site):
    got = site.upload("other", BUDGET)
    assert got["state"] == "failed" and f"是“{HANYANG}”的预算" in got["message"], got
    assert site.store.versions() == []


def test_a_cross_findings_place_in_the_budget_is_not_boxed_on_the_finals_pdf(site, monkeypatch, tmp_path):
    """The 决算 a PDF (西南大学 2023, published), its 预算 a text of the same unit and year: a cross
    finding's place on page 1 of the 预算 is a link to the 预算, not a box on page 1 of the 决算."""
    from juesuan.store.documents import get_document
    from juesuan.web.documents import _here
    from juesuan.web.view import page_marks
    swu_final = ROOT / "tests" / "fixtures" / "samples" / "chongqing-swu-2023-final.pdf"
    text = BUDGET.read_text(encoding="utf-8").replace(HANYANG, "西南大学").replace("汉阳区大数据中心", "西南大学")
    (tmp_path / "西南大学预算.txt").write_text(text, encoding="utf-8")
    f = site.upload("admin", swu_final)
    b = site.upload("admin", tmp_path / "西南大学预算.txt")
    assert f["state"] == b["state"] == "done", (f, b)

    def probe(fd, bd, ff, bf):
        return [Finding("YJ101", "error", "年初预算数与预算不一致",
                        (Place(file=ff, part="第三部分", section="五（三）"),
                         Place(file=bf, table="Y01", row="合计", page=1, bbox=(100.0, 100.0, 200.0, 120.0))),
                        ("1.00", "2.00"))]
    monkeypatch.setattr(pipeline, "check_pair", probe)
    names = upload_names(site.store.engine, [f["version_id"], b["version_id"]])
    assert pair(site.store, pairs(site.store, site.store.keys_of([f["version_id"]]))[0],
                name=lambda v: names[v["id"]]).checked
    v = site.store.version(f["version_id"])
    rows = site.store.findings(v["id"])
    data = get_document(site.store.engine, v["id"])
    boxed = [m for m in page_marks(data, rows).get(1, []) if getattr(m, "bbox", None) == (100.0, 100.0, 200.0, 120.0)]
    assert boxed                                                     # as the place says it, a box on page 1 …
    assert not [m for m in page_marks(data, _here(v, rows)).get(1, [])
                if getattr(m, "bbox", None) == (100.0, 100.0, 200.0, 120.0)]   # … of another PDF: not drawn
    r = site.client("admin").get(f"/documents/{v['id']}/pages/1.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
