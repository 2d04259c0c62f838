"""The reference case (issue 4 item 6): the checker on the published seed document, through parsing.

The seed (武汉市汉阳区大数据中心 2023, text extracted from the published PDF) has
real contradictions and rounding-only differences; the checker must report the
first and at most ``info`` for the second.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parent / "fixtures" / "samples" / "000_9e500328b38455ed.txt"


@pytest.fixture(scope="module")
def findings():
    from juesuan.pipeline import check, parse
    doc = parse(SEED).document
    return check(doc)


def _with(findings, rule=None, severity=None, figures=()):
    return [f for f in findings
            if (rule is None or f.rule == rule) and (severity is None or f.severity == severity)
            and all(x in f.figures for x in figures)]


@pytest.mark.parametrize("pair", [("53.32", "53.33"), ("28.60", "28.61")])
def test_one_fact_two_figures_is_info(findings, pair):
    same = _with(findings, figures=pair)
    assert same, pair
    assert {f.severity for f in same} == {"info"}
    assert {f.rule for f in same} >= {"JS202", "JS204"}


def test_initial_budget_items_vs_total_is_error(findings):
    got = _with(findings, "JS307", "error", ("1370.19", "1365.19"))
    assert got
    assert got[0].places[0].section == "五（三）"


def test_project_figure_vs_self_evaluation_is_error(findings):
    got = _with(findings, "JS403", "error", ("259.98", "261.25"))
    assert got
    assert "汉阳区市民热线工作服务平台及区人大履职系统运行经费" in got[0].message


def test_glossary_names_city_level_is_warning(findings):
    got = _with(findings, "JS604", "warning", ("市级财政", "市直部门"))
    assert got
    sections = {loc.section for f in got for loc in f.places}
    assert {"（一）", "（十六）"} <= sections


def test_site_visits_stated_differently_is_warning(findings):
    got = [f for f in _with(findings, "JS406", "warning")
           if any("140.5853" in x for x in f.figures) and any("181.95" in x for x in f.figures)]
    assert got


@pytest.mark.parametrize("figures", [
    ("1294.48", "1294.50"),     # 收入决算表 Σ类 vs 合计
    ("343.75", "343.76"),       # 301 items
    ("8.09", "8.08"),           # 302 items
    ("1294.48", "1294.49"),     # 基本 + 项目
    ("97.47%",),                # 政务媒体运维 执行率
    ("80.41%",),                # 残保金 执行率
])
def test_rounding_only_differences_are_not_warnings(findings, figures):
    above_info = [f for f in _with(findings, figures=figures) if f.severity != "info"]
    assert not above_info, [(f.rule, f.severity, f.message) for f in above_info]


def test_rounding_only_differences_reported_as_info(findings):
    for figs in (("1294.48", "1294.50"), ("343.75", "343.76"), ("8.09", "8.08")):
        assert _with(findings, severity="info", figures=figs), figs


def test_no_other_errors_or_warnings(findings):
    """Only the two real contradictions are errors; the warnings are the three presentation faults."""
    errors = {(f.rule, tuple(f.figures)) for f in findings if f.severity == "error"}
    assert errors == {("JS307", ("1370.19", "1365.19")), ("JS403", ("259.98", "261.25"))}, sorted(errors)
    warnings = {f.rule for f in findings if f.severity == "warning"}
    # JS308: 54.2 % (363.24 / 669.68 = 54.24 %) is a truncated percentage — a presentation fault.
    assert warnings == {"JS308", "JS406", "JS604"}, sorted(warnings)
    assert not [f for f in findings if f.rule == "JS000"]
