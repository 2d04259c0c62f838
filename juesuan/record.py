"""Typed, frozen records validated from plain data: the ground the data model stands on.

A :class:`Record` subclass declares its fields as annotated class attributes, each with an
optional :func:`Field` (default, Chinese ``title``, constraints)::

    class Entity(Record):
        name: str = Field(title="单位全称", min_length=2)
        level: Literal["市", "区"] = Field(title="政府层级")
        phone: str | None = Field(None, title="公开咨询电话")

:meth:`Record.model_validate` turns plain data (mappings, lists, strings or numbers: what a
YAML file or a workbook gives) into records, converting leniently where a reader would
(``"2023"`` → 2023, ``"1000.5"`` → ``Decimal("1000.5")``) and collecting **every** problem
with its path (``income[0].general``) instead of stopping at the first; it raises
:class:`ValidationError`. :meth:`Record.model_json_schema` describes the same fields as JSON
Schema (draft 2020-12) for ``juesuan schema``.

Supported annotations: ``str``, ``int``, ``Decimal``, ``Literal[...]``, ``Enum`` subclasses,
records, ``X | None``, ``list[X]``, ``dict[K, V]`` (keys ``str`` or an Enum) and
``Annotated[X, Field(...constraints), After(fn), …]`` where ``After(fn)`` runs ``fn`` on the
converted value (a ``ValueError`` becomes a problem at that path).

Why not pydantic: the model used to be pydantic, whose import and schema building cost
≈ 0.25 s of every command's start-up (more than everything ``juesuan check`` does). This
module is the small part of it the data model needs: a few hundred lines, stdlib only,
imported in ≈ 2 ms.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Literal, Union

__all__ = ["Record", "Field", "After", "ValidationError"]

_MISSING: Any = object()


class Field:
    """A field's default (or ``default_factory``), Chinese ``title`` and constraints
    (``regex`` is ``pattern`` compiled, None without one)."""

    __slots__ = ("default", "default_factory", "title", "ge", "le", "min_length", "pattern", "regex")

    def __init__(self, default: Any = _MISSING, *, default_factory: Callable[[], Any] | None = None,
                 title: str | None = None, ge: Any = None, le: Any = None, min_length: int | None = None,
                 pattern: str | None = None):
        self.default, self.default_factory, self.title = default, default_factory, title
        self.ge, self.le, self.min_length, self.pattern = ge, le, min_length, pattern
        self.regex = re.compile(pattern) if pattern else None

    @property
    def required(self) -> bool:
        return self.default is _MISSING and self.default_factory is None

    def make_default(self) -> Any:
        return self.default_factory() if self.default_factory is not None else self.default

    def __repr__(self) -> str:
        return f"Field(title={self.title!r})"


class After:
    """In ``Annotated[X, After(fn)]``: ``fn(value)`` after conversion; may raise ValueError."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[Any], Any]):
        self.fn = fn


class ValidationError(ValueError):
    """Every problem found in one validation; :meth:`errors` lists them as dicts.

    Each has ``loc`` (the path as a tuple of names and indices), ``type`` (a short
    code: missing, extra_forbidden, int_parsing, decimal_parsing, string_type, …),
    ``msg`` (English), ``input`` (the value given) and ``ctx`` (e.g. ``expected``).
    """

    def __init__(self, problems: list[dict]):
        self._problems = problems
        super().__init__("; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in problems))

    def errors(self) -> list[dict]:
        return list(self._problems)


class _Problems(Exception):
    """Raised inside conversion; carries problems relative to the value being converted."""

    def __init__(self, problems: list[dict]):
        self.problems = problems


def _under(key: Any, problems: list[dict]) -> list[dict]:
    """``problems`` of a value found under ``key`` (an index, a mapping key or a field name)."""
    return [dict(q, loc=(key, *q["loc"])) for q in problems]


def _problem(type_: str, msg: str, value: Any, **ctx: Any) -> _Problems:
    return _Problems([{"loc": (), "type": type_, "msg": msg, "input": value, "ctx": ctx}])


# ------------------------------------------------------------------------------ converters

def _expected(values) -> str:
    """'中央'、'省' 或 '市' (the expected values, for messages)."""
    vals = [repr(v) for v in values]
    return vals[0] if len(vals) == 1 else f"{'、'.join(vals[:-1])} 或 {vals[-1]}"


def _converter(tp: Any) -> Callable[[Any], Any]:
    """A function that converts one value to ``tp`` or raises _Problems."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        inner = _converter(base)
        checks = [m for m in meta if isinstance(m, Field)]
        afters = [m.fn for m in meta if isinstance(m, After)]

        def annotated(v):
            v = inner(v)
            for f in checks:
                _constrain(f, v)
            for fn in afters:
                try:
                    v = fn(v)
                except ValueError as e:
                    raise _problem("value_error", str(e), v, error=str(e)) from None
            return v
        return annotated
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _converter(args[0] if len(args) == 1 else Union[tuple(args)])  # noqa: UP007

        def optional(v):
            return None if v is None else inner(v)
        return optional
    if origin is Literal:
        choices = typing.get_args(tp)

        def literal(v):
            for c in choices:
                if v == c and type(v) is type(c):
                    return c
            raise _problem("literal_error", f"Input should be {_expected(choices)}", v, expected=_expected(choices))
        return literal
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        item = _converter(item_tp)

        def listing(v):
            if not isinstance(v, (list, tuple)):
                raise _problem("list_type", "Input should be a valid list", v)
            out, problems = [], []
            for i, x in enumerate(v):
                try:
                    out.append(item(x))
                except _Problems as p:
                    problems += _under(i, p.problems)
            if problems:
                raise _Problems(problems)
            return out
        return listing
    if origin is dict:
        key_tp, val_tp = typing.get_args(tp)
        key, val = _converter(key_tp), _converter(val_tp)

        def mapping(v):
            if not isinstance(v, dict):
                raise _problem("dict_type", "Input should be a valid dictionary", v)
            out, problems = {}, []
            for k, x in v.items():
                try:
                    ck = key(k)
                except _Problems as p:
                    problems += [dict(q, loc=(k, "[key]")) for q in p.problems]
                    continue
                try:
                    out[ck] = val(x)
                except _Problems as p:
                    problems += _under(k, p.problems)
            if problems:
                raise _Problems(problems)
            return out
        return mapping
    if isinstance(tp, type) and issubclass(tp, Record):
        return tp._convert  # noqa: SLF001 - a nested record converts by its class's converter (this module's own)
    if isinstance(tp, type) and issubclass(tp, Enum):
        members = [m.value for m in tp]

        def enum(v):
            try:
                return tp(v)
            except ValueError:
                raise _problem("enum", f"Input should be {_expected(members)}", v,
                               expected=_expected(members)) from None
        return enum
    if tp is str:
        return _str
    if tp is int:
        return _int
    if tp is Decimal:
        return _decimal
    raise TypeError(f"unsupported field type {tp!r}")


def _str(v):
    if isinstance(v, str):
        return v
    raise _problem("string_type", "Input should be a valid string", v)


def _int(v):
    if isinstance(v, bool):
        raise _problem("int_type", "Input should be a valid integer", v)
    if isinstance(v, int):
        return v
    if isinstance(v, (float, Decimal)):
        finite = v.is_finite() if isinstance(v, Decimal) else v == v and v not in (float("inf"), float("-inf"))
        if finite and int(v) == v:
            return int(v)
        raise _problem("int_from_float", "Input should be a valid integer, got a number with a fractional part", v)
    if isinstance(v, str):
        s = v.strip()
        try:
            return int(s)
        except ValueError:
            pass
        try:
            d = Decimal(s)
            if d.is_finite() and d == d.to_integral_value():
                return int(d)
        except InvalidOperation:
            pass
        raise _problem("int_parsing", "Input should be a valid integer, unable to parse string as an integer", v)
    raise _problem("int_type", "Input should be a valid integer", v)


def _decimal(v):
    if isinstance(v, bool):
        raise _problem("decimal_type", "Decimal input should be an integer, float, string or Decimal object", v)
    if isinstance(v, Decimal):
        if not v.is_finite():
            raise _problem("finite_number", "Input should be a finite number", v)
        return v
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise _problem("finite_number", "Input should be a finite number", v)
        return Decimal(repr(v))
    if isinstance(v, str):
        try:
            d = Decimal(v.strip())
        except InvalidOperation:
            raise _problem("decimal_parsing", "Input should be a valid decimal", v) from None
        if not d.is_finite():  # "NaN", "Infinity": not an amount (and NaN cannot be compared)
            raise _problem("finite_number", "Input should be a finite number", v)
        return d
    raise _problem("decimal_type", "Decimal input should be an integer, float, string or Decimal object", v)


def _constrain(f: Field, v: Any) -> None:
    if f.ge is not None and v is not None and v < f.ge:
        raise _problem("greater_than_equal", f"Input should be greater than or equal to {f.ge}", v, ge=f.ge)
    if f.le is not None and v is not None and v > f.le:
        raise _problem("less_than_equal", f"Input should be less than or equal to {f.le}", v, le=f.le)
    if f.min_length is not None and v is not None and len(v) < f.min_length:
        raise _problem("string_too_short", f"String should have at least {f.min_length} characters", v,
                       min_length=f.min_length)
    if f.regex is not None and v is not None and not f.regex.search(v):
        raise _problem("string_pattern_mismatch", f"String should match pattern '{f.pattern}'", v,
                       pattern=f.pattern)


# ------------------------------------------------------------------------------ records

class Record:
    """A frozen record of typed fields (see the module's doc).

    ``Record(**fields)`` validates like :meth:`model_validate`; :meth:`model_copy` copies
    with some fields replaced (without validation); records compare equal field by field.
    """

    model_fields: typing.ClassVar[dict[str, Field]] = {}
    _plan: typing.ClassVar[list | None] = None

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        fields: dict[str, Field] = {}
        for base in reversed(cls.__mro__[1:]):
            fields.update(getattr(base, "model_fields", {}))
        for name in cls.__dict__.get("__annotations__", {}):
            if name.startswith("_") or name == "model_fields":
                continue
            value = cls.__dict__.get(name, _MISSING)
            f = value if isinstance(value, Field) else Field(value)
            fields[name] = f
            if name in cls.__dict__:
                delattr(cls, name)
        cls.model_fields = fields
        cls._plan = None  # converters are made on first use: the annotations may name later classes

    # -- validation
    @classmethod
    def _converters(cls) -> list:
        if cls._plan is None:
            hints = typing.get_type_hints(cls, include_extras=True)
            plan = []
            for name, f in cls.model_fields.items():
                conv = _converter(hints[name])
                if any(x is not None for x in (f.ge, f.le, f.min_length, f.regex)):
                    conv = _with_constraints(conv, f)
                plan.append((name, f, conv))
            cls._plan = plan
        return cls._plan

    @classmethod
    def _convert(cls, v: Any) -> Record:
        if isinstance(v, cls):
            return v
        if not isinstance(v, dict):
            raise _problem("model_type", f"Input should be a valid dictionary or instance of {cls.__name__}", v)
        values: dict[str, Any] = {}
        problems: list[dict] = []
        for name, f, conv in cls._converters():
            if name in v:
                try:
                    values[name] = conv(v[name])
                except _Problems as p:
                    problems += _under(name, p.problems)
            elif f.required:
                problems.append({"loc": (name,), "type": "missing", "msg": "Field required", "input": v, "ctx": {}})
            else:
                values[name] = f.make_default()
        for name in v:
            if name not in cls.model_fields:
                problems.append({"loc": (name,), "type": "extra_forbidden", "msg": "Extra inputs are not permitted",
                                 "input": v[name], "ctx": {}})
        if problems:
            raise _Problems(problems)
        obj = object.__new__(cls)
        obj.__dict__.update(values)
        return obj

    @classmethod
    def model_validate(cls, data: Any):
        """A record from plain data; :class:`ValidationError` lists every problem with its path."""
        try:
            return cls._convert(data)
        except _Problems as p:
            raise ValidationError(p.problems) from None

    def __init__(self, **data: Any):
        try:
            valid = self._convert(data)
        except _Problems as p:
            raise ValidationError(p.problems) from None
        self.__dict__.update(valid.__dict__)

    # -- behaviour of a frozen value
    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError(f"{type(self).__name__} is frozen: use model_copy(update={{{name!r}: …}})")

    def __delattr__(self, name: str) -> None:
        raise TypeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__  # type: ignore[union-attr]

    def __hash__(self) -> int:
        return hash((type(self), tuple(_hashable(v) for v in self.__dict__.values())))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def model_copy(self, *, update: dict[str, Any] | None = None):
        """A copy with the fields of ``update`` replaced (not validated, like pydantic's)."""
        obj = object.__new__(type(self))
        obj.__dict__.update(self.__dict__)
        for k, v in (update or {}).items():
            if k not in self.model_fields:
                raise TypeError(f"{type(self).__name__} has no field {k!r}")
            obj.__dict__[k] = v
        return obj

    def __copy__(self):
        return self.model_copy()

    def __deepcopy__(self, memo):
        import copy
        obj = object.__new__(type(self))
        memo[id(self)] = obj
        obj.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return obj

    def __reduce__(self):
        return (_rebuild, (type(self), self.__dict__.copy()))

    # -- JSON Schema
    @classmethod
    def model_json_schema(cls) -> dict:
        """This record as JSON Schema (draft 2020-12), nested records under ``$defs``."""
        defs: dict[str, dict] = {}
        top = _record_schema(cls, defs)
        defs.pop(cls.__name__, None)
        if defs:
            top["$defs"] = dict(sorted(defs.items()))
        return top


def _rebuild(cls, state):
    obj = object.__new__(cls)
    obj.__dict__.update(state)
    return obj


def _hashable(v):
    if isinstance(v, list):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, dict):
        return tuple((k, _hashable(x)) for k, x in v.items())
    return v


def _with_constraints(conv, f: Field):
    def constrained(v):
        v = conv(v)
        _constrain(f, v)
        return v
    return constrained


# ------------------------------------------------------------------------------ JSON Schema

_DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"


def _record_schema(cls: type[Record], defs: dict) -> dict:
    hints = typing.get_type_hints(cls, include_extras=True)
    props: dict[str, dict] = {}
    required = []
    for name, f in cls.model_fields.items():
        s = _type_schema(hints[name], defs)
        _apply(s, f)
        if f.title:
            s = {"title": f.title, **s}
        if not f.required:
            d = f.make_default()
            if isinstance(d, (str, int)) and not isinstance(d, bool) or d is None:
                s["default"] = d.value if isinstance(d, Enum) else d
            elif isinstance(d, Decimal):
                s["default"] = format(d, "f")
            elif isinstance(d, (list, dict)) and not d:
                s["default"] = d
        else:
            required.append(name)
        props[name] = s
    out: dict[str, Any] = {"type": "object", "title": cls.__name__, "properties": props,
                           "additionalProperties": False}
    if cls.__doc__:
        out["description"] = cls.__doc__.strip().splitlines()[0]
    if required:
        out["required"] = required
    return out


def _apply(s: dict, f: Field) -> None:
    target = s
    if s.get("anyOf") and s["anyOf"][0].get("type") in ("number", "integer"):
        target = s["anyOf"][0]
    if f.ge is not None:
        target["minimum"] = f.ge if isinstance(f.ge, int) else float(f.ge)
    if f.le is not None:
        target["maximum"] = f.le if isinstance(f.le, int) else float(f.le)
    if f.min_length is not None:
        s["minLength"] = f.min_length
    if f.pattern is not None:
        s["pattern"] = f.pattern


def _type_schema(tp: Any, defs: dict) -> dict:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        s = _type_schema(base, defs)
        for m in meta:
            if isinstance(m, Field):
                _apply(s, m)
        return s
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = [_type_schema(a, defs) for a in args]
        return {"anyOf": [*inner, {"type": "null"}]}
    if origin is Literal:
        return {"enum": list(typing.get_args(tp)), "type": "string"}
    if origin is list:
        return {"type": "array", "items": _type_schema(typing.get_args(tp)[0], defs)}
    if origin is dict:
        k, v = typing.get_args(tp)
        s: dict[str, Any] = {"type": "object", "additionalProperties": _type_schema(v, defs)}
        if isinstance(k, type) and issubclass(k, Enum):
            s["propertyNames"] = {"enum": [m.value for m in k]}
        return s
    if isinstance(tp, type) and issubclass(tp, Record):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}  # placeholder against cycles
            defs[tp.__name__] = _record_schema(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [m.value for m in tp], "type": "string"}
    if tp is str:
        return {"type": "string"}
    if tp is int:
        return {"type": "integer"}
    if tp is Decimal:
        return {"anyOf": [{"type": "number"}, {"type": "string", "pattern": _DECIMAL_PATTERN}]}
    raise TypeError(f"unsupported field type {tp!r}")
