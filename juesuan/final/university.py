"""The 教育部直属高校 (universities under the Ministry of Education) 决算 layout, declared as data.

Universities publish four tables instead of the national nine:

* 高等学校收支决算总表 — two-sided like the national 收入支出决算总表 (T1), but its income side
  has one 财政拨款收入 row (with 其中：政府性基金预算财政拨款 under it), a 其中：捐赠收入 row
  under 其他收入, 上年结转和结余 and a 合计 (not 总计) on each side, and no 行次;
* 高等学校收入决算表 — the national 收入决算表 (T2) with 事业收入 split into 金额 and
  其中：教育收费;
* 高等学校支出决算表 — the national 支出决算表 (T3), its total column headed 合计;
* 高等学校财政拨款支出决算表 — 合计, 基本支出 and 项目支出 (小计, 其中：基本建设资金支出) by
  功能分类: the university's counterpart of the national 一般公共预算财政拨款支出决算表, so it
  keeps that table's id (T5) and column keys.

The ids keep their national meaning (T1, T2, T3, T5) and the rows and columns their keys, so
every national identity whose cells these tables have is checked on them as it stands; those
naming a cell the university tables do not have (the national income side's three fund rows,
the tables T4 and T6–T9) do not apply. :data:`IDENTITIES` and :data:`ACROSS` are the ones only
this layout has; :mod:`juesuan.final.identities` lists them with the national ones of the same
rules. Titles and column orders vary a little by year and school: the parser reads the
headers, never a fixed position.
"""

from __future__ import annotations

from dataclasses import replace

from ..tables.identity import AtLeast, Cell, FixedSum, SameFact
from ..tables.layout import Column, FixedRow, Side, TableLayout, Variant

__all__ = ["NAME", "university_variant", "IDENTITIES", "ACROSS", "SECTIONS"]

NAME = "university"

# --- 高等学校收支决算总表 (T1) --------------------------------------------------------------
_INCOME: tuple[tuple[str, str], ...] = (
    ("income:fiscal", "一、财政拨款收入"),
    ("income:gov_fund", "其中：政府性基金预算财政拨款"),
    ("income:superior", "二、上级补助收入"),
    ("income:business", "三、事业收入"),
    ("income:operating", "四、经营收入"),
    ("income:affiliated", "五、附属单位上缴收入"),
    ("income:other", "六、其他收入"),
    ("income:donation", "其中：捐赠收入"),
)
_INCOME_TAIL: tuple[tuple[str, str], ...] = (
    ("income:total", "本年收入合计"),
    ("balance:use_of_nonfiscal_balance", "使用非财政拨款结余（含专用结余）"),
    ("balance:opening", "上年结转和结余"),
)
_EXPENDITURE_TAIL: tuple[tuple[str, str], ...] = (
    ("expenditure:total", "本年支出合计"),
    ("balance:distribution", "结余分配"),
    ("balance:closing", "年末结转和结余"),
)
_GAP = 2          # blank rows printed between the balances and the 合计 row


def _t1(national: TableLayout) -> TableLayout:
    """The 收支决算总表: the national 总表's 26 类 rows on the expenditure side (the same
    template), the university's income rows; rows numbered in print order (no 行次 printed)."""
    classes = tuple(fr for fr in national.sides[1].rows if fr.code)
    n = len(classes)
    income = [FixedRow(k, label, i + 1) for i, (k, label) in enumerate(_INCOME)]
    income += [FixedRow("", "", i) for i in range(len(income) + 1, n + 1)]
    income += [FixedRow(k, label, n + 1 + i) for i, (k, label) in enumerate(_INCOME_TAIL)]
    last = n + len(_INCOME_TAIL)
    income += [FixedRow("", "", last + 1 + i) for i in range(_GAP)]
    income.append(FixedRow("grand_total:income", "合计", last + _GAP + 1))
    e0 = last + _GAP + 2
    expenditure = [replace(fr, line=e0 + i) for i, fr in enumerate(classes)]
    expenditure += [FixedRow(k, label, e0 + n + i) for i, (k, label) in enumerate(_EXPENDITURE_TAIL)]
    e1 = e0 + n + len(_EXPENDITURE_TAIL)
    expenditure += [FixedRow("", "", e1 + i) for i in range(_GAP)]
    expenditure.append(FixedRow("grand_total:expenditure", "合计", e1 + _GAP))
    return TableLayout(
        id="T1", title="高等学校收支决算总表", aliases=("高等学校收支决算总表",), kind="two_sided",
        sides=(Side("收入", (Column("value", "决算数", 1, aliases=("金额",)),), tuple(income)),
               Side("支出", (Column("value", "决算数", 2, aliases=("金额",)),), tuple(expenditure))),
        note="本表反映学校本年度的总收支和年末结转结余情况。",
        show_line_numbers=False,
    )


# --- 高等学校收入决算表 (T2) ----------------------------------------------------------------
_T2 = TableLayout(
    id="T2", title="高等学校收入决算表", aliases=("高等学校收入决算表",), kind="function",
    columns=(
        Column("income:total", "本年收入合计", 1),
        Column("income:fiscal", "财政拨款收入", 2),
        Column("income:superior", "上级补助收入", 3),
        Column("income:business", "事业收入/金额", 4, "事业收入", ("事业收入",)),
        Column("income:business_tuition", "事业收入/其中：教育收费", 5, "事业收入", ("其中：教育收费", "教育收费")),
        Column("income:operating", "经营收入", 6),
        Column("income:affiliated", "附属单位上缴收入", 7),
        Column("income:other", "其他收入", 8),
    ),
    note="本表反映学校本年度取得的各项收入情况。",
    show_line_numbers=False,
)

# --- 高等学校支出决算表 (T3) ----------------------------------------------------------------
_T3 = TableLayout(
    id="T3", title="高等学校支出决算表", aliases=("高等学校支出决算表",), kind="function",
    columns=(
        Column("exp:total", "合计", 1, aliases=("本年支出合计",)),
        Column("exp:basic", "基本支出", 2),
        Column("exp:project", "项目支出", 3),
        Column("exp:to_superior", "上缴上级支出", 4),
        Column("exp:operating", "经营支出", 5),
        Column("exp:to_affiliated", "对附属单位补助支出", 6),
    ),
    note="本表反映学校本年度各项支出情况。",
    show_line_numbers=False,
)

# --- 高等学校财政拨款支出决算表 (T5) ---------------------------------------------------------
_T5 = TableLayout(
    id="T5", title="高等学校财政拨款支出决算表", aliases=("高等学校财政拨款支出决算表",), kind="function",
    fund="general",
    columns=(
        Column("fund:total", "合计", 1, "本年支出", ("小计",)),
        Column("fund:basic", "基本支出", 2, "本年支出"),
        Column("fund:project", "项目支出/小计", 3, "项目支出", ("项目支出",)),
        Column("fund:capital_construction", "项目支出/其中：基本建设资金支出", 4, "项目支出",
               ("其中：基本建设资金支出", "基本建设资金支出")),
    ),
    note="本表反映学校本年度财政拨款支出情况。",
)

_ORDER = ("T1", "T2", "T3", "T5")


def university_variant(national: dict[str, TableLayout]) -> Variant:
    """The university layout; ``national``: the national layouts by id (it shares the 总表's 类 rows)."""
    return Variant(NAME, _ORDER, {"T1": _t1(national["T1"]), "T2": _T2, "T3": _T3, "T5": _T5},
                   label="教育部直属高校表式（四张表）")


# --- identities only this layout has ----------------------------------------------------------
def _t1c(row: str, side: str) -> Cell:
    return Cell("T1", row, "value", side)


# Within the 总表: 本年收入合计 = 财政拨款收入 + the other five sources (the 其中 rows are parts of
# the rows above them, not added); a 其中 row is at most its row. (The national 总表's other
# identities — 本年支出合计 = Σ类, 合计 = 本年合计 + 结余, 收入合计 = 支出合计 — hold as declared.)
IDENTITIES = (
    FixedSum(_t1c("income:total", "收入"),
             tuple((1, _t1c(k, "收入")) for k in ("income:fiscal", "income:superior", "income:business",
                                                 "income:operating", "income:affiliated", "income:other")),
             "高等学校收支决算总表：本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 + "
             "附属单位上缴收入 + 其他收入"),
    AtLeast(_t1c("income:fiscal", "收入"), _t1c("income:gov_fund", "收入"),
            "高等学校收支决算总表：财政拨款收入不应小于其中的政府性基金预算财政拨款"),
    AtLeast(_t1c("income:other", "收入"), _t1c("income:donation", "收入"),
            "高等学校收支决算总表：其他收入不应小于其中的捐赠收入"),
)

# Across tables: the 总表's one 财政拨款收入 row is the 收入决算表's 财政拨款收入 合计. (The 总表's
# other income rows, 本年收入合计, 类 rows and 本年支出合计 against the 收入/支出决算表, and
# 支出决算表 ≥ 财政拨款支出决算表, are the national declarations.)
ACROSS = (
    SameFact(_t1c("income:fiscal", "收入"), Cell("T2", "合计", "income:fiscal"),
             "高等学校收支决算总表与收入决算表：财政拨款收入"),
)

# 决算报表说明: one explanation per table (what the university template prescribes, instead of the
# national 情况说明's thirteen sections), found by the words of its title
SECTIONS: tuple[tuple[str, str], ...] = (
    ("T1", "收支决算总表"), ("T2", "收入决算表"), ("T3", "支出决算表"), ("T5", "财政拨款支出决算表"),
)
