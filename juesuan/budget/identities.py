"""The 预算's accounting identities, declared once as data (the types of :mod:`juesuan.tables.identity`).

Within a row: 合计 = 基本支出 + 项目支出 in the tables by 功能分类; the 三公 total = 因公出国（境）费 +
公务用车购置及运行维护费 + 公务接待费, and 公务用车购置及运行维护费 = 购置费 + 运行维护费. Parsing
chooses among readings of a row by them (:data:`ROW_IDENTITIES`); the budget's rules
(:mod:`juesuan.budget.rules`, YS1xx) check them and the rest (收支平衡, 合计 = Σ 类, 类 = Σ 款 …:
:data:`HIERARCHY`, :data:`TOTALS`, :data:`BALANCE`).
"""

from __future__ import annotations

from ..tables.identity import Cell, ColumnSum, FixedSum, Hierarchy, row_identities

__all__ = ["FUNCTION_TABLES", "HIERARCHY", "TOTALS", "EXPENDITURE_ROWS", "THREE_PUBLIC", "THREE_PUBLIC_OTHER",
           "ROW_TOTALS", "BALANCE", "SUMMARY_TOTALS", "ROW_IDENTITIES"]

FUNCTION_TABLES = ("Y3", "Y5", "Y8", "Y9", "Y14", "Y22", "Y27")
HIERARCHY = tuple(Hierarchy(t, "class") for t in FUNCTION_TABLES)
TOTALS = tuple(Hierarchy(t, "total") for t in FUNCTION_TABLES)

EXPENDITURE_ROWS = (
    *(ColumnSum(t, "exp:total", ((1, "exp:basic"), (1, "exp:project")), what="合计 = 基本支出 + 项目支出")
      for t in ("Y3", "Y5", "Y8", "Y9", "Y14")),
    ColumnSum("Y27", "exp:total", ((1, "exp:personnel"), (1, "exp:public"), (1, "exp:project")),
              what="合计 = 人员经费支出 + 公用经费支出 + 专项业务经费支出"),
    ColumnSum("Y22", "exp:total", ((1, "exp:personnel"), (1, "exp:public")), what="合计 = 人员经费支出 + 公用经费支出"),
)

THREE_PUBLIC = (
    ColumnSum("Y7", "3p:total", ((1, "3p:abroad"), (1, "3p:vehicle"), (1, "3p:reception")),
              what="“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费"),
    ColumnSum("Y7", "3p:vehicle", ((1, "3p:vehicle_purchase"), (1, "3p:vehicle_operation")),
              what="公务用车购置及运行维护费 = 购置费 + 运行维护费"),
)

ROW_TOTALS = EXPENDITURE_ROWS + THREE_PUBLIC

# the other tables that show the 三公 items (checked by the rules; not used to choose readings):
# Jiangsu 2019's “三公”经费、会议费、培训费表 (one row, its columns), Guangdong's 行政经费及“三公”经费预算表
# (a row per item, a column per fund)
_Y26 = (
    ColumnSum("Y26", "total", ((1, "3p:total"), (1, "meeting"), (1, "training")),
              what="合计 = “三公”经费合计 + 会议费 + 培训费"),
    ColumnSum("Y26", "3p:total", ((1, "3p:abroad"), (1, "3p:vehicle"), (1, "3p:reception")),
              what="“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费"),
    ColumnSum("Y26", "3p:vehicle", ((1, "3p:vehicle_purchase"), (1, "3p:vehicle_operation")),
              what="公务用车购置及运行维护费 = 购置费 + 运行维护费"),
)
_Y17_ROWS = ("“三公”经费", "其中：（一）因公出国（境）支出", "（二）公务用车购置及运行维护支出", "1.公务用车购置费",
             "2.公务用车运行维护费", "（三）公务接待费支出")


def _y17(column: str) -> tuple[FixedSum, FixedSum]:
    total, abroad, vehicle, purchase, operation, reception = (Cell("Y17", r, column) for r in _Y17_ROWS)
    return (FixedSum(total, ((1, abroad), (1, vehicle), (1, reception)),
                     what="行政经费及“三公”经费预算表：“三公”经费 = 因公出国（境）+ 公务用车购置及运行维护 + 公务接待"),
            FixedSum(vehicle, ((1, purchase), (1, operation)),
                     what="行政经费及“三公”经费预算表：公务用车购置及运行维护 = 购置费 + 运行维护费"))


THREE_PUBLIC_OTHER = (
    *_Y26,
    ColumnSum("Y17", "total", ((1, "general"), (1, "gov_fund"), (1, "state_capital")),
              what="合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算"),
    *(d for col in ("total", "general", "gov_fund", "state_capital") for d in _y17(col)),
)


def _c(tid: str, row: str, side: str) -> Cell:
    return Cell(tid, row, "value", side)


# 收支平衡: 收入总计 = 支出总计, in the 收支总表 and the 财政拨款收支总表
BALANCE = (
    FixedSum(_c("Y1", "grand_total:income", "收入"), ((1, _c("Y1", "grand_total:expenditure", "支出")),),
             what="收支总表：收入总计 = 支出总计"),
    FixedSum(_c("Y4", "fiscal_grand_total:income", "收入"),
             ((1, _c("Y4", "fiscal_grand_total:expenditure", "支出")),), what="财政拨款收支总表：收入总计 = 支出总计"),
)

# 总计 = 合计 + 结转: the two sides of the 收支总表 and the 财政拨款收支总表 each add up (checked only where
# the document prints both the 总计 and the 合计 row: a region that prints no 本年收入合计 is not blank there)
SUMMARY_TOTALS = (
    FixedSum(_c("Y1", "grand_total:income", "收入"),
             ((1, _c("Y1", "income:total", "收入")), (1, _c("Y1", "balance:use_of_nonfiscal_balance", "收入")),
              (1, _c("Y1", "balance:opening", "收入")), (1, _c("Y1", "balance:cash", "收入"))),
             what="收支总表：收入总计 = 本年收入合计 + 使用非财政拨款结余 + 上年结转结余"),
    FixedSum(_c("Y1", "grand_total:expenditure", "支出"),
             ((1, _c("Y1", "expenditure:total", "支出")), (1, _c("Y1", "balance:closing", "支出")),
              (1, _c("Y1", "balance:unspent_cash", "支出"))),
             what="收支总表：支出总计 = 本年支出合计 + 年终结转结余"),
    FixedSum(_c("Y4", "fiscal_grand_total:income", "收入"),
             ((1, _c("Y4", "fiscal_income:total", "收入")), (1, _c("Y4", "fiscal_opening:total", "收入"))),
             what="财政拨款收支总表：收入总计 = 本年收入合计 + 上年结转结余"),
    FixedSum(_c("Y4", "fiscal_grand_total:expenditure", "支出"),
             ((1, _c("Y4", "fiscal_expenditure:total", "支出")), (1, _c("Y4", "fiscal_closing", "支出"))),
             what="财政拨款收支总表：支出总计 = 本年支出合计 + 年终结转结余"),
)

ROW_IDENTITIES = row_identities(ROW_TOTALS)
