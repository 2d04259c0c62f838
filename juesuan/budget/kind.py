"""The 预算 (部门预算公开) as a document kind: :data:`KIND`, what the pipeline uses of it.

A budget is built from its data (:mod:`juesuan.budget.model`, read by :mod:`juesuan.budget.canonical`
from YAML/JSON saying ``kind: budget``): its tables in the national layout, controlled-rounded
together (:mod:`juesuan.budget.build`), and the document around them (:mod:`juesuan.budget.narrative`).
Published budgets are read in every layout of :mod:`juesuan.budget.layouts`
(:data:`~juesuan.budget.recognition.SPEC`), and read back as data (:mod:`juesuan.budget.from_document`);
``check`` holds them to the identities within their tables
(:mod:`juesuan.budget.rules`: YS1xx within a table, YS2xx between tables,
YS3xx its 情况说明) and says, with its findings, what it checked and what not yet (``check_scope``). Its input workbook
(:mod:`juesuan.budget.workbook`, ``juesuan template --kind budget``) is known by its sheet names
(``workbook_sheets``) and read as its data.
"""

from __future__ import annotations

from pathlib import Path

from ..kind import Kind

__all__ = ["KIND"]


def _load(path: Path):
    from .canonical import load
    return load(path)


def _build_tables(model, variant: str):
    from .build import build_tables
    return build_tables(model, variant)


def _build_document(model, tables):
    from .narrative import build_document
    return build_document(model, tables)


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
    from .model import Budget
    s = Budget.model_json_schema()
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    s["title"] = "juesuan 部门预算数据（金额单位：元）"
    return s


def _write_template(out: Path, model, year: int, unit: str) -> Path:
    from .workbook import write_template
    return write_template(out, model, year=year, unit=unit)


def _document_data(doc, file: str):
    from .from_document import document_data
    return document_data(doc, file)


def _document_model(doc, file: str):
    from .from_document import budget_from_document
    return budget_from_document(doc, file)


def _dump(model, fmt: str) -> str:
    from ..data import dump
    return dump(model, fmt)


def _blank_parts(model) -> list[str]:
    return model.blank_parts()


KIND = Kind(name="budget", title="部门预算公开", load=_load, build_tables=_build_tables,
            build_document=_build_document, variants=_variants, parse_spec=_parse_spec, rules=_rules,
            families=_families, schema=_schema, write_template=_write_template, check_scope=_check_scope,
            document_data=_document_data, document_model=_document_model, dump=_dump, blank_parts=_blank_parts,
            form_facts=_form_facts,
            data_names=("budget.yaml", "budget.yml", "budget.json"),
            workbook_sheets=("收入预算", "支出预算", "三公经费预算"))
