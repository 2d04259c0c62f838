"""``juesuan serve``: the review web pages over the store (docs/web.md).

On first start it makes the administrator ``admin`` (password from ``$JUESUAN_ADMIN_PASSWORD``,
else generated and shown once) and, on an empty store, loads the bundled example and the sample
documents in the background (:mod:`juesuan.web.seed`). The console says where to browse and how
to log in.
"""

from __future__ import annotations

from ._app import Exit, command, console, err_console, option
from .db import db_option


def _address(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        return f"http://127.0.0.1:{port}"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@command("serve", "启动审核网页：上传文档、查看审核意见、各部门总览（浏览器打开所示地址）。",
         notes="首次启动（数据库中还没有账户）时创建管理员 admin：密码取环境变量 JUESUAN_ADMIN_PASSWORD，"
               "未设置时自动生成并只显示一次。数据库中还没有文档时，在后台载入自带的示例与样本文档"
               "（--no-seed 不载入）。",
         examples=("juesuan serve", "JUESUAN_ADMIN_PASSWORD=… juesuan serve --host 0.0.0.0 --port 8080 --db 审核.db"))
@option("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问；0.0.0.0 对局域网开放）")
@option("--port", type=int, default=8000, help="端口（默认 8000）")
@option("--no-seed", dest="no_seed", action="store_true", help="数据库为空时也不载入示例与样本文档。")
@db_option
def serve(host: str, port: int, db: str | None, no_seed: bool = False) -> None:
    try:
        import uvicorn

        from ..store import StoreError
        from ..store.accounts import AccountError
        from ..web import Settings, create_app
        from ..web.seed import ADMIN_ENV
    except ImportError as e:   # pragma: no cover - the web's packages are dependencies
        err_console.print(f"缺少网页所需的软件包：{e.name}（pip install juesuan 会一并安装）", style="red")
        raise Exit(2) from None
    try:
        app = create_app(Settings(db=db, seed=not no_seed, first_admin=True))
    except StoreError as e:
        err_console.print(str(e), style="red")
        raise Exit(2) from None
    except AccountError as e:
        err_console.print(f"{e}（至少 8 个字符；或不设置它，由程序生成密码）", style="red")
        raise Exit(2) from None
    url = _address(host, port)
    console.print(f"juesuan 审核网页：{url}/ （数据库：{app.state.store.where}）")
    if host in ("0.0.0.0", "::"):
        console.print("已对局域网开放：其他电脑用本机的 IP 地址和端口访问。")
    first = app.state.first_admin
    if first is not None and first.generated:
        console.print(f"首次启动：已创建管理员账户 {first.name}，密码：{first.password}", style="bold")
        console.print("  此密码只显示这一次，请立即记下；登录后可在“账户”页重设"
                      f"（或 juesuan user password {first.name} --password-stdin）。")
        console.print(f"登录：浏览器打开 {url}/login ，用户名 {first.name}，密码见上。")
    elif first is not None:
        console.print(f"首次启动：已创建管理员账户 {first.name}，密码为环境变量 {ADMIN_ENV} 的值。")
        console.print(f"登录：浏览器打开 {url}/login ，用户名 {first.name}。")
    else:
        console.print(f"登录：浏览器打开 {url}/login ，用已有账户登录"
                      "（juesuan user list 列出账户；忘记密码：juesuan user password 用户名 --password-stdin）。")
    seeding = app.state.seeding
    if seeding is not None:
        console.print(f"数据库中还没有文档：正在后台载入自带的示例与样本文档（{len(seeding.paths)} 份），"
                      "稍后刷新总览即可看到。")
        seeding.when_done(lambda s: console.print(s.summary))
    console.print("按 Ctrl+C 停止。")
    uvicorn.run(app, host=host, port=port, log_level="warning")
