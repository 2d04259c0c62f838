"""``juesuan user``: the accounts of the review web pages (add, list, password, disable, enable).

The password is read from standard input (``--password-stdin``: its first line), or asked twice
without echo on a terminal; it is never shown nor logged. Every change is written to the audit
log (by "命令行"). See docs/web.md, "账户、角色与安全".
"""

from __future__ import annotations

import sys

from ._app import Exit, argument, command, console, err_console, group, option, usage_error
from .db import db_option, open_store, print_table

group("user", "账户：审核网页的用户（管理员、审核人员、部门用户）：添加、列出、重设密码、停用、启用。")

_ROLE_HELP = "角色：admin（管理员）、reviewer（审核人员）、department（部门用户，须给出 --department）"


def _password(from_stdin: bool) -> str:
    """The password: the first line of standard input, or asked twice (no echo) on a terminal."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            usage_error("标准输入中没有密码（--password-stdin 读取第一行，例如 echo 密码 | juesuan user add …）")
        return password
    if not getattr(sys.stdin, "isatty", lambda: False)():
        usage_error("请用 --password-stdin 从标准输入给出密码（不在命令行上写明密码，以免留在历史记录中）")
    import getpass
    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        usage_error("两次输入的密码不一致")
    return first


def _accounts(db: str | None):
    from ..store.accounts import Accounts
    store = open_store(db)
    return store, Accounts(store.engine)


def _one(accounts, name: str) -> dict:
    row = accounts.find(name)
    if row is None:
        usage_error(f"没有用户 {name}（用 juesuan user list 查看）")
    return row


def _when(at) -> str:
    """A stored time (UTC; SQLite gives it back without its zone) in the local time zone."""
    from datetime import UTC
    if at is None:
        return ""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone().strftime("%Y-%m-%d %H:%M")


def _fail(e: Exception) -> None:
    err_console.print(str(e), style="red")
    raise Exit(2)


@command("user add", help="添加审核网页的用户。",
         notes="密码至少 8 个字符，从标准输入读取（--password-stdin），或在终端上输入两次（不回显）。"
               "部门用户只能看到与 --department 同名的单位及其下属单位的文档。退出码：0 成功，2 无法添加。",
         examples=("juesuan user add zhangsan --role reviewer --password-stdin < 密码.txt",
                   "echo '初始密码2024' | juesuan user add dsj --role department --department 武汉市汉阳区大数据中心 "
                   "--password-stdin"))
@argument("name", metavar="NAME", help="用户名（登录时使用）。")
@option("--role", required=True, help=_ROLE_HELP)
@option("--department", default=None, help="部门用户所属的部门：与文档中的单位名称一致。")
@option("--password-stdin", dest="password_stdin", action="store_true", help="从标准输入读取密码（第一行）。")
@db_option
def user_add(name: str, role: str, department: str | None, password_stdin: bool, db: str | None) -> None:
    from ..store.accounts import ROLE_NAMES, AccountError
    if ROLE_NAMES.get(role.strip()) is None:
        usage_error(f"未知的角色：{role}（可选：admin 管理员、reviewer 审核人员、department 部门用户）")
    if ROLE_NAMES[role.strip()] == "department" and not (department or "").strip():
        usage_error("部门用户须指定所属部门：--department 部门名称（与文档中的单位名称一致）")
    store, accounts = _accounts(db)
    with store:
        try:
            user = accounts.add(name, role, _password(password_stdin), department)
        except AccountError as e:
            _fail(e)
        accounts.log("user_add", None, user.name, {"role": user.role, "department": user.department, "via": "命令行"})
        console.print(f"已添加{user.role_text} {user.name}" + (f"（{user.department}）" if user.department else "")
                      + f"，数据库：{store.where}")
        if user.department and not any(e["name"] == user.department for e in store.entities(user.department)):
            err_console.print(f"注意：数据库中还没有名为“{user.department}”的单位；导入其文档后，该用户即可看到。",
                              style="yellow")


@command("user list", help="列出审核网页的用户：用户名、角色、所属部门、创建时间、状态。")
@db_option
def user_list(db: str | None) -> None:
    from ..store.accounts import ROLE_TEXT
    store, accounts = _accounts(db)
    with store:
        rows = accounts.list()
    if not rows:
        console.print(f"数据库 {store.where} 中还没有用户。用 juesuan user add 用户名 --role admin "
                      "--password-stdin 添加，或启动 juesuan serve（首次启动时创建管理员 admin）。")
        return
    print_table(["用户名", "角色", "所属部门", "创建时间", "状态"],
                [[r["name"], ROLE_TEXT.get(r["role"], r["role"]), r["department"] or "", _when(r["created_at"]),
                  "启用" if r["active"] else "停用"] for r in rows])


@command("user password", help="重设用户的密码（其已登录的会话随之失效）。",
         examples=("juesuan user password admin --password-stdin < 新密码.txt",))
@argument("name", metavar="NAME", help="用户名。")
@option("--password-stdin", dest="password_stdin", action="store_true", help="从标准输入读取新密码（第一行）。")
@db_option
def user_password(name: str, password_stdin: bool, db: str | None) -> None:
    from ..store.accounts import AccountError
    store, accounts = _accounts(db)
    with store:
        row = _one(accounts, name)
        try:
            accounts.set_password(row["id"], _password(password_stdin))
        except AccountError as e:
            _fail(e)
        accounts.log("password_reset", None, row["name"], {"via": "命令行"})
    console.print(f"已重设 {row['name']} 的密码。")


def _set_active(name: str, db: str | None, active: bool) -> None:
    from ..store.accounts import AccountError
    store, accounts = _accounts(db)
    with store:
        row = _one(accounts, name)
        try:
            accounts.set_active(row["id"], active)
        except AccountError as e:
            _fail(e)
        accounts.log("user_enable" if active else "user_disable", None, row["name"], {"via": "命令行"})
    console.print(f"已{'启用' if active else '停用'}用户 {row['name']}。")


@command("user disable", help="停用用户：不能再登录，已登录的会话立即失效。")
@argument("name", metavar="NAME", help="用户名。")
@db_option
def user_disable(name: str, db: str | None) -> None:
    _set_active(name, db, False)


@command("user enable", help="重新启用已停用的用户。")
@argument("name", metavar="NAME", help="用户名。")
@db_option
def user_enable(name: str, db: str | None) -> None:
    _set_active(name, db, True)
