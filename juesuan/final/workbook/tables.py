"""The nine 公开表 in a sheet: recognise the table by its title, find headers, read rows.

One reader serves every source of the nine tables: the input template
(:mod:`juesuan.final.workbook.template`), the XLSX that ``juesuan build`` writes, and the
公开表 exported by the 部门决算 reporting software. The table is known by its
title (the layouts' titles and aliases, after the year: "2023年度收入决算表"),
never by the sheet's position; columns by their header text (merged headers are
followed to their group) and, failing that, by the 栏次 row; rows by 功能分类 /
经济分类 code (joined or split over 类/款/项) or, in the two-sided tables, by label.

What is read is a ``ReadTable``: figures in yuan keyed like the built tables
(table id, row key, side, column header), each with its cell, so that later checks
can name the cell. Every row that carries figures is either read or reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ...catalog import catalog
from ...figures import CENT, WAN
from ...workbook.cells import (
    CellError,
    NumberError,
    a1,
    cell_text,
    code_digits,
    col_letter,
    detect_unit,
    is_blank,
    norm,
    out_of_range,
    parse_number,
    split_code_name,
)
from ...workbook.collect import Collector
from ...workbook.source import SheetGrid
from ..layouts import LAYOUTS, VARIANTS, Column, FixedRow, TableLayout

__all__ = ["Figure", "TableRow", "ReadTable", "identify_table", "read_table", "Collector", "title_key"]


@dataclass
class Figure:
    value: Decimal      # yuan
    file: str
    ref: str            # sheet!cell
    unit: str


@dataclass
class TableRow:
    key: str                    # as the built tables: 合计 / code / fixed-row key / 三公
    code: str = ""
    name: str = ""
    side: str | None = None
    ref: str = ""               # the row's code or label cell
    cells: dict[str, Figure] = field(default_factory=dict)   # layout column header -> figure
    slots: dict[str, tuple[str, str]] = field(default_factory=dict)  # header -> (file, sheet!cell), blank too


@dataclass
class ReadTable:
    id: str
    layout: TableLayout
    sheet: SheetGrid
    unit: str
    year: int | None
    entity: str | None
    rows: list[TableRow] = field(default_factory=list)

    def leaves(self) -> list[TableRow]:
        n = 5 if self.layout.kind == "economic" else 7
        return [r for r in self.rows if len(r.code) == n and r.key == r.code]


# --- recognising the table ---------------------------------------------------------------
_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』")
_YEAR = re.compile(r"^(\d{4})年度?")


def title_key(text: str) -> str:
    return norm(text).translate(_QUOTES)


# the nine tables under any layout's titles (a table only some layouts have is not one of the
# workbook's: the data has no place for it)
_ALIASES: list[tuple[str, str]] = sorted(
    {(title_key(a), tid) for v in VARIANTS.values() for tid, lay in v.layouts.items() if tid in LAYOUTS
     for a in (lay.title, *lay.aliases)},
    key=lambda x: -len(x[0]))


def _match_title(text: str) -> tuple[str, int | None] | None:
    t = title_key(text)
    if not t or len(t) > 60:
        return None
    year = None
    m = _YEAR.match(t)
    if m:
        year = int(m.group(1))
        t = t[m.end():]
    for alias, tid in _ALIASES:
        if alias in t and len(t) - len(alias) <= 14:
            return tid, year
    return None


def identify_table(g: SheetGrid) -> tuple[str, int | None, int] | None:
    """(table id, year, title row) when the sheet holds one of the nine tables."""
    for r in range(min(6, len(g.rows))):
        for v in g.rows[r]:
            if isinstance(v, str) and v.strip():
                m = _match_title(v)
                if m:
                    return m[0], m[1], r
    m = _match_title(g.name)
    if m:
        return m[0], m[1], -1
    return None


# --- headers --------------------------------------------------------------------------------
_ENTITY_LABEL = re.compile(r"^(部门|编制单位|单位名称|预算单位|填报单位)[:：]?(.*)$")


def _meta(g: SheetGrid, rows: range) -> tuple[str | None, str | None, set[int]]:
    unit = entity = None
    meta_rows = set()
    for r in rows:
        texts = [cell_text(v).strip() for v in g.rows[r]]
        u = detect_unit(texts)
        if u:
            unit = u
            meta_rows.add(r)
        for i, t in enumerate(texts):
            m = _ENTITY_LABEL.match(norm(t).replace("：", ":"))
            if m:
                meta_rows.add(r)
                name = t.split("：", 1)[-1].split(":", 1)[-1].strip() if ("：" in t or ":" in t) else ""
                if not name:
                    name = next((x for x in texts[i + 1:] if x and not detect_unit([x])), "")
                    if name and ("单位" in name and ("元" in name)):
                        name = ""
                if name and not entity:
                    entity = name
        if any("单位" in norm(t) and (":" in t or "：" in t) for t in texts):
            meta_rows.add(r)
    return unit, entity, meta_rows


def _filled_headers(g: SheetGrid, rows: list[int], text_only: int | None = None) -> dict[int, list[str]]:
    """Column → header texts from top to bottom, merged cells filled from their origin.

    ``text_only`` is the 栏次 row: its text cells (类/款/项 beside "栏次") are headers, its numbers not.
    """
    width = g.width
    if text_only is not None:
        rows = [*rows, text_only]
    grid = {r: [("" if r == text_only and (_is_numeric(v) or norm(v) == "栏次") else norm(v))
                for v in g.rows[r]] + [""] * (width - len(g.rows[r])) for r in rows}
    rs = set(rows)
    for r0, c0, r1, c1 in g.merges:
        origin = norm(g.get(r0, c0))
        if origin == "栏次" or _is_numeric(g.get(r0, c0)):
            continue
        for r in range(max(r0, min(rows, default=0)), r1 + 1):
            if r in rs:
                for c in range(c0, min(c1, width - 1) + 1):
                    if not grid[r][c]:
                        grid[r][c] = origin
    out = {}
    for c in range(width):
        path = []
        for r in rows:
            t = grid[r][c]
            if t and (not path or path[-1] != t):
                path.append(t)
        out[c] = path
    return out


def _is_numeric(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


_CODE_ONLY = re.compile(r"^\d{3}(\d{2}){0,2}$")


def _lanci_row(g: SheetGrid, start: int) -> int | None:
    for r in range(start, min(start + 12, len(g.rows))):
        if any(norm(v) == "栏次" for v in g.rows[r]):
            return r
    return None


def _data_start(g: SheetGrid, start: int, labels: bool = True) -> int:
    for r in range(start, len(g.rows)):
        row = g.rows[r]
        if any(_is_numeric(v) for v in row):
            return r
        if any(isinstance(v, str) and _CODE_ONLY.match(norm(v)) for v in row):
            return r
        if labels and any(norm(v) in ("合计", "总计") for v in row):
            return r
    return len(g.rows)


def _column_numbers(row: list) -> dict[int, int] | None:
    """A 栏次 row without its label: the integers 1, 2, 3 … across the columns."""
    nums = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
    if len(nums) < 3 or not all(_is_numeric(v) and float(v).is_integer() for _, v in nums):
        return None
    vals = [int(v) for _, v in nums]
    if sorted(vals) != list(range(min(vals), min(vals) + len(vals))) or min(vals) not in (0, 1):
        return None
    return {c: int(v) for c, v in nums}


def _leaf_names(col: Column) -> set[str]:
    return {norm(col.header.split("/")[-1]), *(norm(a) for a in col.aliases)}


def _same(text: str, names: set[str]) -> bool:
    return text in names or any(len(text) >= 3 and len(n) >= 3 and (n.endswith(text) or text.endswith(n))
                                for n in names)


def _matches(path: list[str], col: Column, anywhere: bool = False) -> bool:
    """Header path names the column: its leaf (or, with ``anywhere``, any level) and its group.

    ``anywhere`` admits headers whose levels are the other way round, e.g. Shanghai's
    三公 table with 预算数/决算数 under each item.
    """
    if not path:
        return False
    names = _leaf_names(col)
    group = norm(col.group) if col.group else None
    if anywhere:
        return any(_same(t, names) for t in path if t != group) and (group is None or group in path)
    if not _same(path[-1], names):
        return False
    if group:
        return group in path[:-1] or len(path) == 1
    return True


def _map_columns(cols: tuple[Column, ...], paths: dict[int, list[str]], candidates: list[int],
                 lanci: dict[int, int]) -> dict[str, int]:
    """Layout column header → grid column (by header text, then by 栏次)."""
    out: dict[str, int] = {}
    used: set[int] = set()
    for anywhere in (False, True):
        for col in cols:
            if col.header in out:
                continue
            found = [c for c in candidates if c not in used and _matches(paths.get(c, []), col, anywhere)]
            if col.group:  # prefer columns whose path names the group explicitly
                explicit = [c for c in found if norm(col.group) in paths[c]]
                found = explicit or found
            if found:
                out[col.header] = found[0]
                used.add(found[0])
    for col in cols:
        if col.header not in out and col.number is not None:
            for c, n in lanci.items():
                if n == col.number and c not in used and c in candidates:
                    out[col.header] = c
                    used.add(c)
                    break
    return out


# --- reading figures -----------------------------------------------------------------------
class _Reader:
    def __init__(self, g: SheetGrid, tid: str, year: int | None, title_row: int, unit_default: str | None,
                 out: Collector):
        self.g, self.tid, self.out = g, tid, out
        self.lay = LAYOUTS[tid]
        self.year = year
        top = range(title_row + 1, min(title_row + 5, len(g.rows)))
        unit, entity, self.meta_rows = _meta(g, top)
        self.entity = entity
        if unit is None:
            unit = unit_default
            if unit is None:
                unit = "万元"
                out.warning("没有找到金额单位（如“金额单位：万元”），按万元读取", g, max(title_row, 0), 0)
        self.unit = unit
        self.scale = WAN if unit == "万元" else Decimal(1)
        self.body_start = max(title_row + 1, 0)
        self.merged_reported: set[tuple] = set()
        self.max_value = Decimal(0)
        self.max_ref: tuple[int, int] | None = None
        self.bad = False

    # one amount cell
    def figure(self, r: int, c: int) -> Figure | None:
        g = self.g
        if (r, c) in g.uncached:
            self.out.error(f"公式“={g.uncached[(r, c)]}”没有缓存的计算结果（文件未经 Excel 计算保存）；"
                           "请在 Excel 中打开并保存，或填写数值", g, r, c)
            self.bad = True
            return None
        for m in g.merges:
            r0, c0, r1, c1 = m
            if r0 <= r <= r1 and c0 <= c <= c1 and (r1 > r0 or c1 > c0):
                if m not in self.merged_reported:
                    self.merged_reported.add(m)
                    self.out.error(f"数据区的合并单元格 {a1(r0, c0)}:{a1(r1, c1)} 无法确定金额属于哪一栏、哪一行；"
                                   "请取消合并，分别填写", g, r0, c0)
                self.bad = True
                return None
        v = g.get(r, c)
        try:
            d = parse_number(v)
        except NumberError as e:
            self.out.error(str(e), g, r, c)
            self.bad = True
            return None
        if d is None:
            return None
        if d < 0:
            self.out.error(f"“{cell_text(v)}” 是负数；金额不能为负数", g, r, c)
            self.bad = True
            return None
        y = d * self.scale
        too_big = out_of_range(y, f"{d}{'万元' if self.unit == '万元' else ''}")
        if too_big:
            self.out.error(too_big, g, r, c)
            self.bad = True
            return None
        q = y.quantize(CENT)
        if abs(q - y) > Decimal("0.0005"):
            self.out.warning(f"“{cell_text(v)}”{self.unit} 折合 {y} 元，超过两位小数（分），已四舍五入为 {q} 元",
                             g, r, c)
        if d > self.max_value:
            self.max_value, self.max_ref = d, (r, c)
        return Figure(q, g.file, g.ref(r, c), self.unit)

    def finish(self) -> None:
        if self.max_ref is None:
            return
        r, c = self.max_ref
        if self.unit == "万元" and self.max_value >= Decimal(1_000_000):
            self.out.warning(f"金额单位为万元，但 {self.max_value} 万元 = {self.max_value / 10000:,.2f} 亿元，"
                             "疑似按元填写；请核对金额单位", self.g, r, c)
        elif self.unit == "元" and 0 < self.max_value < Decimal(100):
            self.out.warning(f"金额单位为元，但本表最大金额只有 {self.max_value} 元，疑似按万元填写；请核对金额单位",
                             self.g, r, c)

    # ---------------------------------------------------------------------------------------
    def header(self) -> tuple[list[int], int, dict[int, list[str]], dict[int, int]]:
        g = self.g
        start = self.body_start
        while start < len(g.rows) and start in self.meta_rows:
            start += 1
        lanci = _lanci_row(g, start)
        if lanci is not None:
            data0 = lanci + 1
            hrows = [r for r in range(start, lanci) if r not in self.meta_rows]
            lanci_map = {}
            for c, v in enumerate(g.rows[lanci]):
                try:
                    n = parse_number(v)
                except NumberError:
                    n = None
                if n is not None and n == n.to_integral_value():
                    lanci_map[c] = int(n)
        else:
            data0 = _data_start(g, start, self.lay.kind != "three_public")
            hrows = [r for r in range(start, data0) if r not in self.meta_rows]
            lanci_map = {}
            if data0 < len(g.rows):
                numbers = _column_numbers(g.rows[data0])
                if numbers is not None:
                    lanci_map = numbers
                    data0 += 1
        return hrows, data0, _filled_headers(g, hrows, lanci), lanci_map

    def cell_errors(self, r: int, cols) -> bool:
        """Report the Excel error values (#REF!, #N/A) among a row's label cells; True if any."""
        bad = False
        for c in cols:
            v = self.g.get(r, c)
            if isinstance(v, CellError):
                self.out.error(v.describe(), self.g, r, c)
                self.bad = bad = True
        return bad

    def row_has_figures(self, r: int, cols) -> bool:
        return any((not is_blank(self.g.get(r, c)) and not _is_note(self.g.get(r, c)))
                   or (r, c) in self.g.uncached for c in cols)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _is_note(v) -> bool:
    """A sentence spilling over amount columns (e.g. "本部门没有…故本表无数据。"), not a figure."""
    return isinstance(v, str) and len(_CJK.findall(v)) >= 4


_LABEL_STRIP = re.compile(r"^[一二三四五六七八九十]+、|\(.*?\)|（.*?）")


@lru_cache(maxsize=4096)
def _label_key(s: str) -> str:
    return _LABEL_STRIP.sub("", norm(s))


def _code_columns(paths: dict[int, list[str]]) -> tuple[list[int], int | None]:
    names = [c for c, p in paths.items() if p and any("名称" in x for x in p)]
    name_col = names[0] if names else None
    split = sorted(c for c, p in paths.items() if p and p[-1] in ("类", "款", "项"))
    if split:
        return split, name_col
    joined = sorted(c for c, p in paths.items() if p and c != name_col
                    and any(("编码" in x or "代码" in x) for x in p))
    return joined, name_col


def _assemble_code(values: list) -> str:
    code = ""
    for v in values:
        d = code_digits(v)
        if not d:
            continue
        if code and d.startswith(code) and len(d) > len(code):
            code = d
        elif code and len(d) == 1:
            code += "0" + d
        else:
            code += d
    return code


def _read_function(rd: _Reader, t: ReadTable) -> None:
    g, out, lay = rd.g, rd.out, rd.lay
    hrows, data0, paths, lanci = rd.header()
    code_cols, name_col = _code_columns(paths)
    label_cols = set(code_cols) | ({name_col} if name_col is not None else set())
    lanci_col = [c for c, p in paths.items() if p and p[-1] == "栏次"]
    candidates = [c for c in range(g.width) if c not in label_cols]
    colmap = _map_columns(lay.columns, paths, candidates, lanci)
    missing = [col.header.split("/")[-1] for col in lay.columns if col.header not in colmap]
    if missing:
        out.error(f"表头中找不到栏目：{'、'.join(missing)}", g, hrows[0] if hrows else data0, 0)
        return
    if not code_cols:
        free = [c for c in range(g.width) if c not in colmap.values()]
        code_cols = free[:1]
        if name_col in code_cols:
            name_col = None
    amount_cols = set(colmap.values())
    extra_cols = [c for c in range(g.width) if c not in amount_cols and c not in code_cols
                  and c != name_col and c not in lanci_col]
    cat = catalog(t.year or 2023)
    seen: dict[str, str] = {}
    for r in range(data0, len(g.rows)):
        if r in rd.meta_rows:
            continue
        if rd.cell_errors(r, code_cols + ([name_col] if name_col is not None else [])):
            continue
        raw_code_cells = [g.get(r, c) for c in code_cols]
        code = _assemble_code(raw_code_cells)
        label = ""
        first_text = next((cell_text(v).strip() for v in raw_code_cells if not is_blank(v)), "")
        if code and len(raw_code_cells) == 1:
            code, label = split_code_name(raw_code_cells[0])
        elif not code:
            label = first_text
        name = cell_text(g.get(r, name_col)).strip() if name_col is not None else ""
        label = name or label
        has_fig = rd.row_has_figures(r, amount_cols)
        code_ref_c = code_cols[0] if code_cols else 0
        for c in extra_cols:
            v = g.get(r, c)
            if _is_numeric(v) and v != 0:
                head = "/".join(paths.get(c, [])) or f"{col_letter(c)}列"
                out.warning(f"栏目“{head}”不在{lay.title}表式中，其中的数值 {cell_text(v)} 未读取", g, r, c)
        nlabel = norm(label)
        if not code and not nlabel and not has_fig:
            continue
        if not code and nlabel.startswith("本部门") and not has_fig:
            continue  # the empty-table sentence
        if not code and nlabel in ("合计", "总计", "本年合计"):
            key = "合计"
        elif not code and ("小计" in nlabel or nlabel.startswith("其中")):
            if has_fig:
                out.info(f"“{label}”行是小计，不作为数据读取（各项相加即得）", g, r, code_ref_c)
            continue
        elif code:
            if len(code) not in (3, 5, 7) or any(not is_blank(v) and not code_digits(v) for v in raw_code_cells):
                bad = "".join(cell_text(v).strip() for v in raw_code_cells if not is_blank(v))
                out.error(f"科目编码“{bad}”格式不对（应为3位类、5位款或7位项编码）", g, r, code_ref_c)
                continue
            key = code
        else:
            found = cat.find_function(label, 7) if nlabel else []
            if len(found) == 1 and has_fig:
                code = key = found[0]
                out.warning(f"“{label}”行没有科目编码，按名称认定为 {code}", g, r, code_ref_c)
            elif has_fig:
                what = f"“{label}”行" if label else "此行"
                out.error(f"{what}有金额但没有科目编码，无法确定属于哪个科目", g, r, code_ref_c)
                continue
            else:
                continue
        if key in seen:
            out.error(f"科目 {key} 重复出现（另见 {seen[key]}）", g, r, code_ref_c)
            continue
        seen[key] = g.ref(r, code_ref_c)
        row = TableRow(key=key, code=code, name=label if code else "", ref=g.ref(r, code_ref_c))
        for header, c in colmap.items():
            row.slots[header] = (g.file, g.ref(r, c))
            f = rd.figure(r, c)
            if f is not None:
                row.cells[header] = f
        t.rows.append(row)


def _read_economic(rd: _Reader, t: ReadTable) -> None:
    g, out = rd.g, rd.out
    hrows, data0, paths, _ = rd.header()
    code_cols = sorted(c for c, p in paths.items() if p and ("编码" in p[-1] or "代码" in p[-1]))
    blocks = []
    for i, cc in enumerate(code_cols):
        end = code_cols[i + 1] if i + 1 < len(code_cols) else g.width
        name_c = next((c for c in range(cc + 1, end) if paths.get(c) and "名称" in paths[c][-1]), cc + 1)
        val_c = next((c for c in range(cc + 1, end) if c != name_c and paths.get(c)
                      and any(k in paths[c][-1] for k in ("决算数", "金额", "合计"))), name_c + 1)
        blocks.append((cc, name_c, val_c))
    if not blocks:
        blocks = [(0, 1, 2)]
    col = LAYOUTS["T6"].columns[0].header
    seen: dict[str, str] = {}
    value_cols = {b[2] for b in blocks}
    for r in range(data0, len(g.rows)):
        if r in rd.meta_rows:
            continue
        used_cols: set[int] = set()
        texts = [norm(v) for v in g.rows[r]]
        footer = any(("人员经费" in tx or "公用经费" in tx) and
                     ("合计" in tx or (c + 1 < len(texts) and "合计" in texts[c + 1])) for c, tx in enumerate(texts))
        for cc, nc, vc in ([] if footer else blocks):
            used_cols.update((cc, nc, vc))
            if rd.cell_errors(r, (cc, nc)):
                continue
            code_v, name_v = g.get(r, cc), g.get(r, nc)
            code = code_digits(code_v) if not (isinstance(code_v, str) and not code_v.strip()[:1].isdigit()) else ""
            label = cell_text(name_v).strip() or (cell_text(code_v).strip() if not code else "")
            nl = norm(label)
            has_fig = rd.row_has_figures(r, [vc])
            if "经费合计" in nl or nl in ("合计",):
                continue  # footers are read below
            if not code and not nl and not has_fig:
                continue
            if not code:
                if has_fig:
                    out.error(f"{'“' + label + '”' if label else '此'}行有金额但没有经济分类科目编码", g, r, cc)
                continue
            if len(code) not in (3, 5):
                out.error(f"经济分类科目编码“{cell_text(code_v).strip()}”格式不对（应为3位类或5位款编码）", g, r, cc)
                continue
            if code in seen:
                out.error(f"科目 {code} 重复出现（另见 {seen[code]}）", g, r, cc)
                continue
            seen[code] = g.ref(r, cc)
            row = TableRow(key=code, code=code, name=label, ref=g.ref(r, cc))
            row.slots[col] = (g.file, g.ref(r, vc))
            f = rd.figure(r, vc)
            if f is not None:
                row.cells[col] = f
            t.rows.append(row)
        # footers: "人员经费合计 … value", "公用经费 合计 … value" anywhere in the row
        for c, tx in enumerate(texts if footer else []):
            key = None
            if "人员经费" in tx:
                key = "人员经费合计"
            elif "公用经费" in tx:
                key = "公用经费合计"
            if key is None or not ("合计" in tx or (c + 1 < len(texts) and "合计" in texts[c + 1])):
                continue
            vc = next((x for x in range(c + 1, g.width) if _is_numeric(g.get(r, x))
                       or (not is_blank(g.get(r, x)) and norm(g.get(r, x)) not in ("合计",))
                       or (r, x) in g.uncached), None)
            if key in seen:
                continue
            seen[key] = g.ref(r, c)
            row = TableRow(key=key, name=key, ref=g.ref(r, c))
            if vc is not None:
                used_cols.add(vc)
                row.slots[col] = (g.file, g.ref(r, vc))
                f = rd.figure(r, vc)
                if f is not None:
                    row.cells[col] = f
            t.rows.append(row)
        for c in range(g.width):
            if c not in used_cols and c not in value_cols and _is_numeric(g.get(r, c)) and g.get(r, c) != 0:
                out.warning(f"数值 {cell_text(g.get(r, c))} 不在任何栏目下，未读取", g, r, c)


def _read_three_public(rd: _Reader, t: ReadTable) -> None:
    g, out, lay = rd.g, rd.out, rd.lay
    hrows, data0, paths, lanci = rd.header()
    colmap = _map_columns(lay.columns, paths, list(range(g.width)), lanci)
    missing = [col.header for col in lay.columns if col.header not in colmap]
    if missing:
        out.error(f"表头中找不到栏目：{'、'.join(missing)}", g, hrows[0] if hrows else data0, 0)
        return
    cols = list(colmap.values())
    row = None
    for r in range(data0, len(g.rows)):
        if not rd.row_has_figures(r, cols):
            continue
        if row is not None:
            out.warning("三公经费表只应有一行数据，此行未读取", g, r, cols[0])
            continue
        row = TableRow(key="三公", name="财政拨款“三公”经费", ref=g.ref(r, cols[0]))
        for header, c in colmap.items():
            row.slots[header] = (g.file, g.ref(r, c))
            f = rd.figure(r, c)
            if f is not None:
                row.cells[header] = f
    if row is not None:
        t.rows.append(row)


def _read_two_sided(rd: _Reader, t: ReadTable) -> None:
    g, out, lay = rd.g, rd.out, rd.lay
    hrows, data0, paths, lanci = rd.header()
    # side boundaries: header cells 收入 / 支出, else the 项目 columns
    starts = []
    for side in lay.sides:
        c = next((c for c, p in paths.items() if p and norm(side.name) in (p[0], p[0].replace("决算", ""))), None)
        starts.append(c)
    if None in starts:
        items = sorted(c for c, p in paths.items() if p and p[-1] in ("项目", "项目名称"))
        starts = items[:2] if len(items) >= 2 else [0, g.width // 2]
    bounds = [(starts[i], starts[i + 1] if i + 1 < len(starts) else g.width) for i in range(len(starts))]
    for side, (c0, c1) in zip(lay.sides, bounds):
        label_c = next((c for c in range(c0, c1) if paths.get(c) and paths[c][-1] in ("项目", "项目名称")), c0)
        line_c = next((c for c in range(c0, c1) if paths.get(c) and paths[c][-1] == "行次"), None)
        cand = [c for c in range(c0, c1) if c not in (label_c, line_c)]
        colmap = _map_columns(side.columns, paths, cand, lanci)
        if not colmap and len(side.columns) == 1 and cand:
            # one amount column under another name ("金额", "本年数"): the column holding figures
            val_cands = [c for c in cand if any(not is_blank(g.get(r, c)) for r in range(data0, len(g.rows)))]
            colmap = {side.columns[0].header: (val_cands or cand)[0]}
        missing = [col.header for col in side.columns if col.header not in colmap]
        if missing:
            out.error(f"{side.name}方表头中找不到栏目：{'、'.join(missing)}", g, hrows[0] if hrows else data0, c0)
            continue
        used: set[str] = set()
        fixed = [fr for fr in side.rows if fr.key]
        for r in range(data0, len(g.rows)):
            if rd.cell_errors(r, (label_c,)):
                continue
            label = cell_text(g.get(r, label_c)).strip()
            has_fig = rd.row_has_figures(r, colmap.values())
            key = _label_key(label)
            if not key or key == "栏次":
                if has_fig and key != "栏次":
                    out.error(f"{side.name}方此行有金额但没有项目名称", g, r, label_c)
                continue
            fr = _match_fixed(key, fixed, used, g.get(r, line_c) if line_c is not None else None)
            if fr is None:
                if has_fig:
                    out.error(f"无法识别的项目“{label}”（不在{lay.title}表式中），其金额未读取", g, r, label_c)
                continue
            used.add(fr.key)
            row = TableRow(key=fr.key, code=fr.code, name=label, side=side.name, ref=g.ref(r, label_c))
            for header, c in colmap.items():
                row.slots[header] = (g.file, g.ref(r, c))
                f = rd.figure(r, c)
                if f is not None:
                    row.cells[header] = f
            t.rows.append(row)


def _match_fixed(key: str, fixed: list[FixedRow], used: set[str], line_v) -> FixedRow | None:
    cands = [fr for fr in fixed if fr.key not in used and
             (_label_key(fr.label) == key or (len(key) >= 4 and _label_key(fr.label).startswith(key))
              or (len(key) >= 4 and key.startswith(_label_key(fr.label)) and len(_label_key(fr.label)) >= 4))]
    exact = [fr for fr in cands if _label_key(fr.label) == key]
    cands = exact or cands
    if len(cands) > 1 and line_v is not None:
        try:
            n = parse_number(line_v)
        except NumberError:
            n = None
        by_line = [fr for fr in cands if n is not None and fr.line == n]
        if by_line:
            return by_line[0]
    return cands[0] if cands else None


def read_table(g: SheetGrid, tid: str, year: int | None, title_row: int, unit_default: str | None,
               out: Collector) -> ReadTable:
    rd = _Reader(g, tid, year, title_row, unit_default, out)
    t = ReadTable(tid, rd.lay, g, rd.unit, year, rd.entity)
    kind = rd.lay.kind
    if kind == "function":
        _read_function(rd, t)
    elif kind == "economic":
        _read_economic(rd, t)
    elif kind == "three_public":
        _read_three_public(rd, t)
    else:
        _read_two_sided(rd, t)
    rd.finish()
    return t
