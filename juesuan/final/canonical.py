"""Canonical input: one YAML or JSON file (or a directory holding ``disclosure.yaml``).

Reading keeps every scalar as text until the model parses it, so amounts become
``Decimal`` exactly as written (no float on the way), and keeps the line of every
field so that every problem names file, line and field path.

After the model's own validation, the semantic checks of :func:`validate` run
(unknown codes, parents that contradict their children, balances that do not
close). All problems of a file are reported together.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .. import limits
from ..catalog import catalog, normalize_name, year_note
from ..errors import Diagnostic, InputError
from ..limits import MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES
from ..record import ValidationError
from .model import FUNDS, INCOME_SOURCES, Disclosure

__all__ = ["read_canonical", "validate", "find_canonical_file", "validation_messages", "nearest"]

_NAMES = ("disclosure.yaml", "disclosure.yml", "disclosure.json")


def find_canonical_file(path: Path) -> Path:
    if path.is_dir():
        for n in _NAMES:
            f = path / n
            if f.is_dir():
                raise InputError([Diagnostic("error", f"数据目录中的 {n} 是一个目录，不是文件：它应是部门数据的 "
                                                      "YAML/JSON 文件。请删除或改名这个目录，把数据文件放在这里再试。",
                                             file=str(f))])
            if f.exists() or f.is_symlink():
                return f
        raise InputError([Diagnostic("error", f"目录中没有 {' / '.join(_NAMES)}", file=str(path))])
    return path


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


def _line_for(path: str, lines: dict[str, int]) -> int | None:
    return nearest(path, lines)


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

    Shared by every reader (YAML/JSON here, Excel in juesuan.final.workbook), which then
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
            msg += f"（填写的是 {got!r}）"
        out.append((p, msg))
    return out


def read_canonical(path: str | Path) -> tuple[Disclosure, list[Diagnostic]]:
    src = find_canonical_file(Path(path))
    fname = str(src)
    text = _decode(limits.read_bytes(src, MAX_YAML_BYTES), fname)
    if _nodes_at_most(text) > MAX_YAML_NODES:
        raise InputError([Diagnostic("error", f"数据文件有 {len(text):,} 个字符，结构远超一份部门决算的数据，不予读取："
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
        raise InputError([Diagnostic("error", f"YAML 数据{t.what}，不像一份部门决算的数据（可能是“billion laughs”式"
                                              "的别名炸弹）：数据文件中请直接写出每一项，不要用锚点（&）和别名（*）"
                                              "层层引用", file=fname, line=t.line)]) from None
    if _is_parse_output(data):
        raise InputError([Diagnostic(
            "error", "这是 juesuan parse 输出的文档结构，不是规范数据；请用 juesuan parse FILE --format data "
                     "把已公开的文件读回为规范数据（build、check、template --from 都可使用）；要审核已公开的文件，"
                     "请直接 juesuan check FILE（原 PDF、Word、网页或文本）", file=fname, line=1)])
    try:
        model = Disclosure.model_validate(data)
    except ValidationError as e:
        raise InputError([Diagnostic("error", msg, file=fname, line=_line_for(p, lines), path=p)
                          for p, msg in validation_messages(e)]) from None
    diags = validate(model)
    diags = [Diagnostic(d.severity, d.message, file=fname, line=_line_for(d.path or "", lines),
                        path=d.path, code=d.code) for d in diags]
    if any(d.severity == "error" for d in diags):
        raise InputError(diags)
    return model, diags


def _is_parse_output(data: dict) -> bool:
    """The document structure ``juesuan parse --format json/yaml`` prints (title, entity as a name,
    tables, parts …), not a department's data."""
    return isinstance(data.get("entity"), str) and bool({"tables", "parts", "coverage", "forms"} & set(data))


def _yuan(v: Decimal) -> str:
    return f"{v:,.2f} 元"


def validate(d: Disclosure) -> list[Diagnostic]:
    """Semantic checks of a model in yuan: codes, parents vs children, balances."""
    out: list[Diagnostic] = []
    cat = catalog(d.year)

    def err(path: str, msg: str, code: str) -> None:
        out.append(Diagnostic("error", msg, path=path, code=code))

    def warn(path: str, msg: str, code: str) -> None:
        out.append(Diagnostic("warning", msg, path=path, code=code))

    # codes and names ------------------------------------------------------------------
    # A year without its own catalogue is checked against the nearest year's, with a warning that
    # says so; a code missing from that other year's catalogue may well be one of the document's own
    # year (科目 are added and renamed every year), so it is then a warning to look at, not an error.
    substitute = year_note(d.year)
    if substitute:
        warn("year", f"{substitute}（科目编码和名称的核对仅供参考）", "L100")
    unknown = warn if substitute else err
    missing = f"（{cat.year}年科目表中没有" + (f"；无 {d.year} 年科目表，请对照该年度科目核对）"
                                             if substitute else "）")
    for field in ("income", "expenditure", "appropriations", "fund_items"):
        for i, line in enumerate(getattr(d, field)):
            p = f"{field}[{i}]"
            known = cat.function_name(line.code)
            if known is None:
                unknown(f"{p}.code", f"未知的支出功能分类科目编码 {line.code}{missing}", "L101")
            elif line.name and normalize_name(line.name) != normalize_name(known):
                warn(f"{p}.name", f"科目 {line.code} 的名称“{line.name}”与{cat.year}年科目表“{known}”不一致", "L102")
    for i, item in enumerate(d.initial_budget.items if d.initial_budget is not None else ()):
        if cat.function_name(item.code) is None:
            unknown(f"initial_budget.items[{i}].code", f"未知的支出功能分类科目编码 {item.code}{missing}", "L101")
    for code in d.basic_by_economic:
        if cat.economic_name(code) is None:
            unknown(f"basic_by_economic.{code}", f"未知的部门预算支出经济分类科目编码 {code}{missing}", "L103")

    # duplicates ----------------------------------------------------------------------------
    for field in ("income", "expenditure"):
        seen: dict[str, int] = {}
        for i, line in enumerate(getattr(d, field)):
            if line.code in seen:
                err(f"{field}[{i}].code", f"科目 {line.code} 重复出现（另见 {field}[{seen[line.code]}]）", "L104")
            seen[line.code] = i

    # 财政拨款 within total expenditure ---------------------------------------------------------
    exp = {line.code: line for line in d.expenditure}
    fis: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for i, a in enumerate(d.appropriations):
        if a.code not in exp:
            err(f"appropriations[{i}].code", f"财政拨款支出科目 {a.code} 在 expenditure（支出）中没有", "L105")
        fis[(a.code, "basic")] += a.basic
        fis[(a.code, "project")] += a.project
    for i, line in enumerate(d.expenditure):
        for kind, cn in (("basic", "基本支出"), ("project", "项目支出")):
            if fis[(line.code, kind)] > getattr(line, kind):
                err(f"expenditure[{i}].{kind}",
                    f"科目 {line.code} 的财政拨款{cn} {_yuan(fis[(line.code, kind)])} 大于该科目{cn}合计 "
                    f"{_yuan(getattr(line, kind))}", "L106")

    # 财政拨款收入 by fund vs appropriations + balances ---------------------------------------
    inc_total = sum((getattr(line, s) for line in d.income for s in INCOME_SOURCES), Decimal(0))
    exp_total = sum((line.basic + line.project + line.to_superior + line.operating + line.to_affiliated
                     for line in d.expenditure), Decimal(0))
    b = d.balances
    grand_in = inc_total + b.use_of_nonfiscal_balance + b.opening
    closing = grand_in - exp_total - b.distribution
    if closing != b.closing:
        err("balances.closing",
            f"年末结转和结余应为 {_yuan(closing)}（收入总计 {_yuan(grand_in)} − 本年支出合计 "
            f"{_yuan(exp_total)} − 结余分配 {_yuan(b.distribution)}），填报为 {_yuan(b.closing)}", "L107")

    read_back = d.source is not None      # data read back from a published document
    item_funds = {i.fund for i in d.fund_items}
    for f, cn in FUNDS.items():
        income_f = sum((getattr(line, f) for line in d.income), Decimal(0))
        spent_f = sum((a.basic + a.project for a in d.appropriations if a.fund.value == f), Decimal(0))
        fb = d.fund_balances.get(f)  # type: ignore[call-overload]
        if f in item_funds:
            opening = sum((i.opening for i in d.fund_items if i.fund == f), Decimal(0))
            closing_items = sum((i.closing for i in d.fund_items if i.fund == f), Decimal(0))
            if fb and fb.opening != opening:
                err(f"fund_balances.{f}.opening",
                    f"{cn}年初结转和结余 {_yuan(fb.opening)} 与分项目合计 {_yuan(opening)} 不一致", "L108")
            if fb and fb.closing != closing_items:
                err(f"fund_balances.{f}.closing",
                    f"{cn}年末结转和结余 {_yuan(fb.closing)} 与分项目合计 {_yuan(closing_items)} 不一致", "L108")
        else:
            opening = fb.opening if fb else Decimal(0)
        derived = opening + income_f - spent_f
        given = fb.closing if fb else Decimal(0)
        # read back from a document that does not show them (the university layout's four tables):
        # the balances are not given, not 0 — nothing to hold them against
        if fb is None and read_back:
            continue
        if derived != given:
            err(f"fund_balances.{f}.closing",
                f"{cn}年末结转和结余应为 {_yuan(derived)}（年初 {_yuan(opening)} + 收入 {_yuan(income_f)} − "
                f"支出 {_yuan(spent_f)}），填报为 {_yuan(given)}", "L109")
    for i, it in enumerate(d.fund_items):
        inc = sum((getattr(line, it.fund) for line in d.income if line.code == it.code), Decimal(0))
        spent = sum((a.basic + a.project for a in d.appropriations
                     if a.code == it.code and a.fund.value == it.fund), Decimal(0))
        if it.opening + inc - spent != it.closing:
            err(f"fund_items[{i}].closing",
                f"科目 {it.code} 年末结转和结余应为 {_yuan(it.opening + inc - spent)}，"
                f"填报为 {_yuan(it.closing)}", "L109")

    # 基本支出 by economic classification -------------------------------------------------
    general_basic = sum((a.basic for a in d.appropriations if a.fund.value == "general"), Decimal(0))
    econ = sum(d.basic_by_economic.values(), Decimal(0))
    if (d.basic_by_economic or (general_basic and not read_back)) and econ != general_basic:
        err("basic_by_economic",
            f"按经济分类的基本支出合计 {_yuan(econ)} 与一般公共预算财政拨款基本支出 {_yuan(general_basic)} 不一致",
            "L110")

    # 年初预算 total ---------------------------------------------------------------------
    ib = d.initial_budget
    if ib is not None and ib.total is not None and ib.items:
        s = sum((i.amount for i in ib.items), Decimal(0))
        if s != ib.total:
            err("initial_budget.total", f"年初预算合计 {_yuan(ib.total)} 与各项之和 {_yuan(s)} 不一致", "L111")

    # 三公 budget/final are leaves; counts only sanity ---------------------------------------
    names = [p.name for p in d.performance.projects] if d.performance is not None else []
    for i, h in enumerate(d.highlights):
        if h.project not in names and d.performance is not None:   # 绩效 not given: its 执行数 are 待填写
            warn(f"highlights[{i}].project", f"“{h.project}”不是项目绩效自评表中的项目名称", "L112")
    for i, n in enumerate(names):
        if names.index(n) != i:
            err(f"performance.projects[{i}].name", f"项目名称“{n}”重复", "L113")
    if d.source is not None:
        out.append(Diagnostic("info", f"数据由已公开的文件 {d.source.document} 读回：金额为文中两位小数的"
                                      "万元数换算的元，文中没有的内容未填写", path="source", code="L115"))
    _transfers(d, err)
    if d.entity.unit_type != "事业单位" and d.operating_funds is None:
        warn("operating_funds", "行政单位和参公事业单位应公开机关运行经费（operating_funds 未填写）", "L114")
    return out


def _transfers(d: Disclosure, err) -> None:
    """Transfers listed by counterpart are parts of their lines: per 项 and kind, at most the line."""
    from .model import TRANSFER_KINDS
    listed: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    first: dict[tuple[str, str], int] = {}
    for i, t in enumerate(d.transfers):
        listed[(t.kind, t.code)] += t.amount
        first.setdefault((t.kind, t.code), i)
    if not listed:
        return
    lines = {("income", x.code): x for x in d.income} | {("expenditure", x.code): x for x in d.expenditure}
    for (kind, code), amount in listed.items():
        side = "expenditure" if kind.startswith("to_") else "income"
        line = lines.get((side, code))
        has = getattr(line, kind) if line is not None else Decimal(0)
        if amount > has:
            err(f"transfers[{first[(kind, code)]}].amount",
                f"科目 {code} 按对方单位列明的{TRANSFER_KINDS[kind]}合计 {_yuan(amount)} 大于该科目的"
                f"{TRANSFER_KINDS[kind]} {_yuan(has)}（{'支出' if side == 'expenditure' else '收入'}决算表）", "L116")
