"""A 部门预算 as a published text extraction prints it, made from a 决算's data (tests of juesuan.across).

:func:`budget_text` writes the budget a unit published at the start of the year its 决算 covers:
the national set of tables (收支总表 … 国有资本经营预算支出表, 项目支出表) and a 项目支出绩效目标表 per
project, tab-separated as text extraction of a published budget gives them, with figures in 万元 as
the 决算 states them — its 一般公共预算财政拨款支出 年初预算 by 功能分类 项 (情况说明 五（三）), its 三公
预算数, its projects' 预算数 and 年初目标值. A pair of it and the 决算 is consistent by construction;
``changes`` makes one figure or text differ, as a published budget might.

The 基本支出 / 项目支出 split of each 项 is not stated by the 决算: the projects go to the 项 whose
年初预算 they fill (in the order of ``PROJECT_ITEMS``); the rest of each 项 is 基本支出.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from juesuan.catalog import catalog

WAN = Decimal(10000)
CENT = Decimal("0.01")

# the 项 whose 年初预算 a project's budget is part of (the example: 2010399 holds the first eleven)
PROJECT_ITEMS = {
    "乡村振兴专项资金": "2130599",
    "驻村工作经费": "2010350", "文明创建、党建、综治、档案、老干工作经费": "2010350",
    "行政事业单位缴纳残保金": "2010350",
}
DEFAULT_ITEM = "2010399"


def _w(v: Decimal) -> str:
    return f"{v:,.2f}"


def _shown(amount: Any) -> Decimal:
    """A yuan amount of the data as the 决算 shows it in 万元 (two decimals)."""
    return (Decimal(str(amount)) / WAN).quantize(CENT)


def budget_text(data: dict[str, Any], items: dict[str, Decimal] | None = None, *, entity: str | None = None,
                year: int | None = None, three_public: dict[str, Decimal] | None = None,
                projects: list[dict[str, Any]] | None = None) -> str:
    """The budget text of the unit of ``data`` (the 决算's canonical data, parsed YAML). ``items``: the
    年初预算 by 项 code in 万元 as the 决算 states them (default: from ``data``; its balancing of
    tails is the 决算's, so pass the stated figures); ``three_public``: 预算数 by item (abroad,
    vehicle_purchase, vehicle_operation, reception); ``projects``: name, budget (万元) and
    indicators (level1, level2, level3, target) of each project."""
    year = year or data["year"]
    entity = entity or data["entity"]["name"]
    cat = catalog(year)
    if items is None:
        items = {i["code"]: _shown(i["amount"]) for i in data["initial_budget"]["items"]}
    items = {c: v for c, v in items.items() if v}            # a budget prints no row of 0
    if projects is None:
        projects = [{"name": p["name"], "budget": _shown(p["budget"]),
                     "indicators": [i for i in p["indicators"] if "【待填写" not in i["level3"]]}
                    for p in data["performance"]["projects"]]
    tp = three_public if three_public is not None else {
        k: _shown(v) for k, v in data["three_public"]["budget"].items()}
    project_of: dict[str, Decimal] = {}
    for p in projects:
        code = PROJECT_ITEMS.get(p["name"], DEFAULT_ITEM)
        project_of[code] = project_of.get(code, Decimal(0)) + p["budget"]
    # 类 / 款 / 项 rows: total, basic, project
    rows: dict[str, list[Decimal]] = {}
    for code, v in sorted(items.items()):
        proj = min(project_of.get(code, Decimal(0)), v)
        for c in (code[:3], code[:5], code):
            r = rows.setdefault(c, [Decimal(0)] * 3)
            r[0] += v
            r[1] += v - proj
            r[2] += proj
    total = [sum((rows[c][k] for c in rows if len(c) == 3), Decimal(0)) for k in range(3)]

    def fn_rows() -> list[str]:
        out = ["科目编码\t科目名称\t合计\t基本支出\t项目支出"]
        out.append(f"合计\t\t{_w(total[0])}\t{_w(total[1])}\t{_w(total[2])}")
        for c in sorted(rows):
            t, b, p = rows[c]
            out.append(f"{c}\t{cat.function_name(c)}\t{_w(t)}\t{_w(b) if b else ''}\t{_w(p) if p else ''}")
        return out

    head = f"部门：{entity}\t金额单位：万元"
    L: list[str] = [f"{year}年度{entity}部门预算", "", "目录", "第一部分 部门概况", "第二部分 部门预算表",
                    "第三部分 部门预算情况说明", "第四部分 项目支出绩效目标表", ""]
    L += ["第一部分 部门概况", "一、主要职能", f"{entity}负责全区政务信息化建设和数据资源管理。", ""]
    L += ["第二部分 部门预算表", ""]
    classes = [c for c in sorted(rows) if len(c) == 3]
    # 一 收支总表
    L += [f"{year}年度收支总表", head, "收入\t\t支出\t", "项目\t预算数\t项目\t预算数"]
    income = [("一、一般公共预算拨款收入", total[0]), ("二、政府性基金预算拨款收入", None),
              ("三、国有资本经营预算拨款收入", None), ("四、事业收入", None), ("五、其他收入", None)]
    spend = [(f"{i + 1}、{cat.function_name(c)}", rows[c][0]) for i, c in enumerate(classes)]
    for k in range(max(len(income), len(spend))):
        a = income[k] if k < len(income) else ("", None)
        b = spend[k] if k < len(spend) else ("", None)
        L.append(f"{a[0]}\t{_w(a[1]) if a[1] is not None else ''}\t{b[0]}\t{_w(b[1]) if b[1] is not None else ''}")
    L += [f"本年收入合计\t{_w(total[0])}\t本年支出合计\t{_w(total[0])}",
          "上年结转结余\t\t年终结转结余\t", f"收入总计\t{_w(total[0])}\t支出总计\t{_w(total[0])}", ""]
    # 二 收入总表
    L += [f"{year}年度收入总表", head,
          "单位名称\t合计\t一般公共预算拨款收入\t政府性基金预算拨款收入\t事业收入\t其他收入",
          f"合计\t{_w(total[0])}\t{_w(total[0])}\t\t\t", f"{entity}\t{_w(total[0])}\t{_w(total[0])}\t\t\t", ""]
    # 三 支出总表, 五 一般公共预算支出表
    L += [f"{year}年度支出总表", head, *fn_rows(), ""]
    L += [f"{year}年度财政拨款收支总表", head, "收入\t\t支出\t", "项目\t预算数\t项目\t预算数"]
    for k in range(max(3, len(spend))):
        a = [("一般公共预算拨款", total[0]), ("政府性基金预算拨款", None), ("国有资本经营预算拨款", None)][k] \
            if k < 3 else ("", None)
        b = spend[k] if k < len(spend) else ("", None)
        L.append(f"{a[0]}\t{_w(a[1]) if a[1] is not None else ''}\t{b[0]}\t{_w(b[1]) if b[1] is not None else ''}")
    L += [f"本年收入合计\t{_w(total[0])}\t本年支出合计\t{_w(total[0])}",
          f"收入总计\t{_w(total[0])}\t支出总计\t{_w(total[0])}", ""]
    L += [f"{year}年度一般公共预算支出表", head, *fn_rows(), ""]
    # 六 一般公共预算基本支出表 (one line: the data do not say the 经济分类 of the 年初预算)
    L += [f"{year}年度一般公共预算基本支出表", head, "科目编码\t科目名称\t合计\t人员经费\t公用经费",
          f"合计\t\t{_w(total[1])}\t\t", ""]
    # 七 三公
    tp_total = sum(tp.values(), Decimal(0))
    vehicle = tp.get("vehicle_purchase", Decimal(0)) + tp.get("vehicle_operation", Decimal(0))
    L += [f"{year}年度一般公共预算“三公”经费支出表", head,
          "合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费",
          "\t\t小计\t公务用车购置费\t公务用车运行维护费\t",
          "\t".join(_w(v) for v in (tp_total, tp.get("abroad", Decimal(0)), vehicle,
                                    tp.get("vehicle_purchase", Decimal(0)), tp.get("vehicle_operation", Decimal(0)),
                                    tp.get("reception", Decimal(0)))), ""]
    # 八, 九
    L += [f"{year}年度政府性基金预算支出表", head, "科目编码\t科目名称\t合计\t基本支出\t项目支出", "合计\t\t\t\t",
          "本部门没有使用政府性基金预算拨款安排的支出，故本表无数据。", ""]
    L += [f"{year}年度国有资本经营预算支出表", head, "科目编码\t科目名称\t合计\t基本支出\t项目支出", "合计\t\t\t\t",
          "本部门没有使用国有资本经营预算拨款安排的支出，故本表无数据。", ""]
    # 十 项目支出表
    L += [f"{year}年度项目支出表", head, "项目名称\t合计\t一般公共预算拨款",
          f"合计\t{_w(total[2])}\t{_w(total[2])}"]
    L += [f"{p['name']}\t{_w(p['budget'])}\t{_w(p['budget'])}" for p in projects]
    L += [""]
    # 情况说明
    L += ["第三部分 部门预算情况说明", "一、收支预算总体情况说明",
          f"{year}年度收入、支出预算总计{_w(total[0])}万元。", "二、一般公共预算支出预算情况说明",
          f"{year}年度一般公共预算拨款支出预算{_w(total[0])}万元，其中基本支出{_w(total[1])}万元，"
          f"项目支出{_w(total[2])}万元。", "三、“三公”经费预算情况说明",
          f"{year}年度“三公”经费财政拨款预算{_w(tp_total)}万元。", ""]
    # 绩效目标表, one per project
    L += ["第四部分 项目支出绩效目标表", ""]
    for p in projects:
        L += [f"{year}年度{p['name']}项目绩效目标表", f"项目名称\t{p['name']}",
              "主管部门\t区政府\t实施单位\t区大数据中心",
              f"项目资金（万元）\t年度资金总额\t{_w(p['budget'])}", f"\t其中：财政拨款\t{_w(p['budget'])}",
              "年度绩效目标\t保障项目按计划实施，完成年度工作任务。",
              "一级指标\t二级指标\t三级指标\t指标值"]
        for ind in p["indicators"]:
            value = ind["target"]
            if value[:1] not in "≥≤＝=＞＜><":       # a budget prints the operator: ＝100%
                value = "＝" + value
            L.append(f"{ind['level1']}\t{ind['level2']}\t{ind['level3']}\t{value}")
        L.append("")
    return "\n".join(L) + "\n"
