"""The Typer app and shared helpers of the commands."""

from __future__ import annotations

import os
import sys

import typer

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


class Console:
    """The little of a console the commands need: ``print(text, style=…)``.

    Colour only on a terminal (and not when NO_COLOR is set). A few lines of our own
    instead of rich, whose import cost every command about 50 ms of start-up.
    The stream is looked up at each call, so redirected or captured output works.
    """

    _CODES = {"red": "31", "yellow": "33", "cyan": "36", "bold": "1", "bold red": "1;31"}

    def __init__(self, stream: str = "stdout"):
        self._stream = stream

    def print(self, text: object = "", style: str | None = None, markup: bool = False,
              end: str = "\n") -> None:
        out = getattr(sys, self._stream)
        s = str(text)
        code = self._CODES.get(style or "")
        if code and not os.environ.get("NO_COLOR") and getattr(out, "isatty", lambda: False)():
            s = f"\033[{code}m{s}\033[0m"
        out.write(s + end)
        out.flush()


console = Console("stdout")
err_console = Console("stderr")


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
