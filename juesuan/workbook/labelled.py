"""Labelled sheets of an input workbook: declared once as data, written by a kind's template, read back.

A kind's input workbook carries, beside its tables, sheets of labelled values (a label in column A, its
value in column B: :class:`KVSheet`) and lists under a header row (:class:`ListSheet`). A kind declares
them with its model's field titles as labels; :func:`read_kv` and :func:`read_list` read them back label
by label (rows may be moved or left out), each cell into one value or one located message
(:func:`cell_value`: sheet!cell, in Chinese), into plain data for the kind's model, with the cell each
data path came from (``ReadContext.origins``) so that a model's validation can name the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..figures import CENT, WAN
from .cells import CellError, NumberError, cell_text, detect_unit, is_blank, norm, out_of_range, parse_number
from .collect import Collector
from .source import SheetGrid

__all__ = ["Item", "KVSheet", "ListSheet", "Origins", "ReadContext", "set_path", "path_str", "sheet_unit",
           "cell_value", "label_map", "read_kv", "find_header", "read_list", "read_prior", "FUNCTION_LOOKUP",
           "ECONOMIC_LOOKUP", "GUIDE"]

GUIDE = "填表说明"
FUNCTION_LOOKUP = "功能分类"      # the hidden catalogue sheets that feed the code drop-downs
ECONOMIC_LOOKUP = "经济分类"
_TOTAL = "合计"


@dataclass(frozen=True)
class Item:
    """One labelled value: label in column A, value in column B."""
    label: str
    path: tuple[str, ...]        # where in the model data
    kind: str = "text"           # text | lines | amount | int | decimal | choice | detail | year | unit
    choices: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class KVSheet:
    name: str
    items: tuple[Item, ...]
    note: str = ""
    amounts: bool = False        # has a 金额单位 line
    stop: str | None = None      # the label of a table below the labelled values: reading stops there


@dataclass(frozen=True)
class ListSheet:
    name: str
    columns: tuple[tuple[str, str, str], ...]   # (header, field, kind)
    note: str = ""
    amounts: bool = False
    totals: bool = False         # a row labelled 合计 (in its first two columns) is computed, not read


Origins = dict[str, tuple[str, str]]   # data path -> (file, sheet!cell)


# --- reading -----------------------------------------------------------------------------------
class ReadContext:
    def __init__(self, out: Collector, unit_default: str | None):
        self.out = out
        self.unit_default = unit_default
        self.origins: Origins = {}


def set_path(data: dict, path: tuple[str, ...], value: Any) -> None:
    d = data
    for p in path[:-1]:
        d = d.setdefault(p, {})
    d[path[-1]] = value


def path_str(path: tuple) -> str:
    s = ""
    for p in path:
        s += f"[{p}]" if isinstance(p, int) else (f".{p}" if s else str(p))
    return s


def sheet_unit(g: SheetGrid, ctx: ReadContext) -> str:
    for r in range(min(3, len(g.rows))):
        u = detect_unit([cell_text(v) for v in g.rows[r]])
        if u:
            return u
    return ctx.unit_default or "元"


def cell_value(g: SheetGrid, r: int, c: int, kind: str, unit: str, ctx: ReadContext, label: str) -> tuple[bool, Any]:
    """(ok, value) of one cell; value None means blank."""
    v = g.get(r, c)
    out = ctx.out
    if (r, c) in g.uncached:
        out.error(f"公式“={g.uncached[(r, c)]}”没有缓存的计算结果；请在 Excel 中打开并保存，或填写数值", g, r, c)
        return False, None
    if isinstance(v, CellError):
        out.error(f"{label}：{v.describe()}", g, r, c)
        return False, None
    if is_blank(v):
        return True, None
    if kind in ("amount", "int", "decimal", "year"):
        try:
            d = parse_number(v)
        except NumberError as e:
            out.error(f"{label}：{e}", g, r, c)
            return False, None
        if d is None:
            return True, None
        if d < 0:
            out.error(f"{label}：“{cell_text(v)}” 是负数", g, r, c)
            return False, None
        y = d * (WAN if unit == "万元" and kind == "amount" else 1)
        too_big = out_of_range(y, f"{d}{'万元' if unit == '万元' and kind == 'amount' else ''}",
                               "金额" if kind == "amount" else "数值")
        if too_big:
            out.error(f"{label}：{too_big}", g, r, c)
            return False, None
        if kind == "amount":
            q = y.quantize(CENT)
            if abs(q - y) > Decimal("0.0005"):
                out.warning(f"{label}：{y} 元超过两位小数，已四舍五入为 {q} 元", g, r, c)
            return True, q
        if kind in ("int", "year"):
            if d != d.to_integral_value():
                out.error(f"{label}：“{cell_text(v)}” 应为整数", g, r, c)
                return False, None
            return True, int(d)
        return True, d
    text = cell_text(v).strip()
    if kind == "lines":
        return True, [x.strip() for x in text.splitlines() if x.strip()]
    if kind == "detail":
        pairs = re.findall(r"([^:：;；,，、\n]+?)\s*[:：]\s*(\d+)", text)
        if not pairs:
            out.error(f"{label}：“{text}” 应写成“车辆类别：数量”，多项用分号分隔", g, r, c)
            return False, None
        return True, {k.strip(): int(n) for k, n in pairs}
    if kind in ("choice", "unit"):
        return True, norm(text)
    return True, text


def label_map(items) -> dict[str, Any]:
    return {norm(i.label): i for i in items}


def read_kv(g: SheetGrid, sheet: KVSheet, data: dict, ctx: ReadContext) -> None:
    labels = label_map(sheet.items)
    unit = sheet_unit(g, ctx) if sheet.amounts else "元"
    for r in range(len(g.rows)):
        lab = norm(g.get(r, 0))
        item = labels.get(lab)
        if item is None:
            if sheet.stop is not None and lab == norm(sheet.stop):
                break
            if lab and any(not is_blank(x) for x in g.rows[r][1:2]) and r >= 2 and lab not in ("项目", "内容"):
                ctx.out.warning(f"未识别的项目“{cell_text(g.get(r, 0)).strip()}”，未读取", g, r, 0)
            continue
        ok, val = cell_value(g, r, 1, item.kind, unit, ctx, item.label)
        ctx.origins[path_str(item.path)] = (g.file, g.ref(r, 1))   # also for blanks: "缺少必填项" there
        if ok and val is not None and val != []:
            set_path(data, item.path, val)


def find_header(g: SheetGrid, first: str, second: str | None = None) -> int | None:
    for r in range(len(g.rows)):
        if norm(g.get(r, 0)) == norm(first) and (second is None or norm(g.get(r, 1)) == norm(second)):
            return r
    return None


def read_list(g: SheetGrid, sheet: ListSheet, ctx: ReadContext) -> list[tuple[int, dict]]:
    h = find_header(g, sheet.columns[0][0], sheet.columns[1][0])
    if h is None:
        summary = any(norm(g.get(r, 0)) == "序号" for r in range(min(4, len(g.rows))))
        ctx.out.add("info" if summary else "warning",
                    f"工作表“{g.name}”不是录入表的格式（找不到表头“{sheet.columns[0][0]}”）"
                    + ("，是公开文档中的汇总表，未读取" if summary else "，未读取"), g, 0, 0)
        return []
    unit = sheet_unit(g, ctx) if sheet.amounts else "元"
    rows = []
    for r in range(h + 1, len(g.rows)):
        if sheet.totals and _TOTAL in (norm(g.get(r, 0)), norm(g.get(r, 1))):
            continue
        rec: dict[str, Any] = {}
        okall = True
        for c, (head, f, kind) in enumerate(sheet.columns):
            ok, v = cell_value(g, r, c, "text" if kind == "code" else kind, unit, ctx, head)
            okall &= ok
            if v is not None:
                rec[f] = v
        extra = [c for c in range(len(sheet.columns), g.width) if not is_blank(g.get(r, c))]
        if extra and rec:
            ctx.out.warning("此行在表格栏目之外有内容，未读取", g, r, extra[0])
        if rec and okall:
            rows.append((r, rec))
    return rows


def read_prior(g: SheetGrid, rows: tuple[tuple[str, str, str | None], ...], data: dict, ctx: ReadContext,
               no_reason: str = "此项没有增减原因栏") -> None:
    """The sheet of 上年数 and reasons of a kind's workbook: a row a figure, its label (column A) one of
    ``rows`` (label, ``prior_year`` field, ``reasons`` field or None), its 上年数 in column B and the
    reason of the change in column C. A row of another label with a figure is named and passed over;
    a reason on a row that has none is warned of (``no_reason``)."""
    labels = {norm(label): (pf, rf) for label, pf, rf in rows}
    unit = sheet_unit(g, ctx)
    for r in range(len(g.rows)):
        key = labels.get(norm(g.get(r, 0)))
        if key is None:
            if norm(g.get(r, 0)) and not is_blank(g.get(r, 1)) and r > 2:
                ctx.out.warning(f"未识别的项目“{cell_text(g.get(r, 0)).strip()}”，未读取", g, r, 0)
            continue
        pf, rf = key
        ok, v = cell_value(g, r, 1, "amount", unit, ctx, cell_text(g.get(r, 0)))
        if ok and v is not None:
            set_path(data, ("prior_year", pf), v)
            ctx.origins[f"prior_year.{pf}"] = (g.file, g.ref(r, 1))
        ok, v = cell_value(g, r, 2, "text", unit, ctx, "增减原因")
        if ok and v:
            if rf is None:
                ctx.out.warning(no_reason, g, r, 2)
            else:
                set_path(data, ("reasons", rf), v)
                ctx.origins[f"reasons.{rf}"] = (g.file, g.ref(r, 2))
