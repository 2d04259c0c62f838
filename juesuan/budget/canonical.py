"""A budget's canonical data: one YAML or JSON file (or a directory holding ``budget.yaml``), or its
input workbook (:mod:`juesuan.budget.workbook`).

Read as the 决算's data are (:mod:`juesuan.data`: amounts exactly as written, every problem named by
file, line and field path in Chinese); then :func:`validate` holds the model to the catalogue
(功能分类 and 经济分类 codes of the budget's year) and to the identities its tables print: 收入总计 =
支出总计, each 财政拨款 fund's 收支 balancing, the 一般公共预算基本支出 by 经济分类 adding up to the
一般公共预算基本支出 by 功能分类. Every problem of a file is reported together; a contradiction is an
error (the tables could not be built to agree), what only looks odd a warning.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from ..data import CodeCheck, find_data_file, nearest, read_data, validated
from ..errors import Diagnostic, InputError
from .model import FISCAL_FUNDS, FUND_SOURCES, Budget

__all__ = ["NAMES", "load", "read_canonical", "validate"]

# the file names of a budget's data in a directory (a 决算's disclosure.yaml saying ``kind: budget`` too)
NAMES = ("budget.yaml", "budget.yml", "budget.json", "disclosure.yaml", "disclosure.yml", "disclosure.json")
_WORKBOOK = (".xlsx", ".xlsm", ".xls")


def load(path: str | Path) -> tuple[Budget, list[Diagnostic]]:
    """A budget's data (canonical YAML/JSON, or a directory holding it)."""
    p = Path(path)
    if not p.exists():
        raise InputError([Diagnostic("error", "文件或目录不存在", file=str(p))])
    if p.suffix.lower() in _WORKBOOK:
        from .workbook import read_workbook  # the input workbook (juesuan template --kind budget)
        return read_workbook(p)
    if p.is_dir() or p.suffix.lower() in (".yaml", ".yml", ".json"):
        return read_canonical(p)
    raise InputError([Diagnostic("error", f"不支持的输入格式 {p.suffix or '（无扩展名）'}；部门预算的数据应为 "
                                          ".yaml/.yml/.json 或包含 budget.yaml 的目录", file=str(p))])


def read_canonical(path: str | Path) -> tuple[Budget, list[Diagnostic]]:
    src = find_data_file(Path(path), NAMES, "部门预算")
    fname = str(src)
    data, lines = read_data(src, "部门预算")
    model = validated(Budget, data, lines, fname)
    diags = [Diagnostic(d.severity, d.message, file=fname, line=nearest(d.path or "", lines),
                        path=d.path, code=d.code) for d in validate(model)]
    if any(d.severity == "error" for d in diags):
        raise InputError(diags)
    return model, diags


def _yuan(v: Decimal) -> str:
    return f"{v:,.2f} 元"


def validate(b: Budget) -> list[Diagnostic]:
    """Semantic checks of a budget in yuan: codes, duplicates, balances, sums."""
    out: list[Diagnostic] = []

    def err(path: str, msg: str, code: str) -> None:
        out.append(Diagnostic("error", msg, path=path, code=code))

    def warn(path: str, msg: str, code: str) -> None:
        out.append(Diagnostic("warning", msg, path=path, code=code))

    # codes and names, against the catalogue of the budget's year (or the nearest year's)
    codes = CodeCheck(b.year, out)
    for i, line in enumerate(b.expenditure):
        codes.function(f"expenditure[{i}]", line.code, line.name)
    for code in b.basic_by_economic:
        codes.economic(f"basic_by_economic.{code}", code)
    seen: dict[tuple[str, str], int] = {}
    for i, line in enumerate(b.expenditure):
        if (line.code, line.fund) in seen:
            err(f"expenditure[{i}].code", f"科目 {line.code}（{FUND_SOURCES[line.fund]}）重复出现"
                                          f"（另见 expenditure[{seen[line.code, line.fund]}]）", "L104")
        seen[line.code, line.fund] = i

    # 收支平衡: 收入总计 = 支出总计, in all money and in each 财政拨款 fund
    bal = b.balances
    grand_in = b.income.total + bal.opening.total + bal.use_of_nonfiscal_balance
    grand_out = b.spent() + bal.closing.total
    if grand_in != grand_out:
        err("income" if grand_in > grand_out else "expenditure",
            f"收入总计 {_yuan(grand_in)}（本年收入 {_yuan(b.income.total)} + 上年结转结余 {_yuan(bal.opening.total)}"
            f" + 使用非财政拨款结余 {_yuan(bal.use_of_nonfiscal_balance)}）与支出总计 {_yuan(grand_out)}（本年支出 "
            f"{_yuan(b.spent())} + 年终结转结余 {_yuan(bal.closing.total)}）不等：收支总表不能平衡", "L120")
    for f, cn in FISCAL_FUNDS.items():
        got = getattr(b.income, f) + getattr(bal.opening, f)
        spent = b.spent((f,)) + getattr(bal.closing, f)
        if got != spent:
            err(f"income.{f}",
                f"{cn}收入 {_yuan(getattr(b.income, f))} + 上年结转结余 {_yuan(getattr(bal.opening, f))} 与其支出 "
                f"{_yuan(b.spent((f,)))} + 年终结转结余 {_yuan(getattr(bal.closing, f))} 不等："
                "财政拨款收支总表不能平衡",
                "L121")

    # 一般公共预算基本支出 by 经济分类 = by 功能分类
    general_basic = b.spent(("general",), ("basic",))
    econ = sum(b.basic_by_economic.values(), Decimal(0))
    if (b.basic_by_economic or general_basic) and econ != general_basic:
        err("basic_by_economic", f"按经济分类的一般公共预算基本支出合计 {_yuan(econ)} 与按功能分类的一般公共预算"
                                 f"基本支出 {_yuan(general_basic)} 不一致", "L110")

    # projects: names once; their money against the 项目支出 by fund
    if b.projects is not None:
        names: dict[str, int] = {}
        for i, p in enumerate(b.projects):
            if p.name in names:
                err(f"projects[{i}].name", f"项目名称“{p.name}”重复（另见 projects[{names[p.name]}]）", "L113")
            names.setdefault(p.name, i)
            if p.code is not None:
                codes.function(f"projects[{i}]", p.code)
        listed: dict[str, Decimal] = defaultdict(Decimal)
        for p in b.projects:
            for f in FUND_SOURCES:
                listed[f] += getattr(p.money, f)
        for f, cn in FUND_SOURCES.items():
            if listed[f] != b.spent((f,), ("project",)) and b.projects:
                warn("projects", f"项目支出表中{cn}合计 {_yuan(listed[f])} 与支出中{cn}安排的项目支出 "
                                 f"{_yuan(b.spent((f,), ('project',)))} 不等（项目支出表未列全，或金额有误）", "L122")
    if b.entity.unit_type != "事业单位" and b.operating_funds is None:
        warn("operating_funds", "行政单位和参公事业单位应公开机关运行经费（operating_funds 未填写）", "L114")
    return out
