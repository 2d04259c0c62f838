"""The administrator's pages (docs/web.md, "账户、角色与安全"): accounts and the audit log.

* ``/admin/users`` — every account; add one; disable or enable one (disabling ends its
  sessions; the last active administrator stays); reset a password (typed, or generated and
  shown once on the page that answers).
* ``/admin/audit`` — the audit log, newest first, filtered by action and user, a page at a time;
  ``/admin/audit.csv`` (UTF-8 with BOM, for Excel) and ``/admin/audit.xlsx`` export it whole
  (with the same filters). A cell that would start a spreadsheet formula is written as text.

Every POST checks the CSRF token and writes the audit log; no password is ever logged.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ..store.accounts import ROLE_TEXT, AccountError, Accounts, User
from .auth import COOKIE, audit, csrf, require_admin
from .templating import page

__all__ = ["router", "ACTIONS", "audit_table"]

router = APIRouter(prefix="/admin", include_in_schema=False)

# the audit log's actions, as the pages say them (an action not listed is shown as it is)
ACTIONS = {
    "login": "登录", "login_failed": "登录失败", "login_blocked": "登录受限（失败过多）", "logout": "退出",
    "user_add": "添加账户", "user_disable": "停用账户", "user_enable": "启用账户", "password_reset": "重设密码",
    "audit_export": "导出审计日志", "upload": "上传", "mark": "标记审核意见", "status": "更改状态",
}
PAGE = 200


def _accounts(request: Request) -> Accounts:
    return request.app.state.accounts


def _local(at: datetime | None) -> str:
    """A stored time (UTC; SQLite gives it back without its zone) as the server's local time."""
    if at is None:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _users_page(request: Request, status_code: int = 200, notice: str | None = None, error: str | None = None,
                secret: tuple[str, str] | None = None):
    rows = _accounts(request).list()
    for r in rows:
        r["created"] = _local(r["created_at"])
        r["role_text"] = ROLE_TEXT.get(r["role"], r["role"])
    return page(request, "admin_users.html", status_code, rows=rows, roles=ROLE_TEXT, notice=notice, error=error,
                secret=secret)


@router.get("/users")
def users_page(request: Request, user: User = Depends(require_admin)):
    return _users_page(request)


@router.post("/users")
def user_add(request: Request, user: User = Depends(require_admin), _: User = Depends(csrf),
             name: str = Form(""), role: str = Form(""), department: str = Form(""), password: str = Form("")):
    generated = not password
    password = password or secrets.token_urlsafe(12)
    try:
        added = _accounts(request).add(name, role, password, department or None)
    except AccountError as e:
        return _users_page(request, 400, error=str(e))
    audit(request, "user_add", added.name, {"role": added.role, "department": added.department,
                                            "password": "生成" if generated else "管理员设定"})
    return _users_page(request, notice=f"已添加{added.role_text} {added.name}。",
                       secret=(added.name, password) if generated else None)


def _set_active(request: Request, me: User, user_id: int, active: bool):
    accounts = _accounts(request)
    if not active and user_id == me.id:
        return _users_page(request, 400, error="不能停用自己的账户")
    try:
        row = accounts.set_active(user_id, active)
    except AccountError as e:
        return _users_page(request, 400 if accounts.find(user_id) else 404, error=str(e))
    audit(request, "user_enable" if active else "user_disable", row["name"])
    return _users_page(request, notice=f"已{'启用' if active else '停用'}账户 {row['name']}。")


@router.post("/users/{user_id}/disable")
def user_disable(request: Request, user_id: int, user: User = Depends(require_admin), _: User = Depends(csrf)):
    return _set_active(request, user, user_id, False)


@router.post("/users/{user_id}/enable")
def user_enable(request: Request, user_id: int, user: User = Depends(require_admin), _: User = Depends(csrf)):
    return _set_active(request, user, user_id, True)


@router.post("/users/{user_id}/password")
def password_reset(request: Request, user_id: int, user: User = Depends(require_admin), _: User = Depends(csrf),
                   password: str = Form("")):
    accounts = _accounts(request)
    generated = not password
    password = password or secrets.token_urlsafe(12)
    keep = request.cookies.get(COOKIE) if user_id == user.id else None
    try:
        row = accounts.set_password(user_id, password, keep_session=keep)
    except AccountError as e:
        return _users_page(request, 400 if accounts.find(user_id) else 404, error=str(e))
    audit(request, "password_reset", row["name"], {"password": "生成" if generated else "管理员设定"})
    return _users_page(request, notice=f"已重设 {row['name']} 的密码，其已登录的会话随之失效。",
                       secret=(row["name"], password) if generated else None)


# ------------------------------------------------------------------------------------ the audit log

def _rows(request: Request, action: str | None, name: str | None, limit: int | None,
          before: int | None = None) -> list[dict[str, Any]]:
    rows = _accounts(request).log_rows(limit=limit, action=action or None, user=(name or "").strip() or None,
                                       before=before)
    for r in rows:
        r["when"] = _local(r["at"])
        r["action_text"] = ACTIONS.get(r["action"], r["action"])
        r["detail_text"] = json.dumps(r["detail"], ensure_ascii=False, sort_keys=True) if r["detail"] else ""
    return rows


@router.get("/audit")
def audit_page(request: Request, action: str = "", user: str = "", before: int | None = None,
               me: User = Depends(require_admin)):
    rows = _rows(request, action, user, PAGE + 1, before)
    more = rows[PAGE - 1]["id"] if len(rows) > PAGE else None
    actions = sorted(set(_accounts(request).log_actions()) | set(ACTIONS))
    return page(request, "admin_audit.html", rows=rows[:PAGE], more=more, action=action, who=user,
                actions=[(a, ACTIONS.get(a, a)) for a in actions])


COLUMNS = ("时间", "用户", "操作", "操作代码", "对象", "详情", "地址")


def audit_table(rows: list[dict[str, Any]]) -> list[list[str]]:
    """The audit log's rows as the exports write them (every cell text)."""
    return [[r["when"], r["user_name"] or "", r["action_text"], r["action"], r["target"] or "", r["detail_text"],
             r["ip"] or ""] for r in rows]


def _text(cell: str) -> str:
    """A cell a spreadsheet would take for a formula (a failed login's name is anybody's text)
    written as text: with a leading apostrophe."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def _export_name(suffix: str) -> str:
    return f"audit-{datetime.now().strftime('%Y%m%d-%H%M%S')}.{suffix}"


@router.get("/audit.csv")
def audit_csv(request: Request, action: str = "", user: str = "", me: User = Depends(require_admin)):
    table = audit_table(_rows(request, action, user, None))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    w.writerows([[_text(c) for c in row] for row in table])
    audit(request, "audit_export", None, {"format": "csv", "action": action or None, "user": user or None,
                                          "rows": len(table)})
    return Response(("\ufeff" + buf.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_export_name("csv")}"'})


@router.get("/audit.xlsx")
def audit_xlsx(request: Request, action: str = "", user: str = "", me: User = Depends(require_admin)):
    import xlsxwriter
    table = audit_table(_rows(request, action, user, None))
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("审计日志")
    bold = wb.add_format({"bold": True})
    for c, title in enumerate(COLUMNS):
        ws.write_string(0, c, title, bold)
    for r, row in enumerate(table, start=1):
        for c, cell in enumerate(row):
            ws.write_string(r, c, cell)     # text, never a formula
    for c, width in enumerate((20, 12, 16, 14, 24, 60, 16)):
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(table), 1), len(COLUMNS) - 1)
    wb.close()
    audit(request, "audit_export", None, {"format": "xlsx", "action": action or None, "user": user or None,
                                          "rows": len(table)})
    return Response(buf.getvalue(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{_export_name("xlsx")}"'})
