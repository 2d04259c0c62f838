"""The rule family YJ1xx 预算与决算核对: a 决算 held against the same unit's 预算 for the same year.

Each rule is registered like the kinds' rules (``@rule``: code, name, title, severity, source; its
docstring the doc with 作用 / 原因 / 错误示例 / 正确示例, rendered into docs/rules-across.md by
:func:`catalogue_markdown`). A rule here is handed a :class:`Pair` (the two documents as read by
:mod:`juesuan.across.facts`), not one document's ``Context``; :func:`run` runs them, each finding
through the certainty gate of the document each of its places is in (:mod:`juesuan.rules.certainty`):
an error resting on a figure not read for sure is "无法核对".

Interval semantics throughout: both documents show rounded 万元 figures; two figures of one
quantity differ only when no values they may round from agree (one unit of the last place apart
is a 尾差, at most an info, as for the same quantity shown twice in one document).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from ..document import Document
from ..errors import Severity
from ..figures import fmt
from ..final.forms import ProjectTable
from ..rules.certainty import certain
from ..rules.context import Finding, compare, hit
from ..rules.registry import REGISTRY, Rule, rule
from ..rules.report import rules_markdown
from .facts import (
    THREE_PUBLIC_ITEMS,
    BudgetProject,
    BudgetSide,
    FinalSide,
    Stated,
    name_key,
    same_name,
    value_key,
)

__all__ = ["FAMILIES", "Pair", "run", "refused", "rules", "catalogue_markdown", "REFUSED"]

FAMILIES: dict[str, str] = {"YJ1": "预算与决算核对"}
REFUSED = "YJ100"


class Pair:
    """The 决算 and the 预算 being held against each other, as the rules read them."""

    def __init__(self, final: Document, budget: Document, final_file: str, budget_file: str):
        self.final = FinalSide(final, final_file)
        self.budget = BudgetSide(budget, budget_file)
        self._listed: tuple[list[BudgetProject], bool] | None = None
        self._matched: list[tuple[ProjectTable, BudgetProject | None, str | None]] | None = None

    def budget_projects(self) -> tuple[list[BudgetProject], bool]:
        """The budget's projects and whether it prints a 项目支出表 (once per pair)."""
        if self._listed is None:
            self._listed = self.budget.projects()
        return self._listed

    def matched(self) -> list[tuple[ProjectTable, BudgetProject | None, str | None]]:
        """(决算 project, budget project or None, how the names match) for each 自评表 (once per pair)."""
        if self._matched is None:
            listed, _ = self.budget_projects()
            out = []
            for p in self.final.projects():
                best, how = None, None
                for q in listed:
                    m = same_name(p.name, q.name)
                    if m == "same":
                        best, how = q, m
                        break
                    if m == "close" and best is None:
                        best, how = q, m
                out.append((p, best, how))
            self._matched = out
        return self._matched

    def close(self) -> None:
        self.final.close()
        self.budget.close()


def _diff(a: Stated, b: Stated) -> tuple[bool, bool, str]:
    """(agree, a 尾差 only, the difference as written) of one quantity shown by both documents."""
    if a.fig.value == b.fig.value:
        return True, False, "0.00"
    v = compare(b.fig, [(1, a.fig)], single_allowance=True)
    return v.ok, v.ok and v.tail, fmt(abs(a.fig.value - b.fig.value))


def _same(what: str, a: Stated, b: Stated, said: str, severity: str | None = None) -> Finding | None:
    """The finding on quantity ``what``, ``a`` as the 决算 states it, ``b`` as the 预算 does."""
    ok, tail, d = _diff(a, b)
    if ok and not tail:
        return None
    places = (*a.places, *b.places)
    if ok:
        return hit(f"{what}：决算为 {a.text} 万元，预算为 {b.text} 万元，相差 {d}，在舍入误差范围内（尾差）",
                   places, [a.text, b.text], "info")
    doubt = "；".join(x.doubt for x in (a, b) if x.doubt)
    if doubt:
        return hit(f"无法核对：{what}：决算为 {a.text} 万元，预算为 {b.text} 万元（相差 {d}；{doubt}）",
                   places, [a.text, b.text], "info")
    return hit(f"{what}：决算为 {a.text} 万元，预算为 {b.text} 万元，不一致（相差 {d}）{said}",
               places, [a.text, b.text], severity)


# ---------------------------------------------------------------------------------------
# the rules

@rule("YJ100", "pair-same-unit-year", "预算与决算须为同一单位同一年度", "warning", "across")
def pair_identity(pair: Pair) -> Iterator[Finding]:
    """
    ## 作用
    核对之前先看两份文件是不是同一单位、同一年度的决算和预算：年度不同或单位名称不同（比较时不计
    空格、标点和“（本级）”，一个名称省去了另一个的地名前缀也算同一单位）时不作任何核对，只报这一条；单位名称或年度读不出来时照常核对，
    并以提示说明未能确认。`juesuan check 决算 --budget 预算` 遇到不能配对的文件以退出码 2 结束。

    ## 原因
    决算中的年初预算、“三公”经费预算数、项目和绩效目标来自同一单位同一年度的预算；拿别的单位或
    年度的预算来比，每个数都会“不一致”，没有意义。

    ## 错误示例
    2023 年度武汉市汉阳区大数据中心部门决算，与 2024 年度武汉市汉阳区大数据中心部门预算一起给出。

    ## 正确示例
    2023 年度武汉市汉阳区大数据中心部门决算与 2023 年度（同一单位）部门预算。
    """
    f, b = pair.final.doc, pair.budget.doc
    here = (pair.final.file, pair.budget.file)
    if f.year and b.year and f.year != b.year:
        yield hit(f"决算是 {f.year} 年度的，预算是 {b.year} 年度的：不是同一年度，未作预算与决算的核对"
                  f"（请给出 {f.year} 年度的部门预算）", [{"file": x} for x in here], [str(f.year), str(b.year)])
        return
    if f.entity and b.entity and not _same_unit(f.entity, b.entity):
        yield hit(f"决算的单位是“{f.entity}”，预算的单位是“{b.entity}”：不是同一单位，未作预算与决算的核对",
                  [{"file": x} for x in here], [f.entity, b.entity])
        return
    missing = [w for w, v in (("决算的年度", f.year), ("预算的年度", b.year), ("决算的单位名称", f.entity),
                              ("预算的单位名称", b.entity)) if not v]
    if missing:
        yield hit(f"未能读出{'、'.join(missing)}，未确认两份文件是同一单位同一年度；以下按同一单位同一年度核对",
                  [{"file": x} for x in here], severity="info")


def _same_unit(a: str, b: str) -> bool:
    """Do two unit names name one unit? Equal once normalised, or one the other with its place-name
    prefix left out (汉阳区大数据中心 / 武汉市汉阳区大数据中心); "（本级）" is not part of the name."""
    x, y = (name_key(n).removesuffix("本级") for n in (a, b))
    return x == y or x.endswith(y) or y.endswith(x)


@rule("YJ101", "initial-budget-total", "一般公共预算财政拨款支出年初预算：决算所述与预算不符", "error", "across")
def initial_total(pair: Pair) -> Iterator[Finding]:
    """
    ## 作用
    决算情况说明五（三）“一般公共预算财政拨款支出年初预算为 X 万元”与同一单位同一年度部门预算的
    一般公共预算支出表（按功能分类；陕西省为一般公共预算支出明细表，没有政府性基金支出的为财政拨款
    支出预算表）“合计”比较。两个数都是四舍五入到 0.01 万元的列示值，各代表一个区间：区间有交集即
    一致；相差不超过末位一个单位报提示（尾差）；超出为错误——但所依据的数字未能确定读取时只报
    “无法核对”。

    ## 原因
    决算的年初预算就是年初批复并公开的部门预算：两处不同，不是决算抄错就是预算公开的数字有误。

    ## 错误示例
    决算：年初预算为 1365.18 万元；预算一般公共预算支出表合计 1375.18 万元。

    ## 正确示例
    决算：年初预算为 1365.18 万元；预算一般公共预算支出表合计 1365.18 万元。
    """
    a = pair.final.initial_total
    table = pair.budget.function_table()
    if a is None or table is None:
        return
    b = pair.budget.function_total(*table)
    if b is None:
        return
    title = pair.budget.ctx.table(table[0]).title
    f = _same(f"一般公共预算财政拨款支出年初预算（预算{title}合计）", a, b, "")
    if f is not None:
        yield f


@rule("YJ102", "initial-budget-items", "五（三）各项年初预算：决算所述与预算的功能分类科目不符", "error", "across")
def initial_items(pair: Pair) -> Iterator[Finding]:
    """
    ## 作用
    决算情况说明五（三）逐项写的“X（类）Y（款）Z（项）。年初预算为 a 万元”，按科目（由决算的支出表和
    当年科目表确定编码）与预算一般公共预算支出表中同一“项”的合计比较（北京市等按单位分列同一科目的，
    先相加）。区间比较同 YJ101。预算表中没有列出的科目按 0 比较（该表有未能读取的行时只报“无法核对”）；
    预算列有金额、决算五（三）却没有说明其年初预算的科目报警告。

    ## 原因
    各项的年初预算是预算按功能分类科目的安排，决算应如实引用。

    ## 错误示例
    决算：住房保障支出（类）住房改革支出（款）提租补贴（项）。年初预算为 5.78 万元；预算 2210202
    提租补贴 4.78 万元。

    ## 正确示例
    两处都是 4.78 万元。
    """
    final, budget = pair.final, pair.budget
    table = budget.function_table()
    if table is None:
        return
    if not final.items:
        if final.items_said == "全年" and final.initial_total is not None:
            yield hit("决算五（三）逐项写的是全年预算而不是年初预算，各项未与预算核对", final.initial_total.places,
                      severity="info")
        return
    tid, col = table
    title = budget.ctx.table(tid).title
    items = budget.function_items(tid, col)
    seen: set[str] = set()
    for it in final.items:
        if it.code is None:
            yield hit(f"无法核对：五（三）“{it.title}”未能对应到支出功能分类科目编码，未与预算比较",
                      it.amount.places, [it.amount.text], "info")
            continue
        seen.add(it.code)
        got = items.get(it.code)
        if got is None:
            if it.amount.fig.value == 0:
                continue
            place = budget.missing_place(tid, it.code, _item_name(it.title))
            yield hit(f"五（三）“{it.title}”年初预算为 {it.amount.text} 万元，预算{title}没有列出该科目（{it.code}）",
                      (*it.amount.places, place), [it.amount.text, "0.00"])
            continue
        f = _same(f"五（三）“{it.title}”的年初预算（预算{title} {it.code} {got[0]}）", it.amount, got[1], "")
        if f is not None:
            yield f
    for code, (name, amount) in items.items():
        if code not in seen and amount.fig.value != 0:
            yield hit(f"预算{title}列有 {code} {name} {amount.text} 万元，决算五（三）没有说明该科目的年初预算",
                      amount.places, [amount.text], "warning")


def _item_name(title: str) -> str:
    return title.rsplit("（款）", 1)[-1].removesuffix("（项）")


@rule("YJ103", "three-public-budget", "“三公”经费预算数：决算与预算不符", "warning", "across")
def three_public(pair: Pair) -> Iterator[Finding]:
    """
    ## 作用
    决算财政拨款“三公”经费支出决算表的“预算数”（合计、因公出国（境）费、公务用车购置费、公务用车
    运行维护费、公务接待费；没有该表时取情况说明九所述预算数）与部门预算的“三公”经费预算表（北京市
    预算09表，江苏省的“三公”经费、会议费、培训费预算表，广东省的行政经费及“三公”经费预算表
    “合计”列）逐项比较，区间比较同 YJ101。预算没有这张表，或其列未能逐项读出（深圳市、陕西省按年度
    分列的表），以提示说明未核对。决算表中的预算数常为调整后的全年预算，预算调整可以解释
    差额，所以默认只报**警告**；情况说明九明确写“年初预算为 X 万元”而与预算不符的，报错误。

    ## 原因
    “三公”经费预算数来自部门预算；不同时应有预算调整的依据，否则是抄错。

    ## 错误示例
    预算：公务接待费 1.00 万元；决算“三公”经费支出决算表预算数中公务接待费 0.00 万元（且无预算调整）。

    ## 正确示例
    两处都是 1.00 万元；或决算说明“年中追加公务接待费预算 1.00 万元”（此时本条的警告可以忽略）。
    """
    mine, said = pair.final.three_public()
    tid, theirs = pair.budget.three_public()
    if not mine:
        return
    if tid is None:
        shown = next((t for t in ("Y7", "Y26", "Y17") if pair.budget.ctx.table(t) is not None), None)
        why = (f"预算的{pair.budget.ctx.table(shown).title}未能按列读出各项" if shown
               else "预算中没有“三公”经费预算表")
        yield hit(f"{why}，决算的“三公”经费预算数未与预算核对", [{"file": pair.budget.file}], severity="info")
        return
    for key, words in THREE_PUBLIC_ITEMS:
        a, b = mine.get(key), theirs.get(key)
        if a is None or b is None:
            continue
        explicit = key == "total" and said == "年初" and not a.places[0].table
        note = "" if explicit else "；决算的预算数可能是调整后的全年预算，如非预算调整所致请核对"
        f = _same(f"“三公”经费预算数 {words}", a, b, note, "error" if explicit else "warning")
        if f is not None:
            yield f


@rule("YJ104", "project-in-budget", "决算自评的项目在预算的项目支出表、绩效目标表中找不到", "warning", "across")
def project_listed(pair: Pair) -> Iterator[Finding]:
    """
    ## 作用
    决算每张项目支出绩效自评表的项目，应能在同一年度部门预算的项目支出表（或项目支出绩效目标表）中
    找到（名称比较时不计空格、标点和全半角；一个包含另一个或只差一两个字的，按同一项目核对并以提示
    说明写法不同）。预算印有项目支出表而找不到的报警告；预算只公开了部分项目的绩效目标表的，报提示。

    ## 原因
    自评的是预算安排的项目；预算中没有，可能是年中追加的项目（应在决算中说明），也可能是名称抄错。

    ## 错误示例
    决算自评表“政务网络安全保障经费”，预算项目支出表没有这个项目。

    ## 正确示例
    预算项目支出表列有“政务网络安全保障经费 50.00”。
    """
    listed, full = pair.budget_projects()
    if not listed:
        if pair.final.projects():
            yield hit("预算没有可以读取的项目支出表或项目支出绩效目标表，决算自评的项目未与预算核对",
                      [{"file": pair.budget.file}], severity="info")
        return
    for p, q, how in pair.matched():
        where = pair.final.project_place(p)
        if q is None:
            yield hit(f"决算自评的项目“{p.name}”在预算的{'项目支出表' if full else '项目支出绩效目标表'}中找不到"
                      "（年中追加的项目应在决算中说明；名称不同的请统一）",
                      [where, {"file": pair.budget.file, "table": "项目支出表" if full else "项目支出绩效目标表"}],
                      [p.name], "warning" if full else "info")
        elif how == "close":
            yield hit(f"决算自评的项目“{p.name}”与预算的“{q.name}”写法不同，按同一项目核对",
                      [where, *q.places], [p.name, q.name], "info")


@rule("YJ105", "project-budget", "项目的年初预算数：决算自评表与预算不符", "error", "across")
def project_amount(pair: Pair) -> Iterator[Finding]:
    """
    ## 作用
    同一项目（见 YJ104）决算自评表的预算数与部门预算所列金额（项目支出表“合计”，或绩效目标表的
    年度资金总额、项目总额）比较，区间比较同 YJ101（自评表中“35”按 35.00 万元理解）。自评表写明
    “年初预算数”的（财政部评分表式），不一致为错误；只写“预算数”“全年预算数”的，可能是调整后的
    预算，不一致只报警告。

    ## 原因
    项目的年初预算数就是部门预算批复的项目金额。

    ## 错误示例
    预算项目支出表：数据治理服务 80.00 万元；决算自评表年初预算数 90.00 万元。

    ## 正确示例
    两处都是 80.00 万元；或自评表全年预算数 90.00 万元并说明年中追加 10.00 万元（警告可以忽略）。
    """
    for p, q, _ in pair.matched():
        if q is None or q.amount is None:
            continue
        a, what = pair.final.project_amount(p)
        if a is None:
            continue
        if what == "年初":
            f = _same(f"项目“{p.name}”的年初预算数", a, q.amount, "")
        else:
            f = _same(f"项目“{p.name}”的预算数", a, q.amount,
                      "；自评表的预算数可能是调整后的全年预算，如非预算调整所致请核对", "warning")
        if f is not None:
            yield f


@rule("YJ106", "performance-targets", "绩效目标：决算自评表的年初目标值与预算绩效目标表不符", "warning", "across")
def targets(pair: Pair) -> Iterator[Finding]:
    """
    ## 作用
    同一项目（见 YJ104）在预算项目支出绩效目标表和决算项目支出绩效自评表中名称相同的三级指标，比较
    预算的指标值与自评表的年初目标值（指标值）：比较符号（≥、≤、＝、＞、＜；不写视为＝）、数值和计量
    单位（单独一列的度量单位并入指标值；“定性 优”即“优”）。任何一项不同报警告；预算中没有的指标不报
    （绩效目标可以在执行中按程序调整，所以不报错误）；自评表的指标行未能确定读取的，只报“无法核对”。

    ## 原因
    自评是对照年初设定的绩效目标打分；目标值与预算公开的不一致，自评就失去了依据。

    ## 错误示例
    预算绩效目标表：系统对接业务数量 ≥2 个；决算自评表年初目标值 ≥3 个。

    ## 正确示例
    两处都是“≥2个”（预算写“＝100%”、自评表写“100%”也一致）。
    """
    for p, q, _ in pair.matched():
        if q is None or not q.indicators:
            continue
        theirs = {}
        for ind in q.indicators:
            theirs.setdefault(name_key(ind.name), ind)
        for row in p.indicators:
            if not row.level3 or "【待填写" in row.level3 or not row.target or "【待填写" in row.target:
                continue
            ind = theirs.get(name_key(row.level3))
            if ind is None:
                continue
            a, b = value_key(row.target), value_key(ind.value, ind.unit)
            if _same_target(a, b):
                continue
            where = pair.final.project_place(p, row=row.level3, column="年初目标值")
            there = pair.budget.file if not ind.source.get("file") else ind.source["file"]
            bwhere = {**{k: v for k, v in ind.source.items() if k in ("page", "line")}, "file": there,
                      "table": f"项目支出绩效目标表：{q.name}", "row": ind.name, "column": "指标值"}
            shown = f"{ind.value}{ind.unit}"
            said = (f"项目“{p.name}”的绩效指标“{row.level3}”：决算自评表年初目标值为“{row.target}”，"
                    f"预算绩效目标表为“{shown}”")
            if p.unsure.get("indicators"):
                yield hit(f"无法核对：{said}（{p.unsure['indicators']}）", [where, bwhere], [row.target, shown], "info")
            else:
                yield hit(f"{said}，不一致", [where, bwhere], [row.target, shown])


def _same_target(a: tuple, b: tuple) -> bool:
    op_a, num_a, unit_a = a
    op_b, num_b, unit_b = b
    if num_a is None or num_b is None:
        return num_a is None and num_b is None and name_key(unit_a) == name_key(unit_b)
    return op_a == op_b and num_a == num_b and (unit_a == unit_b or not unit_a or not unit_b)


# ---------------------------------------------------------------------------------------
# running them

@cache
def rules() -> tuple[Rule, ...]:
    """Every rule of the family, by code."""
    return tuple(REGISTRY[c] for c in sorted(REGISTRY) if REGISTRY[c].func.__module__ == __name__)


def catalogue_markdown() -> str:
    """docs/rules-across.md."""
    return rules_markdown(rules(), FAMILIES, head=_HEAD)


_HEAD = [
    "# 预算与决算核对规则目录（juesuan check --budget）",
    "",
    "本文件由 `juesuan.across.rules.catalogue_markdown()` 生成，请勿手改；`tests/test_across.py` 检查它是否最新。"
    "部门决算公开的规则（JS…）见 [rules.md](rules.md)，部门预算公开的（YS…）见 [rules-budget.md](rules-budget.md)。",
    "",
    "## 用法",
    "",
    "```",
    "juesuan check 决算.pdf --budget 预算.pdf                       # 决算（已公开的文件或部门数据）与同年度预算",
    "juesuan check 决算.pdf --budget 预算文字.pdf --budget 预算报表.pdf   # 北京市等分两个文件公开的预算，按顺序给出",
    "juesuan check 决算.pdf --budget 预算.pdf --format json          # 每条发现的 locations 用 file 指明是哪份文件",
    "```",
    "",
    "先审核决算本身（JS…），再把决算与同一单位同一年度的部门预算逐项比较（YJ…）；每条发现列出两处位置，"
    "位置前写明文件。两份文件不是同一单位或同一年度时不作比较（YJ100），退出码 2。"
    "有错误时退出码 1。程序中调用：`juesuan.pipeline.check_pair(决算文档, 预算文档, 决算文件名, 预算文件名)`。",
    "",
    "严重程度：**错误**（error）= 任何舍入都解释不了、也不能由预算调整解释的不一致，且所依据的数字都已确定读取；"
    "**警告**（warning）= 不一致，但可能由年中预算调整解释，或依据的是名称比对；**提示**（info）= 舍入范围内的尾差、"
    "写法不同的名称，或“无法核对”（所依据的数字未能确定读取）。",
    "",
    "## 舍入与区间",
    "",
    "两份文件都以万元列示两位小数（北京市六位、西安市以元列示的，折成万元后同样按 ±0.005 万元理解）：每个数"
    "代表一个区间，同一数量的两个列示值区间有交集即一致；相差不超过末位一个单位（0.01 万元）报提示（尾差），"
    "因为两份文件各自做舍位平衡，单个数字可能移动不到一个单位。变异测试见 `tests/test_across.py`。",
    "",
    "## 一览",
    "",
    "| 代码 | 名称 | 标题 | 默认严重程度 | 依据 |",
    "| --- | --- | --- | --- | --- |",
]


def _gate(f: Finding, pair: Pair) -> Finding:
    """``f`` through the certainty gate of each document its places are in (an error resting on a
    figure of either not read for sure is "无法核对")."""
    if f.severity != "error":
        return f
    for side in (pair.final, pair.budget):
        doc = side.doc
        mine = tuple(p for p in f.places if p.file in side.files)
        if not mine:
            continue
        got = certain([f._replace(places=mine)], doc)[0]
        if got.severity != "error":
            return got._replace(places=f.places)
    return f


_RANK = {s.value: s.rank for s in Severity}


def run(final: Document, budget: Document, final_file: str, budget_file: str) -> list[Finding]:
    """The findings of the family on the pair (see the module); a pair of different units or years
    is refused: the one finding of YJ100."""
    pair = Pair(final, budget, final_file, budget_file)
    out: list[Finding] = []
    try:
        for r in rules():
            try:
                got = [Finding(r.code, f.severity or r.severity, f.message, f.places, f.figures) for f in r.func(pair)]
            except Exception as e:  # noqa: BLE001 - a rule bug must not hide the other rules
                got = [Finding(r.code, "info", f"规则 {r.code} 未能完成检查（{type(e).__name__}: {e}）")]
            out += [_gate(f, pair) for f in got]
            if r.code == REFUSED and any(f.severity != "info" for f in got):
                return out
    finally:
        pair.close()
    out.sort(key=lambda f: (_RANK.get(f.severity, 9), f.rule))
    return out


def refused(findings: list[Finding]) -> Finding | None:
    """The refusal among ``findings`` (YJ100 other than a note), if the pair was refused."""
    return next((f for f in findings if f.rule == REFUSED and f.severity != "info"), None)

