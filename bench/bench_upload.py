"""Benchmark for issue 17: upload-to-findings of a ~25-page PDF vs the CLI's ``juesuan check``.

Run by hand: ``python bench/bench_upload.py [--runs 5] [FILE]`` (default: the 24-page
``tests/fixtures/samples/shanghai-putuo-shehuigongzuobu-2024.pdf``). Prints a Markdown table for
``bench/RESULTS.md``. Measured side by side, in one run:

* the CLI: ``juesuan check FILE`` as a user runs it (a new process each time, its start-up
  included), wall time;
* ``pipeline.audit`` in the benchmark's own process, warm: what both spend reading and checking;
* the web: a real server (uvicorn, in its own process, over a fresh SQLite store, warmed by one
  upload first, as a server in use is), and a client that posts the file to ``POST /api/documents``,
  polls ``GET /api/uploads/{id}`` every 20 ms until it is done, and fetches
  ``GET /api/documents/{id}/findings``: the wall time from the first byte sent to the findings
  received; and the first upload after the server started. Each run uploads a different file
  (the PDF with a comment appended after its end: the same file twice would go straight to its
  stored version).

Target: the web's median ≤ 2 × the CLI's median.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _proc import juesuan_command, setup_line  # noqa: E402

DEFAULT = ROOT / "tests" / "fixtures" / "samples" / "shanghai-putuo-shehuigongzuobu-2024.pdf"
PASSWORD = "bench-password-1"
SERVER = """
import sys, uvicorn
from pathlib import Path
from juesuan.web import Settings, create_app
d = Path(sys.argv[1])
app = create_app(Settings(db=str(d / "s.db"), seed=False, upload_dir=d / "uploads"))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pages(path: Path) -> int:
    import pypdfium2
    return len(pypdfium2.PdfDocument(str(path)))


def cli_times(path: Path, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([*juesuan_command(), "check", str(path)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        out.append(time.perf_counter() - t)
    return out


def audit_times(path: Path, runs: int) -> list[float]:
    """``pipeline.audit`` in this process, imports done and warmed once: the reading and checking alone."""
    from juesuan.pipeline import audit
    audit(path)
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        audit(path)
        out.append(time.perf_counter() - t)
    return out


def web_times(path: Path, runs: int, d: Path) -> tuple[list[float], int, float]:
    import httpx

    from juesuan.store import Store
    from juesuan.store.accounts import Accounts
    with Store.open(d / "s.db") as store:
        Accounts(store.engine).add("bench", "admin", PASSWORD)
    port = _port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(d), str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=120) as c:
            for _ in range(300):
                try:
                    c.get("/login")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            token = c.post("/api/login", json={"username": "bench", "password": PASSWORD}).json()["csrf_token"]
            c.get("/upload")                          # the page a user opens first: it warms the workers

            def once(name: str, body: bytes) -> tuple[float, int]:
                t = time.perf_counter()
                r = c.post("/api/documents", files={"file": (name, body)}, headers={"X-CSRF-Token": token})
                r.raise_for_status()
                url = r.json()["url"]
                while (j := c.get(url).json())["state"] not in ("done", "failed"):
                    time.sleep(0.02)
                if j["state"] != "done":
                    raise SystemExit(f"上传失败：{j['message']}")
                found = c.get(f"/api/documents/{j['version_id']}/findings").json()
                return time.perf_counter() - t, len(found)

            data = path.read_bytes()
            first, _ = once(path.name, data + b"\n% bench first\n")     # just after the upload page opened
            once("warm.yaml", (ROOT / "examples" / "hanyang-bdc-2023" / "disclosure.yaml").read_bytes())
            times, n = [], 0
            for i in range(runs):
                seconds, n = once(path.name, data + f"\n% bench run {i} {time.time_ns()}\n".encode())
                times.append(seconds)
            return times, n, first
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        cli = cli_times(a.file, a.runs)
        warm = audit_times(a.file, a.runs)
        web, findings, first = web_times(a.file, a.runs, Path(tmp))
    c, w = statistics.median(cli), statistics.median(web)
    print(f"{setup_line()}\n")
    print(f"`{a.file.name}`: {_pages(a.file)} pages, {a.file.stat().st_size / 1024 / 1024:.1f} MB, "
          f"{findings} findings; {a.runs} runs each (median, min–max).\n")
    print("| measure | median | min–max |")
    print("|---|---|---|")
    print(f"| CLI `juesuan check` (new process) | {c:.2f} s | {min(cli):.2f}–{max(cli):.2f} s |")
    print(f"| web upload → findings (`POST /api/documents` … findings) | {w:.2f} s | {min(web):.2f}–{max(web):.2f} s |")
    print(f"| web: the first upload, just after the server started and the upload page opened | {first:.2f} s | |")
    print(f"| reading and checking alone (`pipeline.audit`, warm process) | {statistics.median(warm):.2f} s | "
          f"{min(warm):.2f}–{max(warm):.2f} s |")
    print(f"| ratio web ÷ CLI | **{w / c:.2f} ×** | target ≤ 2 ×: {'met' if w / c <= 2 else 'not met'} |")


if __name__ == "__main__":
    main()
