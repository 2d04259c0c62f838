"""The 决算's tables, declared once as data: the national nine and the layouts in use.

Table ids T1…T9 are the national (2023) order of the reference document. A ``Variant`` is
a layout of the whole set as a region or a period prints it (:data:`VARIANTS`): Shanghai
re-orders, re-names and re-columns the nine; central ministries number them 公开01表 …;
Beijing adds four tables (T10–T13), Sichuan two (T14, T15, in the 附表 after the
narrative), Shaanxi's 三公 table adds 会议费 and 培训费, and before 2021 there were eight
(no 国有资本经营 table, the 三公 table seventh). The ids keep their meaning in every
variant. Tables the data model has no figures for (``built=False``: T11–T15) are read
from documents and kept as printed, never made up when building; a variant lists them
as ``optional``. Building, parsing (which decides a document's variant by its titles,
their numbers and order) and checking (which tables and sections a document must have)
read these declarations. The types are :mod:`juesuan.tables.layout`'s.
"""

from __future__ import annotations

from dataclasses import replace

from ..tables.layout import Column, FixedRow, Heading, Outline, Side, TableLayout, Variant
from ..zh import cn_number, cn_to_int
from .university import university_variant

__all__ = ["CLASS_ROWS", "LAYOUTS", "NATIONAL_ORDER", "NATIONAL_OUTLINE", "SHANGHAI_OUTLINE", "VARIANTS",
           "layout", "variant", "required_tables", "outline", "section_place", "T6_BLOCKS", "T6_TEMPLATE_ROWS",
           "Column", "FixedRow", "Heading", "Outline", "Side", "TableLayout", "Variant"]


# The 26 功能分类 类 rows of 收入支出决算总表 and 财政拨款收入支出决算总表 (2023 and 2024 templates).
CLASS_ROWS: tuple[tuple[str, str], ...] = (
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
    ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"), ("210", "卫生健康支出"), ("211", "节能环保支出"),
    ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
    ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"), ("224", "灾害防治及应急管理支出"),
    ("229", "其他支出"), ("231", "债务还本支出"), ("232", "债务付息支出"),
    ("234", "抗疫特别国债安排的支出"),
)



def _class_rows(first_line: int, key_prefix: str) -> tuple[FixedRow, ...]:
    return tuple(FixedRow(f"{key_prefix}:{code}", f"{cn_number(i + 1)}、{name}", first_line + i, code)
                 for i, (code, name) in enumerate(CLASS_ROWS))


def _fillers(first: int, last: int) -> tuple[FixedRow, ...]:
    return tuple(FixedRow("", "", n) for n in range(first, last + 1))


_N = len(CLASS_ROWS)  # 26

# --- T1 收入支出决算总表 -------------------------------------------------------------
_T1_INCOME = (
    FixedRow("income:general", "一、一般公共预算财政拨款收入", 1),
    FixedRow("income:gov_fund", "二、政府性基金预算财政拨款收入", 2),
    FixedRow("income:state_capital", "三、国有资本经营预算财政拨款收入", 3),
    FixedRow("income:superior", "四、上级补助收入", 4),
    FixedRow("income:business", "五、事业收入", 5),
    FixedRow("income:operating", "六、经营收入", 6),
    FixedRow("income:affiliated", "七、附属单位上缴收入", 7),
    FixedRow("income:other", "八、其他收入", 8),
    *_fillers(9, _N),
    FixedRow("income:total", "本年收入合计", _N + 1),
    FixedRow("balance:use_of_nonfiscal_balance", "使用非财政拨款结余", _N + 2),
    FixedRow("balance:opening", "年初结转和结余", _N + 3),
    *_fillers(_N + 4, _N + 4),
    FixedRow("grand_total:income", "总计", _N + 5),
)
_E0 = _N + 6  # first 行次 of the expenditure side (32)
_T1_EXPENDITURE = (
    *_class_rows(_E0, "expenditure"),
    FixedRow("expenditure:total", "本年支出合计", _E0 + _N),
    FixedRow("balance:distribution", "结余分配", _E0 + _N + 1),
    FixedRow("balance:closing", "年末结转和结余", _E0 + _N + 2),
    *_fillers(_E0 + _N + 3, _E0 + _N + 3),
    FixedRow("grand_total:expenditure", "总计", _E0 + _N + 4),
)

T1 = TableLayout(
    id="T1", title="收入支出决算总表", aliases=("收入支出决算总表",), kind="two_sided",
    sides=(
        Side("收入", (Column("value", "决算数", 1, aliases=("金额",)),), _T1_INCOME),
        Side("支出", (Column("value", "决算数", 2, aliases=("金额",)),), _T1_EXPENDITURE),
    ),
    note="本表反映部门本年度的总收支和年末结转结余情况。",
)

# --- T4 财政拨款收入支出决算总表 ----------------------------------------------------
_T4_INCOME = (
    FixedRow("fiscal_income:general", "一、一般公共预算财政拨款", 1),
    FixedRow("fiscal_income:gov_fund", "二、政府性基金预算财政拨款", 2),
    FixedRow("fiscal_income:state_capital", "三、国有资本经营预算财政拨款", 3),
    *_fillers(4, _N),
    FixedRow("fiscal_income:total", "本年收入合计", _N + 1),
    FixedRow("fiscal_opening:total", "年初财政拨款结转和结余", _N + 2),
    FixedRow("fiscal_opening:general", "一般公共预算财政拨款", _N + 3),
    FixedRow("fiscal_opening:gov_fund", "政府性基金预算财政拨款", _N + 4),
    FixedRow("fiscal_opening:state_capital", "国有资本经营预算财政拨款", _N + 5),
    FixedRow("fiscal_grand_total:income", "总计", _N + 6),
)
_F0 = _N + 7  # 33
_T4_EXPENDITURE = (
    *_class_rows(_F0, "fiscal_expenditure"),
    FixedRow("fiscal_expenditure:total", "本年支出合计", _F0 + _N),
    FixedRow("fiscal_closing", "年末财政拨款结转和结余", _F0 + _N + 1),
    *_fillers(_F0 + _N + 2, _F0 + _N + 4),
    FixedRow("fiscal_grand_total:expenditure", "总计", _F0 + _N + 5),
)
_FUND_COLS = (
    Column("fiscal", "合计", 2, "决算数"),
    Column("general", "一般公共预算财政拨款", 3, "决算数", ("一般公共预算",)),
    Column("gov_fund", "政府性基金预算财政拨款", 4, "决算数", ("政府性基金预算",)),
    Column("state_capital", "国有资本经营预算财政拨款", 5, "决算数", ("国有资本经营预算",)),
)
T4 = TableLayout(
    id="T4", title="财政拨款收入支出决算总表", aliases=("财政拨款收入支出决算总表",), kind="two_sided",
    sides=(
        Side("收入", (Column("value", "决算数", 1),), _T4_INCOME),
        Side("支出", _FUND_COLS, _T4_EXPENDITURE),
    ),
    note="本表反映部门本年度财政拨款总收支和年末结转结余情况。",
)

# --- function-classified tables -------------------------------------------------------
T2 = TableLayout(
    id="T2", title="收入决算表", aliases=("收入决算表",), kind="function",
    columns=(
        Column("income:total", "本年收入合计", 1),
        Column("income:fiscal", "财政拨款收入", 2),
        Column("income:superior", "上级补助收入", 3),
        Column("income:business", "事业收入", 4),
        Column("income:operating", "经营收入", 5),
        Column("income:affiliated", "附属单位上缴收入", 6),
        Column("income:other", "其他收入", 7),
    ),
    note="本表反映部门本年度取得的各项收入情况。",
)
T3 = TableLayout(
    id="T3", title="支出决算表", aliases=("支出决算表",), kind="function",
    columns=(
        Column("exp:total", "本年支出合计", 1),
        Column("exp:basic", "基本支出", 2),
        Column("exp:project", "项目支出", 3),
        Column("exp:to_superior", "上缴上级支出", 4),
        Column("exp:operating", "经营支出", 5),
        Column("exp:to_affiliated", "对附属单位补助支出", 6),
    ),
    note="本表反映部门本年度各项支出情况。",
)
T5 = TableLayout(
    id="T5", title="一般公共预算财政拨款支出决算表", aliases=("一般公共预算财政拨款支出决算表",),
    kind="function", fund="general",
    columns=(
        Column("fund:total", "小计", 1, "本年支出", ("合计",)),
        Column("fund:basic", "基本支出", 2, "本年支出"),
        Column("fund:project", "项目支出", 3, "本年支出"),
    ),
    note="本表反映部门本年度一般公共预算财政拨款支出情况。",
)
# T6 blocks: which 经济分类 类 are printed in which block, and the 款 rows printed even
# when zero (the national template's list).
T6_BLOCKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("人员经费", ("301", "303")),
    ("公用经费", ("302", "307", "309", "310", "399")),
)
T6_TEMPLATE_ROWS: tuple[str, ...] = (
    "301", "30101", "30102", "30103", "30106", "30107", "30108", "30109", "30110", "30111",
    "30112", "30113", "30114", "30199",
    "303", "30301", "30302", "30303", "30304", "30305", "30306", "30307", "30308", "30309",
    "30310", "30311", "30399",
    "302", "30201", "30202", "30203", "30204", "30205", "30206", "30207", "30208", "30209",
    "30211", "30212", "30213", "30214", "30215", "30216", "30217", "30218", "30224", "30225",
    "30226", "30227", "30228", "30229", "30231", "30239", "30240", "30299",
    "310", "31002", "31003", "31007", "31013", "31021", "31022", "31099",
)

T6 = TableLayout(
    id="T6", title="一般公共预算财政拨款基本支出决算明细表",
    aliases=("一般公共预算财政拨款基本支出决算明细表", "一般公共预算财政拨款基本支出决算表"),
    kind="economic",
    columns=(Column("econ", "决算数"),),
    note="本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    show_line_numbers=False,
    blocks=T6_BLOCKS,
    template_rows=T6_TEMPLATE_ROWS,
)
T7 = TableLayout(
    id="T7", title="政府性基金预算财政拨款收入支出决算表",
    aliases=("政府性基金预算财政拨款收入支出决算表",), kind="function", fund="gov_fund",
    columns=(
        Column("fund:opening", "年初结转和结余", 1),
        Column("fund:income", "本年收入", 2),
        Column("fund:total", "小计", 3, "本年支出", ("合计",)),
        Column("fund:basic", "基本支出", 4, "本年支出"),
        Column("fund:project", "项目支出", 5, "本年支出"),
        Column("fund:closing", "年末结转和结余", 6),
    ),
    empty_sentence="本部门没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。",
    note="本表反映部门本年度政府性基金预算财政拨款收入支出及结转和结余情况。",
)
T8 = TableLayout(
    id="T8", title="国有资本经营预算财政拨款支出决算表",
    aliases=("国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款收入支出决算表"),
    kind="function", fund="state_capital",
    columns=(
        Column("fund:total", "合计", 1, aliases=("小计",)),
        Column("fund:basic", "基本支出", 2),
        Column("fund:project", "项目支出", 3),
    ),
    empty_sentence="本部门没有国有资本经营收入，也没有使用国有资本经营安排的支出，故本表无数据。",
    note="本表反映部门本年度国有资本经营预算财政拨款支出情况。",
)
_3P_ITEMS = (
    ("total", "合计"), ("abroad", "因公出国（境）费"), ("vehicle", "小计"),
    ("vehicle_purchase", "公务用车购置费"), ("vehicle_operation", "公务用车运行维护费"),
    ("reception", "公务接待费"),
)
_3P_SIDES = (("budget", "预算数"), ("final", "决算数"))


def _three_public_columns(items: tuple[tuple[str, str], ...], interleaved: bool) -> tuple[Column, ...]:
    """The 三公 columns of ``items`` as the national form prints them (all 预算数, then all 决算数)
    or, ``interleaved``, as Shanghai does (预算数 and 决算数 item by item)."""
    def number(side: int, n: int) -> int:
        return 2 * n + 1 + side if interleaved else n + 1 + side * len(items)
    cols = [(number(k, n), Column(f"{side}:{key}", f"{group}/{name}", number(k, n), group))
            for k, (side, group) in enumerate(_3P_SIDES) for n, (key, name) in enumerate(items)]
    return tuple(c for _, c in sorted(cols, key=lambda x: x[0]))


_3P_GROUPED = _three_public_columns(_3P_ITEMS, interleaved=False)
_3P_INTERLEAVED = _three_public_columns(_3P_ITEMS, interleaved=True)
T9 = TableLayout(
    id="T9", title="财政拨款“三公”经费支出决算表",
    aliases=("财政拨款“三公”经费支出决算表", '财政拨款"三公"经费支出决算表', "三公经费支出决算表"),
    kind="three_public",
    columns=_3P_GROUPED,
    alt_columns=_3P_INTERLEAVED,
    empty_sentence="本部门没有“三公”经费预算，也没有“三公”经费支出，故本表无数据。",
    note="本表反映部门本年度“三公”经费支出预决算情况。",
)

LAYOUTS: dict[str, TableLayout] = {t.id: t for t in (T1, T2, T3, T4, T5, T6, T7, T8, T9)}
NATIONAL_ORDER = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9")


# --- tables only some layouts have ----------------------------------------------------
# Beijing: the 一般公共预算 money as a fund table (like T7), the basic spending of the 政府性基金
# by economic class (like T6), and two listings. Sichuan and similar: two listings in the 附表.
T10 = replace(
    T7, id="T10", title="一般公共预算财政拨款收入支出决算表", aliases=("一般公共预算财政拨款收入支出决算表",),
    fund="general",
    empty_sentence="本部门没有一般公共预算财政拨款收入，也没有使用一般公共预算财政拨款安排的支出，故本表无数据。",
    note="本表反映部门本年度一般公共预算财政拨款收入支出及结转和结余情况。",
)
# the data model has no economic split of the 政府性基金's basic spending: read, never built
T11 = replace(
    T6, id="T11", title="政府性基金预算财政拨款基本支出决算表",
    aliases=("政府性基金预算财政拨款基本支出决算表", "政府性基金预算财政拨款基本支出决算明细表"),
    fund="gov_fund", template_rows=(), built=False,
    empty_sentence="本部门没有使用政府性基金预算财政拨款安排的基本支出，故本表无数据。",
    note="本表反映部门本年度政府性基金预算财政拨款基本支出明细情况。",
)
_PROCUREMENT_COLS = tuple(
    Column(f"{side}:{key}", f"{group}/{name}", None, group)
    for side, group in (("plan", "采购计划金额"), ("actual", "实际采购金额"))
    for key, name in (("total", "总计"), ("goods", "货物"), ("works", "工程"), ("services", "服务"))
)
T12 = TableLayout(
    id="T12", title="政府采购情况表", aliases=("政府采购情况表", "政府采购决算情况表"), kind="listing",
    columns=_PROCUREMENT_COLS, show_line_numbers=False, built=False,
    empty_sentence="本部门本年度没有政府采购，故本表无数据。",
    note="本表反映部门本年度政府采购计划和实际采购情况。",
)
T13 = TableLayout(
    id="T13", title="政府购买服务决算公开情况表",
    aliases=("政府购买服务决算公开情况表", "政府购买服务决算情况表", "政府购买服务情况表"), kind="listing",
    columns=(Column("amount", "金额", None, aliases=("购买服务金额", "合同金额", "决算金额", "支出金额")),),
    show_line_numbers=False, built=False,
    empty_sentence="本部门本年度没有政府购买服务，故本表无数据。",
    note="本表反映部门本年度政府购买服务情况。",
)
# Sichuan's 附表: their columns differ between documents; read by the header (or by position)
T14 = TableLayout(
    id="T14", title="财政拨款支出决算明细表", aliases=("财政拨款支出决算明细表",), kind="listing",
    show_line_numbers=False, built=False,
    note="本表反映部门本年度财政拨款支出按功能分类和经济分类的明细情况。",
)
T15 = TableLayout(
    id="T15", title="一般公共预算财政拨款项目支出决算表",
    aliases=("一般公共预算财政拨款项目支出决算表", "项目支出决算表", "财政拨款项目支出决算表"), kind="listing",
    show_line_numbers=False, built=False,
    note="本表反映部门本年度一般公共预算财政拨款项目支出情况。",
)

# Shaanxi: the 三公 table with two more items, 会议费 and 培训费, under both 预算数 and 决算数;
# its 合计 is the 三公 total (what the narrative quotes). The data model has no 会议费/培训费:
# building leaves them blank.
_3P_ITEMS_SHAANXI = (*_3P_ITEMS, ("meeting", "会议费"), ("training", "培训费"))
_3P_SHAANXI = _three_public_columns(_3P_ITEMS_SHAANXI, interleaved=False)
_3P_SHAANXI_INTERLEAVED = _three_public_columns(_3P_ITEMS_SHAANXI, interleaved=True)
_SX_T9 = replace(
    T9, title="财政拨款“三公”经费及会议费、培训费支出决算表",
    aliases=("财政拨款“三公”经费及会议费、培训费支出决算表", "“三公”经费及会议费、培训费支出决算表",
             "三公经费及会议费培训费支出决算表"),
    columns=_3P_SHAANXI, alt_columns=_3P_SHAANXI_INTERLEAVED,
    empty_sentence="本部门没有“三公”经费、会议费和培训费预算，也没有相应支出，故本表无数据。",
    note="本表反映部门本年度“三公”经费及会议费、培训费支出预决算情况。",
)


def _without(rows: tuple[FixedRow, ...], *keys: str, first_line: int = 1) -> tuple[FixedRow, ...]:
    """``rows`` without the rows of ``keys``, their 行次 (and the 一、二、 of their labels) numbered
    again, from ``first_line``."""
    out: list[FixedRow] = []
    n = 0
    for r in rows:
        if r.key and r.key in keys:
            continue
        label = r.label
        head, sep, rest = label.partition("、")
        if sep and cn_to_int(head):
            n += 1
            label = f"{cn_number(n)}、{rest}"
        out.append(replace(r, label=label, line=first_line + len(out)))
    return tuple(out)


# Before 2021: eight tables — no 国有资本经营预算 money (no T8, no such row or column in T1 and
# T4), the 三公 table seventh and titled 一般公共预算财政拨款“三公”经费支出决算表.
_PRE_T1_INCOME = _without(_T1_INCOME, "income:state_capital")
_PRE_T4_INCOME = _without(_T4_INCOME, "fiscal_income:state_capital", "fiscal_opening:state_capital")
# (2017–2018: the balance used to cover a deficit was 用事业基金弥补收支差额)
_PRE_T1_INCOME = tuple(replace(r, aliases=("用事业基金弥补收支差额",)) if r.key == "balance:use_of_nonfiscal_balance"
                       else r for r in _PRE_T1_INCOME)
_PRE_T1 = replace(T1, sides=(
    replace(T1.sides[0], rows=_PRE_T1_INCOME),
    replace(T1.sides[1], rows=_without(_T1_EXPENDITURE, first_line=len(_PRE_T1_INCOME) + 1)),
))
_PRE_T4 = replace(T4, sides=(
    replace(T4.sides[0], rows=_PRE_T4_INCOME),
    replace(T4.sides[1], columns=_FUND_COLS[:3],
            rows=_without(_T4_EXPENDITURE, first_line=len(_PRE_T4_INCOME) + 1)),
))
_PRE_T9 = replace(
    T9, title="一般公共预算财政拨款“三公”经费支出决算表",
    aliases=("一般公共预算财政拨款“三公”经费支出决算表", *T9.aliases),
)

_SH_T9 = replace(T9, columns=_3P_INTERLEAVED, alt_columns=_3P_GROUPED, show_line_numbers=False)
_SH_T8 = replace(
    T8, title="国有资本经营预算财政拨款收入支出决算表",
    columns=T7.columns,
    empty_sentence="本部门本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。",
    show_line_numbers=False,
)
_T6_BASIC = replace(T6, title="一般公共预算财政拨款基本支出决算表")

# The text around the tables (juesuan.final.narrative builds the sections by these keys).
# National (the reference document's): six parts, 情况说明 一 … 十三.
NATIONAL_OUTLINE = Outline(
    parts=("profile", "tables", "narrative", "key_work", "glossary", "attachments"),
    narrative=(
        Heading("narrative.1"), Heading("narrative.2"), Heading("narrative.3"), Heading("narrative.4"),
        Heading("narrative.5"), Heading("narrative.6"),
        Heading("narrative.7", table="T7"), Heading("narrative.8", table="T8"),
        Heading("narrative.9"), Heading("narrative.10"), Heading("narrative.11"), Heading("narrative.12"),
        Heading("narrative.13"),
    ),
)
# Shanghai (上海市部门决算公开模板, 2024): four parts — 概况 (主要职能, 部门决算单位构成), the tables,
# 情况说明 一 … 十一, 名词解释 (its own eleven entries) — no 重点工作 and no 自评表. 三公 is 七;
# 十 预算绩效管理情况 is one paragraph; 十一 其他重要事项的情况说明 holds 机关运行经费, 政府采购 and
# 国有资产 as （一）–（三）.
# "shanghai" names the template's own sentences (juesuan.final.narrative.shanghai).
SHANGHAI_OUTLINE = Outline(
    parts=("profile", "tables", "narrative", "glossary"),
    narrative=(
        Heading("narrative.1", wording="shanghai"), Heading("narrative.2", wording="shanghai"),
        Heading("narrative.3", wording="shanghai"), Heading("narrative.4", wording="shanghai"),
        Heading("narrative.5"), Heading("narrative.6"),
        Heading("narrative.9", wording="shanghai"),
        Heading("narrative.7", "政府性基金预算财政拨款收入支出决算情况说明", table="T7", wording="shanghai"),
        Heading("narrative.8", "国有资本经营预算财政拨款收入支出决算情况说明", table="T8", wording="shanghai"),
        Heading("narrative.13", "预算绩效管理情况", wording="shanghai"),
        Heading("narrative.other", "其他重要事项的情况说明", under=(
            Heading("narrative.10", "机关运行经费支出情况"),
            Heading("narrative.11", "政府采购支出情况", wording="shanghai"),
            Heading("narrative.12", "国有资产占有使用情况说明", wording="shanghai"),
        )),
    ),
    titles={"profile.duties": "主要职能", "profile.structure": "部门决算单位构成"},
    glossary="shanghai",
)

VARIANTS: dict[str, Variant] = {
    # the 情况说明 template issued with it (the reference document's, 武汉市) writes every share and
    # change rate with two decimals (占 27.33%, 下降 25.29%): JS308 holds its documents to that
    "national": Variant("national", NATIONAL_ORDER, LAYOUTS, label="全国通用表式",
                        conventions=("percent-decimals",)),
    "shanghai": Variant(
        "shanghai", ("T1", "T2", "T3", "T4", "T5", "T6", "T9", "T7", "T8"),
        {**{k: replace(v, show_line_numbers=False) for k, v in LAYOUTS.items()},
         "T6": replace(T6, title="一般公共预算财政拨款基本支出决算表", show_line_numbers=False,
                       economic_blocks=2),
         "T8": _SH_T8, "T9": _SH_T9},
        # its 情况说明 一 … 十一 reports the 绩效自评 without attaching the 自评表
        label="上海市表式", attaches_forms=False, outline=SHANGHAI_OUTLINE,
        # its 政府采购 paragraph gives the totals by kind, not the 中小企业 share
        not_prescribed=("procurement-sme-share",),
    ),
    # central ministries: the national tables numbered 公开01表 … 公开09表, 表六 without 明细
    "central": Variant("central", NATIONAL_ORDER, {**LAYOUTS, "T6": _T6_BASIC},
                       label="中央部门表式（公开01表–公开09表）", numbering="公开{n:02d}表"),
    "beijing": Variant(
        "beijing", ("T1", "T2", "T3", "T4", "T10", "T5", "T6", "T7", "T11", "T8", "T9", "T12", "T13"),
        {**LAYOUTS, "T6": _T6_BASIC, "T10": T10, "T11": T11, "T12": T12, "T13": T13},
        label="北京市表式（十三张表）", optional=("T11", "T12", "T13"),
    ),
    # Sichuan and similar: 情况说明 first, the tables at the end as 附表, two more tables among them
    "sichuan": Variant(
        "sichuan", ("T1", "T2", "T3", "T4", "T14", "T5", "T6", "T15", "T9", "T7", "T8"),
        {**LAYOUTS, "T6": _T6_BASIC, "T14": T14, "T15": T15},
        label="四川省等表式（附表在情况说明之后）", optional=("T14", "T15"), tables_last=True,
    ),
    "shaanxi": Variant("shaanxi", NATIONAL_ORDER, {**LAYOUTS, "T9": _SX_T9},
                       label="陕西省表式（“三公”经费及会议费、培训费）"),
    "pre2021": Variant(
        "pre2021", ("T1", "T2", "T3", "T4", "T5", "T6", "T9", "T7"),
        {**LAYOUTS, "T1": _PRE_T1, "T4": _PRE_T4, "T6": _T6_BASIC, "T9": _PRE_T9},
        label="2020年及以前表式（八张表）", years=(None, 2020),
    ),
}


def variant(name: str = "national") -> Variant:
    try:
        return VARIANTS[name]
    except KeyError:
        raise ValueError(f"未知的表式：{name}（可选：{'、'.join(VARIANTS)}）") from None


def outline(variant_name: str | None) -> Outline:
    """The parts and 情况说明 sections of the layout ``variant_name`` (national when not known)."""
    var = VARIANTS.get(variant_name or "national")
    return var.outline if var is not None and var.outline is not None else NATIONAL_OUTLINE


def section_place(plan: Outline, key: str, tables: tuple[str, ...]) -> tuple[str, str] | None:
    """Where the outline ``plan`` prints the 情况说明 section ``key`` for a layout with ``tables``:
    its number (七, 十一（二）) and its title ("" the builder's); None when it has no such section."""
    top = [h for h in plan.narrative if not h.table or h.table in tables]
    for n, h in enumerate(top, 1):
        if h.key == key:
            return cn_number(n), h.title
        subs = [u for u in h.under if not u.table or u.table in tables]
        for k, u in enumerate(subs, 1):
            if u.key == key:
                return f"{cn_number(n)}（{cn_number(k)}）", u.title
    return None


def layout(table_id: str, variant_name: str = "national") -> TableLayout:
    return variant(variant_name).layouts[table_id]


def required_tables(variant_name: str | None) -> tuple[str, ...]:
    """The tables a document in the layout ``variant_name`` must publish (the national nine when
    the layout is not known)."""
    var = VARIANTS.get(variant_name or "national") or VARIANTS["national"]
    return var.required


VARIANTS["university"] = university_variant(LAYOUTS)   # 教育部直属高校: four tables (university.py)
