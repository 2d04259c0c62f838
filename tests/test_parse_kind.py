"""Which kind a published file is: a 部门决算公开 or a 部门预算公开 (issue 13 §4, issue 18).

A budget is read as a budget (``parse`` says kind=budget), and ``check`` of one runs the budget's
rules (YS1xx), says that they are all it checked, and reports no 决算 error; asked for as a 决算, it is
refused with a message that names what it is. A file that is neither is refused (exit status 2),
not checked as a disclosure that lacks all nine tables."""

from __future__ import annotations

import pytest
from conftest import SAMPLES

from juesuan.cli import main
from juesuan.errors import InputError
from juesuan.pipeline import kind_named, parse

# (every budget sample's kind is asserted in test_parse_budget.py; here the two that were once refused)
BUDGETS = [SAMPLES / "budgets" / "beijing-shenjiju-2026-budget-text.pdf",
           SAMPLES / "budgets" / "shenzhen-caizhengju-2026-budget.pdf"]


@pytest.mark.parametrize("path", BUDGETS, ids=lambda p: p.stem)
def test_a_budget_is_read_as_one_and_refused_as_a_final(path):
    assert parse(path).kind == "budget"
    with pytest.raises(InputError) as e:
        parse(path, kind_named("final"))
    said = str(e.value)
    assert "不像一份部门决算公开" in said and "部门预算公开" in said and path.name in said


@pytest.mark.parametrize("path", BUDGETS, ids=lambda p: p.stem)
def test_check_of_a_budget_raises_no_final_error_and_says_what_it_checked(path, capsys):
    assert main(["check", str(path)]) == 0
    cap = capsys.readouterr()
    out = cap.out + cap.err
    assert "部门预算公开目前只核对表内勾稽关系" in out and "--budget" in out and "未作任何核对" not in out
    assert "JS" not in out and "0 个错误" in out


def test_the_finals_are_still_finals():
    for name in ("000_9e500328b38455ed.txt", "chongqing-swu-2023-final.pdf", "shanghai-putuo-shehuigongzuobu-2024.pdf"):
        got = parse(SAMPLES / name)
        assert got.kind == "final" and got.coverage.kind_title == "部门决算公开", name


@pytest.mark.parametrize(("text", "said"), [("", "文件是空的"), ("\n\n  \n", "文件只有空白"),
                                           ("关于开展2024年度安全检查的通知\n各单位：请于本月底前完成自查。\n",
                                            "不像一份部门决算公开")],
                         ids=["empty", "blank", "notice"])
def test_empty_files_and_notices_are_refused(tmp_path, capsys, text, said):
    p = tmp_path / "x.txt"
    p.write_text(text, encoding="utf-8")
    assert main(["check", str(p)]) == 2
    err = capsys.readouterr().err
    assert said in err and "x.txt" in err
    with pytest.raises(InputError):
        parse(p)


def test_a_piece_of_a_disclosure_is_still_read(tmp_path):
    """A pasted section of the 情况说明 says 决算 and nothing else: read what there is."""
    p = tmp_path / "piece.txt"
    p.write_text("一、收入支出决算总体情况说明\n2023年度收、支总计100.00万元。\n", encoding="utf-8")
    assert parse(p).document.part("narrative").sections


def test_the_title_decides_the_kind_before_the_words(tmp_path):
    """A 决算 whose 绩效自评表 say 部门预算项目 once per project says 部门预算 more often than
    部门决算: its title decides. Without a title, the tables whose titles it prints, then its words."""
    final = tmp_path / "final.txt"
    final.write_text("2023年度某某中心部门决算公开\n一、收入支出决算总表\n" + "项目类型：部门预算项目\n" * 40,
                     encoding="utf-8")
    assert parse(final).kind == "final"
    tables = tmp_path / "tables.txt"
    tables.write_text("预算01表 收支总表\n金额单位：万元\n"
                      "一、一般公共预算拨款收入\t100.00\t一、一般公共服务支出\t100.00\n"
                      "收入总计\t100.00\t支出总计\t100.00\n", encoding="utf-8")
    assert parse(tables).kind == "budget"
