"""The 决算's accounting identities (审核公式), declared once as data.

Within tables (表内): the 功能分类 hierarchy (类 = Σ款, 款 = Σ项, 合计 = Σ类), row totals
(合计列 = Σ组成列), the fixed rows of 收入支出决算总表 (T1) and 财政拨款收入支出决算总表 (T4),
the 人员经费/公用经费 blocks of T6, the 三公 columns of T9. Across tables (表间): T1 vs T2/T3,
T2/T1 vs T4, T4 vs T5/T7/T8, T5 基本支出 vs T6, T3 ≥ T5, and the 三公 items vs T6.

The rules check them (:mod:`juesuan.final.rules.tables_within`, ``tables_across``); parsing
chooses among readings of a row by :data:`ROW_IDENTITIES` and among readings of a T4 row by
the same facts in the fund tables (:data:`FUND_TABLE_FACTS`). The types are
:mod:`juesuan.tables.identity`'s.
"""

from __future__ import annotations

from ..tables.identity import AtLeast, BlockSum, Cell, ColumnSum, FixedSum, Hierarchy, SameFact, row_identities
from .layouts import CLASS_ROWS
from .university import ACROSS as UNIVERSITY_ACROSS
from .university import IDENTITIES as UNIVERSITY_IDENTITIES

__all__ = ["FUNCTION_TABLES", "HIERARCHY", "TOTALS", "BLOCKS", "ROW_TOTALS", "T1_IDENTITIES", "T4_IDENTITIES",
           "T9_IDENTITIES",
           "T9_ALL_ITEMS", "T10_FACTS", "T1_T2", "T1_T3", "T4_INCOME", "T4_T5", "T4_T7_T8", "T5_T6", "READ_TOGETHER",
           "THREE_PUBLIC_ITEMS", "T3_COVERS_T5_COLUMNS", "ROW_IDENTITIES", "FUND_TABLE_FACTS", "class_label",
           "AtLeast", "Cell"]

FUNCTION_TABLES = ("T2", "T3", "T5", "T7", "T8", "T10")
_INCOME_KEYS = ("general", "gov_fund", "state_capital", "superior", "business", "operating", "affiliated", "other")
_FUNDS = ("general", "gov_fund", "state_capital")

HIERARCHY = tuple(Hierarchy(t, "class") for t in FUNCTION_TABLES)
TOTALS = tuple(Hierarchy(t, "total") for t in FUNCTION_TABLES)
BLOCKS = (BlockSum("T6"), BlockSum("T11"))

ROW_TOTALS = (
    ColumnSum("T2", "income:total", tuple((1, f"income:{k}") for k in
                                          ("fiscal", "superior", "business", "operating", "affiliated", "other")),
              what="本年收入合计 = 各项收入之和"),
    ColumnSum("T3", "exp:total", tuple((1, f"exp:{k}") for k in
                                       ("basic", "project", "to_superior", "operating", "to_affiliated")),
              what="本年支出合计 = 各项支出之和"),
    ColumnSum("T5", "fund:total", ((1, "fund:basic"), (1, "fund:project")), what="小计 = 基本支出 + 项目支出"),
    ColumnSum("T7", "fund:total", ((1, "fund:basic"), (1, "fund:project")), what="本年支出小计 = 基本支出 + 项目支出"),
    ColumnSum("T7", "fund:closing", ((1, "fund:opening"), (1, "fund:income"), (-1, "fund:total")),
              what="年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出"),
    ColumnSum("T8", "fund:total", ((1, "fund:basic"), (1, "fund:project")), what="合计 = 基本支出 + 项目支出"),
    # Beijing's 一般公共预算财政拨款收入支出决算表, and 政府采购情况表 (计划 and 实际: 总计 = 货物 + 工程 + 服务)
    ColumnSum("T10", "fund:total", ((1, "fund:basic"), (1, "fund:project")), what="本年支出小计 = 基本支出 + 项目支出"),
    ColumnSum("T10", "fund:closing", ((1, "fund:opening"), (1, "fund:income"), (-1, "fund:total")),
              what="年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出"),
    *(ColumnSum("T12", f"{side}:total", tuple((1, f"{side}:{k}") for k in ("goods", "works", "services")),
                what=f"{name}总计 = 货物 + 工程 + 服务")
      for side, name in (("plan", "采购计划金额"), ("actual", "实际采购金额"))),
    ColumnSum("T4", "fiscal", tuple((1, f) for f in _FUNDS), side="支出",
              what="合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算财政拨款"),
)


def _c(tid, row, col="value", side=None) -> Cell:
    return Cell(tid, row, col, side)


T1_IDENTITIES = (
    FixedSum(_c("T1", "income:total", side="收入"),
             tuple((1, _c("T1", f"income:{k}", side="收入")) for k in _INCOME_KEYS),
             "收入支出决算总表：本年收入合计 = 八项收入之和"),
    FixedSum(_c("T1", "expenditure:total", side="支出"),
             tuple((1, _c("T1", f"expenditure:{code}", side="支出")) for code, _ in CLASS_ROWS),
             "收入支出决算总表：本年支出合计 = 各类支出之和"),
    FixedSum(_c("T1", "grand_total:income", side="收入"),
             ((1, _c("T1", "income:total", side="收入")),
              (1, _c("T1", "balance:use_of_nonfiscal_balance", side="收入")),
              (1, _c("T1", "balance:opening", side="收入"))),
             "收入支出决算总表：收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余"),
    FixedSum(_c("T1", "grand_total:expenditure", side="支出"),
             ((1, _c("T1", "expenditure:total", side="支出")),
              (1, _c("T1", "balance:distribution", side="支出")),
              (1, _c("T1", "balance:closing", side="支出"))),
             "收入支出决算总表：支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余"),
    FixedSum(_c("T1", "grand_total:income", side="收入"),
             ((1, _c("T1", "grand_total:expenditure", side="支出")),),
             "收入支出决算总表：收入总计 = 支出总计"),
    *UNIVERSITY_IDENTITIES,   # the 教育部直属高校 总表's own (its rows are in no other layout)
)

T4_IDENTITIES = (
    FixedSum(_c("T4", "fiscal_income:total", side="收入"),
             tuple((1, _c("T4", f"fiscal_income:{f}", side="收入")) for f in _FUNDS),
             "财政拨款收入支出决算总表：本年收入合计 = 三类财政拨款收入之和"),
    FixedSum(_c("T4", "fiscal_opening:total", side="收入"),
             tuple((1, _c("T4", f"fiscal_opening:{f}", side="收入")) for f in _FUNDS),
             "财政拨款收入支出决算总表：年初财政拨款结转和结余 = 三类之和"),
    FixedSum(_c("T4", "fiscal_grand_total:income", side="收入"),
             ((1, _c("T4", "fiscal_income:total", side="收入")), (1, _c("T4", "fiscal_opening:total", side="收入"))),
             "财政拨款收入支出决算总表：收入总计 = 本年收入合计 + 年初财政拨款结转和结余"),
    *(FixedSum(_c("T4", "fiscal_expenditure:total", col, "支出"),
               tuple((1, _c("T4", f"fiscal_expenditure:{code}", col, "支出")) for code, _ in CLASS_ROWS),
               f"财政拨款收入支出决算总表（{name}）：本年支出合计 = 各类支出之和")
      for col, name in (("fiscal", "合计"), ("general", "一般公共预算"), ("gov_fund", "政府性基金预算"),
                        ("state_capital", "国有资本经营预算"))),
    *(FixedSum(_c("T4", "fiscal_grand_total:expenditure", col, "支出"),
               ((1, _c("T4", "fiscal_expenditure:total", col, "支出")), (1, _c("T4", "fiscal_closing", col, "支出"))),
               f"财政拨款收入支出决算总表（{name}）：支出总计 = 本年支出合计 + 年末财政拨款结转和结余")
      for col, name in (("fiscal", "合计"), ("general", "一般公共预算"), ("gov_fund", "政府性基金预算"),
                        ("state_capital", "国有资本经营预算"))),
    FixedSum(_c("T4", "fiscal_grand_total:income", side="收入"),
             ((1, _c("T4", "fiscal_grand_total:expenditure", "fiscal", "支出")),),
             "财政拨款收入支出决算总表：收入总计 = 支出总计"),
    *(FixedSum(_c("T4", "fiscal_closing", f, "支出"),
               ((1, _c("T4", f"fiscal_opening:{f}", side="收入")), (1, _c("T4", f"fiscal_income:{f}", side="收入")),
                (-1, _c("T4", "fiscal_expenditure:total", f, "支出"))),
               f"财政拨款收入支出决算总表（{name}）：年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出")
      for f, name in (("general", "一般公共预算"), ("gov_fund", "政府性基金预算"),
                      ("state_capital", "国有资本经营预算"))),
)

T9_IDENTITIES = tuple(
    x for side, name in (("budget", "预算数"), ("final", "决算数")) for x in (
        FixedSum(Cell("T9", None, f"{side}:total"),
                 tuple((1, Cell("T9", None, f"{side}:{k}")) for k in ("abroad", "vehicle", "reception")),
                 f"“三公”经费支出决算表（{name}）：合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费"),
        FixedSum(Cell("T9", None, f"{side}:vehicle"),
                 ((1, Cell("T9", None, f"{side}:vehicle_purchase")),
                  (1, Cell("T9", None, f"{side}:vehicle_operation"))),
                 f"“三公”经费支出决算表（{name}）：公务用车购置及运行维护费 = 购置费 + 运行维护费"),
    )
)



# Shaanxi's 三公 table whose 合计 adds up 会议费 and 培训费 too (the parser keys that 合计 "total_all"
# when its figures say so): not a row identity of every 三公 table
T9_ALL_ITEMS = tuple(
    FixedSum(Cell("T9", None, f"{side}:total_all"),
             tuple((1, Cell("T9", None, f"{side}:{k}"))
                   for k in ("abroad", "vehicle", "reception", "meeting", "training")),
             f"“三公”经费及会议费、培训费支出决算表（{name}）：合计 = “三公”经费 + 会议费 + 培训费")
    for side, name in (("budget", "预算数"), ("final", "决算数"))
)

_INCOME_T2 = (("superior", "上级补助收入"), ("business", "事业收入"), ("operating", "经营收入"),
              ("affiliated", "附属单位上缴收入"), ("other", "其他收入"))
_CLASS = dict(CLASS_ROWS)


def class_label(code: str) -> str:
    return f"{code} {_CLASS.get(code, '')}".strip()


T1_T2 = (
    SameFact(Cell("T1", "income:total", "value", "收入"), Cell("T2", "合计", "income:total"),
             "收入支出决算总表与收入决算表：本年收入合计"),
    FixedSum(Cell("T2", "合计", "income:fiscal"),
             tuple((1, Cell("T1", f"income:{k}", "value", "收入")) for k in ("general", "gov_fund", "state_capital")),
             "收入决算表财政拨款收入 = 收入支出决算总表三类财政拨款收入之和"),
    *(SameFact(Cell("T1", f"income:{k}", "value", "收入"), Cell("T2", "合计", f"income:{k}"),
               f"收入支出决算总表与收入决算表：{name}") for k, name in _INCOME_T2),
    *UNIVERSITY_ACROSS,       # the 教育部直属高校 总表's one 财政拨款收入 row
)

T1_T3 = (
    SameFact(Cell("T1", "expenditure:total", "value", "支出"), Cell("T3", "合计", "exp:total"),
             "收入支出决算总表与支出决算表：本年支出合计"),
    *(SameFact(Cell("T1", f"expenditure:{code}", "value", "支出"), Cell("T3", f"code:{code}", "exp:total"),
               f"收入支出决算总表与支出决算表：{class_label(code)}") for code, _ in CLASS_ROWS),
)

T4_INCOME = (
    SameFact(Cell("T2", "合计", "income:fiscal"), Cell("T4", "fiscal_income:total", "value", "收入"),
             "收入决算表财政拨款收入与财政拨款收入支出决算总表本年收入合计"),
    # the fund tables' 本年收入 and 年初结转和结余 (政府性基金, Shanghai's 国有资本经营, Beijing's 一般公共预算)
    *(SameFact(Cell("T4", f"fiscal_{row}:{fund}", "value", "收入"), Cell(tid, "合计", f"fund:{col}"),
               f"财政拨款收入支出决算总表与{name}：{what}")
      for fund, tid, name in (("gov_fund", "T7", "政府性基金预算财政拨款收入支出决算表"),
                              ("state_capital", "T8", "国有资本经营预算财政拨款收入支出决算表"))
      for row, col, what in (("income", "income", "本年收入"), ("opening", "opening", "年初结转和结余"))),

    *(SameFact(Cell("T1", f"income:{f}", "value", "收入"), Cell("T4", f"fiscal_income:{f}", "value", "收入"),
               f"收入支出决算总表与财政拨款收入支出决算总表：{name}")
      for f, name in (("general", "一般公共预算财政拨款收入"), ("gov_fund", "政府性基金预算财政拨款收入"),
                      ("state_capital", "国有资本经营预算财政拨款收入"))),
)

T4_T5 = (
    SameFact(Cell("T4", "fiscal_expenditure:total", "general", "支出"), Cell("T5", "合计", "fund:total"),
             "财政拨款收入支出决算总表（一般公共预算）与一般公共预算财政拨款支出决算表：本年支出合计"),
    *(SameFact(Cell("T4", f"fiscal_expenditure:{code}", "general", "支出"), Cell("T5", f"code:{code}", "fund:total"),
               f"财政拨款收入支出决算总表（一般公共预算）与一般公共预算财政拨款支出决算表：{class_label(code)}")
      for code, _ in CLASS_ROWS),
)

# Beijing's 一般公共预算财政拨款收入支出决算表 (T10): the 一般公共预算 money of T4 and the spending of T5
# again (checked only where the table is: the other layouts have no T10)
T10_FACTS = (
    SameFact(Cell("T4", "fiscal_income:general", "value", "收入"), Cell("T10", "合计", "fund:income"),
             "财政拨款收入支出决算总表与一般公共预算财政拨款收入支出决算表：一般公共预算财政拨款本年收入"),
    SameFact(Cell("T4", "fiscal_opening:general", "value", "收入"), Cell("T10", "合计", "fund:opening"),
             "财政拨款收入支出决算总表与一般公共预算财政拨款收入支出决算表：一般公共预算财政拨款年初结转和结余"),
    *(SameFact(Cell("T5", row, f"fund:{k}"), Cell("T10", row, f"fund:{k}"),
               f"一般公共预算财政拨款支出决算表与一般公共预算财政拨款收入支出决算表：{label}{name}")
      for row, label in (("合计", "合计"), *((f"code:{code}", class_label(code)) for code, _ in CLASS_ROWS))
      for k, name in (("total", "本年支出"), ("basic", "基本支出"), ("project", "项目支出"))),
)

T4_T7_T8 = tuple(
    x for fund, tid, name in (("gov_fund", "T7", "政府性基金预算"), ("state_capital", "T8", "国有资本经营预算"))
    for x in (
        SameFact(Cell("T4", "fiscal_expenditure:total", fund, "支出"), Cell(tid, "合计", "fund:total"),
                 f"财政拨款收入支出决算总表（{name}）与{name}财政拨款表：本年支出合计"),
        *(SameFact(Cell("T4", f"fiscal_expenditure:{code}", fund, "支出"), Cell(tid, f"code:{code}", "fund:total"),
                   f"财政拨款收入支出决算总表（{name}）与{name}财政拨款表：{class_label(code)}")
          for code, _ in CLASS_ROWS),
    )
)

T5_T6 = (
    FixedSum(Cell("T5", "合计", "fund:basic"),
             ((1, Cell("T6", "人员经费合计", "econ")), (1, Cell("T6", "公用经费合计", "econ"))),
             "一般公共预算财政拨款支出决算表基本支出 = 基本支出明细表人员经费合计 + 公用经费合计"),
)


# 三公 决算 items vs the T6 economic items that record the basic-spending part of them.
THREE_PUBLIC_ITEMS = (
    ("abroad", "30212", "因公出国（境）费"),
    ("reception", "30217", "公务接待费"),
    ("vehicle_operation", "30231", "公务用车运行维护费"),
    ("vehicle_purchase", "31013", "公务用车购置费"),
)


T3_COVERS_T5_COLUMNS = (("exp:total", "fund:total", "合计"), ("exp:basic", "fund:basic", "基本支出"),
               ("exp:project", "fund:project", "项目支出"))



# the cell declarations of JS104, JS105, JS107 and JS201–JS206 name many of the same cells (the
# totals of T1 and T4 above all): the rules read them together, in one pass per check
READ_TOGETHER = (T1_IDENTITIES, T4_IDENTITIES, T9_IDENTITIES, T1_T2, T1_T3, T4_INCOME, T4_T5, T4_T7_T8, T5_T6)

# the identities within a row (T2, T3, T4 支出, T5, T7, T8, T9), by (table, side): parsing scores readings with them
ROW_IDENTITIES = row_identities(ROW_TOTALS + T9_IDENTITIES)

# the same facts of T4's fund columns in the fund tables: parsing decides tied readings of T4 by them
FUND_TABLE_FACTS = T4_T5 + T4_T7_T8 + T4_INCOME + T10_FACTS
