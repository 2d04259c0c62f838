"""``juesuan batch``: many disclosures parsed, checked and stored in parallel (:mod:`juesuan.batch`)."""

from __future__ import annotations

import sys
from pathlib import Path

from ._app import Exit, argument, command, console, err_console, option, usage_error
from .db import db_option, open_store, print_table


@command("batch", help="批量审核：解析、审核多份决算公开、预算公开并存入数据库（并行，可中断后续跑），输出汇总；"
                       "同一单位同一年度的决算与预算自动交叉核对。",
         notes="已导入过的同一文件（SHA-256 相同）不再重做：中断（Ctrl-C、进程被杀）后再次运行同一命令即从断点继续。"
               "某个文件无法使用（扫描件无法识别、不是部门决算公开、文件损坏、超时、内存超限）时列出原因，"
               "其余照常处理。退出码：0 全部处理完成，1 有文件处理失败，2 参数或数据库无法使用，130 被中断。",
         examples=("juesuan batch 收到的决算/ --jobs 4 --report 修改意见.xlsx",
                   "juesuan batch examples/ tests/fixtures/ --db 汉阳区.db --report summary.csv",
                   "juesuan batch 决算/*.pdf --engine dask --scheduler tcp://10.0.0.5:8786 "
                   "--db postgresql://reviewer:密码@db.example/juesuan"))
@argument("paths", nargs="+", type=Path, metavar="PATH",
          help="文件（.pdf/.docx/.html/.txt、YAML/JSON、Excel 工作簿）、部门数据目录，或包含它们的目录（逐级查找）。")
@db_option
@option("--jobs", "-j", type=int, default=None, help="并行进程数（默认为 CPU 核数）。")
@option("--report", type=Path, default=None, metavar="FILE",
        help="汇总写入文件：.xlsx（汇总表，另按单位分表列出修改意见）、.csv 或 .json。")
@option("--engine", choices=("processes", "dask"), default="processes",
        help="processes：本机多进程（默认）；dask：Dask 集群（--scheduler 指定，否则在本机启动）。")
@option("--scheduler", default=None, metavar="tcp://HOST:PORT", help="已有 Dask 集群调度器的地址（--engine dask）。")
@option("--send-files", action="store_true",
        help="（--engine dask）把文件内容发给各工作进程，而不是让它们按路径读取（工作机器看不到本机路径时）。")
@option("--timeout", type=float, default=300, metavar="秒", help="每份文件的处理时限（默认 300 秒）。")
@option("--memory", type=int, default=2048, metavar="MB", help="每个工作进程的内存上限（默认 2048 MB）。")
def batch(paths: list[Path], db: str | None = None, jobs: int | None = None, report: Path | None = None,
          engine: str = "processes", scheduler: str | None = None, send_files: bool = False,
          timeout: float = 300, memory: int = 2048) -> None:
    import os

    from ..batch.report import COLUMNS, summary_rows, write_report
    from ..batch.run import run
    if jobs is not None and jobs < 1:
        usage_error("--jobs 至少为 1")
    if (scheduler or send_files) and engine != "dask":
        usage_error("--scheduler、--send-files 只用于 --engine dask")
    if report is not None and report.suffix.lower() not in (".xlsx", ".csv", ".json"):
        usage_error(f"--report 应为 .xlsx、.csv 或 .json 文件：{report}")
    jobs = jobs or os.cpu_count() or 1
    store = open_store(db)
    bar = _Progress()
    try:
        result = run(paths, store, jobs=jobs, engine=engine, scheduler=scheduler, timeout=timeout or None,
                     memory=memory * 1024 * 1024 if memory else None, progress=bar.update,
                     send_files=send_files)
    finally:
        bar.close()
        store.close()
    rows = summary_rows(result)
    if not rows:
        console.print(f"在 {'、'.join(map(str, paths))} 中没有找到可处理的文件"
                      "（.pdf/.docx/.html/.txt、YAML/JSON、Excel 工作簿或部门数据目录）。", style="red")
        raise Exit(1)
    print_table(COLUMNS, [[_short(c, r.get(c, "")) for c in COLUMNS] for r in rows])
    n = len(result.items)
    speed = n / result.seconds if result.seconds else 0
    workers = f"{jobs} 个{'Dask 工作进程' if engine == 'dask' else '进程'}"
    console.print(f"共 {n} 份：新导入 {result.count('new')}，新版本 {result.count('version')}，"
                  f"未改动跳过 {result.count('unchanged')}，失败 {result.count('failed')}；"
                  f"用时 {result.seconds:.1f} 秒（{speed:.1f} 份/秒，{workers}）。数据库：{store.where}")
    if result.paired:
        checked = [p for p in result.paired if p.checked]
        errors = sum(1 for p in checked for f in p.findings if f["severity"] == "error")
        line = (f"交叉核对：同一单位同一年度的决算与预算 {len(checked)} 对，"
                f"发现 {sum(len(p.findings) for p in checked)} 处不一致（其中错误 {errors} 处），记在决算上。")
        for p in result.paired:
            if not p.checked:
                line += f"\n未能交叉核对 决算 #{p.final_id} ↔ 预算 #{p.budget_id}：{p.note}"
        console.print(line, style="yellow" if errors else None)
    if report is not None:
        from ..output import OutputError
        try:
            write_report(result, report)
        except OutputError as e:
            err_console.print(str(e), style="red")
            raise Exit(2) from None
        console.print(f"汇总已写入 {report}")
    if result.interrupted:
        err_console.print("已中断：已完成的文件都已存入数据库，再次运行同一命令即从断点继续。", style="yellow")
        raise Exit(130)
    if result.failed:
        raise Exit(1)


def _short(column: str, value) -> str:
    """A cell of the terminal table: a path relative to here, the top findings cut short (the
    report file has them whole)."""
    import os
    text = "" if value is None else str(value)
    if column == "文件":
        try:
            rel = os.path.relpath(text)
            return rel if not rel.startswith("..") else text
        except ValueError:   # another drive (Windows)
            return text
    if column == "主要问题":
        return "；".join(p if len(p) <= 40 else p[:39] + "…" for p in text.split("；")[:2])
    return text


class _Progress:
    """A progress bar on standard error (done / failed / speed / ETA), only on a terminal."""

    def __init__(self):
        self.bar = None
        self.failed = 0
        if getattr(sys.stderr, "isatty", lambda: False)():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
            self.bar = Progress(TextColumn("批量审核"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("失败 {task.fields[failed]}"), TextColumn("{task.speed} 份/秒"),
                                TextColumn("剩余"), TimeRemainingColumn(), console=Console(stderr=True),
                                transient=True)
            self.task = None

    def update(self, item, done: int, total: int) -> None:
        self.failed += item.failed
        if self.bar is None:
            return
        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task("batch", total=total, failed=0)
        self.bar.update(self.task, completed=done, failed=self.failed)

    def close(self) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.stop()
