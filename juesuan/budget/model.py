"""The budget data model: one unit's (or department's) 部门预算 for one year.

This module owns the canonical data of a 部门预算公开, as :mod:`juesuan.final.model` owns the
决算's. Every amount is a ``decimal.Decimal`` in **yuan** (元, :data:`juesuan.data.Yuan`); 万元
is only a display unit, produced by controlled rounding when the tables are built
(:mod:`juesuan.budget.build`). The data say ``kind: budget`` first: that is how a data file is
known to be a budget's (:func:`juesuan.pipeline.data_kind`).

What the national set of tables (Y1–Y11 of :mod:`juesuan.budget.layouts`) shows comes from:

* ``income`` — 本年收入 by source (财政拨款 by fund, 财政专户管理资金, 单位资金: 事业收入 …);
* ``balances`` — 上年结转结余 (财政拨款 by fund, 非财政拨款), 使用非财政拨款结余, 年终结转结余;
* ``expenditure`` — lines by 支出功能分类 项 (7-digit code) and fund source, each with its
  基本支出 and 项目支出; every table by 功能分类 is a selection of them (支出总表: all funds,
  一般公共预算支出表: ``general`` …), parents (类/款) derived, never stored;
* ``basic_by_economic`` — 一般公共预算基本支出 by 经济分类 款 (5-digit code); 人员经费 and 公用经费
  are the 类 the layout declares (:data:`juesuan.budget.layouts.PERSONNEL_CLASSES`);
* ``three_public`` — the 财政拨款“三公”经费 budget and, optionally, last year's;
* ``projects`` — the project list (项目支出表) with each project's money by source and its
  绩效目标 (项目支出绩效目标表: amounts, 年度目标, indicators 一级/二级/三级 with 指标值).

Not given is not zero. The parts a budget states apart from its main tables (``three_public``,
``operating_funds``, ``procurement``, ``assets``, ``projects``, ``prior_year`` figures, reasons)
are ``None`` when the data leave them out: the narrative then leaves a 【待填写：…】 where their
sentences go. Given with zeros they say "本部门没有…". Inside a part that is given, an amount
left out is 0 (as a blank cell of a filled table is).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from ..data import Profile, Yuan
from ..record import After, Field, Record

__all__ = [
    "Yuan", "SOURCES", "FISCAL_FUNDS", "FUND_SOURCES", "UNIT_SOURCES", "OPERATORS",
    "Entity", "Income", "FundSplit", "Balances", "ExpenditureLine", "ThreePublicAmounts", "ThreePublic",
    "OperatingFunds", "Procurement", "Assets", "PriorYear", "Reasons", "TargetIndicator", "Target",
    "ProjectMoney", "Project", "Budget",
]


class _Model(Record):
    """Frozen, unknown fields refused, every problem reported (see :mod:`juesuan.record`)."""


def _econ_codes(v: dict[str, Decimal]) -> dict[str, Decimal]:
    for code in v:
        if not (len(code) == 5 and code.isdigit()):
            raise ValueError(f"经济分类科目应为5位款级编码：{code!r}")
    return v


# 财政拨款 by fund (资金性质), in table order
FISCAL_FUNDS: dict[str, str] = {
    "general": "一般公共预算拨款",
    "gov_fund": "政府性基金预算拨款",
    "state_capital": "国有资本经营预算拨款",
}
# the 单位资金 sources, in table order
UNIT_SOURCES: dict[str, str] = {
    "business": "事业收入",
    "operating": "事业单位经营收入",
    "superior": "上级补助收入",
    "affiliated": "附属单位上缴收入",
    "other": "其他收入",
}
# every source of 本年收入, in the order of the 收支总表
SOURCES: dict[str, str] = {**FISCAL_FUNDS, "special_account": "财政专户管理资金", **UNIT_SOURCES}
# the money an expenditure line or a project is paid from: the three 财政拨款 funds, 财政专户管理资金
# and 单位资金 (every 单位资金 source together)
FUND_SOURCES: dict[str, str] = {**FISCAL_FUNDS, "special_account": "财政专户管理资金", "unit": "单位资金"}
# the operators a 指标值 is stated with
OPERATORS = ("≥", "≤", "＝", "＞", "＜", "定性")


class Entity(Profile, _Model):
    """The unit or department (the same profile as its 决算's: :class:`juesuan.data.Profile`)."""
    supervisor: str | None = Field(None, title="主管部门（绩效目标表）")


class Income(_Model):
    """本年收入 by source (全部资金)."""
    general: Yuan = Field(Decimal(0), title="一般公共预算拨款收入")
    gov_fund: Yuan = Field(Decimal(0), title="政府性基金预算拨款收入")
    state_capital: Yuan = Field(Decimal(0), title="国有资本经营预算拨款收入")
    special_account: Yuan = Field(Decimal(0), title="财政专户管理资金收入")
    business: Yuan = Field(Decimal(0), title="事业收入")
    operating: Yuan = Field(Decimal(0), title="事业单位经营收入")
    superior: Yuan = Field(Decimal(0), title="上级补助收入")
    affiliated: Yuan = Field(Decimal(0), title="附属单位上缴收入")
    other: Yuan = Field(Decimal(0), title="其他收入")

    @property
    def total(self) -> Decimal:
        return sum((getattr(self, s) for s in SOURCES), Decimal(0))

    @property
    def fiscal(self) -> Decimal:
        return sum((getattr(self, s) for s in FISCAL_FUNDS), Decimal(0))

    @property
    def unit_funds(self) -> Decimal:
        return sum((getattr(self, s) for s in UNIT_SOURCES), Decimal(0))


class FundSplit(_Model):
    """结转结余 by the money it is: 财政拨款 by fund, and 非财政拨款."""
    general: Yuan = Field(Decimal(0), title="一般公共预算拨款")
    gov_fund: Yuan = Field(Decimal(0), title="政府性基金预算拨款")
    state_capital: Yuan = Field(Decimal(0), title="国有资本经营预算拨款")
    nonfiscal: Yuan = Field(Decimal(0), title="非财政拨款")

    @property
    def fiscal(self) -> Decimal:
        return self.general + self.gov_fund + self.state_capital

    @property
    def total(self) -> Decimal:
        return self.fiscal + self.nonfiscal


class Balances(_Model):
    """收支总表 rows outside 本年收入 and 本年支出."""
    opening: FundSplit = Field(default_factory=FundSplit, title="上年结转结余")
    use_of_nonfiscal_balance: Yuan = Field(Decimal(0), title="使用非财政拨款结余")
    closing: FundSplit = Field(default_factory=FundSplit, title="年终结转结余")


class ExpenditureLine(_Model):
    """One 功能分类 项 paid from one fund source: its 基本支出 and 项目支出."""
    code: str = Field(title="支出功能分类科目编码（项级，7位）", pattern=r"^\d{7}$")
    name: str | None = Field(None, title="科目名称（可省略，取自分类目录）")
    fund: Literal["general", "gov_fund", "state_capital", "special_account", "unit"] = Field(
        "general", title="资金来源：general 一般公共预算拨款、gov_fund 政府性基金预算拨款、"
                         "state_capital 国有资本经营预算拨款、special_account 财政专户管理资金、unit 单位资金")
    basic: Yuan = Field(Decimal(0), title="基本支出")
    project: Yuan = Field(Decimal(0), title="项目支出")

    @property
    def total(self) -> Decimal:
        return self.basic + self.project


class ThreePublicAmounts(_Model):
    abroad: Yuan = Field(Decimal(0), title="因公出国（境）费")
    vehicle_purchase: Yuan = Field(Decimal(0), title="公务用车购置费")
    vehicle_operation: Yuan = Field(Decimal(0), title="公务用车运行维护费")
    reception: Yuan = Field(Decimal(0), title="公务接待费")

    @property
    def vehicle(self) -> Decimal:
        return self.vehicle_purchase + self.vehicle_operation

    @property
    def total(self) -> Decimal:
        return self.abroad + self.vehicle + self.reception


class ThreePublic(_Model):
    """财政拨款“三公”经费预算."""
    budget: ThreePublicAmounts = Field(default_factory=ThreePublicAmounts, title="本年预算数")
    prior: ThreePublicAmounts | None = Field(None, title="上年预算数（比上年增减；不填则留待填写）")
    reasons: dict[str, str] = Field(default_factory=dict,
                                    title="增减原因（键：total/abroad/vehicle_purchase/vehicle_operation/reception）")
    vehicles_to_buy: int | None = Field(None, ge=0, title="计划购置公务用车（辆）")


class OperatingFunds(_Model):
    """机关运行经费 (一般公共预算拨款安排的基本支出中的公用经费；行政单位和参公事业单位)."""
    amount: Yuan = Field(Decimal(0), title="本年机关运行经费预算")
    prior: Yuan | None = Field(None, title="上年机关运行经费预算")
    reason: str | None = Field(None, title="增减原因")


class Procurement(_Model):
    """政府采购预算."""
    goods: Yuan = Field(Decimal(0), title="政府采购货物预算")
    works: Yuan = Field(Decimal(0), title="政府采购工程预算")
    services: Yuan = Field(Decimal(0), title="政府采购服务预算")
    sme: Yuan | None = Field(None, title="面向中小企业预留的采购预算（不填则不写）")

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services


class Assets(_Model):
    """国有资产占用情况."""
    as_of: str | None = Field(None, title="截至日期，如 2022年12月31日")
    vehicles: int | None = Field(None, ge=0, title="车辆总数（辆）")
    vehicle_detail: dict[str, int] = Field(default_factory=dict, title="车辆分类数，如 {一般公务用车: 2}")
    equipment_over_500k: int | None = Field(None, ge=0, title="单价50万元（含）以上的通用设备（台，套）")
    special_equipment_over_1m: int | None = Field(None, ge=0, title="单价100万元（含）以上的专用设备（台，套）")
    to_buy: str | None = Field(None, title="本年拟购置的车辆和大型设备，如 无")
    other: str | None = Field(None, title="其他说明")


class PriorYear(_Model):
    """上年预算数, for the narrative's 比上年增减 (not given: 【待填写】)."""
    total: Yuan | None = Field(None, title="上年收、支预算总计")
    fiscal_total: Yuan | None = Field(None, title="上年财政拨款收、支预算总计")
    general: Yuan | None = Field(None, title="上年一般公共预算拨款支出预算")
    general_basic: Yuan | None = Field(None, title="上年一般公共预算基本支出预算")
    gov_fund: Yuan | None = Field(None, title="上年政府性基金预算拨款支出预算")


class Reasons(_Model):
    """Free-text reasons and descriptions that the narrative needs."""
    total_change: str | None = Field(None, title="收、支预算总计增减原因")
    fiscal_change: str | None = Field(None, title="财政拨款收、支预算总计增减原因")
    general_change: str | None = Field(None, title="一般公共预算拨款支出增减原因")
    general_basic_change: str | None = Field(None, title="一般公共预算基本支出增减原因")
    gov_fund_change: str | None = Field(None, title="政府性基金预算拨款支出增减原因")
    usage: dict[str, str] = Field(default_factory=dict,
                                  title="一般公共预算支出的主要用途（键：类、款或项的科目编码）")


class TargetIndicator(_Model):
    """One line of a 绩效目标表: 一级/二级/三级指标 and the 指标值 with its operator."""
    level1: str = Field(title="一级指标，如 产出指标")
    level2: str = Field(title="二级指标，如 数量指标")
    level3: str = Field(title="三级指标")
    operator: Literal["≥", "≤", "＝", "＞", "＜", "定性"] = Field("＝", title="指标值的符号（≥ ≤ ＝ ＞ ＜ 定性）")
    value: str = Field(title="指标值，如 95、优")
    unit: str | None = Field(None, title="度量单位，如 %、件")


class Target(_Model):
    """A project's 绩效目标 (项目支出绩效目标表)."""
    goal: str | None = Field(None, title="年度绩效目标")
    indicators: list[TargetIndicator] = Field(default_factory=list, title="绩效指标")


class ProjectMoney(_Model):
    """A project's money by source."""
    general: Yuan = Field(Decimal(0), title="一般公共预算拨款")
    gov_fund: Yuan = Field(Decimal(0), title="政府性基金预算拨款")
    state_capital: Yuan = Field(Decimal(0), title="国有资本经营预算拨款")
    special_account: Yuan = Field(Decimal(0), title="财政专户管理资金")
    unit: Yuan = Field(Decimal(0), title="单位资金")

    @property
    def fiscal(self) -> Decimal:
        return self.general + self.gov_fund + self.state_capital

    @property
    def total(self) -> Decimal:
        return self.fiscal + self.special_account + self.unit


class Project(_Model):
    """One project of the 项目支出表, with its 绩效目标."""
    name: str = Field(title="项目名称", min_length=2)
    unit: str | None = Field(None, title="项目单位（不填：本单位）")
    implementer: str | None = Field(None, title="项目实施单位（绩效目标表）")
    code: str | None = Field(None, title="支出功能分类科目编码（项级，7位；可省略）", pattern=r"^\d{7}$")
    money: ProjectMoney = Field(default_factory=ProjectMoney, title="项目资金（按资金来源）")
    target: Target | None = Field(None, title="绩效目标（不填：不列项目支出绩效目标表）")


class Budget(_Model):
    """One unit's or department's 部门预算公开 for one year (amounts in yuan)."""
    kind: Literal["budget"] = Field(title="文档类型：budget（部门预算公开）")
    year: int = Field(title="预算年度", ge=2000, le=2100)
    entity: Entity = Field(title="单位")
    income: Income = Field(default_factory=Income, title="本年收入（按来源）")
    balances: Balances = Field(default_factory=Balances, title="结转结余")
    expenditure: list[ExpenditureLine] = Field(default_factory=list,
                                               title="支出（按功能分类项和资金来源：基本支出、项目支出）")
    basic_by_economic: Annotated[dict[str, Yuan], After(_econ_codes)] = Field(
        default_factory=dict, title="一般公共预算基本支出（按经济分类款）")
    three_public: ThreePublic | None = Field(None, title="财政拨款“三公”经费预算（未填写时留待填写；没有时填 0）")
    operating_funds: OperatingFunds | None = Field(None, title="机关运行经费（未填写时留待填写）")
    procurement: Procurement | None = Field(None, title="政府采购预算（未填写时留待填写；没有时填 0）")
    assets: Assets | None = Field(None, title="国有资产占用（未填写时留待填写）")
    projects: list[Project] | None = Field(None, title="项目支出及绩效目标（未填写时留待填写；没有时填 []）")
    prior_year: PriorYear = Field(default_factory=PriorYear, title="上年预算数")
    reasons: Reasons = Field(default_factory=Reasons, title="原因与说明")
    performance_note: str | None = Field(None, title="预算绩效目标设置情况的说明（可省略）")
    published: str | None = Field(None, title="公开日期（封面），如 2023年2月10日；不填则封面留【待填写：公开日期】")

    # Views used by the tables and the narrative ----------------------------------------
    def spent(self, funds: tuple[str, ...] = tuple(FUND_SOURCES), kinds: tuple[str, ...] = ("basic", "project"),
              prefix: str = "") -> Decimal:
        """Expenditure of ``funds`` and ``kinds`` under the 功能分类 ``prefix`` (yuan)."""
        return sum((getattr(x, k) for x in self.expenditure if x.fund in funds and x.code.startswith(prefix)
                    for k in kinds), Decimal(0))

    @property
    def short_name(self) -> str:
        return self.entity.short_name or self.entity.name

    def blank_parts(self) -> list[str]:
        """The parts the data leave blank (not given, as opposed to given as 0 / 无), in Chinese, in
        the document's order: where the narrative leaves 【待填写：…】."""
        e, py = self.entity, self.prior_year
        out = []
        if not e.duties:
            out.append("部门主要职责")
        if not e.structure:
            out.append("机构设置情况")
        if all(getattr(py, f) is None for f in PriorYear.model_fields):
            out.append("上年预算数")
        if not self.reasons.usage:
            out.append("一般公共预算支出的主要用途")
        if self.three_public is None:
            out.append("“三公”经费预算")
        if self.operating_funds is None and e.unit_type != "事业单位":
            out.append("机关运行经费")
        if self.procurement is None:
            out.append("政府采购预算")
        if self.assets is None:
            out.append("国有资产占用")
        if self.projects is None:
            out.append("项目支出及绩效目标")
        return out
