"""Never state what was not given (issue 15 §1): a part the data leave blank is 【待填写】, not 0 or 无.

Built from the example's data with parts taken away — as YAML without the keys, and as the
input workbook with those sheets cleared — the narrative holds placeholders where the parts'
sentences go and none of the invented "年初预算为0.00万元", "没有“三公”经费", "无政府采购支出",
"无车辆" or "开展整体支出绩效自评，资金…"; given as explicit zeros, the "无…" sentences stay.
``build --strict`` exits 1 while placeholders remain; ``check`` of data and workbooks does not
report juesuan's own placeholders and reads the 绩效自评 sheet ``build`` writes.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE

from juesuan import pipeline
from juesuan.cli import main
from juesuan.final.workbook import write_template

PARTS = ("three_public", "procurement", "assets", "prior_year", "initial_budget", "performance", "highlights")


def _yaml_without(tmp: Path, drop: tuple[str, ...], extra: str = "", duties: bool = True) -> Path:
    """The example's YAML with the top-level keys ``drop`` removed (and ``extra`` appended)."""
    out, skip, in_duties = [], False, False
    for line in (EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8").splitlines(keepends=True):
        m = re.match(r"^([a-z_]+):", line)
        if m:
            skip = m.group(1) in drop
        if line.startswith("  duties:"):
            in_duties = True
        elif not line.startswith("    - "):
            in_duties = False
        if not skip and (duties or not in_duties):
            out.append(line)
    d = tmp / "data"
    d.mkdir(parents=True, exist_ok=True)
    (d / "disclosure.yaml").write_text("".join(out) + extra, encoding="utf-8")
    return d


def _texts(doc) -> dict[str, str]:
    return {s.key: s.text for s in doc.sections()}


def _assert_placeholders_not_inventions(built) -> None:
    """What the narrative of data without 三公/采购/资产/年初预算/绩效 says (and does not say)."""
    doc = built.document
    t = _texts(doc)
    assert "年初预算为【待填写：2023年度一般公共预算财政拨款支出年初预算数】万元" in t["narrative.5.3"]
    assert "年初预算为0.00万元" not in t["narrative.5.3"] and "大于年初预算数" not in t["narrative.5.3"]
    assert "事业运行（2010350）年初预算数" in t["narrative.5.3"]
    assert "【待填写：财政拨款“三公”经费预算数和决算数】" in t["narrative.9"]
    assert "0.00万元" not in t["narrative.9"] and "没有" not in t["narrative.9"]
    assert "【待填写：政府采购支出总额" in t["narrative.11"] and "无政府采购" not in t["narrative.11"]
    assert "【待填写：车辆数和单价100万元（含）以上设备数" in t["narrative.12"]
    assert "无车辆" not in t["narrative.12"] and "无单价" not in t["narrative.12"]
    assert t["narrative.13.2"].startswith("【待填写：") and "资金" not in t["narrative.13.2"]
    assert "未开展" not in t["narrative.13"] and "共涉及项目" not in t["narrative.13"]
    assert not doc.forms_in("attachments")
    # the 三公 table: blank cells and what is to be filled in under it, not the 无数据 sentence
    t9 = doc.tables["T9"]
    assert not t9.empty and all(v is None for v in t9.rows[0].cells.values())
    assert t9.note == "【待填写：财政拨款“三公”经费预算数和决算数】"
    # every placeholder is a warning of the build
    warned = [d.message for d in built.diagnostics if d.code == "placeholder"]
    assert len(warned) == len(doc.placeholders) >= 20
    assert t9.note in doc.placeholders


@pytest.fixture(scope="module")
def sparse_dir(tmp_path_factory) -> Path:
    return _yaml_without(tmp_path_factory.mktemp("sparse"), PARTS)


@pytest.fixture(scope="module")
def sparse_built(sparse_dir):
    return pipeline.build(sparse_dir)


def test_yaml_without_parts_builds_placeholders_not_inventions(sparse_built):
    _assert_placeholders_not_inventions(sparse_built)


def test_text_output_has_no_invented_sentences(sparse_built):
    from juesuan.renderers.text import render_txt
    text = render_txt(sparse_built.document)
    for invented in ("年初预算为0.00万元", "本部门没有“三公”经费预算", "无政府采购支出", "无车辆",
                     "开展整体支出绩效自评，资金"):
        assert invented not in text, invented
    assert text.count("【待填写：财政拨款“三公”经费预算数和决算数】") == 2     # under the table and in 九


def test_blank_duties_and_structure_are_placeholders(tmp_path):
    d = _yaml_without(tmp_path, ("structure",), duties=False)
    text = (d / "disclosure.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^  structure:.*\n", "", text, flags=re.M)
    (d / "disclosure.yaml").write_text(text, encoding="utf-8")
    doc = pipeline.build(d).document
    t = _texts(doc)
    assert t["profile.duties"] == "【待填写：部门主要职责】"
    assert t["profile.structure"] == "【待填写：机构设置情况（决算单位构成）】"
    assert "本级决算组成" not in t["profile.structure"]


def test_explicit_zeros_still_say_none(tmp_path):
    zeros = ("procurement:\n  goods: 0\n  works: 0\n  services: 0\n"
             "assets:\n  vehicles: 0\n  equipment_over_1m: 0\n")
    d = _yaml_without(tmp_path, ("procurement", "assets"), extra=zeros)
    doc = pipeline.build(d).document
    t = _texts(doc)
    assert t["narrative.11"] == "2023年度武汉市汉阳区大数据中心无政府采购支出。"
    assert t["narrative.12"] == "截至2023年12月31日，武汉市汉阳区大数据中心无车辆。无单价100万元（含）以上设备。"
    # the example gives 三公 as zeros: the table is empty with its sentence, 九 states the zeros
    t9 = doc.tables["T9"]
    assert t9.empty and t9.note.startswith("本部门没有“三公”经费预算")
    assert "预算为0.00万元，支出决算为0.00万元" in t["narrative.9"]
    # only the example's own (its 自评表 cells the source left unreadable)
    assert set(doc.placeholders) <= set(pipeline.build(EXAMPLE).document.placeholders)


def test_a_count_not_given_inside_a_given_part_is_a_placeholder(tmp_path):
    d = _yaml_without(tmp_path, ("assets",), extra="assets:\n  vehicles: 2\n")
    t = _texts(pipeline.build(d).document)
    assert ("共有车辆2辆。单价100万元（含）以上设备【待填写：单价100万元（含）以上设备数】台（套）。"
            in t["narrative.12"])


def _clear(ws, first_row: int, first_col: int = 1) -> None:
    for row in ws.iter_rows(min_row=first_row, min_col=first_col):
        for c in row:
            if not isinstance(c, openpyxl.cell.cell.MergedCell):
                c.value = None


@pytest.fixture(scope="module")
def blank_workbook(tmp_path_factory, example_model) -> Path:
    """The example's workbook (``template --from``) with the 三公, 采购, 资产, 年初预算, 上年数, 绩效 and
    项目成效 sheets cleared below their headings, as a user leaves them."""
    tmp = tmp_path_factory.mktemp("wb")
    p = write_template(tmp / "full.xlsx", example_model, lookups=False)
    wb = openpyxl.load_workbook(p)
    _clear(wb["财政拨款“三公”经费支出决算表"], 7)
    for name in ("三公明细", "上年数", "年初预算及原因", "政府采购", "国有资产"):
        _clear(wb[name], 4, 2)
    _clear(wb["项目成效"], 4)
    ws = wb["整体绩效"]
    header = next(c.row for c in ws["A"] if c.value == "一级指标")
    _clear(ws, header + 1)
    for r in range(4, header):
        ws.cell(row=r, column=2).value = None
    _clear(wb["项目绩效"], 4)
    out = tmp / "blank.xlsx"
    wb.save(out)
    return out


def test_workbook_with_blank_sheets_builds_placeholders_not_inventions(blank_workbook):
    _assert_placeholders_not_inventions(pipeline.build(blank_workbook))


def test_workbook_with_explicit_zeros_says_none(blank_workbook, tmp_path):
    wb = openpyxl.load_workbook(blank_workbook)
    ws = wb["政府采购"]
    for r in range(4, 9):
        ws.cell(row=r, column=2, value=0)
    t9 = wb["财政拨款“三公”经费支出决算表"]
    for c in range(1, 13):
        t9.cell(row=7, column=c, value=0)
    out = tmp_path / "zeros.xlsx"
    wb.save(out)
    built = pipeline.build(out)
    t = _texts(built.document)
    assert t["narrative.11"] == "2023年度武汉市汉阳区大数据中心无政府采购支出。"
    assert built.document.tables["T9"].empty and "预算为0.00万元" in t["narrative.9"]
    assert "【待填写：车辆数" in t["narrative.12"]       # 国有资产 still blank


def test_check_of_a_workbook_with_blank_parts_accuses_nothing(blank_workbook):
    audit = pipeline.audit(blank_workbook)
    assert [f for f in audit.findings if f.severity != "info"] == []
    diags = audit.loaded.diagnostics
    assert not [d for d in diags if d.code == "placeholder"]
    blank = [d for d in diags if d.code == "blank"]
    assert len(blank) == 1 and blank[0].severity == "info"
    for part in ("上年决算数", "年初预算", "“三公”经费", "政府采购", "国有资产占用", "预算绩效"):
        assert part in blank[0].message, part


def test_check_of_data_does_not_report_its_own_placeholders_but_a_document_does(sparse_dir, sparse_built, tmp_path):
    assert not [f for f in pipeline.audit(sparse_dir).findings if f.rule in ("JS603", "JS504", "JS506")]
    # the same text written out and read back is a document a person will publish: JS603 reports it
    from juesuan.renderers.text import write_txt
    path = tmp_path / "x.txt"
    write_txt(sparse_built.document, path)
    assert [f for f in pipeline.audit(path).findings if f.rule == "JS603"]


def test_check_of_the_template_from_the_example(example_model, tmp_path):
    p = write_template(tmp_path / "x.xlsx", example_model, lookups=False)
    audit = pipeline.audit(p)
    assert not [f for f in audit.findings if f.rule in ("JS506", "JS603")]
    assert not [d for d in audit.loaded.diagnostics if d.code in ("placeholder", "blank")]
    assert len(audit.document.forms_in("attachments")) == 16


def test_check_reads_the_performance_sheet_that_build_writes(tmp_path, example_model):
    out = tmp_path / "x.xlsx"
    assert main(["build", str(EXAMPLE), "-o", str(out)]) == 0
    audit = pipeline.audit(out)
    assert not [f for f in audit.findings if f.rule in ("JS506", "JS603") or f.severity == "error"]
    model = audit.loaded.built.model
    assert [p.name for p in model.performance.projects] == [p.name for p in example_model.performance.projects]
    assert model.performance.overall.indicators == example_model.performance.overall.indicators
    first = model.performance.projects[0]
    assert (first.budget, first.actual, first.kind) == (example_model.performance.projects[0].budget,
                                                        example_model.performance.projects[0].actual, "常年性项目")
    assert model.three_public is not None         # the 三公 table says “…故本表无数据”: given, as none


def test_build_strict_exits_1_while_placeholders_remain(sparse_dir, tmp_path, capsys):
    out = tmp_path / "x.txt"
    assert main(["build", str(sparse_dir), "-o", str(out), "--strict"]) == 1
    assert out.exists()           # the files are written all the same
    err = capsys.readouterr().err
    assert "仍有 23 处待填写" in err       # 21 placeholders, the 三公 one under the table and in 九, the cover date
    assert "封面：【待填写：公开日期】" in err
    assert "第三部分 十一：【待填写：政府采购支出总额" in err
    assert "第二部分 财政拨款“三公”经费支出决算表：【待填写：" in err
    assert main(["build", str(sparse_dir), "-o", str(out)]) == 0
    # the example leaves four 自评表 cells its source could not be read in: each is listed, by form
    assert main(["build", str(EXAMPLE), "-o", str(tmp_path / "e.txt"), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "仍有 6 处待填写" in err
    assert "第六部分 2023年度汉阳区大数据中心部门整体绩效自评表：【待填写：年度目标】" in err
    # filled in, it is ready to publish
    full = tmp_path / "full"
    full.mkdir()
    text = (EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8").replace('level3: ""', "level3: 指标")
    text = text.replace("    goals: []", "    goals: [保障全区政务数据平台稳定运行]") + "published: 2024年9月20日\n"
    (full / "disclosure.yaml").write_text(text, encoding="utf-8")
    assert main(["build", str(full), "-o", str(tmp_path / "f.txt"), "--strict"]) == 0


@pytest.mark.parametrize("variant", ["central", "shanghai", "beijing", "sichuan", "shaanxi", "pre2021"])
def test_every_variant_builds_blank_parts_as_placeholders(sparse_dir, variant):
    """Each variant's own wording (Shanghai's 十 and 十一) meets parts not given too."""
    doc = pipeline.build(sparse_dir, variant).document
    text = "\n".join(p.text for part in doc.parts for s in part.sections for p in _paragraphs(s))
    assert "无政府采购" not in text and "无车辆" not in text and "年初预算为0.00万元" not in text
    assert any("政府采购" in p for p in doc.placeholders), doc.placeholders


def _paragraphs(s):
    yield from s.paragraphs
    for sub in s.subsections:
        yield from _paragraphs(sub)
