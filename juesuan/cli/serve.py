"""``juesuan serve``: the review web pages over the store (docs/web.md)."""

from __future__ import annotations

from ._app import Exit, command, console, err_console, option
from .db import db_option


@command("serve", "启动审核网页：上传文档、查看审核意见、各部门总览（浏览器打开所示地址）。")
@option("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问；0.0.0.0 对局域网开放）")
@option("--port", type=int, default=8000, help="端口（默认 8000）")
@db_option
def serve(host: str, port: int, db: str | None) -> None:
    try:
        import uvicorn

        from ..store import StoreError
        from ..web import Settings, create_app
    except ImportError as e:   # pragma: no cover - the web's packages are dependencies
        err_console.print(f"缺少网页所需的软件包：{e.name}（pip install juesuan 会一并安装）", style="red")
        raise Exit(2) from None
    try:
        app = create_app(Settings(db=db))
    except StoreError as e:
        err_console.print(str(e), style="red")
        raise Exit(2) from None
    console.print(f"juesuan 审核网页：http://{host}:{port}/ （数据库：{app.state.store.where}）")
    console.print("按 Ctrl+C 停止。")
    uvicorn.run(app, host=host, port=port, log_level="warning")
