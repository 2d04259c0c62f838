"""The fuzzing harness (bench/fuzz.py, issue 14) in a small configuration: every hostile case
once and a few mutations of each valid input, two runs at a time (about a minute).

Each test is one generator of bench/fuzz.py (a hostile one, or a mutation group); it fails when
one of its runs ends in a traceback, a hang, a memory blow-up, a wrong exit status, a message
that is not Chinese or does not name the file, a control character on the terminal, or a
partial output file.

KNOWN_FAILING below lists cases known to fail (a generator whose only failures are listed there
is reported as xfail). It is empty: every case passes since the issue-14 branches were merged;
a case added for a failure not yet fixed goes there with the reason.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import fuzz  # noqa: E402 — bench/ is not a package

MUTATIONS = 2          # mutants per mutation group
SEED = 14
JOBS = 2
TIMEOUT = 15           # seconds per run (a fixed reader answers in one or two)

# case → why it still fails (empty: delete the line of what a fix makes pass)
KNOWN_FAILING: dict[str, str] = {}

SOURCES = [*fuzz.HOSTILE, *fuzz.MUTATION_GROUPS]


def _run_once(root: Path) -> dict[str, list[dict]]:
    """Run the small configuration once per test session (once for all pytest-xdist workers:
    the first to take the lock runs it, the others read its results)."""
    results_file = root / "fuzz-small.json"
    with open(root / "fuzz-small.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not results_file.exists():
            work = root / "fuzz-small"
            work.mkdir(exist_ok=True)
            inputs = fuzz.prepare(work)
            cases = fuzz.make_cases(inputs, [*fuzz.HOSTILE_GROUPS, *fuzz.MUTATION_GROUPS], MUTATIONS, SEED)
            results = fuzz.run_all(cases, work, JOBS, TIMEOUT)
            by_source: dict[str, list[dict]] = {}
            for r in results:
                by_source.setdefault(r.case.source, []).append(
                    {"case": r.case.name, "outcome": r.outcome, "detail": r.detail, "command": r.command,
                     "stderr": r.stderr_head, "wall": r.wall, "rss": r.peak_rss_mb})
            results_file.write_text(json.dumps(by_source, ensure_ascii=False), encoding="utf-8")
    return json.loads(results_file.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fuzz_results(tmp_path_factory) -> dict[str, list[dict]]:
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return _run_once(root)


def _describe(r: dict) -> str:
    return (f"{r['case']}: {r['outcome']} ({r['detail']}), {r['wall']} s, {r['rss']:.0f} MB\n"
            f"    {r['command']}\n" + "".join(f"    | {x}\n" for x in r["stderr"].splitlines()[:4]))


@pytest.mark.parametrize("source", SOURCES)
def test_fuzz(fuzz_results, source):
    runs = fuzz_results.get(source, [])
    assert runs, f"{source} made no case"
    failed = [r for r in runs if r["outcome"] != "ok"]
    fixed = [r["case"] for r in runs if r["outcome"] == "ok" and r["case"] in KNOWN_FAILING]
    if fixed:
        warnings.warn(f"passing now, delete from KNOWN_FAILING: {', '.join(fixed)}", stacklevel=1)
    unexpected = [r for r in failed if r["case"] not in KNOWN_FAILING]
    assert not unexpected, "\n" + "".join(_describe(r) for r in unexpected)
    if failed:
        pytest.xfail("; ".join(f"{r['case']}: {KNOWN_FAILING[r['case']]}" for r in failed))


def test_known_failing_names_real_cases(fuzz_results):
    """Every entry of KNOWN_FAILING names a case the harness makes (no stale names)."""
    names = {r["case"] for runs in fuzz_results.values() for r in runs}
    assert not set(KNOWN_FAILING) - names, sorted(set(KNOWN_FAILING) - names)


def test_counts_after_the_fixes(fuzz_results):
    """The issue's acceptance line: no traceback, no hang, no memory blow-up outside KNOWN_FAILING."""
    bad = [r for runs in fuzz_results.values() for r in runs
           if r["outcome"] in ("traceback", "hang", "memory") and r["case"] not in KNOWN_FAILING]
    assert not bad, "\n" + "".join(_describe(r) for r in bad)


# --- the harness itself: each outcome is recognised (a harness that cannot fail is no check)

HARNESS_PROBES = {
    "ok": ("print('好')", (0,), None),
    "traceback": ("raise ValueError('x')", (2,), None),
    "hang": ("import time; time.sleep(60)", (0,), None),
    "memory": ("b = bytearray(3 * 1024 ** 3)", (0,), None),
    "exit": ("import sys; sys.exit(1)", (2,), None),
    "message": ("import sys; print('error', file=sys.stderr); sys.exit(2)", (2,), None),
    "control": ("print('好\\x1b[31m')", (0,), None),
    "partial": ("import sys; open('out/a.pdf', 'wb').write(b'%PDF-1.7 half'); sys.exit(1)", (1,), "out"),
}


@pytest.mark.parametrize("outcome", HARNESS_PROBES)
def test_harness_classifies(outcome, tmp_path, monkeypatch):
    code, expect, output = HARNESS_PROBES[outcome]
    if output:
        (tmp_path / output).mkdir()
        code = f"import os; os.makedirs('{output}', exist_ok=True); " + code
    monkeypatch.setattr(fuzz, "COMMAND", [sys.executable, "-c", code])
    case = fuzz.Case(f"probe/{outcome}", "probe", ["x"], expect, outputs=[output] if output else [])
    r = fuzz.run_case(case, tmp_path, timeout=2)
    assert r.outcome == outcome, (r.detail, r.stderr_head)
    assert "\x1b" not in r.command + r.detail + r.stderr_head


def test_harness_flags_a_temporary_file_after_success(tmp_path, monkeypatch):
    code = "import os; os.makedirs('out'); open('out/index.html', 'w').write('<html></html>'); " \
           "open('out/.juesuan-1-ab.html.tmp', 'w').write('<ht')"
    monkeypatch.setattr(fuzz, "COMMAND", [sys.executable, "-c", code])
    r = fuzz.run_case(fuzz.Case("probe/tmp", "probe", ["x"], (0,), outputs=["out"]), tmp_path, timeout=5)
    assert (r.outcome, r.detail) == ("partial", ".juesuan-1-ab.html.tmp left behind")
