"""The command line's frame: commands declared with decorators over :mod:`argparse`.

A command is a function; :func:`command`, :func:`argument` and :func:`option` declare it
(bottom-up, like click's decorators) and :func:`main` parses ``argv``, calls it and returns
the exit status. Commands end early with ``raise Exit(code)``. The standard library's
argparse costs ≈ 6 ms to import, where Typer (with click and pydantic adapters) cost
≈ 150 ms of every command's start-up; argparse's own messages are put into Chinese here.
"""

from __future__ import annotations

import argparse
import codecs
import io
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..errors import Diagnostic, InputError
from ..output import OutputError

PROG = "juesuan"
DESCRIPTION = "juesuan 决算：部门决算公开的生成、审核与解析工具。"


class Exit(Exception):
    """End the command with this exit status (0 fine, 1 findings or failures, 2 unusable input)."""

    def __init__(self, code: int = 0):
        super().__init__(code)
        self.code = code


# ---------------------------------------------------------------------------------- console

# control characters but tab and newline (ESC, BEL, C1): shown as U+FFFD, never sent to a terminal
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Console:
    """The little of a console the commands need: ``print(text, style=…)``.

    Colour only on a terminal (and not when NO_COLOR is set). The stream is looked up at
    each call, so redirected or captured output works.
    """

    _CODES = {"red": "31", "yellow": "33", "cyan": "36", "bold": "1", "bold red": "1;31"}

    def __init__(self, stream: str = "stdout"):
        self._stream = stream

    def print(self, text: object = "", style: str | None = None, markup: bool = False,
              end: str = "\n") -> None:
        out = getattr(sys, self._stream)
        s = _CONTROL.sub("\ufffd", str(text))   # a file name or damaged text never drives the terminal
        code = self._CODES.get(style or "")
        if code and not os.environ.get("NO_COLOR") and getattr(out, "isatty", lambda: False)():
            s = f"\033[{code}m{s}\033[0m"
        write(out, s + end)
        out.flush()


def write(out, s: str) -> None:
    """Write ``s`` to the stream ``out`` whatever it holds: lone surrogates (a file name decoded
    with surrogateescape, damaged text) as U+FFFD, characters the stream's encoding lacks (a GBK
    console) escaped as ``\\uXXXX`` as :func:`tolerate_unencodable_output` has the standard streams
    do — never a UnicodeEncodeError half-way through the output."""
    if not s.isascii():
        s = s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    try:
        out.write(s)
    except UnicodeEncodeError:   # a stream not reconfigured (given by a caller, or by a test)
        enc = getattr(out, "encoding", None) or "utf-8"
        buffer = getattr(out, "buffer", None)
        if buffer is None:
            out.write(s.encode(enc, "juesuan-escape").decode(enc))
        else:
            out.flush()
            buffer.write(s.encode(enc, "juesuan-escape"))


console = Console("stdout")
err_console = Console("stderr")


def _escape_unencodable(e: UnicodeEncodeError) -> tuple[str, int]:
    """A character the stream's encoding lacks ("✓" or "−" on a GBK console, a rare 汉字) written as
    ``\\uXXXX`` (a surrogate pair beyond the BMP), as JSON escapes it: nothing is lost, JSON stays
    valid and reads back to the same text, and the rest of the line is written as usual."""
    out = []
    for ch in e.object[e.start:e.end]:
        n = ord(ch)
        if n > 0xFFFF:
            n -= 0x10000
            out.append(f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}")
        else:
            out.append(f"\\u{n:04x}")
    return "".join(out), e.end


codecs.register_error("juesuan-escape", _escape_unencodable)


def tolerate_unencodable_output() -> None:
    """Never fail on a character the console cannot show: standard output and error keep their
    encoding (GBK on a Chinese Windows console or pipe, what PowerShell and cmd then decode), and a
    character outside it is escaped (:func:`_escape_unencodable`) instead of raising
    UnicodeEncodeError. Streams given another ``errors`` on purpose are left alone."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "backslashreplace"):
            try:
                stream.reconfigure(errors="juesuan-escape")
            except (OSError, ValueError):  # a closed or detached stream: nothing to write to anyway
                pass


def print_diagnostics(diags: list[Diagnostic]) -> None:
    for d in diags:
        style = {"error": "red", "warning": "yellow", "info": "cyan"}[d.severity]
        err_console.print(str(d), style=style)


def report_input_error(e: InputError) -> None:
    n = sum(1 for d in e.diagnostics if d.severity == "error")
    print_diagnostics(e.diagnostics)
    err_console.print(f"输入无法使用：{n} 处错误。", style="bold red")
    raise Exit(2)


def usage_error(message: str) -> None:
    """A wrong option value: the message on standard error, exit status 2."""
    err_console.print(message, style="red")
    raise Exit(2)


# ---------------------------------------------------------------------------------- commands

@dataclass
class Command:
    name: str
    help: str
    epilog: str
    notes: str
    function: Callable[..., Any]
    params: list[tuple[tuple, dict]] = field(default_factory=list)


COMMANDS: dict[str, Command] = {}
GROUPS: dict[str, str] = {}   # a group of commands ("db": juesuan db import …) and its one-line summary


def group(name: str, help: str) -> None:
    """Declare ``juesuan NAME``, whose commands are registered as ``command("NAME SUB", …)``."""
    GROUPS[name] = help


def _params(func) -> list:
    """The arguments and options declared on a command function so far, kept on the function
    itself as ``func.cli_params`` (the decorators run before :func:`command` registers it)."""
    if not hasattr(func, "cli_params"):
        func.cli_params = []
    return func.cli_params


def argument(name: str, **kw):
    """A positional argument (``type``, ``help``, ``nargs``…, as for argparse)."""
    def deco(func):
        _params(func).insert(0, ((name,), kw))
        return func
    return deco


def option(*flags: str, **kw):
    """An option, e.g. ``option("--format", "-f", dest="fmt", default="text", help=…)``."""
    def deco(func):
        _params(func).insert(0, (flags, kw))
        return func
    return deco


def command(name: str, help: str, examples: tuple[str, ...] = (), notes: str = ""):
    """Register ``func`` as ``juesuan NAME``; ``help`` is its one-line summary, ``notes`` more."""
    def deco(func):
        epilog = "\n".join(f"示例：{e}" for e in examples)
        COMMANDS[name] = Command(name, help, epilog, notes, func, list(getattr(func, "cli_params", [])))
        return func
    return deco


# ---------------------------------------------------------------------------------- argparse in Chinese

_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出。",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "commands": "命令",
}


def _zh(message: str) -> str:
    return _ZH.get(message, message)


argparse._ = _zh  # argparse looks its messages up through this module-level name at call time


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kw):
        kw.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(**kw)

    def error(self, message: str):  # exit status 2, in Chinese, without the English "error:"
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}：{message}\n")
        raise Exit(2)

    def exit(self, status: int = 0, message: str | None = None):  # --help, --version
        if message:
            sys.stderr.write(message)
        raise Exit(status)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                        help="显示版本号并退出。")
    sub = parser.add_subparsers(dest="_command", title="命令", metavar="命令")
    groups: dict[str, Any] = {}
    for cmd in COMMANDS.values():
        where, name = sub, cmd.name
        if " " in cmd.name:   # "db import": a command of the group "db"
            group, name = cmd.name.split(" ", 1)
            if group not in groups:
                gp = sub.add_parser(group, help=GROUPS.get(group, ""), description=GROUPS.get(group, ""))
                gp.set_defaults(_function=gp.print_help)
                groups[group] = gp.add_subparsers(dest="_sub", title="命令", metavar="命令")
            where = groups[group]
        p = where.add_parser(name, help=cmd.help, epilog=cmd.epilog,
                             description=cmd.help + (f"\n\n{cmd.notes}" if cmd.notes else ""))
        for flags, kw in cmd.params:
            if "help" in kw:  # argparse %-formats help texts
                kw = dict(kw, help=kw["help"].replace("%", "%%"))
            p.add_argument(*flags, **kw)
        p.set_defaults(_function=cmd.function)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``juesuan ARGV``; the exit status: 0 fine, 1 errors found or failed, 2 unusable input."""
    tolerate_unencodable_output()
    parser = build_parser()
    try:
        args = vars(parser.parse_args(argv))
        if args.get("_command") is None:
            parser.print_help()
            return 0
        function = args.pop("_function")
        args.pop("_command")
        args.pop("_sub", None)
        function(**args)
        return 0
    except Exit as e:
        return e.code
    except OutputError as e:  # a file could not be written: which, and the likely cause
        err_console.print(str(e), style="red")
        return 2
    except KeyboardInterrupt:  # Ctrl-C outside rendering (which says what it wrote): nothing half-written
        err_console.print("已中断（Ctrl-C），没有写出不完整的文件。", style="yellow")
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. juesuan parse … | head
        return 0


# ---------------------------------------------------------------------------------- testing

@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    output: str  # both streams, interleaved as written


class _Tee(io.StringIO):
    def __init__(self, both: io.StringIO):
        super().__init__()
        self._both = both

    def write(self, s: str) -> int:
        self._both.write(s)
        return super().write(s)


def invoke(argv: list[str]) -> Result:
    """Run ``juesuan ARGV`` in this process with both streams captured (for tests and scripts)."""
    both = io.StringIO()
    out, err = _Tee(both), _Tee(both)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main([str(a) for a in argv])
    finally:
        sys.stdout, sys.stderr = saved
    return Result(code, out.getvalue(), err.getvalue(), both.getvalue())
