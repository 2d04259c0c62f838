"""Canonical input: one YAML or JSON file (or a directory holding ``disclosure.yaml``).

Reading keeps every scalar as text until the model parses it, so amounts become
``Decimal`` exactly as written (no float on the way), and keeps the line of every
field so that every problem names file, line and field path.

After the model's own validation, the semantic checks of :func:`validate` run
(unknown codes, parents that contradict their children, balances that do not
close). All problems of a file are reported together.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..catalog import catalog, normalize_name, year_note
from ..errors import Diagnostic, InputError
from ..record import ValidationError
from .model import FUNDS, INCOME_SOURCES, Disclosure

__all__ = ["read_canonical", "validate", "find_canonical_file", "validation_messages", "nearest"]

_NAMES = ("disclosure.yaml", "disclosure.yml", "disclosure.json")


def find_canonical_file(path: Path) -> Path:
    if path.is_dir():
        for n in _NAMES:
            if (path / n).exists():
                return path / n
        raise InputError([Diagnostic("error", f"目录中没有 {' / '.join(_NAMES)}", file=str(path))])
    return path


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
    try:
        text = src.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Diagnostic("error", "文件不存在", file=fname)]) from None
    except UnicodeDecodeError as e:
        raise InputError([Diagnostic("error", f"不是 UTF-8 编码的文本：{e.reason}", file=fname)]) from None
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise InputError([Diagnostic("error", f"YAML/JSON 语法错误：{e.problem}", file=fname, line=line)]) from None
    if node is None or not isinstance(node, yaml.MappingNode):
        raise InputError([Diagnostic("error", "顶层应为映射（year、entity、income …）", file=fname, line=1)])
    lines: dict[str, int] = {}
    try:
        data = _to_python(node, "", lines)
    except _Dup as d:
        raise InputError([Diagnostic("error", "字段重复", file=fname, line=d.line, path=d.path)]) from None
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
    for i, item in enumerate(d.initial_budget.items):
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
    if (d.basic_by_economic or general_basic) and econ != general_basic:
        err("basic_by_economic",
            f"按经济分类的基本支出合计 {_yuan(econ)} 与一般公共预算财政拨款基本支出 {_yuan(general_basic)} 不一致",
            "L110")

    # 年初预算 total ---------------------------------------------------------------------
    ib = d.initial_budget
    if ib.total is not None and ib.items:
        s = sum((i.amount for i in ib.items), Decimal(0))
        if s != ib.total:
            err("initial_budget.total", f"年初预算合计 {_yuan(ib.total)} 与各项之和 {_yuan(s)} 不一致", "L111")

    # 三公 budget/final are leaves; counts only sanity ---------------------------------------
    names = [p.name for p in d.performance.projects]
    for i, h in enumerate(d.highlights):
        if h.project not in names:
            warn(f"highlights[{i}].project", f"“{h.project}”不是项目绩效自评表中的项目名称", "L112")
    for i, n in enumerate(names):
        if names.index(n) != i:
            err(f"performance.projects[{i}].name", f"项目名称“{n}”重复", "L113")
    if d.entity.unit_type != "事业单位" and d.operating_funds is None:
        warn("operating_funds", "行政单位和参公事业单位应公开机关运行经费（operating_funds 未填写）", "L114")
    return out
