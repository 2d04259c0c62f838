"""The web in a real headless Chromium (Debian's chromium, driven by Playwright; docs/web.md
"浏览器测试"): log in, upload, findings at their places, marks, the dashboard, the findings
report, and what a department user may not see. The selectors are those docs/web.md lists.
Screenshots of every main page go to ``$JUESUAN_SCREENSHOTS`` (else a temporary folder)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from web_live import DEPT_A, DEPT_B, EXAMPLE, EXAMPLE_ENTITY, broken, login, sign_in

pytest_plugins = ["web_live"]   # the fixtures live, browser, page, shots


def expect():
    from playwright.sync_api import expect
    return expect


def test_login_wrong_password_then_right_then_logout(page, live, shots):
    login(page, live, "admin", "wrong-password", expect=None)
    expect()(page.locator("p.error[role=alert]")).to_contain_text("用户名或密码错误")
    assert "/login" in page.url
    page.screenshot(path=shots / "login.png")
    login(page, live, "admin")
    expect()(page.locator("header.top .who")).to_contain_text("admin")
    page.click("header.top form[action='/logout'] button")
    page.wait_for_url(re.compile(r"/login"))
    page.goto(f"{live.url}/dashboard")                  # the session is gone: back to the login page
    page.wait_for_url(re.compile(r"/login\?next=/dashboard"))


def test_department_user_cannot_open_another_departments_document(page, live):
    own = sign_in(page, live, "tushu", f"/documents/{live.ids[DEPT_B]}")   # a user of DEPT_B
    assert own.status == 200
    other = page.goto(f"{live.url}/documents/{live.ids[DEPT_A]}")
    assert other.status in (403, 404)
    assert DEPT_A not in page.content()


def test_department_user_sees_only_its_department_on_the_dashboard(page, live):
    sign_in(page, live, "tushu")
    rows = page.locator("table#departments tr.department")
    expect()(rows.first).to_be_visible()
    expect()(rows.filter(has_text=DEPT_B)).to_have_count(1)
    expect()(rows.filter(has_text=DEPT_A)).to_have_count(0)
    assert DEPT_A not in page.content()


def test_dashboard_lists_departments_with_status_and_search(page, live, shots):
    sign_in(page, live, "shenhe")                        # a reviewer sees every department
    table = page.locator("table#departments")
    rows = table.locator("tr.department")
    expect()(rows.filter(has_text=DEPT_A)).to_have_count(1)
    expect()(rows.filter(has_text=DEPT_B)).to_have_count(1)
    # DEPT_A's document has errors (one figure changed), DEPT_B's only the example's warning
    assert rows.filter(has_text=DEPT_A).get_attribute("data-status") == "error"
    assert rows.filter(has_text=DEPT_B).get_attribute("data-status") == live.store.version(
        live.ids[DEPT_B])["status"] != "error"
    page.screenshot(path=shots / "dashboard.png", full_page=True)
    q = page.locator("input[name=q]").first
    q.fill("档案")
    q.press("Enter")
    expect()(rows.filter(has_text=DEPT_B)).to_have_count(0)
    expect()(rows.filter(has_text=DEPT_A)).to_have_count(1)


def _open_document(page, live, name, vid):
    response = sign_in(page, live, name, f"/documents/{vid}")
    assert response.status == 200
    expect()(page.locator("li.finding").first).to_be_visible()


def test_findings_link_to_their_places(page, live, shots):
    vid = live.ids[DEPT_A]
    _open_document(page, live, "shenhe", vid)
    stored = live.store.findings(vid)
    items = page.locator("li.finding")
    assert items.count() == len(stored)
    assert {items.nth(i).get_attribute("data-fingerprint") for i in range(items.count())} == {
        f["fingerprint"] for f in stored}
    errors = page.locator("li.finding[data-severity=error]")
    rules = {errors.nth(i).get_attribute("data-rule") for i in range(errors.count())}
    assert {"JS104", "JS202"} <= rules                   # the changed figure, as `juesuan check` says
    page.screenshot(path=shots / "document.png")
    goto = page.locator("li.finding[data-severity=error][data-rule=JS202] a.goto").first
    anchor = goto.get_attribute("href")
    assert anchor and anchor.startswith("#")
    cell = page.locator(f"td.flag.flag-error[id='{anchor[1:]}']")
    expect()(cell).to_have_count(1)
    expect()(cell).to_contain_text("1,184.47")           # the changed figure is the one flagged
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")   # far from the table
    expect()(cell).not_to_be_in_viewport()
    goto.click()
    expect()(cell).to_be_in_viewport()
    assert unquote(page.url).endswith(anchor)
    page.screenshot(path=shots / "document-place.png")


def test_reviewer_dismisses_a_finding_and_the_mark_stays(page, live, shots):
    import sqlalchemy as sa
    vid = live.ids[DEPT_A]
    _open_document(page, live, "shenhe", vid)
    item = page.locator("li.finding[data-severity=warning], li.finding[data-severity=info]").first
    fingerprint = item.get_attribute("data-fingerprint")
    item = page.locator(f"li.finding[data-fingerprint='{fingerprint}']")
    state = item.locator(".mark-state")
    before = state.inner_text()
    reason = item.locator("textarea[name=reason]")
    if not reason.is_visible():                          # the reason may be folded in a <details>
        item.locator("details:has(textarea[name=reason]) > summary").click()
    reason.fill("经核实，原文无误")
    item.locator("button.mark-dismissed").click()
    expect()(state).not_to_have_text(before)
    after = state.inner_text()
    page.reload()
    marked = page.locator(f"li.finding[data-fingerprint='{fingerprint}']")
    expect()(marked.locator(".mark-state")).to_have_text(after)
    marked.scroll_into_view_if_needed()
    page.screenshot(path=shots / "document-mark.png")
    with live.store.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT state, reason, user_name FROM marks WHERE version_id = :v "
                                   "AND fingerprint = :f"), {"v": vid, "f": fingerprint}).one()
    assert tuple(row) == ("dismissed", "经核实，原文无误", "shenhe")


def test_download_the_findings_report(page, live, tmp_path):
    import openpyxl
    vid = live.ids[DEPT_A]
    _open_document(page, live, "shenhe", vid)
    with page.expect_download() as info:
        # the findings report (修改意见): data-format "findings-xlsx" beside a built document's "xlsx"
        page.locator("a.download[data-format=findings-xlsx], a.download[data-format=xlsx]").first.click()
    path = tmp_path / "report.xlsx"
    info.value.save_as(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    cells = {str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c}
    for f in live.store.findings(vid):
        if f["severity"] == "error":
            assert f["rule"] in cells and any(f["message"] in c for c in cells), f["rule"]


def _upload(page, live, path, shots=None, name=None):
    """Upload ``path`` through form#upload; wait for the document page; its version id."""
    page.goto(f"{live.url}/upload")
    form = page.locator("form#upload")
    form.locator("input[type=file][name=file]").set_input_files(str(path))
    if shots is not None:
        page.screenshot(path=shots / "upload.png", full_page=True)
    form.locator("button[type=submit], input[type=submit]").first.click()
    progress = page.locator("#progress")
    expect()(progress).to_be_attached()
    if shots is not None:
        page.screenshot(path=shots / name)
    page.wait_for_url(re.compile(r"/documents/\d+"), timeout=30_000)
    return int(re.search(r"/documents/(\d+)", page.url).group(1))


def test_upload_the_example_and_a_broken_document(page, live, shots):
    sign_in(page, live, "admin", "/upload")
    vid = _upload(page, live, EXAMPLE, shots, "upload-progress.png")
    v = live.store.version(vid)
    assert v["entity"] == EXAMPLE_ENTITY and v["errors"] == 0
    expect()(page.locator("h1").first).to_contain_text(EXAMPLE_ENTITY)
    expect()(page.locator("li.finding[data-severity=error]")).to_have_count(0)

    bad = broken(EXAMPLE, live.folder / "大数据中心-改.txt")
    vid2 = _upload(page, live, bad)
    assert vid2 != vid and live.store.version(vid2)["errors"] == 2
    errors = page.locator("li.finding[data-severity=error]")
    expect()(errors).to_have_count(2)
    expect()(page.locator("td.flag.flag-error").first).to_be_attached()

    # a department user of another department sees neither
    page.context.clear_cookies()
    for v_id in (vid, vid2):
        assert sign_in(page, live, "dangan", f"/documents/{v_id}").status in (403, 404)


def test_admin_users_page(page, live, shots):
    assert sign_in(page, live, "admin", "/admin/users").status == 200
    for name in ("admin", "shenhe", "dangan", "tushu"):
        expect()(page.locator("main")).to_contain_text(name)
    page.screenshot(path=shots / "admin-users.png", full_page=True)
    page.context.clear_cookies()
    assert sign_in(page, live, "shenhe", "/admin/users").status == 403
