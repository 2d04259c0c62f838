"""Memos across checks: registered, bounded, forgotten on demand, and safe under threads.

A long-running process (the web server) checks documents in several threads at once; every memo
kept across checks is a pure function of its key, so a document never sees another's values.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from juesuan.pipeline import check
from juesuan.rules._memo import Memo, clear_all, memos


@pytest.fixture(scope="module")
def documents():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from bench_check import distinct
    return distinct(8, seed=3)


def _found(doc):
    return [f.to_dict() for f in check(doc)]


def test_memos_are_registered_and_forgotten(documents):
    _found(documents[0])
    names = memos()
    assert "plans of declaration lists" in names and "column headers of layouts" in names
    assert any(n.endswith("norm_name") for n in names)
    clear_all()
    from juesuan.rules import _fastpath
    assert len(_fastpath._PLANS) == 0


def test_a_memo_is_bounded():
    m = Memo("test memo", 3)
    for i in range(10):
        m.put(i, i * i)
    assert len(m) <= 3 and m.get(9) == 81


def test_threads_checking_at_once_find_what_one_thread_finds(documents):
    clear_all()
    serial = [_found(d) for d in documents]
    for _ in range(3):
        clear_all()
        with ThreadPoolExecutor(max_workers=4) as pool:
            together = list(pool.map(_found, documents * 3))
        assert together == serial * 3
