"""The 预算's tables, declared once as data: the national set and the layouts in use.

Table ids Y1…Y24 keep their meaning in every layout (a ``Variant``: the national one, Beijing's
预算01–13表, Guangdong's twelve, Jiangsu 2019's twelve, Shenzhen's eleven, Xi'an's 部门综合预算,
the 教育部直属高校'); the README beside this module says what each sample prints. How a table
is read follows its ``kind`` (:mod:`juesuan.parse.tabular`):

* ``two_sided`` — 收支总表 and 财政拨款收支总表: fixed rows found by their labels (the income
  rows of every region, with their aliases; the 功能分类 类 on the expenditure side);
* ``function`` — tables by 功能分类 code (类/款/项), checked against the catalogue;
* ``listing`` — everything else: rows by their label (a code before it kept apart), the
  figures in the columns the layout declares or, where it declares none, the header's;
* ``form`` — the 绩效目标表: not tables of figures; each printed one is read as a form
  (:mod:`juesuan.budget.forms`: its amounts and its indicators).

A budget is built from data in the national layout (:mod:`juesuan.budget.build`): its tables are
``built=True`` there, its listings with the columns it prints (收入总表, 一般公共预算基本支出表,
项目支出表), and :data:`BUILT_ROWS` says which of the 收支总表's rows it prints. The other layouts'
tables are read from documents only (``built=False``).
"""

from __future__ import annotations

from dataclasses import replace

from ..tables.layout import Column, FixedRow, Side, TableLayout, Variant

__all__ = ["LAYOUTS", "NATIONAL_ORDER", "VARIANTS", "CLASS_ROWS", "PERSONNEL_CLASSES", "BUILT_ROWS",
           "WHEN_NOT_ZERO", "variant"]

# The 功能分类 类 of a budget's 收支总表 (2024–2026 templates; older ones print fewer, and
# 援助其他地区支出 and 债务发行费用支出 come and go). Printed with 一、二、… before them.
CLASS_ROWS: tuple[tuple[str, str], ...] = (
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
    ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"), ("209", "社会保险基金支出"), ("210", "卫生健康支出"), ("211", "节能环保支出"),
    ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
    ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"), ("224", "灾害防治及应急管理支出"),
    ("227", "预备费"), ("229", "其他支出"), ("230", "转移性支出"), ("231", "债务还本支出"), ("232", "债务付息支出"),
    ("233", "债务发行费用支出"), ("234", "抗疫特别国债安排的支出"),
)
# 一般公共预算基本支出表: the 经济分类 类 of 人员经费 (工资福利支出, 对个人和家庭的补助); the others are 公用经费
PERSONNEL_CLASSES = ("301", "303")
_CLASS_ALIASES = {
    "215": ("资源勘探信息等支出",),
    "207": ("文化体育与传媒支出", "文化旅游体育与传媒支"),
    "210": ("医疗卫生与计划生育支出",),
}


def _fr(key: str, label: str, *aliases: str) -> FixedRow:
    return FixedRow(key, label, None, aliases=aliases)


# --- Y1 收支总表 -----------------------------------------------------------------------------
# The income rows every region prints, under the names each prints them by (the 一、二、 before
# a label and a "1." or "(1)" are not part of it).
_Y1_INCOME = (
    _fr("income:fiscal", "财政拨款", "财政拨款收入", "预算拨款", "财政拨款（补助）", "财政拨款资金"),
    _fr("income:general", "一般公共预算拨款收入", "一般公共预算拨款", "一般公共预算", "一般公共预算资金",
        "1.一般公共预算拨款", "1.一般公共预算", "(1)一般公共预算拨款"),
    _fr("income:gov_fund", "政府性基金预算拨款收入", "政府性基金预算拨款", "政府性基金预算", "政府性基金拨款",
        "政府性基金预算资金", "2.政府性基金预算拨款", "2.政府性基金预算", "(2)政府性基金拨款"),
    _fr("income:state_capital", "国有资本经营预算拨款收入", "国有资本经营预算拨款", "国有资本经营预算",
        "国有资本经营预算收入", "国有资本经营预算资金", "3.国有资本经营预算拨款", "(3)国有资本经营预算收入"),
    _fr("income:special_account", "财政专户管理资金收入", "财政专户管理资金", "财政专户拨款", "财政专户拨款收入"),
    _fr("income:unit_funds", "单位资金", "其他资金"),
    _fr("income:business", "事业收入", "1.事业收入", "3、事业收入"),
    _fr("income:operating", "事业单位经营收入", "经营收入", "2.事业单位经营收入", "4、事业单位经营收入"),
    _fr("income:superior", "上级补助收入", "3.上级补助收入", "2、上级补助收入"),
    _fr("income:affiliated", "附属单位上缴收入", "4.附属单位上缴收入", "附属单位缴款"),
    _fr("income:other", "其他收入", "5.其他收入", "6、其他收入"),
    _fr("income:total", "本年收入合计", "当年收入小计"),
    _fr("balance:use_of_nonfiscal_balance", "使用非财政拨款结余", "用事业基金弥补收支差额"),
    _fr("balance:opening", "上年结转结余", "上年结转", "上年结余、结转", "上年结转资金", "上年结转和结余",
        "上年结转和结余资金"),
    _fr("balance:opening_fiscal", "财政拨款结余、结转", "1.财政拨款结余、结转", "其中：财政拨款资金结转"),
    _fr("balance:opening_nonfiscal", "非财政拨款结余、结转", "2.非财政拨款结余、结转", "非财政拨款资金结余"),
    _fr("balance:cash", "上年实户资金余额"),
    _fr("grand_total:income", "收入总计", "收入合计"),      # (Jiangsu 2019: 当年收入小计 … 收入合计)
)
_Y1_EXPENDITURE = (
    *(FixedRow(f"expenditure:{code}", name, None, code, _CLASS_ALIASES.get(code, ())) for code, name in CLASS_ROWS),
    _fr("expenditure:basic", "基本支出"),
    _fr("expenditure:project", "项目支出"),
    _fr("expenditure:reserve", "单位预留机动经费"),
    _fr("expenditure:to_affiliated", "对附属单位补助支出"),
    _fr("expenditure:to_superior", "上缴上级支出"),
    _fr("expenditure:operating", "事业单位经营支出"),
    _fr("expenditure:total", "本年支出合计", "当年支出小计"),
    _fr("balance:closing", "年终结转结余", "结转下年", "结转结余下年", "结转下年资金", "年末结转和结余"),
    _fr("balance:unspent_cash", "未安排支出的实户资金"),
    _fr("grand_total:expenditure", "支出总计", "支出合计"),
)


def _numbered(rows: tuple[FixedRow, ...], first: int = 1) -> tuple[FixedRow, ...]:
    return tuple(replace(r, line=first + i) for i, r in enumerate(rows))


_AMOUNT = (Column("value", "预算数", aliases=("金额", "预算", "2026年预算数", "2025年预算数", "2024年预算数")),)
Y1 = TableLayout(
    id="Y1", title="收支总表",
    aliases=("收支总表", "收支预算总表", "收支总体情况表", "部门收支总表", "部门综合预算收支总表", "部门收支预算总表"),
    kind="two_sided",
    sides=(Side("收入", _AMOUNT, _numbered(_Y1_INCOME)),
           Side("支出", _AMOUNT, _numbered(_Y1_EXPENDITURE, len(_Y1_INCOME) + 1))),
    show_line_numbers=False, built=False, printed_rows_only=True,
    note="本表反映部门本年度预算的总收支情况。",
)

# --- Y4 财政拨款收支总表 ---------------------------------------------------------------------
_Y4_INCOME = (
    _fr("fiscal_income:general", "一般公共预算资金", "一般公共预算拨款", "一般公共预算", "一般公共预算拨款收入",
        "1、一般公共预算拨款", "(1)一般公共预算拨款"),
    _fr("fiscal_income:gov_fund", "政府性基金预算资金", "政府性基金预算拨款", "政府性基金预算", "政府性基金拨款",
        "2、政府性基金拨款"),
    _fr("fiscal_income:state_capital", "国有资本经营预算资金", "国有资本经营预算拨款", "国有资本经营预算",
        "国有资本经营预算收入"),
    _fr("fiscal_income:fiscal", "财政拨款"),
    _fr("fiscal_income:total", "本年收入合计"),
    _fr("fiscal_opening:total", "上年结转结余", "上年结转", "上年结余、结转", "上年结转资金"),
    _fr("fiscal_opening:general", "一般公共预算拨款结余、结转", "一般公共预算拨款"),
    _fr("fiscal_opening:gov_fund", "政府性基金预算拨款结余、结转", "政府性基金预算拨款"),
    _fr("fiscal_opening:state_capital", "国有资本经营预算拨款结余、结转", "国有资本经营预算拨款"),
    _fr("fiscal_grand_total:income", "收入总计", "收入合计"),
)
_Y4_EXPENDITURE = (
    *(FixedRow(f"fiscal_expenditure:{code}", name, None, code, _CLASS_ALIASES.get(code, ()))
      for code, name in CLASS_ROWS),
    _fr("fiscal_expenditure:basic", "基本支出"),
    _fr("fiscal_expenditure:project", "项目支出"),
    _fr("fiscal_expenditure:reserve", "单位预留机动经费"),
    _fr("fiscal_expenditure:total", "本年支出合计"),
    _fr("fiscal_closing", "年终结转结余", "结转下年", "结转结余下年", "结转下年资金"),
    _fr("fiscal_grand_total:expenditure", "支出总计", "支出合计"),
)
Y4 = TableLayout(
    id="Y4", title="财政拨款收支总表",
    aliases=("财政拨款收支总表", "财政拨款收支预算总表", "财政拨款收支总体情况表", "部门综合预算财政拨款收支总表"),
    kind="two_sided",
    sides=(Side("收入", _AMOUNT, _numbered(_Y4_INCOME)),
           Side("支出", _AMOUNT, _numbered(_Y4_EXPENDITURE, len(_Y4_INCOME) + 1))),
    show_line_numbers=False, built=False, printed_rows_only=True,
    note="本表反映部门本年度财政拨款预算的总收支情况。",
)

# --- tables by 功能分类 -----------------------------------------------------------------------
_BASIC_PROJECT = (
    Column("exp:total", "合计", aliases=("小计", "支出总计", "总计", "金额", "一般公共预算支出")),
    Column("exp:basic", "基本支出", aliases=("其中：基本支出",)),
    Column("exp:project", "项目支出"),
)
Y3 = TableLayout(
    id="Y3", title="支出总表",
    aliases=("支出总表", "支出预算表", "支出预算总表", "本年支出总体情况表", "部门支出总表", "部门综合预算支出总表"),
    kind="function", columns=_BASIC_PROJECT, show_line_numbers=False, built=False,
    note="本表反映部门本年度预算支出按功能分类的情况。",
)
Y5 = TableLayout(
    id="Y5", title="一般公共预算支出表",
    aliases=("一般公共预算支出表", "一般公共预算支出表（按功能分类）", "一般公共预算支出情况表（按功能分类科目）",
             "一般公共预算支出预算表（功能科目）", "一般公共预算支出预算表", "一般公共预算支出情况表"),
    kind="function", fund="general", columns=_BASIC_PROJECT, show_line_numbers=False, built=False,
    empty_sentence="本部门没有一般公共预算支出，故本表无数据。",
    note="本表反映部门本年度一般公共预算支出按功能分类的情况。",
)
Y8 = replace(
    Y5, id="Y8", title="政府性基金预算支出表",
    aliases=("政府性基金预算支出表", "政府性基金预算支出情况表", "政府性基金预算财政拨款支出预算表",
             "政府性基金预算支出预算表"),
    fund="gov_fund",
    empty_sentence="本部门没有使用政府性基金预算拨款安排的支出，故本表无数据。",
    note="本表反映部门本年度政府性基金预算支出情况。",
)
Y9 = replace(
    Y5, id="Y9", title="国有资本经营预算支出表",
    aliases=("国有资本经营预算支出表", "国有资本经营预算支出情况表", "国有资本经营预算财政拨款支出预算表"),
    fund="state_capital",
    empty_sentence="本部门没有使用国有资本经营预算拨款安排的支出，故本表无数据。",
    note="本表反映部门本年度国有资本经营预算支出情况。",
)
Y14 = replace(
    Y5, id="Y14", title="财政拨款支出预算表",
    aliases=("财政拨款支出预算表", "财政拨款支出预算表（功能科目）", "财政拨款支出表"), fund="fiscal",
    empty_sentence="", note="本表反映部门本年度财政拨款支出按功能分类的情况。",
)
Y22 = replace(
    Y5, id="Y22", title="一般公共预算基本支出表（按功能分类）",
    aliases=("一般公共预算基本支出表（按功能分类）",
             "部门综合预算一般公共预算基本支出明细表（按支出功能分类科目-不含上年结转）",
             "一般公共预算基本支出明细表（按支出功能分类科目-不含上年结转）"),
    empty_sentence="", note="本表反映部门本年度一般公共预算基本支出按功能分类的情况。",
)


def _listing(tid: str, title: str, *aliases: str, columns: tuple[Column, ...] = (), note: str = "",
             empty: str = "", kind: str = "listing") -> TableLayout:
    return TableLayout(id=tid, title=title, aliases=(title, *aliases), kind=kind, columns=columns,
                       show_line_numbers=False, built=False, note=note, empty_sentence=empty)


# --- listings ------------------------------------------------------------------------------
Y2 = _listing("Y2", "收入总表", "收入预算表", "收入预算总表", "收入总体情况表", "部门收入总表",
              "部门综合预算收入总表", note="本表反映部门本年度预算收入的构成。")
Y6 = _listing("Y6", "一般公共预算基本支出表",
              "一般公共预算基本支出表（按经济分类）", "一般公共预算基本支出情况表（按经济分类科目）",
              "一般公共预算基本支出预算表（经济科目）", "一般公共预算基本支出预算表",
              "部门综合预算一般公共预算基本支出明细表（支出经济分类科目-不含上年结转）",
              "一般公共预算基本支出明细表（支出经济分类科目-不含上年结转）",
              note="本表反映部门本年度一般公共预算基本支出按经济分类的情况。")
_3P_COLUMNS = (
    Column("3p:total", "合计", aliases=("“三公”经费财政拨款预算总额", "总计")),
    Column("3p:abroad", "因公出国（境）费"),
    Column("3p:vehicle", "公务用车购置及运行维护费"),
    Column("3p:vehicle_purchase", "公务用车购置费"),
    Column("3p:vehicle_operation", "公务用车运行维护费"),
    Column("3p:reception", "公务接待费"),
)
Y7 = _listing("Y7", "财政拨款“三公”经费支出表", "“三公”经费支出表", "一般公共预算“三公”经费支出表",
              "财政拨款三公经费支出表", "一般公共预算“三公”经费支出预算表",
              columns=_3P_COLUMNS, note="本表反映部门本年度财政拨款“三公”经费预算。",
              empty="本部门没有财政拨款“三公”经费预算，故本表无数据。")
Y10 = _listing("Y10", "项目支出表", "项目支出总表", "项目支出预算表", "部门预算项目支出及其他支出预算表",
               "部门综合预算专项业务经费支出表（不含上年结转）", "部门综合预算专项业务经费支出表",
               "专项业务经费支出表", note="本表反映部门本年度项目支出预算。")
Y11 = _listing("Y11", "项目支出绩效目标表", "项目绩效目标表", "部门专项业务经费绩效目标表",
               "专项业务经费绩效目标表", kind="form", note="本表反映部门本年度项目支出的绩效目标。")
Y12 = _listing("Y12", "政府采购预算表", "政府采购预算明细表", "政府采购支出预算表",
               "部门综合预算政府采购（资产配置、购买服务）预算表（不含上年结转）",
               "政府采购（资产配置、购买服务）预算表", note="本表反映部门本年度政府采购预算。")
Y13 = _listing("Y13", "财政拨款政府购买服务明细表", "政府购买服务预算表", "政府购买服务明细表",
               note="本表反映部门本年度财政拨款政府购买服务预算。")
Y15 = _listing("Y15", "部门整体支出绩效目标表", "部门整体绩效目标表", kind="form",
               note="本表反映部门本年度整体支出的绩效目标。")
Y16 = _listing("Y16", "一般公共预算项目支出情况表（按经济分类科目）", "一般公共预算项目支出表（按经济分类）",
               note="本表反映部门本年度一般公共预算项目支出按经济分类的情况。")
Y17 = _listing("Y17", "财政拨款安排的行政经费及“三公”经费预算表", "行政经费及“三公”经费预算表",
               columns=(Column("total", "合计"), Column("general", "一般公共预算"),
                        Column("gov_fund", "政府性基金预算"), Column("state_capital", "国有资本经营预算")),
               note="本表反映部门本年度财政拨款安排的行政经费和“三公”经费预算。")
Y18 = _listing("Y18", "基本支出总表", "部门预算基本支出预算表", note="本表反映部门本年度基本支出预算的资金来源。")
Y19 = _listing("Y19", "财政拨款基本支出预算表（经济科目）", "财政拨款基本支出预算表", "财政拨款基本支出表",
               note="本表反映部门本年度财政拨款基本支出按经济分类的情况。")
Y20 = _listing("Y20", "一般公共预算机关运行经费支出预算表", "机关运行经费支出预算表", "机关运行经费预算表",
               note="本表反映部门本年度一般公共预算安排的机关运行经费。")
Y21 = _listing("Y21", "一般公共预算支出表（按经济分类）",
               "部门综合预算一般公共预算支出明细表（按支出经济分类科目-不含上年结转）",
               "一般公共预算支出明细表（按支出经济分类科目-不含上年结转）",
               note="本表反映部门本年度一般公共预算支出按经济分类的情况。")
Y23 = _listing("Y23", "财政拨款上年结转资金支出表", "部门综合预算财政拨款上年结转资金支出表",
               note="本表反映部门本年度使用上年结转的财政拨款资金安排的支出。")
Y24 = _listing("Y24", "政府性基金收支表", "部门综合预算政府性基金收支表（不含上年结转）",
               "政府性基金收支表（不含上年结转）", note="本表反映部门本年度政府性基金预算收支。")
Y25 = _listing("Y25", "专项资金总体绩效目标表", kind="form", note="本表反映部门本年度专项资金的总体绩效目标。")
Y26 = _listing("Y26", "“三公”经费、会议费、培训费支出预算表",
               "一般公共预算“三公”经费、会议费、培训费支出预算表",
               "部门综合预算一般公共预算拨款“三公”经费、会议费、培训费表（不含上年结转）",
               "一般公共预算拨款“三公”经费及会议费、培训费支出预算表",
               columns=(Column("total", "合计"), *(replace(c, header=f"“三公”经费/{c.header}") for c in _3P_COLUMNS),
                        Column("meeting", "会议费"), Column("training", "培训费")),
               note="本表反映部门本年度“三公”经费、会议费和培训费预算。")

LAYOUTS: dict[str, TableLayout] = {t.id: t for t in (
    Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15, Y16, Y17, Y18, Y19, Y20, Y21, Y22, Y23,
    Y24, Y25, Y26)}
# the national set (财政部's 部门预算公开 template): 收支总表 … 三公, 政府性基金, 国有资本经营, 项目支出,
# 项目绩效目标
NATIONAL_ORDER = ("Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Y8", "Y9", "Y10", "Y11")

# --- regional layouts ----------------------------------------------------------------------
# Beijing (预算01表 … 预算13表): 支出总表 by 功能分类 × 政府/部门经济分类 (a listing), the 基本支出 table
# by both economic classifications, 政府采购, 政府购买服务 and the two 绩效目标 tables.
_BJ_Y3 = _listing("Y3", "支出总表", note=Y3.note)
# its 一般公共预算支出表 lists the 项 rows of each of its units in turn (a code printed once per unit,
# no 类 or 款 rows): a listing, every row kept
_BJ_Y5 = replace(Y5, kind="listing", columns=(
    Column("exp:total", "合计"), Column("exp:basic", "小计", group="基本支出"),
    Column("exp:personnel", "人员经费", group="基本支出"), Column("exp:public", "公用经费", group="基本支出"),
    Column("exp:project", "项目支出总数", group="项目支出"),
    Column("exp:project_net", "扣除基建项目后预算数", group="项目支出", aliases=("扣除基建项目后预算数",))))
_BJ_Y7 = replace(Y7, columns=(_3P_COLUMNS[0], _3P_COLUMNS[1], _3P_COLUMNS[5], *_3P_COLUMNS[2:5]))
_BEIJING = ("Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y8", "Y9", "Y7", "Y12", "Y13", "Y11", "Y15")

# Guangdong (广州市): twelve tables, the 三公 in a 行政经费及“三公”经费 table by fund
_GD_Y3 = replace(Y3, columns=(*_BASIC_PROJECT, Column("exp:operating", "事业单位经营支出"),
                              Column("exp:to_affiliated", "对附属单位补助支出"),
                              Column("exp:to_superior", "上缴上级支出")))
_GUANGDONG = ("Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y16", "Y17", "Y8", "Y9", "Y18", "Y10")

# Jiangsu 2019 (公开01表 … 公开12表)
_JS_Y3 = _listing("Y3", "支出预算总表", note=Y3.note)
# one column of amounts (no 基本支出 / 项目支出 columns: the row identities have nothing to hold)
_ONE = (Column("amount", "金额", aliases=("合计", "基本支出", "机关运行经费支出")),)
_JIANGSU = ("Y1", "Y2", "Y3", "Y4", "Y14", "Y19", "Y5", "Y6", "Y26", "Y8", "Y20", "Y12")

# Shenzhen: eleven tables, a 预算单位 column before the codes, 支出总表 with 政府采购 columns
_SZ_Y3 = replace(Y3, columns=(*_GD_Y3.columns[:3], Column("exp:operating", "事业单位经营支出"),
                              Column("exp:to_affiliated", "对附属单位补助支出"),
                              Column("exp:to_superior", "上缴上级支出"),
                              Column("procurement:total", "政府采购项目/小计"),
                              Column("procurement:sme", "政府采购项目/预留给中小企业"),
                              Column("procurement:micro", "政府采购项目/预留给小型、微型企业")))
# its 三公 table: a row for last year, this year and the change; each item by fund (18 columns, in
# the order printed). The 一般公共预算 columns hold the keys the 三公 identities add up.
_FUNDS = (("", "一般公共预算"), (":gov_fund", "政府性基金预算"), (":state_capital", "国有资本经营预算"))
_SZ_Y7 = replace(Y7, columns=tuple(
    Column(key + suffix, f"{item}/{fund}") for key, item in (
        ("3p:total", "总计"), ("3p:abroad", "因公出国(境)费"), ("3p:reception", "公务接待费"),
        ("3p:vehicle", "公务用车购置及运行维护费/小计"),
        ("3p:vehicle_purchase", "公务用车购置及运行维护费/公务用车购置费"),
        ("3p:vehicle_operation", "公务用车购置及运行维护费/公务用车运行维护费"))
    for suffix, fund in _FUNDS))
_SHENZHEN = ("Y1", "Y2", "Y3", "Y18", "Y10", "Y4", "Y5", "Y21", "Y7", "Y8", "Y9")

# Xi'an (陕西 部门综合预算, 表1–表16; amounts in 元). Its 收支总表 and 财政拨款收支总表 print four columns
# of rows: income, expenditure by 功能分类 类, by 部门预算支出经济分类 and by 政府预算支出经济分类, each
# opening with 一、部门预算 (or 一、财政拨款) and closing with 本年支出合计, 结转下年 and 支出总计.
_XA_DEPT_ECON = (
    _fr("dept_econ:budget", "部门预算", "财政拨款"),
    _fr("dept_econ:basic", "人员经费和公用经费支出", "1、人员经费和公用经费支出"),
    _fr("dept_econ:basic:301", "工资福利支出", "(1)工资福利支出"),
    _fr("dept_econ:basic:302", "商品和服务支出", "(2)商品和服务支出"),
    _fr("dept_econ:basic:303", "对个人和家庭的补助", "(3)对个人和家庭的补助"),
    _fr("dept_econ:basic:310", "资本性支出", "(4)资本性支出"),
    _fr("dept_econ:project", "专项业务经费支出", "2、专项业务经费支出"),
    _fr("dept_econ:project:301", "工资福利支出", "(1)工资福利支出"),
    _fr("dept_econ:project:302", "商品和服务支出", "(2)商品和服务支出"),
    _fr("dept_econ:project:303", "对个人和家庭补助", "(3)对个人和家庭补助"),
    _fr("dept_econ:project:307", "债务利息及费用支出", "(4)债务利息及费用支出"),
    _fr("dept_econ:project:309", "资本性支出(基本建设)", "(5)资本性支出(基本建设)"),
    _fr("dept_econ:project:310", "资本性支出", "(6)资本性支出"),
    _fr("dept_econ:project:311", "对企业补助(基本建设)", "(7)对企业补助(基本建设)"),
    _fr("dept_econ:project:312", "对企业补助", "(8)对企业补助"),
    _fr("dept_econ:project:313", "对社会保障基金补助", "(9)对社会保障基金补助"),
    _fr("dept_econ:project:399", "其他支出", "(10)其他支出"),
    _fr("dept_econ:to_superior", "上缴上级支出", "3、上缴上级支出"),
    _fr("dept_econ:operating", "事业单位经营支出", "4、事业单位经营支出"),
    _fr("dept_econ:to_affiliated", "对附属单位补助支出", "5、对附属单位补助支出"),
    _fr("dept_econ:total", "本年支出合计"),
    _fr("dept_econ:closing", "结转下年"),
    _fr("dept_econ:unspent_cash", "未安排支出的实户资金"),
    _fr("dept_econ:grand_total", "支出总计"),
)
_XA_GOV_ECON = (
    _fr("gov_econ:budget", "部门预算", "财政拨款"),
    *(_fr(f"gov_econ:{code}", name, f"{i + 1}、{name}") for i, (code, name) in enumerate((
        ("501", "机关工资福利支出"), ("502", "机关商品和服务支出"), ("503", "机关资本性支出（一）"),
        ("504", "机关资本性支出（二）"), ("505", "对事业单位经常性补助"), ("506", "对事业单位资本性补助"),
        ("507", "对企业补助"), ("508", "对企业资本性支出"), ("509", "对个人和家庭的补助"),
        ("510", "对社会保障基金补助"), ("511", "债务利息及费用支出"), ("512", "债务还本支出"),
        ("513", "转移性支出"), ("514", "预备费及预留"), ("599", "其他支出")))),
    _fr("gov_econ:total", "本年支出合计"),
    _fr("gov_econ:closing", "结转下年"),
    _fr("gov_econ:unspent_cash", "未安排支出的实户资金"),
    _fr("gov_econ:grand_total", "支出总计"),
)


def _four_sided(lay: TableLayout, budget_key: str) -> TableLayout:
    income, expenditure = lay.sides
    first = _fr(budget_key, "部门预算") if budget_key.startswith("income") else _fr(budget_key, "财政拨款")
    n = len(income.rows) + 1
    extra = (_fr(f"{budget_key.split(':')[0]}:fiscal_special", "其中：专项资金列入部门预算的项目"),
             _fr(f"{budget_key.split(':')[0]}:special_account_fees", "其中：纳入财政专户管理的收费"))
    sides = [replace(income, rows=_numbered((first, *income.rows, *extra)))]
    n += len(extra)
    for name, rows in (("支出", (_fr(budget_key.split(":")[0].replace("income", "expenditure") + ":budget",
                                     "部门预算", "财政拨款"), *expenditure.rows)),
                       ("支出（部门预算经济分类）", _XA_DEPT_ECON), ("支出（政府预算经济分类）", _XA_GOV_ECON)):
        sides.append(Side(name, _AMOUNT, _numbered(rows, n)))
        n += len(rows)
    return replace(lay, sides=tuple(sides))


_XA_Y1 = _four_sided(Y1, "income:budget")
_XA_Y4 = _four_sided(Y4, "fiscal_income:budget")
_XA_Y3 = _listing("Y3", "部门综合预算支出总表", note=Y3.note)
# its 一般公共预算支出明细表 splits the 基本支出 into 人员经费 and 公用经费: a table of its own (Y27)
Y27 = replace(Y5, id="Y27", title="一般公共预算支出明细表（按支出功能分类科目）",
              aliases=("部门综合预算一般公共预算支出明细表（按支出功能分类科目-不含上年结转）",
                       "一般公共预算支出明细表（按支出功能分类科目-不含上年结转）",
                       "一般公共预算支出明细表（按支出功能分类科目）"),
              columns=(Column("exp:total", "合计"), Column("exp:personnel", "人员经费支出"),
                       Column("exp:public", "公用经费支出"), Column("exp:project", "专项业务经费支出")))
LAYOUTS["Y27"] = Y27
# its 三公、会议费、培训费 table, by unit: last year's (2021年), this year's (2022年) and the change, nine
# figures each (27 columns, in the order printed); this year's hold the keys the identities add up
_XA_Y26 = replace(Y26, columns=tuple(
    Column(prefix + key, f"{year}/{item}")
    for prefix, year in (("prev:", "上年"), ("", "本年"), ("change:", "增减变化"))
    for key, item in (
        ("total", "合计"), ("3p:total", "“三公”经费/小计"), ("3p:abroad", "“三公”经费/因公出国（境）费用"),
        ("3p:reception", "“三公”经费/公务接待费"), ("3p:vehicle", "“三公”经费/公务用车购置及运行维护费/小计"),
        ("3p:vehicle_purchase", "“三公”经费/公务用车购置及运行维护费/公务用车购置费"),
        ("3p:vehicle_operation", "“三公”经费/公务用车购置及运行维护费/公务用车运行费"),
        ("meeting", "会议费"), ("training", "培训费"))))
_XA_Y22 = replace(Y22, columns=(Column("exp:total", "合计"), Column("exp:personnel", "人员经费支出"),
                                Column("exp:public", "公用经费支出")))
_XIAN = ("Y1", "Y2", "Y3", "Y4", "Y27", "Y21", "Y22", "Y6", "Y24", "Y10", "Y23", "Y12", "Y26", "Y11", "Y15", "Y25")

# 教育部直属高校: 收支预算总表, 收入预算表, 支出预算表, 财政拨款支出预算表 and the 项目绩效目标表
_UNIVERSITY = ("Y1", "Y2", "Y3", "Y14", "Y11")


# --- the national set as built from data ----------------------------------------------------------
# The rows of the two 收支总表 a budget built from data prints, by key, in order: "…:*" stands for the
# 功能分类 类 with figures; a row of WHEN_NOT_ZERO only when its figure is not zero.
BUILT_ROWS: dict[str, tuple[str, ...]] = {
    "Y1": ("income:general", "income:gov_fund", "income:state_capital", "income:special_account", "income:business",
           "income:operating", "income:superior", "income:affiliated", "income:other", "income:total",
           "balance:use_of_nonfiscal_balance", "balance:opening", "grand_total:income",
           "expenditure:*", "expenditure:total", "balance:closing", "grand_total:expenditure"),
    "Y4": ("fiscal_income:general", "fiscal_income:gov_fund", "fiscal_income:state_capital", "fiscal_income:total",
           "fiscal_opening:total", "fiscal_grand_total:income",
           "fiscal_expenditure:*", "fiscal_expenditure:total", "fiscal_closing", "fiscal_grand_total:expenditure"),
}
WHEN_NOT_ZERO = ("balance:use_of_nonfiscal_balance",)
_INCOME_COLUMNS = (
    Column("total", "合计"), Column("opening", "上年结转结余"),
    *(Column(k, f"本年收入/{h}", group="本年收入") for k, h in (
        ("general", "一般公共预算拨款"), ("gov_fund", "政府性基金预算拨款"), ("state_capital", "国有资本经营预算拨款"),
        ("special_account", "财政专户管理资金"), ("business", "事业收入"), ("operating", "事业单位经营收入"),
        ("superior", "上级补助收入"), ("affiliated", "附属单位上缴收入"), ("other", "其他收入"))),
    Column("use_of_nonfiscal_balance", "使用非财政拨款结余"),
)
_MONEY_COLUMNS = (
    Column("total", "合计"),
    *(Column(k, h) for k, h in (("general", "一般公共预算拨款"), ("gov_fund", "政府性基金预算拨款"),
                                ("state_capital", "国有资本经营预算拨款"), ("special_account", "财政专户管理资金"),
                                ("unit", "单位资金"))),
)
_NATIONAL_BUILT = {
    **{t: replace(LAYOUTS[t], built=True) for t in NATIONAL_ORDER},
    "Y2": replace(Y2, columns=_INCOME_COLUMNS, built=True),
    "Y6": replace(Y6, columns=(Column("total", "合计"), Column("personnel", "人员经费"), Column("public", "公用经费")),
                  built=True),
    "Y10": replace(Y10, columns=_MONEY_COLUMNS, built=True,
                   empty_sentence="本部门没有项目支出，故本表无数据。"),
}


def _variant(name: str, order: tuple[str, ...], label: str, replaced: dict[str, TableLayout] | None = None,
             **kw) -> Variant:
    lays = {t: LAYOUTS[t] for t in order}
    lays.update(replaced or {})
    return Variant(name, order, lays, label=label, **kw)


VARIANTS: dict[str, Variant] = {
    "national": _variant("national", NATIONAL_ORDER, "全国通用表式", _NATIONAL_BUILT, optional=("Y10", "Y11")),
    "beijing": _variant("beijing", _BEIJING, "北京市表式（预算01表–预算13表）",
                        {"Y3": _BJ_Y3, "Y5": _BJ_Y5, "Y7": _BJ_Y7}, numbering="预算{n:02d}表",
                        optional=("Y12", "Y13", "Y11", "Y15")),
    "guangdong": _variant("guangdong", _GUANGDONG, "广东省表式（十二张表）", {"Y3": _GD_Y3}, numbering="表{n}"),
    "jiangsu2019": _variant("jiangsu2019", _JIANGSU, "江苏省2019年表式（公开01表–公开12表）",
                            {"Y3": _JS_Y3, "Y14": replace(Y14, columns=_ONE), "Y5": replace(Y5, columns=_ONE),
                             "Y8": replace(Y8, columns=_ONE)},
                            numbering="公开{n:02d}表", years=(None, 2020)),
    "shenzhen": _variant("shenzhen", _SHENZHEN, "深圳市表式（十一张表）", {"Y3": _SZ_Y3, "Y7": _SZ_Y7},
                         numbering="表{n}"),
    "xian": _variant("xian", _XIAN, "陕西省部门综合预算表式（表1–表16）",
                     {"Y1": _XA_Y1, "Y3": _XA_Y3, "Y4": _XA_Y4, "Y27": Y27, "Y22": _XA_Y22, "Y26": _XA_Y26},
                     numbering="表{n}", optional=("Y23", "Y25", "Y11", "Y15")),
    "university": _variant("university", _UNIVERSITY, "教育部直属高校表式", optional=("Y11",)),
}


def variant(name: str = "national") -> Variant:
    try:
        return VARIANTS[name]
    except KeyError:
        raise ValueError(f"未知的预算表式：{name}（可选：{'、'.join(VARIANTS)}）") from None


assert all(t in LAYOUTS for v in VARIANTS.values() for t in v.order), "a variant names an undeclared table"
