"""The 预算 (部门预算公开) as a document kind: :data:`KIND`, what the pipeline uses of it.

This first part reads published budgets: their tables in every layout of
:mod:`juesuan.budget.layouts` (:data:`~juesuan.budget.recognition.SPEC`), and checks the
identities within them (:mod:`juesuan.budget.rules`, YS1xx). Building a budget from data, its
input workbook and its data schema come next; asking for them now is refused with a Chinese
message (``InputError``), never a traceback. ``juesuan check`` of a budget says, with its
findings, what it checked and what not yet (``check_scope``, :mod:`juesuan.pipeline`).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Diagnostic, InputError
from ..kind import Kind

__all__ = ["KIND", "NOT_YET"]

NOT_YET = ("部门预算公开暂不支持{what}：目前只能解析和审核已公开的部门预算（juesuan parse、juesuan check），"
           "生成和填报模板将在后续版本提供。")


def _refuse(what: str, file: str | None = None):
    raise InputError([Diagnostic("error", NOT_YET.format(what=what), file=file, code="budget-not-yet")])


def _load(path: Path):
    _refuse("由数据生成（读取规范数据或填报模板）", str(path))


def _build_tables(model, variant: str):
    _refuse("生成预算表")


def _build_document(model, tables):
    _refuse("生成部门预算公开文件")


def _variants():
    from .layouts import VARIANTS
    return VARIANTS


def _parse_spec():
    from .recognition import SPEC
    return SPEC


def _rules():
    from .rules import rules
    return rules()


def _families():
    from .rules import FAMILIES
    return FAMILIES


def _check_scope() -> str:
    from .rules import SCOPE
    return SCOPE


def _form_facts(doc) -> list[dict]:
    from .forms import form_facts
    return form_facts(doc)


def _schema() -> dict:
    _refuse("输出数据结构（JSON Schema）")


def _write_template(out: Path, model, year: int, unit: str) -> Path:
    _refuse("填报模板", str(out))


KIND = Kind(name="budget", title="部门预算公开", load=_load, build_tables=_build_tables,
            build_document=_build_document, variants=_variants, parse_spec=_parse_spec, rules=_rules,
            families=_families, schema=_schema, write_template=_write_template, check_scope=_check_scope,
            form_facts=_form_facts)
