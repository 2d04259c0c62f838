"""``juesuan check`` and ``juesuan rules`` on the command line: output, JSON schema, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from juesuan.cli import invoke

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hanyang-bdc-2023"


def test_check_example_text_exit_0():
    r = invoke(["check", str(EXAMPLE)])
    assert r.exit_code == 0, r.output
    assert "审核：0 个错误" in r.output
    assert "JS406" in r.output and "位置：" in r.output and "数字：" in r.output


def test_check_json_schema():
    r = invoke(["check", str(EXAMPLE), "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["version"] == 1 and set(doc["summary"]) == {"error", "warning", "info"}
    assert doc["summary"]["error"] == 0
    assert "JS101" in doc["rules"]
    for f in doc["findings"]:
        assert set(f) == {"rule", "severity", "message", "locations", "figures"}
        assert f["severity"] in ("error", "warning", "info")
        assert all(isinstance(x, str) for x in f["figures"])
        assert all(isinstance(loc, dict) for loc in f["locations"])


def test_check_errors_exit_1(tmp_path):
    src = tmp_path / "d"
    shutil.copytree(EXAMPLE, src)
    data = yaml.safe_load((src / "disclosure.yaml").read_text(encoding="utf-8"))
    # a 三公-free unit whose basic spending lists 公务接待费: contradiction (JS209)
    data["basic_by_economic"]["30217"] = 3500.00
    data["basic_by_economic"]["30299"] = 400.00   # 3900 = 3500 + 400: totals unchanged
    (src / "disclosure.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = invoke(["check", str(src), "--format", "json", "--select", "JS2"])
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    assert any(f["rule"] == "JS209" and f["severity"] == "error" for f in doc["findings"])


def test_check_select_ignore():
    r = invoke(["check", str(EXAMPLE), "--format", "json", "--select", "JS1,JS4", "--ignore", "JS406"])
    doc = json.loads(r.stdout)
    assert all(c[:3] in ("JS1", "JS4") for c in doc["rules"]) and "JS406" not in doc["rules"]
    assert not [f for f in doc["findings"] if f["rule"] == "JS406"]


def test_check_unusable_input_exit_2(tmp_path):
    assert invoke(["check", str(tmp_path / "missing.yaml")]).exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: [", encoding="utf-8")
    r = invoke(["check", str(bad)])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert invoke(["check", str(EXAMPLE), "--select", "JS9"]).exit_code == 2
    assert invoke(["check", str(EXAMPLE), "--format", "xml"]).exit_code == 2


def test_rules_list_and_explain():
    r = invoke(["rules"])
    assert r.exit_code == 0 and "JS101" in r.output and "JS604" in r.output
    r = invoke(["rules", "--explain", "JS301"])
    assert r.exit_code == 0
    for head in ("作用", "原因", "错误示例", "正确示例"):
        assert head in r.output
    assert invoke(["rules", "--explain", "JS999"]).exit_code == 2


def test_build_prints_check_summary(tmp_path):
    r = invoke(["build", str(EXAMPLE), "-o", str(tmp_path), "--format", "html"])
    assert r.exit_code == 0, r.output
    assert "审核：0 个错误，1 个警告" in r.output


def test_check_unreadable_published_file_exit_2(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not a pdf")
    r = invoke(["check", str(bad)])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output


def test_check_published_text_file(tmp_path):
    seed = ROOT / "tests" / "fixtures" / "samples" / "000_9e500328b38455ed.txt"
    if not seed.exists():
        return
    r = invoke(["check", str(seed), "--format", "json", "--select", "JS307"])
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    assert doc["findings"][0]["locations"][0]["line"] > 0


def test_check_min_severity_filters_output_not_exit_code():
    r = invoke(["check", str(EXAMPLE), "--min-severity", "warning"])
    assert r.exit_code == 0 and "JS406" in r.output and "尾差" not in r.output
    assert invoke(["check", str(EXAMPLE), "--min-severity", "fatal"]).exit_code == 2
