"""The output side of the command line (issue 14): files written atomically under the document's
name, a Chinese message and exit status 2 when a file cannot be written, Ctrl-C that stops the
workers and leaves no half-written file (exit status 130), ``build -o FILE``, ``template -o``
refusing a non-.xlsx name, ``parse -o`` and ``check -o``."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

from juesuan.cli import invoke
from juesuan.output import MAX_NAME_BYTES, TEMP_PREFIX, safe_file_name, unsafe_name_reason
from juesuan.renderers import RenderInterrupted, render, render_all

TITLE = "2023年度武汉市汉阳区大数据中心部门决算公开"


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(TEMP_PREFIX))


def _one_core(monkeypatch):
    """render_all renders in this process (so that patches of the writers apply)."""
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 1)


def _fine(r):
    assert "Traceback" not in r.output, r.output


# ------------------------------------------------------------------ 1. failures: a message, exit 2

def test_out_naming_an_existing_file_is_refused_before_the_build(tmp_path):
    taken = tmp_path / "out"
    taken.write_text("not a directory", encoding="utf-8")
    t = time.perf_counter()
    r = invoke(["build", EXAMPLE, "-o", taken, "--format", "txt"])
    assert r.exit_code == 2 and time.perf_counter() - t < 5
    assert f"无法创建输出目录 {taken}：已有同名文件，不是目录" in r.stderr
    assert taken.read_text(encoding="utf-8") == "not a directory"
    _fine(r)


def test_a_full_disk_leaves_the_previous_file_intact_and_no_partial_file(tmp_path, monkeypatch):
    from juesuan.renderers import text

    def half_then_full(doc, path):
        Path(path).write_text("半个文件", encoding="utf-8")   # a partial write, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(text, "write_txt", half_then_full)
    target = tmp_path / f"{TITLE}.txt"
    target.write_text("上次生成的完整文件", encoding="utf-8")
    r = invoke(["build", EXAMPLE, "-o", tmp_path, "--format", "txt"])
    assert r.exit_code == 2
    assert f"无法写入 {target}：磁盘已满" in r.stderr
    assert target.read_text(encoding="utf-8") == "上次生成的完整文件"
    assert _leftovers(tmp_path) == []
    _fine(r)


def test_no_permission_names_the_file(tmp_path, monkeypatch):
    from juesuan.renderers import text

    def refused(doc, path):   # what a directory without write permission does (root may write anywhere)
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(text, "write_txt", refused)
    r = invoke(["build", EXAMPLE, "-o", tmp_path / "单个.txt"])
    assert r.exit_code == 2
    assert f"无法写入 {tmp_path / '单个.txt'}：没有写入权限" in r.stderr
    assert list(tmp_path.iterdir()) == []
    _fine(r)


def test_a_file_open_in_word_is_reported_and_the_other_formats_are_written(tmp_path, monkeypatch):
    """On Windows, replacing a .docx/.pdf that WPS, Word or Acrobat holds open is refused."""
    _one_core(monkeypatch)
    locked = tmp_path / f"{TITLE}.txt"
    locked.write_text("打开着的旧文件", encoding="utf-8")
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst) == locked:
            raise PermissionError(13, "The process cannot access the file because it is being used")
        real_replace(src, dst)

    monkeypatch.setattr("juesuan.output.os.replace", replace)
    r = invoke(["build", EXAMPLE, "-o", tmp_path, "--format", "html,txt"])
    assert r.exit_code == 2
    assert f"无法写入 {locked}：文件可能正在 WPS/Word/Acrobat 等程序中打开" in r.stderr and "请关闭后重试" in r.stderr
    assert f"已生成 {tmp_path / 'index.html'}" in r.stdout
    assert locked.read_text(encoding="utf-8") == "打开着的旧文件"
    assert _leftovers(tmp_path) == []
    _fine(r)


# ------------------------------------------------------------------ 2. atomic writes, Ctrl-C

def test_a_failure_mid_write_of_a_workbook_leaves_no_partial_file(example_document, tmp_path, monkeypatch):
    from juesuan.output import OutputError
    from juesuan.renderers import xlsx

    def dies(doc, path):
        Path(path).write_bytes(b"PK\x03\x04 truncated")
        raise OSError(errno.EIO, "Input/output error")

    previous = render(example_document, "xlsx", tmp_path)
    before = previous.read_bytes()
    monkeypatch.setattr(xlsx, "write_xlsx", dies)
    with pytest.raises(OutputError) as e:
        render(example_document, "xlsx", tmp_path)
    assert str(e.value).startswith(f"无法写入 {previous}：")
    assert previous.read_bytes() == before and _leftovers(tmp_path) == []


def test_ctrl_c_in_process_removes_the_partial_file_and_lists_what_was_written(tmp_path, monkeypatch):
    from juesuan.renderers import text
    _one_core(monkeypatch)

    def interrupted(doc, path):
        Path(path).write_text("写到一半", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(text, "write_txt", interrupted)
    r = invoke(["build", EXAMPLE, "-o", tmp_path, "--format", "html,txt"])
    assert r.exit_code == 130
    assert "已中断（Ctrl-C）" in r.stderr
    assert f"已写出 {tmp_path / 'index.html'}" in r.stderr
    assert f"未写出 {tmp_path / (TITLE + '.txt')}" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]
    _fine(r)


@pytest.mark.skipif(sys.platform == "win32", reason="the workers inherit the patch by fork")
def test_ctrl_c_stops_the_worker_processes(example_document, tmp_path, monkeypatch):
    from juesuan.renderers import text
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    real = text.write_txt

    def slow(doc, path):     # a long render: still writing when Ctrl-C comes
        Path(path).write_text("写到一半", encoding="utf-8")
        time.sleep(30)
        real(doc, path)

    monkeypatch.setattr(text, "write_txt", slow)

    def ctrl_c():
        deadline = time.monotonic() + 10     # once the worker has begun its temporary file
        while not _leftovers(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.02)
        raise KeyboardInterrupt

    t = time.perf_counter()
    with pytest.raises(RenderInterrupted) as e:
        render_all(example_document, ["txt", "html"], tmp_path, while_waiting=ctrl_c, start_method="fork")
    assert time.perf_counter() - t < 15      # the worker was ended, not waited for
    written, not_written = [f for f, _ in e.value.written], [f for f, _ in e.value.not_written]
    assert "txt" in not_written and sorted(written + not_written) == ["html", "txt"]
    assert all(path.is_file() for _, path in e.value.written)
    time.sleep(0.3)
    assert _leftovers(tmp_path) == [] and not (tmp_path / f"{TITLE}.txt").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process group")
def test_ctrl_c_on_the_command_line_exits_130(tmp_path):
    """The real signal: the workers ignore it, the parent stops them and says what was written."""
    out = tmp_path / "out"
    script = textwrap.dedent(f"""
        import multiprocessing, sys, time
        from pathlib import Path
        multiprocessing.set_start_method("fork")
        from juesuan.renderers import text
        real = text.write_txt
        def slow(doc, path):
            Path(path).write_text("写到一半", encoding="utf-8")
            Path({str(tmp_path / "started")!r}).touch()
            time.sleep(30)
            real(doc, path)
        text.write_txt = slow
        from juesuan.cli import main
        sys.exit(main(["build", {str(EXAMPLE)!r}, "-o", {str(out)!r}, "--format", "txt,html"]))
    """)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.Popen([sys.executable, "-c", script], env=env, start_new_session=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60     # bounds for a loaded machine, not timings
        while not (tmp_path / "started").exists() and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.02)
        os.killpg(p.pid, signal.SIGINT)
        _, err = p.communicate(timeout=45)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    assert p.returncode == 130, err
    assert "已中断（Ctrl-C）" in err and f"未写出 {out / (TITLE + '.txt')}" in err
    assert "Traceback" not in err
    assert _leftovers(out) == [] and not (out / f"{TITLE}.txt").exists()


# ------------------------------------------------------------------ 3. -o FILE, -o DIR

def test_out_with_a_suffix_writes_that_one_file(tmp_path):
    target = tmp_path / "汉阳决算.html"
    r = invoke(["build", EXAMPLE, "-o", target])
    assert r.exit_code == 0, r.output
    assert target.is_file() and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汉阳决算.html"]
    r = invoke(["build", EXAMPLE, "-o", tmp_path / "汉阳决算.pdf", "--format", "html"])
    assert r.exit_code == 2 and "与 --format html 不符" in r.stderr
    r = invoke(["build", EXAMPLE, "-o", tmp_path / "汉阳决算.doc"])
    assert r.exit_code == 2 and "不能写出 .doc 文件" in r.stderr
    assert not (tmp_path / "汉阳决算.pdf").exists() and not (tmp_path / "汉阳决算.doc").exists()


def test_out_directory_gets_every_format_named_after_the_document(tmp_path):
    r = invoke(["build", EXAMPLE, "-o", tmp_path / "out", "--format", "html,txt"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted([f"{TITLE}.txt", "index.html"])
    r = invoke(["build", EXAMPLE, "-o", tmp_path / "named", "--format", "html,txt", "--name", "汉阳"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "named").iterdir()) == ["汉阳.html", "汉阳.txt"]
    r = invoke(["build", EXAMPLE, "-o", tmp_path / "bad", "--name", "汉阳:2023"])
    assert r.exit_code == 2 and "文件名不能含有" in r.stderr
    _fine(r)


def test_build_never_writes_over_its_input(tmp_path):
    source = tmp_path / "决算数据.xlsx"    # e.g. the workbook the data was entered in
    source.write_bytes(b"the department's workbook")
    r = invoke(["build", source, "-o", source])
    assert r.exit_code == 2 and "覆盖输入" in r.stderr
    assert source.read_bytes() == b"the department's workbook"


# ------------------------------------------------------------------ 4. safe names

def test_safe_file_names():
    assert safe_file_name(TITLE) == TITLE
    assert safe_file_name('2023年度某局/某中心:部门*决算?"公开"<>|. ') == "2023年度某局_某中心_部门_决算__公开____"
    assert safe_file_name("  ..  ") == "部门决算公开" and safe_file_name("") == "部门决算公开"
    assert safe_file_name("CON") == "CON_" and safe_file_name("lpt1.x") == "lpt1.x_"
    assert safe_file_name("第一行\n第二行\t") == "第一行 第二行"
    long = safe_file_name("某" * 500)
    assert len(long.encode("utf-8")) <= MAX_NAME_BYTES and long == "某" * (MAX_NAME_BYTES // 3)
    assert unsafe_name_reason("汉阳") is None
    assert unsafe_name_reason("a.") and unsafe_name_reason("nul") and unsafe_name_reason("某" * 100)


# ------------------------------------------------------------------ 5. template -o must be .xlsx

def test_template_refuses_a_name_that_is_not_xlsx(tmp_path):
    r = invoke(["template", "-o", tmp_path / "t.csv"])
    assert r.exit_code == 2 and "模板是 Excel 文件，请用 .xlsx 作为扩展名" in r.stderr
    assert list(tmp_path.iterdir()) == []
    _fine(r)


def test_template_written_atomically(tmp_path, monkeypatch):
    from juesuan.final import workbook

    def full(path, *args, **kw):
        Path(path).write_bytes(b"PK")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(workbook, "write_template", full)
    target = tmp_path / "决算数据.xlsx"
    r = invoke(["template", "-o", target])
    assert r.exit_code == 2 and f"无法写入 {target}：磁盘已满" in r.stderr
    assert list(tmp_path.iterdir()) == []
    _fine(r)


# ------------------------------------------------------------------ 6. parse -o, check -o

@pytest.fixture(scope="module")
def published(tmp_path_factory, example_document) -> Path:
    return render(example_document, "txt", tmp_path_factory.mktemp("published"))


def test_parse_and_check_write_to_a_file(published, tmp_path):
    out = tmp_path / "事实.csv"
    r = invoke(["parse", published, "--format", "facts", "-o", out])
    assert r.exit_code == 0, r.output
    assert r.stdout == "" and f"已写出 {out}" in r.stderr
    assert out.read_bytes().startswith("\ufefftable,code,label,column,value\n".encode())   # a BOM for Excel
    report = tmp_path / "审核.json"
    r = invoke(["check", published, "--format", "json", "-o", report])
    assert r.exit_code in (0, 1), r.output
    assert r.stdout == "" and '"findings"' in report.read_text(encoding="utf-8")
    r = invoke(["check", published, "-o", tmp_path / "没有的目录" / "审核.txt"])
    assert r.exit_code == 2 and f"无法写入 {tmp_path / '没有的目录' / '审核.txt'}：所在目录不存在" in r.stderr
    _fine(r)


def test_parse_never_writes_over_the_file_it_reads(published):
    before = published.read_bytes()
    r = invoke(["parse", published, "-o", published])
    assert r.exit_code == 2 and "覆盖" in r.stderr
    assert published.read_bytes() == before


def test_ctrl_c_outside_rendering_says_nothing_was_half_written(monkeypatch):
    """Ctrl-C while the data are read or checked: exit 130 with a word, no traceback."""
    from juesuan import pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "audit", interrupted)
    r = invoke(["check", EXAMPLE])
    assert r.exit_code == 130 and "已中断（Ctrl-C）" in r.stderr, r.output
    _fine(r)
