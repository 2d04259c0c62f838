"""juesuan.record: conversion, every problem with its path, frozen values, copies, JSON Schema."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal
from typing import Annotated, Literal

import pytest

from juesuan.final.model import Disclosure, Entity, Fund, IncomeLine, ThreePublicAmounts
from juesuan.record import After, Field, Record, ValidationError


def _double(v: int) -> int:
    if v > 100:
        raise ValueError("太大")
    return v * 2


class Inner(Record):
    n: int = Field(0, ge=0, title="数量")


class Outer(Record):
    name: str = Field(title="名称", min_length=2)
    kind: Literal["甲", "乙"] = Field("甲")
    amount: Decimal | None = None
    items: list[Inner] = Field(default_factory=list)
    by_fund: dict[Fund, Inner] = Field(default_factory=dict)
    doubled: Annotated[int, After(_double)] = 1


def _problems(data) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as e:
        Outer.model_validate(data)
    return [(p["loc"], p["type"]) for p in e.value.errors()]


def test_converts_text_as_a_reader_gives_it():
    o = Outer.model_validate({"name": "某单位", "kind": "乙", "amount": "1234.50", "doubled": "21",
                              "items": [{"n": "3"}, {"n": 4.0}], "by_fund": {"general": {"n": "0"}}})
    assert o.amount == Decimal("1234.50") and str(o.amount) == "1234.50"
    assert o.doubled == 42 and o.kind == "乙"
    assert [i.n for i in o.items] == [3, 4]
    assert list(o.by_fund) == [Fund.general]
    # defaults, and a float becomes the Decimal of its shortest repr (never binary noise)
    o2 = Outer.model_validate({"name": "某单位", "amount": 0.1})
    assert o2.amount == Decimal("0.1") and o2.items == [] and o2.kind == "甲" and o2.doubled == 1


def test_every_problem_is_reported_with_its_path():
    got = _problems({"kind": "丙", "amount": "1千", "items": [{"n": -1}, {"n": "x"}, {"m": 1}],
                     "by_fund": {"nope": {"n": 1}}, "doubled": 500, "extra": 1})
    assert got == [
        (("name",), "missing"),
        (("kind",), "literal_error"),
        (("amount",), "decimal_parsing"),
        (("items", 0, "n"), "greater_than_equal"),
        (("items", 1, "n"), "int_parsing"),
        (("items", 2, "m"), "extra_forbidden"),
        (("by_fund", "nope", "[key]"), "enum"),
        (("doubled",), "value_error"),
        (("extra",), "extra_forbidden"),
    ]


def test_messages_carry_what_was_expected():
    with pytest.raises(ValidationError) as e:
        Outer.model_validate({"name": "x", "kind": "丙", "doubled": 500})
    errs = {p["loc"]: p for p in e.value.errors()}
    assert errs[("name",)]["type"] == "string_too_short"
    assert errs[("kind",)]["ctx"]["expected"] == "'甲' 或 '乙'"
    assert errs[("doubled",)]["ctx"]["error"] == "太大"


def test_wrong_shapes_are_problems_not_crashes():
    assert _problems({"name": 12}) == [(("name",), "string_type")]
    assert _problems({"name": "某单位", "items": {"n": 1}}) == [(("items",), "list_type")]
    assert _problems({"name": "某单位", "items": ["x"]}) == [(("items", 0), "model_type")]
    assert _problems({"name": "某单位", "by_fund": []}) == [(("by_fund",), "dict_type")]
    assert _problems({"name": "某单位", "amount": True}) == [(("amount",), "decimal_type")]
    assert _problems({"name": "某单位", "doubled": "1.5"}) == [(("doubled",), "int_parsing")]
    with pytest.raises(ValidationError):
        Outer.model_validate(["not", "a", "mapping"])


def test_records_are_frozen_values():
    a = Outer(name="某单位", items=[{"n": 1}])
    b = Outer.model_validate({"name": "某单位", "items": [Inner(n=1)]})
    assert a == b and a != Outer(name="另一单位")
    with pytest.raises(TypeError):
        a.name = "改名"  # type: ignore[misc]
    assert hash(Inner(n=1)) == hash(Inner(n=1))
    c = a.model_copy(update={"name": "改名"})
    assert c.name == "改名" and a.name == "某单位" and c.items is a.items
    with pytest.raises(TypeError):
        a.model_copy(update={"nmae": "typo"})
    for clone in (pickle.loads(pickle.dumps(a)), copy.deepcopy(a), copy.copy(a)):
        assert clone == a and type(clone) is Outer
    assert "name='某单位'" in repr(a)


def test_constructor_validates_like_model_validate():
    with pytest.raises(ValidationError) as e:
        Inner(n=-3)
    assert [p["loc"] for p in e.value.errors()] == [("n",)]
    assert ThreePublicAmounts(reception="12000").total == Decimal("12000.00")


def test_yuan_fields_quantise_and_refuse_fractions_of_a_fen():
    line = IncomeLine.model_validate({"code": "2010301", "general": "1000"})
    assert str(line.general) == "1000.00"
    with pytest.raises(ValidationError) as e:
        IncomeLine.model_validate({"code": "201030", "general": "1.234", "business": "-5"})
    kinds = {p["loc"]: p["type"] for p in e.value.errors()}
    assert kinds == {("code",): "string_pattern_mismatch", ("general",): "value_error",
                     ("business",): "greater_than_equal"}


def test_model_fields_name_the_titles_in_order():
    assert list(Entity.model_fields)[:3] == ["name", "short_name", "level"]
    assert Entity.model_fields["level"].title == "政府层级"
    # inherited fields come first, as declared
    assert list(IncomeLine.model_fields)[:3] == ["code", "name", "general"]


def test_json_schema_describes_the_model():
    jsonschema = pytest.importorskip("jsonschema")
    schema = Disclosure.model_json_schema()
    assert schema["required"] == ["year", "entity"] and schema["additionalProperties"] is False
    ent = schema["$defs"]["Entity"]
    assert ent["properties"]["level"]["enum"] == ["中央", "省", "市", "区", "县", "乡"]
    assert ent["properties"]["name"]["minLength"] == 2
    jsonschema.validate({"year": 2023, "entity": {"name": "某单位", "level": "区", "unit_type": "事业单位"},
                         "income": [{"code": "2010301", "general": "1000.50"}],
                         "fund_balances": {"general": {"opening": 0}}}, schema)
    for bad in ({"year": 2023}, {"year": 2023, "entity": {"name": "某单位", "level": "区", "unit_type": "事业单位"},
                                 "income": [{"code": "2010301", "general": -1}]},
                {"year": 2023, "entity": {"name": "某单位", "level": "区", "unit_type": "事业单位"},
                 "fund_balances": {"gold": {}}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
