"""The 预算's accounting identities, declared once as data (the types of :mod:`juesuan.tables.identity`).

Within a row: 合计 = 基本支出 + 项目支出 in the tables by 功能分类; the 三公 total = 因公出国（境）费 +
公务用车购置及运行维护费 + 公务接待费, and 公务用车购置及运行维护费 = 购置费 + 运行维护费. Parsing
chooses among readings of a row by them (:data:`ROW_IDENTITIES`); the budget's rules
(:mod:`juesuan.budget.rules`, YS1xx) check them and the rest (收支平衡, 合计 = Σ 类, 类 = Σ 款 …:
:data:`HIERARCHY`, :data:`TOTALS`, :data:`BALANCE`). Between tables (YS2xx,
:mod:`juesuan.budget.rules_between`): the same quantity printed by two tables (:class:`Agree` of two
:class:`Spot` — a cell found by its layout key or, in the listings, by its printed header), declared
per pair of tables (:data:`SUMMARY_FISCAL` … :data:`THREE_PUBLIC_ACROSS`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..tables.identity import Cell, ColumnSum, FixedSum, Hierarchy, row_identities
from .layouts import CLASS_ROWS

__all__ = ["FUNCTION_TABLES", "HIERARCHY", "TOTALS", "EXPENDITURE_ROWS", "THREE_PUBLIC", "THREE_PUBLIC_OTHER",
           "ROW_TOTALS", "BALANCE", "SUMMARY_TOTALS", "ROW_IDENTITIES", "Spot", "Agree", "SUMMARY_FISCAL",
           "SUMMARY_INCOME", "SUMMARY_EXPENDITURE", "FISCAL_TABLES", "GENERAL_BASIC", "PROJECTS", "FUNDS",
           "THREE_PUBLIC_ACROSS"]

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


# ---------------------------------------------------------------------------------------------
# between tables (YS2xx): the same quantity in two tables of one budget
#
# Listing tables name their columns by the headers a document prints (收入总表's
# "本年收入/一般公共预算资金", "部门预算/合计" …): a cell of theirs is found by a pattern on its
# header, and by a pattern on its row's label where a table lists its sources as rows (Jiangsu
# 2019's 收入预算总表). A cell that a document does not print makes its declaration not applicable.

@dataclass(frozen=True)
class Spot:
    """A cell of one budget table, however the layout prints it.

    ``row``: as :class:`~juesuan.tables.identity.Cell` (a layout key, ``code:…``, ``合计`` — the
    table's total row, or its one row when it prints only one — or None: its single data row);
    ``label``: else a pattern on the row's label (``{year}``: the budget's year). ``column``: a
    column key of the layout; ``header``: else a pattern on the printed header (the first header of
    the row that matches). ``optional``: a part that counts as 0 where the table does not print it.
    """
    table: str
    row: str | None = "合计"
    column: str = ""
    header: str = ""
    side: str | None = None
    label: str = ""
    optional: bool = False


@dataclass(frozen=True)
class Agree:
    """``a`` = Σ ``parts`` (one part: the same quantity in two places) — or, ``at_least``, a ≥ the
    part. ``unless``: cells whose printing a non-zero figure makes the identity not apply (a carry-over
    the tables count on one side only); ``requires``: cells the document must print for it to apply;
    ``alt``: other lists of parts ``a`` may equal instead (a table that may or may not count the
    carry-over): it holds when it holds with any of them; ``without``: cells the document must not print
    for it to apply (a carry-over by fund, where another declaration uses it)."""
    a: Spot
    parts: tuple[Spot, ...]
    what: str
    at_least: bool = False
    unless: tuple[Spot, ...] = ()
    requires: tuple[Spot, ...] = ()
    alt: tuple[tuple[Spot, ...], ...] = ()
    without: tuple[Spot, ...] = ()


def _y(tid: str, key: str, side: str) -> Spot:
    return Spot(tid, key, "value", side=side)


def _in(key: str) -> Spot:
    return _y("Y1", key, "收入")


def _out(key: str) -> Spot:
    return _y("Y1", key, "支出")


def _fin(key: str) -> Spot:
    return _y("Y4", key, "收入")


def _fout(key: str) -> Spot:
    return _y("Y4", key, "支出")


# a header of this year's income, not of the carry-over (上年结转结余/一般公共预算资金 is not one)
_NOW = (r"^(?!.*上年)(?!.*结转)"
        r"(?:本年收入/|部门预算/|财政拨款收入/|本年收入/财政拨款/|其他资金收入/|本年收入/单位资金/)?")

# 收支总表 = 财政拨款收支总表: the fiscal income by fund
SUMMARY_FISCAL = (
    Agree(_in("income:general"), (_fin("fiscal_income:general"),), "一般公共预算拨款收入：收支总表 = 财政拨款收支总表"),
    Agree(_in("income:gov_fund"), (_fin("fiscal_income:gov_fund"),),
          "政府性基金预算拨款收入：收支总表 = 财政拨款收支总表"),
    Agree(_in("income:state_capital"), (_fin("fiscal_income:state_capital"),),
          "国有资本经营预算拨款收入：收支总表 = 财政拨款收支总表"),
    Agree(_in("income:fiscal"), (_fin("fiscal_income:total"),),
          "财政拨款收入：收支总表 = 财政拨款收支总表本年收入合计"),
    Agree(_in("balance:opening_fiscal"), (_fin("fiscal_opening:total"),),
          "上年财政拨款结转结余：收支总表 = 财政拨款收支总表"),
    Agree(_out("expenditure:total"), (_fout("fiscal_expenditure:total"),),
          "本年支出合计：收支总表 ≥ 财政拨款收支总表", at_least=True),
    *(Agree(_out(f"expenditure:{code}"), (_fout(f"fiscal_expenditure:{code}"),),
            f"{name}：收支总表 ≥ 财政拨款收支总表（财政拨款是全部资金的一部分）", at_least=True)
      for code, name in CLASS_ROWS),
)

# 收支总表 = 收入总表: this year's income, each source, the carry-over, the total
_Y2 = "Y2"
SUMMARY_INCOME = (
    Agree(Spot(_Y2, header=r"^(?:本年收入合计|本年收入/小计|本年收入/合计)$"), (_in("income:total"),),
          "本年收入合计：收入总表 = 收支总表"),
    # (a 合计 that counts the carry-over where the table prints a carry-over column, or where there is none)
    Agree(Spot(_Y2, header=r"^(?:合计|收入总计|总计|部门预算/合计)$"), (_in("grand_total:income"),),
          "收入总计：收入总表 = 收支总表", unless=(_in("balance:use_of_nonfiscal_balance"),),
          requires=(Spot(_Y2, header=r"(?:^|/)(?:上年结转结余|上年结转|上年结余、结转)(?:/小计)?$"),)),
    Agree(Spot(_Y2, header=r"^(?:合计|收入总计|总计|部门预算/合计)$"), (_in("grand_total:income"),),
          "收入总计：收入总表 = 收支总表",
          unless=(_in("balance:use_of_nonfiscal_balance"), _in("balance:opening"), _in("balance:cash"))),
    Agree(Spot(_Y2, row=None, label=r"^收入总计$", header=r"^金额$"), (_in("grand_total:income"),),
          "收入总计：收入总表 = 收支总表", unless=(_in("balance:use_of_nonfiscal_balance"),)),
    Agree(Spot(_Y2, header=_NOW + r"一般公共预算(?:资金|拨款)?(?:/小计)?$"), (_in("income:general"),),
          "一般公共预算拨款收入：收入总表 = 收支总表"),
    Agree(Spot(_Y2, header=_NOW + r"政府性基金(?:预算)?(?:资金|拨款)?$"), (_in("income:gov_fund"),),
          "政府性基金预算拨款收入：收入总表 = 收支总表"),
    Agree(Spot(_Y2, header=_NOW + r"财政拨款(?:收入)?$"), (_in("income:fiscal"),), "财政拨款收入：收入总表 = 收支总表"),
    Agree(Spot(_Y2, header=_NOW + r"事业收入(?:/金额)?$"), (_in("income:business"),), "事业收入：收入总表 = 收支总表"),
    Agree(Spot(_Y2, header=_NOW + r"其他收入$"), (_in("income:other"),), "其他收入：收入总表 = 收支总表"),
    Agree(Spot(_Y2, header=_NOW + r"上级补助收入$"), (_in("income:superior"),), "上级补助收入：收入总表 = 收支总表"),
    Agree(Spot(_Y2, header=r"(?:^|/)(?:上年结转结余|上年结转|上年结余、结转)(?:/小计)?$"), (_in("balance:opening"),),
          "上年结转结余：收入总表 = 收支总表"),
)

# 收支总表 = 支出总表: this year's expenditure, basic and project, each 类
_Y3_TOTAL = r"^(?:合计|支出总计|部门预算/合计)$"
SUMMARY_EXPENDITURE = (
    Agree(Spot("Y3", column="exp:total"), (_out("expenditure:total"),), "本年支出合计：支出总表 = 收支总表"),
    # (a listing's 合计 may count the 结转下年 or the 实户资金 columns too: only where they are 0)
    Agree(Spot("Y3", header=_Y3_TOTAL), (_out("expenditure:total"),), "本年支出合计：支出总表 = 收支总表",
          unless=(_out("balance:closing"), _out("balance:unspent_cash"))),
    Agree(Spot("Y3", header=r"^基本支出$"), (_out("expenditure:basic"),), "基本支出：支出总表 = 收支总表"),
    Agree(Spot("Y3", header=r"^项目支出$"), (_out("expenditure:project"),), "项目支出：支出总表 = 收支总表"),
    Agree(Spot("Y3", header=r"^单位预留机动经费$"), (_out("expenditure:reserve"),),
          "单位预留机动经费：支出总表 = 收支总表"),
    *(Agree(Spot("Y3", f"code:{code}", "exp:total"), (_out(f"expenditure:{code}"),), f"{name}：支出总表 = 收支总表")
      for code, name in CLASS_ROWS),
)

# 财政拨款收支总表 = 财政拨款支出表 / 一般公共预算支出表 / 基本支出 tables
_NO_CARRY_OVER = (_fin("fiscal_opening:total"), _fin("fiscal_opening:general"), _in("balance:opening_fiscal"))
# a 年终结转结余 the 财政拨款收支总表 prints (one row, not by fund): what the 一般公共预算 spends is then not known
# from its income and carry-over alone
_CLOSING = (_fout("fiscal_closing"),)
FISCAL_TABLES = (
    Agree(Spot("Y14", column="exp:total"), (_fout("fiscal_expenditure:total"),),
          "本年支出合计：财政拨款支出表 = 财政拨款收支总表"),
    Agree(Spot("Y14", column="amount"), (_fout("fiscal_expenditure:total"),),
          "本年支出合计：财政拨款支出表 = 财政拨款收支总表"),
    *(Agree(Spot("Y14", f"code:{code}", "exp:total"), (_fout(f"fiscal_expenditure:{code}"),),
            f"{name}：财政拨款支出表 = 财政拨款收支总表") for code, name in CLASS_ROWS),
    *(Agree(Spot(t, column=c), (_fin("fiscal_income:general"),),
            "一般公共预算支出表合计 = 财政拨款收支总表一般公共预算拨款收入（无上年结转时）",
            unless=_NO_CARRY_OVER + _CLOSING)
      for t, c in (("Y5", "exp:total"), ("Y5", "amount"), ("Y27", "exp:total"))),
    # with a carry-over printed: the table counts it, or (this year's only) does not
    *(Agree(Spot(t, column=c), (_fin("fiscal_income:general"), _fin("fiscal_opening:general")),
            "一般公共预算支出表合计 = 财政拨款收支总表一般公共预算拨款收入（+ 上年结转）",
            alt=((_fin("fiscal_income:general"),),), requires=(_fin("fiscal_opening:general"),), unless=_CLOSING)
      for t, c in (("Y5", "exp:total"), ("Y5", "amount"), ("Y27", "exp:total"))),
    # a summary that prints the carry-over in one row, not by fund (a built budget's): all of it, or none
    *(Agree(Spot(t, column=c), (_fin("fiscal_income:general"), _fin("fiscal_opening:total")),
            "一般公共预算支出表合计 = 财政拨款收支总表一般公共预算拨款收入（+ 上年结转）",
            alt=((_fin("fiscal_income:general"),),), requires=(_fin("fiscal_opening:total"),),
            without=(_fin("fiscal_opening:general"),), unless=_CLOSING)
      for t, c in (("Y5", "exp:total"), ("Y5", "amount"), ("Y27", "exp:total"))),
    *(Agree(_fout(f"fiscal_expenditure:{code}"), (Spot("Y5", f"code:{code}", "exp:total"),),
            f"{name}：财政拨款收支总表 ≥ 一般公共预算支出表", at_least=True) for code, name in CLASS_ROWS),
    Agree(Spot("Y19", header=r"^(?:合计|金额|基本支出)$"), (_fout("fiscal_expenditure:basic"),),
          "基本支出：财政拨款基本支出表 = 财政拨款收支总表"),
)

# 一般公共预算支出表 = 一般公共预算基本支出表 (经济分类) = 基本支出明细表 (功能分类)
_FIRST = r"^(?:合计|预算数/合计|基本支出|金额|第1列|总计)$"
GENERAL_BASIC = (
    Agree(Spot("Y6", header=_FIRST), (Spot("Y5", column="exp:basic"),),
          "基本支出：一般公共预算基本支出表 = 一般公共预算支出表"),
    Agree(Spot("Y6", header=_FIRST), (Spot("Y22", column="exp:total"),),
          "基本支出：一般公共预算基本支出表（经济分类）= 基本支出明细表（功能分类）"),
    Agree(Spot("Y22", column="exp:personnel"), (Spot("Y27", column="exp:personnel"),),
          "人员经费：基本支出明细表 = 一般公共预算支出明细表"),
    Agree(Spot("Y22", column="exp:public"), (Spot("Y27", column="exp:public"),),
          "公用经费：基本支出明细表 = 一般公共预算支出明细表"),
    Agree(Spot("Y21", header=r"^(?:合计|支出总计|第1列)$"), (Spot("Y5", column="exp:total"),),
          "一般公共预算支出：按经济分类 = 按功能分类"),
    Agree(Spot("Y21", header=r"^(?:合计|支出总计|第1列)$"), (Spot("Y27", column="exp:total"),),
          "一般公共预算支出：按经济分类 = 按功能分类"),
    Agree(Spot("Y16", header=_FIRST), (Spot("Y5", column="exp:project"),),
          "项目支出：一般公共预算项目支出表（经济分类）= 一般公共预算支出表"),
)

# 项目支出表, 基本支出总表 = 支出总表
_Y10_TOTAL = r"^(?:总计|合计|项目金额|支出项目类别/总计|金额)$"
PROJECTS = (
    Agree(Spot("Y10", header=_Y10_TOTAL),
          (Spot("Y3", column="exp:project"), Spot("Y3", column="exp:operating", optional=True),
           Spot("Y3", column="exp:to_affiliated", optional=True), Spot("Y3", column="exp:to_superior", optional=True)),
          "项目支出：项目支出表合计 = 支出总表项目支出（及广东省表式的其他支出）"),
    Agree(Spot("Y10", header=_Y10_TOTAL), (Spot("Y27", column="exp:project"),),
          "专项业务经费：项目支出表合计 = 一般公共预算支出明细表"),
    Agree(Spot("Y18", header=r"^(?:总计|合计)$"), (Spot("Y3", column="exp:basic"),),
          "基本支出：基本支出总表 = 支出总表"),
)

# 政府性基金 / 国有资本经营预算支出表 = 财政拨款收支总表's income of the fund (with its carry-over)
FUNDS = tuple(
    Agree(Spot(t, column=c), (_fin(f"fiscal_income:{fund}"), replace(_fin(f"fiscal_opening:{fund}"), optional=True)),
          f"{name}预算支出表合计 = 财政拨款收支总表{name}预算拨款收入（+ 上年结转）",
          alt=((_fin(f"fiscal_income:{fund}"),),))
    for t, fund, name in (("Y8", "gov_fund", "政府性基金"), ("Y9", "state_capital", "国有资本经营"))
    for c in ("exp:total", "amount")) + tuple(
    # against the 收支总表's income of the fund, where nothing is carried over (it prints no carry-over by fund)
    Agree(Spot(t, column=c), (_in(f"income:{fund}"),), f"{name}预算支出表合计 = 收支总表{name}预算拨款收入",
          unless=(_in("balance:opening"), _in("balance:opening_fiscal"), _fin("fiscal_opening:total")))
    for t, fund, name in (("Y8", "gov_fund", "政府性基金"), ("Y9", "state_capital", "国有资本经营"))
    for c in ("exp:total", "amount"))

# the 三公 in the 三公 table, Guangdong's 行政经费及“三公”经费预算表 and the 三公、会议费、培训费表
_3P_ITEMS = (("3p:total", "“三公”经费", "“三公”经费合计"), ("3p:abroad", "因公出国", "因公出国（境）费"),
             ("3p:vehicle", "公务用车购置及运行维护", "公务用车购置及运行维护费"),
             ("3p:vehicle_purchase", "公务用车购置费", "公务用车购置费"),
             ("3p:vehicle_operation", "公务用车运行(?:维护)?费", "公务用车运行维护费"),
             ("3p:reception", "公务接待", "公务接待费"))


def _y17(pattern: str, column: str) -> Spot:
    # its rows: "“三公”经费", "其中：（一）因公出国（境）支出", "（二）公务用车购置及运行维护支出", "1.公务用车购置费" …
    return Spot("Y17", row=None, label=rf"^(?:其中：)?(?:[（(][一二三][）)])?(?:\d\.)?{pattern}", column=column)


THREE_PUBLIC_ACROSS = (
    *(Agree(Spot("Y7", None, key), (_y17(pat, "total"),), f"{name}：“三公”经费支出表 = 行政经费及“三公”经费预算表")
      for key, pat, name in _3P_ITEMS),
    *(Agree(Spot("Y26", None, key), (_y17(pat, "general"),),
            f"{name}：“三公”经费、会议费、培训费表 = 行政经费及“三公”经费预算表（一般公共预算）")
      for key, pat, name in _3P_ITEMS),
    *(Agree(Spot("Y7", None, key), (Spot("Y26", None, key),),
            f"{name}：财政拨款“三公”经费支出表 ≥ 一般公共预算“三公”经费、会议费、培训费表", at_least=True)
      for key, _, name in _3P_ITEMS),
)
