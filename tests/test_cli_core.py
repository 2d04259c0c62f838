"""The command line of the core: build (HTML + facts), schema, version."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE

from juesuan.final.layouts import LAYOUTS


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "juesuan", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    r = _run("build", str(EXAMPLE), "-o", str(out), "--format", "html", "--facts", str(out / "facts.csv"))
    assert r.returncode == 0, r.stderr
    return out


def test_build_writes_html_with_profile_and_all_nine_tables(built):
    html = (built / "index.html").read_text(encoding="utf-8")
    assert "第一部分" in html and "部门主要职责" in html and "机构设置情况" in html
    for lay in LAYOUTS.values():
        assert lay.title in html, lay.title
    assert "1,294.48" in html and "53.33" in html
    assert "本部门没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。" in html
    # self-contained: no external stylesheet, script or image
    for ref in ('src="http', "src='http", 'href="http', "<link "):
        assert ref not in html, ref


def test_facts_csv_has_every_table_and_matches_html(built):
    rows = list(csv.DictReader((built / "facts.csv").open(encoding="utf-8-sig")))  # with a BOM, for Excel
    assert {r["table"] for r in rows} == {f"T{i}" for i in range(1, 10)}
    t3 = {(r["code"], r["column"]): r["value"] for r in rows if r["table"] == "T3"}
    assert t3[("", "本年支出合计")] == "1294.48"
    assert t3[("2080505", "基本支出")] == "37.16"
    t6 = {r["code"]: r["value"] for r in rows if r["table"] == "T6" and r["code"]}
    assert t6["30101"] == "54.00"


def test_schema_is_json_schema_that_accepts_the_example():
    jsonschema = pytest.importorskip("jsonschema")
    r = _run("schema")
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    assert schema["title"].startswith("juesuan")
    data = yaml.safe_load((EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8"))
    # the schema describes amounts as numbers or strings; YAML numbers load as float here,
    # which the schema accepts as numbers
    jsonschema.validate(data, schema)
    bad = dict(data, year="二〇二三")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_version():
    r = _run("--version")
    assert r.returncode == 0 and r.stdout.startswith("juesuan ")


def test_unknown_format_is_a_usage_error(tmp_path):
    r = _run("build", str(EXAMPLE), "-o", str(tmp_path), "--format", "odt")
    assert r.returncode == 2 and "未知的输出格式" in r.stderr


def test_shanghai_variant_orders_tables_like_shanghai(tmp_path):
    r = _run("build", str(EXAMPLE), "-o", str(tmp_path), "--format", "html", "--variant", "shanghai")
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert html.index("财政拨款“三公”经费支出决算表") < html.index("政府性基金预算财政拨款收入支出决算表")
    assert "一般公共预算财政拨款基本支出决算表" in html


def test_a_broken_pdf_engine_is_reported_and_other_formats_still_built(tmp_path, monkeypatch):

    from juesuan.cli import invoke
    from juesuan.renderers import pdf

    def broken(doc, path):
        raise pdf.PdfEngineError("无法生成 PDF：未安装 PDF 排版引擎 typst。")

    monkeypatch.setattr(pdf, "write_pdf", broken)
    r = invoke(["build", str(EXAMPLE), "-o", str(tmp_path), "--format", "html,pdf"])
    assert r.exit_code == 1
    assert "未能生成 pdf：无法生成 PDF" in r.output
    assert "Traceback" not in r.output
    assert (tmp_path / "index.html").exists() and not list(tmp_path.glob("*.pdf"))


def test_usage_errors_speak_chinese_and_exit_2():
    from juesuan.cli import invoke

    r = invoke([])
    assert r.exit_code == 0 and "用法：juesuan" in r.stdout
    for name in ("build", "check", "parse", "rules", "schema", "template"):
        assert name in r.stdout
    r = invoke(["chek", str(EXAMPLE)])
    assert r.exit_code == 2 and "无效的选择：'chek'" in r.stderr and "Traceback" not in r.output
    r = invoke(["check"])
    assert r.exit_code == 2 and "缺少参数：source" in r.stderr
    r = invoke(["build", str(EXAMPLE), "--no-such-option"])
    assert r.exit_code == 2 and "无法识别的参数：--no-such-option" in r.stderr
    r = invoke(["template", "--year", "二〇二三"])
    assert r.exit_code == 2 and "--year" in r.stderr


def test_command_help_shows_options_and_examples():
    from juesuan.cli import invoke

    r = invoke(["check", "--help"])
    assert r.exit_code == 0
    assert "--min-severity" in r.stdout and "退出码：0 无错误" in r.stdout
    assert "示例：juesuan check examples/hanyang-bdc-2023" in r.stdout
    r = invoke(["--version"])
    assert r.exit_code == 0 and r.stdout.startswith("juesuan ")
