"""Published documents become data: ``parse --format data``, ``template --from FILE``, ``build --previous``.

The documents' truth is known: the bundled example is built as text and PDF, read back as data,
built again and compared figure by figure; "last year" is the example built for 2022 with other
figures, and the 上年数 and change sentences of 2023 must be the ones it shows.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, SEED

from juesuan.cli import invoke

EXAMPLE_YAML = (EXAMPLE / "disclosure.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The example built as text, PDF, Word and a web page."""
    out = tmp_path_factory.mktemp("published")
    for suffix in ("txt", "pdf", "docx", "html"):
        r = invoke(["build", EXAMPLE, "-o", out / f"example.{suffix}"])
        assert r.exit_code == 0, r.output
    return out


def _tables(source):
    from juesuan import pipeline
    return pipeline.build(source).tables


def _data(path: Path, out: Path) -> dict:
    r = invoke(["parse", path, "--format", "data", "-o", out])
    assert r.exit_code == 0, r.output
    return yaml.safe_load(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("suffix", ["txt", "pdf", "docx", "html"])
def test_a_published_document_read_back_as_data_builds_the_same_tables(published, tmp_path, suffix):
    data = _data(published / f"example.{suffix}", tmp_path / "data.yaml")
    # canonical data, flagged as read back from a document, amounts in yuan from the 万元 figures
    assert data["source"]["document"].endswith(f"example.{suffix}") and data["source"]["precision"] == "万元"
    assert data["year"] == 2023 and data["entity"]["name"] == "武汉市汉阳区大数据中心"
    line = next(x for x in data["income"] if x["code"] == "2010399")
    assert Decimal(str(line["general"])) == Decimal("9377000.00")      # 937.70 万元 as printed
    assert "general: 9377000.00" in (tmp_path / "data.yaml").read_text(encoding="utf-8")   # exact, as held
    assert len(data["entity"]["duties"]) == 9 and data["entity"]["structure"].startswith("从单位构成看")
    assert data["procurement"] == {"goods": 0, "works": 0, "services": 6696800, "sme": 3632400, "small_micro": 2538800}
    assert data["assets"] == {"as_of": "2023年12月31日", "vehicles": 0, "equipment_over_1m": 5}
    assert data["prior_year"]["total"] == pytest.approx(17326100)      # 1294.48 + 438.13 万元
    assert data["reasons"]["total_change"] == "压减了通信链路租赁费和运行维护费"
    assert len(data["performance"]["projects"]) == 15 and len(data["key_work"]) == 4
    assert {i["code"] for i in data["initial_budget"]["items"]} >= {"2010350", "2010399"}

    # every table figure equal at 万元 precision
    rebuilt, original = _tables(tmp_path / "data.yaml"), _tables(EXAMPLE)
    assert rebuilt.facts() == original.facts()
    # build and check accept it
    r = invoke(["build", tmp_path / "data.yaml", "-o", tmp_path / "again.txt"])
    assert r.exit_code == 0 and "0 个错误" in r.output, r.output
    r = invoke(["check", tmp_path / "data.yaml"])
    assert r.exit_code == 0 and "审核：0 个错误" in r.output, r.output


def test_the_data_is_json_too_and_amounts_stay_exact(published, tmp_path):
    r = invoke(["parse", published / "example.txt", "--format", "data", "-o", tmp_path / "data.json"])
    assert r.exit_code == 0, r.output
    text = (tmp_path / "data.json").read_text(encoding="utf-8")
    assert '"general": "9377000.00"' in text                    # a string: no float on the way
    assert _tables(tmp_path / "data.json").facts() == _tables(EXAMPLE).facts()


def test_what_the_document_does_not_show_stays_absent(published, tmp_path):
    text = (published / "example.txt").read_text(encoding="utf-8")
    cut = [ln for ln in text.splitlines() if "政府采购支出总额" not in ln and not ln.startswith("截至2023年12月31日")]
    cut = [ln.replace("主要原因是压减了通信链路租赁费和运行维护费。", "主要原因是【待填写：原因】。", 1)
           if ln.startswith("2023年度收、支总计") else ln for ln in cut]
    (tmp_path / "cut.txt").write_text("\n".join(cut), encoding="utf-8")
    data = _data(tmp_path / "cut.txt", tmp_path / "cut.yaml")
    assert "procurement" not in data and "assets" not in data          # not 0, not 无: absent
    assert "total_change" not in data["reasons"]                       # a 【待填写】 is not a reason
    assert data["reasons"]["income_change"] == "压减了通信链路租赁费和运行维护费"


def test_the_seed_read_back_as_data_builds(tmp_path):
    r = invoke(["parse", SEED, "--format", "data", "-o", tmp_path / "seed.yaml"])
    assert r.exit_code == 0, r.output
    assert "年初预算合计 1370.19 万元与各项之和不一致" in r.output   # the seed's own slip, said, not hidden
    r = invoke(["build", tmp_path / "seed.yaml", "-o", tmp_path / "seed.txt"])
    assert r.exit_code == 0 and "Traceback" not in r.output, r.output
    from juesuan import pipeline
    seed = pipeline.parse(SEED).document.tables
    built = _tables(tmp_path / "seed.yaml")
    compared = 0
    for tid in ("T2", "T3", "T5"):      # the 项 leaves (the seed's own totals have 尾差 of their leaves)
        shown = {(r.key, r.side): r.cells for r in seed[tid].rows if r.key}
        for row in built[tid].rows:
            if (row.key, row.side) in shown and row.level == 3:
                for col, v in row.cells.items():
                    if shown[(row.key, row.side)].get(col) is not None:
                        assert v == shown[(row.key, row.side)][col], (tid, row.key, col)
                        compared += 1
    assert compared > 50


def test_parse_structure_given_as_data_is_named(published, tmp_path):
    r = invoke(["parse", published / "example.txt", "--format", "json", "-o", tmp_path / "doc.json"])
    assert r.exit_code == 0
    for cmd in (["build", tmp_path / "doc.json", "-o", tmp_path / "x.txt"], ["check", tmp_path / "doc.json"],
                ["template", "-o", tmp_path / "t.xlsx", "--from", tmp_path / "doc.json"]):
        r = invoke(cmd)
        assert r.exit_code == 2, r.output
        assert "这是 juesuan parse 输出的文档结构，不是规范数据" in r.output and "--format data" in r.output
        assert "未知字段" not in r.output and "Traceback" not in r.output


def test_template_from_a_published_document(published, tmp_path):
    r = invoke(["template", "-o", tmp_path / "t.xlsx", "--from", published / "example.pdf"])
    assert r.exit_code == 0, r.output
    assert _tables(tmp_path / "t.xlsx").facts() == _tables(EXAMPLE).facts()


# --- build --previous ---------------------------------------------------------------------------------

def _without_prior(text: str) -> str:
    text = re.sub(r"\n  prior_final: .*", "", text)
    return re.sub(r"\n# 2022 年度决算数[^\n]*\nprior_year:\n(?:  .*\n)+", "\n", text)


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    """2022: the example with 2010399 at 12,000,000.00 元 and 3,000.00 + 9,345.00 元 of 公务接待费;
    2023: the example without any 上年数."""
    d = tmp_path_factory.mktemp("years")
    last = EXAMPLE_YAML.replace("year: 2023", "year: 2022").replace("9377064.37", "12000000.00")
    last = last.replace("final: {abroad: 0.00, vehicle_purchase: 0.00, vehicle_operation: 0.00, reception: 0.00}",
                        "final: {abroad: 0.00, vehicle_purchase: 0.00, vehicle_operation: 0.00, reception: 12345.00}",
                        1)   # the 决算数, not the prior_final line after it
    (d / "2022.yaml").write_text(last, encoding="utf-8")
    this = _without_prior(EXAMPLE_YAML)
    assert "prior_year" not in this and "prior_final" not in this
    (d / "2023.yaml").write_text(this, encoding="utf-8")
    r = invoke(["build", d / "2022.yaml", "-o", d / "2022.txt"])
    assert r.exit_code == 0, r.output
    return d


@pytest.mark.parametrize("previous", ["2022.txt", "2022.yaml"])
def test_previous_fills_the_prior_year_and_the_change_sentences_use_it(years, previous):
    from juesuan import pipeline
    plain = pipeline.build(years / "2023.yaml")
    assert "【待填写：2022年度收、支总计决算数】" in plain.document.part("narrative").sections[0].text

    built = pipeline.build(years / "2023.yaml", previous=years / previous)
    py = built.model.prior_year
    # 2022 shows 1,556.78 万元 (its 总计, 本年收入合计, 本年支出合计, 财政拨款 …)
    assert py.total == py.income == py.expenditure == py.fiscal_total == Decimal("15567800.00")
    assert py.general_income == py.general_expenditure == Decimal("15567800.00")
    assert built.model.three_public.prior_final.reception == Decimal("12300.00")    # 1.23 万元 as shown
    narrative = built.document.part("narrative")
    text = "\n".join(s.text for s in narrative.sections)
    assert "与2022年度相比，收、支总计各减少262.30万元，下降16.85%" in text
    assert "与2022年度相比，收入合计减少262.30万元" in text
    assert "比2022年度决算数减少262.30万元" in text
    assert "较上年减少1.23万元" in text
    assert "【待填写：2022年度" not in text
    assert any("取自上年（2022 年度）决算" in d.message for d in built.diagnostics)


def test_data_given_this_year_wins_over_previous(years, tmp_path):
    from juesuan import pipeline
    built = pipeline.build(EXAMPLE, previous=years / "2022.txt")          # the example has its own 上年数
    assert built.model.prior_year.total == Decimal("17326100.00")
    assert built.model.three_public.prior_final.reception == Decimal("0.00")
    assert built.model.entity.duties == pipeline.build(EXAMPLE).model.entity.duties


def test_previous_duties_and_structure_fill_a_blank_profile(years, tmp_path):
    from juesuan import pipeline
    text = (years / "2023.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\n  duties:\n(?:    - .*\n)+", "\n", text)
    text = re.sub(r"\n  structure: .*", "", text)
    (tmp_path / "2023.yaml").write_text(text, encoding="utf-8")
    assert not pipeline.build(tmp_path / "2023.yaml").model.entity.duties
    built = pipeline.build(tmp_path / "2023.yaml", previous=years / "2022.txt")
    assert len(built.model.entity.duties) == 9
    assert built.model.entity.structure.startswith("从单位构成看")


def test_previous_must_be_the_year_before(years, published, tmp_path):
    r = invoke(["build", years / "2023.yaml", "--previous", published / "example.txt", "-o", tmp_path / "x.txt"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "--previous 应为上一年度（2022 年度）的部门决算，这份文件是 2023 年度的" in r.output
    assert not (tmp_path / "x.txt").exists()
    r = invoke(["build", years / "2023.yaml", "--previous", years / "2022.txt", "-o", tmp_path / "y.txt"])
    assert r.exit_code == 0, r.output
    assert "与2022年度相比，收、支总计各减少262.30万元" in (tmp_path / "y.txt").read_text(encoding="utf-8")


def test_figures_that_cannot_form_data_are_listed_and_exit_1(published, tmp_path):
    """A document whose 基本工资 is 10 万元 more than its 基本支出 allows: the data is written as the
    document shows it, and parse says build will refuse it, and why."""
    text = (published / "example.txt").read_text(encoding="utf-8")
    text = text.replace("301\t工资福利支出\t343.75", "301\t工资福利支出\t353.75", 1)
    text = text.replace("30101\t基本工资\t54.00", "30101\t基本工资\t64.00", 1)
    text = text.replace("人员经费合计\t\t345.69", "人员经费合计\t\t355.69", 1)
    (tmp_path / "slip.txt").write_text(text, encoding="utf-8")
    r = invoke(["parse", tmp_path / "slip.txt", "--format", "data", "-o", tmp_path / "slip.yaml"])
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert "build 将拒绝使用" in r.output and "按经济分类的基本支出合计" in r.output
    assert yaml.safe_load((tmp_path / "slip.yaml").read_text(encoding="utf-8"))["basic_by_economic"]["30101"] == 640000
    r = invoke(["build", tmp_path / "slip.yaml", "-o", tmp_path / "x.txt"])
    assert r.exit_code == 2 and "按经济分类的基本支出合计" in r.output


def test_the_sentences_of_sections_ten_and_twelve_become_data(published, tmp_path):
    """机关运行经费 with its 上年数 and reason, vehicles by kind: read from the sentences as written."""
    text = (published / "example.txt").read_text(encoding="utf-8")
    text = text.replace("2023年度武汉市汉阳区大数据中心无机关运行经费支出，主要原因是我单位是全额拨款事业单位。",
                        "2023年度武汉市汉阳区大数据中心机关运行经费支出12.34万元，与2022年度相比，机关运行经费支出"
                        "增加1.00万元，增长8.82%，主要原因是新增办公设备。", 1)
    text = text.replace("截至2023年12月31日，武汉市汉阳区大数据中心无车辆。单价100万元（含）以上设备5台（套）。",
                        "截至2023年12月31日，武汉市汉阳区大数据中心共有车辆3辆，其中：一般公务用车1辆、"
                        "执法执勤用车2辆。无单价100万元（含）以上设备。", 1)
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    data = _data(tmp_path / "s.txt", tmp_path / "s.yaml")
    assert data["operating_funds"] == {"amount": 123400, "prior": 113400, "reason": "新增办公设备"}
    assert data["assets"] == {"as_of": "2023年12月31日", "vehicles": 3, "equipment_over_1m": 0,
                              "vehicle_detail": {"一般公务用车": 1, "执法执勤用车": 2}}
    assert "funding" not in data["entity"]          # no longer said: not carried over


def test_three_public_figures_prior_year_and_missing_reasons(years, tmp_path):
    """2022's T9 shows 1.23 万元 of 公务接待费 and section 九 says 较上年增加1.23万元 with a 【待填写】 reason:
    the 决算数 and the 上年数 it implies are data, the reason is not."""
    data = _data(years / "2022.txt", tmp_path / "2022.yaml")
    tp = data["three_public"]
    assert tp["final"]["reception"] == 12300 and tp["budget"]["reception"] == 0
    assert tp["prior_final"] == {"abroad": 0, "vehicle_purchase": 0, "vehicle_operation": 0, "reception": 0}
    assert "reasons" not in tp


@pytest.mark.parametrize("sample, layout", [("chongqing-swu-2023-final.pdf", "university"),
                                            ("shanghai-putuo-shehuigongzuobu-2024.pdf", "shanghai")])
def test_a_document_in_another_layout_becomes_data_that_builds_in_its_layout(tmp_path, sample, layout):
    """The university layout shows four tables: what it does not show (财政拨款 balances, 基本支出
    by economic class) is not given, not 0 — the data is consistent and builds, by default in the
    layout the document was in (a Shanghai document builds as Shanghai's)."""
    src = Path(__file__).parent / "fixtures" / "samples" / sample
    out = tmp_path / "data.yaml"
    r = invoke(["parse", src, "--format", "data", "-o", out])
    assert r.exit_code == 0, r.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["source"]["layout"] == layout
    r = invoke(["check", out])
    assert r.exit_code == 0 and "审核：0 个错误" in r.output, r.output
    r = invoke(["build", out, "-o", tmp_path / "b.txt"])
    assert r.exit_code == 0, r.output
    from juesuan import pipeline
    assert pipeline.build(out).tables.variant == layout
    assert pipeline.build(out, "national").tables.variant == "national"      # unless told otherwise
