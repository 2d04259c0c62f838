"""Benchmark for issue 2: process wall time of `juesuan build <example> --format html`.

Run by hand: ``python bench/bench_core.py``; prints the median of 5 runs (and all runs).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _proc import juesuan_command, setup_line  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"


def run_once(out: Path) -> float:
    t = time.perf_counter()
    subprocess.run([*juesuan_command(), "build", str(EXAMPLE), "-o", str(out),
                    "--format", "html", "--facts", str(out / "facts.csv")],
                   check=True, capture_output=True)
    return time.perf_counter() - t


def main(n: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run_once(Path(tmp))  # warm the file cache
        times = [run_once(Path(tmp)) for _ in range(n)]
    print(setup_line() + "\n")
    print("| command | median (s) | runs (s) |")
    print("|---|---|---|")
    print(f"| juesuan build examples/hanyang-bdc-2023 --format html --facts | "
          f"{statistics.median(times):.3f} | {', '.join(f'{t:.3f}' for t in times)} |")


if __name__ == "__main__":
    main()
