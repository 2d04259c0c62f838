"""The batch's worker supervision: one input never stops the run, each is bounded in time and
memory, a killed worker is replaced, and Ctrl-C stops every worker."""

from __future__ import annotations

import time

import batch_fns
import pytest

from juesuan.batch.supervise import CRASH, INPUT, MEMORY, TIMEOUT, supervise


def test_every_input_gets_its_outcome_whatever_it_does():
    items = ["a", "slow", "hog", "boom", "abort", "refused", "b", "c"]
    t = time.monotonic()
    got = {o.item: o for o in supervise(batch_fns.behave, items, jobs=2, timeout=2, memory=1 << 30)}
    assert time.monotonic() - t < 30
    assert sorted(got) == sorted(items)
    assert got["a"].ok and got["a"].value[0] == "aa" and got["b"].value[0] == "bb"
    assert got["slow"].failure == TIMEOUT and "2 秒" in got["slow"].message
    assert got["hog"].failure == MEMORY
    assert got["boom"].failure == CRASH and "ValueError" in got["boom"].message
    assert got["abort"].failure == MEMORY and "意外退出" in got["abort"].message
    assert got["refused"].failure == INPUT and "不像一份部门决算公开" in got["refused"].message
    # the workers that were killed were replaced: the inputs after them were still done
    assert got["c"].ok


def test_workers_are_reused_not_started_per_input():
    pids = {o.value[1] for o in supervise(batch_fns.behave, [str(i) for i in range(12)], jobs=2)}
    assert 1 <= len(pids) <= 2


def test_no_inputs_no_workers():
    assert list(supervise(batch_fns.behave, [], jobs=4)) == []


def test_stopping_the_run_stops_the_workers():
    """The caller stops iterating (Ctrl-C in the command): no worker is left behind."""
    import multiprocessing as mp
    gen = supervise(batch_fns.behave, ["a", "slow", "slow", "slow"], jobs=2, timeout=60)
    first = next(gen)
    assert first.item == "a"
    gen.close()
    time.sleep(0.5)
    assert [p for p in mp.active_children() if p.is_alive()] == []


@pytest.mark.parametrize("jobs", [1, 3])
def test_outcomes_carry_their_input_index(jobs):
    items = ["x", "boom", "y"]
    got = sorted(supervise(batch_fns.behave, items, jobs=jobs), key=lambda o: o.index)
    assert [o.item for o in got] == items


def test_a_worker_has_its_next_input_while_the_caller_uses_an_outcome():
    """The batch's writer stores an outcome while the worker that made it goes on: the worker
    begins its next input before the caller is done with the outcome before it."""
    finished = []
    began = []
    for o in supervise(batch_fns.started, ["a", "b", "c"], jobs=1):
        began.append(o.value)
        time.sleep(0.3)                      # the caller's work on this outcome (a store write)
        finished.append(time.time())
    assert began[1] < finished[0] and began[2] < finished[1]
