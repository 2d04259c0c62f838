"""The 预算's rule catalogue: YS1xx 预算表内勾稽, the accounting identities within its tables.

Each rule checks a list of identities declared as data in :mod:`juesuan.budget.identities`,
through the one interval check of :mod:`juesuan.rules.identities` (the 决算's table rules use it
too): an identity fails only when no underlying values within the rounding of the displayed
figures make it hold, a failure within rounding is at most an info (尾差), and an error resting on
a figure not read with certainty (a row read in several ways, a figure moved into place) is made
"无法核对" by the engine (:mod:`juesuan.rules.certainty`). Importing this module registers the
rules; only the budget kind (:mod:`juesuan.budget.kind`) imports it.

Not checked yet: the narrative against the tables and the tables against each other (收支总表 vs
支出表 …). The budget against the unit's 决算 is the family YJ1xx of :mod:`juesuan.across`
(``juesuan check 决算 --budget 预算``).
"""

from __future__ import annotations

from functools import cache

from ..rules.context import Context
from ..rules.identities import cell_row, run
from ..rules.registry import REGISTRY, Rule, rule
from ..rules.report import rules_markdown
from .identities import BALANCE, EXPENDITURE_ROWS, HIERARCHY, SUMMARY_TOTALS, THREE_PUBLIC, THREE_PUBLIC_OTHER, TOTALS

__all__ = ["FAMILIES", "SCOPE", "rules", "catalogue_markdown"]

FAMILIES: dict[str, str] = {
    "YS1": "预算表内勾稽",
}

# what ``juesuan check`` of a budget checks, said with its result (:mod:`juesuan.pipeline`)
SCOPE = ("部门预算公开目前只核对表内勾稽关系（YS1xx：收支平衡、总计 = 本年合计 + 结转结余、合计 = 各类之和、"
         "类 = 各款之和、款 = 各项之和、合计列 = 组成列之和、“三公”经费合计）；"
         "情况说明与表格、表与表之间的核对尚未提供；与同年度决算的核对见 juesuan check 决算 --budget 预算"
         "（没有发现问题不等于没有问题）。")


@rule("YS101", "budget-function-hierarchy", "预算功能分类层级加总：类 = Σ款，款 = Σ项", "error", "budget-table")
def function_hierarchy(ctx: Context):
    """
    ## 作用
    在按支出功能分类列示的预算表（支出总表、一般公共预算支出表、政府性基金和国有资本经营预算支出表、
    财政拨款支出预算表、陕西省的一般公共预算支出明细表和基本支出明细表）中，逐列检查每个“类”等于
    其下各“款”之和、每个“款”等于其下各“项”之和。只核对印有科目编码的行；比较按区间进行：各项列示值的
    区间之和与上级列示值的区间有交集即成立，成立但列示值不等时报提示（尾差）。

    ## 原因
    上级科目是下级科目的合计；加不平说明抄录、汇总或舍位有误。

    ## 错误示例
    支出预算表 205 教育支出 合计 105000.00；20502 普通教育 60000.00，20508 进修及培训 45010.00
    （两款之和 105010.00，相差 10.00，超出两个加数的舍入误差 ±0.01）。

    ## 正确示例
    205 教育支出 105000.00 = 20502 普通教育 60000.00 + 20508 进修及培训 45000.00；或两款之和 105000.01：
    两个加数区间之和 [105000.000, 105000.020] 与合计的区间 [104999.995, 105000.005] 有交集，仅报尾差提示。
    """
    yield from run(ctx, HIERARCHY)


@rule("YS102", "budget-function-total", "预算功能分类合计行 = Σ类", "error", "budget-table")
def function_total(ctx: Context):
    """
    ## 作用
    在按支出功能分类列示的预算表中，逐列检查“合计”行等于各“类”行之和（区间比较；舍入范围内的差额报
    提示）。

    ## 原因
    合计行是全部科目的合计；各类之和与合计不符意味着漏列、重列或抄错。

    ## 错误示例
    一般公共预算支出表：合计 1000.00；201 一般公共服务支出 700.00，208 社会保障和就业支出 200.00，
    210 卫生健康支出 80.00（各类之和 980.00）。

    ## 正确示例
    合计 1000.00 = 700.00 + 200.00 + 100.00。
    """
    yield from run(ctx, TOTALS)


@rule("YS103", "budget-row-total", "预算支出表行内合计 = 基本支出 + 项目支出", "error", "budget-table")
def row_totals(ctx: Context):
    """
    ## 作用
    在按支出功能分类列示的预算表中逐行检查：合计 = 基本支出 + 项目支出；陕西省的一般公共预算支出
    明细表：合计 = 人员经费支出 + 公用经费支出 + 专项业务经费支出，基本支出明细表：合计 = 人员经费支出 +
    公用经费支出。

    ## 原因
    支出按性质分为基本支出和项目支出，合计列是它们的合计。

    ## 错误示例
    支出预算表 2050205 高等教育：合计 98000.00，基本支出 60000.00，项目支出 37000.00（和 97000.00）。

    ## 正确示例
    合计 98000.00 = 基本支出 60000.00 + 项目支出 38000.00。每个数按 ±0.005 万元理解，各数区间之和与
    合计区间有交集即成立（陕西省以元列示的表：合计 480544221.6 元，三列之和 480544221.62 元，报尾差提示）。
    """
    yield from run(ctx, EXPENDITURE_ROWS)


@rule("YS104", "budget-balance", "收支预算总表、财政拨款收支总表：收入总计 = 支出总计", "error", "budget-table")
def balance(ctx: Context):
    """
    ## 作用
    检查收支总表（收支预算总表、收支总体情况表）和财政拨款收支总表的收入方“收入总计”等于支出方
    “支出总计”（江苏省 2019 年表式为“收入合计”与“支出合计”）。

    ## 原因
    部门预算按“以收定支、收支平衡”编制，两方总计必须相等。

    ## 错误示例
    收支总表：收入总计 2000.00，支出总计 1990.00。

    ## 正确示例
    收入总计 2000.00，支出总计 2000.00（本年支出合计 1950.00 + 结转下年 50.00）。
    """
    yield from run(ctx, BALANCE)


@rule("YS105", "budget-three-public-sum", "“三公”经费预算表：合计 = 出国 + 用车 + 接待，用车 = 购置 + 运行", "error",
      "budget-table")
def three_public(ctx: Context):
    """
    ## 作用
    检查财政拨款“三公”经费支出预算表的每一行：“三公”经费合计 = 因公出国（境）费 + 公务用车购置及
    运行维护费 + 公务接待费；公务用车购置及运行维护费 = 公务用车购置费 + 公务用车运行维护费。江苏省的
    “三公”经费、会议费、培训费支出预算表另查合计 = “三公”经费合计 + 会议费 + 培训费；广东省的行政经费及
    “三公”经费预算表按行核对同样两式（每列资金各查一次），并查每行合计 = 三类财政拨款之和。

    ## 原因
    “三公”经费由这三项构成，用车费由购置和运行维护两项构成。

    ## 错误示例
    合计 12.00，因公出国（境）费 0，公务用车购置及运行维护费 8.00，公务接待费 2.00（三项之和 10.00）。

    ## 正确示例
    合计 10.00 = 0 + 8.00 + 2.00；用车 8.00 = 购置 0 + 运行维护 8.00。
    """
    yield from run(ctx, THREE_PUBLIC)
    yield from run(ctx, THREE_PUBLIC_OTHER)


@rule("YS106", "budget-summary-totals", "收支总表、财政拨款收支总表：总计 = 本年合计 + 结转结余", "error",
      "budget-table")
def summary_totals(ctx: Context):
    """
    ## 作用
    检查收支总表两方各自加平：收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转结余（深圳市另加
    上年实户资金余额）；支出总计 = 本年支出合计 + 年终结转结余（结转下年；深圳市另加未安排支出的实户
    资金）。财政拨款收支总表同样：收入总计 = 本年收入合计 + 上年结转结余；支出总计 = 本年支出合计 +
    年终结转结余。只在表中同时印有“总计”行和“本年合计”行时核对：没有印本年合计的表式（如江苏省 2019 年
    的财政拨款收支预算总表）不把它当作空白。

    ## 原因
    总计是本年收支与结转结余之和；两方各自不平，收支平衡也就无从谈起。

    ## 错误示例
    收支预算总表：本年支出合计 486554.95，结转下年 95721.40，支出总计 582176.35（应为 582276.35）。

    ## 正确示例
    本年支出合计 486554.95 + 结转下年 95721.40 = 支出总计 582276.35。
    """
    printed = tuple(d for d in SUMMARY_TOTALS
                    if cell_row(ctx, d.total) is not None and cell_row(ctx, d.parts[0][1]) is not None)
    yield from run(ctx, list(printed))


@cache
def rules() -> tuple[Rule, ...]:
    """Every rule of the budget's catalogue, by code."""
    return tuple(REGISTRY[c] for c in sorted(REGISTRY) if REGISTRY[c].func.__module__ == __name__)


def catalogue_markdown() -> str:
    """docs/rules-budget.md."""
    return rules_markdown(rules(), FAMILIES, kind="budget")
