"""附件: the 部门整体绩效自评表 and the 项目绩效自评表 read back from source lines.

Owns finding the self-evaluation tables (title lines ending in 绩效自评表, also when the
title wraps onto a second line) and reading their fields as displayed: names, 主管部门 /
实施单位, the ticked 类别/属性/类型 options (fuzzy against the standard options, since
extraction garbles them), 预算数/执行数/执行率 (cells split inside a number are re-joined
by choosing the split for which 执行率 = B/A), the indicator rows, 偏差原因 and 改进措施.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..figures import interval, percent_interval, places
from ..parse.cells import best_match, clean_text, flat, line_text, ratio
from ..parse.source import SourceLine
from ..parse.trace import Trace
from .forms import IndicatorRow, OverallTable, ProjectTable

__all__ = ["find_performance_tables", "read_project", "read_overall"]

_CHECK = "☑√✓✔■▇●☒"
CATEGORY_OPTIONS = ("部门预算项目", "区直专项", "市直专项", "省直专项", "上级对下转移支付项目")
ATTRIBUTE_OPTIONS = ("持续性项目", "新增性项目")
KIND_OPTIONS = ("常年性项目", "延续性项目", "一次性项目")
LEVEL1 = ("成本指标", "产出指标", "效益指标", "满意度指标", "部门管理", "履职效能", "社会效应",
          "可持续发展能力", "满意度")
LEVEL2_TO_1 = {
    "数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标",
    "经济成本指标": "成本指标", "社会成本指标": "成本指标", "生态环境成本指标": "成本指标",
    "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标", "服务对象满意度": "满意度指标", "服务对象满意度指标": "满意度指标",
}


def find_performance_tables(lines: list[SourceLine]) -> list[tuple[str, str, int, int]]:
    """[(kind "overall"|"project", title, start index, end index)] in ``lines``.

    A title may wrap: "2023年度……" + "……项目绩效自评表", or "……项目绩效自" + "评表".
    """
    def next_text(i: int) -> tuple[int, str]:
        j = i + 1
        while j < len(lines) and not line_text(lines[j]).strip():
            j += 1
        return j, (flat(line_text(lines[j])) if j < len(lines) else "")

    starts: list[tuple[str, str, int, bool]] = []   # kind, title, index, first half on the line before
    used: set[int] = set()
    for i, line in enumerate(lines):
        if i in used or len(line.cells) > 2:
            continue
        f = flat(line_text(line))
        if not f or len(f) > 80:
            continue
        joined_prev = False
        if f.endswith("绩效自评表"):
            title = f
            j = i - 1
            while j >= 0 and not line_text(lines[j]).strip():
                j -= 1
            prev = flat(line_text(lines[j])) if j >= 0 else ""
            if (len(f) <= 9 or not re.match(r"^\d{4}年", f)) and re.match(r"^\d{4}年度?", prev) \
                    and not prev.endswith(("自评表", "。")) and len(prev) <= 60 and len(lines[j].cells) <= 2:
                title, joined_prev = prev + f, True
        else:
            j, nxt = next_text(i)
            if not (nxt and len(nxt) <= 9 and "绩效" in f + nxt and (f + nxt).endswith("绩效自评表")
                    and len(lines[j].cells) <= 2):
                continue
            title = f + nxt
            used.add(j)
        kind = "overall" if "整体" in title else "project"
        starts.append((kind, title, i, joined_prev))
    out = []
    for n, (kind, title, i, _) in enumerate(starts):
        end = starts[n + 1][2] if n + 1 < len(starts) else len(lines)
        # a title whose first half is on the line before: that line belongs to the next table
        if n + 1 < len(starts) and starts[n + 1][3]:
            j = end - 1
            while j > i and not line_text(lines[j]).strip():
                j -= 1
            end = j
        out.append((kind, title, i, end))
    return out


def _org(s: str) -> str:
    """An organisation name from a garbled cell: CJK only, stray 项/目 of the next label dropped."""
    s = re.sub(r"[^\u3400-\u9fff（）()]+", "", s)
    return re.sub(r"(?:[项页]?目+|项)$", "", s)


def _name_from_title(title: str, overall: bool) -> str:
    t = re.sub(r"^\d{4}年度?", "", title)
    if overall:
        t = re.sub(r"(?:部门)?整体(?:支出)?绩效自评表$", "", t)
    else:
        t = re.sub(r"(?:项目)?(?:支出)?绩效自评表$", "", t)
    return t


def _after_label(cells: list[str], label: str) -> str:
    """Text of a row after its (possibly split) label."""
    f = flat("".join(cells))
    k = f.find(label)
    if k >= 0:
        return f[k + len(label):]
    return f


def _ticked(text: str, options: tuple[str, ...]) -> str:
    """The ticked option; when the tick glyph was lost in extraction, the first option not
    followed by an empty box (□), else the first option printed."""
    f = flat(text)
    m = re.search(f"[{_CHECK}]", f)
    if m:
        before = re.sub(r"[^\u3400-\u9fff]+$", "", f[: m.start()])
        seg = re.split(r"\d[、.．]", before)[-1]
        hit, _ = best_match(seg, options, 0.6)
        return hit or seg
    found = sorted((f.find(o), o) for o in options if o in f)
    for pos, o in found:
        if not re.match(r"[□口]", f[pos + len(o): pos + len(o) + 1]):
            return o
    return found[0][1] if found else ""


def _rate_ok(a: str, b: str, r: str) -> bool:
    try:
        da, db = Decimal(a.replace(",", "")), Decimal(b.replace(",", ""))
        dr = Decimal(r.rstrip("%").replace(",", ""))
    except InvalidOperation:
        return False
    if da <= 0:
        return False
    # 自评表 amounts are printed trimmed ("35" for 35.00): read them to at least two decimals
    calc = percent_interval(interval(db, max(places(db), 2)), interval(da, max(places(da), 2)))
    return calc is not None and calc.overlaps(interval(dr, max(places(dr), 2)))


def budget_pieces(cells: list[str]) -> list[str]:
    f_idx = next((i for i, c in enumerate(cells) if "资金总额" in flat(c) or "财政资金" in flat(c)), None)
    rest = cells[f_idx + 1:] if f_idx is not None else cells
    pieces = [re.sub(r"[^\d.,%]", "", p) for c in rest for p in re.split(r"\s+", c.strip()) if p]
    return [p for p in pieces if re.search(r"\d", p)]


def partitions(pieces: list[str]):
    """Every split of the pieces into (A, B, rate) joined without spaces."""
    n = len(pieces)
    for i in range(1, n):
        for j in range(i + 1, n):
            a, b, r = "".join(pieces[:i]), "".join(pieces[i:j]), "".join(pieces[j:])
            if not r.endswith("%") or "%" in a + b:
                continue
            if all(re.fullmatch(r"(?:\d[\d,]*)?(?:\.\d+)?%?", x) and re.search(r"\d", x) for x in (a, b, r)):
                yield a, b, r


def _budget(cells: list[str]) -> tuple[str, str, str] | None:
    """预算数/执行数/执行率: the split of the printed pieces for which B/A gives the rate."""
    for a, b, r in partitions(budget_pieces(cells)):
        if _rate_ok(a, b, r):
            return a, b, r
    return None


def _budget_by_header(header: list[str] | None, cells: list[str]) -> tuple[str, str, str] | None:
    """预算数/执行数/执行率 by the columns of the header row (templates with 年初预算数,
    全年预算数, 全年执行数, 分值, 执行率, 得分), accepted only when B/A gives the rate."""
    if not header or len(header) != len(cells):
        return None

    def col(*words: str) -> int | None:
        for w in words:
            i = next((k for k, h in enumerate(header) if w in h), None)
            if i is not None:
                return i
        return None

    ia, ib, ir = col("全年预算数", "预算数"), col("全年执行数", "执行数"), col("执行率")
    if None in (ia, ib, ir):
        return None
    a, b, r = (re.sub(r"[^\d.,%]", "", cells[i]) for i in (ia, ib, ir))  # type: ignore[index]
    if not r.endswith("%"):
        r += "%"
    return (a, b, r) if a and b and _rate_ok(a, b, r) else None


def _split_items(text: str) -> list[str]:
    parts = [p.strip(" ，,") for p in re.split(r"\d+[.、．]\s*", text) if p.strip(" ，,")]
    return [clean_text(p) for p in parts]


def _label_cells(cells: list[str], label: str) -> list[str]:
    """Drop the leading cells that spell (pieces of) ``label``."""
    out = list(cells)
    while out and (not out[0].strip() or (flat(out[0]) and ratio(flat(out[0]), label) >= 0.4)
                   or (flat(out[0]) and flat(out[0]) in label)):
        out.pop(0)
    return out


def _indicators(block: list[SourceLine], header: SourceLine | None, trace: Trace) -> list[IndicatorRow]:
    rows: list[IndicatorRow] = []
    hcells = [flat(c) for c in header.cells] if header is not None else []
    h = len(hcells)
    has_cat = any("指标分类" in c for c in hcells)
    l1_idx = next((i for i, c in enumerate(hcells) if "一级" in c), None)
    l2_idx = next((i for i, c in enumerate(hcells) if "二级" in c), None)
    t_idx = next((i for i, c in enumerate(hcells) if "目标值" in c), None)
    a_idx = next((i for i, c in enumerate(hcells) if "完成值" in c), None)
    level1 = ""
    for line in block:
        cells = [c.strip() for c in line.cells]
        if not line_text(line).strip():
            continue
        if len(cells) == 1:
            rows.append(IndicatorRow(level1=level1, level3=clean_text(cells[0])))
            continue
        if len(cells) > h > 0 and not any(c for c in cells[h:]):
            cells = cells[:h]
        n = len(cells)
        row_has_cat = has_cat and n >= h
        if n == h and t_idx is not None and a_idx is not None and t_idx < a_idx < n:
            target, actual = cells[t_idx], cells[a_idx]
            body = cells[:t_idx]
        else:
            target, actual = cells[-2], cells[-1]
            body = cells[:-2]
        category = ""
        if row_has_cat and body:
            category = body[-1]
            body = body[:-1]
        l2i = l2_idx if l2_idx is not None else 1
        l2 = body[l2i] if l2i < len(body) else ""
        l1_cell = (body[l1_idx] if l1_idx is not None and l1_idx < len(body)
                   else body[l2i - 1] if l2i >= 1 and l2i - 1 < len(body) else "")
        l3 = "".join(body[l2i + 1:]) if l2i + 1 <= len(body) else ""
        l2c = flat(l2)
        hit, _ = best_match(flat(l1_cell), LEVEL1, 0.75) if l1_cell else (None, 0)
        if hit:
            level1 = hit
        elif l2c in LEVEL2_TO_1 or (best_match(l2c, LEVEL2_TO_1, 0.85)[0] if l2c else None):
            key = l2c if l2c in LEVEL2_TO_1 else best_match(l2c, LEVEL2_TO_1, 0.85)[0]
            level1 = LEVEL2_TO_1[key]  # type: ignore[index]
        if rows and not clean_text(l2) and not clean_text(target) and not clean_text(actual) \
                and clean_text(l3) and not rows[-1].level3:
            rows[-1].level3 = clean_text(l3)   # a wrapped cell: the row went on over two lines
            continue
        if not clean_text(l2) and rows and rows[-1].level1 == level1:
            l2 = rows[-1].level2   # merged (rowspan) 二级指标 cell printed once
        rows.append(IndicatorRow(level1=level1, level2=clean_text(l2), level3=clean_text(l3),
                                 category=clean_text(category), target=clean_text(target),
                                 actual=clean_text(actual)))
    return rows


def _sections(lines: list[SourceLine]):
    """Split a table region into fields, indicator block, 偏差, 改进."""
    header = None
    block: list[SourceLine] = []
    deviation: list[str] = []
    improvement: list[str] = []
    mode = "fields"
    fields: list[SourceLine] = []
    for line in lines:
        f = flat(line_text(line))
        if not f:
            continue
        if (mode in ("fields", "indicators") and f.startswith("偏差")
                or (mode != "improvement" and "原因分析" in f[:16])):
            mode = "deviation"
            deviation.extend(_label_cells([c for c in line.cells], "偏差大或目标未完成原因分析"))
            continue
        if mode in ("fields", "indicators", "deviation") and f.startswith("改进措施"):
            if mode == "indicators" and block and not deviation:
                last = block[-1]
                filled = [c for c in last.cells if c.strip()]
                if len(filled) == 1 and "。" in filled[0] and len(flat(filled[0])) > 15:
                    # the 偏差 label was lost in extraction: its text is the last "indicator" line
                    deviation.extend(filled)
                    block.pop()
            mode = "improvement"
            improvement.extend(_label_cells([c for c in line.cells], "改进措施及结果应用方案"))
            continue
        if mode == "fields" and ("三级指标" in f or "一级指标" in f or ("二级指标" in f and "三级" in f)):
            header = line
            mode = "indicators"
            continue
        if mode == "fields":
            fields.append(line)
        elif mode == "indicators":
            block.append(line)
        elif mode == "deviation":
            deviation.extend(line.cells)
        else:
            improvement.extend(line.cells)
    return fields, header, block, clean_text("".join(deviation)), clean_text("".join(improvement))


def read_project(title: str, lines: list[SourceLine], trace: Trace) -> ProjectTable:
    fields, header, block, deviation, improvement = _sections(lines)
    p = ProjectTable(name=_name_from_title(title, False), deviation=deviation, improvement=improvement)
    row_name = ""
    money_header: list[str] | None = None
    for line in fields:
        f = re.sub(r"[^\w%.☑√✓✔■□]", "", flat(line_text(line)))
        cells = [c.strip() for c in line.cells]
        if f.startswith("项目名称"):
            row_name = _after_label(cells, "项目名称")
        elif "主管部门" in f:
            m = re.search(r"主管部门(.*?)(?:项目)?实施单位(.*)$", f)
            if m:
                p.supervisor, p.implementer = _org(m.group(1)), _org(m.group(2))
            else:
                p.supervisor = _after_label(cells, "主管部门")
        elif "项目类别" in f:
            p.category = _ticked(f.split("项目类别", 1)[1], CATEGORY_OPTIONS)
        elif "项目属性" in f:
            p.attribute = _ticked(f.split("项目属性", 1)[1], ATTRIBUTE_OPTIONS)
        elif "项目类型" in f:
            p.kind = _ticked(f.split("项目类型", 1)[1], KIND_OPTIONS)
        elif "预算数" in f and "执行数" in f and not re.search(r"\d+\.\d", f):
            money_header = [flat(c) for c in cells]
        elif "资金总额" in f or ("财政资金" in f and re.search(r"\d", f)):
            cl = cells if len(cells) > 1 else re.split(r"\s+", line_text(line))
            got = _budget_by_header(money_header, cells) or _budget(cl)
            if got:
                p.budget, p.actual, p.rate = got
            else:
                p.source["unresolved_budget"] = {"pieces": budget_pieces(cl), **line.place().to_dict(),
                                                 "text": line_text(line)}
    if not p.name:
        p.name = row_name
    elif row_name and ratio(row_name, p.name) < 1.0:
        trace.note("project", f"项目名称：标题“{p.name}”与表内“{row_name}”不同，取标题", lines[0] if lines else None)
    p.indicators = _indicators(block, header, trace)
    p.source = {**(lines[0].place().to_dict() if lines else {}), **p.source}
    return p


def read_overall(title: str, lines: list[SourceLine], trace: Trace) -> OverallTable:
    fields, header, block, deviation, improvement = _sections(lines)
    o = OverallTable(unit_name=_name_from_title(title, True), deviation=deviation, improvement=improvement)
    for line in fields:
        f = flat(line_text(line))
        m = re.search(r"基本支出总额([\d,.]+)", f)
        if m:
            o.basic_total = m.group(1).replace(",", "")
        m = re.search(r"项目支出总额([\d,.]+)", f)
        if m:
            o.project_total = m.group(1).replace(",", "")
        if "年度目标" in f or "总体目标" in f:
            text = "".join(c for c in line.cells if c and "年度目标" not in flat(c))
            o.goals = _split_items(re.sub(r"^[^\d]*?(?=\d[.、．])", "", text))
        if "单位名称" in f and not o.unit_name:
            o.unit_name = _after_label([c for c in line.cells], "单位名称")
    if not (o.basic_total or o.project_total):
        trace.unread(lines[0] if lines else None, "整体绩效自评表：未读到基本/项目支出总额", table="部门整体绩效自评表")
    o.indicators = _indicators(block, header, trace)
    o.source = {**lines[0].place().to_dict()} if lines else {}
    return o

