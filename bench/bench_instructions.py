"""Instructions per ``check(doc)``, counted by valgrind: a measure that does not depend on the host.

Run by hand: ``python bench/bench_instructions.py [--n 20]`` (needs ``valgrind``). Generates
``n`` distinct disclosures as ``bench_check.distinct`` does, then counts the instructions
(cachegrind's ``I refs``) of a Python process that loads them and checks them, minus those of
one that only loads them, per document. The count does not depend on the host's speed
(``PYTHONHASHSEED=0``): runs of the same code agree within about 1 % (the temporary directory
differs per run), so a change of a few per cent is visible on a host whose speed swings by 30 %.
Wall-clock targets are still judged by ``bench_check.py``.

The count is a **budget**, not a ratchet: ``--budget`` makes the script exit 1 when it is
exceeded. It was 12.5 M instructions per document for issue 12 (about 15 % above the 11.0 M the
checker took before that architecture work, behaviour unchanged); issue 13 added rules on every
figure of the 绩效自评表 (JS408–JS414), the certainty gate and layout-aware rules, which take about
0.45 M more (budget 13.0 M); the reviewers' rules of issue 15 (JS605 other units' names and
JS606 last year's dates, which scan the whole text) take 1.2 M more, and the budget is 14.0 M
(27 % above 11.0 M; about 5 ms of check per document). Keep code readable within it rather
than shave instructions below it.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

RUNNER = """
import gc, pickle, sys
docs = pickle.loads(open(sys.argv[1], "rb").read())
from juesuan.pipeline import check
check(docs[0]); gc.collect(); gc.freeze()
for d in docs[1:1 + int(sys.argv[2])]:
    check(d)
"""


def instructions(data: Path, runner: Path, k: int) -> int:
    out = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                          sys.executable, str(runner), str(data), str(k)],
                         capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    m = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if m is None:
        sys.exit(f"valgrind gave no count:\n{out.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20, help="documents checked (after one warm-up document)")
    ap.add_argument("--budget", type=float, default=14.0, help="millions of instructions per document allowed")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt install valgrind)")
    from bench_check import distinct
    docs = distinct(args.n + 1)
    with tempfile.TemporaryDirectory() as tmp:
        data, runner = Path(tmp) / "docs.pkl", Path(tmp) / "run.py"
        data.write_bytes(pickle.dumps(docs))
        runner.write_text(RUNNER)
        # once without valgrind: bytecode compiled (and cached) now would otherwise count in one run only
        subprocess.run([sys.executable, str(runner), str(data), "1"], check=True)
        base = instructions(data, runner, 0)
        total = instructions(data, runner, args.n)
    per_doc = (total - base) / args.n / 1e6
    print(f"{per_doc:.2f} M instructions per document ({args.n} distinct documents); budget {args.budget:.1f} M")
    if per_doc > args.budget:
        sys.exit(f"over budget: {per_doc:.2f} M > {args.budget:.1f} M instructions per document")


if __name__ == "__main__":
    main()
