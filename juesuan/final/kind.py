"""The 决算 (部门决算公开) as a document kind: :data:`KIND`, what the pipeline uses of it."""

from __future__ import annotations

from pathlib import Path

from ..kind import Kind

__all__ = ["KIND"]


def _load(path: Path):
    from .readers import load
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
    from .rules.families import rules
    return rules()


def _families():
    from .rules.families import FAMILIES
    return FAMILIES


def _schema() -> dict:
    from .model import Disclosure
    s = Disclosure.model_json_schema()
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    s["title"] = "juesuan 部门决算数据（金额单位：元）"
    return s


def _write_template(out: Path, model, year: int, unit: str) -> Path:
    from .workbook import write_template
    return write_template(out, model, year=year, unit=unit)


def _document_data(doc, file: str):
    from .from_document import document_data
    return document_data(doc, file)


def _document_model(doc, file: str):
    from .from_document import disclosure_from_document
    return disclosure_from_document(doc, file)


def _with_previous(model, doc, file: str):
    from .from_document import with_previous
    return with_previous(model, doc, file)


def _consolidate(inputs, name, level):
    from .consolidate import consolidate
    return consolidate(inputs, name, level)


def _dump(model, fmt: str) -> str:
    from .dump import text
    return text(model, fmt)


def _blank_parts(model) -> list[str]:
    return model.blank_parts()


def _layout_of(model) -> str | None:
    return model.source.layout if model.source is not None else None


def _narrative_facts(doc) -> list[dict]:
    from .narrative_facts import narrative_facts
    return narrative_facts(doc)


KIND = Kind(name="final", title="部门决算公开", load=_load, build_tables=_build_tables,
            build_document=_build_document, variants=_variants, parse_spec=_parse_spec, rules=_rules,
            families=_families, schema=_schema, write_template=_write_template,
            document_data=_document_data, document_model=_document_model, with_previous=_with_previous,
            consolidate=_consolidate, dump=_dump, blank_parts=_blank_parts,
            layout_of=_layout_of, narrative_facts=_narrative_facts,
            data_names=("disclosure.yaml", "disclosure.yml", "disclosure.json"))
