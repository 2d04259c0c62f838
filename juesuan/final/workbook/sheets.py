"""Supplementary sheets of the input workbook, declared once for the template and the reader.

The nine tables carry the figures; everything else the disclosure needs (单位概况,
上年数, 年初预算 and reasons, 三公 details, 机关运行经费, 政府采购, 国有资产, 绩效,
重点工作) lives on labelled sheets declared here as data. Labels are the model's
own field titles (``Field(title=…)``), so the sheet, the JSON Schema and the
messages use the same words. :mod:`juesuan.final.workbook.template` writes these
declarations; :func:`read_supplementary` reads them back, label by label, so rows
may be moved or left out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...workbook.cells import cell_text, is_blank, norm
from ...workbook.collect import Collector
from ...workbook.labelled import (
    ECONOMIC_LOOKUP,
    FUNCTION_LOOKUP,
    GUIDE,
    Item,
    KVSheet,
    ListSheet,
    Origins,
    ReadContext,
    cell_value,
    find_header,
    label_map,
    read_kv,
    read_list,
    read_prior,
    set_path,
    sheet_unit,
)
from ...workbook.source import SheetGrid
from ..model import (
    Assets,
    BudgetItem,
    Disclosure,
    Entity,
    Indicator,
    KeyWork,
    OperatingFunds,
    OverallPerformance,
    Performance,
    PriorYear,
    Procurement,
    ProjectPerformance,
    ThreePublicAmounts,
    ThreePublicCounts,
)

__all__ = ["Item", "KVSheet", "ListSheet", "ENTITY", "PRIOR", "OPERATING", "PROCUREMENT", "ASSETS",
           "OVERALL", "PROJECT_FIELDS", "INDICATOR_COLUMNS", "BUDGET", "USAGE", "HIGHLIGHTS", "KEY_WORK",
           "THREE_PUBLIC_ITEMS", "THREE_PUBLIC_COUNTS", "THREE_PUBLIC_HEAD", "SUPPLEMENTARY", "GUIDE",
           "FUNCTION_LOOKUP", "ECONOMIC_LOOKUP", "PROJECTS", "THREE_PUBLIC", "read_supplementary",
           "UNIT_LABEL", "YEAR_LABEL", "Origins"]


def _t(model, name: str) -> str:
    return model.model_fields[name].title


YEAR_LABEL = "决算年度"
UNIT_LABEL = "金额单位"
PROJECTS = "项目绩效"
THREE_PUBLIC = "三公明细"

_LEVELS = ("中央", "省", "市", "区", "县", "乡")
_TYPES = ("行政单位", "参公事业单位", "事业单位")

ENTITY = KVSheet("单位概况", (
    Item(YEAR_LABEL, ("year",), "year", note="四位数字，如 2023"),
    Item(_t(Entity, "name"), ("entity", "name")),
    Item(_t(Entity, "short_name"), ("entity", "short_name")),
    Item(_t(Entity, "level"), ("entity", "level"), "choice", _LEVELS),
    Item(_t(Entity, "region"), ("entity", "region")),
    Item(_t(Entity, "unit_type"), ("entity", "unit_type"), "choice", _TYPES),
    Item(_t(Entity, "funding"), ("entity", "funding")),
    Item(_t(Entity, "duties"), ("entity", "duties"), "lines", note="每条职责一行（单元格内按 Alt+Enter 换行）"),
    Item(_t(Entity, "structure"), ("entity", "structure")),
    Item(_t(Entity, "phone"), ("entity", "phone")),
    Item(_t(Entity, "supervisor"), ("entity", "supervisor")),
    Item(_t(Disclosure, "published"), ("published",)),
    Item(UNIT_LABEL, ("_unit",), "unit", ("元", "万元"),
         note="各表金额的单位；某表第2行写明了金额单位的，以该表为准"),
), note="单位基本情况。带下拉框的项请从列表中选择。")

# 上年数: (label, prior_year field, reasons field)
PRIOR_ROWS: tuple[tuple[str, str, str | None], ...] = (
    (_t(PriorYear, "total"), "total", "total_change"),
    (_t(PriorYear, "income"), "income", "income_change"),
    (_t(PriorYear, "expenditure"), "expenditure", "expenditure_change"),
    (_t(PriorYear, "fiscal_total"), "fiscal_total", "fiscal_change"),
    (_t(PriorYear, "general_income"), "general_income", "general_income_change"),
    (_t(PriorYear, "general_expenditure"), "general_expenditure", "general_change"),
    (_t(PriorYear, "operating_funds"), "operating_funds", None),
)
PRIOR = ListSheet("上年数", (("项目", "label", "text"), ("上年决算数", "prior", "amount"),
                             ("增减原因（与本年比较）", "reason", "text")),
                  note="上年决算数用于“比上年增加/减少”的说明；原因写“主要原因是”之后的内容。", amounts=True)

OPERATING = KVSheet("机关运行经费", tuple(
    Item(_t(OperatingFunds, f), ("operating_funds", f), k) for f, k in
    (("amount", "amount"), ("prior", "amount"), ("reason", "text"))),
    note="行政单位和参公事业单位填写；事业单位可不填。", amounts=True)
PROCUREMENT = KVSheet("政府采购", tuple(
    Item(_t(Procurement, f), ("procurement", f), "amount") for f in
    ("goods", "works", "services", "sme", "small_micro")), amounts=True)
ASSETS = KVSheet("国有资产", (
    Item(_t(Assets, "as_of"), ("assets", "as_of")),
    Item(_t(Assets, "vehicles"), ("assets", "vehicles"), "int"),
    Item(_t(Assets, "vehicle_detail"), ("assets", "vehicle_detail"), "detail",
         note="如：一般公务用车：2；执法执勤用车：1"),
    Item(_t(Assets, "equipment_over_1m"), ("assets", "equipment_over_1m"), "int"),
    Item(_t(Assets, "other"), ("assets", "other")),
))
OVERALL = KVSheet("整体绩效", (
    Item(_t(Performance, "management"), ("performance", "management")),
    Item(_t(OverallPerformance, "goals"), ("performance", "overall", "goals"), "lines", note="每个目标一行"),
    Item(_t(OverallPerformance, "grade"), ("performance", "overall", "grade")),
    Item(_t(OverallPerformance, "score"), ("performance", "overall", "score"), "decimal"),
    Item(_t(OverallPerformance, "summary"), ("performance", "overall", "summary")),
    Item(_t(OverallPerformance, "application"), ("performance", "overall", "application")),
    Item(_t(OverallPerformance, "deviation"), ("performance", "overall", "deviation")),
    Item(_t(OverallPerformance, "improvement"), ("performance", "overall", "improvement")),
), note="部门整体绩效自评表。年度绩效指标填在下方指标表中。", stop=_t(Indicator, "level1"))

PROJECT_FIELDS: tuple[Item, ...] = tuple(
    Item(_t(ProjectPerformance, f), (f,), k) for f, k in (
        ("name", "text"), ("supervisor", "text"), ("implementer", "text"), ("category", "text"),
        ("attribute", "text"), ("kind", "text"), ("budget", "amount"), ("actual", "amount"),
        ("summary", "text"), ("problems", "text"), ("next_steps", "text"), ("deviation", "text"),
        ("improvement", "text")))
INDICATOR_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (_t(Indicator, f), f) for f in ("level1", "level2", "level3", "category", "target", "actual"))

BUDGET = ListSheet("年初预算及原因", (
    ("科目编码", "code", "code"), ("科目名称", "name", "text"),
    (_t(BudgetItem, "amount"), "amount", "amount"), (_t(BudgetItem, "reason"), "reason", "text")),
    note="一般公共预算财政拨款支出的年初预算，按功能分类项级科目；决算数与年初预算数不同的写明原因。"
         "最后一行“合计”可填年初预算合计（可不填）。", amounts=True)
USAGE = ListSheet("支出主要用途", (("类级科目编码", "code", "code"), ("科目名称", "name", "text"),
                                   ("主要用途", "usage", "text")),
                  note="各类（3位编码）支出的主要用途，用于情况说明。")
HIGHLIGHTS = ListSheet("项目成效", (("项目名称", "project", "text"), ("主要成效", "outcome", "text")),
                       note="情况说明五（三）列举的项目及其主要成效（项目名称与项目绩效表一致）。")
KEY_WORK = ListSheet("重点工作", tuple((_t(KeyWork, f), f, "text") for f in ("title", "text", "target", "completion")))

THREE_PUBLIC_HEAD = ("项目", "预算数", "决算数", "上年决算数", "增减原因")
THREE_PUBLIC_ITEMS: tuple[tuple[str, str], ...] = (("合计", "total"),) + tuple(
    (_t(ThreePublicAmounts, f), f) for f in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"))
THREE_PUBLIC_COUNTS: tuple[tuple[str, str], ...] = tuple(
    (_t(ThreePublicCounts, f), f) for f in ThreePublicCounts.model_fields)

SUPPLEMENTARY = (ENTITY.name, PRIOR.name, BUDGET.name, USAGE.name, THREE_PUBLIC, OPERATING.name,
                 PROCUREMENT.name, ASSETS.name, OVERALL.name, PROJECTS, HIGHLIGHTS.name, KEY_WORK.name)

def _read_indicators(g: SheetGrid, r0: int, stop_label: str | None, ctx: ReadContext) -> tuple[list[dict], int]:
    inds = []
    r = r0
    while r < len(g.rows):
        if stop_label and norm(g.get(r, 0)) == norm(stop_label):
            break
        vals = [cell_text(g.get(r, c)).strip() for c in range(len(INDICATOR_COLUMNS))]
        if any(vals):
            ind: dict[str, Any] = {}
            for (_, f), v in zip(INDICATOR_COLUMNS, vals):
                if v or f == "level3":
                    ind[f] = v
            inds.append(ind)
        elif any(not is_blank(x) for x in g.rows[r][len(INDICATOR_COLUMNS):]):
            ctx.out.warning("指标表此行在指标栏目之外有内容，未读取", g, r, len(INDICATOR_COLUMNS))
        r += 1
    return inds, r


def _code(v: str) -> str:
    from ...workbook.cells import split_code_name
    return split_code_name(v)[0]


def read_supplementary(sheets: dict[str, SheetGrid], out: Collector,
                       unit_default: str | None) -> tuple[dict, Origins, str | None]:
    """Model data from the supplementary sheets present; returns (data, origins, unit setting)."""
    ctx = ReadContext(out, unit_default)
    data: dict[str, Any] = {}
    unit_setting = None
    if ENTITY.name in sheets:
        read_kv(sheets[ENTITY.name], ENTITY, data, ctx)
        unit_setting = data.pop("_unit", None)
        if unit_setting is not None and unit_setting not in ("元", "万元"):
            out.error(f"金额单位应为“元”或“万元”，填写的是“{unit_setting}”", sheets[ENTITY.name],
                      cell=ctx.origins.get("_unit", ("", ENTITY.name))[1])
            unit_setting = None
    ctx.unit_default = unit_setting or unit_default
    for sheet in (OPERATING, PROCUREMENT, ASSETS, OVERALL):
        if sheet.name in sheets:
            read_kv(sheets[sheet.name], sheet, data, ctx)
    g = sheets.get(OVERALL.name)
    if g is not None:
        h = find_header(g, INDICATOR_COLUMNS[0][0])
        if h is not None:
            inds, _ = _read_indicators(g, h + 1, None, ctx)
            if inds:
                data.setdefault("performance", {}).setdefault("overall", {})["indicators"] = inds
    if PRIOR.name in sheets:
        read_prior(sheets[PRIOR.name], PRIOR_ROWS, data, ctx,
                   "此项没有增减原因栏（机关运行经费的原因填在“机关运行经费”表）")
    g = sheets.get(BUDGET.name)
    if g is not None:
        items = []
        recs = read_list(g, BUDGET, ctx)
        if not any("amount" in rec for _, rec in recs):
            # codes listed, no amount anywhere: 年初预算 not given (never "年初预算为0.00万元")
            if any(rec.get("reason") for _, rec in recs):
                out.warning("年初预算及原因：填写了原因但没有年初预算数，年初预算按未填写处理", g, recs[0][0], 2)
            recs = []
        for r, rec in recs:
            code = _code(rec.get("code", ""))
            if norm(rec.get("code", "")) in ("合计", "总计") or norm(rec.get("name", "")) in ("合计", "总计"):
                if "amount" in rec:
                    set_path(data, ("initial_budget", "total"), rec["amount"])
                    ctx.origins["initial_budget.total"] = (g.file, g.ref(r, 2))
                continue
            if not code:
                out.error("此行没有科目编码", g, r, 0)
                continue
            item = {"code": code, "amount": rec.get("amount", Decimal(0))}
            if rec.get("name"):
                item["name"] = rec["name"]
            if rec.get("reason"):
                item["reason"] = rec["reason"]
            ctx.origins[f"initial_budget.items[{len(items)}]"] = (g.file, g.ref(r, 0))
            items.append(item)
        if items:
            data.setdefault("initial_budget", {})["items"] = items
    g = sheets.get(USAGE.name)
    if g is not None:
        for r, rec in read_list(g, USAGE, ctx):
            code = _code(rec.get("code", ""))
            if not code or len(code) != 3:
                out.error(f"类级科目编码应为3位，填写的是“{rec.get('code', '')}”", g, r, 0)
                continue
            if rec.get("usage"):
                set_path(data, ("reasons", "class_usage", code), rec["usage"])
    for sheet, target in ((HIGHLIGHTS, "highlights"), (KEY_WORK, "key_work")):
        g = sheets.get(sheet.name)
        if g is not None:
            recs = []
            for r, rec in read_list(g, sheet, ctx):
                ctx.origins[f"{target}[{len(recs)}]"] = (g.file, g.ref(r, 0))
                recs.append(rec)
            if recs:
                data[target] = recs
    g = sheets.get(THREE_PUBLIC)
    if g is not None:
        _read_three_public(g, data, ctx)
    g = sheets.get(PROJECTS)
    if g is not None:
        _read_projects(g, data, ctx)
    return data, ctx.origins, unit_setting


def _read_three_public(g: SheetGrid, data: dict, ctx: ReadContext) -> None:
    unit = sheet_unit(g, ctx)
    items = {norm(lab): f for lab, f in THREE_PUBLIC_ITEMS}
    counts = {norm(lab): f for lab, f in THREE_PUBLIC_COUNTS}
    tp: dict[str, Any] = {}
    prior: dict[str, Any] = {}
    for r in range(len(g.rows)):
        lab = norm(g.get(r, 0))
        if lab in items:
            f = items[lab]
            for c, side in ((1, "budget"), (2, "final"), (3, "prior_final")):
                ok, v = cell_value(g, r, c, "amount", unit, ctx, f"{cell_text(g.get(r, 0))}{THREE_PUBLIC_HEAD[c]}")
                if ok and v is not None:
                    if f == "total":
                        continue  # totals are derived; the tables check them
                    (prior if side == "prior_final" else tp.setdefault(side, {}))[f] = v
                    ctx.origins[f"three_public.{side}.{f}"] = (g.file, g.ref(r, c))
            ok, v = cell_value(g, r, 4, "text", unit, ctx, "增减原因")
            if ok and v:
                tp.setdefault("reasons", {})[f] = v
        elif lab in counts:
            ok, v = cell_value(g, r, 1, "int", unit, ctx, cell_text(g.get(r, 0)))
            if ok and v is not None:
                tp.setdefault("counts", {})[counts[lab]] = v
                ctx.origins[f"three_public.counts.{counts[lab]}"] = (g.file, g.ref(r, 1))
        elif lab and r > 1 and lab not in (norm(THREE_PUBLIC_HEAD[0]), "数量项目") and \
                any(not is_blank(x) for x in g.rows[r][1:]):
            ctx.out.warning(f"未识别的项目“{cell_text(g.get(r, 0)).strip()}”，未读取", g, r, 0)
    if prior:
        tp["prior_final"] = prior
    if tp:
        data["_three_public_sheet"] = tp


def _read_projects(g: SheetGrid, data: dict, ctx: ReadContext) -> None:
    unit = sheet_unit(g, ctx)
    labels = label_map(PROJECT_FIELDS)
    name_label = norm(PROJECT_FIELDS[0].label)
    ind_label = norm(INDICATOR_COLUMNS[0][0])
    projects: list[dict] = []
    r = 0
    cur: dict | None = None
    while r < len(g.rows):
        lab = norm(g.get(r, 0))
        if lab == name_label:
            ok, v = cell_value(g, r, 1, "text", unit, ctx, "项目名称")
            if v:
                cur = {"name": v}
                ctx.origins[f"performance.projects[{len(projects)}]"] = (g.file, g.ref(r, 1))
                projects.append(cur)
            else:
                cur = None   # an empty block (the blank template has one)
        elif lab == ind_label:
            inds, r = _read_indicators(g, r + 1, PROJECT_FIELDS[0].label, ctx)
            if cur is not None and inds:
                cur["indicators"] = inds
            elif inds:
                ctx.out.error("指标不属于任何项目（上方缺少“项目名称”）", g, r - 1, 0)
            continue
        elif lab in labels:
            item = labels[lab]
            ok, v = cell_value(g, r, 1, item.kind, unit, ctx, item.label)
            if ok and v is not None:
                if cur is None:
                    ctx.out.error(f"“{item.label}”不属于任何项目（上方缺少“项目名称”）", g, r, 1)
                else:
                    cur[item.path[0]] = v
        elif lab and not is_blank(g.get(r, 1)) and r > 1:
            ctx.out.warning(f"未识别的项目“{cell_text(g.get(r, 0)).strip()}”，未读取", g, r, 0)
        r += 1
    if projects:
        data.setdefault("performance", {})["projects"] = projects


def sheet_kind(g: SheetGrid) -> str | None:
    """The supplementary sheet this is (by sheet name, or by the title in A1)."""
    n = norm(g.name)
    for s in SUPPLEMENTARY:
        if n == norm(s):
            return s
    a = norm(g.get(0, 0))
    for s in SUPPLEMENTARY:
        if a == norm(s):
            return s
    return None


__all__.append("sheet_kind")
