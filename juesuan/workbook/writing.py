"""Writing a kind's input workbook (xlsxwriter): the formats and the helpers every template uses.

:class:`SheetWriter` holds the workbook, the model it is filled from (``d``; None: a blank
template), the year and the amount unit; its helpers write an amount (in the chosen unit, as a
number — a value, never a formula —, blank for not given), text, a merged multi-row header, the
金额单位 line with its drop-down, non-negative validation, the labelled sheets declared in
:mod:`juesuan.workbook.labelled`, and the hidden 功能分类 / 经济分类 sheets that feed the code
drop-downs. A kind's template subclasses it and adds its own sheets.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from ..catalog import catalog
from ..figures import WAN
from .labelled import ECONOMIC_LOOKUP, FUNCTION_LOOKUP, KVSheet

__all__ = ["Fmt", "SheetWriter"]


class Fmt:
    """The cell formats of an input workbook (宋体 10, bordered cells, unlocked inputs)."""

    def __init__(self, wb: xlsxwriter.Workbook, unit: str):
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14, "align": "center"})
        self.meta = wb.add_format(base)
        self.head = wb.add_format({**base, "bold": True, "align": "center", "text_wrap": True, "border": 1,
                                   "bg_color": "#DDEBF7"})
        self.lanci = wb.add_format({**base, "align": "center", "border": 1, "bg_color": "#F2F2F2"})
        self.label = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.code = wb.add_format({**base, "border": 1, "num_format": "@", "locked": False})
        self.text = wb.add_format({**base, "border": 1, "num_format": "@", "text_wrap": True, "locked": False})
        self.num = wb.add_format({**base, "border": 1, "num_format": "#,##0.00", "locked": False})
        self.int = wb.add_format({**base, "border": 1, "num_format": "0", "locked": False})
        self.total = wb.add_format({**base, "border": 1, "num_format": "#,##0.00", "bold": True})
        self.note = wb.add_format({**base, "font_color": "#595959", "text_wrap": True})
        self.unit_cell = wb.add_format({**base, "num_format": "@", "locked": False, "bg_color": "#FFF2CC"})


class SheetWriter:
    """An input workbook being written: ``d`` the model it is filled from (None: blank)."""

    def __init__(self, path: Path, d: Any, year: int, unit: str, lookups: bool = True):
        self.with_lookups = lookups
        self.wb = xlsxwriter.Workbook(str(path))
        self.d = d
        self.year = d.year if d is not None else year
        self.unit = unit
        self.scale = WAN if unit == "万元" else Decimal(1)
        self.f = Fmt(self.wb, unit)
        self.cat = catalog(self.year)
        self.n_function_items = sum(1 for c in self.cat.function if len(c) == 7)
        self.n_economic_items = sum(1 for c in self.cat.economic if len(c) == 5)

    def amount(self, ws, r: int, c: int, v: Decimal | None, fmt=None, keep_zero: bool = False) -> None:
        if v is None or (v == 0 and not keep_zero):
            ws.write_blank(r, c, None, fmt or self.f.num)
        else:
            ws.write_number(r, c, float(v / self.scale), fmt or self.f.num)

    def text(self, ws, r: int, c: int, v: Any, fmt=None) -> None:
        if v is None or v == "":
            ws.write_blank(r, c, None, fmt or self.f.text)
        else:
            ws.write_string(r, c, str(v), fmt or self.f.text)

    def validate_amounts(self, ws, r0: int, c0: int, r1: int, c1: int) -> None:
        if r1 < r0 or c1 < c0:
            return
        ws.data_validation(r0, c0, r1, c1, {
            "validate": "decimal", "criteria": ">=", "value": 0, "ignore_blank": True,
            "error_title": "金额", "error_message": "请填写不小于0的数字（不要写单位）。"})

    def unit_line(self, ws, r: int, c: int) -> None:
        ws.write_string(r, c, "金额单位：", self.f.meta)
        ws.write_blank(r, c + 1, None, self.f.unit_cell)
        ws.data_validation(r, c + 1, r, c + 1, {"validate": "list", "source": ["元", "万元"],
                                                "input_title": "金额单位",
                                                "input_message": "留空则按“单位概况”中的金额单位。"})

    def header(self, ws, top: int, col0: int, paths: list[list[str]]) -> int:
        """Merged multi-row header from column paths; returns the number of header rows."""
        depth = max(len(p) for p in paths)
        done = set()
        for r in range(depth):
            for c in range(len(paths)):
                if (r, c) in done:
                    continue
                p = paths[c]
                if r >= len(p):
                    continue
                c2 = c
                while c2 + 1 < len(paths) and len(paths[c2 + 1]) > r and paths[c2 + 1][:r + 1] == p[:r + 1] \
                        and (r + 1 < len(p)) == (r + 1 < len(paths[c2 + 1])):
                    c2 += 1
                r2 = r if r + 1 < len(p) else depth - 1
                for rr in range(r, r2 + 1):
                    for cc in range(c, c2 + 1):
                        done.add((rr, cc))
                if r2 > r or c2 > c:
                    ws.merge_range(top + r, col0 + c, top + r2, col0 + c2, p[r], self.f.head)
                else:
                    ws.write_string(top + r, col0 + c, p[r], self.f.head)
        return depth

    def title(self, ws, text: str, ncols: int, entity: bool = True) -> None:
        ws.merge_range(0, 0, 0, max(ncols - 1, 1), text, self.f.title)
        ws.set_row(0, 28)
        if entity:
            name = self.d.entity.name if self.d else ""
            ws.write_string(1, 0, f"部门：{name}", self.f.meta)
            self.unit_line(ws, 1, max(ncols - 2, 2))

    def _get(self, path: tuple[str, ...]) -> Any:
        if path == ("_unit",):
            return self.unit
        if path == ("year",):
            return self.year
        obj: Any = self.d
        for p in path:
            if obj is None:
                return None
            obj = getattr(obj, p, None)
        return obj

    def kv_sheet(self, sheet: KVSheet, values: bool = True) -> Any:
        ws = self.wb.add_worksheet(sheet.name)
        ws.write_string(0, 0, sheet.name, self.f.title)
        if sheet.amounts:
            self.unit_line(ws, 1, 0)
        elif sheet.note:
            ws.write_string(1, 0, sheet.note, self.f.note)
        self.header(ws, 2, 0, [["项目"], ["内容"], ["说明"]])
        r = 3
        for item in sheet.items:
            ws.write_string(r, 0, item.label, self.f.label)
            v = self._get(item.path) if (self.d is not None or item.path in (("year",), ("_unit",))) else None
            self.kv_value(ws, r, 1, item.kind, v)
            if item.choices:
                ws.data_validation(r, 1, r, 1, {"validate": "list", "source": list(item.choices)})
            note = item.note or ("从下拉框选择" if item.choices else "")
            if note:
                ws.write_string(r, 2, note, self.f.note)
            r += 1
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 60)
        ws.set_column(2, 2, 36)
        ws.freeze_panes(3, 1)
        return ws, r

    def kv_value(self, ws, r: int, c: int, kind: str, v: Any) -> None:
        if kind == "amount":
            self.amount(ws, r, c, v, keep_zero=True)
            self.validate_amounts(ws, r, c, r, c)
        elif kind in ("int", "year"):
            if v is None:
                ws.write_blank(r, c, None, self.f.int)
            else:
                ws.write_number(r, c, int(v), self.f.int)
            ws.data_validation(r, c, r, c, {"validate": "integer", "criteria": ">=", "value": 0})
        elif kind == "decimal":
            if v is None:
                ws.write_blank(r, c, None, self.f.num)
            else:
                ws.write_number(r, c, float(v), self.f.num)
        elif kind == "lines":
            self.text(ws, r, c, "\n".join(v) if v else None)
        elif kind == "detail":
            self.text(ws, r, c, "；".join(f"{k}：{n}" for k, n in v.items()) if v else None)
        else:
            self.text(ws, r, c, v)

    def lookups(self) -> None:
        for name, table, level in ((FUNCTION_LOOKUP, self.cat.function, 7), (ECONOMIC_LOOKUP, self.cat.economic, 5)):
            ws = self.wb.add_worksheet(name)
            ws.write_row(0, 0, ["编码", "名称", "级次", "", f"{'项' if level == 7 else '款'}级科目（下拉框）"])
            leaves = []
            for i, (code, nm) in enumerate(table.items(), start=1):
                ws.write_string(i, 0, code)
                ws.write_string(i, 1, nm)
                ws.write_string(i, 2, {3: "类", 5: "款", 7: "项"}.get(len(code), ""))
                if len(code) == level:
                    leaves.append(f"{code} {nm}")
            for i, s in enumerate(leaves, start=1):
                ws.write_string(i, 4, s)
            if level == 7:
                self.n_function_items = len(leaves)
            else:
                self.n_economic_items = len(leaves)
            ws.hide()
