"""A file that is not a 部门决算公开 is refused with a message (exit status 2), not checked as a
disclosure that lacks all nine tables (issue 13 §4)."""

from __future__ import annotations

import pytest
from conftest import SAMPLES

from juesuan.cli import main
from juesuan.errors import InputError
from juesuan.pipeline import parse

BUDGETS = sorted((SAMPLES / "budgets").glob("*.pdf"))


@pytest.mark.parametrize("path", BUDGETS, ids=lambda p: p.stem)
def test_a_budget_disclosure_is_refused_as_one(path, capsys):
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "不像一份部门决算公开" in err and "部门预算公开" in err and path.name in err
    assert "JS501" not in err


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
