"""The bundled example builds with no warning it could avoid and no extraction gap ("……") of its seed.

What remains is fixed here and explained in examples/hanyang-bdc-2023/README.md: one warning (JS406, a
real discrepancy of the published source), four 尾差 hints, and the 【待填写】 of text the seed's
extraction lost (not guessed).
"""

from __future__ import annotations

import re

from conftest import EXAMPLE

from juesuan.cli import main

# the 待填写 left where the published text could not be read (see the example's README)
GAPS = {"【待填写：年度目标】", "【待填写：质量指标名称】", "【待填写：服务对象满意度指标名称】",
        "【待填写：社会效益指标名称】"}


def test_example_builds_with_only_the_sources_own_findings(tmp_path, capsys):
    assert main(["build", str(EXAMPLE), "-o", str(tmp_path), "--format", "txt", "--name", "x"]) == 0
    out = capsys.readouterr()
    said = out.out + out.err
    m = re.search(r"审核：(\d+) 个错误，(\d+) 个警告，(\d+) 个提示", said)
    assert m, said
    assert (m.group(1), m.group(2), m.group(3)) == ("0", "1", "4"), said
    # the build's own warnings are the extraction gaps, and nothing else
    warned = [line for line in said.splitlines() if "警告" in line and "审核：" not in line]
    # (and the cover's publication date, which the data does not give)
    assert {re.search(r"【待填写：[^】]*】", w).group(0) for w in warned} == GAPS | {"【待填写：公开日期】"}, warned
    text = (tmp_path / "x.txt").read_text(encoding="utf-8")
    assert "……" not in text and "..." not in text
    assert set(re.findall(r"【待填写：[^】]*】", text)) == GAPS
    # the completed texts are the source's own sentences
    assert "加强诉求件办理的过程性反馈和终端性评价。" in text


def test_the_one_warning_is_the_published_visit_count(tmp_path, capsys):
    assert main(["check", str(EXAMPLE)]) == 0
    said = capsys.readouterr().out
    warnings = said.split("警告（", 1)[1].split("提示（", 1)[0]
    codes = re.findall(r"^\s+(JS\d+) ", warnings, re.M)
    assert codes == ["JS406"], warnings
    assert "140.5853万次" in warnings and "181.95万" in warnings


def test_unreadable_goal_and_indicator_name_are_placeholders(example_model):
    from juesuan import build_tables
    from juesuan.final.forms import overall, projects
    from juesuan.final.narrative import build_document
    perf = example_model.performance
    o = perf.overall.model_copy(update={"goals": ["提升信息化项目建设的统筹协调力度。", " "]})
    d = example_model.model_copy(update={"performance": perf.model_copy(update={"overall": o})})
    doc = build_document(d, build_tables(d))
    assert overall(doc).goals == ["提升信息化项目建设的统筹协调力度。", "【待填写：年度目标第2条】"]
    review = next(p for p in projects(doc) if p.name == "信息化项目评审咨询费")
    assert [r.level3 for r in review.indicators if r.level2 == "质量指标"] == ["【待填写：质量指标名称】"]
    assert "【待填写：年度目标第2条】" in doc.placeholders
