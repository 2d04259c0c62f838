"""Canonical data shared by the document kinds: the yuan amount, the unit's profile, and reading a
data file (YAML/JSON) into a kind's record with every problem located.

Both kinds' data models (:mod:`juesuan.final.model`, :mod:`juesuan.budget.model`) stand on these:
an amount is a ``decimal.Decimal`` in **yuan** (元) with at most two decimals (万元 is a display
unit only), and a unit is described the same way in its 决算 and its 预算 (name, level, kind of
unit, duties, structure), so that a unit's two documents name the same unit.

:func:`read_data` reads a data file keeping every scalar as text until the model parses it (amounts
become ``Decimal`` exactly as written, no float on the way) and the line of every field;
:func:`validated` turns it into the kind's record, every problem named by file, line and field
path in Chinese (:func:`validation_messages`, shared with the workbook readers). Hostile files are
refused before anything is expanded: encodings and control characters, size, alias bombs, depth.
:func:`dump` writes a record back as such a file's text (YAML or JSON), :func:`plain` as plain data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml

from . import limits
from .catalog import catalog, normalize_name, year_note
from .errors import Diagnostic, InputError
from .limits import MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES
from .record import After, Field, Record, ValidationError

__all__ = ["Yuan", "yuan", "Profile", "LEVELS", "UNIT_TYPES", "find_data_file", "read_data", "validated",
           "validation_messages", "nearest", "data_kind", "plain", "dump"]


def yuan(v: Decimal) -> Decimal:
    """``v`` as a yuan amount (two decimals); ValueError when it is not one."""
    if not v.is_finite():
        raise ValueError("金额必须是有限数")
    if v.as_tuple().exponent < -2 and v != v.quantize(Decimal("0.01")):
        raise ValueError(f"金额以元为单位，最多两位小数：{v}")
    try:
        return v.quantize(Decimal("0.01"))
    except InvalidOperation:  # more digits than Decimal's 28: no department has that much money
        raise ValueError(f"金额超出范围：{v}") from None


# A yuan amount: non-negative Decimal with at most two decimals (quantized to 0.01).
Yuan = Annotated[Decimal, Field(ge=0), After(yuan)]

LEVELS = ("中央", "省", "市", "区", "县", "乡")
UNIT_TYPES = ("行政单位", "参公事业单位", "事业单位")


class Profile(Record):
    """A unit (单位) or department (部门) as both its disclosures describe it."""
    name: str = Field(title="单位全称", min_length=2)
    short_name: str | None = Field(None, title="单位简称（附件表格中使用）")
    level: Literal["中央", "省", "市", "区", "县", "乡"] = Field(title="政府层级")
    region: str | None = Field(None, title="所属地区，如 武汉市汉阳区")
    unit_type: Literal["行政单位", "参公事业单位", "事业单位"] = Field(title="单位性质")
    funding: str | None = Field(None, title="经费形式，如 全额拨款")
    duties: list[str] = Field(default_factory=list, title="部门主要职责")
    structure: str | None = Field(None, title="机构设置情况 / 决算单位构成")
    phone: str | None = Field(None, title="公开咨询电话")


# ------------------------------------------------------------------------------ reading a data file

def find_data_file(path: Path, names: tuple[str, ...], what: str = "部门") -> Path:
    """``path`` itself, or in a directory the first of ``names`` it holds."""
    if path.is_dir():
        for n in names:
            f = path / n
            if f.is_dir():
                raise InputError([Diagnostic("error", f"数据目录中的 {n} 是一个目录，不是文件：它应是{what}数据的 "
                                                      "YAML/JSON 文件。请删除或改名这个目录，把数据文件放在这里再试。",
                                             file=str(f))])
            if f.exists() or f.is_symlink():
                return f
        raise InputError([Diagnostic("error", f"目录中没有 {' / '.join(names)}", file=str(path))])
    return path


# ``kind:`` at the top of a YAML file, or a JSON object's ``"kind"`` near a line's start (its first key)
_KIND_KEY = re.compile(r'^(?:kind|\s{0,4}\{?\s*"kind")\s*:\s*["\']?(\w+)', re.M)


def data_kind(path: Path, names: tuple[str, ...] = ()) -> str | None:
    """The ``kind:`` a data file (or the first of ``names`` in a directory) says it is at its top
    level (``kind: budget``), None when it says none (a 决算's data) or cannot be read (the reader
    then says why)."""
    try:
        if path.is_dir():
            path = next((path / n for n in names if (path / n).is_file()), path)
        if not path.is_file() or path.suffix.lower() not in (".yaml", ".yml", ".json"):
            return None
        with open(path, "rb") as f:
            head = f.read(65536).decode("utf-8", "replace")
    except OSError:
        return None
    m = _KIND_KEY.search(head)
    return m.group(1) if m else None


def _measure(node: yaml.Node, sizes: dict[int, int], depth: int = 0) -> int:
    """The values ``node`` stands for once its aliases are expanded (a shared node is counted
    each time it is used, but measured once): a “billion laughs” document of a few lines is
    refused here, before anything is expanded. Nesting (or an alias inside its own anchor) is
    bounded too."""
    known = sizes.get(id(node))
    if known is not None:
        if known < 0:
            raise _TooBig(node.start_mark.line + 1, "中有别名（*引用）引用了它自身所在的锚点（&）")
        return known
    if depth > MAX_YAML_DEPTH:
        raise _TooBig(node.start_mark.line + 1, f"嵌套超过 {MAX_YAML_DEPTH} 层")
    size = 1
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
        sizes[id(node)] = -1   # being measured
        for item in node.value:
            for n in item if isinstance(item, tuple) else (item,):
                size += _measure(n, sizes, depth + 1)
                if size > MAX_YAML_NODES:
                    raise _TooBig(n.start_mark.line + 1, f"展开别名（*引用）后超过 {MAX_YAML_NODES:,} 个值")
    sizes[id(node)] = size
    return size


def _to_python(node: yaml.Node, path: str, lines: dict[str, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null":
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(n, f"{path}[{i}]", lines) for i, n in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for k, v in node.value:
            key = str(k.value)
            sub = f"{path}.{key}" if path else key
            if key in out:
                raise _Dup(sub, k.start_mark.line + 1)
            out[key] = _to_python(v, sub, lines)
            lines[sub] = k.start_mark.line + 1   # a field's line is its key's line
        return out
    raise TypeError(node)


class _Dup(Exception):
    def __init__(self, path: str, line: int):
        self.path, self.line = path, line


class _TooBig(Exception):
    def __init__(self, line: int, what: str):
        self.line, self.what = line, what


# what YAML does not allow in a file (yaml.reader.Reader.NON_PRINTABLE)
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")
_CONTROL_NAMES = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x0C: "换页符", 0x0B: "垂直制表符", 0x08: "退格符"}


def _decode(data: bytes, fname: str) -> str:
    """A data file's bytes as text: UTF-8 (a BOM is dropped); GBK and control characters are
    refused with the line and what to do."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            msg = "不是 UTF-8 编码的文本：请用文本编辑器（如记事本、VS Code）“另存为” UTF-8 编码后再试"
        else:
            msg = "文件是 GBK 编码，请另存为 UTF-8：用文本编辑器（如记事本、VS Code）打开，“另存为”时选择 UTF-8 编码"
        raise InputError([Diagnostic("error", msg, file=fname, line=line)]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    m = _NON_PRINTABLE.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        column = m.start() - text.rfind("\n", 0, m.start())
        o = ord(m.group())
        name = _CONTROL_NAMES.get(o, "控制字符" if o < 0x20 or 0x7F <= o <= 0x9F else "不可用的字符")
        raise InputError([Diagnostic(
            "error", f"第 {line} 行第 {column} 个字符是{name}（U+{o:04X}），YAML/JSON 文件中不允许出现："
                     "请用文本编辑器删除它（常见于从其他程序复制粘贴的文字）后再试", file=fname, line=line)])
    return text


# PyYAML's problems in Chinese, with what to do (the first that the problem starts with)
_PROBLEMS = (
    ("mapping values are not allowed", "此处不能出现“键: 值”：值中有冒号时请给整个值加引号，或检查上一行是否少了换行"),
    ("did not find expected key", "缩进不对齐或缺少“键:”：同一层的字段应缩进相同的空格数"),
    ("did not find expected '-' indicator", "列表项（- 开头）与其他内容缩进不一致"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有闭合，或两项之间缺少逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有闭合，或两项之间缺少逗号"),
    ("could not find expected ':'", "缺少冒号“:”，或多行的值没有加引号"),
    ("found unknown escape character", "双引号中的转义无效：反斜杠 \\ 请写成 \\\\，或改用单引号"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found undefined alias", "别名（*引用）没有对应的锚点（&）"),
    ("found character that cannot start any token", "有不能出现在此处的字符（用了 Tab 缩进？YAML 只能用空格缩进；"
                                                     "以 @ ` % 等开头的值请加引号）"),
    ("exceeded maximum nesting depth", "嵌套层数过多"),
    ("second occurrence", "同一个锚点（&）定义了两次"),
    ("did not find expected <document start>", "一行中有多余的内容，或顶层不是“键: 值”"),
    ("did not find expected node content", "此处缺少值：方括号 [ ]、花括号 { } 没有闭合，或“键:”后的值不完整"),
)


def _yaml_problem(e: yaml.MarkedYAMLError) -> str:
    problem = str(e.problem or e.context or "")
    for start, zh in _PROBLEMS:
        if problem.startswith(start):
            return zh
    return f"{problem}（请检查该行的缩进、冒号和引号）"


def _nodes_at_most(text: str) -> int:
    """More than the nodes the text can hold: each needs a line, a ``,``, a ``:``, a ``-``,
    or opens a ``[`` / ``{``. Counted before composing, which costs ~300 bytes a node."""
    return sum(text.count(c) for c in "\n,:-[{") + 1


def _loc_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def nearest(path: str, places: dict):
    """The place recorded for ``path`` or for its nearest enclosing field (None if none).

    ``expenditure[3].basic`` falls back to ``expenditure[3]``, then ``expenditure``.
    """
    p = path
    while p:
        if p in places:
            return places[p]
        cut = max(p.rfind("."), p.rfind("["))
        if cut <= 0:
            break
        p = p[:cut]
    return places.get(p)


_MSG = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知字段（不在数据格式中，见 juesuan schema）",
    "decimal_parsing": "应为数字（金额，元）",
    "finite_number": "应为有限的数字（金额，元）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_too_short": "太短（至少 {min_length} 个字）",
    "less_than_equal": "不能大于 {le}",
    "string_type": "应为文本",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "greater_than_equal": "不能为负数",
    "string_pattern_mismatch": "格式不对",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "decimal_type": "应为数字（金额，元）",
}


def validation_messages(e: ValidationError) -> list[tuple[str, str]]:
    """(field path, Chinese message) for each problem the model's validation found.

    Shared by every reader (YAML/JSON here, Excel in each kind's workbook package), which then
    attach their own place (line, or sheet!cell) to the path.
    """
    out = []
    for err in e.errors():
        p = _loc_path(tuple(x for x in err["loc"] if not (isinstance(x, str) and x.startswith("function-"))))
        msg = _MSG.get(err["type"], err["msg"]).format(**err.get("ctx", {}))
        if err["type"] == "greater_than_equal" and err.get("ctx", {}).get("ge") not in (0, None):
            msg = f"不能小于 {err['ctx']['ge']}"
        if err["type"] in ("literal_error", "enum") and "expected" in err.get("ctx", {}):
            msg += f"，应为 {err['ctx']['expected']}"
        if err["type"] == "value_error":
            msg = str(err.get("ctx", {}).get("error", err["msg"]))
        got = err.get("input")
        if got is not None and not isinstance(got, (dict, list)) and err["type"] != "missing":
            msg += f"（填写的是 {got if isinstance(got, Decimal) else repr(got)}）"   # -5, not Decimal('-5')
        out.append((p, msg))
    return out




def read_data(src: Path, what: str = "部门决算") -> tuple[dict[str, Any], dict[str, int]]:
    """The plain data of the YAML/JSON file ``src`` (scalars as text) and the line of every field
    path; ``what`` names the kind of data in messages. Raises ``InputError`` located."""
    fname = str(src)
    text = _decode(limits.read_bytes(src, MAX_YAML_BYTES), fname)
    if _nodes_at_most(text) > MAX_YAML_NODES:
        raise InputError([Diagnostic("error", f"数据文件有 {len(text):,} 个字符，结构远超一份{what}的数据，不予读取："
                                              "请确认选对了文件", file=fname)])
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        raise InputError([Diagnostic("error", f"YAML/JSON 语法错误：{_yaml_problem(e)}", file=fname,
                                     line=line)]) from None
    except yaml.YAMLError as e:   # a character the reader refuses (found above already), etc.
        raise InputError([Diagnostic("error", f"YAML/JSON 无法读取（{type(e).__name__}）：请检查文件内容是否为"
                                              "部门数据的 YAML/JSON 文本", file=fname)]) from None
    if node is None or not isinstance(node, yaml.MappingNode):
        raise InputError([Diagnostic("error", "顶层应为映射（year、entity、income …）", file=fname, line=1)])
    lines: dict[str, int] = {}
    try:
        _measure(node, {})
        data = _to_python(node, "", lines)
    except _Dup as d:
        raise InputError([Diagnostic("error", "字段重复", file=fname, line=d.line, path=d.path)]) from None
    except _TooBig as t:
        raise InputError([Diagnostic("error", f"YAML 数据{t.what}，不像一份{what}的数据（可能是“billion laughs”式"
                                              "的别名炸弹）：数据文件中请直接写出每一项，不要用锚点（&）和别名（*）"
                                              "层层引用", file=fname, line=t.line)]) from None
    return data, lines


def validated(cls: type[Record], data: Any, lines: dict[str, int], fname: str) -> Any:
    """``data`` as a ``cls`` record; ``InputError`` with every problem at its line and field path."""
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        raise InputError([Diagnostic("error", msg, file=fname, line=nearest(p, lines), path=p)
                          for p, msg in validation_messages(e)]) from None




def read_back(cls: type[Record], data: Any, diags: list[Diagnostic], file: str,
              validate: Callable[[Any], list[Diagnostic]]) -> tuple[Any, list[Diagnostic]]:
    """The ``data`` read from the published document ``file`` (with the reading's notes ``diags``)
    as a ``cls`` record held to its kind's semantic checks ``validate``; ``InputError`` naming
    ``file`` when the figures the document shows cannot form valid data."""
    try:
        model = cls.model_validate(data)
    except ValidationError as e:
        raise InputError(diags + [Diagnostic("error", f"由文件读出的数据无效：{msg}", file=file, path=p)
                                  for p, msg in validation_messages(e)]) from None
    checks = [Diagnostic(d.severity, d.message, file=file, path=d.path, code=d.code) for d in validate(model)]
    if any(d.severity == "error" for d in checks):
        raise InputError(diags + checks)
    return model, diags + checks


def workbook_record(cls: type[Record], data: Any, validate: Callable[[Any], list[Diagnostic]],
                    origins: dict[str, tuple[str, str]], fname: str, diags: list[Diagnostic]) -> Any:
    """The ``data`` a kind's workbook reader assembled, as a ``cls`` record held to its kind's
    semantic checks ``validate``. Every problem is added to ``diags`` at the (file, sheet!cell) that
    ``origins`` give its field path (or the nearest enclosing field's; else the workbook ``fname``);
    a record that cannot be made raises ``InputError`` with all of ``diags``, the checks' errors are
    left to the caller (which may add its own first)."""
    def add(severity: str, message: str, path: str | None, code: str | None = None) -> None:
        file, cell = nearest(path or "", origins) or (None, None)
        diags.append(Diagnostic(severity, message, file=file or fname, cell=cell, path=path, code=code))  # type: ignore[arg-type]

    try:
        model = cls.model_validate(data)
    except ValidationError as e:
        for p, msg in validation_messages(e):
            add("error", msg, p)
        raise InputError(diags) from None
    for d in validate(model):
        add(d.severity, d.message, d.path, d.code)
    return model

class CodeCheck:
    """The catalogue checks every kind's data makes of its codes (功能分类, 经济分类 of its year),
    appending to ``out``: L101 unknown 功能分类 code, L102 name unlike the catalogue's, L103 unknown
    经济分类 code.

    A year without its own catalogue is checked against the nearest year's, with a warning that says
    so (L100, added at once); a code missing from that other year's catalogue may well be one of the
    document's own year (科目 are added and renamed every year), so it is then a warning to look at,
    not an error.
    """

    def __init__(self, year: int, out: list[Diagnostic]):
        self.cat, self.out = catalog(year), out
        substitute = year_note(year)
        if substitute:
            out.append(Diagnostic("warning", f"{substitute}（科目编码和名称的核对仅供参考）", path="year", code="L100"))
        self._unknown = "warning" if substitute else "error"
        self._missing = f"（{self.cat.year}年科目表中没有" + (f"；无 {year} 年科目表，请对照该年度科目核对）"
                                                           if substitute else "）")

    def function(self, path: str, code: str, name: str | None = None) -> None:
        """The 功能分类 ``code`` at ``path`` (``….code``), and its ``name`` if given (``….name``)."""
        known = self.cat.function_name(code)
        if known is None:
            self.out.append(Diagnostic(self._unknown, f"未知的支出功能分类科目编码 {code}{self._missing}",
                                       path=f"{path}.code", code="L101"))
        elif name and normalize_name(name) != normalize_name(known):
            self.out.append(Diagnostic("warning", f"科目 {code} 的名称“{name}”与{self.cat.year}年科目表“{known}”不一致",
                                       path=f"{path}.name", code="L102"))

    def economic(self, path: str, code: str) -> None:
        """The 部门预算支出经济分类 ``code`` at ``path``."""
        if self.cat.economic_name(code) is None:
            self.out.append(Diagnostic(self._unknown, f"未知的部门预算支出经济分类科目编码 {code}{self._missing}",
                                       path=path, code="L103"))

# ------------------------------------------------------------------------------ writing data back
# A record written back as canonical data: YAML (amounts as plain numbers: ``2470406.20``; codes
# quoted) or JSON (amounts as strings: ``"2470406.20"``, which the reader takes exactly as written),
# every field that holds its default left out. Reading the text back gives an equal record. No file
# is written here (the command line writes atomically).

def plain(obj: Any) -> Any:
    """``obj`` (a record, list, dict, Decimal …) as plain data, defaults left out of records."""
    if isinstance(obj, Record):
        out = {}
        for name, f in obj.model_fields.items():
            v = getattr(obj, name)
            if not f.required and v == f.make_default():
                continue
            out[name] = plain(v)
        return out
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, list):
        return [plain(x) for x in obj]
    if isinstance(obj, dict):
        return {(k.value if isinstance(k, Enum) else k): plain(v) for k, v in obj.items()}
    return obj


def dump(d: Record, fmt: str = "yaml", header: str | None = None) -> str:
    """``d`` as canonical YAML (``fmt="yaml"``, with ``header`` as a leading comment) or JSON."""
    data = plain(d)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1, default=_json_default) + "\n"
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    lines = [f"# {x}" for x in (header or "").splitlines()]
    return "\n".join([*lines, body]) if lines else body


def _json_default(v: Any) -> str:
    if isinstance(v, Decimal):
        return format(v, "f")
    raise TypeError(type(v).__name__)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Amounts as plain YAML numbers, written exactly as their decimal text."""


def _decimal(dumper, v: Decimal):
    s = format(v, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in s else "tag:yaml.org,2002:int", s)


_Dumper.add_representer(Decimal, _decimal)
