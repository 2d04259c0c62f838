"""The disclosure data model: one department's final accounts for one year.

This module owns the canonical data of a 部门决算公开. Every amount is a
``decimal.Decimal`` in **yuan** (元) with at most two decimals; 万元 is only a
display unit, produced later by :mod:`juesuan.tables.rounding`.

Leaves are given at 功能分类 项 level (7-digit codes) and 经济分类 款 level
(5-digit codes). Parent totals (类/款, column totals) are derived, never stored;
a source that states them has them checked against the leaves by the reader.

Field names are English; every field carries its Chinese name as ``title`` so
that the JSON Schema (``juesuan schema``) and error messages speak the domain's
words.

Not given is not zero. The parts a department states apart from the nine tables
(``three_public``, ``procurement``, ``assets``, ``initial_budget``, ``performance``) are
``None`` when the data leave them out (a blank sheet of the workbook, a key absent from
the YAML): the narrative then leaves a 【待填写：…】 where their sentences go, and the
三公 table shows blank cells. Given with zeros (``procurement: {goods: 0, …}``,
``assets: {vehicles: 0}``) they say "无…". Inside a part that is given, an amount left out
is 0 (as a blank cell of a filled table is), but the counts a sentence states on their
own (``assets.vehicles``, ``assets.equipment_over_1m``) stay ``None`` until given.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal

from ..data import Profile, Yuan
from ..record import After, Field, Record

__all__ = [
    "Yuan", "Fund", "FUNDS", "INCOME_SOURCES", "EXPENDITURE_KINDS",
    "Entity", "IncomeLine", "ExpenditureLine", "AppropriationLine", "Balances",
    "FundBalance", "FundItemBalance", "ThreePublic", "ThreePublicAmounts", "ThreePublicCounts",
    "OperatingFunds", "Procurement", "Assets", "PriorYear", "BudgetItem", "InitialBudget",
    "Reasons", "Highlight", "Indicator", "FundAmount", "Goal", "OverallPerformance", "ProjectPerformance",
    "Performance", "KeyWork", "Provenance", "Transfer", "TRANSFER_KINDS", "Disclosure",
]


class _Model(Record):
    """Frozen, unknown fields refused, every problem reported (see :mod:`juesuan.record`)."""


def _econ_codes(v: dict[str, Decimal]) -> dict[str, Decimal]:
    for code in v:
        if not (len(code) == 5 and code.isdigit()):
            raise ValueError(f"经济分类科目应为5位款级编码：{code!r}")
    return v


class Fund(str, Enum):  # noqa: UP042 - a StrEnum changes str()/format() of a member to "general" (now "Fund.general")
    """财政拨款的三类资金."""
    general = "general"            # 一般公共预算财政拨款
    gov_fund = "gov_fund"          # 政府性基金预算财政拨款
    state_capital = "state_capital"  # 国有资本经营预算财政拨款


FUNDS: dict[str, str] = {
    "general": "一般公共预算财政拨款",
    "gov_fund": "政府性基金预算财政拨款",
    "state_capital": "国有资本经营预算财政拨款",
}

# The eight income sources of 收入支出决算总表, in table order.
INCOME_SOURCES: dict[str, str] = {
    "general": "一般公共预算财政拨款收入",
    "gov_fund": "政府性基金预算财政拨款收入",
    "state_capital": "国有资本经营预算财政拨款收入",
    "superior": "上级补助收入",
    "business": "事业收入",
    "operating": "经营收入",
    "affiliated": "附属单位上缴收入",
    "other": "其他收入",
}

# The expenditure kinds (columns of 支出决算表), in table order.
EXPENDITURE_KINDS: dict[str, str] = {
    "basic": "基本支出",
    "project": "项目支出",
    "to_superior": "上缴上级支出",
    "operating": "经营支出",
    "to_affiliated": "对附属单位补助支出",
}


class Entity(Profile, _Model):
    supervisor: str | None = Field(None, title="主管部门（绩效自评表）")
    parent: str | None = Field(None, title="上级单位全称（汇总时：本单位的上级补助收入、上缴上级支出视为与它的往来）")
    units: list[str] = Field(default_factory=list,
                             title="汇总数据所含各单位全称（由 juesuan consolidate 写出；单位自己的数据不填）")


class _CodeLine(_Model):
    code: str = Field(title="支出功能分类科目编码（项级，7位）", pattern=r"^\d{7}$")
    name: str | None = Field(None, title="科目名称（可省略，取自分类目录）")


class IncomeLine(_CodeLine):
    """One 功能分类 项 of 收入决算表, by income source."""
    general: Yuan = Field(Decimal(0), title="一般公共预算财政拨款收入")
    gov_fund: Yuan = Field(Decimal(0), title="政府性基金预算财政拨款收入")
    state_capital: Yuan = Field(Decimal(0), title="国有资本经营预算财政拨款收入")
    superior: Yuan = Field(Decimal(0), title="上级补助收入")
    business: Yuan = Field(Decimal(0), title="事业收入")
    operating: Yuan = Field(Decimal(0), title="经营收入")
    affiliated: Yuan = Field(Decimal(0), title="附属单位上缴收入")
    other: Yuan = Field(Decimal(0), title="其他收入")



class ExpenditureLine(_CodeLine):
    """One 功能分类 项 of 支出决算表, by kind of expenditure (all money)."""
    basic: Yuan = Field(Decimal(0), title="基本支出")
    project: Yuan = Field(Decimal(0), title="项目支出")
    to_superior: Yuan = Field(Decimal(0), title="上缴上级支出")
    operating: Yuan = Field(Decimal(0), title="经营支出")
    to_affiliated: Yuan = Field(Decimal(0), title="对附属单位补助支出")



class AppropriationLine(_CodeLine):
    """财政拨款支出 of one fund at one 功能分类 项 (part of the same line's 支出)."""
    fund: Fund = Field(Fund.general, title="资金性质")
    basic: Yuan = Field(Decimal(0), title="基本支出")
    project: Yuan = Field(Decimal(0), title="项目支出")



class FundItemBalance(_CodeLine):
    """政府性基金 / 国有资本经营 per 项: the carry-over columns of their tables.

    本年收入 and 本年支出 of the item come from ``income`` and ``appropriations``.
    """
    fund: Literal["gov_fund", "state_capital"] = Field("gov_fund", title="资金性质")
    opening: Yuan = Field(Decimal(0), title="年初结转和结余")
    closing: Yuan = Field(Decimal(0), title="年末结转和结余")



class Balances(_Model):
    """收入支出决算总表 rows outside 本年收入/本年支出 (all money)."""
    use_of_nonfiscal_balance: Yuan = Field(Decimal(0), title="使用非财政拨款结余（含专用结余）")
    opening: Yuan = Field(Decimal(0), title="年初结转和结余")
    distribution: Yuan = Field(Decimal(0), title="结余分配")
    closing: Yuan = Field(Decimal(0), title="年末结转和结余")



class FundBalance(_Model):
    opening: Yuan = Field(Decimal(0), title="年初财政拨款结转和结余")
    closing: Yuan = Field(Decimal(0), title="年末财政拨款结转和结余")



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


class ThreePublicCounts(_Model):
    abroad_groups: int = Field(0, ge=0, title="因公出国（境）团组数")
    abroad_persons: int = Field(0, ge=0, title="因公出国（境）人次")
    vehicles_purchased: int = Field(0, ge=0, title="公务用车购置数（辆）")
    vehicles_held: int = Field(0, ge=0, title="公务用车保有量（辆）")
    reception_batches: int = Field(0, ge=0, title="国内公务接待批次")
    reception_persons: int = Field(0, ge=0, title="国内公务接待人次")


class ThreePublic(_Model):
    """财政拨款"三公"经费."""
    budget: ThreePublicAmounts = Field(default_factory=ThreePublicAmounts, title="预算数")
    final: ThreePublicAmounts = Field(default_factory=ThreePublicAmounts, title="决算数")
    prior_final: ThreePublicAmounts | None = Field(None, title="上年决算数")
    counts: ThreePublicCounts = Field(default_factory=ThreePublicCounts, title="数量")
    reasons: dict[str, str] = Field(default_factory=dict,
                                    title="原因（键：total/abroad/vehicle_purchase/vehicle_operation/reception）")


class OperatingFunds(_Model):
    """机关运行经费 (行政单位和参公事业单位)."""
    amount: Yuan = Field(Decimal(0), title="本年机关运行经费")
    prior: Yuan | None = Field(None, title="上年机关运行经费")
    reason: str | None = Field(None, title="增减原因")


class Procurement(_Model):
    """政府采购支出."""
    goods: Yuan = Field(Decimal(0), title="政府采购货物支出")
    works: Yuan = Field(Decimal(0), title="政府采购工程支出")
    services: Yuan = Field(Decimal(0), title="政府采购服务支出")
    sme: Yuan = Field(Decimal(0), title="授予中小企业合同金额")
    small_micro: Yuan = Field(Decimal(0), title="其中授予小微企业合同金额")

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services


class Assets(_Model):
    """国有资产占用情况."""
    as_of: str | None = Field(None, title="截至日期，如 2023年12月31日")
    vehicles: int | None = Field(None, ge=0, title="车辆总数（辆）")
    vehicle_detail: dict[str, int] = Field(default_factory=dict, title="车辆分类数，如 {一般公务用车: 2}")
    equipment_over_1m: int | None = Field(None, ge=0, title="单价100万元（含）以上设备（台，套）")
    other: str | None = Field(None, title="其他说明")


class PriorYear(_Model):
    """上年决算数, for year-over-year sentences."""
    total: Yuan | None = Field(None, title="上年收、支总计")
    income: Yuan | None = Field(None, title="上年本年收入合计")
    expenditure: Yuan | None = Field(None, title="上年本年支出合计")
    fiscal_total: Yuan | None = Field(None, title="上年财政拨款收、支总计")
    general_income: Yuan | None = Field(None, title="上年一般公共预算财政拨款收入")
    general_expenditure: Yuan | None = Field(None, title="上年一般公共预算财政拨款支出")
    operating_funds: Yuan | None = Field(None, title="上年机关运行经费")


class BudgetItem(_CodeLine):
    """年初预算 of one 功能分类 项 (一般公共预算财政拨款)."""
    amount: Yuan = Field(Decimal(0), title="年初预算数")
    reason: str | None = Field(None, title="决算数与年初预算数不同的原因")


class InitialBudget(_Model):
    total: Yuan | None = Field(None, title="一般公共预算财政拨款支出年初预算合计（可省略，由各项相加）")
    items: list[BudgetItem] = Field(default_factory=list, title="各项年初预算")


class Reasons(_Model):
    """Free-text reasons and descriptions that the narrative needs."""
    total_change: str | None = Field(None, title="收、支总计增减原因")
    income_change: str | None = Field(None, title="收入合计增减原因")
    expenditure_change: str | None = Field(None, title="支出合计增减原因")
    fiscal_change: str | None = Field(None, title="财政拨款收、支总计增减原因")
    general_income_change: str | None = Field(None, title="一般公共预算财政拨款收入增减原因")
    general_change: str | None = Field(None, title="一般公共预算财政拨款支出增减原因")
    class_usage: dict[str, str] = Field(default_factory=dict,
                                        title="各类支出主要用途（键：类级科目编码）")


class Highlight(_Model):
    """A project named in 五(三) with its main results."""
    project: str = Field(title="项目名称（与项目绩效自评表一致）")
    outcome: str = Field(title="主要成效")


class Indicator(_Model):
    level1: str | None = Field(None, title="一级指标")
    level2: str | None = Field(None, title="二级指标")
    level3: str = Field(title="三级指标")
    category: str | None = Field(None, title="指标分类")
    target: str | None = Field(None, title="年初目标值")
    actual: str | None = Field(None, title="实际完成值")
    weight: Decimal | None = Field(None, ge=0, title="分值（打分式自评表）")
    score: Decimal | None = Field(None, ge=0, title="得分（打分式自评表）")
    note: str | None = Field(None, title="偏差原因分析及改进措施（打分式自评表，逐条）")


class FundAmount(_Model):
    """A row of the 资金 block of a scored 自评表 under 年度资金总额 (其中：当年财政拨款 …)."""
    label: str = Field(title="资金名称，如 当年财政拨款、上年结转资金、其他资金、基本支出、项目支出")
    group: int = Field(1, ge=1, title="分组：同一组各行之和等于年度资金总额（按收入性质、按支出性质各为一组）")
    initial: Yuan | None = Field(None, title="年初预算数")
    budget: Yuan = Field(Decimal(0), title="全年预算数")
    actual: Yuan = Field(Decimal(0), title="全年执行数")


class Goal(_Model):
    """年度总体目标: what was planned and what was achieved."""
    expected: str = Field(title="预期目标")
    achieved: str | None = Field(None, title="实际完成情况")


class OverallPerformance(_Model):
    """部门整体绩效自评表."""
    goals: list[str] = Field(default_factory=list, title="年度目标")
    outcomes: list[str] = Field(default_factory=list, title="年度总体目标的实际完成情况（打分式自评表）")
    initial_budget: Yuan | None = Field(None, title="年初预算数（打分式自评表，年度资金总额）")
    budget: Yuan | None = Field(None, title="全年预算数（打分式自评表，年度资金总额）")
    budget_weight: Decimal | None = Field(None, ge=0, title="预算执行率分值（打分式自评表，如 10）")
    sources: list[FundAmount] = Field(default_factory=list,
                                      title="年度资金总额的构成（打分式自评表；省略时按支出性质列基本支出、项目支出）")
    indicators: list[Indicator] = Field(default_factory=list, title="年度绩效指标")
    deviation: str | None = Field(None, title="偏差大或目标未完成原因分析")
    improvement: str | None = Field(None, title="改进措施及结果应用方案")
    grade: str | None = Field(None, title="自评等级，如 优秀")
    score: Decimal | None = Field(None, title="自评得分")
    summary: str | None = Field(None, title="整体支出自评结果综述")
    application: str | None = Field(None, title="绩效自评结果应用情况")


class ProjectPerformance(_Model):
    """项目绩效自评表."""
    name: str = Field(title="项目名称")
    supervisor: str | None = Field(None, title="主管部门")
    implementer: str | None = Field(None, title="项目实施单位")
    category: str = Field("部门预算项目", title="项目类别")
    attribute: str = Field("持续性项目", title="项目属性")
    kind: str = Field("常年性项目", title="项目类型")
    budget: Yuan = Field(Decimal(0), title="预算数（A）；打分式自评表的全年预算数")
    actual: Yuan = Field(Decimal(0), title="执行数（B）；打分式自评表的全年执行数")
    initial_budget: Yuan | None = Field(None, title="年初预算数（打分式自评表）")
    budget_weight: Decimal | None = Field(None, ge=0, title="预算执行率分值（打分式自评表，如 10）")
    sources: list[FundAmount] = Field(default_factory=list,
                                      title="其中：当年财政拨款、上年结转资金、其他资金（打分式自评表）")
    goals: list[Goal] = Field(default_factory=list, title="年度总体目标（打分式自评表）")
    summary: str | None = Field(None, title="主要产出和效益")
    problems: str | None = Field(None, title="发现的问题及原因（情况说明引用）")
    next_steps: str | None = Field(None, title="下一步改进措施（情况说明引用）")
    indicators: list[Indicator] = Field(default_factory=list, title="年度绩效指标")
    deviation: str | None = Field(None, title="偏差大或目标未完成原因分析")
    improvement: str | None = Field(None, title="改进措施及结果应用方案")



class Performance(_Model):
    template: Literal["simple", "scored"] = Field(
        "simple", title="自评表式样：simple 预算数/执行数/执行率；scored 财政部打分式（年初预算数、全年预算数、"
                        "全年执行数、分值、执行率、得分，总分）")
    management: str | None = Field(None, title="预算绩效管理工作开展情况（评价结论）")
    overall: OverallPerformance | None = Field(None, title="部门整体绩效自评")
    projects: list[ProjectPerformance] = Field(default_factory=list, title="项目绩效自评")


class KeyWork(_Model):
    title: str = Field(title="重点工作")
    text: str = Field(title="完成情况")
    target: str | None = Field(None, title="工作内容及目标（表格）")
    completion: str | None = Field(None, title="完成情况（表格，如 100%）")


class Provenance(_Model):
    """Where data came from when it was read back from a published document (``juesuan parse FILE
    --format data``): amounts are the document's 万元 figures × 10000, and a field the document does
    not show is absent (never 0)."""
    document: str = Field(title="来源：已公开的部门决算文件")
    title: str | None = Field(None, title="该文件的标题")
    precision: Literal["万元"] = Field("万元", title="金额精度：取自文中两位小数的万元数，换算为元（末两位为 00）")
    note: str | None = Field(None, title="说明")
    layout: str | None = Field(None, title="该文件的表式（national、shanghai、university…）："
                                           "build、check 未指定 --variant 时按此表式")


# The lines that can be internal transfers between units (汇总时抵销): income / expenditure field → its name
TRANSFER_KINDS: dict[str, str] = {
    "superior": "上级补助收入",
    "affiliated": "附属单位上缴收入",
    "to_superior": "上缴上级支出",
    "to_affiliated": "对附属单位补助支出",
}


class Transfer(_Model):
    """Part of one 项's 上级补助收入, 附属单位上缴收入, 上缴上级支出 or 对附属单位补助支出 with one
    counterpart unit: what :mod:`juesuan.final.consolidate` eliminates when both units are consolidated."""
    kind: Literal["superior", "affiliated", "to_superior", "to_affiliated"] = Field(
        title="往来类别：superior 上级补助收入、affiliated 附属单位上缴收入、to_superior 上缴上级支出、"
              "to_affiliated 对附属单位补助支出")
    code: str = Field(title="支出功能分类科目编码（项级，7位；该金额所在的收入或支出科目）", pattern=r"^\d{7}$")
    amount: Yuan = Field(title="金额（元）")
    counterpart: str | None = Field(None, title="对方单位全称（不填：未列明）")
    unit: str | None = Field(None, title="记录这笔往来的单位全称（汇总数据中；不填：本单位）")


class Disclosure(_Model):
    """One department's 部门决算公开 for one year (amounts in yuan)."""
    year: int = Field(title="决算年度", ge=2000, le=2100)
    entity: Entity = Field(title="单位")
    income: list[IncomeLine] = Field(default_factory=list, title="收入（按功能分类项）")
    expenditure: list[ExpenditureLine] = Field(default_factory=list, title="支出（按功能分类项）")
    appropriations: list[AppropriationLine] = Field(default_factory=list,
                                                    title="财政拨款支出（按资金性质、功能分类项）")
    balances: Balances = Field(default_factory=Balances, title="结转结余（全部资金）")
    fund_balances: dict[Fund, FundBalance] = Field(default_factory=dict,
                                                   title="财政拨款结转和结余（按资金性质）")
    fund_items: list[FundItemBalance] = Field(default_factory=list,
                                              title="政府性基金、国有资本经营分项目结转和结余")
    basic_by_economic: Annotated[dict[str, Yuan], After(_econ_codes)] = Field(default_factory=dict,
                                               title="一般公共预算财政拨款基本支出（按经济分类款）")
    three_public: ThreePublic | None = Field(None, title="财政拨款“三公”经费（未填写时留待填写；没有时填 0）")
    operating_funds: OperatingFunds | None = Field(None, title="机关运行经费")
    procurement: Procurement | None = Field(None, title="政府采购（未填写时留待填写；没有时填 0）")
    assets: Assets | None = Field(None, title="国有资产占用（未填写时留待填写）")
    prior_year: PriorYear = Field(default_factory=PriorYear, title="上年决算数")
    initial_budget: InitialBudget | None = Field(None, title="年初预算（未填写时留待填写）")
    reasons: Reasons = Field(default_factory=Reasons, title="原因与说明")
    highlights: list[Highlight] = Field(default_factory=list, title="项目支出主要成效（五（三））")
    performance: Performance | None = Field(None, title="预算绩效（未填写时留待填写）")
    key_work: list[KeyWork] = Field(default_factory=list, title="重点工作完成情况")
    published: str | None = Field(None, title="公开日期（封面），如 2024年9月20日；不填则封面留【待填写：公开日期】")
    source: Provenance | None = Field(None, title="数据来源（由已公开文档读回时：文件、万元精度）")
    transfers: list[Transfer] = Field(default_factory=list,
                                      title="内部往来：上级补助收入、附属单位上缴收入、上缴上级支出、对附属单位补助支出按对方单位列明（汇总时抵销）")

    # Convenience views used by tables and narrative ------------------------------
    def appropriation(self, code: str, fund: Fund | str) -> tuple[Decimal, Decimal]:
        fund = Fund(fund)
        b = p = Decimal(0)
        for a in self.appropriations:
            if a.code == code and a.fund == fund:
                b += a.basic
                p += a.project
        return b, p

    @property
    def short_name(self) -> str:
        return self.entity.short_name or self.entity.name

    def blank_parts(self) -> list[str]:
        """The parts the data leave blank (not given, as opposed to given as 0 / 无), in Chinese, in the
        document's order: where the narrative leaves 【待填写：…】."""
        e, py, r = self.entity, self.prior_year, self.reasons
        out = []
        if not e.duties:
            out.append("部门主要职责")
        if not e.structure:
            out.append("机构设置情况")
        if all(getattr(py, f) is None for f in PriorYear.model_fields):
            out.append("上年决算数")
        if self.initial_budget is None:
            out.append("年初预算")
        if not r.class_usage:
            out.append("各类支出主要用途")
        if self.three_public is None:
            out.append("“三公”经费")
        if self.operating_funds is None and e.unit_type != "事业单位":
            out.append("机关运行经费")
        if self.procurement is None:
            out.append("政府采购")
        if self.assets is None:
            out.append("国有资产占用")
        if self.performance is None:
            out.append("预算绩效（整体绩效、项目绩效）")
        elif self.performance.overall is None:
            out.append("部门整体绩效")
        return out
