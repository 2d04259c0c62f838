"""Hardening (issue 14): Windows users and catalogue years.

* the README's set-up for Windows beside the POSIX one, which keeps exactly its two lines;
* a GBK console or pipe (``PYTHONIOENCODING=gbk``, or ``sys.stdout`` a strict GBK stream): every
  command writes its output without UnicodeEncodeError, a character GBK lacks written as ``\\uXXXX``
  (JSON stays valid and reads back to the same text);
* the facts CSV of ``build --facts`` and ``parse --format facts`` (``-o`` or ``> file``) is UTF-8 with
  a BOM, for Excel on a Chinese Windows;
* a year without a 科目 catalogue is checked against the nearest year's with a warning naming it
  (build, check, template), and a document is never faulted for a code of its own year by another
  year's catalogue.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import EXAMPLE, ROOT, SEED

from juesuan.cli import main

RARE = "✓𠮷"   # neither is in GBK; 𠮷 (U+20BB7) lies beyond the BMP
RARE_ESCAPED = "\\u2713\\ud842\\udfb7"


def _data(dirname: Path, year: int = 2023, swap: tuple[str, str] | None = None) -> Path:
    """The example's data in ``dirname`` for ``year`` (optionally one text replaced by another)."""
    text = (EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^year: 2023$", f"year: {year}", text, count=1, flags=re.M)
    if swap:
        assert swap[0] in text
        text = text.replace(*swap)
    dirname.mkdir(parents=True, exist_ok=True)
    (dirname / "disclosure.yaml").write_text(text, encoding="utf-8")
    return dirname


def _traceless(text: str) -> None:
    assert "Traceback" not in text and "UnicodeEncodeError" not in text, text[-2000:]


# ------------------------------------------------------------------------------------------ 1. README

def test_readme_keeps_two_posix_setup_lines_and_gives_the_windows_ones():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## 安装与运行"):readme.index("## 命令")]
    blocks = re.findall(r"```(\w+)\n(.*?)```", setup, flags=re.S)
    posix = [body for lang, body in blocks if lang == "bash"]
    assert len(posix) == 1
    lines = posix[0].strip().splitlines()
    assert len(lines) == 2, lines
    assert "juesuan build examples/hanyang-bdc-2023" in lines[0] and "python -m pytest" in lines[1]
    windows = [body for lang, body in blocks if lang in ("bat", "powershell")]
    assert len(windows) == 1
    win = windows[0]
    for expected in ("py -3.11 -m venv .venv", ".venv\\Scripts\\activate", "pip install -q .",
                     "juesuan build examples/hanyang-bdc-2023", "pip install -q -e \".[test]\"", "python -m pytest"):
        assert expected in win, expected
    assert "需要 Python 3.11 或更新" in setup
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["requires-python"] == ">=3.11"


# ------------------------------------------------------------------------------------------ 2. GBK

def _gbk(monkeypatch):
    """Standard output and error as a Chinese Windows console or pipe has them: GBK, errors strict
    (set in the test itself: pytest puts its own capture back between a fixture and the test).
    Returns a function giving what was written to each since, decoded."""
    out, err = io.BytesIO(), io.BytesIO()
    streams = (io.TextIOWrapper(out, encoding="gbk", errors="strict"),
               io.TextIOWrapper(err, encoding="gbk", errors="strict"))
    monkeypatch.setattr(sys, "stdout", streams[0])
    monkeypatch.setattr(sys, "stderr", streams[1])

    def written() -> tuple[str, str]:
        for s in streams:
            s.flush()
        texts = out.getvalue().decode("gbk"), err.getvalue().decode("gbk")   # strict: it is GBK
        out.seek(0), out.truncate(), err.seek(0), err.truncate()
        return texts
    return written


def test_gbk_console_rules_and_help(monkeypatch):
    gbk = _gbk(monkeypatch)
    assert main(["rules", "--explain", "JS103"]) == 0        # its text has “−” (U+2212), not in GBK
    out, err = gbk()
    assert "\\u2212" in out and "JS103" in out
    assert main(["rules"]) == 0
    out, _ = gbk()
    assert "JS110" in out
    assert main(["template", "--help"]) == 0
    out, _ = gbk()
    assert "--year" in out


def test_gbk_console_build_check_parse(monkeypatch, tmp_path):
    gbk = _gbk(monkeypatch)
    data = _data(tmp_path / f"数据{RARE}")
    out_dir = tmp_path / f"输出{RARE}"
    assert main(["build", str(data), "-o", str(out_dir), "--format", "txt", "--name", "disclosure"]) == 0
    out, err = gbk()
    assert f"已生成 {out_dir}".replace(RARE, RARE_ESCAPED) in out
    assert (out_dir / "disclosure.txt").is_file()

    assert main(["check", str(data)]) == 0                   # warnings only (the example's JS406)
    out, err = gbk()
    assert f"审核 {data}".replace(RARE, RARE_ESCAPED) in out and "JS406" in out

    assert main(["check", str(data), "--format", "json"]) == 0
    out, err = gbk()
    report = json.loads(out)                                  # still JSON, and nothing lost
    assert report["source"] == str(data) and report["summary"]["warning"] >= 1

    text = out_dir / "disclosure.txt"
    assert main(["parse", str(text)]) == 0
    out, err = gbk()
    parsed = json.loads(out)
    assert parsed["coverage"] and "表" in err
    # the seed text holds a character GBK lacks (U+C124): written escaped, read back the same
    assert main(["parse", str(SEED)]) == 0
    out, err = gbk()
    assert "\\uc124" in out and "\uc124" in json.dumps(json.loads(out), ensure_ascii=False)
    assert main(["parse", str(SEED), "--format", "facts"]) == 0
    out, err = gbk()
    assert out.startswith("table,code,label,column,value\n")


def test_pythonioencoding_gbk_subprocess(tmp_path):
    data = _data(tmp_path / f"数据{RARE}", year=2025)   # also a warning on standard error
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONUTF8", None)
    for argv, code in ((["check", str(data), "--format", "json"], 0), (["parse", str(SEED)], 0)):
        r = subprocess.run([sys.executable, "-m", "juesuan", *argv], capture_output=True, env=env, timeout=120)
        out, err = r.stdout.decode("gbk"), r.stderr.decode("gbk")
        _traceless(err)
        assert r.returncode == code, err
        doc = json.loads(out)
        if argv[0] == "check":
            assert doc["source"] == str(data)
            assert "无 2025 年科目表，按 2024 年核对" in err
        else:
            assert "\uc124" in json.dumps(doc, ensure_ascii=False)


# ------------------------------------------------------------------------------------------ 3. CSV with a BOM

def _facts(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf", raw[:20]
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and set(rows[0]) == {"table", "code", "label", "column", "value"}
    return rows


def test_facts_csv_has_a_bom(tmp_path, monkeypatch):
    built = tmp_path / "built.csv"
    assert main(["build", str(EXAMPLE), "-o", str(tmp_path / "out"),
                "--format", "txt", "--name", "disclosure", "--facts", str(built)]) == 0
    rows = _facts(built)
    assert {r["table"] for r in rows} == {f"T{i}" for i in range(1, 10)}

    text = tmp_path / "out" / "disclosure.txt"
    by_option = tmp_path / "parsed.csv"
    assert main(["parse", str(text), "--format", "facts", "-o", str(by_option)]) == 0
    assert _facts(by_option) == rows                          # the same cells, read back

    # ``> parsed.csv`` into a new file, even on a GBK stream: UTF-8 with a BOM all the same
    redirected = tmp_path / "redirected.csv"
    with redirected.open("w", encoding="gbk") as f:
        monkeypatch.setattr(sys, "stdout", f)
        assert main(["parse", str(text), "--format", "facts"]) == 0
        monkeypatch.undo()
    assert _facts(redirected) == rows

    # to a pipe: the stream's own text, no BOM in the middle of what a program reads
    r = subprocess.run([sys.executable, "-m", "juesuan", "parse", str(text), "--format", "facts"],
                       capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert r.returncode == 0 and r.stdout.startswith(b"table,code,"), r.stderr.decode()[-500:]


# ------------------------------------------------------------------------------------------ 4. catalogue years

def test_year_note_names_the_catalogue_used():
    from juesuan.catalog import catalog, year_note
    assert year_note(2023) is None and year_note(2024) is None
    assert year_note(2025) == "无 2025 年科目表，按 2024 年核对"
    assert year_note(2021) == "无 2021 年科目表，按 2023 年核对"
    assert year_note(2022) == "无 2022 年科目表，按 2023 年核对"
    assert catalog(2025).year == 2024 and catalog(2021).year == 2023


def test_a_year_without_catalogue_is_warned_by_build_check_and_template(tmp_path, capsys):
    data = _data(tmp_path / "d2025", year=2025)
    assert main(["build", str(data), "-o", str(tmp_path / "out"), "--format", "txt"]) == 0
    err = capsys.readouterr().err
    assert "disclosure.yaml:5 year: 警告: 无 2025 年科目表，按 2024 年核对" in err, err
    assert main(["check", str(data)]) == 0
    err = capsys.readouterr().err
    assert "无 2025 年科目表，按 2024 年核对" in err
    assert main(["template", "-o", str(tmp_path / "t.xlsx"), "--year", "2025"]) == 0
    cap = capsys.readouterr()
    assert "t.xlsx: 警告: 无 2025 年科目表，按 2024 年核对" in cap.err and "已生成" in cap.out
    assert main(["template", "-o", str(tmp_path / "t.xlsx"), "--year", "2024"]) == 0
    assert "科目表" not in capsys.readouterr().err
    assert main(["check", str(EXAMPLE)]) == 0                 # a year with its catalogue: nothing said
    assert "科目表" not in capsys.readouterr().err


def test_a_document_is_not_faulted_for_a_code_of_its_own_year(tmp_path, capsys):
    # 2089999 其他社会保障和就业支出 is printed by a 2022 document (README of catalog/data) but is not
    # in the 2023 catalogue that stands in for 2022: a warning to look at, not an unusable input
    swap = ('code: "2130599", name: 其他巩固脱贫衔接乡村振兴支出', 'code: "2089999", name: 其他社会保障和就业支出')
    text = (EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8").replace(*swap).replace(
        '{code: "2130599", amount:', '{code: "2089999", amount:')
    data = tmp_path / "d2022"
    data.mkdir()
    (data / "disclosure.yaml").write_text(text.replace("year: 2023", "year: 2022", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(data), "-o", str(out), "--format", "txt", "--name", "disclosure"]) == 0
    err = capsys.readouterr().err
    assert "警告: 未知的支出功能分类科目编码 2089999（2023年科目表中没有；无 2022 年科目表" in err, err
    assert "错误" not in err
    assert main(["check", str(data), "--select", "JS1", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)["findings"]
    assert not [f for f in found if f["rule"] in ("JS109", "JS110")]
    # the published text of that document, parsed: not held to another year's catalogue either
    assert main(["check", str(out / "disclosure.txt"), "--select", "JS1", "--format", "json"]) == 0
    cap = capsys.readouterr()
    assert not [f for f in json.loads(cap.out)["findings"] if f["rule"] in ("JS109", "JS110")]
    assert "无 2022 年科目表，科目编码和名称不核对" in cap.err

    # the same code in a year whose catalogue is bundled stays an error (exit 2, file and line named)
    (data / "disclosure.yaml").write_text(text, encoding="utf-8")
    assert main(["build", str(data), "-o", str(out), "--format", "txt"]) == 2
    err = capsys.readouterr().err
    assert "disclosure.yaml:36 income[6].code: 错误: 未知的支出功能分类科目编码 2089999（2023年科目表中没有）" in err
    _traceless(err)


def test_write_escapes_what_a_stream_cannot_encode_as_the_console_does():
    """``_app.write`` on a stream nobody reconfigured (strict GBK): the same ``\\uXXXX`` escape
    as the standard streams get, not a "?" that loses the character."""
    import io

    from juesuan.cli._app import write
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk", errors="strict")
    write(stream, "完成 ✓ \ud800")
    stream.flush()
    assert raw.getvalue().decode("gbk") == "完成 \\u2713 \\ufffd"   # the lone surrogate: U+FFFD, escaped
