"""The scored 绩效自评表 (财预〔2020〕10号) read back: money, sources, goals, scored indicators, 总分.

The 项目支出绩效自评表 and the 部门整体支出绩效自评表 of the Ministry of Finance's form share one
shape: a name row (and 主管部门 | 实施单位), the money block — a header 年初预算数 | 全年预算数 |
全年执行数 | 分值 | 执行率 | 得分, the row 年度资金总额 and the rows of its sources (其中：当年财政
拨款, 上年结转资金, 其他资金; or 基本支出, 项目支出) —, 年度总体目标 (预期目标 | 实际完成情况), the
indicators (一级 | 二级 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施) and
总分. :func:`read_scored` reads it from cells (grids, tab-separated text) or from run-together
text, where blank cells vanished: a money row's figures are then placed by what the form
guarantees (执行率 = 全年执行数/全年预算数 picks the pair; the sources add up to 年度资金总额), and
what stays open is recorded in the form's ``unsure`` and as unread, never guessed silently.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from itertools import combinations, product

from ..parse.cells import clean_text, flat, line_text
from ..parse.source import SourceLine
from ..parse.trace import Trace
from .forms import SCORED, FundRow, GoalRow, OverallTable, ProjectTable
from .formtext import indicator_roles, is_amount, is_dash, rate_ok, read_indicator_block, tokens

__all__ = ["is_scored", "read_scored", "strip_label", "pick_name"]

_MONEY_WORDS = (("年初预算", "initial"), ("全年预算", "budget"), ("全年执行", "actual"), ("预算数", "budget"),
                ("执行数", "actual"), ("分值", "weight"), ("执行率", "rate"), ("得分", "score"))
_MONEY_ROLES = ("initial", "budget", "actual", "weight", "rate", "score")
_NATURE = ("基本支出", "项目支出", "上缴上级", "经营支出", "对附属单位")
_SOURCE_WORDS = ("当年财政拨款", "上年结转资金", "上年结转", "其他资金", "一般公共预算", "政府性基金", "国有资本经营",
                 "财政专户", "单位资金", *_NATURE)
_MONEY_HEAD_TEXT = "年初预算数全年预算数全年执行数分值执行率得分（A）（B）（B/A）"
_IND_HEAD_TEXT = "一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"


def _source_label(label: str) -> str:
    """A source row's label without what the block's wrapped label put before it ("项目资金（万元）")."""
    label = re.sub(r"^其中[:：]?", "", label)
    for w in _SOURCE_WORDS:
        k = label.find(w)
        if k > 0:
            return label[k:]
    return label


def is_scored(lines: list[SourceLine]) -> bool:
    """Is the form in ``lines`` the scored one (a money header with 分值/得分 or 全年预算数)?"""
    for line in lines:
        f = flat(line_text(line))
        if ("预算数" in f or "执行数" in f) and ("分值" in f or "得分" in f or "全年预算数" in f or "年初预算数" in f):
            return True
        if "三级指标" in f and "分值" in f and "得分" in f:
            return True
    return False


_NAME_PART = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）、]+")


def pick_name(title_name: str, row_name: str, trace: Trace, line: SourceLine | None) -> str:
    """A project's name: its title's, unless the title gives none or only a part of the 项目名称 row's
    (a title wrapped and cut: "……维护费" for "安全网络运行维护费"); other differences keep the title's
    (the row's cell is the one garbled more often) and are noted."""
    if not title_name:
        return row_name
    if not row_name or flat(row_name) == flat(title_name):
        return title_name
    r, t = flat(row_name), flat(title_name)
    extra = r[:len(r) - len(t)] if r.endswith(t) else r[len(t):] if r.startswith(t) else ""
    # (not the words a title's ending swallows: "某项目" + "绩效自评表" names 某)
    if len(extra) >= 2 and _NAME_PART.fullmatch(extra) and extra not in ("项目", "支出", "项目支出"):
        trace.note("project", f"项目名称：标题只有“{title_name}”，取表内“{row_name}”", line)
        return row_name
    trace.note("project", f"项目名称：标题“{title_name}”与表内“{row_name}”不同，取标题", line)
    return title_name


def strip_label(text: str, label: str) -> str:
    """``text`` without what is left of its row label ``label`` at its start (a wrapped label
    cell spills its end into the text: "标未完成原因分析……")."""
    t = flat(text)
    for k in range(len(label), 2, -1):
        if t.startswith(label[-k:]):
            return clean_text(text[len(label[-k:]):] if text.startswith(label[-k:]) else t[k:])
    return clean_text(text)


# ----------------------------------------------------------------------------- the money block

def _money_role(cell: str) -> str:
    f = flat(cell)
    return next((role for word, role in _MONEY_WORDS if word in f), "")


def money_roles(header: list[SourceLine]) -> tuple[list[str], bool]:
    """The role of each cell of the money header (``initial`` … ``score``, "" for a label), and
    whether the cells are real (False: a header run together, perhaps wrapped over several lines,
    roles in the order printed)."""
    cells = header[0].cells
    if len([c for c in cells if c.strip()]) > 1:
        return [_money_role(c) for c in cells], True
    f = "".join(flat(line_text(line)) for line in header)
    found: list[tuple[int, str]] = []
    taken: set[int] = set()
    for word, role in _MONEY_WORDS:
        for m in re.finditer(word, f):
            span = set(range(m.start(), m.end()))
            if span & taken:
                continue
            taken |= span
            found.append((m.start(), role))
    roles: list[str] = []
    for _, role in sorted(found):
        if role not in roles:
            roles.append(role)
    return roles, False


def _num(tok: str) -> str:
    return tok.replace(",", "")


def _values(toks: list[str]) -> tuple[list[str], list[str]]:
    """(label words, figures and dashes) of a run-together money row."""
    label, vals = [], []
    for t in toks:
        if is_amount(t) or (t.endswith("%") and is_amount(t[:-1])) or is_dash(t):
            vals.append(t)
        elif not vals:
            label.append(t)
        else:
            label.append(t)
    return label, vals


def _place_total(vals: list[str], roles: list[str]) -> tuple[dict[str, str], bool]:
    """The figures of 年度资金总额 run together (blank cells gone), placed in the header's columns
    ``roles``: 执行率 is the figure with %, the figures before it go to the columns before it and
    those after to the columns after, in order, so that 全年执行数/全年预算数 gives the rate. Sure
    when the figures fill the columns, or exactly one placement gives the rate."""
    vals = [v for v in vals if not is_dash(v)]
    if len(vals) == len(roles):
        return dict(zip(roles, vals)), True
    k = next((i for i, v in enumerate(vals) if v.endswith("%")), None)
    if k is None or "rate" not in roles:
        amounts = [r for r in roles if r in ("initial", "budget", "actual")]
        return dict(zip(amounts[-len(vals):] if vals else [], vals)), False
    ri = roles.index("rate")
    rate, before, after = vals[k], vals[:k], vals[k + 1:]
    head, tail = roles[:ri], roles[ri + 1:]
    out = {"rate": rate}
    # after the rate (分值 and 得分, or 得分 alone): a single figure is the last column's
    placed_after = dict(zip(tail[-len(after):] if after else [], after)) if len(after) <= len(tail) else {}
    out.update(placed_after)
    fits = []
    for pos in combinations(range(len(head)), len(before)) if len(before) <= len(head) else ():
        d = {head[p]: v for p, v in zip(pos, before)}
        if "budget" in d and "actual" in d and rate_ok(_num(d["budget"]), _num(d["actual"]), rate):
            fits.append(d)
    if not fits:
        for r, v in zip(("budget", "actual"), before[-2:] if len(before) >= 2 else before):
            out[r] = v
        return out, False
    out.update(fits[-1])      # (several: the one leaving the first columns blank; said to be open)
    return out, len(fits) == 1 and (len(after) == len(tail) or len(tail) == 1)


def _d(text: str) -> Decimal | None:
    try:
        return Decimal(_num(text))
    except (InvalidOperation, ValueError):
        return None


def _sum_ok(parts: list[str], total: str) -> bool:
    """Do the shown parts add up to the shown total (each within half a unit of its last place)?"""
    vals = [_d(p) for p in parts if p]
    t = _d(total)
    if t is None or any(v is None for v in vals):
        return False
    slack = Decimal("0.005") * (len(vals) + 1)
    return abs(sum(vals, Decimal(0)) - t) <= slack      # type: ignore[arg-type]


def _place_sources(rows: list[dict[str, str] | list[str]], total: dict[str, str]) -> tuple[list[dict], bool]:
    """The sources' figures placed in 年初预算数/全年预算数/全年执行数: rows read by their cells
    (a dict by role) and rows with all three as they are; rows with fewer (blank cells vanished)
    where the column sums give 年度资金总额 — sure when exactly one placement does."""
    cols = ("initial", "budget", "actual")
    options: list[list[dict]] = []
    for vals in rows:
        if isinstance(vals, dict):
            options.append([{c: v for c, v in vals.items() if c in cols}])
            continue
        amounts = [v for v in vals if not is_dash(v) and not v.endswith("%")]
        if len(amounts) >= 3:
            options.append([dict(zip(cols, amounts[:3]))])
            continue
        options.append([dict(zip(pos, amounts)) for pos in combinations(cols, len(amounts))])
    if all(len(o) == 1 for o in options):
        return [o[0] for o in options], True
    fits = []
    for choice in product(*options):
        if all(not total.get(c) or _sum_ok([ch.get(c, "") for ch in choice], total[c])
               for c in cols if any(ch.get(c) for ch in choice)):
            fits.append(choice)
            if len(fits) > 1:
                break
    if len(fits) == 1:
        return list(fits[0]), True
    # no placement or several: right-aligned (a blank 年初预算数 is the usual one), not sure
    return [o[-1] for o in options], False


# ----------------------------------------------------------------------------- the form

_GOALS_LABEL = "年度总体目标"


def _strip_goals_label(cell: str) -> str:
    """A goals cell without a piece of the wrapped label 年度总体目标 at its start or end."""
    toks = cell.split()
    while toks and len(toks) > 1 and flat(toks[0]) in _GOALS_LABEL and len(flat(toks[0])) >= 2:
        toks = toks[1:]
    while toks and len(toks) > 1 and flat(toks[-1]) in _GOALS_LABEL and len(flat(toks[-1])) >= 2:
        toks = toks[:-1]
    return " ".join(toks)


def _goal_split(text: str) -> tuple[str, str] | None:
    """预期目标 and 实际完成情况 run together: at the one space left between them (Chinese text has
    none of its own), else where the numbering starts again."""
    parts = text.split()
    if len(parts) == 2:
        return clean_text(parts[0]), clean_text(parts[1])
    t = clean_text(text)
    starts = [m.start() for m in re.finditer(r"(?:(?<=^)|(?<=[。；;\s]))1[.、．]", t)]
    if len(starts) >= 2:
        return clean_text(t[:starts[1]]), clean_text(t[starts[1]:])
    return None


def read_scored(title: str, lines: list[SourceLine], trace: Trace, overall: bool,
                name: str) -> ProjectTable | OverallTable:
    """A scored 项目支出绩效自评表 (``overall`` False) or 部门整体支出绩效自评表 from the lines after its
    title; ``name`` is the name its title gives."""
    kind_name = "部门整体绩效自评表" if overall else "项目绩效自评表"
    t: ProjectTable | OverallTable = OverallTable(unit_name=name, layout=SCORED) if overall else \
        ProjectTable(name=name, layout=SCORED)
    where = {"table": kind_name} if overall else {"table": kind_name, "project": name}
    mode = "fields"
    money_header: list[SourceLine] = []
    money: list[SourceLine] = []
    goals_header: SourceLine | None = None
    goals: list[SourceLine] = []
    ind_header: SourceLine | None = None
    block: list[SourceLine] = []
    total_line: SourceLine | None = None
    deviation: list[str] = []
    improvement: list[str] = []
    row_name = ""
    for line in lines:
        f = flat(line_text(line))
        if not f:
            continue
        if mode != "indicators" and ("三级指标" in f or ("一级指标" in f and "二级指标" in f)):
            ind_header, mode = line, "indicators"
            continue
        if mode in ("fields", "money") and "预期目标" in f:
            goals_header, mode = line, "goals"
            continue
        if mode == "fields" and ("预算数" in f or "年初预算" in f or "全年预算" in f) and not re.search(r"\d", f):
            money_header, mode = [line], "money"
            continue
        if mode == "money" and money_header and not money and not re.search(r"\d", f):
            # the header's words wrapped onto the next lines ("数", "全年执行"), perhaps with a piece
            # of the block's label after them ("分值 执行率 得分 项目资")
            words = line_text(line).split()
            k = 0
            while k < len(words) and flat(words[k]) in _MONEY_HEAD_TEXT:
                k += 1
            if k:
                money_header.append(SourceLine([" ".join(words[:k])], line.page, line.line))
                if k < len(words):
                    money.append(SourceLine([" ".join(words[k:])], line.page, line.line))
                continue
        if mode in ("indicators", "money", "goals") and f.startswith("总分"):
            total_line, mode = line, "after"
            continue
        if mode == "indicators" and all(flat(line_text(x)) in _IND_HEAD_TEXT for x in block) and f in _IND_HEAD_TEXT:
            block.append(line)       # the indicator header's last words wrapped ("偏差原因分", "析及改进措")
            continue
        if mode != "improvement" and (f.startswith("偏差大") or f.startswith("偏差原因")) and mode != "fields":
            mode = "deviation"
            deviation.append(line_text(line))
            continue
        if f.startswith("改进措施") and mode != "fields":
            mode = "improvement"
            improvement.append(line_text(line))
            continue
        if mode == "fields":
            cells = [c.strip() for c in line.cells if c.strip()]
            if f.startswith(("项目名称", "部门（单位）名称", "部门(单位)名称", "单位名称", "部门名称")):
                label = re.match(r"^(项目名称|部门[（(]单位[)）]名称|单位名称|部门名称)", f)
                row_name = clean_text(f[label.end():]) if label else clean_text(" ".join(cells[1:]))
            elif "主管部门" in f and isinstance(t, ProjectTable):
                m = re.search(r"主管部门(.*?)(?:项目)?实施单位(.*)$", f)
                if m:
                    t.supervisor, t.implementer = clean_text(m.group(1)), clean_text(m.group(2))
                else:
                    t.supervisor = clean_text(f.split("主管部门", 1)[1])
            continue
        if mode == "after":
            trace.note("form", "总分之后的文字，未读入", line, **where)
            continue
        {"money": money, "goals": goals, "indicators": block}.get(mode, []).append(line)
        if mode == "deviation":
            deviation.append(line_text(line))
        elif mode == "improvement":
            improvement.append(line_text(line))
    first = lines[0] if lines else None
    if isinstance(t, ProjectTable):
        t.name = pick_name(t.name, row_name, trace, first)
        where["project"] = t.name
    elif not t.unit_name:
        t.unit_name = row_name
    _read_money(t, money_header, money, trace, where, first)
    _read_goals(t, goals_header, goals, trace, where)
    default = ["level1", "level2", "level3", "target", "actual", "weight", "score", "note"]
    t.indicators, why = read_indicator_block(block, ind_header, default, trace, where)
    if why:
        t.unsure["indicators"] = why
    if any(not (i.weight and i.score) for i in t.indicators):
        t.unsure["scores"] = "有指标的分值或得分未读到"
    if ind_header is None:
        trace.unread(first, "未找到绩效指标表头", **where)
        t.unsure["scores"] = "未找到绩效指标"
    _read_total(t, total_line, ind_header, trace, where, first)
    t.deviation = strip_label("".join(deviation), "偏差大或目标未完成原因分析")
    t.improvement = strip_label("".join(improvement), "改进措施及结果应用方案")
    return t


def _read_money(t: ProjectTable | OverallTable, header: list[SourceLine], rows: list[SourceLine],
                trace: Trace, where: dict, first: SourceLine | None) -> None:
    if not header:
        trace.unread(first, "未找到预算执行情况（年初预算数、全年预算数……）表头", **where)
        t.unsure["money"] = "未读到预算执行情况"
        return
    roles, aligned = money_roles(header)
    vroles = [r for r in roles if r]
    if not aligned and not {"budget", "actual", "rate"} <= set(vroles):
        vroles = list(_MONEY_ROLES)      # a header run together and cut: the form's columns
    # label, figures (by role when read by cells, else as printed), line
    read: list[tuple[str, dict[str, str] | list[str], SourceLine]] = []
    pending: list[str] = []
    for line in rows:
        cells = line.cells
        nonempty = [c.strip() for c in cells if c.strip()]
        if aligned and len(cells) == len(roles) and len(nonempty) > 1:
            label = clean_text("".join(c for c, r in zip(cells, roles) if not r))
            by_role = {r: c.strip() for c, r in zip(cells, roles) if r and c.strip() and not is_dash(c.strip())}
            if not by_role and not any(is_dash(c.strip()) for c in cells):
                pending.append(label)
                continue
            read.append(("".join(pending) + label, by_role, line))
            pending = []
            continue
        label, vals = _values(tokens(" ".join(nonempty)))
        if not [v for v in vals if not is_dash(v)]:
            pending.append("".join(label))
            continue
        read.append((clean_text("".join(pending) + "".join(label)), vals, line))
        pending = []
    if not read:
        trace.unread(header[0], "预算执行情况没有读到数字", **where)
        t.unsure["money"] = "未读到预算执行情况"
        return
    k = next((i for i, (label, *_) in enumerate(read) if "总额" in label), 0)
    label, vals, line = read[k]
    if isinstance(vals, dict):
        total, sure = dict(vals), True
    else:
        total, sure = _place_total(vals, vroles)
    t.initial, t.budget, t.actual = total.get("initial", ""), total.get("budget", ""), total.get("actual", "")
    t.weight, t.rate, t.score = total.get("weight", ""), total.get("rate", ""), total.get("score", "")
    t.initial, t.budget, t.actual = (_num(x) for x in (t.initial, t.budget, t.actual))
    if not sure:
        trace.unread(line, "年度资金总额的数字未能确定各属哪一栏", **where)
        t.unsure["money"] = "年度资金总额的数字未能确定各属哪一栏"
    srcs = read[k + 1:]
    placed, sure_src = _place_sources([v for _, v, _ in srcs], total)
    group, groups = 0, []
    for lab, _, _ in srcs:
        starts = lab.startswith("其中") or (groups and (any(w in lab for w in _NATURE)
                                                      != any(w in groups[-1][1] for w in _NATURE)))
        group = group + 1 if starts or not groups else group
        groups.append((group, lab))
    t.sources = []
    for (g, lab), p, (_, vals, _) in zip(groups, placed, srcs):
        extra = vals if isinstance(vals, dict) else {}
        t.sources.append(FundRow(_source_label(lab), g, _num(p.get("initial", "")),
                                 _num(p.get("budget", "")), _num(p.get("actual", "")),
                                 extra.get("weight", ""), extra.get("rate", ""), extra.get("score", "")))
    if not sure_src:
        trace.unread(read[k + 1][2], "资金来源各行的数字未能确定各属哪一栏", **where)
        t.unsure["sources"] = "资金来源各行的数字未能确定各属哪一栏"


def _read_goals(t: ProjectTable | OverallTable, header: SourceLine | None, rows: list[SourceLine],
                trace: Trace, where: dict) -> None:
    if header is None:
        return
    roles = ["expected" if "预期目标" in flat(c) else "achieved" if "实际完成" in flat(c) else ""
             for c in header.cells]
    aligned = len([c for c in header.cells if c.strip()]) > 1
    out: list[GoalRow] = []
    for line in rows:
        nonempty = [c.strip() for c in line.cells if c.strip()]
        # what is left of the label 年度总体目标 when it wrapped ("年度总" / "体目标")
        nonempty = [c for c in nonempty if flat(c) not in _GOALS_LABEL or len(flat(c)) < 2]
        nonempty = [_strip_goals_label(c) for c in nonempty]
        if not nonempty:
            continue
        if aligned and len(line.cells) == len(roles):
            vals = {"expected": "", "achieved": ""}
            for c, r in zip(line.cells, roles):
                if r:
                    vals[r] += c.strip()
            out.append(GoalRow(clean_text(vals["expected"]), clean_text(vals["achieved"])))
        elif len(nonempty) >= 2:
            out.append(GoalRow(clean_text(nonempty[-2]), clean_text(nonempty[-1])))
        else:
            got = _goal_split(nonempty[0])
            if got is None and out and " " not in nonempty[0].strip():
                out[-1].achieved = clean_text(out[-1].achieved + nonempty[0])   # the last cell wrapped
            elif got is None:
                trace.unread(line, "年度总体目标：预期目标与实际完成情况未能分开", **where)
                out.append(GoalRow(clean_text(nonempty[0])))
            else:
                out.append(GoalRow(*got))
    if isinstance(t, ProjectTable):
        t.goals = out
    else:
        t.goals = [g.expected for g in out]
        t.outcomes = [g.achieved for g in out]


def _read_total(t: ProjectTable | OverallTable, line: SourceLine | None, header: SourceLine | None,
                trace: Trace, where: dict, first: SourceLine | None) -> None:
    if line is None:
        trace.unread(first, "未找到总分行", **where)
        t.unsure["total"] = "未读到总分"
        return
    roles = indicator_roles(header.cells) if header is not None else []
    if len(line.cells) == len(roles) and "weight" in roles and "score" in roles:
        t.total_weight = line.cells[roles.index("weight")].strip()
        t.total_score = line.cells[roles.index("score")].strip()
        return
    nums = [x for x in tokens(" ".join(line.cells)) if is_amount(x)]
    if len(nums) == 2:
        t.total_weight, t.total_score = nums
    else:
        trace.unread(line, "总分行的分值、得分未能确定", **where)
        t.unsure["total"] = "总分行的分值、得分未能确定"
        if len(nums) == 1:
            t.total_score = nums[0]
