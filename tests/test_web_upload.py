"""Uploads, versions and downloads of the web (issue 17; docs/web.md, 上传、版本与下载).

Real inputs throughout: the bundled example built as text, HTML, DOCX and a workbook, its
canonical YAML (and the same as JSON), the published sample PDFs, a text with an injected
error and its corrected version, and files made to be refused (too large, not a document, a
zip bomb posing as a workbook). Each upload goes through the real path: streamed in, known by
content, read and checked in a worker process, stored, shown.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from juesuan.cli import main as cli
from juesuan.store import Store
from juesuan.store.documents import get_document
from juesuan.web import Settings, create_app
from juesuan.web.files import Refused, receive, sniff, upload_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
HANYANG = "武汉市汉阳区大数据中心"
PASSWORD = "correct-horse-9"
BAD_SENTENCE = ("收入合计1294.48万元", "收入合计1394.48万元")       # the narrative contradicts the tables
BAD_CELL = ("201\t03\t50\t事业运行\t247.04\t247.04", "201\t03\t50\t事业运行\t257.04\t247.04")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The example built as every format, its workbook and data, and a text with an injected error."""
    d = tmp_path_factory.mktemp("inputs")
    assert cli(["build", str(EXAMPLE), "--format", "html,txt,docx", "-o", str(d / "built")]) == 0
    built = {p.suffix: p for p in (d / "built").iterdir()}
    good = built[".txt"].read_text(encoding="utf-8")
    assert BAD_SENTENCE[0] in good and BAD_CELL[0] in good
    bad = good.replace(BAD_SENTENCE[0], BAD_SENTENCE[1], 1).replace(BAD_CELL[0], BAD_CELL[1], 1)
    (d / "决算.txt").write_text(good, encoding="utf-8")
    (d / "决算-有误.txt").write_text(bad, encoding="utf-8")
    assert cli(["template", "--from", str(EXAMPLE), "-o", str(d / "决算数据.xlsx")]) in (0, 1)
    import yaml
    data = yaml.safe_load((EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8"))
    (d / "disclosure.json").write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return {"txt": d / "决算.txt", "bad": d / "决算-有误.txt", "html": built[".html"], "docx": built[".docx"],
            "xlsx": d / "决算数据.xlsx", "yaml": EXAMPLE / "disclosure.yaml", "json": d / "disclosure.json",
            "pdf": SAMPLES / "chongqing-swu-2023-final.pdf", "seed": SAMPLES / "000_9e500328b38455ed.txt",
            "dir": d}


ROLES = {"admin": ("admin", None), "reviewer": ("reviewer", None), "hanyang": ("department", HANYANG),
         "other": ("department", "重庆市某某局")}


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch):
    """Accounts hash with argon2's cheapest parameters here: these tests are about uploads."""
    from argon2 import PasswordHasher
    monkeypatch.setattr("juesuan.store.accounts._hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024))


class Site:
    """An application over a fresh store, with an account of each role."""

    def __init__(self, tmp: Path, **settings):
        self.store = Store.open(tmp / "s.db")
        self.app = create_app(Settings(seed=False, upload_dir=tmp / "uploads", **settings), store=self.store)
        self.clients: dict[str, TestClient] = {}

    def client(self, name: str) -> TestClient:
        if name not in self.clients:
            role, department = ROLES[name]
            self.app.state.accounts.add(name, role, PASSWORD, department)
            c = TestClient(self.app)
            r = c.post("/login", data={"username": name, "password": PASSWORD}, follow_redirects=False)
            assert r.status_code == 303, r.text
            c.csrf = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/upload").text).group(1)
            self.clients[name] = c
        return self.clients[name]

    def post(self, who: str, path: Path, name: str | None = None, token: bool = True):
        c = self.client(who)
        return c.post("/upload", data={"csrf_token": c.csrf} if token else {},
                      files={"file": (name or path.name, path.read_bytes(), "application/octet-stream")},
                      follow_redirects=False)

    def wait(self, who: str, upload_id: int, seconds: float = 60) -> dict:
        c = self.client(who)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            j = c.get(f"/api/uploads/{upload_id}").json()
            if j["state"] in ("done", "failed"):
                return j
            time.sleep(0.05)
        raise AssertionError(f"upload {upload_id} still {j}")

    def upload(self, who: str, path: Path, name: str | None = None) -> dict:
        r = self.post(who, path, name)
        assert r.status_code == 303, r.text
        assert r.headers["location"].startswith("/uploads/"), r.headers["location"]
        return self.wait(who, int(r.headers["location"].rsplit("/", 1)[1]))

    def audit(self, action: str) -> list[dict]:
        return [r for r in self.app.state.accounts.log_rows() if r["action"] == action]


@pytest.fixture
def site(tmp_path):
    s = Site(tmp_path)
    yield s
    for c in s.clients.values():
        c.close()
    s.store.close()


# ------------------------------------------------------------------------------ by content, not by name

def test_sniff_knows_files_by_content_not_name(files, tmp_path):
    wrong = {"pdf": ".txt", "xlsx": ".pdf", "docx": ".xlsx", "html": ".txt", "txt": ".html", "yaml": ".txt",
             "json": ".yaml"}
    for fmt, suffix in wrong.items():
        p = tmp_path / f"renamed{suffix}"
        shutil.copy(files[fmt], p)
        assert sniff(p) == fmt, fmt
    marked = tmp_path / "data.txt"                    # a YAML document that begins with its marker
    marked.write_text("%YAML 1.1\n---\n" + files["yaml"].read_text(encoding="utf-8"), encoding="utf-8")
    assert sniff(marked) == "yaml"
    listed = tmp_path / "list.json"                   # data, but not a mapping: not data
    listed.write_text("[1, 2]", encoding="utf-8")
    assert sniff(listed) == "txt"
    gbk = tmp_path / "gbk.dat"                        # a published text in GB18030 is text
    gbk.write_bytes(files["seed"].read_text(encoding="utf-8").encode("gb18030"))
    assert sniff(gbk) == "txt"
    for enc in ("utf-16", "utf-16-le"):               # Windows Notepad's "Unicode" (with a BOM, and without)
        wide = tmp_path / f"{enc}.txt"                # is text, as `juesuan parse` reads it
        wide.write_bytes(files["seed"].read_text(encoding="utf-8").encode(enc))
        assert sniff(wide) == "txt", enc


def _zip(path: Path, members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("make, status, words", [
    (lambda d: _zip(d / "bomb.xlsx", {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>",
                                      "xl/worksheets/sheet1.xml": b"\0" * (40 << 20)}), 400, "压缩比异常"),
    (lambda d: _zip(d / "a.xlsx", {"readme.txt": b"hello"}), 415, "压缩包"),
    (lambda d: _zip(d / "slides.docx", {"ppt/presentation.xml": b"<p/>"}), 415, "PowerPoint"),
    (lambda d: (d / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le")
                                           + b"\0" * 600) and d / "old.xls", 415, ".doc"),
    (lambda d: (d / "img.pdf").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 8)
     and d / "img.pdf", 415, "无法识别"),
])
def test_sniff_refuses_what_is_not_a_document(tmp_path, make, status, words):
    p = make(tmp_path)
    with pytest.raises(Refused) as e:
        sniff(p, p.name)
    assert e.value.status == status and words in e.value.message, e.value.message


# ------------------------------------------------------------------------------ streaming and its bounds

class _Request:
    """What :func:`receive` reads of a request: its headers and its body, chunk by chunk."""

    def __init__(self, headers: dict[str, str], chunks):
        self.headers, self.chunks, self.taken = headers, chunks, 0

    async def stream(self):
        for c in self.chunks:
            self.taken += 1
            yield c


def _multipart(token: str, size: int, chunk: int = 1 << 20):
    head = (b"--B\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + token.encode() +
            b"\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
            b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n")
    yield head
    for _ in range(size // chunk):
        yield b"0" * chunk
    yield b"\r\n--B--\r\n"


def test_receive_stops_at_the_bound_without_reading_the_rest(tmp_path):
    limit = 2 << 20
    req = _Request({"content-type": "multipart/form-data; boundary=B"}, _multipart("t", 50 << 20))   # no length
    with pytest.raises(Refused) as e:
        asyncio.run(receive(req, tmp_path, limit, "t"))
    assert e.value.status == 413 and "上限为 2 MB" in e.value.message
    assert req.taken <= 4                          # 50 chunks offered, the body dropped at the bound
    assert list(tmp_path.iterdir()) == []          # nothing left behind

    told = _Request({"content-type": "multipart/form-data; boundary=B", "content-length": str(10 << 30)},
                    _multipart("t", 10 << 20))
    with pytest.raises(Refused):
        asyncio.run(receive(told, tmp_path, limit, "t"))
    assert told.taken == 0                         # a stated length above the bound: not a byte read

    ok = _Request({"content-type": "multipart/form-data; boundary=B"}, _multipart("t", 1 << 20, 1 << 16))
    got = asyncio.run(receive(ok, tmp_path, limit, "t"))
    assert got.size == (1 << 20) + 9 and got.name == "big.pdf" and got.path.stat().st_size == got.size

    forged = _Request({"content-type": "multipart/form-data; boundary=B"}, _multipart("wrong", 1 << 16))
    with pytest.raises(Refused) as e:
        asyncio.run(receive(forged, tmp_path, limit, "t"))
    assert e.value.status == 403


def test_too_large_and_wrong_content_are_refused_over_http(tmp_path, files):
    s = Site(tmp_path, max_upload_bytes=256 * 1024)
    r = s.post("admin", files["pdf"])                              # 1.3 MB > 256 KB
    assert r.status_code == 413 and "文件过大" in r.text and "上限为 256 KB" in r.text
    bomb = _zip(tmp_path / "决算数据.xlsx", {"xl/workbook.xml": b"<w/>",
                                           "xl/worksheets/sheet1.xml": b"\0" * (30 << 20)})
    assert bomb.stat().st_size < 256 * 1024
    r = s.post("admin", bomb)
    assert r.status_code == 400 and "压缩比异常" in r.text and "另存" in r.text
    r = s.post("admin", _zip(tmp_path / "x.docx", {"a.txt": b"a"}))
    assert r.status_code == 415 and "解压" in r.text
    refused = s.audit("upload_refused")
    assert len(refused) == 3 and {r["detail"]["status"] for r in refused} == {413, 400, 415}
    assert s.store.counts()["versions"] == 0
    assert not [p for p in (tmp_path / "uploads").rglob("*") if p.is_file()]     # nothing kept


def test_csrf_and_roles_of_upload(site, files):
    r = site.post("admin", files["txt"], token=False)
    assert r.status_code == 403 and "CSRF" in r.text
    c = site.client("admin")                          # the file before the token: refused too
    body = (b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nabc\r\n"
            b"--B\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + c.csrf.encode() + b"\r\n--B--\r\n")
    r = c.post("/upload", content=body, headers={"content-type": "multipart/form-data; boundary=B"})
    assert r.status_code == 403
    r = site.client("admin").post("/api/documents", files={"file": ("a.txt", b"abc")})
    assert r.status_code == 403
    r = site.post("reviewer", files["txt"])
    assert r.status_code == 403 and "不能上传" in r.text
    assert sorted(r["user_name"] for r in site.audit("upload_refused")) == ["admin"] * 3 + ["reviewer"]
    anon = TestClient(site.app)
    r = anon.post("/api/documents", files={"file": ("a.txt", b"abc")}, headers={"X-CSRF-Token": "x"})
    assert r.status_code == 401
    assert site.store.counts()["versions"] == 0


# ------------------------------------------------------------------------------ the whole way

def test_upload_with_an_error_then_the_corrected_version(site, files):
    page = site.client("hanyang").get("/upload")
    assert 'form id="upload"' in page.text and 'type="file" name="file"' in page.text
    r = site.post("hanyang", files["bad"])
    assert r.status_code == 303
    uid = int(r.headers["location"].rsplit("/", 1)[1])
    status = site.client("hanyang").get(f"/uploads/{uid}", follow_redirects=False)
    assert status.status_code in (200, 303)
    if status.status_code == 200:                     # still going: the page polls #progress
        assert 'id="progress"' in status.text and 'hx-trigger="every 1s"' in status.text
    j = site.wait("hanyang", uid)
    assert j["state"] == "done" and j["progress"] == 100 and "2 个错误" in j["message"], j
    vid = j["version_id"]
    frag = site.client("hanyang").get(f"/uploads/{uid}/progress")
    assert frag.headers["HX-Redirect"] == f"/documents/{vid}"
    assert site.client("hanyang").get(f"/uploads/{uid}", follow_redirects=False).headers["location"] == \
        f"/documents/{vid}"

    v = site.client("hanyang").get(f"/api/documents/{vid}").json()
    assert (v["entity"], v["year"], v["number"], v["status"], v["origin"]) == (HANYANG, 2023, 1, "error", "parsed")
    found = site.client("hanyang").get(f"/api/documents/{vid}/findings").json()
    js301 = [f for f in found if f["rule"] == "JS301" and f["severity"] == "error"]
    assert js301 and "1394.48" in js301[0]["message"] and js301[0]["places"]
    kept = upload_path(site.app, j["sha256"], ".txt")
    assert kept.read_bytes() == files["bad"].read_bytes()
    doc = get_document(site.store.engine, vid)
    assert doc["entity"] == HANYANG and "T1" in doc["tables"]["tables"]
    assert not (site.app.state.settings.upload_dir / ".work" / str(uid)).exists()

    # the same file again: straight to its version, nothing read again
    r = site.post("hanyang", files["bad"], name="again.txt")
    assert r.status_code == 303 and r.headers["location"] == f"/documents/{vid}"
    assert site.store.counts()["versions"] == 1

    # the corrected document: a second version; what changed and which findings disappeared
    j2 = site.upload("hanyang", files["txt"])
    assert j2["state"] == "done", j2
    v2 = j2["version_id"]
    assert site.client("hanyang").get(f"/api/documents/{v2}").json()["number"] == 2
    page = site.client("hanyang").get(f"/documents/{v2}/versions")
    assert page.status_code == 200
    html = page.text
    assert "与第 1 版相比" in html and "决算-有误.txt" in html and "决算.txt" in html   # the names uploaded
    changed = re.search(r'<tr class="figure-change changed".*?</tr>', html, re.S).group(0)
    assert "事业运行" in changed and "257.04" in changed and "247.04" in changed
    gone = re.search(r'<ul class="findings-gone">.*?</ul>', html, re.S).group(0)
    assert 'data-rule="JS301"' in gone and f'href="/documents/{vid}#f-' in gone
    assert 'class="findings-new"' not in html
    first = site.client("hanyang").get(f"/documents/{vid}/versions/fragment").text
    assert "这是第 1 版" in first and 'id="versions"' in first and "<html" not in first

    actions = [r["action"] for r in site.app.state.accounts.log_rows()]
    assert actions.count("upload") == 3 and actions.count("upload_done") == 2


def test_a_file_that_cannot_be_read_fails_with_its_reason(site, tmp_path):
    notice = tmp_path / "通知.txt"
    notice.write_text("关于召开2024年度工作会议的通知\n各科室：定于下周一上午九时召开工作会议。\n", encoding="utf-8")
    j = site.upload("admin", notice)
    assert j["state"] == "failed" and j["message"].startswith("文件无法使用："), j
    page = site.client("admin").get(f"/uploads/{j['id']}")
    assert page.status_code == 200 and 'role="alert"' in page.text and j["message"] in page.text
    assert 'hx-trigger' not in page.text                 # nothing more to wait for
    assert site.store.counts()["versions"] == 0
    assert site.audit("upload_failed")[0]["detail"]["reason"] == "input"


def test_department_user_uploads_only_its_own(site, files):
    j = site.upload("other", files["txt"])
    assert j["state"] == "failed" and HANYANG in j["message"] and "本单位" in j["message"], j
    assert site.store.counts()["versions"] == 0
    assert not upload_path(site.app, j["sha256"], ".txt").exists()
    assert site.audit("upload_failed")[0]["detail"]["reason"] == "department"
    # a document of another unit, uploaded by the administrator, stays out of the department's sight
    mine = site.upload("hanyang", files["txt"])["version_id"]
    theirs = site.upload("admin", files["pdf"])
    assert theirs["state"] == "done", theirs
    vid, uid = theirs["version_id"], theirs["id"]
    c = site.client("hanyang")
    for url in (f"/api/documents/{vid}", f"/api/documents/{vid}/findings", f"/documents/{vid}/versions",
                f"/documents/{vid}/findings.xlsx", f"/documents/{vid}/findings.json", f"/api/uploads/{uid}",
                f"/uploads/{uid}"):
        assert c.get(url, follow_redirects=False).status_code == 404, url
    assert c.get(f"/api/documents/{mine}").status_code == 200
    assert site.client("reviewer").get(f"/api/documents/{vid}").status_code == 200
    # the same file as another unit's: refused, not pointed at
    r = site.post("other", files["txt"])
    assert r.status_code == 403 and HANYANG in r.text
    assert "重庆" not in c.get("/upload").text        # its upload list shows only its own uploads


def test_data_uploads_and_downloads(site, files):
    from juesuan.store.schema import marks
    jobs = {fmt: site.upload("admin", files[fmt]) for fmt in ("yaml", "xlsx", "html")}
    for fmt, j in jobs.items():
        assert j["state"] == "done", (fmt, j)
    vid = jobs["yaml"]["version_id"]
    c = site.client("admin")
    v = c.get(f"/api/documents/{vid}").json()
    assert v["origin"] == "built" and v["format"] == "yaml"
    assert c.get(f"/api/documents/{jobs['xlsx']['version_id']}").json()["format"] == "xlsx"

    links = c.get(f"/documents/{vid}/versions").text
    assert {m for m in re.findall(r'class="download" data-format="([\w-]+)"', links)} == \
        {"findings-xlsx", "findings-json", "html", "docx", "pdf", "xlsx"}
    r = c.get(f"/documents/{vid}/build.html")
    assert r.status_code == 200 and HANYANG in r.text and "1,294.48" in r.text
    r = c.get(f"/documents/{vid}/build.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert (site.app.state.settings.upload_dir / "built" / str(vid) / "document.xlsx").exists()   # cached
    r = c.get(f"/documents/{vid}/build.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    parsed = jobs["html"]["version_id"]
    assert c.get(f"/documents/{parsed}/build.pdf").status_code == 404
    assert 'data-format="pdf"' not in c.get(f"/documents/{parsed}/versions").text

    # 修改意见 with a reviewer's mark
    f = c.get(f"/api/documents/{vid}/findings").json()[0]
    with site.store.engine.begin() as conn:
        from datetime import UTC, datetime
        conn.execute(marks.insert().values(version_id=vid, fingerprint=f["fingerprint"], state="confirmed",
                                           reason="属实", user_name="reviewer", at=datetime.now(UTC)))
    assert c.get(f"/api/documents/{vid}/findings").json()[0]["mark"]["state_text"] == "已确认"
    data = c.get(f"/documents/{vid}/findings.json").json()["documents"][0]
    assert data["单位"] == HANYANG and data["文件"] == "disclosure.yaml"
    assert [i["标记"] for i in data["问题"] if i["规则"] == f["rule"] and i["问题"] == f["message"]] == ["已确认"]
    import openpyxl
    r = c.get(f"/documents/{vid}/findings.xlsx")
    assert "attachment" in r.headers["content-disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[1]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows[0][4] == "审核标记" and any(r[0] == f["rule"] and r[4] == "已确认" for r in rows[1:])


def test_api_upload_and_poll(site, files):
    site.app.state.accounts.add("admin", "admin", PASSWORD)
    c = TestClient(site.app)
    login = c.post("/api/login", json={"username": "admin", "password": PASSWORD}).json()
    r = c.post("/api/documents", files={"file": ("决算.docx", files["docx"].read_bytes())},
               headers={"X-CSRF-Token": login["csrf_token"]})
    assert r.status_code == 202, r.text
    first = r.json()
    assert first["url"] == f"/api/uploads/{first['id']}" and first["state"] in ("queued", "running", "done")
    end = time.monotonic() + 60
    while (j := c.get(first["url"]).json())["state"] not in ("done", "failed") and time.monotonic() < end:
        time.sleep(0.05)
    assert j["state"] == "done" and j["document_url"] == f"/api/documents/{j['version_id']}", j
    assert c.get(j["document_url"]).json()["format"] == "docx"
    r = c.post("/api/documents", files={"file": ("x.bin", bytes(range(256)) * 4)},
               headers={"X-CSRF-Token": login["csrf_token"]})
    assert r.status_code == 415 and "无法识别" in r.json()["detail"]
    spec = c.get("/openapi.json").json()
    assert {"/api/documents", "/api/uploads/{upload_id}", "/api/documents/{version_id}",
            "/api/documents/{version_id}/findings"} <= set(spec["paths"])
    assert {"UploadStatus", "VersionSummary", "FindingOut"} <= set(spec["components"]["schemas"])


def test_progress_polls_while_running_and_an_abandoned_upload_fails(site):
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from juesuan.store.schema import uploads
    from juesuan.web.jobs import new_upload
    c = site.client("hanyang")
    uid = new_upload(site.store.engine, "hanyang", "决算.pdf", 10, "0" * 64, "running", 10, "正在读取并审核PDF 文件…")
    page = c.get(f"/uploads/{uid}")
    assert page.status_code == 200
    progress = re.search(r'<div id="progress".*?>', page.text, re.S).group(0)
    assert f'hx-get="/uploads/{uid}/progress"' in progress and 'hx-trigger="every 1s"' in progress
    assert 'data-progress="10"' in progress and "正在读取并审核" in page.text and "已用" in page.text
    frag = c.get(f"/uploads/{uid}/progress")
    assert "HX-Redirect" not in frag.headers and frag.text.lstrip().startswith('<div id="progress"')
    assert site.client("other").get(f"/uploads/{uid}").status_code == 404        # not its upload
    with site.store.engine.begin() as conn:                # the server stopped while it ran, long ago
        conn.execute(sa.update(uploads).where(uploads.c.id == uid)
                     .values(created_at=datetime.now(UTC) - timedelta(hours=2)))
    j = c.get(f"/api/uploads/{uid}").json()
    assert j["state"] == "failed" and "重新上传" in j["message"]
