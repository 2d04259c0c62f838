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

from ..data import CodeCheck, find_data_file, nearest, read_data, validated, validation_messages
from ..errors import Diagnostic, InputError
from .model import FUNDS, INCOME_SOURCES, Disclosure

__all__ = ["read_canonical", "validate", "find_canonical_file", "validation_messages", "nearest"]

_NAMES = ("disclosure.yaml", "disclosure.yml", "disclosure.json")


def find_canonical_file(path: Path) -> Path:
    return find_data_file(path, _NAMES)


def read_canonical(path: str | Path) -> tuple[Disclosure, list[Diagnostic]]:
    src = find_canonical_file(Path(path))
    fname = str(src)
    data, lines = read_data(src, "部门决算")
    if _is_parse_output(data):
        raise InputError([Diagnostic(
            "error", "这是 juesuan parse 输出的文档结构，不是规范数据；请用 juesuan parse FILE --format data "
                     "把已公开的文件读回为规范数据（build、check、template --from 都可使用）；要审核已公开的文件，"
                     "请直接 juesuan check FILE（原 PDF、Word、网页或文本）", file=fname, line=1)])
    if isinstance(data.get("kind"), str):     # another kind's data (kind: budget): not a 决算's
        raise InputError([Diagnostic(
            "error", f"这是 kind: {data['kind']} 的数据（部门预算等），不是部门决算的数据：juesuan build、check 会按"
                     " kind 自动选用；数据库和批量审核目前只收存部门决算", file=fname, line=nearest("kind", lines),
            path="kind")])
    model = validated(Disclosure, data, lines, fname)
    diags = validate(model)
    diags = [Diagnostic(d.severity, d.message, file=fname, line=nearest(d.path or "", lines),
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

    def err(path: str, msg: str, code: str) -> None:
        out.append(Diagnostic("error", msg, path=path, code=code))

    def warn(path: str, msg: str, code: str) -> None:
        out.append(Diagnostic("warning", msg, path=path, code=code))

    # codes and names ------------------------------------------------------------------
    codes = CodeCheck(d.year, out)
    for field in ("income", "expenditure", "appropriations", "fund_items"):
        for i, line in enumerate(getattr(d, field)):
            codes.function(f"{field}[{i}]", line.code, line.name)
    for i, item in enumerate(d.initial_budget.items if d.initial_budget is not None else ()):
        codes.function(f"initial_budget.items[{i}]", item.code)
    for code in d.basic_by_economic:
        codes.economic(f"basic_by_economic.{code}", code)

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
