"""Checks across a unit's 预算 and 决算 for the same year (issue 18, "Across documents").

A unit publishes its 部门预算 at the start of a year and its 部门决算 after it; the 决算 quotes the
budget: its 一般公共预算财政拨款支出 年初预算 (total and by 功能分类 项), the 三公 预算数, the projects
it evaluates (项目支出绩效自评表) and their 年初目标值. :func:`check_pair` holds the two documents —
each read from a published file or built from data — against each other with the rule family
YJ1xx (:mod:`juesuan.across.rules`, docs/rules-across.md), each finding naming both places
(``Place.file`` says which document).

This package sits between the pipeline and the document kinds: it may import both kinds (and
only it and the layers above may); the kinds never import it.
"""

from __future__ import annotations

from .check import check_pair

__all__ = ["check_pair"]
