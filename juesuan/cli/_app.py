"""The Typer app and shared helpers of the commands."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from .. import __version__
from ..errors import Diagnostic, InputError

app = typer.Typer(
    name="juesuan",
    help="juesuan 决算：部门决算公开的生成、审核与解析工具。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        console.print(f"juesuan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="显示版本号并退出。")) -> None:
    """juesuan 决算：部门决算公开的生成、审核与解析工具。"""


def print_diagnostics(diags: list[Diagnostic]) -> None:
    for d in diags:
        style = {"error": "red", "warning": "yellow", "info": "cyan"}[d.severity]
        err_console.print(str(d), style=style, markup=False)


def report_input_error(e: InputError) -> None:
    n = sum(1 for d in e.diagnostics if d.severity == "error")
    print_diagnostics(e.diagnostics)
    err_console.print(f"输入无法使用：{n} 处错误。", style="bold red", markup=False)
    raise typer.Exit(2)
