"""Worker functions for tests/test_batch*.py: importable by the workers (forkserver or spawn)."""

import os
import time


def behave(x: str):
    """What each input makes the worker do."""
    if x == "slow":
        time.sleep(600)
    if x == "hog":
        return len(bytearray(4 << 30))       # 4 GiB: beyond the worker's memory bound
    if x == "boom":
        raise ValueError("boom")
    if x == "abort":
        os.abort()                            # a library aborting the process (pdfium, calamine)
    if x == "refused":
        from juesuan.errors import Diagnostic, InputError
        raise InputError([Diagnostic("error", "不像一份部门决算公开：没有找到决算表的标题", file="x.pdf")])
    return x * 2, os.getpid()


def started(x: str) -> float:
    """When the worker began this input (the wall clock, comparable across processes)."""
    return time.time()
