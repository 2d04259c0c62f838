"""The sheets of the budget's input workbook, declared once for the template and the reader.

Labels are the budget model's own field titles (``Field(title=…)``), so the sheets, the JSON Schema
and the messages use the same words. Labelled sheets (:class:`~juesuan.workbook.labelled.KVSheet`) and
lists (:class:`~juesuan.workbook.labelled.ListSheet`) are read back by label and header, so rows may be
moved; the 三公 grid and the 上年预算数 list are read by their row labels.

The sheet names are what makes a workbook a budget's (:data:`MARKS`, ``Kind.workbook_sheets``): the
决算's workbook has none of them.
"""

from __future__ import annotations

from ...data import LEVELS, UNIT_TYPES
from ...workbook.labelled import Item, KVSheet, ListSheet
from ..model import (
    FUND_SOURCES,
    SOURCES,
    Assets,
    Balances,
    Budget,
    Entity,
    FundSplit,
    Income,
    OperatingFunds,
    PriorYear,
    Procurement,
    Project,
    ProjectMoney,
    Reasons,
    Target,
    TargetIndicator,
    ThreePublic,
    ThreePublicAmounts,
)

__all__ = ["ENTITY", "INCOME", "EXPENDITURE", "ECONOMIC", "THREE_PUBLIC", "THREE_PUBLIC_ITEMS", "THREE_PUBLIC_HEAD",
           "VEHICLES_LABEL", "PROJECTS", "NO_PROJECTS", "TARGETS", "OPERATING", "PROCUREMENT", "ASSETS", "PRIOR",
           "PRIOR_ROWS", "USAGE", "SHEETS", "MARKS", "YEAR_LABEL", "UNIT_LABEL", "FUND_LABELS", "TOTAL"]


def _t(model, name: str) -> str:
    return model.model_fields[name].title


YEAR_LABEL = _t(Budget, "year")                  # 预算年度
UNIT_LABEL = "金额单位"
TOTAL = "合计"                                    # a row computed by formulas: never read
# 资金来源 as a cell says it (the drop-down), and its key in the model
FUND_LABELS: dict[str, str] = {label: key for key, label in FUND_SOURCES.items()}

ENTITY = KVSheet("单位概况", (
    Item(YEAR_LABEL, ("year",), "year", note="四位数字，如 2024"),
    Item(_t(Entity, "name"), ("entity", "name")),
    Item(_t(Entity, "short_name"), ("entity", "short_name")),
    Item(_t(Entity, "level"), ("entity", "level"), "choice", LEVELS),
    Item(_t(Entity, "region"), ("entity", "region")),
    Item(_t(Entity, "unit_type"), ("entity", "unit_type"), "choice", UNIT_TYPES),
    Item(_t(Entity, "funding"), ("entity", "funding")),
    Item(_t(Entity, "duties"), ("entity", "duties"), "lines", note="每条职责一行（单元格内按 Alt+Enter 换行）"),
    Item(_t(Entity, "structure"), ("entity", "structure")),
    Item(_t(Entity, "phone"), ("entity", "phone")),
    Item(_t(Entity, "supervisor"), ("entity", "supervisor")),
    Item(_t(Budget, "published"), ("published",)),
    Item(_t(Budget, "performance_note"), ("performance_note",)),
    Item(UNIT_LABEL, ("_unit",), "unit", ("元", "万元"),
         note="各表金额的单位；某表第2行写明了金额单位的，以该表为准"),
), note="单位基本情况。带下拉框的项请从列表中选择。")


def _split(side: str, fund: str) -> Item:
    return Item(f"{_t(Balances, side)}（{_t(FundSplit, fund)}）", ("balances", side, fund), "amount")


INCOME = KVSheet("收入预算", (
    *(Item(_t(Income, s), ("income", s), "amount") for s in SOURCES),
    *(_split("opening", f) for f in FundSplit.model_fields),
    Item(_t(Balances, "use_of_nonfiscal_balance"), ("balances", "use_of_nonfiscal_balance"), "amount"),
    *(_split("closing", f) for f in FundSplit.model_fields),
), note="本年收入按来源，及上年结转结余、年终结转结余。没有的填 0 或留空。", amounts=True)

EXPENDITURE = ListSheet("支出预算", (
    ("科目编码", "code", "code"), ("科目名称", "name", "text"), ("资金来源", "fund", "text"),
    ("基本支出", "basic", "amount"), ("项目支出", "project", "amount")),
    note="按支出功能分类项级科目（7位）和资金来源逐行填写；同一科目有几种资金来源的分行填写。类、款合计由程序计算。",
    amounts=True, totals=True)

ECONOMIC = ListSheet("基本支出经济分类", (
    ("科目编码", "code", "code"), ("科目名称", "name", "text"), ("一般公共预算基本支出", "amount", "amount")),
    note="一般公共预算基本支出按部门预算支出经济分类款级科目（5位）；合计应等于“支出预算”中一般公共预算拨款的基本支出。",
    amounts=True, totals=True)

THREE_PUBLIC = "三公经费预算"
THREE_PUBLIC_HEAD = ("项目", _t(ThreePublic, "budget"), "上年预算数", "增减原因")
THREE_PUBLIC_ITEMS: tuple[tuple[str, str], ...] = ((TOTAL, "total"),) + tuple(
    (_t(ThreePublicAmounts, f), f) for f in ThreePublicAmounts.model_fields)
VEHICLES_LABEL = _t(ThreePublic, "vehicles_to_buy")

# a project's money: field "money.<source>" (its 单位资金 is not its 项目单位)
_MONEY = tuple((_t(ProjectMoney, f), f"money.{f}", "amount") for f in ProjectMoney.model_fields)
PROJECTS = ListSheet("项目支出", (
    ("项目名称", "name", "text"), (_t(Project, "unit"), "unit", "text"),
    (_t(Project, "implementer"), "implementer", "text"), ("科目编码", "code", "code"), *_MONEY),
    note="每个项目一行；绩效目标填在“项目绩效目标”表。", amounts=True, totals=True)
NO_PROJECTS = "本年没有项目支出的选“无”："

TARGETS = ListSheet("项目绩效目标", (
    ("项目名称", "project", "text"), (_t(Target, "goal"), "goal", "text"),
    *((_t(TargetIndicator, f).split("，")[0], f, "text") for f in ("level1", "level2", "level3")),
    ("符号", "operator", "text"), ("指标值", "value", "text"), ("度量单位", "unit", "text")),
    note="每个指标一行，项目名称与“项目支出”表一致；年度绩效目标填在该项目的第一行。"
         "只填项目名称和年度绩效目标的行表示该项目有绩效目标而未列指标。")

OPERATING = KVSheet("机关运行经费", tuple(
    Item(_t(OperatingFunds, f), ("operating_funds", f), k) for f, k in
    (("amount", "amount"), ("prior", "amount"), ("reason", "text"))),
    note="行政单位和参公事业单位填写；事业单位可不填。", amounts=True)
PROCUREMENT = KVSheet("政府采购预算", tuple(
    Item(_t(Procurement, f), ("procurement", f), "amount") for f in Procurement.model_fields), amounts=True,
    note="没有政府采购预算的各项填 0（留空则文中留待填写）。")
ASSETS = KVSheet("国有资产", (
    Item(_t(Assets, "as_of"), ("assets", "as_of")),
    Item(_t(Assets, "vehicles"), ("assets", "vehicles"), "int"),
    Item(_t(Assets, "vehicle_detail"), ("assets", "vehicle_detail"), "detail",
         note="如：一般公务用车：2；执法执勤用车：1"),
    Item(_t(Assets, "equipment_over_500k"), ("assets", "equipment_over_500k"), "int"),
    Item(_t(Assets, "special_equipment_over_1m"), ("assets", "special_equipment_over_1m"), "int"),
    Item(_t(Assets, "to_buy"), ("assets", "to_buy")),
    Item(_t(Assets, "other"), ("assets", "other")),
), note="国有资产占用情况（截至上年末）。")

# 上年预算数 and the reasons of the change: (label, prior_year field, reasons field)
PRIOR_ROWS: tuple[tuple[str, str, str], ...] = tuple(
    (_t(PriorYear, f), f, r) for f, r in (("total", "total_change"), ("fiscal_total", "fiscal_change"),
                                          ("general", "general_change"), ("general_basic", "general_basic_change"),
                                          ("gov_fund", "gov_fund_change")))
PRIOR = ListSheet("上年预算数及原因", (("项目", "label", "text"), ("上年预算数", "prior", "amount"),
                                       ("增减原因（与本年比较）", "reason", "text")),
                  note="上年预算数用于“比上年增加/减少”的说明；原因写“主要原因是”之后的内容。", amounts=True)
_usage_title = _t(Reasons, "usage").split("（")[0]
USAGE = ListSheet("支出主要用途", (("科目编码", "code", "code"), ("科目名称", "name", "text"),
                                   ("主要用途", "usage", "text")),
                  note=f"{_usage_title}，按类（3位）、款（5位）或项（7位）科目编码，用于情况说明。")

# every sheet the reader knows, in the workbook's order
SHEETS = (ENTITY.name, INCOME.name, EXPENDITURE.name, ECONOMIC.name, THREE_PUBLIC, PROJECTS.name, TARGETS.name,
          OPERATING.name, PROCUREMENT.name, ASSETS.name, PRIOR.name, USAGE.name)
# the sheets only a budget's workbook has: a workbook with one of them is a budget's
MARKS = (INCOME.name, EXPENDITURE.name, THREE_PUBLIC)
