"""附件: the 部门整体绩效自评表 and the 项目绩效自评表 read back from source lines.

Owns finding the self-evaluation tables (title lines ending in 绩效自评表, also when the
title wraps onto a second line) and reading their fields as displayed: names, 主管部门 /
实施单位, the ticked 类别/属性/类型 options (fuzzy against the standard options, since
extraction garbles them), 预算数/执行数/执行率 (cells split inside a number are re-joined
by choosing the split for which 执行率 = B/A), the indicator rows, 偏差原因 and 改进措施.
"""

from __future__ import annotations

import re

from ..parse.cells import best_match, clean_text, flat, line_text, ratio
from ..parse.source import SourceLine
from ..parse.trace import Trace
from .forms import OverallTable, ProjectTable
from .formtext import rate_ok, read_indicator_block
from .scored import is_scored, pick_name, read_scored, strip_label

__all__ = ["find_performance_tables", "read_project", "read_overall", "title_text", "TITLE_ENDS"]

_CHECK = "☑√✓✔■▇●☒"
CATEGORY_OPTIONS = ("部门预算项目", "区直专项", "市直专项", "省直专项", "上级对下转移支付项目")
ATTRIBUTE_OPTIONS = ("持续性项目", "新增性项目")
KIND_OPTIONS = ("常年性项目", "延续性项目", "一次性项目")
# How a 绩效自评表 title ends (项目支出绩效自评表, 部门整体支出绩效自评表, …绩效自评情况表, …绩效目标自评表),
# what may stand before it (附件2-1：) and after it (（2023年度）, （续）).
TITLE_ENDS = ("绩效自评表", "绩效自评情况表", "绩效自评结果表", "绩效目标自评表")
_TITLE_END = re.compile(r"绩效(?:目标)?自评(?:情况|结果)?表$")
_NUMBERING = re.compile(r"^(?:附件|附表)\s*[\d一二三四五六七八九十]*(?:[-—－–.．]\d+)*\s*[:：、.．]?")
_TITLE_TAIL = re.compile(r"[（(](?:\d{4}年度?|续表?)[)）]$")
_CONTINUED = re.compile(r"[（(]续表?[)）]$")
_YEAR_START = re.compile(r"^\d{4}年")
# a line that says a form's body has begun: its name row, the money header, the indicator header
_BODY_LABEL = re.compile(r"^(?:项目名称|部门[（(]单位[)）]名称|单位名称|部门名称|主管部门)|三级指标|一级指标.*二级指标|"
                         r"预算数.*执行数|年度资金总额|年度财政资金总额")


def title_text(line_text_: str) -> str:
    """A title line as compared: no spaces, without 附件 numbering and a trailing （2023年度）/（续）."""
    f = _NUMBERING.sub("", flat(line_text_))
    return _TITLE_TAIL.sub("", f)


def _numbering_only(f: str) -> bool:
    return bool(f) and not _NUMBERING.sub("", f) and f.startswith(("附件", "附表"))


def find_performance_tables(lines: list[SourceLine]) -> list[tuple[str, str, int, int]]:
    """[(kind, title, start index, end index)] of the 绩效自评表 in ``lines``; kind is "overall",
    "project", or "unknown" (a title whose lines show no form: no name row, no money or indicator
    header — a reference in running text, or a form that cannot be read); then "stray" for each
    line with figures that belongs to no form.

    A title may wrap ("2023年度……" + "……项目绩效自评表", "……项目绩效自" + "评表"), carry 附件
    numbering ("附件2-1：", or "附件2" on the line before) and a trailing （2023年度）; a title
    marked （续） continues the form before it; titles with no line after them before the next
    (a table of contents) are no forms.
    """
    def next_text(i: int) -> tuple[int, str]:
        j = i + 1
        while j < len(lines) and not line_text(lines[j]).strip():
            j += 1
        return j, (title_text(line_text(lines[j])) if j < len(lines) else "")

    def few_cells(line: SourceLine) -> bool:
        return len([c for c in line.cells if c.strip()]) <= 2

    # kind, title, index of its first line, index of its last line, first half on the line before
    starts: list[tuple[str, str, int, int, bool]] = []
    used: set[int] = set()
    for i, line in enumerate(lines):
        if i in used or not few_cells(line):
            continue
        raw = flat(line_text(line))
        f = title_text(line_text(line))
        if not f or len(f) > 80 or "。" in f:
            continue
        joined_prev = False
        last = i
        if _TITLE_END.search(f):
            title = f
            j = i - 1
            while j >= 0 and (not line_text(lines[j]).strip() or _numbering_only(flat(line_text(lines[j])))):
                j -= 1
            prev = title_text(line_text(lines[j])) if j >= 0 else ""
            if (len(f) <= 9 or not _YEAR_START.match(f)) and _YEAR_START.match(prev) \
                    and not prev.endswith(("自评表", "。")) and len(prev) <= 60 and few_cells(lines[j]) \
                    and not _TITLE_END.search(prev):
                title, joined_prev = prev + f, True
        else:
            j, nxt = next_text(i)
            if not (nxt and len(nxt) <= 9 and "绩效" in f + nxt and _TITLE_END.search(f + nxt)
                    and j < len(lines) and few_cells(lines[j])):
                continue
            title = f + nxt
            used.add(j)
            last = j
        if _CONTINUED.search(raw):
            title += "（续）"
        kind = "overall" if "整体" in title else "project"
        starts.append((kind, title, i, last, joined_prev))
    out: list[tuple[str, str, int, int]] = []
    for n, (kind, title, i, last, _) in enumerate(starts):
        end = starts[n + 1][2] if n + 1 < len(starts) else len(lines)
        # a title whose first half is on the line before: that line belongs to the next table
        if n + 1 < len(starts) and starts[n + 1][4]:
            j = end - 1
            while j > i and not line_text(lines[j]).strip():
                j -= 1
            end = j
        # "附件2-3" on a line of its own before the next title belongs to that title
        while end - 1 > last and (not line_text(lines[end - 1]).strip()
                                  or _numbering_only(flat(line_text(lines[end - 1])))):
            end -= 1
        body = [ln for ln in lines[last + 1:end] if line_text(ln).strip()]
        if not body:
            continue          # a title with nothing under it: a table of contents, not a form
        if title.endswith("（续）") and out:
            k, t, s, _ = out[-1]
            out[-1] = (k, t, s, end)     # the form goes on: its lines join the form before
            continue
        if not any(_BODY_LABEL.search(flat(line_text(ln))) and "。" not in line_text(ln) for ln in body[:40]):
            kind = "unknown"
        out.append((kind, title, i, end))
    return out + _strays(lines, out, starts)


def _strays(lines: list[SourceLine], forms: list[tuple[str, str, int, int]],
            starts: list[tuple[str, str, int, int, bool]]) -> list[tuple[str, str, int, int]]:
    """("stray", "", i, i + 1) for each line with figures that no form takes (text before the first
    form, between forms): reported unread by the reader of the forms, never dropped unsaid."""
    taken: set[int] = set()
    for _, _, s, e in forms:
        taken.update(range(s, e))
    for _, _, i, last, joined in starts:       # titles (also those of a table of contents)
        first = i
        if joined:                               # the first half, on a line before
            first -= 1
            while first > 0 and not line_text(lines[first]).strip():
                first -= 1
        taken.update(range(first, last + 1))
    return [("stray", "", i, i + 1) for i, line in enumerate(lines)
            if i not in taken and re.search(r"\d", line_text(line))
            and not _numbering_only(flat(line_text(line)))]


def _org(s: str) -> str:
    """An organisation name from a garbled cell: CJK only, stray 项/目 of the next label dropped."""
    s = re.sub(r"[^\u3400-\u9fff（）()]+", "", s)
    return re.sub(r"(?:[项页]?目+|项)$", "", s)


def _name_from_title(title: str, overall: bool) -> str:
    t = re.sub(r"^\d{4}年度?", "", title.removesuffix("（续）"))
    tail = r"绩效(?:目标)?自评(?:情况|结果)?表$"
    if overall:
        t = re.sub(r"(?:部门|单位)?(?:[（(]单位[)）])?整体(?:支出)?" + tail, "", t)
    else:
        t = re.sub(r"(?:项目)?(?:支出)?" + tail, "", t)
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


_CLEAN = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def _budget(cells: list[str]) -> tuple[str, str, str] | None:
    """预算数/执行数/执行率: three whole numbers (the last a percentage) as printed — a rate that
    is not B/A is then the publisher's, for the checks to see —, else the split of the printed
    pieces (numbers broken by extraction: "25.8 4") for which B/A gives the rate."""
    pieces = budget_pieces(cells)
    if len(pieces) == 3 and _CLEAN.fullmatch(pieces[0]) and _CLEAN.fullmatch(pieces[1]) \
            and pieces[2].endswith("%") and _CLEAN.fullmatch(pieces[2][:-1]):
        return pieces[0], pieces[1], pieces[2]
    for a, b, r in partitions(pieces):
        if rate_ok(a, b, r):
            return a, b, r
    return None


def _budget_by_header(header: list[str] | None, cells: list[str]) -> tuple[str, str, str] | None:
    """预算数/执行数/执行率 by the columns of the header row (templates with 年初预算数,
    全年预算数, 全年执行数, 分值, 执行率, 得分): whole numbers in their cells as printed, pieces of
    numbers only when B/A gives the rate."""
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
    # read as printed only from a clean header: three columns, each naming one figure
    one_each = len({ia, ib, ir}) == 3 and all(
        sum(w in header[i] for w in ("预算数", "执行数", "执行率")) == 1 for i in (ia, ib, ir))  # type: ignore[index]
    whole = one_each and all(_CLEAN.fullmatch(cells[i].strip().rstrip("%")) for i in (ia, ib, ir))  # type: ignore[index]
    return (a, b, r) if a and b and (whole or rate_ok(a, b, r)) else None


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
    return (fields, header, block, strip_label("".join(deviation), "偏差大或目标未完成原因分析"),
            strip_label("".join(improvement), "改进措施及结果应用方案"))


_SIMPLE_ROLES = ["level1", "level2", "level3", "target", "actual"]
_PERCENT = re.compile(r"\d%")


def read_project(title: str, lines: list[SourceLine], trace: Trace) -> ProjectTable:
    """A 项目绩效自评表 from the lines after its title, in either layout (:mod:`juesuan.final.scored`)."""
    if is_scored(lines):
        p = read_scored(title, lines, trace, False, _name_from_title(title, False))
        p.source = {**(lines[0].place().to_dict() if lines else {}), **p.source}
        return p
    fields, header, block, deviation, improvement = _sections(lines)
    p = ProjectTable(name=_name_from_title(title, False), deviation=deviation, improvement=improvement)
    row_name = ""
    money_header: list[str] | None = None
    money_line: SourceLine | None = None
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
        elif "资金总额" in f or ("财政资金" in f and re.search(r"\d", f)) or \
                (money_header is not None and not p.budget and _PERCENT.search(f) and len(budget_pieces(
                    re.split(r"\s+", line_text(line)))) >= 3):
            # (the row's label may have wrapped onto the lines above: "年度财政资" / "金总额 35 34.12 97.47%")
            money_line = line
            cl = cells if len(cells) > 1 else re.split(r"\s+", line_text(line))
            got = _budget_by_header(money_header, cells) or _budget(cl)
            if got:
                p.budget, p.actual, p.rate = got
            else:
                p.source["unresolved_budget"] = {"pieces": budget_pieces(cl), **line.place().to_dict(),
                                                 "text": line_text(line)}
    p.name = pick_name(p.name, row_name, trace, lines[0] if lines else None)
    where = {"table": "项目绩效自评表", "project": p.name}
    if money_line is None:
        trace.unread(lines[0] if lines else None, "未读到预算数、执行数、执行率", **where)
        p.unsure["money"] = "未读到预算数、执行数、执行率"
    p.indicators, why = read_indicator_block(block, header, _SIMPLE_ROLES, trace, where, by_cells=False)
    if why:
        p.unsure["indicators"] = why
    p.source = {**(lines[0].place().to_dict() if lines else {}), **p.source}
    return p


_OVERALL_ROLES = ["level1", "level2", "level3", "category", "target", "actual"]


def read_overall(title: str, lines: list[SourceLine], trace: Trace) -> OverallTable:
    """A 部门整体绩效自评表 from the lines after its title, in either layout."""
    if is_scored(lines):
        o = read_scored(title, lines, trace, True, _name_from_title(title, True))
        o.source = {**lines[0].place().to_dict()} if lines else {}
        return o
    fields, header, block, deviation, improvement = _sections(lines)
    o = OverallTable(unit_name=_name_from_title(title, True), deviation=deviation, improvement=improvement)
    # the fields as one text: a label and its figure may be on two lines ("项目支出" / "总额 9407064.37元")
    joined = "".join(flat(line_text(line)) for line in fields)
    m = re.search(r"基本支出总额([\d,.]+)", joined)
    if m:
        o.basic_total = m.group(1).replace(",", "").rstrip(".")
    m = re.search(r"项目支出总额([\d,.]+)", joined)
    if m:
        o.project_total = m.group(1).replace(",", "").rstrip(".")
    in_goals = False
    for line in fields:
        f = flat(line_text(line))
        if "年度目标" in f or "总体目标" in f:
            text = "".join(c for c in line.cells if c and "年度目标" not in flat(c))
            o.goals = _split_items(re.sub(r"^[^\d]*?(?=\d[.、．])", "", text))
            in_goals = True
            continue
        if in_goals and re.match(r"^\d{1,2}[.、．]", f):
            o.goals += _split_items(line_text(line))      # goals printed a line each
            continue
        in_goals = False
        if "单位名称" in f and not o.unit_name:
            o.unit_name = _after_label([c for c in line.cells], "单位名称")
    if not (o.basic_total or o.project_total):
        trace.unread(lines[0] if lines else None, "整体绩效自评表：未读到基本/项目支出总额", table="部门整体绩效自评表")
        o.unsure["money"] = "未读到基本/项目支出总额"
    o.indicators, why = read_indicator_block(block, header, _OVERALL_ROLES, trace, {"table": "部门整体绩效自评表"},
                                             by_cells=False)
    if why:
        o.unsure["indicators"] = why
    o.source = {**lines[0].place().to_dict()} if lines else {}
    return o

