"""``juesuan batch``: many documents parsed, checked and stored in parallel; bad files listed with
their reason, an unchanged file never redone, an interrupted run resumed, the same on Dask."""

from __future__ import annotations

import csv
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE

from juesuan.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "bench"))
from synth import write_data  # noqa: E402


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """The example's data, a published PDF, a broken PDF, an empty text and a budget (not a 决算)."""
    d = tmp_path_factory.mktemp("mixed")
    shutil.copytree(EXAMPLE, d / "hanyang")
    shutil.copy(FIXTURES / "samples" / "shanghai-putuo-shehuigongzuobu-2024.pdf", d / "putuo.pdf")
    (d / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> garbage")
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "notes.txt").write_text("2024年度部门预算公开\n一、部门预算收支总表\n" * 20, encoding="utf-8")
    return d


def _run(capsys, *args: str) -> tuple[int, str]:
    rc = main(["batch", *args])
    cap = capsys.readouterr()
    return rc, cap.out + cap.err


def _versions(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from versions").fetchone()[0]


def test_a_mixed_folder_is_stored_and_each_bad_file_named(mixed, tmp_path, capsys):
    db = tmp_path / "b.db"
    rc, out = _run(capsys, str(mixed), "--db", str(db), "--jobs", "2", "--report", str(tmp_path / "r.xlsx"))
    assert rc == 1, out                                   # some failed: said by the exit status
    assert "共 5 份：新导入 2，新版本 0，未改动跳过 0，失败 3" in out, out
    assert "Traceback" not in out
    assert "失败：不是部门决算或预算公开" in out and "失败：文件无法使用" in out
    assert _versions(db) == 2
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames[0] == "汇总"
    assert {"武汉市汉阳区大数据中心", "中共上海市普陀区委社会工作部"} <= set(wb.sheetnames)
    rows = list(wb["汇总"].iter_rows(values_only=True))
    assert rows[0][:5] == ("文件", "结果", "单位", "年度", "类型") and len(rows) == 6
    hanyang = next(r for r in rows if r[2] == "武汉市汉阳区大数据中心")
    assert hanyang[1] == "已导入" and hanyang[3] == 2023 and hanyang[4] == "决算" and hanyang[8] == 0   # no error
    putuo = wb["中共上海市普陀区委社会工作部"]
    assert putuo["A2"].value == "规则" and putuo["C3"].value          # its findings, as 修改意见

    # run again: nothing redone, the bad files still listed
    rc, out = _run(capsys, str(mixed), "--db", str(db), "--report", str(tmp_path / "r.csv"))
    assert rc == 1 and "新导入 0，新版本 0，未改动跳过 2，失败 3" in out, out
    assert _versions(db) == 2
    text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeff文件,结果") and "未改动（已导入）" in text
    assert len(list(csv.reader(text.splitlines()))) == 6


def test_a_corrected_file_is_a_new_version(tmp_path, capsys):
    src = tmp_path / "in"
    write_data(src, 2, seed=7)
    db = tmp_path / "v.db"
    assert _run(capsys, str(src), "--db", str(db), "--jobs", "1")[0] == 0
    y = src / "unit-0001" / "disclosure.yaml"
    y.write_text(y.read_text(encoding="utf-8").replace("entity:", "entity:\n  phone: 027-12345678", 1),
                 encoding="utf-8")
    rc, out = _run(capsys, str(src), "--db", str(db), "--report", str(tmp_path / "r.json"))
    assert rc == 0 and "新导入 0，新版本 1，未改动跳过 1，失败 0" in out, out
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert sorted(d["结果"] for d in data["documents"]) == ["新版本", "未改动（已导入）"]


def test_a_document_over_its_time_fails_alone(tmp_path, capsys):
    src = tmp_path / "in"
    write_data(src, 2, seed=3)
    rc, out = _run(capsys, str(src), "--db", str(tmp_path / "t.db"), "--timeout", "0.001")
    assert rc == 1 and "失败：超时" in out and "失败 2" in out, out


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path):
    """Ctrl-C after a few documents: exit 130, what was stored stays (whole), and the same command
    again does only the rest — counted. (60 documents: the writer commits finished ones in groups
    of at most 16 or a second's worth, so the first are seen stored well before the end.)"""
    n = 60
    src = tmp_path / "in"
    write_data(src, n, seed=5)
    db = tmp_path / "r.db"
    cmd = [sys.executable, "-m", "juesuan", "batch", str(src), "--db", str(db), "--jobs", "1"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            if db.exists() and _versions(db) >= 3:
                break
        except sqlite3.OperationalError:      # the schema is being made
            pass
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 130, (out, err)
    assert "Traceback" not in err and "已中断" in err
    stored = _versions(db)
    assert 3 <= stored < n
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        per = conn.execute("select v.fact_count, sum(f.cell_count) from versions v left join fact_tables f "
                           "on f.version_id = v.id group by v.id").fetchall()
    assert all(n == k for n, k in per)        # each stored document whole
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert f"新导入 {n - stored}，新版本 0，未改动跳过 {stored}，失败 0" in r.stdout, r.stdout
    assert _versions(db) == n


def test_the_same_batch_on_a_local_dask_cluster(tmp_path, capsys):
    pytest.importorskip("distributed")
    src = tmp_path / "in"
    write_data(src, 3, seed=11)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    rc, out = _run(capsys, str(src), "--db", str(tmp_path / "d.db"), "--engine", "dask", "--jobs", "2")
    assert rc == 1 and "新导入 3，新版本 0，未改动跳过 0，失败 1" in out and "Dask 工作进程" in out, out
    assert _versions(tmp_path / "d.db") == 3


def test_a_dask_task_takes_several_sources_and_each_keeps_its_own_outcome(tmp_path, monkeypatch):
    """Dask tasks of several sources (fewer tasks, less of the scheduler's bookkeeping): every source
    has its one outcome, a broken file fails alone, a lost task fails its sources and not the run."""
    pytest.importorskip("distributed")
    from juesuan.batch import run as batch_run
    assert [batch_run._chunk(n, 2) for n in (1, 15, 16, 48, 1000)] == [1, 1, 1, 3, 8]
    src = tmp_path / "in"
    paths = [str(p) for p in write_data(src, 5, seed=19)]
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    paths.insert(2, str(src / "broken.pdf"))
    monkeypatch.setattr(batch_run, "_chunk", lambda n, jobs: 4)       # two tasks: four sources, then two
    outcomes = sorted(batch_run._dask_outcomes(paths, 1, None, 60, None), key=lambda o: o.index)
    assert [o.index for o in outcomes] == list(range(6)) and [o.item for o in outcomes] == paths
    assert [o.failure is not None for o in outcomes] == [False, False, True, False, False, False]
    real = batch_run._isolated_many

    def lost(items, timeout, memory):
        if any(p.endswith("broken.pdf") for p, _ in items):
            raise RuntimeError("worker lost")
        return real(items, timeout, memory)
    monkeypatch.setattr(batch_run, "_isolated_many", lost)
    outcomes = sorted(batch_run._dask_outcomes(paths, 1, None, 60, None), key=lambda o: o.index)
    assert [o.failure is not None for o in outcomes] == [True, True, True, True, False, False]
    assert "worker lost" in outcomes[0].message


def test_usage_errors(tmp_path, capsys):
    assert _run(capsys, str(tmp_path), "--scheduler", "tcp://127.0.0.1:1")[0] == 2
    assert _run(capsys, str(tmp_path), "--report", str(tmp_path / "r.pdf"))[0] == 2
    rc, out = _run(capsys, str(tmp_path), "--db", str(tmp_path / "e.db"))
    assert rc == 1 and "没有找到可处理的文件" in out


def test_a_batch_on_an_existing_dask_cluster_with_the_files_sent(tmp_path, capsys):
    """--scheduler: a cluster started elsewhere (here in this process; its workers are daemonic, so
    each analyses in its own process); --send-files: the workers get the files' bytes."""
    distributed = pytest.importorskip("distributed")
    src = tmp_path / "in"
    write_data(src, 2, seed=13)
    shutil.copy(FIXTURES / "samples" / "shanghai-putuo-shehuigongzuobu-2024.pdf", src / "putuo.pdf")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as cluster:
        rc, out = _run(capsys, str(src), "--db", str(tmp_path / "s.db"), "--engine", "dask",
                       "--scheduler", cluster.scheduler_address, "--send-files")
    assert rc == 0 and "新导入 3，新版本 0，未改动跳过 0，失败 0" in out, out
    assert "中共上海市普陀区委社会工作部" in out


def test_a_scanned_pdf_where_ocr_cannot_run_is_listed_as_scanned(tmp_path):
    """A batch on a machine without the OCR component: the scanned PDF is listed as 扫描件，无法识别,
    the others are stored, exit 1."""
    from scan import FIXTURE, scan_pdf
    src = tmp_path / "in"
    write_data(src, 1, seed=17)
    scan_pdf(FIXTURE, src / "扫描.pdf", (1,), dpi=72)
    fake = tmp_path / "no-ocr"
    fake.mkdir()
    (fake / "rapidocr.py").write_text("raise ImportError('rapidocr 未安装（测试）')\n", encoding="utf-8")
    env = {**__import__("os").environ, "PYTHONPATH": f"{fake}{__import__('os').pathsep}{ROOT}"}
    r = subprocess.run([sys.executable, "-m", "juesuan", "batch", str(src), "--db", str(tmp_path / "o.db")],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 1, r.stderr
    assert "失败：扫描件，无法识别" in r.stdout and "新导入 1，新版本 0，未改动跳过 0，失败 1" in r.stdout, r.stdout
